// The report as data: one JSON object (the whole report) or the CSV of one table.
#include <nlohmann/json.hpp>

#include "helpmark/tracking.hpp"
#include "tracking/report_format.hpp"
#include "util/text.hpp"

namespace helpmark::tracking {
namespace {

using namespace format;
using nlohmann::ordered_json;

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

ordered_json article_json(const ArticleMetrics& a) {
  ordered_json j = {{"article", a.article},
                    {"title", a.title},
                    {"journey", a.journey},
                    {"locale", a.locale.empty() ? ordered_json(nullptr) : ordered_json(a.locale)},
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
                    {"deflection", deflection_json(a.deflection)}};
  if (!a.translations.empty()) {
    ordered_json list = ordered_json::array();
    for (const auto& t : a.translations) list.push_back(article_json(t));
    j["translations"] = list;
  }
  return j;
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

// "en 12 views, es 3 views": the per-locale detail of a translated article in one cell.
std::string translations_cell(const ArticleMetrics& a) {
  std::vector<std::string> parts;
  for (const auto& t : a.translations)
    parts.push_back((t.locale.empty() ? t.article : t.locale) + " " + count(t.views, "view", "views"));
  return text::join(parts, ", ");
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
}  // namespace

const std::vector<std::string>& report_tables() {
  static const std::vector<std::string> kTables = {"articles", "queries", "zero-results", "low-click", "gaps",
                                                   "journeys", "locales", "audiences", "time"};
  return kTables;
}

std::string report_to_json(const Report& r) {
  ordered_json articles = ordered_json::array();
  for (const auto& a : r.articles) articles.push_back(article_json(a));
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
      {"previous", r.previous ? ordered_json{{"from", r.previous->from},
                                             {"to", r.previous->to},
                                             {"totals", counts_json(r.previous->totals)}}
                              : ordered_json(nullptr)},
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
                               "deflection_rate", "unhelpful_reasons", "translations"});
    for (const auto& a : r.articles)
      out += csv_row({csv_text(a.article), csv_text(a.title), csv_text(a.journey), csv_num(a.impressions),
                      csv_num(a.clicks), csv_rate(a.ctr()), csv_rate(a.mean_click_position()), csv_num(a.views),
                      csv_num(a.helpful_yes), csv_num(a.helpful_no), csv_rate(a.helpful_ratio()),
                      csv_num(a.bot_answers), csv_num(a.bot_accepted), csv_num(a.bot_escalated),
                      csv_num(a.deflection.viewing_sessions), csv_num(a.deflection.deflected),
                      csv_num(a.deflection.ticketed), csv_num(a.deflection.pending), csv_rate(a.deflection.rate()),
                      csv_text(reasons_cell(a.unhelpful_reasons, "")), csv_text(translations_cell(a))});
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

}  // namespace helpmark::tracking
