// Events: the JSONL schema, validation of every type, timestamps, limits.
#include <doctest/doctest.h>

#include "tracking/event.hpp"
#include "tracking_util.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

using helpmark::ErrorCode;
using helpmark::tracking::Event;
using helpmark::tracking::EventType;
using helpmark::tracking::Scrubber;
using helpmark::tracking::event_from_json;
using helpmark::tracking::event_to_json;
using helpmark::tracking::format_timestamp;
using helpmark::tracking::parse_timestamp;
namespace detail = helpmark::tracking::detail;

namespace {

// The reason an event (as JSON) is rejected, parsing or validating; "" when it is accepted.
std::string rejection(std::string_view json) {
  auto e = event_from_json(json);
  if (!e.ok()) return e.status().message();
  Scrubber scrubber;
  auto stored = detail::normalize(e.value(), scrubber);
  return stored.ok() ? "" : stored.status().message();
}

detail::StoredEvent accepted(std::string_view json) {
  auto e = event_from_json(json);
  REQUIRE_MESSAGE(e.ok(), e.status().message());
  Scrubber scrubber;
  auto stored = detail::normalize(e.value(), scrubber);
  REQUIRE_MESSAGE(stored.ok(), stored.status().message());
  return stored.value();
}

}  // namespace

TEST_SUITE("tracking/events") {
  TEST_CASE("timestamps: UTC forms, offsets and fractions become one canonical UTC form") {
    CHECK(parse_timestamp("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_timestamp("2026-11-01T10:00:00Z") == 1793527200000LL);
    CHECK(parse_timestamp("2026-11-01T11:00:00+01:00") == parse_timestamp("2026-11-01T10:00:00Z"));
    CHECK(parse_timestamp("2026-11-01T05:30:00-0430") == parse_timestamp("2026-11-01T10:00:00Z"));
    CHECK(parse_timestamp("2026-11-01T10:00:00.25Z") == *parse_timestamp("2026-11-01T10:00:00Z") + 250);
    CHECK(parse_timestamp("2026-11-01T10:00:00.123456789Z") == *parse_timestamp("2026-11-01T10:00:00Z") + 123);
    CHECK(format_timestamp(1793527200000LL) == "2026-11-01T10:00:00Z");
    CHECK(format_timestamp(1793527200007LL) == "2026-11-01T10:00:00.007Z");
    CHECK(format_timestamp(*parse_timestamp("2024-02-29T23:59:59.999Z")) == "2024-02-29T23:59:59.999Z");
  }

  TEST_CASE("timestamps: ambiguous or impossible times are rejected") {
    for (const char* bad : {"", "yesterday", "2026-11-01", "2026-11-01T10:00:00", "2026-11-01 10:00:00Z",
                            "2026-13-01T10:00:00Z", "2026-02-30T10:00:00Z", "2026-11-01T24:00:00Z",
                            "2026-11-01T10:60:00Z", "2026-11-01T10:00:60Z", "2026-11-01T10:00:00.Z",
                            "2026-11-01T10:00:00+25:00", "2026-11-01T10:00:00ZZ", "1969-12-31T23:59:59Z",
                            "1970-01-01T00:30:00+01:00", "1793527200"}) {
      INFO(bad);
      CHECK_FALSE(parse_timestamp(bad).has_value());
    }
  }

  TEST_CASE("every event type is accepted with its fields and round-trips through JSON") {
    const char* lines[] = {
        R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s1","locale":"pt-BR","audience":"buyer","query":"reembolso atrasado","filters":{"journey":["payments"],"audience":"buyer"},"total":12,"results":["a1","a2"]})",
        R"({"type":"click","ts":"2026-11-01T10:00:05Z","session":"s1","search_id":"q1","article":"a1","position":1})",
        R"({"type":"view","ts":"2026-11-01T10:00:06Z","session":"s1","article":"a1","source":"bot"})",
        R"({"type":"feedback","ts":"2026-11-01T10:01:00Z","session":"s1","article":"a1","helpful":false,"reason":"out of date"})",
        R"({"type":"bot_answer","ts":"2026-11-01T10:02:00Z","session":"s1","question":"where is my money","article":"a1","confidence":0.75,"escalated":false,"accepted":true})",
        R"({"type":"ticket","ts":"2026-11-01T10:03:00Z","session":"s1","journey":"payments"})",
    };
    EventType expected[] = {EventType::kSearch, EventType::kClick, EventType::kView,
                            EventType::kFeedback, EventType::kBotAnswer, EventType::kTicket};
    for (std::size_t i = 0; i < 6; ++i) {
      INFO(lines[i]);
      auto stored = accepted(lines[i]);
      CHECK(stored.event.type == expected[i]);
      CHECK(stored.event.id.size() == 32);  // derived
      // The canonical JSON parses back to the same canonical JSON.
      const std::string json = event_to_json(stored.event);
      auto again = accepted(json);
      CHECK(event_to_json(again.event) == json);
      CHECK(again.event.id == stored.event.id);
    }
    auto search = accepted(lines[0]).event;
    CHECK(search.filters.at("journey") == std::vector<std::string>{"payments"});
    CHECK(search.filters.at("audience") == std::vector<std::string>{"buyer"});
    CHECK(search.total == 12);
    CHECK(search.results == std::vector<std::string>{"a1", "a2"});
    auto bot = accepted(lines[4]).event;
    CHECK(bot.confidence == doctest::Approx(0.75));
    CHECK(bot.accepted == true);
    CHECK(bot.escalated == false);
  }

  TEST_CASE("the derived id depends on the content, not on how the time or keys were written") {
    auto a = accepted(R"({"type":"view","ts":"2026-11-01T10:00:00Z","session":"s","article":"x"})");
    auto b = accepted(R"({"session":"s","article":"x","ts":"2026-11-01T11:00:00+01:00","type":"view"})");
    auto c = accepted(R"({"type":"view","ts":"2026-11-01T10:00:01Z","session":"s","article":"x"})");
    CHECK(a.event.id == b.event.id);
    CHECK(a.event.id != c.event.id);
    // Derived ids start with the time, so they sort by time (and the store's index grows at its end).
    CHECK(a.event.id.substr(0, 12) == "01a1968d3900");  // 1793527200000 ms in hex
    CHECK(a.event.id < c.event.id);
    auto given = accepted(R"({"type":"view","id":"evt-42","ts":"2026-11-01T10:00:00Z","session":"s","article":"x"})");
    CHECK(given.event.id == "evt-42");
  }

  TEST_CASE("a search with zero results and an empty query (browsing) is valid") {
    auto s = accepted(R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s","query":"","results":[],"total":0})");
    CHECK(s.event.total == 0);
    CHECK(s.event.query.empty());
  }

  TEST_CASE("unknown types and malformed lines are rejected with a clear reason") {
    CHECK(helpmark::text::starts_with(rejection("not json"), "not valid JSON"));
    CHECK(rejection(R"(["search"])") == "an event must be a JSON object, not an array");
    CHECK(rejection(R"({"ts":"2026-11-01T10:00:00Z","session":"s"})") == "missing field 'type'");
    CHECK(rejection(R"({"type":"purchase","ts":"2026-11-01T10:00:00Z","session":"s"})") ==
          "unknown event type 'purchase'; expected search, click, view, feedback, bot_answer or ticket");
    CHECK(rejection(R"({"type":7,"ts":"2026-11-01T10:00:00Z","session":"s"})") ==
          "field 'type' must be a string, not a number");
    CHECK(rejection(R"({"type":"ticket","ts":"2026-11-01T10:00:00Z","session":"s","user_email":"x"})") ==
          "unknown field 'user_email'");
  }

  TEST_CASE("deeply nested JSON is refused before it is parsed (issue 14, defect 1)") {
    // 100,000 levels overflowed the stack when the parsed value was printed.
    const std::string deep = R"({"type":"search","results":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK(helpmark::text::starts_with(rejection(deep), "JSON nested deeper than 64 levels"));
    const std::string in_string = R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s","query":")" +
                                  std::string(200, '[') + R"(","total":0})";
    CHECK(rejection(in_string).find("nested") == std::string::npos);
  }

  TEST_CASE("a number too large for a double is invalid JSON, not an exception (found by fuzz_events)") {
    CHECK(rejection(R"({"type":"search","total":6666666666666666666666666666666666666e6666666666})") ==
          "not valid JSON: number overflow parsing '6666666666666666666666666666666666666e6666666666'");
  }

  TEST_CASE("missing required fields are named") {
    struct Case {
      const char* json;
      const char* message;
    } cases[] = {
        {R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s"})", "missing field 'query'"},
        {R"({"type":"search","session":"s","query":"x"})", "missing field 'ts'"},
        {R"({"type":"search","ts":"2026-11-01T10:00:00Z","query":"x"})", "missing field 'session'"},
        {R"({"type":"click","ts":"2026-11-01T10:00:00Z","session":"s","article":"a"})", "missing field 'position'"},
        {R"({"type":"click","ts":"2026-11-01T10:00:00Z","session":"s","position":1})", "missing field 'article'"},
        {R"({"type":"view","ts":"2026-11-01T10:00:00Z","session":"s"})", "missing field 'article'"},
        {R"({"type":"feedback","ts":"2026-11-01T10:00:00Z","session":"s","article":"a"})", "missing field 'helpful'"},
        {R"({"type":"feedback","ts":"2026-11-01T10:00:00Z","session":"s","helpful":true})", "missing field 'article'"},
        {R"({"type":"bot_answer","ts":"2026-11-01T10:00:00Z","session":"s","article":"a"})", "missing field 'question'"},
        {R"({"type":"ticket","ts":"2026-11-01T10:00:00Z"})", "missing field 'session'"},
    };
    for (const auto& c : cases) {
      INFO(c.json);
      CHECK(helpmark::text::starts_with(rejection(c.json), c.message));
    }
  }

  TEST_CASE("bad values are rejected") {
    auto starts = [](std::string_view json, std::string_view message) {
      INFO(json);
      const std::string why = rejection(json);
      INFO(why);
      CHECK(helpmark::text::starts_with(why, message));
    };
    starts(R"({"type":"view","ts":"2026-11-01T10:00:00","session":"s","article":"a"})", "field 'ts' is not an ISO 8601");
    starts(R"({"type":"view","ts":"1 Nov 2026","session":"s","article":"a"})", "field 'ts' is not an ISO 8601");
    CHECK(hmtest::contains(rejection(R"({"type":"view","ts":"2026-11-01T10:00:00","session":"s","article":"a"})"),
                           "add Z for UTC"));
    CHECK_FALSE(hmtest::contains(rejection(R"({"type":"view","ts":"1 Nov 2026","session":"s","article":"a"})"),
                                 "add Z for UTC"));
    starts(R"({"type":"click","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","position":0})",
           "field 'position' must be 1 or more");
    starts(R"({"type":"click","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","position":"1"})",
           "field 'position' must be a whole number");
    starts(R"({"type":"feedback","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","helpful":"yes"})",
           "field 'helpful' must be true or false, not a string");
    starts(R"({"type":"bot_answer","ts":"2026-11-01T10:00:00Z","session":"s","question":"q","confidence":1.5})",
           "field 'confidence' must be a number from 0 to 1");
    starts(R"({"type":"view","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","source":"email"})",
           "field 'source' must be search, link, bot or other");
    starts(R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s","query":"x","total":1,"results":["a","b"]})",
           "field 'total' (1) is smaller than the number of results listed (2)");
    starts(R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s","query":"x","total":-1})",
           "field 'total' must be 0 or more");
    starts(R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s","query":"x","results":"a"})",
           "field 'results' must be an array of article ids");
    starts(R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s","query":"x","results":[""]})",
           "field 'results' holds an empty id");
    starts(R"({"type":"view","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","locale":"english please"})",
           "field 'locale' is not a BCP 47 language tag");
    starts(R"({"type":"ticket","ts":"2026-11-01T10:00:00Z","session":"s","journey":"pay ments"})",
           "field 'journey' must be an id");
    // Fields of another type are mistakes, not silently dropped.
    starts(R"({"type":"click","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","position":1,"query":"x"})",
           "field 'query' does not apply to click events");
    starts(R"({"type":"ticket","ts":"2026-11-01T10:00:00Z","session":"s","helpful":true})",
           "field 'helpful' does not apply to ticket events");
  }

  TEST_CASE("personal data in id fields is refused rather than stored") {
    CHECK(helpmark::text::starts_with(
        rejection(R"({"type":"ticket","ts":"2026-11-01T10:00:00Z","session":"maria.lopez@example.com"})"),
        "field 'session' looks like an email address"));
    CHECK(helpmark::text::starts_with(
        rejection(R"({"type":"view","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","id":"bob@example.org"})"),
        "field 'id' looks like an email address"));
  }

  TEST_CASE("cards, phones and national ids in id fields are refused, opaque ids pass (issue 14, defect 9)") {
    const std::string base = R"({"type":"search","ts":"2026-11-01T10:00:00Z","query":"refund","total":1,)";
    for (const std::string value : {"4111.1111.1111.1111", "card4111111111111111", "4111 1111 1111 1111",
                                    "+1 415 555 0100", "(415) 555-0134", "536-90-4512", "123.456.789-09"}) {
      INFO("value: " << value);
      CHECK(rejection(base + R"("session":")" + value + R"("})").find("field 'session' holds personal data") == 0);
      CHECK(rejection(base + R"("session":"s","id":")" + value + R"("})").find("field 'id' holds personal data") == 0);
      CHECK(rejection(base + R"("session":"s","results":[")" + value + R"("]})").find("field 'results' holds personal data") == 0);
    }
    for (const std::string value : {"1700000000123", "sess-8f3a2c", "ORD-2024-88731", "refund-timing", "a1b2c3d4e5"}) {
      INFO("value: " << value);
      CHECK(rejection(base + R"("session":")" + value + R"("})") == "");
    }
    CHECK(rejection(R"({"type":"view","ts":"2026-11-01T10:00:00Z","session":"s","article":"4111111111111111"})")
              .find("field 'article' holds personal data") == 0);
  }

  TEST_CASE("free text: addresses, postcodes, dates of birth and names are scrubbed (issue 14, defect 9)") {
    Scrubber scrubber;
    CHECK(scrubber.scrub("I live at 221B Baker Street, London NW1 6XE") == "I live at <address>, London <postcode>");
    CHECK(scrubber.scrub("name: Jane Smith, DOB 1985-03-14") == "name: <name>, DOB <dob>");
    CHECK(scrubber.scrub("4111.1111.1111.1111") == "<card>");
    CHECK(scrubber.scrub("card4111111111111111") == "card<card>");
    // Look-alikes survive: a date without a birth cue, an amount, an order number.
    CHECK(scrubber.scrub("ordered on 1985-03-14, paid 1.250,00, order 12345678") ==
          "ordered on 1985-03-14, paid 1.250,00, order 12345678");
  }

  TEST_CASE("oversized text, too many results and invalid UTF-8 are rejected") {
    const std::string limit_text(helpmark::tracking::kMaxTextBytes, 'a');
    const std::string over_text(helpmark::tracking::kMaxTextBytes + 1, 'a');
    auto search = [](const std::string& q) {
      return R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s","query":")" + q + R"("})";
    };
    CHECK(rejection(search(limit_text)).empty());
    CHECK(rejection(search(over_text)) == "field 'query' is 2001 bytes; the limit is 2000");
    CHECK(rejection(R"({"type":"feedback","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","helpful":false,"reason":")" +
                    over_text + "\"}") == "field 'reason' is 2001 bytes; the limit is 2000");
    CHECK(rejection(R"({"type":"bot_answer","ts":"2026-11-01T10:00:00Z","session":"s","question":")" + over_text +
                    "\"}") == "field 'question' is 2001 bytes; the limit is 2000");
    CHECK(helpmark::text::starts_with(
        rejection(R"({"type":"ticket","ts":"2026-11-01T10:00:00Z","session":")" +
                  std::string(helpmark::tracking::kMaxIdBytes + 1, 's') + "\"}"),
        "field 'session' is 201 bytes"));
    std::string results = "[";
    for (std::size_t i = 0; i <= helpmark::tracking::kMaxResults; ++i) results += (i ? ",\"a" : "\"a") + std::to_string(i) + "\"";
    results += "]";
    CHECK(rejection(R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s","query":"x","results":)" + results + "}") ==
          "field 'results' lists 1001 ids; the limit is 1000");

    // Through the C++ API, where no JSON parser checks the bytes first.
    Event e;
    e.type = EventType::kSearch;
    e.ts = "2026-11-01T10:00:00Z";
    e.session = "s";
    e.query = "caf\xC3";  // truncated UTF-8
    Scrubber scrubber;
    auto stored = detail::normalize(e, scrubber);
    REQUIRE_FALSE(stored.ok());
    CHECK(stored.status().code() == ErrorCode::kInvalidInput);
    CHECK(stored.status().message() == "field 'query' is not valid UTF-8");
  }

  TEST_CASE("texts are scrubbed during validation, before anything can store them") {
    auto s = accepted(R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s","query":"refund for ana@example.com"})");
    CHECK(s.event.query == "refund for <email>");
    auto f = accepted(R"({"type":"feedback","ts":"2026-11-01T10:00:00Z","session":"s","article":"a","helpful":false,"reason":"call 0151 23456789"})");
    CHECK(f.event.reason == "call <phone>");
    auto b = accepted(R"({"type":"bot_answer","ts":"2026-11-01T10:00:00Z","session":"s","question":"card 4111 1111 1111 1111 declined"})");
    CHECK(b.event.question == "card <card> declined");
  }
}
