#include "tracking/report_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

namespace helpmark::tracking::format {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string pct(std::optional<double> v, const char* none) { return v ? fixed(*v * 100.0, 1) + "%" : none; }

std::string count(std::size_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

std::string duration(std::int64_t ms) {
  if (ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  return std::to_string(ms / 1000) + "s";
}

std::string deflection_cell(const Deflection& d, const char* none) {
  if (!d.rate()) return d.pending ? "pending" : none;
  return pct(d.rate()) + " of " + std::to_string(d.deflected + d.ticketed);
}

std::string helpful_cell(std::size_t yes, std::size_t no, const char* none) {
  if (yes + no == 0) return none;
  return pct(ratio(yes, yes + no)) + " of " + std::to_string(yes + no);
}

std::string reasons_cell(const std::map<std::string, std::size_t>& reasons, const char* empty) {
  std::vector<std::pair<std::string, std::size_t>> order(reasons.begin(), reasons.end());
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [code, n] : order) out += (out.empty() ? "" : ", ") + code + " " + std::to_string(n);
  return out.empty() ? empty : out;
}

std::vector<Headline> headlines(const Counts& now, const Counts& before) {
  std::vector<Headline> out;
  // `up_is_good`: +1 when a rise is good news, -1 when it is bad, 0 when it is neither.
  auto amount = [&](const char* name, std::size_t a, std::size_t b, int up_is_good) {
    const long long d = static_cast<long long>(a) - static_cast<long long>(b);
    out.push_back({name, std::to_string(a), std::to_string(b), d == 0 ? "0" : (d > 0 ? "+" : "") + std::to_string(d),
                   d == 0 ? 0 : (d > 0 ? up_is_good : -up_is_good)});
  };
  auto rate = [&](const char* name, std::optional<double> a, std::optional<double> b, int up_is_good) {
    Headline h{name, pct(a), pct(b), "-", 0};
    if (a && b) {
      const double points = std::round((*a - *b) * 1000.0) / 10.0;  // one decimal, as shown
      h.change = points == 0 ? "0 pts" : (points > 0 ? "+" : "") + fixed(points, 1) + " pts";
      h.direction = points == 0 ? 0 : (points > 0 ? up_is_good : -up_is_good);
    }
    out.push_back(std::move(h));
  };
  amount("sessions", now.sessions, before.sessions, 0);
  amount("searches", now.searches, before.searches, 0);
  rate("zero-result rate", ratio(now.zero_result_searches, now.searches),
       ratio(before.zero_result_searches, before.searches), -1);
  rate("searches clicked", ratio(now.clicked_searches, now.searches), ratio(before.clicked_searches, before.searches),
       +1);
  amount("article views", now.views, before.views, 0);
  rate("found it helpful", ratio(now.helpful_yes, now.helpful_yes + now.helpful_no),
       ratio(before.helpful_yes, before.helpful_yes + before.helpful_no), +1);
  amount("tickets", now.tickets, before.tickets, -1);
  rate("deflection", now.deflection.rate(), before.deflection.rate(), +1);
  return out;
}

}  // namespace helpmark::tracking::format
