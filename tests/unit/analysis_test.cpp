#include <doctest/doctest.h>

#include <set>

#include "analysis/analyzer.hpp"
#include "test_util.hpp"

using helpmark::analysis::Analyzer;
using helpmark::analysis::Token;
using helpmark::analysis::fold;
using helpmark::analysis::stemmer_language;

namespace {

std::vector<Token> tokenize(Analyzer& analyzer, std::string_view text) {
  std::vector<Token> tokens;
  analyzer.tokenize(text, tokens);
  return tokens;
}

std::vector<std::string> normalized(Analyzer& analyzer, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : tokenize(analyzer, text)) out.push_back(t.normalized);
  return out;
}

/// Every stem term the analyzer produces for a single word.
std::set<std::string> stems_of(Analyzer& analyzer, std::string_view word) {
  auto tokens = tokenize(analyzer, word);
  REQUIRE(tokens.size() == 1);
  std::vector<std::string> stems;
  analyzer.stems(tokens[0], stems);
  return {stems.begin(), stems.end()};
}

bool share_a_stem(Analyzer& analyzer, std::string_view a, std::string_view b) {
  auto sa = stems_of(analyzer, a);
  auto sb = stems_of(analyzer, b);
  for (const auto& s : sa)
    if (sb.count(s)) return true;
  return false;
}

}  // namespace

TEST_SUITE("analysis") {
  TEST_CASE("stemmer languages for locales") {
    CHECK(stemmer_language("en") == "english");
    CHECK(stemmer_language("pt-BR") == "portuguese");
    CHECK(stemmer_language("ES") == "spanish");
    CHECK(stemmer_language("de_DE") == "german");
    CHECK(stemmer_language("ja").empty());
    CHECK(stemmer_language("zh").empty());
    CHECK(stemmer_language("th").empty());
  }

  TEST_CASE("words are split on spaces and punctuation, with byte offsets") {
    Analyzer en("en");
    auto tokens = tokenize(en, "Refund, late!  (again)");
    REQUIRE(tokens.size() == 3);
    CHECK(tokens[0].normalized == "refund");
    CHECK(tokens[0].begin == 0);
    CHECK(tokens[0].end == 6);
    CHECK(tokens[1].normalized == "late");
    CHECK(tokens[1].begin == 8);
    CHECK(tokens[2].normalized == "again");
    CHECK(tokenize(en, "  ... !!! ").empty());
    CHECK(tokenize(en, "").empty());
  }

  TEST_CASE("case folding, NFKC and accent folding") {
    Analyzer es("es");
    SUBCASE("upper case") {
      CHECK(normalized(es, "REEMBOLSO Tarjeta") == std::vector<std::string>{"reembolso", "tarjeta"});
    }
    SUBCASE("fullwidth letters and digits are NFKC-normalised") {
      Analyzer en("en");
      auto tokens = tokenize(en, "ＲＥＦＵＮＤ ３０");
      REQUIRE(tokens.size() == 2);
      CHECK(tokens[0].normalized == "refund");
      CHECK(tokens[1].normalized == "30");
    }
    SUBCASE("accents are kept in normalized, dropped in folded") {
      auto tokens = tokenize(es, "Devolución");
      REQUIRE(tokens.size() == 1);
      CHECK(tokens[0].normalized == "devolución");
      CHECK(tokens[0].folded == "devolucion");
    }
    SUBCASE("the ligature ß folds to ss, German umlauts fold") {
      CHECK(fold("Straße") == "strasse");
      CHECK(fold("Rückerstattung") == "ruckerstattung");
    }
    SUBCASE("typographic apostrophes are plain ones") {
      Analyzer en("en");
      auto tokens = tokenize(en, "haven\xE2\x80\x99t");
      REQUIRE(tokens.size() == 1);
      CHECK(tokens[0].normalized == "haven't");
    }
  }

  TEST_CASE("devolucion and devolución share a stem, so either spelling finds the other") {
    Analyzer es("es");
    CHECK(share_a_stem(es, "devolución", "devolucion"));
    CHECK(share_a_stem(es, "Devolución", "DEVOLUCION"));
    CHECK(share_a_stem(es, "devoluciones", "devolución"));
    CHECK(share_a_stem(es, "reembolsó", "reembolso"));
    CHECK_FALSE(share_a_stem(es, "devolución", "tarjeta"));
    Analyzer pt("pt-BR");
    CHECK(share_a_stem(pt, "devolução", "devolucao"));
  }

  TEST_CASE("Japanese voiced marks (dakuten) are not folded away") {
    // バッグ (bag) and ハッグ differ only by the dakuten; folding them together would be wrong.
    CHECK(fold("バッグ") == "バッグ");
    CHECK(fold("バッグ") != "ハッグ");
    CHECK(fold("が") == "が");
    CHECK(fold("ぱ") == "ぱ");
    // Half-width katakana are widened by NFKC, with the voiced mark composed.
    CHECK(fold("ﾊﾞｯｸﾞ") == "バッグ");
  }

  TEST_CASE("Japanese, Chinese and Thai text is segmented into several words") {
    SUBCASE("ja") {
      Analyzer ja("ja");
      auto words = normalized(ja, "返金の手続きについて");
      CHECK(words.size() >= 3);
      CHECK(std::find(words.begin(), words.end(), "返金") != words.end());
    }
    SUBCASE("zh") {
      Analyzer zh("zh");
      auto words = normalized(zh, "退款需要多长时间");
      CHECK(words.size() >= 3);
      CHECK(std::find(words.begin(), words.end(), "退款") != words.end());
    }
    SUBCASE("th") {
      Analyzer th("th");
      auto words = normalized(th, "การคืนเงินใช้เวลานานเท่าไร");
      CHECK(words.size() >= 3);
      CHECK(std::find(words.begin(), words.end(), "เงิน") != words.end());
    }
    SUBCASE("no stemmer: the stem is the folded word") {
      Analyzer ja("ja");
      CHECK_FALSE(ja.has_stemmer());
      CHECK(stems_of(ja, "返金") == std::set<std::string>{"返金"});
    }
  }

  TEST_CASE("stop words per language") {
    Analyzer en("en");
    auto tokens = tokenize(en, "how do I get the refund");
    REQUIRE(tokens.size() == 6);
    CHECK(tokens[0].stopword);   // how
    CHECK(tokens[1].stopword);   // do
    CHECK(tokens[2].stopword);   // I (case-folded)
    CHECK_FALSE(tokens[3].stopword);  // get
    CHECK(tokens[4].stopword);   // the
    CHECK_FALSE(tokens[5].stopword);  // refund
    Analyzer es("es");
    auto es_tokens = tokenize(es, "la devolución de mi pedido");
    REQUIRE(es_tokens.size() == 5);
    CHECK(es_tokens[0].stopword);
    CHECK_FALSE(es_tokens[1].stopword);
    CHECK(es_tokens[2].stopword);
    CHECK_FALSE(es_tokens[4].stopword);
    // "the" is not a Spanish stop word, "de" is not an English one.
    CHECK_FALSE(tokenize(es, "the")[0].stopword);
    CHECK_FALSE(tokenize(en, "de")[0].stopword);
    // No stop-word list for Japanese: nothing is dropped.
    Analyzer ja("ja");
    for (const auto& t : tokenize(ja, "返金の手続き")) CHECK_FALSE(t.stopword);
  }

  TEST_CASE("stemming en, es, de") {
    Analyzer en("en");
    CHECK(stems_of(en, "refunds") == std::set<std::string>{"refund"});
    CHECK(stems_of(en, "refunded") == std::set<std::string>{"refund"});
    CHECK(stems_of(en, "refunding") == std::set<std::string>{"refund"});
    CHECK(share_a_stem(en, "payments", "payment"));
    CHECK_FALSE(share_a_stem(en, "refund", "return"));
    Analyzer es("es");
    CHECK(share_a_stem(es, "pagos", "pago"));
    CHECK(share_a_stem(es, "reembolsos", "reembolso"));
    Analyzer de("de");
    CHECK(share_a_stem(de, "Zahlungen", "Zahlung"));
    CHECK(share_a_stem(de, "Rückerstattungen", "Rückerstattung"));
    CHECK(share_a_stem(de, "Rückerstattung", "Ruckerstattung"));
  }

  TEST_CASE("very long tokens are dropped") {
    Analyzer en("en");
    auto tokens = tokenize(en, "ok " + std::string(100, 'a') + " fine");
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].normalized == "ok");
    CHECK(tokens[1].normalized == "fine");
  }
}
