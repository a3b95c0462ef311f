#include <doctest/doctest.h>
#include <xapian.h>

#include "cli/cli_util.hpp"

using hmtest::contains;
using hmtest::helpmark_cli;
using nlohmann::json;

namespace {

/// A writable copy of kb-small, to add bad articles to.
struct KbCopy {
  hmtest::TempDir dir;
  KbCopy() {
    hmtest::copy_tree(hmtest::kSmallArticles, articles());
    hmtest::copy_tree(hmtest::kSmallTaxonomy, taxonomy());
  }
  std::filesystem::path articles() const { return dir / "articles"; }
  std::filesystem::path taxonomy() const { return dir / "taxonomy"; }
  std::filesystem::path index() const { return dir / "index"; }

  hmtest::RunResult index_cmd(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"index", articles().string(), "--taxonomy", taxonomy().string(),
                                  "--index", index().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return helpmark_cli(args);
  }
  void add_bad(const std::string& name, const std::string& as) const {
    std::filesystem::copy_file(hmtest::kBadArticles / name, articles() / as);
  }
  json search(const std::string& query) const {
    auto run = helpmark_cli({"search", query, "--index", index().string(), "--json", "--limit", "100"});
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    return hmtest::CliKb::parse_json(run.out);
  }
};

}  // namespace

TEST_SUITE("cli/index") {
  TEST_CASE("index a good folder: summary line, then again: everything unchanged") {
    KbCopy kb;
    auto first = kb.index_cmd();
    HM_RUN_INFO(first);
    CHECK(first.exit_code == 0);
    CHECK(contains(first.out, "indexed " + kb.articles().string() +
                                  ": 13 added, 0 updated, 0 removed, 0 unchanged, 0 skipped with "
                                  "errors; 13 articles in " + kb.index().string()));
    CHECK(first.err.empty());

    auto second = kb.index_cmd();
    HM_RUN_INFO(second);
    CHECK(second.exit_code == 0);
    CHECK(contains(second.out, "0 added, 0 updated, 0 removed, 13 unchanged, 0 skipped"));
  }

  TEST_CASE("--json prints the report") {
    KbCopy kb;
    auto run = kb.index_cmd({"--json"});
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    json report = hmtest::CliKb::parse_json(run.out);
    CHECK(report.at("added") == 13);
    CHECK(report.at("updated") == 0);
    CHECK(report.at("removed") == 0);
    CHECK(report.at("unchanged") == 0);
    CHECK(report.at("skipped") == 0);
    CHECK(report.at("total") == 13);
    CHECK(report.at("seconds").is_number());
    CHECK(report.at("diagnostics").empty());

    auto again = kb.index_cmd({"--json"});
    json report2 = hmtest::CliKb::parse_json(again.out);
    CHECK(report2.at("unchanged") == 13);
    CHECK(report2.at("added") == 0);
    CHECK(report2.at("total") == 13);
  }

  TEST_CASE("a bad article without --strict: exit 3, the others are indexed, path:line: error") {
    KbCopy kb;
    kb.add_bad("unknown-journey.md", "en/payments/unknown-journey.md");
    auto run = kb.index_cmd();
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 3);
    CHECK(contains(run.err, "en/payments/unknown-journey.md:3: error: unknown journey 'billing'"));
    CHECK(contains(run.out, "13 added"));
    CHECK(contains(run.out, "1 skipped with errors"));
    CHECK(kb.search("escrow").at("total") == 2);

    // --json: the same, as data.
    auto again = kb.index_cmd({"--json"});
    CHECK(again.exit_code == 3);
    json report = hmtest::CliKb::parse_json(again.out);
    CHECK(report.at("skipped") == 1);
    CHECK(report.at("unchanged") == 13);
    REQUIRE(report.at("diagnostics").size() == 1);
    const json& d = report.at("diagnostics")[0];
    CHECK(d.at("severity") == "error");
    CHECK(d.at("path") == (kb.articles() / "en/payments/unknown-journey.md").string());  // from the working directory
    CHECK(d.at("line") == 3);
    CHECK(contains(d.at("message").get<std::string>(), "payments, returns, sellers"));
  }

  TEST_CASE("--strict with a bad article: exit 1, the old index stays as it was") {
    KbCopy kb;
    REQUIRE(kb.index_cmd().exit_code == 0);
    // Change a good article and add a bad one: with --strict neither may reach the index.
    hmtest::write_file(kb.articles() / "en/sellers/partner-payouts.md",
                       hmtest::md("title: Partner payouts\njourney: sellers\n", "Now about zanzibar.\n"));
    kb.add_bad("missing-title.md", "en/missing-title.md");
    auto run = kb.index_cmd({"--strict"});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "en/missing-title.md:2: error: missing `title`"));
    CHECK(contains(run.err, "--strict"));
    CHECK_FALSE(contains(run.out, "indexed"));
    json before = kb.search("commission");  // only in the old partner-payouts text
    CHECK(hmtest::hit_ids(before) == std::vector<std::string>{"partner-payouts"});
    CHECK(kb.search("").at("total") == 7);
  }

  TEST_CASE("--max-file-size rejects big files") {
    KbCopy kb;
    kb.add_bad("oversized.md", "en/oversized.md");
    auto run = kb.index_cmd({"--max-file-size", "4096"});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 3);
    CHECK(contains(run.err, "en/oversized.md: error: file is"));
    CHECK(contains(run.err, "over the limit of 4096"));
    CHECK(contains(run.out, "13 added"));
    // The default limit accepts it.
    auto bigger = kb.index_cmd();
    CHECK(bigger.exit_code == 0);
    CHECK(contains(bigger.out, "1 added"));
  }

  TEST_CASE("missing articles directory: exit 1 with a message") {
    KbCopy kb;
    auto run = helpmark_cli({"index", (kb.dir / "nope").string(), "--taxonomy", kb.taxonomy().string(),
                             "--index", kb.index().string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "helpmark: error: "));
    CHECK(contains(run.err, "articles directory not found"));
    CHECK_FALSE(std::filesystem::exists(kb.index()));
  }

  TEST_CASE("missing taxonomy: exit 1 with a message") {
    KbCopy kb;
    SUBCASE("no directory") {
      auto run = helpmark_cli({"index", kb.articles().string(), "--taxonomy", (kb.dir / "nope").string(),
                               "--index", kb.index().string()});
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 1);
      CHECK(contains(run.err, "taxonomy directory not found"));
    }
    SUBCASE("no journeys.yaml") {
      std::filesystem::remove(kb.taxonomy() / "journeys.yaml");
      auto run = kb.index_cmd();
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 1);
      CHECK(contains(run.err, "journeys.yaml"));
    }
    SUBCASE("malformed taxonomy names file and line") {
      hmtest::write_file(kb.taxonomy() / "journeys.yaml", "journeys:\n  - id: a\n  - id: a\n");
      auto run = kb.index_cmd();
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 1);
      CHECK(contains(run.err, "journeys.yaml:3: duplicate journey id 'a'"));
    }
  }

  TEST_CASE("an index path that is a file or a foreign directory: exit 1, left alone") {
    KbCopy kb;
    SUBCASE("regular file") {
      hmtest::write_file(kb.index(), "not a directory");
      auto run = kb.index_cmd();
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 1);
      CHECK(contains(run.err, "not a directory"));
      CHECK(hmtest::read_file(kb.index()) == "not a directory");
    }
    SUBCASE("directory with other files") {
      hmtest::write_file(kb.index() / "thesis.tex", "precious");
      auto run = kb.index_cmd();
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 1);
      CHECK(contains(run.err, "not a helpmark index"));
      CHECK(hmtest::read_file(kb.index() / "thesis.tex") == "precious");
    }
  }

  TEST_CASE("a locked index: exit 4") {
    KbCopy kb;
    REQUIRE(kb.index_cmd().exit_code == 0);
    Xapian::WritableDatabase holder(kb.index().string(), Xapian::DB_OPEN);
    auto run = kb.index_cmd();
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 4);
    CHECK(contains(run.err, "locked"));
    // --json still reports the error on stderr and the exit code is the same.
    auto as_json = kb.index_cmd({"--json"});
    CHECK(as_json.exit_code == 4);
  }

  TEST_CASE("defaults: ./articles, ./taxonomy and $HELPMARK_INDEX") {
    KbCopy kb;
    const auto index_dir = kb.dir / "from-env";
    auto run = helpmark_cli({"index", "-q"}, {{"HELPMARK_INDEX", index_dir.string()}}, kb.dir.path());
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "indexed articles: 13 added"));
    CHECK(std::filesystem::exists(index_dir / "iamglass"));
    auto search = helpmark_cli({"search", "escrow", "--json"}, {{"HELPMARK_INDEX", index_dir.string()}});
    HM_RUN_INFO(search);
    CHECK(search.exit_code == 0);
    CHECK(hmtest::CliKb::parse_json(search.out).at("total") == 2);
  }
}

namespace {

/// Runs the CLI as an unprivileged user: as root (CI), through setpriv as nobody, so that file
/// permissions apply; `owned` is handed to that user first.
hmtest::RunResult helpmark_cli_unprivileged(const std::vector<std::string>& args, const std::filesystem::path& owned) {
  if (::geteuid() != 0) return helpmark_cli(args);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(owned))
    REQUIRE(::lchown(entry.path().c_str(), 65534, 65534) == 0);
  REQUIRE(::chown(owned.c_str(), 65534, 65534) == 0);
  std::vector<std::string> all{"--reuid=65534", "--regid=65534", "--clear-groups", hmtest::kBin.string()};
  all.insert(all.end(), args.begin(), args.end());
  return hmtest::run_program("/usr/bin/setpriv", all);
}

}  // namespace

TEST_SUITE("cli/index") {
  TEST_CASE("a new file declaring an indexed id never replaces the live article (issue 14, defect 2)") {
    KbCopy kb;
    REQUIRE(kb.index_cmd().exit_code == 0);
    // Sorts before en/payments/refund-timing.md, which owns the id in the index.
    hmtest::write_file(kb.articles() / "en/payments/aaa-takeover.md",
                       hmtest::md("id: refund-timing\ntitle: Hijacked\njourney: payments\n", "Send zanzibar coins.\n"));
    auto run = kb.index_cmd();
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 3);
    CHECK(contains(run.err, "en/payments/aaa-takeover.md:2: error: duplicate id 'refund-timing': "
                            "en/payments/refund-timing.md already uses it and is the indexed article"));
    CHECK_FALSE(contains(run.err, "en/payments/refund-timing.md:2: error"));
    CHECK(contains(run.out, "0 added, 0 updated, 0 removed"));
    CHECK(kb.search("zanzibar").at("total") == 0);
    auto shown = helpmark_cli({"show", "refund-timing", "--index", kb.index().string(), "--json"});
    HM_RUN_INFO(shown);
    CHECK(hmtest::CliKb::parse_json(shown.out).at("path") == "en/payments/refund-timing.md");

    SUBCASE("even while the indexed file has an error") {
      hmtest::write_file(kb.articles() / "en/payments/refund-timing.md", "---\nid: refund-timing\n---\nNo title.\n");
      auto broken = kb.index_cmd();
      HM_RUN_INFO(broken);
      CHECK(broken.exit_code == 3);
      CHECK(contains(broken.err, "en/payments/aaa-takeover.md:2: error: duplicate id 'refund-timing'"));
      CHECK(kb.search("zanzibar").at("total") == 0);
      CHECK(kb.search("refund").at("total").get<int>() > 0);
    }
    SUBCASE("once the indexed file is gone, the other file takes the id") {
      std::filesystem::remove(kb.articles() / "en/payments/refund-timing.md");
      auto moved = kb.index_cmd();
      HM_RUN_INFO(moved);
      CHECK(moved.exit_code == 0);
      CHECK(kb.search("zanzibar").at("total") == 1);
    }
  }

  TEST_CASE("an unreadable directory is an error and its articles stay (issue 14, defect 3)") {
    KbCopy kb;
    REQUIRE(kb.index_cmd().exit_code == 0);
    const auto locked = kb.articles() / "en/payments";
    std::filesystem::permissions(locked, std::filesystem::perms::none);
    auto run = helpmark_cli_unprivileged({"index", kb.articles().string(), "--taxonomy", kb.taxonomy().string(),
                                          "--index", kb.index().string()},
                                         kb.dir.path());
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 3);
    CHECK(contains(run.err, "en/payments/: error: cannot list this directory: Permission denied"));
    CHECK(contains(run.out, "0 removed"));
    auto strict = helpmark_cli_unprivileged({"index", kb.articles().string(), "--taxonomy",
                                             kb.taxonomy().string(), "--index", kb.index().string(), "--strict"},
                                            kb.dir.path());
    HM_RUN_INFO(strict);
    CHECK(strict.exit_code == 1);
    std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
    CHECK(kb.search("escrow").at("total") == 2);
    CHECK(kb.search("").at("total") == 7);
  }

  TEST_CASE("an articles folder with no .md file empties the index only with --allow-empty (issue 14, defect 3)") {
    KbCopy kb;
    REQUIRE(kb.index_cmd().exit_code == 0);
    hmtest::TempDir empty;
    auto run = helpmark_cli({"index", empty.path().string(), "--taxonomy", kb.taxonomy().string(), "--index",
                             kb.index().string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "holds no .md files: indexing it would remove all 13 articles"));
    CHECK(contains(run.err, "--allow-empty"));
    CHECK(kb.search("").at("total") == 7);
    auto allowed = helpmark_cli({"index", empty.path().string(), "--taxonomy", kb.taxonomy().string(), "--index",
                                 kb.index().string(), "--allow-empty"});
    HM_RUN_INFO(allowed);
    CHECK(allowed.exit_code == 0);
    CHECK(contains(allowed.out, "13 removed"));
  }

  TEST_CASE("a .md link leading outside the articles folder is read only with --follow-symlinks (issue 14, defect 11)") {
    KbCopy kb;
    hmtest::write_file(kb.dir / "outside/secret.md",
                       hmtest::md("id: secret\ntitle: Secret\njourney: payments\n", "The zanzibar password.\n"));
    std::filesystem::create_symlink(kb.dir / "outside/secret.md", kb.articles() / "en/payments/secret.md");
    // A link within the tree is fine.
    std::filesystem::create_symlink("refund-timing.md", kb.articles() / "en/payments/alias.md");
    auto run = kb.index_cmd();
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 3);
    CHECK(contains(run.err, "en/payments/secret.md: error: symbolic link to "));
    CHECK(contains(run.err, "outside the articles directory: not read"));
    CHECK(contains(run.err, "duplicate id 'refund-timing': en/payments/alias.md already uses it"));
    CHECK(kb.search("zanzibar").at("total") == 0);
    auto followed = kb.index_cmd({"--follow-symlinks"});
    HM_RUN_INFO(followed);
    CHECK(kb.search("zanzibar").at("total") == 1);
  }

  TEST_CASE("a tag too long for an index term fails validate and only its own article (issue 14, defect 7)") {
    KbCopy kb;
    hmtest::write_file(kb.articles() / "en/payments/long-tag.md",
                       hmtest::md("title: Long tag\njourney: payments\ntags: [" + std::string(300, 't') + "]\n"));
    auto validate = helpmark_cli({"validate", kb.articles().string(), "--taxonomy", kb.taxonomy().string()});
    HM_RUN_INFO(validate);
    CHECK(validate.exit_code == 1);
    CHECK(contains(validate.err, "en/payments/long-tag.md:4: error: the tag is 300 bytes"));
    for (int run_number = 0; run_number < 2; ++run_number) {
      auto run = kb.index_cmd();
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 3);
      CHECK_FALSE(contains(run.err, "Term too long"));
    }
    CHECK(kb.search("").at("total") == 7);
  }

  TEST_CASE("a first build that fails leaves no directory behind (issue 14, defect 6)") {
    KbCopy kb;
    // Files limited (SIGXFSZ ignored, so writes fail with EFBIG). At 16 KiB Xapian's write fails
    // with an error; below 1 MiB helpmark refuses first, since at 4-12 KiB Xapian aborts.
    auto limited = [&](int kib) {
      return hmtest::run_program("/bin/bash", {"-c", "ulimit -f " + std::to_string(kib) + "; trap '' XFSZ; exec \"$0\" \"$@\"",
                                               hmtest::kBin.string(), "index", kb.articles().string(), "--taxonomy",
                                               kb.taxonomy().string(), "--index", kb.index().string(), "-q"});
    };
    for (int kib : {4, 16}) {
      auto run = limited(kib);
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 1);
      CHECK(contains(run.err, "the file size limit (ulimit -f) is " + std::to_string(kib) + " KiB"));
      CHECK_FALSE(std::filesystem::exists(kb.index()));
    }
    // The next run, with room, builds the index.
    CHECK(kb.index_cmd().exit_code == 0);
    CHECK(kb.search("").at("total") == 7);
  }
}
