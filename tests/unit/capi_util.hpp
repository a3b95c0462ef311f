// Helpers for the C API tests: an index of tests/data/kb-small, RAII owners of C handles, and
// reading the C API's (pointer, length) strings.
#pragma once

#include <memory>
#include <string>

#include "helpmark/helpmark.h"
#include "unit/test_util.hpp"

namespace hmtest {

/// tests/data/kb-small indexed (by the library) into a temporary directory.
class SmallIndex {
 public:
  SmallIndex() {
    helpmark::IndexOptions o;
    o.articles_dir = kTestData / "kb-small/articles";
    o.taxonomy_dir = kTestData / "kb-small/taxonomy";
    o.index_dir = dir_ / "index";
    auto r = helpmark::build_index(o);
    REQUIRE_MESSAGE(r.ok(), r.status().message());
  }
  fs::path index() const { return dir_ / "index"; }
  std::string index_str() const { return index().string(); }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
};

/// The C API's string accessors return a pointer and a length: both must agree.
template <typename F, typename... Args>
std::string c_str(F fn, Args... args) {
  std::size_t len = 12345;
  const char* p = fn(args..., &len);
  REQUIRE(p != nullptr);
  CHECK(std::string(p).size() == len);  // NUL-terminated at len, no embedded NUL
  return std::string(p, len);
}

/// Owners that release C API objects at scope exit.
struct IndexCloser {
  void operator()(hm_index* p) const { hm_index_close(p); }
};
struct RequestFree {
  void operator()(hm_search_request* p) const { hm_search_request_free(p); }
};
struct ResultsFree {
  void operator()(hm_results* p) const { hm_results_free(p); }
};
struct AnswerFree {
  void operator()(hm_answer* p) const { hm_answer_free(p); }
};
struct OptionsFree {
  void operator()(hm_answer_options* p) const { hm_answer_options_free(p); }
};
struct SuggestionsFree {
  void operator()(hm_suggestions* p) const { hm_suggestions_free(p); }
};
struct StoreCloser {
  void operator()(hm_event_store* p) const { hm_event_store_close(p); }
};
struct EventFree {
  void operator()(hm_event* p) const { hm_event_free(p); }
};
struct BatchFree {
  void operator()(hm_batch* p) const { hm_batch_free(p); }
};
struct StringFree {
  void operator()(char* p) const { hm_string_free(p); }
};
using IndexPtr = std::unique_ptr<hm_index, IndexCloser>;
using RequestPtr = std::unique_ptr<hm_search_request, RequestFree>;
using ResultsPtr = std::unique_ptr<hm_results, ResultsFree>;
using AnswerPtr = std::unique_ptr<hm_answer, AnswerFree>;
using OptionsPtr = std::unique_ptr<hm_answer_options, OptionsFree>;
using SuggestionsPtr = std::unique_ptr<hm_suggestions, SuggestionsFree>;
using StorePtr = std::unique_ptr<hm_event_store, StoreCloser>;
using EventPtr = std::unique_ptr<hm_event, EventFree>;
using BatchPtr = std::unique_ptr<hm_batch, BatchFree>;
using StringPtr = std::unique_ptr<char, StringFree>;

inline IndexPtr open_index(const fs::path& dir) {
  hm_index* ix = nullptr;
  const int rc = hm_index_open(&ix, dir.c_str());
  REQUIRE_MESSAGE(rc == HM_OK, hm_last_error());
  return IndexPtr(ix);
}

inline RequestPtr new_request(const char* query = nullptr) {
  hm_search_request* req = nullptr;
  REQUIRE(hm_search_request_new(&req) == HM_OK);
  if (query) REQUIRE(hm_search_request_set_query(req, query) == HM_OK);
  return RequestPtr(req);
}

inline ResultsPtr search(hm_index* ix, const hm_search_request* req) {
  hm_results* r = nullptr;
  const int rc = hm_search(&r, ix, req);
  REQUIRE_MESSAGE(rc == HM_OK, hm_last_error());
  REQUIRE(r != nullptr);
  return ResultsPtr(r);
}

inline StorePtr open_store(const fs::path& file, unsigned flags = 0, int busy_timeout_ms = -1) {
  hm_event_store* s = nullptr;
  const int rc = hm_event_store_open(&s, file.c_str(), flags, "", busy_timeout_ms);
  REQUIRE_MESSAGE(rc == HM_OK, hm_last_error());
  return StorePtr(s);
}

inline EventPtr new_event(const char* type) {
  hm_event* ev = nullptr;
  REQUIRE(hm_event_new(&ev, type) == HM_OK);
  return EventPtr(ev);
}

/// Checks a failed call: its code, a non-empty message containing `needle`.
inline void check_failure(int rc, int expected, const std::string& needle) {
  INFO("message: " << hm_last_error());
  CHECK(rc == expected);
  CHECK(hm_last_error_code() == expected);
  CHECK(std::string(hm_last_error()).find(needle) != std::string::npos);
}

}  // namespace hmtest
