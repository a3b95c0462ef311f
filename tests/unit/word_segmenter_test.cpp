// Word segmentation (search and audit alike): ICU's word break rules, and the same rules
// without ICU for ASCII text, which must find exactly the words ICU finds.
#include <doctest/doctest.h>

#include <random>

#include "analysis/analyzer.hpp"
#include "analysis/word_segmenter.hpp"
#include "audit_test_util.hpp"

using helpmark::analysis::WordSegmenter;
using Spans = std::vector<helpmark::analysis::WordSpan>;

namespace {

void check_same_words(WordSegmenter& segmenter, std::string_view text) {
  Spans fast, icu;
  segmenter.words(text, fast);
  segmenter.words_with_icu(text, icu);
  INFO("text: [" << std::string(text) << "]");
  CHECK(fast == icu);
}

}  // namespace

TEST_SUITE("analysis/words") {
  TEST_CASE("ASCII words found without ICU are the words ICU finds, in every shipped locale") {
    std::mt19937_64 rng(20261123);
    const std::string alphabet = "abZ@09._',;: -!\"\n\t#$()/?";
    for (const char* locale : {"en", "es", "fr", "de", "pt-BR", "ja", "zh", "th"}) {
      INFO(locale);
      WordSegmenter segmenter(locale);
      CHECK(segmenter.ascii_rules());
      for (int i = 0; i < 20000; ++i) {
        std::string text(1 + rng() % 16, ' ');
        for (char& c : text) c = alphabet[rng() % alphabet.size()];
        check_same_words(segmenter, text);
      }
      for (const char* text : {"Don't pay twice: e.g. 1,000.50 USD, a_b, __init__, user@example.com; x.y.z",
                               "3.5.6 1'000 a.'b 2.x.3 ... '' __ _ @ @@ a@ 1_ _1 a1b2 9a.b"})
        check_same_words(segmenter, text);
    }
  }

  TEST_CASE("the shipped articles' ASCII prose segments the same without ICU") {
    WordSegmenter segmenter("en");
    std::size_t files = 0;
    for (const auto& entry : hmtest::fs::recursive_directory_iterator(hmtest::kSourceDir / "articles")) {
      if (entry.path().extension() != ".md") continue;
      ++files;
      const std::string text = hmtest::read_file(entry.path());
      for (std::size_t pos = 0, end; pos < text.size(); pos = end + 1) {
        end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        check_same_words(segmenter, std::string_view(text).substr(pos, end - pos));
      }
    }
    CHECK(files > 200);
  }

  TEST_CASE("a locale that tailors the rules keeps ICU for ASCII too") {
    // Swedish joins "a:b" into one word; the root rules do not.
    WordSegmenter swedish("sv");
    CHECK_FALSE(swedish.ascii_rules());
    Spans words;
    swedish.words("a:b", words);
    CHECK(words == Spans{{0, 3}});
  }

  TEST_CASE("the Analyzer's tokens are the segmenter's words, normalised") {
    helpmark::analysis::Analyzer analyzer("en");
    std::vector<helpmark::analysis::Token> tokens;
    const std::string text = "Email help@example.com: RE-SEND the Code, e.g. 1,000.50 times";
    analyzer.tokenize(text, tokens);
    std::vector<std::string> words;
    for (const auto& t : tokens) words.push_back(t.normalized);
    // '@' is a letter and ':' joins nothing (ICU's root rules), as in text ICU segments.
    CHECK(words == std::vector<std::string>{"email", "help@example.com", "re", "send", "the", "code", "e.g", "1,000.50", "times"});
    Spans spans;
    analyzer.word_spans(text, spans);
    REQUIRE(spans.size() == tokens.size());
    for (std::size_t i = 0; i < spans.size(); ++i) CHECK(spans[i] == Spans::value_type{tokens[i].begin, tokens[i].end});
    helpmark::analysis::Token the;
    CHECK(analyzer.normalize("The", the));
    CHECK(the.stopword);
    CHECK(the.folded == "the");
  }

  TEST_CASE("words longer than 64 bytes are not words") {
    helpmark::analysis::Analyzer analyzer("en");
    std::vector<helpmark::analysis::Token> tokens;
    analyzer.tokenize("ok " + std::string(65, 'a') + " fine " + std::string(64, 'b'), tokens);
    REQUIRE(tokens.size() == 3);
    CHECK(tokens[0].normalized == "ok");
    CHECK(tokens[1].normalized == "fine");
    CHECK(tokens[2].normalized.size() == 64);
  }
}
