// The C API over helpmark::tracking: the event store, events and batches.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "capi/barrier.hpp"
#include "helpmark/helpmark.h"
#include "helpmark/index.hpp"
#include "helpmark/learning.hpp"
#include "helpmark/tracking.hpp"
#include "util/text.hpp"

struct hm_event_store {
  std::shared_ptr<helpmark::tracking::EventStore> state;
};
struct hm_event {
  helpmark::tracking::Event event;
  // The time stamped on the first record of an event without `ts`, kept so that recording the
  // same handle again (a retry) derives the same id and is stored once.
  mutable std::string stamped_ts;
};
struct hm_batch {
  helpmark::tracking::BatchOutcome outcome;
};

namespace helpmark::capi {
namespace {

namespace fs = std::filesystem;
using StoreRegistry = Registry<hm_event_store>;

std::shared_ptr<tracking::EventStore> acquire(hm_event_store* store, const char* function) {
  auto s = StoreRegistry::instance().acquire(store);
  if (!s)
    fail(HM_EINVALID, std::string(function) +
                          (store ? ": the event store handle is closed or was never opened"
                                 : ": the event store handle is NULL"));
  return s;
}

int null_argument(const char* function, const char* name) {
  return fail(HM_EINVALID, std::string(function) + ": " + name + " is NULL");
}

int check_text(const char* function, const char* name, const char* value) {
  if (value == nullptr) return null_argument(function, name);
  if (const std::size_t at = text::find_invalid_utf8(value); at != std::string_view::npos)
    return fail(HM_EINVALID, std::string(function) + ": " + name + " is not valid UTF-8 (bad byte at offset " +
                                 std::to_string(at) + ")");
  return HM_OK;
}

int unknown_field(const char* function, const char* field, const char* expected) {
  return fail(HM_EINVALID, std::string(function) + ": unknown field '" + std::string(field).substr(0, 64) +
                               "'; " + expected);
}

/// The text field of an event named `field`, or null.
std::string* text_field(tracking::Event& e, std::string_view field) {
  if (field == "id") return &e.id;
  if (field == "ts") return &e.ts;
  if (field == "session") return &e.session;
  if (field == "locale") return &e.locale;
  if (field == "audience") return &e.audience;
  if (field == "journey") return &e.journey;
  if (field == "query") return &e.query;
  if (field == "search_id") return &e.search_id;
  if (field == "article") return &e.article;
  if (field == "source") return &e.source;
  if (field == "reason") return &e.reason;
  if (field == "reason_code") return &e.reason_code;
  if (field == "question") return &e.question;
  return nullptr;
}

/// The event as it will be stored: a missing timestamp means "now", as in `helpmark track`.
tracking::Event prepared(const hm_event& e) {
  tracking::Event copy = e.event;
  if (copy.ts.empty()) {
    if (e.stamped_ts.empty()) e.stamped_ts = tracking::format_timestamp(tracking::now_ms());
    copy.ts = e.stamped_ts;
  }
  return copy;
}

/// Scrub patterns as the CLI finds them: explicit file, $HELPMARK_PRIVACY, privacy.yaml beside
/// the store. Keeping the same rule means an event is scrubbed alike on every surface.
Result<std::vector<tracking::ScrubPattern>> scrub_patterns(const char* privacy_file, const std::string& store) {
  if (privacy_file != nullptr) {
    if (*privacy_file == '\0') return std::vector<tracking::ScrubPattern>{};
    return tracking::load_scrub_patterns(privacy_file);
  }
  const char* env = std::getenv("HELPMARK_PRIVACY");
  if (env && *env) return tracking::load_scrub_patterns(env);
  const fs::path beside = fs::path(store).parent_path() / "privacy.yaml";
  std::error_code ec;
  if (fs::exists(beside, ec)) return tracking::load_scrub_patterns(beside);
  return std::vector<tracking::ScrubPattern>{};
}

int recorded_out(char** out_id, int* out_duplicate, const tracking::Recorded& r) {
  if (out_id) *out_id = copy_out(r.id);
  if (out_duplicate) *out_duplicate = r.duplicate ? 1 : 0;
  return HM_OK;
}

const tracking::EventOutcome* outcome_at(const hm_batch* b, std::size_t i) {
  return (b && i < b->outcome.outcomes.size()) ? &b->outcome.outcomes[i] : nullptr;
}

constexpr unsigned kStoreFlags = HM_STORE_READ_ONLY | HM_STORE_NO_CREATE | HM_STORE_SYNC_NORMAL;

}  // namespace
}  // namespace helpmark::capi

using namespace helpmark;
using namespace helpmark::capi;

extern "C" {

HM_EXTERN int hm_event_store_open(hm_event_store** out, const char* path, unsigned flags, const char* privacy_file,
                                  int busy_timeout_ms) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    if (path == nullptr) return null_argument(fn, "path");
    if (*path == '\0') return fail(HM_EINVALID, std::string(fn) + ": path is empty");
    if ((flags & ~kStoreFlags) != 0)
      return fail(HM_EINVALID, std::string(fn) + ": unknown flags " + std::to_string(flags) +
                                   "; use HM_STORE_READ_ONLY, HM_STORE_NO_CREATE, HM_STORE_SYNC_NORMAL");
    tracking::StoreOptions options;
    options.read_only = (flags & HM_STORE_READ_ONLY) != 0;
    options.create = (flags & HM_STORE_NO_CREATE) == 0;
    options.durability = (flags & HM_STORE_SYNC_NORMAL) != 0 ? tracking::Durability::kNormal
                                                              : tracking::Durability::kFull;
    if (busy_timeout_ms >= 0) options.busy_timeout_ms = busy_timeout_ms;
    auto patterns = scrub_patterns(privacy_file, path);
    if (!patterns.ok()) return fail(patterns.status());
    options.scrub_patterns = std::move(patterns).value();
    auto store = tracking::EventStore::open(path, options);
    if (!store.ok()) return fail(store.status());
    auto handle = std::make_unique<hm_event_store>();
    handle->state = std::make_shared<tracking::EventStore>(std::move(store).value());
    StoreRegistry::instance().add(handle.get());
    *out = handle.release();
    return HM_OK;
  });
}

HM_EXTERN void hm_event_store_close(hm_event_store* store) {
  guard(__func__, [&](const char* fn) -> int {
    if (store == nullptr) return HM_OK;
    if (!StoreRegistry::instance().remove(store))
      return fail(HM_EINVALID, std::string(fn) + ": the event store handle is closed already or was never opened");
    delete store;
    return HM_OK;
  });
}

HM_EXTERN int hm_event_new(hm_event** out, const char* type) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    if (type == nullptr) return null_argument(fn, "type");
    auto parsed = tracking::parse_event_type(type);
    if (!parsed)
      return fail(HM_EINVALID, std::string(fn) + ": unknown event type '" + std::string(type).substr(0, 64) +
                                   "'; types: search, click, view, feedback, bot_answer, ticket");
    auto ev = std::make_unique<hm_event>();
    ev->event.type = *parsed;
    *out = ev.release();
    return HM_OK;
  });
}

HM_EXTERN void hm_event_free(hm_event* ev) { delete ev; }

HM_EXTERN int hm_event_set(hm_event* ev, const char* field, const char* value) {
  return guard(__func__, [&](const char* fn) -> int {
    if (ev == nullptr) return null_argument(fn, "ev");
    if (field == nullptr) return null_argument(fn, "field");
    std::string* slot = text_field(ev->event, field);
    if (slot == nullptr)
      return unknown_field(fn, field,
                           "text fields: id, ts, session, locale, audience, journey, query, search_id, article, "
                           "source, reason, reason_code, question");
    if (value == nullptr) {
      slot->clear();
      return HM_OK;
    }
    if (int rc = check_text(fn, "value", value); rc != HM_OK) return rc;
    *slot = value;
    return HM_OK;
  });
}

HM_EXTERN int hm_event_set_int(hm_event* ev, const char* field, int64_t value) {
  return guard(__func__, [&](const char* fn) -> int {
    if (ev == nullptr) return null_argument(fn, "ev");
    if (field == nullptr) return null_argument(fn, "field");
    const std::string_view f(field);
    if (f == "position") {
      if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
        return fail(HM_EINVALID, std::string(fn) + ": position " + std::to_string(value) + " is out of range");
      ev->event.position = static_cast<int>(value);
      return HM_OK;
    }
    if (f == "total") {
      ev->event.total = value;
      return HM_OK;
    }
    return unknown_field(fn, field, "integer fields: position, total");
  });
}

HM_EXTERN int hm_event_set_bool(hm_event* ev, const char* field, int value) {
  return guard(__func__, [&](const char* fn) -> int {
    if (ev == nullptr) return null_argument(fn, "ev");
    if (field == nullptr) return null_argument(fn, "field");
    const std::string_view f(field);
    std::optional<bool>* slot = f == "helpful"     ? &ev->event.helpful
                                : f == "escalated" ? &ev->event.escalated
                                : f == "accepted"  ? &ev->event.accepted
                                                   : nullptr;
    if (slot == nullptr) return unknown_field(fn, field, "yes/no fields: helpful, escalated, accepted");
    *slot = value != 0;
    return HM_OK;
  });
}

HM_EXTERN int hm_event_set_double(hm_event* ev, const char* field, double value) {
  return guard(__func__, [&](const char* fn) -> int {
    if (ev == nullptr) return null_argument(fn, "ev");
    if (field == nullptr) return null_argument(fn, "field");
    if (std::string_view(field) != "confidence") return unknown_field(fn, field, "number fields: confidence");
    if (!std::isfinite(value))
      return fail(HM_EINVALID, std::string(fn) + ": confidence must be a finite number between 0 and 1");
    ev->event.confidence = value;
    return HM_OK;
  });
}

HM_EXTERN int hm_event_add_result(hm_event* ev, const char* article_id) {
  return guard(__func__, [&](const char* fn) -> int {
    if (ev == nullptr) return null_argument(fn, "ev");
    if (int rc = check_text(fn, "article_id", article_id); rc != HM_OK) return rc;
    ev->event.results.emplace_back(article_id);
    return HM_OK;
  });
}

HM_EXTERN int hm_event_add_filter(hm_event* ev, const char* field, const char* value) {
  return guard(__func__, [&](const char* fn) -> int {
    if (ev == nullptr) return null_argument(fn, "ev");
    if (int rc = check_text(fn, "field", field); rc != HM_OK) return rc;
    if (int rc = check_text(fn, "value", value); rc != HM_OK) return rc;
    ev->event.filters[field].emplace_back(value);
    return HM_OK;
  });
}

HM_EXTERN int hm_event_store_record(char** out_id, int* out_duplicate, hm_event_store* store, const hm_event* ev) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out_id) *out_id = nullptr;
    if (out_duplicate) *out_duplicate = 0;
    auto s = acquire(store, fn);
    if (!s) return hm_last_error_code();
    if (ev == nullptr) return null_argument(fn, "ev");
    auto recorded = s->record(prepared(*ev));
    if (!recorded.ok()) return fail(recorded.status());
    return recorded_out(out_id, out_duplicate, recorded.value());
  });
}

HM_EXTERN int hm_event_store_record_json(char** out_id, int* out_duplicate, hm_event_store* store, const char* json) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out_id) *out_id = nullptr;
    if (out_duplicate) *out_duplicate = 0;
    auto s = acquire(store, fn);
    if (!s) return hm_last_error_code();
    if (int rc = check_text(fn, "json", json); rc != HM_OK) return rc;
    auto recorded = s->record_json(json);
    if (!recorded.ok()) return fail(recorded.status());
    return recorded_out(out_id, out_duplicate, recorded.value());
  });
}

HM_EXTERN int hm_event_store_record_batch(hm_batch** out, hm_event_store* store, const hm_event* const* events,
                                          size_t n) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    auto s = acquire(store, fn);
    if (!s) return hm_last_error_code();
    if (events == nullptr && n > 0) return null_argument(fn, "events");
    std::vector<tracking::Event> batch;
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (events[i] == nullptr)
        return fail(HM_EINVALID, std::string(fn) + ": events[" + std::to_string(i) + "] is NULL");
      batch.push_back(prepared(*events[i]));
    }
    auto outcome = s->record_batch(batch);
    if (!outcome.ok()) return fail(outcome.status());
    *out = new hm_batch{std::move(outcome).value()};
    return HM_OK;
  });
}

HM_EXTERN void hm_batch_free(hm_batch* b) { delete b; }

HM_EXTERN size_t hm_batch_count(const hm_batch* b) {
  return guard_value<size_t>(__func__, 0, [&] { return b ? b->outcome.outcomes.size() : 0; });
}
HM_EXTERN size_t hm_batch_stored(const hm_batch* b) {
  return guard_value<size_t>(__func__, 0, [&] { return b ? b->outcome.stored : 0; });
}
HM_EXTERN size_t hm_batch_duplicates(const hm_batch* b) {
  return guard_value<size_t>(__func__, 0, [&] { return b ? b->outcome.duplicates : 0; });
}
HM_EXTERN size_t hm_batch_rejected(const hm_batch* b) {
  return guard_value<size_t>(__func__, 0, [&] { return b ? b->outcome.rejected : 0; });
}
HM_EXTERN int hm_batch_state(const hm_batch* b, size_t i) {
  return guard_value<int>(__func__, -1, [&] {
    const tracking::EventOutcome* o = outcome_at(b, i);
    if (o == nullptr) return -1;
    switch (o->state) {
      case tracking::EventOutcome::State::kStored: return static_cast<int>(HM_EVENT_STORED);
      case tracking::EventOutcome::State::kDuplicate: return static_cast<int>(HM_EVENT_DUPLICATE);
      case tracking::EventOutcome::State::kRejected: return static_cast<int>(HM_EVENT_REJECTED);
    }
    return -1;
  });
}
HM_EXTERN const char* hm_batch_id(const hm_batch* b, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const tracking::EventOutcome* o = outcome_at(b, i);
    return o ? out_string(o->id, len) : no_string(len);
  });
}
HM_EXTERN const char* hm_batch_error(const hm_batch* b, size_t i, size_t* len) {
  return guard_value<const char*>(__func__, no_string(len), [&] {
    const tracking::EventOutcome* o = outcome_at(b, i);
    return o ? out_string(o->error, len) : no_string(len);
  });
}

}  // extern "C"

// ---- learning from traffic ----

HM_EXTERN int hm_learn_suggest_json(char** out, size_t* out_len, hm_event_store* store, const char* index_dir,
                                    size_t min_sessions) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out_len) *out_len = 0;
    if (out == nullptr) return null_argument(fn, "out");
    *out = nullptr;
    auto s = acquire(store, fn);
    if (!s) return hm_last_error_code();
    if (int rc = check_text(fn, "index_dir", index_dir); rc != HM_OK) return rc;
    auto index = Index::open(index_dir);
    if (!index.ok()) return fail(index.status());
    learning::LearnOptions options;
    if (min_sessions > 0) options.min_sessions = min_sessions;
    if (auto stats = index->stats(); stats.ok() && !stats->default_locale.empty())
      options.default_locale = stats->default_locale;
    auto proposals = learning::suggest(*s, index.value(), options);
    if (!proposals.ok()) return fail(proposals.status());
    const std::string json = learning::proposals_to_json(proposals.value());
    *out = copy_out(json);
    if (out_len) *out_len = json.size();
    return HM_OK;
  });
}

HM_EXTERN int hm_learn_apply_json(size_t* out_added, const char* index_dir, const char* proposals_json) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out_added) *out_added = 0;
    if (int rc = check_text(fn, "index_dir", index_dir); rc != HM_OK) return rc;
    if (int rc = check_text(fn, "proposals_json", proposals_json); rc != HM_OK) return rc;
    auto questions = learning::questions_from_json(proposals_json);
    if (!questions.ok()) return fail(questions.status());
    auto index = Index::open(index_dir);
    if (!index.ok()) return fail(index.status());
    std::vector<learning::LearnedQuestion> known;
    for (auto& q : questions.value())
      if (auto a = index->get(q.article); a.ok() && a->locale == q.locale) known.push_back(std::move(q));
    auto applied = learning::apply(index_dir, known);
    if (!applied.ok()) return fail(applied.status());
    if (out_added) *out_added = applied->added + applied->updated;
    return HM_OK;
  });
}

HM_EXTERN int hm_learn_forget(size_t* out_removed, const char* index_dir, const char* article) {
  return guard(__func__, [&](const char* fn) -> int {
    if (out_removed) *out_removed = 0;
    if (int rc = check_text(fn, "index_dir", index_dir); rc != HM_OK) return rc;
    if (article != nullptr)
      if (int rc = check_text(fn, "article", article); rc != HM_OK) return rc;
    auto removed = learning::forget(index_dir, article ? article : "");
    if (!removed.ok()) return fail(removed.status());
    if (out_removed) *out_removed = removed.value();
    return HM_OK;
  });
}
