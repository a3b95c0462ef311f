// End-to-end tests of the learned lexical model through the real binary: `index --json`,
// `index --retrain`, `--threads`, `show --index-stats`, `search --explain`, `answer --json`,
// `eval --no-model`, a damaged model, and the dictionary notice.
#include <doctest/doctest.h>
#include <xapian.h>

#include "cli/cli_util.hpp"
#include "unit/model_util.hpp"

using hmtest::contains;
using hmtest::count_lines_with;
using hmtest::helpmark_cli;
using hmtest::RunResult;
using nlohmann::json;

namespace {

/// hmtest::tuned_articles() as files, indexed with the CLI on demand.
class ModelCliKb {
 public:
  explicit ModelCliKb(std::vector<hmtest::ModelArticle> articles = hmtest::tuned_articles()) {
    hmtest::write_kb_dir(dir_.path(), articles);
  }
  hmtest::fs::path root() const { return dir_.path(); }
  hmtest::fs::path articles() const { return dir_ / "articles"; }
  hmtest::fs::path taxonomy() const { return dir_ / "taxonomy"; }
  hmtest::fs::path index() const { return dir_ / "index"; }

  RunResult index_cmd(std::vector<std::string> extra = {},
                      const std::vector<std::pair<std::string, std::string>>& env = {}) const {
    std::vector<std::string> args{"index", articles().string(), "--taxonomy", taxonomy().string(),
                                  "--index", index().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return helpmark_cli(args, env);
  }
  json index_json(std::vector<std::string> extra = {}) const {
    extra.push_back("--json");
    RunResult run = index_cmd(extra);
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    return hmtest::CliKb::parse_json(run.out);
  }
  RunResult run(std::vector<std::string> args) const {
    args.push_back("--index");
    args.push_back(index().string());
    return helpmark_cli(args);
  }

 private:
  hmtest::TempDir dir_;
};

}  // namespace

TEST_SUITE("cli/model") {
  TEST_CASE("cli/index-json: the report has the ranking, the models, notices and the phase times") {
    ModelCliKb kb;
    const json j = kb.index_json();
    CHECK(j["added"] == 13);
    REQUIRE(j["ranking"].is_string());
    CHECK(j["ranking"].get<std::string>().starts_with("held-out questions: 65 in 5 folds"));
    REQUIRE(j["models"].is_array());
    REQUIRE(j["models"].size() == 1);
    const json& en = j["models"][0];
    CHECK(en["locale"] == "en");
    CHECK(en["present"] == true);
    CHECK(en["trained"] == true);
    CHECK(en["articles"] == 13);
    CHECK(en["examples"].get<int>() >= 78);
    CHECK(en["features"].get<int>() > 0);
    CHECK(en["weights"].get<int>() > 0);
    CHECK(en["bytes"].get<int>() > 0);
    CHECK(en["seconds"].get<double>() >= 0.0);
    CHECK_FALSE(en.contains("note"));
    REQUIRE(j["notices"].is_array());
    REQUIRE(j["phase_seconds"].is_object());
    for (const char* phase : {"reading", "examples", "tuning", "writing", "training (after writing)"}) {
      INFO("phase " << phase);
      REQUIRE(j["phase_seconds"].contains(phase));
      CHECK(j["phase_seconds"][phase].get<double>() >= 0.0);
    }
    CHECK(j["diagnostics"].empty());

    // Again: nothing changed, the model is kept and the settings are not chosen again.
    const json again = kb.index_json();
    CHECK(again["unchanged"] == 13);
    CHECK(again["ranking"] == j["ranking"]);
    CHECK(again["models"][0]["present"] == true);
    CHECK(again["models"][0]["trained"] == false);
    CHECK(again["models"][0]["bytes"] == en["bytes"]);
    CHECK_FALSE(again["phase_seconds"].contains("tuning"));
  }

  TEST_CASE("cli/index-retrain: text output says what was trained, --retrain trains again") {
    ModelCliKb kb;
    RunResult first = kb.index_cmd();
    HM_RUN_INFO(first);
    REQUIRE(first.exit_code == 0);
    CHECK(contains(first.out, "ranking: held-out questions: 65 in 5 folds"));
    CHECK(count_lines_with(first.out, "model en: trained on ") == 1);
    CHECK(contains(first.out, "examples of 13 articles"));

    RunResult kept = kb.index_cmd();
    HM_RUN_INFO(kept);
    REQUIRE(kept.exit_code == 0);
    CHECK(count_lines_with(kept.out, "model en: trained") == 0);
    CHECK(contains(kept.out, "ranking: held-out questions: 65 in 5 folds"));

    RunResult retrained = kb.index_cmd({"--retrain"});
    HM_RUN_INFO(retrained);
    REQUIRE(retrained.exit_code == 0);
    CHECK(contains(retrained.out, "13 unchanged"));
    CHECK(count_lines_with(retrained.out, "model en: trained on ") == 1);
    const json j = kb.index_json({"--retrain"});
    CHECK(j["models"][0]["trained"] == true);
    CHECK(j["phase_seconds"].contains("tuning"));

    // -q leaves the ranking and model lines out.
    RunResult quiet = kb.index_cmd({"--retrain", "-q"});
    HM_RUN_INFO(quiet);
    CHECK(quiet.exit_code == 0);
    CHECK_FALSE(contains(quiet.out, "model en"));
    CHECK_FALSE(contains(quiet.out, "ranking:"));
  }

  TEST_CASE("cli/index-threads: a count of threads, 0 for one per core, anything else is a usage error") {
    ModelCliKb kb;
    for (const char* ok : {"1", "3", "0"}) {
      INFO("--threads " << ok);
      RunResult run = kb.index_cmd({"--threads", ok, "--retrain", "-q"});
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 0);
    }
    for (const char* bad : {"-1", "-4", "abc", "2.5", "", "1025", "99999999999999999999"}) {
      INFO("--threads '" << bad << "'");
      RunResult run = kb.index_cmd({"--threads", bad});
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 2);
      CHECK(contains(run.err + run.out, "--threads"));
      CHECK_FALSE(contains(run.err + run.out, "179769"));  // no 309-digit bound in the message
    }
    RunResult missing = helpmark_cli({"index", kb.articles().string(), "--taxonomy", kb.taxonomy().string(),
                                      "--index", kb.index().string(), "--threads"});
    HM_RUN_INFO(missing);
    CHECK(missing.exit_code == 2);
  }

  TEST_CASE("cli/index-stats: text and JSON say how the index ranks and what its models learned") {
    ModelCliKb kb;
    const json built = kb.index_json();
    RunResult text = kb.run({"show", "--index-stats"});
    HM_RUN_INFO(text);
    REQUIRE(text.exit_code == 0);
    CHECK(contains(text.out, "articles        13 (schema "));
    CHECK(contains(text.out, "default locale en"));
    CHECK(contains(text.out, "ranking         "));
    CHECK(contains(text.out, "field weights "));
    CHECK(contains(text.out, "chosen by       " + built["ranking"].get<std::string>()));
    CHECK(contains(text.out, "model en        13 articles, "));
    CHECK(contains(text.out, "answer model    index: threshold "));
    CHECK(contains(text.out, "held-out questions when indexing"));

    RunResult as_json = kb.run({"show", "--index-stats", "--json"});
    HM_RUN_INFO(as_json);
    REQUIRE(as_json.exit_code == 0);
    const json j = hmtest::CliKb::parse_json(as_json.out);
    CHECK(j["articles"] == 13);
    CHECK(j["default_locale"] == "en");
    CHECK(j["ranking"]["chosen_by"] == built["ranking"]);
    CHECK(j["ranking"]["model_weight"].is_number());
    CHECK(j["ranking"]["weighting"].is_string());
    CHECK(j["ranking"]["fields"].is_string());
    REQUIRE(j["ranking"].contains("tuning"));
    CHECK(j["ranking"]["tuning"]["held_out"] == 65);
    CHECK(j["ranking"]["tuning"]["chosen"]["model_weight"] == j["ranking"]["model_weight"]);
    REQUIRE(j["models"].size() == 1);
    CHECK(j["models"][0]["locale"] == "en");
    CHECK(j["models"][0]["articles"] == 13);
    CHECK(j["models"][0]["bytes"] == built["models"][0]["bytes"]);
    CHECK(j["models"][0]["weights"] == built["models"][0]["weights"]);
    CHECK_FALSE(j["models"][0].contains("error"));
    CHECK(j["answer_model"]["source"] == "index");
    CHECK(j["answer_model"]["features"].size() + 1 == j["answer_model"]["weights"].size());

    // Without an index: exit 1 and a message.
    RunResult none = helpmark_cli({"show", "--index-stats", "--index", (kb.root() / "nope").string()});
    HM_RUN_INFO(none);
    CHECK(none.exit_code == 1);
    CHECK_FALSE(none.err.empty());
  }

  TEST_CASE("cli/index-stats: a damaged model is reported, search and answer go on with Xapian alone") {
    ModelCliKb kb;
    kb.index_json();
    hmtest::set_model_weight(kb.index(), 0.5);
    hmtest::set_index_metadata(kb.index(), hmtest::model_key("en"), "not a model");

    RunResult text = kb.run({"show", "--index-stats"});
    HM_RUN_INFO(text);
    REQUIRE(text.exit_code == 0);
    CHECK(contains(text.out, "model en        the index's lexical model is damaged"));
    CHECK(contains(text.out, "--retrain"));
    RunResult as_json = kb.run({"show", "--index-stats", "--json"});
    HM_RUN_INFO(as_json);
    REQUIRE(as_json.exit_code == 0);
    const json j = hmtest::CliKb::parse_json(as_json.out);
    REQUIRE(j["models"].size() == 1);
    CHECK(contains(j["models"][0]["error"].get<std::string>(), "damaged"));

    RunResult search = kb.run({"search", "refund card", "--json"});
    HM_RUN_INFO(search);
    REQUIRE(search.exit_code == 0);
    const json s = hmtest::CliKb::parse_json(search.out);
    REQUIRE_FALSE(s["hits"].empty());
    CHECK(s["ranking"]["model_weight"] == 0.0);
    for (const auto& h : s["hits"]) CHECK(h["model_score"].is_null());
    RunResult answer = kb.run({"answer", "when will i get my money back", "--json"});
    HM_RUN_INFO(answer);
    REQUIRE(answer.exit_code == 0);
    CHECK(hmtest::CliKb::parse_json(answer.out)["id"] == "refund-timing");

    // The next index run notices and trains it again.
    const json again = kb.index_json();
    CHECK(again["models"][0]["trained"] == true);
    RunResult fixed = kb.run({"show", "--index-stats", "--json"});
    REQUIRE(fixed.exit_code == 0);
    CHECK_FALSE(hmtest::CliKb::parse_json(fixed.out)["models"][0].contains("error"));
  }

  TEST_CASE("cli/search-explain: each hit's model, Xapian and fused scores") {
    ModelCliKb kb;
    kb.index_json();
    hmtest::set_model_weight(kb.index(), 0.5);
    RunResult explained = kb.run({"search", "refund card", "--explain"});
    HM_RUN_INFO(explained);
    REQUIRE(explained.exit_code == 0);
    CHECK(contains(explained.out, "Ranking: "));
    CHECK(contains(explained.out, "model weight 0.5 (held-out questions: 65 in 5 folds"));
    CHECK(count_lines_with(explained.out, "    fused ") >= 2);
    CHECK(count_lines_with(explained.out, " = 0.5 × model ") >= 2);
    CHECK(contains(explained.out, " + 0.5 × xapian "));
    // Without --explain: no scores' breakdown.
    RunResult plain = kb.run({"search", "refund card"});
    REQUIRE(plain.exit_code == 0);
    CHECK_FALSE(contains(plain.out, "fused "));
    CHECK_FALSE(contains(plain.out, "Ranking: "));

    // --json carries the same numbers.
    RunResult as_json = kb.run({"search", "refund card", "--json"});
    REQUIRE(as_json.exit_code == 0);
    const json j = hmtest::CliKb::parse_json(as_json.out);
    CHECK(j["ranking"]["model_weight"] == 0.5);
    CHECK(j["ranking"]["weighting"].is_string());
    CHECK(j["ranking"]["chosen_by"].get<std::string>().starts_with("held-out questions"));
    REQUIRE(j["hits"].size() >= 2);
    double top = 0;
    for (const auto& h : j["hits"]) top = std::max(top, h["xapian_score"].get<double>());
    for (const auto& h : j["hits"]) {
      REQUIRE(h["model_score"].is_number());
      CHECK(h["score"].get<double>() ==
            doctest::Approx(0.5 * h["model_score"].get<double>() + 0.5 * h["xapian_score"].get<double>() / top));
    }

    // A paraphrase only the model understands: the explanation shows a zero Xapian weight.
    RunResult paraphrase = kb.run({"search", "delivering", "--explain"});
    HM_RUN_INFO(paraphrase);
    REQUIRE(paraphrase.exit_code == 0);
    CHECK(contains(paraphrase.out, "delivery-times"));
    CHECK(contains(paraphrase.out, "× xapian 0.000 / best"));

    // The answer's JSON has the three scores too.
    RunResult answer = kb.run({"answer", "when will i get my money back", "--json"});
    HM_RUN_INFO(answer);
    REQUIRE(answer.exit_code == 0);
    const json a = hmtest::CliKb::parse_json(answer.out);
    CHECK(a["id"] == "refund-timing");
    CHECK(a["model_score"].is_number());
    CHECK(a["xapian_score"].get<double>() > 0.0);
    CHECK(a["score"].is_number());
    for (const auto& alt : a["alternatives"]) CHECK(alt.contains("model_score"));
  }

  TEST_CASE("cli/eval-no-model: eval reports the ranking and models, and --no-model switches the layer off") {
    ModelCliKb kb;
    // Queries: paraphrases of three articles' questions, and one out of scope.
    hmtest::write_file(kb.root() / "queries.jsonl",
                       "{\"qid\": \"q1\", \"query\": \"when do i get my money back\", \"gold\": \"refund-timing\"}\n"
                       "{\"qid\": \"q2\", \"query\": \"print my return label\", \"gold\": \"print-label\"}\n"
                       "{\"qid\": \"q3\", \"query\": \"how often are sellers paid\", \"gold\": \"seller-payouts\"}\n"
                       "{\"qid\": \"q4\", \"query\": \"what is the capital of peru\", \"gold\": null}\n");
    auto eval = [&](std::vector<std::string> extra) {
      std::vector<std::string> args{"eval", kb.articles().string(), (kb.root() / "queries.jsonl").string(),
                                    "--taxonomy", kb.taxonomy().string(), "--json"};
      args.insert(args.end(), extra.begin(), extra.end());
      RunResult run = helpmark_cli(args);
      HM_RUN_INFO(run);
      REQUIRE(run.exit_code == 0);
      return hmtest::CliKb::parse_json(run.out);
    };
    const json on = eval({});
    CHECK(on["articles"] == 13);
    CHECK(on["queries"] == 4);
    CHECK(on["layers"].get<std::string>().starts_with("model synonyms spelling stemming fallback; ranking "));
    REQUIRE(on["ranking"].is_object());
    CHECK(on["ranking"]["chosen_by"].get<std::string>().starts_with("held-out questions: 65"));
    CHECK(on["ranking"].contains("tuning"));
    REQUIRE(on["models"].is_array());
    REQUIRE(on["models"].size() == 1);
    CHECK(on["models"][0]["locale"] == "en");
    CHECK(on["models"][0]["articles"] == 13);

    const json off = eval({"--no-model"});
    const std::string layers = off["layers"].get<std::string>();
    CHECK(layers.starts_with("synonyms spelling stemming fallback; ranking "));
    CHECK(layers.ends_with(", model weight 0"));
    // The index is the same: its ranking and models are reported either way.
    CHECK(off["ranking"]["chosen_by"] == on["ranking"]["chosen_by"]);
    CHECK(off["models"] == on["models"]);
    CHECK(off["recall@1"].get<double>() >= 0.0);
    CHECK(off["recall@1"].get<double>() <= 1.0);

    RunResult text = helpmark_cli({"eval", kb.articles().string(), (kb.root() / "queries.jsonl").string(),
                                   "--taxonomy", kb.taxonomy().string(), "--no-model"});
    HM_RUN_INFO(text);
    REQUIRE(text.exit_code == 0);
    CHECK(contains(text.out, "layers: synonyms spelling stemming fallback; ranking "));
  }

  TEST_CASE("cli/dictionary: the missing dictionary is noted once per locale, real words are not corrected") {
    auto articles = hmtest::tuned_articles();
    articles.push_back({"en/payments/refund-status.md", "refund-status", "Check whether your refund was sent",
                        "payments", "refund-timing", "en", "See whether the refund was sent.",
                        {"has my refund been sent", "refund sent status"},
                        "Open the order to check whether the refund was sent."});
    ModelCliKb kb(articles);
    hmtest::write_dictionary(kb.root() / "dicts", "en_US", {"weather", "Paris"});
    const std::vector<std::pair<std::string, std::string>> env = {
        {"HELPMARK_DICTIONARY_PATH", (kb.root() / "dicts").string()}};
    RunResult run = kb.index_cmd({}, env);
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    CHECK(count_lines_with(run.out, "note: no Hunspell dictionary for es ") == 1);
    CHECK(count_lines_with(run.out, "note: no Hunspell dictionary for pt ") == 1);
    CHECK(count_lines_with(run.out, "note: no Hunspell dictionary for pt-BR ") == 1);
    CHECK(count_lines_with(run.out, "note: no Hunspell dictionary for en ") == 0);
    CHECK(count_lines_with(run.out, "note: ") == 3);
    RunResult as_json = kb.index_cmd({"--json"}, env);
    REQUIRE(as_json.exit_code == 0);
    CHECK(hmtest::CliKb::parse_json(as_json.out)["notices"].size() == 3);
    RunResult quiet = kb.index_cmd({"-q"}, env);
    CHECK_FALSE(contains(quiet.out, "note:"));

    // "weather" is not a typo of anything in the articles when English has a dictionary.
    auto search = [&](const std::string& dicts) {
      RunResult r = helpmark_cli({"search", "weather", "--index", kb.index().string(), "--json"},
                                 {{"HELPMARK_DICTIONARY_PATH", dicts}});
      HM_RUN_INFO(r);
      REQUIRE(r.exit_code == 0);
      return hmtest::CliKb::parse_json(r.out);
    };
    const json without_dictionary = search("");  // set but empty: no dictionaries
    CHECK(without_dictionary["corrected_query"] == "whether");
    const json with_dictionary = search((kb.root() / "dicts").string());
    CHECK(with_dictionary["corrections"].empty());
    CHECK(with_dictionary["corrected_query"].is_null());
    RunResult typo = helpmark_cli({"search", "refnud", "--index", kb.index().string(), "--json"},
                                  {{"HELPMARK_DICTIONARY_PATH", (kb.root() / "dicts").string()}});
    REQUIRE(typo.exit_code == 0);
    const json t = hmtest::CliKb::parse_json(typo.out);
    CHECK(t["corrected_query"] == "refund");
    REQUIRE_FALSE(t["hits"].empty());
    CHECK(hmtest::hit_id_set(t).count("refund-timing") == 1);
  }
}
