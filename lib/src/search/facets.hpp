// Exact facet counts over every matching document, multi-valued fields included.
#pragma once

#include <xapian.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "helpmark/index.hpp"

namespace helpmark::search {

/// Counts the facet values (see schema::encode_facets) of every document the match visits.
/// The match must be run with check_at_least = the document count for the counts to be exact.
/// Thread-compatible: one spy per search.
class FacetSpy : public Xapian::MatchSpy {
 public:
  explicit FacetSpy(std::set<std::string> fields) : fields_(std::move(fields)) {}
  void operator()(const Xapian::Document& doc, double weight) override;

  /// The counts, most frequent first, ties by value.
  std::map<std::string, std::vector<FacetCount>> result() const;

 private:
  std::set<std::string> fields_;
  std::map<std::string, std::map<std::string, std::size_t>> counts_;
};

}  // namespace helpmark::search
