#include <doctest/doctest.h>

#include <fstream>
#include <regex>

#include "cli/cli_util.hpp"

using hmtest::CliKb;
using hmtest::contains;
using hmtest::helpmark_cli;
using nlohmann::json;
namespace fs = hmtest::fs;

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

  TEST_CASE("--version prints the program and the project version of CMakeLists.txt") {
    std::string version;
    {
      std::ifstream cmake(hmtest::kSourceDir / "CMakeLists.txt");
      std::string text((std::istreambuf_iterator<char>(cmake)), {});
      std::smatch m;
      REQUIRE(std::regex_search(text, m, std::regex(R"(project\(helpmark VERSION ([0-9.]+))")));
      version = m[1];
    }
    auto run = helpmark_cli({"--version"});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(run.out == "helpmark " + version + "\n");
    CHECK(run.err.empty());
  }

  TEST_CASE("a mistyped command: exit 2, naming the nearest command") {
    auto top = helpmark_cli({"serch", "refund"});
    HM_RUN_INFO(top);
    CHECK(top.exit_code == 2);
    CHECK(contains(top.err, "'serch' is not a 'helpmark' command; did you mean 'helpmark search'?"));
    CHECK(contains(top.err, "Run 'helpmark --help'"));
    CHECK(top.out.empty());

    auto nested = helpmark_cli({"track", "searhc", "refund", "--session", "s1"});  // two letters swapped
    HM_RUN_INFO(nested);
    CHECK(nested.exit_code == 2);
    CHECK(contains(nested.err, "did you mean 'helpmark track search'?"));
    CHECK(contains(nested.err, "Run 'helpmark track --help'"));

    auto learn = helpmark_cli({"learn", "aply"});
    CHECK(learn.exit_code == 2);
    CHECK(contains(learn.err, "did you mean 'helpmark learn apply'?"));

    auto prefix = helpmark_cli({"calib"});  // the start of a command counts as near
    CHECK(prefix.exit_code == 2);
    CHECK(contains(prefix.err, "did you mean 'helpmark calibrate'?"));

    auto two = helpmark_cli({"sugest"});
    CHECK(two.exit_code == 2);
    CHECK(contains(two.err, "did you mean 'helpmark suggest'?"));
  }

  TEST_CASE("an unknown command nothing is near: exit 2, listing the commands") {
    auto top = helpmark_cli({"frobnicate"});
    HM_RUN_INFO(top);
    CHECK(top.exit_code == 2);
    CHECK_FALSE(contains(top.err, "did you mean"));
    CHECK(contains(top.err, "the commands are: index, search, show, validate"));

    auto nested = helpmark_cli({"track", "frobnicate"});
    HM_RUN_INFO(nested);
    CHECK(nested.exit_code == 2);
    CHECK(contains(nested.err, "'frobnicate' is not a 'helpmark track' command; the commands are: search, click"));
    CHECK_FALSE(contains(nested.err, "index"));
  }

  TEST_CASE("words that are not commands are left to the command: no suggestion for them") {
    CliKb kb;
    // A query that looks like a command name is a query.
    auto query = kb.search("serch");
    HM_RUN_INFO(query);
    CHECK(query.exit_code == 0);
    // An option's value is not taken for a command, nor is anything after --.
    auto value = helpmark_cli({"track", "--help-all"});
    CHECK_FALSE(contains(value.err, "did you mean"));
    auto option = helpmark_cli({"search", "--limt", "3", "refund"});
    HM_RUN_INFO(option);
    CHECK(option.exit_code == 2);
    CHECK_FALSE(contains(option.err, "is not a"));
    CHECK(contains(option.err, "--limt"));
  }

  TEST_CASE("usage errors with --json: one JSON error object on stdout, exit 2") {
    const std::vector<std::vector<std::string>> cases{
        {"serch", "--json"},                           // unknown command
        {"--json", "track", "searhc"},                 // unknown subcommand, --json first
        {"index", "--frobnicate", "--json"},           // unknown option
        {"search", "--json"},                          // missing argument
        {"search", "x", "--limit", "-1", "--json"},    // bad value
        {"suggest", "re", "--limit", "0", "--json"},   // out of range
        {"audit", "--format", "pdf", "--json"},        // not one of the choices
    };
    for (const auto& args : cases) {
      auto run = helpmark_cli(args);
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 2);
      auto j = json::parse(run.out, nullptr, /*allow_exceptions=*/false);  // the whole of stdout
      REQUIRE_FALSE(j.is_discarded());
      CHECK(j.size() == 1);
      CHECK(j.at("error").at("code") == "invalid argument");
      const auto message = j.at("error").at("message").get<std::string>();
      CHECK_FALSE(message.empty());
      CHECK(contains(run.err, message));  // people still read it on stderr
    }
    auto suggestion = json::parse(helpmark_cli({"serch", "--json"}).out);
    CHECK(contains(suggestion.at("error").at("message").get<std::string>(), "did you mean 'helpmark search'?"));

    // Without --json, stdout stays empty; a --json after -- is a word, not the flag.
    CHECK(helpmark_cli({"serch"}).out.empty());
    auto quoted = helpmark_cli({"serch", "--", "--json"});
    CHECK(quoted.exit_code == 2);
    CHECK(quoted.out.empty());
  }

  TEST_CASE("--limit 0: search counts without hits, as its --help says, suggest refuses it") {
    CliKb kb;
    auto help = helpmark_cli({"search", "--help"});
    CHECK(contains(help.out, "0 shows no hits, only the total and the --facet counts"));
    json counts = kb.search_json("refund", {"--limit", "0", "--facet", "journey"});
    CHECK(counts.at("hits").empty());
    CHECK(counts.at("total").get<int>() > 0);
    CHECK_FALSE(counts.at("facets").at("journey").empty());
    auto text = kb.search("refund", {"--limit", "0"});
    HM_RUN_INFO(text);
    CHECK(text.exit_code == 0);
    CHECK(contains(text.out, "results for \"refund\" (--limit 0: counts only)"));
    CHECK_FALSE(contains(text.out, "No results"));
    CHECK(kb.search("refund", {"--limit", "1001"}).exit_code == 2);

    auto suggest_help = helpmark_cli({"suggest", "--help"});
    CHECK(contains(suggest_help.out, "How many suggestions (1-50)"));
    auto zero = helpmark_cli({"suggest", "re", "--limit", "0", "--index", kb.index().string()});
    HM_RUN_INFO(zero);
    CHECK(zero.exit_code == 2);
    CHECK(contains(zero.err, "--limit"));
    CHECK(contains(zero.err, "1 to 50"));
  }

  TEST_CASE("completion and manpage: bad input is a usage error") {
    auto shell = helpmark_cli({"completion", "tcsh"});
    HM_RUN_INFO(shell);
    CHECK(shell.exit_code == 2);
    CHECK(contains(shell.err, "tcsh"));
    CHECK(helpmark_cli({"completion"}).exit_code == 2);

    auto page = helpmark_cli({"manpage", "serch"});
    HM_RUN_INFO(page);
    CHECK(page.exit_code == 2);
    CHECK(contains(page.err, "did you mean 'helpmark search'?"));
    CHECK(page.out.empty());

    hmtest::TempDir dir;
    auto both = helpmark_cli({"manpage", "search", "--output-dir", dir.path().string()});
    CHECK(both.exit_code == 2);
    const auto file = dir / "file";
    { std::ofstream(file) << "x"; }
    auto not_a_dir = helpmark_cli({"manpage", "--output-dir", (file / "man1").string()});
    HM_RUN_INFO(not_a_dir);
    CHECK(not_a_dir.exit_code == 1);
    CHECK(contains(not_a_dir.err, "cannot write"));
  }

  TEST_CASE("manpage: roff pages from the command definitions") {
    auto top = helpmark_cli({"manpage"});
    HM_RUN_INFO(top);
    REQUIRE(top.exit_code == 0);
    CHECK(top.out.rfind(".TH HELPMARK 1", top.out.find(".TH")) != std::string::npos);
    CHECK(contains(top.out, ".SH EXIT STATUS"));
    CHECK(contains(top.out, "\\fBhelpmark\\-search\\fR(1)"));

    auto search = helpmark_cli({"manpage", "search"});
    REQUIRE(search.exit_code == 0);
    CHECK(contains(search.out, ".TH HELPMARK-SEARCH 1"));
    CHECK(contains(search.out, "helpmark\\-search \\- Search the index"));
    CHECK(contains(search.out, "\\fB\\-\\-limit\\fR \\fIUINT\\fR"));

    auto audit = helpmark_cli({"manpage", "audit"});
    CHECK(contains(audit.out, "One of: \\fBtext\\fR, \\fBmarkdown\\fR, \\fBjson\\fR, \\fBsarif\\fR."));

    auto track = helpmark_cli({"manpage", "track"});  // subcommands on their command's page
    CHECK(contains(track.out, ".SS \"search\""));
    CHECK(contains(track.out, ".SS \"prune\""));

    hmtest::TempDir dir;
    auto all = helpmark_cli({"manpage", "--output-dir", (dir / "man1").string()});
    HM_RUN_INFO(all);
    REQUIRE(all.exit_code == 0);
    CHECK(fs::exists(dir / "man1/helpmark.1"));
    CHECK(fs::exists(dir / "man1/helpmark-search.1"));
    CHECK(fs::exists(dir / "man1/helpmark-completion.1"));
    CHECK_FALSE(fs::exists(dir / "man1/helpmark-track-search.1"));
  }
}

TEST_SUITE("cli/shipped") {
  TEST_CASE("the shipped knowledge base indexes cleanly and answers in en, es and ja, kana readings too") {
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
    // No synonym entry is lost to a stop word (an entry of stop words only is an error).
    for (const auto& d : report.at("diagnostics")) CHECK_MESSAGE(d.at("severity") != "error", d.dump());

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

    // A kana reading finds the kanji article through taxonomy/synonyms/ja.yaml's readings
    // ("へんきん -> 返金"): no article has the word へんきん.
    json reading = search("へんきん", "ja");
    REQUIRE_FALSE(reading.at("hits").empty());
    CHECK(reading.at("hits")[0].at("id") == "refund-timing-ja");
    CHECK(reading.at("hits")[0].at("id") == ja.at("hits")[0].at("id"));
    CHECK(contains(reading.at("hits")[0].at("snippet").get<std::string>(), "<mark>返金</mark>"));
  }
}
