// Metrics checked by hand on tests/data/tracking/fixture.jsonl (11 sessions, 26 events; the
// walk-through of every number is in the comments), then the deflection window's edges, query
// grouping, filters and the output formats.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tracking/report.hpp"
#include "util/display_width.hpp"
#include "tracking_util.hpp"

namespace fs = std::filesystem;

using helpmark::tracking::ArticleMeta;
using helpmark::tracking::Counts;
using helpmark::tracking::Event;
using helpmark::tracking::EventStore;
using helpmark::tracking::GroupMetrics;
using helpmark::tracking::QueryMetrics;
using helpmark::tracking::Report;
using helpmark::tracking::ReportOptions;
using helpmark::tracking::parse_timestamp;

namespace {

constexpr std::int64_t kHour = 3600 * 1000;

ReportOptions fixture_options() {
  ReportOptions o;
  o.top = 0;
  o.article_lookup = [](const std::string& id) -> std::optional<ArticleMeta> {
    static const std::map<std::string, ArticleMeta> kArticles = {
        {"refund-timing", {"How long a refund takes", "payments", "en"}},
        {"refund-not-received", {"You haven't received your refund", "payments", "en"}},
        {"refund-to-expired-card", {"Refund to an expired card", "payments", "en"}},
        {"return-policy", {"Return policy", "returns", "en"}},
        {"payout-schedule", {"Seller payout schedule", "sellers", "en"}},
    };
    auto it = kArticles.find(id);
    if (it == kArticles.end()) return std::nullopt;
    return it->second;
  };
  return o;
}

struct Fixture {
  hmtest::TempDir dir;
  EventStore store = hmtest::open_store(dir / "events.sqlite");
  Fixture() { hmtest::import_ok(store, hmtest::kTrackingData / "fixture.jsonl"); }
  Report report(const ReportOptions& o = fixture_options()) {
    auto r = store.report(o);
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    return r.value();
  }
};

const helpmark::tracking::ArticleMetrics& article(const Report& r, const std::string& id) {
  for (const auto& a : r.articles)
    if (a.article == id) return a;
  FAIL("no article " << id);
  throw 0;
}

const QueryMetrics& query(const std::vector<QueryMetrics>& list, const std::string& locale, const std::string& key) {
  for (const auto& q : list)
    if (q.locale == locale && q.key == key) return q;
  FAIL("no query group " << locale << "/" << key);
  throw 0;
}

const Counts& group(const std::vector<GroupMetrics>& groups, const std::string& value) {
  for (const auto& g : groups)
    if (g.value == value) return g.counts;
  FAIL("no group " << value);
  throw 0;
}

std::vector<std::string> article_order(const Report& r) {
  std::vector<std::string> ids;
  for (const auto& a : r.articles) ids.push_back(a.article);
  return ids;
}

}  // namespace

TEST_SUITE("tracking/report") {
  TEST_CASE("totals of the fixture, counted by hand") {
    Fixture f;
    const Report r = f.report();
    const Counts& t = r.totals;
    CHECK(t.sessions == 11);
    CHECK(t.searches == 9);               // A B C (s1,s2) D E (s3) F (s4) G (s7) H (s8) I (s11)
    CHECK(t.zero_result_searches == 4);   // D E G H
    CHECK(t.clicked_searches == 2);       // A (click names it), C (latest search before the click)
    CHECK(t.refined_searches == 2);       // B (C 60 s later), D (E 10 s later)
    CHECK(t.abandoned_searches == 4);     // F G H I: not refined, no click or view after them
    CHECK(t.clicks == 2);
    CHECK(t.views == 5);                  // s1 s2 s3 s6 s11
    CHECK(t.helpful_yes == 1);
    CHECK(t.helpful_no == 1);
    CHECK(t.bot_answers == 3);
    CHECK(t.bot_accepted == 1);
    CHECK(t.bot_escalated == 2);
    CHECK(t.tickets == 5);                // s2 s3 s6 s7 s10
    // Viewing sessions: s1 deflected; s2 ticket 9 h after; s3 ticket exactly 24 h after (the end
    // is inclusive); s6 ticket 24 h + 1 ms after: deflected; s11 viewed 1 h before the newest
    // event in the store: its window is not over, pending.
    CHECK(t.deflection.viewing_sessions == 5);
    CHECK(t.deflection.deflected == 2);
    CHECK(t.deflection.ticketed == 2);
    CHECK(t.deflection.pending == 1);
    CHECK(t.deflection.rate() == doctest::Approx(0.5));
    CHECK(r.first_event == "2026-11-01T10:00:00Z");
    CHECK(r.last_event == "2026-11-10T00:00:00Z");
    CHECK(r.horizon == "2026-11-10T00:00:00Z");
  }

  TEST_CASE("per article, counted by hand") {
    Fixture f;
    const Report r = f.report();
    CHECK(article_order(r) == std::vector<std::string>{"refund-timing", "refund-to-expired-card", "payout-schedule",
                                                        "return-policy", "refund-not-received"});
    const auto& rt = article(r, "refund-timing");
    CHECK(rt.title == "How long a refund takes");
    CHECK(rt.journey == "payments");
    CHECK(rt.impressions == 4);  // listed by A, B, C and I
    CHECK(rt.clicks == 1);
    CHECK(rt.ctr() == doctest::Approx(0.25));
    CHECK(rt.mean_click_position() == doctest::Approx(1.0));
    CHECK(rt.views == 2);
    CHECK(rt.helpful_ratio() == doctest::Approx(1.0));
    CHECK(rt.bot_answers == 1);
    CHECK(rt.bot_accepted == 1);
    CHECK(rt.deflection.viewing_sessions == 2);  // s1 (deflected), s11 (pending)
    CHECK(rt.deflection.deflected == 1);
    CHECK(rt.deflection.pending == 1);
    CHECK(rt.deflection.rate() == doctest::Approx(1.0));

    const auto& card = article(r, "refund-to-expired-card");
    CHECK(card.impressions == 1);
    CHECK(card.clicks == 1);
    CHECK(card.mean_click_position() == doctest::Approx(2.0));
    CHECK(card.helpful_yes == 0);
    CHECK(card.helpful_no == 1);
    CHECK(card.helpful_ratio() == doctest::Approx(0.0));
    CHECK(card.deflection.ticketed == 1);  // tickets after viewing it
    CHECK(card.deflection.rate() == doctest::Approx(0.0));

    const auto& payout = article(r, "payout-schedule");
    CHECK(payout.journey == "sellers");
    CHECK(payout.impressions == 1);
    CHECK(payout.ctr() == doctest::Approx(0.0));
    CHECK_FALSE(payout.mean_click_position().has_value());
    CHECK(payout.deflection.deflected == 1);

    const auto& policy = article(r, "return-policy");
    CHECK_FALSE(policy.ctr().has_value());  // never listed in search results
    CHECK(policy.deflection.ticketed == 1);

    const auto& not_received = article(r, "refund-not-received");
    CHECK(not_received.impressions == 1);
    CHECK(not_received.views == 0);
    CHECK_FALSE(not_received.deflection.rate().has_value());
    CHECK_FALSE(not_received.helpful_ratio().has_value());
  }

  TEST_CASE("per query: normalised groups, zero results, refined and abandoned") {
    Fixture f;
    const Report r = f.report();
    REQUIRE(r.queries.size() == 6);
    // "refunds" (s2) and "refund" (s11) are one group.
    const auto& refund = query(r.queries, "en", "refund");
    CHECK(refund.searches == 2);
    CHECK(refund.sessions == 2);
    CHECK(refund.clicked == 0);  // s2's click belongs to its later search
    CHECK(refund.refined == 1);
    CHECK(refund.abandoned == 1);
    CHECK(refund.text == "refund");
    REQUIRE(refund.variants.size() == 2);
    // "devolución tarde" and "devolucion tarde" (typed without the accent) are one group.
    const auto& devolucion = query(r.queries, "es", "devolu tard");
    CHECK(devolucion.searches == 2);
    CHECK(devolucion.sessions == 1);
    CHECK(devolucion.zero_results == 2);
    CHECK(devolucion.refined == 1);
    CHECK(devolucion.abandoned == 0);  // the second was followed by a view
    const auto& klarna = query(r.queries, "en", "klarna");
    CHECK(klarna.searches == 2);
    CHECK(klarna.abandoned == 2);
    CHECK(query(r.queries, "en", "late refund").clicked == 1);
    CHECK(query(r.queries, "en", "card refund").clicked == 1);
    CHECK(query(r.queries, "en", "payout schedul").abandoned == 1);
    // Order: most searched first, ties by locale and key.
    CHECK(r.queries[0].key == "klarna");
    CHECK(r.queries[1].key == "refund");
    CHECK(r.queries[2].key == "devolu tard");

    REQUIRE(r.zero_result_queries.size() == 2);
    CHECK(r.zero_result_queries[0].key == "klarna");
    CHECK(r.zero_result_queries[1].key == "devolu tard");
    CHECK(r.low_click_queries.empty());  // nothing searched 3 times

    ReportOptions o = fixture_options();
    o.low_click_min_searches = 1;
    const Report low = f.report(o);
    REQUIRE(low.low_click_queries.size() == 2);
    CHECK(low.low_click_queries[0].key == "refund");
    CHECK(low.low_click_queries[1].key == "payout schedul");
  }

  TEST_CASE("content gaps with the journey they most likely belong to") {
    Fixture f;
    const Report r = f.report();
    REQUIRE(r.content_gaps.size() == 3);
    const auto& klarna = r.content_gaps[0];
    CHECK(klarna.key == "klarna");
    CHECK(klarna.zero_result_searches == 2);
    CHECK(klarna.sessions == 2);
    CHECK(klarna.ticket_sessions == 1);     // s7 asked support 5 s later...
    CHECK(klarna.journey == "payments");    // ...about payments
    CHECK(klarna.journey_basis == "sessions");
    const auto& pay = r.content_gaps[1];
    CHECK(pay.key == "klarna pay");         // "can I pay with klarna", "Can I pay with Klarna?"
    CHECK(pay.escalated_questions == 2);
    CHECK(pay.zero_result_searches == 0);
    CHECK(pay.ticket_sessions == 1);
    CHECK(pay.journey == "payments");
    const auto& es = r.content_gaps[2];
    CHECK(es.locale == "es");
    CHECK(es.journey == "returns");         // s3 read the return policy next
    CHECK(es.ticket_sessions == 0);         // its ticket came 24 h 5 min later

    ReportOptions o = fixture_options();
    o.min_gap_count = 3;
    CHECK(f.report(o).content_gaps.empty());

    // Without evidence from the sessions, the guesser (an index search in the CLI) decides.
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    for (const char* s : {"x1", "x2"})
      REQUIRE(store.record(hmtest::event(std::string(R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":")") + s +
                                         R"(","query":"crypto wallet","total":0})")).ok());
    ReportOptions g = fixture_options();
    auto plain = store.report(g);
    REQUIRE(plain->content_gaps.size() == 1);
    CHECK(plain->content_gaps[0].journey == "unknown");
    CHECK(plain->content_gaps[0].journey_basis == "none");
    g.journey_guesser = [](const std::string& text, const std::string&) {
      return text == "crypto wallet" ? std::string("payments") : std::string();
    };
    auto guessed = store.report(g);
    CHECK(guessed->content_gaps[0].journey == "payments");
    CHECK(guessed->content_gaps[0].journey_basis == "index");
  }

  TEST_CASE("per journey, locale and audience") {
    Fixture f;
    const Report r = f.report();
    std::vector<std::string> journeys;
    for (const auto& g : r.journeys) journeys.push_back(g.value);
    CHECK(journeys == std::vector<std::string>{"unknown", "payments", "returns", "sellers"});
    const Counts& pay = group(r.journeys, "payments");
    CHECK(pay.sessions == 6);   // s1 s2 s5 s7 s10 s11
    CHECK(pay.searches == 2);   // A and C, resolved by the article clicked after them
    CHECK(pay.views == 3);
    CHECK(pay.tickets == 3);    // s2 s7 s10 named payments
    CHECK(pay.deflection.viewing_sessions == 3);
    CHECK(pay.deflection.deflected == 1);
    CHECK(pay.deflection.ticketed == 1);
    CHECK(pay.deflection.pending == 1);
    const Counts& ret = group(r.journeys, "returns");
    CHECK(ret.tickets == 1);    // s3's ticket names no journey: it follows the article read last
    CHECK(ret.searches == 1);
    CHECK(group(r.journeys, "sellers").deflection.deflected == 1);
    CHECK(group(r.journeys, "unknown").searches == 6);

    CHECK(group(r.locales, "en").sessions == 10);
    CHECK(group(r.locales, "en").searches == 7);
    CHECK(group(r.locales, "en").tickets == 4);
    CHECK(group(r.locales, "es").sessions == 1);
    CHECK(group(r.locales, "es").zero_result_searches == 2);

    CHECK(group(r.audiences, "buyer").sessions == 3);
    CHECK(group(r.audiences, "seller").sessions == 2);
    CHECK(group(r.audiences, "unknown").sessions == 6);
  }

  TEST_CASE("over time: one bucket per day, quiet days included") {
    Fixture f;
    const Report r = f.report();
    CHECK(r.bucket == "day");
    REQUIRE(r.time.size() == 10);
    CHECK(r.time.front().value == "2026-11-01");
    CHECK(r.time.back().value == "2026-11-10");
    CHECK(r.time[0].counts.searches == 3);
    CHECK(r.time[0].counts.tickets == 1);
    CHECK(r.time[1].counts.zero_result_searches == 2);
    CHECK(r.time[4].counts.tickets == 2);  // 2026-11-05
    CHECK(r.time[7].counts.sessions == 0);  // 2026-11-08: nothing happened
    std::size_t tickets = 0;
    for (const auto& b : r.time) tickets += b.counts.tickets;
    CHECK(tickets == 5);
    ReportOptions o = fixture_options();
    o.bucket = helpmark::tracking::Bucket::kWeek;
    const Report weekly = f.report(o);
    REQUIRE(weekly.time.size() == 3);
    CHECK(weekly.time[0].value == "2026-10-26");  // the Monday before Sunday 2026-11-01
    CHECK(weekly.time[1].value == "2026-11-02");
    CHECK(weekly.time[2].value == "2026-11-09");
    CHECK(weekly.time[0].counts.searches == 3);
  }

  TEST_CASE("filters: locale, journey, audience") {
    Fixture f;
    ReportOptions o = fixture_options();
    o.locale = "es";
    Report es = f.report(o);
    CHECK(es.totals.sessions == 1);
    CHECK(es.totals.searches == 2);
    CHECK(es.totals.tickets == 1);
    CHECK(article_order(es) == std::vector<std::string>{"return-policy"});
    REQUIRE(es.queries.size() == 1);
    CHECK(es.queries[0].key == "devolu tard");

    o = fixture_options();
    o.journey = "payments";
    Report pay = f.report(o);
    CHECK(pay.totals.sessions == 6);
    CHECK(pay.totals.searches == 2);
    CHECK(article_order(pay) == std::vector<std::string>{"refund-timing", "refund-to-expired-card", "refund-not-received"});
    CHECK(article(pay, "refund-timing").impressions == 2);  // only A and C are payments searches

    o = fixture_options();
    o.audience = "seller";
    Report seller = f.report(o);
    CHECK(seller.totals.sessions == 2);
    CHECK(seller.totals.searches == 1);
    CHECK(seller.totals.deflection.deflected == 1);

    o.audience = "nobody";
    Report none = f.report(o);
    CHECK(none.totals.sessions == 0);
    CHECK(none.first_event.empty());
    CHECK(hmtest::contains(helpmark::tracking::report_to_text(none), "No events in this range matching the filters"));
  }

  TEST_CASE("time range: tickets after the range still decide deflection") {
    Fixture f;
    ReportOptions o = fixture_options();
    o.from_ms = parse_timestamp("2026-11-02T00:00:00Z");
    o.to_ms = parse_timestamp("2026-11-05T00:00:00Z");
    Report r = f.report(o);
    CHECK(r.totals.sessions == 4);  // s3 s4 s5 s6
    CHECK(r.totals.searches == 3);
    CHECK(r.totals.views == 2);
    CHECK(r.totals.tickets == 1);   // s6's ticket is after the range
    CHECK(r.totals.deflection.ticketed == 1);
    CHECK(r.totals.deflection.deflected == 1);
    CHECK(r.time.size() == 3);

    o.to_ms = parse_timestamp("2026-11-03T00:00:00Z");
    Report day = f.report(o);
    CHECK(day.totals.tickets == 0);
    CHECK(day.totals.deflection.viewing_sessions == 1);
    CHECK(day.totals.deflection.ticketed == 1);  // s3's ticket, next day, inside the 24 h window
  }

  TEST_CASE("the deflection window is configurable and its edges are exact") {
    Fixture f;
    ReportOptions o = fixture_options();
    SUBCASE("25 h: s6's ticket (24 h + 1 ms) now counts") {
      o.deflection_window_ms = 25 * kHour;
      const auto& d = f.report(o).totals.deflection;
      CHECK(d.deflected == 1);
      CHECK(d.ticketed == 3);
      CHECK(d.pending == 1);
    }
    SUBCASE("1 h: every ticket is too late; s11's window ends exactly at the newest event, so it is decided") {
      o.deflection_window_ms = 1 * kHour;
      const auto& d = f.report(o).totals.deflection;
      CHECK(d.deflected == 5);
      CHECK(d.ticketed == 0);
      CHECK(d.pending == 0);
    }
    SUBCASE("24 h minus 1 ms: s3's ticket at exactly 24 h no longer counts") {
      o.deflection_window_ms = 24 * kHour - 1;
      const auto& d = f.report(o).totals.deflection;
      CHECK(d.ticketed == 1);
      CHECK(d.deflected == 3);
    }
  }

  TEST_CASE("deflection edge cases in one session") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    auto add = [&](const std::string& json) { REQUIRE(store.record(hmtest::event(json)).ok()); };
    // t1: ticket before the view does not count; t2: two views, the window runs from the first;
    // t3: a ticket at the same instant as the view counts.
    add(R"({"type":"ticket","ts":"2026-01-01T09:00:00Z","session":"t1"})");
    add(R"({"type":"view","ts":"2026-01-01T10:00:00Z","session":"t1","article":"a"})");
    add(R"({"type":"view","ts":"2026-01-01T10:00:00Z","session":"t2","article":"a"})");
    add(R"({"type":"view","ts":"2026-01-01T20:00:00Z","session":"t2","article":"a"})");
    add(R"({"type":"ticket","ts":"2026-01-02T11:00:00Z","session":"t2"})");
    add(R"({"type":"view","ts":"2026-01-01T10:00:00Z","session":"t3","article":"a"})");
    add(R"({"type":"ticket","ts":"2026-01-01T10:00:00Z","session":"t3"})");
    add(R"({"type":"ticket","ts":"2026-02-01T00:00:00Z","session":"late"})");  // moves the horizon
    ReportOptions o;
    const auto r = store.report(o);
    REQUIRE(r.ok());
    const auto& d = r->articles.front().deflection;
    CHECK(d.viewing_sessions == 3);
    CHECK(d.deflected == 2);  // t1, t2 (25 h after the first view)
    CHECK(d.ticketed == 1);   // t3
    CHECK(d.pending == 0);
  }

  TEST_CASE("an empty store gives an empty report, not an error") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    auto r = store.report(ReportOptions{});
    REQUIRE(r.ok());
    CHECK(r->totals.sessions == 0);
    CHECK(r->articles.empty());
    CHECK(r->time.empty());
    CHECK(hmtest::contains(helpmark::tracking::report_to_text(r.value()), "No events in this range"));
    CHECK(nlohmann::json::parse(helpmark::tracking::report_to_json(r.value()))["totals"]["sessions"] == 0);
    CHECK(hmtest::contains(helpmark::tracking::report_to_html(r.value()), "No events in this range"));
  }

  TEST_CASE("query normalisation groups plurals, case, accents and word order") {
    helpmark::tracking::detail::QueryNormalizer n;
    const std::pair<const char*, const char*> same[] = {
        {"Refund", "refunds"}, {"refund late", "Late refunds!"}, {"devolución", "devolucion"},
        {"devoluciones", "devolucion"}, {"remboursement carte", "Remboursements de la carte"}};
    for (const auto& [a, b] : same) {
      n.add("en", a);
      n.add("en", b);
    }
    for (const char* locale : {"es", "fr", "de"})
      for (const auto& [a, b] : same) {
        n.add(locale, a);
        n.add(locale, b);
      }
    n.finish();
    CHECK(n.key("en", "Refund") == n.key("en", "refunds"));
    CHECK(n.key("en", "refund late") == n.key("en", "Late refunds!"));
    CHECK(n.key("es", "devolución") == n.key("es", "devolucion"));
    CHECK(n.key("es", "devoluciones") == n.key("es", "devolucion"));
    CHECK(n.key("fr", "remboursement carte") == n.key("fr", "Remboursements de la carte"));
    CHECK(n.key("en", "refund") != n.key("en", "return"));
    CHECK(n.key("en", "the") == "the");  // only stop words: keep them rather than nothing
  }

  TEST_CASE("outputs: JSON parses, CSV quotes and defuses formulas, HTML escapes and loads nothing") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    hmtest::import_ok(store, hmtest::kTrackingData / "fixture.jsonl");
    REQUIRE(store.record(hmtest::event(R"({"type":"search","ts":"2026-11-02T10:00:00Z","session":"x","query":"<script>alert(1)</script> \"quoted\", =cmd|' /C calc'!A0","total":0})")).ok());
    REQUIRE(store.record(hmtest::event(R"({"type":"search","ts":"2026-11-02T10:00:01Z","session":"y","query":"<script>alert(1)</script> \"quoted\", =cmd|' /C calc'!A0","total":0})")).ok());
    auto r = store.report(fixture_options());
    REQUIRE(r.ok());

    auto j = nlohmann::json::parse(helpmark::tracking::report_to_json(r.value()));
    CHECK(j["totals"]["searches"] == 11);
    CHECK(j["articles"][0]["article"] == "refund-timing");
    CHECK(j["articles"][0]["deflection"]["rate"] == 1.0);
    CHECK(j["articles"][4]["deflection"]["rate"].is_null());
    CHECK(j["settings"]["deflection_window_ms"] == 86400000);
    CHECK(j["content_gaps"].size() == 4);

    for (const auto& table : helpmark::tracking::report_tables()) {
      INFO(table);
      auto csv = helpmark::tracking::report_to_csv(r.value(), table);
      REQUIRE(csv.ok());
      CHECK(hmtest::contains(csv.value(), "\r\n"));
    }
    auto queries = helpmark::tracking::report_to_csv(r.value(), "zero-results").value();
    CHECK(hmtest::contains(queries, "\"<script>alert(1)</script> \"\"quoted\"\", =cmd|' /C calc'!A0\""));
    CHECK_FALSE(helpmark::tracking::report_to_csv(r.value(), "nope").ok());

    const std::string html = helpmark::tracking::report_to_html(r.value());
    CHECK_FALSE(hmtest::contains(html, "<script"));
    CHECK(hmtest::contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK_FALSE(hmtest::contains(html, "src="));
    CHECK_FALSE(hmtest::contains(html, "href="));
    CHECK_FALSE(hmtest::contains(html, "url("));
    CHECK(hmtest::contains(html, "<svg"));
    CHECK(hmtest::contains(html, "Content-Security-Policy"));

    const std::string text = helpmark::tracking::report_to_text(r.value());
    CHECK(hmtest::contains(text, "refund-timing"));
    CHECK(hmtest::contains(text, "Content gaps"));
  }

  TEST_CASE("CSV cells that would run as spreadsheet formulas are prefixed") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    REQUIRE(store.record(hmtest::event(R"J({"type":"search","ts":"2026-11-02T10:00:00Z","session":"x","query":"=HYPERLINK(\"x\")","total":0})J")).ok());
    REQUIRE(store.record(hmtest::event(R"J({"type":"search","ts":"2026-11-02T10:00:01Z","session":"x","query":"@SUM(A1)","total":0})J")).ok());
    auto r = store.report(ReportOptions{});
    auto csv = helpmark::tracking::report_to_csv(r.value(), "queries").value();
    CHECK(hmtest::contains(csv, "\"'=HYPERLINK(\"\"x\"\")\""));
    CHECK(hmtest::contains(csv, ",'@SUM(A1),"));
  }

  TEST_CASE("translations of one article are one row, with a row per translation") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    for (const char* e : {
             R"({"type":"search","ts":"2026-11-02T10:00:00Z","session":"a","locale":"en","query":"refund","total":1,"results":["refund-timing"]})",
             R"({"type":"view","ts":"2026-11-02T10:00:05Z","session":"a","article":"refund-timing"})",
             R"({"type":"search","ts":"2026-11-02T11:00:00Z","session":"b","locale":"es","query":"reembolso","total":1,"results":["plazo-reembolso"]})",
             R"({"type":"view","ts":"2026-11-02T11:00:05Z","session":"b","article":"plazo-reembolso"})",
             R"({"type":"feedback","ts":"2026-11-02T11:01:00Z","session":"b","article":"plazo-reembolso","helpful":false,"reason_code":"outdated"})",
             // One visitor reads both translations: one session for the group's deflection.
             R"({"type":"view","ts":"2026-11-02T12:00:00Z","session":"c","article":"plazo-reembolso"})",
             R"({"type":"view","ts":"2026-11-02T12:00:30Z","session":"c","article":"refund-timing"})",
             R"({"type":"ticket","ts":"2026-11-02T13:00:00Z","session":"c"})",
             R"({"type":"view","ts":"2026-11-02T14:00:00Z","session":"d","article":"payout-schedule"})",
             R"({"type":"view","ts":"2026-11-05T14:00:00Z","session":"z","article":"payout-schedule"})"})
      REQUIRE(store.record(hmtest::event(e)).ok());
    ReportOptions o;
    o.article_lookup = [](const std::string& id) -> std::optional<ArticleMeta> {
      if (id == "refund-timing") return ArticleMeta{"How long a refund takes", "payments", "en", "refund-timing"};
      if (id == "plazo-reembolso") return ArticleMeta{"Plazo de un reembolso", "payments", "es", "refund-timing"};
      if (id == "payout-schedule") return ArticleMeta{"Payout schedule", "sellers", "en", ""};
      return std::nullopt;
    };
    auto r = store.report(o);
    REQUIRE(r.ok());
    CHECK(article_order(r.value()) == std::vector<std::string>{"refund-timing", "payout-schedule"});
    const auto& group = article(r.value(), "refund-timing");
    CHECK(group.title == "How long a refund takes");
    CHECK(group.locale.empty());
    CHECK(group.views == 4);
    CHECK(group.impressions == 2);
    CHECK(group.helpful_no == 1);
    CHECK(group.unhelpful_reasons.at("outdated") == 1);
    CHECK(group.deflection.viewing_sessions == 3);  // a, b, c: c read both, counted once
    CHECK(group.deflection.ticketed == 1);
    CHECK(group.deflection.deflected == 2);
    REQUIRE(group.translations.size() == 2);
    CHECK(group.translations[0].article == "plazo-reembolso");  // most viewed first
    CHECK(group.translations[0].locale == "es");
    CHECK(group.translations[0].views == 2);
    CHECK(group.translations[1].article == "refund-timing");
    CHECK(group.translations[1].views == 2);
    CHECK(group.translations[1].deflection.viewing_sessions == 2);
    CHECK(article(r.value(), "payout-schedule").translations.empty());

    const std::string text = helpmark::tracking::report_to_text(r.value());
    CHECK(hmtest::contains(text, "refund-timing (2 locales)"));
    CHECK(hmtest::contains(text, "  es plazo-reembolso"));
    auto j = nlohmann::json::parse(helpmark::tracking::report_to_json(r.value()));
    CHECK(j["articles"][0]["translations"].size() == 2);
    CHECK(j["articles"][0]["locale"].is_null());
    CHECK(j["articles"][1].count("translations") == 0);
    CHECK(hmtest::contains(helpmark::tracking::report_to_csv(r.value(), "articles").value(), "es 2 views, en 2 views"));
    CHECK(hmtest::contains(helpmark::tracking::report_to_html(r.value()), "↳ plazo-reembolso"));
  }

  TEST_CASE("searches without a locale count under 'all', not the session's first language") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    for (const char* e : {
             R"({"type":"search","ts":"2026-11-02T10:00:00Z","session":"a","locale":"en","query":"refund","total":1,"results":["refund-timing"]})",
             R"({"type":"search","ts":"2026-11-02T10:01:00Z","session":"a","query":"へんきん","total":0})",
             R"({"type":"search","ts":"2026-11-02T10:02:00Z","session":"b","query":"Refunds","total":1,"results":["refund-timing"]})",
             R"({"type":"view","ts":"2026-11-02T10:02:10Z","session":"b","article":"refund-timing"})"})
      REQUIRE(store.record(hmtest::event(e)).ok());
    auto r = store.report(ReportOptions{});
    REQUIRE(r.ok());
    CHECK(group(r->locales, "en").searches == 1);
    CHECK(group(r->locales, "all").searches == 2);
    REQUIRE(r->zero_result_queries.size() == 1);
    CHECK(r->zero_result_queries[0].locale == "all");
    CHECK(r->zero_result_queries[0].text == "へんきん");
    CHECK(query(r->queries, "all", "refund").searches == 1);  // grouped with the default locale's stems
    ReportOptions all;
    all.locale = "all";
    auto only = store.report(all);
    REQUIRE(only.ok());
    CHECK(only->totals.searches == 2);
    CHECK(only->totals.views == 0);  // the view speaks no language of its own and its session none
  }

  TEST_CASE("with a start, the headline figures are compared with the period before") {
    Fixture f;
    ReportOptions o = fixture_options();
    o.from_ms = parse_timestamp("2026-11-06T00:00:00Z");
    o.to_ms = parse_timestamp("2026-11-11T00:00:00Z");
    const Report r = f.report(o);
    REQUIRE(r.previous.has_value());
    CHECK(r.previous->from == "2026-11-01T00:00:00Z");
    CHECK(r.previous->to == "2026-11-06T00:00:00Z");
    CHECK(r.totals.searches == 2);             // H, I
    CHECK(r.previous->totals.searches == 7);   // A .. G
    // The same figures as a report of the previous period itself.
    ReportOptions before = fixture_options();
    before.from_ms = parse_timestamp("2026-11-01T00:00:00Z");
    before.to_ms = parse_timestamp("2026-11-06T00:00:00Z");
    const Report p = f.report(before);
    CHECK(r.previous->totals.sessions == p.totals.sessions);
    CHECK(r.previous->totals.tickets == p.totals.tickets);
    CHECK(r.previous->totals.deflection.deflected == p.totals.deflection.deflected);
    CHECK(r.previous->totals.zero_result_searches == p.totals.zero_result_searches);

    const std::string text = helpmark::tracking::report_to_text(r);
    CHECK(hmtest::contains(text, "Compared with the previous period (2026-11-01T00:00:00Z .. 2026-11-06T00:00:00Z)"));
    CHECK(hmtest::contains(text, "-5"));
    auto j = nlohmann::json::parse(helpmark::tracking::report_to_json(r));
    CHECK(j["previous"]["totals"]["searches"] == 7);
    CHECK(hmtest::contains(helpmark::tracking::report_to_html(r), "Compared with the previous period"));

    // An open end is the newest event (2026-11-10T00:00:00Z) plus 1 ms.
    o.to_ms.reset();
    const Report open = f.report(o);
    REQUIRE(open.previous.has_value());
    CHECK(open.previous->from == "2026-11-01T23:59:59.999Z");
    // No start: nothing to compare with.
    CHECK_FALSE(f.report().previous.has_value());
    o.compare_previous = false;
    CHECK_FALSE(f.report(o).previous.has_value());
  }

  TEST_CASE("one chart alone as SVG; long labels wrap instead of being cut") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    const std::string long_query = "can I pay in instalments with a card from another country";
    REQUIRE(store.record(hmtest::event(R"({"type":"search","ts":"2026-11-02T10:00:00Z","session":"a","locale":"en","query":")" +
                                       long_query + R"(","total":0})")).ok());
    REQUIRE(store.record(hmtest::event(R"({"type":"search","ts":"2026-11-02T10:01:00Z","session":"b","locale":"ja","query":"分割払いはできますか","total":0})")).ok());
    auto r = store.report(ReportOptions{});
    REQUIRE(r.ok());
    auto svg = helpmark::tracking::report_chart_svg(r.value(), "queries");
    REQUIRE(svg.ok());
    CHECK(svg.value().rfind("<?xml", 0) == 0);
    CHECK(hmtest::contains(svg.value(), "xmlns=\"http://www.w3.org/2000/svg\""));
    CHECK(hmtest::contains(svg.value(), "<style>"));
    CHECK(hmtest::contains(svg.value(), ">Top queries</text>"));
    // The long query is on two lines, neither cut: every word is there.
    CHECK(hmtest::contains(svg.value(), "<tspan x="));
    CHECK(hmtest::contains(svg.value(), ">can I pay in instalments with a</tspan>"));
    CHECK(hmtest::contains(svg.value(), ">card from another country</tspan>"));
    CHECK(hmtest::contains(svg.value(), "分割払いはできますか"));
    // Longer than two lines: an ellipsis, and the whole label in the row's tooltip.
    const std::string longer = long_query + " and what does it cost me in fees every month";
    REQUIRE(store.record(hmtest::event(R"({"type":"search","ts":"2026-11-02T10:02:00Z","session":"c","locale":"en","query":")" +
                                       longer + R"(","total":0})")).ok());
    r = store.report(ReportOptions{});
    svg = helpmark::tracking::report_chart_svg(r.value(), "queries");
    CHECK(hmtest::contains(svg.value(), "…</tspan>"));
    CHECK(hmtest::contains(svg.value(), "<title>" + longer + " [en]"));

    for (const auto& chart : helpmark::tracking::report_charts()) {
      INFO(chart);
      auto c = helpmark::tracking::report_chart_svg(r.value(), chart);
      REQUIRE(c.ok());
      CHECK(hmtest::contains(c.value(), "</svg>"));
      CHECK_FALSE(hmtest::contains(c.value(), "<script"));
    }
    // Nothing viewed: the articles chart says so instead of being empty.
    CHECK(hmtest::contains(helpmark::tracking::report_chart_svg(r.value(), "articles").value(), "No data in this range."));
    auto bad = helpmark::tracking::report_chart_svg(r.value(), "pie");
    REQUIRE_FALSE(bad.ok());
    CHECK(hmtest::contains(bad.status().message(), "charts: articles, queries, journeys, time"));
  }

  TEST_CASE("text tables align wide (CJK) and combining (Thai) text by display width") {
    hmtest::TempDir dir;
    auto store = hmtest::open_store(dir / "e.sqlite");
    for (const char* e : {
             R"({"type":"search","ts":"2026-11-02T10:00:00Z","session":"a","locale":"ja","query":"返金はいつ届きますか","total":0})",
             R"({"type":"search","ts":"2026-11-02T10:00:01Z","session":"b","locale":"th","query":"คืนเงินที่อยู่จัดส่ง","total":0})",
             R"({"type":"search","ts":"2026-11-02T10:00:02Z","session":"c","locale":"es","query":"devolución","total":0})",
             R"({"type":"search","ts":"2026-11-02T10:00:03Z","session":"d","locale":"en","query":"refund","total":0})"})
      REQUIRE(store.record(hmtest::event(e)).ok());
    auto r = store.report(ReportOptions{});
    REQUIRE(r.ok());
    const std::string text = helpmark::tracking::report_to_text(r.value());
    const auto start = text.find("Top queries");
    REQUIRE(start != std::string::npos);
    std::istringstream in(text.substr(start));
    std::string line;
    std::getline(in, line);  // title
    std::vector<std::size_t> locale_columns;
    for (int i = 0; i < 5 && std::getline(in, line); ++i) {
      // The LOCALE column starts at the same display column on every line.
      std::size_t at = std::string::npos;
      for (const char* locale : {" LOCALE ", " ja ", " th ", " es ", " en "})
        if (auto p = line.find(locale); p != std::string::npos) at = p;
      REQUIRE_MESSAGE(at != std::string::npos, line);
      locale_columns.push_back(helpmark::text::display_width(line.substr(0, at)));
    }
    REQUIRE(locale_columns.size() == 5);
    for (auto c : locale_columns) CHECK(c == locale_columns.front());
  }
}
