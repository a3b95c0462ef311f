// Thin RAII over the SQLite C API, for the tracking store (internal).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "helpmark/status.hpp"

namespace helpmark::tracking::sql {

/// Thrown inside the tracking module only; EventStore converts it to a Status.
class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

/// The Status for a SQLite result code (busy/locked -> kLocked, corrupt/notadb -> kCorrupt).
Status status_of(int code, const std::string& message);

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what);

/// A prepared statement; reset and unbound after each use by its owner.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  void bind(int index, std::string_view value);
  void bind(int index, std::int64_t value);
  void bind(int index, double value);
  void bind_null(int index);
  /// Binds the text, or NULL when it is empty.
  void bind_text_or_null(int index, std::string_view value);

  /// Steps once: true while a row is available, false when done.
  bool step();
  void reset();

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

/// Runs SQL without results (may hold several statements).
void exec(sqlite3* db, std::string_view sql);

/// A single integer result of `sql`.
std::int64_t query_int(sqlite3* db, std::string_view sql);

}  // namespace helpmark::tracking::sql
