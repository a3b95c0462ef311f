// Suggestions for a mistyped word: the names closest to it by edit distance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace helpmark::cli {

/// Damerau–Levenshtein distance (optimal string alignment), on bytes: insertions, deletions,
/// substitutions and swaps of two neighbours each cost 1, so "searhc" is 1 from "search".
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The `names` nearest to `word`, in their order, when near enough to be a typo: at most 1 edit
/// for words up to 4 bytes, 2 for longer ones (more would suggest unrelated commands), or
/// `word` is the start of the name (3 bytes at least: "calib" for "calibrate"). Empty when
/// nothing is that close.
std::vector<std::string> closest_names(std::string_view word, const std::vector<std::string>& names);

}  // namespace helpmark::cli
