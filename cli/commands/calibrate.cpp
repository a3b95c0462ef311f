// helpmark calibrate: fit the answer confidence model and threshold on labelled queries.
#include <cstdio>
#include <iostream>

#include "commands/commands.hpp"
#include "helpmark/answer.hpp"
#include "helpmark/eval.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

struct CalibrateCommand {
  std::string queries;
  std::string index = default_index_dir();
  bool dry_run = false;
  bool json = false;
};

int run_calibrate(const CalibrateCommand& cmd) {
  std::vector<Diagnostic> diagnostics;
  auto queries = read_labelled_queries(cmd.queries, diagnostics);
  print_diagnostics(diagnostics, 10);
  if (!queries.ok()) return report_error(queries.status(), cmd.json);
  auto report = calibrate_answers(cmd.index, queries.value(), cmd.queries, !cmd.dry_run);
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
      "  helpmark calibrate labelled.jsonl --dry-run --json");
  sub->add_option("queries", cmd->queries, "Labelled queries (JSONL)")->required();
  sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
  sub->add_flag("--dry-run", cmd->dry_run, "Fit and report, but do not write the model");
  sub->add_flag("--json", cmd->json, "Print JSON");
  sub->callback([cmd, &exit_code] { exit_code = run_calibrate(*cmd); });
}

}  // namespace helpmark::cli
