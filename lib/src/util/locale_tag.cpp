#include "util/locale_tag.hpp"

#include <cctype>

#include "util/text.hpp"

namespace helpmark::locale_tag {
namespace {

bool all_of(std::string_view s, int (*pred)(int)) {
  for (unsigned char c : s)
    if (!pred(c)) return false;
  return true;
}

}  // namespace

bool is_well_formed(std::string_view tag) {
  const auto parts = text::split(tag, '-');
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (i == 0 ? (p.size() < 2 || p.size() > 3 || !all_of(p, std::isalpha))
               : (p.size() < 2 || p.size() > 8 || !all_of(p, std::isalnum)))
      return false;
  }
  return true;
}

std::optional<std::string> canonical(std::string_view tag) {
  if (!is_well_formed(tag)) return std::nullopt;
  std::string out;
  const auto parts = text::split(tag, '-');
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string p = text::ascii_lower(parts[i]);
    if (i > 0 && p.size() == 4 && all_of(p, std::isalpha)) p[0] = static_cast<char>(std::toupper(p[0]));
    if (i > 0 && p.size() == 2 && all_of(p, std::isalpha))
      for (char& c : p) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += (i ? "-" : "") + p;
  }
  return out;
}

}  // namespace helpmark::locale_tag
