// Query analysis and search, answer and suggest over a small fixed index (tests/data/kb-small).
// Fields: query, locale, journey filter, then a byte of options.
#include <cstdint>

#include "fuzz_util.hpp"
#include "helpmark/answer.hpp"
#include "helpmark/index.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static helpmark::Index index = std::move(helpmark::Index::open(hmfuzz::small_index())).value();
  const auto f = hmfuzz::fields(data, size, 4);
  const unsigned options = f[3].empty() ? 0u : static_cast<unsigned char>(f[3][0]);
  helpmark::SearchRequest request;
  request.query = f[0];
  request.locale = f[1];
  if (!f[2].empty()) request.filters.journeys.push_back(f[2]);
  request.layers.synonyms = options & 1;
  request.layers.spelling = options & 2;
  request.layers.fallback = options & 4;
  request.limit = options >> 4;
  if (options & 8) request.facets = {"journey", "tags", "locale"};
  (void)index.search(request);
  helpmark::AnswerOptions answer_options;
  answer_options.alternatives = options & 7;
  (void)index.answer(f[0], f[1], answer_options);
  (void)index.suggest(f[0], f[1], 1 + (options & 15));
  return 0;
}
