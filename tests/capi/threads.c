/* Many threads share one hm_index and one hm_event_store (their documented thread-safety),
 * run under ThreadSanitizer by .ci/run (the tsan preset) and in the normal suite.
 *
 *   capi_threads INDEX_DIR EVENT_STORE
 *
 * 1. Concurrent searches, answers and suggestions, while another thread keeps calling
 *    hm_index_reopen(): every result must equal the single-threaded one.
 * 2. Concurrent event recording into one store: every event is stored exactly once.
 * 3. hm_index_close() while other threads are searching: their calls either succeed or fail
 *    with HM_EINVALID; nothing crashes and nothing leaks.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpmark/helpmark.h"

#define THREADS 8
#define ROUNDS 24
#define EVENTS_PER_THREAD 20
#define QUERIES 8

static const char *const kQueries[QUERIES] = {"refund", "return label", "card declined", "seller payout",
                                              "escrow", "refnud tmie", "reembolso", ""};
static const char *const kLocales[QUERIES] = {"en", "en", "", "en", "", "en", "es", "pt-BR"};

static hm_index *g_index;
static hm_event_store *g_store;
static char *g_search_json[QUERIES];
static char *g_answer_json[QUERIES];
static char *g_suggest_json[QUERIES];

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_failures;
static int g_stop_reopen;
static long g_successes_after_start;

static void failure(const char *what, int thread, int rc) {
  pthread_mutex_lock(&g_mu);
  ++g_failures;
  fprintf(stderr, "FAILED (thread %d): %s: rc=%d %s\n", thread, what, rc, hm_last_error());
  pthread_mutex_unlock(&g_mu);
}

static int search_json(char **out, int q) {
  hm_search_request *req = NULL;
  int rc = hm_search_request_new(&req);
  *out = NULL;
  if (rc == HM_OK) rc = hm_search_request_set_query(req, kQueries[q]);
  if (rc == HM_OK) rc = hm_search_request_set_locale(req, kLocales[q]);
  if (rc == HM_OK) rc = hm_search_request_add_facet(req, "journey");
  if (rc == HM_OK) rc = hm_search_request_add_facet(req, "tags");
  if (rc == HM_OK) rc = hm_search_json(out, NULL, g_index, req);
  hm_search_request_free(req);
  return rc;
}

static void *reader(void *arg) {
  const int t = (int)(size_t)arg;
  int r;
  for (r = 0; r < ROUNDS; ++r) {
    const int q = (t + r) % QUERIES;
    char *json = NULL;
    hm_results *results = NULL;
    hm_search_request *req = NULL;
    int rc = search_json(&json, q);
    if (rc != HM_OK) failure("hm_search_json", t, rc);
    else if (strcmp(json, g_search_json[q]) != 0) failure("search JSON differs from the single-threaded one", t, rc);
    hm_string_free(json);

    /* The struct accessors on a result owned by this thread. */
    rc = hm_search_request_new(&req);
    if (rc == HM_OK) rc = hm_search_request_set_query(req, kQueries[q]);
    if (rc == HM_OK) rc = hm_search(&results, g_index, req);
    if (rc != HM_OK) failure("hm_search", t, rc);
    else if (q == 0 && (hm_results_count(results) == 0 || strcmp(hm_hit_id(results, 0, NULL), "refund-timing") != 0))
      failure("the first hit for 'refund' is not refund-timing", t, rc);
    hm_results_free(results);
    hm_search_request_free(req);

    rc = hm_answer_json(&json, NULL, g_index, kQueries[q], kLocales[q], NULL);
    if (rc != HM_OK) failure("hm_answer_json", t, rc);
    else if (strcmp(json, g_answer_json[q]) != 0) failure("answer JSON differs from the single-threaded one", t, rc);
    hm_string_free(json);

    rc = hm_suggest_json(&json, NULL, g_index, kQueries[q], kLocales[q], 5);
    if (rc != HM_OK) failure("hm_suggest_json", t, rc);
    else if (strcmp(json, g_suggest_json[q]) != 0) failure("suggest JSON differs from the single-threaded one", t, rc);
    hm_string_free(json);
  }
  return NULL;
}

static void *reopener(void *arg) {
  int stop = 0, rc;
  (void)arg;
  while (!stop) {
    const struct timespec pause = {0, 2000000};
    rc = hm_index_reopen(g_index);
    if (rc != HM_OK) failure("hm_index_reopen", -1, rc);
    nanosleep(&pause, NULL);
    pthread_mutex_lock(&g_mu);
    stop = g_stop_reopen;
    pthread_mutex_unlock(&g_mu);
  }
  return NULL;
}

static void *recorder(void *arg) {
  const int t = (int)(size_t)arg;
  int i;
  for (i = 0; i < EVENTS_PER_THREAD; ++i) {
    char session[32], id[32];
    hm_event *ev = NULL;
    int duplicate = -1;
    int rc = hm_event_new(&ev, "view");
    sprintf(session, "thread-%d", t);
    sprintf(id, "t%d-e%d", t, i);
    if (rc == HM_OK) rc = hm_event_set(ev, "id", id);
    if (rc == HM_OK) rc = hm_event_set(ev, "session", session);
    if (rc == HM_OK) rc = hm_event_set(ev, "article", "refund-timing");
    if (rc == HM_OK) rc = hm_event_set(ev, "ts", "2026-11-01T10:00:00Z");
    if (rc == HM_OK) rc = hm_event_store_record(NULL, &duplicate, g_store, ev);
    if (rc != HM_OK) failure("hm_event_store_record", t, rc);
    else if (duplicate != 0) failure("a new event was reported as a duplicate", t, rc);
    /* The retry of a stored event is a duplicate, never a second row. */
    if (rc == HM_OK && i % 5 == 0) {
      rc = hm_event_store_record(NULL, &duplicate, g_store, ev);
      if (rc != HM_OK || duplicate != 1) failure("a retried event was not reported as a duplicate", t, rc);
    }
    hm_event_free(ev);
  }
  return NULL;
}

static void *searcher_until_closed(void *arg) {
  const int t = (int)(size_t)arg;
  hm_search_request *req = NULL;
  int rc = hm_search_request_new(&req);
  if (rc == HM_OK) rc = hm_search_request_set_query(req, kQueries[t % QUERIES]);
  if (rc != HM_OK) failure("building the request", t, rc);
  while (rc == HM_OK) {
    hm_results *results = NULL;
    rc = hm_search(&results, g_index, req);
    hm_results_free(results);
    if (rc == HM_OK) {
      pthread_mutex_lock(&g_mu);
      ++g_successes_after_start;
      pthread_mutex_unlock(&g_mu);
    } else if (rc == HM_EINVALID) {
      if (strstr(hm_last_error(), "closed") == NULL) failure("the message does not say the handle is closed", t, rc);
    } else {
      failure("hm_search during close", t, rc);
    }
  }
  hm_search_request_free(req);
  return NULL;
}

static int join_all(pthread_t *threads, int n) {
  int i, failed = 0;
  for (i = 0; i < n; ++i) failed |= pthread_join(threads[i], NULL) != 0;
  return failed;
}

int main(int argc, char **argv) {
  pthread_t threads[THREADS + 1];
  int i, rc;
  if (argc < 3) {
    fprintf(stderr, "usage: %s INDEX_DIR EVENT_STORE\n", argv[0]);
    return 2;
  }
  remove(argv[2]);
  if ((rc = hm_index_open(&g_index, argv[1])) != HM_OK) {
    fprintf(stderr, "hm_index_open: %s\n", hm_last_error());
    return 1;
  }
  for (i = 0; i < QUERIES; ++i) {
    if (search_json(&g_search_json[i], i) != HM_OK ||
        hm_answer_json(&g_answer_json[i], NULL, g_index, kQueries[i], kLocales[i], NULL) != HM_OK ||
        hm_suggest_json(&g_suggest_json[i], NULL, g_index, kQueries[i], kLocales[i], 5) != HM_OK) {
      fprintf(stderr, "baseline for '%s': %s\n", kQueries[i], hm_last_error());
      return 1;
    }
  }

  /* 1. Readers and a reopener. */
  for (i = 0; i < THREADS; ++i)
    if (pthread_create(&threads[i], NULL, reader, (void *)(size_t)i) != 0) return 1;
  if (pthread_create(&threads[THREADS], NULL, reopener, NULL) != 0) return 1;
  if (join_all(threads, THREADS)) return 1;
  pthread_mutex_lock(&g_mu);
  g_stop_reopen = 1;
  pthread_mutex_unlock(&g_mu);
  if (join_all(threads + THREADS, 1)) return 1;
  printf("phase 1: %d threads x %d rounds of search, answer and suggest while reopening: %d failures\n", THREADS,
         ROUNDS, g_failures);

  /* 2. Writers sharing one event store. */
  if ((rc = hm_event_store_open(&g_store, argv[2], HM_STORE_SYNC_NORMAL, "", -1)) != HM_OK) {
    fprintf(stderr, "hm_event_store_open: %s\n", hm_last_error());
    return 1;
  }
  for (i = 0; i < THREADS; ++i)
    if (pthread_create(&threads[i], NULL, recorder, (void *)(size_t)i) != 0) return 1;
  if (join_all(threads, THREADS)) return 1;
  {
    /* Recording them all again stores nothing: each was stored exactly once. */
    hm_event *events[THREADS * EVENTS_PER_THREAD];
    hm_batch *batch = NULL;
    int t, e, n = 0;
    for (t = 0; t < THREADS; ++t)
      for (e = 0; e < EVENTS_PER_THREAD; ++e) {
        char session[32], id[32];
        sprintf(session, "thread-%d", t);
        sprintf(id, "t%d-e%d", t, e);
        if (hm_event_new(&events[n], "view") != HM_OK || hm_event_set(events[n], "id", id) != HM_OK ||
            hm_event_set(events[n], "session", session) != HM_OK ||
            hm_event_set(events[n], "article", "refund-timing") != HM_OK ||
            hm_event_set(events[n], "ts", "2026-11-01T10:00:00Z") != HM_OK)
          failure("building the batch", -1, hm_last_error_code());
        ++n;
      }
    rc = hm_event_store_record_batch(&batch, g_store, (const hm_event *const *)events, (size_t)n);
    if (rc != HM_OK) failure("hm_event_store_record_batch", -1, rc);
    else if (hm_batch_duplicates(batch) != (size_t)n || hm_batch_stored(batch) != 0)
      failure("events were stored more than once", -1, rc);
    hm_batch_free(batch);
    for (t = 0; t < n; ++t) hm_event_free(events[t]);
  }
  hm_event_store_close(g_store);
  printf("phase 2: %d threads x %d events into one store: %d failures\n", THREADS, EVENTS_PER_THREAD, g_failures);

  /* 3. Close while searching. */
  for (i = 0; i < THREADS; ++i)
    if (pthread_create(&threads[i], NULL, searcher_until_closed, (void *)(size_t)i) != 0) return 1;
  for (;;) {
    long done;
    const struct timespec pause = {0, 1000000};
    pthread_mutex_lock(&g_mu);
    done = g_successes_after_start;
    pthread_mutex_unlock(&g_mu);
    if (done >= THREADS * 2) break;
    nanosleep(&pause, NULL);
  }
  hm_index_close(g_index);
  if (join_all(threads, THREADS)) return 1;
  printf("phase 3: closed while %d threads searched (%ld searches): %d failures\n", THREADS,
         g_successes_after_start, g_failures);

  for (i = 0; i < QUERIES; ++i) {
    hm_string_free(g_search_json[i]);
    hm_string_free(g_answer_json[i]);
    hm_string_free(g_suggest_json[i]);
  }
  return g_failures == 0 ? 0 : 1;
}
