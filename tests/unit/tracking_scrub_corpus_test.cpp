// The scrubber on a labelled corpus in the knowledge base's eight languages
// (tests/data/privacy/scrubber-corpus.tsv, made by make_corpus.py beside it): half the strings
// hold personal data that must vanish, half are look-alikes (order ids, amounts, dates without a
// birth cue, article titles) that must come out unchanged. docs/tracking.md, "What the scrubber catches".
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "helpmark/tracking.hpp"
#include "test_util.hpp"
#include "util/text.hpp"

namespace {

struct Tally {
  int pii = 0, caught = 0, clean = 0, changed = 0;
};

}  // namespace

TEST_SUITE("tracking/scrub-corpus") {
  TEST_CASE("recall >= 0.95 and false positives <= 0.02 on the labelled corpus (issue 14, section 2)") {
    const std::string corpus = hmtest::read_file(hmtest::kTestData / "privacy/scrubber-corpus.tsv");
    helpmark::tracking::Scrubber scrubber;
    std::map<std::string, Tally> by_language;
    Tally all;
    std::string misses;
    std::istringstream lines(corpus);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line[0] == '#') continue;
      const auto cols = helpmark::text::split(line, '\t');
      REQUIRE(cols.size() == 4);
      const std::string& language = cols[0];
      const std::string scrubbed = scrubber.scrub(cols[3]);
      Tally& t = by_language[language];
      if (cols[1] == "pii") {
        const bool caught = scrubbed.find(cols[2]) == std::string::npos;
        ++t.pii, ++all.pii;
        t.caught += caught, all.caught += caught;
        if (!caught) misses += "  missed  [" + language + "] " + cols[3] + "  ->  " + scrubbed + "\n";
      } else {
        const bool changed = scrubbed != cols[3];
        ++t.clean, ++all.clean;
        t.changed += changed, all.changed += changed;
        if (changed) misses += "  changed [" + language + "] " + cols[3] + "  ->  " + scrubbed + "\n";
      }
    }
    std::ostringstream report;
    report << "scrubber corpus: " << all.pii + all.clean << " strings; recall " << all.caught << "/" << all.pii
           << " = " << static_cast<double>(all.caught) / all.pii << ", false positives " << all.changed << "/"
           << all.clean << " = " << static_cast<double>(all.changed) / all.clean << "\n";
    for (const auto& [language, t] : by_language)
      report << "  " << language << ": recall " << t.caught << "/" << t.pii << ", false positives " << t.changed
             << "/" << t.clean << "\n";
    MESSAGE(report.str() << misses);
    CHECK(by_language.size() == 8);
    CHECK(all.pii + all.clean >= 300);
    CHECK(static_cast<double>(all.caught) / all.pii >= 0.95);
    CHECK(static_cast<double>(all.changed) / all.clean <= 0.02);
  }
}
