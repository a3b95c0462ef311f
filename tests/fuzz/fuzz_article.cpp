// Front matter and Markdown: parse_article on any bytes, as `index` and `validate` read a file.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <vector>

#include "helpmark/article.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const helpmark::Taxonomy taxonomy = [] {
    const char* data = std::getenv("HELPMARK_FUZZ_DATA");
    auto t = helpmark::Taxonomy::load(std::filesystem::path(data ? data : HELPMARK_FUZZ_DEFAULT_DATA) /
                                      "kb-small/taxonomy");
    if (!t.ok()) std::abort();
    return std::move(t).value();
  }();
  std::vector<helpmark::Diagnostic> diagnostics;
  auto article = helpmark::parse_article(std::string_view(reinterpret_cast<const char*>(data), size),
                                         "en/payments/fuzz.md", taxonomy, diagnostics);
  (void)article;
  return 0;
}
