#include "vocabulary/vocabulary_files.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "analysis/analyzer.hpp"
#include "vocabulary/synonyms.hpp"
#include "helpmark/indexer.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace helpmark {
namespace {

std::vector<fs::path> files_with_extension(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == extension) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A file with errors that leaves nothing usable (malformed YAML, bad UTF-8) would wipe the
// locale's vocabulary from the index: mark it broken, so the index keeps what it has, and say
// so in the file's last error. Files with some valid entries keep those, as always.
void keep_previous_when_unusable(std::vector<Diagnostic>& diags, std::size_t first_new, bool usable,
                                 const std::string& locale, const Taxonomy& taxonomy, std::set<std::string>& broken) {
  if (usable) return;
  const auto& locales = taxonomy.locales();
  if (std::find(locales.begin(), locales.end(), locale) == locales.end()) return;  // never stored anyway
  for (std::size_t i = diags.size(); i-- > first_new;) {
    if (diags[i].severity != Severity::kError) continue;
    broken.insert(locale);
    diags[i].message += "; `helpmark index` keeps the index's previous vocabulary for '" + locale + "' until this is fixed";
    return;
  }
}

}  // namespace

VocabularyFiles load_vocabulary_files(const fs::path& taxonomy_dir, const Taxonomy& taxonomy, bool stemming,
                                      std::vector<Diagnostic>& diags) {
  VocabularyFiles out;
  for (const auto& file : files_with_extension(taxonomy_dir / "synonyms", ".yaml")) {
    const std::string locale = file.stem().string();
    const std::string shown = file.generic_string();
    const std::size_t first_new = diags.size();
    const std::string content = read_file(file);
    if (std::size_t bad = text::find_invalid_utf8(content); bad != std::string::npos) {
      diags.push_back({Severity::kError, shown, text::line_of_offset(content, bad), "invalid UTF-8; save the file as UTF-8"});
      keep_previous_when_unusable(diags, first_new, false, locale, taxonomy, out.broken_synonyms);
      continue;
    }
    analysis::Analyzer analyzer(locale, stemming);
    auto table = vocabulary::SynonymTable::parse(content, shown, locale, taxonomy.locales(), analyzer, diags);
    keep_previous_when_unusable(diags, first_new, table.size() > 0, locale, taxonomy, out.broken_synonyms);
    out.synonyms[locale] = table.serialize();
    out.synonym_rules[locale] = table.size();
  }
  for (const auto& file : files_with_extension(taxonomy_dir / "spelling", ".txt")) {
    const std::string locale = file.stem().string();
    const std::string shown = file.generic_string();
    const std::size_t first_new = diags.size();
    const auto& locales = taxonomy.locales();
    if (std::find(locales.begin(), locales.end(), locale) == locales.end()) {
      diags.push_back({Severity::kError, shown, 0,
                       "spelling words for locale '" + locale + "', which the taxonomy's `locales` does not list"});
      continue;
    }
    const std::string content = read_file(file);
    if (std::size_t bad = text::find_invalid_utf8(content); bad != std::string::npos) {
      diags.push_back({Severity::kError, shown, text::line_of_offset(content, bad), "invalid UTF-8; save the file as UTF-8"});
      keep_previous_when_unusable(diags, first_new, false, locale, taxonomy, out.broken_spelling);
      continue;
    }
    std::set<std::string> seen;
    int line_no = 0;
    for (const auto& raw : text::split(content, '\n')) {
      ++line_no;
      std::string_view line = text::trim(raw);
      if (line.empty() || line.front() == '#') continue;
      if (line.find_first_of(" \t") != std::string_view::npos) {
        diags.push_back({Severity::kError, shown, line_no,
                         "'" + std::string(line) + "' is more than one word; write one word a line"});
        continue;
      }
      std::string word = analysis::fold(line);
      if (!seen.insert(word).second) {
        diags.push_back({Severity::kWarning, shown, line_no, "duplicate word '" + std::string(line) + "'"});
        continue;
      }
      out.spelling[locale].push_back(word);
    }
    keep_previous_when_unusable(diags, first_new, out.spelling.count(locale) > 0, locale, taxonomy, out.broken_spelling);
  }
  return out;
}

std::vector<Diagnostic> validate_vocabulary_files(const fs::path& taxonomy_dir, const Taxonomy& taxonomy) {
  std::vector<Diagnostic> diags;
  load_vocabulary_files(taxonomy_dir, taxonomy, /*stemming=*/true, diags);
  return diags;
}

}  // namespace helpmark
