// A read replica as xapian-replicate lays it out: a directory with a stub file, XAPIANDB, naming
// the live copy (replica_0 or replica_1). Built here by hand so the test needs no xapian-tools;
// tests/replication/ runs the real replication.
#include <doctest/doctest.h>

#include "helpmark/index.hpp"
#include "helpmark/indexer.hpp"
#include "test_util.hpp"

using namespace helpmark;
using hmtest::md;

namespace {

namespace fs = std::filesystem;

std::set<std::string> find(const Index& index, const std::string& word) {
  SearchRequest r;
  r.query = word;
  r.layers.spelling = false;
  r.layers.synonyms = false;
  return hmtest::id_set(hmtest::search_ok(index, r));
}

/// Indexes the kb into `replica/copy` and points the replica's stub at it.
void publish(const hmtest::Kb& kb, const fs::path& replica, const std::string& copy) {
  IndexOptions options = kb.options();
  options.index_dir = replica / copy;
  auto built = build_index(options);
  REQUIRE_MESSAGE(built.ok(), built.status().message());
  hmtest::write_file(replica / "XAPIANDB", "# written by a test, as Xapian::DatabaseReplica does\nauto " + copy + "\n");
}

}  // namespace

TEST_SUITE("index/replica") {
  TEST_CASE("a replica stub opens and reopen follows a switch to a new copy") {
    hmtest::Kb kb;
    kb.add("en/payments/alpha.md", md("id: alpha\ntitle: Alpha refunds\njourney: payments\n", "About the aardvark.\n"));
    const fs::path replica = kb.root() / "replica";
    publish(kb, replica, "replica_0");

    auto opened = Index::open(replica);
    REQUIRE_MESSAGE(opened.ok(), opened.status().message());
    Index index = std::move(opened).value();
    CHECK(find(index, "aardvark") == std::set<std::string>{"alpha"});

    // A full copy arrives in the other directory, the stub switches, the old copy goes.
    kb.add("en/payments/alpha.md", md("id: alpha\ntitle: Alpha refunds\njourney: payments\n", "About the zebra.\n"));
    publish(kb, replica, "replica_1");
    fs::remove_all(replica / "replica_0");

    // The pooled handle still has replica_0 open: reopen() on it would look for the removed
    // directory, so it must be opened afresh.
    REQUIRE(index.reopen().ok());
    CHECK(find(index, "zebra") == std::set<std::string>{"alpha"});
    CHECK(find(index, "aardvark").empty());
    CHECK(index.size() == 1);
  }

  TEST_CASE("indexing into a replica is refused and leaves it as it was") {
    hmtest::Kb kb;
    kb.add("en/payments/alpha.md", md("id: alpha\ntitle: Alpha refunds\njourney: payments\n", "About the aardvark.\n"));
    const fs::path replica = kb.root() / "replica";
    publish(kb, replica, "replica_0");

    IndexOptions options = kb.options();
    options.index_dir = replica;
    auto built = build_index(options);
    REQUIRE_FALSE(built.ok());
    CHECK(built.status().code() == ErrorCode::kInvalidArgument);
    CHECK(built.status().message().find("replica") != std::string::npos);
    CHECK_FALSE(fs::exists(replica / "iamglass"));

    auto opened = Index::open(replica);
    REQUIRE_MESSAGE(opened.ok(), opened.status().message());
    CHECK(find(opened.value(), "aardvark") == std::set<std::string>{"alpha"});
  }
}
