// Paths as people see them: every path helpmark prints (diagnostics of `validate` and `index`,
// `audit` findings) opens from the working directory, so an editor can jump to it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "helpmark/status.hpp"

namespace helpmark {

/// What goes before a path relative to `dir` (ArticleSet paths and their diagnostics are) so
/// that it opens from the working directory: "articles" -> "articles/", "." -> "". Thread-safe.
std::string path_prefix_of(const std::filesystem::path& dir);

/// Puts path_prefix_of(dir) before the path of each of `diagnostics`, which are about files
/// under `dir`.
void show_paths_from_working_dir(const std::filesystem::path& dir, std::vector<Diagnostic>& diagnostics);

}  // namespace helpmark
