// Every route `helpmark serve` answers, in one table: the server registers its handlers from it,
// answers 405 with `Allow` from it, labels metrics from it, and the tests check it against the
// OpenAPI document (openapi.json) in both directions. Header-only so the tests can read it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace helpmark::cli::serve {

struct Route {
  std::string_view method;  ///< "GET" or "POST" (GET also answers HEAD).
  std::string_view path;    ///< An OpenAPI path template: "{name}" is one non-empty segment.
  bool api;                 ///< Part of the JSON API; false: the help-center page and its files.
};

inline constexpr Route kRoutes[] = {
    {"GET", "/v1/search", true},
    {"GET", "/v1/answer", true},
    {"GET", "/v1/suggest", true},
    {"GET", "/v1/articles/{id}", true},
    {"POST", "/v1/events", true},
    {"GET", "/v1/openapi.json", true},
    {"GET", "/v1/site", true},
    {"GET", "/v1/taxonomy", true},
    {"GET", "/healthz", true},
    {"GET", "/metrics", true},
    {"GET", "/", false},
    {"GET", "/app.js", false},
    {"GET", "/i18n.js", false},
    {"GET", "/style.css", false},
    {"GET", "/articles/{id}", false},
    {"GET", "/search", false},
    {"GET", "/site/logo", false},
    {"GET", "/favicon.ico", false},
};

/// True when `path` (a request path) fits `route_path` (a template).
inline bool path_matches(std::string_view route_path, std::string_view path) {
  while (!route_path.empty()) {
    const std::size_t brace = route_path.find('{');
    if (brace == std::string_view::npos) return route_path == path;
    if (path.substr(0, brace) != route_path.substr(0, brace)) return false;
    path.remove_prefix(brace);
    route_path.remove_prefix(route_path.find('}') + 1);
    const std::size_t segment_end = path.find('/');
    const std::size_t segment = segment_end == std::string_view::npos ? path.size() : segment_end;
    if (segment == 0) return false;
    path.remove_prefix(segment);
  }
  return path.empty();
}

/// The route template `path` fits ("/v1/articles/{id}"), whatever the method; nullopt for none.
inline std::optional<std::string_view> route_of(std::string_view path) {
  for (const Route& r : kRoutes)
    if (path_matches(r.path, path)) return r.path;
  return std::nullopt;
}

/// True when the route template `route_path` takes `method` (HEAD where it takes GET).
inline bool method_allowed(std::string_view route_path, std::string_view method) {
  for (const Route& r : kRoutes)
    if (r.path == route_path && (r.method == method || (r.method == "GET" && method == "HEAD"))) return true;
  return method == "OPTIONS";
}

/// The `Allow` header of a route template: its methods, HEAD beside GET, and OPTIONS (CORS
/// preflights are answered on every path).
inline std::string allowed_methods(std::string_view route_path) {
  std::string out;
  for (const Route& r : kRoutes) {
    if (r.path != route_path) continue;
    out += std::string(out.empty() ? "" : ", ") + std::string(r.method);
    if (r.method == "GET") out += ", HEAD";
  }
  return out + ", OPTIONS";
}

}  // namespace helpmark::cli::serve
