// The event store: creation, schema migration, idempotency, batches, prune, export/import.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "tracking/schema.hpp"
#include "tracking_util.hpp"

namespace fs = std::filesystem;

using helpmark::ErrorCode;
using helpmark::tracking::Event;
using helpmark::tracking::EventOutcome;
using helpmark::tracking::EventStore;
using helpmark::tracking::EventType;
using helpmark::tracking::StoreOptions;

namespace {

// Runs SQL on a database file directly (to build old or foreign files).
void raw_sql(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

Event view(const std::string& session, const std::string& ts, const std::string& article = "a") {
  Event e;
  e.type = EventType::kView;
  e.session = session;
  e.ts = ts;
  e.article = article;
  return e;
}

}  // namespace

TEST_SUITE("tracking/store") {
  TEST_CASE("open creates the file, its directory and the current schema") {
    hmtest::TempDir dir;
    const fs::path path = dir / "deep/er/events.sqlite";
    auto store = hmtest::open_store(path);
    CHECK(fs::exists(path));
    auto info = store.info();
    REQUIRE(info.ok());
    CHECK(info->schema_version == EventStore::kSchemaVersion);
    CHECK(info->events == 0);
    CHECK(store.check_integrity().ok());
  }

  TEST_CASE("a new store and its WAL are readable by their owner only (issue 14, defect 9)") {
    hmtest::TempDir dir;
    const fs::path path = dir / "events.sqlite";
    const mode_t old_mask = ::umask(022);  // the usual umask, which made the store 0644
    auto store = hmtest::open_store(path);
    ::umask(old_mask);
    Event e;
    e.type = EventType::kSearch;
    e.ts = "2026-11-01T10:00:00Z";
    e.session = "s1";
    e.query = "refund";
    e.total = 0;
    auto recorded = store.record(e);
    REQUIRE_MESSAGE(recorded.ok(), recorded.status().message());
    for (const fs::path& file : {path, fs::path(path.string() + "-wal")}) {
      INFO(file);
      REQUIRE(fs::exists(file));
      CHECK((fs::status(file).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    }
  }

  TEST_CASE("opening what is not a store fails clearly and writes nothing") {
    hmtest::TempDir dir;
    SUBCASE("missing, read-only") {
      StoreOptions o;
      o.read_only = true;
      auto s = EventStore::open(dir / "none.sqlite", o);
      REQUIRE_FALSE(s.ok());
      CHECK(s.status().code() == ErrorCode::kNotFound);
      CHECK_FALSE(fs::exists(dir / "none.sqlite"));
    }
    SUBCASE("missing, create = false") {
      StoreOptions o;
      o.create = false;
      CHECK(EventStore::open(dir / "none.sqlite", o).status().code() == ErrorCode::kNotFound);
    }
    SUBCASE("a text file") {
      hmtest::write_file(dir / "notes.txt", "these are my notes, not a database\n");
      auto s = EventStore::open(dir / "notes.txt");
      REQUIRE_FALSE(s.ok());
      CHECK(s.status().code() == ErrorCode::kCorrupt);
      CHECK(hmtest::read_file(dir / "notes.txt") == "these are my notes, not a database\n");
    }
    SUBCASE("another application's SQLite database") {
      raw_sql(dir / "other.db", "CREATE TABLE customers(name TEXT); INSERT INTO customers VALUES('x');");
      auto s = EventStore::open(dir / "other.db");
      REQUIRE_FALSE(s.ok());
      CHECK(s.status().code() == ErrorCode::kCorrupt);
      CHECK(hmtest::contains(s.status().message(), "not a helpmark event store"));
    }
    SUBCASE("a store written by a newer helpmark") {
      { hmtest::open_store(dir / "new.sqlite"); }
      raw_sql(dir / "new.sqlite", "PRAGMA user_version = 99");
      auto s = EventStore::open(dir / "new.sqlite");
      REQUIRE_FALSE(s.ok());
      CHECK(s.status().code() == ErrorCode::kCorrupt);
      CHECK(hmtest::contains(s.status().message(), "newer helpmark"));
    }
    SUBCASE("a directory") {
      CHECK(EventStore::open(dir.path()).status().code() == ErrorCode::kInvalidArgument);
    }
  }

  TEST_CASE("a store of schema 1 is migrated forward and keeps its events") {
    hmtest::TempDir dir;
    const fs::path path = dir / "v1.sqlite";
    raw_sql(path, std::string(helpmark::tracking::schema::migration(1)) +
                      "; PRAGMA user_version = 1; PRAGMA application_id = " +
                      std::to_string(helpmark::tracking::schema::kApplicationId) + ";"
                      "INSERT INTO events(id, type, ts, session, locale, query, total, results) "
                      "VALUES('old-1', 'search', 1793527200000, 's1', 'en', 'refund', 1, 'refund-timing');");
    SUBCASE("read-only opening asks for the upgrade") {
      StoreOptions o;
      o.read_only = true;
      auto s = EventStore::open(path, o);
      REQUIRE_FALSE(s.ok());
      CHECK(hmtest::contains(s.status().message(), "needs upgrading"));
    }
    SUBCASE("opening for writing migrates") {
      auto store = hmtest::open_store(path);
      CHECK(store.info()->schema_version == EventStore::kSchemaVersion);
      auto lines = hmtest::export_lines(store);
      REQUIRE(lines.size() == 1);
      CHECK(lines[0] == R"({"type":"search","id":"old-1","ts":"2026-11-01T10:00:00Z","session":"s1","locale":"en","query":"refund","total":1,"results":["refund-timing"]})");
      // The new column works.
      auto r = store.record(hmtest::event(R"({"type":"view","ts":"2026-11-01T10:01:00Z","session":"s1","audience":"seller","article":"a"})"));
      REQUIRE(r.ok());
      CHECK(hmtest::contains(hmtest::export_lines(store).back(), R"("audience":"seller")"));
      CHECK(store.check_integrity().ok());
      // Reopening does not migrate again.
      auto again = hmtest::open_store(path);
      CHECK(hmtest::event_count(again) == 2);
    }
  }

  TEST_CASE("recording is idempotent: a retry never writes twice") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    const Event e = view("s1", "2026-11-01T10:00:00Z");
    auto first = store.record(e);
    REQUIRE(first.ok());
    CHECK_FALSE(first->duplicate);
    auto retry = store.record(e);
    REQUIRE(retry.ok());
    CHECK(retry->duplicate);
    CHECK(retry->id == first->id);
    // The same event written another way (offset instead of Z) is the same event.
    auto other_form = store.record(view("s1", "2026-11-01T11:00:00+01:00"));
    CHECK(other_form->duplicate);
    // A caller-given id is the key: a retry with the same id is a duplicate even if resent later.
    Event with_id = view("s2", "2026-11-01T10:00:00Z");
    with_id.id = "web-7-000123";
    CHECK_FALSE(store.record(with_id)->duplicate);
    with_id.ts = "2026-11-01T10:00:09Z";
    auto resent = store.record(with_id);
    CHECK(resent->duplicate);
    CHECK(resent->id == "web-7-000123");
    CHECK(hmtest::event_count(store) == 2);
  }

  TEST_CASE("a batch stores the valid events and says which were rejected and why") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    std::vector<Event> batch;
    batch.push_back(view("s1", "2026-11-01T10:00:00Z"));
    batch.push_back(view("s1", "not a time"));
    Event unknown_type = view("s1", "2026-11-01T10:00:01Z");
    unknown_type.type = static_cast<EventType>(42);
    batch.push_back(unknown_type);
    batch.push_back(view("s1", "2026-11-01T10:00:02Z", ""));  // no article
    Event big;
    big.type = EventType::kSearch;
    big.ts = "2026-11-01T10:00:03Z";
    big.session = "s1";
    big.query = std::string(3000, 'x');
    batch.push_back(big);
    batch.push_back(view("s1", "2026-11-01T10:00:00Z"));  // same as the first: duplicate
    batch.push_back(view("s2", "2026-11-01T10:00:04Z"));
    auto outcome = store.record_batch(batch);
    REQUIRE_MESSAGE(outcome.ok(), outcome.status().message());
    const auto& o = outcome->outcomes;
    REQUIRE(o.size() == batch.size());
    CHECK(o[0].state == EventOutcome::State::kStored);
    CHECK(o[1].state == EventOutcome::State::kRejected);
    CHECK(hmtest::contains(o[1].error, "field 'ts'"));
    CHECK(o[2].state == EventOutcome::State::kRejected);
    CHECK(o[2].error == "unknown event type");
    CHECK(o[3].error == "missing field 'article'");
    CHECK(o[4].error == "field 'query' is 3000 bytes; the limit is 2000");
    CHECK(o[5].state == EventOutcome::State::kDuplicate);
    CHECK(o[5].id == o[0].id);
    CHECK(o[6].state == EventOutcome::State::kStored);
    CHECK(outcome->stored == 2);
    CHECK(outcome->duplicates == 1);
    CHECK(outcome->rejected == 4);
    CHECK(hmtest::event_count(store) == 2);

    auto single = store.record(view("s1", "bad"));
    REQUIRE_FALSE(single.ok());
    CHECK(single.status().code() == ErrorCode::kInvalidInput);
  }

  TEST_CASE("import: bad lines are rejected with their line numbers, good lines are stored") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    std::ifstream in(hmtest::kTrackingData / "bad.jsonl", std::ios::binary);
    auto report = store.import_jsonl(in, "bad.jsonl", 2);  // small batches: lines cross batches
    REQUIRE(report.ok());
    CHECK(report->lines == 8);  // the blank line is not counted
    CHECK(report->stored == 3);
    CHECK(report->rejected == 5);
    REQUIRE(report->errors.size() == 5);
    std::vector<int> lines;
    for (const auto& d : report->errors) lines.push_back(d.line);
    CHECK(lines == std::vector<int>{2, 3, 5, 7, 8});
    CHECK(report->errors[0].to_string() ==
          "bad.jsonl:2: error: unknown event type 'searhc'; expected search, click, view, feedback, bot_answer or ticket");
    CHECK(report->errors[1].message == "missing field 'position'");
    CHECK(hmtest::contains(report->errors[2].message, "field 'ts' is not an ISO 8601"));
    CHECK(hmtest::contains(report->errors[3].message, "not valid JSON"));
    CHECK(report->errors[4].message == "field 'helpful' must be true or false, not a string");

    // Importing again stores nothing twice.
    std::ifstream again(hmtest::kTrackingData / "bad.jsonl", std::ios::binary);
    auto second = store.import_jsonl(again, "bad.jsonl");
    REQUIRE(second.ok());
    CHECK(second->stored == 0);
    CHECK(second->duplicates == 3);
    CHECK(hmtest::event_count(store) == 3);
  }

  TEST_CASE("import: CRLF, a byte-order mark, invalid UTF-8 and overlong lines") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    std::string text = "\xEF\xBB\xBF{\"type\":\"ticket\",\"ts\":\"2026-11-01T10:00:00Z\",\"session\":\"a\"}\r\n";
    text += "{\"type\":\"search\",\"ts\":\"2026-11-01T10:00:00Z\",\"session\":\"a\",\"query\":\"caf\xE9\"}\r\n";
    text += std::string(helpmark::tracking::kMaxLineBytes + 10, ' ') + "\n";
    text += "{\"type\":\"ticket\",\"ts\":\"2026-11-01T10:00:01Z\",\"session\":\"a\"}";  // no final newline
    std::istringstream in(text);
    auto r = store.import_jsonl(in, "crlf.jsonl");
    REQUIRE(r.ok());
    CHECK(r->stored == 2);
    REQUIRE(r->rejected == 2);
    CHECK(r->errors[0].line == 2);
    CHECK(hmtest::contains(r->errors[0].message, "not valid UTF-8"));
    CHECK(r->errors[1].line == 3);
    CHECK(hmtest::contains(r->errors[1].message, "line longer than"));
  }

  TEST_CASE("export then import into an empty store reproduces it exactly") {
    hmtest::TempDir dir;
    auto a = hmtest::open_store(dir / "a.sqlite");
    hmtest::import_ok(a, hmtest::kTrackingData / "fixture.jsonl");
    std::ostringstream exported;
    REQUIRE(a.export_jsonl(exported).ok());
    auto b = hmtest::open_store(dir / "b.sqlite");
    std::istringstream in(exported.str());
    auto r = b.import_jsonl(in, "export.jsonl");
    REQUIRE(r.ok());
    CHECK(r->rejected == 0);
    CHECK(r->stored == 26);
    std::ostringstream again;
    REQUIRE(b.export_jsonl(again).ok());
    CHECK(again.str() == exported.str());
    // And importing the export into the original adds nothing.
    std::istringstream in2(exported.str());
    CHECK(a.import_jsonl(in2)->duplicates == 26);
  }

  TEST_CASE("export filters by time and type") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    hmtest::import_ok(store, hmtest::kTrackingData / "fixture.jsonl");
    helpmark::tracking::ExportOptions o;
    o.since_ms = helpmark::tracking::parse_timestamp("2026-11-05T00:00:00Z");
    o.until_ms = helpmark::tracking::parse_timestamp("2026-11-07T00:00:00Z");
    auto lines = hmtest::export_lines(store, o);
    CHECK(lines.size() == 4);  // s6's ticket, s7's search and ticket, s8's search
    o.types = {EventType::kTicket};
    CHECK(hmtest::export_lines(store, o).size() == 2);
  }

  TEST_CASE("prune deletes exactly the events older than the cutoff") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    hmtest::import_ok(store, hmtest::kTrackingData / "fixture.jsonl");
    const auto cutoff = *helpmark::tracking::parse_timestamp("2026-11-05T10:00:00.001Z");
    auto would = store.count_older_than(cutoff);
    REQUIRE(would.ok());
    CHECK(would.value() == 17);
    CHECK(hmtest::event_count(store) == 26);  // counting deletes nothing
    auto deleted = store.prune(cutoff);
    REQUIRE(deleted.ok());
    CHECK(deleted.value() == 17);
    auto info = store.info();
    CHECK(info->events == 9);
    CHECK(info->oldest == "2026-11-05T10:00:00.001Z");  // the event at the cutoff stays
    CHECK(store.prune(cutoff).value() == 0);
    CHECK(store.check_integrity().ok());
  }

  TEST_CASE("prune works in chunks over many events") {
    hmtest::TempDir dir;
    StoreOptions o;
    o.durability = helpmark::tracking::Durability::kNormal;
    auto store = hmtest::open_store(dir / "e.sqlite", o);
    std::vector<Event> batch;
    for (int i = 0; i < 12000; ++i)
      batch.push_back(view("s" + std::to_string(i % 50), helpmark::tracking::format_timestamp(1700000000000LL + i * 1000LL)));
    REQUIRE(store.record_batch(batch)->stored == 12000);
    CHECK(store.prune(1700000000000LL + 11000 * 1000LL).value() == 11000);
    CHECK(hmtest::event_count(store) == 1000);
  }

  TEST_CASE("a read-only store refuses writes") {
    hmtest::TempDir dir;
    { hmtest::open_store(dir / "e.sqlite"); }
    StoreOptions o;
    o.read_only = true;
    auto store = hmtest::open_store(dir / "e.sqlite", o);
    CHECK(store.record(view("s", "2026-11-01T10:00:00Z")).status().code() == ErrorCode::kInvalidArgument);
    CHECK_FALSE(store.prune(INT64_MAX).ok());
    CHECK(store.info().ok());
  }

  TEST_CASE("bad scrub patterns fail at open") {
    hmtest::TempDir dir;
    StoreOptions o;
    o.scrub_patterns = {{"order", "ORD-("}};
    CHECK(EventStore::open(dir / "e.sqlite", o).status().code() == ErrorCode::kInvalidArgument);
  }

  TEST_CASE("one handle shared by threads: calls are serialised, nothing lost or doubled") {
    hmtest::TempDir dir;
    StoreOptions o;
    o.durability = helpmark::tracking::Durability::kNormal;
    auto store = hmtest::open_store(dir / "e.sqlite", o);
    constexpr int kThreads = 4, kEach = 200;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          Event e = view("t" + std::to_string(t), helpmark::tracking::format_timestamp(1793527200000LL + i));
          auto r = store.record(e);
          if (!r.ok() || r->duplicate) ++failures;
          if (i % 50 == 0 && !store.info().ok()) ++failures;  // reads interleave with writes
        }
      });
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    CHECK(hmtest::event_count(store) == kThreads * kEach);
  }

  TEST_CASE("handles of one file in one process see each other's events") {
    hmtest::TempDir dir;
    auto a = hmtest::open_store(dir / "e.sqlite");
    auto b = hmtest::open_store(dir / "e.sqlite");
    REQUIRE(a.record(view("s", "2026-11-01T10:00:00Z")).ok());
    CHECK(b.record(view("s", "2026-11-01T10:00:00Z"))->duplicate);
    CHECK(hmtest::event_count(b) == 1);
  }
}
