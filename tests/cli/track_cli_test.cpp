// `helpmark track ...` and `helpmark report` end to end: the real binary on real files.
#include <doctest/doctest.h>

#include "cli/cli_util.hpp"
#include "helpmark/tracking.hpp"

using hmtest::contains;
using hmtest::helpmark_cli;
using hmtest::RunResult;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kTracking = hmtest::kTestData / "tracking";
// The caller's environment must not choose the store for a test.
const std::vector<std::pair<std::string, std::string>> kCleanEnv = {{"HELPMARK_STORE", ""}, {"HELPMARK_PRIVACY", ""}};

RunResult track(std::vector<std::string> args, const fs::path& store) {
  args.insert(args.begin(), "track");
  args.push_back("--store");
  args.push_back(store.string());
  return helpmark_cli(args, kCleanEnv);
}

json ok_json(const RunResult& run) {
  HM_RUN_INFO(run);
  REQUIRE(run.exit_code == 0);
  return hmtest::CliKb::parse_json(run.out);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

void import_fixture(const fs::path& store) {
  auto run = track({"import", (kTracking / "fixture.jsonl").string(), "-q"}, store);
  HM_RUN_INFO(run);
  REQUIRE(run.exit_code == 0);
}

}  // namespace

TEST_SUITE("cli/track") {
  TEST_CASE("every event type can be recorded from flags") {
    hmtest::TempDir dir;
    const fs::path store = dir / "events.sqlite";
    const std::vector<std::vector<std::string>> commands = {
        {"search", "refund for ana@example.com", "--session", "s1", "--ts", "2026-11-01T10:00:00Z", "--locale", "en",
         "--results", "refund-timing,return-policy", "--total", "7", "--filter", "journey=payments", "--id", "q-1"},
        {"click", "--session", "s1", "--ts", "2026-11-01T10:00:05Z", "--article", "refund-timing", "--position", "1",
         "--search-id", "q-1"},
        {"view", "--session", "s1", "--ts", "2026-11-01T10:00:06Z", "--article", "refund-timing", "--source", "search"},
        {"feedback", "--session", "s1", "--ts", "2026-11-01T10:01:00Z", "--article", "refund-timing", "--helpful", "no",
         "--reason", "call me on 0151 23456789"},
        {"answer", "where is my refund", "--session", "s2", "--ts", "2026-11-01T11:00:00Z", "--article",
         "refund-timing", "--confidence", "0.4", "--escalated", "yes", "--accepted", "no"},
        {"ticket", "--session", "s2", "--ts", "2026-11-01T11:05:00Z", "--journey", "payments"},
    };
    for (const auto& args : commands) {
      auto with_json = args;
      with_json.push_back("--json");
      json j = ok_json(track(with_json, store));
      CHECK(j["status"] == "stored");
      CHECK(j["type"] == (args[0] == "answer" ? "bot_answer" : args[0]));
    }
    auto exported = track({"export"}, store);
    HM_RUN_INFO(exported);
    REQUIRE(exported.exit_code == 0);
    const auto lines = lines_of(exported.out);
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == R"({"type":"search","id":"q-1","ts":"2026-11-01T10:00:00Z","session":"s1","locale":"en","query":"refund for <email>","filters":{"journey":["payments"]},"total":7,"results":["refund-timing","return-policy"]})");
    CHECK(contains(lines[1], R"("search_id":"q-1","article":"refund-timing","position":1)"));
    CHECK(contains(lines[2], R"("source":"search")"));
    CHECK(contains(lines[3], R"("helpful":false,"reason":"call me on <phone>")"));
    CHECK(contains(lines[4], R"("type":"bot_answer")"));
    CHECK(contains(lines[4], R"("confidence":0.4,"escalated":true,"accepted":false)"));
    CHECK(contains(lines[5], R"("type":"ticket")"));

    // The same event again: acknowledged, not written twice.
    auto again = track(commands[5], store);
    HM_RUN_INFO(again);
    CHECK(again.exit_code == 0);
    CHECK(contains(again.out, "already stored"));
    CHECK(lines_of(track({"export"}, store).out).size() == 6);
  }

  TEST_CASE("a rejected event exits 2 with the reason, nothing is stored") {
    hmtest::TempDir dir;
    const fs::path store = dir / "events.sqlite";
    auto bad_ts = track({"view", "--session", "s", "--article", "a", "--ts", "2026-11-01 10:00"}, store);
    HM_RUN_INFO(bad_ts);
    CHECK(bad_ts.exit_code == 2);
    CHECK(contains(bad_ts.err, "event rejected: field 'ts' is not an ISO 8601 UTC time"));
    auto bad_helpful = track({"feedback", "--session", "s", "--article", "a", "--helpful", "maybe"}, store);
    CHECK(bad_helpful.exit_code == 2);
    CHECK(contains(bad_helpful.err, "--helpful takes yes or no"));
    auto email_session = track({"ticket", "--session", "jo@example.com", "--json"}, store);
    CHECK(email_session.exit_code == 2);
    CHECK(hmtest::CliKb::parse_json(email_session.out)["error"]["message"].get<std::string>().find(
              "looks like an email address") != std::string::npos);
    auto no_session = track({"ticket"}, store);
    CHECK(no_session.exit_code == 2);
    auto bad_filter = track({"search", "x", "--session", "s", "--filter", "payments"}, store);
    CHECK(bad_filter.exit_code == 2);
    CHECK(contains(bad_filter.err, "--filter takes NAME=VALUE"));
    auto bad_position = track({"click", "--session", "s", "--article", "a", "--position", "0"}, store);
    CHECK(bad_position.exit_code == 2);
    auto info = track({"info", "--json"}, store);
    CHECK(ok_json(info)["events"] == 0);
  }

  TEST_CASE("import reports rejected lines with their numbers and keeps the good ones") {
    hmtest::TempDir dir;
    const fs::path store = dir / "events.sqlite";
    const std::string bad = (kTracking / "bad.jsonl").string();
    auto run = track({"import", bad}, store);
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 3);
    CHECK(contains(run.out, "8 events read, 3 stored, 0 already present, 5 rejected"));
    CHECK(contains(run.err, bad + ":2: error: unknown event type 'searhc'"));
    CHECK(contains(run.err, bad + ":3: error: missing field 'position'"));
    CHECK(contains(run.err, bad + ":5: error: field 'ts' is not an ISO 8601"));
    CHECK(contains(run.err, bad + ":7: error: not valid JSON"));
    CHECK(contains(run.err, bad + ":8: error: field 'helpful' must be true or false"));
    CHECK(contains(run.err, "5 lines rejected"));

    auto again = track({"import", bad, "--json"}, store);
    CHECK(again.exit_code == 3);
    json j = hmtest::CliKb::parse_json(again.out);
    CHECK(j["stored"] == 0);
    CHECK(j["duplicates"] == 3);
    CHECK(j["rejected"] == 5);
    REQUIRE(j["files"][0]["errors"].size() == 5);
    CHECK(j["files"][0]["errors"][0]["line"] == 2);
    CHECK(ok_json(track({"info", "--json"}, store))["events"] == 3);
  }

  TEST_CASE("import: a missing file, a file with nothing usable, and several files") {
    hmtest::TempDir dir;
    const fs::path store = dir / "events.sqlite";
    auto missing = track({"import", (dir / "nope.jsonl").string()}, store);
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.err, "nope.jsonl: cannot open the file"));
    hmtest::write_file(dir / "junk.jsonl", "hello\nworld\n");
    auto junk = track({"import", (dir / "junk.jsonl").string()}, store);
    CHECK(junk.exit_code == 1);
    CHECK(contains(junk.err, "junk.jsonl:1: error: not valid JSON"));
    auto both = track({"import", (kTracking / "fixture.jsonl").string(), (kTracking / "bad.jsonl").string(), "--json"},
                      store);
    CHECK(both.exit_code == 3);
    json j = hmtest::CliKb::parse_json(both.out);
    CHECK(j["stored"] == 29);
    CHECK(j["files"].size() == 2);
  }

  TEST_CASE("export then import into another store: the same events") {
    hmtest::TempDir dir;
    import_fixture(dir / "a.sqlite");
    auto exported = track({"export", "-o", (dir / "out.jsonl").string()}, dir / "a.sqlite");
    HM_RUN_INFO(exported);
    REQUIRE(exported.exit_code == 0);
    CHECK(contains(exported.err, "exported 26 events"));
    auto imported = track({"import", (dir / "out.jsonl").string(), "--json"}, dir / "b.sqlite");
    CHECK(ok_json(imported)["stored"] == 26);
    auto again = track({"export"}, dir / "b.sqlite");
    CHECK(again.out == hmtest::read_file(dir / "out.jsonl"));
    auto since = track({"export", "--since", "2026-11-07", "--type", "bot_answer"}, dir / "a.sqlite");
    CHECK(lines_of(since.out).size() == 2);
    auto bad_since = track({"export", "--since", "last week"}, dir / "a.sqlite");
    CHECK(bad_since.exit_code == 2);
    auto no_store = track({"export"}, dir / "none.sqlite");
    CHECK(no_store.exit_code == 1);
    CHECK(contains(no_store.err, "no event store here"));
  }

  TEST_CASE("prune --older-than deletes old events only, --dry-run deletes nothing") {
    hmtest::TempDir dir;
    const fs::path store = dir / "events.sqlite";
    const auto now = helpmark::tracking::now_ms();
    const std::int64_t day = 86400000;
    for (std::int64_t age : {500, 401, 399, 10})
      REQUIRE(track({"ticket", "--session", "s" + std::to_string(age), "--ts",
                     helpmark::tracking::format_timestamp(now - age * day)},
                    store)
                  .exit_code == 0);
    json dry = ok_json(track({"prune", "--older-than", "400d", "--dry-run", "--json"}, store));
    CHECK(dry["would_delete"] == 2);
    CHECK(ok_json(track({"info", "--json"}, store))["events"] == 4);
    auto run = track({"prune", "--older-than", "400d"}, store);
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "deleted 2 events older than"));
    CHECK(ok_json(track({"info", "--json"}, store))["events"] == 2);

    CHECK(track({"prune", "--older-than", "400"}, store).exit_code == 2);
    CHECK(track({"prune"}, store).exit_code == 2);
    CHECK(track({"prune", "--older-than", "1d", "--before", "2026-01-01"}, store).exit_code == 2);
    auto missing = track({"prune", "--older-than", "400d"}, dir / "none.sqlite");
    CHECK(missing.exit_code == 1);
    CHECK_FALSE(fs::exists(dir / "none.sqlite"));
  }

  TEST_CASE("the store defaults to events.sqlite beside the index, $HELPMARK_STORE overrides") {
    hmtest::TempDir dir;
    auto run = helpmark_cli({"track", "ticket", "--session", "s"}, kCleanEnv, dir.path());
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    CHECK(fs::exists(dir / ".helpmark/events.sqlite"));
    auto beside = helpmark_cli({"track", "ticket", "--session", "s"},
                               {{"HELPMARK_STORE", ""}, {"HELPMARK_INDEX", (dir / "site/index").string()}});
    REQUIRE(beside.exit_code == 0);
    CHECK(fs::exists(dir / "site/events.sqlite"));
    auto env = helpmark_cli({"track", "ticket", "--session", "s"}, {{"HELPMARK_STORE", (dir / "x.sqlite").string()}});
    REQUIRE(env.exit_code == 0);
    CHECK(fs::exists(dir / "x.sqlite"));
  }

  TEST_CASE("privacy patterns from --privacy, or privacy.yaml beside the store") {
    hmtest::TempDir dir;
    auto flagged = track({"search", "where is ORD-12345", "--session", "s", "--privacy",
                          (kTracking / "privacy.yaml").string()},
                         dir / "a.sqlite");
    REQUIRE(flagged.exit_code == 0);
    CHECK(contains(track({"export"}, dir / "a.sqlite").out, R"("query":"where is <order>")"));
    fs::copy_file(kTracking / "privacy.yaml", dir / "privacy.yaml");
    REQUIRE(track({"search", "pedido ORD-99887 perdido", "--session", "s"}, dir / "b.sqlite").exit_code == 0);
    CHECK(contains(track({"export"}, dir / "b.sqlite").out, R"("query":"pedido <order> perdido")"));
    hmtest::write_file(dir / "broken.yaml", "patterns:\n  - name: order\n    regex: '('\n");
    auto broken = track({"ticket", "--session", "s", "--privacy", (dir / "broken.yaml").string()}, dir / "c.sqlite");
    CHECK(broken.exit_code == 1);
    CHECK(contains(broken.err, "broken.yaml:2:"));
  }

  TEST_CASE("help teaches with examples") {
    auto track_help = helpmark_cli({"track", "--help"});
    CHECK(track_help.exit_code == 0);
    CHECK(contains(track_help.out, "helpmark track import events.jsonl"));
    CHECK(contains(track_help.out, "prune --older-than 400d"));
    auto report_help = helpmark_cli({"report", "--help"});
    CHECK(report_help.exit_code == 0);
    CHECK(contains(report_help.out, "--window"));
    CHECK(contains(report_help.out, "--html report.html"));
  }
}

TEST_SUITE("cli/report") {
  TEST_CASE("tables, JSON, CSV and HTML from the fixture") {
    hmtest::TempDir dir;
    const fs::path store = dir / "events.sqlite";
    import_fixture(store);
    auto base = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"report", "--store", store.string(), "--index", (dir / "no-index").string()});
      return helpmark_cli(args, kCleanEnv);
    };
    // An explicit --index that does not exist is an error...
    CHECK(base({}).exit_code == 1);
    // ...but without --index the report runs, with journeys from the events only.
    auto report = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"report", "--store", store.string()});
      return helpmark_cli(args, kCleanEnv, dir.path());
    };
    auto text = report({});
    HM_RUN_INFO(text);
    REQUIRE(text.exit_code == 0);
    CHECK(contains(text.out, "11 sessions, 9 searches"));
    CHECK(contains(text.out, "deflection 50.0%"));
    CHECK(contains(text.out, "Zero-result queries"));
    CHECK(contains(text.out, "no index at"));

    json j = ok_json(report({"--json"}));
    CHECK(j["totals"]["searches"] == 9);
    CHECK(j["totals"]["deflection"]["deflected"] == 2);
    CHECK(j["totals"]["deflection"]["pending"] == 1);
    CHECK(j["queries"][0]["query"] == "Klarna");  // ties between forms go to the first in byte order
    CHECK(j["content_gaps"][0]["journey"] == "payments");

    json ranged = ok_json(report({"--from", "2026-11-02", "--to", "2026-11-04", "--json"}));
    CHECK(ranged["totals"]["sessions"] == 4);
    CHECK(ranged["range"]["to"] == "2026-11-05T00:00:00Z");  // --to DATE includes that day
    json wide = ok_json(report({"--window", "25h", "--json"}));
    CHECK(wide["totals"]["deflection"]["ticketed"] == 3);
    json es = ok_json(report({"--locale", "es", "--json"}));
    CHECK(es["totals"]["sessions"] == 1);

    auto csv = report({"--csv", "--table", "zero-results"});
    HM_RUN_INFO(csv);
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("locale,key,query,searches,", 0) == 0);
    CHECK(contains(csv.out, "en,klarna,Klarna,2,2,2,0,0.0000,0,2,Klarna | klarna\r\n"));

    auto html = report({"--html", (dir / "report.html").string()});
    HM_RUN_INFO(html);
    REQUIRE(html.exit_code == 0);
    const std::string page = hmtest::read_file(dir / "report.html");
    CHECK(contains(page, "<svg"));
    CHECK(contains(page, "devolución tarde"));
    CHECK_FALSE(contains(page, "<script"));

    // One chart alone, for embedding.
    auto svg = report({"--svg", "queries"});
    HM_RUN_INFO(svg);
    REQUIRE(svg.exit_code == 0);
    CHECK(svg.out.rfind("<?xml", 0) == 0);
    CHECK(contains(svg.out, ">Top queries</text>"));
    CHECK(contains(svg.out, "Klarna"));
    CHECK(contains(svg.out, "</svg>"));

    // With --from: the previous period of the same length.
    auto compared = report({"--from", "2026-11-06", "--to", "2026-11-10"});
    HM_RUN_INFO(compared);
    REQUIRE(compared.exit_code == 0);
    CHECK(contains(compared.out, "Compared with the previous period (2026-11-01T00:00:00Z .. 2026-11-06T00:00:00Z)"));
    CHECK(ranged["previous"]["totals"].is_object());
    CHECK(j["previous"].is_null());  // no --from, nothing to compare with
  }

  TEST_CASE("bad report arguments exit 2, a missing store exits 1") {
    hmtest::TempDir dir;
    const fs::path store = dir / "events.sqlite";
    import_fixture(store);
    auto run = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"report", "--store", store.string()});
      return helpmark_cli(args, kCleanEnv, dir.path());
    };
    CHECK(run({"--window", "a day"}).exit_code == 2);
    CHECK(run({"--window", "0h"}).exit_code == 2);
    CHECK(run({"--from", "November"}).exit_code == 2);
    CHECK(run({"--from", "2026-11-05", "--to", "2026-11-01"}).exit_code == 2);
    CHECK(run({"--json", "--csv"}).exit_code == 2);
    CHECK(run({"--csv", "--table", "everything"}).exit_code == 2);
    CHECK(run({"--bucket", "hour"}).exit_code == 2);
    auto pie = run({"--svg", "pie"});
    CHECK(pie.exit_code == 2);
    CHECK(contains(pie.err, "articles,queries,journeys,time"));
    CHECK(run({"--svg", "queries", "--json"}).exit_code == 2);  // one output at a time
    auto missing = helpmark_cli({"report", "--store", (dir / "none.sqlite").string(), "--json"}, kCleanEnv, dir.path());
    CHECK(missing.exit_code == 1);
    CHECK(hmtest::CliKb::parse_json(missing.out)["error"]["code"] == "not found");
  }

  TEST_CASE("with an index: article titles and journeys, and gap journeys from search") {
    hmtest::CliKb kb;
    const fs::path store = kb.dir() / "events.sqlite";  // the default beside kb.index()
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"view", "--session", "v1", "--article", "refund-timing", "--ts", "2026-11-01T10:00:00Z"},
          std::vector<std::string>{"answer", "how long does a refund take to reach my card", "--session", "b1",
                                   "--escalated", "yes", "--ts", "2026-11-01T11:00:00Z"},
          std::vector<std::string>{"answer", "How long does a refund take to reach my card?", "--session", "b2",
                                   "--escalated", "yes", "--ts", "2026-11-01T12:00:00Z"},
          std::vector<std::string>{"view", "--session", "v2", "--article", "refund-timing-es", "--ts", "2026-11-01T13:00:00Z"}}) {
      auto r = track(args, store);
      HM_RUN_INFO(r);
      REQUIRE(r.exit_code == 0);
    }
    json j = ok_json(helpmark_cli({"report", "--index", kb.index().string(), "--json"}, kCleanEnv));
    // The Spanish translation's view and the English one's: one row, a row per translation.
    REQUIRE(j["articles"].size() == 1);
    CHECK(j["articles"][0]["article"] == "refund-timing");
    CHECK(j["articles"][0]["title"] == "How long a refund takes");
    CHECK(j["articles"][0]["journey"] == "payments");
    CHECK(j["articles"][0]["views"] == 2);
    REQUIRE(j["articles"][0]["translations"].size() == 2);
    CHECK(j["articles"][0]["translations"][0]["locale"] == "en");  // ties: by id
    CHECK(j["articles"][0]["translations"][1]["article"] == "refund-timing-es");
    CHECK(j["articles"][0]["translations"][1]["locale"] == "es");
    REQUIRE(j["content_gaps"].size() == 1);
    CHECK(j["content_gaps"][0]["escalated_questions"] == 2);
    CHECK(j["content_gaps"][0]["journey"] == "payments");
    CHECK(j["content_gaps"][0]["journey_basis"] == "index");
    json payments = ok_json(helpmark_cli({"report", "--index", kb.index().string(), "--journey", "payments", "--json"},
                                         kCleanEnv));
    CHECK(payments["totals"]["views"] == 2);
  }
}
