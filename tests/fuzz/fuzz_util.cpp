#include "fuzz_util.hpp"

#include <unistd.h>

#include <cstdio>

#include "helpmark/indexer.hpp"

namespace hmfuzz {

std::filesystem::path small_index() {
  static const std::filesystem::path dir = [] {
    const char* data = std::getenv("HELPMARK_FUZZ_DATA");
    const std::filesystem::path root = data ? data : HELPMARK_FUZZ_DEFAULT_DATA;
    const std::filesystem::path out =
        std::filesystem::temp_directory_path() / ("helpmark-fuzz-index-" + std::to_string(::getpid()));
    std::filesystem::remove_all(out);
    helpmark::IndexOptions options;
    options.articles_dir = root / "kb-small/articles";
    options.taxonomy_dir = root / "kb-small/taxonomy";
    options.index_dir = out;
    auto built = helpmark::build_index(options);
    if (!built.ok()) {
      std::fprintf(stderr, "fuzz: cannot build the index: %s\n", built.status().message().c_str());
      std::abort();
    }
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                      ("helpmark-fuzz-index-" + std::to_string(::getpid())),
                                  ec);
    });
    return out;
  }();
  return dir;
}

}  // namespace hmfuzz
