// helpmark report: which articles resolve questions, which searches fail, where customers give up.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands/commands.hpp"
#include "commands/track_common.hpp"
#include "helpmark/index.hpp"
#include "helpmark/tracking.hpp"
#include "output.hpp"

namespace fs = std::filesystem;

namespace helpmark::cli {
namespace {

struct ReportCommand {
  std::string store;
  std::string index;
  bool index_given = false;
  std::string from, to, journey, locale, audience;
  std::string window = "24h";
  std::string refine_window = "5m";
  std::string bucket = "auto";
  std::size_t top = 20;
  std::size_t min_gap = 2;
  bool json = false;
  bool csv = false;
  std::string table = "articles";
  std::string html;
  std::string svg;
};

Status usage(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }

// Writes through a temporary file and a rename, so a reader never sees half a report.
Status write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status(ErrorCode::kIoError, path + ": cannot write the file");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) return Status(ErrorCode::kIoError, path + ": writing failed (disk full?)");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status(ErrorCode::kIoError, path + ": cannot replace the file: " + ec.message());
  return Status::Ok();
}

int run_report(const ReportCommand& cmd) {
  const bool json = cmd.json;
  if (static_cast<int>(cmd.json) + static_cast<int>(cmd.csv) + static_cast<int>(!cmd.html.empty()) +
          static_cast<int>(!cmd.svg.empty()) >
      1)
    return report_error(usage("choose one output: --json, --csv, --html FILE or --svg CHART"), json);

  tracking::ReportOptions options;
  if (!cmd.from.empty()) {
    options.from_ms = parse_date_or_time(cmd.from);
    if (!options.from_ms)
      return report_error(usage("--from takes a date (2026-11-01) or an ISO time, not '" + cmd.from + "'"), json);
  }
  if (!cmd.to.empty()) {
    options.to_ms = parse_date_or_time(cmd.to, true);
    if (!options.to_ms)
      return report_error(usage("--to takes a date (2026-11-30, included) or an ISO time, not '" + cmd.to + "'"), json);
  }
  if (options.from_ms && options.to_ms && *options.from_ms >= *options.to_ms)
    return report_error(usage("--from must be before --to"), json);
  auto window = parse_duration_ms(cmd.window);
  if (!window || *window == 0)
    return report_error(usage("--window takes a duration such as 24h, 90m or 7d, not '" + cmd.window + "'"), json);
  options.deflection_window_ms = *window;
  auto refine = parse_duration_ms(cmd.refine_window);
  if (!refine || *refine == 0)
    return report_error(usage("--refine-window takes a duration such as 5m or 30s, not '" + cmd.refine_window + "'"),
                        json);
  options.refine_window_ms = *refine;
  if (cmd.bucket == "day") options.bucket = tracking::Bucket::kDay;
  else if (cmd.bucket == "week") options.bucket = tracking::Bucket::kWeek;
  else if (cmd.bucket == "month") options.bucket = tracking::Bucket::kMonth;
  options.journey = cmd.journey;
  options.locale = cmd.locale;
  options.audience = cmd.audience;
  options.top = cmd.top;
  options.min_gap_count = cmd.min_gap;
  if (cmd.csv) {
    const auto& tables = tracking::report_tables();
    if (std::find(tables.begin(), tables.end(), cmd.table) == tables.end())
      return report_error(usage("unknown --table '" + cmd.table + "'; tables: articles, queries, zero-results, "
                                "low-click, gaps, journeys, locales, audiences, time"),
                          json);
  }

  // Article titles and journeys come from the index when there is one.
  const std::string index_dir = cmd.index.empty() ? default_index_dir() : cmd.index;
  std::optional<Index> index;
  {
    auto opened = Index::open(index_dir);
    if (opened.ok()) {
      index.emplace(std::move(opened).value());
      options.article_lookup = tracking::article_lookup_from_index(*index);
      options.journey_guesser = tracking::journey_guesser_from_index(*index);
    } else if (cmd.index_given) {
      return report_error(opened.status(), json);
    }
  }

  const std::string store_path = cmd.store.empty() ? default_store_path(cmd.index_given ? cmd.index : "") : cmd.store;
  tracking::StoreOptions store_options;
  store_options.read_only = true;
  auto store = tracking::EventStore::open(store_path, store_options);
  if (!store.ok()) return report_error(store.status(), json);
  auto report = store->report(options);
  if (!report.ok()) return report_error(report.status(), json);

  if (cmd.json) {
    std::cout << tracking::report_to_json(report.value()) << "\n";
  } else if (cmd.csv) {
    auto csv = tracking::report_to_csv(report.value(), cmd.table);
    if (!csv.ok()) return report_error(csv.status(), false);
    std::cout << csv.value();
  } else if (!cmd.svg.empty()) {
    auto svg = tracking::report_chart_svg(report.value(), cmd.svg);
    if (!svg.ok()) return report_error(svg.status(), false);
    std::cout << svg.value();
  } else if (!cmd.html.empty()) {
    const std::string page = tracking::report_to_html(report.value());
    if (cmd.html == "-") {
      std::cout << page;
    } else {
      if (Status s = write_file_atomically(cmd.html, page); !s.ok()) return report_error(s, false);
      std::fprintf(stderr, "wrote %s (open it in a browser)\n", cmd.html.c_str());
    }
  } else {
    std::cout << tracking::report_to_text(report.value());
    if (!index)
      std::cout << "\nNote: no index at " << index_dir
                << ", so article titles are missing and journeys come only from the events; pass --index.\n";
  }
  return kExitOk;
}

}  // namespace

void register_report(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<ReportCommand>();
  CLI::App* sub = app.add_subcommand(
      "report",
      "Report article effectiveness from the tracked events: views, click-through, helpfulness and\n"
      "deflection per article; top, zero-result, low-click, refined and abandoned queries (\"refund\" and\n"
      "\"refunds\" count together); content gaps with their likely journey; per journey, locale,\n"
      "audience and over time. Definitions of every number are in docs/tracking.md (\"Metrics\").\n"
      "Examples:\n"
      "  helpmark report                                   # tables on the terminal\n"
      "  helpmark report --from 2026-11-01 --to 2026-11-30 --journey payments\n"
      "  helpmark report --window 48h --json > report.json\n"
      "  helpmark report --csv --table zero-results > zero.csv\n"
      "  helpmark report --html report.html               # charts for a browser, no network needed\n"
      "  helpmark report --svg queries > top-queries.svg  # one chart alone, to embed elsewhere\n"
      "With --from, the headline figures are compared with the period of the same length just before\n"
      "(an open --to ends at the newest event). Searches made without a locale count under the locale\n"
      "'all'; translations of one article are one row, with a row per translation.");
  sub->add_option("--store", cmd->store, "Event store file (default: $HELPMARK_STORE, else events.sqlite beside the index)");
  sub->add_option("--index", cmd->index,
                  "Index for article titles and journeys (default: $HELPMARK_INDEX or .helpmark/index, when present)")
      ->each([cmd](const std::string&) { cmd->index_given = true; });
  sub->add_option("--from", cmd->from, "Count events at or after this date or ISO time");
  sub->add_option("--to", cmd->to, "Count events up to this date (included) or before this ISO time");
  sub->add_option("--journey", cmd->journey, "Only events about this journey (e.g. payments)");
  sub->add_option("--locale", cmd->locale, "Only events in this locale (e.g. es; 'all': searches made without a locale)");
  sub->add_option("--audience", cmd->audience, "Only events of this audience (buyer, seller, partner)");
  sub->add_option("--window", cmd->window, "Deflection window: no ticket within this time after a view")
      ->capture_default_str();
  sub->add_option("--refine-window", cmd->refine_window, "A search followed by another one this soon was refined")
      ->capture_default_str();
  sub->add_option("--bucket", cmd->bucket, "Time buckets: auto, day, week or month")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "day", "week", "month"}));
  sub->add_option("--top", cmd->top, "Rows per table (0 = all)")->capture_default_str()->check(CLI::NonNegativeNumber);
  sub->add_option("--min-gap", cmd->min_gap, "Occurrences that make a content gap")->capture_default_str();
  sub->add_flag("--json", cmd->json, "Print the whole report as one JSON object (schema in docs/tracking.md)");
  sub->add_flag("--csv", cmd->csv, "Print one table as CSV (choose it with --table)");
  sub->add_option("--table", cmd->table,
                  "Table for --csv: articles, queries, zero-results, low-click, gaps, journeys, locales, audiences, time")
      ->capture_default_str();
  sub->add_option("--html", cmd->html, "Write a self-contained HTML report with charts to FILE ('-' for stdout)");
  sub->add_option("--svg", cmd->svg, "Print one chart as a standalone SVG: articles, queries, journeys or time")
      ->type_name("CHART")
      ->check(CLI::IsMember(tracking::report_charts()));
  sub->callback([cmd, &exit_code] { exit_code = run_report(*cmd); });
}

}  // namespace helpmark::cli
