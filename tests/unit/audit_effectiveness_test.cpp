// Effectiveness checks from a real tracking store: unhelpful articles, tickets after views and
// content gaps, over the window before the audit date.
#include <doctest/doctest.h>

#include "audit_test_util.hpp"
#include "helpmark/tracking.hpp"

using namespace helpmark;
using hmtest::contains;
using Ids = std::vector<std::string>;

namespace {

tracking::Event make(tracking::EventType type, std::string ts, std::string session) {
  tracking::Event e;
  e.type = type;
  e.ts = std::move(ts);
  e.session = std::move(session);
  e.locale = "en";
  return e;
}

// Events around the clean fixture's articles (as of 2026-11-01, window 90 days).
void record_events(const hmtest::fs::path& store_path) {
  auto store = tracking::EventStore::open(store_path);
  REQUIRE_MESSAGE(store.ok(), store.status().message());
  std::vector<tracking::Event> events;
  auto view = [&](const std::string& article, const std::string& session, const std::string& ts) {
    auto e = make(tracking::EventType::kView, ts, session);
    e.article = article;
    events.push_back(e);
  };
  auto feedback = [&](const std::string& article, const std::string& session, bool helpful, const std::string& ts) {
    auto e = make(tracking::EventType::kFeedback, ts, session);
    e.article = article;
    e.helpful = helpful;
    events.push_back(e);
  };
  for (int i = 0; i < 60; ++i) {
    // refund-timing: much viewed, rated unhelpful, and 40 of 60 sessions open a ticket after it.
    const std::string s = "rt" + std::to_string(i);
    view("refund-timing", s, "2026-10-15T10:00:00Z");
    if (i < 10) feedback("refund-timing", s, i < 2, "2026-10-15T10:01:00Z");
    if (i < 40) events.push_back(make(tracking::EventType::kTicket, "2026-10-15T11:00:00Z", s));
    // card-payments: much viewed, rated helpful, no tickets.
    const std::string c = "cp" + std::to_string(i);
    view("card-payments", c, "2026-10-16T10:00:00Z");
    if (i < 10) feedback("card-payments", c, i != 0, "2026-10-16T10:01:00Z");
    // card-payments long before the window: every reader unhappy. Must not count.
    const std::string old = "old" + std::to_string(i);
    view("card-payments", old, "2026-01-10T10:00:00Z");
    feedback("card-payments", old, false, "2026-01-10T10:01:00Z");
    events.push_back(make(tracking::EventType::kTicket, "2026-01-10T11:00:00Z", old));
  }
  for (int i = 0; i < 10; ++i) {  // print-a-label: too few views to judge
    const std::string s = "pl" + std::to_string(i);
    view("print-a-label", s, "2026-10-17T10:00:00Z");
    feedback("print-a-label", s, false, "2026-10-17T10:01:00Z");
  }
  for (int i = 0; i < 6; ++i) {  // a frequent search that finds nothing
    auto e = make(tracking::EventType::kSearch, "2026-10-18T10:00:00Z", "gap" + std::to_string(i));
    e.query = "cancel my subscription";
    e.total = 0;
    events.push_back(e);
  }
  for (int i = 0; i < 2; ++i) {  // a rare one
    auto e = make(tracking::EventType::kSearch, "2026-10-18T11:00:00Z", "rare" + std::to_string(i));
    e.query = "zebra crossing";
    e.total = 0;
    events.push_back(e);
  }
  // The newest event closes every deflection window.
  auto last = make(tracking::EventType::kSearch, "2026-10-25T10:00:00Z", "late");
  last.query = "refund";
  last.results = {"refund-timing"};
  events.push_back(last);
  auto batch = store->record_batch(events);
  REQUIRE_MESSAGE(batch.ok(), batch.status().message());
  CHECK(batch->rejected == 0);
}

}  // namespace

TEST_SUITE("audit/effectiveness") {
  TEST_CASE("unhelpful, tickets after views and content gaps, within the window") {
    hmtest::TempDir dir;
    record_events(dir / "events.sqlite");
    AuditOptions options;
    options.checks = {"effectiveness"};
    options.tracking_store = dir / "events.sqlite";
    auto report = hmtest::audit_fixture("clean", options);
    INFO(hmtest::dump(report));
    CHECK(report.effectiveness_ran);
    CHECK(hmtest::flagged(report, "effectiveness/unhelpful") == Ids{"refund-timing"});
    auto unhelpful = hmtest::the_finding(report, "effectiveness/unhelpful", "refund-timing");
    CHECK(contains(unhelpful.message, "60 views in the 90 days to 2026-11-01"));
    CHECK(contains(unhelpful.message, "only 20% of 10 readers"));
    CHECK(unhelpful.owner == "payments-content");
    CHECK(hmtest::flagged(report, "effectiveness/tickets-after-view") == Ids{"refund-timing"});
    CHECK(contains(hmtest::the_finding(report, "effectiveness/tickets-after-view", "refund-timing").message,
                   "67% of 60 sessions"));
    auto gap = hmtest::the_finding(report, "effectiveness/content-gap", "");
    CHECK(contains(gap.message, "\"cancel my subscription\""));
    CHECK(contains(gap.message, "6 times"));
    CHECK(gap.severity == AuditSeverity::kInfo);
    CHECK(report.findings.size() == 3);
  }

  TEST_CASE("a window of 0 counts every event, so old complaints count too") {
    hmtest::TempDir dir;
    record_events(dir / "events.sqlite");
    AuditOptions options;
    options.checks = {"effectiveness/unhelpful"};
    options.tracking_store = dir / "events.sqlite";
    auto config = AuditConfig::load(hmtest::kAuditData / "clean/taxonomy");
    REQUIRE(config.ok());
    options.config = config.value();
    options.config.window_days = 0;
    auto report = hmtest::audit_fixture("clean", options, /*own_config=*/true);
    CHECK(hmtest::flagged(report, "effectiveness/unhelpful") == Ids{"card-payments", "refund-timing"});
  }

  TEST_CASE("without a store the checks are skipped, a missing store is an error") {
    auto report = hmtest::audit_only("clean", {"effectiveness"});
    CHECK_FALSE(report.effectiveness_ran);
    CHECK(report.findings.empty());
    auto taxonomy = Taxonomy::load(hmtest::kAuditData / "clean/taxonomy");
    REQUIRE(taxonomy.ok());
    AuditOptions options;
    options.tracking_store = "/nonexistent/events.sqlite";
    auto failed = run_audit(hmtest::kAuditData / "clean/articles", taxonomy.value(), options);
    CHECK_FALSE(failed.ok());
  }

  TEST_CASE("the CLI takes --store and fails on a missing one") {
    hmtest::TempDir dir;
    record_events(dir / "events.sqlite");
    const auto root = hmtest::kAuditData / "clean";
    auto run = hmtest::helpmark_cli({"audit", (root / "articles").string(), "--taxonomy", (root / "taxonomy").string(),
                                     "--as-of", "2026-11-01", "--store", (dir / "events.sqlite").string()});
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 0);  // warnings and info only
    CHECK(contains(run.out, "[effectiveness/unhelpful]"));
    CHECK(contains(run.out, "[effectiveness/content-gap]"));
    auto missing = hmtest::helpmark_cli({"audit", (root / "articles").string(), "--taxonomy",
                                         (root / "taxonomy").string(), "--store", (dir / "nope.sqlite").string()});
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.err, "no event store there"));
  }

  TEST_CASE("a content gap is located in journeys.yaml, at its journey or at `journeys:`") {
    hmtest::TempDir dir;
    record_events(dir / "events.sqlite");
    AuditOptions options;
    options.checks = {"effectiveness/content-gap"};
    options.tracking_store = dir / "events.sqlite";
    auto report = hmtest::audit_fixture("clean", options);
    auto gap = hmtest::the_finding(report, "effectiveness/content-gap", "");
    CHECK(gap.path == "journeys.yaml");
    CHECK(gap.in_taxonomy);
    CHECK(gap.journey.empty());  // nothing says which journey the searches were about
    CHECK(gap.line == 4);        // the `journeys:` line of the clean fixture's journeys.yaml
  }

  TEST_CASE("messages about one session or one search say so in the singular") {
    hmtest::TempDir dir;
    {
      auto store = tracking::EventStore::open(dir / "events.sqlite");
      REQUIRE(store.ok());
      std::vector<tracking::Event> events;
      auto view = make(tracking::EventType::kView, "2026-10-15T10:00:00Z", "one");
      view.article = "refund-timing";
      events.push_back(view);
      events.push_back(make(tracking::EventType::kTicket, "2026-10-15T10:30:00Z", "one"));
      auto search = make(tracking::EventType::kSearch, "2026-10-16T10:00:00Z", "two");
      search.query = "gift wrapping";
      search.total = 0;
      events.push_back(search);
      auto last = make(tracking::EventType::kSearch, "2026-10-25T10:00:00Z", "late");
      last.query = "refund";
      last.results = {"refund-timing"};
      events.push_back(last);
      auto batch = store->record_batch(events);
      REQUIRE(batch.ok());
    }
    AuditOptions options;
    options.checks = {"effectiveness"};
    options.tracking_store = dir / "events.sqlite";
    options.config.min_views = 1;
    options.config.max_ticket_rate = 0.0;
    options.config.min_zero_result_searches = 1;
    auto report = hmtest::audit_fixture("clean", options, /*own_config=*/true);
    INFO(hmtest::dump(report));
    const std::string tickets = hmtest::the_finding(report, "effectiveness/tickets-after-view", "refund-timing").message;
    CHECK(contains(tickets, "100% of 1 session that viewed it"));
    const std::string gap = hmtest::the_finding(report, "effectiveness/content-gap", "").message;
    CHECK(contains(gap, "found nothing once"));
    for (const auto& f : report.findings) {
      CHECK_FALSE(contains(f.message, "1 sessions"));
      CHECK_FALSE(contains(f.message, " 1 times"));
      CHECK_FALSE(contains(f.message, " 1 views"));
    }
  }
}
