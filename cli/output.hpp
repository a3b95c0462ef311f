// What every subcommand shares: exit codes, default paths, printing errors and diagnostics.
#pragma once

#include <string>
#include <vector>

#include "helpmark/status.hpp"

namespace helpmark::cli {

/// Exit codes, documented in docs/cli.md ("Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,    ///< The command failed (bad input with --strict, missing index, I/O).
  kExitUsage = 2,    ///< Wrong flags or arguments.
  kExitPartial = 3,  ///< Done, but some articles were skipped because of errors.
  kExitLocked = 4,   ///< Another process is writing the index; try again later.
};

/// What each exit code means, for helpmark(1); docs/cli.md's "Exit codes" says the same.
struct ExitCodeMeaning {
  int code;
  const char* meaning;
};
const std::vector<ExitCodeMeaning>& exit_code_meanings();

int exit_code_for(const Status& status);

/// $HELPMARK_INDEX, else ".helpmark/index".
std::string default_index_dir();

/// Prints "helpmark: error: message" (or the JSON error object on stdout with `json`) and
/// returns the exit code for `status`.
int report_error(const Status& status, bool json);

/// Prints diagnostics to stderr, errors first; at most `limit` of each kind, then a count.
void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::size_t limit = 50);

bool stderr_is_terminal();
bool stdout_is_terminal();

}  // namespace helpmark::cli
