// The demo help center's files (cli/serve/static/) and the OpenAPI document
// (cli/serve/openapi.json), compiled into the binary at configure time (cli/CMakeLists.txt
// generates serve_assets.cpp), so `helpmark serve` needs no files beside it.
#pragma once

#include <string_view>

namespace helpmark::cli::serve {

struct Asset {
  std::string_view path;          ///< URL path, e.g. "/app.js".
  std::string_view content_type;
  std::string_view body;
  std::string_view etag;          ///< W/"<SHA-256 prefix of body>", computed at configure time.
};

/// The asset served at `path` ("/" is index.html), or nullptr.
const Asset* find_asset(std::string_view path);

}  // namespace helpmark::cli::serve
