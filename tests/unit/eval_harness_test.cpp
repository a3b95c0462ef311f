// The relevance harness (helpmark/eval.hpp): metrics computed by hand on a tiny data set, the
// queries and articles formats with their bad lines, directory mode, layer switches, calibration.
#include <doctest/doctest.h>

#include <cmath>

#include "helpmark/eval.hpp"
#include "multilingual_util.hpp"

using namespace helpmark;
using hmtest::kEvalData;
using hmtest::kMlArticles;
using hmtest::kMlTaxonomy;
using Strings = std::vector<std::string>;

namespace {

EvalOptions tiny() {
  EvalOptions o;
  o.articles_jsonl = kEvalData / "articles.jsonl";
  o.queries_jsonl = kEvalData / "queries.jsonl";
  return o;
}

EvalOptions kb_dir() {
  EvalOptions o;
  o.articles_jsonl = kMlArticles;
  o.taxonomy_dir = kMlTaxonomy;
  o.queries_jsonl = kEvalData / "kb-queries.jsonl";
  return o;
}

EvalReport run_ok(const EvalOptions& o) {
  auto r = run_eval(o);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return r.value();
}

std::vector<int> lines_of(const std::vector<Diagnostic>& diags) {
  std::vector<int> out;
  for (const auto& d : diags) out.push_back(d.line);
  return out;
}

}  // namespace

TEST_SUITE("eval/queries-format") {
  TEST_CASE("eval: gold as a string, a list or null, qid as text or number, locale optional") {
    std::vector<Diagnostic> diags;
    auto q = read_labelled_queries(kEvalData / "queries.jsonl", diags);
    REQUIRE(q.ok());
    CHECK(diags.empty());
    REQUIRE(q->size() == 6);
    CHECK(q->at(0).qid == "q1");
    CHECK(q->at(0).query == "reset password");
    CHECK(q->at(0).gold == Strings{"reset-password"});
    CHECK(q->at(0).line == 1);
    CHECK(q->at(1).gold == Strings{"track-parcel"});
    CHECK(q->at(2).gold == Strings{"change-address", "cancel-order"});
    CHECK(q->at(5).gold.empty());  // null: out of scope
    CHECK(q->at(5).locale.empty());

    std::vector<Diagnostic> kb_diags;
    auto kb = read_labelled_queries(kEvalData / "kb-queries.jsonl", kb_diags);
    REQUIRE(kb.ok());
    CHECK(kb->at(2).locale == "es");
    CHECK(kb->at(5).qid == "6");
  }

  TEST_CASE("eval: bad lines are reported with file and line and skipped") {
    std::vector<Diagnostic> diags;
    const auto file = kEvalData / "bad-queries.jsonl";
    auto q = read_labelled_queries(file, diags);
    REQUIRE(q.ok());
    REQUIRE(q->size() == 2);
    CHECK(q->at(0).qid == "g1");
    CHECK(q->at(1).qid == "g5");
    CHECK(q->at(1).line == 8);
    INFO(hmtest::describe(diags));
    CHECK(lines_of(diags) == std::vector<int>{2, 3, 4, 5, 6, 9});
    for (const auto& d : diags) {
      CHECK(d.severity == Severity::kError);
      CHECK(d.path == file.string());
      CHECK(d.to_string().find(file.string() + ":" + std::to_string(d.line) + ":") == 0);
    }
    CHECK(hmtest::contains(diags[0].message, "not a JSON object"));
    CHECK(hmtest::contains(diags[1].message, "missing \"query\""));
    CHECK(hmtest::contains(diags[2].message, "missing \"gold\""));
    CHECK(hmtest::contains(diags[3].message, "\"gold\" must be"));
    CHECK(hmtest::contains(diags[4].message, "duplicate qid 'g1'"));
    CHECK(hmtest::contains(diags[5].message, "not a JSON object"));
  }

  TEST_CASE("eval: a missing file and a file with no usable query are errors") {
    std::vector<Diagnostic> diags;
    auto missing = read_labelled_queries(kEvalData / "no-such-file.jsonl", diags);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == ErrorCode::kNotFound);
    CHECK(hmtest::contains(missing.status().message(), "no-such-file.jsonl"));

    hmtest::TempDir dir;
    hmtest::write_file(dir / "q.jsonl", "\n{\"qid\": \"a\"}\nnot json\n");
    diags.clear();
    auto unusable = read_labelled_queries(dir / "q.jsonl", diags);
    REQUIRE_FALSE(unusable.ok());
    CHECK(unusable.status().code() == ErrorCode::kInvalidInput);
    CHECK(lines_of(diags) == std::vector<int>{2, 3});
  }
}

TEST_SUITE("eval/metrics") {
  TEST_CASE("eval: metrics on the tiny data set, computed by hand") {
    // articles.jsonl: reset-password, track-parcel, cancel-order, change-address (journey
    // "shipping"; mentions "parcel" once in its body), gift-cards.
    //   q1 "reset password"   gold reset-password                 -> rank 1
    //   q2 "track parcel"     gold [track-parcel]                 -> rank 1
    //   q3 "cancel order"     gold [change-address, cancel-order] -> cancel-order at 1,
    //   change-address absent q4 "parcel"           gold change-address                 -> rank 2
    //   (track-parcel first) q5 "refund"           gold gift-cards                     -> nothing
    //   matches q6 "weather forecast" gold null                           -> out of scope
    EvalReport r = run_ok(tiny());
    CHECK(r.articles == 5);
    CHECK(r.queries == 6);
    CHECK(r.in_scope == 5);
    CHECK(r.out_of_scope == 1);
    CHECK(r.diagnostics.empty());
    CHECK(r.recall_at_1 == doctest::Approx(3.0 / 5));
    CHECK(r.recall_at_3 == doctest::Approx(4.0 / 5));
    CHECK(r.recall_at_10 == doctest::Approx(4.0 / 5));
    CHECK(r.mrr == doctest::Approx((1 + 1 + 1 + 0.5 + 0) / 5));
    // nDCG@10: q3 has two gold groups (ideal DCG 1 + 1/log2 3) but only one is found at rank 1;
    // q4's one gold article is at rank 2.
    const double q3 = 1.0 / (1.0 + 1.0 / std::log2(3.0));
    const double q4 = 1.0 / std::log2(3.0);
    CHECK(r.ndcg_at_10 == doctest::Approx((1 + 1 + q3 + q4 + 0) / 5));
    // Answers: q1-q3 answered right, q6 escalated rightly; q4 answers the wrong article (or
    // escalates an answerable question), q5 escalates an answerable question.
    CHECK(r.answer_accuracy == doctest::Approx(4.0 / 6));
    CHECK(r.threshold == doctest::Approx(AnswerModel::defaults().threshold));
    CHECK(r.model == "the index's answer model");
    // Escalated: q5 and q6 (q4 was answered), both should have been; q4 should have been too.
    CHECK(r.escalation_precision == doctest::Approx(1.0));
    CHECK(r.escalation_recall == doctest::Approx(2.0 / 3));
    // The misses keep the top 3 returned.
    REQUIRE(r.misses.size() == 2);
    CHECK(r.misses[0].qid == "q4");
    CHECK(r.misses[0].gold == Strings{"change-address"});
    CHECK(r.misses[0].got == Strings{"track-parcel", "change-address"});
    CHECK(r.misses[1].qid == "q5");
    CHECK(r.misses[1].got.empty());
    CHECK(r.layers == "model synonyms spelling stemming fallback; ranking lm(0.3), model weight 0");
    CHECK(r.search_p50_ms >= 0);
    CHECK(r.search_p50_ms <= r.search_p95_ms);
    CHECK(r.search_p95_ms <= r.search_p99_ms);
    CHECK(r.answer_p50_ms <= r.answer_p99_ms);
  }

  TEST_CASE("eval: misses_kept caps the misses kept, progress is reported per query") {
    EvalOptions o = tiny();
    o.misses_kept = 1;
    std::vector<std::pair<std::size_t, std::size_t>> progress;
    o.on_progress = [&](std::size_t done, std::size_t total) {
      progress.emplace_back(done, total);
    };
    EvalReport r = run_ok(o);
    REQUIRE(r.misses.size() == 1);
    CHECK(r.misses[0].qid == "q4");
    REQUIRE(progress.size() == 6);
    CHECK(progress.front() == std::pair<std::size_t, std::size_t>{1, 6});
    CHECK(progress.back() == std::pair<std::size_t, std::size_t>{6, 6});
  }

  TEST_CASE("eval: workdir keeps the converted articles, taxonomy and index") {
    hmtest::TempDir dir;
    EvalOptions o = tiny();
    o.workdir = dir / "work";
    run_ok(o);
    CHECK(hmtest::fs::exists(o.workdir / "taxonomy/journeys.yaml"));
    CHECK(hmtest::fs::exists(o.workdir / "articles/reset-password.md"));
    auto index = Index::open(o.workdir / "index");
    REQUIRE(index.ok());
    CHECK(index->size() == 5);
    auto article = index->get("change-address");
    REQUIRE(article.ok());
    CHECK(article->journey == "shipping");  // from "category"
    CHECK(article->title == "Change your delivery address");
    auto gift = index->get("gift-cards");
    REQUIRE(gift.ok());
    CHECK(gift->summary == "A gift card holds a balance you spend like cash.");
    // A second run into the same workdir starts afresh.
    EvalReport again = run_ok(o);
    CHECK(again.articles == 5);
  }

  TEST_CASE("eval: bad lines in articles.jsonl are reported with file and line and skipped") {
    EvalOptions o = tiny();
    o.articles_jsonl = kEvalData / "bad-articles.jsonl";
    EvalReport r = run_ok(o);
    CHECK(r.articles == 2);
    INFO(hmtest::describe(r.diagnostics));
    auto bad = hmtest::diagnostics_for(r.diagnostics, "bad-articles.jsonl");
    CHECK(lines_of(bad) == std::vector<int>{2, 3, 4});
    REQUIRE(bad.size() == 3);
    CHECK(hmtest::contains(bad[0].message, "missing \"id\""));
    CHECK(hmtest::contains(bad[1].message, "not a JSON object"));
    CHECK(hmtest::contains(bad[2].message, "duplicate id 'reset-password'"));
    // The queries still run against what was converted.
    CHECK(r.queries == 6);
    CHECK(r.recall_at_1 == doctest::Approx(2.0 / 5));  // q1 and q3 (cancel-order) still found
  }

  TEST_CASE("eval: missing or unusable inputs are errors") {
    EvalOptions o = tiny();
    o.queries_jsonl = kEvalData / "missing.jsonl";
    auto no_queries = run_eval(o);
    REQUIRE_FALSE(no_queries.ok());
    CHECK(no_queries.status().code() == ErrorCode::kNotFound);

    o = tiny();
    o.articles_jsonl = kEvalData / "missing-articles.jsonl";
    auto no_articles = run_eval(o);
    REQUIRE_FALSE(no_articles.ok());
    CHECK(no_articles.status().code() == ErrorCode::kNotFound);
    CHECK(hmtest::contains(no_articles.status().message(), "missing-articles.jsonl"));

    hmtest::TempDir dir;
    hmtest::write_file(dir / "a.jsonl", "{\"title\": \"no id\"}\n");
    o = tiny();
    o.articles_jsonl = dir / "a.jsonl";
    auto unusable = run_eval(o);
    REQUIRE_FALSE(unusable.ok());
    CHECK(unusable.status().code() == ErrorCode::kInvalidInput);

    o = kb_dir();
    o.taxonomy_dir = dir / "no-taxonomy";
    auto no_taxonomy = run_eval(o);
    REQUIRE_FALSE(no_taxonomy.ok());
  }

  TEST_CASE("eval: vocabulary_from brings synonyms and spelling, only for the data set's locales") {
    hmtest::TempDir dir;
    EvalOptions o = tiny();
    o.workdir = dir / "work";
    o.vocabulary_from = kMlTaxonomy;  // has en and es synonyms; the data set is English only
    EvalReport r = run_ok(o);
    CHECK(r.diagnostics.empty());
    CHECK(hmtest::fs::exists(o.workdir / "taxonomy/synonyms/en.yaml"));
    CHECK_FALSE(hmtest::fs::exists(o.workdir / "taxonomy/synonyms/es.yaml"));
    CHECK(hmtest::fs::exists(o.workdir / "taxonomy/spelling/en.txt"));
  }

  TEST_CASE(
      "eval: --calibrate: the answer model is cross-fitted on the queries, search metrics "
      "unchanged") {
    EvalReport plain = run_ok(tiny());
    EvalOptions o = tiny();
    o.calibrate = true;
    EvalReport r = run_ok(o);
    CHECK(hmtest::contains(r.model, "cross-fitted"));
    CHECK(r.threshold >= 0.0);
    CHECK(r.threshold <= 1.0);
    CHECK(r.answer_accuracy >= 0.0);
    CHECK(r.answer_accuracy <= 1.0);
    CHECK(r.recall_at_1 == plain.recall_at_1);
    CHECK(r.mrr == plain.mrr);
    CHECK(r.ndcg_at_10 == plain.ndcg_at_10);
  }
}

TEST_SUITE("eval/layers") {
  TEST_CASE("eval: directory mode: a Markdown knowledge base with its taxonomy, indexed as is") {
    //   k1 reimbursement (synonym) k2 refnud (typo) k3 devoluciones (es, stem) k4 recusado
    //   (pt-BR -> pt) k5 返金申請 (ja) and one out-of-scope question.
    EvalReport r = run_ok(kb_dir());
    CHECK(r.articles == hmtest::kMlArticleCount);
    CHECK(r.queries == 6);
    CHECK(r.in_scope == 5);
    CHECK(r.diagnostics.empty());
    CHECK(r.recall_at_10 == doctest::Approx(1.0));
    CHECK(r.recall_at_3 == doctest::Approx(1.0));
    // k2: the synonym-only article outranks the one that says "refund" (see multilingual/synonyms).
    CHECK(r.recall_at_1 == doctest::Approx(4.0 / 5));
    CHECK(r.mrr == doctest::Approx((1 + 0.5 + 1 + 1 + 1) / 5));
  }

  TEST_CASE("eval: each layer switched off loses the query that needs it") {
    auto recall10 = [](auto change) {
      EvalOptions o = kb_dir();
      change(o);
      EvalReport r = run_ok(o);
      std::set<std::string> missed;
      for (const auto& m : r.misses)
        if (m.got.empty()) missed.insert(m.qid);
      return std::make_pair(r.recall_at_10, missed);
    };
    using Missed = std::set<std::string>;
    auto synonyms = recall10([](EvalOptions& o) { o.synonyms = false; });
    CHECK(synonyms.first == doctest::Approx(4.0 / 5));
    CHECK(synonyms.second == Missed{"k1"});
    auto spelling = recall10([](EvalOptions& o) { o.spelling = false; });
    CHECK(spelling.first == doctest::Approx(4.0 / 5));
    CHECK(spelling.second == Missed{"k2"});
    auto fallback = recall10([](EvalOptions& o) { o.fallback = false; });
    CHECK(fallback.first == doctest::Approx(4.0 / 5));
    CHECK(fallback.second == Missed{"k4"});
    // Without spelling, stemming is what finds "devoluciones" for "devolución".
    auto both = recall10([](EvalOptions& o) {
      o.spelling = false;
      o.stemming = false;
    });
    CHECK(both.first == doctest::Approx(3.0 / 5));
    CHECK(both.second == Missed{"k2", "k3"});
  }

  TEST_CASE("eval: the layers string names the layers that are on") {
    EvalOptions o = tiny();
    o.synonyms = false;
    o.bm25 = true;
    CHECK(run_ok(o).layers == "model spelling stemming fallback; ranking bm25 (forced), model weight 0");
    o = tiny();
    o.synonyms = o.spelling = o.stemming = o.fallback = o.model = false;
    CHECK(run_ok(o).layers == "none; ranking lm(0.3), model weight 0");
  }

  TEST_CASE("eval: the layers string has no stray space when fallback is off") {
    EvalOptions o = tiny();
    o.fallback = false;
    CHECK(run_ok(o).layers == "model synonyms spelling stemming; ranking lm(0.3), model weight 0");
  }

  TEST_CASE("eval: BM25 ranking runs and finds the same easy answers") {
    EvalOptions o = tiny();
    o.bm25 = true;
    EvalReport r = run_ok(o);
    CHECK(r.recall_at_10 == doctest::Approx(4.0 / 5));
    CHECK(r.recall_at_1 == doctest::Approx(3.0 / 5));
  }
}
