// Reading the per-locale vocabulary files of a taxonomy directory: synonyms/<locale>.yaml and
// spelling/<locale>.txt. Used by the indexer (which stores them in the index) and `validate`.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "helpmark/status.hpp"
#include "helpmark/taxonomy.hpp"

namespace helpmark {

struct VocabularyFiles {
  std::map<std::string, std::string> synonyms;               ///< locale -> serialized table
  std::map<std::string, std::size_t> synonym_rules;          ///< locale -> rule count
  std::map<std::string, std::vector<std::string>> spelling;  ///< locale -> folded words
  /// Locales whose synonyms or spelling file has errors and nothing usable (malformed YAML, bad
  /// UTF-8): the index keeps what it had for them, so one typo never wipes a locale's vocabulary.
  std::set<std::string> broken_synonyms;
  std::set<std::string> broken_spelling;
};

/// Reads and validates every synonyms and spelling file under `taxonomy_dir`. Problems become
/// diagnostics (file and line); valid entries are kept, and a file left with none because of
/// errors puts its locale in broken_synonyms/broken_spelling.
VocabularyFiles load_vocabulary_files(const std::filesystem::path& taxonomy_dir, const Taxonomy& taxonomy,
                                      bool stemming, std::vector<Diagnostic>& diagnostics);

}  // namespace helpmark
