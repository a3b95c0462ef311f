// What `helpmark track` and `helpmark report` share: where the event store is, durations and
// dates on the command line, and the privacy patterns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "helpmark/status.hpp"
#include "helpmark/tracking.hpp"

namespace helpmark::cli {

/// $HELPMARK_STORE, else events.sqlite beside the index directory: with the default index
/// (.helpmark/index) that is .helpmark/events.sqlite.
std::string default_store_path(const std::string& index_dir = "");

/// "24h", "90m", "45s", "2d", "1w" (and "400d" for prune) in milliseconds; nullopt otherwise.
std::optional<std::int64_t> parse_duration_ms(std::string_view text);

/// A DATE (YYYY-MM-DD, midnight UTC) or an ISO 8601 timestamp, in milliseconds. With
/// `end_of_day`, a bare DATE means the end of that day (the start of the next), so
/// `--to 2026-11-30` includes the 30th.
std::optional<std::int64_t> parse_date_or_time(std::string_view text, bool end_of_day = false);

/// The extra scrub patterns: --privacy FILE when given, else $HELPMARK_PRIVACY, else
/// privacy.yaml beside the store when that file exists, else none.
Result<std::vector<tracking::ScrubPattern>> scrub_patterns_for(const std::string& privacy_flag,
                                                               const std::string& store_path);

}  // namespace helpmark::cli
