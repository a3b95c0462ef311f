// The relevance harness: measure search and answer quality on labelled queries in the neutral
// relevance format (articles.jsonl + queries.jsonl), through the same code paths users take.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "helpmark/answer.hpp"
#include "helpmark/status.hpp"

namespace helpmark {

struct EvalOptions {
  /// articles.jsonl in the neutral format, or a directory of Markdown articles (then
  /// `taxonomy_dir` is its taxonomy and nothing is converted).
  std::filesystem::path articles_jsonl;
  std::filesystem::path taxonomy_dir = "taxonomy";
  std::filesystem::path queries_jsonl;
  /// Where the converted articles, taxonomy and index go; empty: a temporary directory that is
  /// removed afterwards.
  std::filesystem::path workdir;
  /// A taxonomy directory whose synonyms/ and spelling/ files are used (optional).
  std::filesystem::path vocabulary_from;
  bool synonyms = true;
  bool spelling = true;
  bool stemming = true;
  bool fallback = true;
  bool model = true;  ///< Re-rank with the learned lexical model (when the index has one).
  bool bm25 = false;  ///< Force BM25 instead of the weighting the index chose (the classic baseline).
  /// Calibrate the answer model by 2-fold cross-fitting on the queries (fit on one half,
  /// measure on the other), instead of using the default model.
  bool calibrate = false;
  /// Train on these learned questions (a `learn apply` overlay file, helpmark/learning.hpp).
  std::filesystem::path learned;
  std::size_t misses_kept = 50;  ///< Failed queries kept for the report.
  std::function<void(std::size_t, std::size_t)> on_progress;
};

struct EvalMiss {
  std::string qid;
  std::string query;
  std::vector<std::string> gold;
  std::vector<std::string> got;  ///< Top 3 returned.
};

struct EvalReport {
  std::size_t articles = 0;
  std::size_t queries = 0;
  std::size_t in_scope = 0;
  std::size_t out_of_scope = 0;
  // Search, over in-scope queries.
  double recall_at_1 = 0;
  double recall_at_3 = 0;
  double recall_at_10 = 0;
  double mrr = 0;      ///< Mean reciprocal rank of the first gold article in the top 10.
  double ndcg_at_10 = 0;
  // Answers, over all queries.
  double answer_accuracy = 0;       ///< Right article answered, or out of scope escalated.
  double escalation_precision = 0;  ///< Escalated queries that should have been.
  double escalation_recall = 0;     ///< Queries that should have been escalated that were.
  double threshold = 0;
  std::string model;                ///< Which confidence model was used.
  // Latency, milliseconds.
  double search_p50_ms = 0, search_p95_ms = 0, search_p99_ms = 0;
  double answer_p50_ms = 0, answer_p95_ms = 0, answer_p99_ms = 0;
  /// The layers switched on and the ranking used: "model synonyms spelling stemming fallback;
  /// ranking lm(0.3), model weight 0.6".
  std::string layers;
  IndexStats::Ranking ranking;      ///< What the index chose, and from what.
  std::vector<IndexStats::Model> models;
  std::vector<EvalMiss> misses;
  std::vector<Diagnostic> diagnostics;
};

/// Reads queries.jsonl. Bad lines become diagnostics (file:line) and are skipped.
Result<std::vector<LabelledQuery>> read_labelled_queries(const std::filesystem::path& file,
                                                          std::vector<Diagnostic>& diagnostics);

/// Converts, indexes and measures. Not thread-safe with another run on the same workdir.
Result<EvalReport> run_eval(const EvalOptions& options);

}  // namespace helpmark
