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

struct SearchRequest {
  std::string query;      ///< Free text; empty lists everything the filters allow.
  std::string locale;     ///< Preferred locale (BCP 47); empty searches every locale.
  SearchFilters filters;
  std::vector<std::string> facets;  ///< Fields from kFacetFields to count.
  std::size_t offset = 0;
  std::size_t limit = 10;           ///< At most kMaxLimit.
  static constexpr std::size_t kMaxLimit = 1000;
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
};

struct FacetCount {
  std::string value;
  std::size_t count = 0;
};

struct SearchResponse {
  std::vector<Hit> hits;
  /// Exact counts over the whole filtered result set, per requested field, most frequent first.
  std::map<std::string, std::vector<FacetCount>> facets;
  std::size_t total = 0;  ///< Exact number of matching articles.
};

/// A read-only view of an index on disk.
///
/// Thread-safe: search(), get() and reopen() may be called from many threads at once. A
/// Xapian::Database handle is not thread-safe, so Index keeps a pool of handles and lends one
/// to each call.
class Index {
 public:
  /// Opens the index at `dir`. kNotFound when absent, kCorrupt when not a helpmark index.
  static Result<Index> open(const std::filesystem::path& dir);

  Index(Index&&) noexcept;
  Index& operator=(Index&&) noexcept;
  ~Index();

  Result<SearchResponse> search(const SearchRequest& request) const;

  /// The stored article with `id` (including drafts and archived ones), or kNotFound.
  Result<Article> get(const std::string& id) const;

  /// Picks up the latest committed version of the index. Searches already running finish on
  /// the version they started with.
  Status reopen();

  /// Number of articles (all statuses).
  std::size_t size() const;

 private:
  class Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace helpmark
