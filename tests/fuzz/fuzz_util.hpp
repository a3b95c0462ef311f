// Shared by the libFuzzer harnesses: splitting one input into several fields, and a small
// fixed index of tests/data/kb-small built once per process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hmfuzz {

/// Splits `data` on '\x01' into at most `n` fields (missing fields are empty), so one input
/// can drive a query, a locale and a filter at once.
inline std::vector<std::string> fields(const std::uint8_t* data, std::size_t size, std::size_t n) {
  std::vector<std::string> out(n);
  std::size_t f = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0x01 && f + 1 < n) {
      ++f;
      continue;
    }
    out[f] += static_cast<char>(data[i]);
  }
  return out;
}

/// A directory holding an index of tests/data/kb-small, built with the library on first use
/// (HELPMARK_FUZZ_DATA names tests/data; the CMake test sets it).
std::filesystem::path small_index();

}  // namespace hmfuzz
