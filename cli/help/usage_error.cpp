#include "help/usage_error.hpp"

#include <iostream>

#include "help/cli_tree.hpp"
#include "help/did_you_mean.hpp"
#include "output.hpp"

namespace helpmark::cli {

CommandWords read_command_words(const CLI::App& root, const std::vector<std::string>& args) {
  CommandWords words;
  words.command = &root;
  bool skip_value = false;
  for (const auto& arg : args) {
    if (arg == "--") break;  // what follows is positional text, even "--json"
    if (skip_value) {
      skip_value = false;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      if (arg == "--json" || arg.rfind("--json=", 0) == 0) words.json = true;
      const auto name = arg.substr(0, arg.find('='));
      const CLI::Option* option = find_option(*words.command, name);
      skip_value = option && takes_value(*option) && name.size() == arg.size();
      continue;
    }
    if (!words.unknown.empty()) continue;
    // A command with positional arguments takes any word; only a pure group of commands
    // (helpmark, track, learn) can tell that a word is a mistyped command.
    if (visible_subcommands(*words.command).empty() || !positionals(*words.command).empty()) continue;
    if (const CLI::App* sub = find_subcommand(*words.command, arg)) words.command = sub;
    else words.unknown = arg;
  }
  return words;
}

std::string unknown_command_message(const CommandWords& words) {
  const std::string parent = command_path(*words.command);
  std::vector<std::string> names;
  for (const CLI::App* sub : visible_subcommands(*words.command)) names.push_back(sub->get_name());
  std::string message = "'" + words.unknown + "' is not a '" + parent + "' command";
  const auto close = closest_names(words.unknown, names);
  if (close.empty()) {
    message += "; the commands are:";
    for (std::size_t i = 0; i < names.size(); ++i) message += (i ? ", " : " ") + names[i];
    return message;
  }
  message += "; did you mean";
  for (std::size_t i = 0; i < close.size(); ++i)
    message += std::string(i == 0 ? " '" : i + 1 == close.size() ? " or '" : ", '") + parent + " " + close[i] + "'";
  return message + "?";
}

int report_usage_error(const CLI::App& root, const std::vector<std::string>& args, const CLI::ParseError& error) {
  const CommandWords words = read_command_words(root, args);
  const std::string message = words.unknown.empty() ? error.what() : unknown_command_message(words);
  report_error(Status(ErrorCode::kInvalidArgument, message), words.json);
  std::cerr << "Run '" << command_path(*words.command) << " --help' for more information.\n";
  return kExitUsage;
}

}  // namespace helpmark::cli
