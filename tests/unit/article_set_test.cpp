#include <doctest/doctest.h>
#include <ctime>

#include "helpmark/article.hpp"
#include "test_util.hpp"
#include "util/text.hpp"

using namespace helpmark;
using hmtest::contains;
using hmtest::md;

namespace {

ArticleSet load(const hmtest::TempDir& dir, ArticleLimits limits = {}) {
  static const Taxonomy taxonomy = hmtest::test_taxonomy();
  auto set = load_articles(dir.path(), taxonomy, limits);
  REQUIRE_MESSAGE(set.ok(), set.status().message());
  return std::move(set).value();
}

const Article* find(const ArticleSet& set, const std::string& id) {
  for (const auto& a : set.articles)
    if (a.id == id) return &a;
  return nullptr;
}

std::string dump(const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) out += d.to_string() + "\n";
  return out;
}

// Everything a parse produces, one line per field, to compare two loads.
std::string dump(const ArticleSet& set) {
  std::string out = dump(set.diagnostics);
  for (const auto& a : set.articles) {
    out += a.path + " " + a.id + " " + a.title + " " + a.journey + " " + a.locale + " " + a.updated + " " +
           a.content_hash + " " + std::to_string(a.body_first_line) + "\n" + a.body_text + "\n";
    for (const auto& s : a.sections)
      out += "  section " + std::to_string(s.level) + " " + s.heading + " " + std::to_string(s.line) + " " +
             std::to_string(s.markdown_line) + " " + s.text + "\n";
    for (const auto& l : a.links)
      out += "  link " + l.target + " " + l.article_id + " " + l.anchor + " " + std::to_string(l.line) + "\n";
    for (const auto& i : a.images) out += "  image " + i.src + " " + i.alt + " " + std::to_string(i.line) + "\n";
    for (const auto& [field, line] : a.field_lines) out += "  field " + field + " " + std::to_string(line) + "\n";
  }
  return out;
}

}  // namespace

TEST_SUITE("article/set") {
  TEST_CASE("the set is the same whatever the number of threads that parse it") {
    hmtest::TempDir dir;
    for (int i = 0; i < 300; ++i) {
      const std::string n = std::to_string(i);
      std::string front = "title: Article " + n + "\njourney: " + (i % 2 ? "payments" : "returns") + "\n";
      if (i % 7 == 0) front += "id: shared-" + std::to_string(i % 21) + "\n";  // duplicate ids
      if (i % 11 == 0) front += "colour: blue\n";                             // a warning
      if (i % 13 == 0) front = "title: Broken " + n + "\njourney: billing\n";  // an error
      const std::string body = "Intro ~~struck~~ www.example.com/" + n + " and user" + n +
                               "@example.com.\n\n## Steps\n\n1. See [a](article:a" + std::to_string(i / 2) +
                               "#steps) and [b](../" + std::to_string(i + 1) + ".md).\n\n| x | y |\n| - | - |\n"
                               "| ~~z~~ | https://example.org |\n\n![](i" + n + ".png)\n";
      hmtest::write_file(dir / ("d" + std::to_string(i % 5)) / (n + ".md"), md(front) + body);
    }
    ArticleLimits one, many;
    one.threads = 1;
    many.threads = 7;
    const std::string serial = dump(load(dir, one));
    CHECK(contains(serial, "duplicate id 'shared-0'"));
    CHECK(contains(serial, "  link mailto:user1@example.com"));  // the autolink extension ran
    CHECK(serial == dump(load(dir, many)));
    CHECK(serial == dump(load(dir)));
  }

  TEST_CASE("every .md file under the directory is read, sorted by path, others ignored") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "en/returns/b.md", md("title: B\njourney: returns\n"));
    hmtest::write_file(dir / "en/payments/a.md", md("title: A\njourney: payments\n"));
    hmtest::write_file(dir / "es/payments/a.md", md("id: a-es\ntitle: A\njourney: payments\nlocale: es\n"));
    hmtest::write_file(dir / "notes.txt", "not an article");
    hmtest::write_file(dir / "en/README.markdown", "not .md either");
    hmtest::write_file(dir / ".git/x.md", "hidden directories are skipped");
    hmtest::write_file(dir / "en/.draft.md", "hidden files are skipped");
    ArticleSet set = load(dir);
    INFO(dump(set.diagnostics));
    CHECK(set.diagnostics.empty());
    CHECK(set.files_seen == 3);
    REQUIRE(set.articles.size() == 3);
    CHECK(set.articles[0].path == "en/payments/a.md");
    CHECK(set.articles[1].path == "en/returns/b.md");
    CHECK(set.articles[2].path == "es/payments/a.md");
    CHECK(set.articles[2].id == "a-es");
  }

  TEST_CASE("bad files become diagnostics with relative paths, good ones still load") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "en/good.md", md("title: Good\njourney: payments\n"));
    hmtest::write_file(dir / "en/bad.md", md("title: Bad\njourney: billing\n"));
    hmtest::write_file(dir / "en/empty.md", "");
    ArticleSet set = load(dir);
    CHECK(set.files_seen == 3);
    REQUIRE(set.articles.size() == 1);
    CHECK(set.articles[0].id == "good");
    REQUIRE(set.diagnostics.size() == 2);
    CHECK(set.diagnostics[0].path == "en/bad.md");
    CHECK(set.diagnostics[0].line == 3);
    CHECK(set.diagnostics[1].path == "en/empty.md");
    CHECK(set.diagnostics[1].line == 0);
  }

  TEST_CASE("duplicate ids across files: the first path keeps the id, the second is an error") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "en/a.md", md("id: same-id\ntitle: A\njourney: payments\n"));
    hmtest::write_file(dir / "en/b.md", md("id: same-id\ntitle: B\njourney: returns\n"));
    hmtest::write_file(dir / "en/same-id.md", md("title: C\njourney: sellers\n"));  // default id
    ArticleSet set = load(dir);
    REQUIRE(set.articles.size() == 1);
    CHECK(set.articles[0].title == "A");
    REQUIRE(set.diagnostics.size() == 2);
    for (const auto& d : set.diagnostics) {
      CHECK(d.severity == Severity::kError);
      CHECK(contains(d.message, "duplicate id 'same-id'"));
      CHECK(contains(d.message, "en/a.md already uses it"));
    }
    CHECK(set.diagnostics[0].path == "en/b.md");
    CHECK(set.diagnostics[1].path == "en/same-id.md");
  }

  TEST_CASE("a duplicate id is reported at the line of its `id:`") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "en/a.md", md("id: same-id\ntitle: A\njourney: payments\n"));
    hmtest::write_file(dir / "en/b.md", md("title: B\njourney: returns\nlocale: en\nid: same-id\n"));
    ArticleSet set = load(dir);
    REQUIRE(set.diagnostics.size() == 1);
    CHECK(set.diagnostics[0].line == 5);
  }

  TEST_CASE("relative .md links and same-page anchors are resolved to ids") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "en/returns/policy.md",
                       md("id: return-policy\ntitle: Policy\njourney: returns\n"));
    hmtest::write_file(dir / "en/payments/timing.md", md("title: Timing\njourney: payments\n"));
    hmtest::write_file(
        dir / "en/payments/guide.md",
        md("title: Guide\njourney: payments\n",
           "See [policy](../returns/policy.md#window), [timing](timing.md),\n"
           "[self](#steps), [gone](missing.md), [escape](../../../etc/x.md) and\n"
           "[by id](article:return-policy).\n"));
    ArticleSet set = load(dir);
    INFO(dump(set.diagnostics));
    const Article* guide = find(set, "guide");
    REQUIRE(guide != nullptr);
    REQUIRE(guide->links.size() == 6);
    CHECK(guide->links[0].article_id == "return-policy");  // explicit id, not the file name
    CHECK(guide->links[0].anchor == "window");
    CHECK(guide->links[1].article_id == "timing");
    CHECK(guide->links[2].article_id == "guide");
    CHECK(guide->links[2].anchor == "steps");
    CHECK(guide->links[3].internal);
    CHECK(guide->links[3].article_id.empty());  // unresolved: no such file
    CHECK(guide->links[4].article_id.empty());  // leaves the tree
    CHECK(guide->links[5].article_id == "return-policy");
  }

  TEST_CASE("files over the size limit are rejected with the sizes in the message") {
    hmtest::TempDir dir;
    std::string big = md("title: Big\njourney: payments\n", std::string(5000, 'x') + "\n");
    hmtest::write_file(dir / "en/big.md", big);
    hmtest::write_file(dir / "en/small.md", md("title: Small\njourney: payments\n"));
    ArticleLimits limits;
    limits.max_file_bytes = 4096;
    ArticleSet set = load(dir, limits);
    REQUIRE(set.articles.size() == 1);
    CHECK(set.articles[0].id == "small");
    REQUIRE(set.diagnostics.size() == 1);
    CHECK(set.diagnostics[0].path == "en/big.md");
    CHECK(set.diagnostics[0].line == 0);
    CHECK(contains(set.diagnostics[0].message, std::to_string(big.size()) + " bytes"));
    CHECK(contains(set.diagnostics[0].message, "4096"));
    CHECK(contains(set.diagnostics[0].message, "--max-file-size"));
    // The default limit (1 MiB) accepts it.
    CHECK(load(dir).articles.size() == 2);
  }

  TEST_CASE("updated is the reviewed date, else the file's modification date") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "en/reviewed.md", md("title: R\njourney: payments\nreviewed: 2026-01-02\n"));
    hmtest::write_file(dir / "en/plain.md", md("title: P\njourney: payments\n"));
    std::filesystem::last_write_time(dir / "en/plain.md",
                                     std::filesystem::file_time_type::clock::now());
    ArticleSet set = load(dir);
    REQUIRE(set.articles.size() == 2);
    CHECK(find(set, "reviewed")->updated == "2026-01-02");
    const std::string today = text::iso_date_from_days(static_cast<long>(std::time(nullptr) / 86400));
    CHECK(find(set, "plain")->updated == today);
  }

  TEST_CASE("a missing articles directory is not found, an empty one is an empty set") {
    hmtest::TempDir dir;
    static const Taxonomy taxonomy = hmtest::test_taxonomy();
    auto missing = load_articles(dir / "nope", taxonomy);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == ErrorCode::kNotFound);
    CHECK(contains(missing.status().message(), "articles directory not found"));
    ArticleSet empty = load(dir);
    CHECK(empty.files_seen == 0);
    CHECK(empty.articles.empty());
  }

  TEST_CASE("load_article_file reads one file") {
    hmtest::TempDir dir;
    static const Taxonomy taxonomy = hmtest::test_taxonomy();
    hmtest::write_file(dir / "one.md", md("title: One\njourney: sellers\n"));
    hmtest::write_file(dir / "bad.md", md("title: Bad\n"));
    std::vector<Diagnostic> diags;
    auto one = load_article_file(dir / "one.md", taxonomy, diags);
    REQUIRE(one.ok());
    CHECK(one->id == "one");
    CHECK_FALSE(one->updated.empty());
    CHECK(diags.empty());
    auto bad = load_article_file(dir / "bad.md", taxonomy, diags);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().code() == ErrorCode::kInvalidInput);
    REQUIRE(diags.size() == 1);
    CHECK(contains(diags[0].message, "missing `journey`"));
    auto missing = load_article_file(dir / "nope.md", taxonomy, diags);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == ErrorCode::kNotFound);
    ArticleLimits tiny;
    tiny.max_file_bytes = 10;
    diags.clear();
    auto too_big = load_article_file(dir / "one.md", taxonomy, diags, tiny);
    REQUIRE_FALSE(too_big.ok());
    CHECK(contains(too_big.status().message(), "over the limit of 10"));
  }
}
