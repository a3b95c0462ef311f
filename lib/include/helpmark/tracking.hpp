// Article-effectiveness tracking: the events that happen around search (searches, clicks,
// views, feedback, bot answers, tickets), a durable multi-process event store, privacy
// scrubbing before anything is stored, and the metrics a support team reads (click-through,
// deflection, zero-result queries, content gaps) as tables, JSON, CSV or an HTML report.
//
// Everything lives in helpmark::tracking. No SQLite, ICU or JSON type appears here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helpmark/status.hpp"

namespace helpmark {
class Index;
}

namespace helpmark::tracking {

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

enum class EventType { kSearch, kClick, kView, kFeedback, kBotAnswer, kTicket };

/// "search", "click", "view", "feedback", "bot_answer", "ticket": the JSONL `type` values.
const char* event_type_name(EventType type);
/// The type named `name` (exactly as event_type_name spells it), or nullopt.
std::optional<EventType> parse_event_type(std::string_view name);

/// Hard limits. A value over a limit rejects the event (nothing is truncated silently).
inline constexpr std::size_t kMaxTextBytes = 2000;   ///< query, question, reason.
inline constexpr std::size_t kMaxIdBytes = 200;      ///< id, session, article, search_id, results.
inline constexpr std::size_t kMaxResults = 1000;     ///< Ids in a search's `results`.
inline constexpr std::size_t kMaxFilterValues = 64;  ///< Values over all of a search's filters.
inline constexpr std::size_t kMaxLineBytes = 1 << 20;  ///< One JSONL line on import.

/// One thing that happened. Which fields apply depends on `type` (see docs/tracking.md, "Event
/// schema"); fields that do not apply to the type must stay empty, or the event is rejected.
/// A value type: thread-compatible.
struct Event {
  EventType type = EventType::kSearch;
  /// Optional idempotency key chosen by the caller. When empty, the store derives one from the
  /// event's content, so recording the same event twice (a retry) stores it once.
  std::string id;
  /// When it happened: ISO 8601 with a UTC designator or offset, e.g. "2026-11-01T10:00:00Z",
  /// "2026-11-01T11:00:00.250+01:00". Stored in UTC with millisecond precision.
  std::string ts;
  /// Opaque id of the visit, chosen by the caller. Never an email address or a user id.
  std::string session;

  // Optional context, on any type.
  std::string locale;    ///< BCP 47, e.g. "es", "pt-BR".
  std::string audience;  ///< e.g. buyer, seller, partner.
  std::string journey;   ///< Journey id, e.g. payments (for a ticket: what it was about).

  // search
  std::string query;  ///< What was typed; may be empty (browsing with filters). Scrubbed.
  std::map<std::string, std::vector<std::string>> filters;  ///< e.g. {"journey": ["payments"]}.
  std::optional<std::int64_t> total;  ///< Number of results; defaults to results.size().
  std::vector<std::string> results;   ///< Article ids shown, in order.

  // click
  std::string search_id;  ///< The `id` of the search whose result was clicked (optional).
  int position = 0;       ///< 1-based rank of the clicked result.

  // click, view, feedback (required); bot_answer (optional): the article concerned.
  std::string article;

  // view
  std::string source;  ///< How it was opened: "search", "link", "bot" or "other" (default).

  // feedback: one vote per article and session; a later vote replaces the earlier one.
  std::optional<bool> helpful;
  std::string reason;  ///< Optional free text. Scrubbed.
  /// Optional, with helpful = false only: why it did not help, one of feedback_reasons().
  std::string reason_code;

  // bot_answer
  std::string question;  ///< What the customer asked the bot. Scrubbed.
  std::optional<double> confidence;  ///< 0..1.
  std::optional<bool> escalated;     ///< The bot handed over to a human.
  std::optional<bool> accepted;      ///< The customer accepted the answer.
};

/// The reason codes a "not helpful" vote may carry: "not-my-question", "unclear", "outdated",
/// "did-not-work", "other". A fixed list, so the report can count and label them and no free
/// text hides in a code.
const std::vector<std::string>& feedback_reasons();

/// Parses one JSONL line (a JSON object) into an event. Errors name the field and say what is
/// expected; unknown fields are errors (a misspelt optional field would otherwise be lost).
Result<Event> event_from_json(std::string_view json);

/// The canonical one-line JSON of an event (fixed key order; empty fields omitted). This is
/// what `export` writes and `import` reads back.
std::string event_to_json(const Event& event);

/// Parses an ISO 8601 timestamp (see Event::ts) into milliseconds since 1970-01-01 UTC.
std::optional<std::int64_t> parse_timestamp(std::string_view ts);
/// "2026-11-01T10:00:00Z", with ".mmm" only when the milliseconds are not zero.
std::string format_timestamp(std::int64_t ms_since_epoch);
/// The current time as milliseconds since the epoch.
std::int64_t now_ms();

// ---------------------------------------------------------------------------------------------
// Privacy
// ---------------------------------------------------------------------------------------------

/// An extra personal-data pattern: matches of `regex` (ICU syntax) become "<name>".
struct ScrubPattern {
  std::string name;   ///< Lower-case letters, digits, '_' or '-', e.g. "order".
  std::string regex;  ///< e.g. "ORD-\\d{4,}".
};

/// Loads patterns from a YAML file of the form
///   patterns:
///     - {name: order, regex: 'ORD-\d{4,}'}
/// Errors name the file and line.
Result<std::vector<ScrubPattern>> load_scrub_patterns(const std::filesystem::path& file);

/// Replaces personal data in free text with placeholders: email addresses (<email>), IBANs
/// whose mod-97 check passes (<iban>), card numbers whose Luhn check passes (<card>), IP
/// addresses (<ip>), phone numbers (<phone>) and every configured pattern (<name>).
/// Full-width forms (U+FF01..U+FF5E, common in Japanese and Chinese input) are folded to ASCII
/// first so "０９０－１２３４－５６７８" is caught too.
///
/// Thread-safe: scrub() is const and may run on many threads at once.
class Scrubber {
 public:
  /// A scrubber with the built-in detectors only.
  Scrubber();
  /// Adds `patterns`; kInvalidArgument names the first bad name or regex.
  static Result<Scrubber> create(const std::vector<ScrubPattern>& patterns);
  Scrubber(Scrubber&&) noexcept;
  Scrubber& operator=(Scrubber&&) noexcept;
  ~Scrubber();

  std::string scrub(std::string_view text) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

/// How hard a commit works to survive failures.
enum class Durability {
  /// fsync on every commit: an acknowledged event survives a process crash, an OS crash and a
  /// power cut. The default.
  kFull,
  /// No fsync on commit (SQLite WAL + synchronous=NORMAL): an acknowledged event survives a
  /// crash of the process (kill -9), but the last commits may be lost on an OS crash or power
  /// cut. Several times faster for single-event writes.
  kNormal,
};

struct StoreOptions {
  bool read_only = false;  ///< Never writes (report, export). The store must exist.
  bool create = true;      ///< Create the file (and its directory) when missing.
  Durability durability = Durability::kFull;
  /// How long a writer waits for another process's transaction before giving up (kLocked).
  int busy_timeout_ms = 30000;
  std::vector<ScrubPattern> scrub_patterns;  ///< Extra personal-data patterns.
};

/// What happened to one event of a batch.
struct EventOutcome {
  enum class State { kStored, kDuplicate, kRejected };
  State state = State::kRejected;
  std::string id;     ///< The event's id (given or derived); empty when rejected.
  std::string error;  ///< Why it was rejected; empty otherwise.
};

struct BatchOutcome {
  std::vector<EventOutcome> outcomes;  ///< One per input event, in input order.
  std::size_t stored = 0;
  std::size_t duplicates = 0;  ///< Already in the store (a retry): not written again.
  std::size_t rejected = 0;
};

struct Recorded {
  std::string id;
  bool duplicate = false;  ///< It was already stored (a retry); nothing was written.
};

struct ImportReport {
  std::size_t lines = 0;  ///< Non-blank lines read.
  std::size_t stored = 0;
  std::size_t duplicates = 0;
  std::size_t rejected = 0;
  std::vector<Diagnostic> errors;  ///< One per rejected line: "file:line: error: why".
};

struct ExportOptions {
  std::optional<std::int64_t> since_ms;  ///< Only events at or after this time.
  std::optional<std::int64_t> until_ms;  ///< Only events before this time.
  std::vector<EventType> types;          ///< Only these types; empty = all.
};

struct StoreInfo {
  std::string path;
  int schema_version = 0;
  std::size_t events = 0;
  std::string oldest, newest;  ///< Timestamps; empty when the store is empty.
  std::map<std::string, std::size_t> by_type;
  std::size_t sessions = 0;
};

struct ReportOptions;
struct Report;

/// One visit's events in time order (what the learning loop reads; see helpmark/learning.hpp).
struct SessionEvents {
  std::string session;
  std::vector<Event> events;            ///< Ordered by time, then by the order they were stored.
  std::vector<std::int64_t> ts_ms;      ///< Each event's time, milliseconds since the epoch.
};

/// A durable event store: one SQLite database file in WAL mode.
///
/// Several processes (and several EventStore objects in one process) may write the same file
/// at once: every write is a transaction, waits up to busy_timeout_ms for the others, and each
/// event is stored at most once (its id is UNIQUE). Reading (report, export) never blocks
/// writers. An event is acknowledged (record() returns ok) only after its transaction has
/// committed; see Durability for what that survives.
///
/// Thread-safe: one EventStore may be shared by threads; its calls are serialised by an
/// internal mutex (give each thread its own EventStore for parallel writes). Do not use an
/// EventStore in a child process after fork(); open a new one there.
class EventStore {
 public:
  /// The schema version this build reads and writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 3;

  /// Opens (and with options.create, creates) the store at `path`, migrating an older schema
  /// forward. kNotFound when missing and not to be created, kCorrupt when the file is not a
  /// helpmark event store or was written by a newer helpmark, kLocked when another process
  /// holds it longer than busy_timeout_ms, kInvalidArgument for a bad scrub pattern.
  static Result<EventStore> open(const std::filesystem::path& path, const StoreOptions& options = {});

  EventStore(EventStore&&) noexcept;
  EventStore& operator=(EventStore&&) noexcept;
  ~EventStore();

  /// Validates, scrubs and stores one event. kInvalidInput (message: why) when the event is
  /// invalid; a retry of a stored event returns its id with duplicate = true.
  Result<Recorded> record(const Event& event);

  /// Records many events in one transaction: invalid events are rejected one by one (see the
  /// outcomes) and never prevent the valid ones from being stored. An error Status means the
  /// store itself failed (locked, disk full) and nothing of the batch was written.
  Result<BatchOutcome> record_batch(const std::vector<Event>& events);

  /// record() for one JSON object (the JSONL form), for bindings that speak JSON.
  Result<Recorded> record_json(std::string_view json);

  /// Reads JSONL from `in` (one event a line; blank lines ignored) and records it in batches of
  /// `batch_size`. Bad lines are rejected with their line number in the report and never lose
  /// the valid ones. `source_name` prefixes the diagnostics ("events.jsonl:12: error: ...").
  /// `on_progress` (optional) is called after each batch with the number of lines read.
  Result<ImportReport> import_jsonl(std::istream& in, const std::string& source_name = "-",
                                    std::size_t batch_size = 1000,
                                    const std::function<void(std::size_t)>& on_progress = {});

  /// Writes events as canonical JSONL ordered by time; returns how many were written.
  Result<std::size_t> export_jsonl(std::ostream& out, const ExportOptions& options = {});

  /// Deletes every event older than `cutoff_ms` (ts < cutoff) in short transactions, so other
  /// writers are not held up; returns how many were deleted.
  Result<std::size_t> prune(std::int64_t cutoff_ms);
  /// How many events prune(cutoff_ms) would delete.
  Result<std::size_t> count_older_than(std::int64_t cutoff_ms);

  Result<StoreInfo> info();

  /// Calls `visit` once per session with its events at or after `since_ms` and before
  /// `until_ms`, in time order, one session at a time (the store is streamed, never loaded),
  /// inside one read snapshot. An exception thrown by `visit` ends the walk (kInternal).
  Status for_each_session(const std::function<void(const SessionEvents&)>& visit,
                          std::optional<std::int64_t> since_ms = std::nullopt,
                          std::optional<std::int64_t> until_ms = std::nullopt);

  /// Computes the effectiveness report; see ReportOptions and docs/tracking.md ("Metrics: definitions").
  Result<Report> report(const ReportOptions& options);

  /// Runs SQLite's integrity check; ok when the file is sound.
  Status check_integrity();

 private:
  class Impl;
  explicit EventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// Metrics and reports
// ---------------------------------------------------------------------------------------------

/// What the report needs to know about an article.
struct ArticleMeta {
  std::string title;
  std::string journey;
  std::string locale;
  /// The article's `translation_of`, else its id (Index's SearchHit::translation_group): the
  /// report shows the translations of one article as one row. Empty: the article's own id.
  std::string translation_group;
};
/// Looks up an article by id; nullopt when unknown.
using ArticleLookup = std::function<std::optional<ArticleMeta>(const std::string& id)>;
/// Guesses the journey a question belongs to (e.g. by searching the index); "" when unknown.
using JourneyGuesser = std::function<std::string(const std::string& text, const std::string& locale)>;

/// Article metadata from an index (Index::get). `index` must outlive the returned function.
ArticleLookup article_lookup_from_index(const Index& index);
/// The journey of the best hits for a text in an index. `index` must outlive the function.
JourneyGuesser journey_guesser_from_index(const Index& index);

enum class Bucket { kAuto, kDay, kWeek, kMonth };

struct ReportOptions {
  std::optional<std::int64_t> from_ms;  ///< Count events at or after this time.
  std::optional<std::int64_t> to_ms;    ///< Count events before this time.
  std::string journey;   ///< Only events resolved to this journey (see docs/tracking.md).
  /// Only events resolved to this locale; "all" selects searches made without a locale (across
  /// every language).
  std::string locale;
  std::string audience;  ///< Only events resolved to this audience.
  /// A session that viewed an article is deflected when it opened no ticket within this time
  /// after its first view of it (the end is inclusive).
  std::int64_t deflection_window_ms = 24LL * 3600 * 1000;
  /// A search is refined when the same session searches again within this time.
  std::int64_t refine_window_ms = 5LL * 60 * 1000;
  std::size_t top = 20;  ///< Rows per table (0 = all).
  std::size_t min_gap_count = 2;  ///< A content gap needs at least this many occurrences.
  std::size_t low_click_min_searches = 3;
  double low_click_max_ctr = 0.25;
  std::string default_locale = "en";  ///< Analyses queries that carry no locale.
  Bucket bucket = Bucket::kAuto;
  /// With from_ms: also count the headline figures (Report::previous) of the period of the same
  /// length just before it. An open to_ms ends at the newest event in the store.
  bool compare_previous = true;
  ArticleLookup article_lookup;     ///< Optional: titles and journeys of articles.
  JourneyGuesser journey_guesser;   ///< Optional: journey of a content gap without evidence.
};

/// Sessions that viewed something, and what became of them.
struct Deflection {
  std::size_t viewing_sessions = 0;
  std::size_t deflected = 0;  ///< No ticket within the window after the first view.
  std::size_t ticketed = 0;   ///< A ticket within the window ("tickets after viewing").
  std::size_t pending = 0;    ///< Window not over yet at the newest event in the store.
  /// deflected / (deflected + ticketed); nullopt when both are zero.
  std::optional<double> rate() const;
};

/// Counts shared by the whole report, each group and each time bucket.
struct Counts {
  std::size_t sessions = 0;
  std::size_t searches = 0;
  std::size_t zero_result_searches = 0;
  std::size_t clicked_searches = 0;  ///< Searches with at least one click on their results.
  std::size_t refined_searches = 0;
  std::size_t abandoned_searches = 0;
  std::size_t clicks = 0;
  std::size_t views = 0;
  std::size_t helpful_yes = 0;
  std::size_t helpful_no = 0;
  std::size_t bot_answers = 0;
  std::size_t bot_accepted = 0;
  std::size_t bot_escalated = 0;
  std::size_t tickets = 0;
  Deflection deflection;
};

/// One article, or the translations of one article together (one row, as search collapses
/// them): then `article` is the translation group's id (the original's), the counts are the
/// group's (a session that read two translations counts once for deflection) and `translations`
/// holds each translation's own metrics, most viewed first.
struct ArticleMetrics {
  std::string article;
  std::string title;    ///< From the article lookup; empty when unknown.
  std::string journey;  ///< From the lookup, else the events' journey, else "unknown".
  std::string locale;   ///< From the lookup; empty when unknown or for a group of several.
  std::size_t impressions = 0;  ///< Searches that listed it in their results.
  std::size_t clicks = 0;
  std::size_t views = 0;
  std::size_t click_position_sum = 0;
  std::size_t helpful_yes = 0;
  std::size_t helpful_no = 0;
  /// Of the "not helpful" votes, how many gave each reason code (see feedback_reasons()).
  std::map<std::string, std::size_t> unhelpful_reasons;
  std::size_t bot_answers = 0;
  std::size_t bot_accepted = 0;
  std::size_t bot_escalated = 0;
  Deflection deflection;

  /// Per translation, when more than one translation of the article had events.
  std::vector<ArticleMetrics> translations;

  std::optional<double> ctr() const;                  ///< clicks / impressions.
  std::optional<double> mean_click_position() const;  ///< Mean 1-based rank of its clicks.
  std::optional<double> helpful_ratio() const;        ///< yes / (yes + no).
};

/// A group of searches whose normalised queries are equal ("Refund", "refunds" -> "refund").
struct QueryMetrics {
  std::string key;     ///< Sorted stems of the words, e.g. "late refund".
  std::string locale;  ///< The locale whose analyser normalised it.
  std::string text;    ///< The most frequent form as typed (scrubbed).
  std::vector<std::pair<std::string, std::size_t>> variants;  ///< Forms as typed, most frequent first.
  std::size_t searches = 0;
  std::size_t sessions = 0;
  std::size_t zero_results = 0;
  std::size_t clicked = 0;
  std::size_t refined = 0;
  std::size_t abandoned = 0;

  std::optional<double> ctr() const;  ///< clicked / searches.
};

/// Frequent zero-result searches and escalated bot questions, with the journey they most likely
/// belong to.
struct ContentGap {
  std::string key;
  std::string locale;
  std::string text;
  std::size_t zero_result_searches = 0;
  std::size_t escalated_questions = 0;
  std::size_t sessions = 0;
  std::size_t ticket_sessions = 0;  ///< Sessions that opened a ticket after asking it.
  std::string journey;        ///< Most likely journey, or "unknown".
  std::string journey_basis;  ///< "sessions" (what those sessions did next), "index", or "none".
};

struct GroupMetrics {
  std::string value;  ///< Journey id, locale, audience, or bucket start date.
  Counts counts;
};

struct Report {
  std::string from, to;   ///< The range as given (ISO timestamps); empty = open.
  std::string first_event, last_event;  ///< Of the counted events.
  std::string horizon;    ///< Newest event in the store (decides which windows are over).
  std::string generated_at;
  std::string bucket;     ///< "day", "week" or "month".
  std::int64_t deflection_window_ms = 0;
  std::int64_t refine_window_ms = 0;
  std::string journey_filter, locale_filter, audience_filter;
  std::size_t low_click_min_searches = 0;
  double low_click_max_ctr = 0;
  std::size_t min_gap_count = 0;

  Counts totals;
  /// The headline figures of the period of the same length just before [from, to), when the
  /// report has a start (ReportOptions::compare_previous).
  struct Previous {
    std::string from, to;
    Counts totals;
  };
  std::optional<Previous> previous;
  std::vector<ArticleMetrics> articles;          ///< Most viewed first.
  std::vector<QueryMetrics> queries;             ///< Most searched first.
  std::vector<QueryMetrics> zero_result_queries; ///< Most zero-result searches first.
  std::vector<QueryMetrics> low_click_queries;   ///< Lowest click-through first.
  std::vector<ContentGap> content_gaps;          ///< Most frequent first.
  std::vector<GroupMetrics> journeys, locales, audiences;  ///< Most sessions first.
  std::vector<GroupMetrics> time;                ///< Chronological.
};

/// numerator / denominator, or nullopt when the denominator is zero.
std::optional<double> ratio(std::size_t numerator, std::size_t denominator);

/// Readable tables for a terminal.
std::string report_to_text(const Report& report);
/// One JSON object (schema in docs/tracking.md).
std::string report_to_json(const Report& report);
/// The CSV (RFC 4180) of one table: articles, queries, zero-results, low-click, gaps,
/// journeys, locales, audiences or time. Cells that a spreadsheet would run as a formula are
/// prefixed with '. kInvalidArgument for an unknown table.
Result<std::string> report_to_csv(const Report& report, std::string_view table);
/// The table names report_to_csv accepts.
const std::vector<std::string>& report_tables();
/// A self-contained HTML page (inline CSS and SVG charts, no script, no network).
std::string report_to_html(const Report& report);
/// One chart of the HTML page as a standalone SVG document (its own fonts and colours), for
/// embedding: "articles" (deflection of the most viewed articles), "queries" (top queries),
/// "journeys" (deflection by journey) or "time" (searches, views and tickets over time). A chart
/// without data says so in the picture. kInvalidArgument for an unknown chart.
Result<std::string> report_chart_svg(const Report& report, std::string_view chart);
/// The chart names report_chart_svg accepts.
const std::vector<std::string>& report_charts();

}  // namespace helpmark::tracking
