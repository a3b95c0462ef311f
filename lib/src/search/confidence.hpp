// The answer confidence model: features of a ranking, a logistic model over them, and its
// fitting on labelled queries.
#pragma once

#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "helpmark/answer.hpp"
#include "search/query_builder.hpp"
#include "search/ranking.hpp"

namespace helpmark::search {

/// What the answer model sees of one candidate of a ranking.
struct AnswerEvidence {
  const std::vector<QueryWord>* words = nullptr;       ///< The query's searched words.
  const std::vector<Candidate>* candidates = nullptr;  ///< The ranking, best first.
  std::size_t index = 0;                               ///< The candidate judged.
  const std::set<std::string>* matched_stems = nullptr;  ///< Query stems it contains.
  const std::set<std::string>* title_stems = nullptr;    ///< Stems of its title.
  double max_possible = 0;  ///< Xapian's upper bound on a weight for the query.
  bool corrected = false;   ///< The query searched was spelling-corrected.
  bool synonym = false;     ///< A synonym expansion was applied.
};

/// The features of `feature_names()` for a candidate; `matched`/`unmatched` (optional) get the
/// query words it has and lacks.
std::map<std::string, double> answer_features(const AnswerEvidence& evidence, std::vector<std::string>* matched,
                                              std::vector<std::string>* unmatched);

/// Names of the features, in model order after the bias.
const std::vector<std::string>& feature_names();

/// sigmoid(bias + sum(weight * feature)). Missing features count as 0. `model_scored`: the
/// lexical model scored the answer; when not, the model's weights without it apply, if it has
/// them (AnswerModel::weights_without_model).
double predict(const AnswerModel& model, const std::map<std::string, double>& features, bool model_scored = true);

struct TrainingExample {
  std::map<std::string, double> features;
  bool top_is_right = false;  ///< The first answer is one of the gold articles.
  bool in_scope = false;      ///< The query has gold articles at all.
  double weight = 1.0;        ///< How much the example counts in the fit and its accuracy.
  bool model_scored = true;   ///< The lexical model scored the first answer.
};

/// Fits the weights by L2-regularised logistic regression on "is the first answer right", then
/// picks the threshold that maximises answer accuracy (right article answered, or out-of-scope
/// escalated). Examples the lexical model scored and those it did not are fitted apart (the
/// second into weights_without_model) when there are both. Deterministic.
AnswerModel fit_model(const std::vector<TrainingExample>& examples, const std::string& fitted_on);

/// The stored form ("helpmark.answer_model" metadata), and back; nullopt when unreadable.
std::string model_to_json(const AnswerModel& model);
std::optional<AnswerModel> model_from_json(std::string_view json);

/// Answer accuracy of `model` on the examples.
double answer_accuracy(const AnswerModel& model, const std::vector<TrainingExample>& examples);

}  // namespace helpmark::search
