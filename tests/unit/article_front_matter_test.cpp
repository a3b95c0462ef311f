#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <optional>

#include "article/front_matter.hpp"
#include "test_util.hpp"

using helpmark::article::split_front_matter;
using helpmark::article::YamlValue;

namespace {

std::string dump(const YamlValue& v, int depth = 0) {
  std::string out(static_cast<std::size_t>(depth) * 2, ' ');
  out += std::to_string(static_cast<int>(v.type)) + "@" + std::to_string(v.line) + " [" + v.scalar + "]\n";
  for (const auto& item : v.items) out += dump(item, depth + 1);
  for (const auto& [key, value] : v.entries) out += dump(key, depth + 1) + dump(value, depth + 2);
  return out;
}

// What a reader makes of `yaml`: the tree, or nullopt when it throws.
template <typename Reader>
std::optional<std::string> read_with(Reader reader, std::string_view yaml) {
  try {
    return dump(reader(yaml));
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

// Checks both readers agree; returns whether the direct reader took it.
bool check_same_as_yaml_cpp(std::string_view yaml) {
  INFO(yaml);
  const auto expected = read_with(helpmark::article::read_front_matter_yaml_with_yaml_cpp, yaml);
  const auto got = read_with(helpmark::article::read_front_matter_yaml, yaml);
  REQUIRE(expected.has_value() == got.has_value());
  if (expected) CHECK(*expected == *got);
  const auto direct = helpmark::article::read_front_matter_yaml_directly(yaml);
  if (direct) CHECK(expected == dump(*direct));
  return direct.has_value();
}

}  // namespace

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

  TEST_CASE("front-matter YAML reads as yaml-cpp reads it, in the common shape and outside it") {
    const char* const cases[] = {
        "title: Hello, world\njourney: payments\n",
        "title: \"Quoted: yes # no\"\n",
        "title: 'single'\n",
        "title: \"\"\nowner: ''\n",
        "title: '  padded  '\n",
        "title: a #comment\n",
        "title: a#b and C# and 100% [sure] {really}, yes\n",
        "title: http://example.com/x?y=1\nsummary: article:refund-timing\n",
        "title: x   \nowner:    y\n",
        "title: ja 日本語のタイトル\nowner: \"日本語\"\n",
        "reviewed: 2026-01-01\nreview_every: 180d\nstatus: published\n",
        "tags: [a, b , c]\n", "tags: []\n", "tags: [ a ]\n", "tags: [a,b]\n", "tags: [buy now, pay later]\n",
        "tags: [a:b]\n", "tags: ['a']\n", "tags: [a, b,]\n", "tags: [,]\n", "tags: [a, [b]]\n", "tags: [a, b]]\n",
        "tags: [a, null]\n", "tags: [a, ~]\n", "tags: [-a]\n", "tags: [a\n", "tags: [a] x\n",
        "related:\n  - a\n  - b\n", "related:\n- a\n- b\n", "related:\n  - a\n# c\n  - b\n",
        "related:\n\n  - a\n", "related:\n  - 'quoted'\n  - \"dq\"\n", "related:\n  - [a]\n", "related:\n  -\n",
        "related:\n  - a\n   - b\n", "related:\n    - a\n  - b\n", "related:\n  - a: b\n", "related:\n  - - a\n",
        "title: x\nrelated:\n  - a\n  - b\nowner: y\n", "related:\n  - a\nowner: y\n  - b\n",
        "title: x\n\n# comment\nowner: y\n", "# first\ntitle: x\n", "\n\ntitle: x\n",
        "title: a: b\n", "title: x:\n", "title: x :\n", "title: [a, b]\n", "title: {a: b}\n",
        "title: null\n", "title: ~\n", "title: Null\n", "title:\n", "title:\njourney: x\n", "title:  \n",
        "title: x\ntitle: y\n", "title: foo\n  bar\n", "title: x\n  # indented comment\n",
        "title: \"a \\\" b\"\n", "title: \"a \\n b\"\n", "title: 'it''s'\n", "title: 'x\n", "title: \"x\" y\n",
        "title: 'a' # c\n", "title: \"x\"  \n", "title: a\tb\n", "title: x\r\n", "title: x\r\nowner: y\r\n",
        "audit: {ignore: [orphans]}\n", "audit:\n  ignore: [orphans]\n  type: faq\n",
        "key_with-dash: v\n", "9key: v\n", "-key: v\n", "ti tle: x\n", "title : x\n", "Title: X\n",
        "null: x\n", "~: x\n", "true: x\n", "title:x\n",
        "title: >\n  folded\n", "title: |\n  literal\n", "title: &a x\nowner: *a\n", "title: !tag x\n",
        "title: -5\n", "title: - x\n", "title: ? x\n", "title: @team\n", "title: `x`\n", "title: %x\n",
        "- a\n- b\n", "just text\n", "", "# only a comment\n", "title: x\n...\n",
        "title: a \xC2\x85 b\n", "title: a \xE2\x80\xA8 b\n", "title: \xEF\xBB\xBFx\n",
    };
    std::size_t direct = 0;
    for (const char* yaml : cases) direct += check_same_as_yaml_cpp(yaml);
    CHECK(direct > 25);  // the common shapes above do not need yaml-cpp
  }

  TEST_CASE("front-matter YAML of every article in the repository reads as yaml-cpp reads it") {
    std::size_t files = 0, direct = 0;
    for (const auto& root : {hmtest::kSourceDir / "articles", hmtest::kTestData})
      for (const auto& entry : hmtest::fs::recursive_directory_iterator(root)) {
        if (entry.path().extension() != ".md") continue;
        const std::string text = hmtest::read_file(entry.path());
        auto split = split_front_matter(text);
        if (!split.ok) continue;
        ++files;
        direct += check_same_as_yaml_cpp(split.yaml);
      }
    CHECK(files > 250);
    CHECK(direct * 10 > files * 9);  // nearly all are in the common shape
  }
}
