#include "serve/params.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace helpmark::cli::serve {
namespace {

Status invalid(std::string message) { return Status(ErrorCode::kInvalidArgument, std::move(message)); }

// Names come from the request: quote them only when they are safe to show.
std::string shown(std::string_view name) {
  if (!is_valid_utf8(name) || name.size() > 64) return "(a parameter)";
  return "'" + std::string(name) + "'";
}

std::string shown_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

Status Params::check(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [name, value] : params_) {
    bool known = false;
    for (auto a : allowed) known = known || a == name;
    if (!known) {
      std::string names;
      for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      return invalid("unknown parameter " + shown(name) + "; expected one of: " + names);
    }
    if (!is_valid_utf8(value)) return invalid("parameter " + shown(name) + " is not valid UTF-8");
  }
  return Status::Ok();
}

Status Params::text(const std::string& name, std::string& out) const {
  auto [first, last] = params_.equal_range(name);
  if (first == last) return Status::Ok();
  if (std::next(first) != last) return invalid("parameter '" + name + "' is given more than once");
  out = first->second;
  return Status::Ok();
}

Status Params::list(const std::string& name, std::vector<std::string>& out) const {
  auto [first, last] = params_.equal_range(name);
  for (auto it = first; it != last; ++it) {
    std::string_view rest = it->second;
    while (true) {
      const std::size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      if (!item.empty()) out.emplace_back(item);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return Status::Ok();
}

Status Params::size(const std::string& name, std::size_t min, std::size_t max, std::size_t& out) const {
  std::string text_value;
  bool present = params_.count(name) > 0;
  if (Status s = text(name, text_value); !s.ok() || !present) return s;
  std::size_t value = 0;
  const char* begin = text_value.data();
  const char* end = begin + text_value.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  const std::string range = " (" + std::to_string(min) + "-" + std::to_string(max) + ")";
  if (text_value.empty() || ec == std::errc::invalid_argument || ptr != end)
    return invalid("parameter '" + name + "' must be a whole number" + range);
  if (ec == std::errc::result_out_of_range || value < min || value > max)
    return invalid("parameter '" + name + "' is out of range" + range);
  out = value;
  return Status::Ok();
}

Status Params::real(const std::string& name, double min, double max, std::optional<double>& out) const {
  std::string text_value;
  bool present = params_.count(name) > 0;
  if (Status s = text(name, text_value); !s.ok() || !present) return s;
  double value = 0;
  const char* begin = text_value.data();
  const char* end = begin + text_value.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text_value.empty() || ec != std::errc() || ptr != end || !std::isfinite(value) || value < min || value > max)
    return invalid("parameter '" + name + "' must be a number from " + shown_number(min) + " to " + shown_number(max));
  out = value;
  return Status::Ok();
}

}  // namespace helpmark::cli::serve
