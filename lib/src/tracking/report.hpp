// Computing the effectiveness report from a store (internal).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "helpmark/tracking.hpp"

namespace helpmark::tracking::detail {

/// Computes the report inside a read transaction on `db`. Throws sql::Error.
Report compute_report(sqlite3* db, const ReportOptions& options);

/// Groups queries whose words share stems: "Refund" and "refunds", and also "devolución" and
/// "devolucion" (the accented word stems to "devolu", the typed-without-accent one to
/// "devolucion"; both stems of the accented word link them). add() every query, then finish(),
/// then key() gives each query's group key: the canonical stems of its words (stop words dropped
/// unless that leaves nothing), de-duplicated, sorted, joined by spaces ("late refund").
class QueryNormalizer {
 public:
  QueryNormalizer();
  ~QueryNormalizer();
  QueryNormalizer(const QueryNormalizer&) = delete;
  QueryNormalizer& operator=(const QueryNormalizer&) = delete;
  void add(const std::string& locale, std::string_view query);
  void finish();
  /// The key of a query given to add() (others are analysed on the spot).
  std::string key(const std::string& locale, std::string_view query);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace helpmark::tracking::detail
