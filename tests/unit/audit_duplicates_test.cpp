// The near-duplicate search (MinHash + LSH bands) against what exact comparison would find, on a
// generated knowledge base with planted near-duplicates; and its determinism across threads.
#include <doctest/doctest.h>

#include <random>

#include "audit_test_util.hpp"

using namespace helpmark;
using Ids = std::vector<std::string>;

namespace {

constexpr std::string_view kTaxonomyYaml = "default_locale: en\nlocales: [en, es]\njourneys:\n  - id: payments\n";

// 300 articles of random words; article 2k+1 (k < 15) is article 2k with 3% of its words changed;
// 5 Spanish articles copy English ones word for word (other locale: never duplicates).
struct GeneratedKb {
  hmtest::TempDir dir;
  Ids expected;  // ids that must be reported, sorted

  GeneratedKb() {
    hmtest::write_file(dir / "taxonomy/journeys.yaml", kTaxonomyYaml);
    std::mt19937_64 rng(7);
    std::vector<std::string> vocabulary;
    for (int i = 0; i < 3000; ++i) {
      std::string w;
      for (int c = 0; c < 3 + static_cast<int>(rng() % 5); ++c) w += static_cast<char>('a' + rng() % 26);
      vocabulary.push_back(w);
    }
    auto body_of = [&] {
      std::vector<std::string> words;
      for (int i = 0; i < 150; ++i) words.push_back(vocabulary[rng() % vocabulary.size()]);
      return words;
    };
    auto write = [&](const std::string& id, const std::string& locale, const std::vector<std::string>& words) {
      std::string text;
      for (std::size_t i = 0; i < words.size(); ++i) text += words[i] + (i % 12 == 11 ? ".\n" : " ");
      hmtest::write_file(dir / "articles" / locale / (id + ".md"),
                         "---\nid: " + id + "\ntitle: Title " + id + "\njourney: payments\nlocale: " + locale +
                             "\n---\n\n" + text + "\n");
    };
    std::vector<std::vector<std::string>> bodies;
    for (int i = 0; i < 300; ++i) {
      std::vector<std::string> words = body_of();
      if (i % 2 == 1 && i < 30) {
        words = bodies[static_cast<std::size_t>(i - 1)];
        for (int change = 0; change < 4; ++change) words[rng() % words.size()] = vocabulary[rng() % vocabulary.size()];
        expected.push_back("a" + std::to_string(i - 1));
        expected.push_back("a" + std::to_string(i));
      }
      bodies.push_back(words);
      write("a" + std::to_string(i), "en", words);
    }
    for (int i = 0; i < 5; ++i) write("es" + std::to_string(i), "es", bodies[static_cast<std::size_t>(100 + i)]);
    std::sort(expected.begin(), expected.end());
  }

  AuditReport audit(unsigned threads) const {
    auto taxonomy = Taxonomy::load(dir / "taxonomy");
    REQUIRE(taxonomy.ok());
    AuditOptions options;
    options.checks = {"duplicates/body"};
    options.threads = threads;
    auto report = run_audit(dir / "articles", taxonomy.value(), options);
    REQUIRE_MESSAGE(report.ok(), report.status().message());
    return report.value();
  }
};

}  // namespace

TEST_SUITE("audit/duplicates") {
  TEST_CASE("banded MinHash finds exactly the planted near-duplicates among 300 articles") {
    GeneratedKb kb;
    auto report = kb.audit(0);
    INFO(hmtest::dump(report));
    CHECK(hmtest::flagged(report, "duplicates/body") == kb.expected);
    for (const auto& f : report.findings) {
      // a2k+1 pairs with a2k and nothing else.
      const int n = std::stoi(f.article_id.substr(1));
      const std::string partner = "a" + std::to_string(n % 2 ? n - 1 : n + 1);
      CHECK(hmtest::contains(f.message, "'" + partner + "'"));
      CHECK_FALSE(hmtest::contains(f.message, "'es"));
    }
  }

  TEST_CASE("the report is the same with one thread and with many") {
    GeneratedKb kb;
    auto one = kb.audit(1);
    auto many = kb.audit(4);
    REQUIRE(one.findings.size() == many.findings.size());
    for (std::size_t i = 0; i < one.findings.size(); ++i) CHECK(one.findings[i].message == many.findings[i].message);
  }
}
