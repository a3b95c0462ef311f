// Articles: Markdown files with YAML front matter, parsed into the fields search needs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "helpmark/status.hpp"
#include "helpmark/taxonomy.hpp"

namespace helpmark {

enum class ArticleStatus { kPublished, kDraft, kArchived };
const char* article_status_name(ArticleStatus status);

/// What a section is for, recognised from its heading in any shipped language
/// ("Steps", "Pasos", "手順" ...).
enum class SectionKind { kSummary, kSteps, kTroubleshooting, kRelated, kOther };
const char* section_kind_name(SectionKind kind);

struct Section {
  SectionKind kind = SectionKind::kOther;
  int level = 0;          ///< Heading level (2 for "##"); 0 for the text before any heading.
  std::string heading;    ///< Heading text, plain.
  std::string anchor;     ///< GitHub-style slug of the heading ("troubleshooting").
  int line = 0;           ///< Line of the heading in the file.
  std::string text;       ///< Plain text of the section's content.
  std::string markdown;   ///< The section's Markdown source, without its heading.
  int markdown_line = 0;  ///< Line of the file where `markdown` starts; 0 when it is empty.
};

struct Link {
  std::string target;     ///< As written: "article:refund-timing", "../returns/x.md#steps".
  std::string article_id; ///< Resolved internal article id; empty for external links.
  std::string anchor;     ///< The "#fragment", without '#'.
  bool internal = false;  ///< True for `article:` and relative `.md` links.
  int line = 0;
};

struct Image {
  std::string src;
  std::string alt;
  int line = 0;
};

/// A parsed article. A value type: thread-compatible.
struct Article {
  // Front matter.
  std::string id;
  std::string title;
  std::string journey;
  std::string subtopic;
  std::string locale = "en";
  std::vector<std::string> audience;   ///< buyer, seller, partner; all three when not given.
  std::string summary;                 ///< Front matter `summary`, else the first paragraph.
  std::vector<std::string> tags;
  std::vector<std::string> questions;
  std::vector<int> question_lines;     ///< File line of each question (0 when not from a file).
  std::vector<std::string> related;
  std::string owner;
  std::string reviewed;                ///< ISO date, or empty.
  std::string review_every;            ///< As written ("180d"), or empty.
  std::string translation_of;
  ArticleStatus status = ArticleStatus::kPublished;
  // The optional `audit:` map, read only by `helpmark audit` (see audit.hpp).
  std::string audit_type;                 ///< `audit.type`: picks the required sections.
  std::vector<std::string> audit_ignore;  ///< `audit.ignore`: check ids or families to skip.
  std::string audit_source_hash;          ///< `audit.source_hash`: source's hash when translated.
  /// File line of each front-matter field present ("related" -> 17), for precise messages.
  std::map<std::string, int, std::less<>> field_lines;

  // From the body.
  std::vector<Section> sections;
  std::vector<Link> links;
  std::vector<Image> images;
  std::string body_text;               ///< Plain text of the whole body.
  std::string body_markdown;           ///< The body as written (after the front matter).

  // About the file.
  std::string path;                    ///< Relative to the articles directory, '/'-separated.
  std::string updated;                 ///< `reviewed`, else the file's modification date.
  std::string content_hash;            ///< Hex hash of path and bytes; drives incremental indexing.
  int body_first_line = 1;             ///< Line of the file where the body starts.

  /// The section of a kind, or nullptr.
  const Section* section(SectionKind kind) const;
};

/// Limits and choices applied while reading articles.
struct ArticleLimits {
  std::size_t max_file_bytes = 1 << 20;  ///< Larger files are rejected (1 MiB).
  /// Threads load_articles() reads and parses files on; 0 = one per core. The result is the
  /// same for any number.
  unsigned threads = 0;
  /// Read `.md` symbolic links whose target is outside the articles directory (--follow-symlinks).
  /// Off: such a link is an error and its target is never read. Links within the tree are read.
  bool follow_symlinks = false;
  /// Id -> path of the articles already in the index being updated. Of several files that declare
  /// one id, the indexed file keeps it as long as it exists (even when it has errors this run), so
  /// a new file can never take over a live article; without an indexed owner the first path wins.
  std::map<std::string, std::string> indexed_paths;
};

/// Parses one article from `text`. `relative_path` locates diagnostics and derives the default
/// id. Every problem goes to `diagnostics`; the article is returned only when it has no error.
/// `.md` links are resolved to ids later, by load_articles, which knows every file.
std::optional<Article> parse_article(std::string_view text, const std::string& relative_path,
                                     const Taxonomy& taxonomy,
                                     std::vector<Diagnostic>& diagnostics);

/// All articles of a directory tree (every `*.md` file), with their diagnostics.
struct ArticleSet {
  std::vector<Article> articles;        ///< Valid articles, sorted by path.
  std::vector<Diagnostic> diagnostics;  ///< Errors (their article is skipped) and warnings.
  std::size_t files_seen = 0;
  /// Directories below the articles directory that could not be listed (relative, '/'-separated),
  /// each with an error in `diagnostics`. What they held is unknown, not gone.
  std::vector<std::string> unreadable_dirs;

  /// True when `path` (relative to the articles directory) lies in an unreadable directory.
  bool under_unreadable_dir(std::string_view path) const;
};

/// Reads every `*.md` file under `dir`, parses and validates it (duplicate ids, links to
/// files resolved to ids). Fails only when `dir` itself is unusable; bad articles and
/// subdirectories that cannot be listed become diagnostics and are left out of the set. Files are parsed on `limits.threads` threads;
/// articles and diagnostics come in path order whatever the number.
Result<ArticleSet> load_articles(const std::filesystem::path& dir, const Taxonomy& taxonomy,
                                 const ArticleLimits& limits = {});

/// What single files cannot show: `related` ids and `translation_of` targets that name no
/// article of the set, and `translation_of` chains that loop. Warnings (the articles are still
/// indexed), one per field entry, with file and line; for `helpmark validate`. Thread-safe.
std::vector<Diagnostic> check_article_references(const ArticleSet& set);

/// Reads and parses a single file (for `helpmark show FILE`).
Result<Article> load_article_file(const std::filesystem::path& file, const Taxonomy& taxonomy,
                                  std::vector<Diagnostic>& diagnostics,
                                  const ArticleLimits& limits = {});

}  // namespace helpmark
