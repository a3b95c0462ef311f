#include "helpmark/audit.hpp"

#include <algorithm>
#include <ctime>
#include <exception>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include "audit/audit_internal.hpp"
#include "util/text.hpp"

namespace helpmark {

const char* audit_severity_name(AuditSeverity severity) {
  switch (severity) {
    case AuditSeverity::kInfo: return "info";
    case AuditSeverity::kWarning: return "warning";
    case AuditSeverity::kError: return "error";
  }
  return "warning";
}

bool parse_audit_severity(std::string_view text, AuditSeverity& out) {
  if (text == "info") out = AuditSeverity::kInfo;
  else if (text == "warning") out = AuditSeverity::kWarning;
  else if (text == "error") out = AuditSeverity::kError;
  else return false;
  return true;
}

const std::vector<AuditCheck>& audit_checks() {
  using S = AuditSeverity;
  static const std::vector<AuditCheck> kChecks = {
      {"articles/invalid", S::kError, "A file that cannot be read as an article (front matter, UTF-8, duplicate id).",
       "Fix the error the message names; `helpmark validate` shows the same."},
      {"articles/warning", S::kWarning, "An article that loads but has a front-matter problem (unknown field, locale).",
       "Fix or remove the field the message names."},
      {"config/invalid", S::kWarning, "An `audit:` front-matter entry or audit.yaml setting that names something unknown.",
       "Correct the check id, type or journey name, or remove the entry."},
      {"stale/overdue", S::kWarning, "`reviewed` plus the review interval is in the past.",
       "Check the article against the current product and policy, then set `reviewed:` to today."},
      {"stale/never-reviewed", S::kWarning, "A published article without a `reviewed` date.",
       "Review it and add `reviewed: YYYY-MM-DD`."},
      {"stale/future-review", S::kWarning, "`reviewed` is later than the audit date.",
       "Correct the date (a typo?) or audit with a later --as-of."},
      {"stale/no-owner", S::kWarning, "A published article without an `owner`, so no one is asked to review it.",
       "Add `owner:` with the team responsible."},
      {"links/broken-article", S::kError, "An `article:` link to an id no article has.",
       "Point the link at an existing id (ids are in each article's front matter) or remove it."},
      {"links/broken-file", S::kError, "A relative `.md` link to a file that does not exist.",
       "Fix the path (it is relative to the linking file) or link with `article:<id>`."},
      {"links/broken-anchor", S::kError, "A link to a `#heading` the target article does not have.",
       "Use one of the target's heading anchors, or drop the `#...` part."},
      {"links/broken-related", S::kError, "A `related` id no article has.",
       "Replace it with an existing id or remove it from `related`."},
      {"links/archived-target", S::kWarning, "A link or `related` id pointing at an archived article.",
       "Link to the article that replaced it, or remove the link."},
      {"links/draft-target", S::kWarning, "A published article linking to a draft customers cannot see.",
       "Publish the draft first, or remove the link until it is."},
      {"links/other-locale", S::kWarning, "A link to another language's article while one in the article's own language exists.",
       "Link to the translation in the article's own locale."},
      {"translations/source-missing", S::kError, "`translation_of` names an id no article has.",
       "Set `translation_of` to the id of the article this one translates."},
      {"translations/bad-source", S::kWarning, "`translation_of` points at a translation or at an article in the same locale.",
       "Point `translation_of` at the original (default-locale) article."},
      {"translations/duplicate", S::kWarning, "Two translations of one article in the same locale.",
       "Keep one: merge them and archive or delete the other."},
      {"translations/outdated", S::kWarning, "A translation older than the last change of its source.",
       "Update the translation from the source, then set `reviewed:` (and `audit: {source_hash: ...}`)."},
      {"translations/missing", S::kWarning, "An article without a translation in a locale audit.yaml requires.",
       "Translate it into that locale (or drop the locale from `translations.required_locales`)."},
      {"translations/coverage", S::kInfo, "How many articles a locale has translated (one line per locale).",
       "Informational; list the locale in `translations.required_locales` to report every gap."},
      {"structure/missing-section", S::kWarning, "A summary, steps, troubleshooting or related section the article's type requires.",
       "Add the section with its standard heading (e.g. `## Steps`)."},
      {"structure/heading-skip", S::kWarning, "A heading that skips a level (## then ####).",
       "Use the next level down so screen readers and the table of contents follow the outline."},
      {"structure/h1-in-body", S::kWarning, "A `#` heading in the body; the title is already the page's h1.",
       "Start body headings at `##`."},
      {"structure/image-alt", S::kError, "An image without alt text; screen readers say nothing for it.",
       "Describe the picture: `![what the picture shows](path.png)`."},
      {"structure/empty-section", S::kWarning, "A heading with nothing under it (no text, no image).",
       "Write the section or remove the heading."},
      {"structure/too-long", S::kWarning, "An article longer than `limits.max_words`.",
       "Split it into articles that each answer one question."},
      {"structure/long-sentence", S::kInfo, "Sentences longer than `limits.max_sentence_words`.",
       "Split long sentences; customers scan help articles."},
      {"taxonomy/unknown-tag", S::kWarning, "A tag that is not in the taxonomy's `tags` list.",
       "Use a listed tag, or add the tag to taxonomy/journeys.yaml."},
      {"taxonomy/no-subtopic", S::kWarning, "An article in a journey but in none of its sub-topics.",
       "Set `subtopic:` to one of the journey's sub-topics."},
      {"taxonomy/empty-journey", S::kWarning, "A journey with no published article.",
       "Write its first article, or remove the journey from the taxonomy."},
      {"taxonomy/empty-subtopic", S::kWarning, "A sub-topic with no published article.",
       "Write an article for it, or remove the sub-topic."},
      {"taxonomy/unknown-article", S::kError, "A journey or sub-topic `articles:` list naming an id no article has.",
       "Fix the id or remove it from the list."},
      {"duplicates/title", S::kWarning, "Articles in one locale whose titles are (nearly) the same.",
       "Make each title say what is different, or merge the articles."},
      {"duplicates/body", S::kWarning, "Articles in one locale whose bodies are near-duplicates.",
       "Merge them into one article (archive the other), or make each answer a different question."},
      {"orphans/unlinked", S::kWarning, "A published article no other article links to and no journey lists.",
       "Link to it from related articles (`related:`) or list it under its journey's `articles:`."},
      {"effectiveness/unhelpful", S::kWarning, "A much-viewed article most readers rate not helpful.",
       "Read the feedback reasons and rewrite the answer; check it is still correct."},
      {"effectiveness/tickets-after-view", S::kWarning, "A much-viewed article after which many readers open a ticket.",
       "Find what the tickets ask and answer it in the article."},
      {"effectiveness/content-gap", S::kInfo, "A frequent search that finds nothing.",
       "Write an article that answers it, or add the words as synonyms or questions."},
      {"effectiveness/learned-questions", S::kInfo,
       "Queries that enough customers used to find an article, which its questions lack.",
       "Add them to the article's `questions:` (helpmark learn suggest prints them), or let `helpmark learn apply` do it."},
  };
  return kChecks;
}

const AuditCheck* find_audit_check(std::string_view id) {
  for (const auto& check : audit_checks())
    if (id == check.id) return &check;
  return nullptr;
}

bool audit_check_matches(std::string_view pattern, std::string_view id) {
  if (pattern == id) return true;
  std::string_view family = id.substr(0, id.find('/'));
  if (pattern.ends_with("/*")) pattern.remove_suffix(2);
  else if (pattern.ends_with("/")) pattern.remove_suffix(1);
  return pattern == family;
}

bool is_audit_check_pattern(std::string_view pattern) {
  if (pattern.empty()) return false;
  for (const auto& check : audit_checks())
    if (audit_check_matches(pattern, check.id)) return true;
  return false;
}

std::size_t AuditReport::count(AuditSeverity severity) const {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                [&](const Finding& f) { return f.severity == severity; }));
}

bool AuditReport::has_at_least(AuditSeverity severity) const {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.severity >= severity; });
}

namespace audit {

std::string list_names(const std::vector<std::string>& names, std::size_t limit) {
  std::string out;
  const std::size_t shown = std::min(names.size(), limit);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += (i + 1 == shown && shown == names.size()) ? " and " : ", ";
    out += names[i];
  }
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

Context::Context(const ArticleSet& set_in, const Taxonomy& taxonomy_in, const AuditOptions& options_in,
                 long as_of)
    : set(set_in), taxonomy(taxonomy_in), options(options_in), config(options_in.config), as_of_days(as_of) {
  for (const auto& a : set.articles) {
    by_id_.emplace(a.id, &a);
    by_path_.emplace(a.path, &a);
  }
  for (const auto& a : set.articles)
    if (!a.translation_of.empty() && a.translation_of != a.id) translations_[a.translation_of].push_back(&a);

  if (!options.taxonomy_dir.empty()) {
    std::ifstream in(options.taxonomy_dir / "journeys.yaml", std::ios::binary);
    for (std::string line; std::getline(in, line);) taxonomy_lines_.push_back(std::move(line));
  }
}

const Article* Context::find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

const Article* Context::translation(std::string_view source_id, std::string_view locale) const {
  if (const Article* source = find(source_id); source && source->translation_of.empty() && source->locale == locale)
    return source;
  for (const Article* t : translations_of(source_id))
    if (t->locale == locale) return t;
  return nullptr;
}

const std::string& Context::group_of(const Article& article) const {
  return article.translation_of.empty() ? article.id : article.translation_of;
}

const std::vector<const Article*>& Context::translations_of(std::string_view source_id) const {
  static const std::vector<const Article*> kNone;
  auto it = translations_.find(source_id);
  return it == translations_.end() ? kNone : it->second;
}

bool Context::wants(std::string_view family) const {
  if (options.checks.empty()) return true;
  for (const auto& pattern : options.checks) {
    std::string_view p = pattern;
    if (p.substr(0, p.find('/')) == family) return true;
  }
  return false;
}

int Context::field_line(const Article& article, std::string_view field) {
  auto it = article.field_lines.find(field);
  return it == article.field_lines.end() ? 1 : it->second;
}

int Context::taxonomy_line(std::string_view id) const {
  for (std::size_t i = 0; i < taxonomy_lines_.size(); ++i) {
    std::string_view line = text::trim(taxonomy_lines_[i]);
    if (line.starts_with("- ")) line = text::trim(line.substr(2));
    if (!line.starts_with("id:")) continue;
    std::string_view value = text::trim(line.substr(3));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) value = value.substr(1, value.size() - 2);
    if (value == id) return static_cast<int>(i + 1);
  }
  return 0;
}

int Context::taxonomy_key_line(std::string_view key) const {
  for (std::size_t i = 0; i < taxonomy_lines_.size(); ++i) {
    std::string_view line = taxonomy_lines_[i];
    if (line.starts_with(key) && line.substr(key.size()).starts_with(":")) return static_cast<int>(i + 1);
  }
  return 0;
}

void Context::emit(std::string_view check, const Article* article, int line, std::string message) {
  Finding f;
  f.check = std::string(check);
  f.line = line;
  f.message = std::move(message);
  if (article) {
    f.article_id = article->id;
    f.path = article->path;
    f.owner = article->owner;
    f.journey = article->journey;
    f.locale = article->locale;
  }
  add(std::move(f), article ? &article->audit_ignore : nullptr);
}

void Context::emit_file(std::string_view check, const std::string& path, int line,
                        const std::string& journey, std::string message, const std::string& locale) {
  Finding f;
  f.check = std::string(check);
  f.path = path;
  f.line = line;
  f.in_taxonomy = !path.empty();
  f.journey = journey;
  f.locale = locale;
  f.message = std::move(message);
  add(std::move(f), nullptr);
}

void Context::emit_setting(std::string_view check, std::string_view key, std::string message) {
  const auto it = config.lines.find(key);
  const int line = it == config.lines.end() ? 0 : it->second;
  const std::filesystem::path own = options.taxonomy_dir / "audit.yaml";
  std::error_code ec;
  const bool taxonomy_file = config.path.empty() ||
                             (!options.taxonomy_dir.empty() &&
                              (std::filesystem::path(config.path).lexically_normal() == own.lexically_normal() ||
                               std::filesystem::equivalent(config.path, own, ec)));
  if (taxonomy_file) {
    emit_file(check, "audit.yaml", line, "", std::move(message));
    return;
  }
  Finding f;
  f.check = std::string(check);
  f.path = config.path;
  f.path_as_given = true;
  f.line = line;
  f.message = std::move(message);
  add(std::move(f), nullptr);
}

void Context::emit_invalid(std::string_view check, const Diagnostic& d) {
  if (auto it = by_path_.find(d.path); it != by_path_.end()) {  // a warning about a loaded article
    emit(check, it->second, d.line, d.message);
    return;
  }
  Finding f;
  f.check = std::string(check);
  f.path = d.path;
  f.line = d.line;
  f.message = d.message;
  add(std::move(f), nullptr);
}

void Context::add(Finding f, const std::vector<std::string>* article_ignore) {
  const AuditCheck* check = find_audit_check(f.check);
  f.severity = check ? check->severity : AuditSeverity::kWarning;
  if (auto it = config.severity.find(f.check); it != config.severity.end()) f.severity = it->second;

  auto in = [](const std::vector<std::string>& allowed, const std::string& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  };
  bool check_selected = options.checks.empty() ||
                        std::any_of(options.checks.begin(), options.checks.end(),
                                    [&](const std::string& p) { return audit_check_matches(p, f.check); });
  if (!check_selected || f.severity < options.min_severity || !in(options.owners, f.owner) ||
      !in(options.journeys, f.journey) || !in(options.locales, f.locale)) {
    ++report.filtered;
    return;
  }
  auto ignored_by = [&](const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return audit_check_matches(p, f.check); });
  };
  if (ignored_by(config.ignore) || (article_ignore && ignored_by(*article_ignore))) {
    ++report.suppressed;
    return;
  }
  report.findings.push_back(std::move(f));
}

int review_interval_days(const Context& ctx, const Article& article) {
  if (!article.review_every.empty()) {
    int days = parse_interval_days(article.review_every);
    if (days > 0) return days;
  }
  if (auto it = ctx.config.journey_review_days.find(article.journey); it != ctx.config.journey_review_days.end())
    return it->second;
  if (const Journey* journey = ctx.taxonomy.find_journey(article.journey); journey && journey->review_every_days > 0)
    return journey->review_every_days;
  return ctx.config.default_review_days;
}

namespace {

bool finding_less(const Finding& a, const Finding& b) {
  // Findings without an owner (the taxonomy, unreadable files) come last.
  auto key = [](const Finding& f) {
    return std::make_tuple(f.owner.empty(), std::cref(f.owner), f.journey.empty(), std::cref(f.journey),
                           f.in_taxonomy, f.path_as_given, std::cref(f.path), f.line, std::cref(f.check),
                           std::cref(f.message));
  };
  return key(a) < key(b);
}

// Parser warnings that a check reports better are left to that check.
bool reported_by_a_check(const Diagnostic& d) {
  return d.message.starts_with("tag '") && d.message.find("taxonomy's `tags`") != std::string::npos;
}

}  // namespace
}  // namespace audit

std::string translation_source_hash(const Article& source) {
  std::string content = source.title;
  content += '\n';
  for (char c : source.body_markdown)
    if (c != '\r') content += c;
  return text::hex64(text::fnv1a64(text::trim(content)));
}

Result<AuditReport> run_audit(const ArticleSet& set, const Taxonomy& taxonomy, const AuditOptions& options) {
  long as_of_days;
  if (options.as_of.empty()) {
    as_of_days = static_cast<long>(std::time(nullptr) / 86400);
  } else if (text::is_iso_date(options.as_of)) {
    as_of_days = text::days_from_iso_date(options.as_of);
  } else {
    return Status(ErrorCode::kInvalidArgument,
                  "--as-of '" + options.as_of + "' is not a date; write YYYY-MM-DD, e.g. 2026-12-31");
  }
  for (const auto& pattern : options.checks)
    if (!is_audit_check_pattern(pattern))
      return Status(ErrorCode::kInvalidArgument,
                    "unknown check '" + pattern +
                        "'; use a family (stale, links, translations, structure, taxonomy, duplicates, "
                        "orphans, effectiveness, articles, config) or an id such as links/broken-anchor");
  // A misspelt filter value would silence every finding, and a CI gate would pass.
  auto unknown = [](const std::vector<std::string>& wanted, const std::set<std::string>& known, const char* what,
                    const char* flag) -> std::optional<Status> {
    for (const auto& value : wanted)
      if (!known.count(value))
        return Status(ErrorCode::kInvalidArgument,
                      std::string("unknown ") + what + " '" + value + "' in " + flag + "; " +
                          (known.empty() ? std::string("the knowledge base has none")
                                         : std::string("valid values: ") +
                                               audit::list_names({known.begin(), known.end()}, 30)));
    return std::nullopt;
  };
  std::set<std::string> journeys, owners, locales(taxonomy.locales().begin(), taxonomy.locales().end());
  for (const auto& journey : taxonomy.journeys()) journeys.insert(journey.id);
  for (const auto& a : set.articles) {
    if (!a.owner.empty()) owners.insert(a.owner);
    locales.insert(a.locale);
  }
  if (auto bad = unknown(options.journeys, journeys, "journey", "--journey")) return *bad;
  if (auto bad = unknown(options.owners, owners, "owner", "--owner")) return *bad;
  if (auto bad = unknown(options.locales, locales, "locale", "--locale")) return *bad;
  try {
    audit::Context ctx(set, taxonomy, options, as_of_days);
    ctx.report.as_of = text::iso_date_from_days(as_of_days);
    ctx.report.articles = set.articles.size();
    ctx.report.severity_overrides = options.config.severity;

    for (const auto& d : set.diagnostics) {
      if (audit::reported_by_a_check(d)) continue;
      ctx.emit_invalid(d.severity == Severity::kError ? "articles/invalid" : "articles/warning", d);
    }
    audit::check_config(ctx);
    if (ctx.wants("stale")) audit::check_stale(ctx);
    if (ctx.wants("links")) audit::check_links(ctx);
    if (ctx.wants("translations")) audit::check_translations(ctx);
    if (ctx.wants("taxonomy")) audit::check_taxonomy(ctx);
    if (ctx.wants("orphans")) audit::check_orphans(ctx);
    if (ctx.wants("structure") || ctx.wants("duplicates")) {
      audit::analyse_texts(ctx);
      if (ctx.wants("structure")) audit::check_structure(ctx);
      if (ctx.wants("duplicates")) audit::check_duplicates(ctx);
    }
    if (!options.tracking_store.empty() && ctx.wants("effectiveness")) {
      std::string error;
      if (!audit::check_effectiveness(ctx, error)) return Status(ErrorCode::kIoError, error);
      ctx.report.effectiveness_ran = true;
    }
    std::sort(ctx.report.findings.begin(), ctx.report.findings.end(), audit::finding_less);
    return std::move(ctx.report);
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("audit failed: ") + e.what());
  }
}

Result<AuditReport> run_audit(const std::filesystem::path& articles_dir, const Taxonomy& taxonomy,
                              const AuditOptions& options) {
  auto set = load_articles(articles_dir, taxonomy);
  if (!set.ok()) return set.status();
  return run_audit(set.value(), taxonomy, options);
}

}  // namespace helpmark
