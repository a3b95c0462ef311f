#include <doctest/doctest.h>

#include "cli/cli_util.hpp"

using hmtest::CliKb;
using hmtest::contains;
using hmtest::count_lines_with;
using hmtest::helpmark_cli;
using nlohmann::json;

TEST_SUITE("cli/show") {
  TEST_CASE("show ID prints the stored article") {
    CliKb kb;
    auto run = helpmark_cli({"show", "refund-timing", "--index", kb.index().string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "title           How long a refund takes"));
    CHECK(contains(run.out, "journey         payments / refund-timing"));
    CHECK(contains(run.out, "tags            refund, card, wallet"));
    CHECK(contains(run.out, "path            en/payments/refund-timing.md"));
    CHECK(contains(run.out, "steps            line 18"));
    CHECK(contains(run.out, "troubleshooting  line 23"));
  }

  TEST_CASE("show --json, drafts included") {
    CliKb kb;
    auto run = helpmark_cli({"show", "new-return-rules", "--index", kb.index().string(), "--json"});
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    json a = CliKb::parse_json(run.out);
    CHECK(a.at("id") == "new-return-rules");
    CHECK(a.at("status") == "draft");
    CHECK(a.at("audience") == json::array({"buyer"}));
    CHECK(a.at("sections").is_array());
  }

  TEST_CASE("show --file parses a file without an index") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "guide.md",
                       hmtest::md("title: Guide\njourney: payments\n",
                                  "Intro.\n\n## Steps\n\n1. See [timing](article:refund-timing).\n\n"
                                  "![Refund panel](images/panel.png)\n"));
    auto run = helpmark_cli({"show", "--file", (dir / "guide.md").string(), "--taxonomy",
                             hmtest::kSmallTaxonomy.string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "id              guide"));
    CHECK(contains(run.out, "steps            line 7    ## Steps"));
    CHECK(contains(run.out, "article:refund-timing -> refund-timing"));
    CHECK(contains(run.out, "images/panel.png  alt: Refund panel"));
  }

  TEST_CASE("show --file on a bad file: exit 1 with path:line") {
    const auto file = hmtest::kBadArticles / "unknown-journey.md";
    auto run = helpmark_cli({"show", "--file", file.string(), "--taxonomy", hmtest::kSmallTaxonomy.string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, file.generic_string() + ":3: error: unknown journey 'billing'"));
  }

  TEST_CASE("show an id that is not there: exit 1") {
    CliKb kb;
    auto run = helpmark_cli({"show", "missing-id", "--index", kb.index().string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "no article with id 'missing-id'"));
    CHECK(run.out.empty());
  }

  TEST_CASE("show with neither an id nor --file: usage error") {
    CliKb kb;
    auto run = helpmark_cli({"show", "--index", kb.index().string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 2);
  }
}

TEST_SUITE("cli/validate") {
  TEST_CASE("a clean folder: exit 0 and a summary") {
    auto run = helpmark_cli({"validate", hmtest::kSmallArticles.string(), "--taxonomy",
                             hmtest::kSmallTaxonomy.string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "13 files: 13 valid, 0 with errors; 0 errors, 0 warnings"));
    CHECK(run.err.empty());
  }

  TEST_CASE("tests/data/bad: exit 1, one path:line diagnostic per bad file") {
    auto run = helpmark_cli({"validate", hmtest::kBadArticles.string(), "--taxonomy",
                             hmtest::kSmallTaxonomy.string(), "--max-file-size", "4096"});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "18 files: 1 valid, 17 with errors; 17 errors, 0 warnings"));
    // file -> where its one error is ("" when the problem has no line).
    const std::map<std::string, std::string> expected = {
        {"bad-audience.md", ":4: error: unknown audience 'admin'"},
        {"bad-date.md", ":4: error: reviewed '2026-02-30' is not a date"},
        {"bad-id.md", ":2: error: id 'Bad Id!' must be a slug"},
        {"bad-interval.md", ":4: error: review_every '6 months' is not an interval"},
        {"bad-locale.md", ":4: error: locale 'english_US' is not a BCP 47 tag"},
        {"bad-status.md", ":4: error: status 'live' is not one of"},
        {"duplicate-id-b.md", ":2: error: duplicate id 'same-id': duplicate-id-a.md already uses it"},
        {"empty.md", ": error: empty file"},
        {"invalid-utf8.md", ":6: error: invalid UTF-8"},
        {"malformed-yaml.md", ":3: error: malformed YAML"},
        {"missing-front-matter.md", ":1: error: missing front matter"},
        {"missing-journey.md", ":2: error: missing `journey`"},
        {"missing-title.md", ":2: error: missing `title`"},
        {"oversized.md", ": error: file is 5164 bytes, over the limit of 4096"},
        {"unclosed-front-matter.md", ":1: error: front matter is not closed"},
        {"unknown-journey.md", ":3: error: unknown journey 'billing'; valid journeys: payments, returns, sellers"},
        {"unknown-subtopic.md", ":4: error: unknown sub-topic 'policy'"},
    };
    for (const auto& [file, where] : expected) {
      CAPTURE(file);
      CHECK(contains(run.err, file + where));
      CHECK(count_lines_with(run.err, file + ":") == 1);
    }
    CHECK(count_lines_with(run.err, "duplicate-id-a.md:") == 0);
    CHECK(count_lines_with(run.err, "error:") == 17);
  }

  TEST_CASE("without --max-file-size the long file is fine") {
    auto run = helpmark_cli({"validate", hmtest::kBadArticles.string(), "--taxonomy",
                             hmtest::kSmallTaxonomy.string()});
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "18 files: 2 valid, 16 with errors"));
    CHECK_FALSE(contains(run.err, "oversized.md"));
  }

  TEST_CASE("--json lists counts and every diagnostic") {
    auto run = helpmark_cli({"validate", hmtest::kBadArticles.string(), "--taxonomy",
                             hmtest::kSmallTaxonomy.string(), "--json", "--max-file-size", "4096"});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    json j = CliKb::parse_json(run.out);
    CHECK(j.at("files") == 18);
    CHECK(j.at("valid") == 1);
    CHECK(j.at("errors") == 17);
    CHECK(j.at("warnings") == 0);
    REQUIRE(j.at("diagnostics").size() == 17);
    bool found = false;
    for (const auto& d : j.at("diagnostics"))
      if (d.at("path") == (hmtest::kBadArticles / "malformed-yaml.md").string()) found = d.at("line") == 3 && d.at("severity") == "error";
    CHECK(found);
  }

  TEST_CASE("warnings alone do not fail validation") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "a.md", hmtest::md("title: A\njourney: payments\ncolour: red\n"));
    auto run = helpmark_cli({"validate", dir.path().string(), "--taxonomy", hmtest::kSmallTaxonomy.string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.err, "a.md:4: warning: unknown field `colour`"));
    CHECK(contains(run.out, "1 files: 1 valid, 0 with errors; 0 errors, 1 warnings"));
  }

  TEST_CASE("missing folders: exit 1") {
    hmtest::TempDir dir;
    auto no_articles = helpmark_cli({"validate", (dir / "nope").string(), "--taxonomy",
                                     hmtest::kSmallTaxonomy.string()});
    CHECK(no_articles.exit_code == 1);
    CHECK(contains(no_articles.err, "articles directory not found"));
    auto no_taxonomy = helpmark_cli({"validate", hmtest::kSmallArticles.string(), "--taxonomy",
                                     (dir / "nope").string()});
    CHECK(no_taxonomy.exit_code == 1);
    CHECK(contains(no_taxonomy.err, "taxonomy directory not found"));
  }

  TEST_CASE("validate checks the synonyms and spelling files index reads (issue 14, defect 8)") {
    hmtest::TempDir dir;
    hmtest::copy_tree(hmtest::kSmallArticles, dir / "articles");
    hmtest::copy_tree(hmtest::kSmallTaxonomy, dir / "taxonomy");
    hmtest::write_file(dir / "taxonomy/synonyms/en.yaml", "groups:\n  - [refund, money back\n");
    hmtest::write_file(dir / "taxonomy/spelling/en.txt", "escrow\nlumen pay\n");
    auto run = helpmark_cli({"validate", (dir / "articles").string(), "--taxonomy", (dir / "taxonomy").string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "synonyms/en.yaml:3: error: malformed YAML"));
    CHECK(contains(run.err, "spelling/en.txt:2: error: 'lumen pay' is more than one word"));
  }

  TEST_CASE("a broken synonyms file keeps the index's previous synonyms (issue 14, defect 8)") {
    hmtest::TempDir dir;
    hmtest::copy_tree(hmtest::kSmallArticles, dir / "articles");
    hmtest::copy_tree(hmtest::kSmallTaxonomy, dir / "taxonomy");
    hmtest::write_file(dir / "taxonomy/synonyms/en.yaml", "groups:\n  - [refund, zanzibar]\n");
    const std::vector<std::string> index_args{"index", (dir / "articles").string(), "--taxonomy",
                                              (dir / "taxonomy").string(), "--index", (dir / "index").string()};
    REQUIRE(helpmark_cli(index_args).exit_code == 0);
    auto hits = [&] {
      auto run = helpmark_cli({"search", "zanzibar", "--locale", "en", "--index", (dir / "index").string(), "--json"});
      REQUIRE(run.exit_code == 0);
      return hmtest::hit_ids(hmtest::CliKb::parse_json(run.out));
    };
    const auto before = hits();
    CHECK_FALSE(before.empty());
    // One typo (an unclosed list) makes the whole file unreadable.
    hmtest::write_file(dir / "taxonomy/synonyms/en.yaml", "groups:\n  - [refund, zanzibar\n");
    auto broken = helpmark_cli(index_args);
    HM_RUN_INFO(broken);
    CHECK(broken.exit_code == 3);
    CHECK(contains(broken.err, "keeps the index's previous vocabulary for 'en'"));
    CHECK(hits() == before);
    // Fixed, the new file is used.
    hmtest::write_file(dir / "taxonomy/synonyms/en.yaml", "groups:\n  - [escrow, zanzibar]\n");
    CHECK(helpmark_cli(index_args).exit_code == 0);
    CHECK(hits() != before);
  }

  TEST_CASE("validate reports related ids and translation_of targets that do not exist, and loops (issue 14, defect 11)") {
    hmtest::TempDir dir;
    hmtest::copy_tree(hmtest::kSmallTaxonomy, dir / "taxonomy");
    hmtest::write_file(dir / "articles/en/a.md", hmtest::md("id: a\ntitle: A\njourney: payments\nrelated: [b, nowhere]\n"));
    hmtest::write_file(dir / "articles/en/b.md", hmtest::md("id: b\ntitle: B\njourney: payments\ntranslation_of: c\n"));
    hmtest::write_file(dir / "articles/en/c.md", hmtest::md("id: c\ntitle: C\njourney: payments\ntranslation_of: b\n"));
    hmtest::write_file(dir / "articles/en/d.md", hmtest::md("id: d\ntitle: D\njourney: payments\ntranslation_of: gone\n"));
    auto run = helpmark_cli({"validate", (dir / "articles").string(), "--taxonomy", (dir / "taxonomy").string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);  // warnings: the articles are still indexed
    CHECK(contains(run.err, "en/a.md:5: warning: related id 'nowhere' names no article"));
    CHECK_FALSE(contains(run.err, "related id 'b'"));
    CHECK(contains(run.err, "en/b.md:5: warning: translation_of loops back to 'b'"));
    CHECK(contains(run.err, "en/c.md:5: warning: translation_of loops back to 'c'"));
    CHECK(contains(run.err, "en/d.md:5: warning: translation_of 'gone' names no article"));
  }
}
