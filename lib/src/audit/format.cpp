// Rendering an AuditReport: text and Markdown for people (grouped by owner, then journey),
// JSON for scripts, SARIF 2.1.0 for code-review tools (GitHub code scanning, GitLab, IDEs).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <sstream>

#include "helpmark/audit.hpp"
#include "util/text.hpp"

namespace helpmark {
namespace {

std::string file_of(const Finding& f, const AuditFormatOptions& options) {
  if (f.path.empty() || f.path_as_given) return f.path;
  return (f.in_taxonomy ? options.taxonomy_prefix : options.path_prefix) + f.path;
}

std::string location(const Finding& f, const AuditFormatOptions& options) {
  std::string where = file_of(f, options);
  if (where.empty()) where = "(knowledge base)";
  if (f.line > 0) where += ":" + std::to_string(f.line);
  return where;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string summary_line(const AuditReport& report) {
  std::string out = plural(report.articles, "article", "articles") + " audited as of " + report.as_of + ": ";
  if (report.findings.empty()) {
    out += "no findings";
  } else {
    out += plural(report.count(AuditSeverity::kError), "error", "errors") + ", " +
           plural(report.count(AuditSeverity::kWarning), "warning", "warnings") + ", " +
           std::to_string(report.count(AuditSeverity::kInfo)) + " info";
  }
  if (report.suppressed > 0) out += "; " + std::to_string(report.suppressed) + " ignored by settings";
  if (report.filtered > 0) out += "; " + std::to_string(report.filtered) + " outside the filters";
  return out;
}

const char* owner_label(const Finding& f) { return f.owner.empty() ? "(no owner)" : f.owner.c_str(); }
const char* journey_label(const Finding& f) {
  if (!f.journey.empty()) return f.journey.c_str();
  if (f.in_taxonomy || f.path_as_given || f.path.empty()) return "(whole knowledge base)";
  return f.article_id.empty() ? "(files that could not be read)" : "(no journey)";
}

std::string format_text(const AuditReport& report, const AuditFormatOptions& options) {
  std::ostringstream out;
  const Finding* previous = nullptr;
  for (const auto& f : report.findings) {
    const bool new_owner = !previous || previous->owner != f.owner;
    if (new_owner) out << (previous ? "\n" : "") << owner_label(f) << "\n";
    if (new_owner || std::string_view(journey_label(*previous)) != journey_label(f)) out << "  " << journey_label(f) << "\n";
    out << "    " << location(f, options) << ": " << audit_severity_name(f.severity) << ": " << f.message << " ["
        << f.check << "]\n";
    previous = &f;
  }
  if (!report.findings.empty()) out << "\n";
  out << summary_line(report) << "\n";
  return out.str();
}

// Escapes Markdown punctuation outside `code spans`, which messages use on purpose.
std::string markdown_escape(std::string_view s) {
  std::string out;
  bool in_code = false;
  for (char c : s) {
    if (c == '`') in_code = !in_code;
    if (!in_code && (c == '\\' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' || c == '>' || c == '|' ||
                     c == '#'))
      out += '\\';
    out += c;
  }
  if (in_code) out += '`';
  return out;
}

std::string format_markdown(const AuditReport& report, const AuditFormatOptions& options) {
  std::ostringstream out;
  out << "## Content audit (" << report.as_of << ")\n\n" << summary_line(report) << ".\n";
  const Finding* previous = nullptr;
  for (const auto& f : report.findings) {
    const bool new_owner = !previous || previous->owner != f.owner;
    if (new_owner) out << "\n### " << markdown_escape(owner_label(f)) << "\n";
    if (new_owner || std::string_view(journey_label(*previous)) != journey_label(f)) out << "\n#### " << markdown_escape(journey_label(f)) << "\n\n";
    out << "- [ ] **" << audit_severity_name(f.severity) << "** `" << f.check << "` `" << location(f, options)
        << "`: " << markdown_escape(f.message) << "\n";
    previous = &f;
  }
  return out.str();
}

nlohmann::ordered_json finding_json(const Finding& f, const AuditFormatOptions& options) {
  nlohmann::ordered_json j;
  j["check"] = f.check;
  j["severity"] = audit_severity_name(f.severity);
  j["article"] = f.article_id;
  j["path"] = f.path;
  j["file"] = file_of(f, options);
  j["line"] = f.line;
  j["owner"] = f.owner;
  j["journey"] = f.journey;
  j["locale"] = f.locale;
  j["message"] = f.message;
  return j;
}

std::string format_json(const AuditReport& report, const AuditFormatOptions& options) {
  nlohmann::ordered_json j;
  j["as_of"] = report.as_of;
  j["articles"] = report.articles;
  j["summary"] = {{"errors", report.count(AuditSeverity::kError)},
                  {"warnings", report.count(AuditSeverity::kWarning)},
                  {"info", report.count(AuditSeverity::kInfo)},
                  {"ignored", report.suppressed},
                  {"filtered", report.filtered}};
  j["effectiveness_checked"] = report.effectiveness_ran;
  j["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : report.findings) j["findings"].push_back(finding_json(f, options));
  return j.dump(2) + "\n";
}

// SARIF artifact locations are URI references: percent-encode all but unreserved bytes and '/'.
std::string uri_of(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

const char* sarif_level(AuditSeverity s) {
  switch (s) {
    case AuditSeverity::kError: return "error";
    case AuditSeverity::kWarning: return "warning";
    case AuditSeverity::kInfo: return "note";
  }
  return "warning";
}

// What identifies a finding across runs: its check, its file and its message with every number
// replaced by '#' (line numbers, counts, ages and dates change while the finding stays the same),
// hashed; then ":N" for the Nth finding with that hash in this report, so two such findings in one
// file stay apart (GitHub's own primaryLocationLineHash is numbered the same way).
std::string fingerprint_base(const Finding& f, const std::string& file) {
  std::string message;
  for (char c : f.message) {
    const bool digit = c >= '0' && c <= '9';
    if (!digit) message += c;
    else if (message.empty() || message.back() != '#') message += '#';
  }
  return text::hex64(text::fnv1a64(f.check + '\n' + file + '\n' + message));
}

// A rule's documentation: the "Checks" section of docs_url, the table that says what each
// check finds and how to fix it. SARIF wants an absolute URI here (a relative one would have
// nothing to be relative to), hence a URL and not a path into the knowledge base.
std::string help_uri(const std::string& docs_url) { return docs_url + "#checks"; }

std::string format_sarif(const AuditReport& report, const AuditFormatOptions& options) {
  using json = nlohmann::ordered_json;
  json rules = json::array();
  const auto& checks = audit_checks();
  for (const auto& c : checks) {
    json rule;
    rule["id"] = c.id;
    rule["shortDescription"] = {{"text", c.description}};
    rule["help"] = {{"text", c.fix}};
    if (!options.docs_url.empty()) rule["helpUri"] = help_uri(options.docs_url);
    const auto set = report.severity_overrides.find(c.id);
    rule["defaultConfiguration"] = {
        {"level", sarif_level(set == report.severity_overrides.end() ? c.severity : set->second)}};
    rules.push_back(rule);
  }
  json results = json::array();
  std::map<std::string, int> fingerprints_seen;
  for (const auto& f : report.findings) {
    json r;
    r["ruleId"] = f.check;
    for (std::size_t i = 0; i < checks.size(); ++i)
      if (f.check == checks[i].id) r["ruleIndex"] = i;
    r["level"] = sarif_level(f.severity);
    r["message"] = {{"text", f.message}};
    // GitHub code scanning rejects a file with a result that has no location, and places a
    // result only by region.startLine: a finding about no file points at the taxonomy, a finding
    // about a whole file at its first line.
    std::string file = file_of(f, options);
    if (file.empty()) file = options.taxonomy_prefix + "journeys.yaml";
    json physical;
    physical["artifactLocation"] = {{"uri", uri_of(file)}};
    physical["region"] = {{"startLine", std::max(f.line, 1)}};
    r["locations"] = json::array({{{"physicalLocation", physical}}});
    const std::string fingerprint = fingerprint_base(f, file);
    r["partialFingerprints"] = {{"helpmark/v1", fingerprint + ":" + std::to_string(++fingerprints_seen[fingerprint])}};
    json properties;
    if (!f.article_id.empty()) properties["article"] = f.article_id;
    if (!f.owner.empty()) properties["owner"] = f.owner;
    if (!f.journey.empty()) properties["journey"] = f.journey;
    if (!f.locale.empty()) properties["locale"] = f.locale;
    if (!properties.empty()) r["properties"] = properties;
    results.push_back(r);
  }
  json driver;
  driver["name"] = "helpmark";
  if (!options.tool_version.empty()) driver["version"] = options.tool_version;
  driver["rules"] = rules;
  json run;
  run["tool"] = {{"driver", driver}};
  run["results"] = results;
  run["properties"] = {{"asOf", report.as_of}, {"articles", report.articles}};
  json sarif;
  sarif["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  sarif["version"] = "2.1.0";
  sarif["runs"] = json::array({run});
  return sarif.dump(2) + "\n";
}

}  // namespace

std::string format_audit_report(const AuditReport& report, AuditFormat format, const AuditFormatOptions& options) {
  switch (format) {
    case AuditFormat::kText: return format_text(report, options);
    case AuditFormat::kMarkdown: return format_markdown(report, options);
    case AuditFormat::kJson: return format_json(report, options);
    case AuditFormat::kSarif: return format_sarif(report, options);
  }
  return format_text(report, options);
}

}  // namespace helpmark
