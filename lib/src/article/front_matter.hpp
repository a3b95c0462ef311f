// Splitting a file into its YAML front matter and Markdown body.
#pragma once

#include <string>
#include <string_view>

namespace helpmark::article {

struct FrontMatterSplit {
  bool ok = false;
  std::string_view yaml;     ///< Between the fences.
  std::string_view body;     ///< After the closing fence.
  int yaml_first_line = 2;   ///< File line of the first YAML line.
  int body_first_line = 1;   ///< File line of the first body line.
  int error_line = 0;
  std::string error;         ///< Why there is no front matter, with the fix.
};

/// Finds the `---` fenced YAML block that must open an article. A UTF-8 byte-order mark and
/// CRLF line ends are accepted.
FrontMatterSplit split_front_matter(std::string_view text);

}  // namespace helpmark::article
