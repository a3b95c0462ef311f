// Spelling that leaves real words alone (vocabulary/dictionary: Hunspell dictionaries found
// through HELPMARK_DICTIONARY_PATH), the index's note about a locale without one, and answers
// whose match rests only on corrected words.
#include <doctest/doctest.h>

#include <cmath>

#include "helpmark/answer.hpp"
#include "helpmark/index.hpp"
#include "index/schema.hpp"
#include "search/confidence.hpp"
#include "unit/model_util.hpp"
#include "vocabulary/dictionary.hpp"

using namespace helpmark;
using helpmark::vocabulary::LanguageDictionary;
using hmtest::contains;
using hmtest::EnvGuard;

namespace {

constexpr const char* kPathVar = "HELPMARK_DICTIONARY_PATH";

// Articles that use "whether" and "parts" but never "weather" or "paris".
void write_weather_kb(hmtest::Kb& kb) {
  kb.add("en/payments/refund-status.md",
         hmtest::md("id: refund-status\ntitle: Check whether your refund was sent\njourney: payments\n"
                    "subtopic: refund-timing\nquestions:\n  - has my refund been sent\n  - refund status\n",
                    "Open the order to see whether the refund was sent to your card.\n"));
  kb.add("en/returns/spare-parts.md",
         hmtest::md("id: spare-parts\ntitle: Spare parts for your device\njourney: returns\nsubtopic: policy\n"
                    "questions:\n  - where can i buy spare parts\n  - replacement parts\n",
                    "Order spare parts from the manufacturer's shop.\n"));
  kb.add("en/returns/print-label.md",
         hmtest::md("id: print-label\ntitle: Print a return label\njourney: returns\nsubtopic: labels\n",
                    "Print the label from the email we sent you.\n"));
}

// A dictionary directory with `en_US` listing common words, including "weather" and "Paris".
void write_english_dictionary(const std::filesystem::path& dir) {
  hmtest::write_dictionary(dir, "en_US",
                           {"weather", "Paris", "what", "is", "the", "in", "refund", "whether", "parts", "label"});
}

Answer answer_ok(const Index& index, const std::string& question) {
  auto a = index.answer(question, "en", {});
  REQUIRE_MESSAGE(a.ok(), a.status().message());
  return a.value();
}

}  // namespace

TEST_SUITE("dictionary") {
  TEST_CASE("dictionary: found in HELPMARK_DICTIONARY_PATH by locale and region, words as typed or capitalised") {
    hmtest::TempDir dir;
    write_english_dictionary(dir.path());
    hmtest::write_dictionary(dir / "pt", "pt_PT", {"reembolso"});
    hmtest::write_file(dir / "fr_FR.dic", "1\nbonjour\n");  // no .aff beside it: not a dictionary
    EnvGuard path(kPathVar, "/nonexistent/dir:" + dir.path().string() + ":" + (dir / "pt").string());

    CHECK(LanguageDictionary::find("en") == (dir / "en_US.dic").string());
    CHECK(LanguageDictionary::find("en-GB") == (dir / "en_US.dic").string());  // the usual region next
    CHECK(LanguageDictionary::find("pt-BR") == (dir / "pt" / "pt_PT.dic").string());  // another region
    CHECK(LanguageDictionary::find("fr").empty());
    CHECK(LanguageDictionary::find("de").empty());
    const auto names = LanguageDictionary::names_for("en-GB");
    REQUIRE(names.size() >= 2);
    CHECK(names[0] == "en_GB");
    CHECK(names[1] == "en_US");
    CHECK(LanguageDictionary::names_for("pt-BR").front() == "pt_BR");
    CHECK(LanguageDictionary::open("de") == nullptr);

    auto en = LanguageDictionary::open("en");
    REQUIRE(en != nullptr);
    CHECK(en->path() == (dir / "en_US.dic").string());
    CHECK(en->has("weather"));
    CHECK(en->has("paris"));  // queries are typed in lower case: "Paris" is the word
    CHECK(en->has("Paris"));
    CHECK_FALSE(en->has("refnud"));
    CHECK_FALSE(en->has("wether"));
    CHECK_FALSE(en->has(""));

    {
      EnvGuard none(kPathVar, std::string());  // set but empty: no dictionaries at all
      CHECK(LanguageDictionary::find("en").empty());
      CHECK(LanguageDictionary::open("en") == nullptr);
    }
    CHECK_FALSE(LanguageDictionary::find("en").empty());  // the guard put the path back
  }

  TEST_CASE("dictionary: an 8-bit dictionary is read in its own encoding") {
    hmtest::TempDir dir;
    hmtest::write_file(dir / "fr_FR.aff", "SET ISO8859-1\n");
    hmtest::write_file(dir / "fr_FR.dic", "2\ncaf\xe9\nremboursement\n");  // "café" in Latin-1
    EnvGuard path(kPathVar, dir.path().string());
    auto fr = LanguageDictionary::open("fr-CA");
    REQUIRE(fr != nullptr);
    CHECK(fr->has("café"));
    CHECK(fr->has("Café"));
    CHECK(fr->has("remboursement"));
    CHECK_FALSE(fr->has("cafe"));
    CHECK_FALSE(fr->has("返金"));  // not representable in Latin-1: not a word of it, no error
  }

  TEST_CASE("dictionary: a real word the articles lack is not corrected into theirs, a typo still is") {
    hmtest::Kb kb;
    write_weather_kb(kb);
    hmtest::TempDir dicts;
    write_english_dictionary(dicts.path());
    {
      EnvGuard path(kPathVar, std::string());
      kb.build_ok();
    }
    SearchRequest weather;
    weather.query = "what is the weather in paris";
    SearchRequest typo;
    typo.query = "refnud";

    // Without a dictionary "weather" looks like a typo of "whether" (today's behaviour).
    {
      EnvGuard path(kPathVar, std::string());
      Index index = kb.open();
      const SearchResponse r = hmtest::search_ok(index, weather);
      CHECK(r.auto_corrected);
      CHECK(contains(r.corrected_query, "whether"));
      CHECK(contains(r.corrected_query, "parts"));
      CHECK_FALSE(r.hits.empty());
    }
    // With one, "weather" and "paris" are words of English: left alone, so nothing is found.
    {
      EnvGuard path(kPathVar, dicts.path().string());
      Index index = kb.open();
      const SearchResponse r = hmtest::search_ok(index, weather);
      CHECK_FALSE(r.auto_corrected);
      CHECK(r.corrected_query.empty());
      CHECK(r.corrections.empty());
      CHECK(r.hits.empty());
      CHECK(r.total == 0);
      // "refnud" is no word: still corrected.
      const SearchResponse t = hmtest::search_ok(index, typo);
      CHECK(t.auto_corrected);
      CHECK(t.corrected_query == "refund");
      REQUIRE_FALSE(t.hits.empty());
      CHECK(t.hits[0].id == "refund-status");
      // And the answer to the weather question is a hand-over, not a confident "whether".
      const Answer a = answer_ok(index, weather.query);
      CHECK_FALSE(a.found);
      CHECK(a.escalate);
      CHECK(a.explanation.corrections.empty());
    }
  }

  TEST_CASE("dictionary: indexing notes each locale without a dictionary, once") {
    hmtest::Kb kb;
    hmtest::write_articles(kb, {hmtest::tuned_articles()[0], hmtest::tuned_articles()[1], hmtest::spanish_articles()[0],
                                hmtest::spanish_articles()[1]});
    hmtest::TempDir dicts;
    write_english_dictionary(dicts.path());
    EnvGuard path(kPathVar, dicts.path().string());
    const IndexReport report = kb.build_ok();
    auto count = [&](const std::string& needle) {
      return std::count_if(report.notices.begin(), report.notices.end(),
                           [&](const std::string& n) { return contains(n, needle); });
    };
    // The taxonomy's locales are en, es, pt, pt-BR and ja: English has its dictionary, Japanese
    // is never corrected (no spaces between words).
    CHECK(count("no Hunspell dictionary for es ") == 1);
    CHECK(count("no Hunspell dictionary for pt ") == 1);
    CHECK(count("no Hunspell dictionary for pt-BR ") == 1);
    CHECK(count("for en ") == 0);
    CHECK(count("for ja ") == 0);
    CHECK(report.notices.size() == 3);
    CHECK(count("es_ES") == 1);           // what it looked for
    CHECK(count("HELPMARK_DICTIONARY_PATH") == 3);  // and how to fix it

    // Every language with a dictionary: no notice.
    hmtest::write_dictionary(dicts.path(), "es_ES", {"reembolso"});
    hmtest::write_dictionary(dicts.path(), "pt_BR", {"reembolso"});
    const IndexReport all = kb.build_ok();
    CHECK(all.notices.empty());
  }

  TEST_CASE("answer: a match resting only on corrected words loses half its confidence") {
    hmtest::Kb kb;
    write_weather_kb(kb);
    EnvGuard path(kPathVar, std::string());
    kb.build_ok();
    // An answer model that gives every answer the same confidence, sigmoid(1): what changes it
    // is the answer's own doing.
    AnswerModel flat;
    flat.features = search::feature_names();
    flat.weights.assign(flat.features.size() + 1, 0.0);
    flat.weights[0] = 1.0;
    flat.threshold = 0.5;
    flat.source = "calibrate";
    hmtest::set_index_metadata(kb.index_dir(), schema::kMetaAnswerModel, search::model_to_json(flat));
    const double full = 1.0 / (1.0 + std::exp(-1.0));
    Index index = kb.open();

    // Typed right: the model's confidence.
    const Answer right = answer_ok(index, "refund sent");
    REQUIRE(right.found);
    CHECK(right.id == "refund-status");
    CHECK(right.explanation.corrections.empty());
    CHECK(right.confidence == doctest::Approx(full));
    CHECK_FALSE(right.escalate);

    // Every matched word is a correction: half of it, and below the threshold.
    const Answer typo = answer_ok(index, "refnud");
    REQUIRE(typo.found);
    CHECK(typo.id == "refund-status");
    REQUIRE(typo.explanation.corrections.size() == 1);
    CHECK(typo.explanation.corrections[0].to == "refund");
    CHECK(typo.explanation.features.at("corrected") == 1.0);
    CHECK(typo.confidence == doctest::Approx(full / 2));
    CHECK(typo.escalate);

    // "whether in parts": both matched words were put there by spelling.
    const Answer weather = answer_ok(index, "what is the weather in paris");
    REQUIRE(weather.found);
    CHECK(weather.explanation.corrections.size() == 2);
    CHECK(weather.confidence == doctest::Approx(full / 2));
    CHECK(weather.escalate);

    // A word typed right matched too: the answer does not rest on corrections alone.
    const Answer mixed = answer_ok(index, "refund status snet");
    REQUIRE(mixed.found);
    CHECK(mixed.confidence == doctest::Approx(full));
    // The alternatives are judged the same way.
    for (const auto& alt : typo.alternatives) CHECK(alt.confidence <= full / 2 + 1e-9);
  }
}
