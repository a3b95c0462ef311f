// Validation and the stored form of tracking events (internal).
#pragma once

#include <cstdint>
#include <string>

#include "helpmark/status.hpp"
#include "helpmark/tracking.hpp"

namespace helpmark::tracking::detail {

/// An event ready to store: validated, its texts scrubbed, `ts` canonical, `id` set.
struct StoredEvent {
  Event event;
  std::int64_t ts_ms = 0;
};

/// Validates `event` and returns its stored form, or kInvalidInput saying what is wrong
/// ("missing field 'article'", "field 'query' is 2301 bytes; the limit is 2000").
Result<StoredEvent> normalize(const Event& event, const Scrubber& scrubber);

/// The id derived from an event's canonical JSON (without its id) and its time in ms: 32 hex
/// digits, the first 12 of them the time, so ids sort by time.
std::string derive_id(const Event& event, std::int64_t ts_ms);

/// Joins result ids with '\n' (ids never hold control characters) and splits them back.
std::string join_ids(const std::vector<std::string>& ids);
std::vector<std::string> split_ids(std::string_view joined);

/// Filters as canonical JSON text ("" when empty) and back.
std::string filters_to_json(const std::map<std::string, std::vector<std::string>>& filters);
std::map<std::string, std::vector<std::string>> filters_from_json(std::string_view json);

}  // namespace helpmark::tracking::detail
