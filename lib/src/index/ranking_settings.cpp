#include "index/ranking_settings.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace helpmark {

using nlohmann::json;

namespace {
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace

std::string RankingSettings::fields_key() const {
  return std::to_string(fields.title) + "." + std::to_string(fields.questions) + "." +
         std::to_string(fields.summary) + "." + std::to_string(fields.tags) + "." +
         std::to_string(fields.headings) + "." + std::to_string(fields.body);
}

std::string RankingSettings::weighting_name() const {
  if (weighting == Weighting::kBm25) return "bm25(" + number(bm25_k1) + "," + number(bm25_b) + ")";
  return "lm(" + number(lm_lambda) + ")";
}

bool RankingSettings::same_ranking(const RankingSettings& o) const {
  return fields_key() == o.fields_key() && weighting_name() == o.weighting_name() && model_weight == o.model_weight;
}

std::string RankingSettings::to_json() const {
  json j = {{"fields",
             {{"title", fields.title}, {"questions", fields.questions}, {"summary", fields.summary},
              {"tags", fields.tags}, {"headings", fields.headings}, {"body", fields.body}}},
            {"weighting", weighting == Weighting::kBm25 ? "bm25" : "lm"},
            {"lm_lambda", lm_lambda},
            {"bm25_k1", bm25_k1},
            {"bm25_b", bm25_b},
            {"model_weight", model_weight},
            {"chosen_by", chosen_by}};
  if (!tuning_json.empty()) {
    json t = json::parse(tuning_json, nullptr, false);
    if (!t.is_discarded()) j["tuning"] = std::move(t);
  }
  return j.dump();
}

RankingSettings RankingSettings::from_json(std::string_view text) {
  RankingSettings s;
  if (text.empty()) return s;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return s;
  try {
    if (auto f = j.find("fields"); f != j.end() && f->is_object()) {
      s.fields.title = f->value("title", s.fields.title);
      s.fields.questions = f->value("questions", s.fields.questions);
      s.fields.summary = f->value("summary", s.fields.summary);
      s.fields.tags = f->value("tags", s.fields.tags);
      s.fields.headings = f->value("headings", s.fields.headings);
      s.fields.body = f->value("body", s.fields.body);
    }
    s.weighting = j.value("weighting", "lm") == "bm25" ? Weighting::kBm25 : Weighting::kLanguageModel;
    s.lm_lambda = j.value("lm_lambda", s.lm_lambda);
    s.bm25_k1 = j.value("bm25_k1", s.bm25_k1);
    s.bm25_b = j.value("bm25_b", s.bm25_b);
    s.model_weight = j.value("model_weight", s.model_weight);
    s.chosen_by = j.value("chosen_by", s.chosen_by);
    if (auto t = j.find("tuning"); t != j.end()) s.tuning_json = t->dump();
  } catch (const json::exception&) {
    return RankingSettings();
  }
  return s;
}

std::unique_ptr<Xapian::Weight> make_weight(const RankingSettings& s) {
  if (s.weighting == RankingSettings::Weighting::kBm25)
    return std::make_unique<Xapian::BM25Weight>(s.bm25_k1, 0, 1, s.bm25_b, 0.5);
  return std::make_unique<Xapian::LMWeight>(0.0, Xapian::Weight::JELINEK_MERCER_SMOOTHING, s.lm_lambda, 0.0);
}

}  // namespace helpmark
