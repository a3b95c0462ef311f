// Synonym tables per locale: two-way groups and one-way mappings of single- or multi-word
// phrases, matched on stems so inflected forms match too.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/analyzer.hpp"
#include "helpmark/status.hpp"

namespace helpmark::vocabulary {

/// A phrase as analysed: one entry per non-stop word, each the stems that word can have.
using StemPhrase = std::vector<std::vector<std::string>>;

struct SynonymRule {
  std::string lhs_text;              ///< As written, for explanations.
  StemPhrase lhs;                    ///< With stop words: matched against all query words.
  std::vector<std::string> rhs_text;
  std::vector<StemPhrase> rhs;
};

/// An immutable table once built: thread-safe for concurrent const use.
class SynonymTable {
 public:
  /// Parses and validates `taxonomy/synonyms/<locale>.yaml`. Problems (unknown locale, empty or
  /// duplicate entries, entries of stop words only, bad syntax, groups over the limits below)
  /// become diagnostics with the file and line; valid entries are kept.
  /// Most phrases in one group, and most targets of one one-way rule.
  static constexpr std::size_t kMaxGroupEntries = 50;
  /// Most expansions (a group of n phrases makes n*(n-1)) one locale's file may define.
  static constexpr std::size_t kMaxExpansions = 20000;

  static SynonymTable parse(std::string_view yaml, const std::string& path,
                            const std::string& locale, const std::vector<std::string>& known_locales,
                            analysis::Analyzer& analyzer, std::vector<Diagnostic>& diagnostics);

  std::string serialize() const;
  static SynonymTable deserialize(std::string_view data);

  struct Match {
    std::size_t begin = 0;  ///< Word span [begin, end) of the query.
    std::size_t end = 0;
    const SynonymRule* rule = nullptr;
  };
  /// Non-overlapping matches, longest first, left to right. `words[i]` are the stems of query
  /// word i, stop words included.
  std::vector<Match> find(const StemPhrase& words) const;

  std::size_t size() const { return rules_.size(); }
  const std::vector<SynonymRule>& rules() const { return rules_; }

 private:
  void add(SynonymRule rule);
  std::vector<SynonymRule> rules_;
  std::unordered_multimap<std::string, std::size_t> by_first_stem_;
};

/// Analyses a phrase into its stem phrase. Stop words are kept where they tell phrases apart
/// ("sign in" vs "sign up": the left sides of rules, matched against every query word) and
/// dropped where the phrase becomes a query (right sides: stop words are not indexed).
StemPhrase analyse_phrase(std::string_view phrase, analysis::Analyzer& analyzer, bool keep_stopwords);

}  // namespace helpmark::vocabulary
