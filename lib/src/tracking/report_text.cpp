// The report as tables for a terminal, aligned by display width (CJK characters take two
// columns, Thai vowel and tone marks none) and with control characters neutralised.
#include <algorithm>
#include <string>
#include <vector>

#include "helpmark/tracking.hpp"
#include "tracking/report_format.hpp"
#include "util/display_width.hpp"

namespace helpmark::tracking {
namespace {

using namespace format;
using text::display_width;

// `s` cut to `max` columns ("…" when cut); control characters become spaces so a query cannot
// move the cursor or colour the terminal.
std::string clip(std::string_view s, std::size_t max) {
  std::string clean;
  for (char c : s) clean += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  return text::clip_to_width(clean, max);
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

}  // namespace

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
  if (r.previous) {
    out += "\nCompared with the previous period (" + r.previous->from + " .. " + r.previous->to + ")\n";
    Table c({"", "THIS PERIOD", "PREVIOUS", "CHANGE"}, "lrrr");
    for (const auto& h : headlines(t, r.previous->totals)) c.add({h.name, h.current, h.previous, h.change});
    out += c.render();
  }

  out += "\nArticles (most viewed first)\n";
  if (r.articles.empty()) out += "  (none)\n";
  else {
    Table a({"ARTICLE", "JOURNEY", "VIEWS", "SHOWN", "CLICKS", "CTR", "POS", "HELPFUL", "BOT OK", "DEFLECTION", "TICKETS"},
            "llrrrrrrrrr");
    auto add = [&](const ArticleMetrics& m, const std::string& name) {
      const auto pos = m.mean_click_position();
      a.add({name, clip(m.journey, 14), std::to_string(m.views), std::to_string(m.impressions),
             std::to_string(m.clicks), pct(m.ctr()), pos ? fixed(*pos, 1) : "-",
             helpful_cell(m.helpful_yes, m.helpful_no),
             m.bot_answers ? std::to_string(m.bot_accepted) + "/" + std::to_string(m.bot_answers) : "-",
             deflection_cell(m.deflection), std::to_string(m.deflection.ticketed)});
    };
    // A translated article is one row, then one indented row per translation.
    for (const auto& m : r.articles) {
      add(m, clip(m.article, 34) + (m.translations.empty() ? "" : " (" + std::to_string(m.translations.size()) + " locales)"));
      for (const auto& tr : m.translations)
        add(tr, "  " + clip((tr.locale.empty() ? std::string("?") : tr.locale) + " " + tr.article, 32));
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

}  // namespace helpmark::tracking
