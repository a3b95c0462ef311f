// The C API's exception barrier, per-thread error state and handle registry.
//
// Every extern "C" function body runs inside guard() (status-returning calls) or
// guard_value() (accessors): whatever C++ throws (Xapian::Error, YAML::Exception,
// std::bad_alloc, std::exception, anything) becomes an HM_E* code and a message, so no
// exception ever unwinds into C.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "helpmark/helpmark.h"
#include "helpmark/status.hpp"

namespace helpmark::capi {

/// Clears this thread's error: the state after a successful call.
void clear_error() noexcept;

/// Records `code` and `message` as this thread's error and returns `code`. Never throws: when
/// the message cannot be stored (out of memory) a fixed one is used.
int fail(int code, std::string_view message) noexcept;

/// fail() with the code derived from a helpmark Status.
int fail(const Status& status) noexcept;

/// The HM_E* code of an ErrorCode.
int code_of(ErrorCode code) noexcept;

/// Maps the exception being handled (call only inside a catch block) to a code and message.
int fail_with_current_exception(const char* function) noexcept;

/// Runs `body(function)` (returning an int status) inside the barrier. The body gets the C
/// function's name for its messages (`__func__` inside a lambda names the lambda).
template <typename F>
int guard(const char* function, F&& body) noexcept {
  clear_error();
  try {
    const int rc = std::forward<F>(body)(function);
    if (rc == HM_OK) clear_error();
    return rc;
  } catch (...) {
    return fail_with_current_exception(function);
  }
}

/// Runs an accessor inside the barrier: `fallback` when it throws. Accessors leave the error
/// state alone on success, so reading a result never erases the message of a failed call.
template <typename T, typename F>
T guard_value(const char* function, T fallback, F&& body) noexcept {
  try {
    return std::forward<F>(body)();
  } catch (...) {
    fail_with_current_exception(function);
    return fallback;
  }
}

/// Stores a string that lives inside a result object: returns its bytes, writes its length.
inline const char* out_string(const std::string& s, std::size_t* len) noexcept {
  if (len) *len = s.size();
  return s.c_str();
}

/// "" with length 0: what accessors return for a NULL object or an index out of range.
inline const char* no_string(std::size_t* len) noexcept {
  if (len) *len = 0;
  return "";
}

/// A copy of `s` in memory the caller releases with hm_string_free(); throws std::bad_alloc.
char* copy_out(std::string_view s);

/// Handles that may be shared by threads (hm_index, hm_event_store) are registered while open.
/// A call first takes a reference to the handle's state under a shared lock, so closing a
/// handle while other threads are inside calls on it only drops one reference; and a call on
/// a handle that is no longer registered fails cleanly instead of touching freed memory.
/// `Handle` must have a member `state` of type std::shared_ptr<...>.
template <typename Handle>
class Registry {
 public:
  using State = decltype(std::declval<Handle&>().state);

  static Registry& instance() {
    // Never destroyed: calls from threads still running during exit must find it intact.
    static Registry* registry = new Registry;
    return *registry;
  }

  void add(const Handle* handle) {
    std::unique_lock lock(mu_);
    live_.insert(handle);
  }

  /// The handle's state, or null when `handle` is not open.
  State acquire(const Handle* handle) const {
    if (handle == nullptr) return nullptr;
    std::shared_lock lock(mu_);
    if (live_.find(handle) == live_.end()) return nullptr;
    return handle->state;
  }

  /// Unregisters `handle`; false when it was not registered (NULL, or closed already).
  bool remove(const Handle* handle) {
    std::unique_lock lock(mu_);
    return live_.erase(handle) > 0;
  }

 private:
  Registry() = default;
  mutable std::shared_mutex mu_;
  std::unordered_set<const Handle*> live_;
};

}  // namespace helpmark::capi
