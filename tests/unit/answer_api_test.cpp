// The chatbot answer API (Index::answer): the best article with its steps and troubleshooting,
// a confidence in [0, 1], escalation, alternatives and an explanation.
#include <doctest/doctest.h>

#include "multilingual_util.hpp"

using namespace helpmark;
using hmtest::contains;
using hmtest::MlKb;
using Strings = std::vector<std::string>;

namespace {

bool has(const Strings& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_SUITE("answer/api") {
  TEST_CASE(
      "answer: a clear question: found, confident, not escalated, with steps and troubleshooting") {
    MlKb kb;
    Answer a = kb.answer("how do i request a refund");
    CHECK(a.found);
    CHECK(a.id == "refund-request");
    CHECK(a.title == "How to request a refund");
    CHECK(a.locale == "en");
    CHECK(a.path == "en/billing/refund-request.md");
    CHECK(a.summary ==
          "You can request a refund within 30 days of delivery. Refunds are paid to the card you "
          "used.");
    CHECK(a.confidence >= 0.0);
    CHECK(a.confidence <= 1.0);
    CHECK(a.threshold == doctest::Approx(AnswerModel::defaults().threshold));
    CHECK(a.confidence > a.threshold);
    CHECK_FALSE(a.escalate);

    // Steps and troubleshooting, as plain text and as Markdown.
    CHECK(a.steps_text ==
          "Open Orders and choose the order.\nSelect Request a refund and pick a reason.\n"
          "Submit the request. We reply within two business days.");
    CHECK(a.steps_markdown ==
          "1. Open **Orders** and choose the order.\n2. Select **Request a refund** and pick a "
          "reason.\n"
          "3. Submit the request. We reply within two business days.");
    CHECK(a.troubleshooting_text ==
          "The button is greyed out. The 30-day window has closed; contact support.");
    CHECK(a.troubleshooting_markdown ==
          "- **The button is greyed out.** The 30-day window has closed; contact support.");
    CHECK(a.link == "/articles/refund-request");
  }

  TEST_CASE("an article without those sections answers with empty steps") {
    MlKb kb;
    Answer a = kb.answer("money back guarantee");
    CHECK(a.found);
    CHECK(a.id == "money-back-guarantee");
    CHECK(a.steps_text.empty());
    CHECK(a.steps_markdown.empty());
    CHECK(a.troubleshooting_markdown.empty());
    // card-declined has Steps but no Troubleshooting.
    Answer card = kb.answer("why was my card payment declined");
    CHECK(card.id == "card-declined");
    CHECK(card.steps_markdown ==
          "1. Check the expiry date and the security code.\n2. Try the payment again, or call your "
          "bank.");
    CHECK(card.troubleshooting_text.empty());
  }

  TEST_CASE("answer: the link template replaces {id} and {locale}") {
    MlKb kb;
    AnswerOptions o;
    o.link_template = "https://help.example.com/{locale}/a/{id}?from={id}";
    Answer a = kb.answer("devolución", "es", o);
    CHECK(a.id == "refund-request-es");
    CHECK(a.locale == "es");
    CHECK(a.link == "https://help.example.com/es/a/refund-request-es?from=refund-request-es");
  }

  TEST_CASE(
      "answer: alternatives: other candidates with their confidence, at most the number asked") {
    MlKb kb;
    AnswerOptions o;
    o.alternatives = 1;
    Answer one = kb.answer("refund", "en", o);
    REQUIRE(one.found);
    REQUIRE(one.alternatives.size() == 1);
    // The two refund articles (one through the synonym) are the answer and its alternative.
    std::set<std::string> both{one.id, one.alternatives[0].id};
    CHECK(both == std::set<std::string>{"refund-request", "money-back-guarantee"});
    CHECK(one.alternatives[0].title.size() > 0);
    CHECK(one.alternatives[0].locale == "en");
    CHECK(one.alternatives[0].confidence >= 0.0);
    CHECK(one.alternatives[0].confidence <= 1.0);

    o.alternatives = 0;
    CHECK(kb.answer("refund", "en", o).alternatives.empty());
    o.alternatives = 51;
    auto too_many = kb.index().answer("refund", "en", o);
    REQUIRE_FALSE(too_many.ok());
    CHECK(too_many.status().code() == ErrorCode::kInvalidArgument);
    Answer dflt = kb.answer("card payment declined by bank");
    CHECK(dflt.alternatives.size() <= 3);
    for (const auto& alt : dflt.alternatives) CHECK(alt.id != dflt.id);
  }

  TEST_CASE("answer: explanation: matched and unmatched words, features") {
    MlKb kb;
    Answer a = kb.answer("request a refund for my broken umbrella");
    REQUIRE(a.found);
    CHECK(a.id == "refund-request");
    const auto& e = a.explanation;
    CHECK(has(e.matched_terms, "request"));
    CHECK(has(e.matched_terms, "refund"));
    CHECK(has(e.matched_terms, "broken"));  // in a question of the article
    CHECK(has(e.unmatched_terms, "umbrella"));
    CHECK_FALSE(has(e.matched_terms, "umbrella"));
    // Every model feature is there, each in its range. This knowledge base is too small to
    // choose its settings, so it ranks with Xapian alone: no model score.
    for (const auto& name : AnswerModel::defaults().features) {
      CAPTURE(name);
      REQUIRE(e.features.count(name) == 1);
      if (name == "model" || name == "model_margin") continue;
      CHECK(e.features.at(name) >= 0.0);
      CHECK(e.features.at(name) <= 1.0);
    }
    CHECK(e.features.at("model") == -1.0);
    CHECK(e.features.at("model_margin") == 0.0);
    CHECK(e.features.at("agree") == 0.0);
    CHECK(e.features.at("coverage") ==
          doctest::Approx(3.0 / 4.0));  // request refund broken / + umbrella
    CHECK(e.features.at("title_coverage") == doctest::Approx(2.0 / 4.0));
    CHECK(e.features.at("inv_words") == doctest::Approx(1.0 / 4.0));
    CHECK(e.features.at("synonym") == 1.0);  // refund has synonyms
    CHECK(e.features.at("corrected") == 0.0);
  }

  TEST_CASE("answer: explanation: corrections and synonyms applied") {
    MlKb kb;
    Answer a = kb.answer("how do i get my mony back");
    REQUIRE(a.found);
    REQUIRE(a.explanation.corrections.size() == 1);
    CHECK(a.explanation.corrections[0].from == "mony");
    CHECK(a.explanation.corrections[0].to == "money");
    CHECK(a.explanation.features.at("corrected") == 1.0);
    REQUIRE(a.explanation.synonyms.size() == 1);
    CHECK(a.explanation.synonyms[0].phrase == "money back");
    CHECK(has(a.explanation.matched_terms, "money"));  // the corrected word, not the typo
    CHECK_FALSE(has(a.explanation.matched_terms, "mony"));

    Answer plain = kb.answer("tracking number");
    CHECK(plain.id == "track-order");
    CHECK(plain.explanation.corrections.empty());
    CHECK(plain.explanation.synonyms.empty());
    CHECK(plain.explanation.features.at("synonym") == 0.0);
  }

  TEST_CASE("answer: an out-of-scope question escalates") {
    MlKb kb;
    Answer a = kb.answer("what's the weather in lisbon");
    CHECK_FALSE(a.found);
    CHECK(a.escalate);
    CHECK(a.id.empty());
    CHECK(a.confidence == 0.0);
    CHECK(a.alternatives.empty());
    CHECK(has(a.explanation.unmatched_terms, "weather"));
    CHECK(has(a.explanation.unmatched_terms, "lisbon"));
    CHECK(a.explanation.matched_terms.empty());

    Answer empty = kb.answer("");
    CHECK_FALSE(empty.found);
    CHECK(empty.escalate);
  }

  TEST_CASE("answer: a weak match is found but escalated") {
    MlKb kb;
    // One common word ("page", in two bodies) of the question matches; the model is not sure.
    Answer a = kb.answer("is the page broken");
    CHECK(a.found);
    CHECK(a.explanation.matched_terms == Strings{"page"});
    CHECK(a.explanation.unmatched_terms == Strings{"broken"});
    CHECK(a.confidence < a.threshold);
    CHECK(a.escalate);
    CHECK_FALSE(a.alternatives.empty());
  }

  TEST_CASE(
      "answer: an out-of-scope question sharing one incidental word with one article escalates") {
    // A lone hit used to get gap 1.0 and confidence ~0.99 ("phone" corrected to "one", found in
    // the voucher article's "One voucher per order"). "the app is strange" (one of two words in
    // one article's body) still answers with 0.72 under the clinc-fitted defaults: a site fixes
    // such cases with `helpmark calibrate` on its own traffic.
    MlKb kb;
    Answer a = kb.answer("what is the best phone to buy this year with a good camera");
    CHECK(a.escalate);
    CHECK(a.confidence < 0.5);
  }

  TEST_CASE("answer: the threshold option overrides the model's") {
    MlKb kb;
    AnswerOptions never;
    never.threshold = 0.0;
    Answer a = kb.answer("is the page broken", "en", never);
    CHECK(a.threshold == 0.0);
    CHECK(a.found);
    CHECK_FALSE(a.escalate);  // escalated with the model's threshold (previous test)
    AnswerOptions always;
    always.threshold = 1.0;
    Answer b = kb.answer("how do i request a refund", "en", always);
    CHECK(b.found);
    CHECK(b.threshold == 1.0);
    CHECK(b.escalate);
    AnswerOptions mid;
    Answer c = kb.answer("how do i request a refund", "en", mid);
    mid.threshold = c.confidence + 1e-6;
    CHECK(kb.answer("how do i request a refund", "en", mid).escalate);
    mid.threshold = c.confidence;
    CHECK_FALSE(kb.answer("how do i request a refund", "en", mid).escalate);
  }

  TEST_CASE("answers honour locale, filters and layers") {
    MlKb kb;
    Answer ja = kb.answer("返金申請", "ja");
    CHECK(ja.found);
    CHECK(ja.id == "refund-request-ja");
    CHECK(ja.locale == "ja");
    Answer th = kb.answer("ขอคืนเงิน", "th");
    CHECK(th.id == "refund-request-th");

    AnswerOptions account_only;
    account_only.filters.journeys = {"account"};
    Answer filtered = kb.answer("refund", "en", account_only);
    CHECK_FALSE(filtered.found);
    CHECK(filtered.escalate);

    AnswerOptions no_spelling;
    no_spelling.layers.spelling = false;
    CHECK_FALSE(kb.answer("refnud", "en", no_spelling).found);
    CHECK(kb.answer("refnud", "en").found);
  }

  TEST_CASE("invalid questions are errors, not answers") {
    MlKb kb;
    auto too_long =
        kb.index().answer(std::string(SearchRequest::kMaxQueryBytes + 1, 'a'), "en", {});
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.status().code() == ErrorCode::kInvalidArgument);
    auto bad_utf8 = kb.index().answer("refund \xff\xfe", "en", {});
    REQUIRE_FALSE(bad_utf8.ok());
    CHECK(bad_utf8.status().code() == ErrorCode::kInvalidArgument);
  }
}
