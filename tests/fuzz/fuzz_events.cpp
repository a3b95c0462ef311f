// Event JSON, single and batched, as POST /v1/events and `track import` read it: the nesting
// guard, nlohmann's parser, event_from_json and validation with scrubbing.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <sstream>
#include <string>

#include "helpmark/json.hpp"
#include "helpmark/tracking.hpp"
#include "tracking/event.hpp"

namespace {

void one(const std::string& text) {
  static const helpmark::tracking::Scrubber scrubber;
  auto event = helpmark::tracking::event_from_json(text);
  if (!event.ok()) return;
  auto stored = helpmark::tracking::detail::normalize(event.value(), scrubber);
  if (stored.ok()) (void)helpmark::tracking::event_to_json(stored->event);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  one(body);
  // A batch: a JSON array (the server's path) ...
  if (helpmark::json::check_nesting(body).ok()) {
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_array())
      for (const auto& item : parsed) one(item.dump());
  }
  // ... or JSON lines.
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) one(line);
  return 0;
}
