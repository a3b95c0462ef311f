// Built-in stop-word lists per language.
#pragma once

#include <string_view>

namespace helpmark::analysis {

/// The nullptr-terminated stop-word list of a language name: a Xapian/Snowball one ("english")
/// or one of "japanese", "chinese" and "thai", which have no stemmer (see stopword_language()
/// and unmarked_language() in analyzer.hpp); nullptr when there is none.
const char* const* stopwords_for_language(std::string_view language);

}  // namespace helpmark::analysis
