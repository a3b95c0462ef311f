#include "helpmark/json.hpp"

#include <nlohmann/json.hpp>

#include "index/schema.hpp"
#include "util/locale_tag.hpp"

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
                    {"score", h.score}, {"xapian_score", h.xapian_score},
                    {"model_score", h.has_model_score ? ordered_json(h.model_score) : ordered_json(nullptr)},
                    {"journey", h.journey}, {"subtopic", h.subtopic},
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
                      {"locale", locale_tag::canonical(request.locale).value_or(request.locale)},
                      {"locales", response.locales},
                      {"total", response.total},
                      {"offset", request.offset},
                      {"limit", request.limit},
                      {"corrected_query", response.corrected_query.empty() ? ordered_json(nullptr)
                                                                           : ordered_json(response.corrected_query)},
                      {"auto_corrected", response.auto_corrected},
                      {"corrections", corrections},
                      {"synonyms", synonyms},
                      {"ranking", {{"weighting", response.ranking.weighting},
                                   {"model_weight", response.ranking.model_weight},
                                   {"chosen_by", response.ranking.chosen_by}}},
                      {"hits", hits},
                      {"facets", facets}};
  if (!response.notice.empty()) out["notice"] = response.notice;
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
  ordered_json models = ordered_json::array();
  for (const auto& m : r.models) {
    ordered_json j = {{"locale", m.locale}, {"present", m.present}, {"trained", m.trained},
                      {"articles", m.articles}, {"examples", m.examples}, {"features", m.features},
                      {"weights", m.weights}, {"bytes", m.bytes}, {"seconds", m.seconds}};
    if (!m.note.empty()) j["note"] = m.note;
    models.push_back(std::move(j));
  }
  ordered_json out = {{"added", r.added},         {"updated", r.updated}, {"removed", r.removed},
                      {"unchanged", r.unchanged}, {"skipped", r.skipped}, {"total", r.total},
                      {"seconds", r.seconds},     {"ranking", r.ranking}, {"models", models},
                      {"notices", r.notices},
                      {"phase_seconds", r.phase_seconds},
                      {"diagnostics", diagnostics_json(r.diagnostics)}};
  return dump(out);
}

std::string answer(const std::string& question, const Answer& a) {
  ordered_json alternatives = ordered_json::array();
  for (const auto& c : a.alternatives)
    alternatives.push_back({{"id", c.id}, {"title", c.title}, {"locale", c.locale}, {"confidence", c.confidence},
                            {"score", c.score}, {"xapian_score", c.xapian_score},
                            {"model_score", c.has_model_score ? ordered_json(c.model_score) : ordered_json(nullptr)}});
  ordered_json corrections = ordered_json::array();
  for (const auto& c : a.explanation.corrections) corrections.push_back({{"from", c.from}, {"to", c.to}});
  ordered_json synonyms = ordered_json::array();
  for (const auto& s : a.explanation.synonyms) synonyms.push_back({{"phrase", s.phrase}, {"expansions", s.expansions}});
  ordered_json features = ordered_json::object();
  for (const auto& [k, v] : a.explanation.features) features[k] = v;
  ordered_json out = {
      {"question", question},
      {"found", a.found},
      {"escalate", a.escalate},
      {"confidence", a.confidence},
      {"threshold", a.threshold},
      {"score", a.score},
      {"xapian_score", a.xapian_score},
      {"model_score", a.has_model_score ? ordered_json(a.model_score) : ordered_json(nullptr)},
      {"id", a.found ? ordered_json(a.id) : ordered_json(nullptr)},
      {"title", a.title},
      {"summary", a.summary},
      {"locale", a.locale},
      {"link", a.link},
      {"path", a.path},
      {"steps", {{"text", a.steps_text}, {"markdown", a.steps_markdown}}},
      {"troubleshooting", {{"text", a.troubleshooting_text}, {"markdown", a.troubleshooting_markdown}}},
      {"alternatives", alternatives},
      {"explanation",
       {{"matched_terms", a.explanation.matched_terms},
        {"unmatched_terms", a.explanation.unmatched_terms},
        {"corrections", corrections},
        {"synonyms", synonyms},
        {"features", features}}}};
  return dump(out);
}

std::string suggestions(const std::string& prefix, const std::vector<Suggestion>& list) {
  ordered_json items = ordered_json::array();
  for (const auto& s : list)
    items.push_back({{"text", s.text}, {"kind", s.kind},
                     {"article_id", s.article_id.empty() ? ordered_json(nullptr) : ordered_json(s.article_id)}});
  return dump(ordered_json{{"prefix", prefix}, {"suggestions", items}});
}

namespace {

ordered_json ranking_json(const IndexStats::Ranking& r) {
  ordered_json out = {{"fields", r.fields}, {"weighting", r.weighting}, {"model_weight", r.model_weight},
                      {"chosen_by", r.chosen_by}};
  if (!r.tuning_json.empty()) {
    auto t = ordered_json::parse(r.tuning_json, nullptr, false);
    if (!t.is_discarded()) out["tuning"] = std::move(t);
  }
  return out;
}

ordered_json models_json(const std::vector<IndexStats::Model>& models) {
  ordered_json out = ordered_json::array();
  for (const auto& m : models) {
    ordered_json j = {{"locale", m.locale}, {"articles", m.articles}, {"features", m.features},
                      {"weights", m.weights}, {"bytes", m.bytes}};
    if (!m.error.empty()) j["error"] = m.error;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

std::string index_stats(const IndexStats& s) {
  ordered_json out = {{"articles", s.articles},
                      {"schema", s.schema},
                      {"default_locale", s.default_locale},
                      {"ranking", ranking_json(s.ranking)},
                      {"models", models_json(s.models)},
                      {"answer_model",
                       {{"source", s.answer_model.source},
                        {"fitted_on", s.answer_model.fitted_on},
                        {"threshold", s.answer_model.threshold},
                        {"features", s.answer_model.features},
                        {"weights", s.answer_model.weights}}}};
  return dump(out);
}

std::string eval_report(const EvalReport& r) {
  ordered_json misses = ordered_json::array();
  for (const auto& m : r.misses)
    misses.push_back({{"qid", m.qid}, {"query", m.query}, {"gold", m.gold}, {"got", m.got}});
  ordered_json out = {
      {"articles", r.articles},
      {"queries", r.queries},
      {"in_scope", r.in_scope},
      {"out_of_scope", r.out_of_scope},
      {"layers", r.layers},
      {"ranking", ranking_json(r.ranking)},
      {"models", models_json(r.models)},
      {"recall@1", r.recall_at_1},
      {"recall@3", r.recall_at_3},
      {"recall@10", r.recall_at_10},
      {"mrr", r.mrr},
      {"ndcg@10", r.ndcg_at_10},
      {"answer",
       {{"accuracy", r.answer_accuracy},
        {"escalation_precision", r.escalation_precision},
        {"escalation_recall", r.escalation_recall},
        {"threshold", r.threshold},
        {"model", r.model}}},
      {"latency_ms",
       {{"search_p50", r.search_p50_ms}, {"search_p95", r.search_p95_ms}, {"search_p99", r.search_p99_ms},
        {"answer_p50", r.answer_p50_ms}, {"answer_p95", r.answer_p95_ms}, {"answer_p99", r.answer_p99_ms}}},
      {"misses", misses},
      {"diagnostics", diagnostics_json(r.diagnostics)}};
  return dump(out);
}

std::string diagnostics(const std::vector<Diagnostic>& d) { return dump(diagnostics_json(d)); }

std::string error(const Status& status) {
  ordered_json out = {{"error", {{"code", error_code_name(status.code())}, {"message", status.message()}}}};
  return dump(out);
}

Status check_nesting(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        return Status(ErrorCode::kInvalidInput, "JSON nested deeper than " + std::to_string(max_depth) +
                                                    " levels at byte " + std::to_string(i) +
                                                    "; events and requests need only a few");
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return Status::Ok();
}

}  // namespace helpmark::json
