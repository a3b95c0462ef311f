// Man pages (roff, man(7) macros) written from the CLI's own definition: helpmark(1) for the
// program and helpmark-COMMAND(1) for each command, its subcommands included.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace helpmark::cli {

/// The page of `command`: the root gives helpmark(1), `search` helpmark-search(1).
std::string man_page(const CLI::App& command, const std::string& version);

/// "helpmark-search.1" (the root: "helpmark.1").
std::string man_page_file_name(const CLI::App& command);

}  // namespace helpmark::cli
