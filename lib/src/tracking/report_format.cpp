// Rendering the effectiveness report: terminal tables, JSON, CSV and a self-contained HTML page.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>

#include "helpmark/tracking.hpp"
#include "util/text.hpp"

namespace helpmark::tracking {
namespace {

using nlohmann::ordered_json;

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string pct(std::optional<double> v, const char* none = "-") {
  return v ? fixed(*v * 100.0, 1) + "%" : none;
}

std::string count(std::size_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

std::string duration(std::int64_t ms) {
  if (ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  return std::to_string(ms / 1000) + "s";
}

// ---- terminal tables ------------------------------------------------------------------------

// Columns a string occupies on a terminal: wide East Asian characters take two, combining marks
// none.
std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0) len = 4, cp = c & 0x07u;
    else if (c >= 0xE0) len = 3, cp = c & 0x0Fu;
    else if (c >= 0xC0) len = 2, cp = c & 0x1Fu;
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    i += len;
    if ((cp >= 0x0300 && cp <= 0x036F) || cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) ||
        (cp >= 0x0E47 && cp <= 0x0E4E) || (cp >= 0x200B && cp <= 0x200F))
      continue;
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

// Cuts `s` to at most `max` columns, ending in "…" when cut; control characters become spaces
// so a query cannot move the cursor or colour the terminal.
std::string clip(std::string_view s, std::size_t max) {
  std::string clean;
  for (char c : s) clean += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  if (display_width(clean) <= max) return clean;
  std::string out;
  for (std::size_t i = 0; i < clean.size();) {
    std::size_t len = 1;
    const auto c = static_cast<unsigned char>(clean[i]);
    if (c >= 0xF0) len = 4;
    else if (c >= 0xE0) len = 3;
    else if (c >= 0xC0) len = 2;
    std::string next = out + clean.substr(i, len);
    if (display_width(next) + 1 > max) break;
    out = std::move(next);
    i += len;
  }
  return out + "…";
}

class Table {
 public:
  explicit Table(std::vector<std::string> headers, std::string right_aligned)
      : headers_(std::move(headers)), right_(std::move(right_aligned)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }

  std::string render() const {
    std::vector<std::size_t> width(headers_.size());
    for (std::size_t c = 0; c < headers_.size(); ++c) width[c] = display_width(headers_[c]);
    for (const auto& r : rows_)
      for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], display_width(r[c]));
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
      out += "  ";
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const std::size_t pad = width[c] - display_width(cells[c]);
        const bool right = c < right_.size() && right_[c] == 'r';
        if (right) out.append(pad, ' ');
        out += cells[c];
        if (!right && c + 1 < cells.size()) out.append(pad, ' ');
        if (c + 1 < cells.size()) out += "  ";
      }
      out += "\n";
    };
    line(headers_);
    for (const auto& r : rows_) line(r);
    return out;
  }

 private:
  std::vector<std::string> headers_;
  std::string right_;
  std::vector<std::vector<std::string>> rows_;
};

std::string deflection_cell(const Deflection& d) {
  if (!d.rate()) return d.pending ? "pending" : "-";
  return pct(d.rate()) + " of " + std::to_string(d.deflected + d.ticketed);
}

// "outdated 2, unclear 1": the reasons of the "not helpful" votes, most given first.
std::string reasons_cell(const std::map<std::string, std::size_t>& reasons, const char* empty) {
  std::vector<std::pair<std::string, std::size_t>> order(reasons.begin(), reasons.end());
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [code, n] : order) out += (out.empty() ? "" : ", ") + code + " " + std::to_string(n);
  return out.empty() ? empty : out;
}

std::string helpful_cell(std::size_t yes, std::size_t no) {
  if (yes + no == 0) return "-";
  return pct(ratio(yes, yes + no)) + " of " + std::to_string(yes + no);
}

void group_table(std::string& out, const char* title, const char* name,
                 const std::vector<GroupMetrics>& groups, std::size_t limit) {
  if (groups.empty()) return;
  out += std::string("\n") + title + "\n";
  Table t({name, "SESSIONS", "SEARCHES", "ZERO", "CLICKED", "VIEWS", "HELPFUL", "BOT", "TICKETS", "DEFLECTION"},
          "lrrrrrrrrr");
  std::size_t n = 0;
  for (const auto& g : groups) {
    if (n++ >= limit) break;
    const Counts& c = g.counts;
    t.add({clip(g.value, 32), std::to_string(c.sessions), std::to_string(c.searches),
           pct(ratio(c.zero_result_searches, c.searches)), pct(ratio(c.clicked_searches, c.searches)),
           std::to_string(c.views), helpful_cell(c.helpful_yes, c.helpful_no),
           std::to_string(c.bot_answers), std::to_string(c.tickets), deflection_cell(c.deflection)});
  }
  out += t.render();
}

void query_table(std::string& out, const std::string& title, const std::vector<QueryMetrics>& queries) {
  out += "\n" + title + "\n";
  if (queries.empty()) {
    out += "  (none)\n";
    return;
  }
  Table t({"QUERY", "LOCALE", "SEARCHES", "SESSIONS", "ZERO", "CLICKED", "REFINED", "ABANDONED", "ALSO TYPED"},
          "llrrrrrrl");
  for (const auto& q : queries) {
    std::string also;
    for (std::size_t i = 1; i < q.variants.size() && i < 3; ++i)
      also += (also.empty() ? "" : ", ") + clip(q.variants[i].first, 20);
    t.add({q.text.empty() ? "(empty)" : clip(q.text, 36), q.locale, std::to_string(q.searches),
           std::to_string(q.sessions), std::to_string(q.zero_results), pct(q.ctr()),
           std::to_string(q.refined), std::to_string(q.abandoned), also});
  }
  out += t.render();
}

// ---- JSON -----------------------------------------------------------------------------------

ordered_json opt(std::optional<double> v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

ordered_json deflection_json(const Deflection& d) {
  return {{"viewing_sessions", d.viewing_sessions}, {"deflected", d.deflected},
          {"ticketed", d.ticketed}, {"pending", d.pending}, {"rate", opt(d.rate())}};
}

ordered_json counts_json(const Counts& c) {
  return {{"sessions", c.sessions},
          {"searches", c.searches},
          {"zero_result_searches", c.zero_result_searches},
          {"zero_result_rate", opt(ratio(c.zero_result_searches, c.searches))},
          {"clicked_searches", c.clicked_searches},
          {"search_ctr", opt(ratio(c.clicked_searches, c.searches))},
          {"refined_searches", c.refined_searches},
          {"abandoned_searches", c.abandoned_searches},
          {"clicks", c.clicks},
          {"views", c.views},
          {"helpful_yes", c.helpful_yes},
          {"helpful_no", c.helpful_no},
          {"helpful_ratio", opt(ratio(c.helpful_yes, c.helpful_yes + c.helpful_no))},
          {"bot_answers", c.bot_answers},
          {"bot_accepted", c.bot_accepted},
          {"bot_escalated", c.bot_escalated},
          {"tickets", c.tickets},
          {"deflection", deflection_json(c.deflection)}};
}

ordered_json query_json(const QueryMetrics& q) {
  ordered_json variants = ordered_json::array();
  for (const auto& [text, n] : q.variants) variants.push_back({{"text", text}, {"searches", n}});
  return {{"query", q.text},          {"key", q.key},
          {"locale", q.locale},       {"searches", q.searches},
          {"sessions", q.sessions},   {"zero_results", q.zero_results},
          {"clicked", q.clicked},     {"ctr", opt(q.ctr())},
          {"refined", q.refined},     {"abandoned", q.abandoned},
          {"variants", variants}};
}

ordered_json groups_json(const std::vector<GroupMetrics>& groups, const char* name) {
  ordered_json out = ordered_json::array();
  for (const auto& g : groups) {
    ordered_json j = {{name, g.value}};
    const ordered_json counts = counts_json(g.counts);
    for (auto it = counts.begin(); it != counts.end(); ++it) j[it.key()] = it.value();
    out.push_back(j);
  }
  return out;
}

// ---- CSV ------------------------------------------------------------------------------------

// RFC 4180 quoting; text a spreadsheet would evaluate (=, +, -, @ first) gets a leading '.
std::string csv_text(std::string_view s) {
  std::string v(s);
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_num(std::size_t v) { return std::to_string(v); }
std::string csv_rate(std::optional<double> v) { return v ? fixed(*v, 4) : ""; }

std::string csv_row(const std::vector<std::string>& cells) { return text::join(cells, ",") + "\r\n"; }

std::vector<std::string> counts_header() {
  return {"sessions", "searches", "zero_result_searches", "zero_result_rate", "clicked_searches",
          "search_ctr", "refined_searches", "abandoned_searches", "clicks", "views", "helpful_yes",
          "helpful_no", "helpful_ratio", "bot_answers", "bot_accepted", "bot_escalated", "tickets",
          "viewing_sessions", "deflected", "ticketed", "pending", "deflection_rate"};
}

std::vector<std::string> counts_cells(const Counts& c) {
  return {csv_num(c.sessions), csv_num(c.searches), csv_num(c.zero_result_searches),
          csv_rate(ratio(c.zero_result_searches, c.searches)), csv_num(c.clicked_searches),
          csv_rate(ratio(c.clicked_searches, c.searches)), csv_num(c.refined_searches),
          csv_num(c.abandoned_searches), csv_num(c.clicks), csv_num(c.views), csv_num(c.helpful_yes),
          csv_num(c.helpful_no), csv_rate(ratio(c.helpful_yes, c.helpful_yes + c.helpful_no)),
          csv_num(c.bot_answers), csv_num(c.bot_accepted), csv_num(c.bot_escalated), csv_num(c.tickets),
          csv_num(c.deflection.viewing_sessions), csv_num(c.deflection.deflected),
          csv_num(c.deflection.ticketed), csv_num(c.deflection.pending), csv_rate(c.deflection.rate())};
}

std::string csv_queries(const std::vector<QueryMetrics>& queries) {
  std::string out = csv_row({"locale", "key", "query", "searches", "sessions", "zero_results", "clicked",
                             "ctr", "refined", "abandoned", "variants"});
  for (const auto& q : queries) {
    std::vector<std::string> variants;
    for (const auto& v : q.variants) variants.push_back(v.first);
    out += csv_row({csv_text(q.locale), csv_text(q.key), csv_text(q.text), csv_num(q.searches),
                    csv_num(q.sessions), csv_num(q.zero_results), csv_num(q.clicked), csv_rate(q.ctr()),
                    csv_num(q.refined), csv_num(q.abandoned), csv_text(text::join(variants, " | "))});
  }
  return out;
}

std::string csv_groups(const std::vector<GroupMetrics>& groups, const char* name) {
  std::vector<std::string> header{name};
  for (auto& h : counts_header()) header.push_back(h);
  std::string out = csv_row(header);
  for (const auto& g : groups) {
    std::vector<std::string> cells{csv_text(g.value)};
    for (auto& c : counts_cells(g.counts)) cells.push_back(c);
    out += csv_row(cells);
  }
  return out;
}

// ---- HTML -----------------------------------------------------------------------------------

std::string esc(std::string_view s) { return text::html_escape(s); }

constexpr const char* kColors[] = {"#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c"};

// Horizontal bars: one row per item, value relative to `max` (or to 1 for rates).
struct Bar {
  std::string label;
  double value = 0;       ///< Main bar.
  double part = -1;       ///< Optional darker part of the bar (e.g. zero-result searches).
  std::string text;       ///< Shown right of the bar.
  std::string tooltip;
};

std::string bar_chart(const std::string& title, const std::vector<Bar>& bars, double max,
                      const char* color, const char* part_color, const std::string& legend) {
  if (bars.empty()) return "";
  const int label_w = 220, bar_w = 360, text_w = 130, row_h = 22, top = 8;
  const int height = top + static_cast<int>(bars.size()) * row_h + 26;
  const int width = label_w + bar_w + text_w;
  std::string s = "<figure><figcaption>" + esc(title) + "</figcaption>";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " + std::to_string(width) + " " +
       std::to_string(height) + "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
       "\"><title>" + esc(title) + "</title>";
  if (max <= 0) max = 1;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const int y = top + static_cast<int>(i) * row_h;
    const int w = static_cast<int>(std::lround(bar_w * std::clamp(b.value / max, 0.0, 1.0)));
    s += "<g><title>" + esc(b.tooltip.empty() ? b.label + ": " + b.text : b.tooltip) + "</title>";
    s += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + std::to_string(y + 15) +
         "\" text-anchor=\"end\" class=\"lbl\">" + esc(clip(b.label, 34)) + "</text>";
    s += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
         std::to_string(std::max(w, b.value > 0 ? 1 : 0)) + "\" height=\"" + std::to_string(row_h - 6) +
         "\" fill=\"" + color + "\" rx=\"2\"/>";
    if (b.part > 0) {
      const int pw = static_cast<int>(std::lround(bar_w * std::clamp(b.part / max, 0.0, 1.0)));
      s += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           std::to_string(std::max(pw, 1)) + "\" height=\"" + std::to_string(row_h - 6) + "\" fill=\"" +
           part_color + "\" rx=\"2\"/>";
    }
    s += "<text x=\"" + std::to_string(label_w + std::max(w, 0) + 6) + "\" y=\"" + std::to_string(y + 15) +
         "\" class=\"val\">" + esc(b.text) + "</text></g>";
  }
  s += "<text x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(height - 6) + "\" class=\"note\">" +
       esc(legend) + "</text>";
  s += "</svg></figure>\n";
  return s;
}

// A line chart over time buckets: one polyline per series.
std::string line_chart(const std::string& title, const std::vector<GroupMetrics>& time,
                       const std::vector<std::pair<std::string, std::function<double(const Counts&)>>>& series) {
  if (time.empty()) return "";
  const int width = 720, height = 260, left = 50, right = 20, top = 16, bottom = 50;
  const int plot_w = width - left - right, plot_h = height - top - bottom;
  double max = 0;
  for (const auto& g : time)
    for (const auto& [name, f] : series) max = std::max(max, f(g.counts));
  if (max <= 0) max = 1;
  // A round axis maximum: 1, 2 or 5 times a power of ten.
  double magnitude = std::pow(10.0, std::floor(std::log10(max)));
  double nice = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= max) {
      nice = m * magnitude;
      break;
    }
  max = nice;
  auto x_of = [&](std::size_t i) {
    return left + (time.size() == 1 ? plot_w / 2.0 : plot_w * static_cast<double>(i) / static_cast<double>(time.size() - 1));
  };
  auto y_of = [&](double v) { return top + plot_h - plot_h * v / max; };
  std::string s = "<figure><figcaption>" + esc(title) + "</figcaption>";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " + std::to_string(width) + " " +
       std::to_string(height) + "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
       "\"><title>" + esc(title) + "</title>";
  for (int k = 0; k <= 4; ++k) {
    const double v = max * k / 4.0;
    const double y = y_of(v);
    s += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(width - right) + "\" y1=\"" +
         fixed(y, 1) + "\" y2=\"" + fixed(y, 1) + "\" class=\"grid\"/>";
    s += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + fixed(y + 4, 1) + "\" text-anchor=\"end\" class=\"note\">" +
         fixed(v, v < 10 && v != std::floor(v) ? 1 : 0) + "</text>";
  }
  const std::size_t label_every = std::max<std::size_t>(1, time.size() / 6);
  for (std::size_t i = 0; i < time.size(); i += label_every)
    s += "<text x=\"" + fixed(x_of(i), 1) + "\" y=\"" + std::to_string(height - bottom + 16) +
         "\" text-anchor=\"middle\" class=\"note\">" + esc(time[i].value) + "</text>";
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& [name, f] = series[k];
    std::string points;
    for (std::size_t i = 0; i < time.size(); ++i)
      points += fixed(x_of(i), 1) + "," + fixed(y_of(f(time[i].counts)), 1) + " ";
    s += "<polyline fill=\"none\" stroke=\"" + std::string(kColors[k % 5]) + "\" stroke-width=\"2\" points=\"" +
         points + "\"/>";
    for (std::size_t i = 0; i < time.size(); ++i)
      s += "<circle cx=\"" + fixed(x_of(i), 1) + "\" cy=\"" + fixed(y_of(f(time[i].counts)), 1) +
           "\" r=\"3\" fill=\"" + kColors[k % 5] + "\"><title>" + esc(time[i].value + " " + name + ": " +
           fixed(f(time[i].counts), 0)) + "</title></circle>";
    const int lx = left + static_cast<int>(k) * 130;
    s += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(height - 18) +
         "\" width=\"12\" height=\"12\" fill=\"" + kColors[k % 5] + "\"/><text x=\"" + std::to_string(lx + 16) +
         "\" y=\"" + std::to_string(height - 8) + "\" class=\"lbl\">" + esc(name) + "</text>";
  }
  s += "</svg></figure>\n";
  return s;
}

std::string html_table(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                       const std::string& numeric) {
  std::string s = "<table><thead><tr>";
  for (std::size_t c = 0; c < headers.size(); ++c)
    s += std::string("<th") + (c < numeric.size() && numeric[c] == 'r' ? " class=\"n\"" : "") + ">" +
         esc(headers[c]) + "</th>";
  s += "</tr></thead><tbody>";
  if (rows.empty())
    s += "<tr><td colspan=\"" + std::to_string(headers.size()) + "\" class=\"none\">None in this range.</td></tr>";
  for (const auto& r : rows) {
    s += "<tr>";
    for (std::size_t c = 0; c < r.size(); ++c)
      s += std::string("<td") + (c < numeric.size() && numeric[c] == 'r' ? " class=\"n\"" : "") + ">" + esc(r[c]) +
           "</td>";
    s += "</tr>";
  }
  return s + "</tbody></table>\n";
}

std::vector<std::vector<std::string>> query_rows(const std::vector<QueryMetrics>& queries) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& q : queries) {
    std::vector<std::string> also;
    for (std::size_t i = 1; i < q.variants.size(); ++i) also.push_back(q.variants[i].first);
    rows.push_back({q.text.empty() ? "(empty)" : q.text, q.locale, std::to_string(q.searches),
                    std::to_string(q.sessions), std::to_string(q.zero_results), pct(q.ctr(), "–"),
                    std::to_string(q.refined), std::to_string(q.abandoned), text::join(also, ", ")});
  }
  return rows;
}

const std::vector<std::string> kQueryHeaders = {"Query", "Locale", "Searches", "Sessions", "Zero results",
                                                "Clicked", "Refined", "Abandoned", "Also typed"};

std::vector<std::vector<std::string>> group_rows(const std::vector<GroupMetrics>& groups) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : groups) {
    const Counts& c = g.counts;
    rows.push_back({g.value, std::to_string(c.sessions), std::to_string(c.searches),
                    pct(ratio(c.zero_result_searches, c.searches), "–"),
                    pct(ratio(c.clicked_searches, c.searches), "–"), std::to_string(c.views),
                    pct(ratio(c.helpful_yes, c.helpful_yes + c.helpful_no), "–"), std::to_string(c.bot_answers),
                    std::to_string(c.tickets), pct(c.deflection.rate(), "–"),
                    std::to_string(c.deflection.pending)});
  }
  return rows;
}

std::vector<std::string> group_headers(const char* name) {
  return {name, "Sessions", "Searches", "Zero results", "Clicked", "Views", "Helpful", "Bot answers", "Tickets",
          "Deflection", "Pending"};
}

}  // namespace

const std::vector<std::string>& report_tables() {
  static const std::vector<std::string> kTables = {"articles", "queries", "zero-results", "low-click", "gaps",
                                                   "journeys", "locales", "audiences", "time"};
  return kTables;
}

std::string report_to_text(const Report& r) {
  std::string out;
  const Counts& t = r.totals;
  out += "Article effectiveness";
  if (!r.from.empty() || !r.to.empty())
    out += " from " + (r.from.empty() ? std::string("the start") : r.from) + " to " +
           (r.to.empty() ? std::string("now") : r.to);
  out += "\n";
  if (r.first_event.empty()) {
    out += "  No events in this range";
    if (!r.journey_filter.empty() || !r.locale_filter.empty() || !r.audience_filter.empty())
      out += " matching the filters";
    out += ". Record some with `helpmark track` or import a JSONL file with `helpmark track import`.\n";
    return out;
  }
  out += "  events " + r.first_event + " .. " + r.last_event + "; deflection window " +
         duration(r.deflection_window_ms) + ", refine window " + duration(r.refine_window_ms);
  std::string filters;
  if (!r.journey_filter.empty()) filters += " journey=" + r.journey_filter;
  if (!r.locale_filter.empty()) filters += " locale=" + r.locale_filter;
  if (!r.audience_filter.empty()) filters += " audience=" + r.audience_filter;
  if (!filters.empty()) out += "; filters:" + filters;
  out += "\n\nOverview\n";
  out += "  " + count(t.sessions, "session", "sessions") + ", " + count(t.searches, "search", "searches") + " (" +
         pct(ratio(t.zero_result_searches, t.searches)) + " with zero results, " +
         pct(ratio(t.clicked_searches, t.searches)) + " clicked, " + std::to_string(t.refined_searches) +
         " refined, " + std::to_string(t.abandoned_searches) + " abandoned)\n";
  out += "  " + count(t.clicks, "click", "clicks") + ", " + count(t.views, "view", "views") + ", helpful " +
         helpful_cell(t.helpful_yes, t.helpful_no) + ", " + count(t.bot_answers, "bot answer", "bot answers") + " (" +
         std::to_string(t.bot_accepted) + " accepted, " + std::to_string(t.bot_escalated) + " escalated), " +
         count(t.tickets, "ticket", "tickets") + "\n";
  out += "  deflection " + pct(t.deflection.rate()) + ": " + std::to_string(t.deflection.deflected) + " of " +
         std::to_string(t.deflection.deflected + t.deflection.ticketed) +
         " sessions that read an article opened no ticket within " + duration(r.deflection_window_ms);
  if (t.deflection.pending) out += " (" + std::to_string(t.deflection.pending) + " still inside the window)";
  out += "\n";

  out += "\nArticles (most viewed first)\n";
  if (r.articles.empty()) out += "  (none)\n";
  else {
    Table a({"ARTICLE", "JOURNEY", "VIEWS", "SHOWN", "CLICKS", "CTR", "POS", "HELPFUL", "BOT OK", "DEFLECTION", "TICKETS"},
            "llrrrrrrrrr");
    for (const auto& m : r.articles) {
      const auto pos = m.mean_click_position();
      a.add({clip(m.article, 34), clip(m.journey, 14), std::to_string(m.views), std::to_string(m.impressions),
             std::to_string(m.clicks), pct(m.ctr()), pos ? fixed(*pos, 1) : "-",
             helpful_cell(m.helpful_yes, m.helpful_no),
             m.bot_answers ? std::to_string(m.bot_accepted) + "/" + std::to_string(m.bot_answers) : "-",
             deflection_cell(m.deflection), std::to_string(m.deflection.ticketed)});
    }
    out += a.render();
    Table why({"ARTICLE", "NOT HELPFUL", "WHY (REASONS GIVEN)"}, "lrl");
    std::size_t with_reasons = 0;
    for (const auto& m : r.articles)
      if (m.helpful_no) {
        why.add({clip(m.article, 34), std::to_string(m.helpful_no), reasons_cell(m.unhelpful_reasons, "(no reason given)")});
        with_reasons += !m.unhelpful_reasons.empty();
      }
    if (with_reasons) out += "\nWhy articles did not help\n" + why.render();
  }
  query_table(out, "Top queries", r.queries);
  query_table(out, "Zero-result queries", r.zero_result_queries);
  query_table(out, "Low-click queries (at least " + std::to_string(r.low_click_min_searches) +
                       " searches, under " + fixed(r.low_click_max_ctr * 100, 0) + "% clicked)",
              r.low_click_queries);

  out += "\nContent gaps (zero-result searches and escalated bot questions, at least " +
         std::to_string(r.min_gap_count) + ")\n";
  if (r.content_gaps.empty()) out += "  (none)\n";
  else {
    Table g({"QUESTION", "LOCALE", "ZERO", "ESCALATED", "SESSIONS", "TICKETS", "LIKELY JOURNEY"}, "llrrrrl");
    for (const auto& c : r.content_gaps)
      g.add({clip(c.text, 40), c.locale, std::to_string(c.zero_result_searches),
             std::to_string(c.escalated_questions), std::to_string(c.sessions), std::to_string(c.ticket_sessions),
             c.journey + (c.journey_basis == "none" ? "" : " (" + c.journey_basis + ")")});
    out += g.render();
  }
  group_table(out, "By journey", "JOURNEY", r.journeys, SIZE_MAX);
  group_table(out, "By locale", "LOCALE", r.locales, SIZE_MAX);
  group_table(out, "By audience", "AUDIENCE", r.audiences, SIZE_MAX);
  if (!r.time.empty()) {
    out += "\nOver time (by " + r.bucket + ")\n";
    Table tt({"START", "SESSIONS", "SEARCHES", "ZERO", "VIEWS", "TICKETS", "DEFLECTION"}, "lrrrrrr");
    for (const auto& g : r.time) {
      const Counts& c = g.counts;
      tt.add({g.value, std::to_string(c.sessions), std::to_string(c.searches),
              std::to_string(c.zero_result_searches), std::to_string(c.views), std::to_string(c.tickets),
              deflection_cell(c.deflection)});
    }
    out += tt.render();
  }
  return out;
}

std::string report_to_json(const Report& r) {
  ordered_json articles = ordered_json::array();
  for (const auto& a : r.articles)
    articles.push_back({{"article", a.article},
                        {"title", a.title},
                        {"journey", a.journey},
                        {"impressions", a.impressions},
                        {"clicks", a.clicks},
                        {"ctr", opt(a.ctr())},
                        {"mean_click_position", opt(a.mean_click_position())},
                        {"views", a.views},
                        {"helpful_yes", a.helpful_yes},
                        {"helpful_no", a.helpful_no},
                        {"helpful_ratio", opt(a.helpful_ratio())},
                        {"unhelpful_reasons", a.unhelpful_reasons},
                        {"bot_answers", a.bot_answers},
                        {"bot_accepted", a.bot_accepted},
                        {"bot_escalated", a.bot_escalated},
                        {"deflection", deflection_json(a.deflection)}});
  auto queries = [](const std::vector<QueryMetrics>& list) {
    ordered_json out = ordered_json::array();
    for (const auto& q : list) out.push_back(query_json(q));
    return out;
  };
  ordered_json gaps = ordered_json::array();
  for (const auto& g : r.content_gaps)
    gaps.push_back({{"question", g.text},
                    {"key", g.key},
                    {"locale", g.locale},
                    {"zero_result_searches", g.zero_result_searches},
                    {"escalated_questions", g.escalated_questions},
                    {"sessions", g.sessions},
                    {"ticket_sessions", g.ticket_sessions},
                    {"journey", g.journey},
                    {"journey_basis", g.journey_basis}});
  ordered_json out = {
      {"range", {{"from", r.from.empty() ? ordered_json(nullptr) : ordered_json(r.from)},
                 {"to", r.to.empty() ? ordered_json(nullptr) : ordered_json(r.to)},
                 {"first_event", r.first_event.empty() ? ordered_json(nullptr) : ordered_json(r.first_event)},
                 {"last_event", r.last_event.empty() ? ordered_json(nullptr) : ordered_json(r.last_event)},
                 {"horizon", r.horizon.empty() ? ordered_json(nullptr) : ordered_json(r.horizon)}}},
      {"generated_at", r.generated_at},
      {"settings", {{"deflection_window_ms", r.deflection_window_ms},
                    {"refine_window_ms", r.refine_window_ms},
                    {"bucket", r.bucket},
                    {"journey", r.journey_filter},
                    {"locale", r.locale_filter},
                    {"audience", r.audience_filter},
                    {"low_click_min_searches", r.low_click_min_searches},
                    {"low_click_max_ctr", r.low_click_max_ctr},
                    {"min_gap_count", r.min_gap_count}}},
      {"totals", counts_json(r.totals)},
      {"articles", articles},
      {"queries", queries(r.queries)},
      {"zero_result_queries", queries(r.zero_result_queries)},
      {"low_click_queries", queries(r.low_click_queries)},
      {"content_gaps", gaps},
      {"journeys", groups_json(r.journeys, "journey")},
      {"locales", groups_json(r.locales, "locale")},
      {"audiences", groups_json(r.audiences, "audience")},
      {"time", groups_json(r.time, "start")}};
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::string> report_to_csv(const Report& r, std::string_view table) {
  if (table == "articles") {
    std::string out = csv_row({"article", "title", "journey", "impressions", "clicks", "ctr", "mean_click_position",
                               "views", "helpful_yes", "helpful_no", "helpful_ratio", "bot_answers", "bot_accepted",
                               "bot_escalated", "viewing_sessions", "deflected", "ticketed", "pending",
                               "deflection_rate", "unhelpful_reasons"});
    for (const auto& a : r.articles)
      out += csv_row({csv_text(a.article), csv_text(a.title), csv_text(a.journey), csv_num(a.impressions),
                      csv_num(a.clicks), csv_rate(a.ctr()), csv_rate(a.mean_click_position()), csv_num(a.views),
                      csv_num(a.helpful_yes), csv_num(a.helpful_no), csv_rate(a.helpful_ratio()),
                      csv_num(a.bot_answers), csv_num(a.bot_accepted), csv_num(a.bot_escalated),
                      csv_num(a.deflection.viewing_sessions), csv_num(a.deflection.deflected),
                      csv_num(a.deflection.ticketed), csv_num(a.deflection.pending), csv_rate(a.deflection.rate()),
                      csv_text(reasons_cell(a.unhelpful_reasons, ""))});
    return out;
  }
  if (table == "queries") return csv_queries(r.queries);
  if (table == "zero-results") return csv_queries(r.zero_result_queries);
  if (table == "low-click") return csv_queries(r.low_click_queries);
  if (table == "gaps") {
    std::string out = csv_row({"locale", "key", "question", "zero_result_searches", "escalated_questions",
                               "sessions", "ticket_sessions", "journey", "journey_basis"});
    for (const auto& g : r.content_gaps)
      out += csv_row({csv_text(g.locale), csv_text(g.key), csv_text(g.text), csv_num(g.zero_result_searches),
                      csv_num(g.escalated_questions), csv_num(g.sessions), csv_num(g.ticket_sessions),
                      csv_text(g.journey), csv_text(g.journey_basis)});
    return out;
  }
  if (table == "journeys") return csv_groups(r.journeys, "journey");
  if (table == "locales") return csv_groups(r.locales, "locale");
  if (table == "audiences") return csv_groups(r.audiences, "audience");
  if (table == "time") return csv_groups(r.time, "start");
  return Status(ErrorCode::kInvalidArgument,
                "unknown table '" + std::string(table) + "'; tables: " + text::join(report_tables(), ", "));
}

std::string report_to_html(const Report& r) {
  const Counts& t = r.totals;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  // Nothing may load from the network, and no script runs: the page only shows data.
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "img-src data:\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>Help-center effectiveness report</title>\n<style>\n"
       "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans CJK JP',sans-serif;"
       "margin:0;color:#111827;background:#f9fafb}\n"
       "main{max-width:1100px;margin:0 auto;padding:24px}\n"
       "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #e5e7eb;"
       "padding-bottom:4px}\n.meta{color:#6b7280;margin:0 0 16px}\n"
       ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px}\n"
       ".card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px}\n"
       ".card b{display:block;font-size:22px}.card span{color:#6b7280}\n"
       "table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0 16px;font-size:13px}\n"
       "th,td{border-bottom:1px solid #e5e7eb;padding:5px 8px;text-align:left;vertical-align:top}\n"
       "th{background:#f3f4f6;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
       "td.none{color:#6b7280;font-style:italic}\n"
       "figure{margin:12px 0;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px;overflow-x:auto}\n"
       "figcaption{font-weight:600;margin-bottom:6px}\n"
       "svg text{font:12px system-ui,sans-serif;fill:#374151}svg .note{fill:#6b7280;font-size:11px}\n"
       "svg .grid{stroke:#e5e7eb}\ndl{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px}\n"
       "dt{font-weight:600}dd{margin:0 0 8px 0;color:#374151}\n"
       "</style></head><body><main>\n";
  h += "<h1>Help-center effectiveness</h1>\n<p class=\"meta\">";
  if (r.first_event.empty()) h += "No events in this range.";
  else h += "Events from " + esc(r.first_event) + " to " + esc(r.last_event);
  if (!r.from.empty() || !r.to.empty())
    h += " · range " + esc(r.from.empty() ? "start" : r.from) + " – " + esc(r.to.empty() ? "now" : r.to);
  if (!r.journey_filter.empty()) h += " · journey " + esc(r.journey_filter);
  if (!r.locale_filter.empty()) h += " · locale " + esc(r.locale_filter);
  if (!r.audience_filter.empty()) h += " · audience " + esc(r.audience_filter);
  h += " · deflection window " + esc(duration(r.deflection_window_ms)) + " · generated " + esc(r.generated_at) +
       "</p>\n";

  auto card = [&](const std::string& value, const std::string& label) {
    h += "<div class=\"card\"><b>" + esc(value) + "</b><span>" + esc(label) + "</span></div>";
  };
  h += "<div class=\"cards\">";
  card(std::to_string(t.sessions), "sessions");
  card(std::to_string(t.searches), "searches");
  card(pct(ratio(t.zero_result_searches, t.searches), "–"), "searches with zero results");
  card(pct(ratio(t.clicked_searches, t.searches), "–"), "searches with a click");
  card(std::to_string(t.views), "article views");
  card(pct(ratio(t.helpful_yes, t.helpful_yes + t.helpful_no), "–"), "found it helpful");
  card(std::to_string(t.tickets), "tickets");
  card(pct(t.deflection.rate(), "–"), "deflection (no ticket within " + duration(r.deflection_window_ms) + ")");
  h += "</div>\n";

  if (!r.time.empty()) {
    h += "<h2>Over time</h2>\n";
    h += line_chart("Searches, views and tickets per " + r.bucket, r.time,
                    {{"searches", [](const Counts& c) { return static_cast<double>(c.searches); }},
                     {"views", [](const Counts& c) { return static_cast<double>(c.views); }},
                     {"tickets", [](const Counts& c) { return static_cast<double>(c.tickets); }},
                     {"zero-result searches", [](const Counts& c) { return static_cast<double>(c.zero_result_searches); }}});
  }

  h += "<h2>Articles</h2>\n";
  {
    std::vector<Bar> bars;
    for (const auto& a : r.articles) {
      if (bars.size() >= 15) break;
      if (!a.deflection.rate()) continue;
      bars.push_back({a.title.empty() ? a.article : a.title, *a.deflection.rate(), -1,
                      pct(a.deflection.rate()) + " of " + std::to_string(a.deflection.deflected + a.deflection.ticketed),
                      a.article + ": " + std::to_string(a.deflection.deflected) + " deflected, " +
                          std::to_string(a.deflection.ticketed) + " opened a ticket"});
    }
    h += bar_chart("Deflection of the most viewed articles", bars, 1.0, "#16a34a", "#16a34a",
                   "share of sessions that read the article and opened no ticket within " +
                       duration(r.deflection_window_ms));
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : r.articles) {
      const auto pos = a.mean_click_position();
      rows.push_back({a.article, a.title, a.journey, std::to_string(a.views), std::to_string(a.impressions),
                      std::to_string(a.clicks), pct(a.ctr(), "–"), pos ? fixed(*pos, 1) : "–",
                      a.helpful_yes + a.helpful_no ? pct(a.helpful_ratio()) + " of " + std::to_string(a.helpful_yes + a.helpful_no) : "–",
                      reasons_cell(a.unhelpful_reasons, "–"),
                      a.bot_answers ? std::to_string(a.bot_accepted) + " of " + std::to_string(a.bot_answers) : "–",
                      pct(a.deflection.rate(), "–"), std::to_string(a.deflection.ticketed),
                      std::to_string(a.deflection.pending)});
    }
    h += html_table({"Article", "Title", "Journey", "Views", "Shown in search", "Clicks", "CTR", "Mean position",
                     "Helpful", "Why not helpful", "Bot answers accepted", "Deflection", "Tickets after viewing", "Pending"},
                    rows, "lllrrrrrrlrrrr");
  }

  h += "<h2>Queries</h2>\n";
  {
    std::vector<Bar> bars;
    double max = 0;
    for (const auto& q : r.queries) {
      if (bars.size() >= 15) break;
      max = std::max(max, static_cast<double>(q.searches));
      bars.push_back({q.text.empty() ? "(empty)" : q.text, static_cast<double>(q.searches),
                      static_cast<double>(q.zero_results),
                      std::to_string(q.searches) + (q.zero_results ? " (" + std::to_string(q.zero_results) + " zero)" : ""),
                      q.text + " [" + q.locale + "]: " + std::to_string(q.searches) + " searches, " +
                          std::to_string(q.zero_results) + " with zero results, " + pct(q.ctr()) + " clicked"});
    }
    h += bar_chart("Top queries", bars, max, "#2563eb", "#dc2626", "blue: searches · red: of which zero results");
    h += "<h3>Top queries</h3>" + html_table(kQueryHeaders, query_rows(r.queries), "llrrrrrrl");
    h += "<h3>Zero-result queries</h3>" + html_table(kQueryHeaders, query_rows(r.zero_result_queries), "llrrrrrrl");
    h += "<h3>Low-click queries</h3><p class=\"meta\">At least " + std::to_string(r.low_click_min_searches) +
         " searches, fewer than " + fixed(r.low_click_max_ctr * 100, 0) + "% of them clicked.</p>" +
         html_table(kQueryHeaders, query_rows(r.low_click_queries), "llrrrrrrl");
  }

  h += "<h2>Content gaps</h2>\n<p class=\"meta\">Questions that found nothing or that the bot handed to a "
       "human, at least " + std::to_string(r.min_gap_count) + " times, with the journey they most likely "
       "belong to.</p>\n";
  {
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : r.content_gaps)
      rows.push_back({g.text, g.locale, std::to_string(g.zero_result_searches), std::to_string(g.escalated_questions),
                      std::to_string(g.sessions), std::to_string(g.ticket_sessions), g.journey,
                      g.journey_basis == "sessions" ? "what those sessions read or asked support about next"
                      : g.journey_basis == "index"  ? "best search hits for the question"
                                                    : "no evidence"});
    h += html_table({"Question", "Locale", "Zero results", "Escalated", "Sessions", "Then opened a ticket",
                     "Likely journey", "Because"},
                    rows, "llrrrrll");
  }

  h += "<h2>By journey</h2>\n";
  {
    std::vector<Bar> bars;
    for (const auto& g : r.journeys)
      if (g.counts.deflection.rate())
        bars.push_back({g.value, *g.counts.deflection.rate(), -1,
                        pct(g.counts.deflection.rate()) + " of " +
                            std::to_string(g.counts.deflection.deflected + g.counts.deflection.ticketed),
                        ""});
    h += bar_chart("Deflection by journey", bars, 1.0, "#9333ea", "#9333ea",
                   "sessions that read an article of the journey and opened no ticket");
    h += html_table(group_headers("Journey"), group_rows(r.journeys), "lrrrrrrrrrr");
  }
  h += "<h2>By locale</h2>\n" + html_table(group_headers("Locale"), group_rows(r.locales), "lrrrrrrrrrr");
  h += "<h2>By audience</h2>\n" + html_table(group_headers("Audience"), group_rows(r.audiences), "lrrrrrrrrrr");
  h += "<h2>By " + esc(r.bucket) + "</h2>\n" + html_table(group_headers("Start"), group_rows(r.time), "lrrrrrrrrrr");

  h += "<h2>How these numbers are counted</h2>\n<dl>"
       "<dt>Clicked (search CTR)</dt><dd>Share of searches with at least one click on their results (a click "
       "belongs to the search it names, else to the session's latest search before it).</dd>"
       "<dt>CTR of an article</dt><dd>Clicks on it divided by the searches that listed it in their results.</dd>"
       "<dt>Refined</dt><dd>The same session searched again within " + esc(duration(r.refine_window_ms)) + ".</dd>"
       "<dt>Abandoned</dt><dd>Not refined, and no click or view before the session's next search (or its end).</dd>"
       "<dt>Deflection</dt><dd>Of the sessions that viewed (or clicked) the article, the share that opened no "
       "ticket within " + esc(duration(r.deflection_window_ms)) + " after their first view. Sessions whose window "
       "has not ended at the newest event in the store are pending and left out.</dd>"
       "<dt>Query groups</dt><dd>Queries are grouped by the stems of their words in their locale, ignoring order, "
       "case, accents and stop words, so \"Refund\" and \"refunds\" count together.</dd>"
       "<dt>Privacy</dt><dd>Emails, phone numbers, card numbers, IBANs, IP addresses and configured patterns were "
       "replaced by placeholders such as &lt;email&gt; before the events were stored.</dd></dl>\n";
  h += "</main></body></html>\n";
  return h;
}

}  // namespace helpmark::tracking
