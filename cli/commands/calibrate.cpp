// helpmark calibrate: fit the answer confidence model and threshold on labelled queries.
#include <cstdio>
#include <iostream>

#include "commands/commands.hpp"
#include "helpmark/answer.hpp"
#include "helpmark/eval.hpp"
#include "helpmark/learning.hpp"
#include "commands/track_common.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

struct CalibrateCommand {
  std::string queries;
  std::string from_store;
  std::size_t min_outcomes = 50;
  std::string window = "24h";
  std::string index = default_index_dir();
  bool dry_run = false;
  bool json = false;
};

// The bot answers of the store whose outcome is known, as labels.
Result<CalibrationReport> from_store(const CalibrateCommand& cmd, learning::OutcomeStats& stats, std::size_t& used) {
  learning::LearnOptions options;
  auto window = parse_duration_ms(cmd.window);
  if (!window || *window == 0)
    return Status(ErrorCode::kInvalidArgument, "--window takes a duration such as 24h or 2d, not '" + cmd.window + "'");
  options.deflection_window_ms = *window;
  auto index = Index::open(cmd.index);
  if (!index.ok()) return index.status();
  if (auto s = index->stats(); s.ok() && !s->default_locale.empty()) options.default_locale = s->default_locale;
  tracking::StoreOptions store_options;
  store_options.read_only = true;
  store_options.create = false;
  auto store = tracking::EventStore::open(cmd.from_store, store_options);
  if (!store.ok()) return store.status();
  auto outcomes = learning::answer_outcomes(store.value(), options, &stats);
  if (!outcomes.ok()) return outcomes.status();
  return learning::calibrate_from_outcomes(cmd.index, outcomes.value(), cmd.from_store, !cmd.dry_run,
                                           cmd.min_outcomes, &used);
}

int run_calibrate(const CalibrateCommand& cmd) {
  if (cmd.queries.empty() == cmd.from_store.empty())
    return report_error(Status(ErrorCode::kInvalidArgument,
                               "calibrate on labelled queries (a QUERIES file) or on answer outcomes (--from-store "
                               "STORE), one of the two"),
                        cmd.json);
  learning::OutcomeStats stats;
  std::size_t used = 0;
  Result<CalibrationReport> report = Status(ErrorCode::kInternal, "not run");
  if (!cmd.from_store.empty()) {
    report = from_store(cmd, stats, used);
    if (!cmd.json)
      std::fprintf(stderr, "%zu bot answers: %zu good, %zu bad, %zu without an outcome; %zu usable against today's index\n",
                   stats.bot_answers, stats.good, stats.bad, stats.undecided, used);
  } else {
    std::vector<Diagnostic> diagnostics;
    auto queries = read_labelled_queries(cmd.queries, diagnostics);
    print_diagnostics(diagnostics, 10);
    if (!queries.ok()) return report_error(queries.status(), cmd.json);
    report = calibrate_answers(cmd.index, queries.value(), cmd.queries, !cmd.dry_run);
  }
  if (!report.ok()) return report_error(report.status(), cmd.json);
  const auto& r = report.value();
  if (cmd.json) {
    std::printf("{\n  \"queries\": %zu,\n  \"threshold\": %.6f,\n  \"accuracy\": %.6f,\n  \"accuracy_before\": %.6f,\n"
                "  \"written\": %s,\n  \"weights\": {",
                r.queries, r.model.threshold, r.accuracy, r.accuracy_before, cmd.dry_run ? "false" : "true");
    std::printf("\"bias\": %.6f", r.model.weights.empty() ? 0.0 : r.model.weights[0]);
    for (std::size_t i = 0; i < r.model.features.size() && i + 1 < r.model.weights.size(); ++i)
      std::printf(", \"%s\": %.6f", r.model.features[i].c_str(), r.model.weights[i + 1]);
    std::printf("}\n}\n");
  } else {
    std::printf("calibrated on %zu queries: threshold %.3f, answer accuracy %.4f (was %.4f)%s\n", r.queries,
                r.model.threshold, r.accuracy, r.accuracy_before,
                cmd.dry_run ? "; not written (--dry-run)" : "; written to the index");
  }
  return kExitOk;
}

}  // namespace

void register_calibrate(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<CalibrateCommand>();
  CLI::App* sub = app.add_subcommand(
      "calibrate",
      "Fit the answer confidence model and its escalation threshold on labelled queries of your\n"
      "own traffic (queries.jsonl: {qid, query, gold, locale?}; gold null = should escalate) and\n"
      "store them in the index. Re-indexing keeps them.\n"
      "  helpmark calibrate labelled.jsonl\n"
      "  helpmark calibrate labelled.jsonl --dry-run --json\n"
      "  helpmark calibrate --from-store .helpmark/events.sqlite   # from bot answers' outcomes");
  sub->add_option("queries", cmd->queries, "Labelled queries (JSONL)");
  sub->add_option("--from-store", cmd->from_store,
                  "Calibrate on the outcomes of the bot's answers in this event store instead: accepted\n"
                  "(no ticket within --window) = right, turned down or followed by a ticket = wrong");
  sub->add_option("--min-outcomes", cmd->min_outcomes, "With --from-store: usable outcomes needed")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  sub->add_option("--window", cmd->window, "With --from-store: a ticket this soon after an answer is an escalation")
      ->capture_default_str();
  sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
  sub->add_flag("--dry-run", cmd->dry_run, "Fit and report, but do not write the model");
  sub->add_flag("--json", cmd->json, "Print JSON");
  sub->callback([cmd, &exit_code] { exit_code = run_calibrate(*cmd); });
}

}  // namespace helpmark::cli
