// Ranking one query: Xapian's candidates, the lexical models' scores, and their fusion.
// Shared by searches and answers (Index) and by tuning on held-out questions (indexer).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "index/ranking_settings.hpp"
#include "model/features.hpp"
#include "model/lexical_model.hpp"
#include "search/facets.hpp"
#include "search/query_builder.hpp"

namespace helpmark::search {

/// A locale's lexical model as one database revision sees it: the document of each class
/// (article). Immutable once built.
class ModelView {
 public:
  ModelView(std::shared_ptr<const model::LexicalModel> model, const Xapian::Database& db);

  const model::LexicalModel& model() const { return *model_; }
  /// The document of class `c`, or 0 when its article is not in the database.
  Xapian::docid docid_of(std::uint32_t c) const { return docids_[c]; }
  /// The class of a document, or -1.
  long class_of(Xapian::docid id) const;

 private:
  std::shared_ptr<const model::LexicalModel> model_;
  std::vector<Xapian::docid> docids_;
  std::unordered_map<Xapian::docid, std::uint32_t> classes_;
};

/// A locale of the chain that has a model, with the extractor its queries are analysed with.
struct ModelContext {
  const ModelView* view = nullptr;
  model::FeatureExtractor* extractor = nullptr;  ///< Not thread-safe: one per thread.
};

/// The model scores of one query, for every document the chain's models know.
/// Thread-compatible.
class QueryModelScores {
 public:
  void compute(std::string_view text, const std::vector<ModelContext>& chain);
  /// One model's scores, computed elsewhere (`scores[c]` of class c).
  void assign(const ModelView* view, std::vector<float> scores);
  bool empty() const { return locales_.empty(); }
  /// The document's score by the first model of the chain that knows it.
  std::optional<double> of(Xapian::docid id) const;
  /// The documents of the `n` articles each model scores best, of those scoring above
  /// `above`, with the articles' ids.
  std::vector<std::pair<Xapian::docid, std::string>> claimed(std::size_t n, double above) const;

 private:
  struct Locale {
    const ModelView* view;
    std::vector<float> scores;
  };
  std::vector<Locale> locales_;
};

/// One document (translation group) in the running for a result.
struct Candidate {
  Xapian::docid docid = 0;       ///< The group's document Xapian ranked (or the model claimed).
  double xapian = 0;             ///< Xapian's weight (0 for a claimed article the words miss).
  std::optional<double> model;   ///< Best model score among the group's translations.
  double fused = 0;
  std::size_t xapian_rank = 0;   ///< Position in Xapian's own order.
  std::string proposed;          ///< Its article's id, when the model proposed it (see fuse()).
};

/// Xapian's top documents for a query, one per translation group.
struct XapianPass {
  std::vector<std::pair<Xapian::docid, double>> hits;  ///< Weight order.
  double max_possible = 0;
  double top = 0;
};

/// Runs `query` under `filter` with the settings' weighting, collapsing translations; browse
/// (a match-all query) lists in document order.
XapianPass run_xapian(const Xapian::Database& db, const Xapian::Query& query, const Xapian::Query& filter,
                      const RankingSettings& settings, std::size_t depth, bool browse);

/// A query's words and Xapian's candidates: as typed, or spelling-corrected when the words as
/// typed find nothing or clearly less.
struct Retrieval {
  PreparedQuery prepared;             ///< The query searched.
  XapianPass pass;
  bool auto_corrected = false;        ///< The corrected query was searched.
  std::string corrected_query;        ///< "Did you mean", when a word was corrected.
  std::vector<Correction> corrections;
};

Retrieval retrieve(const QueryBuilder& builder, const Xapian::Database& db, const std::string& text,
                   const Xapian::Query& filter, const RankingSettings& settings, std::size_t depth, bool synonyms,
                   bool spelling);

struct Fused {
  std::vector<Candidate> candidates;  ///< Best first.
  /// `query` plus the articles the model proposed and the fusion kept (with no weight of
  /// their own): the result set, for counting.
  Xapian::Query matched;
};

/// Adds the model's scores to Xapian's candidates and the articles the model prefers to all of
/// them (its proposals, if they pass `filter`), then orders by the fused score. `scores` may
/// be null or empty (Xapian alone); `table` groups translations (may be null).
Fused fuse(const Xapian::Database& db, const XapianPass& pass, const Xapian::Query& query,
           const Xapian::Query& filter, const RankingSettings& settings, const QueryModelScores* scores,
           const FacetTable* table);

/// Drops the proposals not among the first kProposalsKept (they would only lengthen the list)
/// and makes `matched` the words' matches (`query`) plus the proposals kept.
void keep_near_proposals(Fused& fused, const Xapian::Query& query);

/// Computes each candidate's fused score for `model_weight` and sorts, best first.
void order_candidates(std::vector<Candidate>& candidates, double model_weight);

/// The stems of `query`'s words that document `id` contains (for answers' explanations).
std::set<std::string> matching_stems(const Xapian::Database& db, Xapian::docid id, const Xapian::Query& query);

/// Articles the model may propose per query, and how many of them can stay (see fuse()).
inline constexpr std::size_t kModelClaims = 10;
inline constexpr std::size_t kProposalsKept = 3;
/// Xapian's candidates re-ranked with the model (at least; more when a page asks for more).
inline constexpr std::size_t kFusionDepth = 30;

}  // namespace helpmark::search
