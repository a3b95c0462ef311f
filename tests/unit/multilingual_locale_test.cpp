// Locale fallback (pt-BR -> pt -> default en) and translation grouping: one result per
// translated article, shown in the best locale of the chain, counted once in totals and facets.
#include <doctest/doctest.h>

#include "multilingual_util.hpp"

using namespace helpmark;
using hmtest::hit_of;
using hmtest::id_set;
using hmtest::MlKb;
using hmtest::rank_of;
using Ids = std::set<std::string>;
using Strings = std::vector<std::string>;

TEST_SUITE("multilingual/locales") {
  TEST_CASE("multilingual: the locale chain: pt-BR, then pt, then the default locale") {
    MlKb kb;
    CHECK(kb.search("senha", "pt-BR").locales == Strings{"pt-BR", "pt", "en"});
    CHECK(kb.search("senha", "pt").locales == Strings{"pt", "en"});
    CHECK(kb.search("senha", "en").locales == Strings{"en"});
    CHECK(kb.search("senha", "").locales == Strings{"en"});
    SearchLayers no_fallback;
    no_fallback.fallback = false;
    CHECK(kb.search("senha", "pt-BR", no_fallback).locales == Strings{"pt-BR"});
  }

  TEST_CASE("multilingual: each hit says its locale: pt-BR own article, pt fallback, en fallback") {
    MlKb kb;
    SearchResponse own = kb.search("senha", "pt-BR");
    REQUIRE(own.hits.size() == 1);
    CHECK(own.hits[0].id == "change-password-pt-br");
    CHECK(own.hits[0].locale == "pt-BR");

    // Only the European Portuguese article says "recusado".
    SearchResponse pt = kb.search("cartão recusado", "pt-BR");
    REQUIRE_FALSE(pt.hits.empty());
    CHECK(pt.hits[0].id == "card-declined-pt");
    CHECK(pt.hits[0].locale == "pt");
    CHECK(pt.hits[0].translation_group == "card-declined");

    // No pt-BR or pt version of the chargeback article: it comes in English.
    SearchResponse en = kb.search("chargeback", "pt-BR");
    const Hit* chargeback = hit_of(en, "bank-chargeback");
    REQUIRE(chargeback != nullptr);
    CHECK(chargeback->locale == "en");
  }

  TEST_CASE(
      "multilingual: a translated article appears once, in pt-BR, even when the English version "
      "matched") {
    MlKb kb;
    // "request refund" matches only the English text; the pt-BR translation does not say it.
    SearchResponse r = kb.search("request refund", "pt-BR");
    const Hit* hit = hit_of(r, "refund-request-pt-br");
    REQUIRE(hit != nullptr);
    CHECK(hit->locale == "pt-BR");
    CHECK(hit->title == "Como pedir a devolução do dinheiro");
    CHECK(hit->translation_group == "refund-request");
    CHECK(rank_of(r, "refund-request-pt-br") == 1);
    CHECK(rank_of(r, "refund-request") == 0);
    std::size_t in_group = 0;
    for (const auto& h : r.hits) in_group += h.translation_group == "refund-request";
    CHECK(in_group == 1);
    // The same query in English shows the English article.
    SearchResponse en = kb.search("request refund", "en");
    CHECK(rank_of(en, "refund-request") == 1);
    CHECK(rank_of(en, "refund-request-pt-br") == 0);
  }

  TEST_CASE(
      "multilingual: the pt article of a group wins over en for pt-BR when there is no pt-BR "
      "version") {
    MlKb kb;
    // "card payment declined" matches the English text; card-declined has pt, es and de versions.
    SearchResponse r = kb.search("card payment declined", "pt-BR");
    REQUIRE_FALSE(r.hits.empty());
    CHECK(r.hits[0].id == "card-declined-pt");
    CHECK(r.hits[0].locale == "pt");
    SearchResponse es = kb.search("card payment declined", "es");
    REQUIRE_FALSE(es.hits.empty());
    CHECK(es.hits[0].id == "card-declined-es");
    SearchResponse de = kb.search("card payment declined", "de");
    REQUIRE_FALSE(de.hits.empty());
    CHECK(de.hits[0].id == "card-declined-de");
    SearchResponse ja = kb.search("card payment declined", "ja");  // no ja version: English
    REQUIRE_FALSE(ja.hits.empty());
    CHECK(ja.hits[0].id == "card-declined");
  }

  TEST_CASE(
      "multilingual: without a locale every locale is searched and translations show in the "
      "default locale") {
    MlKb kb;
    SearchResponse r = kb.search("devolución", "");
    CHECK(hmtest::ids(r) == Strings{"refund-request"});
    CHECK(r.hits[0].locale == "en");
    SearchResponse th = kb.search("รหัสผ่าน", "");
    CHECK(hmtest::ids(th) == Strings{"change-password-th"});  // untranslated: its own locale
  }

  TEST_CASE("multilingual: fallback off: only the requested locale is searched") {
    MlKb kb;
    SearchLayers off;
    off.fallback = false;
    CHECK(kb.search("recusado", "pt-BR", off).total == 0);
    CHECK(kb.search("recusado", "pt-BR").total == 1);
    CHECK(kb.search("chargeback", "pt-BR", off).total == 0);
    SearchResponse own = kb.search("senha", "pt-BR", off);
    CHECK(hmtest::ids(own) == Strings{"change-password-pt-br"});
    SearchResponse group = kb.search("devolução", "pt-BR", off);
    CHECK(hmtest::ids(group) == Strings{"refund-request-pt-br"});
    for (const auto& h : kb.search("", "pt-BR", off).hits) CHECK(h.locale == "pt-BR");
  }

  TEST_CASE("multilingual: totals and facet counts count a translated article once") {
    MlKb kb;
    // "30" is in eight translations of refund-request (not zh) and in sign-in-help.
    SearchRequest request;
    request.query = "30";
    request.facets = {"journey", "locale"};
    SearchResponse r = hmtest::search_ok(kb.index(), request);
    CHECK(r.total == 2);
    CHECK(id_set(r) == Ids{"refund-request", "sign-in-help"});
    CHECK(hmtest::facet_count(r, "journey", "billing") == 1);
    CHECK(hmtest::facet_count(r, "journey", "account") == 1);
    // Per value, a group counts once: the refund group has an English and a Thai translation.
    CHECK(hmtest::facet_count(r, "locale", "en") == 2);
    CHECK(hmtest::facet_count(r, "locale", "th") == 1);

    // Browsing everything: 29 files are 18 articles (10 English ones, two of them translated
    // into 9 and 4 locales, and 8 articles in one other locale only).
    SearchRequest all;
    all.facets = {"journey"};
    all.limit = 100;
    SearchResponse browse = hmtest::search_ok(kb.index(), all);
    CHECK(browse.total == 18);
    CHECK(browse.hits.size() == 18);
    CHECK(hmtest::facet_count(browse, "journey", "billing") == 8);
    CHECK(hmtest::facet_count(browse, "journey", "account") == 9);
    CHECK(hmtest::facet_count(browse, "journey", "orders") == 1);

    // In pt-BR: pt-BR, pt and en articles, one per group.
    SearchRequest pt_br = all;
    pt_br.locale = "pt-BR";
    SearchResponse pt = hmtest::search_ok(kb.index(), pt_br);
    CHECK(pt.total == 11);
    CHECK(hit_of(pt, "refund-request-pt-br") != nullptr);
    CHECK(hit_of(pt, "refund-request") == nullptr);
    CHECK(hit_of(pt, "card-declined-pt") != nullptr);
    CHECK(hit_of(pt, "card-declined") == nullptr);
    CHECK(hit_of(pt, "change-password-es") == nullptr);
  }
}
