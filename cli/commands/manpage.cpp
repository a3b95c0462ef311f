// helpmark manpage: the man pages, written from the command definitions.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands/commands.hpp"
#include "help/cli_tree.hpp"
#include "help/manpage.hpp"
#include "help/markdown_reference.hpp"
#include "help/usage_error.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

struct ManpageCommand {
  std::string command;
  std::string output_dir;
  bool markdown = false;
};

int write_pages(const CLI::App& root, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::vector<const CLI::App*> pages{&root};
  for (const CLI::App* sub : visible_subcommands(root)) pages.push_back(sub);
  for (const CLI::App* page : pages) {
    const auto path = dir / man_page_file_name(*page);
    std::ofstream file(path, std::ios::binary);
    file << man_page(*page, HELPMARK_VERSION);
    if (!file.flush())
      return report_error(Status(ErrorCode::kIoError, "cannot write " + path.string() +
                                                          ": is --output-dir a writable directory?"),
                          false);
  }
  return kExitOk;
}

int run_manpage(const CLI::App& root, const ManpageCommand& cmd) {
  if (!cmd.output_dir.empty()) return write_pages(root, cmd.output_dir);
  if (cmd.markdown) {
    std::cout << markdown_reference(root);
    return kExitOk;
  }
  if (cmd.command.empty()) {
    std::cout << man_page(root, HELPMARK_VERSION);
    return kExitOk;
  }
  if (const CLI::App* sub = find_subcommand(root, cmd.command); sub && !sub->get_group().empty()) {
    std::cout << man_page(*sub, HELPMARK_VERSION);
    return kExitOk;
  }
  return report_error(Status(ErrorCode::kInvalidArgument, unknown_command_message({.command = &root, .unknown = cmd.command})), false);
}

}  // namespace

void register_manpage(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<ManpageCommand>();
  CLI::App* sub = app.add_subcommand(
      "manpage",
      "Print a man page: helpmark(1), or helpmark-COMMAND(1) with COMMAND; --output-dir writes them all\n"
      "(the build does, and `cmake --install` installs them); --markdown prints the whole command\n"
      "reference as Markdown (docs/cli-reference.md is this output).\n"
      "Examples:\n"
      "  helpmark manpage search | man -l -\n"
      "  helpmark manpage --output-dir man/man1\n"
      "  helpmark manpage --markdown > docs/cli-reference.md");
  sub->add_option("command", cmd->command, "The command whose page to print (default: the program's)");
  sub->add_option("--output-dir", cmd->output_dir, "Write every page into this directory as helpmark*.1")
      ->excludes(sub->get_option("command"));
  sub->add_flag("--markdown", cmd->markdown,
                "Print every command's reference as one Markdown document instead of a man page")
      ->excludes(sub->get_option("command"))
      ->excludes(sub->get_option("--output-dir"));
  const CLI::App* root = &app;
  sub->callback([cmd, root, &exit_code] { exit_code = run_manpage(*root, *cmd); });
}

}  // namespace helpmark::cli
