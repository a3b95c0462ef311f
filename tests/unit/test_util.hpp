// Shared test helpers: temporary directories, small knowledge bases written as real files, and
// running the real `helpmark` binary with its output captured.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helpmark/index.hpp"
#include "helpmark/indexer.hpp"
#include "helpmark/status.hpp"
#include "helpmark/taxonomy.hpp"

extern char** environ;

namespace hmtest {

namespace fs = std::filesystem;

inline const fs::path kTestData = HELPMARK_TEST_DATA;
inline const fs::path kSourceDir = HELPMARK_SOURCE_DIR;
inline const fs::path kBin = HELPMARK_BIN;

/// A fresh directory under /tmp, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/helpmark-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const fs::path& rel) const { return path_ / rel; }

 private:
  fs::path path_;
};

/// Writes `content` to `file` byte for byte, creating parent directories.
inline void write_file(const fs::path& file, std::string_view content) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

inline std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Copies a directory tree (fixtures into a temporary directory, so tests may modify them).
inline void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

/// An article file: front matter lines (each ending in '\n') between fences, then the body.
inline std::string md(std::string_view front_matter, std::string_view body = "Some text.\n") {
  std::string out = "---\n";
  out += front_matter;
  out += "---\n";
  out += body;
  return out;
}

/// The taxonomy most unit tests use: three journeys, five locales, a small tag list.
inline constexpr std::string_view kTaxonomy = R"(default_locale: en
locales: [en, es, pt, pt-BR, ja]
journeys:
  - id: payments
    review_every: 180d
    labels: {en: Payments, es: Pagos}
    subtopics:
      - id: refund-timing
        labels: {en: Refund timing}
      - id: methods
        labels: {en: Payment methods}
  - id: returns
    labels: {en: Returns}
    subtopics:
      - id: policy
        labels: {en: Return policy}
      - id: labels
        labels: {en: Return labels}
  - id: sellers
    labels: {en: Selling}
    subtopics:
      - id: payouts
        labels: {en: Seller payouts}
tags: [refund, card, wallet, return, label, payout, bank, fees, escrow]
)";

inline helpmark::Taxonomy test_taxonomy() {
  auto t = helpmark::Taxonomy::parse(kTaxonomy, "journeys.yaml");
  REQUIRE_MESSAGE(t.ok(), t.status().message());
  return t.value();
}

/// A knowledge base in a temporary directory: articles/, taxonomy/journeys.yaml and index/.
class Kb {
 public:
  explicit Kb(std::string_view taxonomy = kTaxonomy) {
    write_file(taxonomy_dir() / "journeys.yaml", taxonomy);
    fs::create_directories(articles_dir());
  }
  fs::path root() const { return dir_.path(); }
  fs::path articles_dir() const { return dir_ / "articles"; }
  fs::path taxonomy_dir() const { return dir_ / "taxonomy"; }
  fs::path index_dir() const { return dir_ / "index"; }

  void add(const std::string& relative, std::string_view content) {
    write_file(articles_dir() / relative, content);
  }
  void remove(const std::string& relative) { fs::remove(articles_dir() / relative); }

  helpmark::IndexOptions options(bool strict = false) const {
    helpmark::IndexOptions o;
    o.articles_dir = articles_dir();
    o.taxonomy_dir = taxonomy_dir();
    o.index_dir = index_dir();
    o.strict = strict;
    return o;
  }
  helpmark::Result<helpmark::IndexReport> build(bool strict = false) const {
    return helpmark::build_index(options(strict));
  }
  /// Builds and requires success.
  helpmark::IndexReport build_ok() const {
    auto r = build();
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    return r.value();
  }
  helpmark::Index open() const {
    auto index = helpmark::Index::open(index_dir());
    REQUIRE_MESSAGE(index.ok(), index.status().message());
    return std::move(index).value();
  }

 private:
  TempDir dir_;
};

/// Builds SearchFilters fluently: filters().journeys({"payments"}).audiences({"seller"}).
class FilterBuilder {
 public:
  using Values = std::vector<std::string>;
  FilterBuilder& journeys(Values v) { f_.journeys = std::move(v); return *this; }
  FilterBuilder& subtopics(Values v) { f_.subtopics = std::move(v); return *this; }
  FilterBuilder& audiences(Values v) { f_.audiences = std::move(v); return *this; }
  FilterBuilder& tags(Values v) { f_.tags = std::move(v); return *this; }
  FilterBuilder& locales(Values v) { f_.locales = std::move(v); return *this; }
  FilterBuilder& statuses(Values v) { f_.statuses = std::move(v); return *this; }
  operator helpmark::SearchFilters() const { return f_; }  // NOLINT: implicit by design

 private:
  helpmark::SearchFilters f_;
};
inline FilterBuilder filters() { return {}; }

/// The ids of a response's hits, in rank order.
inline std::vector<std::string> ids(const helpmark::SearchResponse& response) {
  std::vector<std::string> out;
  for (const auto& h : response.hits) out.push_back(h.id);
  return out;
}
inline std::set<std::string> id_set(const helpmark::SearchResponse& response) {
  auto v = ids(response);
  return {v.begin(), v.end()};
}

/// Runs a search that must succeed.
inline helpmark::SearchResponse search_ok(const helpmark::Index& index,
                                          const helpmark::SearchRequest& request) {
  auto r = index.search(request);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return r.value();
}

/// The count of `value` in facet `field`, or -1 when the value is not listed.
inline long facet_count(const helpmark::SearchResponse& response, const std::string& field,
                        const std::string& value) {
  auto it = response.facets.find(field);
  if (it == response.facets.end()) return -1;
  for (const auto& c : it->second)
    if (c.value == value) return static_cast<long>(c.count);
  return -1;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

/// What a finished child process did.
struct RunResult {
  int exit_code = -1;  ///< Exit status, or -1 when killed by a signal.
  int signal = 0;      ///< The signal that killed it, or 0.
  std::string out;
  std::string err;
};

/// Runs `program` with `args` (no shell), in `cwd` when given, with `env` added to the
/// environment; stdout and stderr are captured through temporary files.
inline RunResult run_program(const fs::path& program, const std::vector<std::string>& args,
                             const std::vector<std::pair<std::string, std::string>>& env = {},
                             const fs::path& cwd = {}) {
  TempDir capture;
  const std::string out_file = (capture / "stdout").string();
  const std::string err_file = (capture / "stderr").string();

  std::vector<std::string> argv_storage;
  argv_storage.push_back(program.string());
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    bool overridden = std::any_of(env.begin(), env.end(), [&](const auto& kv) {
      return entry.starts_with(kv.first + "=");
    });
    // Never let the caller's default index leak into a test.
    if (!overridden && !entry.starts_with("HELPMARK_INDEX=")) env_storage.emplace_back(entry);
  }
  for (const auto& [k, v] : env) env_storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

  pid_t pid = 0;
  int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn " + program.string() + " failed: " + std::to_string(rc));

  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  RunResult result;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.out = read_file(out_file);
  result.err = read_file(err_file);
  return result;
}

/// Runs the real helpmark CLI.
inline RunResult helpmark_cli(const std::vector<std::string>& args,
                              const std::vector<std::pair<std::string, std::string>>& env = {},
                              const fs::path& cwd = {}) {
  return run_program(kBin, args, env, cwd);
}

}  // namespace hmtest

/// Prints a run's output when a check about it fails.
#define HM_RUN_INFO(run)                                                            \
  INFO("exit=" << (run).exit_code << " signal=" << (run).signal << "\nstdout:\n" \
               << (run).out << "\nstderr:\n"                                      \
               << (run).err)
