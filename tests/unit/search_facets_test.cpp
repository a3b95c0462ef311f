#include <doctest/doctest.h>

#include "helpmark/index.hpp"
#include "test_util.hpp"

using namespace helpmark;
using hmtest::facet_count;
using hmtest::md;

namespace {

// Four published results (A1 and its Spanish translation A6 are one), one draft:
//
//   A1  payments/refund-timing  audience buyer,seller   tags refund,card,wallet  en
//   A2  payments/methods        audience buyer          tags card                en
//   A3  returns/policy          audience seller,partner tags refund,return       en
//   A4  sellers/payouts         audience seller         tags payout,bank,refund  en
//   A5  payments/methods        audience buyer          tags card                en  draft
//   A6  payments/refund-timing  audience buyer,seller   tags refund,card         es  (translation of a1)
class FacetKb {
 public:
  FacetKb() {
    kb_.add("en/a1.md", md("title: One\njourney: payments\nsubtopic: refund-timing\n"
                           "audience: [buyer, seller]\ntags: [refund, card, wallet]\n"));
    kb_.add("en/a2.md", md("title: Two\njourney: payments\nsubtopic: methods\n"
                           "audience: [buyer]\ntags: [card]\n"));
    kb_.add("en/a3.md", md("title: Three\njourney: returns\nsubtopic: policy\n"
                           "audience: [seller, partner]\ntags: [refund, return]\n"));
    kb_.add("en/a4.md", md("title: Four\njourney: sellers\nsubtopic: payouts\n"
                           "audience: [seller]\ntags: [payout, bank, refund]\n"));
    kb_.add("en/a5.md", md("title: Five\njourney: payments\nsubtopic: methods\n"
                           "audience: [buyer]\ntags: [card]\nstatus: draft\n"));
    kb_.add("es/a1.md", md("id: a6\ntitle: Uno\njourney: payments\nsubtopic: refund-timing\n"
                           "locale: es\ntranslation_of: a1\naudience: [buyer, seller]\n"
                           "tags: [refund, card]\n"));
    kb_.build_ok();
    index_ = std::make_unique<Index>(kb_.open());
  }
  const Index& index() const { return *index_; }

  SearchResponse facets(SearchFilters filters = {}, std::string query = "") const {
    SearchRequest r;
    r.query = std::move(query);
    r.filters = std::move(filters);
    r.facets = {"journey", "subtopic", "audience", "locale", "tags", "status"};
    return hmtest::search_ok(*index_, r);
  }

 private:
  hmtest::Kb kb_;
  std::unique_ptr<Index> index_;
};

std::vector<std::pair<std::string, std::size_t>> listed(const SearchResponse& r, const std::string& field) {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (const auto& c : r.facets.at(field)) out.emplace_back(c.value, c.count);
  return out;
}

using Counts = std::vector<std::pair<std::string, std::size_t>>;

}  // namespace

TEST_SUITE("search/facets") {
  TEST_CASE("counts over everything, multi-valued fields counted per value") {
    FacetKb kb;
    SearchResponse r = kb.facets();
    CHECK(r.total == 4);
    REQUIRE(r.facets.size() == 6);
    // Most frequent first, ties by value.
    CHECK(listed(r, "journey") == Counts{{"payments", 2}, {"returns", 1}, {"sellers", 1}});
    CHECK(listed(r, "subtopic") ==
          Counts{{"methods", 1}, {"payouts", 1}, {"policy", 1}, {"refund-timing", 1}});
    CHECK(listed(r, "audience") == Counts{{"seller", 3}, {"buyer", 2}, {"partner", 1}});
    CHECK(listed(r, "tags") == Counts{{"refund", 3}, {"card", 2}, {"bank", 1}, {"payout", 1},
                                      {"return", 1}, {"wallet", 1}});
    // A1's group has an English and a Spanish version.
    CHECK(listed(r, "locale") == Counts{{"en", 4}, {"es", 1}});
    CHECK(listed(r, "status") == Counts{{"published", 4}});
  }

  TEST_CASE("only the requested fields are counted, none by default") {
    FacetKb kb;
    SearchRequest request;
    request.facets = {"audience"};
    SearchResponse r = hmtest::search_ok(kb.index(), request);
    CHECK(r.facets.size() == 1);
    CHECK(listed(r, "audience") == Counts{{"seller", 3}, {"buyer", 2}, {"partner", 1}});
    SearchResponse none = hmtest::search_ok(kb.index(), SearchRequest{});
    CHECK(none.facets.empty());
    CHECK(none.total == 4);
  }

  TEST_CASE("counts reflect the filtered set") {
    FacetKb kb;
    SUBCASE("audience seller: A1, A3, A4") {
      SearchResponse r = kb.facets(hmtest::filters().audiences({"seller"}));
      CHECK(r.total == 3);
      CHECK(listed(r, "journey") == Counts{{"payments", 1}, {"returns", 1}, {"sellers", 1}});
      CHECK(listed(r, "audience") == Counts{{"seller", 3}, {"buyer", 1}, {"partner", 1}});
      CHECK(listed(r, "tags") == Counts{{"refund", 3}, {"bank", 1}, {"card", 1}, {"payout", 1},
                                        {"return", 1}, {"wallet", 1}});
    }
    SUBCASE("journey payments: A1, A2") {
      SearchResponse r = kb.facets(hmtest::filters().journeys({"payments"}));
      CHECK(r.total == 2);
      CHECK(listed(r, "tags") == Counts{{"card", 2}, {"refund", 1}, {"wallet", 1}});
      CHECK(listed(r, "audience") == Counts{{"buyer", 2}, {"seller", 1}});
      CHECK(facet_count(r, "journey", "returns") == -1);
    }
    SUBCASE("tag card and drafts included: A1, A2, A5") {
      SearchResponse r = kb.facets(hmtest::filters().tags({"card"}).statuses({"published", "draft"}));
      CHECK(r.total == 3);
      CHECK(listed(r, "status") == Counts{{"published", 2}, {"draft", 1}});
      CHECK(listed(r, "subtopic") == Counts{{"methods", 2}, {"refund-timing", 1}});
    }
    SUBCASE("a text query: only A3 and A4 say 'return' or 'payout'") {
      SearchResponse r = kb.facets({}, "return payout");
      CHECK(r.total == 2);
      CHECK(listed(r, "journey") == Counts{{"returns", 1}, {"sellers", 1}});
      CHECK(listed(r, "tags") == Counts{{"refund", 2}, {"bank", 1}, {"payout", 1}, {"return", 1}});
    }
    SUBCASE("nothing matches: every requested field is there, empty") {
      SearchResponse r = kb.facets(hmtest::filters().journeys({"nope"}));
      CHECK(r.total == 0);
      REQUIRE(r.facets.size() == 6);
      for (const auto& [field, counts] : r.facets) CHECK(counts.empty());
    }
  }

  TEST_CASE("counts do not depend on the page") {
    FacetKb kb;
    SearchRequest r;
    r.facets = {"tags"};
    r.limit = 1;
    r.offset = 2;
    SearchResponse page = hmtest::search_ok(kb.index(), r);
    CHECK(page.hits.size() == 1);
    CHECK(page.total == 4);
    CHECK(listed(page, "tags") == Counts{{"refund", 3}, {"card", 2}, {"bank", 1}, {"payout", 1},
                                         {"return", 1}, {"wallet", 1}});
  }

  TEST_CASE("with a preferred locale, a translated group still counts once per value") {
    FacetKb kb;
    SearchRequest r;
    r.locale = "es";
    r.facets = {"tags", "locale"};
    SearchResponse response = hmtest::search_ok(kb.index(), r);
    CHECK(response.total == 4);
    CHECK(facet_count(response, "tags", "refund") == 3);
    CHECK(facet_count(response, "tags", "card") == 2);
    CHECK(facet_count(response, "locale", "es") == 1);
    bool shows_spanish = false;
    for (const auto& h : response.hits) shows_spanish |= h.id == "a6";
    CHECK(shows_spanish);
  }

  TEST_CASE("only the fields of kFacetFields can be counted") {
    // "tag" is a filter alias, not a facet name: it is refused rather than counted as nothing.
    FacetKb kb;
    SearchRequest r;
    r.facets = {"tag"};
    auto response = kb.index().search(r);
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().code() == ErrorCode::kInvalidArgument);
    r.facets = {"tags"};
    CHECK(facet_count(kb.index().search(r).value(), "tags", "refund") == 3);
  }
}
