/*
 * search_and_click: embed helpmark in a C program.
 *
 * Opens an index, runs a search with facets, prints the hits and the facet counts, then
 * records the search and a click on the first hit in an event store, the way a help-center
 * site would when a customer searches and opens an article.
 *
 *   search_and_click INDEX_DIR EVENT_STORE [QUERY] [LOCALE]
 *   search_and_click .helpmark/index .helpmark/events.sqlite "refund late" en
 *
 * Build: cc search_and_click.c $(pkg-config --cflags --libs helpmark)
 *    or: CMakeLists.txt beside this file (find_package(helpmark)).
 */
#include <helpmark/helpmark.h>
#include <stdio.h>

/* Prints what went wrong in the last call and returns the process's exit status. */
static int report(const char *what) {
  fprintf(stderr, "search_and_click: %s failed: %s (%s)\n", what, hm_last_error(),
          hm_status_name(hm_last_error_code()));
  return 1;
}

static void print_facet(const hm_results *results, const char *field) {
  size_t j, n = hm_facet_count(results, field);
  printf("%s:", field);
  for (j = 0; j < n; ++j)
    printf(" %s (%zu)", hm_facet_value(results, field, j, NULL), hm_facet_value_count(results, field, j));
  printf("\n");
}

/* Records the search the customer saw, then their click on the first hit. */
static int track(hm_event_store *store, const hm_results *results, const char *query, const char *locale) {
  hm_event *search = NULL, *click = NULL;
  char *search_id = NULL, *click_id = NULL;
  size_t i;
  int rc = hm_event_new(&search, "search");
  if (rc == HM_OK) rc = hm_event_set(search, "session", "example-session-1");
  if (rc == HM_OK) rc = hm_event_set(search, "query", query);
  if (rc == HM_OK && *locale) rc = hm_event_set(search, "locale", locale);
  for (i = 0; rc == HM_OK && i < hm_results_count(results); ++i)
    rc = hm_event_add_result(search, hm_hit_id(results, i, NULL));
  if (rc == HM_OK) rc = hm_event_set_int(search, "total", (int64_t)hm_results_total(results));
  if (rc == HM_OK) rc = hm_event_store_record(&search_id, NULL, store, search);
  if (rc != HM_OK) {
    hm_event_free(search);
    return report("recording the search");
  }

  rc = hm_event_new(&click, "click");
  if (rc == HM_OK) rc = hm_event_set(click, "session", "example-session-1");
  if (rc == HM_OK) rc = hm_event_set(click, "article", hm_hit_id(results, 0, NULL));
  if (rc == HM_OK) rc = hm_event_set_int(click, "position", 1);
  if (rc == HM_OK) rc = hm_event_set(click, "search_id", search_id);
  if (rc == HM_OK) rc = hm_event_store_record(&click_id, NULL, store, click);
  if (rc == HM_OK) printf("recorded search %s and click %s\n", search_id, click_id);
  hm_string_free(search_id);
  hm_string_free(click_id);
  hm_event_free(search);
  hm_event_free(click);
  return rc == HM_OK ? 0 : report("recording the click");
}

int main(int argc, char **argv) {
  const char *query = argc > 3 ? argv[3] : "refund";
  const char *locale = argc > 4 ? argv[4] : "";
  hm_index *index = NULL;
  hm_search_request *request = NULL;
  hm_results *results = NULL;
  hm_event_store *store = NULL;
  size_t i;
  int status = 1;

  if (argc < 3) {
    fprintf(stderr, "usage: %s INDEX_DIR EVENT_STORE [QUERY] [LOCALE]\n", argv[0]);
    return 2;
  }
  printf("helpmark %s (built against %s)\n", hm_version(), HM_VERSION_STRING);

  if (hm_index_open(&index, argv[1]) != HM_OK) return report("opening the index");
  if (hm_search_request_new(&request) != HM_OK || hm_search_request_set_query(request, query) != HM_OK ||
      hm_search_request_set_locale(request, locale) != HM_OK ||
      hm_search_request_add_facet(request, "journey") != HM_OK ||
      hm_search_request_add_facet(request, "locale") != HM_OK ||
      hm_search_request_set_page(request, 0, 5) != HM_OK) {
    status = report("building the request");
    goto done;
  }
  if (hm_search(&results, index, request) != HM_OK) {
    status = report("searching");
    goto done;
  }

  if (hm_results_auto_corrected(results))
    printf("Showing results for \"%s\"\n", hm_results_corrected_query(results, NULL));
  else if (*hm_results_corrected_query(results, NULL))
    printf("Did you mean \"%s\"?\n", hm_results_corrected_query(results, NULL));
  printf("%zu results for \"%s\"\n", hm_results_total(results), query);
  for (i = 0; i < hm_results_count(results); ++i) {
    size_t title_len;
    const char *title = hm_hit_title(results, i, &title_len);
    printf("%zu. %.*s [%s, %s/%s] score %.3f\n", i + 1, (int)title_len, title, hm_hit_id(results, i, NULL),
           hm_hit_locale(results, i, NULL), hm_hit_journey(results, i, NULL), hm_hit_score(results, i));
  }
  print_facet(results, "journey");
  print_facet(results, "locale");

  if (hm_results_count(results) == 0) {
    printf("nothing to click\n");
    status = 0;
    goto done;
  }
  if (hm_event_store_open(&store, argv[2], 0, NULL, -1) != HM_OK) {
    status = report("opening the event store");
    goto done;
  }
  status = track(store, results, query, locale);

done:
  hm_event_store_close(store);
  hm_results_free(results);
  hm_search_request_free(request);
  hm_index_close(index);
  return status;
}
