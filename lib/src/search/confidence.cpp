#include "search/confidence.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace helpmark::search {

const std::vector<std::string>& feature_names() {
  static const std::vector<std::string> kNames = {
      "coverage",        // share of query words the article matches
      "title_coverage",  // share of query words in its title (agreement between fields)
      "top_norm",        // its weight over the query's maximum possible weight
      "gap",             // (first - second) / maximum possible weight: how clearly it wins
      "corrected",       // 1 when spelling correction was needed
      "synonym",         // 1 when a synonym expansion was applied
      "inv_words",       // 1 / number of query words: short queries say less
      "model",           // the lexical model's score (-1 when no model knows the article)
      "model_margin",    // its lead over the best model score of the other candidates
      "agree",           // 1 when it is both Xapian's and the model's first choice
  };
  return kNames;
}

namespace {

// The share of `words` whose stems appear in `stems`.
double share_matched(const std::vector<QueryWord>& words, const std::set<std::string>& stems,
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

std::map<std::string, double> answer_features(const AnswerEvidence& e, std::vector<std::string>* matched,
                                              std::vector<std::string>* unmatched) {
  const auto& candidates = *e.candidates;
  const Candidate& hit = candidates[e.index];
  std::map<std::string, double> f;
  f["coverage"] = share_matched(*e.words, *e.matched_stems, matched, unmatched);
  // Agreement between fields: the title alone carries the question's words.
  f["title_coverage"] = share_matched(*e.words, *e.title_stems, nullptr, nullptr);
  f["top_norm"] = e.max_possible > 0 ? hit.xapian / e.max_possible : 0;
  // Measured against the most the query could score, not against the hit's own weight: a lone
  // hit matching one incidental word must not look like a clear winner.
  const double next = e.index + 1 < candidates.size() ? candidates[e.index + 1].xapian : 0;
  const double prev = e.index > 0 ? candidates[e.index - 1].xapian : hit.xapian;
  f["gap"] = e.max_possible > 0 ? (e.index == 0 ? hit.xapian - next : hit.xapian - prev) / e.max_possible : 0;
  f["corrected"] = e.corrected ? 1 : 0;
  f["synonym"] = e.synonym ? 1 : 0;
  f["inv_words"] = 1.0 / static_cast<double>(std::max<std::size_t>(1, e.words->size()));
  const double own = hit.model.value_or(-1.0);
  double best_other = -1.0;
  bool model_first = hit.model.has_value();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i == e.index || !candidates[i].model) continue;
    best_other = std::max(best_other, *candidates[i].model);
    if (*candidates[i].model > own) model_first = false;
  }
  f["model"] = own;
  f["model_margin"] = hit.model ? own - best_other : 0;
  f["agree"] = model_first && hit.xapian_rank == 0 ? 1 : 0;
  return f;
}

double predict(const AnswerModel& model, const std::map<std::string, double>& features, bool model_scored) {
  const std::vector<double>& weights =
      model_scored || model.weights_without_model.empty() ? model.weights : model.weights_without_model;
  double z = weights.empty() ? 0 : weights[0];
  for (std::size_t i = 0; i < model.features.size() && i + 1 < weights.size(); ++i) {
    auto it = features.find(model.features[i]);
    if (it != features.end()) z += weights[i + 1] * it->second;
  }
  return 1.0 / (1.0 + std::exp(-z));
}

std::string model_to_json(const AnswerModel& model) {
  nlohmann::json j = {{"features", model.features},
                      {"weights", model.weights},
                      {"threshold", model.threshold},
                      {"fitted_on", model.fitted_on},
                      {"source", model.source}};
  if (!model.weights_without_model.empty()) {
    j["weights_without_model"] = model.weights_without_model;
    j["threshold_without_model"] = model.threshold_without_model;
  }
  return j.dump();
}

std::optional<AnswerModel> model_from_json(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    AnswerModel m;
    m.features = j.value("features", std::vector<std::string>{});
    m.weights = j.value("weights", std::vector<double>{});
    m.threshold = j.value("threshold", 0.5);
    m.fitted_on = j.value("fitted_on", std::string());
    // Models stored before `source` existed came from `helpmark calibrate`.
    m.source = j.value("source", std::string("calibrate"));
    m.weights_without_model = j.value("weights_without_model", std::vector<double>{});
    m.threshold_without_model = j.value("threshold_without_model", 0.5);
    if (m.weights.size() != m.features.size() + 1) return std::nullopt;
    if (!m.weights_without_model.empty() && m.weights_without_model.size() != m.weights.size()) return std::nullopt;
    return m;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

double answer_accuracy(const AnswerModel& model, const std::vector<TrainingExample>& examples) {
  double right = 0, total = 0;
  for (const auto& e : examples) {
    const bool escalate = predict(model, e.features, e.model_scored) < model.threshold_for(e.model_scored);
    right += (escalate ? !e.in_scope : (e.in_scope && e.top_is_right)) ? e.weight : 0.0;
    total += e.weight;
  }
  return total > 0 ? right / total : 0;
}

namespace {

// Weights and threshold fitted on one group of examples (see fit_model).
AnswerModel fit_one(const std::vector<TrainingExample>& examples) {
  AnswerModel model = AnswerModel::defaults();
  const auto& names = feature_names();
  const std::size_t d = names.size() + 1;
  std::vector<std::vector<double>> x;
  std::vector<double> y, weight;
  for (const auto& e : examples) {
    weight.push_back(e.weight);
    std::vector<double> row(d, 0.0);
    row[0] = 1.0;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (auto it = e.features.find(names[i]); it != e.features.end()) row[i + 1] = it->second;
    x.push_back(std::move(row));
    y.push_back(e.top_is_right ? 1.0 : 0.0);
  }
  if (x.empty()) return model;

  // Newton's method (IRLS) with a small ridge: converges in a few steps for a handful of features.
  // From zero, not from the defaults: Newton's method is stable from there, whatever the data.
  std::vector<double> w(d, 0.0);
  const double lambda = 1e-2;
  for (int iter = 0; iter < 50; ++iter) {
    std::vector<double> grad(d, 0.0);
    std::vector<std::vector<double>> hess(d, std::vector<double>(d, 0.0));
    for (std::size_t n = 0; n < x.size(); ++n) {
      double z = 0;
      for (std::size_t i = 0; i < d; ++i) z += w[i] * x[n][i];
      const double p = 1.0 / (1.0 + std::exp(-z));
      for (std::size_t i = 0; i < d; ++i) {
        grad[i] += weight[n] * (p - y[n]) * x[n][i];
        for (std::size_t j = 0; j < d; ++j) hess[i][j] += weight[n] * p * (1 - p) * x[n][i] * x[n][j];
      }
    }
    for (std::size_t i = 1; i < d; ++i) {
      grad[i] += lambda * w[i];
      hess[i][i] += lambda;
    }
    for (std::size_t i = 0; i < d; ++i) hess[i][i] += 1e-9;
    // Solve hess * step = grad by Gaussian elimination with partial pivoting.
    std::vector<std::vector<double>> a = hess;
    std::vector<double> b = grad;
    for (std::size_t c = 0; c < d; ++c) {
      std::size_t pivot = c;
      for (std::size_t r = c + 1; r < d; ++r)
        if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
      std::swap(a[c], a[pivot]);
      std::swap(b[c], b[pivot]);
      if (std::fabs(a[c][c]) < 1e-12) continue;
      for (std::size_t r = c + 1; r < d; ++r) {
        const double factor = a[r][c] / a[c][c];
        for (std::size_t k = c; k < d; ++k) a[r][k] -= factor * a[c][k];
        b[r] -= factor * b[c];
      }
    }
    std::vector<double> step(d, 0.0);
    for (std::size_t c = d; c-- > 0;) {
      if (std::fabs(a[c][c]) < 1e-12) continue;
      double sum = b[c];
      for (std::size_t k = c + 1; k < d; ++k) sum -= a[c][k] * step[k];
      step[c] = sum / a[c][c];
    }
    double change = 0;
    for (std::size_t i = 0; i < d; ++i) {
      w[i] -= step[i];
      change = std::max(change, std::fabs(step[i]));
    }
    if (change < 1e-7) break;
  }
  model.weights = w;

  // Threshold: the midpoint of the best run of candidate cut points.
  std::vector<double> scores;
  for (const auto& e : examples) scores.push_back(predict(model, e.features));
  std::vector<double> cuts = scores;
  cuts.push_back(0.0);
  cuts.push_back(1.0);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  double best_accuracy = -1, best_threshold = 0.5;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    model.threshold = (cuts[i] + cuts[i + 1]) / 2;
    const double acc = answer_accuracy(model, examples);
    if (acc > best_accuracy + 1e-12) {
      best_accuracy = acc;
      best_threshold = model.threshold;
    }
  }
  model.threshold = best_threshold;
  return model;
}

}  // namespace

AnswerModel fit_model(const std::vector<TrainingExample>& examples, const std::string& fitted_on) {
  std::vector<TrainingExample> scored, unscored;
  for (const auto& e : examples) {
    (e.model_scored ? scored : unscored).push_back(e);
    (e.model_scored ? scored : unscored).back().model_scored = true;  // fitted as one model
  }
  // Without both kinds, one set of weights serves every answer.
  AnswerModel model = fit_one(scored.empty() || unscored.empty() ? examples : scored);
  if (!scored.empty() && !unscored.empty()) {
    const AnswerModel without = fit_one(unscored);
    model.weights_without_model = without.weights;
    model.threshold_without_model = without.threshold;
  }
  model.fitted_on = fitted_on;
  return model;
}

}  // namespace helpmark::search

namespace helpmark {

AnswerModel AnswerModel::defaults() {
  AnswerModel m;
  m.features = search::feature_names();
  // Fitted with `helpmark calibrate` on clinc150-dev (3,100 queries, language-model ranking);
  // a site replaces them by calibrating on its own traffic.
  // The model features have no weight here: this is the fallback for a knowledge base with
  // too few questions to fit its own model (indexer/tuning), where there is no model either.
  m.weights = {-0.355, -0.709, 0.343, 4.949, 18.877, -1.651, 0.0, -5.385, 0.0, 0.0, 0.0};
  m.threshold = 0.246;
  m.fitted_on = "defaults (fitted on clinc150-dev, before the lexical model)";
  return m;
}

}  // namespace helpmark
