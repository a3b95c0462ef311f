// What the lexical model learns from (model/examples): titles, questions, summaries and
// headings per locale, and the warnings, with file and line, for questions it must not learn
// from as they are.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "model/examples.hpp"
#include "model/training.hpp"
#include "unit/model_util.hpp"

using namespace helpmark;
using helpmark::model::collect_examples;
using helpmark::model::ExampleKind;
using helpmark::model::ExampleLimits;
using helpmark::model::LocaleExamples;
using hmtest::contains;

namespace {

// An article as the parser would give it, questions on lines 11, 12, ...
Article article(const std::string& id, const std::string& locale, std::vector<std::string> questions,
                const std::string& title = "") {
  Article a;
  a.id = id;
  a.title = title.empty() ? "Article " + id : title;
  a.locale = locale;
  a.journey = "payments";
  a.path = locale + "/payments/" + id + ".md";
  a.questions = std::move(questions);
  for (std::size_t i = 0; i < a.questions.size(); ++i) a.question_lines.push_back(11 + static_cast<int>(i));
  return a;
}

const LocaleExamples& locale_of(const std::vector<LocaleExamples>& all, const std::string& locale) {
  auto it = std::find_if(all.begin(), all.end(), [&](const LocaleExamples& e) { return e.locale == locale; });
  REQUIRE(it != all.end());
  return *it;
}

// The question texts the model learns from, of one article.
std::vector<std::string> learned_questions(const LocaleExamples& ex, const std::string& id) {
  std::vector<std::string> out;
  const auto cls = std::find(ex.set.classes.begin(), ex.set.classes.end(), id) - ex.set.classes.begin();
  for (std::size_t i = 0; i < ex.texts.size(); ++i)
    if (ex.kinds[i] == ExampleKind::kQuestion && ex.set.labels[i] == static_cast<std::uint32_t>(cls))
      out.push_back(ex.texts[i]);
  return out;
}

std::vector<Diagnostic> with_text(const std::vector<Diagnostic>& diagnostics, const std::string& needle) {
  std::vector<Diagnostic> out;
  for (const auto& d : diagnostics)
    if (contains(d.message, needle)) out.push_back(d);
  return out;
}

}  // namespace

TEST_SUITE("model/examples") {
  TEST_CASE("model/examples: titles, questions, summaries and headings of published articles, per locale") {
    Article a = article("refund-timing", "en", {"when will i get my money back", "refund late"}, "How long a refund takes");
    a.summary = "Refunds reach your card within ten days.";
    Section steps;
    steps.kind = SectionKind::kOther;
    steps.level = 2;
    steps.heading = "Refunds to a wallet";
    a.sections.push_back(steps);
    Article b = article("card-declined", "en", {}, "Why a card is declined");
    Article draft = article("draft", "en", {"a draft question"});
    draft.status = ArticleStatus::kDraft;
    Article es = article("reembolso", "es", {"cuándo llega mi reembolso"});
    std::vector<Diagnostic> diags;
    auto all = collect_examples({a, b, draft, es}, {"en", "es", "ja"}, true, {}, diags);
    CHECK(diags.empty());
    for (const auto& ex : all) CHECK(ex.set.examples.empty());  // features only on demand
    for (auto& ex : all) model::extract_features(ex);
    REQUIRE(all.size() == 2);  // no published Japanese article: no examples for ja
    const LocaleExamples& en = locale_of(all, "en");
    CHECK(en.set.classes == std::vector<std::string>{"refund-timing", "card-declined"});
    CHECK(en.articles_with_questions == 1);
    CHECK(en.set.examples.size() == en.set.labels.size());
    CHECK(en.kinds.size() == en.texts.size());
    CHECK(en.texts.size() == en.set.examples.size());
    const std::vector<std::string> expected = {"How long a refund takes", "when will i get my money back", "refund late",
                                               "Refunds reach your card within ten days.", "Refunds to a wallet",
                                               "Why a card is declined"};
    CHECK(en.texts == expected);
    CHECK(en.kinds == std::vector<ExampleKind>{ExampleKind::kTitle, ExampleKind::kQuestion, ExampleKind::kQuestion,
                                               ExampleKind::kSummary, ExampleKind::kHeading, ExampleKind::kTitle});
    CHECK(std::find(en.texts.begin(), en.texts.end(), "a draft question") == en.texts.end());
    CHECK(locale_of(all, "es").set.classes == std::vector<std::string>{"reembolso"});
    CHECK_FALSE(en.fingerprint.empty());
  }

  TEST_CASE("model/examples: the fingerprint follows what the model learns from, not the body") {
    Article a = article("refund-timing", "en", {"when will i get my money back"});
    a.summary = "Refunds take ten days.";
    Article b = article("card-declined", "en", {"my card was declined"});
    std::vector<Diagnostic> diags;
    const std::string base = collect_examples({a, b}, {"en"}, true, {}, diags)[0].fingerprint;
    CHECK(collect_examples({a, b}, {"en"}, true, {}, diags)[0].fingerprint == base);
    Article body = a;
    body.body_text = "A whole new body.";
    CHECK(collect_examples({body, b}, {"en"}, true, {}, diags)[0].fingerprint == base);
    Article question = a;
    question.questions[0] = "where is my money";
    CHECK(collect_examples({question, b}, {"en"}, true, {}, diags)[0].fingerprint != base);
    Article title = a;
    title.title = "Refund times";
    CHECK(collect_examples({title, b}, {"en"}, true, {}, diags)[0].fingerprint != base);
    CHECK(collect_examples({a, b}, {"en"}, false, {}, diags)[0].fingerprint != base);  // stemming off
    CHECK(diags.empty());
  }

  TEST_CASE("model/examples: the same question on two articles is a warning on each, and neither learns it") {
    Article a = article("refund-timing", "en", {"where is my money", "refund late"});
    Article b = article("seller-payouts", "en", {"payout schedule", "Where is my money?"});
    std::vector<Diagnostic> diags;
    const auto all = collect_examples({a, b}, {"en"}, true, {}, diags);
    const auto dup = with_text(diags, "is also a question of");
    REQUIRE(dup.size() == 2);
    // On each article's file and line, naming the other article.
    const auto on_a = std::find_if(dup.begin(), dup.end(), [](const Diagnostic& d) { return d.path == "en/payments/refund-timing.md"; });
    const auto on_b = std::find_if(dup.begin(), dup.end(), [](const Diagnostic& d) { return d.path == "en/payments/seller-payouts.md"; });
    REQUIRE(on_a != dup.end());
    REQUIRE(on_b != dup.end());
    CHECK(on_a->severity == Severity::kWarning);
    CHECK(on_a->line == 11);
    CHECK(contains(on_a->message, "seller-payouts"));
    CHECK(contains(on_a->message, "\"where is my money\""));
    CHECK(on_b->severity == Severity::kWarning);
    CHECK(on_b->line == 12);
    CHECK(contains(on_b->message, "refund-timing"));
    CHECK(contains(on_b->to_string(), "en/payments/seller-payouts.md:12: warning:"));
    const LocaleExamples& en = locale_of(all, "en");
    CHECK(learned_questions(en, "refund-timing") == std::vector<std::string>{"refund late"});
    CHECK(learned_questions(en, "seller-payouts") == std::vector<std::string>{"payout schedule"});
  }

  TEST_CASE("model/examples: a question repeated within an article is learned once, with a warning") {
    Article a = article("refund-timing", "en", {"refund late", "where is my refund", "Where is my refund?!"});
    Article b = article("card-declined", "en", {"card declined"});
    std::vector<Diagnostic> diags;
    const auto all = collect_examples({a, b}, {"en"}, true, {}, diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].severity == Severity::kWarning);
    CHECK(diags[0].path == "en/payments/refund-timing.md");
    CHECK(diags[0].line == 13);
    CHECK(contains(diags[0].message, "repeated"));
    CHECK(learned_questions(locale_of(all, "en"), "refund-timing") ==
          std::vector<std::string>{"refund late", "where is my refund"});
  }

  TEST_CASE("model/examples: a question with no words is a warning and is not learned") {
    Article a = article("refund-timing", "en", {"???", "refund late", "--- !!! ..."});
    Article b = article("card-declined", "en", {"card declined"});
    std::vector<Diagnostic> diags;
    const auto all = collect_examples({a, b}, {"en"}, true, {}, diags);
    const auto empty = with_text(diags, "has no words");
    REQUIRE(empty.size() == 2);
    CHECK(empty[0].line == 11);
    CHECK(empty[1].line == 13);
    CHECK(empty[0].path == "en/payments/refund-timing.md");
    CHECK(empty[0].severity == Severity::kWarning);
    CHECK(learned_questions(locale_of(all, "en"), "refund-timing") == std::vector<std::string>{"refund late"});
  }

  TEST_CASE("model/examples: a question in another language or script is a warning and is not learned") {
    Article a = article("refund-timing", "en",
                        {"refund late", "cuándo llega el reembolso de la tarjeta", "返金はいつ届きますか"});
    Article b = article("card-declined", "en", {"card declined"});
    // Brand names in Latin letters are part of Japanese text: no warning for this one.
    Article ja = article("refund-ja", "ja", {"PayPal の返金はいつですか", "返金が届かない"});
    Article ja2 = article("card-ja", "ja", {"カードが使えない"});
    std::vector<Diagnostic> diags;
    const auto all = collect_examples({a, b, ja, ja2}, {"en", "es", "ja"}, true, {}, diags);
    const auto wrong = with_text(diags, "reads as");
    REQUIRE(wrong.size() == 2);
    CHECK(wrong[0].path == "en/payments/refund-timing.md");
    CHECK(wrong[0].line == 12);
    CHECK(contains(wrong[0].message, "reads as es, not en"));
    CHECK(wrong[1].line == 13);
    CHECK(contains(wrong[1].message, "reads as ja, not en"));
    CHECK(learned_questions(locale_of(all, "en"), "refund-timing") == std::vector<std::string>{"refund late"});
    CHECK(learned_questions(locale_of(all, "ja"), "refund-ja").size() == 2);

    // A script no locale of the knowledge base is written in.
    std::vector<Diagnostic> only_en;
    collect_examples({a, b}, {"en"}, true, {}, only_en);
    const auto other = with_text(only_en, "reads as another script");
    REQUIRE(other.size() == 1);
    CHECK(other[0].line == 13);
    // Without Spanish in the knowledge base, Spanish words in Latin letters are not flagged.
    CHECK(with_text(only_en, "reads as es").empty());
  }

  TEST_CASE("model/examples: questions over the limit are left out, with one warning at the first left out") {
    Article a = article("refund-timing", "en",
                        {"refund late", "where is my refund", "refund not received", "refund status", "refund timing"});
    Article b = article("card-declined", "en", {"card declined"});
    std::vector<Diagnostic> diags;
    ExampleLimits limits;
    limits.max_questions_per_article = 3;
    const auto all = collect_examples({a, b}, {"en"}, true, limits, diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].severity == Severity::kWarning);
    CHECK(diags[0].path == "en/payments/refund-timing.md");
    CHECK(diags[0].line == 14);
    CHECK(contains(diags[0].message, "more than 3 questions"));
    CHECK(learned_questions(locale_of(all, "en"), "refund-timing") ==
          std::vector<std::string>{"refund late", "where is my refund", "refund not received"});
  }

  TEST_CASE("model/examples: 10,000 questions on one article: bounded, one warning, and a model trains") {
    std::vector<std::string> many;
    for (int i = 0; i < 10'000; ++i) many.push_back("refund question number " + std::to_string(i));
    Article a = article("refund-timing", "en", many);
    Article b = article("card-declined", "en", {"card declined", "my card was refused"});
    std::vector<Diagnostic> diags;
    auto all = collect_examples({a, b}, {"en"}, true, {}, diags);
    for (auto& ex : all) model::extract_features(ex);
    const std::size_t limit = ExampleLimits{}.max_questions_per_article;
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].line == 11 + static_cast<int>(limit));
    CHECK(contains(diags[0].message, "more than " + std::to_string(limit)));
    const LocaleExamples& en = locale_of(all, "en");
    CHECK(learned_questions(en, "refund-timing").size() == limit);
    auto m = model::train_lexical_model(en.set, {});
    REQUIRE_MESSAGE(m.ok(), m.status().message());
    CHECK(m->classes().size() == 2);
  }

  TEST_CASE("model/examples: warnings from real files carry the file's path and the question's line") {
    hmtest::Kb kb;
    auto articles = hmtest::tuned_articles();
    articles.resize(3);
    articles[1].questions.push_back(articles[0].questions[2]);  // refund-timing's third, on card-declined too
    articles[2].questions.push_back("???");
    hmtest::write_articles(kb, articles);
    const IndexReport report = kb.build_ok();
    std::vector<Diagnostic> dup, empty;
    for (const auto& d : report.diagnostics) {
      if (contains(d.message, "is also a question of")) dup.push_back(d);
      if (contains(d.message, "has no words")) empty.push_back(d);
    }
    REQUIRE(dup.size() == 2);
    std::sort(dup.begin(), dup.end(), [](const Diagnostic& x, const Diagnostic& y) { return x.path < y.path; });
    CHECK(dup[0].path == (kb.articles_dir() / "en/payments/card-declined.md").generic_string());
    CHECK(dup[0].line == 16);  // the sixth question (line 11 is the first)
    CHECK(dup[1].path == (kb.articles_dir() / "en/payments/refund-timing.md").generic_string());
    CHECK(dup[1].line == 13);
    REQUIRE(empty.size() == 1);
    CHECK(empty[0].path == (kb.articles_dir() / "en/payments/digital-wallets.md").generic_string());
    CHECK(empty[0].line == 16);
    for (const auto& d : report.diagnostics) CHECK(d.severity == Severity::kWarning);
    // Warnings only: the articles are indexed and the model is trained.
    CHECK(report.total == 3);
    REQUIRE(report.models.size() == 1);
    CHECK(report.models[0].present);
  }
}
