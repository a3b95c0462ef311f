#include "commands/track_common.hpp"

#include <cstdlib>
#include <filesystem>

#include "output.hpp"

namespace fs = std::filesystem;

namespace helpmark::cli {

std::string default_store_path(const std::string& index_dir) {
  const char* env = std::getenv("HELPMARK_STORE");
  if (env && *env) return env;
  fs::path index = index_dir.empty() ? fs::path(default_index_dir()) : fs::path(index_dir);
  // "dir/" has an empty filename; drop it so the parent is the directory's parent.
  if (!index.has_filename()) index = index.parent_path();
  return (index.parent_path() / "events.sqlite").string();
}

std::optional<std::int64_t> parse_duration_ms(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  const char unit = s.back();
  std::int64_t n = 0;
  for (char c : s.substr(0, s.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
    if (n > 100000000) return std::nullopt;
  }
  switch (unit) {
    case 's': return n * 1000;
    case 'm': return n * 60 * 1000;
    case 'h': return n * 3600 * 1000;
    case 'd': return n * 86400 * 1000;
    case 'w': return n * 7 * 86400 * 1000;
    default: return std::nullopt;
  }
}

std::optional<std::int64_t> parse_date_or_time(std::string_view s, bool end_of_day) {
  if (s.size() == 10) {
    auto ms = tracking::parse_timestamp(std::string(s) + "T00:00:00Z");
    if (ms && end_of_day) *ms += 86400000;
    return ms;
  }
  return tracking::parse_timestamp(s);
}

Result<std::vector<tracking::ScrubPattern>> scrub_patterns_for(const std::string& privacy_flag,
                                                               const std::string& store_path) {
  if (!privacy_flag.empty()) return tracking::load_scrub_patterns(privacy_flag);
  const char* env = std::getenv("HELPMARK_PRIVACY");
  if (env && *env) return tracking::load_scrub_patterns(env);
  const fs::path beside = fs::path(store_path).parent_path() / "privacy.yaml";
  std::error_code ec;
  if (fs::exists(beside, ec)) return tracking::load_scrub_patterns(beside);
  return std::vector<tracking::ScrubPattern>{};
}

}  // namespace helpmark::cli
