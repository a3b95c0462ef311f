// Query-biased snippets with the matched words highlighted.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "analysis/analyzer.hpp"

namespace helpmark::search {

/// A window of about `max_words` words of `text` holding the most query stems, HTML-escaped,
/// each matching word wrapped in <mark>...</mark>, with "…" where text was cut. When nothing
/// matches, the start of the text.
std::string make_snippet(std::string_view text, const std::set<std::string>& query_stems,
                         analysis::Analyzer& analyzer, std::size_t max_words = 30);

}  // namespace helpmark::search
