#include "search/facets.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "index/schema.hpp"

namespace helpmark::search {

FacetTable FacetTable::build(const Xapian::Database& db) {
  FacetTable t;
  t.revision_ = db.get_revision();
  const Xapian::docid last = db.get_lastdocid();
  t.group_of_.assign(static_cast<std::size_t>(last) + 1, kNoGroup);
  t.record_begin_.assign(static_cast<std::size_t>(last) + 2, 0);

  std::unordered_map<std::string, std::uint32_t> group_ids;
  std::vector<std::uint32_t> group_sizes;
  for (auto it = db.valuestream_begin(schema::kSlotGroup); it != db.valuestream_end(schema::kSlotGroup); ++it) {
    auto [pos, added] = group_ids.emplace(*it, static_cast<std::uint32_t>(group_sizes.size()));
    if (added) group_sizes.push_back(0);
    ++group_sizes[pos->second];
    t.group_of_[it.get_docid()] = pos->second;
  }
  t.group_has_several_.resize(group_sizes.size());
  for (std::size_t g = 0; g < group_sizes.size(); ++g) t.group_has_several_[g] = group_sizes[g] > 1;
  t.member_begin_.assign(group_sizes.size() + 1, 0);
  for (std::size_t g = 0; g < group_sizes.size(); ++g) t.member_begin_[g + 1] = t.member_begin_[g] + group_sizes[g];
  t.members_.resize(t.member_begin_.back());
  std::vector<std::uint32_t> filled(t.member_begin_.begin(), t.member_begin_.end() - 1);
  for (Xapian::docid id = 1; id < t.group_of_.size(); ++id)
    if (t.group_of_[id] != kNoGroup) t.members_[filled[t.group_of_[id]]++] = id;

  // Records in docid order (the value stream's order), so each document's are contiguous.
  std::unordered_map<std::string, std::uint32_t> record_ids;
  Xapian::docid next = 1;
  for (auto it = db.valuestream_begin(schema::kSlotFacets); it != db.valuestream_end(schema::kSlotFacets); ++it) {
    const Xapian::docid id = it.get_docid();
    for (; next <= id; ++next) t.record_begin_[next] = static_cast<std::uint32_t>(t.records_.size());
    const std::string encoded = *it;
    std::string_view rest = encoded;
    while (!rest.empty()) {
      const std::size_t end = rest.find('\x1e');
      const std::string_view record = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      const std::size_t sep = record.find('\x1f');
      if (sep == std::string_view::npos) continue;
      auto [pos, added] = record_ids.emplace(std::string(record), static_cast<std::uint32_t>(t.record_field_.size()));
      if (added) {
        t.record_field_.emplace_back(record.substr(0, sep));
        t.record_value_.emplace_back(record.substr(sep + 1));
      }
      t.records_.push_back(pos->second);
    }
  }
  for (; next <= last + 1; ++next) t.record_begin_[next] = static_cast<std::uint32_t>(t.records_.size());
  return t;
}

std::pair<const std::uint32_t*, const std::uint32_t*> FacetTable::records_of(Xapian::docid id) const {
  if (id == 0 || id + 1 >= record_begin_.size()) return {nullptr, nullptr};
  return {records_.data() + record_begin_[id], records_.data() + record_begin_[id + 1]};
}

std::string_view FacetTable::value_of(Xapian::docid id, std::string_view field) const {
  auto [begin, end] = records_of(id);
  for (const std::uint32_t* r = begin; r != end; ++r)
    if (record_field_[*r] == field) return record_value_[*r];
  return {};
}

bool FacetTable::has_any(Xapian::docid id, std::string_view field, const std::vector<std::string>& values) const {
  if (values.empty()) return true;
  auto [begin, end] = records_of(id);
  for (const std::uint32_t* r = begin; r != end; ++r)
    if (record_field_[*r] == field && std::find(values.begin(), values.end(), record_value_[*r]) != values.end())
      return true;
  return false;
}

FacetSpy::FacetSpy(const FacetTable& table, const std::set<std::string>& fields)
    : table_(table), fields_(fields), group_seen_(table.group_count()) {
  if (fields_.empty()) return;
  wanted_.resize(table.record_count());
  for (std::uint32_t r = 0; r < table.record_count(); ++r) wanted_[r] = fields_.count(table.field(r)) > 0;
  counts_.assign(table.record_count(), 0);
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  const Xapian::docid id = doc.get_docid();
  const std::uint32_t group = table_.group_of(id);
  if (group == FacetTable::kNoGroup) {  // not in the table (of another revision): counted only
    ++groups_;
    return;
  }
  if (!group_seen_[group]) {
    group_seen_[group] = true;
    ++groups_;
  }
  if (fields_.empty()) return;
  const bool several = table_.group_has_several(group);
  auto [begin, end] = table_.records_of(id);
  for (const std::uint32_t* r = begin; r != end; ++r) {
    if (!wanted_[*r]) continue;
    if (several && !counted_.insert((static_cast<std::uint64_t>(group) << 32) | *r).second) continue;
    ++counts_[*r];
  }
}

std::map<std::string, std::vector<FacetCount>> FacetSpy::result() const {
  std::map<std::string, std::vector<FacetCount>> out;
  for (const auto& field : fields_) out[field];
  for (std::uint32_t r = 0; r < counts_.size(); ++r)
    if (counts_[r] > 0) out[table_.field(r)].push_back({table_.value(r), counts_[r]});
  for (auto& [field, list] : out)
    std::sort(list.begin(), list.end(), [](const FacetCount& a, const FacetCount& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
  return out;
}

}  // namespace helpmark::search
