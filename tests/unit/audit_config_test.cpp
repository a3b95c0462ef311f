// taxonomy/audit.yaml, the front-matter `audit:` map, check ids and the ignore/severity settings.
#include <doctest/doctest.h>

#include "article/markdown.hpp"
#include "audit_test_util.hpp"

using namespace helpmark;
using hmtest::contains;
using Ids = std::vector<std::string>;

namespace {

AuditConfig parse_ok(std::string_view yaml) {
  auto config = AuditConfig::parse(yaml, "taxonomy/audit.yaml");
  REQUIRE_MESSAGE(config.ok(), config.status().message());
  return config.value();
}

// A window for a "stale/due-soon" check that never existed and no audit.yaml key could set.
template <typename Config>
constexpr bool has_due_soon_days = requires(Config c) { c.due_soon_days; };

std::string parse_error(std::string_view yaml) {
  auto config = AuditConfig::parse(yaml, "taxonomy/audit.yaml");
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().code() == ErrorCode::kInvalidInput);
  return config.status().message();
}

}  // namespace

TEST_SUITE("audit/config") {
  TEST_CASE("an empty or missing file means the defaults") {
    AuditConfig empty = parse_ok("");
    CHECK(empty.default_required_sections == Ids{"summary"});
    CHECK(empty.max_words == 1000);
    CHECK(empty.max_sentence_words == 40);
    CHECK(empty.body_similarity == doctest::Approx(0.6));
    CHECK(empty.title_similarity == doctest::Approx(0.8));
    CHECK(empty.required_locales.empty());
    CHECK(empty.coverage_summary);
    hmtest::TempDir dir;
    auto missing = AuditConfig::load(dir.path());
    REQUIRE(missing.ok());
    CHECK(missing->path.empty());
    auto missing_file = AuditConfig::load_file(dir / "nope.yaml");
    REQUIRE_FALSE(missing_file.ok());
    CHECK(missing_file.status().code() == ErrorCode::kNotFound);
  }

  TEST_CASE("no setting that audit.yaml cannot set or no check reads") {
    CHECK_FALSE(has_due_soon_days<AuditConfig>);
    CHECK(find_audit_check("stale/due-soon") == nullptr);
  }

  TEST_CASE("every setting") {
    AuditConfig c = parse_ok(R"(# comment
review:
  default_every: 1y
  journeys: {payments: 12w, returns: 30d}
required_sections:
  default: [summary, steps]
  journeys: {payments: [summary, steps, troubleshooting]}
  types: {reference: [summary, related], faq: summary}
limits:
  max_words: 600
  max_sentence_words: 0
  body_similarity: 0.75
  title_similarity: 1
translations:
  required_locales: [es, pt-BR]
  coverage_summary: false
effectiveness:
  min_views: 10
  min_helpful_ratio: 0.4
  max_ticket_rate: 0.25
  min_zero_result_searches: 3
ignore: [orphans, structure/long-sentence]
severity:
  structure/image-alt: warning
  orphans/unlinked: info
)");
    CHECK(c.path == "taxonomy/audit.yaml");
    CHECK(c.default_review_days == 365);
    CHECK(c.journey_review_days == std::map<std::string, int>{{"payments", 84}, {"returns", 30}});
    CHECK(c.default_required_sections == Ids{"summary", "steps"});
    CHECK(c.journey_required_sections.at("payments") == Ids{"summary", "steps", "troubleshooting"});
    CHECK(c.type_required_sections.at("reference") == Ids{"summary", "related"});
    CHECK(c.type_required_sections.at("faq") == Ids{"summary"});
    CHECK(c.max_words == 600);
    CHECK(c.max_sentence_words == 0);
    CHECK(c.body_similarity == doctest::Approx(0.75));
    CHECK(c.title_similarity == doctest::Approx(1.0));
    CHECK(c.required_locales == Ids{"es", "pt-BR"});
    CHECK_FALSE(c.coverage_summary);
    CHECK(c.min_views == 10);
    CHECK(c.min_helpful_ratio == doctest::Approx(0.4));
    CHECK(c.max_ticket_rate == doctest::Approx(0.25));
    CHECK(c.min_zero_result_searches == 3);
    CHECK(c.ignore == Ids{"orphans", "structure/long-sentence"});
    CHECK(c.severity.at("structure/image-alt") == AuditSeverity::kWarning);
    CHECK(c.severity.at("orphans/unlinked") == AuditSeverity::kInfo);
    // Lines of the settings that name journeys, types and locales, for findings about them.
    CHECK(c.lines.at("review.journeys.payments") == 4);
    CHECK(c.lines.at("review.journeys.returns") == 4);
    CHECK(c.lines.at("required_sections.journeys.payments") == 7);
    CHECK(c.lines.at("required_sections.types.faq") == 8);
    CHECK(c.lines.at("translations.required_locales.pt-BR") == 15);
  }

  TEST_CASE("mistakes are errors with the file and line, never silently ignored") {
    struct Case {
      const char* yaml;
      const char* message;
    };
    const Case cases[] = {
        {"limit:\n  max_words: 10\n", "audit.yaml:1: unknown key `limit` in audit.yaml"},
        {"limits:\n  max_word: 10\n", "audit.yaml:2: unknown key `max_word` in limits; known keys: max_words"},
        {"review:\n  default_every: soon\n", "audit.yaml:2: review.default_every 'soon' is not an interval"},
        {"review:\n  journeys: {payments: 3x}\n", "is not an interval"},
        {"limits:\n  body_similarity: 1.5\n", "limits.body_similarity '1.5' must be a number from 0 to 1"},
        {"limits:\n  title_similarity: high\n", "must be a number from 0 to 1"},
        {"limits:\n  max_words: -3\n", "limits.max_words '-3' must be a whole number"},
        {"limits:\n  max_words: [1]\n", "limits.max_words must be a single value"},
        {"required_sections:\n  default: [summary, faq]\n", "section 'faq' in required_sections.default is not one of"},
        {"required_sections: [summary]\n", "required_sections must be a map"},
        {"ignore: [orphans/unlinkd]\n", "unknown check 'orphans/unlinkd' in ignore"},
        {"severity:\n  orphans: info\n", "unknown check 'orphans' in severity; use a full id"},
        {"severity:\n  orphans/unlinked: fatal\n", "audit.yaml:2: severity 'fatal' is not one of error, warning, info"},
        {"translations:\n  coverage_summary: maybe\n", "must be true or false"},
        {"translations:\n  required_locales: {es: 1}\n", "must be a list"},
        {"limits: [\n", "malformed YAML"},
        {"- a\n- b\n", "audit.yaml must be a map"},
        {"ignore: [\xff]\n", "invalid UTF-8"},
    };
    for (const auto& c : cases) {
      INFO(c.yaml);
      std::string message = parse_error(c.yaml);
      CHECK_MESSAGE(contains(message, c.message), message);
      CHECK(message.starts_with("taxonomy/audit.yaml"));
    }
  }

  TEST_CASE("check ids, families and patterns") {
    CHECK(find_audit_check("links/broken-anchor") != nullptr);
    CHECK(find_audit_check("links") == nullptr);
    CHECK(is_audit_check_pattern("links"));
    CHECK(is_audit_check_pattern("links/"));
    CHECK(is_audit_check_pattern("links/*"));
    CHECK(is_audit_check_pattern("effectiveness/unhelpful"));
    CHECK_FALSE(is_audit_check_pattern("link"));
    CHECK_FALSE(is_audit_check_pattern(""));
    CHECK_FALSE(is_audit_check_pattern("links/nope"));
    CHECK(audit_check_matches("links", "links/broken-anchor"));
    CHECK(audit_check_matches("links/*", "links/broken-anchor"));
    CHECK(audit_check_matches("links/broken-anchor", "links/broken-anchor"));
    CHECK_FALSE(audit_check_matches("links/broken-article", "links/broken-anchor"));
    CHECK_FALSE(audit_check_matches("link", "links/broken-anchor"));
    std::set<std::string> ids;
    for (const auto& c : audit_checks()) {
      CHECK_MESSAGE(ids.insert(c.id).second, c.id);  // unique
      CHECK(std::string_view(c.id).find('/') != std::string_view::npos);
      CHECK(std::string_view(c.description).size() > 10);
      CHECK(std::string_view(c.fix).size() > 10);
    }
    AuditSeverity s;
    CHECK(parse_audit_severity("info", s));
    CHECK(s == AuditSeverity::kInfo);
    CHECK_FALSE(parse_audit_severity("Error", s));
    CHECK(AuditSeverity::kInfo < AuditSeverity::kWarning);
    CHECK(AuditSeverity::kWarning < AuditSeverity::kError);
  }

  TEST_CASE("an unknown --check is an invalid argument") {
    auto taxonomy = Taxonomy::load(hmtest::kAuditData / "clean/taxonomy");
    REQUIRE(taxonomy.ok());
    AuditOptions options;
    options.checks = {"links", "linkz"};
    auto report = run_audit(hmtest::kAuditData / "clean/articles", taxonomy.value(), options);
    REQUIRE_FALSE(report.ok());
    CHECK(report.status().code() == ErrorCode::kInvalidArgument);
    CHECK(contains(report.status().message(), "unknown check 'linkz'"));
  }

  TEST_CASE("audit.yaml ignore and severity overrides apply to the report") {
    AuditOptions options;
    options.checks = {"structure"};
    auto structure = AuditConfig::load(hmtest::kAuditData / "structure/taxonomy");
    REQUIRE(structure.ok());
    options.config = structure.value();
    options.config.severity["structure/long-sentence"] = AuditSeverity::kError;
    options.config.ignore = {"structure/empty-section", "structure/h1-in-body"};
    auto report = hmtest::audit_fixture("structure", options, /*own_config=*/true);
    CHECK(hmtest::flagged(report, "structure/empty-section").empty());
    CHECK(hmtest::flagged(report, "structure/h1-in-body").empty());
    // 3 empty sections and 2 level-one headings by audit.yaml, 1 image by its front matter.
    CHECK(report.suppressed == 6);
    CHECK(hmtest::the_finding(report, "structure/long-sentence", "long").severity == AuditSeverity::kError);
  }

  TEST_CASE("severity filters use the overridden severity, ignored findings are counted, filtered ones too") {
    AuditOptions options;
    options.checks = {"stale"};
    options.min_severity = AuditSeverity::kError;
    auto none = hmtest::audit_fixture("stale", options);
    CHECK(none.findings.empty());
    CHECK(none.filtered == 8);
    options.config.severity["stale/never-reviewed"] = AuditSeverity::kError;
    auto one = hmtest::audit_fixture("stale", options, /*own_config=*/true);
    CHECK(hmtest::flagged(one, "stale/never-reviewed") == Ids{"never"});
  }

  TEST_CASE("config settings that name journeys or locales the taxonomy lacks are reported") {
    AuditOptions options;
    options.checks = {"config"};
    options.config.journey_review_days["shipping"] = 30;
    options.config.journey_required_sections["billing"] = {"steps"};
    options.config.required_locales = {"fr"};
    auto report = hmtest::audit_fixture("clean", options, /*own_config=*/true);
    INFO(hmtest::dump(report));
    REQUIRE(report.findings.size() == 3);
    for (const auto& f : report.findings) {
      CHECK(f.check == "config/invalid");
      CHECK(f.path == "audit.yaml");
      CHECK(f.in_taxonomy);
    }
  }
}

TEST_SUITE("audit/filters") {
  TEST_CASE("filter values the knowledge base does not have are invalid arguments") {
    auto taxonomy = Taxonomy::load(hmtest::kAuditData / "stale/taxonomy");
    REQUIRE(taxonomy.ok());
    struct Case {
      std::vector<std::string> AuditOptions::*filter;
      std::string value;
      const char* message;
      const char* valid;
    };
    const Case cases[] = {
        {&AuditOptions::journeys, "paymnets", "unknown journey 'paymnets'", "payments"},
        {&AuditOptions::owners, "nobody", "unknown owner 'nobody'", "payments-content"},
        {&AuditOptions::locales, "xx", "unknown locale 'xx'", "en"},
    };
    for (const auto& c : cases) {
      INFO(c.value);
      AuditOptions options;
      options.as_of = "2026-11-01";
      options.*c.filter = {c.value};
      auto report = run_audit(hmtest::kAuditData / "stale/articles", taxonomy.value(), options);
      REQUIRE_FALSE(report.ok());
      CHECK(report.status().code() == ErrorCode::kInvalidArgument);
      CHECK(contains(report.status().message(), c.message));
      CHECK(contains(report.status().message(), c.valid));
    }
  }
}

TEST_SUITE("audit/front-matter") {
  const Taxonomy& taxonomy() {
    static const Taxonomy t = hmtest::test_taxonomy();
    return t;
  }

  TEST_CASE("the audit map: ignore, type, source_hash, field lines") {
    std::vector<Diagnostic> diags;
    auto a = parse_article(hmtest::md("title: T\njourney: payments\nrelated: [x]\naudit:\n  ignore: [orphans, "
                                      "stale/overdue]\n  type: reference\n  source_hash: 0123456789abcdef\n"),
                           "en/t.md", taxonomy(), diags);
    REQUIRE(a.has_value());
    CHECK(diags.empty());
    CHECK(a->audit_ignore == Ids{"orphans", "stale/overdue"});
    CHECK(a->audit_type == "reference");
    CHECK(a->audit_source_hash == "0123456789abcdef");
    CHECK(a->field_lines.at("title") == 2);
    CHECK(a->field_lines.at("related") == 4);
    CHECK(a->field_lines.at("audit") == 5);
    CHECK(a->field_lines.count("owner") == 0);
  }

  TEST_CASE("a single ignore id is accepted as a list") {
    std::vector<Diagnostic> diags;
    auto a = parse_article(hmtest::md("title: T\njourney: payments\naudit: {ignore: orphans}\n"), "t.md", taxonomy(), diags);
    REQUIRE(a.has_value());
    CHECK(a->audit_ignore == Ids{"orphans"});
  }

  TEST_CASE("a malformed audit map warns but keeps the article, a bad list is an error") {
    std::vector<Diagnostic> diags;
    auto a = parse_article(hmtest::md("title: T\njourney: payments\naudit: [orphans]\n"), "t.md", taxonomy(), diags);
    REQUIRE(a.has_value());
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].severity == Severity::kWarning);
    CHECK(contains(diags[0].message, "`audit` must be a map"));
    diags.clear();
    auto b = parse_article(hmtest::md("title: T\njourney: payments\naudit:\n  ignored: [orphans]\n"), "t.md",
                           taxonomy(), diags);
    REQUIRE(b.has_value());
    REQUIRE(diags.size() == 1);
    CHECK(contains(diags[0].message, "unknown field `audit.ignored`"));
    CHECK(diags[0].line == 5);
    diags.clear();
    auto c = parse_article(hmtest::md("title: T\njourney: payments\naudit:\n  ignore: {a: 1}\n"), "t.md", taxonomy(),
                           diags);
    CHECK_FALSE(c.has_value());
    CHECK(has_errors(diags));
  }
}
