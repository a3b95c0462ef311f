#include "helpmark/status.hpp"

#include <algorithm>

namespace helpmark {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kIoError: return "i/o error";
    case ErrorCode::kInvalidInput: return "invalid input";
    case ErrorCode::kLocked: return "locked";
    case ErrorCode::kCorrupt: return "corrupt";
    case ErrorCode::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Diagnostic::to_string() const {
  std::string out = path;
  if (line > 0) out += ":" + std::to_string(line);
  out += severity == Severity::kError ? ": error: " : ": warning: ";
  out += message;
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace helpmark
