// Shared state of one audit run: the articles indexed for lookups, the options, and the one
// place findings go through (severity overrides, ignores, filters).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "helpmark/audit.hpp"

namespace helpmark::audit {

/// Per-article results of text analysis (ICU word segmentation), shared by the structure and
/// duplicate checks so each body is segmented once.
struct ArticleText {
  std::size_t words = 0;
  std::size_t long_sentences = 0;      ///< Sentences over the limit.
  std::size_t longest_sentence = 0;    ///< Words in the longest one.
  int longest_sentence_line = 0;       ///< File line where it starts.
  std::string longest_sentence_start;  ///< Its first words, to find it.
  /// Hashes of the body's word 3-shingles in text order, repeats kept: the duplicate check
  /// sorts (and dedupes) only those of articles it compares.
  std::vector<std::uint64_t> shingles;
  bool enough_shingles = false;            ///< At least kMinDuplicateShingles distinct ones.
  std::vector<std::uint64_t> title_terms;  ///< Sorted, unique hashes of title word stems.
  std::vector<std::uint64_t> shingle_signature;  ///< MinHash of `shingles` (duplicates only).
  std::vector<std::uint64_t> title_signature;    ///< MinHash of `title_terms` (duplicates only).
};

/// Bodies with fewer distinct word 3-shingles say too little to compare for duplicates.
constexpr std::size_t kMinDuplicateShingles = 8;

/// MinHash signatures with the fixed hash family the duplicate check bands: one minimum per
/// hash function, so similar sets agree in about as many positions as their Jaccard similarity.
void minhash_shingles(const std::vector<std::uint64_t>& set, std::vector<std::uint64_t>& signature);
void minhash_title(const std::vector<std::uint64_t>& set, std::vector<std::uint64_t>& signature);

class Context {
 public:
  Context(const ArticleSet& set, const Taxonomy& taxonomy, const AuditOptions& options,
          long as_of_days);

  const ArticleSet& set;
  const Taxonomy& taxonomy;
  const AuditOptions& options;
  const AuditConfig& config;
  const long as_of_days;

  /// The article with `id`, or nullptr.
  const Article* find(std::string_view id) const;
  /// The version of `source_id` in `locale` (the source itself or its first translation there),
  /// or nullptr.
  const Article* translation(std::string_view source_id, std::string_view locale) const;
  /// The id of the source an article translates, or its own id when it is a source.
  const std::string& group_of(const Article& article) const;
  /// Translations of a source (not including the source), in path order.
  const std::vector<const Article*>& translations_of(std::string_view source_id) const;

  /// Whether a family of checks may produce a reported finding (`--check` narrows it).
  bool wants(std::string_view family) const;

  /// Reports a finding about `article` (nullptr for the taxonomy or the whole base).
  void emit(std::string_view check, const Article* article, int line, std::string message);
  /// Reports a finding located in a taxonomy file (journeys.yaml, audit.yaml), or in no file
  /// when `path` is empty.
  void emit_file(std::string_view check, const std::string& path, int line,
                 const std::string& journey, std::string message, const std::string& locale = {});
  /// Reports a finding about audit setting `key` (a key of AuditConfig::lines), located in the
  /// settings file in use: `<taxonomy>/audit.yaml`, or the `--config` file as given.
  void emit_setting(std::string_view check, std::string_view key, std::string message);
  /// Reports a finding for a file that failed to load (no Article).
  void emit_invalid(std::string_view check, const Diagnostic& diagnostic);

  /// The line of `field` in `article`'s front matter, else 1.
  static int field_line(const Article& article, std::string_view field);
  /// The line of `- id: <id>` in journeys.yaml, 0 when unknown.
  int taxonomy_line(std::string_view id) const;
  /// The line of a top-level `key:` in journeys.yaml, 0 when unknown.
  int taxonomy_key_line(std::string_view key) const;
  /// journeys.yaml relative to the taxonomy directory, as shown in findings.
  std::string taxonomy_file() const { return "journeys.yaml"; }

  std::vector<ArticleText> texts;  ///< Parallel to set.articles; filled by analyse_texts().

  AuditReport report;

 private:
  void add(Finding finding, const std::vector<std::string>* article_ignore);

  std::unordered_map<std::string_view, const Article*> by_id_;
  std::unordered_map<std::string_view, const Article*> by_path_;
  std::unordered_map<std::string_view, std::vector<const Article*>> translations_;
  std::vector<std::string> taxonomy_lines_;
};

// One function per family of checks; each reports through Context::emit.
void check_stale(Context& ctx);
void check_links(Context& ctx);
void check_translations(Context& ctx);
void check_structure(Context& ctx);
void check_taxonomy(Context& ctx);
void check_duplicates(Context& ctx);
void check_orphans(Context& ctx);
void check_config(Context& ctx);
/// Returns false with `error` set when the tracking store cannot be read.
bool check_effectiveness(Context& ctx, std::string& error);

/// Segments every article's text (in parallel) into ctx.texts.
void analyse_texts(Context& ctx);

/// `article`'s review interval in days (article, audit.yaml, taxonomy, default); 0 = none.
int review_interval_days(const Context& ctx, const Article& article);

/// "a, b and c" (at most `limit` items, then "and N more").
std::string list_names(const std::vector<std::string>& names, std::size_t limit = 5);

}  // namespace helpmark::audit
