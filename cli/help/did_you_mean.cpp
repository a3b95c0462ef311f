#include "help/did_you_mean.hpp"

#include <algorithm>
#include <cctype>

namespace helpmark::cli {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: a swap looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::vector<std::string> closest_names(std::string_view word, const std::vector<std::string>& names) {
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t allowed = lower.size() <= 4 ? 1 : 2;
  std::size_t best = allowed + 1;
  std::vector<std::string> out;
  for (const auto& name : names) {
    std::size_t distance = edit_distance(lower, name);
    if (lower.size() >= 3 && name.size() > lower.size() && name.compare(0, lower.size(), lower) == 0)
      distance = std::min(distance, allowed);  // a prefix counts as near, not as nearest
    if (distance > allowed || distance > best) continue;
    if (distance < best) out.clear();
    best = distance;
    out.push_back(name);
  }
  return out;
}

}  // namespace helpmark::cli
