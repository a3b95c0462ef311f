// helpmark track: record events (one from flags, or many from JSONL), export, prune, inspect.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands/commands.hpp"
#include "commands/track_common.hpp"
#include "helpmark/json.hpp"
#include "helpmark/tracking.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

using nlohmann::ordered_json;
using tracking::Event;
using tracking::EventStore;
using tracking::EventType;

std::string dump(const ordered_json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); }

struct StoreFlags {
  std::string store;
  std::string privacy;
  bool json = false;
  std::string path() const { return store.empty() ? default_store_path() : store; }
};

void add_store_flags(CLI::App* sub, StoreFlags& f, bool privacy) {
  sub->add_option("--store", f.store,
                  "Event store file (default: $HELPMARK_STORE, else events.sqlite beside the index: "
                  ".helpmark/events.sqlite)");
  if (privacy)
    sub->add_option("--privacy", f.privacy,
                    "YAML file of extra personal-data patterns to scrub (default: $HELPMARK_PRIVACY, "
                    "else privacy.yaml beside the store when present)");
  sub->add_flag("--json", f.json, "Print the result as JSON");
}

Result<EventStore> open_store(const StoreFlags& f, bool writing) {
  tracking::StoreOptions options;
  const std::string path = f.path();
  if (writing) {
    auto patterns = scrub_patterns_for(f.privacy, path);
    if (!patterns.ok()) return patterns.status();
    options.scrub_patterns = std::move(patterns).value();
  } else {
    options.read_only = true;
  }
  return EventStore::open(path, options);
}

// ---- one event from flags -------------------------------------------------------------------

struct RecordCommand {
  StoreFlags store;
  EventType type = EventType::kSearch;
  std::string id, ts, session, locale, audience, journey;
  std::string query, article, search_id, source, reason, reason_code, question;
  std::vector<std::string> results, filters;
  std::int64_t total = -1;
  int position = 0;
  std::string helpful, escalated, accepted;
  double confidence = -1;
};

Result<std::optional<bool>> yes_no(const std::string& flag, const std::string& value) {
  if (value.empty()) return std::optional<bool>();
  if (value == "yes" || value == "true" || value == "1") return std::optional<bool>(true);
  if (value == "no" || value == "false" || value == "0") return std::optional<bool>(false);
  return Status(ErrorCode::kInvalidArgument, flag + " takes yes or no, not '" + value + "'");
}

int run_record(const RecordCommand& cmd) {
  Event e;
  e.type = cmd.type;
  e.id = cmd.id;
  e.ts = cmd.ts.empty() ? tracking::format_timestamp(tracking::now_ms()) : cmd.ts;
  e.session = cmd.session;
  e.locale = cmd.locale;
  e.audience = cmd.audience;
  e.journey = cmd.journey;
  e.query = cmd.query;
  e.results = cmd.results;
  if (cmd.total >= 0) e.total = cmd.total;
  for (const auto& f : cmd.filters) {
    const auto eq = f.find('=');
    if (eq == std::string::npos || eq == 0)
      return report_error(Status(ErrorCode::kInvalidArgument,
                                 "--filter takes NAME=VALUE, e.g. --filter journey=payments (got '" + f + "')"),
                          cmd.store.json);
    e.filters[f.substr(0, eq)].push_back(f.substr(eq + 1));
  }
  e.article = cmd.article;
  e.search_id = cmd.search_id;
  e.position = cmd.position;
  e.source = cmd.source;
  e.reason = cmd.reason;
  e.reason_code = cmd.reason_code;
  e.question = cmd.question;
  if (cmd.confidence >= 0) e.confidence = cmd.confidence;
  auto helpful = yes_no("--helpful", cmd.helpful);
  auto escalated = yes_no("--escalated", cmd.escalated);
  auto accepted = yes_no("--accepted", cmd.accepted);
  for (const auto* r : {&helpful, &escalated, &accepted})
    if (!r->ok()) return report_error(r->status(), cmd.store.json);
  e.helpful = helpful.value();
  e.escalated = escalated.value();
  e.accepted = accepted.value();

  auto store = open_store(cmd.store, true);
  if (!store.ok()) return report_error(store.status(), cmd.store.json);
  auto recorded = store->record(e);
  if (!recorded.ok()) {
    Status s = recorded.status();
    // A rejected event is a problem with the flags given.
    if (s.code() == ErrorCode::kInvalidInput)
      s = Status(ErrorCode::kInvalidArgument, "event rejected: " + s.message());
    return report_error(s, cmd.store.json);
  }
  if (cmd.store.json) {
    std::cout << dump({{"id", recorded->id},
                       {"status", recorded->duplicate ? "duplicate" : "stored"},
                       {"type", tracking::event_type_name(e.type)},
                       {"store", cmd.store.path()}})
              << "\n";
  } else if (recorded->duplicate) {
    std::printf("already stored: %s event %s in %s (nothing written twice)\n", tracking::event_type_name(e.type),
                recorded->id.c_str(), cmd.store.path().c_str());
  } else {
    std::printf("stored %s event %s in %s\n", tracking::event_type_name(e.type), recorded->id.c_str(),
                cmd.store.path().c_str());
  }
  return kExitOk;
}

void add_record_subcommand(CLI::App* track, int& exit_code, EventType type, const char* name,
                           const std::string& help) {
  auto cmd = std::make_shared<RecordCommand>();
  cmd->type = type;
  CLI::App* sub = track->add_subcommand(name, help);
  sub->add_option("--session", cmd->session, "Opaque session id chosen by your site (never an email)")->required();
  sub->add_option("--ts", cmd->ts, "When it happened, ISO 8601 UTC (default: now), e.g. 2026-11-01T10:00:00Z");
  sub->add_option("--id", cmd->id, "Idempotency key: the same id is never stored twice (default: derived from the event)");
  sub->add_option("--locale", cmd->locale, "Locale of the page or question, e.g. es, pt-BR");
  sub->add_option("--audience", cmd->audience, "Who the customer is: buyer, seller, partner");
  sub->add_option("--journey", cmd->journey,
                  type == EventType::kTicket ? "What the ticket is about (journey id), e.g. payments"
                                             : "Journey id, when your site knows it");
  switch (type) {
    case EventType::kSearch:
      sub->add_option("query", cmd->query, "The query as typed (personal data is scrubbed before storing)")->required();
      sub->add_option("--results", cmd->results, "Article ids shown, in order (comma-separated)")->delimiter(',');
      sub->add_option("--total", cmd->total, "Number of results found (default: the number of --results)");
      sub->add_option("--filter", cmd->filters, "A filter that was applied, NAME=VALUE (repeatable)");
      break;
    case EventType::kClick:
      sub->add_option("--article", cmd->article, "The clicked article id")->required();
      sub->add_option("--position", cmd->position, "Its 1-based rank in the results")->required()->check(CLI::PositiveNumber);
      sub->add_option("--search-id", cmd->search_id, "The id of the search it came from (optional)");
      break;
    case EventType::kView:
      sub->add_option("--article", cmd->article, "The article id")->required();
      sub->add_option("--source", cmd->source, "How it was opened: search, link, bot or other")
          ->check(CLI::IsMember({"search", "link", "bot", "other"}));
      break;
    case EventType::kFeedback:
      sub->add_option("--article", cmd->article, "The article id")->required();
      sub->add_option("--helpful", cmd->helpful, "Was it helpful: yes or no")->required();
      sub->add_option("--reason", cmd->reason, "Optional free text (personal data is scrubbed)");
      sub->add_option("--reason-code", cmd->reason_code,
                      "Why it did not help (with --helpful no): not-my-question, unclear, outdated, "
                      "did-not-work or other")
          ->check(CLI::IsMember(tracking::feedback_reasons()));
      break;
    case EventType::kBotAnswer:
      sub->add_option("question", cmd->question, "What the customer asked (personal data is scrubbed)")->required();
      sub->add_option("--article", cmd->article, "The article the bot answered with");
      sub->add_option("--confidence", cmd->confidence, "The bot's confidence, 0 to 1")->check(CLI::Range(0.0, 1.0));
      sub->add_option("--escalated", cmd->escalated, "Handed over to a human: yes or no");
      sub->add_option("--accepted", cmd->accepted, "The customer accepted the answer: yes or no");
      break;
    case EventType::kTicket:
      break;
  }
  add_store_flags(sub, cmd->store, true);
  sub->callback([cmd, &exit_code] { exit_code = run_record(*cmd); });
}

// ---- import ---------------------------------------------------------------------------------

struct ImportCommand {
  StoreFlags store;
  std::vector<std::string> files;
  std::size_t batch_size = 1000;
  bool quiet = false;
};

int run_import(const ImportCommand& cmd) {
  auto store = open_store(cmd.store, true);
  if (!store.ok()) return report_error(store.status(), cmd.store.json);
  const bool progress = stderr_is_terminal() && !cmd.quiet && !cmd.store.json;
  tracking::ImportReport total;
  ordered_json files = ordered_json::array();
  for (const auto& file : cmd.files) {
    std::ifstream in;
    std::istream* stream = &std::cin;
    if (file != "-") {
      in.open(file, std::ios::binary);
      if (!in)
        return report_error(Status(ErrorCode::kNotFound, file + ": cannot open the file (does it exist?)"),
                            cmd.store.json);
      stream = &in;
    }
    std::function<void(std::size_t)> on_progress;
    if (progress)
      on_progress = [&file](std::size_t lines) { std::fprintf(stderr, "\rimporting %s: %zu lines", file.c_str(), lines); };
    auto report = store->import_jsonl(*stream, file == "-" ? "<stdin>" : file, cmd.batch_size, on_progress);
    if (progress) std::fprintf(stderr, "\r\033[K");
    if (!report.ok()) return report_error(report.status(), cmd.store.json);
    const auto& r = report.value();
    total.lines += r.lines;
    total.stored += r.stored;
    total.duplicates += r.duplicates;
    total.rejected += r.rejected;
    total.errors.insert(total.errors.end(), r.errors.begin(), r.errors.end());
    ordered_json errors = ordered_json::array();
    for (const auto& d : r.errors) errors.push_back({{"line", d.line}, {"message", d.message}});
    files.push_back({{"file", file}, {"lines", r.lines}, {"stored", r.stored}, {"duplicates", r.duplicates},
                     {"rejected", r.rejected}, {"errors", errors}});
    if (!cmd.store.json)
      std::printf("%s: %zu events read, %zu stored, %zu already present, %zu rejected\n", file.c_str(), r.lines,
                  r.stored, r.duplicates, r.rejected);
  }
  if (cmd.store.json) {
    std::cout << dump({{"store", cmd.store.path()}, {"lines", total.lines}, {"stored", total.stored},
                       {"duplicates", total.duplicates}, {"rejected", total.rejected}, {"files", files}})
              << "\n";
  } else {
    print_diagnostics(total.errors);
    if (total.rejected)
      std::fprintf(stderr, "helpmark: %zu line%s rejected; the other events were stored. Fix the lines above and "
                           "import the file again (stored events are not duplicated).\n",
                   total.rejected, total.rejected == 1 ? "" : "s");
  }
  if (total.rejected == 0) return kExitOk;
  return total.stored + total.duplicates > 0 ? kExitPartial : kExitError;
}

// ---- export ---------------------------------------------------------------------------------

struct ExportCommand {
  StoreFlags store;
  std::string since, until, output;
  std::vector<std::string> types;
};

int run_export(const ExportCommand& cmd) {
  tracking::ExportOptions options;
  if (!cmd.since.empty()) {
    options.since_ms = parse_date_or_time(cmd.since);
    if (!options.since_ms)
      return report_error(Status(ErrorCode::kInvalidArgument, "--since takes a date (2026-11-01) or an ISO time, not '" +
                                                                  cmd.since + "'"),
                          false);
  }
  if (!cmd.until.empty()) {
    options.until_ms = parse_date_or_time(cmd.until, true);
    if (!options.until_ms)
      return report_error(Status(ErrorCode::kInvalidArgument, "--until takes a date (2026-11-30) or an ISO time, not '" +
                                                                  cmd.until + "'"),
                          false);
  }
  for (const auto& t : cmd.types) {
    auto type = tracking::parse_event_type(t);
    if (!type)
      return report_error(Status(ErrorCode::kInvalidArgument,
                                 "unknown --type '" + t + "'; types: search, click, view, feedback, bot_answer, ticket"),
                          false);
    options.types.push_back(*type);
  }
  auto store = open_store(cmd.store, false);
  if (!store.ok()) return report_error(store.status(), false);
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!cmd.output.empty() && cmd.output != "-") {
    file.open(cmd.output, std::ios::binary | std::ios::trunc);
    if (!file) return report_error(Status(ErrorCode::kIoError, cmd.output + ": cannot write the file"), false);
    out = &file;
  }
  auto n = store->export_jsonl(*out, options);
  if (!n.ok()) return report_error(n.status(), false);
  if (!cmd.output.empty() && cmd.output != "-")
    std::fprintf(stderr, "exported %zu events to %s\n", n.value(), cmd.output.c_str());
  return kExitOk;
}

// ---- prune ----------------------------------------------------------------------------------

struct PruneCommand {
  StoreFlags store;
  std::string older_than, before;
  bool dry_run = false;
};

int run_prune(const PruneCommand& cmd) {
  std::int64_t cutoff = 0;
  if (!cmd.older_than.empty() == !cmd.before.empty())
    return report_error(Status(ErrorCode::kInvalidArgument,
                               "give exactly one of --older-than (e.g. 400d) or --before (a date)"),
                        cmd.store.json);
  if (!cmd.older_than.empty()) {
    auto age = parse_duration_ms(cmd.older_than);
    if (!age || *age == 0)
      return report_error(Status(ErrorCode::kInvalidArgument, "--older-than takes an age such as 400d, 52w or 36h, "
                                                              "not '" + cmd.older_than + "'"),
                          cmd.store.json);
    cutoff = tracking::now_ms() - *age;
  } else {
    auto t = parse_date_or_time(cmd.before);
    if (!t)
      return report_error(Status(ErrorCode::kInvalidArgument, "--before takes a date (2025-01-01) or an ISO time, "
                                                              "not '" + cmd.before + "'"),
                          cmd.store.json);
    cutoff = *t;
  }
  tracking::StoreOptions options;
  options.create = false;
  auto store = EventStore::open(cmd.store.path(), options);
  if (!store.ok()) return report_error(store.status(), cmd.store.json);
  auto n = cmd.dry_run ? store->count_older_than(cutoff) : store->prune(cutoff);
  if (!n.ok()) return report_error(n.status(), cmd.store.json);
  const std::string cutoff_ts = tracking::format_timestamp(cutoff);
  if (cmd.store.json) {
    std::cout << dump({{"store", cmd.store.path()}, {"cutoff", cutoff_ts}, {"dry_run", cmd.dry_run},
                       {cmd.dry_run ? "would_delete" : "deleted", n.value()}})
              << "\n";
  } else {
    std::printf("%s %zu events older than %s from %s\n", cmd.dry_run ? "would delete" : "deleted", n.value(),
                cutoff_ts.c_str(), cmd.store.path().c_str());
  }
  return kExitOk;
}

// ---- info -----------------------------------------------------------------------------------

int run_info(const StoreFlags& flags) {
  auto store = open_store(flags, false);
  if (!store.ok()) return report_error(store.status(), flags.json);
  auto info = store->info();
  if (!info.ok()) return report_error(info.status(), flags.json);
  const auto& i = info.value();
  if (flags.json) {
    ordered_json types = ordered_json::object();
    for (const auto& [t, n] : i.by_type) types[t] = n;
    std::cout << dump({{"store", i.path}, {"schema_version", i.schema_version}, {"events", i.events},
                       {"sessions", i.sessions}, {"oldest", i.oldest}, {"newest", i.newest}, {"by_type", types}})
              << "\n";
    return kExitOk;
  }
  std::printf("store    %s (schema %d)\nevents   %zu in %zu sessions\n", i.path.c_str(), i.schema_version, i.events,
              i.sessions);
  if (i.events) std::printf("range    %s .. %s\n", i.oldest.c_str(), i.newest.c_str());
  for (const auto& [t, n] : i.by_type) std::printf("  %-11s %zu\n", t.c_str(), n);
  return kExitOk;
}

}  // namespace

void register_track(CLI::App& app, int& exit_code) {
  CLI::App* track = app.add_subcommand(
      "track",
      "Record what happens around search, so `helpmark report` can tell which articles resolve questions.\n"
      "Query texts, bot questions and feedback reasons are scrubbed of emails, phone numbers, card numbers,\n"
      "IBANs, national ids, dates of birth, postcodes, street addresses, names after \"my name is\" and\n"
      "configured patterns before they are stored (docs/tracking.md lists exactly what). Sessions are opaque ids.\n"
      "Examples:\n"
      "  helpmark track search \"refund late\" --session s1 --locale en --results refund-timing,refund-not-received\n"
      "  helpmark track click --session s1 --article refund-timing --position 1\n"
      "  helpmark track view --session s1 --article refund-timing --source search\n"
      "  helpmark track feedback --session s1 --article refund-timing --helpful yes\n"
      "  helpmark track answer \"where is my refund\" --session s2 --article refund-timing --confidence 0.8 --accepted yes\n"
      "  helpmark track ticket --session s3 --journey payments\n"
      "  helpmark track import events.jsonl          # one JSON event a line (schema in docs/tracking.md)\n"
      "  helpmark track export --since 2026-11-01 > events.jsonl\n"
      "  helpmark track prune --older-than 400d\n"
      "The store is .helpmark/events.sqlite unless --store or $HELPMARK_STORE says otherwise.");
  track->require_subcommand(1);

  add_record_subcommand(track, exit_code, EventType::kSearch, "search",
                        "Record a search: the query, what was found and shown.\n"
                        "Example: helpmark track search \"refund late\" --session s1 --results a1,a2 --total 2");
  add_record_subcommand(track, exit_code, EventType::kClick, "click",
                        "Record a click on a search result.\n"
                        "Example: helpmark track click --session s1 --article refund-timing --position 1");
  add_record_subcommand(track, exit_code, EventType::kView, "view",
                        "Record that an article was opened (from search, a link or a bot answer).\n"
                        "Example: helpmark track view --session s1 --article refund-timing --source link");
  add_record_subcommand(track, exit_code, EventType::kFeedback, "feedback",
                        "Record \"was this helpful?\" feedback.\n"
                        "Example: helpmark track feedback --session s1 --article refund-timing --helpful no "
                        "--reason \"still no money\"");
  add_record_subcommand(track, exit_code, EventType::kBotAnswer, "answer",
                        "Record a chatbot answer (JSONL type bot_answer).\n"
                        "Example: helpmark track answer \"refund late\" --session s2 --article refund-timing "
                        "--confidence 0.42 --escalated yes");
  add_record_subcommand(track, exit_code, EventType::kTicket, "ticket",
                        "Record that the session contacted support (a human took over).\n"
                        "Example: helpmark track ticket --session s1 --journey payments");

  {
    auto cmd = std::make_shared<ImportCommand>();
    CLI::App* sub = track->add_subcommand(
        "import",
        "Record events from JSONL files (one JSON event a line; '-' reads stdin).\n"
        "Bad lines are reported as FILE:LINE: error: ... and never stop the good ones from being stored.\n"
        "Importing the same file twice stores nothing twice.\n"
        "Exit status: 0 all stored, 3 some lines rejected, 1 nothing usable or the store failed.\n"
        "Example: helpmark track import events.jsonl --store site/events.sqlite --json");
    sub->add_option("files", cmd->files, "JSONL files")->required();
    sub->add_option("--batch-size", cmd->batch_size, "Events per transaction")->capture_default_str()
        ->check(CLI::Range(1, 100000));
    sub->add_flag("-q,--quiet", cmd->quiet, "No progress output");
    add_store_flags(sub, cmd->store, true);
    sub->callback([cmd, &exit_code] { exit_code = run_import(*cmd); });
  }
  {
    auto cmd = std::make_shared<ExportCommand>();
    CLI::App* sub = track->add_subcommand(
        "export",
        "Write events as JSONL (the import format), oldest first, to stdout or -o FILE.\n"
        "Examples:\n"
        "  helpmark track export --since 2026-11-01 > november.jsonl\n"
        "  helpmark track export --type search,ticket -o searches.jsonl");
    sub->add_option("--since", cmd->since, "Only events at or after this date or time");
    sub->add_option("--until", cmd->until, "Only events before this time (a date includes that whole day)");
    sub->add_option("--type", cmd->types, "Only these event types")->delimiter(',');
    sub->add_option("-o,--output", cmd->output, "Write to this file instead of stdout");
    sub->add_option("--store", cmd->store.store, "Event store file (default: .helpmark/events.sqlite)");
    sub->callback([cmd, &exit_code] { exit_code = run_export(*cmd); });
  }
  {
    auto cmd = std::make_shared<PruneCommand>();
    CLI::App* sub = track->add_subcommand(
        "prune",
        "Delete old events (retention). Deletes in small transactions, so writers are never held up.\n"
        "Examples:\n"
        "  helpmark track prune --older-than 400d\n"
        "  helpmark track prune --before 2025-01-01 --dry-run");
    sub->add_option("--older-than", cmd->older_than, "Age such as 400d, 52w or 36h");
    sub->add_option("--before", cmd->before, "Delete events before this date or time");
    sub->add_flag("--dry-run", cmd->dry_run, "Only count what would be deleted");
    add_store_flags(sub, cmd->store, false);
    sub->callback([cmd, &exit_code] { exit_code = run_prune(*cmd); });
  }
  {
    auto flags = std::make_shared<StoreFlags>();
    CLI::App* sub = track->add_subcommand("info", "Show what a store holds: events per type, sessions, time range.\n"
                                                  "Example: helpmark track info --store site/events.sqlite");
    add_store_flags(sub, *flags, false);
    sub->callback([flags, &exit_code] { exit_code = run_info(*flags); });
  }
}

}  // namespace helpmark::cli
