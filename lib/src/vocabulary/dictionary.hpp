// The words of a language, from its Hunspell dictionary: how spelling correction tells a real
// word the articles happen not to use ("weather") from a typo ("refnd").
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

class Hunspell;

namespace helpmark::vocabulary {

/// Thread-safe: has() may be called from many threads (Hunspell itself is not, so calls take
/// turns).
class LanguageDictionary {
 public:
  /// The installed dictionary of a BCP 47 locale ("pt-BR": pt_BR, then pt_PT, ...), searched in
  /// $HELPMARK_DICTIONARY_PATH (colon-separated) when set, else in /usr/share/hunspell and
  /// /usr/share/myspell/dicts; null when none is installed.
  static std::unique_ptr<LanguageDictionary> open(std::string_view locale);

  /// The dictionary files `open` looks for, best first ("en_US", "en_GB", ...), for messages.
  static std::vector<std::string> names_for(std::string_view locale);
  /// The .dic file `open` would load, or "" when none is installed.
  static std::string find(std::string_view locale);

  ~LanguageDictionary();
  LanguageDictionary(const LanguageDictionary&) = delete;
  LanguageDictionary& operator=(const LanguageDictionary&) = delete;

  /// Whether `word` (UTF-8, as typed or folded to lower case) is a word of the language, as it
  /// is or capitalised (queries are typed in lower case: "paris" is "Paris").
  bool has(std::string_view word) const;

  /// The .dic file used.
  const std::string& path() const { return path_; }

 private:
  LanguageDictionary(std::unique_ptr<Hunspell> hunspell, std::string path, std::string encoding);
  std::string encode(std::string_view utf8) const;

  mutable std::mutex mu_;
  std::unique_ptr<Hunspell> hunspell_;
  std::string path_;
  std::string encoding_;  ///< The dictionary's; words are converted from UTF-8 when it differs.
};

}  // namespace helpmark::vocabulary
