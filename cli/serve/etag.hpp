// Conditional GETs: weak ETags for API responses, keyed on the index revision and the request,
// so that a repeated request is answered 304 before any search runs; and the If-None-Match
// test shared with the embedded files, whose tags are content hashes (assets.hpp).
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>

namespace helpmark::cli::serve {

/// Every response that carries an ETag is stored by caches but revalidated before each use:
/// the index can change at any moment, and a revalidation costs a 304 and no search.
inline constexpr const char* kRevalidate = "no-cache";

/// W/"<hex>": the same index revision, server version, path, parameters and `variant` (what
/// else picks the body, such as a negotiated format) give the same tag, and any change of one
/// of them gives another. Weak because httplib may compress the body on the way out.
std::string api_etag(std::string_view revision, const httplib::Request& req, std::string_view variant = {});

/// Sets ETag and Cache-Control on a successful response.
void set_validators(httplib::Response& res, std::string_view etag);

/// When the request's If-None-Match names `etag` (weak comparison, RFC 9110 section 13.1.2) or
/// is "*": makes `res` a 304 with its validators and returns true, and the caller sends nothing
/// else. Otherwise leaves `res` alone.
bool answer_if_unchanged(const httplib::Request& req, httplib::Response& res, std::string_view etag);

}  // namespace helpmark::cli::serve
