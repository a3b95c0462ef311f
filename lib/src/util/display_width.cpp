#include "util/display_width.hpp"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <memory>

namespace helpmark::text {
namespace {

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Width of one grapheme cluster (UTF-8 bytes [begin, end) of s).
std::size_t cluster_width(std::string_view s, std::size_t begin, std::size_t end) {
  UChar32 first = -1;
  bool visible = false;
  for (int32_t i = static_cast<int32_t>(begin); i < static_cast<int32_t>(end);) {
    UChar32 c;
    U8_NEXT(s.data(), i, static_cast<int32_t>(end), c);
    if (c < 0) c = 0xFFFD;
    if (first < 0) first = c;
    const auto category = static_cast<UCharCategory>(u_charType(c));
    if (category != U_NON_SPACING_MARK && category != U_ENCLOSING_MARK && category != U_FORMAT_CHAR) visible = true;
  }
  if (!visible) return 0;
  const auto eaw = static_cast<UEastAsianWidth>(u_getIntPropertyValue(first, UCHAR_EAST_ASIAN_WIDTH));
  return eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH ? 2 : 1;
}

struct UTextCloser {
  void operator()(UText* t) const { utext_close(t); }
};

// A break iterator of `kind` over `s`; nullptr when ICU cannot make one.
std::unique_ptr<icu::BreakIterator> breaker_over(std::string_view s, bool line,
                                                 std::unique_ptr<UText, UTextCloser>& text) {
  UErrorCode status = U_ZERO_ERROR;
  text.reset(utext_openUTF8(nullptr, s.data(), static_cast<int64_t>(s.size()), &status));
  if (U_FAILURE(status)) return nullptr;
  std::unique_ptr<icu::BreakIterator> it(line ? icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), status)
                                              : icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !it) return nullptr;
  it->setText(text.get(), status);
  if (U_FAILURE(status)) return nullptr;
  return it;
}

// Calls fn(begin, end) for each grapheme cluster of s.
template <typename Fn>
void each_cluster(std::string_view s, Fn&& fn) {
  if (is_ascii(s)) {
    for (std::size_t i = 0; i < s.size(); ++i) fn(i, i + 1);
    return;
  }
  std::unique_ptr<UText, UTextCloser> text;
  auto it = breaker_over(s, false, text);
  if (!it) {  // cannot happen with a working ICU; fall back to code points
    for (int32_t i = 0; i < static_cast<int32_t>(s.size());) {
      const int32_t start = i;
      UChar32 c;
      U8_NEXT(s.data(), i, static_cast<int32_t>(s.size()), c);
      fn(static_cast<std::size_t>(start), static_cast<std::size_t>(i));
    }
    return;
  }
  for (int32_t start = it->first(), end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next())
    fn(static_cast<std::size_t>(start), static_cast<std::size_t>(end));
}

// Appends "…" to `line`, dropping clusters from its end until it fits in `columns`.
std::string with_ellipsis(std::string_view line, std::size_t columns) {
  std::string out;
  std::size_t width = 0;
  each_cluster(line, [&](std::size_t b, std::size_t e) {
    const std::size_t w = cluster_width(line, b, e);
    if (width + w + 1 > columns) return;
    if (out.size() != b) return;  // already stopped
    out.append(line.substr(b, e - b));
    width += w;
  });
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "…";
}

}  // namespace

std::size_t display_width(std::string_view s) {
  if (is_ascii(s)) return s.size();
  std::size_t width = 0;
  each_cluster(s, [&](std::size_t b, std::size_t e) { width += cluster_width(s, b, e); });
  return width;
}

std::string clip_to_width(std::string_view s, std::size_t columns) {
  if (display_width(s) <= columns) return std::string(s);
  if (columns == 0) return "";
  return with_ellipsis(s, columns);
}

std::vector<std::string> wrap_to_width(std::string_view s, std::size_t columns, std::size_t max_lines) {
  std::vector<std::string> lines;
  if (columns == 0) return lines;
  // Segments end at line-break opportunities; each keeps its trailing spaces.
  std::vector<std::string_view> segments;
  {
    std::unique_ptr<UText, UTextCloser> text;
    auto it = breaker_over(s, true, text);
    if (!it) {
      segments.push_back(s);
    } else {
      for (int32_t start = it->first(), end = it->next(); end != icu::BreakIterator::DONE;
           start = end, end = it->next())
        segments.push_back(s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
    }
  }
  auto trimmed_width = [](std::string_view seg) {
    while (!seg.empty() && seg.back() == ' ') seg.remove_suffix(1);
    return display_width(seg);
  };
  std::string line;
  std::size_t width = 0;
  auto flush = [&] {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
    line.clear();
    width = 0;
  };
  for (std::string_view seg : segments) {
    const std::size_t w = trimmed_width(seg);
    if (width > 0 && width + w > columns) flush();
    if (w > columns) {  // a word wider than a line: break it between clusters
      each_cluster(seg, [&](std::size_t b, std::size_t e) {
        const std::size_t cw = cluster_width(seg, b, e);
        if (width > 0 && width + cw > columns) flush();
        line.append(seg.substr(b, e - b));
        width += cw;
      });
      continue;
    }
    line.append(seg);
    width += display_width(seg);
  }
  if (!line.empty()) flush();
  if (max_lines > 0 && lines.size() > max_lines) {
    std::string last = lines[max_lines - 1] + " " + lines[max_lines];
    lines.resize(max_lines);
    lines.back() = with_ellipsis(last, columns);
  }
  return lines;
}

}  // namespace helpmark::text
