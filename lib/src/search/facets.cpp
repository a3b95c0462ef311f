#include "search/facets.hpp"

#include <algorithm>
#include <string_view>

#include "index/schema.hpp"

namespace helpmark::search {

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  const std::string encoded = doc.get_value(schema::kSlotFacets);
  std::string_view rest = encoded;
  while (!rest.empty()) {
    std::size_t end = rest.find('\x1e');
    std::string_view record = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    std::size_t sep = record.find('\x1f');
    if (sep == std::string_view::npos) continue;
    std::string field(record.substr(0, sep));
    if (!fields_.count(field)) continue;
    ++counts_[field][std::string(record.substr(sep + 1))];
  }
}

std::map<std::string, std::vector<FacetCount>> FacetSpy::result() const {
  std::map<std::string, std::vector<FacetCount>> out;
  for (const auto& field : fields_) {
    auto& list = out[field];
    if (auto it = counts_.find(field); it != counts_.end())
      for (const auto& [value, count] : it->second) list.push_back({value, count});
    std::sort(list.begin(), list.end(), [](const FacetCount& a, const FacetCount& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
  }
  return out;
}

}  // namespace helpmark::search
