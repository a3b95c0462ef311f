// Index::Impl, shared by the files that implement Index: index.cpp (pool, search, get),
// answer.cpp and suggest.cpp.
#pragma once

#include <xapian.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "helpmark/answer.hpp"
#include "helpmark/index.hpp"
#include "index/ranking_settings.hpp"
#include "model/lexical_model.hpp"
#include "search/facets.hpp"
#include "search/query_builder.hpp"
#include "search/ranking.hpp"
#include "vocabulary/spelling.hpp"
#include "vocabulary/synonyms.hpp"

namespace helpmark {

/// One Xapian handle and its analyzers; used by one thread at a time.
struct Handle {
  Xapian::Database db;
  std::uint64_t generation = 0;
  std::map<std::string, std::unique_ptr<analysis::Analyzer>> analyzers;
  std::unique_ptr<search::FacetTable> facets;  ///< Of db's revision; see facet_table().
  /// Per locale: its lexical model's articles in db's revision; see model_view().
  struct RevisionModelView {
    Xapian::rev revision = 0;
    std::unique_ptr<search::ModelView> view;
  };
  std::map<std::string, RevisionModelView> model_views;

  /// The facet table of this handle's database revision, rebuilt when the revision changed.
  const search::FacetTable& facet_table();
  /// The locale's model as this revision sees it, rebuilt when the revision or model changed.
  const search::ModelView& model_view(const std::string& locale, std::shared_ptr<const model::LexicalModel> model);
};

/// Titles and questions of one locale, indexed by their words' stems, for autocomplete.
struct PhraseIndex {
  struct Phrase {
    std::string text;
    std::string article_id;
    bool title = false;
  };
  std::vector<Phrase> phrases;
  std::map<std::string, std::vector<std::uint32_t>> by_stem;  ///< sorted: prefix ranges
  std::map<std::string, std::vector<std::uint32_t>> by_word;  ///< folded surface words
};

/// Per-locale query resources, shared by all threads; built lazily, immutable once built.
struct LocaleResources {
  std::once_flag speller_once;
  std::unique_ptr<vocabulary::Speller> speller;
  std::shared_ptr<const vocabulary::SynonymTable> synonyms;
  std::once_flag phrases_once;
  std::unique_ptr<PhraseIndex> phrases;
  std::once_flag model_once;
  std::shared_ptr<const model::LexicalModel> model;  ///< Null when the locale has none.
  std::once_flag dictionary_once;
  std::unique_ptr<vocabulary::LanguageDictionary> dictionary;  ///< Null when none is installed.
};

/// What one revision of the index says about itself.
struct Snapshot {
  std::uint64_t generation = 0;
  std::string default_locale = "en";
  bool stemming = true;
  AnswerModel model;
  RankingSettings ranking;
  std::mutex mu;  // guards `resources`
  std::map<std::string, std::shared_ptr<LocaleResources>> resources;
};

struct RankedHit {
  Hit hit;                      ///< The translation shown (best locale of the chain).
  Xapian::docid docid = 0;      ///< Its document, for the full article (answers).
  std::string snippet_source;   ///< Text to cut the snippet from.
  double weight = 0;            ///< Xapian's weight.
  std::set<std::string> matched_stems;  ///< Filled when asked for (answers).
};

struct Ranked {
  search::PreparedQuery prepared;  ///< The query whose results these are.
  std::vector<RankedHit> hits;
  std::vector<search::Candidate> candidates;  ///< Every candidate, fused order (hits are a page).
  RankingInfo ranking;
  std::size_t total = 0;
  std::map<std::string, std::vector<FacetCount>> facets;
  std::vector<std::string> chain;
  bool auto_corrected = false;
  std::string corrected_query;
  std::vector<Correction> corrections;
  double max_possible = 0;  ///< Upper bound of any document's weight for the query.
};

struct RankRequest {
  std::string query;
  std::string locale;
  SearchFilters filters;
  SearchLayers layers;
  std::vector<std::string> facets;
  std::size_t offset = 0;
  std::size_t limit = 10;
  bool matched_stems = false;
};

class Index::Impl {
 public:
  Impl(std::filesystem::path dir, Xapian::Database first);

  class Lease {
   public:
    Lease(Impl& impl, std::unique_ptr<Handle> h) : impl_(impl), handle_(std::move(h)) {}
    ~Lease() { impl_.give_back(std::move(handle_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Handle* operator->() { return handle_.get(); }
    Handle& operator*() { return *handle_; }

   private:
    Impl& impl_;
    std::unique_ptr<Handle> handle_;
  };

  Lease lease();
  void give_back(std::unique_ptr<Handle> handle);
  std::shared_ptr<Snapshot> snapshot() const;
  Status reopen();

  Result<SearchResponse> search(const SearchRequest& request);
  Result<Answer> answer(const std::string& question, const std::string& locale, const AnswerOptions& options);
  Result<std::vector<Suggestion>> suggest(const std::string& prefix, const std::string& locale, std::size_t limit);
  Result<Article> get(const std::string& id);
  std::size_t size();
  IndexStats stats();
  const std::filesystem::path& dir() const { return dir_; }

  /// Ranks with retry on DatabaseModifiedError. Shared by search and answer.
  Ranked rank(Handle& handle, Snapshot& snapshot, const RankRequest& request);
  analysis::Analyzer& analyzer(Handle& handle, const Snapshot& snapshot, const std::string& locale);
  LocaleResources& resources(Handle& handle, Snapshot& snapshot, const std::string& locale);
  /// The locale's speller, built on first use; null when the index has no vocabulary for it.
  const vocabulary::Speller* speller(Handle& handle, Snapshot& snapshot, const std::string& locale);
  /// The locale's lexical model, loaded on first use; null when it has none (or it is damaged).
  std::shared_ptr<const model::LexicalModel> lexical_model(Handle& handle, Snapshot& snapshot, const std::string& locale);
  std::vector<std::string> chain(const Snapshot& snapshot, const std::string& locale, bool fallback) const;
  search::QueryBuilder builder(Handle& handle, Snapshot& snapshot, const std::vector<std::string>& chain);

 private:
  Ranked rank_once(Handle& handle, Snapshot& snapshot, const RankRequest& request);
  std::shared_ptr<Snapshot> load_snapshot(const Xapian::Database& db, std::uint64_t generation) const;

  std::filesystem::path dir_;
  mutable std::mutex mu_;  // guards free_ and snapshot_
  std::vector<std::unique_ptr<Handle>> free_;
  std::shared_ptr<Snapshot> snapshot_;
  std::atomic<std::uint64_t> generation_{0};
};

/// Validates what every query-taking call shares.
Status check_query_text(const std::string& text);
/// A request's locale in canonical case ("pt-br" -> "pt-BR"); kInvalidArgument when it is not
/// a well-formed BCP 47 tag of at most 35 bytes. Empty stays empty (every locale).
Status canonicalise_locale(std::string& locale);

}  // namespace helpmark
