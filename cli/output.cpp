#include "output.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "helpmark/json.hpp"

namespace helpmark::cli {

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
