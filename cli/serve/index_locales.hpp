// Which `locale` values a request may name: the locales the index has articles in, and their
// regional variants (en-GB falls back to en). Anything else used to fall back silently to the
// default locale and answer 200 with results in another language.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "helpmark/index.hpp"
#include "helpmark/status.hpp"

namespace helpmark::cli::serve {

/// Thread-safe: the locales are read again (one facet count) when the revision changes.
class IndexLocales {
 public:
  /// Ok for an empty `locale`, one of the index's locales, or a regional variant of one
  /// (compared case-insensitively, as the library canonicalises tags); else kInvalidArgument
  /// with a message naming the index's locales. `revision` identifies the index version.
  Status check(const Index& index, const std::string& revision, const std::string& locale);

 private:
  Result<std::vector<std::string>> locales_at(const Index& index, const std::string& revision);

  std::mutex mu_;
  std::string revision_;
  std::vector<std::string> locales_;  ///< Sorted.
};

}  // namespace helpmark::cli::serve
