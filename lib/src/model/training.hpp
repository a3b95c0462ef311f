// Training the lexical model of one locale with liblinear: one-vs-rest linear SVMs (L2-loss,
// dual coordinate descent) over the TF-IDF features of each article's examples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "helpmark/status.hpp"
#include "model/features.hpp"
#include "model/lexical_model.hpp"

namespace helpmark::model {

/// Labelled examples: `examples[i]` is a text of article `classes[labels[i]]`.
struct TrainingSet {
  std::vector<std::string> classes;
  std::vector<TextFeatures> examples;
  std::vector<std::uint32_t> labels;
};

struct TrainingOptions {
  double cost = 1.0;                ///< liblinear's C.
  /// Share of the weights kept, largest first (the rest are dropped from the stored model):
  /// 20 % kept recall@1 within 0.001 of all on both development sets ...
  double kept_weights = 0.2;
  /// ... and, past weights_floor, at most weights_per_example per training example, so that
  /// a large model grows with what it learns from, not with articles × features.
  std::size_t weights_per_example = 30;
  std::size_t weights_floor = 500'000;
  /// Each article is trained against every other article's examples while that costs at most
  /// max(work_floor, negative_budget × examples) example visits in all (2.5 million visits
  /// are about 5 s of one core); past it (thousands of articles), against the examples of its
  /// most similar articles and an even sample of the rest, so that training time grows with
  /// the number of examples, not with examples × articles.
  std::size_t negative_budget = 40;
  std::size_t work_floor = 2'500'000;
  unsigned threads = 0;             ///< 0: one per core. The model is the same for any number.
};

struct TrainingStats {
  std::size_t classes = 0;
  std::size_t examples = 0;
  std::size_t features = 0;
  std::size_t weights = 0;          ///< Kept.
  std::size_t negatives_per_class = 0;  ///< Examples each article was trained against (at most).
  bool all_negatives = true;        ///< Every article trained against every other example.
  double seconds = 0;
};

/// Trains a model. kInvalidArgument when fewer than two classes have examples. Deterministic:
/// the same set gives the same model, bit for bit, on any number of threads.
/// Thread-safe: calls may run at once (each uses its own liblinear problems).
Result<LexicalModel> train_lexical_model(const TrainingSet& set, const TrainingOptions& options,
                                         TrainingStats* stats = nullptr);

}  // namespace helpmark::model
