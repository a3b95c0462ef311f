// Each family of audit checks on a fixture knowledge base (tests/data/audit/<family>/) built to
// trigger it, plus tests/data/audit/clean/, which must trigger nothing at all.
#include <doctest/doctest.h>

#include "audit_test_util.hpp"

using namespace helpmark;
using hmtest::audit_fixture;
using hmtest::audit_only;
using hmtest::contains;
using hmtest::flagged;
using hmtest::the_finding;
using Ids = std::vector<std::string>;

namespace {

// Audits one article given as text (a file at en/payments/a.md of the clean fixture's taxonomy).
AuditReport audit_text(const std::string& text, std::vector<std::string> checks, AuditConfig config = {}) {
  auto taxonomy = Taxonomy::load(hmtest::kAuditData / "clean/taxonomy");
  REQUIRE(taxonomy.ok());
  std::vector<Diagnostic> diagnostics;
  auto article = parse_article(text, "en/payments/a.md", taxonomy.value(), diagnostics);
  REQUIRE(article.has_value());
  ArticleSet set;
  set.articles.push_back(std::move(*article));
  set.files_seen = 1;
  AuditOptions options;
  options.as_of = "2026-11-01";
  options.checks = std::move(checks);
  options.config = std::move(config);
  auto report = run_audit(set, taxonomy.value(), options);
  REQUIRE_MESSAGE(report.ok(), report.status().message());
  return std::move(report).value();
}

}  // namespace

TEST_SUITE("audit/clean") {
  TEST_CASE("a knowledge base that follows every rule has no finding") {
    auto report = audit_fixture("clean");
    INFO(hmtest::dump(report));
    CHECK(report.articles == 9);
    CHECK(report.findings.empty());
    CHECK(report.suppressed == 0);
    CHECK(report.filtered == 0);
    CHECK(report.as_of == "2026-11-01");
  }

  TEST_CASE("the clean base stays clean with the default settings too, apart from defaults it does not meet") {
    AuditOptions options;  // no audit.yaml: default sections (summary), 1000 words, no required locales
    auto report = audit_fixture("clean", options, /*own_config=*/true);
    INFO(hmtest::dump(report));
    CHECK(report.findings.empty());
  }
}

TEST_SUITE("audit/stale") {
  TEST_CASE("overdue by the article's, the audit.yaml journey's, the taxonomy journey's and the default interval") {
    auto report = audit_only("stale", {"stale"});
    INFO(hmtest::dump(report));
    CHECK(flagged(report, "stale/overdue") == Ids{"config-interval", "default-interval", "journey-interval", "own-interval"});
    auto own = the_finding(report, "stale/overdue", "own-interval");
    CHECK(own.severity == AuditSeverity::kWarning);
    CHECK(own.line == 7);  // the `reviewed:` line
    CHECK(own.path == "en/payments/own-interval.md");
    CHECK(own.owner == "payments-content");
    CHECK(own.journey == "payments");
    CHECK(own.locale == "en");
    CHECK(contains(own.message, "overdue by 204 days"));
    CHECK(contains(own.message, "due 2026-04-11"));
    CHECK(contains(own.message, "review_every: 100d"));
    CHECK(contains(own.message, "set `reviewed: 2026-11-01`"));
    CHECK(contains(the_finding(report, "stale/overdue", "journey-interval").message, "the payments journey reviews every 180 days"));
    CHECK(contains(the_finding(report, "stale/overdue", "config-interval").message, "audit.yaml reviews returns every 30 days"));
    CHECK(contains(the_finding(report, "stale/overdue", "default-interval").message, "audit.yaml's default: every 90 days"));
  }

  TEST_CASE("fresh, due-today, draft and archived articles are not overdue") {
    auto report = audit_only("stale", {"stale"});
    for (const char* id : {"fresh", "due-today", "old-draft", "old-archived"})
      CHECK_MESSAGE(hmtest::findings_of(report, "stale/overdue", id).empty(), id);
  }

  TEST_CASE("never reviewed, reviewed in the future, no owner") {
    auto report = audit_only("stale", {"stale"});
    CHECK(flagged(report, "stale/never-reviewed") == Ids{"never"});
    CHECK(flagged(report, "stale/future-review") == Ids{"future"});
    CHECK(flagged(report, "stale/no-owner") == Ids{"no-owner"});
    CHECK(the_finding(report, "stale/no-owner", "no-owner").owner.empty());
  }

  TEST_CASE("front matter audit.ignore silences a check for that article only") {
    auto report = audit_only("stale", {"stale"});
    CHECK(hmtest::findings_of(report, "stale/overdue", "ignored").empty());
    CHECK(report.suppressed == 1);
  }

  TEST_CASE("as_of moves the audit date") {
    AuditOptions early;
    early.as_of = "2026-06-01";
    early.checks = {"stale"};
    auto report = audit_fixture("stale", early);
    INFO(hmtest::dump(report));
    CHECK(flagged(report, "stale/overdue") == Ids{"own-interval"});  // due 2026-04-11
    CHECK(flagged(report, "stale/future-review") == Ids{"config-interval", "default-interval", "fresh", "future", "no-owner"});

    AuditOptions late;
    late.as_of = "2027-12-31";
    late.checks = {"stale/overdue"};
    auto later = audit_fixture("stale", late);
    CHECK(flagged(later, "stale/overdue").size() == 8);  // everything published and reviewed
  }

  TEST_CASE("a bad as_of date is an invalid argument") {
    auto taxonomy = Taxonomy::load(hmtest::kAuditData / "stale/taxonomy");
    REQUIRE(taxonomy.ok());
    for (const char* bad : {"2026-02-30", "tomorrow", "2026/11/01", "26-11-01"}) {
      AuditOptions options;
      options.as_of = bad;
      auto report = run_audit(hmtest::kAuditData / "stale/articles", taxonomy.value(), options);
      REQUIRE_FALSE(report.ok());
      CHECK(report.status().code() == ErrorCode::kInvalidArgument);
      CHECK(contains(report.status().message(), "YYYY-MM-DD"));
    }
  }
}

TEST_SUITE("audit/links") {
  TEST_CASE("links to missing ids, files and headings are errors at the link's own line") {
    auto report = audit_only("links", {"links"});
    INFO(hmtest::dump(report));
    auto broken = hmtest::findings_of(report, "links/broken-article", "source");
    REQUIRE(broken.size() == 2);
    CHECK(broken[0].line == 17);
    CHECK(contains(broken[0].message, "'no-such-article'"));
    CHECK(broken[0].severity == AuditSeverity::kError);
    CHECK(broken[1].line == 18);
    CHECK(contains(broken[1].message, "did you mean 'target'?"));
    auto file = the_finding(report, "links/broken-file", "source");
    CHECK(file.line == 19);
    CHECK(contains(file.message, "missing.md"));
    auto anchors = hmtest::findings_of(report, "links/broken-anchor", "source");
    REQUIRE(anchors.size() == 2);
    CHECK(contains(anchors[0].message, "#nope"));
    CHECK(contains(anchors[0].message, "#details-1"));  // lists the target's anchors
    CHECK(contains(anchors[1].message, "#nowhere"));
    CHECK(anchors[1].line == 22);
  }

  TEST_CASE("valid links are not reported: ids, anchors, repeated headings, relative files, same page") {
    auto report = audit_only("links", {"links"});
    for (const auto& f : report.findings) {
      CHECK_FALSE(contains(f.message, "article:target#steps"));
      CHECK_FALSE(contains(f.message, "#details-1'"));
      CHECK_FALSE(contains(f.message, "target.md#troubleshooting"));
      CHECK_FALSE(contains(f.message, "'#steps'"));
      CHECK_FALSE(contains(f.message, "example.com"));
    }
    CHECK(hmtest::findings_of(report, "links/broken-article", "retired").empty());  // archived: not checked
    CHECK(flagged(report, "links/draft-target") == Ids{"source"});  // a draft may link to a draft
  }

  TEST_CASE("related ids that do not exist or are archived, links to drafts and other locales") {
    auto report = audit_only("links", {"links"});
    auto related = the_finding(report, "links/broken-related", "source");
    CHECK(related.line == 8);  // the `related:` line
    CHECK(contains(related.message, "'ghost'"));
    CHECK(flagged(report, "links/archived-target") == Ids{"source", "source"});  // related and link
    CHECK(flagged(report, "links/broken-article") == Ids{"source", "source", "upcoming"});  // drafts too
    auto other = hmtest::findings_of(report, "links/other-locale", "fuente");
    REQUIRE(other.size() == 2);
    for (const auto& f : other) CHECK(contains(f.message, "link to 'target-es'"));
  }
}

TEST_SUITE("audit/translations") {
  TEST_CASE("outdated by dates, and by a recorded source hash that no longer matches") {
    auto report = audit_only("translations", {"translations"});
    INFO(hmtest::dump(report));
    CHECK(flagged(report, "translations/outdated") == Ids{"alpha-es", "gamma-es"});
    auto by_date = the_finding(report, "translations/outdated", "alpha-es");
    CHECK(contains(by_date.message, "reviewed 2026-10-01, after this translation (2026-09-01)"));
    auto by_hash = the_finding(report, "translations/outdated", "gamma-es");
    CHECK(contains(by_hash.message, "source_hash 0000000000000000 recorded"));
  }

  TEST_CASE("a matching source hash wins over older dates") {
    auto report = audit_only("translations", {"translations"});
    CHECK(hmtest::findings_of(report, "translations/outdated", "beta-es").empty());
  }

  TEST_CASE("broken translation_of: missing source, translation of a translation, same locale, archived source") {
    auto report = audit_only("translations", {"translations"});
    CHECK(flagged(report, "translations/source-missing") == Ids{"ghost-es"});
    CHECK(the_finding(report, "translations/source-missing", "ghost-es").severity == AuditSeverity::kError);
    CHECK(flagged(report, "translations/bad-source") == Ids{"chain-es", "retired-es", "same-locale"});
    CHECK(contains(the_finding(report, "translations/bad-source", "chain-es").message, "set translation_of: alpha"));
  }

  TEST_CASE("two translations of one source into one locale") {
    auto report = audit_only("translations", {"translations/duplicate"});
    CHECK(flagged(report, "translations/duplicate") == Ids{"alpha-ja"});
  }

  TEST_CASE("required locales: one warning per missing or unpublished translation, others one coverage line") {
    auto report = audit_only("translations", {"translations"});
    CHECK(flagged(report, "translations/missing") == Ids{"delta", "epsilon"});
    CHECK(contains(the_finding(report, "translations/missing", "epsilon").message, "'epsilon-es' is draft"));
    auto coverage = the_finding(report, "translations/coverage", "");
    CHECK(coverage.severity == AuditSeverity::kInfo);
    CHECK(coverage.locale == "ja");
    CHECK(coverage.in_taxonomy);
    CHECK(contains(coverage.message, "ja: 1 of 5 published articles translated (20%)"));
  }

  TEST_CASE("without required locales nothing is listed one by one") {
    AuditOptions options;
    options.checks = {"translations"};
    auto report = audit_fixture("translations", options, /*own_config=*/true);
    CHECK(flagged(report, "translations/missing").empty());
    CHECK(flagged(report, "translations/coverage") == Ids{"", ""});  // es and ja
  }

  TEST_CASE("coverage lines can be turned off") {
    AuditOptions options;
    options.checks = {"translations/coverage"};
    options.config.coverage_summary = false;
    auto report = audit_fixture("translations", options, /*own_config=*/true);
    CHECK(report.findings.empty());
  }

  TEST_CASE("the source hash covers title and body, not front matter or line ends") {
    Article a;
    a.title = "Title";
    a.body_markdown = "Line one\nLine two\n";
    Article b = a;
    b.reviewed = "2026-01-01";
    b.owner = "someone";
    CHECK(translation_source_hash(a) == translation_source_hash(b));
    b.body_markdown = "Line one\r\nLine two\r\n";
    CHECK(translation_source_hash(a) == translation_source_hash(b));
    b.body_markdown = "Line one\nLine 2\n";
    CHECK(translation_source_hash(a) != translation_source_hash(b));
    b = a;
    b.title = "Another title";
    CHECK(translation_source_hash(a) != translation_source_hash(b));
    CHECK(translation_source_hash(a).size() == 16);
  }
}

TEST_SUITE("audit/structure") {
  TEST_CASE("required sections come from the type, else the journey, else the default") {
    auto report = audit_only("structure", {"structure/missing-section"});
    INFO(hmtest::dump(report));
    CHECK(flagged(report, "structure/missing-section") == Ids{"no-steps", "no-steps-es", "no-summary", "reference"});
    CHECK(contains(the_finding(report, "structure/missing-section", "no-steps").message, "add `## Steps`"));
    CHECK(contains(the_finding(report, "structure/missing-section", "no-steps-es").message, "add `## Pasos`"));
    CHECK(contains(the_finding(report, "structure/missing-section", "reference").message,
                   "articles of type reference need it"));
    CHECK(contains(the_finding(report, "structure/missing-section", "no-summary").message, "no summary"));
  }

  TEST_CASE("complete articles and front-matter summaries satisfy the requirements") {
    auto report = audit_only("structure", {"structure/missing-section"});
    CHECK(hmtest::findings_of(report, "structure/missing-section", "complete").empty());
    CHECK(hmtest::findings_of(report, "structure/missing-section", "summary-field").empty());
  }

  TEST_CASE("heading levels, level-one headings and empty sections") {
    auto report = audit_only("structure", {"structure"});
    INFO(hmtest::dump(report));
    auto skip = the_finding(report, "structure/heading-skip", "outline");
    CHECK(skip.line == 17);
    CHECK(contains(skip.message, "use ###"));
    CHECK(flagged(report, "structure/h1-in-body") == Ids{"draft-outline", "outline"});  // archived: not checked
    auto empty = hmtest::findings_of(report, "structure/empty-section", "outline");
    REQUIRE(empty.size() == 2);
    CHECK(contains(empty[0].message, "'Empty'"));
    CHECK(contains(empty[1].message, "'Last and empty'"));
  }

  TEST_CASE("images without alt text are errors, described images are fine") {
    auto report = audit_only("structure", {"structure/image-alt"});
    auto alt = the_finding(report, "structure/image-alt", "images");
    CHECK(alt.severity == AuditSeverity::kError);
    CHECK(alt.line == 13);
    CHECK(contains(alt.message, "images/no-alt.png"));
    CHECK(report.findings.size() == 1);
    CHECK(report.suppressed == 1);  // bad-settings ignores structure/image-alt
  }

  TEST_CASE("too long and long sentences, table rows are not sentences") {
    auto report = audit_only("structure", {"structure/too-long", "structure/long-sentence"});
    INFO(hmtest::dump(report));
    CHECK(flagged(report, "structure/too-long") == Ids{"long"});
    auto sentence = the_finding(report, "structure/long-sentence", "long");
    CHECK(sentence.severity == AuditSeverity::kInfo);
    CHECK(contains(sentence.message, "1 sentence has more than 25 words"));
    CHECK(contains(sentence.message, "starts \"This single sentence goes on"));
    CHECK(report.findings.size() == 2);
  }

  TEST_CASE("limits of 0 turn the length checks off") {
    AuditOptions options;
    options.checks = {"structure/too-long", "structure/long-sentence"};
    options.config.max_words = 0;
    options.config.max_sentence_words = 0;
    auto report = audit_fixture("structure", options, /*own_config=*/true);
    CHECK(report.findings.empty());
  }

  TEST_CASE("unknown check ids and types in front matter are reported") {
    auto report = audit_only("structure", {"config"});
    auto found = hmtest::findings_of(report, "config/invalid", "bad-settings");
    REQUIRE(found.size() == 2);
    CHECK(contains(found[0].message, "'no-such-check'"));
    CHECK(contains(found[1].message, "audit.type 'how-to'"));
  }
}

TEST_SUITE("audit/structure") {
  TEST_CASE("a section holding only an image is not empty") {
    auto report = audit_text(R"(---
id: pictures
title: Pictures
journey: payments
---

What the screens look like.

## Screens

![](apple.png)

## Linked

[![](pear.png)](https://example.com/pear)

## In a list

- ![](plum.png)

## Empty

## Last

Text.
)",
                             {"structure/empty-section", "structure/image-alt"});
    INFO(hmtest::dump(report));
    auto empty = hmtest::findings_of(report, "structure/empty-section", "pictures");
    REQUIRE(empty.size() == 1);
    CHECK(contains(empty[0].message, "'Empty'"));
    CHECK(empty[0].line == 21);
    CHECK(hmtest::findings_of(report, "structure/image-alt", "pictures").size() == 3);
  }

  TEST_CASE("a long sentence is reported at its own line, not at its section's heading") {
    AuditConfig config;
    config.max_sentence_words = 10;
    auto report = audit_text(R"(---
id: wordy
title: Wordy
journey: payments
---

Short intro.

## Steps

A fine sentence.

One, two, three, four. And this sentence goes on and on
past the limit, over two lines of the file, to the end.
)",
                             {"structure/long-sentence"}, config);
    INFO(hmtest::dump(report));
    auto sentence = hmtest::the_finding(report, "structure/long-sentence", "wordy");
    CHECK(sentence.line == 13);
    CHECK(contains(sentence.message, "starts \"And this sentence goes on"));

    auto intro = audit_text(R"(---
id: wordy
title: Wordy
journey: payments
---

Short intro. It has
- a list item
- and this item is a long sentence with far more than ten words in it

## Steps

Fine.
)",
                            {"structure/long-sentence"}, config);
    INFO(hmtest::dump(intro));
    CHECK(hmtest::the_finding(intro, "structure/long-sentence", "wordy").line == 9);

    auto table = audit_text(R"(---
id: wordy
title: Wordy
journey: payments
---

Short intro.

## Details

| a | b |
| --- | --- |
| short | this cell is a long sentence with far more than ten words in it |
)",
                            {"structure/long-sentence"}, config);
    INFO(hmtest::dump(table));
    CHECK(hmtest::the_finding(table, "structure/long-sentence", "wordy").line == 13);
  }
}

TEST_SUITE("audit/taxonomy") {
  TEST_CASE("unknown tags, articles outside every sub-topic, empty journeys and sub-topics, unknown featured ids") {
    auto report = audit_only("taxonomy", {"taxonomy", "articles"});
    INFO(hmtest::dump(report));
    CHECK(flagged(report, "taxonomy/unknown-tag") == Ids{"refund-timing"});
    CHECK(contains(the_finding(report, "taxonomy/unknown-tag", "refund-timing").message, "'refunds'"));
    CHECK(flagged(report, "taxonomy/no-subtopic") == Ids{"no-subtopic"});
    auto journey = the_finding(report, "taxonomy/empty-journey", "");
    CHECK(journey.journey == "sellers");
    CHECK(journey.path == "journeys.yaml");
    CHECK(journey.in_taxonomy);
    CHECK(journey.line == 15);
    auto subtopic = the_finding(report, "taxonomy/empty-subtopic", "");  // a draft does not count
    CHECK(contains(subtopic.message, "sub-topic unused of payments"));
    CHECK(subtopic.line == 10);
    auto unknown = the_finding(report, "taxonomy/unknown-article", "");
    CHECK(contains(unknown.message, "'missing-id'"));
    CHECK(unknown.severity == AuditSeverity::kError);
    // The parser's own warning about the tag is left to taxonomy/unknown-tag, not repeated.
    CHECK(flagged(report, "articles/warning").empty());
  }

  TEST_CASE("featured `articles:` lists parse on journeys and sub-topics, bad ones are errors") {
    auto t = Taxonomy::load(hmtest::kAuditData / "taxonomy/taxonomy");
    REQUIRE(t.ok());
    CHECK(t->journeys()[0].subtopics[0].articles == Ids{"refund-timing", "missing-id"});
    CHECK(t->journeys()[1].articles == Ids{"print-a-label"});
    CHECK(t->journeys()[2].articles.empty());
    auto bad = Taxonomy::parse("journeys:\n  - id: a\n    articles: {x: 1}\n", "journeys.yaml");
    REQUIRE_FALSE(bad.ok());
    CHECK(contains(bad.status().message(), "journeys.yaml:3: articles must be a list"));
  }
}

TEST_SUITE("audit/duplicates") {
  TEST_CASE("near-duplicate bodies in one locale are reported on both articles") {
    auto report = audit_only("duplicates", {"duplicates/body"});
    INFO(hmtest::dump(report));
    CHECK(flagged(report, "duplicates/body") == Ids{"refund-delay", "refund-timing"});
    auto f = the_finding(report, "duplicates/body", "refund-timing");
    CHECK(contains(f.message, "'refund-delay'"));
    CHECK(contains(f.message, "89%"));
    CHECK(f.owner == "payments-content");
    CHECK(the_finding(report, "duplicates/body", "refund-delay").owner == "returns-content");
  }

  TEST_CASE("other locales, archived copies and very short bodies are not duplicates") {
    auto report = audit_only("duplicates", {"duplicates/body"});
    for (const auto& f : report.findings) {
      CHECK_FALSE(contains(f.message, "refund-timing-es"));
      CHECK_FALSE(contains(f.message, "refund-old"));
      CHECK_FALSE(contains(f.message, "short-"));
    }
  }

  TEST_CASE("near-duplicate titles: stems without stop words") {
    auto report = audit_only("duplicates", {"duplicates/title"});
    INFO(hmtest::dump(report));
    CHECK(flagged(report, "duplicates/title") == Ids{"refund-period", "refund-timing"});
    CHECK(the_finding(report, "duplicates/title", "refund-period").line == 3);
  }

  TEST_CASE("the thresholds are settings") {
    AuditOptions options;
    options.checks = {"duplicates"};
    options.config.body_similarity = 0.95;
    options.config.title_similarity = 1.0;
    auto report = audit_fixture("duplicates", options, /*own_config=*/true);
    CHECK(flagged(report, "duplicates/body").empty());
    CHECK(flagged(report, "duplicates/title") == Ids{"refund-period", "refund-timing"});  // identical stems
    options.config.title_similarity = 0.0;  // 0 turns the check off
    options.config.body_similarity = 0.0;
    CHECK(audit_fixture("duplicates", options, true).findings.empty());
  }
}

TEST_SUITE("audit/orphans") {
  TEST_CASE("published articles nothing links to and no journey lists") {
    auto report = audit_only("orphans", {"orphans"});
    INFO(hmtest::dump(report));
    // lonely-translated once, on the source; draft links do not count; self links do not count.
    CHECK(flagged(report, "orphans/unlinked") == Ids{"draft-linked", "lonely", "lonely-translated", "self"});
    CHECK(contains(the_finding(report, "orphans/unlinked", "lonely-translated").message, "nor to its translations"));
    CHECK(report.suppressed == 1);  // `ignored` opts out in its front matter
  }

  TEST_CASE("links, related ids, featured lists and a linked source keep articles off the list") {
    auto report = audit_only("orphans", {"orphans"});
    for (const char* id : {"hub", "linked", "related-only", "featured", "hub-es", "draft"})
      CHECK_MESSAGE(hmtest::findings_of(report, "orphans/unlinked", id).empty(), id);
  }
}

TEST_SUITE("audit/articles") {
  TEST_CASE("files that fail to load are errors, parser warnings stay with their article") {
    auto report = audit_only("invalid", {"articles"});
    INFO(hmtest::dump(report));
    std::vector<std::string> paths;
    for (const auto& f : report.findings)
      if (f.check == "articles/invalid") paths.push_back(f.path);
    CHECK(paths == Ids{"en/bad-journey.md", "en/unclosed.md"});
    auto warning = the_finding(report, "articles/warning", "colour");
    CHECK(warning.owner == "payments-content");
    CHECK(warning.line == 6);
    CHECK(report.articles == 1);
    CHECK(report.has_at_least(AuditSeverity::kError));
  }
}
