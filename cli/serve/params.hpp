// Reading and checking the query parameters of an HTTP request: every name must be known,
// every value valid UTF-8, numbers in range. Failures are kInvalidArgument Statuses whose
// message names the parameter (they become 400 responses).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "helpmark/status.hpp"

namespace helpmark::cli::serve {

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points over
/// U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// Thread-compatible; wraps the parameters of one request (names and values already decoded).
class Params {
 public:
  explicit Params(const std::multimap<std::string, std::string>& params) : params_(params) {}

  /// Fails on a name not in `allowed`, and on any name or value that is not valid UTF-8.
  Status check(std::initializer_list<std::string_view> allowed) const;

  /// A parameter given at most once; `out` is left alone when it is absent.
  Status text(const std::string& name, std::string& out) const;
  /// A parameter that may repeat, each value also split on ',' (as the CLI's --journey a,b).
  Status list(const std::string& name, std::vector<std::string>& out) const;
  /// A decimal integer in [min, max], given at most once.
  Status size(const std::string& name, std::size_t min, std::size_t max, std::size_t& out) const;
  /// A decimal number in [min, max], given at most once.
  Status real(const std::string& name, double min, double max, std::optional<double>& out) const;

 private:
  const std::multimap<std::string, std::string>& params_;
};

}  // namespace helpmark::cli::serve
