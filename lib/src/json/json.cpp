#include "helpmark/json.hpp"

#include <nlohmann/json.hpp>

#include "index/schema.hpp"

namespace helpmark::json {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

std::string dump(const ordered_json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

ordered_json diagnostics_json(const std::vector<Diagnostic>& diagnostics) {
  ordered_json out = ordered_json::array();
  for (const auto& d : diagnostics)
    out.push_back({{"severity", d.severity == Severity::kError ? "error" : "warning"},
                   {"path", d.path},
                   {"line", d.line},
                   {"message", d.message}});
  return out;
}

}  // namespace

std::string search_response(const SearchRequest& request, const SearchResponse& response) {
  ordered_json hits = ordered_json::array();
  for (const auto& h : response.hits)
    hits.push_back({{"id", h.id}, {"title", h.title}, {"summary", h.summary}, {"snippet", h.snippet},
                    {"score", h.score}, {"journey", h.journey}, {"subtopic", h.subtopic},
                    {"locale", h.locale}, {"audience", h.audience}, {"tags", h.tags},
                    {"path", h.path}, {"updated", h.updated}, {"translation_group", h.translation_group}});
  ordered_json facets = ordered_json::object();
  for (const auto& [field, counts] : response.facets) {
    ordered_json list = ordered_json::array();
    for (const auto& c : counts) list.push_back({{"value", c.value}, {"count", c.count}});
    facets[field] = list;
  }
  ordered_json corrections = ordered_json::array();
  for (const auto& c : response.corrections) corrections.push_back({{"from", c.from}, {"to", c.to}});
  ordered_json synonyms = ordered_json::array();
  for (const auto& s : response.synonyms) synonyms.push_back({{"phrase", s.phrase}, {"expansions", s.expansions}});
  ordered_json out = {{"query", request.query},
                      {"locale", request.locale},
                      {"locales", response.locales},
                      {"total", response.total},
                      {"offset", request.offset},
                      {"limit", request.limit},
                      {"corrected_query", response.corrected_query.empty() ? ordered_json(nullptr)
                                                                           : ordered_json(response.corrected_query)},
                      {"auto_corrected", response.auto_corrected},
                      {"corrections", corrections},
                      {"synonyms", synonyms},
                      {"hits", hits},
                      {"facets", facets}};
  return dump(out);
}

std::string article(const Article& a) {
  // The stored form is already the complete article; reorder it for readers.
  json stored = json::parse(schema::encode_article(a));
  ordered_json out;
  for (const char* key : {"id", "title", "journey", "subtopic", "locale", "audience", "status",
                          "summary", "tags", "questions", "related", "owner", "reviewed",
                          "review_every", "translation_of", "path", "updated", "content_hash",
                          "sections", "links", "images"})
    out[key] = stored[key];
  return dump(out);
}

std::string index_report(const IndexReport& r) {
  ordered_json out = {{"added", r.added},         {"updated", r.updated}, {"removed", r.removed},
                      {"unchanged", r.unchanged}, {"skipped", r.skipped}, {"total", r.total},
                      {"seconds", r.seconds},     {"diagnostics", diagnostics_json(r.diagnostics)}};
  return dump(out);
}

std::string diagnostics(const std::vector<Diagnostic>& d) { return dump(diagnostics_json(d)); }

std::string error(const Status& status) {
  ordered_json out = {{"error", {{"code", error_code_name(status.code())}, {"message", status.message()}}}};
  return dump(out);
}

}  // namespace helpmark::json
