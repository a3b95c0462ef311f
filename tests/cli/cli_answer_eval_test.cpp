// End-to-end tests of `helpmark answer`, `suggest`, `eval`, `calibrate` and the multilingual
// fields of `search --json`, running the real binary on tests/data/multilingual and
// tests/data/eval.
#include <doctest/doctest.h>

#include "cli/cli_util.hpp"
#include "helpmark/answer.hpp"

using hmtest::contains;
using hmtest::helpmark_cli;
using hmtest::RunResult;
using nlohmann::json;

namespace {

const hmtest::fs::path kMl = hmtest::kTestData / "multilingual";
const hmtest::fs::path kEval = hmtest::kTestData / "eval";

// tests/data/multilingual indexed by the real CLI into a temporary directory.
class MlCliKb {
 public:
  MlCliKb() {
    auto run = helpmark_cli({"index", (kMl / "articles").string(), "--taxonomy",
                             (kMl / "taxonomy").string(), "--index", index().string(), "-q"});
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
  }
  hmtest::fs::path index() const { return dir_ / "index"; }
  const hmtest::TempDir& dir() const { return dir_; }

  RunResult run(std::vector<std::string> args) const {
    args.push_back("--index");
    args.push_back(index().string());
    return helpmark_cli(args);
  }
  json run_json(std::vector<std::string> args) const {
    args.push_back("--json");
    RunResult r = run(args);
    HM_RUN_INFO(r);
    REQUIRE(r.exit_code == 0);
    return hmtest::CliKb::parse_json(r.out);
  }

 private:
  hmtest::TempDir dir_;
};

RunResult eval(std::vector<std::string> extra) {
  std::vector<std::string> args{"eval", (kEval / "articles.jsonl").string(),
                                (kEval / "queries.jsonl").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return helpmark_cli(args);
}

}  // namespace

TEST_SUITE("cli/answer") {
  TEST_CASE("answer --json: the documented keys and values") {
    MlCliKb kb;
    json j = kb.run_json({"answer", "how do i request a refund"});
    for (const char* key :
         {"question", "found", "escalate", "confidence", "threshold", "id", "title", "summary",
          "locale", "link", "path", "steps", "troubleshooting", "alternatives", "explanation"})
      CHECK_MESSAGE(j.contains(key), key);
    CHECK(j["question"] == "how do i request a refund");
    CHECK(j["found"] == true);
    CHECK(j["escalate"] == false);
    CHECK(j["id"] == "refund-request");
    CHECK(j["locale"] == "en");
    CHECK(j["link"] == "/articles/refund-request");
    CHECK(j["confidence"].get<double>() > j["threshold"].get<double>());
    CHECK(j["confidence"].get<double>() <= 1.0);
    CHECK(j["threshold"].get<double>() == doctest::Approx(helpmark::AnswerModel::defaults().threshold));
    CHECK(contains(j["steps"]["markdown"].get<std::string>(),
                   "2. Select **Request a refund** and pick a reason."));
    CHECK(contains(j["steps"]["text"].get<std::string>(),
                   "Select Request a refund and pick a reason."));
    CHECK(contains(j["troubleshooting"]["markdown"].get<std::string>(),
                   "**The button is greyed out.**"));
    REQUIRE(j["alternatives"].is_array());
    CHECK(j["alternatives"].size() <= 3);
    for (const auto& alt : j["alternatives"]) {
      CHECK(alt.contains("id"));
      CHECK(alt.contains("title"));
      CHECK(alt.contains("locale"));
      CHECK(alt["confidence"].is_number());
    }
    const json& e = j["explanation"];
    CHECK(e["matched_terms"] == json::array({"request", "refund"}));
    CHECK(e["unmatched_terms"] == json::array());
    CHECK(e["corrections"] == json::array());
    REQUIRE(e["synonyms"].size() == 1);
    CHECK(e["synonyms"][0]["phrase"] == "refund");
    CHECK(e["features"]["coverage"] == 1.0);
    CHECK(e["features"].size() == 10);
    // The scores behind the answer: a knowledge base too small to choose settings ranks with
    // Xapian alone, so there is no model score.
    CHECK(j["score"].is_number());
    CHECK(j["xapian_score"].get<double>() > 0);
    CHECK(j["model_score"].is_null());
  }

  TEST_CASE("answer: text output") {
    MlCliKb kb;
    RunResult r = kb.run({"answer", "how do i request a refund"});
    HM_RUN_INFO(r);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "ANSWER (confidence "));
    CHECK(contains(r.out, "threshold 0.25)"));  // the default model's 0.246, to two places
    CHECK(contains(r.out, "How to request a refund  [refund-request, en]"));
    CHECK(contains(r.out, "Steps:\n1. Open **Orders** and choose the order."));
    CHECK(contains(r.out, "Troubleshooting:\n- **The button is greyed out.**"));
    CHECK(contains(r.out, "Link: /articles/refund-request"));
    CHECK(contains(r.out, "Why: matched request refund"));
    CHECK(contains(r.out, "; synonym refund"));
  }

  TEST_CASE("answer: out of scope, a forced threshold, a locale, corrections") {
    MlCliKb kb;
    RunResult none = kb.run({"answer", "what's the weather in lisbon"});
    HM_RUN_INFO(none);
    REQUIRE(none.exit_code == 0);
    CHECK(contains(none.out, "No article matches. Escalate to a human."));
    json none_json = kb.run_json({"answer", "what's the weather in lisbon"});
    CHECK(none_json["found"] == false);
    CHECK(none_json["escalate"] == true);
    CHECK(none_json["id"].is_null());

    RunResult forced = kb.run({"answer", "how do i request a refund", "--threshold", "1"});
    HM_RUN_INFO(forced);
    CHECK(contains(forced.out, "ESCALATE to a human (confidence "));
    CHECK(contains(forced.out, "threshold 1.00)"));

    json ja = kb.run_json({"answer", "返金申請", "--locale", "ja"});
    CHECK(ja["id"] == "refund-request-ja");
    CHECK(ja["locale"] == "ja");

    json typo = kb.run_json({"answer", "how do i get my mony back"});
    REQUIRE(typo["explanation"]["corrections"].size() == 1);
    CHECK(typo["explanation"]["corrections"][0]["from"] == "mony");
    CHECK(typo["explanation"]["corrections"][0]["to"] == "money");
    RunResult typo_text = kb.run({"answer", "how do i get my mony back"});
    CHECK(contains(typo_text.out, "; corrected mony -> money"));

    json alternatives = kb.run_json({"answer", "refund", "--alternatives", "1"});
    CHECK(alternatives["alternatives"].size() == 1);
  }

  TEST_CASE("answer: errors and usage") {
    MlCliKb kb;
    RunResult missing = helpmark_cli({"answer", "refund", "--index", (kb.dir() / "nope").string()});
    HM_RUN_INFO(missing);
    CHECK(missing.exit_code == 1);
    CHECK_FALSE(missing.err.empty());
    RunResult missing_json =
        helpmark_cli({"answer", "refund", "--index", (kb.dir() / "nope").string(), "--json"});
    CHECK(missing_json.exit_code == 1);
    CHECK(contains(missing_json.out + missing_json.err, "\"error\""));
    RunResult bad_threshold = kb.run({"answer", "refund", "--threshold", "1.5"});
    CHECK(bad_threshold.exit_code == 2);
    RunResult no_question = kb.run({"answer"});
    CHECK(no_question.exit_code == 2);
    RunResult help = helpmark_cli({"answer", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "helpmark answer \""));
  }
}

TEST_SUITE("cli/suggest") {
  TEST_CASE("suggest --json: prefix and suggestions with text, kind and article_id") {
    MlCliKb kb;
    json j = kb.run_json({"suggest", "how to req"});
    CHECK(j["prefix"] == "how to req");
    REQUIRE(j["suggestions"].is_array());
    REQUIRE_FALSE(j["suggestions"].empty());
    CHECK(j["suggestions"][0]["text"] == "How to request a refund");
    CHECK(j["suggestions"][0]["kind"] == "title");
    CHECK(j["suggestions"][0]["article_id"] == "refund-request");
    bool word = false;
    for (const auto& s : j["suggestions"])
      if (s["kind"] == "word") {
        word = true;
        CHECK(s["article_id"].is_null());
      }
    CHECK(word);

    json es = kb.run_json({"suggest", "devolu", "--locale", "es", "--limit", "1"});
    REQUIRE(es["suggestions"].size() == 1);
    CHECK(es["suggestions"][0]["article_id"] == "refund-request-es");
    json empty = kb.run_json({"suggest", ""});
    CHECK(empty["suggestions"] == json::array());
  }

  TEST_CASE("suggest: text output and a bad limit") {
    MlCliKb kb;
    RunResult r = kb.run({"suggest", "refu"});
    HM_RUN_INFO(r);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "title    How to request a refund  [refund-request]"));
    CHECK(contains(r.out, "word     refund\n"));
    CHECK(kb.run({"suggest", "refu", "--limit", "51"}).exit_code == 2);
    CHECK(kb.run({"suggest", "refu", "--limit", "0"}).exit_code == 2);
  }
}

TEST_SUITE("cli/search-multilingual") {
  TEST_CASE(
      "multilingual: search --json: corrected_query, auto_corrected, corrections, synonyms, "
      "locales") {
    MlCliKb kb;
    json typo = kb.run_json({"search", "refnud"});
    CHECK(typo["corrected_query"] == "refund");
    CHECK(typo["auto_corrected"] == true);
    CHECK(typo["corrections"] == json::array({{{"from", "refnud"}, {"to", "refund"}}}));
    REQUIRE(typo["synonyms"].size() == 1);
    CHECK(typo["synonyms"][0]["phrase"] == "refund");
    CHECK(typo["synonyms"][0]["expansions"] == json::array({"money back", "reimbursement"}));
    CHECK(typo["locales"] == json::array({"en"}));
    CHECK(hmtest::hit_id_set(typo) ==
          std::set<std::string>{"refund-request", "money-back-guarantee"});

    json plain = kb.run_json({"search", "tracking number"});
    CHECK(plain["corrected_query"].is_null());
    CHECK(plain["auto_corrected"] == false);
    CHECK(plain["corrections"] == json::array());
    CHECK(plain["synonyms"] == json::array());

    json pt = kb.run_json({"search", "request refund", "--locale", "pt-BR"});
    CHECK(pt["locales"] == json::array({"pt-BR", "pt", "en"}));
    REQUIRE_FALSE(pt["hits"].empty());
    CHECK(pt["hits"][0]["id"] == "refund-request-pt-br");
    CHECK(pt["hits"][0]["locale"] == "pt-BR");
    CHECK(pt["hits"][0]["translation_group"] == "refund-request");
  }

  TEST_CASE("multilingual: search text output: did you mean / showing results for") {
    MlCliKb kb;
    RunResult r = kb.run({"search", "refnud"});
    HM_RUN_INFO(r);
    CHECK(contains(r.out, "Showing results for \"refund\" (searched instead of \"refnud\")."));
    RunResult ja = kb.run({"search", "返金申請", "--locale", "ja"});
    CHECK(contains(ja.out, "返金の申請方法"));
    CHECK(contains(ja.out, "refund-request-ja"));
  }
}

TEST_SUITE("cli/eval") {
  TEST_CASE("eval --json: metrics, answer and latency keys with the hand-computed values") {
    RunResult r = eval({"--json"});
    HM_RUN_INFO(r);
    REQUIRE(r.exit_code == 0);
    json j = hmtest::CliKb::parse_json(r.out);
    for (const char* key :
         {"articles", "queries", "in_scope", "out_of_scope", "layers", "recall@1", "recall@3",
          "recall@10", "mrr", "ndcg@10", "answer", "latency_ms", "misses", "diagnostics"})
      CHECK_MESSAGE(j.contains(key), key);
    CHECK(j["recall@1"].get<double>() == doctest::Approx(0.6));
    CHECK(j["recall@3"].get<double>() == doctest::Approx(0.8));
    CHECK(j["recall@10"].get<double>() == doctest::Approx(0.8));
    CHECK(j["mrr"].get<double>() == doctest::Approx(0.7));
    CHECK(j["answer"]["accuracy"].get<double>() == doctest::Approx(4.0 / 6));
    for (const char* key :
         {"accuracy", "escalation_precision", "escalation_recall", "threshold", "model"})
      CHECK_MESSAGE(j["answer"].contains(key), key);
    for (const char* key :
         {"search_p50", "search_p95", "search_p99", "answer_p50", "answer_p95", "answer_p99"})
      CHECK_MESSAGE(j["latency_ms"][key].is_number(), key);
    CHECK(j["misses"].size() == 2);
  }

  TEST_CASE("eval text output and --report FILE.md") {
    hmtest::TempDir dir;
    const auto report = dir / "eval.md";
    RunResult r = eval({"--report", report.string(), "--show-misses", "5"});
    HM_RUN_INFO(r);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "5 articles, 6 queries (5 in scope, 1 out of scope)"));
    CHECK(contains(r.out, "recall@1   0.6000"));
    CHECK(contains(r.out, "MRR@10     0.7000"));
    CHECK(contains(r.out, "miss q4: \"parcel\" gold=change-address got=track-parcel"));
    REQUIRE(hmtest::fs::exists(report));
    const std::string md = hmtest::read_file(report);
    CHECK(contains(md, "# helpmark eval"));
    CHECK(contains(md, "| recall@1 | 0.6000 |"));
    CHECK(contains(md, "| recall@3 | 0.8000 |"));
    CHECK(contains(md, "| MRR@10 | 0.7000 |"));
    CHECK(contains(md, "| answer accuracy (all queries) | 0.6667 |"));
    CHECK(contains(md, "## Misses (first 2)"));
    CHECK(contains(md, "| q4 | parcel | change-address | track-parcel, change-address |"));
  }

  TEST_CASE("eval floors: --min-recall1 1.1 exits 1, a floor that is met exits 0") {
    RunResult fail = eval({"--min-recall1", "1.1"});
    HM_RUN_INFO(fail);
    CHECK(fail.exit_code == 1);
    CHECK(contains(fail.err, "recall@1 0.6000 is below the floor 1.1000"));
    CHECK(eval({"--min-recall1", "0.6", "--min-recall3", "0.8"}).exit_code == 0);
    RunResult accuracy = eval({"--min-accuracy", "0.9", "--json"});
    CHECK(accuracy.exit_code == 1);
    CHECK(contains(accuracy.err, "answer accuracy"));
  }

  TEST_CASE("eval: missing files exit 1 with a message, bad lines are reported") {
    RunResult no_queries = helpmark_cli(
        {"eval", (kEval / "articles.jsonl").string(), (kEval / "nope.jsonl").string()});
    HM_RUN_INFO(no_queries);
    CHECK(no_queries.exit_code == 1);
    CHECK(contains(no_queries.err, "nope.jsonl"));
    RunResult no_articles = helpmark_cli(
        {"eval", (kEval / "nope-articles.jsonl").string(), (kEval / "queries.jsonl").string()});
    CHECK(no_articles.exit_code == 1);
    CHECK(contains(no_articles.err, "nope-articles.jsonl"));
    RunResult usage = helpmark_cli({"eval", (kEval / "articles.jsonl").string()});
    CHECK(usage.exit_code == 2);

    RunResult bad = helpmark_cli(
        {"eval", (kEval / "bad-articles.jsonl").string(), (kEval / "bad-queries.jsonl").string()});
    HM_RUN_INFO(bad);
    CHECK(bad.exit_code == 0);
    CHECK(contains(bad.err, "bad-queries.jsonl:2:"));
    CHECK(contains(bad.err, "bad-articles.jsonl:3:"));
    CHECK(contains(bad.out, "2 articles, 2 queries"));
  }

  TEST_CASE("eval: directory mode with --taxonomy, layer switches, --calibrate") {
    auto run = [](std::vector<std::string> extra) {
      std::vector<std::string> args{
          "eval",       (kMl / "articles").string(), (kEval / "kb-queries.jsonl").string(),
          "--taxonomy", (kMl / "taxonomy").string(), "--json"};
      args.insert(args.end(), extra.begin(), extra.end());
      RunResult r = helpmark_cli(args);
      HM_RUN_INFO(r);
      REQUIRE(r.exit_code == 0);
      return hmtest::CliKb::parse_json(r.out);
    };
    json all = run({});
    CHECK(all["articles"] == 29);
    CHECK(all["recall@10"].get<double>() == doctest::Approx(1.0));
    json no_synonyms = run({"--no-synonyms"});
    CHECK(no_synonyms["recall@10"].get<double>() == doctest::Approx(0.8));
    CHECK(no_synonyms["layers"] == "model spelling stemming fallback; ranking lm(0.3), model weight 0");
    CHECK(no_synonyms["ranking"]["weighting"] == "lm(0.3)");
    CHECK(contains(no_synonyms["ranking"]["chosen_by"].get<std::string>(), "defaults"));
    json no_spelling = run({"--no-spelling", "--no-stemming"});
    CHECK(no_spelling["recall@10"].get<double>() == doctest::Approx(0.6));
    json calibrated = run({"--calibrate"});
    CHECK(contains(calibrated["answer"]["model"].get<std::string>(), "cross-fitted"));
    CHECK(calibrated["recall@10"] == all["recall@10"]);
  }
}

TEST_SUITE("cli/calibrate") {
  TEST_CASE(
      "answer: calibrate --dry-run --json reports and writes nothing, without it the index "
      "changes") {
    MlCliKb kb;
    const std::string queries = (kEval / "kb-queries.jsonl").string();
    json dry = kb.run_json({"calibrate", queries, "--dry-run"});
    CHECK(dry["queries"] == 6);
    CHECK(dry["written"] == false);
    for (const char* key : {"threshold", "accuracy", "accuracy_before"}) {
      CAPTURE(key);
      CHECK(dry[key].get<double>() >= 0.0);
      CHECK(dry[key].get<double>() <= 1.0);
    }
    CHECK(dry["weights"].size() == 11);  // bias + 10 features
    CHECK(dry["weights"].contains("bias"));
    CHECK(dry["weights"].contains("coverage"));
    json before = kb.run_json({"answer", "how do i request a refund"});
    CHECK(before["threshold"].get<double>() == doctest::Approx(helpmark::AnswerModel::defaults().threshold));

    RunResult written = kb.run({"calibrate", queries});
    HM_RUN_INFO(written);
    REQUIRE(written.exit_code == 0);
    CHECK(contains(written.out, "calibrated on 6 queries"));
    CHECK(contains(written.out, "written to the index"));
    json after = kb.run_json({"answer", "how do i request a refund"});
    CHECK(after["threshold"].get<double>() ==
          doctest::Approx(dry["threshold"].get<double>()).epsilon(1e-5));
  }

  TEST_CASE("answer: calibrate: bad input") {
    MlCliKb kb;
    RunResult missing = kb.run({"calibrate", (kEval / "nope.jsonl").string()});
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.err, "nope.jsonl"));
    RunResult bad = kb.run({"calibrate", (kEval / "bad-queries.jsonl").string(), "--dry-run"});
    HM_RUN_INFO(bad);
    CHECK(bad.exit_code == 0);
    CHECK(contains(bad.err, "bad-queries.jsonl:4:"));
    RunResult no_index = helpmark_cli(
        {"calibrate", (kEval / "queries.jsonl").string(), "--index", (kb.dir() / "none").string()});
    CHECK(no_index.exit_code == 1);
  }
}
