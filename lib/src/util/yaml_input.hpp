// Loading YAML that a user or an attacker wrote (front matter, taxonomy, vocabulary, audit and
// privacy files) without the ways YAML can blow up.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string_view>

namespace helpmark::yaml_input {

/// YAML::Load, after refusing what no helpmark file needs and what can make a small file
/// expensive: anchors and aliases (362 bytes of nested aliases expand to gigabytes when the
/// tree is copied) and NUL bytes (yaml-cpp reports them as "unknown escape character"). Throws
/// YAML::ParserException with the offending line's mark and a message saying how to fix it,
/// like every other YAML error. Thread-safe.
YAML::Node load(std::string_view yaml);

}  // namespace helpmark::yaml_input
