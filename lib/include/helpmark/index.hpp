// Searching an index: helpmark::Index, SearchRequest, SearchResponse.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "helpmark/article.hpp"
#include "helpmark/status.hpp"

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

/// The query-time layers of the multilingual pipeline; each can be switched off to measure it.
/// (Stemming is decided when indexing: IndexOptions::stemming.)
struct SearchLayers {
  /// How documents are scored. The language model is the default because it measured better
  /// (README, "Search quality"); BM25 is kept as the classic baseline.
  enum class Ranking { kLanguageModel, kBm25 };
  Ranking ranking = Ranking::kLanguageModel;
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
  double score = 0;
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

struct SearchResponse {
  std::vector<Hit> hits;
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

  /// True when every searchable word of `text`, analysed as `locale` (empty: the default
  /// locale), is a word of the indexed articles; text with no searchable word is true. For the
  /// privacy mode that stores only queries made of the knowledge base's own words (names and
  /// addresses are not in it). kInvalidArgument for a malformed locale.
  Result<bool> in_vocabulary(std::string_view text, const std::string& locale) const;

  /// The index directory.
  const std::filesystem::path& path() const;

 private:
  class Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace helpmark
