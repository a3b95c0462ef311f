// The answer confidence model: features of a ranking, a logistic model over them, and its
// fitting on labelled queries.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "helpmark/answer.hpp"

namespace helpmark::search {

/// Names of the features, in model order after the bias.
const std::vector<std::string>& feature_names();

/// sigmoid(bias + sum(weight * feature)). Missing features count as 0.
double predict(const AnswerModel& model, const std::map<std::string, double>& features);

struct TrainingExample {
  std::map<std::string, double> features;
  bool top_is_right = false;  ///< The first answer is one of the gold articles.
  bool in_scope = false;      ///< The query has gold articles at all.
};

/// Fits the weights by L2-regularised logistic regression on "is the first answer right", then
/// picks the threshold that maximises answer accuracy (right article answered, or out-of-scope
/// escalated). Deterministic.
AnswerModel fit_model(const std::vector<TrainingExample>& examples, const std::string& fitted_on);

/// Answer accuracy of `model` on the examples.
double answer_accuracy(const AnswerModel& model, const std::vector<TrainingExample>& examples);

}  // namespace helpmark::search
