// Shell completion scripts (bash, zsh, fish) written from the CLI's own definition: commands,
// options, which options take a value and the values a choice allows.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace helpmark::cli {

/// The shells completion_script() knows.
const std::vector<std::string>& completion_shells();

/// The script for `shell` (one of completion_shells()) completing the commands under `root`.
std::string completion_script(const CLI::App& root, const std::string& shell);

}  // namespace helpmark::cli
