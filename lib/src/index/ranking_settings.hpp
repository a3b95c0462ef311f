// How an index ranks: the field weights its documents are built with, Xapian's weighting
// scheme, and how much the lexical model counts in the fused score. Chosen by each knowledge
// base from its own questions when it is indexed (indexer/tuning.hpp) and stored in the index.
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <string_view>

#include "index/schema.hpp"

namespace helpmark {

struct RankingSettings {
  enum class Weighting { kLanguageModel, kBm25 };

  schema::FieldWeights fields;
  /// A unigram language model with Jelinek-Mercer smoothing, or BM25.
  Weighting weighting = Weighting::kLanguageModel;
  double lm_lambda = 0.3;
  double bm25_k1 = 1.2;
  double bm25_b = 0.75;
  /// fused = model_weight × model score + (1 − model_weight) × Xapian weight / the best
  /// Xapian weight among the candidates. 0: Xapian alone, the default until a knowledge base
  /// has enough questions to show that its model helps.
  double model_weight = 0.0;
  /// How the settings were chosen, for people ("defaults: ...", "held-out questions: ...").
  std::string chosen_by = "defaults";
  /// The tuning's measurements (JSON object), shown by `show --index-stats` and `eval --json`.
  std::string tuning_json;

  /// "6.4.3.3.2.1": part of the index stamp, since documents are built with them.
  std::string fields_key() const;
  /// "lm(0.3)" or "bm25(1.2,0.75)".
  std::string weighting_name() const;
  bool same_ranking(const RankingSettings& other) const;

  std::string to_json() const;
  /// The stored settings; defaults when `json` is empty or unreadable.
  static RankingSettings from_json(std::string_view json);
};

/// The Xapian weighting scheme of the settings.
std::unique_ptr<Xapian::Weight> make_weight(const RankingSettings& settings);

}  // namespace helpmark
