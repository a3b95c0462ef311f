// Searching an index: helpmark::Index, SearchRequest, SearchResponse.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "helpmark/answer_model.hpp"
#include "helpmark/article.hpp"
#include "helpmark/status.hpp"
#include "helpmark/taxonomy.hpp"

namespace helpmark {
struct Answer;
struct AnswerOptions;
}  // namespace helpmark

namespace helpmark {

/// Restricts results. Values within one field are alternatives (OR); fields combine with AND.
struct SearchFilters {
  std::vector<std::string> journeys;
  std::vector<std::string> subtopics;
  std::vector<std::string> audiences;
  std::vector<std::string> tags;
  std::vector<std::string> locales;   ///< Exact locales; normally use SearchRequest::locale.
  std::vector<std::string> statuses;  ///< Default: published only.
};

/// The facet fields that can be counted.
inline constexpr const char* kFacetFields[] = {"journey", "subtopic", "audience", "locale",
                                               "tags", "status"};

/// The query-time layers of the pipeline; each can be switched off to measure what it adds.
/// (Stemming is decided when indexing: IndexOptions::stemming.)
struct SearchLayers {
  /// How Xapian weighs documents: as the index chose when it was built (from the knowledge
  /// base's own questions; `helpmark show --index-stats`), or forced, to compare.
  enum class Ranking { kChosen, kLanguageModel, kBm25 };
  Ranking ranking = Ranking::kChosen;
  bool model = true;      ///< Re-rank with the learned lexical model, when the index has one.
  bool synonyms = true;   ///< Expand with taxonomy/synonyms/<locale>.yaml.
  bool spelling = true;   ///< Correct unknown words ("did you mean").
  bool fallback = true;   ///< pt-BR falls back to pt, then to the default locale.
};

struct SearchRequest {
  std::string query;      ///< Free text; empty lists everything the filters allow.
  std::string locale;     ///< Preferred locale (BCP 47); empty searches every locale.
  SearchFilters filters;
  std::vector<std::string> facets;  ///< Fields from kFacetFields to count.
  std::size_t offset = 0;
  std::size_t limit = 10;           ///< At most kMaxLimit.
  SearchLayers layers;
  static constexpr std::size_t kMaxLimit = 1000;
  static constexpr std::size_t kMaxQueryBytes = 1024;
};

struct Correction {
  std::string from;  ///< Word as typed (folded).
  std::string to;    ///< Dictionary word used instead.
};

struct SynonymUse {
  std::string phrase;                   ///< The query phrase that matched a synonym entry.
  std::vector<std::string> expansions;  ///< What it was expanded to.
};

struct Hit {
  std::string id;
  std::string title;
  std::string summary;
  std::string snippet;    ///< HTML-escaped text with matched words in <mark>...</mark>.
  /// What results are ordered by: model_weight × model_score + (1 − model_weight) ×
  /// xapian_score / the best xapian_score of the query's candidates (RankingInfo).
  double score = 0;
  double xapian_score = 0;        ///< Xapian's weight (language model or BM25).
  double model_score = 0;         ///< The lexical model's decision value, when has_model_score.
  bool has_model_score = false;   ///< False: no model knows this article (or the layer is off).
  std::string journey;
  std::string subtopic;
  std::string locale;
  std::string path;
  std::vector<std::string> audience;
  std::vector<std::string> tags;
  std::string updated;
  std::string translation_group;  ///< `translation_of`, else the id: one result per group.
};

struct FacetCount {
  std::string value;
  std::size_t count = 0;
};

/// How a response was ranked (search --explain).
struct RankingInfo {
  std::string weighting;      ///< "lm(0.3)", "bm25(1.2,0.75)".
  double model_weight = 0;    ///< 0 when the model took no part.
  std::string chosen_by;      ///< How the index chose its settings.
};

struct SearchResponse {
  std::vector<Hit> hits;
  RankingInfo ranking;
  /// Exact counts over the whole filtered result set, per requested field, most frequent first.
  std::map<std::string, std::vector<FacetCount>> facets;
  std::size_t total = 0;  ///< Exact number of matching articles (translations count once).
  /// "Did you mean": the query with spelling corrections; empty when nothing was corrected.
  std::string corrected_query;
  /// True when the hits are for corrected_query ("showing results for ..."), because the
  /// query as typed found nothing or clearly worse results.
  bool auto_corrected = false;
  std::vector<Correction> corrections;
  std::vector<SynonymUse> synonyms;
  std::vector<std::string> locales;  ///< Locales searched, best first.
  /// Why there are no hits when the reason is the query itself (no searchable word); else empty.
  std::string notice;
};

/// A completion for a search box.
struct Suggestion {
  std::string text;        ///< The completed query.
  std::string kind;        ///< "title", "question" or "word".
  std::string article_id;  ///< For titles and questions.
  double score = 0;
};

/// What an index says about itself: how it ranks and what it learned (show --index-stats).
struct IndexStats {
  std::size_t articles = 0;
  std::string schema;          ///< Index format version.
  std::string default_locale;
  /// The ranking settings the knowledge base chose (or the defaults, and why).
  struct Ranking {
    std::string fields;        ///< Field weights: title.questions.summary.tags.headings.body
    std::string weighting;     ///< "lm(0.3)", "bm25(1.2,0.75)"
    double model_weight = 0;
    std::string chosen_by;
    std::string tuning_json;   ///< The held-out measurements (JSON object), or "".
  } ranking;
  /// One lexical model per locale that has one.
  struct Model {
    std::string locale;
    std::size_t articles = 0;
    std::size_t features = 0;
    std::size_t weights = 0;
    std::size_t bytes = 0;
    std::string error;         ///< Why it cannot be used (damaged), or "".
  };
  std::vector<Model> models;
  AnswerModel answer_model;
};

/// A read-only view of an index on disk.
///
/// Thread-safe: search(), get() and reopen() may be called from many threads at once. A
/// Xapian::Database handle is not thread-safe, so Index keeps a pool of handles and lends one
/// to each call.
class Index {
 public:
  /// Opens the index at `dir`: one written by build_index(), or a read replica of one kept by
  /// xapian-replicate. kNotFound when absent, kCorrupt when not a helpmark index.
  static Result<Index> open(const std::filesystem::path& dir);

  Index(Index&&) noexcept;
  Index& operator=(Index&&) noexcept;
  ~Index();

  Result<SearchResponse> search(const SearchRequest& request) const;

  /// The best article for a customer's question, with a calibrated confidence and whether to
  /// hand over to a human (see answer.hpp).
  Result<Answer> answer(const std::string& question, const std::string& locale,
                        const AnswerOptions& options) const;

  /// Completions of what is being typed (`prefix`): article titles and questions, then
  /// vocabulary words; typo-tolerant on the last word.
  Result<std::vector<Suggestion>> suggest(const std::string& prefix, const std::string& locale,
                                          std::size_t limit = 8) const;

  /// The stored article with `id` (including drafts and archived ones), or kNotFound.
  Result<Article> get(const std::string& id) const;

  /// Picks up the latest committed version of the index (on a replica, also a new copy the
  /// replica switched to). Searches already running finish on the version they started with.
  Status reopen();

  /// Number of articles (all statuses).
  std::size_t size() const;

  /// How the index ranks and what its models learned.
  Result<IndexStats> stats() const;
  /// True when every searchable word of `text`, analysed as `locale` (empty: the default
  /// locale), is a word of the indexed articles; text with no searchable word is true. For the
  /// privacy mode that stores only queries made of the knowledge base's own words (names and
  /// addresses are not in it). kInvalidArgument for a malformed locale.
  Result<bool> in_vocabulary(std::string_view text, const std::string& locale) const;

  /// The taxonomy the index was built with (journeys, sub-topics, their labels per locale),
  /// for a site's navigation. kNotFound for an index built before helpmark kept it: re-index.
  Result<Taxonomy> taxonomy() const;

  /// The index directory.
  const std::filesystem::path& path() const;

 private:
  class Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace helpmark
