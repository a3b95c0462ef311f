// The C API under abuse: NULL arguments, invalid UTF-8, closed handles, missing and foreign
// directories, out-of-range indices, and exceptions of every kind at the barrier. Each case
// returns its code and a message; none crashes or leaks (the asan preset runs these under
// AddressSanitizer and LeakSanitizer).
#include <xapian.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <functional>
#include <limits>
#include <new>
#include <stdexcept>
#include <thread>

#include "capi/barrier.hpp"
#include "unit/capi_util.hpp"

using namespace hmtest;

namespace {
const char kBadUtf8[] = "caf\xe9 refund";  // Latin-1 é: not UTF-8
}

TEST_SUITE("capi/abuse") {
  TEST_CASE("NULL arguments: HM_EINVALID, a message naming the function, outputs reset") {
    SmallIndex kb;
    IndexPtr ix = open_index(kb.index());
    RequestPtr req = new_request("refund");

    check_failure(hm_index_open(nullptr, kb.index_str().c_str()), HM_EINVALID, "hm_index_open: out is NULL");
    hm_index* out_ix = reinterpret_cast<hm_index*>(&kb);  // garbage that must be overwritten
    check_failure(hm_index_open(&out_ix, nullptr), HM_EINVALID, "path is NULL");
    CHECK(out_ix == nullptr);
    check_failure(hm_index_open(&out_ix, ""), HM_EINVALID, "empty");
    check_failure(hm_index_reopen(nullptr), HM_EINVALID, "hm_index_reopen: the index handle is NULL");
    std::size_t size = 99;
    check_failure(hm_index_size(&size, nullptr), HM_EINVALID, "NULL");
    CHECK(size == 0);
    check_failure(hm_index_size(nullptr, ix.get()), HM_EINVALID, "out is NULL");

    hm_results* r = reinterpret_cast<hm_results*>(1);
    check_failure(hm_search(&r, nullptr, req.get()), HM_EINVALID, "hm_search: the index handle is NULL");
    CHECK(r == nullptr);
    r = reinterpret_cast<hm_results*>(1);
    check_failure(hm_search(&r, ix.get(), nullptr), HM_EINVALID, "req is NULL");
    CHECK(r == nullptr);
    check_failure(hm_search(nullptr, ix.get(), req.get()), HM_EINVALID, "out is NULL");

    char* json = reinterpret_cast<char*>(1);
    std::size_t len = 99;
    check_failure(hm_search_json(&json, &len, nullptr, req.get()), HM_EINVALID, "NULL");
    CHECK(json == nullptr);
    CHECK(len == 0);
    check_failure(hm_search_json(nullptr, &len, ix.get(), req.get()), HM_EINVALID, "out is NULL");
    check_failure(hm_answer_json(&json, nullptr, ix.get(), nullptr, "en", nullptr), HM_EINVALID, "question is NULL");
    check_failure(hm_suggest_json(&json, nullptr, ix.get(), nullptr, "en", 5), HM_EINVALID, "prefix is NULL");
    check_failure(hm_article_json(&json, nullptr, ix.get(), nullptr), HM_EINVALID, "id is NULL");
    CHECK(json == nullptr);

    check_failure(hm_search_request_new(nullptr), HM_EINVALID, "NULL");
    check_failure(hm_search_request_set_query(nullptr, "x"), HM_EINVALID, "req is NULL");
    check_failure(hm_search_request_set_locale(nullptr, "en"), HM_EINVALID, "req is NULL");
    check_failure(hm_search_request_add_filter(nullptr, "journey", "x"), HM_EINVALID, "req is NULL");
    check_failure(hm_search_request_add_filter(req.get(), nullptr, "x"), HM_EINVALID, "field is NULL");
    check_failure(hm_search_request_add_filter(req.get(), "journey", nullptr), HM_EINVALID, "value is NULL");
    check_failure(hm_search_request_clear_filters(nullptr), HM_EINVALID, "req is NULL");
    check_failure(hm_search_request_add_facet(nullptr, "journey"), HM_EINVALID, "req is NULL");
    check_failure(hm_search_request_add_facet(req.get(), nullptr), HM_EINVALID, "field is NULL");
    check_failure(hm_search_request_set_page(nullptr, 0, 1), HM_EINVALID, "req is NULL");
    check_failure(hm_search_request_set_layers(nullptr, 0), HM_EINVALID, "req is NULL");
    check_failure(hm_search_request_set_ranking(nullptr, 0), HM_EINVALID, "req is NULL");
    // NULL query and locale mean "none".
    CHECK(hm_search_request_set_query(req.get(), nullptr) == HM_OK);
    CHECK(hm_search_request_set_locale(req.get(), nullptr) == HM_OK);

    hm_answer* a = reinterpret_cast<hm_answer*>(1);
    check_failure(hm_answer_question(&a, ix.get(), nullptr, "en", nullptr), HM_EINVALID, "question is NULL");
    CHECK(a == nullptr);
    check_failure(hm_answer_question(&a, nullptr, "refund", "en", nullptr), HM_EINVALID, "handle is NULL");
    check_failure(hm_answer_question(nullptr, ix.get(), "refund", "en", nullptr), HM_EINVALID, "out is NULL");
    check_failure(hm_answer_options_new(nullptr), HM_EINVALID, "NULL");
    check_failure(hm_answer_options_set_threshold(nullptr, 0.5), HM_EINVALID, "opts is NULL");
    check_failure(hm_answer_options_set_alternatives(nullptr, 1), HM_EINVALID, "opts is NULL");
    check_failure(hm_answer_options_add_filter(nullptr, "journey", "x"), HM_EINVALID, "opts is NULL");
    check_failure(hm_answer_options_set_layers(nullptr, 0), HM_EINVALID, "opts is NULL");
    check_failure(hm_answer_options_set_link_template(nullptr, "x"), HM_EINVALID, "opts is NULL");

    hm_suggestions* s = reinterpret_cast<hm_suggestions*>(1);
    check_failure(hm_suggest(&s, ix.get(), nullptr, "en", 5), HM_EINVALID, "prefix is NULL");
    CHECK(s == nullptr);
    check_failure(hm_suggest(nullptr, ix.get(), "x", "en", 5), HM_EINVALID, "out is NULL");

    hm_event_store* st = reinterpret_cast<hm_event_store*>(1);
    check_failure(hm_event_store_open(&st, nullptr, 0, "", -1), HM_EINVALID, "path is NULL");
    CHECK(st == nullptr);
    check_failure(hm_event_store_open(nullptr, "x", 0, "", -1), HM_EINVALID, "out is NULL");
    hm_event* ev = reinterpret_cast<hm_event*>(1);
    check_failure(hm_event_new(&ev, nullptr), HM_EINVALID, "type is NULL");
    CHECK(ev == nullptr);
    check_failure(hm_event_new(nullptr, "view"), HM_EINVALID, "out is NULL");
    check_failure(hm_event_set(nullptr, "session", "x"), HM_EINVALID, "ev is NULL");
    EventPtr view = new_event("view");
    check_failure(hm_event_set(view.get(), nullptr, "x"), HM_EINVALID, "field is NULL");
    check_failure(hm_event_set_int(nullptr, "position", 1), HM_EINVALID, "ev is NULL");
    check_failure(hm_event_set_bool(nullptr, "helpful", 1), HM_EINVALID, "ev is NULL");
    check_failure(hm_event_set_double(nullptr, "confidence", 1), HM_EINVALID, "ev is NULL");
    check_failure(hm_event_add_result(nullptr, "a"), HM_EINVALID, "ev is NULL");
    check_failure(hm_event_add_result(view.get(), nullptr), HM_EINVALID, "article_id is NULL");
    check_failure(hm_event_add_filter(view.get(), nullptr, "x"), HM_EINVALID, "field is NULL");
    check_failure(hm_event_store_record(nullptr, nullptr, nullptr, view.get()), HM_EINVALID, "handle is NULL");
    check_failure(hm_event_store_record_json(nullptr, nullptr, nullptr, "{}"), HM_EINVALID, "handle is NULL");
    hm_batch* b = reinterpret_cast<hm_batch*>(1);
    check_failure(hm_event_store_record_batch(&b, nullptr, nullptr, 0), HM_EINVALID, "handle is NULL");
    CHECK(b == nullptr);

    TempDir dir;
    StorePtr store = open_store(dir / "events.sqlite");
    check_failure(hm_event_store_record(nullptr, nullptr, store.get(), nullptr), HM_EINVALID, "ev is NULL");
    check_failure(hm_event_store_record_json(nullptr, nullptr, store.get(), nullptr), HM_EINVALID, "json is NULL");
    check_failure(hm_event_store_record_batch(&b, store.get(), nullptr, 2), HM_EINVALID, "events is NULL");
    const hm_event* with_null[] = {view.get(), nullptr};
    check_failure(hm_event_store_record_batch(&b, store.get(), with_null, 2), HM_EINVALID, "events[1] is NULL");
    CHECK(b == nullptr);
  }

  TEST_CASE("accessors on NULL objects and out of range give \"\" and 0") {
    std::size_t len = 99;
    CHECK(std::string(hm_hit_title(nullptr, 0, &len)).empty());
    CHECK(len == 0);
    CHECK(hm_hit_title(nullptr, 0, nullptr)[0] == '\0');
    CHECK(hm_results_count(nullptr) == 0);
    CHECK(hm_results_total(nullptr) == 0);
    CHECK(hm_hit_score(nullptr, 0) == 0.0);
    CHECK(hm_hit_tag_count(nullptr, 0) == 0);
    CHECK(hm_facet_count(nullptr, "journey") == 0);
    CHECK(hm_results_auto_corrected(nullptr) == 0);
    CHECK(hm_correction_count(nullptr) == 0);
    CHECK(hm_answer_found(nullptr) == 0);
    CHECK(hm_answer_escalate(nullptr) == 1);  // no answer: a human takes over
    CHECK(hm_answer_confidence(nullptr) == 0.0);
    CHECK(c_str(hm_answer_title, static_cast<const hm_answer*>(nullptr)).empty());
    CHECK(hm_suggestions_count(nullptr) == 0);
    CHECK(hm_batch_count(nullptr) == 0);
    CHECK(hm_batch_state(nullptr, 0) == -1);

    SmallIndex kb;
    IndexPtr ix = open_index(kb.index());
    RequestPtr req = new_request("refund");
    REQUIRE(hm_search_request_add_facet(req.get(), "journey") == HM_OK);
    ResultsPtr r = search(ix.get(), req.get());
    const std::size_t n = hm_results_count(r.get());
    REQUIRE(n > 0);
    CHECK(c_str(hm_hit_id, r.get(), n).empty());
    CHECK(c_str(hm_hit_id, r.get(), std::numeric_limits<std::size_t>::max()).empty());
    CHECK(hm_hit_score(r.get(), n) == 0.0);
    CHECK(c_str(hm_hit_tag, r.get(), 0, 1000).empty());
    CHECK(hm_hit_audience_count(r.get(), n) == 0);
    CHECK(hm_facet_count(r.get(), nullptr) == 0);
    CHECK(hm_facet_count(r.get(), "subtopic") == 0);  // not requested
    CHECK(c_str(hm_facet_value, r.get(), "journey", 1000).empty());
    CHECK(hm_facet_value_count(r.get(), "journey", 1000) == 0);
    CHECK(c_str(hm_correction_from, r.get(), 0).empty());

    // Accessors leave the last error alone: it can be read after looking at results.
    CHECK(hm_search(nullptr, ix.get(), req.get()) == HM_EINVALID);
    (void)hm_results_count(r.get());
    (void)hm_hit_title(r.get(), 0, nullptr);
    (void)hm_status_name(HM_EINVALID);
    CHECK(hm_last_error_code() == HM_EINVALID);
    CHECK(std::string(hm_last_error()).find("out is NULL") != std::string::npos);
    // A successful status call clears it.
    CHECK(hm_index_reopen(ix.get()) == HM_OK);
    CHECK(hm_last_error_code() == HM_OK);
    CHECK(std::string(hm_last_error()).empty());
  }

  TEST_CASE("invalid UTF-8 and oversized text are refused where they come in") {
    SmallIndex kb;
    IndexPtr ix = open_index(kb.index());
    RequestPtr req = new_request("refund");
    check_failure(hm_search_request_set_query(req.get(), kBadUtf8), HM_EINVALID, "not valid UTF-8");
    check_failure(hm_search_request_set_locale(req.get(), kBadUtf8), HM_EINVALID, "UTF-8");
    check_failure(hm_search_request_add_filter(req.get(), "tag", kBadUtf8), HM_EINVALID, "UTF-8");
    // The request still holds the last valid query.
    ResultsPtr r = search(ix.get(), req.get());
    CHECK(c_str(hm_hit_id, r.get(), 0) == "refund-timing");
    const std::string long_query(2000, 'a');
    check_failure(hm_search_request_set_query(req.get(), long_query.c_str()), HM_EINVALID, "over the limit");

    hm_answer* a = nullptr;
    check_failure(hm_answer_question(&a, ix.get(), kBadUtf8, "en", nullptr), HM_EINVALID, "UTF-8");
    check_failure(hm_answer_question(&a, ix.get(), "refund", kBadUtf8, nullptr), HM_EINVALID, "UTF-8");
    check_failure(hm_answer_question(&a, ix.get(), long_query.c_str(), "en", nullptr), HM_EINVALID, "limit");
    hm_suggestions* s = nullptr;
    check_failure(hm_suggest(&s, ix.get(), kBadUtf8, "en", 5), HM_EINVALID, "UTF-8");
    char* json = nullptr;
    check_failure(hm_article_json(&json, nullptr, ix.get(), "\xff\xfe"), HM_EINVALID, "UTF-8");
    EventPtr ev = new_event("search");
    check_failure(hm_event_set(ev.get(), "query", kBadUtf8), HM_EINVALID, "UTF-8");
    check_failure(hm_event_add_result(ev.get(), kBadUtf8), HM_EINVALID, "UTF-8");
    check_failure(hm_event_add_filter(ev.get(), "journey", kBadUtf8), HM_EINVALID, "UTF-8");
    TempDir dir;
    StorePtr store = open_store(dir / "events.sqlite");
    check_failure(hm_event_store_record_json(nullptr, nullptr, store.get(), "{\"type\":\"\xc3\"}"), HM_EINVALID,
                  "UTF-8");
  }

  TEST_CASE("unknown names and values out of range") {
    SmallIndex kb;
    IndexPtr ix = open_index(kb.index());
    RequestPtr req = new_request("refund");
    check_failure(hm_search_request_add_filter(req.get(), "colour", "red"), HM_EINVALID, "unknown filter field 'colour'");
    check_failure(hm_search_request_add_filter(req.get(), "journey", ""), HM_EINVALID, "empty");
    check_failure(hm_search_request_add_facet(req.get(), "colour"), HM_EINVALID, "unknown facet 'colour'");
    check_failure(hm_search_request_set_page(req.get(), 0, 1001), HM_EINVALID, "over the maximum");
    check_failure(hm_search_request_set_page(req.get(), std::numeric_limits<std::size_t>::max(), 10), HM_EINVALID,
                  "too large");
    check_failure(hm_search_request_set_layers(req.get(), 16), HM_EINVALID, "unknown layer");
    check_failure(hm_search_request_set_ranking(req.get(), 7), HM_EINVALID, "unknown ranking");
    CHECK(hm_search_request_set_page(req.get(), 0, 0) == HM_OK);
    ResultsPtr none = search(ix.get(), req.get());
    CHECK(hm_results_count(none.get()) == 0);
    CHECK(hm_results_total(none.get()) > 0);

    hm_answer_options* o = nullptr;
    REQUIRE(hm_answer_options_new(&o) == HM_OK);
    OptionsPtr opts(o);
    check_failure(hm_answer_options_set_threshold(o, 1.5), HM_EINVALID, "between 0 and 1");
    check_failure(hm_answer_options_set_threshold(o, std::nan("")), HM_EINVALID, "between 0 and 1");
    check_failure(hm_answer_options_set_alternatives(o, 51), HM_EINVALID, "at most 50");
    check_failure(hm_answer_options_add_filter(o, "colour", "red"), HM_EINVALID, "unknown filter field");
    check_failure(hm_answer_options_set_layers(o, 0xff), HM_EINVALID, "unknown layer");
    hm_suggestions* s = nullptr;
    check_failure(hm_suggest(&s, ix.get(), "ref", "en", 51), HM_EINVALID, "at most 50");
    CHECK(s == nullptr);
    REQUIRE(hm_suggest(&s, ix.get(), "ref", "en", 0) == HM_OK);
    CHECK(hm_suggestions_count(s) == 0);
    hm_suggestions_free(s);

    hm_event* ev = nullptr;
    check_failure(hm_event_new(&ev, "purchase"), HM_EINVALID, "unknown event type 'purchase'");
    EventPtr click = new_event("click");
    check_failure(hm_event_set(click.get(), "colour", "red"), HM_EINVALID, "unknown field 'colour'");
    check_failure(hm_event_set(click.get(), "position", "1"), HM_EINVALID, "text fields");
    check_failure(hm_event_set_int(click.get(), "article", 1), HM_EINVALID, "integer fields");
    check_failure(hm_event_set_int(click.get(), "position", std::int64_t{1} << 40), HM_EINVALID, "out of range");
    check_failure(hm_event_set_bool(click.get(), "position", 1), HM_EINVALID, "yes/no fields");
    check_failure(hm_event_set_double(click.get(), "position", 1), HM_EINVALID, "number fields");
    check_failure(hm_event_set_double(click.get(), "confidence", INFINITY), HM_EINVALID, "finite");
    hm_event_store* st = nullptr;
    TempDir dir;
    check_failure(hm_event_store_open(&st, (dir / "e.sqlite").c_str(), 64, "", -1), HM_EINVALID, "unknown flags");
    check_failure(hm_event_store_open(&st, "", 0, "", -1), HM_EINVALID, "empty");
  }

  TEST_CASE("missing, foreign and damaged indexes") {
    TempDir dir;
    hm_index* ix = reinterpret_cast<hm_index*>(&dir);
    check_failure(hm_index_open(&ix, (dir / "nothing-here").c_str()), HM_ENOTFOUND, "no index here");
    CHECK(ix == nullptr);
    write_file(dir / "file.txt", "not a directory");
    check_failure(hm_index_open(&ix, (dir / "file.txt").c_str()), HM_ENOTFOUND, "file.txt");
    fs::create_directories(dir / "empty");
    check_failure(hm_index_open(&ix, (dir / "empty").c_str()), HM_ECORRUPT, "not a helpmark index");
    check_failure(hm_index_open(&ix, (kTestData / "kb-small/articles").c_str()), HM_ECORRUPT, "not a helpmark index");
    // A Xapian database that is not helpmark's.
    { Xapian::WritableDatabase other((dir / "xapian").string(), Xapian::DB_CREATE); }
    check_failure(hm_index_open(&ix, (dir / "xapian").c_str()), HM_ECORRUPT, "not a helpmark index");
    CHECK(ix == nullptr);

    // Damage an index that is open: every call returns a code (or still works from what it
    // cached), never crashes.
    SmallIndex kb;
    IndexPtr open = open_index(kb.index());
    for (const auto& entry : fs::directory_iterator(kb.index()))
      if (entry.path().extension() == ".glass") write_file(entry.path(), std::string(8192, 'x'));
    auto ok_or_error = [](int rc) {
      INFO("rc=" << rc << " " << hm_last_error());
      CHECK((rc == HM_OK || rc == HM_ECORRUPT || rc == HM_EIO || rc == HM_ENOTFOUND));
      if (rc != HM_OK) CHECK(std::string(hm_last_error()).size() > 0);
    };
    ok_or_error(hm_index_reopen(open.get()));
    hm_index* fresh = nullptr;
    const int rc = hm_index_open(&fresh, kb.index_str().c_str());
    INFO(hm_last_error());
    CHECK((rc == HM_ECORRUPT || rc == HM_EIO));
    CHECK(fresh == nullptr);
    RequestPtr req = new_request("refund");
    hm_results* r = nullptr;
    ok_or_error(hm_search(&r, open.get(), req.get()));
    hm_results_free(r);
    char* json = nullptr;
    ok_or_error(hm_answer_json(&json, nullptr, open.get(), "refund", "en", nullptr));
    hm_string_free(json);
  }

  TEST_CASE("missing and foreign event stores") {
    TempDir dir;
    hm_event_store* st = nullptr;
    check_failure(hm_event_store_open(&st, (dir / "missing.sqlite").c_str(), HM_STORE_NO_CREATE, "", -1), HM_ENOTFOUND,
                  "no event store here");
    check_failure(hm_event_store_open(&st, (dir / "missing.sqlite").c_str(), HM_STORE_READ_ONLY, "", -1), HM_ENOTFOUND,
                  "missing.sqlite");
    check_failure(hm_event_store_open(&st, dir.path().c_str(), 0, "", -1), HM_EINVALID, "is a directory");
    write_file(dir / "text.sqlite", std::string(4096, 'x'));
    check_failure(hm_event_store_open(&st, (dir / "text.sqlite").c_str(), 0, "", -1), HM_ECORRUPT, "text.sqlite");
    CHECK(st == nullptr);
  }

  TEST_CASE("a closed handle is refused, not used, closing NULL or twice does nothing") {
    SmallIndex kb;
    hm_index* ix = nullptr;
    REQUIRE(hm_index_open(&ix, kb.index_str().c_str()) == HM_OK);
    hm_index_close(ix);
    CHECK(hm_last_error_code() == HM_OK);
    RequestPtr req = new_request("refund");
    hm_results* r = nullptr;
    check_failure(hm_search(&r, ix, req.get()), HM_EINVALID, "hm_search: the index handle is closed");
    CHECK(r == nullptr);
    check_failure(hm_index_reopen(ix), HM_EINVALID, "closed");
    hm_answer* a = nullptr;
    check_failure(hm_answer_question(&a, ix, "refund", "en", nullptr), HM_EINVALID, "closed");
    hm_index_close(ix);  // twice: refused, no crash
    CHECK(hm_last_error_code() == HM_EINVALID);
    CHECK(std::string(hm_last_error()).find("closed already") != std::string::npos);
    hm_index_close(nullptr);
    CHECK(hm_last_error_code() == HM_OK);

    TempDir dir;
    hm_event_store* st = nullptr;
    REQUIRE(hm_event_store_open(&st, (dir / "e.sqlite").c_str(), 0, "", -1) == HM_OK);
    hm_event_store_close(st);
    EventPtr view = new_event("view");
    check_failure(hm_event_store_record(nullptr, nullptr, st, view.get()), HM_EINVALID,
                  "the event store handle is closed");
    hm_event_store_close(st);
    CHECK(hm_last_error_code() == HM_EINVALID);
  }

  TEST_CASE("the last error is per thread") {
    CHECK(hm_index_reopen(nullptr) == HM_EINVALID);
    std::string other_message = "unset";
    int other_code = 12345;
    std::thread([&] {
      other_message = hm_last_error();
      other_code = hm_last_error_code();
      (void)hm_index_size(nullptr, nullptr);  // fails on that thread only
    }).join();
    CHECK(other_message.empty());
    CHECK(other_code == HM_OK);
    CHECK(hm_last_error_code() == HM_EINVALID);
    CHECK(std::string(hm_last_error()).find("hm_index_reopen") != std::string::npos);
  }

  TEST_CASE("the exception barrier maps every kind of exception to a code and message") {
    using helpmark::capi::guard;
    struct Case {
      std::function<void()> thrower;
      int code;
      const char* needle;
    };
    const std::vector<Case> cases = {
        {[] { throw Xapian::DatabaseLockError("held by pid 42"); }, HM_ELOCKED, "held by pid 42"},
        {[] { throw Xapian::DatabaseVersionError("format 9"); }, HM_ECORRUPT, "format 9"},
        {[] { throw Xapian::DatabaseOpeningError("no such dir"); }, HM_ENOTFOUND, "no such dir"},
        {[] { throw Xapian::DatabaseCorruptError("bad block"); }, HM_ECORRUPT, "bad block"},
        {[] { throw Xapian::DatabaseModifiedError("revision gone"); }, HM_EIO, "revision gone"},
        {[] { throw Xapian::InvalidArgumentError("bad term"); }, HM_EIO, "bad term"},
        {[] { YAML::Load("key: [unclosed"); }, HM_EINPUT, "YAML"},
        {[] { throw std::bad_alloc(); }, HM_ENOMEM, "out of memory"},
        {[] { throw fs::filesystem_error("cannot stat", fs::path("/x"), std::make_error_code(std::errc::io_error)); },
         HM_EIO, "cannot stat"},
        {[] { throw std::runtime_error("a bug"); }, HM_EINTERNAL, "internal error: a bug"},
        {[] { throw 42; }, HM_EINTERNAL, "unknown exception"},
    };
    for (const Case& c : cases) {
      const int rc = guard("hm_test_function", [&](const char*) -> int {
        c.thrower();
        return HM_OK;
      });
      INFO(hm_last_error());
      CHECK(rc == c.code);
      CHECK(hm_last_error_code() == c.code);
      CHECK(std::string(hm_last_error()).find(c.needle) != std::string::npos);
      if (c.code != HM_ENOMEM) CHECK(std::string(hm_last_error()).find("hm_test_function") != std::string::npos);
    }
    // Accessors: the fallback value, and the error recorded.
    const double v = helpmark::capi::guard_value<double>("hm_test_accessor", -1.0, []() -> double {
      throw std::out_of_range("index 9");
    });
    CHECK(v == -1.0);
    CHECK(hm_last_error_code() == HM_EINTERNAL);
    CHECK(std::string(hm_last_error()).find("index 9") != std::string::npos);
  }

  TEST_CASE("status names and owned strings") {
    CHECK(std::string(hm_status_name(HM_OK)) == "ok");
    CHECK(std::string(hm_status_name(HM_EINVALID)) == "invalid argument");
    CHECK(std::string(hm_status_name(HM_ENOTFOUND)) == "not found");
    CHECK(std::string(hm_status_name(HM_EIO)) == "i/o error");
    CHECK(std::string(hm_status_name(HM_EINPUT)) == "invalid input");
    CHECK(std::string(hm_status_name(HM_ELOCKED)) == "locked");
    CHECK(std::string(hm_status_name(HM_ECORRUPT)) == "corrupt");
    CHECK(std::string(hm_status_name(HM_ENOMEM)) == "out of memory");
    CHECK(std::string(hm_status_name(HM_EINTERNAL)) == "internal error");
    CHECK(std::string(hm_status_name(-99)) == "unknown");
    CHECK(helpmark::capi::code_of(helpmark::ErrorCode::kLocked) == HM_ELOCKED);
    CHECK(helpmark::capi::code_of(helpmark::ErrorCode::kInvalidInput) == HM_EINPUT);
    hm_string_free(nullptr);
    CHECK(std::string(hm_version()) == HM_VERSION_STRING);
    CHECK(hm_version_number() == HM_VERSION_NUMBER);
  }
}
