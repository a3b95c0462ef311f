#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "article/front_matter.hpp"
#include "article/markdown.hpp"
#include "helpmark/article.hpp"
#include "util/locale_tag.hpp"
#include "util/text.hpp"

namespace helpmark {

const char* article_status_name(ArticleStatus status) {
  switch (status) {
    case ArticleStatus::kPublished: return "published";
    case ArticleStatus::kDraft: return "draft";
    case ArticleStatus::kArchived: return "archived";
  }
  return "published";
}

const char* section_kind_name(SectionKind kind) {
  switch (kind) {
    case SectionKind::kSummary: return "summary";
    case SectionKind::kSteps: return "steps";
    case SectionKind::kTroubleshooting: return "troubleshooting";
    case SectionKind::kRelated: return "related";
    case SectionKind::kOther: return "other";
  }
  return "other";
}

const Section* Article::section(SectionKind kind) const {
  for (const auto& s : sections)
    if (s.kind == kind) return &s;
  return nullptr;
}

namespace {

const std::set<std::string, std::less<>> kKnownFields = {
    "id", "title", "journey", "subtopic", "locale", "audience", "summary", "tags", "questions",
    "related", "owner", "reviewed", "review_every", "translation_of", "status", "audit"};
const char* const kAudiences[] = {"buyer", "seller", "partner"};

/// Longest id, tag, locale or `translation_of`: each is stored as a prefixed index term, and
/// Xapian's terms are at most 245 bytes.
constexpr std::size_t kMaxTermValueBytes = 200;

bool is_slug(std::string_view s) {
  if (s.empty() || s.size() > kMaxTermValueBytes) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

bool is_bcp47(std::string_view s) { return locale_tag::is_well_formed(s); }

using article::YamlValue;
using YamlType = article::YamlValue::Type;

// Reads one article's front matter, reporting each problem at its line.
class FrontMatterReader {
 public:
  FrontMatterReader(const std::string& path, int first_line, std::vector<Diagnostic>& diags)
      : path_(path), first_line_(first_line), diags_(diags) {}

  int line_of(const YamlValue& node) const { return node.line + first_line_; }

  void error(int line, std::string message) {
    diags_.push_back({Severity::kError, path_, line, std::move(message)});
    failed_ = true;
  }
  void warning(int line, std::string message) {
    diags_.push_back({Severity::kWarning, path_, line, std::move(message)});
  }
  bool failed() const { return failed_; }

  // A non-empty string field.
  bool string(const YamlValue& node, const char* field, std::string& out) {
    if (node.type != YamlType::kScalar) {
      error(line_of(node), std::string("`") + field + "` must be a single text value");
      return false;
    }
    out = std::string(text::trim(node.scalar));
    return true;
  }

  // A list of strings; a single string is accepted as a one-element list. `lines` (optional)
  // gets each entry's file line.
  bool list(const YamlValue& node, const char* field, std::vector<std::string>& out,
            std::vector<int>* lines = nullptr) {
    if (node.type == YamlType::kNull) return true;
    if (node.type == YamlType::kScalar) {
      out.emplace_back(text::trim(node.scalar));
      if (lines) lines->push_back(line_of(node));
      return true;
    }
    if (node.type != YamlType::kSequence) {
      error(line_of(node), std::string("`") + field + "` must be a list, e.g. [a, b]");
      return false;
    }
    for (const auto& item : node.items) {
      if (item.type != YamlType::kScalar) {
        error(line_of(item), std::string("every entry of `") + field + "` must be text");
        return false;
      }
      std::string value(text::trim(item.scalar));
      if (value.empty()) {
        error(line_of(item), std::string("empty entry in `") + field + "`");
        continue;
      }
      out.push_back(std::move(value));
      if (lines) lines->push_back(line_of(item));
    }
    return true;
  }

 private:
  const std::string& path_;
  int first_line_;
  std::vector<Diagnostic>& diags_;
  bool failed_ = false;
};

std::string default_id(const std::string& relative_path) {
  std::string name = relative_path.substr(relative_path.find_last_of('/') + 1);
  if (name.ends_with(".md")) name.resize(name.size() - 3);
  return name;
}

}  // namespace

std::optional<Article> parse_article(std::string_view text_in, const std::string& path,
                                     const Taxonomy& taxonomy, std::vector<Diagnostic>& diags) {
  auto error = [&](int line, std::string message) {
    diags.push_back({Severity::kError, path, line, std::move(message)});
    return std::nullopt;
  };
  if (text::trim(text_in).empty()) return error(0, "empty file: write front matter and a body, or delete it");
  if (std::size_t bad = text::find_invalid_utf8(text_in); bad != std::string_view::npos)
    return error(text::line_of_offset(text_in, bad),
                 "invalid UTF-8 at byte " + std::to_string(bad) + "; save the file as UTF-8");

  auto split = article::split_front_matter(text_in);
  if (!split.ok) return error(split.error_line, split.error);

  YamlValue root;
  try {
    root = article::read_front_matter_yaml(split.yaml);
  } catch (const YAML::Exception& e) {
    return error(e.mark.line + split.yaml_first_line,
                 "malformed YAML in front matter: " + e.msg +
                     " (quote values that contain ':' or '#')");
  }
  if (root.type != YamlType::kMap)
    return error(split.yaml_first_line, "front matter must be YAML fields such as `title: ...`");

  FrontMatterReader fm(path, split.yaml_first_line, diags);
  Article a;
  a.path = path;
  a.body_first_line = split.body_first_line;

  for (const auto& [key_node, value_node] : root.entries) {
    const std::string& key = key_node.scalar;
    // YAML allows a key twice and the first one is read: say so, the author meant one of them.
    if (auto first = a.field_lines.find(key); first != a.field_lines.end()) {
      fm.warning(fm.line_of(key_node), "duplicate field `" + key + "`: the value on line " +
                                           std::to_string(first->second) + " is used; remove one of them");
      continue;
    }
    a.field_lines[key] = fm.line_of(key_node);
    if (!kKnownFields.count(key))
      fm.warning(fm.line_of(key_node), "unknown field `" + key + "` is ignored; known fields: " +
                                           "id, title, journey, subtopic, locale, audience, summary, "
                                           "tags, questions, related, owner, reviewed, review_every, "
                                           "translation_of, status, audit");
  }

  auto field = [&](const char* name) { return root.find(name); };
  // The line of entry `i` of a list field (a scalar field: its own line).
  auto entry_line = [&](const char* name, std::size_t i) {
    const YamlValue& node = *field(name);
    return node.type == YamlType::kSequence && i < node.items.size() ? fm.line_of(node.items[i]) : fm.line_of(node);
  };

  if (!field("title"))
    fm.error(split.yaml_first_line, "missing `title`: every article needs a title");
  else if (field("title")->type == YamlType::kScalar && text::trim(field("title")->scalar).empty())
    fm.error(fm.line_of(*field("title")), "empty `title`: every article needs a title");
  else
    fm.string(*field("title"), "title", a.title);

  if (!field("journey")) {
    fm.error(split.yaml_first_line,
             "missing `journey`: set it to one of " + taxonomy.journey_names());
  } else if (fm.string(*field("journey"), "journey", a.journey)) {
    const Journey* journey = taxonomy.find_journey(a.journey);
    if (!journey) {
      fm.error(fm.line_of(*field("journey")), "unknown journey '" + a.journey +
                                                  "'; valid journeys: " + taxonomy.journey_names());
    } else if (field("subtopic") && fm.string(*field("subtopic"), "subtopic", a.subtopic) &&
               !a.subtopic.empty() && !taxonomy.find_subtopic(*journey, a.subtopic)) {
      std::vector<std::string> names;
      for (const auto& s : journey->subtopics) names.push_back(s.id);
      fm.error(fm.line_of(*field("subtopic")),
               "unknown sub-topic '" + a.subtopic + "' for journey " + a.journey +
                   "; valid sub-topics: " + (names.empty() ? "(none)" : text::join(names, ", ")));
    }
  }

  if (field("id")) {
    if (fm.string(*field("id"), "id", a.id) && !is_slug(a.id))
      fm.error(fm.line_of(*field("id")), "id '" + a.id +
                                            "' must be a slug: lower-case letters, digits, '-', "
                                            "'_' or '.'");
  } else {
    a.id = default_id(path);
    if (!is_slug(a.id))
      fm.error(split.yaml_first_line, "the file name '" + a.id +
                                          "' is not a valid id; rename the file or set `id:` "
                                          "(lower-case letters, digits, '-', '_' or '.')");
  }

  if (field("locale") && fm.string(*field("locale"), "locale", a.locale)) {
    if (!is_bcp47(a.locale)) {
      fm.error(fm.line_of(*field("locale")),
               "locale '" + a.locale + "' is not a BCP 47 tag such as en, es, pt-BR or ja");
    } else if (std::find(taxonomy.locales().begin(), taxonomy.locales().end(), a.locale) ==
               taxonomy.locales().end()) {
      fm.warning(fm.line_of(*field("locale")),
                 "locale '" + a.locale + "' is not listed in the taxonomy's `locales`");
    }
  }

  if (field("audience")) {
    if (fm.list(*field("audience"), "audience", a.audience)) {
      for (std::size_t i = 0; i < a.audience.size(); ++i)
        if (std::find(std::begin(kAudiences), std::end(kAudiences), a.audience[i]) == std::end(kAudiences))
          fm.error(entry_line("audience", i),
                   "unknown audience '" + a.audience[i] + "'; valid audiences: buyer, seller, partner");
    }
  }
  if (a.audience.empty()) a.audience.assign(std::begin(kAudiences), std::end(kAudiences));

  if (field("summary")) fm.string(*field("summary"), "summary", a.summary);
  if (field("tags")) fm.list(*field("tags"), "tags", a.tags);
  if (field("questions")) fm.list(*field("questions"), "questions", a.questions, &a.question_lines);
  if (field("related")) fm.list(*field("related"), "related", a.related);
  if (field("owner")) fm.string(*field("owner"), "owner", a.owner);
  if (field("translation_of")) fm.string(*field("translation_of"), "translation_of", a.translation_of);

  if (field("reviewed") && fm.string(*field("reviewed"), "reviewed", a.reviewed) &&
      !text::is_iso_date(a.reviewed))
    fm.error(fm.line_of(*field("reviewed")),
             "reviewed '" + a.reviewed + "' is not a date; write YYYY-MM-DD, e.g. 2026-11-01");
  if (field("review_every") && fm.string(*field("review_every"), "review_every", a.review_every) &&
      parse_interval_days(a.review_every) < 0)
    fm.error(fm.line_of(*field("review_every")),
             "review_every '" + a.review_every + "' is not an interval; write e.g. 180d, 26w, 6m or 1y");

  if (field("status")) {
    std::string status;
    if (fm.string(*field("status"), "status", status)) {
      if (status == "published") a.status = ArticleStatus::kPublished;
      else if (status == "draft") a.status = ArticleStatus::kDraft;
      else if (status == "archived") a.status = ArticleStatus::kArchived;
      else
        fm.error(fm.line_of(*field("status")),
                 "status '" + status + "' is not one of published, draft, archived");
    }
  }
  if (const YamlValue* audit = field("audit"); audit && audit->type != YamlType::kNull) {
    if (audit->type != YamlType::kMap) {
      fm.warning(fm.line_of(*audit),
                 "`audit` must be a map such as {ignore: [orphans/unlinked]}; it is ignored");
    } else {
      for (const auto& [key_node, value] : audit->entries) {
        const std::string& key = key_node.scalar;
        if (key == "ignore") fm.list(value, "audit.ignore", a.audit_ignore);
        else if (key == "type") fm.string(value, "audit.type", a.audit_type);
        else if (key == "source_hash") fm.string(value, "audit.source_hash", a.audit_source_hash);
        else
          fm.warning(fm.line_of(key_node), "unknown field `audit." + key +
                                               "` is ignored; known: ignore, type, source_hash");
      }
    }
  }
  for (std::size_t i = 0; i < a.tags.size(); ++i)
    if (!taxonomy.tags().empty() && !taxonomy.has_tag(a.tags[i]))
      fm.warning(entry_line("tags", i), "tag '" + a.tags[i] + "' is not in the taxonomy's `tags`");
  // These values become index terms; Xapian refuses a term over 245 bytes, and one such term
  // would fail every later index run, not just this article.
  auto term_too_long = [&](int line, const char* what, const std::string& value) {
    if (value.size() > kMaxTermValueBytes)
      fm.error(line, std::string(what) + " is " + std::to_string(value.size()) + " bytes, over the limit of " +
                         std::to_string(kMaxTermValueBytes) + " for values that are indexed as terms; shorten it");
  };
  for (std::size_t i = 0; i < a.tags.size(); ++i) term_too_long(entry_line("tags", i), "the tag", a.tags[i]);
  if (field("translation_of"))
    term_too_long(fm.line_of(*field("translation_of")), "`translation_of`", a.translation_of);
  if (field("locale")) term_too_long(fm.line_of(*field("locale")), "`locale`", a.locale);

  if (fm.failed()) return std::nullopt;

  auto body = article::parse_markdown(split.body, split.body_first_line);
  a.sections = std::move(body.sections);
  a.links = std::move(body.links);
  a.images = std::move(body.images);
  a.body_text = std::move(body.text);
  a.body_markdown = std::string(split.body);
  if (a.summary.empty()) {
    if (const Section* s = a.section(SectionKind::kSummary)) a.summary = s->text;
    else a.summary = body.first_paragraph;
  }
  if (!a.sections.empty() && a.sections.front().level == 0 && a.section(SectionKind::kSummary) == nullptr)
    a.sections.front().kind = SectionKind::kSummary;
  a.content_hash = text::hex64(text::fnv1a64(text_in, text::fnv1a64(path)));
  a.updated = a.reviewed;
  return a;
}

}  // namespace helpmark
