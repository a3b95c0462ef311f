// The C API (helpmark.h) gives exactly what the C++ API gives: hits, facets, corrections,
// answers, suggestions, JSON; and it records tracking events.
#include <sqlite3.h>
#include <xapian.h>

#include <chrono>
#include <cmath>
#include <sstream>
#include <thread>

#include "helpmark/answer.hpp"
#include "helpmark/json.hpp"
#include "helpmark/tracking.hpp"
#include "unit/capi_util.hpp"

using namespace hmtest;

namespace {

/// The C++ request equivalent to what the tests set through the C API.
helpmark::SearchRequest cpp_request(const std::string& query, const std::string& locale,
                                    std::vector<std::string> facets, std::size_t offset, std::size_t limit) {
  helpmark::SearchRequest r;
  r.query = query;
  r.locale = locale;
  r.facets = std::move(facets);
  r.offset = offset;
  r.limit = limit;
  return r;
}

/// Every field of every hit, facet and correction of `c` equals `expected`.
void check_same(const hm_results* c, const helpmark::SearchResponse& expected) {
  REQUIRE(hm_results_count(c) == expected.hits.size());
  CHECK(hm_results_total(c) == expected.total);
  for (std::size_t i = 0; i < expected.hits.size(); ++i) {
    const helpmark::Hit& h = expected.hits[i];
    CHECK(c_str(hm_hit_id, c, i) == h.id);
    CHECK(c_str(hm_hit_title, c, i) == h.title);
    CHECK(c_str(hm_hit_summary, c, i) == h.summary);
    CHECK(c_str(hm_hit_snippet, c, i) == h.snippet);
    CHECK(c_str(hm_hit_journey, c, i) == h.journey);
    CHECK(c_str(hm_hit_subtopic, c, i) == h.subtopic);
    CHECK(c_str(hm_hit_locale, c, i) == h.locale);
    CHECK(c_str(hm_hit_path, c, i) == h.path);
    CHECK(c_str(hm_hit_updated, c, i) == h.updated);
    CHECK(hm_hit_score(c, i) == h.score);
    REQUIRE(hm_hit_audience_count(c, i) == h.audience.size());
    for (std::size_t j = 0; j < h.audience.size(); ++j) CHECK(c_str(hm_hit_audience, c, i, j) == h.audience[j]);
    REQUIRE(hm_hit_tag_count(c, i) == h.tags.size());
    for (std::size_t j = 0; j < h.tags.size(); ++j) CHECK(c_str(hm_hit_tag, c, i, j) == h.tags[j]);
  }
  for (const auto& [field, counts] : expected.facets) {
    REQUIRE(hm_facet_count(c, field.c_str()) == counts.size());
    for (std::size_t j = 0; j < counts.size(); ++j) {
      CHECK(c_str(hm_facet_value, c, field.c_str(), j) == counts[j].value);
      CHECK(hm_facet_value_count(c, field.c_str(), j) == counts[j].count);
    }
  }
  CHECK(c_str(hm_results_corrected_query, c) == expected.corrected_query);
  CHECK(hm_results_auto_corrected(c) == (expected.auto_corrected ? 1 : 0));
  REQUIRE(hm_correction_count(c) == expected.corrections.size());
  for (std::size_t k = 0; k < expected.corrections.size(); ++k) {
    CHECK(c_str(hm_correction_from, c, k) == expected.corrections[k].from);
    CHECK(c_str(hm_correction_to, c, k) == expected.corrections[k].to);
  }
}

std::string take(char* s, std::size_t len) {
  StringPtr owner(s);
  REQUIRE(s != nullptr);
  CHECK(std::string(s).size() == len);
  return std::string(s, len);
}

}  // namespace

TEST_SUITE("capi/search") {
  TEST_CASE("hits, facets and corrections equal the C++ API's") {
    SmallIndex kb;
    auto cpp = helpmark::Index::open(kb.index());
    REQUIRE(cpp.ok());
    IndexPtr ix = open_index(kb.index());

    struct Case {
      const char* query;
      const char* locale;
      std::size_t offset, limit;
    };
    for (const Case& k : {Case{"refund", "en", 0, 10}, Case{"refnud", "en", 0, 10}, Case{"reembolso", "es", 0, 10},
                          Case{"", "", 0, 3}, Case{"", "", 3, 3}, Case{"payout", "pt-BR", 0, 5},
                          Case{"zzzzqqq", "en", 0, 10}}) {
      CAPTURE(k.query);
      CAPTURE(k.locale);
      RequestPtr req = new_request(k.query);
      REQUIRE(hm_search_request_set_locale(req.get(), k.locale) == HM_OK);
      REQUIRE(hm_search_request_add_facet(req.get(), "journey") == HM_OK);
      REQUIRE(hm_search_request_add_facet(req.get(), "tags") == HM_OK);
      REQUIRE(hm_search_request_add_facet(req.get(), "journey") == HM_OK);  // twice: counted once
      REQUIRE(hm_search_request_set_page(req.get(), k.offset, k.limit) == HM_OK);
      ResultsPtr r = search(ix.get(), req.get());
      auto expected = cpp->search(cpp_request(k.query, k.locale, {"journey", "tags"}, k.offset, k.limit));
      REQUIRE(expected.ok());
      check_same(r.get(), expected.value());
      CHECK(hm_last_error_code() == HM_OK);
      CHECK(std::string(hm_last_error()).empty());
    }
  }

  TEST_CASE("corrections: did you mean, showing results for") {
    SmallIndex kb;
    IndexPtr ix = open_index(kb.index());
    RequestPtr req = new_request("refnud");
    ResultsPtr r = search(ix.get(), req.get());
    CHECK(c_str(hm_results_corrected_query, r.get()) == "refund");
    CHECK(hm_results_auto_corrected(r.get()) == 1);
    REQUIRE(hm_correction_count(r.get()) == 1);
    CHECK(c_str(hm_correction_from, r.get(), 0) == "refnud");
    CHECK(c_str(hm_correction_to, r.get(), 0) == "refund");
    CHECK(hm_results_count(r.get()) > 0);

    SUBCASE("switched off with the spelling layer") {
      REQUIRE(hm_search_request_set_layers(req.get(), HM_LAYER_SYNONYMS | HM_LAYER_FALLBACK) == HM_OK);
      ResultsPtr plain = search(ix.get(), req.get());
      CHECK(c_str(hm_results_corrected_query, plain.get()).empty());
      CHECK(hm_correction_count(plain.get()) == 0);
      CHECK(hm_results_count(plain.get()) == 0);
    }
  }

  TEST_CASE("filters: OR within a field, AND across fields") {
    SmallIndex kb;
    IndexPtr ix = open_index(kb.index());
    auto ids = [&](hm_search_request* req) {
      ResultsPtr r = search(ix.get(), req);
      std::set<std::string> out;
      for (std::size_t i = 0; i < hm_results_count(r.get()); ++i) out.insert(c_str(hm_hit_id, r.get(), i));
      return out;
    };
    RequestPtr req = new_request("");
    REQUIRE(hm_search_request_set_page(req.get(), 0, 100) == HM_OK);
    const auto all = ids(req.get());
    REQUIRE(hm_search_request_add_filter(req.get(), "journey", "returns") == HM_OK);
    const auto returns = ids(req.get());
    CHECK(!returns.empty());
    CHECK(returns.size() < all.size());
    REQUIRE(hm_search_request_add_filter(req.get(), "journey", "sellers") == HM_OK);
    const auto either = ids(req.get());
    CHECK(either.size() > returns.size());
    REQUIRE(hm_search_request_add_filter(req.get(), "audience", "seller") == HM_OK);
    const auto sellers = ids(req.get());
    CHECK(sellers.size() < either.size());
    CHECK(sellers.count("seller-payouts") == 1);
    REQUIRE(hm_search_request_add_filter(req.get(), "tag", "no-such-tag") == HM_OK);
    CHECK(ids(req.get()).empty());
    REQUIRE(hm_search_request_clear_filters(req.get()) == HM_OK);
    CHECK(ids(req.get()) == all);
    REQUIRE(hm_search_request_add_filter(req.get(), "status", "draft") == HM_OK);
    REQUIRE(hm_search_request_add_filter(req.get(), "status", "published") == HM_OK);
    CHECK(ids(req.get()).size() >= all.size());
    REQUIRE(hm_search_request_add_filter(req.get(), "locale", "ja") == HM_OK);
    CHECK(ids(req.get()) == std::set<std::string>{"refund-timing-ja"});  // the Japanese translation itself
  }

  TEST_CASE("BM25 ranking can be chosen") {
    SmallIndex kb;
    IndexPtr ix = open_index(kb.index());
    RequestPtr req = new_request("refund card");
    ResultsPtr lm = search(ix.get(), req.get());
    REQUIRE(hm_search_request_set_ranking(req.get(), HM_RANKING_BM25) == HM_OK);
    ResultsPtr bm25 = search(ix.get(), req.get());
    REQUIRE(hm_results_count(lm.get()) > 0);
    REQUIRE(hm_results_count(bm25.get()) > 0);
    CHECK(hm_hit_xapian_score(lm.get(), 0) != hm_hit_xapian_score(bm25.get(), 0));
    // Fused scores are Xapian's over the best candidate's here (no model in a knowledge base
    // this small): the first hit scores 1 either way.
    CHECK(hm_hit_score(lm.get(), 0) == doctest::Approx(1.0));
    CHECK(std::isnan(hm_hit_model_score(lm.get(), 0)));
    REQUIRE(hm_search_request_set_ranking(req.get(), HM_RANKING_CHOSEN) == HM_OK);
    ResultsPtr chosen = search(ix.get(), req.get());
    CHECK(hm_hit_xapian_score(chosen.get(), 0) == hm_hit_xapian_score(lm.get(), 0));
    CHECK(hm_search_request_set_ranking(req.get(), 7) == HM_EINVALID);
  }

  TEST_CASE("results stay valid after the index is closed") {
    SmallIndex kb;
    hm_index* ix = nullptr;
    REQUIRE(hm_index_open(&ix, kb.index_str().c_str()) == HM_OK);
    RequestPtr req = new_request("refund");
    ResultsPtr r = search(ix, req.get());
    hm_suggestions* s = nullptr;
    REQUIRE(hm_suggest(&s, ix, "how", "en", 5) == HM_OK);
    SuggestionsPtr sp(s);
    hm_index_close(ix);
    CHECK(c_str(hm_hit_id, r.get(), 0) == "refund-timing");
    CHECK(hm_suggestions_count(s) > 0);
  }

  TEST_CASE("reopen picks up a rebuilt index, size counts articles") {
    Kb kb;
    kb.add("a.md", md("id: a\ntitle: Refund timing\njourney: payments\n"));
    kb.build_ok();
    IndexPtr ix = open_index(kb.index_dir());
    std::size_t size = 0;
    REQUIRE(hm_index_size(&size, ix.get()) == HM_OK);
    CHECK(size == 1);
    kb.add("b.md", md("id: b\ntitle: Refund methods\njourney: payments\n"));
    kb.build_ok();
    REQUIRE(hm_index_reopen(ix.get()) == HM_OK);
    REQUIRE(hm_index_size(&size, ix.get()) == HM_OK);
    CHECK(size == 2);
    RequestPtr req = new_request("refund");
    CHECK(hm_results_total(search(ix.get(), req.get()).get()) == 2);
  }

  TEST_CASE("an index being written is still readable (readers are never locked out)") {
    SmallIndex kb;
    Xapian::WritableDatabase writer(kb.index_str(), Xapian::DB_OPEN);  // holds the write lock
    IndexPtr ix = open_index(kb.index());
    RequestPtr req = new_request("refund");
    CHECK(hm_results_count(search(ix.get(), req.get()).get()) > 0);
    CHECK(hm_index_reopen(ix.get()) == HM_OK);
  }
}

TEST_SUITE("capi/json") {
  TEST_CASE("hm_search_json, hm_answer_json, hm_suggest_json, hm_article_json equal helpmark::json") {
    SmallIndex kb;
    auto cpp = helpmark::Index::open(kb.index());
    REQUIRE(cpp.ok());
    IndexPtr ix = open_index(kb.index());

    RequestPtr req = new_request("refund");
    REQUIRE(hm_search_request_set_locale(req.get(), "en") == HM_OK);
    REQUIRE(hm_search_request_add_facet(req.get(), "locale") == HM_OK);
    REQUIRE(hm_search_request_set_page(req.get(), 1, 2) == HM_OK);
    char* out = nullptr;
    std::size_t len = 0;
    REQUIRE(hm_search_json(&out, &len, ix.get(), req.get()) == HM_OK);
    const auto request = cpp_request("refund", "en", {"locale"}, 1, 2);
    CHECK(take(out, len) == helpmark::json::search_response(request, cpp->search(request).value()));

    REQUIRE(hm_answer_json(&out, &len, ix.get(), "my card was declined", "en", nullptr) == HM_OK);
    CHECK(take(out, len) == helpmark::json::answer("my card was declined",
                                                   cpp->answer("my card was declined", "en", {}).value()));

    REQUIRE(hm_suggest_json(&out, nullptr, ix.get(), "ref", "en", 4) == HM_OK);
    CHECK(std::string(StringPtr(out).get()) ==
          helpmark::json::suggestions("ref", cpp->suggest("ref", "en", 4).value()));

    REQUIRE(hm_article_json(&out, &len, ix.get(), "card-declined") == HM_OK);
    CHECK(take(out, len) == helpmark::json::article(cpp->get("card-declined").value()));
    check_failure(hm_article_json(&out, &len, ix.get(), "no-such-article"), HM_ENOTFOUND, "no-such-article");
    CHECK(out == nullptr);
    CHECK(len == 0);
  }
}

TEST_SUITE("capi/answer") {
  TEST_CASE("answer accessors equal the C++ Answer") {
    SmallIndex kb;
    auto cpp = helpmark::Index::open(kb.index());
    REQUIRE(cpp.ok());
    IndexPtr ix = open_index(kb.index());
    for (const char* question : {"when will i get my money back", "card declined", "zzzz qqqq"}) {
      CAPTURE(question);
      hm_answer* a = nullptr;
      REQUIRE(hm_answer_question(&a, ix.get(), question, "en", nullptr) == HM_OK);
      AnswerPtr owner(a);
      const helpmark::Answer e = cpp->answer(question, "en", {}).value();
      CHECK(hm_answer_found(a) == (e.found ? 1 : 0));
      CHECK(hm_answer_escalate(a) == (e.escalate ? 1 : 0));
      CHECK(hm_answer_confidence(a) == e.confidence);
      CHECK(hm_answer_threshold(a) == e.threshold);
      CHECK(c_str(hm_answer_id, a) == e.id);
      CHECK(c_str(hm_answer_title, a) == e.title);
      CHECK(c_str(hm_answer_summary, a) == e.summary);
      CHECK(c_str(hm_answer_locale, a) == e.locale);
      CHECK(c_str(hm_answer_link, a) == e.link);
      CHECK(c_str(hm_answer_steps, a) == e.steps_text);
      CHECK(c_str(hm_answer_steps_markdown, a) == e.steps_markdown);
      CHECK(c_str(hm_answer_troubleshooting, a) == e.troubleshooting_text);
      CHECK(c_str(hm_answer_troubleshooting_markdown, a) == e.troubleshooting_markdown);
      REQUIRE(hm_answer_alternative_count(a) == e.alternatives.size());
      for (std::size_t i = 0; i < e.alternatives.size(); ++i) {
        CHECK(c_str(hm_answer_alternative_id, a, i) == e.alternatives[i].id);
        CHECK(c_str(hm_answer_alternative_title, a, i) == e.alternatives[i].title);
        CHECK(c_str(hm_answer_alternative_locale, a, i) == e.alternatives[i].locale);
        CHECK(hm_answer_alternative_confidence(a, i) == e.alternatives[i].confidence);
      }
      REQUIRE(hm_answer_matched_term_count(a) == e.explanation.matched_terms.size());
      for (std::size_t i = 0; i < e.explanation.matched_terms.size(); ++i)
        CHECK(c_str(hm_answer_matched_term, a, i) == e.explanation.matched_terms[i]);
      REQUIRE(hm_answer_unmatched_term_count(a) == e.explanation.unmatched_terms.size());
      for (std::size_t i = 0; i < e.explanation.unmatched_terms.size(); ++i)
        CHECK(c_str(hm_answer_unmatched_term, a, i) == e.explanation.unmatched_terms[i]);
    }
  }

  TEST_CASE("options: threshold, alternatives, filters, link template") {
    SmallIndex kb;
    IndexPtr ix = open_index(kb.index());
    hm_answer_options* o = nullptr;
    REQUIRE(hm_answer_options_new(&o) == HM_OK);
    OptionsPtr opts(o);
    auto answer = [&] {
      hm_answer* a = nullptr;
      const int rc = hm_answer_question(&a, ix.get(), "when will i get my money back", "en", o);
      REQUIRE_MESSAGE(rc == HM_OK, hm_last_error());
      return AnswerPtr(a);
    };
    const double calibrated = hm_answer_threshold(answer().get());

    REQUIRE(hm_answer_options_set_threshold(o, 1.0) == HM_OK);
    AnswerPtr strict = answer();
    CHECK(hm_answer_threshold(strict.get()) == 1.0);
    CHECK(hm_answer_escalate(strict.get()) == 1);
    REQUIRE(hm_answer_options_set_threshold(o, 0.0) == HM_OK);
    CHECK(hm_answer_escalate(answer().get()) == 0);
    REQUIRE(hm_answer_options_set_threshold(o, -1) == HM_OK);
    CHECK(hm_answer_threshold(answer().get()) == calibrated);

    REQUIRE(hm_answer_options_set_alternatives(o, 0) == HM_OK);
    CHECK(hm_answer_alternative_count(answer().get()) == 0);
    REQUIRE(hm_answer_options_set_alternatives(o, 1) == HM_OK);
    CHECK(hm_answer_alternative_count(answer().get()) <= 1);

    REQUIRE(hm_answer_options_set_link_template(o, "https://help.example.com/{locale}/{id}") == HM_OK);
    CHECK(c_str(hm_answer_link, answer().get()) == "https://help.example.com/en/refund-timing");
    REQUIRE(hm_answer_options_set_link_template(o, nullptr) == HM_OK);
    CHECK(c_str(hm_answer_link, answer().get()) == "/articles/refund-timing");

    REQUIRE(hm_answer_options_add_filter(o, "journey", "sellers") == HM_OK);
    CHECK(c_str(hm_answer_id, answer().get()) != "refund-timing");
    REQUIRE(hm_answer_options_set_layers(o, 0) == HM_OK);
  }

  TEST_CASE("nothing matched: found 0, escalate 1") {
    SmallIndex kb;
    IndexPtr ix = open_index(kb.index());
    hm_answer* a = nullptr;
    REQUIRE(hm_answer_question(&a, ix.get(), "zzzzqqqq xxyyzz", nullptr, nullptr) == HM_OK);
    AnswerPtr owner(a);
    CHECK(hm_answer_found(a) == 0);
    CHECK(hm_answer_escalate(a) == 1);
    CHECK(c_str(hm_answer_id, a).empty());
  }
}

TEST_SUITE("capi/suggest") {
  TEST_CASE("suggestions equal the C++ API's") {
    SmallIndex kb;
    auto cpp = helpmark::Index::open(kb.index());
    REQUIRE(cpp.ok());
    IndexPtr ix = open_index(kb.index());
    for (const char* prefix : {"how lo", "ref", "reembol", "", "zzzz"}) {
      CAPTURE(prefix);
      hm_suggestions* s = nullptr;
      REQUIRE(hm_suggest(&s, ix.get(), prefix, "en", 6) == HM_OK);
      SuggestionsPtr owner(s);
      const auto expected = cpp->suggest(prefix, "en", 6).value();
      REQUIRE(hm_suggestions_count(s) == expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(c_str(hm_suggestion_text, s, i) == expected[i].text);
        CHECK(c_str(hm_suggestion_kind, s, i) == expected[i].kind);
        CHECK(c_str(hm_suggestion_article_id, s, i) == expected[i].article_id);
        CHECK(hm_suggestion_score(s, i) == expected[i].score);
      }
    }
  }
}

TEST_SUITE("capi/tracking") {
  namespace {
  /// Every event of the store, as canonical JSONL lines.
  std::vector<std::string> stored_events(const fs::path& file) {
    helpmark::tracking::StoreOptions o;
    o.read_only = true;
    auto store = helpmark::tracking::EventStore::open(file, o);
    REQUIRE_MESSAGE(store.ok(), store.status().message());
    std::ostringstream out;
    REQUIRE(store->export_jsonl(out).ok());
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) lines.push_back(line);
    return lines;
  }
  }  // namespace

  TEST_CASE("a search, a click linked to it, feedback, a bot answer and a ticket") {
    TempDir dir;
    const fs::path file = dir / "events.sqlite";
    StorePtr store = open_store(file);

    EventPtr search_ev = new_event("search");
    REQUIRE(hm_event_set(search_ev.get(), "session", "s-1") == HM_OK);
    REQUIRE(hm_event_set(search_ev.get(), "ts", "2026-11-01T10:00:00Z") == HM_OK);
    REQUIRE(hm_event_set(search_ev.get(), "query", "refund to jane.doe@example.com") == HM_OK);
    REQUIRE(hm_event_set(search_ev.get(), "locale", "en") == HM_OK);
    REQUIRE(hm_event_add_result(search_ev.get(), "refund-timing") == HM_OK);
    REQUIRE(hm_event_add_result(search_ev.get(), "card-declined") == HM_OK);
    REQUIRE(hm_event_add_filter(search_ev.get(), "journey", "payments") == HM_OK);
    REQUIRE(hm_event_set_int(search_ev.get(), "total", 7) == HM_OK);
    char* search_id = nullptr;
    int duplicate = -1;
    REQUIRE_MESSAGE(hm_event_store_record(&search_id, &duplicate, store.get(), search_ev.get()) == HM_OK,
                    hm_last_error());
    StringPtr search_owner(search_id);
    CHECK(duplicate == 0);
    REQUIRE(search_id != nullptr);
    CHECK(std::string(search_id).size() > 0);

    EventPtr click = new_event("click");
    REQUIRE(hm_event_set(click.get(), "session", "s-1") == HM_OK);
    REQUIRE(hm_event_set(click.get(), "ts", "2026-11-01T10:00:05Z") == HM_OK);
    REQUIRE(hm_event_set(click.get(), "article", "refund-timing") == HM_OK);
    REQUIRE(hm_event_set_int(click.get(), "position", 1) == HM_OK);
    REQUIRE(hm_event_set(click.get(), "search_id", search_id) == HM_OK);
    char* click_id = nullptr;
    REQUIRE(hm_event_store_record(&click_id, &duplicate, store.get(), click.get()) == HM_OK);
    StringPtr click_owner(click_id);
    CHECK(duplicate == 0);
    // A retry: the same id, nothing written.
    char* retry_id = nullptr;
    REQUIRE(hm_event_store_record(&retry_id, &duplicate, store.get(), click.get()) == HM_OK);
    StringPtr retry_owner(retry_id);
    CHECK(duplicate == 1);
    CHECK(std::string(retry_id) == click_id);

    EventPtr feedback = new_event("feedback");
    REQUIRE(hm_event_set(feedback.get(), "session", "s-1") == HM_OK);
    REQUIRE(hm_event_set(feedback.get(), "article", "refund-timing") == HM_OK);
    REQUIRE(hm_event_set_bool(feedback.get(), "helpful", 0) == HM_OK);
    REQUIRE(hm_event_set(feedback.get(), "reason", "call me on +44 20 7946 0958") == HM_OK);
    char* feedback_id = nullptr;
    REQUIRE(hm_event_store_record(&feedback_id, &duplicate, store.get(), feedback.get()) == HM_OK);  // ts: now
    StringPtr feedback_owner(feedback_id);
    CHECK(duplicate == 0);
    // A retry of an event without ts keeps the time stamped on its first record.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    char* feedback_retry = nullptr;
    REQUIRE(hm_event_store_record(&feedback_retry, &duplicate, store.get(), feedback.get()) == HM_OK);
    StringPtr feedback_retry_owner(feedback_retry);
    CHECK(duplicate == 1);
    CHECK(std::string(feedback_retry) == feedback_id);

    EventPtr bot = new_event("bot_answer");
    REQUIRE(hm_event_set(bot.get(), "session", "s-2") == HM_OK);
    REQUIRE(hm_event_set(bot.get(), "ts", "2026-11-01T11:00:00+01:00") == HM_OK);
    REQUIRE(hm_event_set(bot.get(), "question", "where is my refund") == HM_OK);
    REQUIRE(hm_event_set(bot.get(), "article", "refund-timing") == HM_OK);
    REQUIRE(hm_event_set_double(bot.get(), "confidence", 0.75) == HM_OK);
    REQUIRE(hm_event_set_bool(bot.get(), "escalated", 0) == HM_OK);
    REQUIRE(hm_event_set_bool(bot.get(), "accepted", 7) == HM_OK);
    REQUIRE(hm_event_store_record(nullptr, nullptr, store.get(), bot.get()) == HM_OK);

    REQUIRE(hm_event_store_record_json(nullptr, &duplicate, store.get(),
                                       R"({"type":"ticket","ts":"2026-11-01T12:00:00Z","session":"s-2",)"
                                       R"("journey":"payments"})") == HM_OK);
    CHECK(duplicate == 0);
    store.reset();

    const auto lines = stored_events(file);
    REQUIRE(lines.size() == 5);
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    INFO(all);
    CHECK(!contains(all, "jane.doe@example.com"));  // scrubbed before it was stored
    CHECK(contains(all, "<email>"));
    CHECK(!contains(all, "7946 0958"));
    CHECK(contains(all, std::string("\"search_id\":\"") + search_id + "\""));
    CHECK(contains(all, "\"ts\":\"2026-11-01T10:00:00Z\""));  // the bot answer, in UTC
    CHECK(contains(all, "\"confidence\":0.75"));
    CHECK(contains(all, "\"accepted\":true"));
    CHECK(contains(all, "\"filters\":{\"journey\":[\"payments\"]}"));
  }

  TEST_CASE("invalid events are HM_EINPUT with the reason, a batch keeps the valid ones") {
    TempDir dir;
    StorePtr store = open_store(dir / "events.sqlite");
    EventPtr click = new_event("click");
    REQUIRE(hm_event_set(click.get(), "session", "s-1") == HM_OK);
    REQUIRE(hm_event_set(click.get(), "article", "refund-timing") == HM_OK);
    char* id = reinterpret_cast<char*>(1);
    check_failure(hm_event_store_record(&id, nullptr, store.get(), click.get()), HM_EINPUT, "position");
    CHECK(id == nullptr);
    EventPtr view = new_event("view");
    REQUIRE(hm_event_set(view.get(), "session", "s-1") == HM_OK);
    REQUIRE(hm_event_set(view.get(), "article", "refund-timing") == HM_OK);
    REQUIRE(hm_event_set(view.get(), "query", "not for views") == HM_OK);
    check_failure(hm_event_store_record(nullptr, nullptr, store.get(), view.get()), HM_EINPUT, "query");
    REQUIRE(hm_event_set(view.get(), "query", nullptr) == HM_OK);  // cleared: valid again
    REQUIRE(hm_event_store_record(nullptr, nullptr, store.get(), view.get()) == HM_OK);
    check_failure(hm_event_store_record_json(nullptr, nullptr, store.get(), "{\"type\": \"view\""), HM_EINPUT, "");

    const hm_event* batch_events[] = {view.get(), click.get(), view.get()};
    hm_batch* b = nullptr;
    REQUIRE(hm_event_store_record_batch(&b, store.get(), batch_events, 3) == HM_OK);
    BatchPtr batch(b);
    CHECK(hm_batch_count(b) == 3);
    CHECK(hm_batch_rejected(b) == 1);
    CHECK(hm_batch_state(b, 1) == HM_EVENT_REJECTED);
    CHECK(c_str(hm_batch_error, b, 1).find("position") != std::string::npos);
    CHECK(c_str(hm_batch_id, b, 1).empty());
    // The view was stored before (its ts is not the same "now"), or is a duplicate within the batch.
    CHECK(hm_batch_state(b, 0) != HM_EVENT_REJECTED);
    CHECK(hm_batch_state(b, 2) != HM_EVENT_REJECTED);
    CHECK(hm_batch_stored(b) + hm_batch_duplicates(b) == 2);
    CHECK(hm_batch_state(b, 3) == -1);

    hm_batch* empty = nullptr;
    REQUIRE(hm_event_store_record_batch(&empty, store.get(), nullptr, 0) == HM_OK);
    CHECK(hm_batch_count(empty) == 0);
    hm_batch_free(empty);
  }

  TEST_CASE("read-only stores refuse writes, a busy store is HM_ELOCKED") {
    TempDir dir;
    const fs::path file = dir / "events.sqlite";
    open_store(file).reset();  // create it

    StorePtr ro = open_store(file, HM_STORE_READ_ONLY);
    EventPtr view = new_event("view");
    REQUIRE(hm_event_set(view.get(), "session", "s-1") == HM_OK);
    REQUIRE(hm_event_set(view.get(), "article", "a") == HM_OK);
    check_failure(hm_event_store_record(nullptr, nullptr, ro.get(), view.get()), HM_EINVALID, "read-only");

    // Another connection holds the write lock; our write gives up after 50 ms.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    StorePtr busy = open_store(file, HM_STORE_SYNC_NORMAL, 50);
    check_failure(hm_event_store_record(nullptr, nullptr, busy.get(), view.get()), HM_ELOCKED, "busy");
    REQUIRE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    CHECK(hm_event_store_record(nullptr, nullptr, busy.get(), view.get()) == HM_OK);
  }

  TEST_CASE("privacy file: extra patterns are scrubbed, a bad file is an error") {
    TempDir dir;
    const fs::path file = dir / "events.sqlite";
    write_file(dir / "privacy.yaml", "patterns:\n  - {name: order, regex: 'ORD-\\d{4,}'}\n");
    hm_event_store* s = nullptr;
    // NULL: the CLI's default, privacy.yaml beside the store.
    REQUIRE(hm_event_store_open(&s, file.c_str(), 0, nullptr, -1) == HM_OK);
    StorePtr store(s);
    EventPtr search_ev = new_event("search");
    REQUIRE(hm_event_set(search_ev.get(), "session", "s-1") == HM_OK);
    REQUIRE(hm_event_set(search_ev.get(), "query", "where is ORD-123456") == HM_OK);
    REQUIRE(hm_event_store_record(nullptr, nullptr, store.get(), search_ev.get()) == HM_OK);
    store.reset();
    const auto lines = stored_events(file);
    REQUIRE(lines.size() == 1);
    CHECK(contains(lines[0], "<order>"));

    write_file(dir / "bad.yaml", "patterns: 12\n");
    check_failure(hm_event_store_open(&s, file.c_str(), 0, (dir / "bad.yaml").c_str(), -1), HM_EINPUT, "bad.yaml");
    CHECK(s == nullptr);
    check_failure(hm_event_store_open(&s, file.c_str(), 0, (dir / "missing.yaml").c_str(), -1), HM_ENOTFOUND,
                  "missing.yaml");
  }
}
