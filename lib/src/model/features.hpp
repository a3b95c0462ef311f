// The features the lexical model sees in a short text (a question, a title, a query): the
// analyzer's words, word bigrams, and character n-grams within words, hashed to 64 bits.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/analyzer.hpp"

namespace helpmark::model {

/// Hashed features of one text, sorted: a feature seen twice is there twice (8 bytes an
/// occurrence: training holds every example's features at once).
using FeatureCounts = std::vector<std::uint64_t>;

/// A text's features in two blocks, weighted and normalised separately (see FeatureTable):
/// - words: each word's stems (stop words as themselves: "how" and "what" tell intents apart)
///   and each pair of neighbouring words;
/// - chars: the character 2- to 5-grams of each folded word with its boundaries ("<refund>"),
///   which carry typos, dialect spellings and inflections that stems miss. Scripts written
///   without spaces get them over the ICU words the analyzer segments.
struct TextFeatures {
  FeatureCounts words;
  FeatureCounts chars;
  bool empty() const { return words.empty() && chars.empty(); }
};

/// Turns texts of one locale into TextFeatures, exactly as for training and for queries.
/// Thread-compatible (it uses the analyzer, which is not thread-safe).
class FeatureExtractor {
 public:
  static constexpr int kMinCharGram = 2;
  static constexpr int kMaxCharGram = 5;

  explicit FeatureExtractor(analysis::Analyzer& analyzer) : analyzer_(analyzer) {}

  TextFeatures extract(std::string_view text);

 private:
  analysis::Analyzer& analyzer_;
  std::vector<analysis::Token> tokens_;
  std::vector<std::string> stems_;
  std::u32string code_points_;
};

}  // namespace helpmark::model
