#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "helpmark/index.hpp"
#include "helpmark/indexer.hpp"
#include "test_util.hpp"

using namespace helpmark;
using hmtest::contains;
using hmtest::id_set;
using hmtest::ids;
using hmtest::md;
using Ids = std::set<std::string>;

namespace {

// tests/data/kb-small, indexed once per test into a temporary directory. Its 13 articles:
//
//   id                   locale journey  subtopic       audience              tags               status
//   refund-timing        en     payments refund-timing  buyer                 refund,card,wallet published
//   card-declined        en     payments methods        buyer                 card,bank          published
//   escrow-explained     en     payments methods        buyer,seller          escrow             published
//   seller-payouts       en     sellers  payouts        seller                payout,bank        published
//   partner-payouts      en     sellers  payouts        partner               payout             published
//   start-a-return       en     returns  labels         buyer,seller          return,label       published
//   return-policy        en     returns  policy         (all three)           return,refund      published
//   new-return-rules     en     returns  policy         buyer                 return             draft
//   old-label-printing   en     returns  labels         seller                label              archived
//   refund-timing-es     es     payments refund-timing  buyer                 refund,card        published  (translation of refund-timing)
//   refund-timing-pt-br  pt-BR  payments refund-timing  buyer                 refund             published  (translation of refund-timing)
//   card-declined-pt     pt     payments methods        buyer                 card               published  (translation of card-declined)
//   refund-timing-ja     ja     payments refund-timing  buyer                 refund             published  (translation of refund-timing)
//
// Translations of one article are one result, so the 11 published files are 7 results.
class SmallKb {
 public:
  SmallKb() {
    IndexOptions options;
    options.articles_dir = hmtest::kTestData / "kb-small/articles";
    options.taxonomy_dir = hmtest::kTestData / "kb-small/taxonomy";
    options.index_dir = dir_ / "index";
    auto r = build_index(options);
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    REQUIRE(r->total == 13);
    auto index = Index::open(options.index_dir);
    REQUIRE(index.ok());
    index_ = std::make_unique<Index>(std::move(index).value());
  }
  const Index& index() const { return *index_; }

  SearchResponse browse(SearchFilters filters, const std::string& locale = "") const {
    SearchRequest r;
    r.filters = std::move(filters);
    r.locale = locale;
    r.limit = 100;
    return hmtest::search_ok(*index_, r);
  }

 private:
  hmtest::TempDir dir_;
  std::unique_ptr<Index> index_;
};

const Ids kAllPublished = {"refund-timing",  "card-declined", "escrow-explained", "seller-payouts",
                           "partner-payouts", "start-a-return", "return-policy"};

}  // namespace

TEST_SUITE("search") {
  TEST_CASE("an empty query lists every published article, translations once") {
    SmallKb kb;
    SearchResponse r = kb.browse({});
    CHECK(r.total == 7);
    CHECK(id_set(r) == kAllPublished);
    for (const auto& h : r.hits) {
      CHECK(h.locale == "en");  // no preferred locale: the default locale's version
      CHECK(h.translation_group == h.id);
    }
  }

  TEST_CASE("filters alone") {
    SmallKb kb;
    SUBCASE("journey") {
      SearchResponse r = kb.browse(hmtest::filters().journeys({"payments"}));
      CHECK(r.total == 3);
      CHECK(id_set(r) == Ids{"refund-timing", "card-declined", "escrow-explained"});
    }
    SUBCASE("sub-topic") {
      SearchResponse r = kb.browse(hmtest::filters().subtopics({"payouts"}));
      CHECK(id_set(r) == Ids{"seller-payouts", "partner-payouts"});
      CHECK(r.total == 2);
    }
    SUBCASE("audience") {
      SearchResponse r = kb.browse(hmtest::filters().audiences({"seller"}));
      CHECK(id_set(r) == Ids{"escrow-explained", "start-a-return", "return-policy", "seller-payouts"});
      CHECK(r.total == 4);
      // An article without `audience` is for everybody.
      CHECK(id_set(kb.browse(hmtest::filters().audiences({"partner"}))) == Ids{"return-policy", "partner-payouts"});
    }
    SUBCASE("tag") {
      SearchResponse r = kb.browse(hmtest::filters().tags({"bank"}));
      CHECK(id_set(r) == Ids{"card-declined", "seller-payouts"});
      CHECK(r.total == 2);
    }
    SUBCASE("unknown values match nothing") {
      CHECK(kb.browse(hmtest::filters().journeys({"nope"})).total == 0);
      CHECK(kb.browse(hmtest::filters().tags({"nope"})).hits.empty());
    }
  }

  TEST_CASE("OR within a field") {
    SmallKb kb;
    CHECK(id_set(kb.browse(hmtest::filters().journeys({"returns", "sellers"}))) ==
          Ids{"start-a-return", "return-policy", "seller-payouts", "partner-payouts"});
    CHECK(id_set(kb.browse(hmtest::filters().tags({"bank", "escrow"}))) ==
          Ids{"card-declined", "seller-payouts", "escrow-explained"});
    CHECK(kb.browse(hmtest::filters().audiences({"seller", "partner"})).total == 5);
  }

  TEST_CASE("AND across fields") {
    SmallKb kb;
    CHECK(id_set(kb.browse(hmtest::filters().journeys({"payments"}).audiences({"seller"}))) ==
          Ids{"escrow-explained"});
    CHECK(id_set(kb.browse(hmtest::filters().journeys({"returns"}).tags({"refund"}))) == Ids{"return-policy"});
    CHECK(id_set(kb.browse(hmtest::filters().journeys({"payments", "sellers"}).audiences({"seller"}).tags({"bank", "escrow"}))) ==
          Ids{"escrow-explained", "seller-payouts"});
    CHECK(kb.browse(hmtest::filters().journeys({"sellers"}).tags({"card"})).total == 0);
  }

  TEST_CASE("filters combine with a text query") {
    SmallKb kb;
    SearchRequest r;
    r.query = "bank";
    r.filters.journeys = {"sellers"};
    SearchResponse response = hmtest::search_ok(kb.index(), r);
    CHECK(ids(response) == std::vector<std::string>{"seller-payouts"});
    CHECK(response.total == 1);
  }

  TEST_CASE("status: drafts and archived articles are hidden unless asked for") {
    SmallKb kb;
    CHECK(kb.browse(hmtest::filters().journeys({"returns"})).total == 2);
    CHECK(id_set(kb.browse(hmtest::filters().statuses({"draft"}))) == Ids{"new-return-rules"});
    CHECK(id_set(kb.browse(hmtest::filters().statuses({"archived"}))) == Ids{"old-label-printing"});
    SearchResponse all = kb.browse(hmtest::filters().journeys({"returns"}).statuses({"published", "draft", "archived"}));
    CHECK(all.total == 4);
    // A text query respects the default too: "holidays" only occurs in the draft.
    SearchRequest r;
    r.query = "holidays";
    r.layers.spelling = false;
    CHECK(hmtest::search_ok(kb.index(), r).total == 0);
    r.filters.statuses = {"draft"};
    CHECK(ids(hmtest::search_ok(kb.index(), r)) == std::vector<std::string>{"new-return-rules"});
    // get() still returns drafts.
    auto draft = kb.index().get("new-return-rules");
    REQUIRE(draft.ok());
    CHECK(draft->status == ArticleStatus::kDraft);
  }

  TEST_CASE("locale preference: pt-BR, then pt, then the default locale") {
    SmallKb kb;
    SUBCASE("pt-BR") {
      SearchResponse r = kb.browse({}, "pt-BR");
      CHECK(r.locales == std::vector<std::string>{"pt-BR", "pt", "en"});
      CHECK(r.total == 7);
      CHECK(id_set(r) == Ids{"refund-timing-pt-br", "card-declined-pt", "escrow-explained",
                             "seller-payouts", "partner-payouts", "start-a-return", "return-policy"});
    }
    SUBCASE("es: the Spanish translation replaces the English article, no Portuguese") {
      SearchResponse r = kb.browse({}, "es");
      CHECK(r.locales == std::vector<std::string>{"es", "en"});
      CHECK(r.total == 7);
      Ids expected = kAllPublished;
      expected.erase("refund-timing");
      expected.insert("refund-timing-es");
      CHECK(id_set(r) == expected);
    }
    SUBCASE("a locale without articles falls back to the default one") {
      SearchResponse r = kb.browse({}, "fr");
      CHECK(id_set(r) == kAllPublished);
    }
    SUBCASE("without fallback only the locale itself") {
      SearchRequest request;
      request.locale = "pt-BR";
      request.layers.fallback = false;
      SearchResponse r = hmtest::search_ok(kb.index(), request);
      CHECK(ids(r) == std::vector<std::string>{"refund-timing-pt-br"});
      CHECK(r.total == 1);
    }
    SUBCASE("an exact locale filter") {
      SearchResponse r = kb.browse(hmtest::filters().locales({"ja"}));
      CHECK(ids(r) == std::vector<std::string>{"refund-timing-ja"});
      CHECK(r.total == 1);
    }
    SUBCASE("a query in the preferred language finds the translation") {
      SearchRequest request;
      request.locale = "es";
      request.query = "devolucion";  // the article says "devolución"
      SearchResponse r = hmtest::search_ok(kb.index(), request);
      REQUIRE_FALSE(r.hits.empty());
      CHECK(r.hits[0].id == "refund-timing-es");
      CHECK(r.hits[0].locale == "es");
      CHECK(r.hits[0].translation_group == "refund-timing");
      request.locale = "ja";
      request.query = "返金";
      r = hmtest::search_ok(kb.index(), request);
      REQUIRE_FALSE(r.hits.empty());
      CHECK(r.hits[0].id == "refund-timing-ja");
    }
  }

  TEST_CASE("the translation shown for a preferred locale still satisfies the filters") {
    // refund-timing (en) has the tag `wallet`, its Spanish translation does not: with
    // --locale es --tag wallet the English article is shown, not the translation.
    SmallKb kb;
    SearchResponse r = kb.browse(hmtest::filters().tags({"wallet"}), "es");
    REQUIRE(r.hits.size() == 1);
    for (const auto& h : r.hits)
      CHECK(std::find(h.tags.begin(), h.tags.end(), "wallet") != h.tags.end());
  }

  TEST_CASE("pagination: offset and limit page through, total stays exact") {
    SmallKb kb;
    SearchRequest request;
    request.limit = 3;
    std::vector<std::string> seen;
    for (std::size_t offset = 0; offset < 9; offset += 3) {
      request.offset = offset;
      SearchResponse page = hmtest::search_ok(kb.index(), request);
      CHECK(page.total == 7);
      CHECK(page.hits.size() == (offset == 6 ? 1u : 3u));
      for (const auto& h : page.hits) seen.push_back(h.id);
    }
    CHECK(seen.size() == 7);
    CHECK(Ids(seen.begin(), seen.end()) == kAllPublished);  // no repeats, nothing missing

    request.offset = 50;
    SearchResponse past_end = hmtest::search_ok(kb.index(), request);
    CHECK(past_end.hits.empty());
    CHECK(past_end.total == 7);

    request.offset = 0;
    request.limit = 0;
    SearchResponse count_only = hmtest::search_ok(kb.index(), request);
    CHECK(count_only.hits.empty());
    CHECK(count_only.total == 7);
  }

  TEST_CASE("pagination of a ranked query keeps the ranking") {
    SmallKb kb;
    SearchRequest request;
    request.query = "refund card bank";
    request.limit = 100;
    SearchResponse all = hmtest::search_ok(kb.index(), request);
    REQUIRE(all.total >= 3);
    request.limit = 1;
    for (std::size_t i = 0; i < all.hits.size(); ++i) {
      request.offset = i;
      SearchResponse one = hmtest::search_ok(kb.index(), request);
      REQUIRE(one.hits.size() == 1);
      CHECK(one.hits[0].id == all.hits[i].id);
      CHECK(one.total == all.total);
    }
  }

  TEST_CASE("invalid requests") {
    SmallKb kb;
    SearchRequest request;
    SUBCASE("limit over the maximum") {
      request.limit = SearchRequest::kMaxLimit + 1;
      auto r = kb.index().search(request);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kInvalidArgument);
      CHECK(contains(r.status().message(), "1000"));
      request.limit = SearchRequest::kMaxLimit;
      CHECK(kb.index().search(request).ok());
    }
    SUBCASE("unknown facet") {
      request.facets = {"journey", "colour"};
      auto r = kb.index().search(request);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kInvalidArgument);
      CHECK(contains(r.status().message(), "'colour'"));
    }
    SUBCASE("a query over the size limit") {
      request.query = std::string(SearchRequest::kMaxQueryBytes + 1, 'a');
      auto r = kb.index().search(request);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kInvalidArgument);
    }
    SUBCASE("invalid UTF-8 in the query") {
      request.query = "caf\xe9";
      auto r = kb.index().search(request);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kInvalidArgument);
    }
  }

  TEST_CASE("hits carry the stored fields") {
    SmallKb kb;
    SearchRequest request;
    request.query = "escrow";
    SearchResponse r = hmtest::search_ok(kb.index(), request);
    REQUIRE_FALSE(r.hits.empty());
    const Hit& h = r.hits[0];
    CHECK(h.id == "escrow-explained");
    CHECK(h.title == "How escrow protects your purchase");
    CHECK(h.journey == "payments");
    CHECK(h.subtopic == "methods");
    CHECK(h.locale == "en");
    CHECK(h.path == "en/payments/escrow-explained.md");
    CHECK(h.audience == std::vector<std::string>{"buyer", "seller"});
    CHECK(h.tags == std::vector<std::string>{"escrow"});
    CHECK(h.updated == "2026-08-02");
    CHECK(contains(h.summary, "Lumen Market holds the money"));
    CHECK(h.score > 0);
  }

  TEST_CASE("ranking: a title match beats a body match") {
    hmtest::Kb kb;
    // Same length and shape; only where the word "lighthouse" appears differs.
    kb.add("en/in-body.md", md("title: Shipping questions answered\njourney: payments\n",
                               "Parcels pass the lighthouse depot before they reach you.\n"));
    kb.add("en/in-title.md", md("title: Lighthouse depot questions\njourney: payments\n",
                                "Parcels pass the central depot before they reach you.\n"));
    kb.add("en/unrelated.md", md("title: Something else\njourney: payments\n",
                                 "Nothing to see here at all, really.\n"));
    kb.build_ok();
    Index index = kb.open();
    SearchRequest r;
    r.query = "lighthouse";
    SearchResponse response = hmtest::search_ok(index, r);
    CHECK(ids(response) == std::vector<std::string>{"in-title", "in-body"});
    CHECK(response.total == 2);
    REQUIRE(response.hits.size() == 2);
    CHECK(response.hits[0].score > response.hits[1].score);
  }

  TEST_CASE("ranking: more query words matched ranks higher, stems match inflections") {
    SmallKb kb;
    SearchRequest r;
    r.query = "refunds wallet";
    SearchResponse response = hmtest::search_ok(kb.index(), r);
    REQUIRE_FALSE(response.hits.empty());
    CHECK(response.hits[0].id == "refund-timing");
    r.query = "escrow";
    response = hmtest::search_ok(kb.index(), r);
    CHECK(ids(response) == std::vector<std::string>{"escrow-explained", "seller-payouts"});
  }

  TEST_CASE("concurrent searches on one Index while the index is rebuilt and reopened") {
    hmtest::Kb kb;
    for (int i = 0; i < 20; ++i)
      kb.add("en/a" + std::to_string(i) + ".md",
             md("title: Article " + std::to_string(i) + " about refunds\njourney: payments\n",
                "Refunds and cards, version zero.\n"));
    kb.build_ok();
    Index index = kb.open();

    std::atomic<bool> stop{false};
    std::atomic<int> failures{0}, searches{0}, wrong_totals{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 8; ++t) {
      readers.emplace_back([&, t] {
        SearchRequest r;
        r.query = t % 2 ? "refunds" : "";
        r.facets = {"journey"};
        r.limit = 5;
        while (!stop.load() || searches.load() < 80) {
          auto response = index.search(r);
          ++searches;
          if (!response.ok()) {
            ++failures;
            continue;
          }
          // 20 articles, then 21, then 22 ...: never fewer, never a partial count.
          if (response->total < 20 || response->total > 23) ++wrong_totals;
          if (response->hits.size() != 5) ++wrong_totals;
        }
      });
    }
    // The writer: three more commits, each followed by reopen().
    int reopen_failures = 0;
    for (int round = 0; round < 3; ++round) {
      kb.add("en/new" + std::to_string(round) + ".md",
             md("title: New refunds " + std::to_string(round) + "\njourney: payments\n",
                "Refunds again.\n"));
      for (int i = 0; i < 20; i += 3)
        kb.add("en/a" + std::to_string(i) + ".md",
               md("title: Article " + std::to_string(i) + " about refunds\njourney: payments\n",
                  "Refunds and cards, version " + std::to_string(round + 1) + ".\n"));
      auto built = kb.build();
      REQUIRE_MESSAGE(built.ok(), built.status().message());
      if (!index.reopen().ok()) ++reopen_failures;
    }
    stop = true;
    for (auto& t : readers) t.join();
    CHECK(reopen_failures == 0);
    CHECK(failures.load() == 0);
    CHECK(wrong_totals.load() == 0);
    CHECK(searches.load() >= 80);
    // After the last reopen every search sees the final version.
    SearchRequest r;
    CHECK(hmtest::search_ok(index, r).total == 23);
    CHECK(index.size() == 23);
  }
}
