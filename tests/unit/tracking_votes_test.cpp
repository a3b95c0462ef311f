// Events a report can trust: one vote per article and session (the last one stands, by a
// unique index), reasons for "not helpful", and filter changes that refine a search instead of
// counting as new searches.
#include <doctest/doctest.h>

#include "tracking/schema.hpp"
#include "tracking_util.hpp"

namespace fs = std::filesystem;

using helpmark::ErrorCode;
using helpmark::tracking::EventStore;
using helpmark::tracking::Report;
using helpmark::tracking::ReportOptions;

namespace {

std::string vote(const std::string& ts, const std::string& session, const std::string& article, bool helpful,
                 const std::string& extra = "") {
  return R"({"type":"feedback","ts":")" + ts + R"(","session":")" + session + R"(","article":")" + article +
         R"(","helpful":)" + (helpful ? "true" : "false") + extra + "}";
}

Report report_of(EventStore& store) {
  ReportOptions o;
  o.top = 0;
  auto r = store.report(o);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return r.value();
}

const helpmark::tracking::ArticleMetrics& article(const Report& r, const std::string& id) {
  for (const auto& a : r.articles)
    if (a.article == id) return a;
  FAIL("no article " << id);
  throw 0;
}

}  // namespace

TEST_SUITE("tracking/votes") {
  TEST_CASE("a session's later vote on an article replaces its earlier one") {
    hmtest::TempDir dir;
    EventStore store = hmtest::open_store(dir / "events.sqlite");
    REQUIRE(store.record(hmtest::event(vote("2026-11-01T10:00:00Z", "s1", "refund-timing", true))).ok());
    auto second = store.record(hmtest::event(vote("2026-11-01T10:00:05Z", "s1", "refund-timing", false)));
    REQUIRE(second.ok());
    CHECK_FALSE(second->duplicate);
    REQUIRE(store.record(hmtest::event(vote("2026-11-01T10:00:09Z", "s1", "refund-timing", true))).ok());
    auto lines = hmtest::export_lines(store);
    REQUIRE(lines.size() == 1);
    CHECK(hmtest::contains(lines[0], R"("ts":"2026-11-01T10:00:09Z")"));
    CHECK(hmtest::contains(lines[0], R"("helpful":true)"));

    SUBCASE("an earlier vote arriving late (a retry) changes nothing") {
      auto late = store.record(hmtest::event(vote("2026-11-01T10:00:05Z", "s1", "refund-timing", false)));
      REQUIRE(late.ok());
      CHECK(late->duplicate);
      CHECK(hmtest::contains(hmtest::export_lines(store)[0], R"("helpful":true)"));
    }
    SUBCASE("other sessions and other articles keep their own votes") {
      REQUIRE(store.record(hmtest::event(vote("2026-11-01T10:01:00Z", "s2", "refund-timing", false))).ok());
      REQUIRE(store.record(hmtest::event(vote("2026-11-01T10:02:00Z", "s1", "return-policy", false))).ok());
      CHECK(hmtest::event_count(store) == 3);
      const Report r = report_of(store);
      CHECK(r.totals.helpful_yes == 1);
      CHECK(r.totals.helpful_no == 2);
      CHECK(article(r, "refund-timing").helpful_yes == 1);
      CHECK(article(r, "refund-timing").helpful_no == 1);
    }
    SUBCASE("in one batch, the last vote stands") {
      auto batch = store.record_batch({hmtest::event(vote("2026-11-01T11:00:00Z", "s3", "a", true)),
                                       hmtest::event(vote("2026-11-01T11:00:01Z", "s3", "a", false)),
                                       hmtest::event(vote("2026-11-01T11:00:00.500Z", "s3", "a", true))});
      REQUIRE(batch.ok());
      CHECK(batch->stored == 2);
      CHECK(batch->duplicates == 1);
      const Report r = report_of(store);
      CHECK(article(r, "a").helpful_no == 1);
      CHECK(article(r, "a").helpful_yes == 0);
    }
  }

  TEST_CASE("a not-helpful vote may give a reason code and the report counts them per article") {
    hmtest::TempDir dir;
    EventStore store = hmtest::open_store(dir / "events.sqlite");
    REQUIRE(store.record(hmtest::event(vote("2026-11-01T10:00:00Z", "s1", "a", false, R"(,"reason_code":"outdated")"))).ok());
    REQUIRE(store.record(hmtest::event(vote("2026-11-01T10:00:00Z", "s2", "a", false,
                                            R"(,"reason_code":"outdated","reason":"mail me at a@b.example")")))
                .ok());
    REQUIRE(store.record(hmtest::event(vote("2026-11-01T10:00:00Z", "s3", "a", false, R"(,"reason_code":"unclear")"))).ok());
    REQUIRE(store.record(hmtest::event(vote("2026-11-01T10:00:00Z", "s4", "a", false))).ok());
    const auto lines = hmtest::export_lines(store);
    CHECK(hmtest::contains(lines[1], R"("reason":"mail me at <email>","reason_code":"outdated")"));
    const Report r = report_of(store);
    const auto& a = article(r, "a");
    CHECK(a.helpful_no == 4);
    CHECK(a.unhelpful_reasons == std::map<std::string, std::size_t>{{"outdated", 2}, {"unclear", 1}});
    CHECK(hmtest::contains(helpmark::tracking::report_to_text(r), "outdated 2, unclear 1"));
    CHECK(hmtest::contains(helpmark::tracking::report_to_json(r), R"("unhelpful_reasons": {)"));
    auto csv = helpmark::tracking::report_to_csv(r, "articles");
    REQUIRE(csv.ok());
    CHECK(hmtest::contains(csv.value(), "outdated 2, unclear 1"));
    CHECK(hmtest::contains(helpmark::tracking::report_to_html(r), "Why not helpful"));
  }

  TEST_CASE("reason codes: only the listed ones, only on a not-helpful vote") {
    auto reject = [](const std::string& json, const std::string& why) {
      hmtest::TempDir dir;
      EventStore store = hmtest::open_store(dir / "events.sqlite");
      auto r = store.record(hmtest::event(json));
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kInvalidInput);
      CHECK_MESSAGE(hmtest::contains(r.status().message(), why), r.status().message());
    };
    reject(vote("2026-11-01T10:00:00Z", "s1", "a", false, R"(,"reason_code":"boring")"),
           "must be one of not-my-question, unclear, outdated, did-not-work, other (got 'boring')");
    reject(vote("2026-11-01T10:00:00Z", "s1", "a", true, R"(,"reason_code":"outdated")"), "needs helpful: false");
    reject(R"({"type":"view","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","reason_code":"unclear"})",
           "does not apply to view events");
    auto wrong_kind = helpmark::tracking::event_from_json(vote("2026-11-01T10:00:00Z", "s1", "a", false, R"(,"reason_code":3)"));
    REQUIRE_FALSE(wrong_kind.ok());
    CHECK(hmtest::contains(wrong_kind.status().message(), "'reason_code' must be a string"));
  }

  TEST_CASE("a store of schema 2 with several votes per session keeps the last on migration") {
    hmtest::TempDir dir;
    const fs::path path = dir / "v2.sqlite";
    {
      sqlite3* db = nullptr;
      REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
      const std::string sql =
          std::string(helpmark::tracking::schema::migration(1)) + ";" + helpmark::tracking::schema::migration(2) +
          "; PRAGMA user_version = 2; PRAGMA application_id = " +
          std::to_string(helpmark::tracking::schema::kApplicationId) +
          ";"
          "INSERT INTO events(id, type, ts, session, article, helpful) VALUES"
          " ('v1', 'feedback', 1000, 's1', 'a', 1), ('v2', 'feedback', 2000, 's1', 'a', 0),"
          " ('v3', 'feedback', 2000, 's1', 'a', 1), ('v4', 'feedback', 1500, 's2', 'a', 0),"
          " ('v5', 'feedback', 1500, 's1', 'b', 0), ('x1', 'view', 500, 's1', 'a', NULL);";
      REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(db);
    }
    EventStore store = hmtest::open_store(path);
    CHECK(store.info()->schema_version == EventStore::kSchemaVersion);
    const auto lines = hmtest::export_lines(store);
    REQUIRE(lines.size() == 4);  // v1 and v2 gone: v3 is s1's last vote on a (same time, stored later)
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    CHECK(hmtest::contains(all, R"("id":"v3")"));
    CHECK_FALSE(hmtest::contains(all, R"("id":"v1")"));
    CHECK_FALSE(hmtest::contains(all, R"("id":"v2")"));
    CHECK(hmtest::contains(all, R"("id":"v4")"));
    CHECK(hmtest::contains(all, R"("id":"v5")"));
    CHECK(store.check_integrity().ok());
  }

  TEST_CASE("filter changes refine one search instead of counting as new searches") {
    hmtest::TempDir dir;
    EventStore store = hmtest::open_store(dir / "events.sqlite");
    auto search = [&](const std::string& id, const std::string& ts, const std::string& query,
                      const std::string& filters, const std::string& results) {
      REQUIRE(store.record(hmtest::event(R"({"type":"search","id":")" + id + R"(","ts":")" + ts +
                                         R"(","session":"s1","locale":"en","query":")" + query + R"(")" +
                                         (filters.empty() ? "" : R"(,"filters":)" + filters) + R"(,"results":)" +
                                         results + "}"))
                  .ok());
    };
    search("q1", "2026-11-01T10:00:00Z", "refund", "", R"(["a","b","c"])");
    search("q2", "2026-11-01T10:00:10Z", "refund", R"({"journey":["payments"]})", R"(["a","b"])");
    search("q3", "2026-11-01T10:00:20Z", "refund", R"({"journey":["payments"],"audience":["buyer"]})", R"(["b"])");
    REQUIRE(store.record(hmtest::event(R"({"type":"click","ts":"2026-11-01T10:00:30Z","session":"s1","search_id":"q3","article":"b","position":1})")).ok());
    // Browsing (an empty query) with filters is one search too; a new query is a new search.
    search("q4", "2026-11-01T10:01:00Z", "", R"({"journey":["returns"]})", R"(["r"])");
    search("q5", "2026-11-01T10:01:05Z", "", R"({"journey":["sellers"]})", R"(["s"])");
    search("q6", "2026-11-01T10:30:00Z", "refund", R"({"journey":["sellers"]})", R"([])");

    const Report r = report_of(store);
    CHECK(r.totals.searches == 3);          // q1 (+ q2, q3), q4 (+ q5), q6
    CHECK(r.totals.refined_searches == 2);  // q1 and q4 were re-filtered
    CHECK(r.totals.clicked_searches == 1);  // the click on q3's results counts for q1
    CHECK(r.totals.zero_result_searches == 1);
    CHECK(article(r, "b").impressions == 3);  // every list that showed it
    CHECK(article(r, "a").impressions == 2);
    const helpmark::tracking::QueryMetrics* refund = nullptr;
    for (const auto& q : r.queries)
      if (q.key == "refund") refund = &q;
    REQUIRE(refund != nullptr);
    CHECK(refund->searches == 2);  // q1 and q6 (outside the refine window)
    CHECK(refund->clicked == 1);
  }
}
