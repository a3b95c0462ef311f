// From query text to a Xapian query, one locale chain at a time: ICU analysis, spelling
// correction, synonym expansion, stemming with every analyzer of the chain.
#pragma once

#include <xapian.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "helpmark/index.hpp"
#include "vocabulary/dictionary.hpp"
#include "vocabulary/spelling.hpp"
#include "vocabulary/synonyms.hpp"

namespace helpmark::search {

/// What a locale contributes to query building. Speller and synonyms are shared, immutable.
struct LocaleContext {
  std::string locale;
  analysis::Analyzer* analyzer = nullptr;            ///< Owned by the caller's handle.
  std::function<const vocabulary::Speller*()> speller;           ///< Built on first need; may return null.
  std::shared_ptr<const vocabulary::SynonymTable> synonyms;      ///< May be null.
  /// The language's dictionary, loaded on first need; may return null (none installed).
  std::function<const vocabulary::LanguageDictionary*()> dictionary;
};

struct QueryWord {
  std::string typed;                 ///< Folded word as typed.
  std::string used;                  ///< After spelling correction (== typed when none).
  std::vector<std::string> stems;    ///< Union of the chain's stems of `used`.
};

struct PreparedQuery {
  Xapian::Query query;                       ///< MatchAll when there are no words (browse).
  bool browse = true;
  bool no_searchable_words = false;          ///< Text was typed, but analysis left no word: matches nothing.
  std::vector<QueryWord> words;              ///< Words searched (stop words dropped).
  std::set<std::string> highlight_stems;     ///< Stems to mark in snippets.
  std::vector<Correction> corrections;       ///< Words changed by spelling correction.
  std::string corrected_text;                ///< The query with corrections, when any.
  std::vector<SynonymUse> synonyms;          ///< Synonym rules applied.
};

/// Builds queries for one request. Not thread-safe (uses the handle's analyzers).
class QueryBuilder {
 public:
  /// `chain` is the locales searched, best first; chain[0] analyses the text.
  QueryBuilder(std::vector<LocaleContext> chain, const Xapian::Database& db)
      : chain_(std::move(chain)), db_(db) {}

  /// `correct`: replace unknown words by their spelling corrections. `synonyms`: expand.
  PreparedQuery prepare(const std::string& text, bool correct, bool synonyms) const;

 private:
  bool known(const analysis::Token& token) const;
  std::vector<LocaleContext> chain_;
  const Xapian::Database& db_;
};

}  // namespace helpmark::search
