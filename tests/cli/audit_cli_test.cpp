// `helpmark audit` end to end: the real binary on the fixture knowledge bases of
// tests/data/audit/ and on the shipped articles/.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>

#include "cli/cli_util.hpp"

using hmtest::contains;
using hmtest::count_lines_with;
using hmtest::helpmark_cli;
using hmtest::RunResult;
using nlohmann::json;

namespace {

const hmtest::fs::path kAudit = hmtest::kTestData / "audit";

// `helpmark audit <fixture>/articles --taxonomy <fixture>/taxonomy --as-of 2026-11-01 ARGS...`
RunResult audit(const std::string& fixture, std::vector<std::string> args = {}) {
  std::vector<std::string> all{"audit", (kAudit / fixture / "articles").string(), "--taxonomy",
                               (kAudit / fixture / "taxonomy").string(), "--as-of", "2026-11-01"};
  all.insert(all.end(), args.begin(), args.end());
  return helpmark_cli(all);
}

json audit_json(const std::string& fixture, std::vector<std::string> args = {}, int expected_exit = -1) {
  args.push_back("--json");
  RunResult run = audit(fixture, args);
  HM_RUN_INFO(run);
  if (expected_exit >= 0) CHECK(run.exit_code == expected_exit);
  return hmtest::CliKb::parse_json(run.out);
}

std::vector<std::string> checks_of(const json& report) {
  std::vector<std::string> out;
  for (const auto& f : report.at("findings")) out.push_back(f.at("check").get<std::string>());
  return out;
}

std::vector<std::string> articles_of(const json& report, const std::string& check) {
  std::vector<std::string> out;
  for (const auto& f : report.at("findings"))
    if (f.at("check") == check) out.push_back(f.at("article").get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_SUITE("cli/audit") {
  TEST_CASE("a clean knowledge base: no findings, exit 0, a summary line") {
    auto run = audit("clean");
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(run.out == "9 articles audited as of 2026-11-01: no findings\n");
  }

  TEST_CASE("exit status follows --fail-on") {
    // stale has warnings only; links has errors.
    CHECK(audit("stale").exit_code == 0);
    CHECK(audit("stale", {"--fail-on", "warning"}).exit_code == 1);
    CHECK(audit("stale", {"--fail-on", "error"}).exit_code == 0);
    CHECK(audit("links").exit_code == 1);
    CHECK(audit("links", {"--fail-on", "never"}).exit_code == 0);
    CHECK(audit("translations", {"--check", "translations/coverage", "--fail-on", "info"}).exit_code == 1);
    CHECK(audit("translations", {"--check", "translations/coverage", "--fail-on", "warning"}).exit_code == 0);
    // Filters narrow what counts: only the warnings of links.
    CHECK(audit("links", {"--check", "links/draft-target"}).exit_code == 0);
  }

  TEST_CASE("usage errors exit 2") {
    for (std::vector<std::string> args : {std::vector<std::string>{"--format", "xml"},
                                          {"--as-of", "2026-12-01"},  // given twice
                                          {"--check", "no-such-check"},
                                          {"--severity", "fatal"},
                                          {"--fail-on", "sometimes"},
                                          {"--no-such-flag"}}) {
      auto run = audit("clean", args);
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 2);
      CHECK_FALSE(run.err.empty());
    }
    auto bad_date = helpmark_cli({"audit", (kAudit / "clean/articles").string(), "--taxonomy",
                                  (kAudit / "clean/taxonomy").string(), "--as-of", "2026-13-01"});
    CHECK(bad_date.exit_code == 2);
    CHECK(contains(bad_date.err, "write YYYY-MM-DD"));
    auto bad_check = audit("clean", {"--check", "linkz"});
    CHECK(contains(bad_check.err, "unknown check 'linkz'"));
  }

  TEST_CASE("an audit that cannot run exits 1 with the reason") {
    auto missing = helpmark_cli({"audit", "/nonexistent/articles", "--taxonomy", (kAudit / "clean/taxonomy").string()});
    HM_RUN_INFO(missing);
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.err, "articles directory not found"));
    auto missing_json = helpmark_cli(
        {"audit", "/nonexistent/articles", "--taxonomy", (kAudit / "clean/taxonomy").string(), "--json"});
    CHECK(missing_json.exit_code == 1);
    CHECK(hmtest::CliKb::parse_json(missing_json.out).contains("error"));

    hmtest::TempDir dir;
    hmtest::write_file(dir / "audit.yaml", "limits:\n  max_word: 10\n");
    auto bad_config = audit("clean", {"--config", (dir / "audit.yaml").string()});
    HM_RUN_INFO(bad_config);
    CHECK(bad_config.exit_code == 1);
    CHECK(contains(bad_config.err, "audit.yaml:2: unknown key `max_word` in limits"));
    auto no_config = audit("clean", {"--config", (dir / "nope.yaml").string()});
    CHECK(no_config.exit_code == 1);
  }

  TEST_CASE("text output: grouped by owner, then journey, compiler-style lines, summary") {
    auto run = audit("stale");
    HM_RUN_INFO(run);
    const std::string& out = run.out;
    const auto payments = out.find("payments-content\n  payments\n");
    const auto returns = out.find("returns-content\n  returns\n");
    const auto sellers = out.find("seller-content\n  sellers\n");
    const auto none = out.find("(no owner)\n  payments\n");
    REQUIRE(payments != std::string::npos);
    REQUIRE(returns != std::string::npos);
    REQUIRE(sellers != std::string::npos);
    REQUIRE(none != std::string::npos);
    CHECK(payments < returns);
    CHECK(returns < sellers);
    CHECK(sellers < none);
    const std::string articles = (kAudit / "stale/articles").string();
    CHECK(contains(out, "    " + articles + "/en/payments/own-interval.md:7: warning: review overdue by 204 days"));
    CHECK(contains(out, "[stale/overdue]\n"));
    CHECK(contains(out, "\n12 articles audited as of 2026-11-01: 0 errors, 7 warnings, 0 info; 1 ignored by settings\n"));
  }

  TEST_CASE("paths are printed as seen from where the command runs") {
    auto run = helpmark_cli({"audit", "articles", "--taxonomy", "taxonomy", "--as-of", "2026-11-01", "--check",
                             "taxonomy/empty-journey"},
                            {}, kAudit / "taxonomy");
    HM_RUN_INFO(run);
    CHECK(contains(run.out, "    taxonomy/journeys.yaml:15: warning: journey sellers has no published article"));
    auto dot = helpmark_cli({"audit", ".", "--taxonomy", "../taxonomy", "--as-of", "2026-11-01", "--check",
                             "taxonomy/no-subtopic"},
                            {}, kAudit / "taxonomy/articles");
    HM_RUN_INFO(dot);
    CHECK(contains(dot.out, "    en/payments/no-subtopic.md:4: warning:"));
  }

  TEST_CASE("--json: counts, and every finding with its fields") {
    json report = audit_json("stale", {}, 0);
    CHECK(report.at("as_of") == "2026-11-01");
    CHECK(report.at("articles") == 12);
    CHECK(report.at("summary") == json{{"errors", 0}, {"warnings", 7}, {"info", 0}, {"ignored", 1}, {"filtered", 0}});
    CHECK(report.at("effectiveness_checked") == false);
    REQUIRE(report.at("findings").size() == 7);
    const json& f = report.at("findings")[0];
    for (const char* key : {"check", "severity", "article", "path", "file", "line", "owner", "journey", "locale", "message"})
      CHECK_MESSAGE(f.contains(key), key);
    CHECK(f.at("path") == "en/payments/future.md");
    CHECK(f.at("file") == (kAudit / "stale/articles/en/payments/future.md").string());
    CHECK(audit("stale", {"--format", "json"}).out == audit("stale", {"--json"}).out);
  }

  TEST_CASE("--format sarif is SARIF 2.1.0 with rules and located results") {
    auto run = audit("links", {"--format", "sarif"});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    json sarif = hmtest::CliKb::parse_json(run.out);
    CHECK(sarif.at("version") == "2.1.0");
    CHECK(contains(sarif.at("$schema").get<std::string>(), "sarif-2.1.0"));
    REQUIRE(sarif.at("runs").size() == 1);
    const json& run0 = sarif.at("runs")[0];
    const json& driver = run0.at("tool").at("driver");
    CHECK(driver.at("name") == "helpmark");
    const json& rules = driver.at("rules");
    REQUIRE(rules.size() > 30);
    for (const auto& rule : rules) {
      CHECK(rule.at("id").is_string());
      CHECK(rule.at("shortDescription").at("text").is_string());
      CHECK(rule.at("defaultConfiguration").at("level").is_string());
    }
    const json& results = run0.at("results");
    REQUIRE(results.size() == 12);
    for (const auto& r : results) {
      const std::string rule_id = r.at("ruleId");
      CHECK(rules.at(r.at("ruleIndex").get<std::size_t>()).at("id") == rule_id);
      const std::string level = r.at("level");
      CHECK((level == "error" || level == "warning" || level == "note"));
      CHECK_FALSE(r.at("message").at("text").get<std::string>().empty());
      const json& location = r.at("locations").at(0).at("physicalLocation");
      CHECK(contains(location.at("artifactLocation").at("uri").get<std::string>(), "/articles/"));
      CHECK(location.at("region").at("startLine").get<int>() >= 1);
    }
    CHECK(results[0].at("properties").at("owner") == "payments-content");
  }

  TEST_CASE("SARIF fingerprints: one per result, the same from run to run while the finding is") {
    auto fingerprints = [](const RunResult& run) {
      HM_RUN_INFO(run);
      std::vector<std::string> out;
      const json sarif = hmtest::CliKb::parse_json(run.out);
      for (const auto& r : sarif.at("runs")[0].at("results"))
        out.push_back(r.at("partialFingerprints").at("helpmark/v1").get<std::string>());
      return out;
    };
    const auto first = fingerprints(audit("links", {"--format", "sarif"}));
    REQUIRE(first.size() == 12);
    for (const auto& f : first) CHECK_MESSAGE(std::regex_match(f, std::regex("[0-9a-f]{16}:[0-9]+")), f);
    CHECK(std::set<std::string>(first.begin(), first.end()).size() == first.size());  // no two alike
    CHECK(fingerprints(audit("links", {"--format", "sarif"})) == first);

    // Lines move (a paragraph added above every finding): the lines change, the fingerprints not.
    hmtest::TempDir dir;
    hmtest::fs::copy(kAudit / "links", dir.path(), hmtest::fs::copy_options::recursive);
    for (const auto& entry : hmtest::fs::recursive_directory_iterator(dir / "articles")) {
      if (entry.path().extension() != ".md") continue;
      std::string text = hmtest::read_file(entry.path());
      const auto body = text.find("\n---\n", 4);
      REQUIRE(body != std::string::npos);
      text.insert(body + 5, "\nA paragraph added on top.\n\nAnd another.\n");
      std::ofstream(entry.path(), std::ios::binary) << text;
    }
    auto moved = helpmark_cli({"audit", (dir / "articles").string(), "--taxonomy", (dir / "taxonomy").string(),
                               "--as-of", "2026-11-01", "--format", "sarif"});
    const json moved_results = hmtest::CliKb::parse_json(moved.out).at("runs")[0].at("results");
    const json first_results = hmtest::CliKb::parse_json(audit("links", {"--format", "sarif"}).out).at("runs")[0].at("results");
    REQUIRE(moved_results.size() == first_results.size());
    auto lines = [](const json& results) {
      std::vector<int> out;
      for (const auto& r : results) out.push_back(r.at("locations")[0].at("physicalLocation").at("region").at("startLine"));
      return out;
    };
    CHECK(lines(moved_results) != lines(first_results));
    // The files are elsewhere, so compare what stays: the same check in the same place keeps its
    // fingerprint when the audit is run from the copy's parent with the same relative paths.
    auto relative = [&](const hmtest::fs::path& root) {
      return helpmark_cli({"audit", "articles", "--taxonomy", "taxonomy", "--as-of", "2026-11-01", "--format", "sarif"},
                          {}, root);
    };
    hmtest::TempDir original;
    hmtest::fs::copy(kAudit / "links", original.path(), hmtest::fs::copy_options::recursive);
    CHECK(fingerprints(relative(dir.path())) == fingerprints(relative(original.path())));

    // Numbers in a message (days overdue, the date to set) change with the date; the
    // fingerprint does not.
    auto stale_on = [&](const std::string& date) {
      return helpmark_cli({"audit", (kAudit / "stale/articles").string(), "--taxonomy",
                           (kAudit / "stale/taxonomy").string(), "--as-of", date, "--format", "sarif",
                           "--check", "stale/overdue"});
    };
    auto early = stale_on("2026-11-01"), late = stale_on("2026-12-15");
    CHECK(early.out != late.out);
    const auto before = fingerprints(early), after = fingerprints(late);
    REQUIRE_FALSE(before.empty());
    CHECK(after.size() == before.size() + 1);  // due-today became overdue in between
    for (const auto& f : before) CHECK_MESSAGE(std::find(after.begin(), after.end(), f) != after.end(), f);
  }

  TEST_CASE("SARIF rules link to the Checks section of docs/audit.md (helpUri)") {
    auto rules_of = [](const RunResult& run) {
      HM_RUN_INFO(run);
      REQUIRE(run.exit_code == 1);
      return hmtest::CliKb::parse_json(run.out).at("runs")[0].at("tool").at("driver").at("rules");
    };
    for (const auto& rule : rules_of(audit("links", {"--format", "sarif"}))) {
      const std::string uri = rule.at("helpUri");
      CHECK_MESSAGE(uri.rfind("file:///", 0) == 0, uri);  // the installed docs/audit.md by default
      CHECK_MESSAGE(contains(uri, "/docs/audit.md#checks"), uri);
    }
    const std::string published = "https://docs.example.org/helpmark/docs/audit.md";
    for (const auto& rule : rules_of(audit("links", {"--format", "sarif", "--docs-url", published})))
      CHECK(rule.at("helpUri") == published + "#checks");

    auto relative = audit("links", {"--format", "sarif", "--docs-url", "docs/audit.md"});
    HM_RUN_INFO(relative);
    CHECK(relative.exit_code == 2);
    CHECK(contains(relative.err, "'docs/audit.md' is not an absolute URL"));
    CHECK(audit("links", {"--format", "sarif", "--docs-url", ""}).exit_code == 2);
  }

  TEST_CASE("SARIF levels map info to note, and URIs are percent-encoded") {
    json sarif = hmtest::CliKb::parse_json(audit("translations", {"--format", "sarif", "--check", "translations/coverage"}).out);
    const json& results = sarif.at("runs")[0].at("results");
    REQUIRE(results.size() == 1);
    CHECK(results[0].at("level") == "note");
    CHECK(contains(results[0].at("locations")[0].at("physicalLocation").at("artifactLocation").at("uri").get<std::string>(),
                   "taxonomy/journeys.yaml"));
  }

  TEST_CASE("--format markdown: headings per owner and journey, one task per finding") {
    auto run = audit("stale", {"--format", "markdown"});
    HM_RUN_INFO(run);
    CHECK(run.out.rfind("## Content audit (2026-11-01)\n", 0) == 0);
    CHECK(contains(run.out, "\n### payments-content\n\n#### payments\n\n- [ ] **warning** `stale/future-review` `"));
    CHECK(contains(run.out, "\n### (no owner)\n"));
    CHECK(count_lines_with(run.out, "- [ ] **") == 7);
    CHECK(contains(run.out, "12 articles audited as of 2026-11-01: 0 errors, 7 warnings, 0 info; 1 ignored by settings."));
  }

  TEST_CASE("filters: owner, journey, locale, check, severity") {
    CHECK(articles_of(audit_json("stale", {"--owner", "returns-content"}), "stale/overdue") ==
          std::vector<std::string>{"config-interval"});
    json sellers = audit_json("stale", {"--journey", "sellers"});
    CHECK(checks_of(sellers) == std::vector<std::string>{"stale/overdue"});
    CHECK(sellers.at("summary").at("filtered") == 7);  // everything else, the ignored finding too
    json spanish = audit_json("links", {"--locale", "es"});
    CHECK(articles_of(spanish, "links/other-locale") == std::vector<std::string>{"fuente", "fuente"});
    CHECK(spanish.at("findings").size() == 2);
    json anchors = audit_json("links", {"--check", "links/broken-anchor,links/broken-file"});
    CHECK(checks_of(anchors) ==
          std::vector<std::string>{"links/broken-file", "links/broken-anchor", "links/broken-anchor"});
    json errors = audit_json("links", {"--severity", "error"});
    for (const auto& f : errors.at("findings")) CHECK(f.at("severity") == "error");
    CHECK(errors.at("findings").size() == 7);
    json two_owners = audit_json("stale", {"--owner", "returns-content", "--owner", "seller-content"});
    CHECK(two_owners.at("findings").size() == 2);
  }

  TEST_CASE("--as-of audits as of another day") {
    RunResult early = helpmark_cli({"audit", (kAudit / "stale/articles").string(), "--taxonomy",
                                    (kAudit / "stale/taxonomy").string(), "--as-of", "2026-06-01", "--check",
                                    "stale/overdue", "--json"});
    HM_RUN_INFO(early);
    json report = hmtest::CliKb::parse_json(early.out);
    CHECK(report.at("as_of") == "2026-06-01");
    CHECK(articles_of(report, "stale/overdue") == std::vector<std::string>{"own-interval"});
  }

  TEST_CASE("--source-hash prints the hash a translation records") {
    auto run = audit("translations", {"--source-hash", "beta"});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(run.out == "bc1c31c3c0c6e19a\n");
    auto missing = audit("translations", {"--source-hash", "nope"});
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.err, "no article with id 'nope'"));
  }

  TEST_CASE("--list-checks and --help teach the checks, the settings and the exit status") {
    auto list = helpmark_cli({"audit", "--list-checks"});
    CHECK(list.exit_code == 0);
    CHECK(contains(list.out, "links/broken-anchor"));
    CHECK(contains(list.out, "orphans/unlinked"));
    auto list_json = helpmark_cli({"audit", "--list-checks", "--json"});
    json checks = hmtest::CliKb::parse_json(list_json.out);
    REQUIRE(checks.is_array());
    CHECK(checks[0].at("id") == "articles/invalid");
    auto help = helpmark_cli({"audit", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "Exit status: 0"));
    CHECK(contains(help.out, "--fail-on"));
    CHECK(contains(help.out, "helpmark audit --format sarif"));
  }

  TEST_CASE("the shipped knowledge base: only the intentional findings") {
    RunResult run = helpmark_cli({"audit", (hmtest::kSourceDir / "articles").string(), "--taxonomy",
                                  (hmtest::kSourceDir / "taxonomy").string(), "--as-of", "2026-11-23", "--json"});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    json report = hmtest::CliKb::parse_json(run.out);
    CHECK(report.at("summary").at("errors") == 0);
    // The deliberately stale articles of the sample content, and nothing else to fix.
    CHECK(articles_of(report, "stale/overdue") ==
          std::vector<std::string>{"buy-now-pay-later", "exchange-rates-explained", "pay-with-paypal",
                                   "promoted-listings-fees", "return-without-printer"});
    for (const auto& f : report.at("findings")) {
      const std::string check = f.at("check");
      CHECK_MESSAGE((check == "stale/overdue" || check == "translations/coverage"), f.dump());
    }
  }

  TEST_CASE("SARIF: every result has a file and a line, content gaps too (GitHub upload-sarif needs them)") {
    hmtest::TempDir dir;
    const std::string store = (dir / "events.sqlite").string();
    auto import = helpmark_cli({"track", "import", (hmtest::kTestData / "tracking/fixture.jsonl").string(), "--store",
                                store});
    HM_RUN_INFO(import);
    REQUIRE(import.exit_code == 0);
    hmtest::write_file(dir / "eff.yaml", "effectiveness: {window: 30d, min_views: 1, min_zero_result_searches: 2}\n");
    auto run = helpmark_cli({"audit", (hmtest::kSourceDir / "articles").string(), "--taxonomy",
                             (hmtest::kSourceDir / "taxonomy").string(), "--store", store, "--config",
                             (dir / "eff.yaml").string(), "--as-of", "2026-11-12", "--check", "effectiveness",
                             "--format", "sarif"});
    HM_RUN_INFO(run);
    json sarif = hmtest::CliKb::parse_json(run.out);
    const json& results = sarif.at("runs")[0].at("results");
    std::size_t gaps = 0;
    for (const auto& r : results) {
      INFO(r.dump());
      gaps += r.at("ruleId") == "effectiveness/content-gap";
      REQUIRE(r.contains("locations"));
      const json& physical = r.at("locations").at(0).at("physicalLocation");
      CHECK_FALSE(physical.at("artifactLocation").at("uri").get<std::string>().empty());
      CHECK(physical.at("region").at("startLine").get<int>() >= 1);
    }
    CHECK(gaps == 2);
  }

  TEST_CASE("settings findings name the settings file in use and the line") {
    hmtest::TempDir dir;
    // --config: the file as given on the command line, at the setting's line.
    hmtest::write_file(dir / "x.yaml", "review: {journeys: {billing: 30d}}\nrequired_sections:\n  journeys:\n"
                                       "    shipping: [steps]\ntranslations:\n  required_locales: [es, fr]\n");
    const std::string config = (dir / "x.yaml").string();
    auto run = audit("clean", {"--config", config, "--check", "config"});
    HM_RUN_INFO(run);
    CHECK(contains(run.out, "    " + config + ":1: warning: review.journeys names journey 'billing'"));
    CHECK(contains(run.out, "    " + config + ":4: warning: required_sections.journeys names journey 'shipping'"));
    CHECK(contains(run.out, "    " + config + ":6: warning: translations.required_locales names 'fr'"));
    CHECK_FALSE(contains(run.out, "audit.yaml"));
    json report = audit_json("clean", {"--config", config, "--check", "config"});
    REQUIRE(report.at("findings").size() == 3);
    for (const auto& f : report.at("findings")) {
      CHECK(f.at("file") == config);
      CHECK(f.at("line").get<int>() >= 1);
    }

    // <taxonomy>/audit.yaml: named as before, now with the line.
    hmtest::fs::create_directories(dir / "taxonomy");
    hmtest::fs::copy_file(kAudit / "clean/taxonomy/journeys.yaml", dir / "taxonomy/journeys.yaml");
    hmtest::write_file(dir / "taxonomy/audit.yaml", "# settings\nreview:\n  journeys:\n    billing: 30d\n");
    auto own = helpmark_cli({"audit", (kAudit / "clean/articles").string(), "--taxonomy",
                             (dir / "taxonomy").string(), "--as-of", "2026-11-01", "--check", "config"});
    HM_RUN_INFO(own);
    CHECK(contains(own.out, "    " + (dir / "taxonomy").string() +
                                "/audit.yaml:4: warning: review.journeys names journey 'billing'"));
  }

  TEST_CASE("an unknown --journey, --owner or --locale is a usage error naming the valid values") {
    auto journey = audit("stale", {"--journey", "paymnets", "--fail-on", "warning"});
    HM_RUN_INFO(journey);
    CHECK(journey.exit_code == 2);
    CHECK(journey.out.empty());
    CHECK(contains(journey.err, "unknown journey 'paymnets'"));
    CHECK(contains(journey.err, "payments"));
    CHECK(contains(journey.err, "returns"));
    auto owner = audit("stale", {"--owner", "returns-content,nobody"});
    HM_RUN_INFO(owner);
    CHECK(owner.exit_code == 2);
    CHECK(contains(owner.err, "unknown owner 'nobody'"));
    CHECK(contains(owner.err, "returns-content"));
    CHECK(contains(owner.err, "seller-content"));
    auto locale = audit("links", {"--locale", "xx"});
    HM_RUN_INFO(locale);
    CHECK(locale.exit_code == 2);
    CHECK(contains(locale.err, "unknown locale 'xx'"));
    CHECK(contains(locale.err, "es"));
    auto json_run = audit("stale", {"--journey", "paymnets", "--json"});
    CHECK(json_run.exit_code == 2);
    CHECK(contains(hmtest::CliKb::parse_json(json_run.out).at("error").dump(), "paymnets"));
    // Known values still work.
    CHECK(audit("stale", {"--journey", "payments", "--owner", "returns-content", "--locale", "en"}).exit_code == 0);
  }

  TEST_CASE("$HELPMARK_STORE naming a missing file: a note says effectiveness was not checked") {
    const std::vector<std::pair<std::string, std::string>> env{{"HELPMARK_STORE", "/nonexistent/events.sqlite"}};
    std::vector<std::string> args{"audit", (kAudit / "clean/articles").string(), "--taxonomy",
                                  (kAudit / "clean/taxonomy").string(), "--as-of", "2026-11-01"};
    auto run = helpmark_cli(args, env);
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(run.out == "9 articles audited as of 2026-11-01: no findings\n");
    CHECK(contains(run.err, "$HELPMARK_STORE"));
    CHECK(contains(run.err, "/nonexistent/events.sqlite"));
    CHECK(contains(run.err, "effectiveness checks skipped"));
    args.push_back("--json");
    auto json_run = helpmark_cli(args, env);
    CHECK(json_run.exit_code == 0);
    CHECK(hmtest::CliKb::parse_json(json_run.out).at("effectiveness_checked") == false);
    CHECK(contains(json_run.err, "effectiveness checks skipped"));
  }

  TEST_CASE("--list-checks: aligned columns, Markdown, and SARIF is refused") {
    auto list = helpmark_cli({"audit", "--list-checks"});
    REQUIRE(list.exit_code == 0);
    json checks = hmtest::CliKb::parse_json(helpmark_cli({"audit", "--list-checks", "--json"}).out);
    std::vector<std::string> lines;
    for (std::size_t pos = 0, end; (end = list.out.find('\n', pos)) != std::string::npos; pos = end + 1)
      lines.push_back(list.out.substr(pos, end - pos));
    REQUIRE(lines.size() == 2 * checks.size());
    std::size_t column = std::string::npos;
    for (std::size_t i = 0; i < checks.size(); ++i) {
      const std::string id = checks[i].at("id");
      const std::string description = checks[i].at("description");
      INFO(lines[2 * i]);
      REQUIRE(lines[2 * i].starts_with(id + " "));
      const std::size_t at = lines[2 * i].find(description);
      REQUIRE(at != std::string::npos);
      if (column == std::string::npos) column = at;
      CHECK(at == column);
      CHECK(lines[2 * i + 1].find_first_not_of(' ') == column);  // the fix, under the description
    }
    auto markdown = helpmark_cli({"audit", "--list-checks", "--format", "markdown"});
    CHECK(markdown.exit_code == 0);
    CHECK(markdown.out.starts_with("| Check | Severity | Finds | Fix |\n|"));
    CHECK(contains(markdown.out, "\n| `orphans/unlinked` | warning | "));
    auto sarif = helpmark_cli({"audit", "--list-checks", "--format", "sarif"});
    CHECK(sarif.exit_code == 2);
    CHECK(contains(sarif.err, "--list-checks"));
  }

  TEST_CASE("--help names every value: --fail-on info, --check families articles and config") {
    auto help = helpmark_cli({"audit", "--help"});
    REQUIRE(help.exit_code == 0);
    auto option_help = [&](const std::string& option, const std::string& next) {
      const auto begin = help.out.find("  " + option);
      const auto end = help.out.find("  " + next, begin);
      REQUIRE(begin != std::string::npos);
      REQUIRE(end != std::string::npos);
      return help.out.substr(begin, end - begin);
    };
    const std::string fail_on = option_help("--fail-on", "--source-hash");
    CHECK(contains(fail_on, "info"));
    const std::string check = option_help("--check", "--severity");
    for (const char* family : {"stale", "links", "translations", "structure", "taxonomy", "duplicates", "orphans",
                               "effectiveness", "articles", "config"})
      CHECK_MESSAGE(contains(check, family), std::string(family));
  }

  TEST_CASE("SARIF rules carry the severities audit.yaml sets") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "severity.yaml", "severity:\n  orphans/unlinked: error\n  structure/image-alt: info\n");
    json sarif = hmtest::CliKb::parse_json(
        audit("clean", {"--config", (dir / "severity.yaml").string(), "--format", "sarif"}).out);
    std::map<std::string, std::string> levels;
    for (const auto& rule : sarif.at("runs")[0].at("tool").at("driver").at("rules"))
      levels[rule.at("id")] = rule.at("defaultConfiguration").at("level");
    CHECK(levels.at("orphans/unlinked") == "error");
    CHECK(levels.at("structure/image-alt") == "note");
    CHECK(levels.at("links/broken-anchor") == "error");
    CHECK(levels.at("stale/overdue") == "warning");
  }
}
