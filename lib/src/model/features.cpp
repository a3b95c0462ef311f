#include "model/features.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace helpmark::model {
namespace {

// Distinct seeds keep the kinds of feature apart ("w:" for a stem, "s:" for a stop word...):
// the same string as a stem and as a bigram are different features.
constexpr std::uint64_t kWordSeed = 0x6a09e667f3bcc908ULL;
constexpr std::uint64_t kStopSeed = 0xbb67ae8584caa73bULL;
constexpr std::uint64_t kPairSeed = 0x3c6ef372fe94f82bULL;
constexpr std::uint64_t kCharSeed = 0xa54ff53a5f1d36f1ULL;

void decode_utf8(std::string_view s, std::u32string& out) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    for (int k = 1; k < n && i + static_cast<std::size_t>(k) < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3f);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
}

std::uint64_t pair_hash(std::uint64_t left, std::uint64_t right) {
  // FNV-1a over the two hashes' bytes.
  std::uint64_t h = kPairSeed;
  for (std::uint64_t v : {left, right})
    for (int b = 0; b < 8; ++b) {
      h ^= (v >> (8 * b)) & 0xff;
      h *= 1099511628211ULL;
    }
  return h;
}

}  // namespace

TextFeatures FeatureExtractor::extract(std::string_view text) {
  TextFeatures f;
  tokens_.clear();
  analyzer_.tokenize(text, tokens_);
  std::uint64_t previous = 0;
  for (const auto& token : tokens_) {
    // The word itself: its stems, or the stop word as it is. The last of them stands for the
    // word in bigrams (for two stems: the accent-free one, which queries typed without
    // accents share).
    std::uint64_t word = 0;
    if (token.stopword) {
      word = text::fnv1a64(token.folded, kStopSeed);
      f.words.push_back(word);
    } else {
      stems_.clear();
      analyzer_.stems(token, stems_);
      for (const auto& s : stems_) {
        word = text::fnv1a64(s, kWordSeed);
        f.words.push_back(word);
      }
    }
    if (previous != 0) f.words.push_back(pair_hash(previous, word));
    previous = word;

    code_points_.clear();
    code_points_.push_back(U'<');
    decode_utf8(token.folded, code_points_);
    code_points_.push_back(U'>');
    for (int n = kMinCharGram; n <= kMaxCharGram; ++n) {
      const auto len = static_cast<std::size_t>(n);
      for (std::size_t i = 0; i + len <= code_points_.size(); ++i) {
        std::uint64_t h = kCharSeed ^ static_cast<std::uint64_t>(n);
        for (std::size_t k = 0; k < len; ++k) {
          h ^= static_cast<std::uint64_t>(code_points_[i + k]);
          h *= 1099511628211ULL;
        }
        f.chars.push_back(h);
      }
    }
  }
  std::sort(f.words.begin(), f.words.end());
  std::sort(f.chars.begin(), f.chars.end());
  return f;
}

}  // namespace helpmark::model
