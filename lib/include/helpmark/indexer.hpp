// Building and updating an index from a folder of articles.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "helpmark/article.hpp"
#include "helpmark/status.hpp"

namespace helpmark {

struct IndexOptions {
  std::filesystem::path articles_dir = "articles";
  std::filesystem::path taxonomy_dir = "taxonomy";
  std::filesystem::path index_dir = ".helpmark/index";
  /// Any article error fails the whole run and leaves the previous index untouched.
  bool strict = false;
  /// Allow a run over a directory with no `.md` file to remove every indexed article. Off: such
  /// a run is refused (kInvalidInput) and the index is left as it was.
  bool allow_empty = false;
  /// Snowball stemming of every language that has a stemmer. Off only to measure what it adds.
  bool stemming = true;
  ArticleLimits limits;
  /// Retrain every locale's lexical model and choose the ranking settings again, even when
  /// nothing they learn from changed.
  bool retrain = false;
  /// Questions learned from traffic to train on (helpmark/learning.hpp): this overlay file
  /// instead of index_dir/learned.json (which is used when present).
  std::filesystem::path learned;
  /// Threads for training (0: one per core). The index is the same for any number.
  unsigned threads = 0;
  /// Called as articles are written: (done, total). May be empty.
  std::function<void(std::size_t, std::size_t)> on_progress;
  /// Called when a longer phase starts ("training the en model: 6,012 articles, ..."). May be
  /// empty.
  std::function<void(const std::string&)> on_phase;
};

/// A locale's lexical model after an indexing run.
struct ModelReport {
  std::string locale;
  bool present = false;       ///< The index has a model for the locale.
  bool trained = false;       ///< Trained by this run (else kept: its examples did not change).
  std::string note;           ///< Why there is none, when there is none.
  std::size_t articles = 0;   ///< Articles (classes) it knows.
  std::size_t examples = 0;
  std::size_t features = 0;
  std::size_t weights = 0;    ///< Weights stored (the largest, see docs/search.md).
  std::size_t bytes = 0;      ///< Stored size.
  double seconds = 0;         ///< Training time.
};

/// What an indexing run did.
struct IndexReport {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t removed = 0;
  std::size_t unchanged = 0;
  std::size_t skipped = 0;              ///< Files left out because of errors.
  std::size_t total = 0;                ///< Articles in the index afterwards.
  double seconds = 0;
  std::vector<Diagnostic> diagnostics;  ///< Every error and warning found.
  std::vector<ModelReport> models;      ///< One per locale with published articles.
  /// How the ranking settings were chosen ("held-out questions: ...", or kept, or defaults
  /// and why).
  std::string ranking;
  /// Where the time went: reading, examples, tuning, writing, training (what was left of it
  /// once the documents were written: it runs beside the writing).
  std::map<std::string, double> phase_seconds;
  /// Things worth knowing that are not about one file: a locale without a spelling dictionary.
  std::vector<std::string> notices;
};

/// Checks the vocabulary files `build_index` reads besides the articles (taxonomy_dir/synonyms/
/// <locale>.yaml and spelling/<locale>.txt), as it reads them; for `helpmark validate`. Every
/// problem is a diagnostic with file and line. Thread-safe.
std::vector<Diagnostic> validate_vocabulary_files(const std::filesystem::path& taxonomy_dir,
                                                  const Taxonomy& taxonomy);

/// Brings the index at `options.index_dir` up to date with the articles, incrementally: an
/// unchanged article is not rewritten, a deleted file is removed. All changes become visible
/// in one atomic commit; on any failure (or a crash) readers keep the previous index.
/// For read replicas (xapian-replicate), the master must keep changesets: Xapian reads the
/// environment variable XAPIAN_MAX_CHANGESETS at each commit (`helpmark index --changesets`).
///
/// Returns kLocked when another process is writing the index, kCorrupt when the directory
/// exists but is not a helpmark index, kInvalidArgument when it is a read replica, kNotFound for a missing articles or taxonomy directory,
/// and kInvalidInput when `strict` is set and an article (or a directory below the articles
/// directory) has an error (the report's diagnostics are then in `report_out` when given), or
/// when the articles directory holds no `.md` file but the index has articles and
/// `allow_empty` is off. A directory that cannot be listed keeps its indexed articles.
/// Not thread-safe with respect to other writers of the same directory (they are locked out).
Result<IndexReport> build_index(const IndexOptions& options, IndexReport* report_out = nullptr);

}  // namespace helpmark
