#include <doctest/doctest.h>

#include "helpmark/taxonomy.hpp"
#include "test_util.hpp"

using namespace helpmark;
using hmtest::contains;

namespace {

Status parse_error(std::string_view yaml) {
  auto t = Taxonomy::parse(yaml, "tax/journeys.yaml");
  REQUIRE_FALSE(t.ok());
  return t.status();
}

}  // namespace

TEST_SUITE("taxonomy") {
  TEST_CASE("a valid taxonomy loads with journeys, sub-topics, labels and intervals") {
    auto t = Taxonomy::parse(hmtest::kTaxonomy, "journeys.yaml");
    REQUIRE_MESSAGE(t.ok(), t.status().message());
    const Taxonomy& tax = t.value();
    CHECK(tax.default_locale() == "en");
    CHECK(tax.locales() == std::vector<std::string>{"en", "es", "pt", "pt-BR", "ja"});
    REQUIRE(tax.journeys().size() == 3);
    CHECK(tax.journeys()[0].id == "payments");
    CHECK(tax.journeys()[0].review_every_days == 180);
    CHECK(tax.journeys()[1].review_every_days == 0);
    REQUIRE(tax.journeys()[0].subtopics.size() == 2);
    CHECK(tax.journeys()[0].subtopics[1].id == "methods");
    CHECK(tax.tags().size() == 9);
    CHECK(tax.has_tag("escrow"));
    CHECK_FALSE(tax.has_tag("nope"));
    const Journey* payments = tax.find_journey("payments");
    REQUIRE(payments != nullptr);
    CHECK(tax.find_subtopic(*payments, "methods") != nullptr);
    CHECK(tax.find_subtopic(*payments, "policy") == nullptr);  // belongs to returns
    CHECK(tax.find_journey("billing") == nullptr);
    CHECK(tax.journey_names() == "payments, returns, sellers");
  }

  TEST_CASE("labels fall back to the default locale, then to the id") {
    Taxonomy tax = hmtest::test_taxonomy();
    CHECK(tax.label("payments", "es") == "Pagos");
    CHECK(tax.label("payments", "ja") == "Payments");         // no ja label: default locale
    CHECK(tax.label("methods", "es") == "Payment methods");   // sub-topic
    CHECK(tax.label("unknown-thing", "en") == "unknown-thing");
  }

  TEST_CASE("the fingerprint changes with the content") {
    auto a = Taxonomy::parse(hmtest::kTaxonomy, "a");
    std::string changed(hmtest::kTaxonomy);
    changed.replace(changed.find("Pagos"), 5, "Cobros");
    auto b = Taxonomy::parse(changed, "a");
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK_FALSE(a->fingerprint().empty());
    CHECK(a->fingerprint() != b->fingerprint());
    CHECK(a->fingerprint() == Taxonomy::parse(hmtest::kTaxonomy, "other-name")->fingerprint());
  }

  TEST_CASE("duplicate journey id is reported at its line") {
    Status s = parse_error(
        "locales: [en]\n"                 // 1
        "journeys:\n"                     // 2
        "  - id: payments\n"              // 3
        "  - id: returns\n"               // 4
        "  - id: payments\n");            // 5
    CHECK(s.code() == ErrorCode::kInvalidInput);
    CHECK(contains(s.message(), "tax/journeys.yaml:5:"));
    CHECK(contains(s.message(), "duplicate journey id 'payments'"));
  }

  TEST_CASE("duplicate sub-topic across journeys is reported at its line") {
    Status s = parse_error(
        "journeys:\n"                       // 1
        "  - id: a\n"                       // 2
        "    subtopics:\n"                  // 3
        "      - id: shared\n"              // 4
        "  - id: b\n"                       // 5
        "    subtopics:\n"                  // 6
        "      - id: shared\n");            // 7
    CHECK(contains(s.message(), "tax/journeys.yaml:7:"));
    CHECK(contains(s.message(), "duplicate sub-topic id 'shared'"));
  }

  TEST_CASE("a label in a locale not listed in locales is an error at its line") {
    Status s = parse_error(
        "default_locale: en\n"                    // 1
        "locales: [en, es]\n"                     // 2
        "journeys:\n"                             // 3
        "  - id: payments\n"                      // 4
        "    labels:\n"                           // 5
        "      en: Payments\n"                    // 6
        "      fr: Paiements\n");                 // 7
    CHECK(s.code() == ErrorCode::kInvalidInput);
    CHECK(contains(s.message(), "tax/journeys.yaml:7:"));
    CHECK(contains(s.message(), "'fr'"));
  }

  TEST_CASE("a bad review interval is an error at its line, with an example") {
    Status s = parse_error(
        "journeys:\n"                   // 1
        "  - id: payments\n"            // 2
        "    review_every: 6 months\n"  // 3
    );
    CHECK(contains(s.message(), "tax/journeys.yaml:3:"));
    CHECK(contains(s.message(), "'6 months'"));
    CHECK(contains(s.message(), "180d"));
  }

  TEST_CASE("malformed YAML is reported with the line of the problem") {
    Status s = parse_error(
        "locales: [en]\n"          // 1
        "journeys:\n"              // 2
        "  - id: payments\n"       // 3
        "    labels: {en: Pay\n"   // 4: unclosed flow map
        "  - id: returns\n");      // 5
    CHECK(s.code() == ErrorCode::kInvalidInput);
    CHECK(contains(s.message(), "malformed YAML"));
    // The unclosed map opens on line 4; yaml-cpp notices it on line 4 or 5.
    const bool located = contains(s.message(), "journeys.yaml:4:") ||
                         contains(s.message(), "journeys.yaml:5:");
    CHECK_MESSAGE(located, s.message());
  }

  TEST_CASE("structural errors") {
    SUBCASE("not a map") {
      Status s = parse_error("- just\n- a list\n");
      CHECK(contains(s.message(), "tax/journeys.yaml:1:"));
    }
    SUBCASE("no journeys") {
      Status s = parse_error("locales: [en]\ntags: [a]\n");
      CHECK(contains(s.message(), "`journeys` must be a non-empty list"));
    }
    SUBCASE("journey without id") {
      Status s = parse_error("journeys:\n  - labels: {en: X}\n");
      CHECK(contains(s.message(), "tax/journeys.yaml:2:"));
      CHECK(contains(s.message(), "journey without `id`"));
    }
    SUBCASE("default locale not in locales") {
      Status s = parse_error("default_locale: fr\nlocales: [en]\njourneys:\n  - id: a\n");
      CHECK(contains(s.message(), "tax/journeys.yaml:1:"));
      CHECK(contains(s.message(), "'fr' is not in `locales`"));
    }
    SUBCASE("duplicate tag") {
      Status s = parse_error("journeys:\n  - id: a\ntags:\n  - x\n  - y\n  - x\n");
      CHECK(contains(s.message(), "tax/journeys.yaml:6:"));
      CHECK(contains(s.message(), "duplicate tag 'x'"));
    }
    SUBCASE("invalid UTF-8") {
      Status s = parse_error("journeys:\n  - id: a\n    labels: {en: caf\xe9}\n");
      CHECK(contains(s.message(), "tax/journeys.yaml:3:"));
      CHECK(contains(s.message(), "UTF-8"));
    }
  }

  TEST_CASE("load reports a missing directory or file as not found") {
    hmtest::TempDir dir;
    SUBCASE("missing directory") {
      auto t = Taxonomy::load(dir / "nope");
      REQUIRE_FALSE(t.ok());
      CHECK(t.status().code() == ErrorCode::kNotFound);
      CHECK(contains(t.status().message(), "taxonomy directory not found"));
    }
    SUBCASE("directory without journeys.yaml") {
      auto t = Taxonomy::load(dir.path());
      REQUIRE_FALSE(t.ok());
      CHECK(t.status().code() == ErrorCode::kNotFound);
      CHECK(contains(t.status().message(), "journeys.yaml"));
    }
    SUBCASE("a file on disk is parsed, and errors name it") {
      hmtest::write_file(dir / "journeys.yaml", "journeys:\n  - id: a\n  - id: a\n");
      auto t = Taxonomy::load(dir.path());
      REQUIRE_FALSE(t.ok());
      CHECK(contains(t.status().message(), (dir / "journeys.yaml").string() + ":3:"));
    }
  }

  TEST_CASE("the shipped taxonomy loads") {
    auto t = Taxonomy::load(hmtest::kSourceDir / "taxonomy");
    REQUIRE_MESSAGE(t.ok(), t.status().message());
    CHECK(t->journeys().size() == 5);
    CHECK(t->locales().size() == 8);
    CHECK(t->label("payments", "ja") == "支払い");
    CHECK(t->label("refund-timing", "pt-BR") == "Prazos de reembolso");
  }
}
