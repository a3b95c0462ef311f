// Cells and figures shared by the report's formats (text, JSON/CSV, HTML/SVG): one wording of
// each number, so the formats cannot disagree (internal).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "helpmark/tracking.hpp"

namespace helpmark::tracking::format {

/// `v` with `decimals` digits after the point ("12.5").
std::string fixed(double v, int decimals);
/// A ratio as a percentage with one decimal ("12.5%"), or `none`.
std::string pct(std::optional<double> v, const char* none = "-");
/// "1 search", "3 searches".
std::string count(std::size_t n, const char* singular, const char* plural);
/// A window as written on the command line: "24h", "90m", "30s".
std::string duration(std::int64_t ms);
/// "80.0% of 5", "pending" or `none`.
std::string deflection_cell(const Deflection& d, const char* none = "-");
/// "66.7% of 3" or `none`.
std::string helpful_cell(std::size_t yes, std::size_t no, const char* none = "-");
/// "outdated 2, unclear 1": the reasons of the "not helpful" votes, most given first.
std::string reasons_cell(const std::map<std::string, std::size_t>& reasons, const char* empty);

/// One headline figure of the comparison with the previous period.
struct Headline {
  std::string name;                  ///< "searches", "zero-result rate", ...
  std::string current, previous;     ///< As shown ("120", "12.5%", "-").
  std::string change;                ///< "+20", "-3", "+2.1 pts", "0"; "-" when not comparable.
  int direction = 0;                 ///< +1 better, -1 worse, 0 neither (for colours).
};
/// The headline figures of `now` against `before`, in a fixed order.
std::vector<Headline> headlines(const Counts& now, const Counts& before);

}  // namespace helpmark::tracking::format
