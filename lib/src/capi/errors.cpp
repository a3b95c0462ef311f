// Error state, exception mapping, owned strings and the version: the parts of the C API that
// every other part uses.
#include <xapian.h>
#include <yaml-cpp/exceptions.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <new>
#include <string>

#include "capi/barrier.hpp"
#include "helpmark/helpmark.h"

namespace helpmark::capi {
namespace {

struct ErrorState {
  int code = HM_OK;
  std::string message;
  // Used instead of `message` when storing the message itself ran out of memory.
  const char* fixed = nullptr;
};

ErrorState& error_state() noexcept {
  thread_local ErrorState state;
  return state;
}

}  // namespace

void clear_error() noexcept {
  ErrorState& e = error_state();
  e.code = HM_OK;
  e.message.clear();  // keeps the capacity: never throws
  e.fixed = nullptr;
}

int fail(int code, std::string_view message) noexcept {
  ErrorState& e = error_state();
  e.code = code;
  try {
    e.message.assign(message);
    e.fixed = nullptr;
  } catch (...) {
    e.message.clear();
    e.fixed = code == HM_ENOMEM ? "out of memory" : "out of memory while reporting an error";
  }
  return code;
}

int fail(const Status& status) noexcept { return fail(code_of(status.code()), status.message()); }

int code_of(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kOk: return HM_OK;
    case ErrorCode::kInvalidArgument: return HM_EINVALID;
    case ErrorCode::kNotFound: return HM_ENOTFOUND;
    case ErrorCode::kIoError: return HM_EIO;
    case ErrorCode::kInvalidInput: return HM_EINPUT;
    case ErrorCode::kLocked: return HM_ELOCKED;
    case ErrorCode::kCorrupt: return HM_ECORRUPT;
    case ErrorCode::kInternal: return HM_EINTERNAL;
  }
  return HM_EINTERNAL;
}

int fail_with_current_exception(const char* function) noexcept {
  // Each message starts with the function so a log line says where it came from.
  const std::string where = std::string(function ? function : "helpmark") + ": ";
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return fail(HM_ENOMEM, "out of memory");
  } catch (const Xapian::DatabaseLockError& e) {
    return fail(HM_ELOCKED, where + "the index is locked: " + e.get_description());
  } catch (const Xapian::DatabaseVersionError& e) {
    return fail(HM_ECORRUPT, where + "index written by an unsupported Xapian version: " + e.get_description());
  } catch (const Xapian::DatabaseOpeningError& e) {
    return fail(HM_ENOTFOUND, where + "the index cannot be opened: " + e.get_description());
  } catch (const Xapian::DatabaseCorruptError& e) {
    return fail(HM_ECORRUPT, where + "the index is damaged: " + e.get_description());
  } catch (const Xapian::Error& e) {
    return fail(HM_EIO, where + "index error: " + e.get_description());
  } catch (const YAML::Exception& e) {
    return fail(HM_EINPUT, where + "YAML error: " + e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    return fail(HM_EIO, where + e.what());
  } catch (const std::exception& e) {
    return fail(HM_EINTERNAL, where + "internal error: " + e.what());
  } catch (...) {
    return fail(HM_EINTERNAL, where + "internal error: an unknown exception");
  }
}

char* copy_out(std::string_view s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

}  // namespace helpmark::capi

using namespace helpmark::capi;

extern "C" {

HM_EXTERN const char* hm_last_error(void) {
  return guard_value<const char*>("hm_last_error", "", [] {
    const auto& e = error_state();
    return e.fixed ? e.fixed : e.message.c_str();
  });
}

HM_EXTERN int hm_last_error_code(void) {
  return guard_value<int>("hm_last_error_code", HM_EINTERNAL, [] { return error_state().code; });
}

HM_EXTERN const char* hm_status_name(int status) {
  return guard_value<const char*>("hm_status_name", "unknown", [status]() -> const char* {
    switch (status) {
      case HM_OK: return "ok";
      case HM_EINVALID: return "invalid argument";
      case HM_ENOTFOUND: return "not found";
      case HM_EIO: return "i/o error";
      case HM_EINPUT: return "invalid input";
      case HM_ELOCKED: return "locked";
      case HM_ECORRUPT: return "corrupt";
      case HM_ENOMEM: return "out of memory";
      case HM_EINTERNAL: return "internal error";
      default: return "unknown";
    }
  });
}

HM_EXTERN void hm_string_free(char* s) { std::free(s); }

HM_EXTERN const char* hm_version(void) { return HM_VERSION_STRING; }

HM_EXTERN int hm_version_number(void) { return HM_VERSION_NUMBER; }

}  // extern "C"
