// `helpmark learn suggest|apply|log|forget`, `helpmark index --learned` and `helpmark calibrate
// --from-store` end to end (issue 18): the real binary on a knowledge base, an index and an event
// store written as real files. Traffic is imported with `helpmark track import` from JSONL this
// file writes, dated in the past (every deflection window over).
#include <doctest/doctest.h>

#include "cli/cli_util.hpp"
#include "helpmark/answer.hpp"
#include "helpmark/index.hpp"
#include "helpmark/tracking.hpp"
#include "unit/model_util.hpp"

using hmtest::contains;
using hmtest::helpmark_cli;
using hmtest::RunResult;
using nlohmann::json;
namespace fs = std::filesystem;
namespace tracking = helpmark::tracking;

namespace {

// The caller's environment must not choose the store or the index for a test.
const std::vector<std::pair<std::string, std::string>> kCleanEnv = {
    {"HELPMARK_STORE", ""}, {"HELPMARK_PRIVACY", ""}, {"HELPMARK_INDEX", ""}};

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

RunResult cli(const std::vector<std::string>& args) { return helpmark_cli(args, kCleanEnv); }

json ok_json(const RunResult& run) {
  HM_RUN_INFO(run);
  REQUIRE(run.exit_code == 0);
  return hmtest::CliKb::parse_json(run.out);
}

/// JSONL events, dated from 30 days ago.
class Jsonl {
 public:
  Jsonl() : start_(tracking::now_ms() - 30 * kDay) {}

  /// `sessions` sessions each searching `query` and clicking `article` at `position`.
  void visits(int sessions, const std::string& prefix, const std::string& query, const std::string& article,
              int position = 1) {
    for (int i = 0; i < sessions; ++i) {
      const std::string session = prefix + std::to_string(i);
      const std::int64_t at = next();
      tracking::Event search;
      search.type = tracking::EventType::kSearch;
      search.id = session + "-q";
      search.session = session;
      search.ts = tracking::format_timestamp(at);
      search.locale = "en";
      search.query = query;
      for (int p = 1; p < position; ++p) search.results.push_back("other-" + std::to_string(p));
      search.results.push_back(article);
      add(search);
      tracking::Event click;
      click.type = tracking::EventType::kClick;
      click.session = session;
      click.ts = tracking::format_timestamp(at + kMinute);
      click.search_id = search.id;
      click.article = article;
      click.position = position;
      add(click);
    }
  }
  void bot_answer(const std::string& session, const std::string& question, const std::string& article, bool accepted) {
    tracking::Event e;
    e.type = tracking::EventType::kBotAnswer;
    e.session = session;
    e.ts = tracking::format_timestamp(next());
    e.locale = "en";
    e.question = question;
    e.article = article;
    e.confidence = 0.5;
    e.accepted = accepted;
    e.escalated = false;
    add(e);
  }
  void add(const tracking::Event& e) { text_ += tracking::event_to_json(e) + "\n"; }

  /// Writes the events to `dir`/events.jsonl and imports them into `store`.
  void import_into(const fs::path& store, const fs::path& dir) const {
    const fs::path file = dir / "events.jsonl";
    hmtest::write_file(file, text_);
    auto run = cli({"track", "import", file.string(), "--store", store.string(), "-q"});
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
  }

 private:
  std::int64_t next() { return start_ + (++count_) * kHour; }
  std::int64_t start_;
  int count_ = 0;
  std::string text_;
};

/// The knowledge base of hmtest::tuned_articles() as files, indexed by the CLI, and a store.
class LearnKb {
 public:
  LearnKb() {
    hmtest::write_kb_dir(dir_.path(), hmtest::tuned_articles());
    index_cli();
  }
  fs::path root() const { return dir_.path(); }
  fs::path index() const { return dir_ / "index"; }
  fs::path store() const { return dir_ / "events.sqlite"; }

  /// `helpmark index` of the articles; must succeed.
  void index_cli(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"index", (dir_ / "articles").string(), "--taxonomy", (dir_ / "taxonomy").string(),
                                  "--index", index().string(), "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto run = cli(args);
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
  }
  std::string model() const { return hmtest::index_metadata(index(), hmtest::model_key("en")); }

  /// The traffic most tests use: two queries with enough sessions, one with too few.
  void standard_traffic() const {
    Jsonl events;
    events.visits(6, "label", "parcel sticker please", "print-label", 2);
    events.visits(5, "money", "money back please", "refund-timing");
    events.visits(3, "few", "wallet on my watch", "digital-wallets");
    events.import_into(store(), dir_.path());
  }

  RunResult learn(const std::string& sub, std::vector<std::string> args = {}) const {
    args.insert(args.begin(), {"learn", sub});
    return cli(args);
  }
  /// `learn SUB --store S --index I ARGS...`
  RunResult learn_with_store(const std::string& sub, std::vector<std::string> args = {}) const {
    args.insert(args.begin(), {"--store", store().string(), "--index", index().string()});
    return learn(sub, args);
  }

 private:
  hmtest::TempDir dir_;
};

std::vector<std::string> log_actions(const json& log) {
  std::vector<std::string> out;
  for (const auto& e : log) out.push_back(e.at("action").get<std::string>());
  return out;
}

const json* question_for(const json& questions, const std::string& article) {
  for (const auto& q : questions)
    if (q.at("article") == article) return &q;
  return nullptr;
}

}  // namespace

TEST_SUITE("cli/learn") {
  TEST_CASE("cli/learn: suggest prints Markdown for writers and JSON for apply --from") {
    LearnKb kb;
    kb.standard_traffic();

    auto markdown = kb.learn_with_store("suggest");
    HM_RUN_INFO(markdown);
    REQUIRE(markdown.exit_code == 0);
    CHECK(contains(markdown.out, "en/returns/print-label.md"));
    CHECK(contains(markdown.out, "en/payments/refund-timing.md"));
    CHECK(contains(markdown.out, "parcel sticker please"));
    CHECK(contains(markdown.out, "money back please"));
    CHECK_FALSE(contains(markdown.out, "wallet on my watch"));  // three sessions are too few
    CHECK(contains(markdown.err, "28 events of 14 sessions"));

    json j = ok_json(kb.learn_with_store("suggest", {"--json"}));
    REQUIRE(j["questions"].size() == 2);
    const json* label = question_for(j["questions"], "print-label");
    REQUIRE(label != nullptr);
    CHECK((*label)["question"] == "parcel sticker please");
    CHECK((*label)["sessions"] == 6);
    CHECK((*label)["locale"] == "en");
    CHECK((*label)["path"] == "en/returns/print-label.md");
    CHECK(j["stats"]["sessions"] == 14);
    CHECK(j["stats"]["too_few_sessions"] == 1);
    CHECK(j["synonyms"].is_array());

    json same = ok_json(kb.learn_with_store("suggest", {"--format", "json"}));
    CHECK(same["questions"] == j["questions"]);

    // The flags reach the mining: six sessions are not enough when seven are needed.
    json strict = ok_json(kb.learn_with_store("suggest", {"--json", "--min-sessions", "7"}));
    CHECK(strict["questions"].empty());
    CHECK(strict["stats"]["too_few_sessions"] == 3);

    // Suggesting writes nothing beside the index.
    CHECK_FALSE(fs::exists(kb.index() / "learned.json"));
  }

  TEST_CASE("cli/learn: apply, index, log, forget --all, index: the model learns, then is as before") {
    LearnKb kb;
    kb.standard_traffic();
    const std::string before = kb.model();
    REQUIRE_FALSE(before.empty());

    const json proposals = ok_json(kb.learn_with_store("suggest", {"--json"}));
    json dry = ok_json(kb.learn_with_store("apply", {"--dry-run", "--json"}));
    CHECK(dry["questions"].size() == 2);
    CHECK_FALSE(fs::exists(kb.index() / "learned.json"));

    json applied = ok_json(kb.learn_with_store("apply", {"--json"}));
    CHECK(applied["added"] == 2);
    CHECK(applied["total"] == 2);
    CHECK(applied["revision"] == 1);
    REQUIRE(fs::exists(kb.index() / "learned.json"));
    const std::string overlay = hmtest::read_file(kb.index() / "learned.json");

    json again = ok_json(kb.learn_with_store("apply", {"--json"}));
    CHECK(again["added"] == 0);
    CHECK(again["unchanged"] == 2);
    CHECK(again["revision"] == 1);
    CHECK(hmtest::read_file(kb.index() / "learned.json") == overlay);

    kb.index_cli();
    const std::string learned = kb.model();
    CHECK(learned != before);

    json log = ok_json(kb.learn("log", {"--index", kb.index().string(), "--json"}));
    REQUIRE(log.size() == 2);
    CHECK(log_actions(log) == std::vector<std::string>{"added", "added"});
    for (const auto& e : log) {
      INFO(e.dump());
      CHECK(e["revision"] == 1);
      const json* proposed = question_for(proposals["questions"], e["article"].get<std::string>());
      REQUIRE(proposed != nullptr);
      CHECK(e["question"] == (*proposed)["question"]);
      CHECK(e["sessions"] == (*proposed)["sessions"]);
      // The rank when it was learned is the one the proposal measured (0: not in the top 10).
      CHECK(e["rank_before"] == proposed->value("rank", 0));
    }
    auto text_log = kb.learn("log", {"--index", kb.index().string()});
    HM_RUN_INFO(text_log);
    CHECK(text_log.exit_code == 0);
    CHECK(hmtest::count_lines_with(text_log.out, "added") == 2);
    CHECK(contains(text_log.out, "parcel sticker please"));

    json one = ok_json(kb.learn("forget", {"--index", kb.index().string(), "--article", "print-label", "--json"}));
    CHECK(one["removed"] == 1);
    auto all = kb.learn("forget", {"--index", kb.index().string(), "--all"});
    HM_RUN_INFO(all);
    REQUIRE(all.exit_code == 0);
    CHECK(contains(all.out, "removed 1"));
    CHECK_FALSE(fs::exists(kb.index() / "learned.json"));

    json after = ok_json(kb.learn("log", {"--index", kb.index().string(), "--json"}));
    CHECK(log_actions(after) == std::vector<std::string>{"added", "added", "removed", "cleared"});

    kb.index_cli();
    CHECK(kb.model() == before);
  }

  TEST_CASE("cli/learn: index --learned trains on an overlay kept elsewhere, a missing one is an error") {
    LearnKb kb;
    kb.standard_traffic();
    const std::string before = kb.model();
    REQUIRE(ok_json(kb.learn_with_store("apply", {"--json"}))["added"] == 2);
    kb.index_cli();
    const std::string learned = kb.model();
    REQUIRE(learned != before);
    fs::copy_file(kb.index() / "learned.json", kb.root() / "kept.json");
    REQUIRE(kb.learn("forget", {"--index", kb.index().string(), "--all"}).exit_code == 0);
    kb.index_cli();
    REQUIRE(kb.model() == before);

    kb.index_cli({"--learned", (kb.root() / "kept.json").string()});
    CHECK(kb.model() == learned);

    auto missing = cli({"index", (kb.root() / "articles").string(), "--taxonomy", (kb.root() / "taxonomy").string(),
                        "--index", kb.index().string(), "-q", "--learned", (kb.root() / "nope.json").string()});
    HM_RUN_INFO(missing);
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.err, "nope.json"));
    CHECK(kb.model() == learned);  // the index is left as it was
  }

  TEST_CASE("cli/learn: apply --from a reviewed file, articles not in the index are skipped, bad files name the problem") {
    LearnKb kb;
    kb.standard_traffic();
    json proposals = ok_json(kb.learn_with_store("suggest", {"--json"}));
    REQUIRE(proposals["questions"].size() == 2);
    // The writer kept one proposal and added one for an article that no longer exists.
    json reviewed = proposals;
    reviewed["questions"] = json::array();
    reviewed["questions"].push_back(*question_for(proposals["questions"], "print-label"));
    json gone = *question_for(proposals["questions"], "refund-timing");
    gone["article"] = "deleted-article";
    reviewed["questions"].push_back(gone);
    const fs::path file = kb.root() / "reviewed.json";
    hmtest::write_file(file, reviewed.dump(2));

    auto run = kb.learn("apply", {"--index", kb.index().string(), "--from", file.string(), "--json"});
    json applied = ok_json(run);
    CHECK(applied["added"] == 1);
    CHECK(applied["total"] == 1);
    CHECK(contains(run.err, "deleted-article"));
    json log = ok_json(kb.learn("log", {"--index", kb.index().string(), "--json"}));
    REQUIRE(log.size() == 1);
    CHECK(log[0]["article"] == "print-label");
    CHECK(log[0]["question"] == "parcel sticker please");

    const fs::path broken = kb.root() / "broken.json";
    hmtest::write_file(broken, "{\"questions\": [ {\"article\": ");
    auto malformed = kb.learn("apply", {"--index", kb.index().string(), "--from", broken.string()});
    HM_RUN_INFO(malformed);
    CHECK(malformed.exit_code == 1);
    CHECK(contains(malformed.err, "broken.json"));
    CHECK(contains(malformed.err, "not valid JSON"));

    json no_question = reviewed;
    no_question["questions"][0].erase("question");
    const fs::path incomplete = kb.root() / "incomplete.json";
    hmtest::write_file(incomplete, no_question.dump());
    auto missing_field = kb.learn("apply", {"--index", kb.index().string(), "--from", incomplete.string()});
    HM_RUN_INFO(missing_field);
    CHECK(missing_field.exit_code == 1);
    CHECK(contains(missing_field.err, "incomplete.json"));
    CHECK(contains(missing_field.err, "questions[0]"));
    CHECK(contains(missing_field.err, "\"question\""));

    auto no_file = kb.learn("apply", {"--index", kb.index().string(), "--from", (kb.root() / "none.json").string()});
    CHECK(no_file.exit_code == 1);
    CHECK(contains(no_file.err, "none.json"));
    // None of the failures touched the overlay.
    CHECK(ok_json(kb.learn("log", {"--index", kb.index().string(), "--json"})).size() == 1);
  }

  TEST_CASE("cli/learn: a missing store or index is an error that says so, bad flags are usage errors") {
    LearnKb kb;
    kb.standard_traffic();
    const std::string index = kb.index().string();
    const std::string nowhere = (kb.root() / "none.sqlite").string();

    auto no_store = kb.learn("suggest", {"--store", nowhere, "--index", index});
    HM_RUN_INFO(no_store);
    CHECK(no_store.exit_code == 1);
    CHECK(contains(no_store.err, "none.sqlite"));
    CHECK(contains(no_store.err, "no event store"));
    CHECK_FALSE(fs::exists(nowhere));  // never created by reading
    auto no_store_json = kb.learn("suggest", {"--store", nowhere, "--index", index, "--json"});
    CHECK(no_store_json.exit_code == 1);
    CHECK(hmtest::CliKb::parse_json(no_store_json.out)["error"]["code"] == "not found");
    auto apply_no_store = kb.learn("apply", {"--store", nowhere, "--index", index});
    CHECK(apply_no_store.exit_code == 1);
    CHECK_FALSE(fs::exists(kb.index() / "learned.json"));

    const std::string no_index = (kb.root() / "no-index").string();
    auto suggest_no_index = kb.learn("suggest", {"--store", kb.store().string(), "--index", no_index});
    HM_RUN_INFO(suggest_no_index);
    CHECK(suggest_no_index.exit_code == 1);
    CHECK(contains(suggest_no_index.err, "no-index"));
    auto apply_no_index = kb.learn("apply", {"--store", kb.store().string(), "--index", no_index});
    CHECK(apply_no_index.exit_code == 1);
    CHECK_FALSE(fs::exists(no_index));
    auto forget_no_index = kb.learn("forget", {"--index", no_index, "--all"});
    CHECK(forget_no_index.exit_code == 1);

    auto forget_nothing = kb.learn("forget", {"--index", index});
    HM_RUN_INFO(forget_nothing);
    CHECK(forget_nothing.exit_code == 2);
    CHECK(contains(forget_nothing.err, "--article"));
    CHECK(contains(forget_nothing.err, "--all"));
    CHECK(kb.learn("forget", {"--index", index, "--all", "--article", "print-label"}).exit_code == 2);

    CHECK(cli({"learn"}).exit_code == 2);
    CHECK(cli({"learn", "teach"}).exit_code == 2);
    CHECK(kb.learn_with_store("suggest", {"--format", "yaml"}).exit_code == 2);
    CHECK(kb.learn_with_store("suggest", {"--window", "0h"}).exit_code == 2);
    CHECK(kb.learn_with_store("suggest", {"--window", "a day"}).exit_code == 2);
    CHECK(kb.learn_with_store("suggest", {"--since", "last week"}).exit_code == 2);
    CHECK(kb.learn_with_store("suggest", {"--min-share", "1.5"}).exit_code == 2);
    CHECK(kb.learn_with_store("suggest", {"--max-contradiction", "-0.1"}).exit_code == 2);
    CHECK(kb.learn_with_store("suggest", {"--min-sessions", "0"}).exit_code == 2);
    CHECK(kb.learn_with_store("apply", {"--max-per-article", "0"}).exit_code == 2);
    CHECK_FALSE(fs::exists(kb.index() / "learned.json"));
  }

  TEST_CASE("cli/learn: a privacy pattern keeps matching queries from being learned") {
    LearnKb kb;
    Jsonl events;
    events.visits(6, "ord", "where is ORD-20391", "refund-timing");
    events.import_into(kb.store(), kb.root());
    json plain = ok_json(kb.learn_with_store("suggest", {"--json"}));
    CHECK(plain["questions"].size() == 1);
    hmtest::write_file(kb.root() / "privacy.yaml", "patterns:\n  - name: order\n    regex: 'ORD-\\d{4,}'\n");
    json scrubbed = ok_json(kb.learn_with_store("suggest", {"--json", "--privacy", (kb.root() / "privacy.yaml").string()}));
    CHECK(scrubbed["questions"].empty());
    CHECK(scrubbed["stats"]["personal_data"] == 1);
    // privacy.yaml beside the store applies without the flag, as it does when recording.
    json beside = ok_json(kb.learn_with_store("suggest", {"--json"}));
    CHECK(beside["questions"].empty());
    CHECK(kb.learn_with_store("apply", {}).exit_code == 0);
    CHECK_FALSE(fs::exists(kb.index() / "learned.json"));
  }

  TEST_CASE("cli/learn: help teaches with examples") {
    auto help = cli({"learn", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "learn apply --from proposals.json"));
    CHECK(contains(help.out, "learn forget --all"));
    auto calibrate = cli({"calibrate", "--help"});
    CHECK(calibrate.exit_code == 0);
    CHECK(contains(calibrate.out, "--from-store"));
    CHECK(contains(calibrate.out, "--min-outcomes"));
  }
}

TEST_SUITE("cli/calibrate") {
  TEST_CASE("cli/calibrate: --from-store fits on the outcomes of bot answers, too few or one-sided is refused") {
    LearnKb kb;
    // What the index answers today for each of the knowledge base's questions.
    std::vector<std::pair<std::string, std::string>> answered;  // question -> article
    {
      auto index = helpmark::Index::open(kb.index());
      REQUIRE(index.ok());
      helpmark::AnswerOptions options;
      for (const auto& a : hmtest::tuned_articles())
        for (const auto& q : a.questions) {
          auto answer = index->answer(q, "en", options);
          REQUIRE_MESSAGE(answer.ok(), answer.status().message());
          if (answer->found) answered.emplace_back(q, answer->id);
        }
    }
    REQUIRE(answered.size() >= 40);
    // Half accepted (right answers), half turned down (should have been handed over).
    Jsonl events;
    Jsonl accepted_only;
    for (std::size_t i = 0; i < 40; ++i) {
      const bool accepted = i % 2 == 0;
      events.bot_answer("b" + std::to_string(i), answered[i].first, answered[i].second, accepted);
      if (accepted) accepted_only.bot_answer("b" + std::to_string(i), answered[i].first, answered[i].second, true);
    }
    events.import_into(kb.store(), kb.root());
    const std::string answer_model_before = hmtest::index_metadata(kb.index(), helpmark::schema::kMetaAnswerModel);

    auto calibrate = [&](const fs::path& store, std::vector<std::string> args) {
      args.insert(args.begin(), {"calibrate", "--from-store", store.string(), "--index", kb.index().string()});
      return cli(args);
    };

    auto dry = calibrate(kb.store(), {"--min-outcomes", "20", "--dry-run", "--json"});
    json j = ok_json(dry);
    CHECK(j["queries"] == 40);
    CHECK(j["written"] == false);
    CHECK(hmtest::index_metadata(kb.index(), helpmark::schema::kMetaAnswerModel) == answer_model_before);

    auto text = calibrate(kb.store(), {"--min-outcomes", "20"});
    HM_RUN_INFO(text);
    REQUIRE(text.exit_code == 0);
    CHECK(contains(text.err, "40 bot answers: 20 good, 20 bad, 0 without an outcome"));
    CHECK(contains(text.out, "written to the index"));
    CHECK(hmtest::index_metadata(kb.index(), helpmark::schema::kMetaAnswerModel) != answer_model_before);
    {
      auto index = helpmark::Index::open(kb.index());
      REQUIRE(index.ok());
      auto stats = index->stats();
      REQUIRE(stats.ok());
      CHECK(stats->answer_model.source == "calibrate");
      CHECK(contains(stats->answer_model.fitted_on, "40 answer outcomes"));
    }

    auto too_few = calibrate(kb.store(), {"--dry-run"});  // 50 needed by default
    HM_RUN_INFO(too_few);
    CHECK(too_few.exit_code == 1);
    CHECK(contains(too_few.err, "only 40 bot answers with a usable outcome (need 50)"));

    const fs::path one_sided = kb.root() / "accepted.sqlite";
    {
      hmtest::TempDir tmp;
      accepted_only.import_into(one_sided, tmp.path());
    }
    auto all_right = calibrate(one_sided, {"--min-outcomes", "10", "--dry-run"});
    HM_RUN_INFO(all_right);
    CHECK(all_right.exit_code == 1);
    CHECK(contains(all_right.err, "calibrating needs both"));

    auto no_store = calibrate(kb.root() / "none.sqlite", {"--dry-run"});
    CHECK(no_store.exit_code == 1);
    CHECK(contains(no_store.err, "none.sqlite"));
    CHECK_FALSE(fs::exists(kb.root() / "none.sqlite"));

    auto neither = cli({"calibrate", "--index", kb.index().string()});
    HM_RUN_INFO(neither);
    CHECK(neither.exit_code == 2);
    hmtest::write_file(kb.root() / "labelled.jsonl", "{\"qid\": \"1\", \"query\": \"refund\", \"gold\": \"refund-timing\"}\n");
    CHECK(cli({"calibrate", (kb.root() / "labelled.jsonl").string(), "--from-store", kb.store().string(), "--index",
               kb.index().string()})
              .exit_code == 2);
    CHECK(calibrate(kb.store(), {"--min-outcomes", "0"}).exit_code == 2);
    CHECK(calibrate(kb.store(), {"--window", "soon"}).exit_code == 2);
  }
}
