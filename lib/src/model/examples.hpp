// What each locale's lexical model learns from: every published article's title and
// questions, and, as weaker evidence, its summary and own section headings, so that articles
// without questions take part too. Problems in the questions become warnings.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "helpmark/article.hpp"
#include "helpmark/status.hpp"
#include "model/training.hpp"

namespace helpmark::model {

/// Where an example came from, for held-out tuning (only questions are held out).
/// kLearned: a question learned from traffic (helpmark/learning.hpp), never held out and never
/// used by the tuning, so that removing the overlay restores the index exactly.
enum class ExampleKind : std::uint8_t { kTitle, kQuestion, kSummary, kHeading, kLearned };

/// One locale's examples: a TrainingSet plus what each example is and its text. The
/// examples' features (set.examples) are empty until extract_features().
struct LocaleExamples {
  std::string locale;
  TrainingSet set;                     ///< classes are article ids
  std::vector<ExampleKind> kinds;      ///< by example
  std::vector<std::string> texts;      ///< by example
  std::string fingerprint;             ///< Changes when anything the model learns from changes.
  std::size_t articles_with_questions = 0;
  bool stemming = true;
  std::size_t size() const { return texts.size(); }  ///< Examples, with or without features.
};

struct ExampleLimits {
  /// Questions used per article; the rest are reported and left out, so one article cannot
  /// outweigh the others.
  std::size_t max_questions_per_article = 200;
  /// Learned questions used per article (the overlay's order: best supported first).
  std::size_t max_learned_per_article = 20;
};

/// Questions learned from traffic, by article id (the overlay beside the index).
using LearnedQuestions = std::map<std::string, std::vector<std::string>>;

/// The examples of every locale in `locales` that has published articles. Warnings (file and
/// `learned` adds questions from traffic; one that is already a question of the locale, or
/// learned for two articles, is left out silently (the writers' questions win). Warnings (file and
/// line) for: the same question on two articles (used by neither: it cannot tell them apart),
/// a question repeated within an article, a question with no words, a question that reads as
/// another of the knowledge base's languages, and articles over the question limit.
/// Thread-compatible.
std::vector<LocaleExamples> collect_examples(const std::vector<Article>& articles,
                                             const std::vector<std::string>& locales, bool stemming,
                                             const ExampleLimits& limits, std::vector<Diagnostic>& diagnostics,
                                             const LearnedQuestions& learned = {});

/// Fills examples.set.examples with the features of each text (as queries get them), once.
/// Collecting is cheap and says whether anything changed; this is the costly part, done only
/// for what is trained or tuned.
void extract_features(LocaleExamples& examples);

}  // namespace helpmark::model
