// helpmark validate: lint articles and taxonomy without touching any index.
#include <cstdio>
#include <iostream>
#include <set>

#include "commands/commands.hpp"
#include "helpmark/article.hpp"
#include "helpmark/display_path.hpp"
#include "helpmark/indexer.hpp"
#include "helpmark/json.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

struct ValidateCommand {
  std::string articles = "articles";
  std::string taxonomy = "taxonomy";
  bool json = false;
  bool follow_symlinks = false;
  std::size_t max_file_size = 1 << 20;
};

int run_validate(const ValidateCommand& cmd) {
  auto taxonomy = Taxonomy::load(cmd.taxonomy);
  if (!taxonomy.ok()) return report_error(taxonomy.status(), cmd.json);
  ArticleLimits limits;
  limits.max_file_bytes = cmd.max_file_size;
  limits.follow_symlinks = cmd.follow_symlinks;
  auto set = load_articles(cmd.articles, taxonomy.value(), limits);
  if (!set.ok()) return report_error(set.status(), cmd.json);
  // Everything `index` reads: the references between articles and the vocabulary files too.
  for (auto& d : check_article_references(set.value())) set->diagnostics.push_back(std::move(d));
  show_paths_from_working_dir(cmd.articles, set->diagnostics);  // the vocabulary files' already do
  for (auto& d : validate_vocabulary_files(cmd.taxonomy, taxonomy.value())) set->diagnostics.push_back(std::move(d));
  std::size_t errors = 0, warnings = 0;
  std::set<std::string> bad_files;
  for (const auto& d : set->diagnostics) {
    if (d.severity == Severity::kError) {
      ++errors;
      bad_files.insert(d.path);
    } else {
      ++warnings;
    }
  }
  if (cmd.json) {
    std::cout << "{\n  \"files\": " << set->files_seen << ",\n  \"valid\": " << set->articles.size()
              << ",\n  \"errors\": " << errors << ",\n  \"warnings\": " << warnings
              << ",\n  \"diagnostics\": " << json::diagnostics(set->diagnostics) << "\n}\n";
  } else {
    print_diagnostics(set->diagnostics);
    std::printf("%zu files: %zu valid, %zu with errors; %zu errors, %zu warnings\n", set->files_seen,
                set->articles.size(), bad_files.size(), errors, warnings);
  }
  return errors > 0 ? kExitError : kExitOk;
}

}  // namespace

void register_validate(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<ValidateCommand>();
  CLI::App* sub = app.add_subcommand(
      "validate",
      "Check articles and the taxonomy without indexing: front matter, journeys, ids, UTF-8,\n"
      "sizes, related and translation_of targets, synonyms and spelling files. Prints path:line: messages. Exit status 0 when there is no error, 1 otherwise.");
  sub->add_option("articles", cmd->articles, "Folder of .md articles")->capture_default_str();
  sub->add_option("--taxonomy", cmd->taxonomy, "Folder holding journeys.yaml")->capture_default_str();
  sub->add_flag("--follow-symlinks", cmd->follow_symlinks,
                "Read .md symbolic links that lead outside the articles folder (an error otherwise)");
  sub->add_option("--max-file-size", cmd->max_file_size, "Largest accepted file, in bytes")->capture_default_str()->check(CLI::NonNegativeNumber);
  sub->add_flag("--json", cmd->json, "Print counts and diagnostics as JSON");
  sub->callback([cmd, &exit_code] { exit_code = run_validate(*cmd); });
}

}  // namespace helpmark::cli
