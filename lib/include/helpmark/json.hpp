// The documented JSON forms of helpmark's results, shared by the CLI (--json), the C API
// (hm_search_json) and the HTTP server, so every surface prints the same schema.
#pragma once

#include <string>
#include <vector>

#include "helpmark/article.hpp"
#include "helpmark/index.hpp"
#include "helpmark/indexer.hpp"
#include "helpmark/status.hpp"

namespace helpmark::json {

/// {"query", "locale", "total", "offset", "limit", "hits": [...], "facets": {...}}.
std::string search_response(const SearchRequest& request, const SearchResponse& response);
/// Every parsed field of an article, sections included.
std::string article(const Article& article);
/// {"added", "updated", "removed", "unchanged", "skipped", "total", "seconds", "diagnostics"}.
std::string index_report(const IndexReport& report);
/// [{"severity", "path", "line", "message"}, ...].
std::string diagnostics(const std::vector<Diagnostic>& diagnostics);
/// {"error": {"code", "message"}}.
std::string error(const Status& status);

}  // namespace helpmark::json
