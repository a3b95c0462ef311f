// Rendering audit reports: text, Markdown, JSON and SARIF from hand-made reports.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "audit_test_util.hpp"

using namespace helpmark;
using hmtest::contains;
using nlohmann::json;

namespace {

Finding finding(std::string check, AuditSeverity severity, std::string owner, std::string journey,
                std::string path, int line, std::string message, std::string article = "a") {
  Finding f;
  f.check = std::move(check);
  f.severity = severity;
  f.owner = std::move(owner);
  f.journey = std::move(journey);
  f.path = std::move(path);
  f.line = line;
  f.message = std::move(message);
  f.article_id = std::move(article);
  f.locale = "en";
  return f;
}

AuditReport sample() {
  AuditReport r;
  r.as_of = "2026-11-01";
  r.articles = 3;
  r.suppressed = 2;
  r.findings = {
      finding("stale/overdue", AuditSeverity::kWarning, "payments-content", "payments", "en/p/a.md", 7, "review it"),
      finding("links/broken-anchor", AuditSeverity::kError, "payments-content", "payments", "en/p/b.md", 12,
              "fix `#x` in *bold* [text] <tag> a_b | c"),
      finding("structure/long-sentence", AuditSeverity::kInfo, "payments-content", "returns", "en/r/c.md", 3, "split"),
      finding("articles/invalid", AuditSeverity::kError, "", "", "en/bad file é.md", 1, "broken", ""),
  };
  Finding tax = finding("taxonomy/empty-journey", AuditSeverity::kWarning, "", "", "journeys.yaml", 0, "empty", "");
  tax.in_taxonomy = true;
  tax.locale.clear();
  r.findings.push_back(tax);
  return r;
}

AuditFormatOptions prefixes() {
  AuditFormatOptions o;
  o.path_prefix = "articles/";
  o.taxonomy_prefix = "taxonomy/";
  o.tool_version = "9.9.9";
  return o;
}

}  // namespace

TEST_SUITE("audit/format") {
  TEST_CASE("text: owner, then journey, then findings, a summary line") {
    const std::string out = format_audit_report(sample(), AuditFormat::kText, prefixes());
    CHECK(out ==
          "payments-content\n"
          "  payments\n"
          "    articles/en/p/a.md:7: warning: review it [stale/overdue]\n"
          "    articles/en/p/b.md:12: error: fix `#x` in *bold* [text] <tag> a_b | c [links/broken-anchor]\n"
          "  returns\n"
          "    articles/en/r/c.md:3: info: split [structure/long-sentence]\n"
          "\n"
          "(no owner)\n"
          "  (files that could not be read)\n"
          "    articles/en/bad file é.md:1: error: broken [articles/invalid]\n"
          "  (whole knowledge base)\n"
          "    taxonomy/journeys.yaml: warning: empty [taxonomy/empty-journey]\n"
          "\n"
          "3 articles audited as of 2026-11-01: 2 errors, 2 warnings, 1 info; 2 ignored by settings\n");
  }

  TEST_CASE("text: an empty report is one line, singular words") {
    AuditReport r;
    r.as_of = "2026-01-02";
    r.articles = 1;
    CHECK(format_audit_report(r, AuditFormat::kText) == "1 article audited as of 2026-01-02: no findings\n");
    r.findings.push_back(finding("stale/overdue", AuditSeverity::kError, "o", "j", "x.md", 1, "m"));
    r.filtered = 4;
    CHECK(contains(format_audit_report(r, AuditFormat::kText), ": 1 error, 0 warnings, 0 info; 4 outside the filters\n"));
  }

  TEST_CASE("markdown: escapes Markdown outside code spans") {
    const std::string out = format_audit_report(sample(), AuditFormat::kMarkdown, prefixes());
    CHECK(out.rfind("## Content audit (2026-11-01)\n\n3 articles audited", 0) == 0);
    CHECK(contains(out, "\n### payments-content\n\n#### payments\n\n"));
    CHECK(contains(out, "- [ ] **error** `links/broken-anchor` `articles/en/p/b.md:12`: fix `#x` in \\*bold\\* "
                        "\\[text\\] \\<tag\\> a\\_b \\| c\n"));
    CHECK(contains(out, "\n### (no owner)\n\n#### (files that could not be read)\n"));
    CHECK(contains(out, "`taxonomy/journeys.yaml`: empty\n"));
  }

  TEST_CASE("json: every finding with its fields and the file as seen from the caller") {
    json j = json::parse(format_audit_report(sample(), AuditFormat::kJson, prefixes()));
    CHECK(j.at("as_of") == "2026-11-01");
    CHECK(j.at("summary") == json{{"errors", 2}, {"warnings", 2}, {"info", 1}, {"ignored", 2}, {"filtered", 0}});
    REQUIRE(j.at("findings").size() == 5);
    CHECK(j.at("findings")[0].at("file") == "articles/en/p/a.md");
    CHECK(j.at("findings")[0].at("path") == "en/p/a.md");
    CHECK(j.at("findings")[4].at("file") == "taxonomy/journeys.yaml");
    CHECK(j.at("findings")[4].at("line") == 0);
  }

  TEST_CASE("sarif: required 2.1.0 structure, levels, encoded URIs, line 1 without a line") {
    json s = json::parse(format_audit_report(sample(), AuditFormat::kSarif, prefixes()));
    CHECK(s.at("version") == "2.1.0");
    const json& run = s.at("runs").at(0);
    CHECK(run.at("tool").at("driver").at("version") == "9.9.9");
    CHECK(run.at("tool").at("driver").at("rules").size() == audit_checks().size());
    const json& results = run.at("results");
    REQUIRE(results.size() == 5);
    CHECK(results[2].at("level") == "note");
    CHECK(results[1].at("level") == "error");
    CHECK(results[3].at("locations")[0].at("physicalLocation").at("artifactLocation").at("uri") ==
          "articles/en/bad%20file%20%C3%A9.md");
    // GitHub code scanning needs region.startLine on every result; a whole-file finding is at line 1.
    CHECK(results[4].at("locations")[0].at("physicalLocation").at("region").at("startLine") == 1);
    CHECK(results[0].at("locations")[0].at("physicalLocation").at("region").at("startLine") == 7);
    CHECK(results[0].at("properties").at("article") == "a");
  }

  TEST_CASE("sarif: every result has a location, a finding about no file points at journeys.yaml") {
    AuditReport r = sample();
    Finding gap = finding("effectiveness/content-gap", AuditSeverity::kInfo, "", "", "", 0, "write it", "");
    r.findings.push_back(gap);
    json s = json::parse(format_audit_report(r, AuditFormat::kSarif, prefixes()));
    const json& results = s.at("runs").at(0).at("results");
    REQUIRE(results.size() == 6);
    for (const auto& result : results) {
      INFO(result.dump());
      REQUIRE(result.contains("locations"));
      REQUIRE(result.at("locations").size() == 1);
      const json& physical = result.at("locations")[0].at("physicalLocation");
      CHECK_FALSE(physical.at("artifactLocation").at("uri").get<std::string>().empty());
      CHECK(physical.at("region").at("startLine").get<int>() >= 1);
    }
    const json& last = results[5].at("locations")[0].at("physicalLocation");
    CHECK(last.at("artifactLocation").at("uri") == "taxonomy/journeys.yaml");
    CHECK(last.at("region").at("startLine") == 1);
  }

  TEST_CASE("sarif: rule levels follow the settings' severity overrides") {
    AuditReport r = sample();
    r.severity_overrides["orphans/unlinked"] = AuditSeverity::kError;
    r.severity_overrides["links/broken-anchor"] = AuditSeverity::kInfo;
    json s = json::parse(format_audit_report(r, AuditFormat::kSarif, prefixes()));
    std::map<std::string, std::string> levels;
    for (const auto& rule : s.at("runs").at(0).at("tool").at("driver").at("rules"))
      levels[rule.at("id")] = rule.at("defaultConfiguration").at("level");
    CHECK(levels.at("orphans/unlinked") == "error");
    CHECK(levels.at("links/broken-anchor") == "note");
    CHECK(levels.at("stale/overdue") == "warning");
  }
}
