#include "analysis/word_segmenter.hpp"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <stdexcept>

namespace helpmark::analysis {

// ICU's word rules (UAX #29 with ICU's root tailoring: '@' is a letter, ':' joins nothing)
// restricted to ASCII, where no dictionary, Extend, Format or Hebrew rule applies.
namespace {

enum class AsciiClass { kLetter, kNumeric, kMidNumLet, kMidNum, kExtendNumLet, kOther };

constexpr AsciiClass classify_ascii(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@') return AsciiClass::kLetter;
  if (c >= '0' && c <= '9') return AsciiClass::kNumeric;
  if (c == '.' || c == '\'') return AsciiClass::kMidNumLet;
  if (c == ',' || c == ';') return AsciiClass::kMidNum;
  if (c == '_') return AsciiClass::kExtendNumLet;
  return AsciiClass::kOther;
}

constexpr auto kAsciiClasses = [] {
  std::array<AsciiClass, 256> table{};
  for (int c = 0; c < 256; ++c) table[static_cast<std::size_t>(c)] = classify_ascii(static_cast<unsigned char>(c));
  return table;
}();

inline AsciiClass ascii_class(char c) { return kAsciiClasses[static_cast<unsigned char>(c)]; }

void ascii_words(std::string_view text, std::vector<WordSpan>& out) {
  using C = AsciiClass;
  auto at = [&](std::size_t i) { return i < text.size() ? ascii_class(text[i]) : C::kOther; };
  for (std::size_t i = 0; i < text.size();) {
    C previous = at(i);
    if (previous != C::kLetter && previous != C::kNumeric && previous != C::kExtendNumLet) {
      ++i;  // space and punctuation: segments without a word status
      continue;
    }
    std::size_t end = i + 1;
    for (;;) {
      const C next = at(end);
      const bool word_char = next == C::kLetter || next == C::kNumeric || next == C::kExtendNumLet;
      if (word_char) {
        // WB5, WB8-10, WB13a/b: letters, digits and '_' join in any order.
        previous = next;
        ++end;
        continue;
      }
      // WB6/7: letter (. or ') letter; WB11/12: digit (. ' , or ;) digit.
      const C after = at(end + 1);
      if (previous == C::kLetter && next == C::kMidNumLet && after == C::kLetter) {
        previous = after;
        end += 2;
        continue;
      }
      if (previous == C::kNumeric && (next == C::kMidNumLet || next == C::kMidNum) && after == C::kNumeric) {
        previous = after;
        end += 2;
        continue;
      }
      break;
    }
    // A lone '_' has no word status; any longer segment has.
    if (end - i > 1 || at(i) != C::kExtendNumLet) out.emplace_back(i, end);
    i = end;
  }
}

}  // namespace

struct WordSegmenter::Icu {
  std::unique_ptr<icu::BreakIterator> breaker;
};

namespace {

// Whether the ASCII rules give what ICU gives in `locale`, asked once per locale: a locale may
// tailor the rules (Swedish and Finnish join "a:b"), and ICU versions change.
bool ascii_rules_agree(const std::string& icu_locale, WordSegmenter& segmenter) {
  static std::mutex mutex;
  static std::map<std::string, bool> known;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = known.find(icu_locale); it != known.end()) return it->second;
  }
  static constexpr std::string_view kProbe =
      "a:b a.b 3,5 3.5 a_b _ __ _1 1_ a'b don't e.g. x.1 1.x a;b 1;2 a1 1a a@b @ a-b 1'000 a..b 1,,2 "
      "a_,5 3,5a a.b.c a'1 1'a \"q\" (x) #1 $5 a_.b _a_ a\tb\nc ' . , ; : - a.'b 2.x.3 __ __";
  std::vector<WordSpan> by_icu, by_rules;
  segmenter.words_with_icu(kProbe, by_icu);
  ascii_words(kProbe, by_rules);
  const bool agree = by_icu == by_rules;
  std::lock_guard<std::mutex> lock(mutex);
  known.emplace(icu_locale, agree);
  return agree;
}

}  // namespace

WordSegmenter::WordSegmenter(std::string_view locale) : icu_(std::make_unique<Icu>()) {
  UErrorCode status = U_ZERO_ERROR;
  std::string icu_locale(locale);
  std::replace(icu_locale.begin(), icu_locale.end(), '-', '_');
  icu_->breaker.reset(icu::BreakIterator::createWordInstance(icu::Locale(icu_locale.c_str()), status));
  if (U_FAILURE(status) || !icu_->breaker) throw std::runtime_error("ICU: cannot create a word break iterator");
  ascii_rules_ = ascii_rules_agree(icu_locale, *this);
}

WordSegmenter::~WordSegmenter() = default;

void WordSegmenter::words(std::string_view text, std::vector<WordSpan>& out) {
  if (ascii_rules_ && is_ascii(text)) ascii_words(text, out);
  else words_with_icu(text, out);
}

void WordSegmenter::words_with_icu(std::string_view text, std::vector<WordSpan>& out) {
  icu::BreakIterator& breaker = *icu_->breaker;
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return;
  breaker.setText(ut, status);
  if (U_SUCCESS(status)) {
    int32_t start = breaker.first();
    for (int32_t end = breaker.next(); end != icu::BreakIterator::DONE; start = end, end = breaker.next())
      if (breaker.getRuleStatus() >= UBRK_WORD_NONE_LIMIT)
        out.emplace_back(static_cast<std::size_t>(start), static_cast<std::size_t>(end));
  }
  breaker.setText(icu::UnicodeString());  // detach before closing `ut`
  utext_close(ut);
}


bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace helpmark::analysis
