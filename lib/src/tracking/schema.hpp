// The event store's schema and its forward migrations (internal).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace helpmark::tracking::schema {

/// PRAGMA user_version of a store this build writes.
inline constexpr int kVersion = 3;
/// PRAGMA application_id of every helpmark event store ("HmEv"), so we never write into some
/// other application's SQLite file.
inline constexpr std::int32_t kApplicationId = 0x486d4576;

/// The SQL that takes a store from version `to_version - 1` to `to_version` (1..kVersion).
const char* migration(int to_version);

/// Brings `db` to kVersion inside one IMMEDIATE transaction (so concurrent openers migrate
/// once). Throws sql::Error; a foreign or newer database throws with SQLITE_NOTADB.
void migrate(sqlite3* db, const std::string& path);

/// Checks, without writing, that `db` is a current helpmark store (for read-only opens).
void check_current(sqlite3* db, const std::string& path);

}  // namespace helpmark::tracking::schema
