// Splitting a file into its YAML front matter and Markdown body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace helpmark::article {

struct FrontMatterSplit {
  bool ok = false;
  std::string_view yaml;     ///< Between the fences.
  std::string_view body;     ///< After the closing fence.
  int yaml_first_line = 2;   ///< File line of the first YAML line.
  int body_first_line = 1;   ///< File line of the first body line.
  int error_line = 0;
  std::string error;         ///< Why there is no front matter, with the fix.
};

/// Finds the `---` fenced YAML block that must open an article. A UTF-8 byte-order mark and
/// CRLF line ends are accepted.
FrontMatterSplit split_front_matter(std::string_view text);

/// A YAML value as front matter uses it, as yaml-cpp would give it: null, a scalar, a sequence
/// or a map, each with the 0-based line of its start within the YAML text (yaml-cpp's Mark).
struct YamlEntry;

struct YamlValue {
  enum class Type { kNull, kScalar, kSequence, kMap };
  Type type = Type::kNull;
  int line = 0;
  std::string scalar;                                     ///< A scalar's text; "" otherwise.
  std::vector<YamlValue> items;                           ///< A sequence's items.
  std::vector<YamlEntry> entries;                         ///< A map's keys and values, in order.

  /// The value of the first entry whose key is the scalar `key` (as yaml-cpp's `node[key]`),
  /// or nullptr.
  const YamlValue* find(std::string_view key) const;
};

/// A key and its value. Not std::pair: a pair of a type still being defined is undefined, and
/// clang's libstdc++ checks refuse it (the fuzz build).
struct YamlEntry {
  YamlEntry(YamlValue key, YamlValue value) : first(std::move(key)), second(std::move(value)) {}
  YamlValue first;
  YamlValue second;
};

/// Reads front-matter YAML. The common shape (top-level `key: value` lines with plain or
/// quoted scalars, `[a, b]` lists and `- item` lists) is read directly, which is many times
/// faster; anything else (maps, block scalars, anchors, escapes, comments after values ...) is
/// read by yaml-cpp. Both give the same result. Throws YAML::Exception on malformed YAML.
YamlValue read_front_matter_yaml(std::string_view yaml);

/// The direct reader alone: nullopt when `yaml` is not in the common shape.
std::optional<YamlValue> read_front_matter_yaml_directly(std::string_view yaml);

/// The same, always with yaml-cpp (for tests that compare the two).
YamlValue read_front_matter_yaml_with_yaml_cpp(std::string_view yaml);

}  // namespace helpmark::article
