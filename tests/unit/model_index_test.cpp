// The lexical model and the ranking settings in the indexer (indexer/indexer, indexer/tuning):
// chosen from held-out questions or left at the defaults, kept when nothing they learn from
// changed, retrained on request, and a damaged model that leaves search to Xapian.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "helpmark/answer.hpp"
#include "helpmark/index.hpp"
#include "helpmark/indexer.hpp"
#include "model/lexical_model.hpp"
#include "unit/model_util.hpp"

using namespace helpmark;
using hmtest::contains;
using hmtest::index_metadata;
using hmtest::model_key;

namespace {

const ModelReport& model_of(const IndexReport& r, const std::string& locale) {
  auto it = std::find_if(r.models.begin(), r.models.end(), [&](const ModelReport& m) { return m.locale == locale; });
  REQUIRE_MESSAGE(it != r.models.end(), "no model report for " << locale);
  return *it;
}

std::optional<IndexStats::Model> stats_model(const IndexStats& s, const std::string& locale) {
  for (const auto& m : s.models)
    if (m.locale == locale) return m;
  return std::nullopt;
}

IndexReport build_ok(const IndexOptions& options) {
  auto r = build_index(options);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return r.value();
}

IndexStats stats_ok(const Index& index) {
  auto s = index.stats();
  REQUIRE_MESSAGE(s.ok(), s.status().message());
  return s.value();
}

// The stored ranking settings without the tuning's timings (which differ run to run).
nlohmann::json ranking_without_times(const std::filesystem::path& index_dir) {
  auto j = nlohmann::json::parse(index_metadata(index_dir, schema::kMetaRanking));
  if (j.contains("tuning")) j["tuning"].erase("seconds");
  return j;
}

}  // namespace

TEST_SUITE("tuning/indexer") {
  TEST_CASE("tuning/indexer: enough questions: settings chosen on held-out questions, answer model fitted and stored") {
    hmtest::Kb kb;
    hmtest::write_articles(kb, hmtest::tuned_articles());
    const IndexReport report = kb.build_ok();
    CHECK(report.added == 13);
    CHECK(report.diagnostics.empty());
    INFO("ranking: " << report.ranking);
    CHECK(report.ranking.starts_with("held-out questions: 65 in 5 folds, recall@1 "));
    CHECK(contains(report.ranking, "(defaults "));
    for (const char* phase : {"reading", "examples", "tuning", "writing", "training (after writing)"}) {
      INFO("phase " << phase);
      CHECK(report.phase_seconds.count(phase) == 1);
    }
    const ModelReport& en = model_of(report, "en");
    CHECK(en.present);
    CHECK(en.trained);
    CHECK(en.note.empty());
    CHECK(en.articles == 13);
    CHECK(en.examples >= 13 + 65);  // titles, questions, summaries
    CHECK(en.features > 0);
    CHECK(en.weights > 0);
    CHECK(en.bytes == index_metadata(kb.index_dir(), model_key("en")).size());
    CHECK(report.models.size() == 1);  // the other locales have no article

    Index index = kb.open();
    const IndexStats stats = stats_ok(index);
    CHECK(stats.ranking.chosen_by == report.ranking);
    CHECK(stats.ranking.model_weight >= 0.0);
    CHECK(stats.ranking.model_weight <= 1.0);
    auto tuning = nlohmann::json::parse(stats.ranking.tuning_json);
    CHECK(tuning["held_out"] == 65);
    CHECK(tuning["folds"] == 5);
    CHECK(tuning["articles"] == 13);
    CHECK(tuning["chosen"]["model_weight"].get<double>() == stats.ranking.model_weight);
    CHECK(tuning["chosen"]["fields"] == stats.ranking.fields);
    CHECK(tuning["chosen"]["weighting"] == stats.ranking.weighting);
    const double r1 = tuning["chosen"]["recall@1"].get<double>();
    CHECK(r1 >= tuning["defaults"]["recall@1"].get<double>());  // the defaults were among the choices
    CHECK(r1 >= tuning["xapian_only"]["recall@1"].get<double>());
    CHECK(r1 <= 1.0);
    CHECK(tuning["recall@1_by_model_weight"].size() == 11);
    CHECK(tuning["answer_model"]["questions"] == 65);
    CHECK(tuning["answer_model"]["out_of_scope"].get<int>() > 0);
    CHECK(stats.answer_model.source == "index");
    CHECK(contains(stats.answer_model.fitted_on, "held-out questions when indexing: 65 questions"));
    const std::optional<IndexStats::Model> m = stats_model(stats, "en");
    REQUIRE(m.has_value());
    CHECK(m->error.empty());
    CHECK(m->articles == 13);
    CHECK(m->features == en.features);
    CHECK(m->weights == en.weights);
    CHECK(m->bytes == en.bytes);
  }

  TEST_CASE("tuning/indexer: too few questions: the defaults, and the report says why") {
    hmtest::Kb kb;
    auto articles = hmtest::tuned_articles();
    articles.resize(5);
    for (auto& a : articles) a.questions.resize(2);  // 10 questions: fewer than the 40 needed
    hmtest::write_articles(kb, articles);
    const IndexReport report = kb.build_ok();
    INFO("ranking: " << report.ranking);
    CHECK(report.ranking.starts_with("defaults (Xapian alone): only 10 questions could be held out"));
    CHECK(contains(report.ranking, "40 are needed"));
    // The model is still trained (an article's title teaches it too), but not used.
    CHECK(model_of(report, "en").present);
    Index index = kb.open();
    const IndexStats stats = stats_ok(index);
    CHECK(stats.ranking.model_weight == 0.0);
    CHECK(stats.ranking.weighting == "lm(0.3)");
    CHECK(stats.ranking.tuning_json.empty());
    CHECK(stats.answer_model.source == "defaults");
    SearchRequest request;
    request.query = "refund";
    const SearchResponse response = hmtest::search_ok(index, request);
    REQUIRE_FALSE(response.hits.empty());
    CHECK(response.ranking.model_weight == 0.0);
    for (const auto& h : response.hits) CHECK_FALSE(h.has_model_score);
  }

  TEST_CASE("tuning/indexer: an unchanged re-index neither retrains nor re-tunes, retrain does both, alike") {
    hmtest::Kb kb;
    hmtest::write_articles(kb, hmtest::tuned_articles());
    const IndexReport first = kb.build_ok();
    const std::string model_bytes = index_metadata(kb.index_dir(), model_key("en"));
    const std::string answer_model = index_metadata(kb.index_dir(), schema::kMetaAnswerModel);
    const auto ranking = ranking_without_times(kb.index_dir());
    const std::string stored_ranking = index_metadata(kb.index_dir(), schema::kMetaRanking);

    const IndexReport second = kb.build_ok();
    CHECK(second.unchanged == 13);
    CHECK(second.ranking == first.ranking);  // kept, as stored
    CHECK(second.phase_seconds.count("tuning") == 0);
    const ModelReport& kept = model_of(second, "en");
    CHECK(kept.present);
    CHECK_FALSE(kept.trained);
    CHECK(kept.seconds == 0.0);
    CHECK(kept.weights == model_of(first, "en").weights);
    CHECK(kept.bytes == model_bytes.size());
    CHECK(index_metadata(kb.index_dir(), model_key("en")) == model_bytes);
    CHECK(index_metadata(kb.index_dir(), schema::kMetaRanking) == stored_ranking);

    IndexOptions options = kb.options();
    options.retrain = true;
    std::vector<std::string> phases;
    options.on_phase = [&](const std::string& p) { phases.push_back(p); };
    const IndexReport retrained = build_ok(options);
    CHECK(retrained.unchanged == 13);
    CHECK(model_of(retrained, "en").trained);
    CHECK(retrained.phase_seconds.count("tuning") == 1);
    CHECK(std::any_of(phases.begin(), phases.end(), [](const std::string& p) { return contains(p, "training the models of en"); }));
    CHECK(std::any_of(phases.begin(), phases.end(), [](const std::string& p) { return contains(p, "choosing ranking settings"); }));
    // The same input gives the same model, settings and answer model.
    CHECK(index_metadata(kb.index_dir(), model_key("en")) == model_bytes);
    CHECK(index_metadata(kb.index_dir(), schema::kMetaAnswerModel) == answer_model);
    CHECK(ranking_without_times(kb.index_dir()) == ranking);
    CHECK(retrained.ranking == first.ranking);
  }

  TEST_CASE("tuning/indexer: an edit retrains only the locale whose examples changed, and a body edit nothing") {
    hmtest::Kb kb;
    auto articles = hmtest::tuned_articles();
    auto spanish = hmtest::spanish_articles();
    articles.insert(articles.end(), spanish.begin(), spanish.end());
    hmtest::write_articles(kb, articles);
    const IndexReport first = kb.build_ok();
    CHECK(model_of(first, "en").trained);
    CHECK(model_of(first, "es").trained);
    CHECK(model_of(first, "es").articles == 3);
    const std::string en_bytes = index_metadata(kb.index_dir(), model_key("en"));

    // The body is not something the model learns from (the summary is in the front matter).
    hmtest::ModelArticle refund = articles[0];
    refund.body = "A rewritten body about refunds and cards.";
    kb.add(refund.path, hmtest::model_article_md(refund));
    const IndexReport body = kb.build_ok();
    CHECK(body.updated == 1);
    CHECK_FALSE(model_of(body, "en").trained);
    CHECK(model_of(body, "en").present);
    CHECK_FALSE(model_of(body, "es").trained);
    CHECK(body.phase_seconds.count("tuning") == 0);  // one change in sixteen: settings kept

    // A Spanish question: the Spanish model only.
    hmtest::ModelArticle reembolso = spanish[0];
    reembolso.questions.push_back("dónde está mi reembolso");
    kb.add(reembolso.path, hmtest::model_article_md(reembolso));
    const IndexReport question = kb.build_ok();
    CHECK(question.updated == 1);
    CHECK(model_of(question, "es").trained);
    CHECK_FALSE(model_of(question, "en").trained);
    CHECK(index_metadata(kb.index_dir(), model_key("en")) == en_bytes);
    CHECK(question.phase_seconds.count("tuning") == 0);

    // A new English article: English retrained, and its model knows the article.
    hmtest::ModelArticle extra = articles[1];
    extra.path = "en/payments/gift-cards.md";
    extra.id = "gift-cards";
    extra.title = "Paying with a gift card";
    extra.questions = {"can i use a gift card", "redeem a voucher"};
    kb.add(extra.path, hmtest::model_article_md(extra));
    const IndexReport added = kb.build_ok();
    CHECK(added.added == 1);
    CHECK(model_of(added, "en").trained);
    CHECK(model_of(added, "en").articles == 14);
    CHECK_FALSE(model_of(added, "es").trained);
  }

  TEST_CASE("tuning/indexer: a locale with too little to learn from has no model, says why, and is searched") {
    hmtest::Kb kb;
    auto articles = hmtest::tuned_articles();
    articles.push_back(hmtest::spanish_articles()[0]);  // one Spanish article: one class
    hmtest::write_articles(kb, articles);
    const IndexReport report = kb.build_ok();
    const ModelReport& es = model_of(report, "es");
    CHECK_FALSE(es.present);
    CHECK_FALSE(es.trained);
    CHECK(contains(es.note, "at least two articles"));
    CHECK(index_metadata(kb.index_dir(), model_key("es")).empty());
    CHECK(model_of(report, "en").present);
    hmtest::set_model_weight(kb.index_dir(), 0.5);
    Index index = kb.open();
    CHECK_FALSE(stats_model(stats_ok(index), "es").has_value());
    SearchRequest request;
    request.query = "reembolso";
    request.locale = "es";
    const SearchResponse r = hmtest::search_ok(index, request);
    REQUIRE_FALSE(r.hits.empty());
    CHECK(r.hits[0].id == "reembolso");
    CHECK_FALSE(r.hits[0].has_model_score);
  }

  TEST_CASE("tuning/indexer: a damaged model leaves search to Xapian, stats say why, the next run retrains") {
    hmtest::Kb kb;
    hmtest::write_articles(kb, hmtest::tuned_articles());
    kb.build_ok();
    hmtest::set_model_weight(kb.index_dir(), 0.5);
    const std::string good = index_metadata(kb.index_dir(), model_key("en"));
    SearchRequest request;
    request.query = "refund card";
    request.limit = 100;
    {
      Index index = kb.open();
      const SearchResponse r = hmtest::search_ok(index, request);
      REQUIRE_FALSE(r.hits.empty());
      CHECK(r.hits[0].has_model_score);  // the model takes part while it is sound
      CHECK(r.ranking.model_weight == 0.5);
    }

    for (const std::string& damage : {std::string("garbage"), good.substr(0, good.size() / 2),
                                      std::string("HMLM\x07\0\0\0", 8) + good.substr(8)}) {
      CAPTURE(damage.size());
      hmtest::set_index_metadata(kb.index_dir(), model_key("en"), damage);
      Index index = kb.open();
      const SearchResponse r = hmtest::search_ok(index, request);
      REQUIRE_FALSE(r.hits.empty());
      CHECK(r.ranking.model_weight == 0.0);  // Xapian alone
      for (const auto& h : r.hits) CHECK_FALSE(h.has_model_score);
      CHECK(r.hits[0].score == doctest::Approx(1.0));
      auto answer = index.answer("when will i get my money back", "en", {});
      REQUIRE(answer.ok());
      CHECK(answer->found);
      CHECK_FALSE(answer->has_model_score);
      const IndexStats stats = stats_ok(index);
      const std::optional<IndexStats::Model> m = stats_model(stats, "en");
      REQUIRE(m.has_value());
      CHECK(contains(m->error, "damaged"));
      CHECK(contains(m->error, "--retrain"));
      CHECK(m->bytes == damage.size());
    }

    const IndexReport again = kb.build_ok();  // nothing changed but the model: it is trained again
    CHECK(again.unchanged == 13);
    CHECK(model_of(again, "en").trained);
    CHECK(index_metadata(kb.index_dir(), model_key("en")) == good);
    Index index = kb.open();
    const std::optional<IndexStats::Model> m = stats_model(stats_ok(index), "en");
    REQUIRE(m.has_value());
    CHECK(m->error.empty());
  }

  TEST_CASE("tuning/indexer: the index's model and settings are the same for any number of threads") {
    hmtest::Kb one, three;
    hmtest::write_articles(one, hmtest::tuned_articles());
    hmtest::write_articles(three, hmtest::tuned_articles());
    IndexOptions a = one.options();
    a.threads = 1;
    IndexOptions b = three.options();
    b.threads = 3;
    const IndexReport ra = build_ok(a);
    const IndexReport rb = build_ok(b);
    CHECK(ra.ranking == rb.ranking);
    CHECK(index_metadata(one.index_dir(), model_key("en")) == index_metadata(three.index_dir(), model_key("en")));
    CHECK(index_metadata(one.index_dir(), schema::kMetaAnswerModel) ==
          index_metadata(three.index_dir(), schema::kMetaAnswerModel));
    CHECK(ranking_without_times(one.index_dir()) == ranking_without_times(three.index_dir()));
  }

  TEST_CASE("tuning/indexer: settings are chosen again once a fifth of the articles changed, counted across runs") {
    hmtest::Kb kb;
    auto articles = hmtest::tuned_articles();
    hmtest::write_articles(kb, articles);
    kb.build_ok();
    auto edit = [&](std::size_t i) {
      articles[i].body += " Edited.";
      kb.add(articles[i].path, hmtest::model_article_md(articles[i]));
    };
    edit(0);
    edit(1);
    const IndexReport two = kb.build_ok();  // 2 of 13: kept
    CHECK(two.updated == 2);
    CHECK(two.phase_seconds.count("tuning") == 0);
    edit(2);
    const IndexReport three = kb.build_ok();  // 3 of 13 since the last choice: more than a fifth
    CHECK(three.updated == 1);
    CHECK(three.phase_seconds.count("tuning") == 1);
    CHECK(three.ranking.starts_with("held-out questions: 65"));
    edit(3);
    const IndexReport after = kb.build_ok();  // counting starts again
    CHECK(after.phase_seconds.count("tuning") == 0);
    // The body is not something the model learns from: it was never retrained.
    for (const auto* r : {&two, &three, &after}) CHECK_FALSE(model_of(*r, "en").trained);
  }

  TEST_CASE("tuning/indexer: Index::reopen picks up a damaged, then a retrained model") {
    hmtest::Kb kb;
    hmtest::write_articles(kb, hmtest::tuned_articles());
    kb.build_ok();
    hmtest::set_model_weight(kb.index_dir(), 0.5);
    Index index = kb.open();
    SearchRequest request;
    request.query = "refund card";
    auto scored = [&] {
      const SearchResponse r = hmtest::search_ok(index, request);
      REQUIRE_FALSE(r.hits.empty());
      return r.hits[0].has_model_score;
    };
    CHECK(scored());
    const std::string good = index_metadata(kb.index_dir(), model_key("en"));
    hmtest::set_index_metadata(kb.index_dir(), model_key("en"), "damaged");
    REQUIRE(index.reopen().ok());
    CHECK_FALSE(scored());
    const auto damaged = stats_model(stats_ok(index), "en");
    REQUIRE(damaged.has_value());
    CHECK_FALSE(damaged->error.empty());
    kb.build_ok();  // retrains the damaged model
    REQUIRE(index.reopen().ok());
    CHECK(index_metadata(kb.index_dir(), model_key("en")) == good);
    CHECK(scored());
    const auto retrained = stats_model(stats_ok(index), "en");
    REQUIRE(retrained.has_value());
    CHECK(retrained->error.empty());
  }
}
