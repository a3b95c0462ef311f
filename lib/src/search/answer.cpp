#include "helpmark/answer.hpp"

#include <xapian.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "helpmark/learning.hpp"
#include "index/schema.hpp"
#include "index/storage.hpp"
#include "search/confidence.hpp"
#include "search/index_impl.hpp"

namespace helpmark {
namespace {

// How much a confidence shrinks when the answer's matched words all came from spelling
// correction: enough to put a usual answer below any fitted threshold.
constexpr double kCorrectedOnlyFactor = 0.5;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
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
  answer.threshold = options.threshold.value_or(model.threshold);  // the top answer's, below
  answer.explanation.corrections = ranked.auto_corrected ? ranked.corrections : std::vector<Correction>{};
  answer.explanation.synonyms = ranked.prepared.synonyms;
  if (ranked.hits.empty() || ranked.prepared.browse) {
    answer.escalate = true;
    for (const auto& w : ranked.prepared.words) answer.explanation.unmatched_terms.push_back(w.used);
    return answer;
  }

  // Features of a hit, relative to the others (hits are the first candidates, in order).
  auto features_of = [&](std::size_t i, AnswerExplanation* explain) {
    const RankedHit& hit = ranked.hits[i];
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
    search::AnswerEvidence e;
    e.words = &ranked.prepared.words;
    e.candidates = &ranked.candidates;
    e.index = i;
    e.matched_stems = &hit.matched_stems;
    e.title_stems = &title_stems;
    e.max_possible = ranked.max_possible;
    e.corrected = ranked.auto_corrected;
    e.synonym = !ranked.prepared.synonyms.empty();
    return search::answer_features(e, explain ? &explain->matched_terms : nullptr,
                                   explain ? &explain->unmatched_terms : nullptr);
  };
  // A match that rests only on words spelling correction put there ("weather in paris" made
  // "whether in parts") is weak evidence, whatever the scores say.
  auto rests_on_corrections = [&](const RankedHit& hit) {
    if (ranked.corrections.empty() || !ranked.auto_corrected) return false;
    bool any = false;
    for (const auto& w : ranked.prepared.words) {
      const bool matched = std::any_of(w.stems.begin(), w.stems.end(), [&](const std::string& st) { return hit.matched_stems.count(st) > 0; });
      if (matched && w.used == w.typed) return false;
      any = any || matched;
    }
    return any;
  };
  auto confidence_of = [&](std::size_t i, const std::map<std::string, double>& features) {
    const double c = search::predict(model, features, ranked.hits[i].hit.has_model_score);
    return rests_on_corrections(ranked.hits[i]) ? c * kCorrectedOnlyFactor : c;
  };

  const Article best = schema::stored_article(handle->db.get_document(ranked.hits[0].docid));
  answer.found = true;
  answer.explanation.features = features_of(0, &answer.explanation);
  answer.confidence = confidence_of(0, answer.explanation.features);
  answer.score = ranked.hits[0].hit.score;
  answer.xapian_score = ranked.hits[0].hit.xapian_score;
  answer.model_score = ranked.hits[0].hit.model_score;
  answer.has_model_score = ranked.hits[0].hit.has_model_score;
  answer.threshold = options.threshold.value_or(model.threshold_for(answer.has_model_score));
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
    answer.alternatives.push_back({h.id, h.title, h.locale, confidence_of(i, features_of(i, nullptr)), h.score,
                                   h.xapian_score, h.model_score, h.has_model_score});
  }
  return answer;
}

namespace {

// Fits the answer model on `examples`, reports it against the stored one and (when `write`)
// stores it in the index.
Result<CalibrationReport> fit_and_store(const std::filesystem::path& index_dir,
                                        const std::vector<search::TrainingExample>& examples,
                                        const std::string& fitted_on, bool write) {
  const bool all_scored =
      std::all_of(examples.begin(), examples.end(), [](const auto& e) { return e.model_scored; });
  CalibrationReport report;
  report.queries = examples.size();
  AnswerModel before = AnswerModel::defaults();
  {
    auto db = storage::open_for_reading(index_dir);
    if (!db.ok()) return db.status();
    before = search::model_from_json(db->get_metadata(schema::kMetaAnswerModel)).value_or(AnswerModel::defaults());
    report.accuracy_before = search::answer_accuracy(before, examples);
  }
  report.model = search::fit_model(examples, fitted_on);
  report.model.source = "calibrate";
  // Traffic the lexical model scored says nothing about answers without it (the model layer
  // off): for those, the weights fitted when indexing stay.
  if (all_scored && before.features == report.model.features) {
    report.model.weights_without_model = before.weights_without_model;
    report.model.threshold_without_model = before.threshold_without_model;
  }
  report.accuracy = search::answer_accuracy(report.model, examples);
  if (write) {
    auto db = storage::open_for_writing(index_dir);
    if (!db.ok()) return db.status();
    try {
      db->set_metadata(schema::kMetaAnswerModel, search::model_to_json(report.model));
      db->commit();
    } catch (const Xapian::Error& e) {
      return Status(ErrorCode::kIoError, "writing the model failed: " + e.get_description());
    }
  }
  return report;
}

// A labelled answer: what the confidence model learns from.
search::TrainingExample labelled(const Answer& answer, bool in_scope, bool top_is_right) {
  search::TrainingExample e;
  e.features = answer.explanation.features;
  e.in_scope = in_scope;
  e.top_is_right = top_is_right;
  e.model_scored = answer.has_model_score;
  return e;
}

}  // namespace

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
    examples.push_back(labelled(a.value(), !q.gold.empty(),
                                a->found && std::find(q.gold.begin(), q.gold.end(), a->id) != q.gold.end()));
  }
  return fit_and_store(index_dir, examples, name + " (" + std::to_string(queries.size()) + " queries)", write);
}

Result<CalibrationReport> learning::calibrate_from_outcomes(const std::filesystem::path& index_dir,
                                                            const std::vector<AnswerOutcome>& outcomes,
                                                            const std::string& name, bool write,
                                                            std::size_t min_outcomes, std::size_t* used) {
  auto index = Index::open(index_dir);
  if (!index.ok()) return index.status();
  std::vector<search::TrainingExample> examples;
  AnswerOptions options;
  options.alternatives = 1;
  for (const auto& o : outcomes) {
    auto a = index->answer(o.question, o.locale, options);
    if (!a.ok()) {
      if (a.status().code() == ErrorCode::kInvalidArgument) continue;  // a locale the index lacks
      return a.status();
    }
    const bool same = a->found && a->id == o.article;
    // Answered well: the article is right. Turned down or followed by a ticket: answering with
    // that article was wrong and handing over was right; about another article it says nothing.
    if (!o.good && !same) continue;
    examples.push_back(labelled(a.value(), o.good, o.good && same));
  }
  if (used) *used = examples.size();
  if (examples.size() < std::max<std::size_t>(1, min_outcomes))
    return Status(ErrorCode::kInvalidInput,
                  "only " + std::to_string(examples.size()) + " bot answers with a usable outcome (need " +
                      std::to_string(min_outcomes) +
                      "); record bot_answer events with `accepted` and the tickets that follow, or lower --min-outcomes");
  // A threshold sits between answers that worked and answers that did not: with (nearly) only
  // one kind there is nothing to place it by.
  const auto right = static_cast<std::size_t>(
      std::count_if(examples.begin(), examples.end(), [](const auto& e) { return e.top_is_right; }));
  const std::size_t wrong = examples.size() - right;
  if (std::min(right, wrong) < std::max<std::size_t>(5, examples.size() / 20))
    return Status(ErrorCode::kInvalidInput,
                  std::to_string(right) + " of the " + std::to_string(examples.size()) +
                      " usable outcomes are right answers and " + std::to_string(wrong) +
                      " wrong ones; calibrating needs both (at least 5 and 5 % of each): record tickets "
                      "after answers and `accepted: false`, or wait for more traffic");
  return fit_and_store(index_dir, examples, name + " (" + std::to_string(examples.size()) + " answer outcomes)",
                       write);
}

}  // namespace helpmark
