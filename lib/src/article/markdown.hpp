// Markdown body analysis with cmark-gfm: sections, links, images and plain text.
#pragma once

#include <string_view>
#include <vector>

#include "helpmark/article.hpp"

namespace helpmark::article {

struct ParsedBody {
  std::vector<Section> sections;  ///< In order; the first has level 0 when text precedes a heading.
  std::vector<Link> links;        ///< `article:` links resolved; `.md` links not yet.
  std::vector<Image> images;
  std::string text;               ///< Plain text of the whole body.
  std::string first_paragraph;    ///< Plain text of the first paragraph, the default summary.
};

/// Parses `body` (GFM: tables, autolinks, strikethrough, task lists). Line numbers are file
/// lines: `first_line` is the file line of the body's first line. Thread-safe.
ParsedBody parse_markdown(std::string_view body, int first_line);

/// Recognises a standard section from its heading text in any shipped language.
SectionKind classify_heading(std::string_view heading);

}  // namespace helpmark::article
