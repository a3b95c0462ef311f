// Computing the effectiveness report from a store (internal).
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

#include "helpmark/tracking.hpp"

namespace helpmark::tracking::detail {

/// Computes the report inside a read transaction on `db`. Throws sql::Error.
Report compute_report(sqlite3* db, const ReportOptions& options);

/// The normalised key of a query: the stems of its words (stop words dropped unless that leaves
/// nothing), de-duplicated and sorted, joined by spaces. "Refunds late?" -> "late refund".
class QueryNormalizer {
 public:
  QueryNormalizer();
  ~QueryNormalizer();
  QueryNormalizer(const QueryNormalizer&) = delete;
  QueryNormalizer& operator=(const QueryNormalizer&) = delete;
  std::string key(const std::string& locale, std::string_view query);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace helpmark::tracking::detail
