// The self-improving loop (issue 18, helpmark/learning.hpp): mining learned questions from
// tracked traffic (what counts as a good or a bad outcome, grouping, position weights, the
// defences against fake traffic), the overlay beside the index and its log, the indexer training
// on it (and forgetting it exactly), and the outcomes of bot answers for calibration.
//
// Traffic is written event by event into a real store. Times are relative to kT0; mining runs
// with now_ms far after the traffic (every deflection window over) unless a test says otherwise.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "helpmark/helpmark.h"
#include "helpmark/index.hpp"
#include "helpmark/indexer.hpp"
#include "helpmark/learning.hpp"
#include "unit/model_util.hpp"
#include "unit/tracking_util.hpp"

using namespace helpmark;
using helpmark::learning::ApplyReport;
using helpmark::learning::KnownArticle;
using helpmark::learning::LearnedQuestion;
using helpmark::learning::LearnOptions;
using helpmark::learning::LogEntry;
using helpmark::learning::Overlay;
using helpmark::learning::Proposals;
using helpmark::tracking::Event;
using helpmark::tracking::EventStore;
using helpmark::tracking::EventType;
using hmtest::contains;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
const std::int64_t kT0 = *tracking::parse_timestamp("2026-11-01T10:00:00Z");
// Long after all the traffic of a test: every deflection window is over.
const std::int64_t kLater = kT0 + 90 * kDay;

std::string ts(std::int64_t ms) { return tracking::format_timestamp(ms); }

/// Events written into a store of their own, in batches; each search gets a unique id that its
/// clicks may name.
class Traffic {
 public:
  Traffic() : store_(hmtest::open_store(dir_ / "events.sqlite")) {}
  explicit Traffic(tracking::StoreOptions options) : store_(hmtest::open_store(dir_ / "events.sqlite", options)) {}

  /// The store's file (for the C API, which opens it by path).
  fs::path path() const { return dir_ / "events.sqlite"; }

  /// The store with every event so far recorded.
  EventStore& store() {
    flush();
    return store_;
  }
  std::size_t recorded() const { return recorded_ + pending_.size(); }

  std::string search(const std::string& session, std::int64_t at, const std::string& query,
                     const std::string& locale = "en", std::vector<std::string> results = {}) {
    Event e = base(EventType::kSearch, session, at, locale);
    e.id = "q" + std::to_string(++searches_);
    e.query = query;
    e.results = std::move(results);
    pending_.push_back(e);
    return e.id;
  }
  void click(const std::string& session, std::int64_t at, const std::string& article, int position,
             const std::string& search_id = {}) {
    Event e = base(EventType::kClick, session, at);
    e.article = article;
    e.position = position;
    e.search_id = search_id;
    pending_.push_back(e);
  }
  void view(const std::string& session, std::int64_t at, const std::string& article) {
    Event e = base(EventType::kView, session, at);
    e.article = article;
    e.source = "search";
    pending_.push_back(e);
  }
  void feedback(const std::string& session, std::int64_t at, const std::string& article, bool helpful) {
    Event e = base(EventType::kFeedback, session, at);
    e.article = article;
    e.helpful = helpful;
    pending_.push_back(e);
  }
  void bot_answer(const std::string& session, std::int64_t at, const std::string& question, const std::string& article,
                  std::optional<bool> accepted, std::optional<bool> escalated, const std::string& locale = "en") {
    Event e = base(EventType::kBotAnswer, session, at, locale);
    e.question = question;
    e.article = article;
    e.confidence = 0.8;
    e.accepted = accepted;
    e.escalated = escalated;
    pending_.push_back(e);
  }
  void ticket(const std::string& session, std::int64_t at) { pending_.push_back(base(EventType::kTicket, session, at)); }

  /// A search for `query` whose result at `position` (1-based) is `article`, clicked 10 s later
  /// (naming the search). Returns the time of the click.
  std::int64_t visit(const std::string& session, std::int64_t at, const std::string& query, const std::string& article,
                     int position = 1, const std::string& locale = "en") {
    std::vector<std::string> results;
    for (int i = 1; i < position; ++i) results.push_back("other-" + std::to_string(i));
    results.push_back(article);
    const std::string id = search(session, at, query, locale, results);
    click(session, at + 10 * kSecond, article, position, id);
    return at + 10 * kSecond;
  }

  /// `n` sessions named `prefix`0.. each visiting once, an hour apart.
  void sessions(int n, const std::string& prefix, const std::string& query, const std::string& article,
                int position = 1, std::int64_t start = kT0, const std::string& locale = "en") {
    for (int i = 0; i < n; ++i) visit(prefix + std::to_string(i), start + i * kHour, query, article, position, locale);
  }

  void flush() {
    if (pending_.empty()) return;
    auto outcome = store_.record_batch(pending_);
    REQUIRE_MESSAGE(outcome.ok(), outcome.status().message());
    for (const auto& o : outcome->outcomes) REQUIRE_MESSAGE(o.state == tracking::EventOutcome::State::kStored, o.error);
    recorded_ += pending_.size();
    pending_.clear();
  }

 private:
  static Event base(EventType type, const std::string& session, std::int64_t at, const std::string& locale = {}) {
    Event e;
    e.type = type;
    e.session = session;
    e.ts = ts(at);
    e.locale = locale;
    return e;
  }

  hmtest::TempDir dir_;
  EventStore store_;
  std::vector<Event> pending_;
  std::size_t recorded_ = 0;
  int searches_ = 0;
};

/// The articles mining knows of (as the index would tell it).
const std::map<std::string, KnownArticle>& known_articles() {
  static const std::map<std::string, KnownArticle> kArticles = {
      {"refund-timing",
       {"en", "How long a refund takes", {"where is my refund"}, "en/payments/refund-timing.md", "payments-team"}},
      {"card-declined", {"en", "Why a card is declined", {}, "en/payments/card-declined.md", "payments-team"}},
      {"print-label", {"en", "Print a return label", {}, "en/returns/print-label.md", "returns-team"}},
      {"start-a-return", {"en", "Start a return", {}, "en/returns/start-a-return.md", ""}},
      {"seller-fees", {"en", "Seller fees explained", {}, "en/sellers/seller-fees.md", "sellers-team"}},
      {"reembolso", {"es", "Cuánto tarda un reembolso", {}, "es/payments/reembolso.md", ""}},
  };
  return kArticles;
}

learning::ArticleFinder finder() {
  return [](const std::string& id) -> std::optional<KnownArticle> {
    auto it = known_articles().find(id);
    if (it == known_articles().end()) return std::nullopt;
    return it->second;
  };
}

LearnOptions options() {
  LearnOptions o;
  o.now_ms = kLater;
  return o;
}

Proposals mine_ok(Traffic& traffic, const LearnOptions& o = options(),
                  const learning::ArticleFinder& find = finder()) {
  auto p = learning::mine(traffic.store(), find, o);
  REQUIRE_MESSAGE(p.ok(), p.status().message());
  return std::move(p).value();
}

/// The proposal for `article` whose question is `question` as typed, or nullptr.
const LearnedQuestion* proposal(const Proposals& p, const std::string& article, const std::string& question) {
  for (const auto& q : p.questions)
    if (q.article == article && q.question == question) return &q;
  return nullptr;
}

std::size_t proposals_for(const Proposals& p, const std::string& article) {
  return static_cast<std::size_t>(
      std::count_if(p.questions.begin(), p.questions.end(), [&](const LearnedQuestion& q) { return q.article == article; }));
}

std::string describe(const Proposals& p) { return learning::proposals_to_json(p); }

LearnedQuestion learned(const std::string& article, const std::string& question, const std::string& key,
                        std::size_t sessions = 5, const std::string& locale = "en") {
  LearnedQuestion q;
  q.article = article;
  q.locale = locale;
  q.question = question;
  q.key = key;
  q.sessions = sessions;
  q.evidence = static_cast<double>(sessions);
  q.share = 1.0;
  q.first_seen = "2026-11-01T10:00:00Z";
  q.last_seen = "2026-11-02T10:00:00Z";
  return q;
}

Overlay read_overlay_ok(const fs::path& dir) {
  auto o = learning::read_overlay(dir);
  REQUIRE_MESSAGE(o.ok(), o.status().message());
  return std::move(o).value();
}

ApplyReport apply_ok(const fs::path& dir, const std::vector<LearnedQuestion>& questions, std::size_t max_per_article = 20) {
  auto r = learning::apply(dir, questions, max_per_article);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return r.value();
}

std::vector<LogEntry> read_log_ok(const fs::path& dir, std::size_t* skipped = nullptr) {
  auto r = learning::read_log(dir, skipped);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return std::move(r).value();
}

std::vector<std::string> actions(const std::vector<LogEntry>& log) {
  std::vector<std::string> out;
  for (const auto& e : log) out.push_back(e.action);
  return out;
}

const LearnedQuestion* overlay_question(const Overlay& o, const std::string& article, const std::string& key) {
  for (const auto& q : o.questions)
    if (q.article == article && q.key == key) return &q;
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Mining: what a good session is, and how many are needed
// ---------------------------------------------------------------------------------------------

TEST_SUITE("learning/mine") {
  TEST_CASE("learning: five distinct sessions that clicked and opened no ticket teach a question, four do not") {
    Traffic t;
    t.sessions(4, "s", "money back late", "refund-timing", 1);
    {
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.sessions == 4);
      CHECK(p.stats.events == 8);
      CHECK(p.stats.candidate_pairs == 1);
      CHECK(p.stats.too_few_sessions == 1);
      LearnOptions four = options();
      four.min_sessions = 4;
      const Proposals with_four = mine_ok(t, four);
      CHECK(with_four.questions.size() == 1);
    }
    t.visit("s4", kT0 + 4 * kHour, "money back late", "refund-timing", 1);
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    REQUIRE(p.questions.size() == 1);
    const LearnedQuestion& q = p.questions[0];
    CHECK(q.article == "refund-timing");
    CHECK(q.locale == "en");
    CHECK(q.question == "money back late");
    CHECK(q.key == "back late money");  // sorted stems
    CHECK(q.sessions == 5);
    CHECK(q.contradicting == 0);
    CHECK(q.evidence == doctest::Approx(5.0));
    CHECK(q.share == doctest::Approx(1.0));
    CHECK(q.first_seen == ts(kT0));
    CHECK(q.last_seen == ts(kT0 + 4 * kHour));
    CHECK(q.path == "en/payments/refund-timing.md");
    CHECK(q.owner == "payments-team");
    CHECK(q.rank == 0);  // mine() has no index to measure it with
    CHECK(p.stats.sessions == 5);
    CHECK(p.stats.events == 10);
    CHECK(p.stats.candidate_pairs == 1);
    CHECK(p.stats.too_few_sessions == 0);
    CHECK(p.stats.sessions_rate_limited == 0);
    CHECK(p.stats.evidence_capped == 0);
    CHECK(p.stats.pending == 0);
  }

  TEST_CASE("learning: near-identical queries group by their stems, the question is the most frequent form as typed") {
    Traffic t;
    t.sessions(3, "a", "Refund late", "refund-timing");
    t.sessions(2, "b", "late refunds", "refund-timing", 1, kT0 + kDay);
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    REQUIRE(p.questions.size() == 1);
    CHECK(p.questions[0].key == "late refund");
    CHECK(p.questions[0].question == "Refund late");
    CHECK(p.questions[0].sessions == 5);
    CHECK(p.stats.candidate_pairs == 1);
  }

  TEST_CASE("learning: one session searching and clicking again and again counts once") {
    Traffic t;
    t.sessions(4, "s", "money back late", "refund-timing");
    for (int i = 0; i < 6; ++i) t.visit("s0", kT0 + kDay + i * 10 * kMinute, "money back late", "refund-timing");
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    CHECK(p.questions.empty());
    CHECK(p.stats.too_few_sessions == 1);
    t.visit("s4", kT0 + 2 * kDay, "money back late", "refund-timing");
    const Proposals five = mine_ok(t);
    REQUIRE(five.questions.size() == 1);
    CHECK(five.questions[0].sessions == 5);
  }

  TEST_CASE("learning: a click belongs to the search it names, else to the session's latest search") {
    Traffic t;
    for (int i = 0; i < 5; ++i) {
      const std::string s = "named" + std::to_string(i);
      const std::int64_t at = kT0 + i * kHour;
      const std::string first = t.search(s, at, "late refunds", "en", {"refund-timing"});
      t.search(s, at + 20 * kSecond, "bank details", "en", {"seller-fees"});
      t.click(s, at + 40 * kSecond, "refund-timing", 1, first);
    }
    for (int i = 0; i < 5; ++i) {
      const std::string s = "latest" + std::to_string(i);
      const std::int64_t at = kT0 + kDay + i * kHour;
      t.search(s, at, "wrapping paper", "en", {"print-label"});
      t.search(s, at + 20 * kSecond, "bank rejects my visa", "en", {"card-declined"});
      t.click(s, at + 40 * kSecond, "card-declined", 1);
    }
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    CHECK(p.questions.size() == 2);
    CHECK(proposal(p, "refund-timing", "late refunds") != nullptr);
    CHECK(proposal(p, "card-declined", "bank rejects my visa") != nullptr);
    CHECK(proposal(p, "refund-timing", "bank details") == nullptr);
    CHECK(proposal(p, "card-declined", "wrapping paper") == nullptr);
  }

  TEST_CASE("learning: a view after a search counts as reading the article") {
    Traffic t;
    for (int i = 0; i < 5; ++i) {
      const std::string s = "v" + std::to_string(i);
      const std::int64_t at = kT0 + i * kHour;
      t.search(s, at, "bank wont take my visa", "en", {"card-declined"});
      t.view(s, at + 30 * kSecond, "card-declined");
    }
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    REQUIRE(p.questions.size() == 1);
    CHECK(p.questions[0].article == "card-declined");
    CHECK(p.questions[0].question == "bank wont take my visa");
    CHECK(p.questions[0].sessions == 5);
  }

  TEST_CASE("learning: a ticket within the deflection window after reading contradicts, before or after it, not") {
    Traffic t;
    SUBCASE("2 of 8 sessions ticketed (0.25): kept, with the contradicting sessions counted") {
      t.sessions(6, "good", "money back late", "refund-timing");
      for (int i = 0; i < 2; ++i) {
        const std::string s = "bad" + std::to_string(i);
        const std::int64_t read = t.visit(s, kT0 + kDay + i * kHour, "money back late", "refund-timing");
        t.ticket(s, read + 2 * kHour);
      }
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].sessions == 6);
      CHECK(p.questions[0].contradicting == 2);
      CHECK(p.stats.contradicted == 0);
    }
    SUBCASE("2 of 7 sessions ticketed (0.29 > 0.25): dropped as contradicted") {
      t.sessions(5, "good", "money back late", "refund-timing");
      for (int i = 0; i < 2; ++i) {
        const std::string s = "bad" + std::to_string(i);
        const std::int64_t read = t.visit(s, kT0 + kDay + i * kHour, "money back late", "refund-timing");
        t.ticket(s, read + 23 * kHour);
      }
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.contradicted == 1);
      LearnOptions lenient = options();
      lenient.max_contradiction = 0.3;
      const Proposals kept = mine_ok(t, lenient);
      REQUIRE(kept.questions.size() == 1);
      CHECK(kept.questions[0].contradicting == 2);
    }
    SUBCASE("a ticket 25 h after reading, or before the search, is no contradiction") {
      t.sessions(5, "good", "money back late", "refund-timing");
      for (int i = 0; i < 2; ++i) {
        const std::string s = "late" + std::to_string(i);
        const std::int64_t read = t.visit(s, kT0 + kDay + i * kHour, "money back late", "refund-timing");
        t.ticket(s, read + 25 * kHour);
      }
      for (int i = 0; i < 2; ++i) {
        const std::string s = "before" + std::to_string(i);
        t.ticket(s, kT0 + 3 * kDay + i * kHour);
        t.visit(s, kT0 + 3 * kDay + i * kHour + 10 * kMinute, "money back late", "refund-timing");
      }
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].sessions == 9);
      CHECK(p.questions[0].contradicting == 0);
    }
  }

  TEST_CASE("learning: a helpful vote supports, a not-helpful vote contradicts") {
    Traffic t;
    SUBCASE("helpful votes alone teach") {
      for (int i = 0; i < 5; ++i) {
        const std::string s = "vote" + std::to_string(i);
        const std::int64_t at = kT0 + i * kHour;
        t.search(s, at, "label for the parcel", "en", {"print-label"});
        t.feedback(s, at + kMinute, "print-label", true);
      }
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].article == "print-label");
      CHECK(p.questions[0].sessions == 5);
    }
    SUBCASE("two readers of seven voting 'not helpful' drop it") {
      t.sessions(5, "good", "label for the parcel", "print-label");
      for (int i = 0; i < 2; ++i) {
        const std::string s = "no" + std::to_string(i);
        const std::int64_t read = t.visit(s, kT0 + kDay + i * kHour, "label for the parcel", "print-label");
        t.feedback(s, read + kMinute, "print-label", false);
      }
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.contradicted == 1);
    }
  }

  TEST_CASE("learning: an accepted bot answer teaches its question, one turned down contradicts, escalated says nothing") {
    Traffic t;
    SUBCASE("five accepted answers") {
      for (int i = 0; i < 5; ++i)
        t.bot_answer("bot" + std::to_string(i), kT0 + i * kHour, "can i get cash back", "refund-timing", true, false);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].article == "refund-timing");
      CHECK(p.questions[0].question == "can i get cash back");
      CHECK(p.questions[0].sessions == 5);
    }
    SUBCASE("five accepted, two turned down: contradicted") {
      for (int i = 0; i < 5; ++i)
        t.bot_answer("bot" + std::to_string(i), kT0 + i * kHour, "can i get cash back", "refund-timing", true, false);
      for (int i = 0; i < 2; ++i)
        t.bot_answer("no" + std::to_string(i), kT0 + kDay + i * kHour, "can i get cash back", "refund-timing", false,
                     false);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.contradicted == 1);
    }
    SUBCASE("five accepted, three the bot escalated itself: no contradiction") {
      for (int i = 0; i < 5; ++i)
        t.bot_answer("bot" + std::to_string(i), kT0 + i * kHour, "can i get cash back", "refund-timing", true, false);
      for (int i = 0; i < 3; ++i)
        t.bot_answer("esc" + std::to_string(i), kT0 + kDay + i * kHour, "can i get cash back", "refund-timing",
                     std::nullopt, true);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].sessions == 5);
      CHECK(p.questions[0].contradicting == 0);
    }
    SUBCASE("an accepted answer followed by a ticket within the window contradicts") {
      for (int i = 0; i < 5; ++i)
        t.bot_answer("bot" + std::to_string(i), kT0 + i * kHour, "can i get cash back", "refund-timing", true, false);
      for (int i = 0; i < 2; ++i) {
        const std::string s = "tk" + std::to_string(i);
        t.bot_answer(s, kT0 + kDay + i * kHour, "can i get cash back", "refund-timing", true, false);
        t.ticket(s, kT0 + kDay + i * kHour + 3 * kHour);
      }
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.contradicted == 1);
    }
    SUBCASE("answers with no outcome teach nothing") {
      for (int i = 0; i < 6; ++i)
        t.bot_answer("bot" + std::to_string(i), kT0 + i * kHour, "can i get cash back", "refund-timing", std::nullopt,
                     false);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.candidate_pairs == 0);
    }
  }

  TEST_CASE("learning: a click lower in the results weighs more (sqrt of the position), up to 3, sessions still count") {
    Traffic t;
    SUBCASE("eight clicks at 4 against four at 1: evidence 16 against 4, sessions two thirds") {
      t.sessions(4, "top", "fee for selling stuff", "start-a-return", 1);
      t.sessions(8, "low", "fee for selling stuff", "seller-fees", 4, kT0 + kDay);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].article == "seller-fees");
      CHECK(p.questions[0].sessions == 8);
      CHECK(p.questions[0].evidence == doctest::Approx(16.0));
      CHECK(p.questions[0].share == doctest::Approx(2.0 / 3.0));  // the smaller: sessions
    }
    SUBCASE("position 16 weighs 3, not 4") {
      t.sessions(2, "top", "fee for selling stuff", "start-a-return", 1);
      t.sessions(5, "low", "fee for selling stuff", "seller-fees", 16, kT0 + kDay);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].article == "seller-fees");
      CHECK(p.questions[0].evidence == doctest::Approx(15.0));
      CHECK(p.questions[0].share == doctest::Approx(5.0 / 7.0));  // evidence 15/17, sessions 5/7
    }
    SUBCASE("clicks placed low do not outweigh more sessions clicking high: six at 1 against six at 4") {
      t.sessions(6, "top", "fee for selling stuff", "start-a-return", 1);
      t.sessions(6, "low", "fee for selling stuff", "seller-fees", 4, kT0 + kDay);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.spread == 2);
    }
  }

  TEST_CASE("learning: a query whose clicks are spread over several articles teaches nothing") {
    Traffic t;
    t.sessions(5, "a", "fee for selling stuff", "start-a-return");
    t.sessions(5, "b", "fee for selling stuff", "seller-fees", 1, kT0 + kDay);
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    CHECK(p.questions.empty());
    CHECK(p.stats.candidate_pairs == 2);
    CHECK(p.stats.spread == 2);
    LearnOptions half = options();
    half.min_share = 0.5;
    const Proposals both = mine_ok(t, half);
    CHECK(both.questions.size() == 2);
    for (const auto& q : both.questions) CHECK(q.share == doctest::Approx(0.5));
  }

  TEST_CASE("learning: a session with more than 20 searches in an hour is ignored entirely") {
    Traffic t;
    t.sessions(4, "s", "money back late", "refund-timing");
    // A fifth session also reads refund-timing for the query, after `fillers` other searches.
    auto busy = [&](int fillers, std::int64_t spacing) {
      const std::int64_t start = kT0 + kDay;
      for (int i = 0; i < fillers; ++i) t.search("busy", start + i * spacing, "filler number " + std::to_string(i));
      t.visit("busy", start + fillers * spacing, "money back late", "refund-timing");
    };
    SUBCASE("20 searches in 38 minutes: counted") {
      busy(19, 2 * kMinute);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.stats.sessions_rate_limited == 0);
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].sessions == 5);
    }
    SUBCASE("21 searches in 40 minutes: ignored") {
      busy(20, 2 * kMinute);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.stats.sessions_rate_limited == 1);
      CHECK(p.questions.empty());
      LearnOptions unlimited = options();
      unlimited.max_searches_per_hour = 0;
      const Proposals counted = mine_ok(t, unlimited);
      CHECK(counted.stats.sessions_rate_limited == 0);
      REQUIRE(counted.questions.size() == 1);
      CHECK(counted.questions[0].sessions == 5);
    }
    SUBCASE("21 searches over three hours: counted (no hour holds more than 7)") {
      busy(20, 9 * kMinute);
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.stats.sessions_rate_limited == 0);
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].sessions == 5);
    }
  }

  TEST_CASE("learning: one session gives evidence for at most max_pairs_per_session pairs") {
    Traffic t;
    for (int i = 0; i < 5; ++i) {
      const std::string s = "s" + std::to_string(i);
      const std::int64_t at = kT0 + i * kHour;
      t.visit(s, at, "money back late", "refund-timing");
      t.visit(s, at + 5 * kMinute, "bank rejects my visa", "card-declined");
      t.visit(s, at + 10 * kMinute, "label for the parcel", "print-label");
    }
    SUBCASE("a cap of 2: one pair of each session is left out") {
      LearnOptions o = options();
      o.max_pairs_per_session = 2;
      const Proposals p = mine_ok(t, o);
      INFO(describe(p));
      CHECK(p.stats.evidence_capped == 5);
      CHECK(p.questions.size() == 2);
    }
    SUBCASE("the default cap (10) and no cap: all three") {
      const Proposals p = mine_ok(t);
      CHECK(p.stats.evidence_capped == 0);
      CHECK(p.questions.size() == 3);
      LearnOptions o = options();
      o.max_pairs_per_session = 0;
      CHECK(mine_ok(t, o).questions.size() == 3);
    }
  }

  TEST_CASE("learning: reading whose deflection window is not over yet is pending and counts for nothing") {
    Traffic t;
    // One session a day; the last one read 2 hours before now.
    for (int i = 0; i < 5; ++i) t.visit("s" + std::to_string(i), kT0 + i * kDay, "money back late", "refund-timing");
    const std::int64_t last_read = kT0 + 4 * kDay + 10 * kSecond;
    LearnOptions o = options();
    SUBCASE("the last one pending: four are not enough") {
      o.now_ms = last_read + 2 * kHour;
      const Proposals p = mine_ok(t, o);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.pending == 1);
      CHECK(p.stats.too_few_sessions == 1);
    }
    SUBCASE("all of them pending") {
      o.now_ms = last_read + kMinute;
      o.deflection_window_ms = 5 * kDay;
      const Proposals p = mine_ok(t, o);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.pending == 5);
      CHECK(p.stats.candidate_pairs == 0);
    }
    SUBCASE("once the window is over, all decided") {
      o.now_ms = last_read + kDay + kMinute;
      const Proposals p = mine_ok(t, o);
      INFO(describe(p));
      REQUIRE(p.questions.size() == 1);
      CHECK(p.questions[0].sessions == 5);
      CHECK(p.stats.pending == 0);
    }
  }

  TEST_CASE("learning: since and until bound the events read") {
    Traffic t;
    t.sessions(5, "s", "money back late", "refund-timing");
    LearnOptions o = options();
    o.since_ms = kT0 + kDay;
    Proposals p = mine_ok(t, o);
    CHECK(p.questions.empty());
    CHECK(p.stats.events == 0);
    o = options();
    o.until_ms = kT0;
    p = mine_ok(t, o);
    CHECK(p.questions.empty());
    CHECK(p.stats.events == 0);
    o.since_ms = kT0;
    o.until_ms = kT0 + kDay;
    p = mine_ok(t, o);
    CHECK(p.questions.size() == 1);
    CHECK(p.stats.events == 10);
  }

  TEST_CASE("learning: an unknown or deleted article is never proposed") {
    Traffic t;
    t.sessions(6, "s", "money back late", "refund-timing-old");
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    CHECK(p.questions.empty());
    CHECK(p.stats.unknown_article == 1);
  }

  TEST_CASE("learning: a query in another locale than the article's is not learned") {
    Traffic t;
    t.sessions(5, "es", "reembolso tarde", "refund-timing", 1, kT0, "es");
    t.sessions(5, "ok", "dinero de vuelta", "reembolso", 1, kT0 + kDay, "es");
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    CHECK(p.stats.other_locale == 1);
    REQUIRE(p.questions.size() == 1);
    CHECK(p.questions[0].article == "reembolso");
    CHECK(p.questions[0].question == "dinero de vuelta");
    CHECK(p.questions[0].locale == "es");
  }

  TEST_CASE("learning: a query without a locale is in the default locale") {
    Traffic t;
    t.sessions(5, "s", "money back late", "refund-timing", 1, kT0, "");
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    REQUIRE(p.questions.size() == 1);
    CHECK(p.questions[0].locale == "en");
    LearnOptions spanish = options();
    spanish.default_locale = "es";
    const Proposals other = mine_ok(t, spanish);
    CHECK(other.questions.empty());
    CHECK(other.stats.other_locale == 1);
  }

  TEST_CASE("learning: a query that still looks like personal data is never learned") {
    SUBCASE("an email address the store replaced with <email>") {
      Traffic t;
      t.sessions(6, "s", "refund for ana@example.com", "refund-timing");
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.personal_data == 1);
    }
    SUBCASE("a phone number the store replaced with <phone>") {
      Traffic t;
      t.sessions(6, "s", "call me +49 30 1234567 about my refund", "refund-timing");
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.personal_data == 1);
    }
    SUBCASE("an order number: only a pattern of the options knows it") {
      Traffic t;
      t.sessions(6, "s", "where is ORD-20391", "refund-timing");
      const Proposals plain = mine_ok(t);
      INFO(describe(plain));
      CHECK(plain.questions.size() == 1);  // nothing says it is personal
      LearnOptions o = options();
      o.scrub_patterns = {{"order", "ORD-\\d{4,}"}};
      const Proposals p = mine_ok(t, o);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.personal_data == 1);
    }
    SUBCASE("an order number the store's own pattern replaced") {
      tracking::StoreOptions so;
      so.scrub_patterns = {{"order", "ORD-\\d{4,}"}};
      Traffic t(so);
      t.sessions(6, "s", "where is ORD-20391", "refund-timing");
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.personal_data == 1);
    }
  }

  TEST_CASE("learning: a personal-data pattern that does not compile is an error, never silently ignored") {
    Traffic t;
    t.sessions(6, "s", "where is ORD-20391", "refund-timing");
    LearnOptions o = options();
    o.scrub_patterns = {{"order", "ORD-(\\d{4,}"}};  // unbalanced parenthesis
    auto p = learning::mine(t.store(), finder(), o);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == ErrorCode::kInvalidArgument);
    CHECK(contains(p.status().message(), "order"));
  }

  TEST_CASE("learning: a query the article already answers by title or question is not proposed") {
    Traffic t;
    t.sessions(5, "title", "How long a refund takes", "refund-timing");
    t.sessions(5, "question", "my refund is where", "refund-timing", 1, kT0 + kDay);  // its question, reordered
    t.sessions(5, "new", "money back late", "refund-timing", 1, kT0 + 2 * kDay);
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    CHECK(p.stats.already_known == 2);
    REQUIRE(p.questions.size() == 1);
    CHECK(p.questions[0].question == "money back late");
  }

  TEST_CASE("learning: at most max_per_article questions per article, the best supported") {
    Traffic t;
    t.sessions(5, "a", "parcel sticker", "print-label");
    t.sessions(7, "b", "label printer broken", "print-label", 1, kT0 + kDay);
    t.sessions(6, "c", "no printer at home", "print-label", 1, kT0 + 2 * kDay);
    LearnOptions o = options();
    o.max_per_article = 2;
    const Proposals p = mine_ok(t, o);
    INFO(describe(p));
    REQUIRE(p.questions.size() == 2);
    CHECK(p.questions[0].question == "label printer broken");
    CHECK(p.questions[1].question == "no printer at home");
    CHECK(p.stats.over_article_cap == 1);
    CHECK(mine_ok(t).questions.size() == 3);
  }

  TEST_CASE("learning: proposals come by article, then most sessions first, mining twice gives the same") {
    Traffic t;
    t.sessions(5, "a", "parcel sticker", "print-label");
    t.sessions(8, "b", "bank rejects my visa", "card-declined", 1, kT0 + kDay);
    t.sessions(7, "c", "label printer broken", "print-label", 1, kT0 + 2 * kDay);
    t.sessions(6, "d", "visa not accepted", "card-declined", 1, kT0 + 3 * kDay);
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    REQUIRE(p.questions.size() == 4);
    // Grouped by article; within one, most sessions first.
    CHECK(p.questions[0].article == p.questions[1].article);
    CHECK(p.questions[2].article == p.questions[3].article);
    CHECK(p.questions[0].article != p.questions[2].article);
    for (std::size_t i : {0u, 2u}) CHECK(p.questions[i].sessions > p.questions[i + 1].sessions);
    auto questions_only = [](const Proposals& x) {
      auto j = nlohmann::json::parse(learning::proposals_to_json(x));
      return j.at("questions").dump();
    };
    CHECK(questions_only(mine_ok(t)) == questions_only(p));
  }

  TEST_CASE("learning: a word customers use for the same title word on three articles is a synonym proposal") {
    static const std::map<std::string, KnownArticle> kArticles = {
        {"refund-card", {"en", "Refund card", {}, "en/refund-card.md", ""}},
        {"refund-timing", {"en", "Refund timing", {}, "en/refund-timing.md", ""}},
        {"refund-bank", {"en", "Refund bank", {}, "en/refund-bank.md", ""}},
    };
    learning::ArticleFinder find = [](const std::string& id) -> std::optional<KnownArticle> {
      auto it = kArticles.find(id);
      if (it == kArticles.end()) return std::nullopt;
      return it->second;
    };
    Traffic t;
    t.sessions(5, "a", "money card", "refund-card");
    t.sessions(5, "b", "money timing", "refund-timing", 1, kT0 + kDay);
    SUBCASE("two articles: no synonym yet") {
      const Proposals p = mine_ok(t, options(), find);
      INFO(describe(p));
      CHECK(p.questions.size() == 2);
      CHECK(p.synonyms.empty());
    }
    SUBCASE("three articles") {
      t.sessions(5, "c", "money bank", "refund-bank", 1, kT0 + 2 * kDay);
      const Proposals p = mine_ok(t, options(), find);
      INFO(describe(p));
      CHECK(p.questions.size() == 3);
      REQUIRE(p.synonyms.size() == 1);
      const auto& s = p.synonyms[0];
      CHECK(s.locale == "en");
      CHECK(s.query_word == "money");
      CHECK(s.article_word == "refund");
      auto articles = s.articles;
      std::sort(articles.begin(), articles.end());
      CHECK(articles == std::vector<std::string>{"refund-bank", "refund-card", "refund-timing"});
      LearnOptions four = options();
      four.synonym_min_articles = 4;
      CHECK(mine_ok(t, four, find).synonyms.empty());
    }
  }

  TEST_CASE("learning: proposals as JSON read back as the same questions, bad files name the problem") {
    Traffic t;
    t.sessions(5, "a", "parcel sticker", "print-label", 2);
    t.sessions(6, "b", "bank rejects my visa", "card-declined", 1, kT0 + kDay);
    const Proposals p = mine_ok(t);
    REQUIRE(p.questions.size() == 2);
    const std::string json = learning::proposals_to_json(p);
    auto j = nlohmann::json::parse(json);
    CHECK(j.contains("questions"));
    CHECK(j.contains("synonyms"));
    CHECK(j.contains("stats"));
    auto back = learning::questions_from_json(json);
    REQUIRE_MESSAGE(back.ok(), back.status().message());
    REQUIRE(back->size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& a = p.questions[i];
      const auto& b = back.value()[i];
      CHECK(b.article == a.article);
      CHECK(b.locale == a.locale);
      CHECK(b.question == a.question);
      CHECK(b.key == a.key);
      CHECK(b.sessions == a.sessions);
      CHECK(b.contradicting == a.contradicting);
      CHECK(b.evidence == doctest::Approx(a.evidence));
      CHECK(b.share == doctest::Approx(a.share));
      CHECK(b.first_seen == a.first_seen);
      CHECK(b.last_seen == a.last_seen);
      CHECK(b.path == a.path);
    }

    auto malformed = learning::questions_from_json("{\"questions\": [");
    CHECK_FALSE(malformed.ok());
    auto not_object = learning::questions_from_json("[1, 2]");
    CHECK_FALSE(not_object.ok());
    // The second entry lost its article: the error says which entry and which field.
    j["questions"][1].erase("article");
    auto missing = learning::questions_from_json(j.dump());
    REQUIRE_FALSE(missing.ok());
    INFO(missing.status().message());
    CHECK(contains(missing.status().message(), "article"));
    CHECK((contains(missing.status().message(), "2") || contains(missing.status().message(), "[1]")));
    auto wrong_type = nlohmann::json::parse(json);
    wrong_type["questions"][0]["question"] = 42;
    auto typed = learning::questions_from_json(wrong_type.dump());
    REQUIRE_FALSE(typed.ok());
    CHECK(contains(typed.status().message(), "question"));
  }

  TEST_CASE("learning: the Markdown for a writer lists each article's file with the lines to add") {
    Traffic t;
    t.sessions(5, "a", "parcel sticker", "print-label");
    t.sessions(6, "b", "bank rejects my visa", "card-declined", 1, kT0 + kDay);
    const Proposals p = mine_ok(t);
    const std::string md = learning::proposals_to_markdown(p);
    INFO(md);
    CHECK(contains(md, "en/returns/print-label.md"));
    CHECK(contains(md, "en/payments/card-declined.md"));
    CHECK(contains(md, "parcel sticker"));
    CHECK(contains(md, "bank rejects my visa"));
    CHECK(contains(md, "questions:"));
    CHECK(md.find("parcel sticker") > md.find("en/returns/print-label.md"));
  }
}

// ---------------------------------------------------------------------------------------------
// Poisoning: a flood of fake traffic from a few sessions
// ---------------------------------------------------------------------------------------------

TEST_SUITE("learning/poisoning") {
  TEST_CASE("learning/poisoning: three sessions clicking one wrong article 100 times each teach nothing") {
    Traffic t;
    SUBCASE("paced under the rate limit (one every 5 minutes)") {
      for (int s = 0; s < 3; ++s)
        for (int i = 0; i < 100; ++i)
          t.visit("bot" + std::to_string(s), kT0 + s * kDay + i * 5 * kMinute, "refund status", "seller-fees");
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.sessions_rate_limited == 0);
      CHECK(p.stats.too_few_sessions == 1);
    }
    SUBCASE("as fast as a script (one every 20 seconds): the sessions are ignored") {
      for (int s = 0; s < 3; ++s)
        for (int i = 0; i < 100; ++i)
          t.visit("bot" + std::to_string(s), kT0 + s * kDay + i * 20 * kSecond, "refund status", "seller-fees");
      const Proposals p = mine_ok(t);
      INFO(describe(p));
      CHECK(p.questions.empty());
      CHECK(p.stats.sessions_rate_limited == 3);
    }
  }

  TEST_CASE("learning/poisoning: eight sessions flooding as fast as a script teach nothing either") {
    Traffic t;
    for (int s = 0; s < 8; ++s)
      for (int i = 0; i < 100; ++i)
        t.visit("bot" + std::to_string(s), kT0 + s * kDay + i * 20 * kSecond, "refund status", "seller-fees");
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    CHECK(p.questions.empty());
    CHECK(p.stats.sessions_rate_limited == 8);
  }

  TEST_CASE("learning/poisoning: the same from eight distinct well-behaved sessions is learned") {
    Traffic t;
    for (int s = 0; s < 8; ++s)
      for (int i = 0; i < 3; ++i)
        t.visit("user" + std::to_string(s), kT0 + s * kDay + i * 10 * kMinute, "refund status", "seller-fees");
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    REQUIRE(p.questions.size() == 1);
    CHECK(p.questions[0].article == "seller-fees");
    CHECK(p.questions[0].sessions == 8);
  }

  TEST_CASE("learning/poisoning: a flood from three sessions neither adds its article nor drowns what real sessions teach") {
    Traffic t;
    t.sessions(6, "user", "refund status", "refund-timing");
    for (int s = 0; s < 3; ++s)
      for (int i = 0; i < 100; ++i)
        t.visit("bot" + std::to_string(s), kT0 + (s + 1) * kDay + i * 5 * kMinute, "refund status", "seller-fees");
    const Proposals p = mine_ok(t);
    INFO(describe(p));
    // Evidence is per distinct session: 6 on refund-timing against 3 on seller-fees.
    REQUIRE(p.questions.size() == 1);
    CHECK(p.questions[0].article == "refund-timing");
    CHECK(p.questions[0].sessions == 6);
    CHECK(p.questions[0].share == doctest::Approx(6.0 / 9.0));
    CHECK(proposals_for(p, "seller-fees") == 0);
  }
}

// ---------------------------------------------------------------------------------------------
// The overlay and its log
// ---------------------------------------------------------------------------------------------

TEST_SUITE("learning/overlay") {
  TEST_CASE("learning/overlay: none yet is an empty overlay at revision 0") {
    hmtest::TempDir dir;
    CHECK(learning::overlay_path(dir.path()) == dir.path() / "learned.json");
    const Overlay o = read_overlay_ok(dir.path());
    CHECK(o.revision == 0);
    CHECK(o.questions.empty());
    CHECK(read_log_ok(dir.path()).empty());
  }

  TEST_CASE("learning/overlay: apply adds, the same again changes nothing, new evidence updates") {
    hmtest::TempDir dir;
    const fs::path index = dir.path();
    const std::vector<LearnedQuestion> first = {learned("print-label", "parcel sticker", "parcel sticker", 5),
                                                learned("card-declined", "bank rejects my visa", "bank my reject visa", 6)};
    ApplyReport r = apply_ok(index, first);
    CHECK(r.added == 2);
    CHECK(r.updated == 0);
    CHECK(r.unchanged == 0);
    CHECK(r.total == 2);
    CHECK(r.revision == 1);
    REQUIRE(fs::exists(learning::overlay_path(index)));
    Overlay o = read_overlay_ok(index);
    CHECK(o.revision == 1);
    CHECK_FALSE(o.updated.empty());
    REQUIRE(o.questions.size() == 2);
    const LearnedQuestion* sticker = overlay_question(o, "print-label", "parcel sticker");
    REQUIRE(sticker != nullptr);
    CHECK(sticker->question == "parcel sticker");
    CHECK(sticker->locale == "en");
    CHECK(sticker->sessions == 5);
    CHECK(sticker->first_seen == "2026-11-01T10:00:00Z");

    // The same again: nothing changes, not even the file.
    const std::string bytes = hmtest::read_file(learning::overlay_path(index));
    r = apply_ok(index, first);
    CHECK(r.added == 0);
    CHECK(r.updated == 0);
    CHECK(r.unchanged == 2);
    CHECK(r.total == 2);
    CHECK(r.revision == 1);
    CHECK(hmtest::read_file(learning::overlay_path(index)) == bytes);
    CHECK(read_overlay_ok(index).revision == 1);

    // Same article and key with more sessions: updated.
    r = apply_ok(index, {learned("print-label", "parcel sticker", "parcel sticker", 9)});
    CHECK(r.added == 0);
    CHECK(r.updated == 1);
    CHECK(r.total == 2);
    CHECK(r.revision == 2);
    o = read_overlay_ok(index);
    CHECK(o.revision == 2);
    REQUIRE(overlay_question(o, "print-label", "parcel sticker") != nullptr);
    CHECK(overlay_question(o, "print-label", "parcel sticker")->sessions == 9);

    // A new one is added beside them.
    r = apply_ok(index, {learned("print-label", "no printer at home", "home printer", 5)});
    CHECK(r.added == 1);
    CHECK(r.total == 3);
    CHECK(r.revision == 3);

    const auto log = read_log_ok(index);
    CHECK(actions(log) == std::vector<std::string>{"added", "added", "updated", "added"});
    REQUIRE(log.size() == 4);
    CHECK(log[0].revision == 1);
    CHECK(log[1].revision == 1);
    CHECK(log[2].revision == 2);
    CHECK(log[2].question.article == "print-label");
    CHECK(log[2].question.key == "parcel sticker");
    CHECK(log[3].revision == 3);
    CHECK(log[3].question.question == "no printer at home");
    for (const auto& e : log) CHECK_FALSE(e.ts.empty());
  }

  TEST_CASE("learning/overlay: at most max_per_article per article, the best supported kept") {
    hmtest::TempDir dir;
    ApplyReport r = apply_ok(dir.path(),
                             {learned("print-label", "parcel sticker", "parcel sticker", 5),
                              learned("print-label", "label printer broken", "broken label printer", 7),
                              learned("print-label", "no printer at home", "home printer", 6),
                              learned("card-declined", "bank rejects my visa", "bank my reject visa", 5)},
                             2);
    CHECK(r.total == 3);
    const Overlay o = read_overlay_ok(dir.path());
    CHECK(o.questions.size() == 3);
    CHECK(overlay_question(o, "print-label", "broken label printer") != nullptr);
    CHECK(overlay_question(o, "print-label", "home printer") != nullptr);
    CHECK(overlay_question(o, "print-label", "parcel sticker") == nullptr);
    CHECK(overlay_question(o, "card-declined", "bank my reject visa") != nullptr);
  }

  TEST_CASE("learning/overlay: forget one article, then all, both logged") {
    hmtest::TempDir dir;
    const fs::path index = dir.path();
    apply_ok(index, {learned("print-label", "parcel sticker", "parcel sticker"),
                     learned("print-label", "no printer at home", "home printer"),
                     learned("card-declined", "bank rejects my visa", "bank my reject visa")});

    auto none = learning::forget(index, "no-such-article");
    REQUIRE_MESSAGE(none.ok(), none.status().message());
    CHECK(none.value() == 0);
    CHECK(read_overlay_ok(index).revision == 1);

    auto removed = learning::forget(index, "print-label");
    REQUIRE_MESSAGE(removed.ok(), removed.status().message());
    CHECK(removed.value() == 2);
    Overlay o = read_overlay_ok(index);
    CHECK(o.revision == 2);
    REQUIRE(o.questions.size() == 1);
    CHECK(o.questions[0].article == "card-declined");

    auto all = learning::forget(index);
    REQUIRE_MESSAGE(all.ok(), all.status().message());
    CHECK(all.value() == 1);
    CHECK_FALSE(fs::exists(learning::overlay_path(index)));
    o = read_overlay_ok(index);
    CHECK(o.revision == 0);
    CHECK(o.questions.empty());

    const auto log = read_log_ok(index);
    CHECK(actions(log) == std::vector<std::string>{"added", "added", "added", "removed", "removed", "cleared"});
    REQUIRE(log.size() == 6);
    CHECK(log[3].question.article == "print-label");
    CHECK(log[4].question.article == "print-label");
    CHECK(log[3].revision == 2);
    CHECK(log[5].question.article.empty());

    // Forgetting with nothing to forget changes nothing.
    auto again = learning::forget(index);
    REQUIRE(again.ok());
    CHECK(again.value() == 0);
  }

  TEST_CASE("learning/overlay: revisions never repeat, also after forgetting everything") {
    hmtest::TempDir dir;
    const fs::path index = dir.path();
    apply_ok(index, {learned("print-label", "parcel sticker", "parcel sticker")});
    apply_ok(index, {learned("card-declined", "bank rejects my visa", "bank my reject visa")});
    REQUIRE(learning::forget(index).ok());
    const ApplyReport r = apply_ok(index, {learned("seller-fees", "cut you take", "cut take you")});
    CHECK(r.added == 1);
    const auto log = read_log_ok(index);
    REQUIRE(log.size() == 4);
    CHECK(actions(log) == std::vector<std::string>{"added", "added", "cleared", "added"});
    // Each change has a revision above the one before it: "revision 1" names one overlay only.
    for (std::size_t i = 1; i < log.size(); ++i) {
      INFO("entry " << i);
      CHECK(log[i].revision > log[i - 1].revision);
    }
    CHECK(read_overlay_ok(index).revision == r.revision);
  }

  TEST_CASE("learning/overlay: apply and forget need the index directory to exist") {
    hmtest::TempDir dir;
    const fs::path missing = dir / "no-index";
    auto r = learning::apply(missing, {learned("print-label", "parcel sticker", "parcel sticker")});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == ErrorCode::kNotFound);
    CHECK_FALSE(fs::exists(missing));
    auto f = learning::forget(missing, "print-label");
    CHECK_FALSE(f.ok());
  }

  TEST_CASE("learning/overlay: a damaged overlay is kCorrupt, names the file, and is not overwritten") {
    hmtest::TempDir dir;
    const fs::path index = dir.path();
    const fs::path file = learning::overlay_path(index);
    for (const std::string& damage :
         {std::string("{\"format\": 1, \"revision\": 3, \"questions\": ["), std::string("not json"),
          std::string(R"({"format": 1, "revision": "three", "questions": []})"),
          std::string(R"({"format": 1, "revision": 3, "questions": {"a": 1}})"),
          std::string(R"({"format": 1, "revision": 3, "questions": [{"article": 7, "locale": "en", "question": "x"}]})")}) {
      INFO(damage);
      hmtest::write_file(file, damage);
      auto o = learning::read_overlay(index);
      REQUIRE_FALSE(o.ok());
      CHECK(o.status().code() == ErrorCode::kCorrupt);
      CHECK(contains(o.status().message(), "learned.json"));
      auto r = learning::apply(index, {learned("print-label", "parcel sticker", "parcel sticker")});
      CHECK_FALSE(r.ok());
      CHECK(hmtest::read_file(file) == damage);
    }
  }

  TEST_CASE("learning/overlay: a damaged log line is skipped and counted") {
    hmtest::TempDir dir;
    const fs::path index = dir.path();
    apply_ok(index, {learned("print-label", "parcel sticker", "parcel sticker")});
    {
      std::ofstream out(index / "learned-log.jsonl", std::ios::app);
      out << "{not a log line\n";
    }
    apply_ok(index, {learned("card-declined", "bank rejects my visa", "bank my reject visa")});
    std::size_t skipped = 0;
    const auto log = read_log_ok(index, &skipped);
    CHECK(skipped == 1);
    CHECK(actions(log) == std::vector<std::string>{"added", "added"});
  }
}

// ---------------------------------------------------------------------------------------------
// The indexer trains on the overlay, and forgets it exactly
// ---------------------------------------------------------------------------------------------

namespace {

// Searches with spelling correction off, so that words the articles lack find nothing by
// themselves.
SearchRequest plain_request(const std::string& query) {
  SearchRequest r;
  r.query = query;
  r.layers.spelling = false;
  r.limit = 20;
  return r;
}

// A copy of an index ranking with half the model's score, whatever its tuning chose, so that
// what the model learned shows in the ranking (the index itself is left alone).
SearchResponse search_with_model(const fs::path& index_dir, const std::string& query) {
  hmtest::TempDir copy;
  const fs::path dir = copy / "index";
  hmtest::copy_tree(index_dir, dir);
  hmtest::set_model_weight(dir, 0.5);
  auto index = Index::open(dir);
  REQUIRE_MESSAGE(index.ok(), index.status().message());
  return hmtest::search_ok(index.value(), plain_request(query));
}

const ModelReport* model_report(const IndexReport& r, const std::string& locale) {
  for (const auto& m : r.models)
    if (m.locale == locale) return &m;
  return nullptr;
}

// What a search returns, ids and scores, as one comparable string.
std::string ranking_of(const Index& index, const std::string& query) {
  const SearchResponse r = hmtest::search_ok(index, plain_request(query));
  std::string out;
  for (const auto& h : r.hits) out += h.id + "=" + std::to_string(h.score) + "/" + std::to_string(h.model_score) + " ";
  return out;
}

const std::vector<std::string> kProbeQueries = {"refund",           "money back",       "card declined",
                                                "print label",      "zorbly quimp",     "seller fees",
                                                "when do i get paid", "parcel broken",  "verify identity"};

}  // namespace

TEST_SUITE("learning/indexer") {
  TEST_CASE("learning/indexer: a learned question trains the model, forgetting it restores the index exactly") {
    // A: never had an overlay.
    hmtest::Kb never;
    hmtest::write_articles(never, hmtest::tuned_articles());
    const IndexReport never_report = never.build_ok();
    const std::string never_model = hmtest::index_metadata(never.index_dir(), hmtest::model_key("en"));
    REQUIRE_FALSE(never_model.empty());

    // B: the same articles, then an overlay, then none.
    hmtest::Kb kb;
    hmtest::write_articles(kb, hmtest::tuned_articles());
    kb.build_ok();
    CHECK(hmtest::index_metadata(kb.index_dir(), hmtest::model_key("en")) == never_model);
    // Words no article has: before learning, nothing finds them.
    CHECK(search_with_model(kb.index_dir(), "zorbly quimp").hits.empty());

    apply_ok(kb.index_dir(), {learned("print-label", "zorbly quimp", "quimp zorbli", 6),
                              learned("print-label", "my zorbly quimp", "my quimp zorbli", 5)});
    const IndexReport learned_report = kb.build_ok();
    const ModelReport* en = model_report(learned_report, "en");
    REQUIRE(en != nullptr);
    CHECK(en->trained);
    const ModelReport* never_en = model_report(never_report, "en");
    REQUIRE(never_en != nullptr);
    CHECK(en->examples > never_en->examples);
    CHECK(hmtest::index_metadata(kb.index_dir(), hmtest::model_key("en")) != never_model);
    const SearchResponse found = search_with_model(kb.index_dir(), "zorbly quimp");
    REQUIRE_FALSE(found.hits.empty());
    CHECK(found.hits[0].id == "print-label");

    // An unchanged re-index keeps what it learned.
    const std::string learned_model = hmtest::index_metadata(kb.index_dir(), hmtest::model_key("en"));
    kb.build_ok();
    CHECK(hmtest::index_metadata(kb.index_dir(), hmtest::model_key("en")) == learned_model);

    auto forgotten = learning::forget(kb.index_dir());
    REQUIRE_MESSAGE(forgotten.ok(), forgotten.status().message());
    CHECK(forgotten.value() == 2);
    const IndexReport restored_report = kb.build_ok();
    const ModelReport* restored_en = model_report(restored_report, "en");
    REQUIRE(restored_en != nullptr);
    CHECK(restored_en->examples == never_en->examples);
    CHECK(restored_en->weights == never_en->weights);
    CHECK(restored_en->bytes == never_en->bytes);
    CHECK(hmtest::index_metadata(kb.index_dir(), hmtest::model_key("en")) == never_model);
    CHECK(search_with_model(kb.index_dir(), "zorbly quimp").hits.empty());

    // Searches rank and score as in the index that never learned anything.
    Index restored = kb.open();
    Index original = never.open();
    auto stats_a = restored.stats();
    auto stats_b = original.stats();
    REQUIRE(stats_a.ok());
    REQUIRE(stats_b.ok());
    CHECK(stats_a->ranking.fields == stats_b->ranking.fields);
    CHECK(stats_a->ranking.weighting == stats_b->ranking.weighting);
    CHECK(stats_a->ranking.model_weight == stats_b->ranking.model_weight);
    for (const auto& q : kProbeQueries) {
      INFO(q);
      CHECK(ranking_of(restored, q) == ranking_of(original, q));
    }
  }

  TEST_CASE("learning/indexer: a learned question for an article that is gone does not stop indexing") {
    hmtest::Kb kb;
    hmtest::write_articles(kb, hmtest::tuned_articles());
    kb.build_ok();
    const std::string before = hmtest::index_metadata(kb.index_dir(), hmtest::model_key("en"));
    apply_ok(kb.index_dir(), {learned("deleted-article", "zorbly quimp", "quimp zorbli", 6)});
    auto r = kb.build();
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    CHECK(r->total == 13);
    // Nothing to learn from it: the same model.
    CHECK(hmtest::index_metadata(kb.index_dir(), hmtest::model_key("en")) == before);
    CHECK(search_with_model(kb.index_dir(), "zorbly quimp").hits.empty());
  }
}

// ---------------------------------------------------------------------------------------------
// suggest(): mining against an index
// ---------------------------------------------------------------------------------------------

namespace {

// Where a search for `query` (as a customer types it, in English) puts `article` now: 1-based,
// 0 when not in the top 10.
int current_rank(const Index& index, const std::string& query, const std::string& article) {
  SearchRequest request;
  request.query = query;
  request.locale = "en";
  request.limit = 10;
  const auto found = hmtest::ids(hmtest::search_ok(index, request));
  const auto at = std::find(found.begin(), found.end(), article);
  return at == found.end() ? 0 : static_cast<int>(at - found.begin()) + 1;
}

}  // namespace

TEST_SUITE("learning/suggest") {
  TEST_CASE("learning/suggest: articles from the index (published only), with their file and current rank") {
    hmtest::Kb kb;
    hmtest::write_articles(kb, hmtest::tuned_articles());
    kb.add("en/payments/klarna.md", hmtest::md("id: klarna\ntitle: Paying with Klarna\njourney: payments\n"
                                               "subtopic: methods\nlocale: en\nstatus: draft\n"));
    kb.build_ok();
    Index index = kb.open();

    Traffic t;
    t.sessions(5, "a", "zorbly quimp", "print-label", 2);
    t.sessions(5, "b", "money back please", "refund-timing", 1, kT0 + kDay);
    t.sessions(5, "c", "pay in instalments", "klarna", 1, kT0 + 2 * kDay);
    t.sessions(5, "d", "pay later", "never-existed", 1, kT0 + 3 * kDay);
    auto p = learning::suggest(t.store(), index, options());
    REQUIRE_MESSAGE(p.ok(), p.status().message());
    INFO(describe(p.value()));
    CHECK(p->stats.unknown_article == 2);  // the draft and the one that never existed
    REQUIRE(p->questions.size() == 2);
    const LearnedQuestion* label = proposal(p.value(), "print-label", "zorbly quimp");
    REQUIRE(label != nullptr);
    CHECK(label->path == "en/returns/print-label.md");
    CHECK(label->locale == "en");
    CHECK(label->rank == current_rank(index, "zorbly quimp", "print-label"));
    const LearnedQuestion* money = proposal(p.value(), "refund-timing", "money back please");
    REQUIRE(money != nullptr);
    CHECK(money->path == "en/payments/refund-timing.md");
    // Its rank is where a search for it puts the article now (in the top 10).
    const int money_rank = current_rank(index, "money back please", "refund-timing");
    CHECK(money_rank > 0);
    CHECK(money->rank == money_rank);
  }

  TEST_CASE("learning/suggest: the article's title and questions in the index are already known") {
    hmtest::Kb kb;
    hmtest::write_articles(kb, hmtest::tuned_articles());
    kb.build_ok();
    Index index = kb.open();
    Traffic t;
    t.sessions(5, "a", "Print a return label", "print-label");
    t.sessions(5, "b", "how do I print the label", "print-label", 1, kT0 + kDay);
    auto p = learning::suggest(t.store(), index, options());
    REQUIRE_MESSAGE(p.ok(), p.status().message());
    INFO(describe(p.value()));
    CHECK(p->questions.empty());
    CHECK(p->stats.already_known == 2);
  }
}

// ---------------------------------------------------------------------------------------------
// Outcomes of bot answers, for calibration
// ---------------------------------------------------------------------------------------------

TEST_SUITE("learning/outcomes") {
  TEST_CASE("learning/outcomes: accepted is good, turned down or followed by a ticket is bad, escalated or open, undecided") {
    Traffic t;
    t.bot_answer("accepted", kT0, "can i get cash back", "refund-timing", true, false);
    t.bot_answer("turned-down", kT0 + kHour, "is klarna possible", "card-declined", false, false);
    t.bot_answer("ticketed", kT0 + 2 * kHour, "where is my label", "print-label", true, false);
    t.ticket("ticketed", kT0 + 3 * kHour);
    t.bot_answer("silent-ticket", kT0 + 4 * kHour, "fees too high", "seller-fees", std::nullopt, std::nullopt);
    t.ticket("silent-ticket", kT0 + 5 * kHour);
    t.bot_answer("late-ticket", kT0 + 6 * kHour, "return my shoes", "start-a-return", true, false);
    t.ticket("late-ticket", kT0 + 6 * kHour + 25 * kHour);
    t.bot_answer("escalated", kT0 + 7 * kHour, "talk to a human", "refund-timing", std::nullopt, true);
    t.bot_answer("nothing", kT0 + 8 * kHour, "hello there", "refund-timing", std::nullopt, false);
    t.bot_answer("recent", kLater - kHour, "cash back when", "refund-timing", true, false);
    t.bot_answer("spanish", kT0 + 9 * kHour, "cuándo llega mi reembolso", "reembolso", true, false, "es");

    learning::OutcomeStats stats;
    auto r = learning::answer_outcomes(t.store(), options(), &stats);
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    std::map<std::string, learning::AnswerOutcome> by_question;
    for (const auto& o : r.value()) by_question[o.question] = o;
    CHECK(r->size() == 6);
    auto good = [&](const std::string& q) -> std::optional<bool> {
      auto it = by_question.find(q);
      if (it == by_question.end()) return std::nullopt;
      return it->second.good;
    };
    CHECK(good("can i get cash back") == std::optional<bool>(true));
    CHECK(good("is klarna possible") == std::optional<bool>(false));
    CHECK(good("where is my label") == std::optional<bool>(false));
    CHECK(good("fees too high") == std::optional<bool>(false));
    CHECK(good("return my shoes") == std::optional<bool>(true));
    CHECK(good("cuándo llega mi reembolso") == std::optional<bool>(true));
    CHECK_FALSE(good("talk to a human").has_value());
    CHECK_FALSE(good("hello there").has_value());
    CHECK_FALSE(good("cash back when").has_value());  // its window is not over
    REQUIRE(by_question.count("can i get cash back"));
    CHECK(by_question["can i get cash back"].article == "refund-timing");
    CHECK(by_question["can i get cash back"].locale == "en");
    REQUIRE(by_question.count("cuándo llega mi reembolso"));
    CHECK(by_question["cuándo llega mi reembolso"].locale == "es");
    CHECK(stats.bot_answers == 9);
    CHECK(stats.good == 3);
    CHECK(stats.bad == 3);
    CHECK(stats.undecided == 3);
  }

  TEST_CASE("learning/outcomes: since and until bound the answers read, a narrower window decides sooner") {
    Traffic t;
    t.bot_answer("a", kT0, "can i get cash back", "refund-timing", true, false);
    t.ticket("a", kT0 + 3 * kHour);
    t.bot_answer("b", kT0 + 2 * kDay, "where is my label", "print-label", true, false);
    LearnOptions o = options();
    o.since_ms = kT0 + kDay;
    auto later = learning::answer_outcomes(t.store(), o);
    REQUIRE(later.ok());
    REQUIRE(later->size() == 1);
    CHECK(later->front().question == "where is my label");
    // With a two-hour window, the ticket three hours later no longer says the answer failed.
    o = options();
    o.deflection_window_ms = 2 * kHour;
    learning::OutcomeStats stats;
    auto narrow = learning::answer_outcomes(t.store(), o, &stats);
    REQUIRE(narrow.ok());
    CHECK(stats.good == 2);
    CHECK(stats.bad == 0);
  }
}

TEST_SUITE("learning/capi") {
  TEST_CASE("learning/capi: suggest, apply and forget through the C API, bad input is refused") {
    hmtest::Kb kb;
    hmtest::write_articles(kb, hmtest::tuned_articles());
    kb.build_ok();
    Traffic t;
    t.sessions(5, "a", "zorbly quimp", "print-label", 2);
    t.store();  // every event recorded

    hm_event_store* store = nullptr;
    REQUIRE(hm_event_store_open(&store, t.path().c_str(), HM_STORE_READ_ONLY, "", -1) == HM_OK);
    const std::string index = kb.index_dir().string();
    char* json = nullptr;
    std::size_t len = 0;
    REQUIRE_MESSAGE(hm_learn_suggest_json(&json, &len, store, index.c_str(), 0) == HM_OK, hm_last_error());
    const std::string text(json, len);
    hm_string_free(json);
    const auto parsed = nlohmann::json::parse(text);
    REQUIRE(parsed["questions"].size() == 1);
    CHECK(parsed["questions"][0]["article"] == "print-label");
    CHECK(parsed["questions"][0]["question"] == "zorbly quimp");

    // Six sessions needed: nothing qualifies.
    REQUIRE(hm_learn_suggest_json(&json, &len, store, index.c_str(), 6) == HM_OK);
    CHECK(nlohmann::json::parse(std::string(json, len))["questions"].empty());
    hm_string_free(json);

    std::size_t added = 0;
    REQUIRE_MESSAGE(hm_learn_apply_json(&added, index.c_str(), text.c_str()) == HM_OK, hm_last_error());
    CHECK(added == 1);
    CHECK(fs::exists(kb.index_dir() / "learned.json"));
    REQUIRE(hm_learn_apply_json(&added, index.c_str(), text.c_str()) == HM_OK);
    CHECK(added == 0);  // nothing new

    CHECK(hm_learn_apply_json(&added, index.c_str(), "{\"questions\": [{\"article\": 3}]}") == HM_EINPUT);
    CHECK(std::string(hm_last_error()).find("article") != std::string::npos);
    CHECK(hm_learn_apply_json(&added, nullptr, text.c_str()) == HM_EINVALID);
    CHECK(hm_learn_suggest_json(&json, &len, nullptr, index.c_str(), 0) == HM_EINVALID);
    CHECK(hm_learn_suggest_json(&json, &len, store, (kb.root() / "nothing").c_str(), 0) == HM_ENOTFOUND);

    std::size_t removed = 0;
    REQUIRE(hm_learn_forget(&removed, index.c_str(), nullptr) == HM_OK);
    CHECK(removed == 1);
    CHECK_FALSE(fs::exists(kb.index_dir() / "learned.json"));
    hm_event_store_close(store);
  }
}

TEST_SUITE("learning/json") {
  TEST_CASE("learning/json: counts too large to convert, or negative, name the field") {
    for (const char* value : {"1e300", "-1", "1e13"}) {
      const std::string text = std::string(R"({"questions": [{"article": "a", "locale": "en", "question": "q", "sessions": )") +
                               value + "}]}";
      auto read = learning::questions_from_json(text);
      REQUIRE_FALSE(read.ok());
      CHECK(read.status().code() == ErrorCode::kInvalidInput);
      CHECK(read.status().message().find("questions[0]: \"sessions\" must be between 0 and 1e12") != std::string::npos);
    }
    auto fine = learning::questions_from_json(R"({"questions": [{"article": "a", "locale": "en", "question": "q", "sessions": 1e12}]})");
    REQUIRE(fine.ok());
    CHECK(fine->front().sessions == 1000000000000ULL);
  }
}
