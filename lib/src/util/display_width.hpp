// How wide text is on a terminal or in a fixed-width column: East Asian wide characters take
// two columns, combining marks (Thai vowels and tone marks, accents) none.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace helpmark::text {

/// Columns `s` (UTF-8) occupies: per grapheme cluster, 2 when its first character is East Asian
/// Wide or Fullwidth (CJK, kana, Hangul, most emoji), 0 when it holds only marks or format
/// characters, else 1. Control characters count 1 (callers replace them first).
std::size_t display_width(std::string_view s);

/// `s` cut to at most `columns`, ending in "…" when cut (never inside a grapheme cluster).
std::string clip_to_width(std::string_view s, std::size_t columns);

/// `s` broken into lines of at most `columns`, at the line-break opportunities of ICU's line
/// break rules (spaces; between CJK characters; Thai words), and inside a word only when the word
/// alone is wider than a line. At most `max_lines` lines (0 = no limit): the last one ends in "…"
/// when the text did not fit.
std::vector<std::string> wrap_to_width(std::string_view s, std::size_t columns, std::size_t max_lines = 0);

}  // namespace helpmark::text
