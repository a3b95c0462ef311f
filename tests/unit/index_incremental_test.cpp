#include <doctest/doctest.h>

#include <xapian.h>

#include "helpmark/index.hpp"
#include "helpmark/indexer.hpp"
#include "test_util.hpp"

using namespace helpmark;
using hmtest::contains;
using hmtest::md;

namespace {

// Three small articles; `marker` words make each version of an article findable.
void write_three(hmtest::Kb& kb) {
  kb.add("en/payments/alpha.md",
         md("id: alpha\ntitle: Alpha refunds\njourney: payments\n", "Alpha talks about aardvark.\n"));
  kb.add("en/returns/beta.md", md("title: Beta returns\njourney: returns\n", "Beta mentions bison.\n"));
  kb.add("en/sellers/gamma.md", md("title: Gamma payouts\njourney: sellers\n", "Gamma likes cheetah.\n"));
}

/// Ids found for `word`, with spelling correction off so an absent word finds nothing.
std::set<std::string> find(const Index& index, const std::string& word) {
  SearchRequest r;
  r.query = word;
  r.layers.spelling = false;
  r.layers.synonyms = false;
  return hmtest::id_set(hmtest::search_ok(index, r));
}

}  // namespace

TEST_SUITE("index/incremental") {
  TEST_CASE("first run adds everything, second run changes nothing") {
    hmtest::Kb kb;
    write_three(kb);
    IndexReport first = kb.build_ok();
    CHECK(first.added == 3);
    CHECK(first.updated == 0);
    CHECK(first.removed == 0);
    CHECK(first.unchanged == 0);
    CHECK(first.skipped == 0);
    CHECK(first.total == 3);
    CHECK(first.diagnostics.empty());
    CHECK(first.seconds >= 0);

    IndexReport second = kb.build_ok();
    CHECK(second.added == 0);
    CHECK(second.updated == 0);
    CHECK(second.removed == 0);
    CHECK(second.unchanged == 3);
    CHECK(second.total == 3);

    Index index = kb.open();
    CHECK(index.size() == 3);
    CHECK(find(index, "aardvark") == std::set<std::string>{"alpha"});
  }

  TEST_CASE("a run that changes nothing commits nothing: no new revision for replicas") {
    hmtest::Kb kb;
    write_three(kb);
    kb.build_ok();
    auto revision = [&] { return Xapian::Database(kb.index_dir().string()).get_revision(); };
    const auto first = revision();
    kb.build_ok();
    kb.build_ok();
    CHECK(revision() == first);
    // A change is committed, as one new revision.
    kb.add("en/returns/beta.md", md("title: Beta returns\njourney: returns\n", "Beta mentions buffalo.\n"));
    CHECK(kb.build_ok().updated == 1);
    CHECK(revision() == first + 1);
    CHECK(find(kb.open(), "buffalo") == std::set<std::string>{"beta"});
    // So is a change that touches no article: a synonyms file.
    kb.build_ok();
    CHECK(revision() == first + 1);
    hmtest::write_file(kb.taxonomy_dir() / "synonyms" / "en.yaml", "groups:\n  - [buffalo, bison]\n");
    kb.build_ok();
    CHECK(revision() == first + 2);
  }

  TEST_CASE("editing one file updates exactly that article") {
    hmtest::Kb kb;
    write_three(kb);
    kb.build_ok();
    kb.add("en/returns/beta.md", md("title: Beta returns\njourney: returns\n", "Beta now mentions walrus.\n"));
    IndexReport r = kb.build_ok();
    CHECK(r.updated == 1);
    CHECK(r.unchanged == 2);
    CHECK(r.added == 0);
    CHECK(r.removed == 0);
    CHECK(r.total == 3);
    Index index = kb.open();
    CHECK(find(index, "walrus") == std::set<std::string>{"beta"});
    CHECK(find(index, "bison").empty());
  }

  TEST_CASE("deleting a file removes its article") {
    hmtest::Kb kb;
    write_three(kb);
    kb.build_ok();
    kb.remove("en/sellers/gamma.md");
    IndexReport r = kb.build_ok();
    CHECK(r.removed == 1);
    CHECK(r.unchanged == 2);
    CHECK(r.total == 2);
    Index index = kb.open();
    CHECK(index.size() == 2);
    CHECK(find(index, "cheetah").empty());
    auto gone = index.get("gamma");
    REQUIRE_FALSE(gone.ok());
    CHECK(gone.status().code() == ErrorCode::kNotFound);
  }

  TEST_CASE("renaming a file that sets its id keeps the id: one update, no add or remove") {
    hmtest::Kb kb;
    write_three(kb);
    kb.build_ok();
    std::filesystem::create_directories(kb.articles_dir() / "en/archive");
    std::filesystem::rename(kb.articles_dir() / "en/payments/alpha.md",
                            kb.articles_dir() / "en/archive/alpha-renamed.md");
    IndexReport r = kb.build_ok();
    CHECK(r.updated == 1);
    CHECK(r.added == 0);
    CHECK(r.removed == 0);
    CHECK(r.unchanged == 2);
    CHECK(r.total == 3);
    Index index = kb.open();
    auto alpha = index.get("alpha");
    REQUIRE(alpha.ok());
    CHECK(alpha->path == "en/archive/alpha-renamed.md");
    CHECK(find(index, "aardvark") == std::set<std::string>{"alpha"});
  }

  TEST_CASE("renaming a file without an explicit id changes the id: one add, one remove") {
    hmtest::Kb kb;
    write_three(kb);
    kb.build_ok();
    std::filesystem::rename(kb.articles_dir() / "en/returns/beta.md",
                            kb.articles_dir() / "en/returns/beta-two.md");
    IndexReport r = kb.build_ok();
    CHECK(r.added == 1);
    CHECK(r.removed == 1);
    CHECK(r.updated == 0);
    CHECK(r.total == 3);
    Index index = kb.open();
    CHECK(find(index, "bison") == std::set<std::string>{"beta-two"});
    CHECK_FALSE(index.get("beta").ok());
  }

  TEST_CASE("a file that becomes invalid keeps its previous version searchable") {
    hmtest::Kb kb;
    write_three(kb);
    kb.build_ok();
    // A typo in the journey, and new body text that must not reach the index.
    kb.add("en/returns/beta.md", md("title: Beta returns\njourney: retruns\n", "Beta mentions walrus.\n"));
    IndexReport r = kb.build_ok();
    CHECK(r.skipped == 1);
    CHECK(r.removed == 0);
    CHECK(r.updated == 0);
    CHECK(r.unchanged == 2);
    CHECK(r.total == 3);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].path == (kb.articles_dir() / "en/returns/beta.md").generic_string());  // from the working directory
    CHECK(r.diagnostics[0].line == 3);
    CHECK(contains(r.diagnostics[0].message, "unknown journey 'retruns'"));
    {
      Index index = kb.open();
      CHECK(find(index, "bison") == std::set<std::string>{"beta"});
      CHECK(find(index, "walrus").empty());
    }

    // Fixing the file brings the new version in.
    kb.add("en/returns/beta.md", md("title: Beta returns\njourney: returns\n", "Beta mentions walrus.\n"));
    IndexReport fixed = kb.build_ok();
    CHECK(fixed.updated == 1);
    CHECK(fixed.skipped == 0);
    Index index = kb.open();
    CHECK(find(index, "walrus") == std::set<std::string>{"beta"});
  }

  TEST_CASE("a new file that is invalid is skipped, the others are added") {
    hmtest::Kb kb;
    write_three(kb);
    kb.add("en/broken.md", "");
    IndexReport r = kb.build_ok();
    CHECK(r.added == 3);
    CHECK(r.skipped == 1);
    CHECK(r.total == 3);
  }

  TEST_CASE("a taxonomy change re-indexes every article") {
    hmtest::Kb kb;
    write_three(kb);
    kb.build_ok();
    std::string taxonomy(hmtest::kTaxonomy);
    taxonomy.replace(taxonomy.find("Selling"), 7, "Sales");
    hmtest::write_file(kb.taxonomy_dir() / "journeys.yaml", taxonomy);
    IndexReport r = kb.build_ok();
    CHECK(r.updated == 3);
    CHECK(r.unchanged == 0);
    // The journey label is indexed with the article: the new one is found.
    Index index = kb.open();
    CHECK(find(index, "sales") == std::set<std::string>{"gamma"});
  }

  TEST_CASE("strict: any error fails the run and leaves the index untouched") {
    hmtest::Kb kb;
    write_three(kb);
    kb.build_ok();
    kb.add("en/returns/beta.md", md("title: Beta returns\njourney: returns\n", "Beta mentions walrus.\n"));
    kb.add("en/bad.md", md("title: Bad\njourney: nowhere\n"));
    IndexReport report;
    auto r = build_index(kb.options(/*strict=*/true), &report);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == ErrorCode::kInvalidInput);
    CHECK(contains(r.status().message(), "--strict"));
    CHECK(report.skipped == 1);
    REQUIRE(report.diagnostics.size() == 1);
    CHECK(report.diagnostics[0].path == (kb.articles_dir() / "en/bad.md").generic_string());
    Index index = kb.open();
    CHECK(find(index, "bison") == std::set<std::string>{"beta"});
    CHECK(find(index, "walrus").empty());
  }

  TEST_CASE("warnings are reported but do not skip") {
    hmtest::Kb kb;
    kb.add("en/a.md", md("title: A\njourney: payments\ncolour: red\n"));
    IndexReport r = kb.build_ok();
    CHECK(r.added == 1);
    CHECK(r.skipped == 0);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].severity == Severity::kWarning);
  }

  TEST_CASE("progress is reported up to the total") {
    hmtest::Kb kb;
    write_three(kb);
    IndexOptions options = kb.options();
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    options.on_progress = [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); };
    auto r = build_index(options);
    REQUIRE(r.ok());
    REQUIRE(calls.size() == 3);
    CHECK(calls.back() == std::pair<std::size_t, std::size_t>{3, 3});
    CHECK(calls.front().first == 1);
  }

  TEST_CASE("an empty articles folder gives an empty, searchable index") {
    hmtest::Kb kb;
    IndexReport r = kb.build_ok();
    CHECK(r.total == 0);
    Index index = kb.open();
    CHECK(index.size() == 0);
    SearchRequest request;
    auto response = hmtest::search_ok(index, request);
    CHECK(response.total == 0);
    CHECK(response.hits.empty());
  }

  TEST_CASE("missing articles or taxonomy directory is not found") {
    hmtest::Kb kb;
    IndexOptions options = kb.options();
    SUBCASE("articles") {
      options.articles_dir = kb.root() / "nope";
      auto r = build_index(options);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kNotFound);
      CHECK(contains(r.status().message(), "articles directory not found"));
    }
    SUBCASE("taxonomy") {
      options.taxonomy_dir = kb.root() / "nope";
      auto r = build_index(options);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kNotFound);
      CHECK(contains(r.status().message(), "taxonomy"));
    }
    // Nothing was created.
    CHECK_FALSE(std::filesystem::exists(kb.index_dir()));
  }

  TEST_CASE("the stored article round-trips through the index") {
    hmtest::Kb kb;
    kb.add("en/payments/full.md",
           md("id: full\ntitle: Full article\njourney: payments\nsubtopic: methods\n"
              "audience: [buyer, partner]\ntags: [card, fees]\nquestions: [why declined]\n"
              "owner: team-a\nreviewed: 2026-03-04\nreview_every: 90d\nstatus: draft\n"
              "related: [other]\n",
              "First paragraph.\n\n## Steps\n\n1. Do [it](article:other).\n\n"
              "![Panel](img/p.png)\n"));
    kb.build_ok();
    Index index = kb.open();
    auto a = index.get("full");
    REQUIRE(a.ok());
    CHECK(a->title == "Full article");
    CHECK(a->subtopic == "methods");
    CHECK(a->audience == std::vector<std::string>{"buyer", "partner"});
    CHECK(a->tags == std::vector<std::string>{"card", "fees"});
    CHECK(a->questions == std::vector<std::string>{"why declined"});
    CHECK(a->owner == "team-a");
    CHECK(a->reviewed == "2026-03-04");
    CHECK(a->review_every == "90d");
    CHECK(a->status == ArticleStatus::kDraft);  // get() returns drafts too
    CHECK(a->related == std::vector<std::string>{"other"});
    CHECK(a->summary == "First paragraph.");
    CHECK(a->path == "en/payments/full.md");
    REQUIRE(a->sections.size() == 2);
    CHECK(a->sections[1].kind == SectionKind::kSteps);
    CHECK(a->sections[1].line == 17);
    REQUIRE(a->links.size() == 1);
    CHECK(a->links[0].article_id == "other");
    REQUIRE(a->images.size() == 1);
    CHECK(a->images[0].alt == "Panel");
  }
}
