#include <doctest/doctest.h>

#include "cli/cli_util.hpp"

using hmtest::CliKb;
using hmtest::contains;
using hmtest::helpmark_cli;
using hmtest::hit_id_set;
using hmtest::hit_ids;
using nlohmann::json;
using Ids = std::set<std::string>;

TEST_SUITE("cli/search") {
  TEST_CASE("table output: count, ranked titles, id/journey/locale line, bracketed matches") {
    CliKb kb;
    auto run = kb.search("escrow");
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    CHECK(contains(run.out, "2 results for \"escrow\" (showing 1-2)"));
    const auto first = run.out.find(" 1. How escrow protects your purchase");
    const auto second = run.out.find(" 2. When sellers get paid");
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(first < second);
    CHECK(contains(run.out, "escrow-explained · payments/methods · en · score "));
    // Not a terminal: <mark> becomes [brackets], no escape sequences.
    CHECK(contains(run.out, "released from [escrow] two days"));
    CHECK_FALSE(contains(run.out, "\033["));
    CHECK_FALSE(contains(run.out, "<mark>"));
  }

  TEST_CASE("no results") {
    CliKb kb;
    auto run = kb.search("xylophone");
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "No results for \"xylophone\""));
  }

  TEST_CASE("--json: query, total, hits and facets") {
    CliKb kb;
    json r = kb.search_json("escrow", {"--facet", "journey"});
    CHECK(r.at("query") == "escrow");
    CHECK(r.at("total") == 2);
    REQUIRE(r.at("hits").size() == 2);
    const json& h = r.at("hits")[0];
    CHECK(h.at("id") == "escrow-explained");
    CHECK(h.at("title") == "How escrow protects your purchase");
    CHECK(h.at("snippet").is_string());
    CHECK(h.at("score").get<double>() > 0);
    CHECK(h.at("journey") == "payments");
    CHECK(h.at("locale") == "en");
    CHECK(h.at("path") == "en/payments/escrow-explained.md");
    CHECK(contains(r.at("hits")[1].at("snippet").get<std::string>(), "<mark>escrow</mark>"));
    REQUIRE(r.at("facets").contains("journey"));
    json expected = json::array({{{"value", "payments"}, {"count", 1}}, {{"value", "sellers"}, {"count", 1}}});
    CHECK(r.at("facets").at("journey") == expected);
  }

  TEST_CASE("filters from flags: comma lists are OR, flags are AND") {
    CliKb kb;
    CHECK(hit_id_set(kb.search_json("", {"--journey", "returns,sellers"})) ==
          Ids{"start-a-return", "return-policy", "seller-payouts", "partner-payouts"});
    CHECK(hit_id_set(kb.search_json("", {"--audience", "seller"})) ==
          Ids{"escrow-explained", "start-a-return", "return-policy", "seller-payouts"});
    CHECK(hit_id_set(kb.search_json("", {"--tag", "bank"})) == Ids{"card-declined", "seller-payouts"});
    CHECK(hit_id_set(kb.search_json("", {"--subtopic", "payouts"})) ==
          Ids{"seller-payouts", "partner-payouts"});
    CHECK(hit_id_set(kb.search_json("", {"--journey", "payments", "--audience", "seller"})) ==
          Ids{"escrow-explained"});
    CHECK(hit_id_set(kb.search_json("", {"--status", "draft"})) == Ids{"new-return-rules"});
    json none = kb.search_json("", {"--journey", "returns", "--tag", "bank"});
    CHECK(none.at("total") == 0);
    CHECK(none.at("hits").empty());
  }

  TEST_CASE("--facet counts every match, multi-valued fields per value") {
    CliKb kb;
    json r = kb.search_json("", {"--facet", "journey,audience,tags,locale"});
    CHECK(r.at("total") == 7);
    auto counts = [&](const std::string& field) {
      std::map<std::string, int> out;
      for (const auto& c : r.at("facets").at(field)) out[c.at("value")] = c.at("count");
      return out;
    };
    CHECK(counts("journey") == std::map<std::string, int>{{"payments", 3}, {"returns", 2}, {"sellers", 2}});
    CHECK(counts("audience") == std::map<std::string, int>{{"buyer", 5}, {"seller", 4}, {"partner", 2}});
    CHECK(counts("tags") == std::map<std::string, int>{{"refund", 2}, {"card", 2}, {"wallet", 1}, {"bank", 2},
                                                        {"escrow", 1}, {"payout", 2}, {"return", 2},
                                                        {"label", 1}});
    CHECK(counts("locale") ==
          std::map<std::string, int>{{"en", 7}, {"es", 1}, {"pt-BR", 1}, {"pt", 1}, {"ja", 1}});
    // In the table output too.
    auto table = kb.search("", {"--facet", "journey"});
    CHECK(contains(table.out, "journey: payments (3) returns (2) sellers (2)"));
  }

  TEST_CASE("--locale prefers translations") {
    CliKb kb;
    json es = kb.search_json("devolucion", {"--locale", "es"});
    REQUIRE_FALSE(es.at("hits").empty());
    CHECK(es.at("hits")[0].at("id") == "refund-timing-es");
    CHECK(es.at("hits")[0].at("locale") == "es");
    json pt = kb.search_json("", {"--locale", "pt-BR", "--journey", "payments"});
    CHECK(hit_id_set(pt) == Ids{"refund-timing-pt-br", "card-declined-pt", "escrow-explained"});
  }

  TEST_CASE("pagination flags") {
    CliKb kb;
    json page = kb.search_json("", {"--limit", "3", "--offset", "6"});
    CHECK(page.at("total") == 7);
    CHECK(page.at("hits").size() == 1);
    CHECK(page.at("offset") == 6);
    CHECK(page.at("limit") == 3);
    auto table = kb.search("", {"--limit", "3", "--offset", "3"});
    CHECK(contains(table.out, "7 results for \"\" (showing 4-6)"));
    CHECK(contains(table.out, " 4. "));
    CHECK_FALSE(contains(table.out, " 1. "));
  }

  TEST_CASE("bad values are usage errors (exit 2)") {
    CliKb kb;
    SUBCASE("--limit over 1000") {
      auto run = kb.search("refund", {"--limit", "5000"});
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 2);
      CHECK(run.out.empty());
      CHECK(contains(run.err, "limit"));
      CHECK(kb.search("refund", {"--limit", "1000"}).exit_code == 0);
    }
    SUBCASE("--limit not a number") {
      CHECK(kb.search("refund", {"--limit", "lots"}).exit_code == 2);
    }
    SUBCASE("unknown facet") {
      auto run = kb.search("refund", {"--facet", "colour"});
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 2);
      CHECK(contains(run.err, "unknown facet 'colour'"));
    }
    SUBCASE("unknown flag") {
      auto run = kb.search("refund", {"--colour", "red"});
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 2);
    }
  }

  TEST_CASE("a missing index: exit 1 and a hint to run helpmark index") {
    hmtest::TempDir dir;
    auto run = helpmark_cli({"search", "refund", "--index", (dir / "nope").string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "helpmark: error: "));
    CHECK(contains(run.err, "helpmark index"));
    SUBCASE("--json also prints an error object") {
      auto j = helpmark_cli({"search", "refund", "--index", (dir / "nope").string(), "--json"});
      CHECK(j.exit_code == 1);
      json err = CliKb::parse_json(j.out);
      CHECK(err.at("error").at("code") == "not found");
      CHECK(contains(err.at("error").at("message").get<std::string>(), "helpmark index"));
    }
  }

  TEST_CASE("a directory that is not an index: exit 1") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "idx/readme.txt", "hello");
    auto run = helpmark_cli({"search", "refund", "--index", (dir / "idx").string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "not a helpmark index"));
  }

  TEST_CASE("a query whose words all vanish finds nothing and says why: only the empty query browses (issue 14, defect 10)") {
    hmtest::CliKb kb;
    for (const std::string& q : std::vector<std::string>{"*", "!!!", std::string(65, 'a'), "* !!! ?"}) {
      json r = kb.search_json(q);
      INFO("query: " << q);
      CHECK(r.at("total") == 0);
      CHECK(r.at("hits").empty());
      CHECK(contains(r.at("notice").get<std::string>(), "no searchable words"));
    }
    json browse = kb.search_json("");
    CHECK(browse.at("total") == 7);
    CHECK_FALSE(browse.contains("notice"));
    auto text = kb.search("!!!");
    CHECK(text.exit_code == 0);
    CHECK(contains(text.out, "Note: the query has no searchable words"));
  }

  TEST_CASE("locales: BCP 47 case is canonicalised, malformed tags are refused (issue 14, defect 10)") {
    hmtest::CliKb kb;
    json canonical = kb.search_json("reembolso", {"--locale", "pt-BR"});
    json lower = kb.search_json("reembolso", {"--locale", "pt-br"});
    CHECK(lower.at("locale") == "pt-BR");
    CHECK(lower.at("total") == canonical.at("total"));
    CHECK(lower.at("total").get<int>() > 0);
    CHECK(hmtest::hit_ids(lower) == hmtest::hit_ids(canonical));
    for (const std::string& bad : std::vector<std::string>{"../../etc", "x", "en_US", "pt-BR-", std::string(40, 'a'), "en-" + std::string(9, 'b')}) {
      auto run = kb.search("refund", {"--locale", bad});
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 2);
      CHECK(contains(run.err, "is not a BCP 47 tag"));
      auto answer = helpmark_cli({"answer", "refund", "--index", kb.index().string(), "--locale", bad});
      CHECK(answer.exit_code == 2);
      auto suggest = helpmark_cli({"suggest", "ref", "--index", kb.index().string(), "--locale", bad});
      CHECK(suggest.exit_code == 2);
    }
  }

  TEST_CASE("answer --threshold nan is refused, not ignored (issue 14, defect 10)") {
    hmtest::CliKb kb;
    for (const char* bad : {"nan", "NaN", "-0.1", "1.5", "inf", "0.5x"}) {
      auto run = helpmark_cli({"answer", "refund", "--index", kb.index().string(), "--threshold", bad});
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 2);
      CHECK(contains(run.err, "--threshold must be a number from 0 to 1"));
    }
    CHECK(helpmark_cli({"answer", "refund", "--index", kb.index().string(), "--threshold", "0.5"}).exit_code == 0);
  }
}
