#include "helpmark/taxonomy.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "util/text.hpp"
#include "util/yaml_input.hpp"

namespace helpmark {
namespace {

// Raised inside parse() only, to unwind to one place that turns it into a Status.
struct TaxonomyError {
  int line;
  std::string message;
};

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

std::string scalar(const YAML::Node& node, const char* what) {
  if (!node.IsScalar()) throw TaxonomyError{line_of(node), std::string(what) + " must be a string"};
  std::string value(text::trim(node.Scalar()));
  if (value.empty()) throw TaxonomyError{line_of(node), std::string(what) + " must not be empty"};
  return value;
}

Labels labels_of(const YAML::Node& node, const std::set<std::string>& locales) {
  Labels labels;
  if (!node) return labels;
  if (!node.IsMap()) throw TaxonomyError{line_of(node), "labels must be a map of locale: label"};
  for (const auto& kv : node) {
    std::string locale = scalar(kv.first, "a label's locale");
    if (!locales.count(locale))
      throw TaxonomyError{line_of(kv.first), "label for locale '" + locale +
                                                 "' which is not in `locales`; add it there or "
                                                 "remove the label"};
    labels[locale] = scalar(kv.second, "a label");
  }
  return labels;
}

int interval_of(const YAML::Node& node) {
  if (!node) return 0;
  std::string value = scalar(node, "review_every");
  int days = parse_interval_days(value);
  if (days < 0)
    throw TaxonomyError{line_of(node), "review_every '" + value +
                                           "' is not an interval; write e.g. 180d, 26w, 6m or 1y"};
  return days;
}

// The optional `articles: [id, ...]` list of a journey or sub-topic.
std::vector<std::string> article_ids_of(const YAML::Node& node) {
  std::vector<std::string> ids;
  if (!node || node.IsNull()) return ids;
  if (!node.IsSequence()) throw TaxonomyError{line_of(node), "articles must be a list of article ids"};
  for (const auto& item : node) ids.push_back(scalar(item, "an article id"));
  return ids;
}

}  // namespace

int parse_interval_days(std::string_view s) {
  s = text::trim(s);
  if (s.size() < 2) return -1;
  char unit = s.back();
  std::string_view number = s.substr(0, s.size() - 1);
  long n = 0;
  for (char c : number) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
    if (n > 100000) return -1;
  }
  switch (unit) {
    case 'd': return static_cast<int>(n);
    case 'w': return static_cast<int>(n * 7);
    case 'm': return static_cast<int>(n * 30);
    case 'y': return static_cast<int>(n * 365);
    default: return -1;
  }
}

Result<Taxonomy> Taxonomy::load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return Status(ErrorCode::kNotFound, dir.string() +
                                            ": taxonomy directory not found; pass --taxonomy DIR "
                                            "(a directory holding journeys.yaml)");
  const auto file = dir / "journeys.yaml";
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Status(ErrorCode::kNotFound,
                  file.string() + ": cannot read the taxonomy file; every knowledge base needs "
                                  "one (see docs/articles.md, \"Taxonomy format\")");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), file.string());
}

Result<Taxonomy> Taxonomy::parse(std::string_view yaml, const std::string& path) {
  auto fail = [&](int line, const std::string& message) {
    return Status(ErrorCode::kInvalidInput,
                  path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message);
  };
  if (std::size_t bad = text::find_invalid_utf8(yaml); bad != std::string_view::npos)
    return fail(text::line_of_offset(yaml, bad), "invalid UTF-8; save the file as UTF-8");

  Taxonomy taxonomy;
  try {
    YAML::Node root = yaml_input::load(yaml);
    if (!root.IsMap()) return fail(1, "expected a map with `journeys:`");

    if (root["locales"]) {
      if (!root["locales"].IsSequence())
        return fail(line_of(root["locales"]), "locales must be a list such as [en, es]");
      for (const auto& l : root["locales"]) taxonomy.locales_.push_back(scalar(l, "a locale"));
    }
    if (root["default_locale"]) taxonomy.default_locale_ = scalar(root["default_locale"], "default_locale");
    if (taxonomy.locales_.empty()) taxonomy.locales_.push_back(taxonomy.default_locale_);
    std::set<std::string> locales(taxonomy.locales_.begin(), taxonomy.locales_.end());
    if (!locales.count(taxonomy.default_locale_))
      return fail(line_of(root["default_locale"]), "default_locale '" + taxonomy.default_locale_ +
                                                       "' is not in `locales`");

    const YAML::Node journeys = root["journeys"];
    if (!journeys || !journeys.IsSequence() || journeys.size() == 0)
      return fail(journeys ? line_of(journeys) : 1,
                  "`journeys` must be a non-empty list of {id, labels, subtopics}");
    std::set<std::string> seen_journeys, seen_subtopics;
    for (const auto& jn : journeys) {
      if (!jn.IsMap()) return fail(line_of(jn), "each journey must be a map with an `id`");
      Journey journey;
      if (!jn["id"]) return fail(line_of(jn), "journey without `id`");
      journey.id = scalar(jn["id"], "a journey id");
      if (!seen_journeys.insert(journey.id).second)
        return fail(line_of(jn["id"]), "duplicate journey id '" + journey.id + "'");
      journey.labels = labels_of(jn["labels"], locales);
      journey.review_every_days = interval_of(jn["review_every"]);
      journey.articles = article_ids_of(jn["articles"]);
      if (const auto subs = jn["subtopics"]) {
        if (!subs.IsSequence()) return fail(line_of(subs), "subtopics must be a list");
        for (const auto& sn : subs) {
          Subtopic sub;
          if (!sn.IsMap() || !sn["id"])
            return fail(line_of(sn), "each sub-topic must be a map with an `id`");
          sub.id = scalar(sn["id"], "a sub-topic id");
          if (!seen_subtopics.insert(sub.id).second)
            return fail(line_of(sn["id"]), "duplicate sub-topic id '" + sub.id +
                                               "'; sub-topic ids are unique across journeys");
          sub.labels = labels_of(sn["labels"], locales);
          sub.articles = article_ids_of(sn["articles"]);
          journey.subtopics.push_back(std::move(sub));
        }
      }
      taxonomy.journeys_.push_back(std::move(journey));
    }
    if (const auto tags = root["tags"]) {
      if (!tags.IsSequence()) return fail(line_of(tags), "tags must be a list");
      std::set<std::string> seen;
      for (const auto& t : tags) {
        std::string tag = scalar(t, "a tag");
        if (!seen.insert(tag).second) return fail(line_of(t), "duplicate tag '" + tag + "'");
        taxonomy.tags_.push_back(tag);
      }
    }
  } catch (const TaxonomyError& e) {
    return fail(e.line, e.message);
  } catch (const YAML::Exception& e) {
    return fail(e.mark.line + 1, "malformed YAML: " + e.msg);
  }
  taxonomy.fingerprint_ = text::hex64(text::fnv1a64(yaml));
  taxonomy.source_ = std::string(yaml);
  return taxonomy;
}

const Journey* Taxonomy::find_journey(std::string_view id) const {
  for (const auto& j : journeys_)
    if (j.id == id) return &j;
  return nullptr;
}

const Subtopic* Taxonomy::find_subtopic(const Journey& journey, std::string_view id) const {
  for (const auto& s : journey.subtopics)
    if (s.id == id) return &s;
  return nullptr;
}

bool Taxonomy::has_tag(std::string_view tag) const {
  for (const auto& t : tags_)
    if (t == tag) return true;
  return false;
}

std::string Taxonomy::label(std::string_view id, std::string_view locale) const {
  auto pick = [&](const Labels& labels) -> std::string {
    if (auto it = labels.find(locale); it != labels.end()) return it->second;
    if (auto it = labels.find(default_locale_); it != labels.end()) return it->second;
    return std::string(id);
  };
  for (const auto& j : journeys_) {
    if (j.id == id) return pick(j.labels);
    for (const auto& s : j.subtopics)
      if (s.id == id) return pick(s.labels);
  }
  return std::string(id);
}

std::string Taxonomy::journey_names() const {
  std::vector<std::string> names;
  for (const auto& j : journeys_) names.push_back(j.id);
  return text::join(names, ", ");
}

}  // namespace helpmark
