// Usage errors (exit 2): a mistyped command gets "did you mean", and `--json` anywhere on the
// command line turns the message into the JSON error object every command prints.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace helpmark::cli {

/// What the words of a command line name before CLI11 judges them.
struct CommandWords {
  const CLI::App* command = nullptr;  ///< The deepest subcommand named (the root when none).
  std::string unknown;                ///< A word where `command` wants a subcommand, not one of them.
  bool json = false;                  ///< `--json` appears (before any `--`).
};

/// Reads `args` (argv without the program name) against the definition under `root`.
CommandWords read_command_words(const CLI::App& root, const std::vector<std::string>& args);

/// "'serch' is not a helpmark command; did you mean 'helpmark search'?", or the list of the
/// commands when none is close. `words.unknown` must not be empty.
std::string unknown_command_message(const CommandWords& words);

/// Prints `error` (improved for an unknown command; as JSON on stdout with --json, always as
/// "helpmark: error: ..." on stderr) and returns kExitUsage.
int report_usage_error(const CLI::App& root, const std::vector<std::string>& args, const CLI::ParseError& error);

}  // namespace helpmark::cli
