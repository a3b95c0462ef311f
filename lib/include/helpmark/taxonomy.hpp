// The journey taxonomy: journeys, their sub-topics, labels per locale, review intervals, tags.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "helpmark/status.hpp"

namespace helpmark {

/// Labels keyed by locale ("en", "pt-BR").
using Labels = std::map<std::string, std::string, std::less<>>;

struct Subtopic {
  std::string id;
  Labels labels;
  std::vector<std::string> articles;  ///< Optional `articles:` list: featured article ids.
};

struct Journey {
  std::string id;
  Labels labels;
  int review_every_days = 0;  ///< Default review interval of its articles; 0 = none.
  std::vector<Subtopic> subtopics;
  std::vector<std::string> articles;  ///< Optional `articles:` list: featured article ids.
};

/// The taxonomy of a knowledge base, loaded from `<dir>/journeys.yaml`.
/// Immutable after load: thread-safe for concurrent const use.
class Taxonomy {
 public:
  /// Loads and validates `<dir>/journeys.yaml`. Errors name the file and line.
  static Result<Taxonomy> load(const std::filesystem::path& dir);
  /// Parses taxonomy YAML text; `path` is only used in messages.
  static Result<Taxonomy> parse(std::string_view yaml, const std::string& path);

  const std::string& default_locale() const { return default_locale_; }
  const std::vector<std::string>& locales() const { return locales_; }
  const std::vector<Journey>& journeys() const { return journeys_; }
  const std::vector<std::string>& tags() const { return tags_; }

  const Journey* find_journey(std::string_view id) const;
  const Subtopic* find_subtopic(const Journey& journey, std::string_view id) const;
  bool has_tag(std::string_view tag) const;
  /// The label of a journey or sub-topic id in `locale`, falling back to the default locale,
  /// then to the id itself.
  std::string label(std::string_view id, std::string_view locale) const;
  /// "onboarding, payments, ..." for error messages.
  std::string journey_names() const;
  /// A stable fingerprint of the whole taxonomy; a change re-indexes every article.
  const std::string& fingerprint() const { return fingerprint_; }
  /// The YAML it was parsed from (the index keeps it, so a server can show the labels).
  const std::string& source() const { return source_; }

 private:
  std::string default_locale_ = "en";
  std::vector<std::string> locales_;
  std::vector<Journey> journeys_;
  std::vector<std::string> tags_;
  std::string fingerprint_;
  std::string source_;
};

/// Parses an interval such as "180d", "26w", "6m" (30-day months) or "1y" into days.
/// Returns -1 when the text is not an interval.
int parse_interval_days(std::string_view text);

}  // namespace helpmark
