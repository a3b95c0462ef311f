#include "article/front_matter.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <optional>

#include "util/yaml_input.hpp"

namespace helpmark::article {
namespace {

bool is_fence(std::string_view line, std::string_view fence) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  return line == fence;
}

}  // namespace

FrontMatterSplit split_front_matter(std::string_view text) {
  FrontMatterSplit out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t eol = text.find('\n');
  if (!is_fence(text.substr(0, eol), "---")) {
    out.error_line = 1;
    out.error =
        "missing front matter: the file must start with a line '---', then at least `title:` "
        "and `journey:`, then a closing '---'";
    return out;
  }
  if (eol == std::string_view::npos) {
    out.error_line = 1;
    out.error = "front matter is not closed: add a line '---' after the YAML fields";
    return out;
  }
  std::size_t line_start = eol + 1;
  int line = 2;
  while (line_start <= text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    std::string_view current = text.substr(line_start, line_end == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : line_end - line_start);
    if (is_fence(current, "---") || is_fence(current, "...")) {
      out.ok = true;
      out.yaml = text.substr(eol + 1, line_start - eol - 1);
      out.yaml_first_line = 2;
      out.body = line_end == std::string_view::npos ? std::string_view() : text.substr(line_end + 1);
      out.body_first_line = line + 1;
      return out;
    }
    if (line_end == std::string_view::npos) break;
    line_start = line_end + 1;
    ++line;
  }
  out.error_line = 1;
  out.error = "front matter is not closed: add a line '---' after the YAML fields";
  return out;
}

const YamlValue* YamlValue::find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k.type == Type::kScalar && k.scalar == key) return &v;
  return nullptr;
}

namespace {

YamlValue from_yaml_cpp(const YAML::Node& node) {
  YamlValue out;
  out.line = node.Mark().line;
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      out.type = YamlValue::Type::kScalar;
      out.scalar = node.Scalar();
      break;
    case YAML::NodeType::Sequence:
      out.type = YamlValue::Type::kSequence;
      for (const auto& item : node) out.items.push_back(from_yaml_cpp(item));
      break;
    case YAML::NodeType::Map:
      out.type = YamlValue::Type::kMap;
      for (const auto& kv : node) out.entries.emplace_back(from_yaml_cpp(kv.first), from_yaml_cpp(kv.second));
      break;
    default:
      break;
  }
  return out;
}

// The direct reader. It accepts only lines whose meaning is beyond doubt and gives up
// (nullopt) on anything else, which yaml-cpp then reads: a wrong guess here would change what
// an article says, a refusal only costs time.

bool is_null_word(std::string_view s) { return s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// A plain scalar that yaml-cpp reads as exactly these characters in block context (flow context
// when `in_flow`): no indicator first, no ": " or " #" inside, nothing that starts a comment,
// ends a flow item or needs a second look.
bool plain_scalar_ok(std::string_view s, bool in_flow) {
  if (s.empty() || is_null_word(s)) return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos) return false;
  if (s.back() == ':' || s.back() == ' ') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':' && (in_flow || (i + 1 < s.size() && s[i + 1] == ' '))) return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
    if (in_flow && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == '"' || c == '\'')) return false;
  }
  return true;
}

// A value after "key: " or "- ": a quoted or plain scalar, or (not in a list item) a one-line
// [a, b] list.
std::optional<YamlValue> simple_value(std::string_view v, int line, bool allow_list) {
  YamlValue out;
  out.line = line;
  out.type = YamlValue::Type::kScalar;
  const char q = v.front();
  if (q == '"' || q == '\'') {
    const std::size_t close = v.find(q, 1);
    if (close == std::string_view::npos || close + 1 != v.size()) return std::nullopt;
    out.scalar = std::string(v.substr(1, close - 1));
    if (q == '"' && out.scalar.find('\\') != std::string::npos) return std::nullopt;  // escapes
    return out;
  }
  if (q == '[') {
    if (!allow_list || v.back() != ']') return std::nullopt;
    out.type = YamlValue::Type::kSequence;
    std::string_view inside = v.substr(1, v.size() - 2);
    while (!inside.empty() && inside.front() == ' ') inside.remove_prefix(1);
    while (!inside.empty() && inside.back() == ' ') inside.remove_suffix(1);
    if (inside.empty()) return out;
    for (std::size_t pos = 0;;) {
      std::size_t comma = inside.find(',', pos);
      std::string_view item = inside.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!plain_scalar_ok(item, /*in_flow=*/true)) return std::nullopt;
      YamlValue element;
      element.type = YamlValue::Type::kScalar;
      element.line = line;
      element.scalar = std::string(item);
      out.items.push_back(std::move(element));
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
    return out;
  }
  if (!plain_scalar_ok(v, /*in_flow=*/false)) return std::nullopt;
  out.scalar = std::string(v);
  return out;
}

}  // namespace

std::optional<YamlValue> read_front_matter_yaml_directly(std::string_view yaml) {
  // Bytes that could mean something other than they seem: tabs, carriage returns and other
  // controls, a byte-order mark, Unicode line breaks (NEL, LS, PS).
  for (std::size_t i = 0; i < yaml.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(yaml[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return std::nullopt;
    if (c == 0xEF || c == 0xC2 || c == 0xE2) {
      const std::string_view rest = yaml.substr(i);
      if (rest.starts_with("\xEF\xBB\xBF") || rest.starts_with("\xC2\x85") || rest.starts_with("\xE2\x80\xA8") ||
          rest.starts_with("\xE2\x80\xA9"))
        return std::nullopt;
    }
  }
  YamlValue root;
  root.type = YamlValue::Type::kMap;
  YamlValue* open_list = nullptr;  // the value of a `key:` line with nothing after the colon
  int list_indent = -1;
  int line = 0;
  for (std::size_t pos = 0; pos < yaml.size(); ++line) {
    std::size_t end = yaml.find('\n', pos);
    if (end == std::string_view::npos) end = yaml.size();
    std::string_view text = yaml.substr(pos, end - pos);
    pos = end + 1;
    std::size_t indent = 0;
    while (indent < text.size() && text[indent] == ' ') ++indent;
    std::string_view rest = text.substr(indent);
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
    if (rest.empty()) continue;
    if (rest.front() == '#') {
      if (indent > 0) return std::nullopt;  // could belong to a value above
      continue;
    }
    if (rest.starts_with("- ") || rest == "-") {
      // An item of the list a `key:` line opened, all items at one indentation.
      if (!open_list || rest == "-") return std::nullopt;
      if (list_indent < 0) list_indent = static_cast<int>(indent);
      if (static_cast<int>(indent) != list_indent) return std::nullopt;
      std::string_view value = rest.substr(2);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (value.empty()) return std::nullopt;
      auto item = simple_value(value, line, /*allow_list=*/false);
      if (!item) return std::nullopt;
      if (open_list->type == YamlValue::Type::kNull) {
        open_list->type = YamlValue::Type::kSequence;
        open_list->line = line;
      }
      open_list->items.push_back(std::move(*item));
      continue;
    }
    if (indent > 0) return std::nullopt;
    if (open_list && open_list->type == YamlValue::Type::kNull) return std::nullopt;  // `key:` with no value
    open_list = nullptr;
    list_indent = -1;
    // key: value
    std::size_t colon = 0;
    while (colon < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[colon])) || rest[colon] == '_' ||
                                   (rest[colon] == '-' && colon > 0)))
      ++colon;
    if (colon == 0 || colon == rest.size() || rest[colon] != ':') return std::nullopt;
    const std::string_view key = rest.substr(0, colon);
    if (is_null_word(key) || root.find(key)) return std::nullopt;
    YamlValue key_value;
    key_value.type = YamlValue::Type::kScalar;
    key_value.line = line;
    key_value.scalar = std::string(key);
    std::string_view value = rest.substr(colon + 1);
    if (value.empty()) {
      YamlValue pending;
      pending.line = line;
      root.entries.emplace_back(std::move(key_value), std::move(pending));
      open_list = &root.entries.back().second;
      continue;
    }
    if (value.front() != ' ') return std::nullopt;
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    auto parsed = simple_value(value, line, /*allow_list=*/true);
    if (!parsed) return std::nullopt;
    root.entries.emplace_back(std::move(key_value), std::move(*parsed));
  }
  if (root.entries.empty()) return std::nullopt;
  if (open_list && open_list->type == YamlValue::Type::kNull) return std::nullopt;
  root.line = root.entries.front().first.line;  // yaml-cpp marks a map where its first key is
  return root;
}

YamlValue read_front_matter_yaml_with_yaml_cpp(std::string_view yaml) {
  return from_yaml_cpp(yaml_input::load(yaml));
}

YamlValue read_front_matter_yaml(std::string_view yaml) {
  if (auto simple = read_front_matter_yaml_directly(yaml)) return std::move(*simple);
  return read_front_matter_yaml_with_yaml_cpp(yaml);
}

}  // namespace helpmark::article
