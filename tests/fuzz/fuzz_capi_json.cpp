// The C API's JSON entry points: hm_event_store_record_json with any text, and the JSON results
// of hm_search_json, hm_answer_json and hm_suggest_json for any query and locale.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "fuzz_util.hpp"
#include "helpmark/helpmark.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hm_index* index = [] {
    hm_index* ix = nullptr;
    if (hm_index_open(&ix, hmfuzz::small_index().c_str()) != HM_OK) std::abort();
    return ix;
  }();
  static hm_event_store* store = [] {
    hm_event_store* s = nullptr;
    const std::string path =
        (std::filesystem::temp_directory_path() / ("helpmark-fuzz-events-" + std::to_string(::getpid()) + ".sqlite"))
            .string();
    if (hm_event_store_open(&s, path.c_str(), HM_STORE_SYNC_NORMAL, "", -1) != HM_OK) std::abort();
    return s;
  }();
  const auto f = hmfuzz::fields(data, size, 2);  // C strings: what follows a NUL is not seen
  char* id = nullptr;
  int duplicate = 0;
  if (hm_event_store_record_json(&id, &duplicate, store, f[0].c_str()) == HM_OK) hm_string_free(id);

  hm_search_request* request = nullptr;
  if (hm_search_request_new(&request) != HM_OK) std::abort();
  char* json = nullptr;
  if (hm_search_request_set_query(request, f[0].c_str()) == HM_OK &&
      hm_search_request_set_locale(request, f[1].c_str()) == HM_OK &&
      hm_search_json(&json, nullptr, index, request) == HM_OK)
    hm_string_free(json);
  hm_search_request_free(request);
  if (hm_answer_json(&json, nullptr, index, f[0].c_str(), f[1].c_str(), nullptr) == HM_OK) hm_string_free(json);
  if (hm_suggest_json(&json, nullptr, index, f[0].c_str(), f[1].c_str(), 5) == HM_OK) hm_string_free(json);
  return 0;
}
