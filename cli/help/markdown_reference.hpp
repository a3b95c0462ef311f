// The command reference as Markdown (docs/cli-reference.md), written from the same CLI
// definition as the man pages and completions, so the published reference cannot drift from
// what the parser accepts; ctest's docs/cli-reference checks the committed copy is current.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace helpmark::cli {

/// Every command of `root`, its arguments, options and subcommands, and the exit statuses.
std::string markdown_reference(const CLI::App& root);

}  // namespace helpmark::cli
