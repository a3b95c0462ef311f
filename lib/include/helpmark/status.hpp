// Status, Result and Diagnostic: how helpmark reports expected failures.
//
// Expected failures (bad input, a locked index) are values, never exceptions; exceptions are
// for bugs and are converted to Status at module boundaries. All types here are value types:
// thread-compatible (const use from many threads is safe).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace helpmark {

/// What kind of failure a Status carries. Stable: the CLI's exit codes and the C API's
/// negative status codes are derived from it.
enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,  ///< The caller passed something unusable (bad flag value, empty id).
  kNotFound,         ///< A file, directory, index or article does not exist.
  kIoError,          ///< Reading or writing failed (permissions, disk full).
  kInvalidInput,     ///< Articles or taxonomy are malformed (see the diagnostics).
  kLocked,           ///< Another process is writing the index.
  kCorrupt,          ///< The directory is not a helpmark index, or it is damaged.
  kInternal,         ///< A bug: an unexpected exception reached a module boundary.
};

/// Returns a short lower-case name for `code`, e.g. "not found".
const char* error_code_name(ErrorCode code);

/// The outcome of an operation: ok, or an error code and a message meant for people.
class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

/// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

enum class Severity { kError, kWarning };

/// One problem found in an input file, located as precisely as the input allows.
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string path;     ///< File the problem is in (as given by the caller, usually relative).
  int line = 0;         ///< 1-based line, 0 when the problem has no line (an empty file).
  std::string message;  ///< What is wrong and, where we know it, how to fix it.

  /// "path:line: error: message", the form compilers use, so editors can jump to it.
  std::string to_string() const;
};

/// True when `diagnostics` holds at least one error (warnings do not count).
bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace helpmark
