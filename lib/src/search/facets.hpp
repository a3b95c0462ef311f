// Exact facet counts over every matching article, multi-valued fields included.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "helpmark/index.hpp"

namespace helpmark::search {

/// The facet records ("field\x1fvalue", see schema::encode_facets) and translation group of
/// every document of one database revision, read once so that counting a match is integer
/// work instead of decoding strings per matching document. Immutable once built.
class FacetTable {
 public:
  /// Reads the facet and group value streams of `db` (one pass over each).
  static FacetTable build(const Xapian::Database& db);

  Xapian::rev revision() const { return revision_; }
  std::uint32_t group_count() const { return static_cast<std::uint32_t>(group_has_several_.size()); }
  std::uint32_t record_count() const { return static_cast<std::uint32_t>(record_field_.size()); }

  /// The group of a document; documents unknown to the table get their own pseudo-group.
  std::uint32_t group_of(Xapian::docid id) const { return id < group_of_.size() ? group_of_[id] : kNoGroup; }
  bool group_has_several(std::uint32_t group) const { return group_has_several_[group]; }
  /// The record ids of a document: [begin, end) of records().
  std::pair<const std::uint32_t*, const std::uint32_t*> records_of(Xapian::docid id) const;
  const std::string& field(std::uint32_t record) const { return record_field_[record]; }
  /// The documents of a group, in docid order.
  std::pair<const Xapian::docid*, const Xapian::docid*> members(std::uint32_t group) const {
    return {members_.data() + member_begin_[group], members_.data() + member_begin_[group + 1]};
  }
  /// The document's first value of `field` ("locale"), or "".
  std::string_view value_of(Xapian::docid id, std::string_view field) const;
  /// Whether the document has one of `values` in `field`; true when `values` is empty (no
  /// filter), as a search filter on that field would decide.
  bool has_any(Xapian::docid id, std::string_view field, const std::vector<std::string>& values) const;
  const std::string& value(std::uint32_t record) const { return record_value_[record]; }

  static constexpr std::uint32_t kNoGroup = 0xffffffffu;

 private:
  Xapian::rev revision_ = 0;
  std::vector<std::uint32_t> group_of_;        // by docid
  std::vector<bool> group_has_several_;        // by group: more than one translation
  std::vector<std::uint32_t> member_begin_;    // by group, into members_; one past the last too
  std::vector<Xapian::docid> members_;
  std::vector<std::uint32_t> record_begin_;    // by docid, into records_; one past the last docid too
  std::vector<std::uint32_t> records_;
  std::vector<std::string> record_field_;      // by record id
  std::vector<std::string> record_value_;
};

/// Counts the facet values of every document the match visits, counting each translation group
/// once: a group counts for a value when any of its matching translations has it. The match
/// must run with check_at_least = the document count for the counts to be exact. The table
/// must be of the database being searched. Thread-compatible: one spy per search.
class FacetSpy : public Xapian::MatchSpy {
 public:
  FacetSpy(const FacetTable& table, const std::set<std::string>& fields);
  void operator()(const Xapian::Document& doc, double weight) override;

  /// The counts, most frequent first, ties by value.
  std::map<std::string, std::vector<FacetCount>> result() const;
  /// Number of distinct translation groups seen: the exact number of results.
  std::size_t groups() const { return groups_; }

 private:
  const FacetTable& table_;
  std::set<std::string> fields_;
  std::vector<bool> wanted_;             // by record id: its field was asked for
  std::vector<bool> group_seen_;         // by group
  std::vector<std::uint32_t> counts_;    // by record id
  std::unordered_set<std::uint64_t> counted_;  // (group, record) of groups with several documents
  std::size_t groups_ = 0;
};

}  // namespace helpmark::search
