// The event store: SQLite in WAL mode, one row per event, written by many processes at once.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <istream>
#include <mutex>
#include <ostream>
#include <thread>

#include "helpmark/tracking.hpp"
#include "tracking/event.hpp"
#include "tracking/report.hpp"
#include "tracking/schema.hpp"
#include "tracking/sqlite.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace helpmark::tracking {
namespace {

// A retry (same id) is stored once; a session's later vote on an article replaces its earlier
// one (events_one_vote), and an earlier vote arriving late changes nothing. Both by constraint,
// in one statement, so concurrent writers cannot race.
constexpr const char* kInsertSql =
    "INSERT INTO events(id, type, ts, session, locale, audience, journey, query, filters, total, "
    "results, search_id, article, position, source, helpful, reason, question, confidence, "
    "escalated, accepted, recorded, reason_code) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
    "?20, ?21, ?22, ?23) ON CONFLICT(id) DO NOTHING "
    "ON CONFLICT(session, article) WHERE type = 'feedback' DO UPDATE SET id = excluded.id, "
    "ts = excluded.ts, locale = excluded.locale, audience = excluded.audience, "
    "journey = excluded.journey, helpful = excluded.helpful, reason = excluded.reason, "
    "reason_code = excluded.reason_code, recorded = excluded.recorded WHERE excluded.ts >= events.ts";

constexpr const char* kSelectColumns =
    "SELECT id, type, ts, session, locale, audience, journey, query, filters, total, results, "
    "search_id, article, position, source, helpful, reason, question, confidence, escalated, "
    "accepted, reason_code FROM events";

std::optional<bool> opt_bool(const sql::Stmt& s, int col) {
  if (s.is_null(col)) return std::nullopt;
  return s.int64(col) != 0;
}

Event event_from_row(const sql::Stmt& s) {
  Event e;
  e.id = s.text(0);
  e.type = parse_event_type(s.text(1)).value_or(EventType::kTicket);
  e.ts = format_timestamp(s.int64(2));
  e.session = s.text(3);
  e.locale = s.text(4);
  e.audience = s.text(5);
  e.journey = s.text(6);
  e.query = s.text(7);
  e.filters = detail::filters_from_json(s.text(8));
  if (!s.is_null(9)) e.total = s.int64(9);
  e.results = detail::split_ids(s.text(10));
  e.search_id = s.text(11);
  e.article = s.text(12);
  e.position = static_cast<int>(s.int64(13));
  e.source = s.text(14);
  e.helpful = opt_bool(s, 15);
  e.reason = s.text(16);
  e.question = s.text(17);
  if (!s.is_null(18)) e.confidence = s.real(18);
  e.escalated = opt_bool(s, 19);
  e.accepted = opt_bool(s, 20);
  e.reason_code = s.text(21);
  return e;
}

void bind_opt_bool(sql::Stmt& s, int index, const std::optional<bool>& v) {
  if (v) s.bind(index, static_cast<std::int64_t>(*v ? 1 : 0));
  else s.bind_null(index);
}

// Reads one line of at most kMaxLineBytes; longer lines are consumed and flagged.
bool read_line(std::streambuf& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  bool any = false;
  for (int c = in.sbumpc(); c != std::char_traits<char>::eof(); c = in.sbumpc()) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < kMaxLineBytes) line.push_back(static_cast<char>(c));
    else too_long = true;
  }
  return any;
}

}  // namespace

class EventStore::Impl {
 public:
  Impl(std::string p, StoreOptions o, Scrubber s)
      : path(std::move(p)), options(std::move(o)), scrubber(std::move(s)) {}
  ~Impl() {
    insert = sql::Stmt();
    if (db) sqlite3_close_v2(db);
  }

  std::mutex mu;
  sqlite3* db = nullptr;
  std::string path;
  StoreOptions options;
  Scrubber scrubber;
  sql::Stmt insert;

  Status open();
  // Runs `fn` inside BEGIN IMMEDIATE ... COMMIT; rolls back if it throws.
  template <typename F>
  void write_transaction(F&& fn);
  // Inserts a normalised event; true when it was new.
  bool insert_event(const detail::StoredEvent& stored, std::int64_t recorded);
  BatchOutcome record_batch(const std::vector<Event>& events);

  Status error(const sql::Error& e) const {
    const int code = e.code() & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
      return Status(ErrorCode::kLocked,
                    path + ": the event store stayed busy for " +
                        std::to_string(options.busy_timeout_ms) +
                        " ms (other processes are writing); try again");
    std::string message = e.what();
    if (!text::starts_with(message, path)) message = path + ": " + message;
    return sql::status_of(e.code(), message);
  }
};

template <typename F>
void EventStore::Impl::write_transaction(F&& fn) {
  sql::exec(db, "BEGIN IMMEDIATE");
  try {
    fn();
    sql::exec(db, "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

Status EventStore::Impl::open() {
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (!exists && (options.read_only || !options.create))
    return Status(ErrorCode::kNotFound,
                  path + ": no event store here; record events first (`helpmark track ...`) or "
                         "pass --store PATH");
  if (exists && fs::is_directory(path, ec))
    return Status(ErrorCode::kInvalidArgument, path + ": is a directory; --store takes a file path "
                                                      "such as .helpmark/events.sqlite");
  if (!exists) {
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) {
      fs::create_directories(parent, ec);
      if (ec)
        return Status(ErrorCode::kIoError, parent.string() + ": cannot create the directory: " + ec.message());
    }
    // Owner-only from the first byte: the store holds what people typed. SQLite gives its -wal
    // and -shm files the database file's mode.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
      return Status(ErrorCode::kIoError, path + ": cannot create the event store: " + std::strerror(errno));
    if (fd >= 0) ::close(fd);
  }
  const int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;  // our mutex serialises use of this connection
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK)
    return sql::status_of(rc, path + ": cannot open the event store: " +
                                  (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  try {
    // Reports read the whole table in session order: memory-mapped reads and a larger page
    // cache avoid a system call per page (several times faster on a million events).
    sql::exec(db, "PRAGMA mmap_size=268435456; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY");
    if (!options.read_only) {
      // Switching to WAL needs a moment of exclusive access; retry while another process
      // holds the file (busy_timeout covers most but not all of these cases).
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
      while (true) {
        try {
          sql::Stmt wal(db, "PRAGMA journal_mode=WAL");
          if (wal.step() && wal.text(0) != "wal")
            throw sql::Error(SQLITE_CANTOPEN, path + ": cannot switch the event store to WAL mode");
          break;
        } catch (const sql::Error& e) {
          const int code = e.code() & 0xff;
          if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || std::chrono::steady_clock::now() > deadline) throw;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
      // FULL: the WAL is fsynced at every commit. NORMAL: synced at checkpoints only; a
      // committed transaction then survives a process crash but not a power cut.
      sql::exec(db, options.durability == Durability::kFull ? "PRAGMA synchronous=FULL"
                                                            : "PRAGMA synchronous=NORMAL");
      schema::migrate(db, path);
      insert = sql::Stmt(db, kInsertSql);
    } else {
      schema::check_current(db, path);
    }
  } catch (const sql::Error& e) {
    return error(e);
  }
  return Status::Ok();
}

bool EventStore::Impl::insert_event(const detail::StoredEvent& stored, std::int64_t recorded) {
  const Event& e = stored.event;
  sql::Stmt& s = insert;
  s.reset();
  s.bind(1, e.id);
  s.bind(2, std::string_view(event_type_name(e.type)));
  s.bind(3, stored.ts_ms);
  s.bind(4, e.session);
  s.bind_text_or_null(5, e.locale);
  s.bind_text_or_null(6, e.audience);
  s.bind_text_or_null(7, e.journey);
  if (e.type == EventType::kSearch) s.bind(8, e.query);
  else s.bind_null(8);
  s.bind_text_or_null(9, detail::filters_to_json(e.filters));
  if (e.total) s.bind(10, *e.total);
  else if (e.type == EventType::kSearch) s.bind(10, static_cast<std::int64_t>(e.results.size()));
  else s.bind_null(10);
  s.bind_text_or_null(11, detail::join_ids(e.results));
  s.bind_text_or_null(12, e.search_id);
  s.bind_text_or_null(13, e.article);
  if (e.position) s.bind(14, static_cast<std::int64_t>(e.position));
  else s.bind_null(14);
  s.bind_text_or_null(15, e.source);
  bind_opt_bool(s, 16, e.helpful);
  s.bind_text_or_null(17, e.reason);
  s.bind_text_or_null(18, e.question);
  if (e.confidence) s.bind(19, *e.confidence);
  else s.bind_null(19);
  bind_opt_bool(s, 20, e.escalated);
  bind_opt_bool(s, 21, e.accepted);
  s.bind(22, recorded);
  s.bind_text_or_null(23, e.reason_code);
  s.step();
  const bool inserted = sqlite3_changes(db) > 0;
  s.reset();
  return inserted;
}

BatchOutcome EventStore::Impl::record_batch(const std::vector<Event>& events) {
  BatchOutcome batch;
  batch.outcomes.resize(events.size());
  std::vector<std::pair<std::size_t, detail::StoredEvent>> valid;
  valid.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto stored = detail::normalize(events[i], scrubber);
    if (!stored.ok()) {
      batch.outcomes[i].state = EventOutcome::State::kRejected;
      batch.outcomes[i].error = stored.status().message();
      ++batch.rejected;
      continue;
    }
    valid.emplace_back(i, std::move(stored).value());
  }
  if (!valid.empty()) {
    const std::int64_t recorded = now_ms();
    std::vector<bool> inserted(valid.size());
    write_transaction([&] {
      for (std::size_t k = 0; k < valid.size(); ++k) inserted[k] = insert_event(valid[k].second, recorded);
    });
    // Only after COMMIT: an outcome of kStored is a promise the event is durable.
    for (std::size_t k = 0; k < valid.size(); ++k) {
      auto& out = batch.outcomes[valid[k].first];
      out.id = valid[k].second.event.id;
      out.state = inserted[k] ? EventOutcome::State::kStored : EventOutcome::State::kDuplicate;
      ++(inserted[k] ? batch.stored : batch.duplicates);
    }
  }
  return batch;
}

// Every public call converts SQLite and library exceptions into a Status.
#define HM_STORE_GUARD(...)                                                           \
  try {                                                                               \
    __VA_ARGS__                                                                       \
  } catch (const sql::Error& e) {                                                     \
    return impl_->error(e);                                                           \
  } catch (const std::bad_alloc&) {                                                   \
    return Status(ErrorCode::kInternal, impl_->path + ": out of memory");             \
  } catch (const std::exception& e) {                                                 \
    return Status(ErrorCode::kInternal, impl_->path + ": internal error: " + e.what()); \
  }

Result<EventStore> EventStore::open(const fs::path& path, const StoreOptions& options) {
  try {
    auto scrubber = Scrubber::create(options.scrub_patterns);
    if (!scrubber.ok()) return scrubber.status();
    auto impl = std::make_unique<Impl>(path.string(), options, std::move(scrubber).value());
    if (Status s = impl->open(); !s.ok()) return s;
    return EventStore(std::move(impl));
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, path.string() + ": internal error: " + e.what());
  }
}

EventStore::EventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventStore::EventStore(EventStore&&) noexcept = default;
EventStore& EventStore::operator=(EventStore&&) noexcept = default;
EventStore::~EventStore() = default;

Result<Recorded> EventStore::record(const Event& event) {
  std::lock_guard lock(impl_->mu);
  if (impl_->options.read_only)
    return Status(ErrorCode::kInvalidArgument, impl_->path + ": opened read-only");
  HM_STORE_GUARD({
    BatchOutcome batch = impl_->record_batch({event});
    const EventOutcome& o = batch.outcomes.front();
    if (o.state == EventOutcome::State::kRejected) return Status(ErrorCode::kInvalidInput, o.error);
    return Recorded{o.id, o.state == EventOutcome::State::kDuplicate};
  })
}

Result<BatchOutcome> EventStore::record_batch(const std::vector<Event>& events) {
  std::lock_guard lock(impl_->mu);
  if (impl_->options.read_only)
    return Status(ErrorCode::kInvalidArgument, impl_->path + ": opened read-only");
  HM_STORE_GUARD({ return impl_->record_batch(events); })
}

Result<Recorded> EventStore::record_json(std::string_view json) {
  auto event = event_from_json(json);
  if (!event.ok()) return event.status();
  return record(event.value());
}

Result<ImportReport> EventStore::import_jsonl(std::istream& in, const std::string& source_name,
                                              std::size_t batch_size,
                                              const std::function<void(std::size_t)>& on_progress) {
  if (batch_size == 0) batch_size = 1;
  ImportReport report;
  std::vector<Event> batch;
  std::vector<int> batch_lines;
  auto reject = [&](int line, std::string message) {
    report.errors.push_back({Severity::kError, source_name, line, std::move(message)});
    ++report.rejected;
  };
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    auto outcome = record_batch(batch);
    if (!outcome.ok()) {
      return Status(outcome.status().code(),
                    outcome.status().message() + " (while importing " + source_name + " line " +
                        std::to_string(batch_lines.front()) + "-" + std::to_string(batch_lines.back()) +
                        "; " + std::to_string(report.stored) + " events stored before)");
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto& o = outcome->outcomes[i];
      if (o.state == EventOutcome::State::kRejected) reject(batch_lines[i], o.error);
    }
    report.stored += outcome->stored;
    report.duplicates += outcome->duplicates;
    batch.clear();
    batch_lines.clear();
    if (on_progress) on_progress(report.lines);
    return Status::Ok();
  };
  try {
    std::streambuf* buf = in.rdbuf();
    if (!buf) return Status(ErrorCode::kIoError, source_name + ": cannot read");
    std::string line;
    bool too_long = false;
    int line_no = 0;
    while (read_line(*buf, line, too_long)) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line_no == 1 && text::starts_with(line, "\xEF\xBB\xBF")) line.erase(0, 3);  // BOM
      if (!too_long && text::trim(line).empty()) continue;
      ++report.lines;
      if (too_long) {
        reject(line_no, "line longer than " + std::to_string(kMaxLineBytes) + " bytes");
        continue;
      }
      if (std::size_t bad = text::find_invalid_utf8(line); bad != std::string::npos) {
        reject(line_no, "not valid UTF-8 (byte " + std::to_string(bad + 1) + "); save the file as UTF-8");
        continue;
      }
      auto event = event_from_json(line);
      if (!event.ok()) {
        reject(line_no, event.status().message());
        continue;
      }
      batch.push_back(std::move(event).value());
      batch_lines.push_back(line_no);
      if (batch.size() >= batch_size)
        if (Status s = flush(); !s.ok()) return s;
    }
    if (Status s = flush(); !s.ok()) return s;
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, source_name + ": internal error: " + e.what());
  }
  std::stable_sort(report.errors.begin(), report.errors.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  return report;
}

Result<std::size_t> EventStore::export_jsonl(std::ostream& out, const ExportOptions& options) {
  std::lock_guard lock(impl_->mu);
  HM_STORE_GUARD({
    std::string sql = std::string(kSelectColumns) + " WHERE ts >= ?1 AND ts < ?2";
    if (!options.types.empty()) {
      sql += " AND type IN (";
      for (std::size_t i = 0; i < options.types.size(); ++i)
        sql += std::string(i ? ", '" : "'") + event_type_name(options.types[i]) + "'";
      sql += ")";
    }
    sql += " ORDER BY ts, seq";
    sql::exec(impl_->db, "BEGIN");  // one snapshot, even while others write
    std::size_t n = 0;
    try {
      sql::Stmt s(impl_->db, sql);
      s.bind(1, options.since_ms.value_or(0));
      s.bind(2, options.until_ms.value_or(INT64_MAX));
      while (s.step()) {
        out << event_to_json(event_from_row(s)) << '\n';
        ++n;
      }
      sql::exec(impl_->db, "COMMIT");
    } catch (...) {
      sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    out.flush();
    if (!out) return Status(ErrorCode::kIoError, "writing the export failed (disk full or closed pipe?)");
    return n;
  })
}

Result<std::size_t> EventStore::prune(std::int64_t cutoff_ms) {
  std::lock_guard lock(impl_->mu);
  if (impl_->options.read_only)
    return Status(ErrorCode::kInvalidArgument, impl_->path + ": opened read-only");
  HM_STORE_GUARD({
    std::size_t deleted = 0;
    sql::Stmt del(impl_->db,
                  "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE ts < ?1 LIMIT 5000)");
    while (true) {
      std::size_t changed = 0;
      impl_->write_transaction([&] {
        del.reset();
        del.bind(1, cutoff_ms);
        del.step();
        changed = static_cast<std::size_t>(sqlite3_changes(impl_->db));
        del.reset();
      });
      deleted += changed;
      if (changed == 0) break;
    }
    sqlite3_wal_checkpoint_v2(impl_->db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return deleted;
  })
}

Result<std::size_t> EventStore::count_older_than(std::int64_t cutoff_ms) {
  std::lock_guard lock(impl_->mu);
  HM_STORE_GUARD({
    sql::Stmt s(impl_->db, "SELECT count(*) FROM events WHERE ts < ?1");
    s.bind(1, cutoff_ms);
    s.step();
    return static_cast<std::size_t>(s.int64(0));
  })
}

Result<StoreInfo> EventStore::info() {
  std::lock_guard lock(impl_->mu);
  HM_STORE_GUARD({
    StoreInfo info;
    info.path = impl_->path;
    info.schema_version = static_cast<int>(sql::query_int(impl_->db, "PRAGMA user_version"));
    sql::Stmt s(impl_->db, "SELECT count(*), min(ts), max(ts), count(DISTINCT session) FROM events");
    if (s.step()) {
      info.events = static_cast<std::size_t>(s.int64(0));
      if (info.events) {
        info.oldest = format_timestamp(s.int64(1));
        info.newest = format_timestamp(s.int64(2));
      }
      info.sessions = static_cast<std::size_t>(s.int64(3));
    }
    sql::Stmt t(impl_->db, "SELECT type, count(*) FROM events GROUP BY type ORDER BY type");
    while (t.step()) info.by_type[std::string(t.text(0))] = static_cast<std::size_t>(t.int64(1));
    return info;
  })
}

Status EventStore::for_each_session(const std::function<void(const SessionEvents&)>& visit,
                                    std::optional<std::int64_t> since_ms, std::optional<std::int64_t> until_ms) {
  std::lock_guard lock(impl_->mu);
  HM_STORE_GUARD({
    sql::exec(impl_->db, "BEGIN");  // one snapshot, even while others write
    try {
      sql::Stmt s(impl_->db, std::string(kSelectColumns) +
                                 " INDEXED BY events_by_session WHERE ts >= ?1 AND ts < ?2 ORDER BY session, ts, seq");
      s.bind(1, since_ms.value_or(0));
      s.bind(2, until_ms.value_or(INT64_MAX));
      SessionEvents current;
      while (s.step()) {
        if (std::string_view(s.text(3)) != current.session) {
          if (!current.events.empty()) visit(current);
          current.events.clear();
          current.ts_ms.clear();
          current.session = s.text(3);
        }
        current.events.push_back(event_from_row(s));
        current.ts_ms.push_back(s.int64(2));
      }
      if (!current.events.empty()) visit(current);
      sql::exec(impl_->db, "COMMIT");
    } catch (...) {
      sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    return Status();
  })
}

Result<Report> EventStore::report(const ReportOptions& options) {
  std::lock_guard lock(impl_->mu);
  HM_STORE_GUARD({
    sql::exec(impl_->db, "BEGIN");  // every query of the report sees the same snapshot
    try {
      Report r = detail::compute_report(impl_->db, options);
      sql::exec(impl_->db, "COMMIT");
      return r;
    } catch (...) {
      sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  })
}

Status EventStore::check_integrity() {
  std::lock_guard lock(impl_->mu);
  try {
    sql::Stmt s(impl_->db, "PRAGMA integrity_check");
    std::string problems;
    while (s.step()) {
      std::string line(s.text(0));
      if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
    }
    if (!problems.empty()) return Status(ErrorCode::kCorrupt, impl_->path + ": " + problems);
    return Status::Ok();
  } catch (const sql::Error& e) {
    return impl_->error(e);
  }
}

}  // namespace helpmark::tracking
