// The chatbot answer API: one best article with a calibrated confidence, or a hand-over to a
// human when helpmark is not sure.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "helpmark/index.hpp"
#include "helpmark/status.hpp"

namespace helpmark {

struct AnswerOptions {
  /// Escalate below this confidence; default: the calibrated threshold stored in the index.
  std::optional<double> threshold;
  std::size_t alternatives = 3;        ///< Other candidates to return.
  SearchFilters filters;
  SearchLayers layers;
  std::string link_template = "/articles/{id}";  ///< "{id}" and "{locale}" are replaced.
};

struct AnswerCandidate {
  std::string id;
  std::string title;
  std::string locale;
  double confidence = 0;
  double score = 0;             ///< Fused ranking score (see Hit::score).
  double xapian_score = 0;
  double model_score = 0;
  bool has_model_score = false;
};

/// Why the answer is what it is.
struct AnswerExplanation {
  std::vector<std::string> matched_terms;    ///< Query words found in the article.
  std::vector<std::string> unmatched_terms;  ///< Query words it lacks.
  std::vector<Correction> corrections;
  std::vector<SynonymUse> synonyms;
  std::map<std::string, double> features;    ///< The confidence model's inputs.
};

struct Answer {
  bool found = false;  ///< False when nothing matched at all (then escalate is true).
  std::string id;
  std::string title;
  std::string summary;
  std::string locale;
  std::string link;
  std::string path;
  std::string steps_text;
  std::string steps_markdown;
  std::string troubleshooting_text;
  std::string troubleshooting_markdown;
  double confidence = 0;    ///< Calibrated probability that this article answers the question.
  double score = 0;         ///< Fused ranking score, with its parts (see Hit::score).
  double xapian_score = 0;
  double model_score = 0;
  bool has_model_score = false;
  double threshold = 0;     ///< The threshold applied.
  bool escalate = true;     ///< confidence < threshold: hand over to a human.
  std::vector<AnswerCandidate> alternatives;
  AnswerExplanation explanation;
};

/// A labelled query of the neutral relevance format: `gold` empty means out of scope.
struct LabelledQuery {
  std::string qid;
  std::string query;
  std::string locale;
  std::vector<std::string> gold;
  int line = 0;
};

struct CalibrationReport {
  AnswerModel model;
  std::size_t queries = 0;
  double accuracy = 0;            ///< Answer accuracy on the calibration set with the model.
  double accuracy_before = 0;     ///< With the model that was in the index before.
};

/// Fits the confidence model and threshold on labelled queries against the index at
/// `index_dir`, and (when `write`) stores the model in the index. kLocked when an indexer is
/// writing.
Result<CalibrationReport> calibrate_answers(const std::filesystem::path& index_dir,
                                            const std::vector<LabelledQuery>& queries,
                                            const std::string& name, bool write);

}  // namespace helpmark
