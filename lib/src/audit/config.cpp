// taxonomy/audit.yaml: strict, so a typo in a check id or a key is an error instead of a
// setting silently not applied.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "helpmark/audit.hpp"
#include "util/text.hpp"
#include "util/yaml_input.hpp"

namespace helpmark {
namespace {

struct ConfigError {
  int line;
  std::string message;
};

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

void expect_map(const YAML::Node& node, const char* what) {
  if (!node.IsMap()) throw ConfigError{line_of(node), std::string(what) + " must be a map of key: value"};
}

void check_keys(const YAML::Node& node, const char* what, std::initializer_list<const char*> known) {
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    bool found = false;
    std::string names;
    for (const char* k : known) {
      found = found || key == k;
      if (!names.empty()) names += ", ";
      names += k;
    }
    if (!found)
      throw ConfigError{line_of(kv.first), "unknown key `" + key + "` in " + what + "; known keys: " + names};
  }
}

std::string scalar(const YAML::Node& node, const char* what) {
  if (!node.IsScalar()) throw ConfigError{line_of(node), std::string(what) + " must be a single value"};
  return std::string(text::trim(node.Scalar()));
}

int interval(const YAML::Node& node, const char* what) {
  std::string value = scalar(node, what);
  int days = parse_interval_days(value);
  if (days < 0)
    throw ConfigError{line_of(node), std::string(what) + " '" + value +
                                         "' is not an interval; write e.g. 180d, 26w, 6m or 1y"};
  return days;
}

std::size_t count(const YAML::Node& node, const char* what) {
  std::string value = scalar(node, what);
  if (value.empty() || value.size() > 9 || value.find_first_not_of("0123456789") != std::string::npos)
    throw ConfigError{line_of(node), std::string(what) + " '" + value + "' must be a whole number (0 = off)"};
  return static_cast<std::size_t>(std::stoul(value));
}

double ratio(const YAML::Node& node, const char* what) {
  std::string value = scalar(node, what);
  double out = -1;
  try {
    std::size_t used = 0;
    out = std::stod(value, &used);
    if (used != value.size()) out = -1;
  } catch (const std::exception&) {
    out = -1;
  }
  if (!(out >= 0.0 && out <= 1.0))
    throw ConfigError{line_of(node), std::string(what) + " '" + value + "' must be a number from 0 to 1"};
  return out;
}

bool boolean(const YAML::Node& node, const char* what) {
  std::string value = scalar(node, what);
  if (value == "true" || value == "yes") return true;
  if (value == "false" || value == "no") return false;
  throw ConfigError{line_of(node), std::string(what) + " must be true or false"};
}

std::vector<std::string> strings(const YAML::Node& node, const char* what) {
  std::vector<std::string> out;
  if (node.IsNull()) return out;
  if (node.IsScalar()) {
    out.push_back(scalar(node, what));
    return out;
  }
  if (!node.IsSequence()) throw ConfigError{line_of(node), std::string(what) + " must be a list such as [a, b]"};
  for (const auto& item : node) out.push_back(scalar(item, what));
  return out;
}

std::vector<std::string> sections(const YAML::Node& node, const char* what) {
  std::vector<std::string> out = strings(node, what);
  for (const auto& s : out)
    if (s != "summary" && s != "steps" && s != "troubleshooting" && s != "related")
      throw ConfigError{line_of(node), "section '" + s + "' in " + what +
                                           " is not one of summary, steps, troubleshooting, related"};
  return out;
}

std::vector<std::string> check_patterns(const YAML::Node& node, const char* what) {
  std::vector<std::string> out = strings(node, what);
  for (const auto& p : out)
    if (!is_audit_check_pattern(p))
      throw ConfigError{line_of(node), "unknown check '" + p + "' in " + what +
                                           "; use an id such as orphans/unlinked or a family such as orphans"};
  return out;
}

}  // namespace

Result<AuditConfig> AuditConfig::load(const std::filesystem::path& taxonomy_dir) {
  const auto file = taxonomy_dir / "audit.yaml";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return AuditConfig{};
  return load_file(file);
}

Result<AuditConfig> AuditConfig::load_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return Status(ErrorCode::kNotFound, file.string() + ": audit settings file not found");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, file.string() + ": cannot read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), file.string());
}

Result<AuditConfig> AuditConfig::parse(std::string_view yaml, const std::string& path) {
  auto fail = [&](int line, const std::string& message) {
    return Status(ErrorCode::kInvalidInput,
                  path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message);
  };
  if (std::size_t bad = text::find_invalid_utf8(yaml); bad != std::string_view::npos)
    return fail(text::line_of_offset(yaml, bad), "invalid UTF-8; save the file as UTF-8");
  AuditConfig config;
  config.path = path;
  try {
    YAML::Node root = yaml_input::load(yaml);
    if (root.IsNull()) return config;
    expect_map(root, "audit.yaml");
    check_keys(root, "audit.yaml",
               {"review", "required_sections", "limits", "translations", "effectiveness", "ignore", "severity"});

    if (const auto review = root["review"]) {
      expect_map(review, "review");
      check_keys(review, "review", {"default_every", "journeys"});
      if (review["default_every"]) config.default_review_days = interval(review["default_every"], "review.default_every");
      if (const auto journeys = review["journeys"]) {
        expect_map(journeys, "review.journeys");
        for (const auto& kv : journeys) {
          const std::string journey = scalar(kv.first, "a journey id");
          config.journey_review_days[journey] = interval(kv.second, "review.journeys");
          config.lines["review.journeys." + journey] = line_of(kv.first);
        }
      }
    }
    if (const auto required = root["required_sections"]) {
      expect_map(required, "required_sections");
      check_keys(required, "required_sections", {"default", "journeys", "types"});
      if (required["default"])
        config.default_required_sections = sections(required["default"], "required_sections.default");
      for (auto [key, target] : {std::pair{"journeys", &config.journey_required_sections},
                                 std::pair{"types", &config.type_required_sections}}) {
        if (const auto by = required[key]) {
          expect_map(by, key);
          for (const auto& kv : by) {
            const std::string name = scalar(kv.first, key);
            (*target)[name] = sections(kv.second, "required_sections");
            config.lines[std::string("required_sections.") + key + "." + name] = line_of(kv.first);
          }
        }
      }
    }
    if (const auto limits = root["limits"]) {
      expect_map(limits, "limits");
      check_keys(limits, "limits", {"max_words", "max_sentence_words", "body_similarity", "title_similarity"});
      if (limits["max_words"]) config.max_words = count(limits["max_words"], "limits.max_words");
      if (limits["max_sentence_words"])
        config.max_sentence_words = count(limits["max_sentence_words"], "limits.max_sentence_words");
      if (limits["body_similarity"]) config.body_similarity = ratio(limits["body_similarity"], "limits.body_similarity");
      if (limits["title_similarity"])
        config.title_similarity = ratio(limits["title_similarity"], "limits.title_similarity");
    }
    if (const auto translations = root["translations"]) {
      expect_map(translations, "translations");
      check_keys(translations, "translations", {"required_locales", "coverage_summary"});
      if (const auto locales = translations["required_locales"]) {
        config.required_locales = strings(locales, "translations.required_locales");
        for (std::size_t i = 0; i < config.required_locales.size(); ++i)
          config.lines["translations.required_locales." + config.required_locales[i]] =
              line_of(locales.IsSequence() ? locales[i] : locales);
      }
      if (translations["coverage_summary"])
        config.coverage_summary = boolean(translations["coverage_summary"], "translations.coverage_summary");
    }
    if (const auto eff = root["effectiveness"]) {
      expect_map(eff, "effectiveness");
      check_keys(eff, "effectiveness",
                 {"window", "min_views", "min_helpful_ratio", "max_ticket_rate", "min_zero_result_searches"});
      if (eff["window"]) config.window_days = interval(eff["window"], "effectiveness.window");
      if (eff["min_views"]) config.min_views = count(eff["min_views"], "effectiveness.min_views");
      if (eff["min_helpful_ratio"]) config.min_helpful_ratio = ratio(eff["min_helpful_ratio"], "effectiveness.min_helpful_ratio");
      if (eff["max_ticket_rate"]) config.max_ticket_rate = ratio(eff["max_ticket_rate"], "effectiveness.max_ticket_rate");
      if (eff["min_zero_result_searches"])
        config.min_zero_result_searches = count(eff["min_zero_result_searches"], "effectiveness.min_zero_result_searches");
    }
    if (root["ignore"]) config.ignore = check_patterns(root["ignore"], "ignore");
    if (const auto severity = root["severity"]) {
      expect_map(severity, "severity");
      for (const auto& kv : severity) {
        std::string id = scalar(kv.first, "a check id");
        if (!find_audit_check(id))
          throw ConfigError{line_of(kv.first), "unknown check '" + id + "' in severity; use a full id such as "
                                                                         "structure/long-sentence"};
        AuditSeverity level;
        std::string value = scalar(kv.second, "a severity");
        if (!parse_audit_severity(value, level))
          throw ConfigError{line_of(kv.second), "severity '" + value + "' is not one of error, warning, info"};
        config.severity[id] = level;
      }
    }
  } catch (const ConfigError& e) {
    return fail(e.line, e.message);
  } catch (const YAML::Exception& e) {
    return fail(e.mark.line + 1, "malformed YAML: " + e.msg);
  }
  return config;
}

}  // namespace helpmark
