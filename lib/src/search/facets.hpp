// Exact facet counts over every matching article, multi-valued fields included.
#pragma once

#include <xapian.h>

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "helpmark/index.hpp"

namespace helpmark::search {

/// Counts the facet values (see schema::encode_facets) of every document the match visits,
/// counting each translation group once: a group counts for a value when any of its matching
/// translations has it. The match must run with check_at_least = the document count for the
/// counts to be exact. Thread-compatible: one spy per search.
class FacetSpy : public Xapian::MatchSpy {
 public:
  explicit FacetSpy(std::set<std::string> fields) : fields_(std::move(fields)) {}
  void operator()(const Xapian::Document& doc, double weight) override;

  /// The counts, most frequent first, ties by value.
  std::map<std::string, std::vector<FacetCount>> result() const;
  /// Number of distinct translation groups seen: the exact number of results.
  std::size_t groups() const { return seen_.size(); }

 private:
  std::set<std::string> fields_;
  // group -> the "field\x1fvalue" records it has, so a value counts once per group.
  std::unordered_map<std::string, std::set<std::string>> seen_;
};

}  // namespace helpmark::search
