// helpmark index: build or update an index from a folder of articles.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "commands/commands.hpp"
#include "helpmark/indexer.hpp"
#include "helpmark/json.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

struct IndexCommand {
  std::string learned;
  std::string articles = "articles";
  std::string taxonomy = "taxonomy";
  std::string index = default_index_dir();
  bool strict = false;
  bool allow_empty = false;
  bool follow_symlinks = false;
  bool json = false;
  bool quiet = false;
  bool retrain = false;
  unsigned threads = 0;
  std::size_t max_file_size = 1 << 20;
  long changesets = -1;  ///< -1: leave XAPIAN_MAX_CHANGESETS as the environment has it
};

int run_index(const IndexCommand& cmd) {
  // Xapian 1.4 has no API for this: its glass backend reads the variable at each commit.
  if (cmd.changesets >= 0)
    ::setenv("XAPIAN_MAX_CHANGESETS", std::to_string(cmd.changesets).c_str(), 1);
  IndexOptions options;
  options.articles_dir = cmd.articles;
  options.taxonomy_dir = cmd.taxonomy;
  options.index_dir = cmd.index;
  options.strict = cmd.strict;
  options.allow_empty = cmd.allow_empty;
  options.limits.follow_symlinks = cmd.follow_symlinks;
  options.limits.max_file_bytes = cmd.max_file_size;
  options.retrain = cmd.retrain;
  options.threads = cmd.threads;
  options.learned = cmd.learned;
  const bool progress = stderr_is_terminal() && !cmd.quiet && !cmd.json;
  if (progress)
    options.on_progress = [](std::size_t done, std::size_t total) {
      if (done % 25 == 0 || done == total) std::fprintf(stderr, "\rindexing %zu/%zu", done, total);
      if (done == total) std::fprintf(stderr, "\r\033[K");
    };
  if (progress)
    options.on_phase = [](const std::string& phase) { std::fprintf(stderr, "\r\033[K%s", phase.c_str()); };
  IndexReport report;
  auto result = build_index(options, &report);
  if (progress) std::fprintf(stderr, "\r\033[K");
  if (!cmd.json) print_diagnostics(report.diagnostics);
  if (!result.ok()) {
    if (cmd.json) {
      std::cout << json::index_report(report) << "\n";
      std::cerr << "helpmark: error: " << result.status().message() << "\n";
      return exit_code_for(result.status());
    }
    return report_error(result.status(), false);
  }
  if (cmd.json) {
    std::cout << json::index_report(report) << "\n";
  } else {
    std::printf("indexed %s: %zu added, %zu updated, %zu removed, %zu unchanged, %zu skipped with "
                "errors; %zu articles in %s (%.2f s)\n",
                cmd.articles.c_str(), report.added, report.updated, report.removed,
                report.unchanged, report.skipped, report.total, cmd.index.c_str(), report.seconds);
    if (!cmd.quiet) {
      for (const auto& n : report.notices) std::printf("note: %s\n", n.c_str());
      std::printf("ranking: %s\n", report.ranking.c_str());
      for (const auto& m : report.models) {
        if (!m.present)
          std::printf("model %s: none (%s)\n", m.locale.c_str(), m.note.c_str());
        else if (m.trained)
          std::printf("model %s: trained on %zu examples of %zu articles in %.2f s (%zu weights, %.0f KB)\n",
                      m.locale.c_str(), m.examples, m.articles, m.seconds, m.weights, static_cast<double>(m.bytes) / 1024.0);
      }
    }
  }
  return has_errors(report.diagnostics) ? kExitPartial : kExitOk;
}

}  // namespace

void register_index(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<IndexCommand>();
  CLI::App* sub = app.add_subcommand(
      "index",
      "Build or update the search index from a folder of Markdown articles.\n"
      "Incremental: unchanged articles are not rewritten, deleted files are removed. All changes\n"
      "land in one atomic commit, so searches never see a half-built index; a run that changes\n"
      "nothing commits nothing (no new revision for replicas). An article with an error is skipped\n"
      "(its previous version stays searchable) unless --strict is given.\n"
      "Exit status: 0 ok, 1 error, 2 usage, 3 done but with errors (articles skipped or bad\nsynonym/spelling entries left out), 4 index locked.");
  sub->add_option("articles", cmd->articles, "Folder of .md articles (searched recursively)")
      ->capture_default_str();
  sub->add_option("--taxonomy", cmd->taxonomy, "Folder holding journeys.yaml")->capture_default_str();
  sub->add_option("--index", cmd->index, "Index directory (default: $HELPMARK_INDEX or .helpmark/index)")
      ->capture_default_str();
  sub->add_flag("--strict", cmd->strict, "Fail the whole run on any article error; keep the old index");
  sub->add_flag("--allow-empty", cmd->allow_empty,
                "Let a folder with no .md file empty the index (refused otherwise, nothing changed)");
  sub->add_flag("--follow-symlinks", cmd->follow_symlinks,
                "Read .md symbolic links that lead outside the articles folder (an error otherwise)");
  sub->add_option("--max-file-size", cmd->max_file_size, "Reject article files larger than this many bytes")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--changesets", cmd->changesets,
                  "Keep the last N changesets in the index for read replicas (xapian-replicate);\n"
                  "0 keeps none. Default: $XAPIAN_MAX_CHANGESETS, else none")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--retrain", cmd->retrain,
                "Retrain every locale's lexical model and choose the ranking settings again from the\n"
                "articles' questions, even if nothing they learn from changed");
  sub->add_option("--learned", cmd->learned,
                  "Train on the questions learned from traffic in this file instead of INDEX/learned.json\n"
                  "(written by `helpmark learn apply`; used automatically when present)");
  sub->add_option("--threads", cmd->threads, "Threads for training (default: one per core but one; at most 1024)")
      ->check(CLI::Range(0u, 1024u));
  sub->add_flag("--json", cmd->json, "Print the report (counts, models, ranking and every diagnostic) as JSON");
  sub->add_flag("-q,--quiet", cmd->quiet, "No progress output");
  sub->callback([cmd, &exit_code] { exit_code = run_index(*cmd); });
}

}  // namespace helpmark::cli
