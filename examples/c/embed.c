/* embed.c: search with a filter and facets, answer a question, record what the customer saw.
 *   embed [INDEX_DIR [EVENT_STORE]]   (defaults: .helpmark/index, .helpmark/events.sqlite) */
#include <helpmark/helpmark.h>
#include <stdio.h>

static int fail(const char *what) {
  /* hm_last_error() is never NULL; read it before the next status-returning call. */
  fprintf(stderr, "embed: %s: %s (%s)\n", what, hm_last_error(), hm_status_name(hm_last_error_code()));
  return 1;
}

static void print_facet(const hm_results *res, const char *field) {
  size_t j;
  printf("  %s:", field);
  for (j = 0; j < hm_facet_count(res, field) && j < 4; ++j)
    printf(" %s=%zu", hm_facet_value(res, field, j, NULL), hm_facet_value_count(res, field, j));
  printf("\n");
}

int main(int argc, char **argv) {
  const char *index_dir = argc > 1 ? argv[1] : ".helpmark/index";
  const char *store_path = argc > 2 ? argv[2] : ".helpmark/events.sqlite";
  hm_index *ix = NULL;
  hm_search_request *req = NULL;
  hm_results *res = NULL;
  hm_answer *ans = NULL;
  hm_event_store *store = NULL;
  hm_event *ev = NULL;
  char *event_id = NULL; /* owned by us: hm_string_free() */
  size_t i, len;
  int rc, status = 1;

  printf("helpmark %s (header %s)\n", hm_version(), HM_VERSION_STRING);
  if (hm_index_open(&ix, index_dir) != HM_OK) return fail("opening the index");

  /* 1. Search: text, locale, a filter, two facets, the first page of 3 hits. */
  rc = hm_search_request_new(&req);
  if (rc == HM_OK) rc = hm_search_request_set_query(req, "money back");
  if (rc == HM_OK) rc = hm_search_request_set_locale(req, "en");
  if (rc == HM_OK) rc = hm_search_request_add_filter(req, "audience", "buyer");
  if (rc == HM_OK) rc = hm_search_request_add_facet(req, "journey");
  if (rc == HM_OK) rc = hm_search_request_add_facet(req, "tags");
  if (rc == HM_OK) rc = hm_search_request_set_page(req, 0, 3);
  if (rc == HM_OK) rc = hm_search(&res, ix, req);
  if (rc != HM_OK) {
    status = fail("searching");
    goto done;
  }
  printf("%zu matches for \"money back\", first %zu:\n", hm_results_total(res), hm_results_count(res));
  for (i = 0; i < hm_results_count(res); ++i) {
    const char *title = hm_hit_title(res, i, &len); /* UTF-8, lives as long as res */
    printf("  %zu. %.*s [%s, %s] %.2f\n", i + 1, (int)len, title, hm_hit_id(res, i, NULL),
           hm_hit_journey(res, i, NULL), hm_hit_score(res, i));
  }
  print_facet(res, "journey");
  print_facet(res, "tags");

  /* 2. Answer a chatbot question: one article with a calibrated confidence, or escalate. */
  if (hm_answer_question(&ans, ix, "i was charged twice for one order", "en", NULL) != HM_OK) {
    status = fail("answering");
    goto done;
  }
  if (hm_answer_escalate(ans))
    printf("answer: hand over to a human (confidence %.2f)\n", hm_answer_confidence(ans));
  else
    printf("answer: %s -> %s (confidence %.3f, threshold %.3f)\n", hm_answer_title(ans, NULL),
           hm_answer_link(ans, NULL), hm_answer_confidence(ans), hm_answer_threshold(ans));

  /* 3. Track: record the search and the hits the customer saw. */
  rc = hm_event_store_open(&store, store_path, 0, NULL, -1);
  if (rc == HM_OK) rc = hm_event_new(&ev, "search");
  if (rc == HM_OK) rc = hm_event_set(ev, "session", "visit-42");
  if (rc == HM_OK) rc = hm_event_set(ev, "query", "money back");
  if (rc == HM_OK) rc = hm_event_set(ev, "locale", "en");
  if (rc == HM_OK) rc = hm_event_add_filter(ev, "audience", "buyer");
  if (rc == HM_OK) rc = hm_event_set_int(ev, "total", (int64_t)hm_results_total(res));
  for (i = 0; rc == HM_OK && i < hm_results_count(res); ++i) rc = hm_event_add_result(ev, hm_hit_id(res, i, NULL));
  if (rc == HM_OK) rc = hm_event_store_record(&event_id, NULL, store, ev);
  if (rc != HM_OK) {
    status = fail("recording the search");
    goto done;
  }
  printf("recorded search event %s\n", event_id);
  status = 0;

done: /* every _free and _close accepts NULL */
  hm_string_free(event_id);
  hm_event_free(ev);
  hm_event_store_close(store);
  hm_answer_free(ans);
  hm_results_free(res);
  hm_search_request_free(req);
  hm_index_close(ix);
  return status;
}
