#include <doctest/doctest.h>

#include "analysis/analyzer.hpp"
#include "helpmark/index.hpp"
#include "search/snippet.hpp"
#include "test_util.hpp"

using namespace helpmark;
using helpmark::search::make_snippet;
using hmtest::contains;
using hmtest::md;

TEST_SUITE("search/snippet") {
  TEST_CASE("HTML is escaped and matches are marked") {
    analysis::Analyzer en("en");
    const std::string text = "Never paste <script>alert(1)</script> into the refund form & wait.";
    std::string s = make_snippet(text, {"refund"}, en);
    CHECK(s == "Never paste &lt;script&gt;alert(1)&lt;/script&gt; into the <mark>refund</mark> "
               "form &amp; wait.");
    CHECK_FALSE(contains(s, "<script>"));
  }

  TEST_CASE("every matching word is marked, inflections included") {
    analysis::Analyzer en("en");
    std::string s = make_snippet("Refunds are refunded to the card. Cards too.", {"refund", "card"}, en);
    CHECK(s == "<mark>Refunds</mark> are <mark>refunded</mark> to the <mark>card</mark>. "
               "<mark>Cards</mark> too.");
  }

  TEST_CASE("stop words are never marked") {
    analysis::Analyzer en("en");
    std::string s = make_snippet("The refund of the order", {"the", "refund"}, en);
    CHECK(s == "The <mark>refund</mark> of the order");
  }

  TEST_CASE("Japanese: the query's particles are never marked, its words are") {
    analysis::Analyzer ja("ja");
    // Every word of the query: Japanese particles are still searched, so の is among them.
    std::vector<analysis::Token> tokens;
    ja.tokenize("返金の方法", tokens);
    REQUIRE(tokens.size() == 3);
    CHECK(tokens[1].unmarked);
    std::set<std::string> stems;
    for (const auto& t : tokens) {
      std::vector<std::string> s;
      ja.stems(t, s);
      stems.insert(s.begin(), s.end());
    }
    // From articles/ja/payments/refund-timing.md, as plain text.
    const std::string text = "返金 欄を確認します。返金日、金額、返金先の支払い方法が表示されています。";
    CHECK(make_snippet(text, stems, ja) ==
          "<mark>返金</mark> 欄を確認します。<mark>返金</mark>日、金額、<mark>返金</mark>先の支払い<mark>方法</mark>が表示されています。");
  }

  TEST_CASE("nothing matches: the start of the text, escaped") {
    analysis::Analyzer en("en");
    std::string s = make_snippet("A & B <c> d", {"zebra"}, en);
    CHECK(s == "A &amp; B &lt;c&gt; d");
  }

  TEST_CASE("long text: a window around the matches, with ellipses where cut") {
    analysis::Analyzer en("en");
    std::string text;
    for (int i = 0; i < 60; ++i) text += "filler" + std::to_string(i) + " ";
    text += "the escrow account holds it ";
    for (int i = 0; i < 60; ++i) text += "tail" + std::to_string(i) + " ";
    std::string s = make_snippet(text, {"escrow"}, en, 10);
    CHECK(s.starts_with("… "));
    CHECK(s.ends_with(" …"));
    CHECK(contains(s, "<mark>escrow</mark>"));
    CHECK_FALSE(contains(s, "filler0 "));
    CHECK_FALSE(contains(s, "tail59"));
    // About ten words: the window, not the whole text.
    CHECK(std::count(s.begin(), s.end(), ' ') < 16);
  }

  TEST_CASE("newlines become spaces") {
    analysis::Analyzer en("en");
    CHECK(make_snippet("line one\nline two", {"two"}, en) == "line one line <mark>two</mark>");
  }

  TEST_CASE("accents: a query without them marks the accented word") {
    analysis::Analyzer es("es");
    std::vector<analysis::Token> tokens;
    es.tokenize("devolucion", tokens);
    std::vector<std::string> stems;
    es.stems(tokens.at(0), stems);
    std::string s = make_snippet("La devolución llega pronto.", {stems.begin(), stems.end()}, es);
    CHECK(s == "La <mark>devolución</mark> llega pronto.");
  }

  TEST_CASE("search hits carry escaped, highlighted snippets") {
    hmtest::Kb kb;
    kb.add("en/html.md", md("title: Forms\njourney: payments\n",
                            "Never type `<script>` tags into the checkout form; Terms & Conditions "
                            "apply to every checkout.\n"));
    kb.build_ok();
    Index index = kb.open();
    SearchRequest r;
    r.query = "checkout";
    auto response = hmtest::search_ok(index, r);
    REQUIRE(response.hits.size() == 1);
    const std::string& snippet = response.hits[0].snippet;
    CHECK(contains(snippet, "&lt;script&gt;"));
    CHECK(contains(snippet, "Terms &amp; Conditions"));
    CHECK(contains(snippet, "<mark>checkout</mark>"));
    CHECK_FALSE(contains(snippet, "<script>"));
    CHECK_FALSE(contains(snippet, " & "));
  }
}
