// Text analysis of real sentences in the nine languages of the multilingual knowledge base:
// accent folding, stemming, Arabic vowel marks, segmentation of text written without spaces,
// Japanese voiced marks and NFKC width folding.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "analysis/analyzer.hpp"
#include "multilingual_util.hpp"

using helpmark::analysis::Analyzer;
using helpmark::analysis::fold;
using helpmark::analysis::Token;

namespace {

std::vector<Token> tokenize(Analyzer& analyzer, std::string_view text) {
  std::vector<Token> tokens;
  analyzer.tokenize(text, tokens);
  return tokens;
}

std::vector<std::string> folded_words(Analyzer& analyzer, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : tokenize(analyzer, text)) out.push_back(t.folded);
  return out;
}

std::set<std::string> index_terms(Analyzer& analyzer, std::string_view word) {
  auto tokens = tokenize(analyzer, word);
  REQUIRE_MESSAGE(tokens.size() == 1, "'" << word << "' is " << tokens.size() << " tokens");
  std::vector<std::string> stems;
  analyzer.stems(tokens[0], stems);
  return {stems.begin(), stems.end()};
}

bool share_term(const std::string& locale, std::string_view a, std::string_view b) {
  Analyzer analyzer(locale);
  auto ta = index_terms(analyzer, a);
  auto tb = index_terms(analyzer, b);
  for (const auto& t : ta)
    if (tb.count(t)) return true;
  return false;
}

bool has(const std::vector<std::string>& words, const std::string& w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

}  // namespace

TEST_SUITE("multilingual/analysis") {
  TEST_CASE("multilingual: accent-free spellings share an index term with the accented word") {
    CHECK(share_term("es", "devolución", "devolucion"));
    CHECK(share_term("es", "contraseña", "contrasena"));
    CHECK(share_term("fr", "remboursé", "rembourse"));
    CHECK(share_term("fr", "réinitialiser", "reinitialiser"));
    CHECK(share_term("de", "Rückerstattung", "ruckerstattung"));
    CHECK(share_term("pt-BR", "devolução", "devolucao"));
    CHECK(share_term("pt", "cartão", "cartao"));
    // Different words stay different.
    CHECK_FALSE(share_term("es", "devolución", "contraseña"));
    CHECK_FALSE(share_term("de", "Rückerstattung", "Zahlung"));
  }

  TEST_CASE("multilingual: inflected forms share a stem in each stemmed language") {
    CHECK(share_term("en", "refunds", "refund"));
    CHECK(share_term("en", "refunded", "refund"));
    CHECK(share_term("es", "devoluciones", "devolución"));
    CHECK(share_term("fr", "remboursements", "remboursement"));
    CHECK(share_term("fr", "remboursé", "remboursement"));
    CHECK(share_term("de", "Zahlungen", "Zahlung"));
    CHECK(share_term("pt-BR", "pagamentos", "pagamento"));
    CHECK(share_term("pt-BR", "informações", "informação"));
    CHECK_FALSE(share_term("en", "refund", "request"));
  }

  TEST_CASE("multilingual: Portuguese plurals in -ões share a stem with their singular in -ão") {
    // Xapian 1.4's Snowball stemmer alone leaves "devoluções" -> "devoluçõ" but "devolução" ->
    // "devoluçã".
    CHECK(share_term("pt-BR", "devoluções", "devolução"));
    CHECK(share_term("pt-BR", "cartões", "cartão"));
    CHECK(share_term("pt-BR", "devolucoes", "devolução"));  // typed without accents
    CHECK(share_term("pt-BR", "pães", "pão"));
    CHECK_FALSE(share_term("pt-BR", "cartão", "carta"));
    // Each form, accented and folded, has the singular's terms: the plural of the accented form
    // is made singular too, not only the accent-free one.
    Analyzer pt("pt-BR");
    CHECK(index_terms(pt, "devoluções") == index_terms(pt, "devolução"));
  }

  TEST_CASE("multilingual: without stemming only the accents are folded") {
    Analyzer es("es", /*stemming=*/false);
    CHECK_FALSE(es.has_stemmer());
    CHECK(index_terms(es, "Devoluciones") == std::set<std::string>{"devoluciones"});
    CHECK(index_terms(es, "devolución") == std::set<std::string>{"devolucion"});
  }

  TEST_CASE("multilingual: Arabic: vowel marks (harakat) and tatweel are folded away") {
    CHECK(fold("اِسْتِرْدَاد") == "استرداد");
    CHECK(fold("كَلِمَة") == "كلمة");
    CHECK(fold("كـلمة") == "كلمة");  // tatweel
    Analyzer ar("ar");
    CHECK(folded_words(ar, "تَغْيِير كَلِمَة المُرُور") == folded_words(ar, "تغيير كلمة المرور"));
    CHECK(folded_words(ar, "كيفية استرداد الأموال").size() == 3);
    CHECK(share_term("ar", "اِسْتِرْدَاد", "استرداد"));
    CHECK(share_term("ar", "المُرُور", "المرور"));
    CHECK_FALSE(share_term("ar", "استرداد", "المرور"));
  }

  TEST_CASE(
      "multilingual: Japanese, Chinese and Thai written without spaces are split into words") {
    Analyzer ja("ja");
    auto title = folded_words(ja, "返金の申請方法");
    CHECK(has(title, "返金"));
    CHECK(has(title, "申請"));
    CHECK(has(title, "方法"));
    CHECK(folded_words(ja, "返金申請") == std::vector<std::string>{"返金", "申請"});
    CHECK(has(folded_words(ja, "不正利用を防ぐガード機能"), "ガード"));

    Analyzer zh("zh");
    auto zh_title = folded_words(zh, "如何申请退款");
    CHECK(zh_title.size() >= 3);
    CHECK(has(zh_title, "申请"));
    CHECK(has(zh_title, "退款"));
    CHECK(folded_words(zh, "修改密码") == std::vector<std::string>{"修改", "密码"});

    Analyzer th("th");
    auto th_title = folded_words(th, "วิธีขอคืนเงิน");
    CHECK(th_title.size() >= 3);
    CHECK(has(th_title, "วิธี"));
    CHECK(has(th_title, "เงิน"));
    auto th_query = folded_words(th, "ขอคืนเงิน");
    CHECK(th_query.size() >= 2);
    for (const auto& w : th_query) CHECK_MESSAGE(has(th_title, w), w);
  }

  TEST_CASE("multilingual: Thai stop words are not searched, Japanese and Chinese particles are never highlighted") {
    // Sentences of the shipped articles (articles/ja/payments/refund-timing.md,
    // articles/zh/disputes/open-a-dispute.md, articles/th/payments/refund-timing.md): ICU's
    // segmentation yields each particle as a word of its own, and the locale's list knows it.
    // Japanese and Chinese particles stay searched (stopword false), unlike Thai stop words.
    struct Case {
      const char* locale;
      const char* sentence;
      bool searched;  // whether the listed function words are still searched
      std::vector<std::string> function_words;
      std::vector<std::string> content_words;
    };
    const Case cases[] = {
        {"ja", "返金は、お支払いに使った方法に戻ります。", true, {"は", "に", "っ", "た", "ます"},
         {"返金", "お支払い", "使", "方法", "戻り"}},
        {"zh", "卖家可以给你退款、提出部分退款、发送退货标签，或提交他们自己的证据。", true,
         {"可以", "给", "你", "或", "他们", "的"}, {"卖", "家", "退款", "部分", "退", "货", "标签", "证据"}},
        {"th", "เงินคืนจะกลับไปยังช่องทางที่คุณใช้ชำระเงิน", false, {"จะ", "ที่", "คุณ"},
         {"เงิน", "คืน", "กลับ", "ใช้", "ช่อง"}},
    };
    for (const auto& c : cases) {
      const std::string locale = c.locale;
      CAPTURE(locale);
      Analyzer analyzer(locale);
      std::map<std::string, Token> by_word;
      for (const auto& t : tokenize(analyzer, c.sentence)) by_word[t.folded] = t;
      for (const auto& w : c.function_words) {
        CAPTURE(w);
        REQUIRE(by_word.count(w));
        CHECK(by_word.at(w).unmarked);
        CHECK(by_word.at(w).stopword == !c.searched);
      }
      for (const auto& w : c.content_words) {
        CAPTURE(w);
        REQUIRE(by_word.count(w));
        CHECK_FALSE(by_word.at(w).unmarked);
        CHECK_FALSE(by_word.at(w).stopword);
      }
    }
    // The locale's region does not matter; a language without a list has neither kind.
    Analyzer zh_tw("zh-TW");
    CHECK(tokenize(zh_tw, "的").at(0).unmarked);
    Analyzer th_th("th-TH");
    CHECK(tokenize(th_th, "ที่").at(0).stopword);
    Analyzer ko("ko");
    CHECK_FALSE(tokenize(ko, "의").at(0).unmarked);
  }

  TEST_CASE("multilingual: Japanese voiced marks (dakuten) are part of the word") {
    CHECK(fold("ガード") != fold("カード"));
    CHECK(fold("ガード") == "ガード");
    CHECK(fold("バス") != fold("パス"));
    Analyzer ja("ja");
    CHECK_FALSE(share_term("ja", "ガード", "カード"));
    CHECK(index_terms(ja, "ガード") == std::set<std::string>{"ガード"});
  }

  TEST_CASE(
      "multilingual: NFKC: fullwidth Latin and halfwidth katakana fold to their usual forms") {
    CHECK(fold("ＡＢＣ") == "abc");
    CHECK(fold("ｶﾀｶﾅ") == "カタカナ");
    CHECK(fold("ｶｰﾄﾞ") == "カード");  // the halfwidth voiced mark joins its letter
    Analyzer ja("ja");
    CHECK(folded_words(ja, "ＰＩＮコード") == std::vector<std::string>{"pin", "コード"});
    Analyzer en("en");
    CHECK(folded_words(en, "ＲＥＦＵＮＤ ｒｅｑｕｅｓｔ") ==
          std::vector<std::string>{"refund", "request"});
    CHECK(share_term("en", "ＲＥＦＵＮＤＳ", "refund"));
  }

  TEST_CASE(
      "multilingual: every fixture article's title analyses to at least one searchable word") {
    // A guard for the fixture itself: a title that analyses to nothing could not be found.
    auto taxonomy = helpmark::Taxonomy::load(hmtest::kMlTaxonomy);
    REQUIRE(taxonomy.ok());
    auto set = helpmark::load_articles(hmtest::kMlArticles, taxonomy.value());
    REQUIRE(set.ok());
    CHECK(set->diagnostics.empty());
    REQUIRE(set->articles.size() == hmtest::kMlArticleCount);
    std::set<std::string> locales;
    for (const auto& a : set->articles) {
      locales.insert(a.locale);
      Analyzer analyzer(a.locale);
      std::size_t searchable = 0;
      for (const auto& t : tokenize(analyzer, a.title)) searchable += !t.stopword;
      CHECK_MESSAGE(searchable > 0, a.id);
    }
    CHECK(locales ==
          std::set<std::string>{"en", "es", "fr", "de", "pt", "pt-BR", "ar", "ja", "zh", "th"});
  }
}
