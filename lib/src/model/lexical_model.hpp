// The learned lexical model of one locale: for each article, a linear scorer over the TF-IDF
// features of a text (model/features.hpp), trained on the article's own title and questions
// (model/training.hpp) and stored in the index. Scoring a query is a sparse dot product over
// the features it fires.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helpmark/status.hpp"
#include "model/features.hpp"

namespace helpmark::model {

/// The features a model knows, with their inverse document frequencies: turns TextFeatures
/// into the vector the classifier sees (sublinear TF-IDF, each block L2-normalised, then the
/// blocks concatenated). Features it does not know are dropped. Immutable once built.
class FeatureTable {
 public:
  FeatureTable() = default;
  /// From the examples a model is trained on: idf = ln((n + 1) / (df + 1)) + 1.
  static FeatureTable from_examples(const std::vector<TextFeatures>& examples);

  /// (position in the table, value) pairs of a text, sorted by position.
  void vectorize(const TextFeatures& features, std::vector<std::pair<std::uint32_t, float>>& out) const;

  std::size_t size() const { return hashes_.size(); }
  /// Position of a feature, or size() when unknown.
  std::size_t find(std::uint64_t hash) const;

 private:
  friend class LexicalModel;
  void append_block(const FeatureCounts& counts, std::vector<std::pair<std::uint32_t, float>>& out) const;
  std::vector<std::uint64_t> hashes_;  ///< Sorted: both blocks' features in one table.
  std::vector<float> idf_;
};

/// Articles (classes) with their sparse weights. Thread-safe for concurrent const use.
class LexicalModel {
 public:
  /// Bumped when the stored form changes; an index with another version retrains.
  static constexpr std::uint32_t kFormatVersion = 1;

  LexicalModel() = default;
  /// `weights[c]` are class c's (table position, weight) pairs; `bias[c]` its intercept.
  LexicalModel(std::vector<std::string> classes, FeatureTable table,
               const std::vector<std::vector<std::pair<std::uint32_t, float>>>& weights,
               std::vector<float> bias);

  /// The decision value of every class for a text (higher: more likely that article); classes
  /// whose features the text does not fire get their intercept. `scores` is resized to
  /// classes().size().
  void score(const TextFeatures& text, std::vector<float>& scores) const;

  const std::vector<std::string>& classes() const { return classes_; }
  const FeatureTable& table() const { return table_; }
  std::size_t weight_count() const { return posting_class_.size(); }
  bool empty() const { return classes_.empty(); }

  /// A compact little-endian binary form, stored in the index.
  std::string serialize() const;
  /// kCorrupt when `data` is not a model of this format version.
  static Result<LexicalModel> deserialize(std::string_view data);

 private:
  std::vector<std::string> classes_;
  std::vector<float> bias_;
  FeatureTable table_;
  // Weights by feature: feature f's are [posting_begin_[f], posting_begin_[f + 1]).
  std::vector<std::uint32_t> posting_begin_;
  std::vector<std::uint32_t> posting_class_;
  std::vector<float> posting_weight_;
};

}  // namespace helpmark::model
