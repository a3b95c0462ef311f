// helpmark audit: content audits for writers (stale reviews, broken links, translations,
// structure, taxonomy, duplicates, orphans), by hand or in a docs repository's CI.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string_view>

#include <filesystem>

#include "commands/commands.hpp"
#include "commands/track_common.hpp"
#include "helpmark/audit.hpp"
#include "helpmark/display_path.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

struct AuditCommand {
  std::string articles = "articles";
  std::string taxonomy = "taxonomy";
  std::string config;
  std::string format = "text";
  bool json = false;
  std::string as_of;
  std::vector<std::string> owners, journeys, locales, checks;
  std::string severity = "info";
  std::string fail_on = "error";
  std::string source_hash_of;
  std::string store;
  std::string docs_url = HELPMARK_DOCS_URL;
  bool list_checks = false;
};

// The check table for people (text, Markdown) or scripts (JSON).
int print_checks(const std::string& format) {
  if (format == "markdown") {
    auto cell = [](std::string_view s) {
      std::string out;
      for (char c : s) {
        if (c == '|') out += '\\';
        out += c;
      }
      return out;
    };
    std::cout << "| Check | Severity | Finds | Fix |\n| --- | --- | --- | --- |\n";
    for (const auto& c : audit_checks())
      std::cout << "| `" << c.id << "` | " << audit_severity_name(c.severity) << " | " << cell(c.description) << " | "
                << cell(c.fix) << " |\n";
    return kExitOk;
  }
  if (format == "json") {
    std::cout << "[\n";
    const auto& checks = audit_checks();
    for (std::size_t i = 0; i < checks.size(); ++i) {
      auto quote = [](std::string_view s) {
        std::string out = "\"";
        for (char c : s) {
          if (c == '"' || c == '\\') out += '\\';
          out += c;
        }
        return out + "\"";
      };
      std::cout << "  {\"id\": " << quote(checks[i].id) << ", \"severity\": \""
                << audit_severity_name(checks[i].severity) << "\", \"description\": " << quote(checks[i].description)
                << ", \"fix\": " << quote(checks[i].fix) << "}" << (i + 1 < checks.size() ? "," : "") << "\n";
    }
    std::cout << "]\n";
    return kExitOk;
  }
  std::size_t id_width = 0;
  for (const auto& c : audit_checks()) id_width = std::max(id_width, std::strlen(c.id));
  const int width = static_cast<int>(id_width);
  for (const auto& c : audit_checks())
    std::printf("%-*s  %-8s %s\n%*s%s\n", width, c.id, audit_severity_name(c.severity), c.description, width + 11, "",
                c.fix);
  return kExitOk;
}

// Whether `--check` leaves any effectiveness check in.
bool wants_effectiveness(const std::vector<std::string>& checks) {
  if (checks.empty()) return true;
  for (const auto& check : audit_checks())
    if (std::string_view(check.id).starts_with("effectiveness/"))
      for (const auto& pattern : checks)
        if (audit_check_matches(pattern, check.id)) return true;
  return false;
}

int run_audit_command(const AuditCommand& cmd) {
  const bool json = cmd.json || cmd.format == "json" || cmd.format == "sarif";
  if (cmd.list_checks) {
    if (cmd.format == "sarif" && !cmd.json)
      return report_error(Status(ErrorCode::kInvalidArgument,
                                 "--list-checks prints text, markdown or json; SARIF reports list every check "
                                 "as a rule already (--format sarif without --list-checks)"),
                          false);
    return print_checks(cmd.json ? std::string("json") : cmd.format);
  }

  auto taxonomy = Taxonomy::load(cmd.taxonomy);
  if (!taxonomy.ok()) return report_error(taxonomy.status(), json);

  AuditOptions options;
  if (cmd.config.empty()) {
    auto config = AuditConfig::load(cmd.taxonomy);
    if (!config.ok()) return report_error(config.status(), json);
    options.config = std::move(config.value());
  } else {
    auto config = AuditConfig::load_file(cmd.config);
    if (!config.ok()) return report_error(config.status(), json);
    options.config = std::move(config.value());
  }
  options.as_of = cmd.as_of;
  options.owners = cmd.owners;
  options.journeys = cmd.journeys;
  options.locales = cmd.locales;
  options.checks = cmd.checks;
  parse_audit_severity(cmd.severity, options.min_severity);
  options.taxonomy_dir = cmd.taxonomy;
  // Effectiveness needs tracking data: --store, else the default store when it exists.
  if (!cmd.store.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(cmd.store, ec))
      return report_error(Status(ErrorCode::kNotFound, cmd.store + ": no event store there; record events with "
                                                                   "`helpmark track` or leave out --store"),
                          json);
    options.tracking_store = cmd.store;
  } else if (std::error_code ec; std::filesystem::is_regular_file(default_store_path(), ec)) {
    options.tracking_store = default_store_path();
  } else if (const char* env = std::getenv("HELPMARK_STORE"); env && *env && wants_effectiveness(cmd.checks)) {
    // Not an error: `helpmark track` creates the store with the first event, and the variable
    // may be set for it before there is any. But a reader must not take "no findings" for
    // "every article is effective".
    std::cerr << "helpmark: note: $HELPMARK_STORE names " << env
              << ", which does not exist; effectiveness checks skipped (record events with `helpmark track`)\n";
  }

  const bool progress = stderr_is_terminal() && !json;
  if (progress) std::cerr << "helpmark: reading " << cmd.articles << " ..." << std::flush;
  auto set = load_articles(cmd.articles, taxonomy.value());
  if (progress) std::cerr << "\r\033[K" << std::flush;
  if (!set.ok()) return report_error(set.status(), json);

  if (!cmd.source_hash_of.empty()) {
    for (const auto& a : set->articles)
      if (a.id == cmd.source_hash_of) {
        std::cout << translation_source_hash(a) << "\n";
        return kExitOk;
      }
    return report_error(Status(ErrorCode::kNotFound, "no article with id '" + cmd.source_hash_of + "' in " +
                                                         cmd.articles),
                        json);
  }

  if (progress) std::cerr << "helpmark: auditing " << set->articles.size() << " articles ..." << std::flush;
  auto report = run_audit(set.value(), taxonomy.value(), options);
  if (progress) std::cerr << "\r\033[K" << std::flush;
  if (!report.ok()) return report_error(report.status(), json);

  AuditFormat format = AuditFormat::kText;
  if (cmd.json || cmd.format == "json") format = AuditFormat::kJson;
  else if (cmd.format == "markdown") format = AuditFormat::kMarkdown;
  else if (cmd.format == "sarif") format = AuditFormat::kSarif;
  AuditFormatOptions format_options;
  format_options.path_prefix = path_prefix_of(cmd.articles);
  format_options.taxonomy_prefix = path_prefix_of(cmd.taxonomy);
  format_options.tool_version = HELPMARK_VERSION;
  format_options.docs_url = cmd.docs_url;
  std::cout << format_audit_report(report.value(), format, format_options) << std::flush;

  if (cmd.fail_on == "never") return kExitOk;
  AuditSeverity threshold = AuditSeverity::kError;
  parse_audit_severity(cmd.fail_on, threshold);
  return report->has_at_least(threshold) ? kExitError : kExitOk;
}

}  // namespace

void register_audit(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<AuditCommand>();
  CLI::App* sub = app.add_subcommand(
      "audit",
      "Audit the knowledge base for writers: stale reviews, broken links and anchors, missing or\n"
      "outdated translations, missing sections, headings and alt text, unknown tags, empty journeys,\n"
      "near-duplicate articles and orphans. Reads files only; changes nothing.\n\n"
      "Findings are grouped by owner, then journey. Settings: <taxonomy>/audit.yaml (intervals,\n"
      "required sections, limits, required translation locales, ignored checks); an article can\n"
      "silence a check with `audit: {ignore: [orphans/unlinked]}` in its front matter.\n\n"
      "Exit status: 0 when no finding is at or above --fail-on (default: error), 1 when one is or\n"
      "when the audit cannot run (missing directory, bad audit.yaml), 2 for wrong flags or values.\n\n"
      "Examples:\n"
      "  helpmark audit                                    # articles/ and taxonomy/ here\n"
      "  helpmark audit --owner payments-content           # one team's findings\n"
      "  helpmark audit --check links,translations/outdated --severity warning\n"
      "  helpmark audit --as-of 2027-01-31                 # what will be overdue by then\n"
      "  helpmark audit --format markdown > audit.md       # paste into a ticket\n"
      "  helpmark audit --format sarif > audit.sarif       # code-review tools (SARIF 2.1.0)\n"
      "  helpmark audit --fail-on warning                  # stricter CI gate\n"
      "  helpmark audit --store .helpmark/events.sqlite    # with effectiveness (tracking data)\n"
      "  helpmark audit --list-checks                      # every check id and what to do");
  sub->add_option("articles", cmd->articles, "Folder of .md articles")->capture_default_str();
  sub->add_option("--taxonomy", cmd->taxonomy, "Folder holding journeys.yaml (and audit.yaml)")->capture_default_str();
  sub->add_option("--config", cmd->config, "Audit settings file instead of <taxonomy>/audit.yaml");
  sub->add_option("--format", cmd->format, "Output: text, markdown, json or sarif")
      ->check(CLI::IsMember({"text", "markdown", "json", "sarif"}))
      ->capture_default_str();
  sub->add_flag("--json", cmd->json, "Same as --format json");
  sub->add_option("--as-of", cmd->as_of, "Audit as of this date (YYYY-MM-DD) instead of today");
  sub->add_option("--owner", cmd->owners, "Only articles of this owner (repeat or comma-separate)")->delimiter(',');
  sub->add_option("--journey", cmd->journeys, "Only this journey (repeat or comma-separate)")->delimiter(',');
  sub->add_option("--locale", cmd->locales, "Only this locale (repeat or comma-separate)")->delimiter(',');
  sub->add_option("--check", cmd->checks,
                  "Only these checks: ids (links/broken-anchor) or families (stale, links, translations,\n"
                  "structure, taxonomy, duplicates, orphans, effectiveness, articles, config)")
      ->delimiter(',');
  sub->add_option("--severity", cmd->severity, "Report findings of at least this severity: info, warning, error")
      ->check(CLI::IsMember({"info", "warning", "error"}))
      ->capture_default_str();
  sub->add_option("--fail-on", cmd->fail_on, "Exit 1 when a finding is at least this severe: error, warning, info, or never")
      ->check(CLI::IsMember({"error", "warning", "info", "never"}))
      ->capture_default_str();
  sub->add_option("--source-hash", cmd->source_hash_of,
                  "Print the source hash of article ID (record it in a translation as\n"
                  "`audit: {source_hash: ...}`) and exit");
  sub->add_option("--store", cmd->store,
                  "Event store for the effectiveness checks (default: $HELPMARK_STORE, else\n"
                  ".helpmark/events.sqlite when it exists; without one they are skipped, with a\n"
                  "note on stderr when $HELPMARK_STORE names a file that does not exist)");
  sub->add_option("--docs-url", cmd->docs_url,
                  "Absolute URL of helpmark's audit documentation (docs/audit.md) as your team reads\n"
                  "it; SARIF rules link to its Checks section (helpUri)")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](const std::string& url) {
            const auto colon = url.find(':');
            const bool scheme = colon != std::string::npos && colon > 0 &&
                                url.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") == colon;
            return scheme ? std::string() : "'" + url + "' is not an absolute URL (https://... or file:///...)";
          },
          "URL"));
  sub->add_flag("--list-checks", cmd->list_checks,
                "List every check with its severity and what to do, and exit (text, --format markdown\n"
                "or --json)");
  sub->callback([cmd, &exit_code] { exit_code = run_audit_command(*cmd); });
}

}  // namespace helpmark::cli
