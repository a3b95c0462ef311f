// Word segmentation: the words ICU's word break iterator finds for a locale.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace helpmark::analysis {

/// A word's [begin, end) byte offsets in the segmented text.
using WordSpan = std::pair<std::size_t, std::size_t>;

/// Words of a text as ICU's word break iterator for a locale finds them (segments with a word
/// rule status: letters, numbers, kana, ideographs; not spaces or punctuation). Chinese,
/// Japanese and Thai words come from ICU's dictionaries. For ASCII text the same rules run
/// without ICU, several times faster, in every locale where a probe of each rule shows they
/// agree with ICU (a locale may tailor them: Swedish joins "a:b").
///
/// Thread-compatible: holds an ICU break iterator; give each thread its own.
class WordSegmenter {
 public:
  explicit WordSegmenter(std::string_view locale);
  ~WordSegmenter();
  WordSegmenter(const WordSegmenter&) = delete;
  WordSegmenter& operator=(const WordSegmenter&) = delete;

  /// Appends the span of each word of `text` (UTF-8) to `out`.
  void words(std::string_view text, std::vector<WordSpan>& out);
  /// The same, always with ICU (for tests that compare the two).
  void words_with_icu(std::string_view text, std::vector<WordSpan>& out);
  /// Whether ASCII text skips ICU in this locale.
  bool ascii_rules() const { return ascii_rules_; }

 private:
  struct Icu;
  std::unique_ptr<Icu> icu_;
  bool ascii_rules_ = false;
};

/// Whether every byte of `text` is ASCII.
bool is_ascii(std::string_view text);

}  // namespace helpmark::analysis
