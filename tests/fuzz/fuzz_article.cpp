// Front matter and Markdown: parse_article on any bytes, as `index` and `validate` read a file.
#include <cstdint>
#include <string_view>
#include <vector>

#include "helpmark/article.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const helpmark::Taxonomy taxonomy = [] {
    auto t = helpmark::Taxonomy::parse(
        "default_locale: en\nlocales: [en, es, pt-BR, ja]\njourneys:\n  - id: payments\n    subtopics: [refund-timing]\n"
        "  - id: returns\ntags: [refund, card]\n",
        "journeys.yaml");
    return std::move(t).value();
  }();
  std::vector<helpmark::Diagnostic> diagnostics;
  auto article = helpmark::parse_article(std::string_view(reinterpret_cast<const char*>(data), size),
                                         "en/payments/fuzz.md", taxonomy, diagnostics);
  (void)article;
  return 0;
}
