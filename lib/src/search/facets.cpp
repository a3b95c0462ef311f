#include "search/facets.hpp"

#include <algorithm>
#include <string_view>

#include "index/schema.hpp"

namespace helpmark::search {

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  auto& records = seen_[doc.get_value(schema::kSlotGroup)];
  if (fields_.empty()) return;
  const std::string encoded = doc.get_value(schema::kSlotFacets);
  std::string_view rest = encoded;
  while (!rest.empty()) {
    std::size_t end = rest.find('\x1e');
    std::string_view record = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    std::size_t sep = record.find('\x1f');
    if (sep == std::string_view::npos) continue;
    if (!fields_.count(std::string(record.substr(0, sep)))) continue;
    records.emplace(record);
  }
}

std::map<std::string, std::vector<FacetCount>> FacetSpy::result() const {
  std::map<std::string, std::map<std::string, std::size_t>> counts;
  for (const auto& [group, records] : seen_)
    for (const auto& record : records) {
      std::size_t sep = record.find('\x1f');
      ++counts[record.substr(0, sep)][record.substr(sep + 1)];
    }
  std::map<std::string, std::vector<FacetCount>> out;
  for (const auto& field : fields_) {
    auto& list = out[field];
    if (auto it = counts.find(field); it != counts.end())
      for (const auto& [value, count] : it->second) list.push_back({value, count});
    std::sort(list.begin(), list.end(), [](const FacetCount& a, const FacetCount& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
  }
  return out;
}

}  // namespace helpmark::search
