// Fusion of the lexical model with Xapian's ranking (search/ranking: retrieve, fuse,
// keep_near_proposals) through helpmark::Index: the model finds what the words miss, re-ranks,
// and never gets past the filters; totals and facets stay exact.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>

#include "helpmark/index.hpp"
#include "search/ranking.hpp"
#include "unit/model_util.hpp"

using namespace helpmark;
using hmtest::filters;
using hmtest::search_ok;

namespace {

// The knowledge base of hmtest::tuned_articles(), indexed, ranking with `weight` × the model.
class FusionKb {
 public:
  explicit FusionKb(double weight = 0.5) {
    hmtest::write_articles(kb_, hmtest::tuned_articles());
    kb_.build_ok();
    hmtest::set_model_weight(kb_.index_dir(), weight);
  }
  Index open() const { return kb_.open(); }
  const hmtest::Kb& kb() const { return kb_; }

 private:
  hmtest::Kb kb_;
};

// A search with spelling correction off: words the index lacks find nothing by themselves.
SearchRequest request(const std::string& query, bool model = true) {
  SearchRequest r;
  r.query = query;
  r.layers.spelling = false;
  r.layers.model = model;
  r.limit = 1000;
  return r;
}

long facet_total(const SearchResponse& r, const std::string& field) {
  auto it = r.facets.find(field);
  if (it == r.facets.end()) return -1;
  long n = 0;
  for (const auto& c : it->second) n += static_cast<long>(c.count);
  return n;
}

// The response's total and facet counts agree with its hits (all on one page).
void check_counts(const SearchResponse& r) {
  CHECK(r.total == r.hits.size());
  // Every article has one journey and one sub-topic.
  CHECK(facet_total(r, "journey") == static_cast<long>(r.total));
  CHECK(facet_total(r, "subtopic") == static_cast<long>(r.total));
  for (const auto& h : r.hits) {
    INFO("hit " << h.id);
    CHECK(hmtest::facet_count(r, "journey", h.journey) >= 1);
  }
  std::map<std::string, long> journeys;
  for (const auto& h : r.hits) ++journeys[h.journey];
  for (const auto& [journey, n] : journeys) CHECK(hmtest::facet_count(r, "journey", journey) == n);
}

}  // namespace

TEST_SUITE("fusion") {
  TEST_CASE("fusion: a paraphrase sharing no stem with its article is found first through the model, only with it") {
    FusionKb kb;
    Index index = kb.open();
    // "delivering" stems to "deliv"; the article only has "delivery" ("deliveri"): the words
    // find nothing, the model's character n-grams find the article.
    SearchRequest with_model = request("delivering");
    with_model.facets = {"journey", "subtopic"};
    const SearchResponse found = search_ok(index, with_model);
    REQUIRE_FALSE(found.hits.empty());
    CHECK(found.hits[0].id == "delivery-times");
    CHECK(found.hits[0].has_model_score);
    CHECK(found.hits[0].model_score > 0.0);  // words that find nothing: only what the model is sure of
    CHECK(found.hits[0].xapian_score == 0.0);
    CHECK(found.ranking.model_weight == 0.5);
    check_counts(found);

    // The model layer off: nothing.
    SearchRequest without_model = with_model;
    without_model.layers.model = false;
    const SearchResponse missed = search_ok(index, without_model);
    CHECK(missed.hits.empty());
    CHECK(missed.total == 0);
    CHECK(missed.ranking.model_weight == 0.0);

    // An index whose settings give the model no weight: nothing either.
    hmtest::set_model_weight(kb.kb().index_dir(), 0.0);
    Index xapian_only = kb.open();
    CHECK(search_ok(xapian_only, with_model).hits.empty());
  }

  TEST_CASE("fusion: a query of unknown words finds nothing, with the model too") {
    FusionKb kb;
    Index index = kb.open();
    const SearchResponse r = search_ok(index, request("qqxz wvvk"));
    CHECK(r.hits.empty());
    CHECK(r.total == 0);
  }

  TEST_CASE("fusion: filters stay exact, the model never adds an article they exclude") {
    FusionKb kb(0.8);
    Index index = kb.open();
    SearchRequest base = request("delivering");
    base.facets = {"journey", "subtopic", "locale"};
    REQUIRE(search_ok(index, base).hits.at(0).id == "delivery-times");  // returns / policy

    SearchRequest payments = base;
    payments.filters = filters().journeys({"payments"});
    const SearchResponse p = search_ok(index, payments);
    CHECK(p.hits.empty());
    CHECK(p.total == 0);
    CHECK(facet_total(p, "journey") == 0);

    SearchRequest labels = base;
    labels.filters = filters().journeys({"returns"}).subtopics({"labels"});
    CHECK(search_ok(index, labels).total == 0);

    SearchRequest spanish = base;
    spanish.filters = filters().locales({"es"});
    CHECK(search_ok(index, spanish).total == 0);

    SearchRequest drafts = base;
    drafts.filters = filters().statuses({"draft"});
    CHECK(search_ok(index, drafts).total == 0);

    SearchRequest returns = base;
    returns.filters = filters().journeys({"returns"});
    const SearchResponse r = search_ok(index, returns);
    REQUIRE_FALSE(r.hits.empty());
    CHECK(r.hits[0].id == "delivery-times");
    for (const auto& h : r.hits) CHECK(h.journey == "returns");
    check_counts(r);

    // Words that match in several journeys, plus a word only the model understands.
    SearchRequest mixed = request("refund delivering payout");
    mixed.facets = {"journey", "subtopic"};
    mixed.filters = filters().journeys({"payments"});
    const SearchResponse m = search_ok(index, mixed);
    REQUIRE_FALSE(m.hits.empty());
    for (const auto& h : m.hits) {
      CHECK(h.journey == "payments");
      CHECK(h.id != "delivery-times");
    }
    check_counts(m);
  }

  TEST_CASE("fusion: totals and facet counts agree with the hits, with and without the model") {
    FusionKb kb;
    Index index = kb.open();
    for (const char* q : {"refund", "delivering", "refund delivering", "my money", "print the label", "pay",
                          "how long", "seller account bank", "delivering payout"}) {
      INFO("query: " << q);
      SearchRequest on = request(q);
      on.facets = {"journey", "subtopic"};
      SearchRequest off = on;
      off.layers.model = false;
      const SearchResponse with_model = search_ok(index, on);
      const SearchResponse without = search_ok(index, off);
      check_counts(with_model);
      check_counts(without);
      // The model re-ranks what the words found and may add a few of its own proposals.
      const auto a = hmtest::id_set(with_model);
      for (const auto& id : hmtest::id_set(without)) CHECK(a.count(id) == 1);
      CHECK(with_model.total >= without.total);
      CHECK(with_model.total <= without.total + search::kProposalsKept);
    }
  }

  TEST_CASE("fusion: each hit's score is the documented mix of its model and Xapian scores") {
    FusionKb kb(0.5);
    Index index = kb.open();
    for (const char* q : {"refund card", "when will my money arrive", "label", "delivering"}) {
      INFO("query: " << q);
      const SearchResponse r = search_ok(index, request(q));
      REQUIRE_FALSE(r.hits.empty());
      CHECK(r.ranking.model_weight == 0.5);
      double top = 0;
      for (const auto& h : r.hits) top = std::max(top, h.xapian_score);
      for (std::size_t i = 0; i < r.hits.size(); ++i) {
        const Hit& h = r.hits[i];
        INFO("hit " << h.id);
        REQUIRE(h.has_model_score);  // every article has examples
        CHECK(std::isfinite(h.model_score));
        const double x = top > 0 ? h.xapian_score / top : 0.0;
        CHECK(h.score == doctest::Approx(0.5 * h.model_score + 0.5 * x));
        if (i > 0) CHECK(r.hits[i - 1].score >= h.score);
      }
      // The model layer off: Xapian's order, scores over the best.
      const SearchResponse off = search_ok(index, request(q, false));
      CHECK(off.ranking.model_weight == 0.0);
      for (const auto& h : off.hits) {
        CHECK_FALSE(h.has_model_score);
        CHECK(h.model_score == 0.0);
        CHECK(h.score == doctest::Approx(h.xapian_score / off.hits[0].xapian_score));
      }
    }
  }

  TEST_CASE("fusion: the model lifts the article whose questions a query is close to") {
    FusionKb kb(1.0);  // the model's order alone
    Index index = kb.open();
    // Close to questions of the article, but with words other articles share.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"when do i get my money back", "refund-timing"},
        {"my card got declined", "card-declined"},
        {"where is my shipping label", "print-label"},
        {"how often do sellers get paid", "seller-payouts"},
    };
    for (const auto& [query, expected] : cases) {
      INFO("query: " << query);
      const SearchResponse r = search_ok(index, request(query));
      REQUIRE_FALSE(r.hits.empty());
      CHECK(r.hits[0].id == expected);
      for (std::size_t i = 1; i < r.hits.size(); ++i) CHECK(r.hits[i - 1].model_score >= r.hits[i].model_score);
    }
  }

  TEST_CASE("fusion: pages of a fused ranking are slices of one order") {
    FusionKb kb;
    Index index = kb.open();
    SearchRequest all = request("my order item account");
    all.limit = 20;
    const auto full = hmtest::ids(search_ok(index, all));
    REQUIRE(full.size() >= 6);
    std::vector<std::string> paged;
    for (std::size_t offset = 0; offset < 6; offset += 3) {
      SearchRequest page = all;
      page.offset = offset;
      page.limit = 3;
      const SearchResponse r = search_ok(index, page);
      CHECK(r.total == full.size());
      for (const auto& id : hmtest::ids(r)) paged.push_back(id);
    }
    CHECK(paged == std::vector<std::string>(full.begin(), full.begin() + 6));
  }

  TEST_CASE("fusion: a query in a regional locale is scored by its language's model") {
    FusionKb kb;
    Index index = kb.open();
    for (const char* locale : {"en", "en-GB", "en-us"}) {
      INFO("locale " << locale);
      SearchRequest r = request("delivering");
      r.locale = locale;
      const SearchResponse found = search_ok(index, r);
      REQUIRE_FALSE(found.hits.empty());
      CHECK(found.hits[0].id == "delivery-times");
      CHECK(found.hits[0].has_model_score);
    }
    // Another language's query: the English model does not judge it.
    SearchRequest spanish = request("delivering");
    spanish.locale = "es";
    const SearchResponse es = search_ok(index, spanish);
    CHECK(es.hits.empty());
    SearchRequest words = request("refund");
    words.locale = "es";  // falls back to English articles, ranked by Xapian alone
    const SearchResponse fallback = search_ok(index, words);
    REQUIRE_FALSE(fallback.hits.empty());
    for (const auto& h : fallback.hits) CHECK_FALSE(h.has_model_score);
  }

  TEST_CASE("fusion: searches with the model from several threads at once rank as one at a time") {
    FusionKb kb;
    const Index index = kb.open();
    const std::vector<std::string> queries = {"delivering", "refund card", "when will my money arrive", "label",
                                              "payout bank", "my card got declined", "verify passport"};
    std::vector<std::vector<std::string>> expected;
    std::vector<std::vector<double>> expected_scores;
    for (const auto& q : queries) {
      const SearchResponse r = search_ok(index, request(q));
      expected.push_back(hmtest::ids(r));
      std::vector<double> s;
      for (const auto& h : r.hits) s.push_back(h.score);
      expected_scores.push_back(s);
    }
    std::atomic<int> mismatches{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 40; ++i) {
          const std::size_t q = static_cast<std::size_t>(t + i) % queries.size();
          auto r = index.search(request(queries[q]));
          if (!r.ok()) {
            ++failures;
            continue;
          }
          std::vector<double> s;
          for (const auto& h : r->hits) s.push_back(h.score);
          if (hmtest::ids(r.value()) != expected[q] || s != expected_scores[q]) ++mismatches;
        }
      });
    for (auto& th : threads) th.join();
    CHECK(failures == 0);
    CHECK(mismatches == 0);
  }
}
