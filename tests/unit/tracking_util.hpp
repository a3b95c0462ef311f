// Helpers for the tracking tests: stores in temporary directories, events in one line.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "helpmark/tracking.hpp"
#include "test_util.hpp"

namespace hmtest {

inline const fs::path kTrackingData = kTestData / "tracking";

/// Opens (creating) a store and requires success.
inline helpmark::tracking::EventStore open_store(const fs::path& path,
                                                 helpmark::tracking::StoreOptions options = {}) {
  auto store = helpmark::tracking::EventStore::open(path, options);
  REQUIRE_MESSAGE(store.ok(), store.status().message());
  return std::move(store).value();
}

/// An event from its JSONL form; the JSON must be valid.
inline helpmark::tracking::Event event(std::string_view json) {
  auto e = helpmark::tracking::event_from_json(json);
  REQUIRE_MESSAGE(e.ok(), e.status().message(), " in ", json);
  return e.value();
}

/// Imports a fixture file and requires it to be stored completely.
inline void import_ok(helpmark::tracking::EventStore& store, const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in);
  auto r = store.import_jsonl(in, file.filename().string());
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  INFO((r->errors.empty() ? std::string() : r->errors.front().to_string()));
  REQUIRE(r->rejected == 0);
}

/// Every line of the store's export.
inline std::vector<std::string> export_lines(helpmark::tracking::EventStore& store,
                                             const helpmark::tracking::ExportOptions& options = {}) {
  std::ostringstream out;
  auto n = store.export_jsonl(out, options);
  REQUIRE_MESSAGE(n.ok(), n.status().message());
  std::vector<std::string> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  CHECK(lines.size() == n.value());
  return lines;
}

inline std::size_t event_count(helpmark::tracking::EventStore& store) {
  auto info = store.info();
  REQUIRE_MESSAGE(info.ok(), info.status().message());
  return info->events;
}

}  // namespace hmtest
