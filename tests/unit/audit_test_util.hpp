// Helpers for the audit tests: run the audit on a fixture knowledge base of tests/data/audit/
// (articles/ and taxonomy/, with the fixture's audit.yaml) and look findings up.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "helpmark/audit.hpp"
#include "test_util.hpp"

namespace hmtest {

inline const fs::path kAuditData = kTestData / "audit";

/// Loads fixture `name` and audits it as of 2026-11-01 unless the options say otherwise, with
/// the fixture's audit.yaml unless `own_config` (then options.config is used as given).
inline helpmark::AuditReport audit_fixture(const std::string& name, helpmark::AuditOptions options = {},
                                           bool own_config = false) {
  const fs::path root = kAuditData / name;
  auto taxonomy = helpmark::Taxonomy::load(root / "taxonomy");
  REQUIRE_MESSAGE(taxonomy.ok(), taxonomy.status().message());
  if (!own_config) {
    auto config = helpmark::AuditConfig::load(root / "taxonomy");
    REQUIRE_MESSAGE(config.ok(), config.status().message());
    options.config = config.value();
  }
  if (options.as_of.empty()) options.as_of = "2026-11-01";
  options.taxonomy_dir = root / "taxonomy";
  auto report = helpmark::run_audit(root / "articles", taxonomy.value(), options);
  REQUIRE_MESSAGE(report.ok(), report.status().message());
  return std::move(report).value();
}

/// The same, limited to checks matching `checks` (ids or families).
inline helpmark::AuditReport audit_only(const std::string& name, std::vector<std::string> checks) {
  helpmark::AuditOptions options;
  options.checks = std::move(checks);
  return audit_fixture(name, options);
}

/// Ids of the articles with a finding of `check`, sorted ("" for findings about no article).
inline std::vector<std::string> flagged(const helpmark::AuditReport& report, const std::string& check) {
  std::vector<std::string> ids;
  for (const auto& f : report.findings)
    if (f.check == check) ids.push_back(f.article_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

/// The findings of `check` about `article`.
inline std::vector<helpmark::Finding> findings_of(const helpmark::AuditReport& report, const std::string& check,
                                                  const std::string& article) {
  std::vector<helpmark::Finding> out;
  for (const auto& f : report.findings)
    if (f.check == check && f.article_id == article) out.push_back(f);
  return out;
}

/// The one finding of `check` about `article`; fails the test when there is not exactly one.
inline helpmark::Finding the_finding(const helpmark::AuditReport& report, const std::string& check,
                                     const std::string& article) {
  auto found = findings_of(report, check, article);
  INFO("check " << check << " on '" << article << "'");
  REQUIRE(found.size() == 1);
  return found.front();
}

/// Every check id that appears in the report.
inline std::set<std::string> checks_in(const helpmark::AuditReport& report) {
  std::set<std::string> out;
  for (const auto& f : report.findings) out.insert(f.check);
  return out;
}

/// All findings, one per line, for failure messages.
inline std::string dump(const helpmark::AuditReport& report) {
  std::string out;
  for (const auto& f : report.findings)
    out += f.path + ":" + std::to_string(f.line) + ": " + f.check + " [" + f.article_id + "] " + f.message + "\n";
  return out;
}

}  // namespace hmtest
