#include "output.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "helpmark/json.hpp"

namespace helpmark::cli {

const std::vector<ExitCodeMeaning>& exit_code_meanings() {
  static const std::vector<ExitCodeMeaning> kMeanings{
      {kExitOk, "success"},
      {kExitError,
       "the command failed: bad input with --strict, a missing or damaged index, an I/O error (a full disk, a "
       "read-only directory), an eval floor not met, validate found errors, index refused to empty the index "
       "(see --allow-empty)"},
      {kExitUsage, "usage error: an unknown command or flag, a bad value, a missing argument, a limit over the maximum"},
      {kExitPartial,
       "index finished but with errors: some articles were skipped (their previous version stays searchable), "
       "a directory could not be read (its articles stay), or bad synonym or spelling entries were left out"},
      {kExitLocked, "the index is locked by another writer; try again when it has finished"},
  };
  return kMeanings;
}

int exit_code_for(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kOk: return kExitOk;
    case ErrorCode::kInvalidArgument: return kExitUsage;
    case ErrorCode::kLocked: return kExitLocked;
    default: return kExitError;
  }
}

std::string default_index_dir() {
  const char* env = std::getenv("HELPMARK_INDEX");
  return env && *env ? env : ".helpmark/index";
}

int report_error(const Status& status, bool json) {
  if (json) std::cout << json::error(status) << "\n";
  std::cerr << "helpmark: error: " << status.message() << "\n";
  return exit_code_for(status);
}

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, std::size_t limit) {
  for (Severity severity : {Severity::kError, Severity::kWarning}) {
    std::size_t shown = 0, total = 0;
    for (const auto& d : diagnostics) {
      if (d.severity != severity) continue;
      ++total;
      if (shown < limit) {
        std::cerr << d.to_string() << "\n";
        ++shown;
      }
    }
    if (total > shown)
      std::cerr << "... and " << (total - shown) << " more "
                << (severity == Severity::kError ? "errors" : "warnings") << " (use --json for all)\n";
  }
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }
bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

}  // namespace helpmark::cli
