// The answer confidence model (search/confidence.hpp) and calibration (calibrate_answers): fitting
// on labelled data, prediction, the threshold, and the model stored in the index.
#include <doctest/doctest.h>

#include <cmath>

#include "helpmark/eval.hpp"
#include "multilingual_util.hpp"
#include "search/confidence.hpp"

using namespace helpmark;
using helpmark::search::answer_accuracy;
using helpmark::search::feature_names;
using helpmark::search::fit_model;
using helpmark::search::predict;
using helpmark::search::TrainingExample;
using hmtest::MlKb;

namespace {

TrainingExample example(double coverage, double top_norm, bool right, bool in_scope) {
  TrainingExample e;
  e.features = {{"coverage", coverage}, {"title_coverage", coverage},
                {"top_norm", top_norm}, {"gap", 0.3},
                {"corrected", 0},       {"synonym", 0},
                {"inv_words", 0.5}};
  e.top_is_right = right;
  e.in_scope = in_scope;
  return e;
}

// Right answers have high coverage and score; wrong and out-of-scope ones low: separable.
std::vector<TrainingExample> separable() {
  std::vector<TrainingExample> out;
  for (int i = 0; i < 10; ++i) out.push_back(example(0.8 + 0.02 * i, 0.6 + 0.03 * i, true, true));
  for (int i = 0; i < 6; ++i) out.push_back(example(0.05 * i, 0.02 * i, false, false));
  for (int i = 0; i < 4; ++i) out.push_back(example(0.1 + 0.05 * i, 0.1 + 0.02 * i, false, false));
  return out;
}

LabelledQuery labelled(const std::string& qid, const std::string& query,
                       std::vector<std::string> gold, const std::string& locale = "en") {
  LabelledQuery q;
  q.qid = qid;
  q.query = query;
  q.gold = std::move(gold);
  q.locale = locale;
  return q;
}

std::vector<LabelledQuery> calibration_set() {
  return {
      labelled("1", "how do i request a refund", {"refund-request"}),
      labelled("2", "why was my card declined", {"card-declined"}),
      labelled("3", "open a dispute", {"open-a-dispute"}),
      labelled("4", "use a voucher", {"voucher"}),
      labelled("5", "track my order", {"track-order"}),
      labelled("6", "gift card balance", {"gift-cards"}),
      labelled("7", "register an account", {"create-account"}),
      labelled("8", "what's the weather in lisbon", {}),
      labelled("9", "best pizza near me", {}),
      labelled("10", "who won the football match", {}),
      labelled("11", "the app shows a strange page", {}),
      labelled("12", "返金申請", {"refund-request-ja"}, "ja"),
  };
}

}  // namespace

TEST_SUITE("answer/model") {
  TEST_CASE(
      "answer: the default model: one weight per feature plus the bias, a threshold in (0, 1)") {
    AnswerModel m = AnswerModel::defaults();
    CHECK(m.features == feature_names());
    CHECK(m.weights.size() == m.features.size() + 1);
    CHECK(m.threshold > 0.0);
    CHECK(m.threshold < 1.0);
    CHECK_FALSE(m.fitted_on.empty());
  }

  TEST_CASE(
      "answer: predict: the logistic function of the weighted features, missing features count as "
      "0") {
    AnswerModel m;
    m.features = {"coverage", "top_norm"};
    m.weights = {-1.0, 2.0, 4.0};
    CHECK(predict(m, {}) == doctest::Approx(1.0 / (1.0 + std::exp(1.0))));
    CHECK(predict(m, {{"coverage", 0.5}}) == doctest::Approx(0.5));
    CHECK(predict(m, {{"coverage", 1.0}, {"top_norm", 0.5}}) ==
          doctest::Approx(1.0 / (1.0 + std::exp(-3.0))));
    CHECK(predict(m, {{"unknown", 100.0}}) == doctest::Approx(predict(m, {})));
    AnswerModel empty;
    empty.features.clear();
    empty.weights.clear();
    CHECK(predict(empty, {{"coverage", 1.0}}) == doctest::Approx(0.5));
  }

  TEST_CASE(
      "answer: predict is monotone in a feature with a positive weight, and stays in [0, 1]") {
    AnswerModel m = AnswerModel::defaults();
    const auto& names = m.features;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (m.weights[i + 1] <= 0) continue;
      CAPTURE(names[i]);
      std::map<std::string, double> f = example(0.5, 0.5, true, true).features;
      double previous = -1;
      for (double v = 0.0; v <= 1.0001; v += 0.1) {
        f[names[i]] = v;
        const double p = predict(m, f);
        CHECK(p >= 0.0);
        CHECK(p <= 1.0);
        CHECK(p > previous);
        previous = p;
      }
    }
    // And decreasing in one with a negative weight (inv_words: short queries say less).
    auto f = example(0.5, 0.5, true, true).features;
    f["inv_words"] = 0.1;
    const double long_query = predict(m, f);
    f["inv_words"] = 1.0;
    CHECK(predict(m, f) < long_query);
  }

  TEST_CASE("answer: fit_model on separable data: accuracy 1.0, threshold between the classes") {
    const auto data = separable();
    AnswerModel m = fit_model(data, "synthetic");
    CHECK(m.features == feature_names());
    REQUIRE(m.weights.size() == feature_names().size() + 1);
    CHECK(m.fitted_on == "synthetic");
    CHECK(answer_accuracy(m, data) == 1.0);
    double lowest_right = 1, highest_wrong = 0;
    for (const auto& e : data) {
      const double p = predict(m, e.features);
      if (e.top_is_right)
        lowest_right = std::min(lowest_right, p);
      else
        highest_wrong = std::max(highest_wrong, p);
    }
    CHECK(highest_wrong < m.threshold);
    CHECK(m.threshold <= lowest_right);
    // The model learned that coverage and score mean "right".
    const auto weight = [&](const std::string& name) {
      auto it = std::find(m.features.begin(), m.features.end(), name);
      return m.weights[static_cast<std::size_t>(it - m.features.begin()) + 1];
    };
    CHECK(weight("coverage") + weight("title_coverage") + weight("top_norm") > 0);
    // Deterministic.
    AnswerModel again = fit_model(data, "synthetic");
    CHECK(again.weights == m.weights);
    CHECK(again.threshold == m.threshold);
  }

  TEST_CASE(
      "fit_model: when the first answer is never right, every out-of-scope question escalates") {
    std::vector<TrainingExample> data;
    for (int i = 0; i < 8; ++i) data.push_back(example(0.1 * i, 0.1 * i, false, i % 2 == 0));
    AnswerModel m = fit_model(data, "never right");
    for (const auto& e : data)
      if (!e.in_scope) CHECK(predict(m, e.features) < m.threshold);
    CHECK(answer_accuracy(m, data) == doctest::Approx(4.0 / 8.0));  // the out-of-scope half
  }

  TEST_CASE("answer_accuracy counts right answers and rightly escalated out-of-scope questions") {
    AnswerModel m;
    m.features = {"coverage"};
    m.weights = {0.0, 10.0};
    m.threshold = 0.5;
    std::vector<TrainingExample> data = {
        example(0.9, 0, true, true),     // answered, right: counts
        example(0.9, 0, false, true),    // answered, wrong: no
        example(-0.9, 0, false, false),  // escalated, out of scope: counts
        example(-0.9, 0, true, true),    // escalated, but it was answerable: no
    };
    CHECK(answer_accuracy(m, data) == doctest::Approx(0.5));
    CHECK(answer_accuracy(m, {}) == 0.0);
    CHECK(fit_model({}, "nothing").weights == AnswerModel::defaults().weights);
  }
}

TEST_SUITE("answer/without-model") {
  TEST_CASE("fit_model: answers the lexical model scored and those it did not are fitted apart") {
    // Scored answers: right when coverage is high. Unscored ones: the opposite (a contrived
    // rule, so that one set of weights cannot serve both).
    std::vector<TrainingExample> data;
    for (int i = 0; i < 10; ++i) {
      data.push_back(example(0.8 + 0.02 * i, 0.5, true, true));
      data.push_back(example(0.1 + 0.02 * i, 0.5, false, false));
      TrainingExample a = example(0.1 + 0.02 * i, 0.5, true, true), b = example(0.8 + 0.02 * i, 0.5, false, false);
      a.model_scored = b.model_scored = false;
      data.push_back(a);
      data.push_back(b);
    }
    AnswerModel m = fit_model(data, "two kinds");
    REQUIRE(m.weights_without_model.size() == m.weights.size());
    CHECK(answer_accuracy(m, data) == 1.0);
    const auto high = example(0.9, 0.5, true, true).features, low = example(0.15, 0.5, true, true).features;
    CHECK(predict(m, high, true) > m.threshold_for(true));
    CHECK(predict(m, low, true) < m.threshold_for(true));
    CHECK(predict(m, low, false) > m.threshold_for(false));
    CHECK(predict(m, high, false) < m.threshold_for(false));
    // Only one kind: one set of weights.
    data.resize(2);
    CHECK(fit_model(data, "one kind").weights_without_model.empty());
  }

  TEST_CASE("the stored answer model keeps its weights for answers without the model") {
    AnswerModel m = AnswerModel::defaults();
    m.weights_without_model = m.weights;
    m.weights_without_model[0] = 1.5;
    m.threshold_without_model = 0.125;
    const auto back = search::model_from_json(search::model_to_json(m));
    REQUIRE(back);
    CHECK(back->weights_without_model == m.weights_without_model);
    CHECK(back->threshold_for(false) == 0.125);
    CHECK(back->threshold_for(true) == m.threshold);
    // Weights of the wrong length are a damaged model, not a silently different one.
    auto bad = m;
    bad.weights_without_model.pop_back();
    CHECK_FALSE(search::model_from_json(search::model_to_json(bad)));
    CHECK(search::model_from_json(search::model_to_json(AnswerModel::defaults()))->threshold_for(false) ==
          AnswerModel::defaults().threshold);
  }

  TEST_CASE("an index's answers without the model layer use the shipped weights, with it the fitted ones") {
    // Enough questions for the index to fit its own answer model (tuning needs 40 held out).
    hmtest::TempDir dir;
    hmtest::write_file(dir / "taxonomy/journeys.yaml",
                       "default_locale: en\nlocales: [en]\njourneys:\n  - id: help\n    labels: {en: Help}\n");
    const char* things[] = {"password", "invoice", "parcel", "coupon", "wallet", "review", "listing", "address"};
    const char* asks[] = {"how do i change my {}", "where can i find my {}", "i lost my {}", "problem with my {}",
                          "{} not working", "help with {}", "can you explain the {}", "what happens to my {}",
                          "my {} is wrong", "update the {} please"};
    for (const char* thing : things) {
      std::string md = std::string("---\nid: ") + thing + "\ntitle: All about your " + thing + "\njourney: help\nquestions:\n";
      for (std::string ask : asks) md += "  - " + ask.replace(ask.find("{}"), 2, thing) + "\n";
      md += "---\n\nEverything about the " + std::string(thing) + ".\n";
      hmtest::write_file(dir / "articles" / (std::string(thing) + ".md"), md);
    }
    IndexOptions o;
    o.articles_dir = dir / "articles";
    o.taxonomy_dir = dir / "taxonomy";
    o.index_dir = dir / "index";
    auto built = build_index(o);
    REQUIRE_MESSAGE(built.ok(), built.status().message());
    auto index = Index::open(o.index_dir);
    REQUIRE(index.ok());
    auto with = index->answer("how do i change my invoice", "en", {});
    REQUIRE(with.ok());
    REQUIRE(with->has_model_score);
    CHECK(with->threshold != doctest::Approx(AnswerModel::defaults().threshold));
    AnswerOptions off;
    off.layers.model = false;
    auto without = index->answer("how do i change my invoice", "en", off);
    REQUIRE(without.ok());
    CHECK_FALSE(without->has_model_score);
    CHECK(without->threshold == doctest::Approx(AnswerModel::defaults().threshold));
    CHECK(without->confidence == doctest::Approx(predict(AnswerModel::defaults(), without->explanation.features)));
  }
}

TEST_SUITE("answer/calibrate") {
  TEST_CASE("calibrate_answers writes a model into the index that Index::open picks up") {
    MlKb kb;
    const double before = kb.answer("how do i request a refund").threshold;
    CHECK(before == doctest::Approx(AnswerModel::defaults().threshold));

    auto report = calibrate_answers(kb.index_dir(), calibration_set(), "unit", /*write=*/true);
    REQUIRE_MESSAGE(report.ok(), report.status().message());
    CHECK(report->queries == 12);
    CHECK(report->model.fitted_on == "unit (12 queries)");
    CHECK(report->accuracy >= report->accuracy_before - 1e-9);
    CHECK(report->accuracy > 0.5);
    CHECK(report->model.threshold > 0.0);
    CHECK(report->model.threshold < 1.0);

    // A freshly opened index uses the new model and threshold.
    auto index = Index::open(kb.index_dir());
    REQUIRE(index.ok());
    auto a = index->answer("how do i request a refund", "en", {});
    REQUIRE(a.ok());
    CHECK(a->threshold == doctest::Approx(report->model.threshold));
    AnswerModel fitted = report->model;
    CHECK(a->confidence == doctest::Approx(predict(fitted, a->explanation.features)));

    // Re-indexing keeps the model.
    auto rebuilt = kb.build();
    REQUIRE(rebuilt.ok());
    auto reopened = Index::open(kb.index_dir());
    REQUIRE(reopened.ok());
    auto again = reopened->answer("how do i request a refund", "en", {});
    REQUIRE(again.ok());
    CHECK(again->threshold == doctest::Approx(report->model.threshold));
  }

  TEST_CASE("answer: re-indexing changed articles keeps the calibrated model") {
    MlKb kb(/*copy=*/true);
    auto report = calibrate_answers(kb.index_dir(), calibration_set(), "unit", true);
    REQUIRE(report.ok());
    hmtest::write_file(
        kb.articles_dir() / "en/orders/extra.md",
        "---\nid: extra\ntitle: Delivery times\njourney: orders\n---\n\nParcels take two days.\n");
    auto rebuilt = kb.build();
    REQUIRE(rebuilt.ok());
    CHECK(rebuilt->added == 1);
    kb.reopen();
    CHECK(kb.answer("delivery times").threshold == doctest::Approx(report->model.threshold));
  }

  TEST_CASE("answer: a dry run fits but does not write") {
    MlKb kb;
    auto report = calibrate_answers(kb.index_dir(), calibration_set(), "dry", /*write=*/false);
    REQUIRE(report.ok());
    auto index = Index::open(kb.index_dir());
    REQUIRE(index.ok());
    auto a = index->answer("how do i request a refund", "en", {});
    REQUIRE(a.ok());
    CHECK(a->threshold == doctest::Approx(AnswerModel::defaults().threshold));
    // The report's "before" is the default model's accuracy on the same queries.
    auto second = calibrate_answers(kb.index_dir(), calibration_set(), "dry", false);
    REQUIRE(second.ok());
    CHECK(second->accuracy_before == doctest::Approx(report->accuracy_before));
  }

  TEST_CASE("answer: calibration errors: no queries, no index") {
    MlKb kb;
    auto none = calibrate_answers(kb.index_dir(), {}, "x", true);
    REQUIRE_FALSE(none.ok());
    CHECK(none.status().code() == ErrorCode::kInvalidArgument);
    hmtest::TempDir empty;
    auto missing = calibrate_answers(empty / "no-index", calibration_set(), "x", true);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == ErrorCode::kNotFound);
  }
}
