// The taxonomy, synonyms and scrub-pattern files: the first byte picks which reader gets the rest.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "helpmark/taxonomy.hpp"
#include "helpmark/tracking.hpp"
#include "vocabulary/synonyms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<helpmark::Diagnostic> diagnostics;
  switch (data[0] % 3) {
    case 0: {
      auto taxonomy = helpmark::Taxonomy::parse(text, "journeys.yaml");
      (void)taxonomy;
      break;
    }
    case 1: {
      static helpmark::analysis::Analyzer analyzer("en");
      auto table = helpmark::vocabulary::SynonymTable::parse(text, "synonyms/en.yaml", "en", {"en", "es"}, analyzer,
                                                             diagnostics);
      auto round_trip = helpmark::vocabulary::SynonymTable::deserialize(table.serialize());
      (void)round_trip;
      break;
    }
    default: {
      // Scrub patterns are ICU regexes from a YAML file: compiled, then run on the file's text.
      helpmark::tracking::ScrubPattern p{"fuzz", text};
      auto scrubber = helpmark::tracking::Scrubber::create({p});
      if (scrubber.ok()) (void)scrubber->scrub(text);
      break;
    }
  }
  return 0;
}
