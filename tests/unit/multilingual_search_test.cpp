// Search in en, es, fr, de, pt/pt-BR, ar, ja, zh and th on the multilingual knowledge base: the
// way customers type (no accents, other inflections, no spaces, other widths) finds the article.
#include <doctest/doctest.h>

#include "multilingual_util.hpp"

using namespace helpmark;
using hmtest::id_set;
using hmtest::MlKb;
using hmtest::rank_of;
using Ids = std::set<std::string>;

namespace {

// Both spellings find `id`, and the one with accents ranks it at least as high.
void check_accents(const MlKb& kb, const std::string& locale, const std::string& accented,
                   const std::string& plain, const std::string& id) {
  CAPTURE(locale);
  CAPTURE(accented);
  CAPTURE(plain);
  SearchResponse with = kb.search(accented, locale);
  SearchResponse without = kb.search(plain, locale);
  const std::size_t rank_with = rank_of(with, id);
  const std::size_t rank_without = rank_of(without, id);
  CHECK(rank_without >= 1);
  CHECK(rank_with >= 1);
  CHECK(rank_with <= rank_without);
  // The accent-free query needed no spelling correction to get there.
  CHECK(without.corrections.empty());
}

}  // namespace

TEST_SUITE("multilingual/search") {
  TEST_CASE("multilingual: queries typed without accents find accented text") {
    MlKb kb;
    check_accents(kb, "es", "devolución", "devolucion", "refund-request-es");
    check_accents(kb, "es", "contraseña", "contrasena", "change-password-es");
    check_accents(kb, "fr", "remboursé", "rembourse", "refund-request-fr");
    check_accents(kb, "fr", "réinitialiser", "reinitialiser", "reset-password-fr");
    check_accents(kb, "de", "Rückerstattung", "ruckerstattung", "refund-request-de");
    check_accents(kb, "pt-BR", "devolução", "devolucao", "refund-request-pt-br");
    check_accents(kb, "pt-BR", "cartão recusado", "cartao recusado", "card-declined-pt");
  }

  TEST_CASE(
      "multilingual: the accented spelling ranks its article at least as high when another article "
      "competes") {
    // Two Spanish articles: one written with the accent, one (a sloppy one) without.
    hmtest::Kb kb(R"(default_locale: es
locales: [es]
journeys:
  - id: payments
)");
    kb.add(
        "es/a.md",
        hmtest::md(
            "id: accented\ntitle: Cómo solicitar una devolución\njourney: payments\nlocale: es\n",
            "La devolución llega en cinco días.\n"));
    kb.add("es/b.md",
           hmtest::md("id: plain\ntitle: Envíos internacionales\njourney: payments\nlocale: es\n",
                      "Los envíos fuera del país no admiten devolucion gratuita.\n"));
    kb.build_ok();
    Index index = kb.open();
    SearchRequest r;
    r.locale = "es";
    r.query = "devolución";
    SearchResponse accented = hmtest::search_ok(index, r);
    r.query = "devolucion";
    SearchResponse plain = hmtest::search_ok(index, r);
    CHECK(id_set(accented) == Ids{"accented", "plain"});
    CHECK(id_set(plain) == Ids{"accented", "plain"});
    CHECK(rank_of(accented, "accented") == 1);
    CHECK(rank_of(accented, "accented") <= rank_of(plain, "accented"));
  }

  TEST_CASE("multilingual: stemming: other inflections find the article") {
    MlKb kb;
    for (const char* q : {"refund", "refunds", "refunded"}) {
      CAPTURE(q);
      SearchResponse r = kb.search(q, "en");
      CHECK(rank_of(r, "refund-request") >= 1);
      CHECK(r.corrections.empty());
    }
    SearchResponse es = kb.search("devoluciones", "es");
    CHECK(hmtest::ids(es).front() == "refund-request-es");
    SearchResponse de = kb.search("Zahlungen", "de");
    REQUIRE_FALSE(de.hits.empty());
    CHECK(de.hits.front().id == "card-declined-de");
    CHECK(de.hits.front().locale == "de");
    SearchResponse fr = kb.search("remboursements", "fr");
    REQUIRE_FALSE(fr.hits.empty());
    CHECK(fr.hits.front().id == "refund-request-fr");
  }

  TEST_CASE(
      "multilingual: stemming switched off at index time: other inflections no longer match") {
    hmtest::TempDir dir;
    IndexOptions o;
    o.articles_dir = hmtest::kMlArticles;
    o.taxonomy_dir = hmtest::kMlTaxonomy;
    o.index_dir = dir / "index";
    o.stemming = false;
    auto built = build_index(o);
    REQUIRE(built.ok());
    auto index = Index::open(o.index_dir);
    REQUIRE(index.ok());
    SearchRequest r;
    r.locale = "de";
    r.layers.spelling = false;  // spelling would otherwise repair "zahlungen" to "zahlung"
    r.query = "Zahlungen";
    CHECK(hmtest::search_ok(index.value(), r).total == 0);
    r.query = "Zahlung";
    CHECK(hmtest::ids(hmtest::search_ok(index.value(), r)) ==
          std::vector<std::string>{"card-declined-de"});
    // Accent folding does not depend on stemming.
    r.query = "ruckerstattung";
    CHECK(hmtest::ids(hmtest::search_ok(index.value(), r)) ==
          std::vector<std::string>{"refund-request-de"});
  }

  TEST_CASE("multilingual: Arabic with and without vowel marks") {
    MlKb kb;
    // The refund article has no harakat; the query has them.
    SearchResponse with_marks = kb.search("اِسْتِرْدَاد الأَمْوَال", "ar");
    REQUIRE_FALSE(with_marks.hits.empty());
    CHECK(with_marks.hits.front().id == "refund-request-ar");
    CHECK(with_marks.hits.front().locale == "ar");
    SearchResponse plain = kb.search("استرداد", "ar");
    CHECK(hmtest::ids(plain) == std::vector<std::string>{"refund-request-ar"});
    // The password article's title has harakat; the query has none.
    SearchResponse password = kb.search("كلمة المرور", "ar");
    CHECK(hmtest::ids(password) == std::vector<std::string>{"change-password-ar"});
    SearchResponse password_marks = kb.search("كَلِمَة", "ar");
    CHECK(hmtest::ids(password_marks) == std::vector<std::string>{"change-password-ar"});
  }

  TEST_CASE("multilingual: Japanese, Chinese and Thai queries without spaces are segmented") {
    MlKb kb;
    SearchResponse ja = kb.search("返金申請", "ja");
    REQUIRE_FALSE(ja.hits.empty());
    CHECK(ja.hits.front().id == "refund-request-ja");
    CHECK(ja.hits.front().locale == "ja");
    CHECK(ja.corrections.empty());

    SearchResponse zh = kb.search("申请退款", "zh");
    CHECK(hmtest::ids(zh) == std::vector<std::string>{"refund-request-zh"});
    SearchResponse zh_password = kb.search("怎么修改密码", "zh");
    REQUIRE_FALSE(zh_password.hits.empty());
    CHECK(zh_password.hits.front().id == "change-password-zh");
    CHECK(rank_of(zh_password, "refund-request-zh") == 0);

    SearchResponse th = kb.search("ขอคืนเงิน", "th");
    REQUIRE_FALSE(th.hits.empty());
    CHECK(th.hits.front().id == "refund-request-th");
    CHECK(rank_of(th, "change-password-th") == 0);
    SearchResponse th_password = kb.search("เปลี่ยนรหัสผ่าน", "th");
    REQUIRE_FALSE(th_password.hits.empty());
    CHECK(th_password.hits.front().id == "change-password-th");
  }

  TEST_CASE("multilingual: Japanese, Chinese and Thai snippets do not mark the query's particles") {
    MlKb kb;
    struct Case {
      const char* locale;
      const char* query;
      const char* id;
      const char* marked;
      const char* particle;
    };
    const Case cases[] = {
        {"ja", "返金の申請", "refund-request-ja", "<mark>返金</mark>", "<mark>の</mark>"},
        {"zh", "申请的退款", "refund-request-zh", "<mark>退款</mark>", "<mark>的</mark>"},
        {"th", "คืนเงินเข้าบัตรที่ใช้ชำระ", "refund-request-th", "<mark>เงิน</mark>", "<mark>ที่</mark>"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.query);
      SearchResponse r = kb.search(c.query, c.locale);
      REQUIRE_FALSE(r.hits.empty());
      CHECK(r.hits.front().id == c.id);
      const std::string& snippet = r.hits.front().snippet;
      CAPTURE(snippet);
      CHECK(hmtest::contains(snippet, c.marked));
      CHECK_FALSE(hmtest::contains(snippet, c.particle));
    }
  }

  TEST_CASE("multilingual: Japanese: ガード and カード are different words") {
    MlKb kb;
    // add-card-ja and refund-request-ja say カード; guard-ja says ガード.
    SearchResponse guard = kb.search("ガード", "ja");
    CHECK(hmtest::ids(guard) == std::vector<std::string>{"guard-ja"});
    CHECK(guard.corrections.empty());
    SearchResponse card = kb.search("カード", "ja");
    CHECK(id_set(card) == Ids{"add-card-ja", "refund-request-ja"});
    CHECK(card.hits.front().id == "add-card-ja");
  }

  TEST_CASE("multilingual: fullwidth and halfwidth forms match the usual ones (NFKC)") {
    MlKb kb;
    // Halfwidth katakana query, fullwidth katakana text.
    SearchResponse halfwidth = kb.search("ｶｰﾄﾞ", "ja");
    CHECK(id_set(halfwidth) == Ids{"add-card-ja", "refund-request-ja"});
    // ASCII query, fullwidth text (ＰＩＮ).
    SearchResponse pin = kb.search("pin", "ja");
    CHECK(hmtest::ids(pin) == std::vector<std::string>{"add-card-ja"});
    // Fullwidth query, ASCII text.
    SearchResponse refund = kb.search("ＲＥＦＵＮＤ ＲＥＱＵＥＳＴ", "en");
    REQUIRE_FALSE(refund.hits.empty());
    CHECK(refund.hits.front().id == "refund-request");
    SearchResponse abc = kb.search("ＣＨＡＲＧＥＢＡＣＫ", "en");
    CHECK(rank_of(abc, "bank-chargeback") >= 1);
  }

  TEST_CASE("multilingual: each language's query finds its own language's article, not another's") {
    MlKb kb;
    struct Case {
      const char* locale;
      const char* query;
      const char* id;
    };
    const Case cases[] = {
        {"en", "request a refund", "refund-request"},
        {"es", "solicitar devolución", "refund-request-es"},
        {"fr", "demander un remboursement", "refund-request-fr"},
        {"de", "Rückerstattung beantragen", "refund-request-de"},
        {"pt-BR", "pedir devolução do dinheiro", "refund-request-pt-br"},
        {"ar", "كيفية استرداد الأموال", "refund-request-ar"},
        {"ja", "返金の申請", "refund-request-ja"},
        {"zh", "如何申请退款", "refund-request-zh"},
        {"th", "วิธีขอคืนเงิน", "refund-request-th"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.locale);
      CAPTURE(c.query);
      SearchResponse r = kb.search(c.query, c.locale);
      REQUIRE_FALSE(r.hits.empty());
      CHECK(r.hits.front().id == c.id);
      CHECK(r.hits.front().locale == c.locale);
      CHECK(r.hits.front().translation_group == "refund-request");
      // Translations are one result: no other refund-request translation in the list.
      std::size_t group = 0;
      for (const auto& h : r.hits) group += h.translation_group == "refund-request";
      CHECK(group == 1);
    }
  }
}
