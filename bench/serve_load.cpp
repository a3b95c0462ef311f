// A bounded HTTP load generator for `helpmark serve` (docs/serve.md): N client
// threads, each with one keep-alive connection, send M requests in total from the workload of
// bench/gen (searches with their filters and facets, autocomplete prefixes, chatbot questions)
// and report requests/s and latency percentiles. Closed loop: a thread sends its next request
// when the previous one has answered, so the figures are throughput at N concurrent clients.
//
//   serve_load --port P --data bench/data/1k-seed42 [--host 127.0.0.1] [--threads 4]
//              [--requests 20000] [--warmup 500] [--mix search=70,suggest=20,answer=10] [--json FILE]
#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common.hpp"

namespace {

std::string url_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

struct Target {
  std::string kind;  // search, suggest, answer
  std::string path;
};

std::vector<Target> load_targets(const bench::fs::path& data, int search_share, int suggest_share, int answer_share) {
  std::vector<Target> searches, suggests, answers;
  for (const auto& q : bench::read_queries(data)) {
    std::string path = "/v1/search?q=" + url_encode(q.text);
    if (!q.locale.empty()) path += "&locale=" + url_encode(q.locale);
    if (!q.journey.empty()) path += "&journey=" + url_encode(q.journey);
    for (const auto& f : q.facets) path += "&facet=" + url_encode(f);
    searches.push_back({"search", path});
  }
  for (const auto& j : bench::read_jsonl(data / "suggest.jsonl")) {
    std::string path = "/v1/suggest?q=" + url_encode(j.at("prefix").get<std::string>());
    if (j.contains("locale")) path += "&locale=" + url_encode(j.at("locale").get<std::string>());
    suggests.push_back({"suggest", path});
  }
  for (const auto& j : bench::read_jsonl(data / "questions.jsonl")) {
    std::string path = "/v1/answer?q=" + url_encode(j.at("q").get<std::string>());
    if (j.contains("locale")) path += "&locale=" + url_encode(j.at("locale").get<std::string>());
    answers.push_back({"answer", path});
  }
  // Interleave by share: every 100 targets hold search_share searches, and so on.
  std::vector<Target> out;
  std::size_t is = 0, iu = 0, ia = 0;
  const std::size_t rounds = std::max({searches.size(), suggests.size(), answers.size()});
  for (std::size_t r = 0; r < rounds; ++r) {
    for (int k = 0; k < search_share && !searches.empty(); ++k) out.push_back(searches[is++ % searches.size()]);
    for (int k = 0; k < suggest_share && !suggests.empty(); ++k) out.push_back(suggests[iu++ % suggests.size()]);
    for (int k = 0; k < answer_share && !answers.empty(); ++k) out.push_back(answers[ia++ % answers.size()]);
    if (out.size() > 200000) break;
  }
  return out;
}

int usage(const char* message) {
  std::fprintf(stderr, "serve_load: %s\nusage: serve_load --port P --data DIR [--host H] [--threads N] "
                       "[--requests M] [--warmup K] [--mix search=70,suggest=20,answer=10] [--json FILE]\n", message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1", data;
  int port = 0, threads = 4, search_share = 70, suggest_share = 20, answer_share = 10;
  long requests = 20000, warmup = 500;
  std::string json_file;  // also write the figures as JSON here
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--host") host = next();
    else if (a == "--port") port = std::atoi(next().c_str());
    else if (a == "--data") data = next();
    else if (a == "--threads") threads = std::atoi(next().c_str());
    else if (a == "--requests") requests = std::atol(next().c_str());
    else if (a == "--warmup") warmup = std::atol(next().c_str());
    else if (a == "--json") json_file = next();
    else if (a == "--mix") {
      const std::string mix = next();
      if (std::sscanf(mix.c_str(), "search=%d,suggest=%d,answer=%d", &search_share, &suggest_share, &answer_share) != 3)
        return usage("--mix must look like search=70,suggest=20,answer=10");
    } else {
      return usage(("unknown argument " + a).c_str());
    }
  }
  if (port <= 0 || data.empty()) return usage("--port and --data are required");
  if (threads < 1 || threads > 256 || requests < 1) return usage("--threads 1-256 and --requests >= 1");

  std::vector<Target> targets;
  try {
    targets = load_targets(data, search_share, suggest_share, answer_share);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "serve_load: %s\n", e.what());
    return 1;
  }
  if (targets.empty()) return usage("no queries in --data");

  auto run = [&](long total, bool record, std::vector<std::vector<std::pair<std::string, double>>>& samples,
                 std::atomic<long>& errors) {
    std::atomic<long> next{0};
    std::vector<std::thread> pool;
    samples.assign(static_cast<std::size_t>(threads), {});
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        httplib::Client client(host, port);
        client.set_keep_alive(true);
        client.set_tcp_nodelay(true);
        client.set_url_encode(false);
        client.set_read_timeout(30, 0);
        auto& mine = samples[static_cast<std::size_t>(t)];
        for (long i; (i = next.fetch_add(1)) < total;) {
          const Target& target = targets[static_cast<std::size_t>(i) % targets.size()];
          const auto t0 = bench::Clock::now();
          auto res = client.Get(target.path.c_str());
          const double ms = bench::ms_since(t0);
          if (!res || res->status != 200) {
            ++errors;
            continue;
          }
          if (record) mine.emplace_back(target.kind, ms);
        }
      });
    }
    for (auto& th : pool) th.join();
  };

  std::vector<std::vector<std::pair<std::string, double>>> samples;
  std::atomic<long> warm_errors{0}, errors{0};
  run(warmup, false, samples, warm_errors);
  const auto t0 = bench::Clock::now();
  run(requests, true, samples, errors);
  const double seconds = bench::ms_since(t0) / 1000.0;

  std::map<std::string, std::vector<double>> by_kind;
  std::vector<double> all;
  for (const auto& thread_samples : samples)
    for (const auto& [kind, ms] : thread_samples) {
      by_kind[kind].push_back(ms);
      all.push_back(ms);
    }
  const double rps = static_cast<double>(all.size()) / seconds;
  bench::json out = {{"threads", threads},        {"requests", requests}, {"ok", all.size()},
                     {"errors", errors.load()},   {"seconds", seconds},   {"requests_per_s", rps},
                     {"latency", bench::latency_summary(all)}};
  for (const auto& [kind, ms] : by_kind) out["by_endpoint"][kind] = bench::latency_summary(ms);
  if (!json_file.empty()) {
    std::ofstream file(json_file);
    file << out.dump(2) << "\n";
  }
  {
    std::printf("%d threads, %ld requests (%zu ok, %ld errors) in %.2f s: %.0f requests/s\n", threads, requests,
                all.size(), errors.load(), seconds, rps);
    std::printf("%-8s %8s %8s %8s %8s %8s\n", "endpoint", "n", "p50 ms", "p95 ms", "p99 ms", "mean ms");
    auto row = [](const std::string& name, const bench::json& s) {
      std::printf("%-8s %8zu %8.2f %8.2f %8.2f %8.2f\n", name.c_str(), s.at("n").get<std::size_t>(),
                  s.at("p50_ms").get<double>(), s.at("p95_ms").get<double>(), s.at("p99_ms").get<double>(),
                  s.at("mean_ms").get<double>());
    };
    row("all", out["latency"]);
    for (const auto& [kind, s] : out["by_endpoint"].items()) row(kind, s);
  }
  return errors.load() == 0 ? 0 : 1;
}
