// helpmark learn: what customers call each article, learned from the tracked events.
//   suggest  proposals for writers (questions: entries, synonyms)
//   apply    automatic mode: store them beside the index; the next `helpmark index` trains on them
//   log      the audit trail of what was learned, when, from how many sessions
//   forget   remove learned questions (one article's, or all)
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands/commands.hpp"
#include "commands/track_common.hpp"
#include "helpmark/index.hpp"
#include "helpmark/learning.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

struct LearnCommand {
  std::string store;
  std::string index = default_index_dir();
  std::string privacy;
  std::string since, until;
  std::string window = "24h";
  learning::LearnOptions options;
  std::string format = "markdown";
  std::string from;  // apply: reviewed proposals
  std::string article;
  bool all = false;
  bool json = false;
  bool dry_run = false;
};

Status usage(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }

// Fills the options that come from flags in text form, and the default locale from the index.
Status complete_options(LearnCommand& cmd, const Index& index) {
  if (!cmd.since.empty()) {
    cmd.options.since_ms = parse_date_or_time(cmd.since);
    if (!cmd.options.since_ms) return usage("--since takes a date (2026-11-01) or an ISO time, not '" + cmd.since + "'");
  }
  if (!cmd.until.empty()) {
    cmd.options.until_ms = parse_date_or_time(cmd.until, true);
    if (!cmd.options.until_ms) return usage("--until takes a date (2026-11-30, included) or an ISO time, not '" + cmd.until + "'");
  }
  auto window = parse_duration_ms(cmd.window);
  if (!window || *window == 0) return usage("--window takes a duration such as 24h or 2d, not '" + cmd.window + "'");
  cmd.options.deflection_window_ms = *window;
  if (auto stats = index.stats(); stats.ok() && !stats->default_locale.empty())
    cmd.options.default_locale = stats->default_locale;
  return Status::Ok();
}

// Mines the store against the index: what suggest prints and apply stores.
Result<learning::Proposals> propose(LearnCommand& cmd) {
  auto index = Index::open(cmd.index);
  if (!index.ok()) return index.status();
  if (Status s = complete_options(cmd, index.value()); !s.ok()) return s;
  const std::string store_path = cmd.store.empty() ? default_store_path(cmd.index) : cmd.store;
  auto patterns = scrub_patterns_for(cmd.privacy, store_path);
  if (!patterns.ok()) return patterns.status();
  cmd.options.scrub_patterns = std::move(patterns).value();
  tracking::StoreOptions options;
  options.read_only = true;
  options.create = false;
  auto store = tracking::EventStore::open(store_path, options);
  if (!store.ok()) return store.status();
  return learning::suggest(store.value(), index.value(), cmd.options);
}

void print_stats(const learning::MiningStats& s) {
  std::fprintf(stderr,
               "read %zu events of %zu sessions in %.2f s; %zu (query, article) pairs had a good outcome, left out: "
               "%zu too few sessions, %zu contradicted, %zu spread over articles, %zu unknown article, %zu other "
               "locale, %zu personal data, %zu already known, %zu over the per-article cap; %zu sessions ignored "
               "(rate limit), %zu evidence over the per-session cap, %zu views still in their window\n",
               s.events, s.sessions, s.seconds, s.candidate_pairs, s.too_few_sessions, s.contradicted, s.spread,
               s.unknown_article, s.other_locale, s.personal_data, s.already_known, s.over_article_cap,
               s.sessions_rate_limited, s.evidence_capped, s.pending);
}

int run_suggest(LearnCommand& cmd) {
  const bool json = cmd.json || cmd.format == "json";
  auto proposals = propose(cmd);
  if (!proposals.ok()) return report_error(proposals.status(), json);
  if (json) {
    std::cout << learning::proposals_to_json(proposals.value());
  } else {
    std::cout << learning::proposals_to_markdown(proposals.value());
    print_stats(proposals->stats);
  }
  return kExitOk;
}

int run_apply(LearnCommand& cmd) {
  std::vector<learning::LearnedQuestion> questions;
  learning::MiningStats stats;
  bool mined = false;
  if (!cmd.from.empty()) {
    std::ifstream in(cmd.from, std::ios::binary);
    if (!in) return report_error(Status(ErrorCode::kNotFound, cmd.from + ": cannot read the proposals file"), cmd.json);
    std::stringstream text;
    text << in.rdbuf();
    auto read = learning::questions_from_json(text.str());
    if (!read.ok()) return report_error(Status(read.status().code(), cmd.from + ": " + read.status().message()), cmd.json);
    questions = std::move(read).value();
    // A reviewed file may name articles deleted since: only what the index has is applied.
    auto index = Index::open(cmd.index);
    if (!index.ok()) return report_error(index.status(), cmd.json);
    std::vector<learning::LearnedQuestion> known;
    for (auto& q : questions) {
      auto a = index->get(q.article);
      if (!a.ok() || a->locale != q.locale) {
        std::fprintf(stderr, "%s: skipped: article %s (%s) is not in the index\n", cmd.from.c_str(), q.article.c_str(),
                     q.locale.c_str());
        continue;
      }
      known.push_back(std::move(q));
    }
    questions = std::move(known);
  } else {
    auto proposals = propose(cmd);
    if (!proposals.ok()) return report_error(proposals.status(), cmd.json);
    questions = std::move(proposals->questions);
    stats = proposals->stats;
    mined = true;
  }
  if (cmd.dry_run) {
    if (cmd.json) {
      learning::Proposals p;
      p.questions = questions;
      p.stats = stats;
      std::cout << learning::proposals_to_json(p);
    } else {
      std::printf("would apply %zu learned questions (--dry-run: nothing written)\n", questions.size());
      if (mined) print_stats(stats);
    }
    return kExitOk;
  }
  auto applied = learning::apply(cmd.index, questions, cmd.options.max_per_article);
  if (!applied.ok()) return report_error(applied.status(), cmd.json);
  const auto& r = applied.value();
  if (cmd.json) {
    nlohmann::ordered_json j = {{"added", r.added},         {"updated", r.updated},
                                {"unchanged", r.unchanged}, {"left_out", r.left_out},
                                {"displaced", r.displaced}, {"total", r.total},
                                {"revision", r.revision},   {"overlay", learning::overlay_path(cmd.index).string()}};
    std::cout << j.dump() << "\n";
  } else {
    if (mined) print_stats(stats);
    std::printf("%zu added, %zu updated, %zu unchanged", r.added, r.updated, r.unchanged);
    if (r.left_out + r.displaced > 0)
      std::printf(", %zu left out and %zu displaced by the per-article cap (%zu, best supported first)", r.left_out,
                  r.displaced, cmd.options.max_per_article);
    std::printf(": %zu learned questions in %s (revision %llu)\n", r.total,
                learning::overlay_path(cmd.index).string().c_str(), static_cast<unsigned long long>(r.revision));
    if (r.added + r.updated > 0) std::printf("run `helpmark index` to train on them\n");
  }
  return kExitOk;
}

int run_log(const LearnCommand& cmd) {
  std::size_t skipped = 0;
  auto log = learning::read_log(cmd.index, &skipped);
  if (!log.ok()) return report_error(log.status(), cmd.json);
  // The current rank of each learned question shows what it changed.
  std::optional<Index> index;
  if (auto opened = Index::open(cmd.index); opened.ok()) index.emplace(std::move(opened).value());
  auto rank_now = [&](const learning::LearnedQuestion& q) { return index ? learning::rank_of(*index, q) : 0; };
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const auto& e : log.value()) {
    if (!cmd.article.empty() && e.question.article != cmd.article) continue;
    const int now = e.question.article.empty() ? 0 : rank_now(e.question);
    if (cmd.json) {
      nlohmann::ordered_json j = {{"ts", e.ts}, {"action", e.action}, {"revision", e.revision}};
      if (!e.question.article.empty()) {
        j["article"] = e.question.article;
        j["locale"] = e.question.locale;
        j["question"] = e.question.question;
        j["sessions"] = e.question.sessions;
        j["contradicting"] = e.question.contradicting;
        j["rank_before"] = e.question.rank;
        j["rank_now"] = now;
      }
      entries.push_back(std::move(j));
    } else {
      std::printf("%s  r%-4llu %-8s", e.ts.c_str(), static_cast<unsigned long long>(e.revision), e.action.c_str());
      if (!e.question.article.empty())
        std::printf("  %s  \"%s\" (%s): %zu sessions, %zu against; rank %s then, %s now", e.question.article.c_str(),
                    e.question.question.c_str(), e.question.locale.c_str(), e.question.sessions,
                    e.question.contradicting, e.question.rank ? std::to_string(e.question.rank).c_str() : "-",
                    now ? std::to_string(now).c_str() : "-");
      std::printf("\n");
    }
  }
  if (cmd.json) std::cout << entries.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  else if (log->empty()) std::printf("nothing learned yet (%s has no entries)\n", (cmd.index + "/learned-log.jsonl").c_str());
  if (skipped) std::fprintf(stderr, "warning: %zu damaged lines of the log were skipped\n", skipped);
  return kExitOk;
}

int run_forget(const LearnCommand& cmd) {
  if (cmd.all == !cmd.article.empty())
    return report_error(usage("say what to forget: --article ID, or --all"), cmd.json);
  auto removed = learning::forget(cmd.index, cmd.all ? std::string() : cmd.article);
  if (!removed.ok()) return report_error(removed.status(), cmd.json);
  if (cmd.json) std::printf("{\"removed\": %zu}\n", removed.value());
  else
    std::printf("removed %zu learned questions%s; run `helpmark index` to retrain without them\n", removed.value(),
                cmd.all ? "" : (" of " + cmd.article).c_str());
  return kExitOk;
}

void add_store_options(CLI::App* sub, const std::shared_ptr<LearnCommand>& cmd) {
  auto& o = cmd->options;
  sub->add_option("--store", cmd->store, "Event store (default: $HELPMARK_STORE, else events.sqlite beside the index)");
  sub->add_option("--since", cmd->since, "Only events at or after this date or ISO time");
  sub->add_option("--until", cmd->until, "Only events up to this date (included) or before this ISO time");
  sub->add_option("--window", cmd->window, "Deflection window: a read is a success with no ticket this long after")
      ->capture_default_str();
  sub->add_option("--min-sessions", o.min_sessions, "Distinct sessions that must agree on a pair")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--max-contradiction", o.max_contradiction,
                  "Largest share of a pair's sessions that may have ended badly (ticket, not helpful)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--min-share", o.min_share, "Smallest share of the query's good sessions and click evidence on the article")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--max-searches-per-hour", o.max_searches_per_hour,
                  "Ignore sessions that search more often than this in an hour (0: no limit)")
      ->capture_default_str();
  sub->add_option("--max-pairs-per-session", o.max_pairs_per_session,
                  "Pairs of evidence one session may give (0: no limit)")
      ->capture_default_str();
  sub->add_option("--max-per-article", o.max_per_article, "Learned questions kept per article (at most 20)")
      ->capture_default_str()
      ->check(CLI::Range(1, 20));
  sub->add_option("--privacy", cmd->privacy, "Extra personal-data patterns (YAML); queries they match are never learned");
}

}  // namespace

void register_learn(CLI::App& app, int& exit_code) {
  CLI::App* learn = app.add_subcommand(
      "learn",
      "Learn from the tracked events what customers call each article: a query becomes a learned\n"
      "question of an article when enough distinct sessions searched it, read that article and did\n"
      "not open a ticket (or voted it helpful, or accepted the bot's answer). Review the proposals,\n"
      "or apply them: the next `helpmark index` trains the article's model on them. docs/tracking.md,\n"
      "\"Learning from traffic\", explains the defences against fake events.\n"
      "  helpmark learn suggest                      # proposals for writers (Markdown)\n"
      "  helpmark learn suggest --json > proposals.json\n"
      "  helpmark learn apply && helpmark index      # automatic mode\n"
      "  helpmark learn apply --from proposals.json  # apply a reviewed (edited) proposals file\n"
      "  helpmark learn log                          # what was learned, when, from how many sessions\n"
      "  helpmark learn forget --all && helpmark index  # undo");
  learn->require_subcommand(1);

  {
    auto cmd = std::make_shared<LearnCommand>();
    CLI::App* sub = learn->add_subcommand(
        "suggest", "Print proposals: questions: entries per article file, and synonyms shared by many articles");
    sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
    add_store_options(sub, cmd);
    sub->add_option("--format", cmd->format, "markdown (for writers) or json (for `learn apply --from`)")
        ->capture_default_str()
        ->check(CLI::IsMember({"markdown", "json"}));
    sub->add_flag("--json", cmd->json, "Same as --format json");
    sub->callback([cmd, &exit_code] { exit_code = run_suggest(*cmd); });
  }
  {
    auto cmd = std::make_shared<LearnCommand>();
    CLI::App* sub = learn->add_subcommand(
        "apply", "Store learned questions beside the index (learned.json); `helpmark index` then trains on them");
    sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
    add_store_options(sub, cmd);
    sub->add_option("--from", cmd->from, "Apply the questions of a reviewed proposals file (learn suggest --json)");
    sub->add_flag("--dry-run", cmd->dry_run, "Show what would be applied; write nothing");
    sub->add_flag("--json", cmd->json, "Print JSON");
    sub->callback([cmd, &exit_code] { exit_code = run_apply(*cmd); });
  }
  {
    auto cmd = std::make_shared<LearnCommand>();
    CLI::App* sub = learn->add_subcommand(
        "log", "The audit trail: each learned question added, updated or removed, from how many sessions,\n"
               "its rank when learned and its rank now");
    sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
    sub->add_option("--article", cmd->article, "Only this article's entries");
    sub->add_flag("--json", cmd->json, "Print JSON");
    sub->callback([cmd, &exit_code] { exit_code = run_log(*cmd); });
  }
  {
    auto cmd = std::make_shared<LearnCommand>();
    CLI::App* sub = learn->add_subcommand(
        "forget", "Remove learned questions (one article's with --article, or --all); re-index to retrain");
    sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
    sub->add_option("--article", cmd->article, "Forget this article's learned questions");
    sub->add_flag("--all", cmd->all, "Forget everything learned (removes learned.json)");
    sub->add_flag("--json", cmd->json, "Print JSON");
    sub->callback([cmd, &exit_code] { exit_code = run_forget(*cmd); });
  }
}

}  // namespace helpmark::cli
