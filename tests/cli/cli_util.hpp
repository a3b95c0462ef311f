// Helpers for the CLI end-to-end tests: fixture paths and an index of tests/data/kb-small.
#pragma once

#include <nlohmann/json.hpp>

#include "unit/test_util.hpp"

namespace hmtest {

inline const fs::path kSmallArticles = kTestData / "kb-small/articles";
inline const fs::path kSmallTaxonomy = kTestData / "kb-small/taxonomy";
inline const fs::path kBadArticles = kTestData / "bad";

/// tests/data/kb-small indexed by the real CLI into a temporary directory.
class CliKb {
 public:
  CliKb() {
    auto run = helpmark_cli({"index", kSmallArticles.string(), "--taxonomy", kSmallTaxonomy.string(),
                             "--index", index().string(), "-q"});
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
  }
  fs::path index() const { return dir_ / "index"; }
  const TempDir& dir() const { return dir_; }

  /// `helpmark search QUERY --index INDEX ARGS...`
  RunResult search(const std::string& query, std::vector<std::string> args = {}) const {
    std::vector<std::string> all{"search", query, "--index", index().string()};
    all.insert(all.end(), args.begin(), args.end());
    return helpmark_cli(all);
  }
  /// The same with --json, parsed; the run must succeed.
  nlohmann::json search_json(const std::string& query, std::vector<std::string> args = {}) const {
    args.push_back("--json");
    RunResult run = search(query, args);
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    return parse_json(run.out);
  }

  static nlohmann::json parse_json(const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    INFO("output: " << text);
    REQUIRE_FALSE(j.is_discarded());
    return j;
  }

 private:
  TempDir dir_;
};

/// The ids of a search response's hits, in order.
inline std::vector<std::string> hit_ids(const nlohmann::json& response) {
  std::vector<std::string> out;
  for (const auto& h : response.at("hits")) out.push_back(h.at("id").get<std::string>());
  return out;
}
inline std::set<std::string> hit_id_set(const nlohmann::json& response) {
  auto v = hit_ids(response);
  return {v.begin(), v.end()};
}

/// Number of lines of `text` that contain `needle`.
inline int count_lines_with(const std::string& text, const std::string& needle) {
  int n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) ++n;
  return n;
}

}  // namespace hmtest
