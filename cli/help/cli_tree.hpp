// Reading the CLI11 definition back: the visible subcommands and options of a command, an
// option's value and choices. Shell completions, man pages and "did you mean" all read this one
// tree, so none of them can drift from what the parser accepts.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace helpmark::cli {

/// Subcommands shown in --help (a subcommand in the empty group is hidden), in definition order.
std::vector<const CLI::App*> visible_subcommands(const CLI::App& app);

/// Named options (--limit, -h) shown in --help, in definition order.
std::vector<const CLI::Option*> visible_options(const CLI::App& app);

/// Positional arguments, in order.
std::vector<const CLI::Option*> positionals(const CLI::App& app);

/// True when the option is given a value (`--limit 5`), false for a flag (`--json`).
bool takes_value(const CLI::Option& option);

/// The values a CLI::IsMember check allows ("text", "json" ...), empty for a free value.
std::vector<std::string> choices_of(const CLI::Option& option);

/// The value's placeholder as --help shows it: "TEXT", "UINT" ...
std::string value_name(const CLI::Option& option);

/// Every name of the option, long ones first: "--help", "-h".
std::vector<std::string> option_names(const CLI::Option& option);

/// "helpmark track search": the command's words from the root.
std::string command_path(const CLI::App& app);

/// "helpmark-track-search": the command path joined by dashes (man page names, Markdown anchors).
std::string command_slug(const CLI::App& app);

/// The first sentence of the command's description, on one line, without its full stop.
std::string summary_of(const CLI::App& app);

/// The subcommand of `app` called `name`, or nullptr.
const CLI::App* find_subcommand(const CLI::App& app, const std::string& name);

/// The named option of `app` spelled `name` ("--limit", "-h"), or nullptr.
const CLI::Option* find_option(const CLI::App& app, const std::string& name);

}  // namespace helpmark::cli
