// The report as a self-contained HTML page (inline CSS and SVG, no script, no network) and its
// charts as standalone SVG documents.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "helpmark/tracking.hpp"
#include "tracking/report_format.hpp"
#include "util/display_width.hpp"
#include "util/text.hpp"

namespace helpmark::tracking {
namespace {

using namespace format;

std::string esc(std::string_view s) { return text::html_escape(s); }

constexpr const char* kColors[] = {"#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c"};

// Fonts and colours inside each SVG, so a chart looks the same alone (report --svg) as in the
// page.
constexpr const char* kSvgStyle =
    "<style>text{font:12px system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans CJK JP',"
    "'Noto Sans Thai',sans-serif;fill:#374151}.note{fill:#6b7280;font-size:11px}.grid{stroke:#e5e7eb}"
    ".head{font-weight:600;font-size:13px;fill:#111827}</style>";

// A chart: its title and the SVG document (with the title as its first line of text).
struct Chart {
  std::string title;
  std::string svg;  ///< Empty when there is nothing to draw.
};

// Pixels per display column of 12 px text, generous so labels never overrun their column:
// Latin text averages ~6.5 px a character, CJK characters (2 columns) 12 px.
constexpr int kPxPerColumn = 7;
constexpr std::size_t kLabelColumns = 34;  // wrap labels at this width...
constexpr std::size_t kLabelLines = 2;     // ...onto at most this many lines

std::string svg_open(int width, int height, const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " + std::to_string(width) + " " +
         std::to_string(height) + "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
         "\"><title>" + esc(title) + "</title>" + kSvgStyle + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>" +
         "<text x=\"8\" y=\"18\" class=\"head\">" + esc(title) + "</text>";
}

// Horizontal bars: one row per item, value relative to `max` (or to 1 for rates).
struct Bar {
  std::string label;
  double value = 0;       ///< Main bar.
  double part = -1;       ///< Optional darker part of the bar (e.g. zero-result searches).
  std::string text;       ///< Shown right of the bar.
  std::string tooltip;
};

// Labels are wrapped onto two lines, never cut silently: a label longer than that ends in "…"
// and its row's tooltip (<title>) holds it whole. The label column is as wide as the longest
// line needs.
Chart bar_chart(const std::string& title, const std::vector<Bar>& bars, double max, const char* color,
                const char* part_color, const std::string& legend) {
  if (bars.empty()) return {title, ""};
  std::vector<std::vector<std::string>> labels;
  std::size_t label_columns = 8;
  for (const auto& b : bars) {
    labels.push_back(text::wrap_to_width(b.label.empty() ? "(empty)" : b.label, kLabelColumns, kLabelLines));
    for (const auto& line : labels.back()) label_columns = std::max(label_columns, text::display_width(line));
  }
  const int label_w = static_cast<int>(label_columns) * kPxPerColumn + 16, bar_w = 360, text_w = 150;
  const int line_h = 15, pad = 7, top = 30;
  int height = top;
  for (const auto& l : labels) height += static_cast<int>(l.size()) * line_h + pad;
  height += 26;
  const int width = label_w + bar_w + text_w;
  std::string s = svg_open(width, height, title);
  if (max <= 0) max = 1;
  int y = top;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const int row_h = static_cast<int>(labels[i].size()) * line_h + pad;
    const int w = static_cast<int>(std::lround(bar_w * std::clamp(b.value / max, 0.0, 1.0)));
    const int bar_y = y + (row_h - 16) / 2;
    s += "<g><title>" + esc(b.tooltip.empty() ? b.label + ": " + b.text : b.tooltip) + "</title>";
    s += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + std::to_string(y + 13) +
         "\" text-anchor=\"end\">";
    for (std::size_t k = 0; k < labels[i].size(); ++k)
      s += "<tspan x=\"" + std::to_string(label_w - 8) + "\"" + (k ? " dy=\"" + std::to_string(line_h) + "\"" : "") +
           ">" + esc(labels[i][k]) + "</tspan>";
    s += "</text>";
    s += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(bar_y) + "\" width=\"" +
         std::to_string(std::max(w, b.value > 0 ? 1 : 0)) + "\" height=\"16\" fill=\"" + color + "\" rx=\"2\"/>";
    if (b.part > 0) {
      const int pw = static_cast<int>(std::lround(bar_w * std::clamp(b.part / max, 0.0, 1.0)));
      s += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(bar_y) + "\" width=\"" +
           std::to_string(std::max(pw, 1)) + "\" height=\"16\" fill=\"" + part_color + "\" rx=\"2\"/>";
    }
    s += "<text x=\"" + std::to_string(label_w + std::max(w, 0) + 6) + "\" y=\"" + std::to_string(bar_y + 12) +
         "\">" + esc(b.text) + "</text></g>";
    y += row_h;
  }
  s += "<text x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(height - 8) + "\" class=\"note\">" +
       esc(legend) + "</text>";
  return {title, s + "</svg>"};
}

// A line chart over time buckets: one polyline per series.
Chart line_chart(const std::string& title, const std::vector<GroupMetrics>& time,
                 const std::vector<std::pair<std::string, std::function<double(const Counts&)>>>& series) {
  if (time.empty()) return {title, ""};
  // The right margin leaves room for half of the last date, centred under its point.
  const int width = 720, height = 284, left = 50, right = 44, top = 40, bottom = 50;
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
  // Grid lines at round steps: 5 of 1, 2 of 10 ... or 4 of 0.5 when the maximum is 2 x 10^k.
  const int steps = nice / magnitude == 2.0 ? 4 : 5;
  auto x_of = [&](std::size_t i) {
    return left + (time.size() == 1 ? plot_w / 2.0 : plot_w * static_cast<double>(i) / static_cast<double>(time.size() - 1));
  };
  auto y_of = [&](double v) { return top + plot_h - plot_h * v / max; };
  std::string s = svg_open(width, height, title);
  for (int k = 0; k <= steps; ++k) {
    const double v = max * k / steps;
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
    const int lx = left + static_cast<int>(k) * 150;
    s += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(height - 18) +
         "\" width=\"12\" height=\"12\" fill=\"" + kColors[k % 5] + "\"/><text x=\"" + std::to_string(lx + 16) +
         "\" y=\"" + std::to_string(height - 8) + "\">" + esc(name) + "</text>";
  }
  return {title, s + "</svg>"};
}

// ---- the charts -------------------------------------------------------------------------------

Chart articles_chart(const Report& r) {
  std::vector<Bar> bars;
  for (const auto& a : r.articles) {
    if (bars.size() >= 15) break;
    if (!a.deflection.rate()) continue;
    bars.push_back({a.title.empty() ? a.article : a.title, *a.deflection.rate(), -1,
                    pct(a.deflection.rate()) + " of " + std::to_string(a.deflection.deflected + a.deflection.ticketed),
                    (a.title.empty() ? a.article : a.title + " (" + a.article + ")") + ": " +
                        std::to_string(a.deflection.deflected) + " deflected, " +
                        std::to_string(a.deflection.ticketed) + " opened a ticket"});
  }
  return bar_chart("Deflection of the most viewed articles", bars, 1.0, "#16a34a", "#16a34a",
                   "share of sessions that read the article and opened no ticket within " +
                       duration(r.deflection_window_ms));
}

Chart queries_chart(const Report& r) {
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
  return bar_chart("Top queries", bars, max, "#2563eb", "#dc2626", "blue: searches · red: of which zero results");
}

Chart journeys_chart(const Report& r) {
  std::vector<Bar> bars;
  for (const auto& g : r.journeys)
    if (g.counts.deflection.rate())
      bars.push_back({g.value, *g.counts.deflection.rate(), -1,
                      pct(g.counts.deflection.rate()) + " of " +
                          std::to_string(g.counts.deflection.deflected + g.counts.deflection.ticketed),
                      ""});
  return bar_chart("Deflection by journey", bars, 1.0, "#9333ea", "#9333ea",
                   "sessions that read an article of the journey and opened no ticket");
}

Chart time_chart(const Report& r) {
  return line_chart("Searches, views and tickets per " + r.bucket, r.time,
                    {{"searches", [](const Counts& c) { return static_cast<double>(c.searches); }},
                     {"views", [](const Counts& c) { return static_cast<double>(c.views); }},
                     {"tickets", [](const Counts& c) { return static_cast<double>(c.tickets); }},
                     {"zero-result searches", [](const Counts& c) { return static_cast<double>(c.zero_result_searches); }}});
}

struct NamedChart {
  const char* name;
  Chart (*make)(const Report&);
};
constexpr NamedChart kCharts[] = {
    {"articles", articles_chart}, {"queries", queries_chart}, {"journeys", journeys_chart}, {"time", time_chart}};

// In the page: the SVG inline, in a figure whose caption the SVG repeats for readers of it alone.
std::string figure(const Chart& c) {
  if (c.svg.empty()) return "";
  return "<figure aria-label=\"" + esc(c.title) + "\">" + c.svg + "</figure>\n";
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
       "svg{max-width:100%;height:auto}\ndl{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px}\n"
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

  if (r.previous) {
    h += "<h2>Compared with the previous period</h2>\n<p class=\"meta\">" + esc(r.previous->from) + " – " +
         esc(r.previous->to) + ", as long as this one.</p>\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& x : headlines(t, r.previous->totals)) rows.push_back({x.name, x.current, x.previous, x.change});
    h += html_table({"", "This period", "Previous period", "Change"}, rows, "lrrr");
  }

  if (!r.time.empty()) h += "<h2>Over time</h2>\n" + figure(time_chart(r));

  h += "<h2>Articles</h2>\n";
  {
    h += figure(articles_chart(r));
    std::vector<std::vector<std::string>> rows;
    auto add = [&](const ArticleMetrics& a, const std::string& name) {
      const auto pos = a.mean_click_position();
      rows.push_back({name, a.title, a.journey, a.locale.empty() ? "–" : a.locale, std::to_string(a.views),
                      std::to_string(a.impressions), std::to_string(a.clicks), pct(a.ctr(), "–"),
                      pos ? fixed(*pos, 1) : "–", helpful_cell(a.helpful_yes, a.helpful_no, "–"),
                      reasons_cell(a.unhelpful_reasons, "–"),
                      a.bot_answers ? std::to_string(a.bot_accepted) + " of " + std::to_string(a.bot_answers) : "–",
                      pct(a.deflection.rate(), "–"), std::to_string(a.deflection.ticketed),
                      std::to_string(a.deflection.pending)});
    };
    // A translated article is one row (all its translations together), then one row per
    // translation ("↳ es").
    for (const auto& a : r.articles) {
      add(a, a.article);
      for (const auto& tr : a.translations) add(tr, "↳ " + tr.article);
    }
    h += html_table({"Article", "Title", "Journey", "Locale", "Views", "Shown in search", "Clicks", "CTR", "Mean position",
                     "Helpful", "Why not helpful", "Bot answers accepted", "Deflection", "Tickets after viewing", "Pending"},
                    rows, "llllrrrrrrlrrrr");
  }

  h += "<h2>Queries</h2>\n";
  {
    h += figure(queries_chart(r));
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
    h += figure(journeys_chart(r));
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

const std::vector<std::string>& report_charts() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& c : kCharts) names.push_back(c.name);
    return names;
  }();
  return kNames;
}

Result<std::string> report_chart_svg(const Report& r, std::string_view chart) {
  for (const auto& c : kCharts) {
    if (chart != c.name) continue;
    Chart made = c.make(r);
    if (made.svg.empty()) {
      made.svg = svg_open(480, 60, made.title) + "<text x=\"8\" y=\"44\" class=\"note\">No data in this range.</text></svg>";
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + made.svg + "\n";
  }
  return Status(ErrorCode::kInvalidArgument,
                "unknown chart '" + std::string(chart) + "'; charts: " + text::join(report_charts(), ", "));
}

}  // namespace helpmark::tracking
