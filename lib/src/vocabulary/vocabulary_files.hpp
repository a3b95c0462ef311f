// Reading the per-locale vocabulary files of a taxonomy directory: synonyms/<locale>.yaml and
// spelling/<locale>.txt. Used by the indexer (which stores them in the index) and `validate`.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "helpmark/status.hpp"
#include "helpmark/taxonomy.hpp"

namespace helpmark {

struct VocabularyFiles {
  std::map<std::string, std::string> synonyms;               ///< locale -> serialized table
  std::map<std::string, std::size_t> synonym_rules;          ///< locale -> rule count
  std::map<std::string, std::vector<std::string>> spelling;  ///< locale -> folded words
};

/// Reads and validates every synonyms and spelling file under `taxonomy_dir`. Problems become
/// diagnostics (file and line); valid entries are kept.
VocabularyFiles load_vocabulary_files(const std::filesystem::path& taxonomy_dir, const Taxonomy& taxonomy,
                                      bool stemming, std::vector<Diagnostic>& diagnostics);

}  // namespace helpmark
