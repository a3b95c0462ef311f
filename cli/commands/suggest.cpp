// helpmark suggest: autocomplete for a search box.
#include <cstdio>
#include <iostream>

#include "commands/commands.hpp"
#include "helpmark/index.hpp"
#include "output.hpp"
#include "requests.hpp"

namespace helpmark::cli {
namespace {

struct SuggestCommand {
  SuggestArgs args;
  std::string index = default_index_dir();
  bool json = false;
};

int run_suggest(const SuggestCommand& cmd) {
  auto index = Index::open(cmd.index);
  if (!index.ok()) return report_error(index.status(), cmd.json);
  if (cmd.json) {
    auto text = suggest_json(index.value(), cmd.args);
    if (!text.ok()) return report_error(text.status(), cmd.json);
    std::cout << text.value() << "\n";
    return kExitOk;
  }
  auto list = index->suggest(cmd.args.prefix, cmd.args.locale, cmd.args.limit);
  if (!list.ok()) return report_error(list.status(), cmd.json);
  for (const auto& s : list.value())
    std::printf("%-8s %s%s\n", s.kind.c_str(), s.text.c_str(),
                s.article_id.empty() ? "" : ("  [" + s.article_id + "]").c_str());
  return kExitOk;
}

}  // namespace

void register_suggest(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<SuggestCommand>();
  CLI::App* sub = app.add_subcommand(
      "suggest",
      "Complete what a customer is typing: article titles and questions, then words; tolerant of a\n"
      "typo in the last word.\n"
      "  helpmark suggest \"refu\"\n"
      "  helpmark suggest \"devolu\" --locale es --json");
  sub->add_option("prefix", cmd->args.prefix, "What has been typed so far")->required();
  sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
  sub->add_option("--locale", cmd->args.locale, "Locale (BCP 47)");
  sub->add_option("--limit", cmd->args.limit, "How many suggestions (1-50)")->capture_default_str()->check(CLI::Range(1, 50));
  sub->add_flag("--json", cmd->json, "Print JSON");
  sub->callback([cmd, &exit_code] { exit_code = run_suggest(*cmd); });
}

}  // namespace helpmark::cli
