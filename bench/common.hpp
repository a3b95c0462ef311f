// What every C++ benchmark program shares: the generated workload (bench/gen's JSONL files),
// timing, percentiles, peak RSS, directory sizes and the JSON each program prints for bench/run.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

/// One generated article as plain fields (docs.jsonl): what the peers index.
struct Doc {
  std::string id, title, summary, body, journey, subtopic, locale, status, group, path;
  std::vector<std::string> questions, tags, audience;
};

/// One search of queries.jsonl.
struct Query {
  std::string text, locale, journey;
  std::vector<std::string> facets;
  bool typo = false;
};

inline std::vector<json> read_jsonl(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot read; run bench/gen first");
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

inline std::vector<Doc> read_docs(const fs::path& data_dir) {
  std::vector<Doc> docs;
  for (const auto& j : read_jsonl(data_dir / "docs.jsonl")) {
    Doc d;
    d.id = j.at("id");
    d.title = j.at("title");
    d.summary = j.at("summary");
    d.body = j.at("body");
    d.journey = j.at("journey");
    d.subtopic = j.at("subtopic");
    d.locale = j.at("locale");
    d.status = j.at("status");
    d.group = j.at("group");
    d.path = j.at("path");
    d.questions = j.at("questions").get<std::vector<std::string>>();
    d.tags = j.at("tags").get<std::vector<std::string>>();
    d.audience = j.at("audience").get<std::vector<std::string>>();
    docs.push_back(std::move(d));
  }
  return docs;
}

inline std::vector<Query> read_queries(const fs::path& data_dir) {
  std::vector<Query> qs;
  for (const auto& j : read_jsonl(data_dir / "queries.jsonl")) {
    Query q;
    q.text = j.at("q");
    q.locale = j.value("locale", "");
    q.journey = j.value("journey", "");
    q.facets = j.value("facets", std::vector<std::string>{});
    q.typo = j.value("typo", false);
    qs.push_back(std::move(q));
  }
  return qs;
}

inline double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

/// Nearest-rank percentile of `v` (p in 0..100); sorts a copy.
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return v[rank - 1];
}

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// Peak resident set of this process so far, in MiB (Linux reports KiB).
inline double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

/// Bytes of every regular file under `dir`.
inline std::uint64_t dir_bytes(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  if (fs::is_regular_file(dir, ec)) return fs::file_size(dir, ec);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  return total;
}

/// Latency summary of one pass over the queries, in milliseconds.
inline json latency_summary(const std::vector<double>& ms) {
  double sum = 0;
  for (double x : ms) sum += x;
  return {{"p50_ms", percentile(ms, 50)}, {"p95_ms", percentile(ms, 95)}, {"p99_ms", percentile(ms, 99)},
          {"mean_ms", ms.empty() ? 0 : sum / static_cast<double>(ms.size())}, {"n", ms.size()}};
}

/// Per-key medians over runs of latency_summary() objects.
inline json median_of_runs(const std::vector<json>& runs) {
  json out = json::object();
  if (runs.empty()) return out;
  for (auto it = runs.front().begin(); it != runs.front().end(); ++it) {
    if (!it.value().is_number()) continue;
    std::vector<double> xs;
    for (const auto& r : runs) xs.push_back(r.at(it.key()).get<double>());
    out[it.key()] = median(xs);
  }
  out["runs"] = runs.size();
  return out;
}

/// The peers' stop words (bench/peers/stopwords.txt), lower-case.
inline std::vector<std::string> read_stopwords() {
#ifdef HELPMARK_BENCH_DIR
  const fs::path file = fs::path(HELPMARK_BENCH_DIR) / "peers" / "stopwords.txt";
#else
  const fs::path file = "bench/peers/stopwords.txt";
#endif
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot read the stop words");
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') words.push_back(line);
  return words;
}

/// Prints the result for bench/run and returns the process exit code.
inline int emit(const json& result) {
  std::cout << result.dump() << std::endl;
  return 0;
}

/// argv as "--key value" pairs after the sub-command.
struct Args {
  std::string command;
  std::map<std::string, std::string> kv;
  std::string get(const std::string& key, const std::string& fallback = "") const {
    auto it = kv.find(key);
    return it == kv.end() ? fallback : it->second;
  }
  int get_int(const std::string& key, int fallback) const {
    auto it = kv.find(key);
    return it == kv.end() ? fallback : std::stoi(it->second);
  }
  std::string need(const std::string& key) const {
    auto it = kv.find(key);
    if (it == kv.end()) throw std::runtime_error("missing --" + key);
    return it->second;
  }
};

inline Args parse_args(int argc, char** argv) {
  Args a;
  if (argc < 2) throw std::runtime_error("missing sub-command");
  a.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (!k.starts_with("--")) throw std::runtime_error("unexpected argument " + k);
    k = k.substr(2);
    if (i + 1 < argc && !std::string(argv[i + 1]).starts_with("--")) a.kv[k] = argv[++i];
    else a.kv[k] = "1";
  }
  return a;
}

}  // namespace bench
