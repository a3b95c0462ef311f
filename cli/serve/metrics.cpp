#include "serve/metrics.hpp"

#include <cstdio>

namespace helpmark::cli::serve {
namespace {

// Endpoint names are our own route strings; escape anyway so the format can never break.
std::string label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

}  // namespace

void Metrics::observe_request(const std::string& endpoint, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{endpoint, status}];
  if (seconds < 0) return;
  Histogram& h = latency_[endpoint];
  ++h.count;
  h.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.counts[i];
      break;
    }
  }
}

void Metrics::observe_events(std::size_t stored, std::size_t duplicates, std::size_t rejected) {
  std::lock_guard lock(mu_);
  events_stored_ += stored;
  events_duplicate_ += duplicates;
  events_rejected_ += rejected;
}

std::string Metrics::render(const IndexGauges& index) const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP helpmark_http_requests_total HTTP requests answered, by endpoint and status code.\n";
  out += "# TYPE helpmark_http_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    out += "helpmark_http_requests_total{endpoint=\"" + label(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";

  out += "# HELP helpmark_http_request_duration_seconds Time from routing to the response, by endpoint.\n";
  out += "# TYPE helpmark_http_request_duration_seconds histogram\n";
  for (const auto& [endpoint, h] : latency_) {
    const std::string name = "helpmark_http_request_duration_seconds";
    const std::string ep = "endpoint=\"" + label(endpoint) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.counts[i];
      out += name + "_bucket{" + ep + ",le=\"" + number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += name + "_bucket{" + ep + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    out += name + "_sum{" + ep + "} " + number(h.sum) + "\n";
    out += name + "_count{" + ep + "} " + std::to_string(h.count) + "\n";
  }

  out += "# HELP helpmark_events_total Tracking events received at POST /v1/events, by outcome.\n";
  out += "# TYPE helpmark_events_total counter\n";
  out += "helpmark_events_total{outcome=\"stored\"} " + std::to_string(events_stored_) + "\n";
  out += "helpmark_events_total{outcome=\"duplicate\"} " + std::to_string(events_duplicate_) + "\n";
  out += "helpmark_events_total{outcome=\"rejected\"} " + std::to_string(events_rejected_) + "\n";

  out += "# HELP helpmark_index_documents Articles in the index (all statuses).\n";
  out += "# TYPE helpmark_index_documents gauge\n";
  out += "helpmark_index_documents " + std::to_string(index.documents) + "\n";
  out += "# HELP helpmark_index_generation Index versions loaded by this server (1 at start, +1 per reopen).\n";
  out += "# TYPE helpmark_index_generation gauge\n";
  out += "helpmark_index_generation " + std::to_string(index.generation) + "\n";
  out += "# HELP helpmark_index_commit_timestamp_seconds When the loaded index version was committed (Unix time).\n";
  out += "# TYPE helpmark_index_commit_timestamp_seconds gauge\n";
  out += "helpmark_index_commit_timestamp_seconds " + number(index.commit_time_seconds) + "\n";
  return out;
}

}  // namespace helpmark::cli::serve
