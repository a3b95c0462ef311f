#include <doctest/doctest.h>

#include "article/front_matter.hpp"

using helpmark::article::split_front_matter;

TEST_SUITE("article/front_matter") {
  TEST_CASE("splits YAML and body and locates the body") {
    auto s = split_front_matter("---\ntitle: A\njourney: b\n---\nBody line\nmore\n");
    REQUIRE(s.ok);
    CHECK(s.yaml == "title: A\njourney: b\n");
    CHECK(s.yaml_first_line == 2);
    CHECK(s.body == "Body line\nmore\n");
    CHECK(s.body_first_line == 5);
  }

  TEST_CASE("a UTF-8 byte-order mark is skipped") {
    auto s = split_front_matter("\xEF\xBB\xBF---\ntitle: A\n---\nBody\n");
    REQUIRE(s.ok);
    CHECK(s.yaml == "title: A\n");
    CHECK(s.body == "Body\n");
    CHECK(s.body_first_line == 4);
  }

  TEST_CASE("CRLF line ends are accepted") {
    auto s = split_front_matter("---\r\ntitle: A\r\n---\r\nBody\r\n");
    REQUIRE(s.ok);
    CHECK(s.yaml == "title: A\r\n");
    CHECK(s.body == "Body\r\n");
    CHECK(s.body_first_line == 4);
  }

  TEST_CASE("'...' closes the front matter too, and trailing spaces on fences are fine") {
    auto s = split_front_matter("---  \ntitle: A\n...\nBody\n");
    REQUIRE(s.ok);
    CHECK(s.yaml == "title: A\n");
    CHECK(s.body == "Body\n");
  }

  TEST_CASE("a closing fence at the very end leaves an empty body") {
    auto s = split_front_matter("---\ntitle: A\n---");
    REQUIRE(s.ok);
    CHECK(s.yaml == "title: A\n");
    CHECK(s.body.empty());
  }

  TEST_CASE("a '---' inside the body is not the front matter's end") {
    auto s = split_front_matter("---\na: 1\n---\nText\n---\nMore\n");
    REQUIRE(s.ok);
    CHECK(s.yaml == "a: 1\n");
    CHECK(s.body == "Text\n---\nMore\n");
  }

  TEST_CASE("missing front matter") {
    auto s = split_front_matter("# Just a heading\n\ntext\n");
    CHECK_FALSE(s.ok);
    CHECK(s.error_line == 1);
    CHECK(s.error.find("missing front matter") != std::string::npos);
  }

  TEST_CASE("the opening fence must be the first line") {
    auto s = split_front_matter("\n---\ntitle: A\n---\n");
    CHECK_FALSE(s.ok);
    CHECK(s.error_line == 1);
  }

  TEST_CASE("unclosed front matter") {
    SUBCASE("fields but no closing fence") {
      auto s = split_front_matter("---\ntitle: A\njourney: b\n\nBody\n");
      CHECK_FALSE(s.ok);
      CHECK(s.error_line == 1);
      CHECK(s.error.find("not closed") != std::string::npos);
    }
    SUBCASE("only the opening fence") {
      auto s = split_front_matter("---");
      CHECK_FALSE(s.ok);
      CHECK(s.error.find("not closed") != std::string::npos);
    }
  }
}
