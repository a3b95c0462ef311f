/*
 * helpmark.h: the C API of helpmark, multilingual help-center search on Xapian.
 *
 * This header is the only stable ABI of helpmark. It is plain C99 and can be used from C, C++
 * and any language with a C foreign-function interface (Python ctypes, Go cgo, Node N-API,
 * PHP FFI). docs/api.md, "Embedding", has a walk-through.
 *
 * Conventions
 *   - Names are hm_<noun>_<verb>. Every type is an opaque handle.
 *   - Functions that can fail return an int status: HM_OK (0) or a negative HM_E* code. Then
 *     hm_last_error() says what went wrong, in a message meant for people. Test `rc < 0`
 *     or `rc != HM_OK`: no function returns a positive status.
 *   - Output arguments come first and are named `out`. On failure `*out` is set to NULL (or 0).
 *   - Every hm_*_free() and hm_*_close() accepts NULL and does nothing with it.
 *   - Strings passed in are NUL-terminated UTF-8 (file paths are bytes, as the OS takes them).
 *     Strings handed out are UTF-8, NUL-terminated, and their byte length is stored in `*len`
 *     when `len` is not NULL. They are owned by the object they came from: never free() them.
 *   - Memory the caller owns (JSON strings, ids) is released with hm_string_free().
 *   - Accessors on results (hm_hit_title() ...) never fail: an index out of range or a NULL
 *     object gives "" (length 0), 0, or 0.0.
 *
 * Thread safety
 *   - hm_index and hm_event_store are thread-safe: share one handle between threads and call
 *     it concurrently. Closing a handle while other threads are still inside calls on it is
 *     safe: those calls finish first, then the handle's resources are released.
 *   - Everything else (requests, results, answers, suggestions, events, batches) is owned by
 *     the caller and is not thread-safe: use each from one thread at a time. Objects are
 *     independent of each other and of the handle that made them: results stay valid after
 *     hm_index_close().
 *   - hm_last_error() and hm_last_error_code() are per thread.
 *
 * Exceptions never cross this API: every call catches whatever the C++ core, Xapian, yaml-cpp,
 * SQLite or the standard library throw and turns it into a status code.
 */
#ifndef HELPMARK_H
#define HELPMARK_H

#include <stddef.h>
#include <stdint.h>

#include "helpmark/version.h"

#if defined(HM_STATIC)
#define HM_EXTERN
#elif defined(_WIN32) || defined(__CYGWIN__)
#if defined(HM_BUILDING_LIBRARY)
#define HM_EXTERN __declspec(dllexport)
#else
#define HM_EXTERN __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define HM_EXTERN __attribute__((visibility("default")))
#else
#define HM_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------
 * Status codes and errors
 * ------------------------------------------------------------------------------------------ */

/** Status codes. Their values never change; new codes may be added. */
typedef enum hm_status {
  HM_OK = 0,
  HM_EINVALID = -1,  /**< A bad argument: NULL, invalid UTF-8, unknown field, limit too high. */
  HM_ENOTFOUND = -2, /**< No such index, event store, article or file. */
  HM_EIO = -3,       /**< Reading or writing failed (permissions, disk full). */
  HM_EINPUT = -4,    /**< Malformed input data: an invalid event, a bad YAML file. */
  HM_ELOCKED = -5,   /**< Another process holds the store or index longer than allowed. */
  HM_ECORRUPT = -6,  /**< Not a helpmark index / event store, or a damaged one. */
  HM_ENOMEM = -7,    /**< Out of memory. */
  HM_EINTERNAL = -8  /**< A bug in helpmark: please report it with hm_last_error(). */
} hm_status;

/**
 * What went wrong in the most recent call on this thread that returns a status, e.g.
 * "/srv/kb/index: no index here; build one with `helpmark index` ...". Never NULL: "" when
 * that call succeeded. Calls that return no status (accessors, hm_*_free, hm_status_name,
 * hm_version) leave it alone, so it can be read after inspecting results.
 * Lifetime: valid until the next status-returning hm_* call on this thread.
 */
HM_EXTERN const char *hm_last_error(void);

/** The code returned by the most recent status-returning call on this thread (HM_OK or HM_E*). */
HM_EXTERN int hm_last_error_code(void);

/**
 * A short lower-case name of a status code: "ok", "invalid argument", "not found", ...;
 * "unknown" for a value that is not an hm_status. Static storage: never freed.
 */
HM_EXTERN const char *hm_status_name(int status);

/** Releases a string the caller owns (JSON, ids). NULL is a no-op. */
HM_EXTERN void hm_string_free(char *s);

/* ------------------------------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------------------------------ */

/**
 * The version of the library actually loaded, e.g. "0.1.0"; compare with HM_VERSION_STRING
 * (the version of the header compiled against). Static storage.
 */
HM_EXTERN const char *hm_version(void);

/** HM_VERSION_NUMBER of the library actually loaded: major * 10000 + minor * 100 + patch. */
HM_EXTERN int hm_version_number(void);

/* ------------------------------------------------------------------------------------------
 * Index
 * ------------------------------------------------------------------------------------------ */

/** A read-only search index on disk (built by `helpmark index`). Thread-safe. */
typedef struct hm_index hm_index;

/**
 * Opens the index in directory `path`.
 * @param out  receives the handle; NULL on failure. Release it with hm_index_close().
 * @return HM_OK; HM_ENOTFOUND when there is no index at `path`; HM_ECORRUPT when `path` is not
 *         a helpmark index, was written by another helpmark version, or is damaged;
 *         HM_EINVALID when an argument is NULL.
 * Readers are never locked out: an index can be opened and searched while `helpmark index`
 * rewrites it (searches see the last committed version).
 */
HM_EXTERN int hm_index_open(hm_index **out, const char *path);

/**
 * Picks up the latest committed version of the index (after `helpmark index` ran again).
 * Searches already running finish on the version they started with. Thread-safe.
 * @return HM_OK; HM_EINVALID for a NULL or closed handle; HM_ENOTFOUND / HM_ECORRUPT when the
 *         directory no longer holds an index (the handle keeps the previous version).
 */
HM_EXTERN int hm_index_reopen(hm_index *ix);

/**
 * Number of articles in the index (every status and translation counts).
 * @param out  receives the count; 0 on failure.
 */
HM_EXTERN int hm_index_size(size_t *out, hm_index *ix);

/**
 * Closes the index. NULL is a no-op. Calls running on other threads finish first. Objects
 * made from the index (results, answers, suggestions) stay valid.
 * Do not use `ix` afterwards. As a safety net, a call on a handle that was already closed
 * fails with HM_EINVALID instead of crashing, as long as no new handle has been allocated at
 * the same address since; do not rely on it.
 */
HM_EXTERN void hm_index_close(hm_index *ix);

/* ------------------------------------------------------------------------------------------
 * Search
 * ------------------------------------------------------------------------------------------ */

/** What to search for: query text, locale, filters, facets, page. Not thread-safe. */
typedef struct hm_search_request hm_search_request;

/** Query-time layers, for hm_search_request_set_layers(). All are on by default. */
enum {
  HM_LAYER_SYNONYMS = 1, /**< Expand with the taxonomy's synonyms. */
  HM_LAYER_SPELLING = 2, /**< Correct unknown words ("did you mean"). */
  HM_LAYER_FALLBACK = 4, /**< pt-BR falls back to pt, then to the default locale. */
  HM_LAYER_MODEL = 8,    /**< Re-rank with the index's learned lexical model. */
  HM_LAYERS_DEFAULT = 15 /**< All of them (7 before HM_LAYER_MODEL existed). */
};

/** How Xapian weighs documents, for hm_search_request_set_ranking(). */
enum {
  HM_RANKING_LANGUAGE_MODEL = 0, /**< Force the language model (Jelinek-Mercer, lambda 0.3). */
  HM_RANKING_BM25 = 1,           /**< Force BM25, the classic baseline. */
  HM_RANKING_CHOSEN = 2          /**< The default: as the index chose from its articles' questions. */
};

/**
 * Creates a request that lists every published article, 10 per page, in every locale.
 * @param out  receives the request; release it with hm_search_request_free().
 */
HM_EXTERN int hm_search_request_new(hm_search_request **out);

/** Releases a request. NULL is a no-op. */
HM_EXTERN void hm_search_request_free(hm_search_request *req);

/**
 * Sets the free-text query; NULL or "" lists everything the filters allow.
 * @return HM_EINVALID when `query` is not valid UTF-8 or longer than 1024 bytes.
 */
HM_EXTERN int hm_search_request_set_query(hm_search_request *req, const char *query);

/**
 * Sets the preferred locale (BCP 47, e.g. "es", "pt-BR"); NULL or "" searches every locale
 * and shows each article in the index's default locale when it has one.
 */
HM_EXTERN int hm_search_request_set_locale(hm_search_request *req, const char *locale);

/**
 * Adds a filter value. `field` is one of "journey", "subtopic", "audience", "tag", "locale",
 * "status" ("tags" is accepted for "tag"). Values of one field are alternatives (OR); fields
 * combine with AND. Without a "status" filter only published articles are found.
 * @return HM_EINVALID for an unknown field, an empty value or invalid UTF-8.
 */
HM_EXTERN int hm_search_request_add_filter(hm_search_request *req, const char *field, const char *value);

/** Removes every filter. */
HM_EXTERN int hm_search_request_clear_filters(hm_search_request *req);

/**
 * Asks for exact counts of `field` over the whole filtered result set: one of "journey",
 * "subtopic", "audience", "locale", "tags", "status". Read them with hm_facet_*().
 * @return HM_EINVALID for an unknown field.
 */
HM_EXTERN int hm_search_request_add_facet(hm_search_request *req, const char *field);

/**
 * Pagination: skip `offset` results and return at most `limit` (at most 1000).
 * @return HM_EINVALID when `limit` is over 1000.
 */
HM_EXTERN int hm_search_request_set_page(hm_search_request *req, size_t offset, size_t limit);

/** Switches query-time layers on or off: a combination of HM_LAYER_* flags. */
HM_EXTERN int hm_search_request_set_layers(hm_search_request *req, unsigned layers);

/** Chooses Xapian's weighting: HM_RANKING_CHOSEN (default), HM_RANKING_LANGUAGE_MODEL or
 *  HM_RANKING_BM25 (to compare). */
HM_EXTERN int hm_search_request_set_ranking(hm_search_request *req, int ranking);

/** The hits of one page, facet counts and spelling corrections. Not thread-safe. */
typedef struct hm_results hm_results;

/**
 * Runs a search. Thread-safe with respect to `ix`.
 * @param out  receives the results; NULL on failure. Release them with hm_results_free().
 * @return HM_OK; HM_EINVALID for NULL arguments or a closed index; HM_EIO / HM_ECORRUPT when
 *         reading the index fails.
 */
HM_EXTERN int hm_search(hm_results **out, hm_index *ix, const hm_search_request *req);

/**
 * The same search, as the JSON document `helpmark search --json` prints (without its final
 * newline): {"query", "locale", "locales", "total", "offset", "limit", "corrected_query",
 * "auto_corrected", "corrections", "synonyms", "hits": [...], "facets": {...}}.
 * @param out      receives a NUL-terminated string; release it with hm_string_free().
 * @param out_len  receives its length in bytes (may be NULL).
 */
HM_EXTERN int hm_search_json(char **out, size_t *out_len, hm_index *ix, const hm_search_request *req);

/** Releases results. NULL is a no-op. */
HM_EXTERN void hm_results_free(hm_results *r);

/** Number of hits on this page (at most the request's limit). */
HM_EXTERN size_t hm_results_count(const hm_results *r);

/** Exact number of matching articles over all pages (translations of one article count once). */
HM_EXTERN size_t hm_results_total(const hm_results *r);

/*
 * Hit `i` (0 <= i < hm_results_count(r)), best first. The strings live as long as `r`.
 * Out of range: "" (and *len = 0).
 */
HM_EXTERN const char *hm_hit_id(const hm_results *r, size_t i, size_t *len);
HM_EXTERN const char *hm_hit_title(const hm_results *r, size_t i, size_t *len);
HM_EXTERN const char *hm_hit_summary(const hm_results *r, size_t i, size_t *len);
/** HTML-escaped text with the matched words in <mark>...</mark>. */
HM_EXTERN const char *hm_hit_snippet(const hm_results *r, size_t i, size_t *len);
HM_EXTERN const char *hm_hit_journey(const hm_results *r, size_t i, size_t *len);
HM_EXTERN const char *hm_hit_subtopic(const hm_results *r, size_t i, size_t *len);
HM_EXTERN const char *hm_hit_locale(const hm_results *r, size_t i, size_t *len);
/** The article's file, relative to the articles directory it was indexed from. */
HM_EXTERN const char *hm_hit_path(const hm_results *r, size_t i, size_t *len);
/** ISO date of the last review, or "". */
HM_EXTERN const char *hm_hit_updated(const hm_results *r, size_t i, size_t *len);
/** The score results are ordered by: the fused score (model weight × the lexical model's score
 *  + the rest × Xapian's weight over the best one); comparable within one result set only.
 *  0.0 when out of range. */
HM_EXTERN double hm_hit_score(const hm_results *r, size_t i);
/** Xapian's weight of hit `i` (language model or BM25). 0.0 when out of range. */
HM_EXTERN double hm_hit_xapian_score(const hm_results *r, size_t i);
/** The lexical model's decision value for hit `i`; NAN when no model knows the article, the
 *  model layer is off, or `i` is out of range. */
HM_EXTERN double hm_hit_model_score(const hm_results *r, size_t i);
/** Number of audiences of hit `i`, and audience `j` of it. */
HM_EXTERN size_t hm_hit_audience_count(const hm_results *r, size_t i);
HM_EXTERN const char *hm_hit_audience(const hm_results *r, size_t i, size_t j, size_t *len);
/** Number of tags of hit `i`, and tag `j` of it. */
HM_EXTERN size_t hm_hit_tag_count(const hm_results *r, size_t i);
HM_EXTERN const char *hm_hit_tag(const hm_results *r, size_t i, size_t j, size_t *len);

/*
 * Facets requested with hm_search_request_add_facet(): for `field`, the distinct values
 * (most frequent first) and how many matching articles have each. A field that was not
 * requested has no values.
 */
/** Number of distinct values of `field`. */
HM_EXTERN size_t hm_facet_count(const hm_results *r, const char *field);
/** Value `j` of `field`, e.g. "payments". Lives as long as `r`. */
HM_EXTERN const char *hm_facet_value(const hm_results *r, const char *field, size_t j, size_t *len);
/** Number of matching articles with value `j` of `field`. */
HM_EXTERN size_t hm_facet_value_count(const hm_results *r, const char *field, size_t j);

/**
 * "Did you mean": the query with its spelling corrected, or "" when nothing was corrected.
 * Lives as long as `r`.
 */
HM_EXTERN const char *hm_results_corrected_query(const hm_results *r, size_t *len);
/**
 * 1 when the hits are for the corrected query ("showing results for ...") because the query
 * as typed found nothing or clearly worse results; 0 otherwise.
 */
HM_EXTERN int hm_results_auto_corrected(const hm_results *r);
/** Number of corrected words, and correction `k`: the word as typed and the word used. */
HM_EXTERN size_t hm_correction_count(const hm_results *r);
HM_EXTERN const char *hm_correction_from(const hm_results *r, size_t k, size_t *len);
HM_EXTERN const char *hm_correction_to(const hm_results *r, size_t k, size_t *len);

/* ------------------------------------------------------------------------------------------
 * Answers (chatbots)
 * ------------------------------------------------------------------------------------------ */

/** Options of hm_answer_question(): threshold, alternatives, filters, link template. Not thread-safe. */
typedef struct hm_answer_options hm_answer_options;

/**
 * Creates options with the defaults: the calibrated threshold stored in the index, 3
 * alternatives, published articles for every audience, links "/articles/{id}".
 * Release them with hm_answer_options_free().
 */
HM_EXTERN int hm_answer_options_new(hm_answer_options **out);
HM_EXTERN void hm_answer_options_free(hm_answer_options *opts);
/** Escalate below this confidence (0..1); a negative value restores the calibrated default. */
HM_EXTERN int hm_answer_options_set_threshold(hm_answer_options *opts, double threshold);
/** Number of other candidates to return (at most 50). */
HM_EXTERN int hm_answer_options_set_alternatives(hm_answer_options *opts, size_t n);
/** As hm_search_request_add_filter(), e.g. ("audience", "seller"). */
HM_EXTERN int hm_answer_options_add_filter(hm_answer_options *opts, const char *field, const char *value);
/** As hm_search_request_set_layers(). */
HM_EXTERN int hm_answer_options_set_layers(hm_answer_options *opts, unsigned layers);
/** The answer's link: "{id}" and "{locale}" are replaced, e.g. "https://help.example.com/{locale}/{id}". */
HM_EXTERN int hm_answer_options_set_link_template(hm_answer_options *opts, const char *link_template);

/** One best article for a question, with a calibrated confidence. Not thread-safe. */
typedef struct hm_answer hm_answer;

/**
 * Answers a customer's question the way a chatbot should: the best article, its steps and
 * troubleshooting, a calibrated confidence and whether to escalate to a human.
 * @param out       receives the answer; release it with hm_answer_free().
 * @param question  the question as typed (UTF-8, at most 1024 bytes).
 * @param locale    the customer's locale (BCP 47), or NULL / "" for the index's default.
 * @param opts      options, or NULL for the defaults.
 * @return HM_OK (also when nothing matched: then hm_answer_found() is 0 and
 *         hm_answer_escalate() is 1); HM_EINVALID for NULL arguments or invalid UTF-8.
 */
HM_EXTERN int hm_answer_question(hm_answer **out, hm_index *ix, const char *question, const char *locale,
                                 const hm_answer_options *opts);

/**
 * The same answer as the JSON document `helpmark answer --json` prints (without its final
 * newline). Release `*out` with hm_string_free(); `out_len` may be NULL.
 */
HM_EXTERN int hm_answer_json(char **out, size_t *out_len, hm_index *ix, const char *question,
                             const char *locale, const hm_answer_options *opts);

HM_EXTERN void hm_answer_free(hm_answer *a);

/** 1 when an article matched at all; 0 when nothing did (then escalate is 1). */
HM_EXTERN int hm_answer_found(const hm_answer *a);
/** 1 when the confidence is below the threshold: hand the customer over to a human. */
HM_EXTERN int hm_answer_escalate(const hm_answer *a);
/** Calibrated probability (0..1) that the article answers the question. */
HM_EXTERN double hm_answer_confidence(const hm_answer *a);
/** The threshold that was applied. */
HM_EXTERN double hm_answer_threshold(const hm_answer *a);
/* The best article; every string lives as long as `a` ("" when nothing was found). */
HM_EXTERN const char *hm_answer_id(const hm_answer *a, size_t *len);
HM_EXTERN const char *hm_answer_title(const hm_answer *a, size_t *len);
HM_EXTERN const char *hm_answer_summary(const hm_answer *a, size_t *len);
HM_EXTERN const char *hm_answer_locale(const hm_answer *a, size_t *len);
HM_EXTERN const char *hm_answer_link(const hm_answer *a, size_t *len);
/** The article's "Steps" section, as plain text and as Markdown ("" when it has none). */
HM_EXTERN const char *hm_answer_steps(const hm_answer *a, size_t *len);
HM_EXTERN const char *hm_answer_steps_markdown(const hm_answer *a, size_t *len);
/** The article's "Troubleshooting" section, as plain text and as Markdown. */
HM_EXTERN const char *hm_answer_troubleshooting(const hm_answer *a, size_t *len);
HM_EXTERN const char *hm_answer_troubleshooting_markdown(const hm_answer *a, size_t *len);
/** Other candidates, most confident first. */
HM_EXTERN size_t hm_answer_alternative_count(const hm_answer *a);
HM_EXTERN const char *hm_answer_alternative_id(const hm_answer *a, size_t i, size_t *len);
HM_EXTERN const char *hm_answer_alternative_title(const hm_answer *a, size_t i, size_t *len);
HM_EXTERN const char *hm_answer_alternative_locale(const hm_answer *a, size_t i, size_t *len);
HM_EXTERN double hm_answer_alternative_confidence(const hm_answer *a, size_t i);
/* Why: the query words the article matched and the ones it lacks. */
HM_EXTERN size_t hm_answer_matched_term_count(const hm_answer *a);
HM_EXTERN const char *hm_answer_matched_term(const hm_answer *a, size_t i, size_t *len);
HM_EXTERN size_t hm_answer_unmatched_term_count(const hm_answer *a);
HM_EXTERN const char *hm_answer_unmatched_term(const hm_answer *a, size_t i, size_t *len);

/* ------------------------------------------------------------------------------------------
 * Suggestions (search-box completion)
 * ------------------------------------------------------------------------------------------ */

/** Completions of a prefix. Not thread-safe. */
typedef struct hm_suggestions hm_suggestions;

/**
 * Completes what is being typed: article titles and questions, then vocabulary words;
 * typo-tolerant on the last word.
 * @param out     receives the suggestions; release them with hm_suggestions_free().
 * @param locale  BCP 47, or NULL / "" for the index's default locale.
 * @param limit   at most this many (at most 50; 0 gives none).
 */
HM_EXTERN int hm_suggest(hm_suggestions **out, hm_index *ix, const char *prefix, const char *locale,
                         size_t limit);
/** As `helpmark suggest --json` prints it. Release `*out` with hm_string_free(). */
HM_EXTERN int hm_suggest_json(char **out, size_t *out_len, hm_index *ix, const char *prefix,
                              const char *locale, size_t limit);
HM_EXTERN void hm_suggestions_free(hm_suggestions *s);
HM_EXTERN size_t hm_suggestions_count(const hm_suggestions *s);
/** The completed query. Lives as long as `s`. */
HM_EXTERN const char *hm_suggestion_text(const hm_suggestions *s, size_t i, size_t *len);
/** "title", "question" or "word". */
HM_EXTERN const char *hm_suggestion_kind(const hm_suggestions *s, size_t i, size_t *len);
/** The article a title or question belongs to; "" for words. */
HM_EXTERN const char *hm_suggestion_article_id(const hm_suggestions *s, size_t i, size_t *len);
HM_EXTERN double hm_suggestion_score(const hm_suggestions *s, size_t i);

/* ------------------------------------------------------------------------------------------
 * Articles
 * ------------------------------------------------------------------------------------------ */

/**
 * Every parsed field of the article `id` (including drafts and archived ones) as the JSON that
 * `helpmark show --json` prints. Release `*out` with hm_string_free().
 * @return HM_ENOTFOUND when the index has no article `id`.
 */
HM_EXTERN int hm_article_json(char **out, size_t *out_len, hm_index *ix, const char *id);

/* ------------------------------------------------------------------------------------------
 * Tracking: searches, clicks, views, feedback, bot answers and tickets
 * ------------------------------------------------------------------------------------------ */

/** A durable event store: one SQLite file shared by processes. Thread-safe. */
typedef struct hm_event_store hm_event_store;

/** Flags of hm_event_store_open(). */
enum {
  HM_STORE_READ_ONLY = 1, /**< Never write; the store must exist. */
  HM_STORE_NO_CREATE = 2, /**< Fail with HM_ENOTFOUND instead of creating a missing store. */
  /**
   * Skip the fsync on every commit: an event survives a crash of the process but the last
   * ones may be lost on a power cut. Several times faster for one event per call.
   */
  HM_STORE_SYNC_NORMAL = 4
};

/**
 * Opens (by default creating, with its directory) the event store at `path`, e.g.
 * ".helpmark/events.sqlite" (the file `helpmark track` and `helpmark report` use).
 * @param out              receives the handle; close it with hm_event_store_close().
 * @param flags            a combination of HM_STORE_* flags, or 0.
 * @param privacy_file     YAML file of extra personal-data patterns to scrub; NULL uses the
 *                         same default as the CLI ($HELPMARK_PRIVACY, else privacy.yaml beside
 *                         the store, when present); "" means none.
 * @param busy_timeout_ms  how long a write waits for other processes' transactions before
 *                         failing with HM_ELOCKED; negative for the default (30000).
 * @return HM_OK; HM_ENOTFOUND (missing and not to be created); HM_ECORRUPT (not an event
 *         store, or written by a newer helpmark); HM_ELOCKED; HM_EINPUT (bad privacy file).
 */
HM_EXTERN int hm_event_store_open(hm_event_store **out, const char *path, unsigned flags,
                                  const char *privacy_file, int busy_timeout_ms);

/** Closes the store. NULL is a no-op; the same rules as hm_index_close() apply. */
HM_EXTERN void hm_event_store_close(hm_event_store *store);

/** One event being built. Not thread-safe. */
typedef struct hm_event hm_event;

/**
 * Creates an event of `type`: "search", "click", "view", "feedback", "bot_answer" or "ticket".
 * Which fields apply to which type: docs/tracking.md, "Event JSONL schema". Release with hm_event_free().
 * @return HM_EINVALID for an unknown type.
 */
HM_EXTERN int hm_event_new(hm_event **out, const char *type);
HM_EXTERN void hm_event_free(hm_event *ev);

/**
 * Sets a text field: "id" (idempotency key), "ts" (ISO 8601, default: the time of recording),
 * "session", "locale", "audience", "journey", "query", "search_id", "article", "source",
 * "reason", "reason_code" (feedback with helpful = no: not-my-question, unclear, outdated,
 * did-not-work or other) or "question". NULL clears the field.
 * @return HM_EINVALID for an unknown field, a field that is not text, or invalid UTF-8.
 */
HM_EXTERN int hm_event_set(hm_event *ev, const char *field, const char *value);
/** Sets an integer field: "position" (click: 1-based rank) or "total" (search: result count). */
HM_EXTERN int hm_event_set_int(hm_event *ev, const char *field, int64_t value);
/** Sets a yes/no field (0 = no, anything else = yes): "helpful", "escalated" or "accepted". */
HM_EXTERN int hm_event_set_bool(hm_event *ev, const char *field, int value);
/** Sets a number field: "confidence" (bot_answer, 0..1). */
HM_EXTERN int hm_event_set_double(hm_event *ev, const char *field, double value);
/** Appends an article id to a search's "results" (the ids shown, in order). */
HM_EXTERN int hm_event_add_result(hm_event *ev, const char *article_id);
/** Adds a filter a search applied, e.g. ("journey", "payments"). */
HM_EXTERN int hm_event_add_filter(hm_event *ev, const char *field, const char *value);

/**
 * Validates, scrubs personal data from, and durably stores one event. Recording the same
 * event again (a retry) stores it once: an event without a time is stamped on its first record
 * and keeps that stamp, so the retry has the same id. Changing the event between calls makes
 * it a new event.
 * @param out_id         receives the event's id (given, or derived from its content), e.g. to
 *                       put in a click's "search_id"; release with hm_string_free(). May be
 *                       NULL. NULL on failure.
 * @param out_duplicate  receives 1 when the event was already stored, else 0. May be NULL.
 * @return HM_OK; HM_EINPUT when the event is invalid (hm_last_error() says which field and
 *         why); HM_ELOCKED when other writers held the store past the busy timeout; HM_EIO;
 *         HM_EINVALID for a read-only store.
 */
HM_EXTERN int hm_event_store_record(char **out_id, int *out_duplicate, hm_event_store *store,
                                    const hm_event *ev);

/**
 * The same for an event given as one JSON object (a line of `helpmark track import`), e.g.
 * {"type": "click", "ts": "2026-11-01T10:00:00Z", "session": "s1", "article": "x", "position": 1}.
 */
HM_EXTERN int hm_event_store_record_json(char **out_id, int *out_duplicate, hm_event_store *store,
                                         const char *json);

/** What happened to each event of a batch. Not thread-safe. */
typedef struct hm_batch hm_batch;

/** Per-event outcome in a batch. */
enum { HM_EVENT_STORED = 0, HM_EVENT_DUPLICATE = 1, HM_EVENT_REJECTED = 2 };

/**
 * Records `n` events in one transaction: invalid events are rejected one by one (see the
 * outcomes) and never keep the valid ones from being stored.
 * @param out  receives the outcomes; release with hm_batch_free().
 * @return HM_OK even when some events were rejected; an error when the store itself failed
 *         (then nothing of the batch was written).
 */
HM_EXTERN int hm_event_store_record_batch(hm_batch **out, hm_event_store *store,
                                          const hm_event *const *events, size_t n);
HM_EXTERN void hm_batch_free(hm_batch *b);
HM_EXTERN size_t hm_batch_count(const hm_batch *b);
HM_EXTERN size_t hm_batch_stored(const hm_batch *b);
HM_EXTERN size_t hm_batch_duplicates(const hm_batch *b);
HM_EXTERN size_t hm_batch_rejected(const hm_batch *b);
/** HM_EVENT_STORED, HM_EVENT_DUPLICATE or HM_EVENT_REJECTED; -1 when out of range. */
HM_EXTERN int hm_batch_state(const hm_batch *b, size_t i);
/** The id of event `i` ("" when rejected). Lives as long as `b`. */
HM_EXTERN const char *hm_batch_id(const hm_batch *b, size_t i, size_t *len);
/** Why event `i` was rejected ("" otherwise). Lives as long as `b`. */
HM_EXTERN const char *hm_batch_error(const hm_batch *b, size_t i, size_t *len);

/* ------------------------------------------------------------------------------------------
 * Learning from traffic (docs/tracking.md, "Learning from traffic")
 * ------------------------------------------------------------------------------------------ */

/**
 * Mines `store` for learned questions: queries that enough distinct sessions searched and then
 * read an article of the index at `index_dir` without opening a ticket (defaults of
 * `helpmark learn suggest`). Writes the JSON `helpmark learn suggest --json` prints:
 * {"questions": [...], "synonyms": [...], "stats": {...}}; free it with hm_string_free().
 * @param min_sessions  distinct sessions that must agree; 0 for the default (5).
 * @return HM_OK; HM_ENOTFOUND (no index); HM_ECORRUPT; HM_ELOCKED.
 */
HM_EXTERN int hm_learn_suggest_json(char **out, size_t *out_len, hm_event_store *store, const char *index_dir,
                                    size_t min_sessions);

/**
 * Automatic mode: adds the questions of `proposals_json` (what hm_learn_suggest_json wrote,
 * possibly reviewed) to the learned questions beside the index at `index_dir`
 * (INDEX/learned.json); the next indexing run trains on them. Questions of articles the index
 * lacks are skipped. `out_added` (may be NULL) receives how many were added or updated.
 * @return HM_OK; HM_EINPUT (malformed JSON, naming the entry and field); HM_ENOTFOUND; HM_EIO.
 */
HM_EXTERN int hm_learn_apply_json(size_t *out_added, const char *index_dir, const char *proposals_json);

/**
 * Forgets learned questions: those of `article`, or all of them when `article` is NULL or "".
 * Re-index to retrain without them; the index is then exactly as if they had never been learned.
 * `out_removed` (may be NULL) receives how many were removed.
 */
HM_EXTERN int hm_learn_forget(size_t *out_removed, const char *index_dir, const char *article);

#ifdef __cplusplus
}
#endif

#endif /* HELPMARK_H */
