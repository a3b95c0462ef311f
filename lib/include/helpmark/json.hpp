// The documented JSON forms of helpmark's results, shared by the CLI (--json), the C API
// (hm_search_json) and the HTTP server, so every surface prints the same schema.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "helpmark/answer.hpp"
#include "helpmark/article.hpp"
#include "helpmark/eval.hpp"
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
/// {"id", "title", "confidence", "escalate", "threshold", "steps": {...}, "alternatives", "explanation"}.
std::string answer(const std::string& question, const Answer& answer);
/// {"prefix", "suggestions": [{"text", "kind", "article_id"}]}.
std::string suggestions(const std::string& prefix, const std::vector<Suggestion>& suggestions);
/// {"recall@1", "recall@3", "recall@10", "mrr", "ndcg@10", "answer": {...}, "latency_ms": {...}}.
std::string eval_report(const EvalReport& report);
/// {"articles", "schema", "ranking": {...}, "models": [...], "answer_model": {...}}.
std::string index_stats(const IndexStats& stats);
/// {"error": {"code", "message"}}.
std::string error(const Status& status);

/// Deepest nesting of arrays and objects accepted in JSON read from outside (event bodies,
/// eval files, the C API). nlohmann's parser is iterative, but printing a value recurses once
/// per level: 200 KB of '[' would overflow the stack. Events nest 3 levels.
inline constexpr std::size_t kMaxInputDepth = 64;

/// Ok when `text` nests arrays and objects no deeper than `max_depth` (strings are skipped, so
/// brackets inside them do not count); kInvalidInput naming the byte offset otherwise. A scan,
/// not a parse: run it before parsing untrusted JSON. Thread-safe.
Status check_nesting(std::string_view text, std::size_t max_depth = kMaxInputDepth);

}  // namespace helpmark::json
