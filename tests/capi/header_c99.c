/* Compiled with -std=c99 -pedantic -Werror -Wall -Wextra (tests/capi/CMakeLists.txt): the C
 * API header must be plain C99. Run, it checks that the version the header was compiled
 * against is the version of the library loaded, and the fixed facts of the status codes. */
#include "helpmark/helpmark.h"

#include <stdio.h>
#include <string.h>

#if !defined(HM_VERSION_MAJOR) || !defined(HM_VERSION_MINOR) || !defined(HM_VERSION_PATCH) || \
    !defined(HM_VERSION_NUMBER) || !defined(HM_ABI_VERSION)
#error "helpmark/version.h must define the version macros"
#endif
#if HM_VERSION_NUMBER != HM_VERSION_MAJOR * 10000 + HM_VERSION_MINOR * 100 + HM_VERSION_PATCH
#error "HM_VERSION_NUMBER is inconsistent"
#endif

static int failures = 0;

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

int main(void) {
  char expected[32];
  hm_index *ix = (hm_index *)&failures; /* a pointer that was never opened */
  sprintf(expected, "%d.%d.%d", HM_VERSION_MAJOR, HM_VERSION_MINOR, HM_VERSION_PATCH);
  check(strcmp(hm_version(), HM_VERSION_STRING) == 0, "hm_version() == HM_VERSION_STRING");
  check(strcmp(HM_VERSION_STRING, expected) == 0, "HM_VERSION_STRING == MAJOR.MINOR.PATCH");
  check(hm_version_number() == HM_VERSION_NUMBER, "hm_version_number() == HM_VERSION_NUMBER");
  check(hm_last_error() != NULL && hm_last_error()[0] == '\0', "no error before any call");
  check(hm_last_error_code() == HM_OK, "HM_OK before any call");

  check(HM_OK == 0 && HM_EINVALID < 0 && HM_ENOTFOUND < 0 && HM_EIO < 0 && HM_EINPUT < 0 &&
            HM_ELOCKED < 0 && HM_ECORRUPT < 0 && HM_ENOMEM < 0 && HM_EINTERNAL < 0,
        "status codes: 0 ok, negative errors");
  check(strcmp(hm_status_name(HM_OK), "ok") == 0, "hm_status_name(HM_OK)");
  check(strcmp(hm_status_name(HM_ENOTFOUND), "not found") == 0, "hm_status_name(HM_ENOTFOUND)");
  check(strcmp(hm_status_name(12345), "unknown") == 0, "hm_status_name(unknown)");

  /* A handle that was never opened is refused, not dereferenced. */
  check(hm_index_reopen(ix) == HM_EINVALID, "hm_index_reopen(never opened)");
  check(strstr(hm_last_error(), "hm_index_reopen") != NULL, "the message names the function");
  check(hm_last_error_code() == HM_EINVALID, "hm_last_error_code() after a failure");

  /* Every _free and _close takes NULL. */
  hm_index_close(NULL);
  hm_event_store_close(NULL);
  hm_search_request_free(NULL);
  hm_results_free(NULL);
  hm_answer_options_free(NULL);
  hm_answer_free(NULL);
  hm_suggestions_free(NULL);
  hm_event_free(NULL);
  hm_batch_free(NULL);
  hm_string_free(NULL);

  if (failures == 0) printf("ok: helpmark %s, ABI %d\n", hm_version(), HM_ABI_VERSION);
  return failures == 0 ? 0 : 1;
}
