#include <doctest/doctest.h>

#include "cli/cli_util.hpp"

using hmtest::CliKb;
using hmtest::contains;
using hmtest::helpmark_cli;
using nlohmann::json;

TEST_SUITE("cli/usage") {
  TEST_CASE("no subcommand: exit 2") {
    auto run = helpmark_cli({});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.out + run.err, "subcommand"));
  }

  TEST_CASE("unknown subcommand or flag: exit 2") {
    CHECK(helpmark_cli({"frobnicate"}).exit_code == 2);
    CHECK(helpmark_cli({"--frobnicate"}).exit_code == 2);
    CHECK(helpmark_cli({"index", "--frobnicate"}).exit_code == 2);
    CHECK(helpmark_cli({"validate", "--strictly"}).exit_code == 2);
  }

  TEST_CASE("missing or malformed arguments: exit 2") {
    CHECK(helpmark_cli({"search"}).exit_code == 2);  // the query is required
    CHECK(helpmark_cli({"index", "--max-file-size", "big"}).exit_code == 2);
    CHECK(helpmark_cli({"search", "x", "--limit", "-1"}).exit_code == 2);
  }

  TEST_CASE("negative numbers are usage errors, not huge ones") {
    CliKb kb;
    auto offset = helpmark_cli({"search", "x", "--offset", "-3", "--index", kb.index().string()});
    HM_RUN_INFO(offset);
    CHECK(offset.exit_code == 2);
    auto size = helpmark_cli({"validate", hmtest::kSmallArticles.string(), "--taxonomy",
                              hmtest::kSmallTaxonomy.string(), "--max-file-size", "-1"});
    HM_RUN_INFO(size);
    CHECK(size.exit_code == 2);
  }

  TEST_CASE("--help: exit 0, teaches with examples") {
    auto top = helpmark_cli({"--help"});
    HM_RUN_INFO(top);
    CHECK(top.exit_code == 0);
    CHECK(contains(top.out, "Typical use"));
    CHECK(contains(top.out, "helpmark index articles --taxonomy taxonomy"));
    for (const char* cmd : {"index", "search", "show", "validate"}) CHECK(contains(top.out, cmd));

    auto search = helpmark_cli({"search", "--help"});
    CHECK(search.exit_code == 0);
    CHECK(contains(search.out, "Examples:"));
    CHECK(contains(search.out, "--journey"));
    CHECK(contains(search.out, "--facet"));

    auto index = helpmark_cli({"index", "--help"});
    CHECK(index.exit_code == 0);
    CHECK(contains(index.out, "--strict"));
    CHECK(contains(index.out, "4 index locked"));

    auto show = helpmark_cli({"show", "--help"});
    CHECK(show.exit_code == 0);
    CHECK(contains(show.out, "helpmark show refund-timing"));

    auto validate = helpmark_cli({"validate", "--help"});
    CHECK(validate.exit_code == 0);
    CHECK(contains(validate.out, "path:line"));
  }

  TEST_CASE("--version: exit 0") {
    auto run = helpmark_cli({"--version"});
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "0."));
  }
}

TEST_SUITE("cli/shipped") {
  TEST_CASE("the shipped knowledge base indexes cleanly and answers in en, es and ja") {
    hmtest::TempDir dir;
    const auto index = dir / "index";
    auto run = helpmark_cli({"index", (hmtest::kSourceDir / "articles").string(), "--taxonomy",
                             (hmtest::kSourceDir / "taxonomy").string(), "--index", index.string(),
                             "--json"});
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    json report = CliKb::parse_json(run.out);
    CHECK(report.at("skipped") == 0);
    CHECK(report.at("total").get<int>() >= 200);

    auto search = [&](const std::string& query, const std::string& locale) {
      auto r = helpmark_cli({"search", query, "--locale", locale, "--index", index.string(), "--json"});
      HM_RUN_INFO(r);
      REQUIRE(r.exit_code == 0);
      return CliKb::parse_json(r.out);
    };
    // One index, three languages (no SUBCASE: indexing runs once).
    json en = search("how long does a refund take", "en");
    REQUIRE_FALSE(en.at("hits").empty());
    CHECK(en.at("hits")[0].at("locale") == "en");
    CHECK(en.at("hits")[0].at("id") == "refund-timing");

    json es = search("devolucion", "es");  // typed without the accent
    REQUIRE_FALSE(es.at("hits").empty());
    CHECK(es.at("hits")[0].at("locale") == "es");
    CHECK(es.at("hits")[0].at("journey") == "returns");

    json ja = search("返金", "ja");
    REQUIRE_FALSE(ja.at("hits").empty());
    CHECK(ja.at("hits")[0].at("locale") == "ja");
    CHECK(contains(ja.at("hits")[0].at("title").get<std::string>(), "返金"));
  }
}
