// helpmark completion: the shell completion script, written from the command definitions.
#include <iostream>

#include "commands/commands.hpp"
#include "help/completion.hpp"
#include "output.hpp"

namespace helpmark::cli {

void register_completion(CLI::App& app, int& exit_code) {
  auto shell = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "completion",
      "Print the shell completion script for bash, zsh or fish (`cmake --install` installs all three).\n"
      "Examples:\n"
      "  source <(helpmark completion bash)                     # this bash session\n"
      "  helpmark completion zsh > ~/.zfunc/_helpmark            # a directory of $fpath\n"
      "  helpmark completion fish > ~/.config/fish/completions/helpmark.fish");
  sub->add_option("shell", *shell, "The shell")->required()->check(CLI::IsMember(completion_shells()));
  const CLI::App* root = &app;
  sub->callback([shell, root, &exit_code] {
    std::cout << completion_script(*root, *shell);
    exit_code = kExitOk;
  });
}

}  // namespace helpmark::cli
