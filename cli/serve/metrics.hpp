// Counters and a latency histogram for `helpmark serve`, rendered in the Prometheus text
// exposition format (version 0.0.4) at GET /metrics.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace helpmark::cli::serve {

/// What the index looks like right now, sampled when /metrics is rendered.
struct IndexGauges {
  std::size_t documents = 0;
  std::uint64_t generation = 0;     ///< Index versions this server has loaded (1 at start).
  double commit_time_seconds = 0;   ///< Modification time of the index's version file.
};

/// Thread-safe: every member may be called from any thread (one internal mutex).
class Metrics {
 public:
  /// Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  /// Counts one finished request. `endpoint` is a route ("/v1/search", "/v1/articles/{id}",
  /// "other"), never a raw path, so the number of series stays bounded. A negative
  /// `seconds` counts the request without observing its latency (rejected before routing).
  void observe_request(const std::string& endpoint, int status, double seconds);
  void observe_events(std::size_t stored, std::size_t duplicates, std::size_t rejected);

  std::string render(const IndexGauges& index) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::uint64_t events_stored_ = 0, events_duplicate_ = 0, events_rejected_ = 0;
};

}  // namespace helpmark::cli::serve
