#include <doctest/doctest.h>
#include <xapian.h>

#include <csignal>

#include "helpmark/index.hpp"
#include "helpmark/indexer.hpp"
#include "test_util.hpp"

using namespace helpmark;
using hmtest::contains;
using hmtest::md;

namespace {

std::set<std::string> find(const Index& index, const std::string& word) {
  SearchRequest r;
  r.query = word;
  r.limit = 100;
  r.layers.spelling = false;
  r.layers.synonyms = false;
  return hmtest::id_set(hmtest::search_ok(index, r));
}

void write_articles(hmtest::Kb& kb, int count, const std::string& word, int first = 0) {
  for (int i = first; i < first + count; ++i) {
    const std::string id = "article-" + std::to_string(i);
    kb.add("en/" + id + ".md", md("title: Article " + std::to_string(i) + "\njourney: payments\n",
                                  "This version mentions " + word + ".\n"));
  }
}

hmtest::RunResult index_with_cli(const hmtest::Kb& kb,
                                 const std::vector<std::pair<std::string, std::string>>& env = {}) {
  return hmtest::helpmark_cli({"index", kb.articles_dir().string(), "--taxonomy",
                               kb.taxonomy_dir().string(), "--index", kb.index_dir().string(), "-q"},
                              env);
}

}  // namespace

TEST_SUITE("index/atomicity") {
  TEST_CASE("a crash in the middle of indexing leaves the previous index readable") {
    hmtest::Kb kb;
    write_articles(kb, 5, "platypus");
    kb.build_ok();

    // Version 2 changes all five articles and adds two; the indexer is killed after writing
    // a few documents inside its transaction.
    write_articles(kb, 7, "narwhal");
    auto crashed = index_with_cli(kb, {{"HELPMARK_TEST_CRASH_AFTER", "2"}});
    HM_RUN_INFO(crashed);
    REQUIRE(crashed.signal == SIGKILL);

    {
      Index index = kb.open();
      CHECK(index.size() == 5);
      CHECK(find(index, "platypus").size() == 5);
      CHECK(find(index, "narwhal").empty());
    }

    // The next normal run takes the lock again and finishes the job.
    auto rerun = index_with_cli(kb);
    HM_RUN_INFO(rerun);
    CHECK(rerun.exit_code == 0);
    CHECK(contains(rerun.out, "2 added, 5 updated, 0 removed, 0 unchanged"));
    Index index = kb.open();
    CHECK(index.size() == 7);
    CHECK(find(index, "narwhal").size() == 7);
    CHECK(find(index, "platypus").empty());
  }

  TEST_CASE("a crash during the very first run never exposes a partial index") {
    hmtest::Kb kb;
    write_articles(kb, 4, "narwhal");
    auto crashed = index_with_cli(kb, {{"HELPMARK_TEST_CRASH_AFTER", "1"}});
    HM_RUN_INFO(crashed);
    REQUIRE(crashed.signal == SIGKILL);
    {
      auto index = Index::open(kb.index_dir());
      // Either there is no usable index yet, or it is empty: never 2 of 4 articles.
      if (index.ok()) CHECK(index->size() == 0);
    }
    auto rerun = index_with_cli(kb);
    HM_RUN_INFO(rerun);
    CHECK(rerun.exit_code == 0);
    Index index = kb.open();
    CHECK(find(index, "narwhal").size() == 4);
  }

  TEST_CASE("a locked index: build_index says kLocked, readers keep working") {
    hmtest::Kb kb;
    write_articles(kb, 3, "platypus");
    kb.build_ok();
    write_articles(kb, 3, "narwhal");
    {
      Xapian::WritableDatabase holder(kb.index_dir().string(), Xapian::DB_OPEN);
      auto r = kb.build();
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kLocked);
      CHECK(contains(r.status().message(), "locked"));
      Index index = kb.open();
      CHECK(find(index, "platypus").size() == 3);
    }
    // Once the other writer is gone, indexing works.
    IndexReport r = kb.build_ok();
    CHECK(r.updated == 3);
  }

  TEST_CASE("directories that are not helpmark indexes are refused, not overwritten") {
    hmtest::Kb kb;
    write_articles(kb, 2, "platypus");
    IndexOptions options = kb.options();
    SUBCASE("a non-empty directory of other files") {
      hmtest::write_file(kb.index_dir() / "notes.txt", "precious");
      auto r = build_index(options);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kCorrupt);
      CHECK(contains(r.status().message(), "not a helpmark index"));
      CHECK(hmtest::read_file(kb.index_dir() / "notes.txt") == "precious");
      CHECK(std::distance(std::filesystem::directory_iterator(kb.index_dir()),
                          std::filesystem::directory_iterator()) == 1);
      auto index = Index::open(kb.index_dir());
      REQUIRE_FALSE(index.ok());
      CHECK(index.status().code() == ErrorCode::kCorrupt);
    }
    SUBCASE("a regular file") {
      hmtest::write_file(kb.index_dir(), "a file");
      auto r = build_index(options);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kCorrupt);
      CHECK(hmtest::read_file(kb.index_dir()) == "a file");
      auto index = Index::open(kb.index_dir());
      REQUIRE_FALSE(index.ok());
      CHECK(index.status().code() == ErrorCode::kNotFound);
    }
    SUBCASE("a Xapian database that is not helpmark's") {
      {
        Xapian::WritableDatabase other(kb.index_dir().string(), Xapian::DB_CREATE);
        Xapian::Document doc;
        doc.add_term("hello");
        other.add_document(doc);
        other.commit();
      }
      auto r = build_index(options);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kCorrupt);
      Xapian::Database check(kb.index_dir().string());
      CHECK(check.get_doccount() == 1);
      auto index = Index::open(kb.index_dir());
      REQUIRE_FALSE(index.ok());
      CHECK(index.status().code() == ErrorCode::kCorrupt);
    }
    SUBCASE("an empty directory is fine") {
      std::filesystem::create_directories(kb.index_dir());
      IndexReport r = kb.build_ok();
      CHECK(r.added == 2);
    }
  }

  TEST_CASE("Index::open on a missing directory is not found") {
    hmtest::TempDir dir;
    auto index = Index::open(dir / "no-such-index");
    REQUIRE_FALSE(index.ok());
    CHECK(index.status().code() == ErrorCode::kNotFound);
    CHECK(contains(index.status().message(), "helpmark index"));
  }
}
