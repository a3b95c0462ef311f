#include "search/confidence.hpp"

#include <algorithm>
#include <cmath>

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
  };
  return kNames;
}

double predict(const AnswerModel& model, const std::map<std::string, double>& features) {
  double z = model.weights.empty() ? 0 : model.weights[0];
  for (std::size_t i = 0; i < model.features.size() && i + 1 < model.weights.size(); ++i) {
    auto it = features.find(model.features[i]);
    if (it != features.end()) z += model.weights[i + 1] * it->second;
  }
  return 1.0 / (1.0 + std::exp(-z));
}

double answer_accuracy(const AnswerModel& model, const std::vector<TrainingExample>& examples) {
  if (examples.empty()) return 0;
  std::size_t right = 0;
  for (const auto& e : examples) {
    const bool escalate = predict(model, e.features) < model.threshold;
    right += escalate ? !e.in_scope : (e.in_scope && e.top_is_right);
  }
  return static_cast<double>(right) / static_cast<double>(examples.size());
}

AnswerModel fit_model(const std::vector<TrainingExample>& examples, const std::string& fitted_on) {
  AnswerModel model = AnswerModel::defaults();
  model.fitted_on = fitted_on;
  const auto& names = feature_names();
  const std::size_t d = names.size() + 1;
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  for (const auto& e : examples) {
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
        grad[i] += (p - y[n]) * x[n][i];
        for (std::size_t j = 0; j < d; ++j) hess[i][j] += p * (1 - p) * x[n][i] * x[n][j];
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

}  // namespace helpmark::search

namespace helpmark {

AnswerModel AnswerModel::defaults() {
  AnswerModel m;
  m.features = search::feature_names();
  // Fitted with `helpmark calibrate` on clinc150-dev (3,100 queries, language-model ranking);
  // a site replaces them by calibrating on its own traffic.
  m.weights = {-0.355, -0.709, 0.343, 4.949, 18.877, -1.651, 0.0, -5.385};
  m.threshold = 0.246;
  m.fitted_on = "defaults (fitted on clinc150-dev)";
  return m;
}

}  // namespace helpmark
