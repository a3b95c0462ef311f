#include "tracking/schema.hpp"

#include "tracking/sqlite.hpp"

namespace helpmark::tracking::schema {
namespace {

// Never edit a released migration: stores in the field are at every version. Add a new one.
const char* const kMigrations[] = {
    // 1: the first released schema.
    R"(CREATE TABLE events (
         seq        INTEGER PRIMARY KEY,
         id         TEXT NOT NULL UNIQUE,
         type       TEXT NOT NULL,
         ts         INTEGER NOT NULL,
         session    TEXT NOT NULL,
         locale     TEXT,
         journey    TEXT,
         query      TEXT,
         filters    TEXT,
         total      INTEGER,
         results    TEXT,
         search_id  TEXT,
         article    TEXT,
         position   INTEGER,
         source     TEXT,
         helpful    INTEGER,
         reason     TEXT,
         question   TEXT,
         confidence REAL,
         escalated  INTEGER,
         accepted   INTEGER
       );
       CREATE INDEX events_by_ts ON events(ts);)",
    // 2: audience context, the time each event was stored, and an index for per-session
    // reports (deflection and refinement walk each session in time order).
    R"(ALTER TABLE events ADD COLUMN audience TEXT;
       ALTER TABLE events ADD COLUMN recorded INTEGER NOT NULL DEFAULT 0;
       CREATE INDEX events_by_session ON events(session, ts);)",
    // 3: why a vote said "not helpful", and one vote per article and session: earlier votes of
    // a session on the same article are dropped (the last one stands), and a unique index keeps
    // it so (record() replaces a session's vote instead of adding one).
    R"(ALTER TABLE events ADD COLUMN reason_code TEXT;
       DELETE FROM events WHERE type = 'feedback' AND EXISTS (
         SELECT 1 FROM events AS later
          WHERE later.type = 'feedback' AND later.session = events.session
            AND later.article = events.article
            AND (later.ts > events.ts OR (later.ts = events.ts AND later.seq > events.seq)));
       CREATE UNIQUE INDEX events_one_vote ON events(session, article) WHERE type = 'feedback';)",
};
static_assert(sizeof kMigrations / sizeof kMigrations[0] == kVersion);

struct State {
  std::int64_t version = 0;
  std::int64_t application_id = 0;
  std::int64_t objects = 0;
};

State read_state(sqlite3* db) {
  State s;
  s.version = sql::query_int(db, "PRAGMA user_version");
  s.application_id = sql::query_int(db, "PRAGMA application_id");
  s.objects = sql::query_int(db, "SELECT count(*) FROM sqlite_master");
  return s;
}

void check_ours(const State& s, const std::string& path) {
  if (s.application_id != kApplicationId && !(s.application_id == 0 && s.objects == 0))
    throw sql::Error(SQLITE_NOTADB, path + ": not a helpmark event store (a SQLite database of "
                                           "another application); choose another --store path");
  if (s.version > kVersion)
    throw sql::Error(SQLITE_NOTADB, path + ": written by a newer helpmark (event store schema " +
                                        std::to_string(s.version) + ", this build knows up to " +
                                        std::to_string(kVersion) + "); upgrade helpmark");
}

}  // namespace

const char* migration(int to_version) {
  if (to_version < 1 || to_version > kVersion) return nullptr;
  return kMigrations[to_version - 1];
}

void migrate(sqlite3* db, const std::string& path) {
  // Cheap check first: an up-to-date store needs no write lock.
  State s = read_state(db);
  check_ours(s, path);
  if (s.version == kVersion && s.application_id == kApplicationId) return;
  sql::exec(db, "BEGIN IMMEDIATE");
  try {
    s = read_state(db);  // another process may have migrated while we waited
    check_ours(s, path);
    for (int v = static_cast<int>(s.version) + 1; v <= kVersion; ++v) {
      sql::exec(db, kMigrations[v - 1]);
      sql::exec(db, "PRAGMA user_version = " + std::to_string(v));
    }
    sql::exec(db, "PRAGMA application_id = " + std::to_string(kApplicationId));
    sql::exec(db, "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void check_current(sqlite3* db, const std::string& path) {
  State s = read_state(db);
  check_ours(s, path);
  if (s.objects == 0)
    throw sql::Error(SQLITE_CANTOPEN, path + ": the event store is empty (no events recorded yet)");
  if (s.version < kVersion)
    throw sql::Error(SQLITE_READONLY, path + ": the event store has schema " + std::to_string(s.version) +
                                          " and needs upgrading; run any `helpmark track` command "
                                          "on it once (it migrates automatically)");
}

}  // namespace helpmark::tracking::schema
