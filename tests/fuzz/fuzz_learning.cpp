// The files of the learning loop that come from outside a run: a reviewed proposals file
// (`learn apply --from`), the overlay beside the index (learned.json) and its log. Any bytes:
// an error or a value, never a crash; what parses is applied and forgotten again.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "fuzz_util.hpp"
#include "helpmark/learning.hpp"

namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("helpmark-fuzz-learning-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  const auto f = hmfuzz::fields(data, size, 3);
  namespace learning = helpmark::learning;

  // A proposals file as a reviewer may have edited it.
  auto questions = learning::questions_from_json(f[0]);
  if (questions.ok()) {
    auto applied = learning::apply(dir, questions.value(), 20);
    auto back = learning::read_overlay(dir);
    if (applied.ok() && !back.ok()) std::abort();  // what apply wrote reads back
    if (back.ok()) {
      std::map<std::string, std::size_t> per_article;
      for (const auto& q : back->questions)
        if (++per_article[q.article] > 20) std::abort();  // the per-article cap holds
    }
  }
  // An overlay and a log as found on disk.
  write(learning::overlay_path(dir), f[1]);
  (void)learning::read_overlay(dir);
  write(dir / "learned-log.jsonl", f[2]);
  std::size_t skipped = 0;
  (void)learning::read_log(dir, &skipped);
  (void)learning::forget(dir);
  fs::remove(dir / "learned-log.jsonl");
  return 0;
}
