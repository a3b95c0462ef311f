#include "helpmark/answer.hpp"

#include <xapian.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "index/schema.hpp"
#include "index/storage.hpp"
#include "search/confidence.hpp"
#include "search/index_impl.hpp"

namespace helpmark {
namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

// The share of `words` whose stems appear in `stems`.
double share_matched(const std::vector<search::QueryWord>& words, const std::set<std::string>& stems,
                     std::vector<std::string>* matched, std::vector<std::string>* unmatched) {
  if (words.empty()) return 0;
  std::size_t hits = 0;
  for (const auto& w : words) {
    bool found = std::any_of(w.stems.begin(), w.stems.end(), [&](const std::string& s) { return stems.count(s) > 0; });
    hits += found;
    if (found && matched) matched->push_back(w.used);
    if (!found && unmatched) unmatched->push_back(w.used);
  }
  return static_cast<double>(hits) / static_cast<double>(words.size());
}

}  // namespace

Result<Answer> Index::Impl::answer(const std::string& question, const std::string& locale,
                                   const AnswerOptions& options) {
  if (Status s = check_query_text(question); !s.ok()) return s;
  if (options.alternatives > 50) return Status(ErrorCode::kInvalidArgument, "at most 50 alternatives");
  if (options.threshold && !(*options.threshold >= 0.0 && *options.threshold <= 1.0))  // NaN too
    return Status(ErrorCode::kInvalidArgument, "threshold must be a number from 0 to 1");
  auto handle = lease();
  auto snap = snapshot();
  RankRequest rr;
  rr.query = question;
  rr.locale = locale;
  rr.filters = options.filters;
  rr.layers = options.layers;
  rr.limit = options.alternatives + 1;
  rr.matched_stems = true;
  Ranked ranked = rank(*handle, *snap, rr);

  Answer answer;
  const AnswerModel& model = snap->model;
  answer.threshold = options.threshold.value_or(model.threshold);
  answer.explanation.corrections = ranked.auto_corrected ? ranked.corrections : std::vector<Correction>{};
  answer.explanation.synonyms = ranked.prepared.synonyms;
  if (ranked.hits.empty() || ranked.prepared.browse) {
    answer.escalate = true;
    for (const auto& w : ranked.prepared.words) answer.explanation.unmatched_terms.push_back(w.used);
    return answer;
  }

  // Features of a hit, relative to the others.
  auto features_of = [&](std::size_t i, AnswerExplanation* explain) {
    const RankedHit& hit = ranked.hits[i];
    std::map<std::string, double> f;
    f["coverage"] = share_matched(ranked.prepared.words, hit.matched_stems,
                                  explain ? &explain->matched_terms : nullptr,
                                  explain ? &explain->unmatched_terms : nullptr);
    // Agreement between fields: the title alone carries the question's words.
    std::vector<analysis::Token> tokens;
    analysis::Analyzer& an = analyzer(*handle, *snap, hit.hit.locale);
    an.tokenize(hit.hit.title, tokens);
    std::set<std::string> title_stems;
    std::vector<std::string> stems;
    for (const auto& t : tokens) {
      stems.clear();
      an.stems(t, stems);
      title_stems.insert(stems.begin(), stems.end());
    }
    f["title_coverage"] = share_matched(ranked.prepared.words, title_stems, nullptr, nullptr);
    f["top_norm"] = ranked.max_possible > 0 ? hit.weight / ranked.max_possible : 0;
    const double next = i + 1 < ranked.hits.size() ? ranked.hits[i + 1].weight : 0;
    const double prev = i > 0 ? ranked.hits[i - 1].weight : hit.weight;
    // Measured against the most the query could score, not against the hit's own weight: a lone
    // hit matching one incidental word must not look like a clear winner.
    f["gap"] = ranked.max_possible > 0 ? (i == 0 ? hit.weight - next : hit.weight - prev) / ranked.max_possible : 0;
    f["corrected"] = ranked.auto_corrected ? 1 : 0;
    f["synonym"] = ranked.prepared.synonyms.empty() ? 0 : 1;
    f["inv_words"] = 1.0 / static_cast<double>(std::max<std::size_t>(1, ranked.prepared.words.size()));
    return f;
  };

  const Article best = schema::stored_article(handle->db.get_document(ranked.hits[0].docid));
  answer.found = true;
  answer.explanation.features = features_of(0, &answer.explanation);
  answer.confidence = search::predict(model, answer.explanation.features);
  answer.escalate = answer.confidence < answer.threshold;
  answer.id = best.id;
  answer.title = best.title;
  answer.summary = best.summary;
  answer.locale = best.locale;
  answer.path = best.path;
  answer.link = replace_all(replace_all(options.link_template, "{id}", best.id), "{locale}", best.locale);
  if (const Section* s = best.section(SectionKind::kSteps)) {
    answer.steps_text = s->text;
    answer.steps_markdown = s->markdown;
  }
  if (const Section* s = best.section(SectionKind::kTroubleshooting)) {
    answer.troubleshooting_text = s->text;
    answer.troubleshooting_markdown = s->markdown;
  }
  for (std::size_t i = 1; i < ranked.hits.size(); ++i) {
    const Hit& h = ranked.hits[i].hit;
    answer.alternatives.push_back({h.id, h.title, h.locale, search::predict(model, features_of(i, nullptr))});
  }
  return answer;
}

Result<CalibrationReport> calibrate_answers(const std::filesystem::path& index_dir,
                                            const std::vector<LabelledQuery>& queries,
                                            const std::string& name, bool write) {
  if (queries.empty()) return Status(ErrorCode::kInvalidArgument, "no labelled queries to calibrate on");
  auto index = Index::open(index_dir);
  if (!index.ok()) return index.status();
  std::vector<search::TrainingExample> examples;
  AnswerOptions options;
  options.alternatives = 1;
  for (const auto& q : queries) {
    auto a = index->answer(q.query, q.locale, options);
    if (!a.ok()) return a.status();
    search::TrainingExample e;
    e.features = a->explanation.features;
    e.in_scope = !q.gold.empty();
    e.top_is_right = a->found && std::find(q.gold.begin(), q.gold.end(), a->id) != q.gold.end();
    examples.push_back(std::move(e));
  }
  CalibrationReport report;
  report.queries = queries.size();
  {
    auto db = storage::open_for_reading(index_dir);
    if (!db.ok()) return db.status();
    AnswerModel before = AnswerModel::defaults();
    auto j = nlohmann::json::parse(db->get_metadata(schema::kMetaAnswerModel), nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
      before.weights = j.value("weights", before.weights);
      before.threshold = j.value("threshold", before.threshold);
    }
    report.accuracy_before = search::answer_accuracy(before, examples);
  }
  report.model = search::fit_model(examples, name + " (" + std::to_string(queries.size()) + " queries)");
  report.accuracy = search::answer_accuracy(report.model, examples);
  if (write) {
    auto db = storage::open_for_writing(index_dir);
    if (!db.ok()) return db.status();
    nlohmann::json j = {{"features", report.model.features},
                        {"weights", report.model.weights},
                        {"threshold", report.model.threshold},
                        {"fitted_on", report.model.fitted_on}};
    try {
      db->set_metadata(schema::kMetaAnswerModel, j.dump());
      db->commit();
    } catch (const Xapian::Error& e) {
      return Status(ErrorCode::kIoError, "writing the model failed: " + e.get_description());
    }
  }
  return report;
}

}  // namespace helpmark
