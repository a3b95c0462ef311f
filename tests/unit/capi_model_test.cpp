// The C API's view of the learned lexical model: hm_hit_xapian_score, hm_hit_model_score and
// HM_LAYER_MODEL give what the C++ API gives.
#include <cmath>
#include <nlohmann/json.hpp>

#include "helpmark/answer.hpp"
#include "unit/capi_util.hpp"
#include "unit/model_util.hpp"

using namespace hmtest;

namespace {

static_assert(HM_LAYER_MODEL == 8);
static_assert(HM_LAYERS_DEFAULT == (HM_LAYER_SYNONYMS | HM_LAYER_SPELLING | HM_LAYER_FALLBACK | HM_LAYER_MODEL));
static_assert(HM_RANKING_CHOSEN == 2);

// hmtest::tuned_articles() indexed, ranking with half the model.
class ModelIndex {
 public:
  ModelIndex() {
    write_articles(kb_, tuned_articles());
    kb_.build_ok();
    set_model_weight(kb_.index_dir(), 0.5);
  }
  fs::path index() const { return kb_.index_dir(); }
  helpmark::Index open() const { return kb_.open(); }

 private:
  Kb kb_;
};

}  // namespace

TEST_SUITE("capi/model") {
  TEST_CASE("capi/model: hit scores: Xapian's weight, the model's decision value and their fusion") {
    ModelIndex kb;
    IndexPtr ix = open_index(kb.index());
    RequestPtr req = new_request("refund card");
    REQUIRE(hm_search_request_set_page(req.get(), 0, 50) == HM_OK);
    ResultsPtr r = search(ix.get(), req.get());
    const std::size_t n = hm_results_count(r.get());
    REQUIRE(n >= 2);

    helpmark::SearchRequest cpp;
    cpp.query = "refund card";
    cpp.limit = 50;
    const helpmark::Index index = kb.open();
    const helpmark::SearchResponse expected = search_ok(index, cpp);
    REQUIRE(expected.hits.size() == n);
    double top = 0;
    for (std::size_t i = 0; i < n; ++i) top = std::max(top, hm_hit_xapian_score(r.get(), i));
    REQUIRE(top > 0);
    for (std::size_t i = 0; i < n; ++i) {
      INFO("hit " << i << ": " << c_str(hm_hit_id, r.get(), i));
      const double x = hm_hit_xapian_score(r.get(), i);
      const double m = hm_hit_model_score(r.get(), i);
      CHECK(x >= 0.0);
      REQUIRE_FALSE(std::isnan(m));
      CHECK(std::isfinite(m));
      CHECK(x == expected.hits[i].xapian_score);
      CHECK(m == expected.hits[i].model_score);
      CHECK(hm_hit_score(r.get(), i) == doctest::Approx(0.5 * m + 0.5 * x / top));
    }
    // Out of range.
    CHECK(hm_hit_xapian_score(r.get(), n) == 0.0);
    CHECK(std::isnan(hm_hit_model_score(r.get(), n)));
    CHECK(hm_hit_xapian_score(nullptr, 0) == 0.0);
    CHECK(std::isnan(hm_hit_model_score(nullptr, 0)));
  }

  TEST_CASE("capi/model: without HM_LAYER_MODEL there is no model score, and Xapian alone orders") {
    ModelIndex kb;
    IndexPtr ix = open_index(kb.index());
    RequestPtr req = new_request("refund card");
    REQUIRE(hm_search_request_set_layers(req.get(), HM_LAYERS_DEFAULT & ~HM_LAYER_MODEL) == HM_OK);
    ResultsPtr r = search(ix.get(), req.get());
    const std::size_t n = hm_results_count(r.get());
    REQUIRE(n > 0);
    const double top = hm_hit_xapian_score(r.get(), 0);
    REQUIRE(top > 0);
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(std::isnan(hm_hit_model_score(r.get(), i)));
      CHECK(hm_hit_score(r.get(), i) == doctest::Approx(hm_hit_xapian_score(r.get(), i) / top));
      if (i > 0) CHECK(hm_hit_xapian_score(r.get(), i - 1) >= hm_hit_xapian_score(r.get(), i));
    }
    // The JSON form says the same: null model scores.
    char* json = nullptr;
    std::size_t len = 0;
    REQUIRE(hm_search_json(&json, &len, ix.get(), req.get()) == HM_OK);
    StringPtr owned(json);
    const auto j = nlohmann::json::parse(std::string(json, len));
    REQUIRE(j["hits"].size() == n);
    for (const auto& h : j["hits"]) {
      CHECK(h["model_score"].is_null());
      CHECK(h["xapian_score"].get<double>() >= 0.0);
    }
    // A paraphrase only the model understands: found with the layer, not without.
    RequestPtr paraphrase = new_request("delivering");
    REQUIRE(hm_search_request_set_layers(paraphrase.get(), HM_LAYER_MODEL) == HM_OK);
    ResultsPtr with = search(ix.get(), paraphrase.get());
    REQUIRE(hm_results_count(with.get()) >= 1);
    CHECK(c_str(hm_hit_id, with.get(), 0) == "delivery-times");
    CHECK(hm_hit_model_score(with.get(), 0) > 0.0);
    CHECK(hm_hit_xapian_score(with.get(), 0) == 0.0);
    REQUIRE(hm_search_request_set_layers(paraphrase.get(), 0) == HM_OK);
    ResultsPtr without = search(ix.get(), paraphrase.get());
    CHECK(hm_results_count(without.get()) == 0);
    CHECK(hm_results_total(without.get()) == 0);
    // Flags beyond HM_LAYERS_DEFAULT are refused.
    check_failure(hm_search_request_set_layers(req.get(), HM_LAYERS_DEFAULT | 16), HM_EINVALID, "HM_LAYER_MODEL");
  }

  TEST_CASE("capi/model: answers carry the model score in their JSON, and the layer switches it off") {
    ModelIndex kb;
    IndexPtr ix = open_index(kb.index());
    OptionsPtr opts;
    {
      hm_answer_options* o = nullptr;
      REQUIRE(hm_answer_options_new(&o) == HM_OK);
      opts.reset(o);
    }
    auto answer_json = [&](const char* question) {
      char* json = nullptr;
      std::size_t len = 0;
      REQUIRE(hm_answer_json(&json, &len, ix.get(), question, "en", opts.get()) == HM_OK);
      StringPtr owned(json);
      return nlohmann::json::parse(std::string(json, len));
    };
    const auto on = answer_json("when will i get my money back");
    CHECK(on["id"] == "refund-timing");
    REQUIRE(on["model_score"].is_number());
    CHECK(on["xapian_score"].get<double>() > 0.0);
    CHECK(on["explanation"]["features"]["model"].get<double>() == on["model_score"].get<double>());
    REQUIRE(hm_answer_options_set_layers(opts.get(), HM_LAYERS_DEFAULT & ~HM_LAYER_MODEL) == HM_OK);
    const auto off = answer_json("when will i get my money back");
    CHECK(off["model_score"].is_null());
    CHECK(off["explanation"]["features"]["model"].get<double>() == -1.0);
  }
}
