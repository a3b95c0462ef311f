// Built-in stop-word lists per Snowball language.
#pragma once

#include <string_view>

namespace helpmark::analysis {

/// The nullptr-terminated stop-word list of a Xapian/Snowball language name ("english"), or
/// nullptr when there is none.
const char* const* stopwords_for_language(std::string_view language);

}  // namespace helpmark::analysis
