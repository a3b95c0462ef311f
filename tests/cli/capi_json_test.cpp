// The C API's JSON is byte for byte what the CLI prints with --json (plus its newline), so a
// binding and a script see the same schema.
#include "cli/cli_util.hpp"
#include "unit/capi_util.hpp"

using namespace hmtest;

namespace {

std::string owned(char* s, std::size_t len) {
  StringPtr owner(s);
  REQUIRE(s != nullptr);
  return std::string(s, len);
}

}  // namespace

TEST_SUITE("capi/cli") {
  TEST_CASE("hm_search_json equals `helpmark search --json`") {
    CliKb kb;
    IndexPtr ix = open_index(kb.index());
    struct Case {
      const char* query;
      std::vector<std::string> args;
      std::function<void(hm_search_request*)> set;
    };
    const std::vector<Case> cases = {
        {"refund", {}, [](hm_search_request*) {}},
        {"refund", {"--locale", "es", "--facet", "journey,locale"},
         [](hm_search_request* r) {
           REQUIRE(hm_search_request_set_locale(r, "es") == HM_OK);
           REQUIRE(hm_search_request_add_facet(r, "journey") == HM_OK);
           REQUIRE(hm_search_request_add_facet(r, "locale") == HM_OK);
         }},
        {"", {"--journey", "returns,sellers", "--audience", "seller", "--limit", "2", "--offset", "1"},
         [](hm_search_request* r) {
           REQUIRE(hm_search_request_add_filter(r, "journey", "returns") == HM_OK);
           REQUIRE(hm_search_request_add_filter(r, "journey", "sellers") == HM_OK);
           REQUIRE(hm_search_request_add_filter(r, "audience", "seller") == HM_OK);
           REQUIRE(hm_search_request_set_page(r, 1, 2) == HM_OK);
         }},
        {"refnud", {"--tag", "refund"},
         [](hm_search_request* r) { REQUIRE(hm_search_request_add_filter(r, "tag", "refund") == HM_OK); }},
    };
    for (const Case& c : cases) {
      CAPTURE(c.query);
      RequestPtr req = new_request(c.query);
      c.set(req.get());
      char* json = nullptr;
      std::size_t len = 0;
      REQUIRE_MESSAGE(hm_search_json(&json, &len, ix.get(), req.get()) == HM_OK, hm_last_error());
      std::vector<std::string> args = c.args;
      args.push_back("--json");
      RunResult run = kb.search(c.query, args);
      HM_RUN_INFO(run);
      REQUIRE(run.exit_code == 0);
      CHECK(owned(json, len) + "\n" == run.out);
    }
  }

  TEST_CASE("hm_answer_json and hm_suggest_json equal `helpmark answer/suggest --json`") {
    CliKb kb;
    IndexPtr ix = open_index(kb.index());
    for (const char* question : {"when will i get my money back", "card declined", "qqqq zzzz"}) {
      CAPTURE(question);
      char* json = nullptr;
      std::size_t len = 0;
      REQUIRE(hm_answer_json(&json, &len, ix.get(), question, "en", nullptr) == HM_OK);
      RunResult run = helpmark_cli({"answer", question, "--index", kb.index().string(), "--locale", "en", "--json"});
      HM_RUN_INFO(run);
      REQUIRE(run.exit_code == 0);
      CHECK(owned(json, len) + "\n" == run.out);
    }
    hm_answer_options* o = nullptr;
    REQUIRE(hm_answer_options_new(&o) == HM_OK);
    OptionsPtr opts(o);
    REQUIRE(hm_answer_options_set_threshold(o, 0.9) == HM_OK);
    REQUIRE(hm_answer_options_set_alternatives(o, 1) == HM_OK);
    REQUIRE(hm_answer_options_add_filter(o, "audience", "buyer") == HM_OK);
    char* json = nullptr;
    std::size_t len = 0;
    REQUIRE(hm_answer_json(&json, &len, ix.get(), "refund", "en", o) == HM_OK);
    RunResult run = helpmark_cli({"answer", "refund", "--index", kb.index().string(), "--locale", "en", "--threshold",
                                  "0.9", "--alternatives", "1", "--audience", "buyer", "--json"});
    REQUIRE(run.exit_code == 0);
    CHECK(owned(json, len) + "\n" == run.out);

    REQUIRE(hm_suggest_json(&json, &len, ix.get(), "how l", "en", 8) == HM_OK);
    run = helpmark_cli({"suggest", "how l", "--index", kb.index().string(), "--locale", "en", "--json"});
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    CHECK(owned(json, len) + "\n" == run.out);
  }
}
