#include <doctest/doctest.h>

#include <string>

#include "helpmark/taxonomy.hpp"
#include "util/display_width.hpp"
#include "util/text.hpp"

using namespace helpmark;

TEST_SUITE("util/text") {
  TEST_CASE("find_invalid_utf8 returns the offset of the first bad sequence") {
    CHECK(text::find_invalid_utf8("plain ascii") == std::string_view::npos);
    CHECK(text::find_invalid_utf8("devolución 返金 การคืนเงิน 😀") == std::string_view::npos);
    SUBCASE("stray continuation byte") { CHECK(text::find_invalid_utf8("ab\x80z") == 2); }
    SUBCASE("Latin-1 byte") { CHECK(text::find_invalid_utf8("caf\xe9 ok") == 3); }
    SUBCASE("truncated sequence at the end") { CHECK(text::find_invalid_utf8("xy\xe3\x81") == 2); }
    SUBCASE("overlong encoding of '/'") { CHECK(text::find_invalid_utf8("a\xc0\xaf") == 1); }
    SUBCASE("UTF-16 surrogate") { CHECK(text::find_invalid_utf8("\xed\xa0\x80") == 0); }
    SUBCASE("past U+10FFFF") { CHECK(text::find_invalid_utf8("ok\xf4\x90\x80\x80") == 2); }
  }

  TEST_CASE("line_of_offset counts lines from 1") {
    const std::string s = "one\ntwo\nthree";
    CHECK(text::line_of_offset(s, 0) == 1);
    CHECK(text::line_of_offset(s, 3) == 1);  // the '\n' itself
    CHECK(text::line_of_offset(s, 4) == 2);
    CHECK(text::line_of_offset(s, 8) == 3);
    CHECK(text::line_of_offset(s, 1000) == 3);
  }

  TEST_CASE("html_escape escapes the five HTML specials") {
    CHECK(text::html_escape("<script>alert('x') & \"y\"</script>") ==
          "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    CHECK(text::html_escape("plain") == "plain");
  }

  TEST_CASE("trim, split, join, ascii_lower") {
    CHECK(text::trim("  a b \t\r\n") == "a b");
    CHECK(text::trim("   ").empty());
    CHECK(text::split("a/b//c", '/') == std::vector<std::string>{"a", "b", "", "c"});
    CHECK(text::split("", ',') == std::vector<std::string>{""});
    CHECK(text::join({"x", "y", "z"}, ", ") == "x, y, z");
    CHECK(text::join({}, ", ").empty());
    CHECK(text::ascii_lower("ÉtApEs ABC") == "Étapes abc");
  }

  TEST_CASE("slugify_heading makes GitHub-style anchors") {
    CHECK(text::slugify_heading("Troubleshooting") == "troubleshooting");
    CHECK(text::slugify_heading("Related articles") == "related-articles");
    CHECK(text::slugify_heading("Step 2: pay (now)!") == "step-2-pay-now");
    CHECK(text::slugify_heading("手順") == "手順");
    CHECK(text::slugify_heading("snake_case-and-dash") == "snake_case-and-dash");
  }

  TEST_CASE("slugify_heading lower-cases non-ASCII letters like GitHub") {
    CHECK(text::slugify_heading("Étapes") == "étapes");
    CHECK(text::slugify_heading("Über uns") == "über-uns");
    CHECK(text::slugify_heading("¿Qué pasa?") == "qué-pasa");
    CHECK(text::slugify_heading("よくある質問") == "よくある質問");
  }

  TEST_CASE("ISO dates") {
    CHECK(text::is_iso_date("2026-09-14"));
    CHECK(text::is_iso_date("2024-02-29"));  // leap year
    CHECK_FALSE(text::is_iso_date("2023-02-29"));
    CHECK_FALSE(text::is_iso_date("1900-02-29"));
    CHECK(text::is_iso_date("2000-02-29"));
    CHECK_FALSE(text::is_iso_date("2026-13-01"));
    CHECK_FALSE(text::is_iso_date("2026-04-31"));
    CHECK_FALSE(text::is_iso_date("2026-4-1"));
    CHECK_FALSE(text::is_iso_date("14/09/2026"));
    CHECK_FALSE(text::is_iso_date(""));
    CHECK(text::days_from_iso_date("1970-01-01") == 0);
    CHECK(text::days_from_iso_date("1970-01-02") == 1);
    CHECK(text::days_from_iso_date("2000-03-01") == 11017);
    CHECK(text::iso_date_from_days(0) == "1970-01-01");
    for (const char* d : {"1999-12-31", "2024-02-29", "2026-11-20", "2100-03-01"})
      CHECK(text::iso_date_from_days(text::days_from_iso_date(d)) == d);
  }

  TEST_CASE("fnv1a64 and hex64 are stable") {
    // Stored in indexes: these values must never change.
    CHECK(text::fnv1a64("") == 14695981039346656037ULL);
    CHECK(text::hex64(text::fnv1a64("a")) == "af63dc4c8601ec8c");
    CHECK(text::hex64(1) == "0000000000000001");
    CHECK(text::fnv1a64("ab") != text::fnv1a64("ba"));
  }

  TEST_CASE("parse_interval_days") {
    CHECK(parse_interval_days("180d") == 180);
    CHECK(parse_interval_days("26w") == 182);
    CHECK(parse_interval_days("6m") == 180);
    CHECK(parse_interval_days("1y") == 365);
    CHECK(parse_interval_days(" 30d ") == 30);
    CHECK(parse_interval_days("d") == -1);
    CHECK(parse_interval_days("6 months") == -1);
    CHECK(parse_interval_days("10h") == -1);
    CHECK(parse_interval_days("-5d") == -1);
    CHECK(parse_interval_days("") == -1);
    CHECK(parse_interval_days("99999999999d") == -1);
  }

  TEST_CASE("display_width counts terminal columns, not bytes or code points") {
    CHECK(text::display_width("refund") == 6);
    CHECK(text::display_width("返金") == 4);              // wide: two columns each
    CHECK(text::display_width("へんきん") == 8);
    CHECK(text::display_width("ｒｅｆ") == 6);            // full-width Latin
    CHECK(text::display_width("ที่") == 1);                 // Thai: a letter and two marks above it
    CHECK(text::display_width("คืนเงิน") == 5);            // 7 code points, 2 of them marks
    CHECK(text::display_width("e\u0301") == 1);          // e + combining acute
    CHECK(text::display_width("devolución") == 10);
    CHECK(text::display_width("👍") == 2);
    CHECK(text::display_width("a\u200bb") == 2);         // zero-width space
    CHECK(text::display_width("") == 0);
  }

  TEST_CASE("clip_to_width cuts at a cluster boundary and says so") {
    CHECK(text::clip_to_width("refund", 6) == "refund");
    CHECK(text::clip_to_width("refunds", 6) == "refun…");
    CHECK(text::clip_to_width("返金の方法", 5) == "返金…");  // a wide character never half-shown
    CHECK(text::clip_to_width("返金の方法", 6) == "返金…");
    CHECK(text::clip_to_width("ที่อยู่จัดส่ง", 4) == "ที่อยู่…");  // marks stay with their letter
    CHECK(text::display_width(text::clip_to_width("ที่อยู่จัดส่ง", 4)) <= 4);
  }

  TEST_CASE("wrap_to_width breaks at spaces, between CJK characters, and marks what did not fit") {
    auto lines = text::wrap_to_width("How long does a refund take to reach my card", 16);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "How long does a");
    CHECK(lines[1] == "refund take to");
    CHECK(lines[2] == "reach my card");
    for (const auto& l : text::wrap_to_width("返金はいつ口座に届きますか", 8)) CHECK(text::display_width(l) <= 8);
    CHECK(text::wrap_to_width("返金はいつ口座に届きますか", 8).size() >= 4);  // 26 columns
    // A word wider than a line is broken inside.
    lines = text::wrap_to_width("supercalifragilistic", 8);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "supercal");
    // At most two lines: the second ends in an ellipsis.
    lines = text::wrap_to_width("How long does a refund take to reach my card", 16, 2);
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == "refund take to…");
    CHECK(text::display_width(lines[1]) <= 16);
    CHECK(text::wrap_to_width("short", 16, 2) == std::vector<std::string>{"short"});
    CHECK(text::wrap_to_width("", 16).empty());
  }
}
