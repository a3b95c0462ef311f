// Content audits for writers: stale reviews, broken links, drifting translations, structure,
// taxonomy gaps, near-duplicates, orphans and (with a tracking store) effectiveness.
//
// run_audit() reads a loaded ArticleSet and the Taxonomy and returns Findings; it never changes
// a file. Every finding names a check id ("links/broken-anchor"), a severity, the article and
// file line it is about, its owner and journey, and a message that says what to do.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "helpmark/article.hpp"
#include "helpmark/status.hpp"
#include "helpmark/taxonomy.hpp"

namespace helpmark {

/// Ordered: kInfo < kWarning < kError, so `severity >= minimum` filters.
enum class AuditSeverity { kInfo = 0, kWarning = 1, kError = 2 };
/// "info", "warning", "error".
const char* audit_severity_name(AuditSeverity severity);
/// Parses "info", "warning" or "error"; false when `text` is none of them.
bool parse_audit_severity(std::string_view text, AuditSeverity& out);

/// One check the audit can run. The table is static: thread-safe.
struct AuditCheck {
  const char* id;                 ///< "family/name", e.g. "stale/overdue".
  AuditSeverity severity;         ///< Default severity (audit.yaml `severity:` can change it).
  const char* description;        ///< What it finds.
  const char* fix;                ///< What a writer does about it.
};
/// Every check, grouped by family in report order.
const std::vector<AuditCheck>& audit_checks();
/// The check with `id`, or nullptr.
const AuditCheck* find_audit_check(std::string_view id);
/// True when `pattern` names a known check id or a family ("links", "links/*" or "links/").
bool is_audit_check_pattern(std::string_view pattern);
/// True when check `id` is matched by `pattern` (an id or a family).
bool audit_check_matches(std::string_view pattern, std::string_view id);

/// Settings from `<taxonomy>/audit.yaml`; every field has a default, so the file is optional.
/// A value type: thread-compatible.
struct AuditConfig {
  std::string path;  ///< The file it was read from; empty when defaults are used.

  // review: when an article without `review_every` is due.
  int default_review_days = 0;                          ///< When its journey sets none; 0 = never.
  std::map<std::string, int> journey_review_days;       ///< Overrides the taxonomy's intervals.

  // required_sections: section kinds ("summary", "steps", "troubleshooting", "related").
  std::vector<std::string> default_required_sections = {"summary"};
  std::map<std::string, std::vector<std::string>> journey_required_sections;
  std::map<std::string, std::vector<std::string>> type_required_sections;  ///< By `audit.type`.

  // limits.
  std::size_t max_words = 1000;             ///< Words of body; 0 = no limit.
  std::size_t max_sentence_words = 40;      ///< Words in one sentence; 0 = no limit.
  double body_similarity = 0.6;             ///< Jaccard of word 3-shingles, 0..1.
  double title_similarity = 0.8;            ///< Jaccard of title word stems, 0..1.

  // translations.
  std::vector<std::string> required_locales;  ///< Every source needs these: warning per gap.
  bool coverage_summary = true;               ///< One info line per other locale.

  // effectiveness (only with a tracking store).
  int window_days = 90;                     ///< Events of these days up to as_of; 0 = all.
  std::size_t min_views = 50;               ///< Articles with fewer views are not judged.
  double min_helpful_ratio = 0.5;           ///< Below this share of "helpful: yes" is flagged.
  double max_ticket_rate = 0.3;             ///< Above this share of tickets after a view.
  std::size_t min_zero_result_searches = 5; ///< Zero-result queries this frequent are gaps.

  std::vector<std::string> ignore;                 ///< Checks or families never reported.
  std::map<std::string, AuditSeverity> severity;   ///< Check id -> severity override.

  /// File line of each setting that names a journey or a locale, for findings about it:
  /// "review.journeys.<id>", "required_sections.journeys.<id>", "required_sections.types.<type>",
  /// "translations.required_locales.<locale>". Empty for settings not read from a file.
  std::map<std::string, int, std::less<>> lines;

  /// Reads `<taxonomy_dir>/audit.yaml`; defaults when the file does not exist. Errors name the
  /// file and line (unknown keys, unknown check ids, bad intervals are errors, not ignored).
  static Result<AuditConfig> load(const std::filesystem::path& taxonomy_dir);
  /// Reads a settings file at any path; kNotFound when it does not exist.
  static Result<AuditConfig> load_file(const std::filesystem::path& file);
  /// Parses audit.yaml text; `path` is only used in messages.
  static Result<AuditConfig> parse(std::string_view yaml, const std::string& path);
};

/// What to audit and what to report. A value type: thread-compatible.
struct AuditOptions {
  std::string as_of;                  ///< YYYY-MM-DD the audit pretends is today; empty = today.
  std::vector<std::string> owners;    ///< Only these owners' articles; empty = all. Must exist.
  std::vector<std::string> journeys;  ///< Only these journeys; empty = all. Must exist.
  std::vector<std::string> locales;   ///< Only these locales; empty = all. Must exist.
  std::vector<std::string> checks;    ///< Only these checks or families; empty = all.
  AuditSeverity min_severity = AuditSeverity::kInfo;
  AuditConfig config;
  /// Directory of journeys.yaml, for the file and line of taxonomy findings; may be empty.
  std::filesystem::path taxonomy_dir;
  /// Tracking store for the effectiveness checks; empty = those checks are skipped.
  std::filesystem::path tracking_store;
  unsigned threads = 0;               ///< Text analysis threads; 0 = one per core.
};

/// One thing a writer should look at.
struct Finding {
  std::string check;        ///< Check id, e.g. "links/broken-anchor".
  AuditSeverity severity = AuditSeverity::kWarning;
  std::string article_id;   ///< Empty for findings about the taxonomy or the whole base.
  std::string path;         ///< Relative to the articles directory, or to the taxonomy one.
  bool in_taxonomy = false; ///< True when `path` is a taxonomy file (journeys.yaml, audit.yaml).
  /// True when `path` is shown as given, relative to neither directory: a settings file named by
  /// `--config` (AuditConfig::path) outside the taxonomy.
  bool path_as_given = false;
  int line = 0;             ///< 1-based; 0 when there is no better place than the file.
  std::string owner;
  std::string journey;
  std::string locale;
  std::string message;      ///< What is wrong and what to do about it.
};

/// The outcome of an audit. A value type: thread-compatible.
struct AuditReport {
  std::string as_of;
  std::size_t articles = 0;        ///< Articles audited (files that failed to parse excluded).
  std::vector<Finding> findings;   ///< Sorted by owner, journey, path, line, check.
  std::size_t suppressed = 0;      ///< Findings silenced by `ignore` (audit.yaml, front matter).
  std::size_t filtered = 0;        ///< Findings left out by the options' filters.
  bool effectiveness_ran = false;  ///< False without a tracking store.
  /// Check id -> severity the settings gave it (AuditConfig::severity), for formats that list
  /// every check with its level (SARIF rules).
  std::map<std::string, AuditSeverity> severity_overrides;

  std::size_t count(AuditSeverity severity) const;
  /// True when a finding has `severity` or worse.
  bool has_at_least(AuditSeverity severity) const;
};

/// Audits `set` (already loaded) against `taxonomy`. `set.diagnostics` with errors become
/// "articles/invalid" findings. Fails only on bad options (kInvalidArgument: a bad as_of date,
/// an unknown check, a journey the taxonomy lacks, an owner no article has, a locale neither the
/// taxonomy nor an article has; the message lists the valid values) or an unreadable tracking
/// store. Thread-safe for distinct arguments.
Result<AuditReport> run_audit(const ArticleSet& set, const Taxonomy& taxonomy,
                              const AuditOptions& options);

/// Loads `articles_dir` and audits it.
Result<AuditReport> run_audit(const std::filesystem::path& articles_dir, const Taxonomy& taxonomy,
                              const AuditOptions& options);

/// The hash of what a translator translates (title and body, not the front matter), 16 hex
/// digits. Record it as `audit: {source_hash: ...}` in a translation; when the source's hash
/// changes, "translations/outdated" reports the translation.
std::string translation_source_hash(const Article& source);

/// Output forms of a report.
enum class AuditFormat { kText, kMarkdown, kJson, kSarif };

struct AuditFormatOptions {
  /// Prefixed to finding paths so they are relative to where the command ran ("articles/"),
  /// which editors and code-review tools (SARIF) need.
  std::string path_prefix;
  std::string taxonomy_prefix;  ///< Same, for findings about the taxonomy files.
  std::string tool_version;     ///< For SARIF's tool.driver.version.
  /// Absolute URL of the document whose "Checks" table explains every check (docs/audit.md as
  /// published); each SARIF rule's helpUri points into it. Empty: rules carry no helpUri.
  std::string docs_url;
};

/// Renders a report. Text and Markdown group findings by owner, then journey, and end with a
/// summary line; JSON is {"as_of", "articles", "summary", "findings"}; SARIF is version 2.1.0,
/// with a file and a start line on every result (as GitHub code scanning requires): a finding
/// about no file is placed in `<taxonomy>/journeys.yaml`, one about a whole file at line 1.
/// Every SARIF result has partialFingerprints["helpmark/v1"], which stays the same from run to run
/// while the finding does (lines moving and numbers in its message changing included), so
/// code-scanning tools track it instead of closing and reopening it.
std::string format_audit_report(const AuditReport& report, AuditFormat format,
                                const AuditFormatOptions& options = {});

}  // namespace helpmark
