// The C API over helpmark::Index: open, search, facets, corrections, answers, suggestions.
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "capi/barrier.hpp"
#include "helpmark/answer.hpp"
#include "helpmark/helpmark.h"
#include "helpmark/index.hpp"
#include "helpmark/json.hpp"
#include "util/text.hpp"

// The opaque types of helpmark.h. They are plain C++ objects; only hm_index is shared.
struct hm_index {
  std::shared_ptr<helpmark::Index> state;
};
struct hm_search_request {
  helpmark::SearchRequest request;
};
struct hm_results {
  helpmark::SearchResponse response;
};
struct hm_answer_options {
  helpmark::AnswerOptions options;
};
struct hm_answer {
  helpmark::Answer answer;
};
struct hm_suggestions {
  std::vector<helpmark::Suggestion> list;
};

namespace helpmark::capi {
namespace {

using IndexRegistry = Registry<hm_index>;

/// The shared Index behind `ix`, or null after recording why there is none.
std::shared_ptr<Index> acquire(hm_index* ix, const char* function) {
  auto index = IndexRegistry::instance().acquire(ix);
  if (!index)
    fail(HM_EINVALID, std::string(function) +
                          (ix ? ": the index handle is closed or was never opened"
                              : ": the index handle is NULL"));
  return index;
}

int null_argument(const char* function, const char* name) {
  return fail(HM_EINVALID, std::string(function) + ": " + name + " is NULL");
}

/// Validates text handed in by the caller (UTF-8, as every string of the API).
int check_text(const char* function, const char* name, const char* value) {
  if (value == nullptr) return null_argument(function, name);
  const std::string_view v(value);
  if (const std::size_t at = text::find_invalid_utf8(v); at != std::string_view::npos)
    return fail(HM_EINVALID, std::string(function) + ": " + name + " is not valid UTF-8 (bad byte at offset " +
                                 std::to_string(at) + ")");
  return HM_OK;
}

/// Adds `value` to the filter list named `field` (the names of hm_search_request_add_filter).
int add_filter(const char* function, SearchFilters& filters, const char* field, const char* value) {
  if (field == nullptr) return null_argument(function, "field");
  if (int rc = check_text(function, "value", value); rc != HM_OK) return rc;
  if (*value == '\0') return fail(HM_EINVALID, std::string(function) + ": the filter value is empty");
  const std::string_view f(field);
  std::vector<std::string>* list = f == "journey"                  ? &filters.journeys
                                   : f == "subtopic"               ? &filters.subtopics
                                   : f == "audience"               ? &filters.audiences
                                   : (f == "tag" || f == "tags")   ? &filters.tags
                                   : f == "locale"                 ? &filters.locales
                                   : f == "status"                 ? &filters.statuses
                                                                   : nullptr;
  if (list == nullptr)
    return fail(HM_EINVALID, std::string(function) + ": unknown filter field '" + std::string(f).substr(0, 64) +
                                 "'; fields: journey, subtopic, audience, tag, locale, status");
  list->emplace_back(value);
  return HM_OK;
}

int set_layers(const char* function, SearchLayers& layers, unsigned flags) {
  if ((flags & ~static_cast<unsigned>(HM_LAYERS_DEFAULT)) != 0)
    return fail(HM_EINVALID, std::string(function) + ": unknown layer flags " + std::to_string(flags) +
                                 "; use HM_LAYER_SYNONYMS, HM_LAYER_SPELLING, HM_LAYER_FALLBACK, HM_LAYER_MODEL");
  layers.synonyms = (flags & HM_LAYER_SYNONYMS) != 0;
  layers.model = (flags & HM_LAYER_MODEL) != 0;
  layers.spelling = (flags & HM_LAYER_SPELLING) != 0;
  layers.fallback = (flags & HM_LAYER_FALLBACK) != 0;
  return HM_OK;
}

/// Hands a JSON document to the caller.
int json_out(char** out, std::size_t* out_len, const std::string& json) {
  *out = copy_out(json);
  if (out_len) *out_len = json.size();
  return HM_OK;
}

/// Starts a JSON call: output arguments reset, so they are NULL / 0 on every failure.
bool begin_json(const char* function, char** out, std::size_t* out_len) {
  if (out_len) *out_len = 0;
  if (out == nullptr) {
    null_argument(function, "out");
    return false;
  }
  *out = nullptr;
  return true;
}

const Hit* hit_at(const hm_results* r, std::size_t i) {
  return (r && i < r->response.hits.size()) ? &r->response.hits[i] : nullptr;
}

const std::vector<FacetCount>* facet_of(const hm_results* r, const char* field) {
  if (r == nullptr || field == nullptr) return nullptr;
  auto it = r->response.facets.find(field);
  return it == r->response.facets.end() ? nullptr : &it->second;
}

/// An accessor returning a string member of hit `i`.
template <typename Member>
const char* hit_string(const char* function, const hm_results* r, std::size_t i, std::size_t* len, Member member) {
  return guard_value<const char*>(function, no_string(len), [&] {
    const Hit* h = hit_at(r, i);
    return h ? out_string(h->*member, len) : no_string(len);
  });
}

template <typename Member>
const char* answer_string(const char* function, const hm_answer* a, std::size_t* len, Member member) {
  return guard_value<const char*>(function, no_string(len), [&] {
    return a ? out_string(a->answer.*member, len) : no_string(len);
  });
}

const char* list_string(const std::vector<std::string>& list, std::size_t i, std::size_t* len) {
  return i < list.size() ? out_string(list[i], len) : no_string(len);
}

const AnswerCandidate* alternative_at(const hm_answer* a, std::size_t i) {
  return (a && i < a->answer.alternatives.size()) ? &a->answer.alternatives[i] : nullptr;
}

const Suggestion* suggestion_at(const hm_suggestions* s, std::size_t i) {
  return (s && i < s->list.size()) ? &s->list[i] : nullptr;
}

/// Runs Index::answer for hm_answer and hm_answer_json.
int run_answer(const char* function, Answer& out, std::shared_ptr<Index>& index, hm_index* ix,
               const char* question, const char* locale, const hm_answer_options* opts) {
  index = acquire(ix, function);
  if (!index) return hm_last_error_code();
  if (int rc = check_text(function, "question", question); rc != HM_OK) return rc;
  if (locale != nullptr)
    if (int rc = check_text(function, "locale", locale); rc != HM_OK) return rc;
  static const AnswerOptions kDefaults;
  auto result = index->answer(question, locale ? locale : "", opts ? opts->options : kDefaults);
  if (!result.ok()) return fail(result.status());
  out = std::move(result).value();
  return HM_OK;
}

int run_suggest(const char* function, std::vector<Suggestion>& out, hm_index* ix, const char* prefix,
                const char* locale, std::size_t limit) {
  auto index = acquire(ix, function);
  if (!index) return hm_last_error_code();
  if (int rc = check_text(function, "prefix", prefix); rc != HM_OK) return rc;
  if (locale != nullptr)
    if (int rc = check_text(function, "locale", locale); rc != HM_OK) return rc;
  auto result = index->suggest(prefix, locale ? locale : "", limit);
  if (!result.ok()) return fail(result.status());
  out = std::move(result).value();
  return HM_OK;
}

}  // namespace
}  // namespace helpmark::capi

using namespace helpmark;
using namespace helpmark::capi;

extern "C" {

// ---------------------------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------------------------

HM_EXTERN int hm_index_open(hm_index** out, const char* path) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    if (path == nullptr) return null_argument(fn, "path");
    if (*path == '\0') return fail(HM_EINVALID, "hm_index_open: path is empty");
    auto index = Index::open(path);
    if (!index.ok()) return fail(index.status());
    auto handle = std::make_unique<hm_index>();
    handle->state = std::make_shared<Index>(std::move(index).value());
    IndexRegistry::instance().add(handle.get());
    *out = handle.release();
    return HM_OK;
  });
}

HM_EXTERN int hm_index_reopen(hm_index* ix) {
  return guard(__func__, [&](const char* fn) -> int {
    auto index = acquire(ix, fn);
    if (!index) return hm_last_error_code();
    if (Status s = index->reopen(); !s.ok()) return fail(s);
    return HM_OK;
  });
}

HM_EXTERN int hm_index_size(size_t* out, hm_index* ix) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = 0;
    auto index = acquire(ix, fn);
    if (!index) return hm_last_error_code();
    *out = index->size();
    return HM_OK;
  });
}

HM_EXTERN void hm_index_close(hm_index* ix) {
  guard(__func__, [&](const char* fn) -> int {
    if (ix == nullptr) return HM_OK;
    if (!IndexRegistry::instance().remove(ix))
      return fail(HM_EINVALID, std::string(fn) + ": the index handle is closed already or was never opened");
    // Calls still running on other threads hold their own reference to the Index.
    delete ix;
    return HM_OK;
  });
}

// ---------------------------------------------------------------------------------------------
// Search requests
// ---------------------------------------------------------------------------------------------

HM_EXTERN int hm_search_request_new(hm_search_request** out) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    *out = new hm_search_request();
    return HM_OK;
  });
}

HM_EXTERN void hm_search_request_free(hm_search_request* req) { delete req; }

HM_EXTERN int hm_search_request_set_query(hm_search_request* req, const char* query) {
  return guard(__func__, [&](const char* fn) -> int {
    if (req == nullptr) return null_argument(fn, "req");
    if (query == nullptr) query = "";
    if (int rc = check_text(fn, "query", query); rc != HM_OK) return rc;
    std::string q(query);
    if (q.size() > SearchRequest::kMaxQueryBytes)
      return fail(HM_EINVALID, "hm_search_request_set_query: the query is " + std::to_string(q.size()) +
                                   " bytes, over the limit of " + std::to_string(SearchRequest::kMaxQueryBytes));
    req->request.query = std::move(q);
    return HM_OK;
  });
}

HM_EXTERN int hm_search_request_set_locale(hm_search_request* req, const char* locale) {
  return guard(__func__, [&](const char* fn) -> int {
    if (req == nullptr) return null_argument(fn, "req");
    if (locale == nullptr) locale = "";
    if (int rc = check_text(fn, "locale", locale); rc != HM_OK) return rc;
    req->request.locale = locale;
    return HM_OK;
  });
}

HM_EXTERN int hm_search_request_add_filter(hm_search_request* req, const char* field, const char* value) {
  return guard(__func__, [&](const char* fn) -> int {
    if (req == nullptr) return null_argument(fn, "req");
    return add_filter(fn, req->request.filters, field, value);
  });
}

HM_EXTERN int hm_search_request_clear_filters(hm_search_request* req) {
  return guard(__func__, [&](const char* fn) -> int {
    if (req == nullptr) return null_argument(fn, "req");
    req->request.filters = SearchFilters{};
    return HM_OK;
  });
}

HM_EXTERN int hm_search_request_add_facet(hm_search_request* req, const char* field) {
  return guard(__func__, [&](const char* fn) -> int {
    if (req == nullptr) return null_argument(fn, "req");
    if (field == nullptr) return null_argument(fn, "field");
    const std::string f(field);
    bool known = false;
    for (const char* name : kFacetFields) known = known || f == name;
    if (!known)
      return fail(HM_EINVALID, "hm_search_request_add_facet: unknown facet '" + f.substr(0, 64) +
                                   "'; facets: journey, subtopic, audience, locale, tags, status");
    auto& facets = req->request.facets;
    for (const auto& existing : facets)
      if (existing == f) return HM_OK;
    facets.push_back(f);
    return HM_OK;
  });
}

HM_EXTERN int hm_search_request_set_page(hm_search_request* req, size_t offset, size_t limit) {
  return guard(__func__, [&](const char* fn) -> int {
    if (req == nullptr) return null_argument(fn, "req");
    if (limit > SearchRequest::kMaxLimit)
      return fail(HM_EINVALID, "hm_search_request_set_page: limit " + std::to_string(limit) +
                                   " is over the maximum of " + std::to_string(SearchRequest::kMaxLimit));
    // Xapian counts in 32 bits: an offset past that cannot hold results anyway.
    if (offset > 0xFFFFFFFFu - limit)
      return fail(HM_EINVALID, "hm_search_request_set_page: offset " + std::to_string(offset) + " is too large");
    req->request.offset = offset;
    req->request.limit = limit;
    return HM_OK;
  });
}

HM_EXTERN int hm_search_request_set_layers(hm_search_request* req, unsigned layers) {
  return guard(__func__, [&](const char* fn) -> int {
    if (req == nullptr) return null_argument(fn, "req");
    return set_layers(fn, req->request.layers, layers);
  });
}

HM_EXTERN int hm_search_request_set_ranking(hm_search_request* req, int ranking) {
  return guard(__func__, [&](const char* fn) -> int {
    if (req == nullptr) return null_argument(fn, "req");
    if (ranking != HM_RANKING_LANGUAGE_MODEL && ranking != HM_RANKING_BM25 && ranking != HM_RANKING_CHOSEN)
      return fail(HM_EINVALID, "hm_search_request_set_ranking: unknown ranking " + std::to_string(ranking) +
                                   "; use HM_RANKING_CHOSEN, HM_RANKING_LANGUAGE_MODEL or HM_RANKING_BM25");
    req->request.layers.ranking = ranking == HM_RANKING_BM25            ? SearchLayers::Ranking::kBm25
                                  : ranking == HM_RANKING_LANGUAGE_MODEL ? SearchLayers::Ranking::kLanguageModel
                                                                         : SearchLayers::Ranking::kChosen;
    return HM_OK;
  });
}

// ---------------------------------------------------------------------------------------------
// Search and results
// ---------------------------------------------------------------------------------------------

HM_EXTERN int hm_search(hm_results** out, hm_index* ix, const hm_search_request* req) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    auto index = acquire(ix, fn);
    if (!index) return hm_last_error_code();
    if (req == nullptr) return null_argument(fn, "req");
    auto response = index->search(req->request);
    if (!response.ok()) return fail(response.status());
    *out = new hm_results{std::move(response).value()};
    return HM_OK;
  });
}

HM_EXTERN int hm_search_json(char** out, size_t* out_len, hm_index* ix, const hm_search_request* req) {
  return guard(__func__, [&](const char* fn) -> int {
    if (!begin_json(fn, out, out_len)) return hm_last_error_code();
    auto index = acquire(ix, fn);
    if (!index) return hm_last_error_code();
    if (req == nullptr) return null_argument(fn, "req");
    auto response = index->search(req->request);
    if (!response.ok()) return fail(response.status());
    return json_out(out, out_len, json::search_response(req->request, response.value()));
  });
}

HM_EXTERN void hm_results_free(hm_results* r) { delete r; }

HM_EXTERN size_t hm_results_count(const hm_results* r) {
  return guard_value<size_t>(__func__, 0, [&] { return r ? r->response.hits.size() : 0; });
}

HM_EXTERN size_t hm_results_total(const hm_results* r) {
  return guard_value<size_t>(__func__, 0, [&] { return r ? r->response.total : 0; });
}

HM_EXTERN const char* hm_hit_id(const hm_results* r, size_t i, size_t* len) {
  return hit_string(__func__, r, i, len, &Hit::id);
}
HM_EXTERN const char* hm_hit_title(const hm_results* r, size_t i, size_t* len) {
  return hit_string(__func__, r, i, len, &Hit::title);
}
HM_EXTERN const char* hm_hit_summary(const hm_results* r, size_t i, size_t* len) {
  return hit_string(__func__, r, i, len, &Hit::summary);
}
HM_EXTERN const char* hm_hit_snippet(const hm_results* r, size_t i, size_t* len) {
  return hit_string(__func__, r, i, len, &Hit::snippet);
}
HM_EXTERN const char* hm_hit_journey(const hm_results* r, size_t i, size_t* len) {
  return hit_string(__func__, r, i, len, &Hit::journey);
}
HM_EXTERN const char* hm_hit_subtopic(const hm_results* r, size_t i, size_t* len) {
  return hit_string(__func__, r, i, len, &Hit::subtopic);
}
HM_EXTERN const char* hm_hit_locale(const hm_results* r, size_t i, size_t* len) {
  return hit_string(__func__, r, i, len, &Hit::locale);
}
HM_EXTERN const char* hm_hit_path(const hm_results* r, size_t i, size_t* len) {
  return hit_string(__func__, r, i, len, &Hit::path);
}
HM_EXTERN const char* hm_hit_updated(const hm_results* r, size_t i, size_t* len) {
  return hit_string(__func__, r, i, len, &Hit::updated);
}

HM_EXTERN double hm_hit_xapian_score(const hm_results* r, size_t i) {
  return guard_value<double>(__func__, 0.0, [&] {
    const Hit* h = hit_at(r, i);
    return h ? h->xapian_score : 0.0;
  });
}

HM_EXTERN double hm_hit_model_score(const hm_results* r, size_t i) {
  return guard_value<double>(__func__, std::nan(""), [&] {
    const Hit* h = hit_at(r, i);
    return h && h->has_model_score ? h->model_score : std::nan("");
  });
}

HM_EXTERN double hm_hit_score(const hm_results* r, size_t i) {
  return guard_value<double>(__func__, 0.0, [&] {
    const Hit* h = hit_at(r, i);
    return h ? h->score : 0.0;
  });
}

HM_EXTERN size_t hm_hit_audience_count(const hm_results* r, size_t i) {
  return guard_value<size_t>(__func__, 0, [&] {
    const Hit* h = hit_at(r, i);
    return h ? h->audience.size() : 0;
  });
}

HM_EXTERN const char* hm_hit_audience(const hm_results* r, size_t i, size_t j, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const Hit* h = hit_at(r, i);
    return h ? list_string(h->audience, j, len) : no_string(len);
  });
}

HM_EXTERN size_t hm_hit_tag_count(const hm_results* r, size_t i) {
  return guard_value<size_t>(__func__, 0, [&] {
    const Hit* h = hit_at(r, i);
    return h ? h->tags.size() : 0;
  });
}

HM_EXTERN const char* hm_hit_tag(const hm_results* r, size_t i, size_t j, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const Hit* h = hit_at(r, i);
    return h ? list_string(h->tags, j, len) : no_string(len);
  });
}

HM_EXTERN size_t hm_facet_count(const hm_results* r, const char* field) {
  return guard_value<size_t>(__func__, 0, [&] {
    const auto* counts = facet_of(r, field);
    return counts ? counts->size() : 0;
  });
}

HM_EXTERN const char* hm_facet_value(const hm_results* r, const char* field, size_t j, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const auto* counts = facet_of(r, field);
    return (counts && j < counts->size()) ? out_string((*counts)[j].value, len) : no_string(len);
  });
}

HM_EXTERN size_t hm_facet_value_count(const hm_results* r, const char* field, size_t j) {
  return guard_value<size_t>(__func__, 0, [&]() -> size_t {
    const auto* counts = facet_of(r, field);
    return (counts && j < counts->size()) ? (*counts)[j].count : 0;
  });
}

HM_EXTERN const char* hm_results_corrected_query(const hm_results* r, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    return r ? out_string(r->response.corrected_query, len) : no_string(len);
  });
}

HM_EXTERN int hm_results_auto_corrected(const hm_results* r) {
  return guard_value<int>(__func__, 0, [&] { return (r && r->response.auto_corrected) ? 1 : 0; });
}

HM_EXTERN size_t hm_correction_count(const hm_results* r) {
  return guard_value<size_t>(__func__, 0, [&] { return r ? r->response.corrections.size() : 0; });
}

HM_EXTERN const char* hm_correction_from(const hm_results* r, size_t k, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    return (r && k < r->response.corrections.size()) ? out_string(r->response.corrections[k].from, len)
                                                      : no_string(len);
  });
}

HM_EXTERN const char* hm_correction_to(const hm_results* r, size_t k, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    return (r && k < r->response.corrections.size()) ? out_string(r->response.corrections[k].to, len)
                                                      : no_string(len);
  });
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

HM_EXTERN int hm_answer_options_new(hm_answer_options** out) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    *out = new hm_answer_options();
    return HM_OK;
  });
}

HM_EXTERN void hm_answer_options_free(hm_answer_options* opts) { delete opts; }

HM_EXTERN int hm_answer_options_set_threshold(hm_answer_options* opts, double threshold) {
  return guard(__func__, [&](const char* fn) -> int {
    if (opts == nullptr) return null_argument(fn, "opts");
    if (std::isnan(threshold) || threshold > 1.0)
      return fail(HM_EINVALID, "hm_answer_options_set_threshold: the threshold must be between 0 and 1 "
                               "(negative for the calibrated default)");
    if (threshold < 0) opts->options.threshold.reset();
    else opts->options.threshold = threshold;
    return HM_OK;
  });
}

HM_EXTERN int hm_answer_options_set_alternatives(hm_answer_options* opts, size_t n) {
  return guard(__func__, [&](const char* fn) -> int {
    if (opts == nullptr) return null_argument(fn, "opts");
    if (n > 50) return fail(HM_EINVALID, "hm_answer_options_set_alternatives: at most 50 alternatives");
    opts->options.alternatives = n;
    return HM_OK;
  });
}

HM_EXTERN int hm_answer_options_add_filter(hm_answer_options* opts, const char* field, const char* value) {
  return guard(__func__, [&](const char* fn) -> int {
    if (opts == nullptr) return null_argument(fn, "opts");
    return add_filter(fn, opts->options.filters, field, value);
  });
}

HM_EXTERN int hm_answer_options_set_layers(hm_answer_options* opts, unsigned layers) {
  return guard(__func__, [&](const char* fn) -> int {
    if (opts == nullptr) return null_argument(fn, "opts");
    return set_layers(fn, opts->options.layers, layers);
  });
}

HM_EXTERN int hm_answer_options_set_link_template(hm_answer_options* opts, const char* link_template) {
  return guard(__func__, [&](const char* fn) -> int {
    if (opts == nullptr) return null_argument(fn, "opts");
    if (link_template == nullptr) {
      opts->options.link_template = AnswerOptions{}.link_template;
      return HM_OK;
    }
    if (int rc = check_text(fn, "link_template", link_template); rc != HM_OK) return rc;
    opts->options.link_template = link_template;
    return HM_OK;
  });
}

HM_EXTERN int hm_answer_question(hm_answer** out, hm_index* ix, const char* question, const char* locale,
                        const hm_answer_options* opts) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    auto answer = std::make_unique<hm_answer>();
    std::shared_ptr<Index> index;
    if (int rc = run_answer(fn, answer->answer, index, ix, question, locale, opts); rc != HM_OK) return rc;
    *out = answer.release();
    return HM_OK;
  });
}

HM_EXTERN int hm_answer_json(char** out, size_t* out_len, hm_index* ix, const char* question, const char* locale,
                             const hm_answer_options* opts) {
  return guard(__func__, [&](const char* fn) -> int {
    if (!begin_json(fn, out, out_len)) return hm_last_error_code();
    Answer answer;
    std::shared_ptr<Index> index;
    if (int rc = run_answer(fn, answer, index, ix, question, locale, opts); rc != HM_OK) return rc;
    return json_out(out, out_len, json::answer(question, answer));
  });
}

HM_EXTERN void hm_answer_free(hm_answer* a) { delete a; }

HM_EXTERN int hm_answer_found(const hm_answer* a) {
  return guard_value<int>(__func__, 0, [&] { return (a && a->answer.found) ? 1 : 0; });
}
HM_EXTERN int hm_answer_escalate(const hm_answer* a) {
  // No answer at all means a human must take over.
  return guard_value<int>(__func__, 1, [&] { return (!a || a->answer.escalate) ? 1 : 0; });
}
HM_EXTERN double hm_answer_confidence(const hm_answer* a) {
  return guard_value<double>(__func__, 0.0, [&] { return a ? a->answer.confidence : 0.0; });
}
HM_EXTERN double hm_answer_threshold(const hm_answer* a) {
  return guard_value<double>(__func__, 0.0, [&] { return a ? a->answer.threshold : 0.0; });
}
HM_EXTERN const char* hm_answer_id(const hm_answer* a, size_t* len) {
  return answer_string(__func__, a, len, &Answer::id);
}
HM_EXTERN const char* hm_answer_title(const hm_answer* a, size_t* len) {
  return answer_string(__func__, a, len, &Answer::title);
}
HM_EXTERN const char* hm_answer_summary(const hm_answer* a, size_t* len) {
  return answer_string(__func__, a, len, &Answer::summary);
}
HM_EXTERN const char* hm_answer_locale(const hm_answer* a, size_t* len) {
  return answer_string(__func__, a, len, &Answer::locale);
}
HM_EXTERN const char* hm_answer_link(const hm_answer* a, size_t* len) {
  return answer_string(__func__, a, len, &Answer::link);
}
HM_EXTERN const char* hm_answer_steps(const hm_answer* a, size_t* len) {
  return answer_string(__func__, a, len, &Answer::steps_text);
}
HM_EXTERN const char* hm_answer_steps_markdown(const hm_answer* a, size_t* len) {
  return answer_string(__func__, a, len, &Answer::steps_markdown);
}
HM_EXTERN const char* hm_answer_troubleshooting(const hm_answer* a, size_t* len) {
  return answer_string(__func__, a, len, &Answer::troubleshooting_text);
}
HM_EXTERN const char* hm_answer_troubleshooting_markdown(const hm_answer* a, size_t* len) {
  return answer_string(__func__, a, len, &Answer::troubleshooting_markdown);
}

HM_EXTERN size_t hm_answer_alternative_count(const hm_answer* a) {
  return guard_value<size_t>(__func__, 0, [&] { return a ? a->answer.alternatives.size() : 0; });
}
HM_EXTERN const char* hm_answer_alternative_id(const hm_answer* a, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const AnswerCandidate* c = alternative_at(a, i);
    return c ? out_string(c->id, len) : no_string(len);
  });
}
HM_EXTERN const char* hm_answer_alternative_title(const hm_answer* a, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const AnswerCandidate* c = alternative_at(a, i);
    return c ? out_string(c->title, len) : no_string(len);
  });
}
HM_EXTERN const char* hm_answer_alternative_locale(const hm_answer* a, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const AnswerCandidate* c = alternative_at(a, i);
    return c ? out_string(c->locale, len) : no_string(len);
  });
}
HM_EXTERN double hm_answer_alternative_confidence(const hm_answer* a, size_t i) {
  return guard_value<double>(__func__, 0.0, [&] {
    const AnswerCandidate* c = alternative_at(a, i);
    return c ? c->confidence : 0.0;
  });
}

HM_EXTERN size_t hm_answer_matched_term_count(const hm_answer* a) {
  return guard_value<size_t>(__func__, 0, [&] { return a ? a->answer.explanation.matched_terms.size() : 0; });
}
HM_EXTERN const char* hm_answer_matched_term(const hm_answer* a, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    return a ? list_string(a->answer.explanation.matched_terms, i, len) : no_string(len);
  });
}
HM_EXTERN size_t hm_answer_unmatched_term_count(const hm_answer* a) {
  return guard_value<size_t>(__func__, 0, [&] { return a ? a->answer.explanation.unmatched_terms.size() : 0; });
}
HM_EXTERN const char* hm_answer_unmatched_term(const hm_answer* a, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    return a ? list_string(a->answer.explanation.unmatched_terms, i, len) : no_string(len);
  });
}

// ---------------------------------------------------------------------------------------------
// Suggestions and articles
// ---------------------------------------------------------------------------------------------

HM_EXTERN int hm_suggest(hm_suggestions** out, hm_index* ix, const char* prefix, const char* locale, size_t limit) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    auto s = std::make_unique<hm_suggestions>();
    if (int rc = run_suggest(fn, s->list, ix, prefix, locale, limit); rc != HM_OK) return rc;
    *out = s.release();
    return HM_OK;
  });
}

HM_EXTERN int hm_suggest_json(char** out, size_t* out_len, hm_index* ix, const char* prefix, const char* locale,
                              size_t limit) {
  return guard(__func__, [&](const char* fn) -> int {
    if (!begin_json(fn, out, out_len)) return hm_last_error_code();
    std::vector<Suggestion> list;
    if (int rc = run_suggest(fn, list, ix, prefix, locale, limit); rc != HM_OK) return rc;
    return json_out(out, out_len, json::suggestions(prefix, list));
  });
}

HM_EXTERN void hm_suggestions_free(hm_suggestions* s) { delete s; }

HM_EXTERN size_t hm_suggestions_count(const hm_suggestions* s) {
  return guard_value<size_t>(__func__, 0, [&] { return s ? s->list.size() : 0; });
}
HM_EXTERN const char* hm_suggestion_text(const hm_suggestions* s, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const Suggestion* x = suggestion_at(s, i);
    return x ? out_string(x->text, len) : no_string(len);
  });
}
HM_EXTERN const char* hm_suggestion_kind(const hm_suggestions* s, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const Suggestion* x = suggestion_at(s, i);
    return x ? out_string(x->kind, len) : no_string(len);
  });
}
HM_EXTERN const char* hm_suggestion_article_id(const hm_suggestions* s, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const Suggestion* x = suggestion_at(s, i);
    return x ? out_string(x->article_id, len) : no_string(len);
  });
}
HM_EXTERN double hm_suggestion_score(const hm_suggestions* s, size_t i) {
  return guard_value<double>(__func__, 0.0, [&] {
    const Suggestion* x = suggestion_at(s, i);
    return x ? x->score : 0.0;
  });
}

HM_EXTERN int hm_article_json(char** out, size_t* out_len, hm_index* ix, const char* id) {
  return guard(__func__, [&](const char* fn) -> int {
    if (!begin_json(fn, out, out_len)) return hm_last_error_code();
    auto index = acquire(ix, fn);
    if (!index) return hm_last_error_code();
    if (int rc = check_text(fn, "id", id); rc != HM_OK) return rc;
    auto article = index->get(id);
    if (!article.ok()) return fail(article.status());
    return json_out(out, out_len, json::article(article.value()));
  });
}

}  // extern "C"
