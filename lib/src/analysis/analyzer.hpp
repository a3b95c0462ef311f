// Text analysis, identical at index and query time: ICU word segmentation (which also splits
// Chinese, Japanese and Thai, written without spaces), NFKC case folding, diacritic folding for
// Latin, Greek and Cyrillic letters, Snowball stemming, and stop words per language (Thai too,
// which has no stemmer; Japanese and Chinese function words are only kept out of highlights).
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analysis/word_segmenter.hpp"

namespace helpmark::analysis {

/// One word of a text.
struct Token {
  std::size_t begin = 0;   ///< Byte offsets into the analysed text.
  std::size_t end = 0;
  std::string normalized;  ///< NFKC + case folded, accents kept ("devolución").
  std::string folded;      ///< `normalized` without diacritics ("devolucion").
  bool stopword = false;   ///< Neither indexed nor searched (unless a query has nothing else).
  bool unmarked = false;   ///< Never highlighted in a snippet: every stop word, and the function
                           ///< words of Japanese and Chinese, which are still searched.
};

/// The Snowball language Xapian uses for a BCP 47 locale ("pt-BR" -> "portuguese"), or "" when
/// Xapian has no stemmer for it.
std::string stemmer_language(std::string_view locale);

/// The name of the built-in stop-word list of a locale (stopwords.hpp), whose words are neither
/// indexed nor searched: its Snowball language, or "thai" for th, which has no stemmer; "" when
/// there is none.
std::string stopword_language(std::string_view locale);

/// The list of function words that are searched but never highlighted: "japanese" for ja,
/// "chinese" for zh (any region), "" elsewhere.
std::string unmarked_language(std::string_view locale);

/// NFKC + case folding + diacritic folding of a whole string (no segmentation).
std::string fold(std::string_view text);

/// Analyses text of one locale.
///
/// Thread-compatible: an Analyzer holds an ICU break iterator and a Xapian stemmer, neither of
/// which may be used by two threads at once; give each thread its own.
class Analyzer {
 public:
  /// `stemming` false keeps words unstemmed (folded only), to measure what stemming adds.
  explicit Analyzer(std::string_view locale, bool stemming = true);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  const std::string& locale() const { return locale_; }
  bool has_stemmer() const { return has_stemmer_; }

  /// Splits `text` into words (punctuation and spaces dropped), appending to `out`.
  void tokenize(std::string_view text, std::vector<Token>& out);

  /// The words tokenize() looks at, as spans only, for callers that normalise just the few
  /// they need (snippets). A span may still normalise to nothing: see normalize().
  void word_spans(std::string_view text, std::vector<WordSpan>& out);
  /// Fills `token`'s normalized, folded, stopword and unmarked fields from `word` as tokenize()
  /// does; false when nothing is left of it (tokenize() drops such words).
  bool normalize(std::string_view word, Token& token);

  /// The stemmed, folded index terms of a token, without prefix: one or two of them (the stem
  /// of the accented and of the accent-free form, when they differ), appended to `out`.
  void stems(const Token& token, std::vector<std::string>& out);

 private:
  std::string locale_;
  std::unique_ptr<WordSegmenter> segmenter_;
  std::vector<WordSpan> spans_;  ///< tokenize()'s scratch space.
  Xapian::Stem stemmer_;
  bool has_stemmer_ = false;
  bool portuguese_ = false;  ///< Plurals in -ões/-ães/-ãos are made singular before stemming.
  std::unordered_set<std::string> stopwords_;  ///< Both accented and folded forms.
  std::unordered_set<std::string> unmarked_;   ///< Searched, never highlighted.
};

}  // namespace helpmark::analysis
