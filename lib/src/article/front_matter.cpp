#include "article/front_matter.hpp"

namespace helpmark::article {
namespace {

bool is_fence(std::string_view line, std::string_view fence) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  return line == fence;
}

}  // namespace

FrontMatterSplit split_front_matter(std::string_view text) {
  FrontMatterSplit out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t eol = text.find('\n');
  if (!is_fence(text.substr(0, eol), "---")) {
    out.error_line = 1;
    out.error =
        "missing front matter: the file must start with a line '---', then at least `title:` "
        "and `journey:`, then a closing '---'";
    return out;
  }
  if (eol == std::string_view::npos) {
    out.error_line = 1;
    out.error = "front matter is not closed: add a line '---' after the YAML fields";
    return out;
  }
  std::size_t line_start = eol + 1;
  int line = 2;
  while (line_start <= text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    std::string_view current = text.substr(line_start, line_end == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : line_end - line_start);
    if (is_fence(current, "---") || is_fence(current, "...")) {
      out.ok = true;
      out.yaml = text.substr(eol + 1, line_start - eol - 1);
      out.yaml_first_line = 2;
      out.body = line_end == std::string_view::npos ? std::string_view() : text.substr(line_end + 1);
      out.body_first_line = line + 1;
      return out;
    }
    if (line_end == std::string_view::npos) break;
    line_start = line_end + 1;
    ++line;
  }
  out.error_line = 1;
  out.error = "front matter is not closed: add a line '---' after the YAML fields";
  return out;
}

}  // namespace helpmark::article
