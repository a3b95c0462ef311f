#include "analysis/analyzer.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <stdexcept>

#include "analysis/stopwords.hpp"

namespace helpmark::analysis {
namespace {

// Words longer than this are not words (hashes, base64): Xapian also caps terms at 245 bytes.
constexpr std::size_t kMaxWordBytes = 64;

const icu::Normalizer2& nfkc_casefold() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU: NFKC_Casefold unavailable");
  return *n;
}

const icu::Normalizer2& nfd() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU: NFD unavailable");
  return *n;
}

const icu::Normalizer2& nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU: NFC unavailable");
  return *n;
}

// Removes the marks people leave out when they type: the combining diacritical marks
// U+0300..U+036F that Latin, Greek and Cyrillic letters decompose into, the optional Arabic
// vowel marks (harakat U+064B..U+065F, U+0670) and tatweel (U+0640), and Hebrew points
// (U+0591..U+05C7). Marks that change meaning (Japanese dakuten U+3099/U+309A, Thai vowel
// signs, Devanagari matras) stay.
std::string strip_diacritics(const icu::UnicodeString& normalized) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString decomposed = nfd().normalize(normalized, status);
  icu::UnicodeString kept;
  bool changed = false;
  for (int32_t i = 0; i < decomposed.length(); ++i) {
    char16_t c = decomposed.charAt(i);
    if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640 ||
        (c >= 0x0591 && c <= 0x05C7 && c != 0x05BE && c != 0x05C0 && c != 0x05C3 && c != 0x05C6)) {
      changed = true;
      continue;
    }
    kept.append(c);
  }
  std::string out;
  if (!changed) {
    normalized.toUTF8String(out);
    return out;
  }
  nfc().normalize(kept, status).toUTF8String(out);
  return out;
}

void normalize_word(std::string_view word, std::string& normalized, std::string& folded) {
  if (is_ascii(word)) {
    normalized.assign(word);
    for (char& c : normalized)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    folded = normalized;
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  u.findAndReplace(icu::UnicodeString(static_cast<char16_t>(0x2019)), icu::UnicodeString(static_cast<char16_t>('\'')));
  icu::UnicodeString n = nfkc_casefold().normalize(u, status);
  if (U_FAILURE(status)) {
    normalized.assign(word);
    folded = normalized;
    return;
  }
  normalized.clear();
  n.toUTF8String(normalized);
  folded = strip_diacritics(n);
}

}  // namespace

std::string stemmer_language(std::string_view locale) {
  std::string primary(locale.substr(0, locale.find_first_of("-_")));
  for (char& c : primary)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  struct Pair {
    const char* code;
    const char* language;
  };
  static const Pair kLanguages[] = {
      {"en", "english"},  {"es", "spanish"},   {"fr", "french"},     {"de", "german"},
      {"pt", "portuguese"}, {"it", "italian"}, {"nl", "dutch"},      {"ar", "arabic"},
      {"ru", "russian"},  {"tr", "turkish"},   {"sv", "swedish"},    {"da", "danish"},
      {"no", "norwegian"}, {"nb", "norwegian"}, {"nn", "norwegian"}, {"fi", "finnish"},
      {"hu", "hungarian"}, {"ro", "romanian"}, {"ca", "catalan"},    {"eu", "basque"},
      {"ga", "irish"},    {"id", "indonesian"}, {"lt", "lithuanian"}, {"ne", "nepali"},
      {"ta", "tamil"},    {"hy", "armenian"},
  };
  for (const auto& p : kLanguages)
    if (primary == p.code) return p.language;
  return {};
}

namespace {

bool primary_language_is(std::string_view locale, std::string_view code) {
  const std::string_view primary = locale.substr(0, locale.find_first_of("-_"));
  return primary.size() == code.size() &&
         std::equal(primary.begin(), primary.end(), code.begin(), [](char a, char b) { return (a | 0x20) == b; });
}

}  // namespace

std::string stopword_language(std::string_view locale) {
  std::string language = stemmer_language(locale);
  if (language.empty() && primary_language_is(locale, "th")) language = "thai";
  return language;
}

// Japanese and Chinese particles are not dropped from the index and the queries, as Thai's
// and the Snowball languages' stop words are: doing so changed the ranking settings the tuner
// chose for the whole knowledge base, and so other languages' results, on the sample
// development set (issue 17), while Thai's did not. Kept out of highlights, they no longer
// mark every の and 的 of a snippet.
std::string unmarked_language(std::string_view locale) {
  if (primary_language_is(locale, "ja")) return "japanese";
  if (primary_language_is(locale, "zh")) return "chinese";
  return {};
}

std::string fold(std::string_view text) {
  std::string normalized, folded;
  normalize_word(text, normalized, folded);
  return folded;
}

Analyzer::Analyzer(std::string_view locale, bool stemming)
    : locale_(locale), segmenter_(std::make_unique<WordSegmenter>(locale)) {
  const std::string language = stemmer_language(locale);
  if (!language.empty() && stemming) {
    stemmer_ = Xapian::Stem(language);
    has_stemmer_ = true;
    portuguese_ = language == "portuguese";
  }
  if (const char* const* words = stopwords_for_language(stopword_language(locale))) {
    for (; *words; ++words) {
      stopwords_.insert(*words);
      stopwords_.insert(fold(*words));
    }
  }
  if (const char* const* words = stopwords_for_language(unmarked_language(locale)))
    for (; *words; ++words) unmarked_.insert(fold(*words));
}

Analyzer::~Analyzer() = default;

void Analyzer::word_spans(std::string_view text, std::vector<WordSpan>& out) {
  const std::size_t first = out.size();
  segmenter_->words(text, out);
  // Longer runs are not words (hashes, base64) and would only bloat the index.
  out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                           [](const WordSpan& w) { return w.second - w.first > kMaxWordBytes; }),
            out.end());
}

bool Analyzer::normalize(std::string_view word, Token& token) {
  normalize_word(word, token.normalized, token.folded);
  if (token.normalized.empty()) return false;
  token.stopword = stopwords_.count(token.normalized) || (token.folded != token.normalized && stopwords_.count(token.folded));
  token.unmarked = token.stopword || (!unmarked_.empty() && unmarked_.count(token.folded));
  return true;
}

void Analyzer::tokenize(std::string_view text, std::vector<Token>& out) {
  spans_.clear();
  word_spans(text, spans_);
  for (const auto& [begin, end] : spans_) {
    Token token;
    token.begin = begin;
    token.end = end;
    if (normalize(text.substr(begin, end - begin), token)) out.push_back(std::move(token));
  }
}

namespace {

bool replace_suffix(std::string& word, std::string_view suffix, std::string_view replacement) {
  if (word.size() <= suffix.size() || !word.ends_with(suffix)) return false;
  word.replace(word.size() - suffix.size(), suffix.size(), replacement);
  return true;
}

// Snowball's Portuguese stemmer leaves "devoluções" as "devoluçõ" but "devolução" as
// "devoluçã", so a plural never finds its singular; make the nasal plurals singular first.
// The accent-free forms ("devolucoes") follow the same rule.
void portuguese_singular(std::string& word) {
  // u8"" would be char8_t in C++20; "\xC3\xB5" "es" keeps the 'e' out of the hex escape.
  replace_suffix(word, "\xC3\xB5" "es", "\xC3\xA3o") || replace_suffix(word, "\xC3\xA3" "es", "\xC3\xA3o") ||
      replace_suffix(word, "\xC3\xA3os", "\xC3\xA3o") || replace_suffix(word, "oes", "ao");
}

}  // namespace

void Analyzer::stems(const Token& token, std::vector<std::string>& out) {
  if (!has_stemmer_) {
    out.push_back(token.folded);
    return;
  }
  std::string normalized = token.normalized, folded = token.folded;
  if (portuguese_) {
    portuguese_singular(normalized);
    portuguese_singular(folded);
  }
  // Stem the accented form (Snowball's suffix rules expect accents), then fold the stem; a query
  // typed without accents stems differently, so also index the stem of the folded form.
  std::string accented = stemmer_(normalized);
  std::string first = is_ascii(accented) ? accented : fold(accented);
  out.push_back(first);
  if (folded != normalized) {
    std::string second = stemmer_(folded);
    if (second != first) out.push_back(std::move(second));
  }
}

}  // namespace helpmark::analysis
