// The answer confidence model: when a chatbot answers and when it hands over to a human.
#pragma once

#include <string>
#include <vector>

namespace helpmark {

/// Logistic regression over the features of an answer (AnswerExplanation::features), plus the
/// escalation threshold. Fitted when indexing, or by `helpmark calibrate`; stored in the index.
/// A value type: thread-compatible.
struct AnswerModel {
  std::vector<std::string> features;  ///< Feature names, in weight order (bias first).
  std::vector<double> weights;
  double threshold = 0.5;
  std::string fitted_on;              ///< Data set name and size, for people.
  /// "defaults", "index" (fitted when indexing, on the knowledge base's own held-out
  /// questions) or "calibrate" (`helpmark calibrate` on labelled traffic, kept by re-indexing).
  std::string source = "defaults";
  /// For answers no lexical model scored (the model layer switched off, or a locale without a
  /// model), whose model features say nothing: weights and threshold fitted on the same
  /// questions ranked by Xapian alone. Empty: `weights` and `threshold` serve those too.
  std::vector<double> weights_without_model;
  double threshold_without_model = 0.5;

  /// The threshold that applies to an answer (`model_scored`: the lexical model scored it).
  double threshold_for(bool model_scored) const {
    return model_scored || weights_without_model.empty() ? threshold : threshold_without_model;
  }

  static AnswerModel defaults();
};

}  // namespace helpmark
