// Choosing how a knowledge base ranks, from its own questions: hold some of the articles'
// questions out, index and train on the rest, and pick the field weights, Xapian weighting and
// model weight that rank the held-out questions best; fit the answer model on the same
// held-out questions (positives), the shipped out-of-scope questions and held-out questions
// whose article was taken away (negatives).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "helpmark/answer.hpp"
#include "helpmark/article.hpp"
#include "helpmark/taxonomy.hpp"
#include "index/ranking_settings.hpp"
#include "model/examples.hpp"
#include "vocabulary/vocabulary_files.hpp"

namespace helpmark {

struct TuningInput {
  const std::vector<Article>* articles = nullptr;
  const std::vector<model::LocaleExamples>* examples = nullptr;
  const Taxonomy* taxonomy = nullptr;
  const VocabularyFiles* vocabulary = nullptr;
  bool stemming = true;
  unsigned threads = 0;
  std::function<void(const std::string&)> on_phase;
};

struct TuningResult {
  /// The chosen settings; the defaults (chosen_by says why) when there were too few questions.
  RankingSettings settings;
  /// Fitted on held-out questions; empty when there were too few.
  std::optional<AnswerModel> answer_model;
};

/// Held-out questions are at most this many, over as many folds (of five) as it takes.
inline constexpr std::size_t kTuningQuestions = 600;
/// Fewer held-out questions than this: the defaults are kept (the choice would be noise).
inline constexpr std::size_t kMinTuningQuestions = 40;
/// Larger knowledge bases are tuned on a sample of this many articles, shared among the
/// locales as their articles are: they compete with each other as the full set would, at a
/// bounded cost.
inline constexpr std::size_t kTuningArticles = 1000;

/// Deterministic: the same input gives the same result. Not thread-safe with itself only in
/// that it uses all the threads it is given.
TuningResult tune_ranking(const TuningInput& input);

}  // namespace helpmark
