#include "search/ranking.hpp"

#include <algorithm>
#include <limits>
#include <unordered_set>

#include "index/schema.hpp"

namespace helpmark::search {

ModelView::ModelView(std::shared_ptr<const model::LexicalModel> model, const Xapian::Database& db)
    : model_(std::move(model)) {
  const auto& classes = model_->classes();
  docids_.assign(classes.size(), 0);
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const std::string term = std::string(schema::kId) + classes[c];
    auto p = db.postlist_begin(term);
    if (p == db.postlist_end(term)) continue;
    docids_[c] = *p;
    classes_.emplace(*p, static_cast<std::uint32_t>(c));
  }
}

long ModelView::class_of(Xapian::docid id) const {
  auto it = classes_.find(id);
  return it == classes_.end() ? -1 : static_cast<long>(it->second);
}

void QueryModelScores::compute(std::string_view text, const std::vector<ModelContext>& chain) {
  locales_.clear();
  for (const auto& ctx : chain) {
    if (!ctx.view || !ctx.extractor) continue;
    Locale l{ctx.view, {}};
    ctx.view->model().score(ctx.extractor->extract(text), l.scores);
    locales_.push_back(std::move(l));
  }
}

void QueryModelScores::assign(const ModelView* view, std::vector<float> scores) {
  locales_.clear();
  locales_.push_back({view, std::move(scores)});
}

std::optional<double> QueryModelScores::of(Xapian::docid id) const {
  for (const auto& l : locales_)
    if (long c = l.view->class_of(id); c >= 0) return l.scores[static_cast<std::size_t>(c)];
  return std::nullopt;
}

std::vector<std::pair<Xapian::docid, std::string>> QueryModelScores::claimed(std::size_t n, double above) const {
  std::vector<std::pair<Xapian::docid, std::string>> out;
  std::vector<std::pair<float, std::uint32_t>> best;
  for (const auto& l : locales_) {
    best.clear();
    for (std::size_t c = 0; c < l.scores.size(); ++c)
      if (l.scores[c] > above && l.view->docid_of(static_cast<std::uint32_t>(c)) != 0)
        best.emplace_back(l.scores[c], static_cast<std::uint32_t>(c));
    const std::size_t k = std::min(n, best.size());
    std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(k), best.end(),
                      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    for (std::size_t i = 0; i < k; ++i)
      out.emplace_back(l.view->docid_of(best[i].second), l.view->model().classes()[best[i].second]);
  }
  return out;
}

XapianPass run_xapian(const Xapian::Database& db, const Xapian::Query& query, const Xapian::Query& filter,
                      const RankingSettings& settings, std::size_t depth, bool browse) {
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, filter));
  enquire.set_weighting_scheme(*make_weight(settings));
  if (browse) enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  // Translations of one article are one result: collapse on the translation group.
  enquire.set_collapse_key(schema::kSlotGroup);
  const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(depth), Xapian::doccount(0));
  XapianPass pass;
  pass.max_possible = mset.get_max_possible();
  for (auto it = mset.begin(); it != mset.end(); ++it) pass.hits.emplace_back(*it, it.get_weight());
  pass.top = pass.hits.empty() ? 0 : pass.hits.front().second;
  return pass;
}

Retrieval retrieve(const QueryBuilder& builder, const Xapian::Database& db, const std::string& text,
                   const Xapian::Query& filter, const RankingSettings& settings, std::size_t depth, bool synonyms,
                   bool spelling) {
  Retrieval r;
  r.prepared = builder.prepare(text, false, synonyms);
  r.pass = run_xapian(db, r.prepared.query, filter, settings, depth, r.prepared.browse);
  if (!spelling) return r;
  PreparedQuery corrected = builder.prepare(text, true, synonyms);
  if (corrected.corrections.empty()) return r;
  r.corrected_query = corrected.corrected_text;
  r.corrections = corrected.corrections;
  XapianPass alternative = run_xapian(db, corrected.query, filter, settings, depth, corrected.browse);
  // The typed words were unknown to the index, so the corrected query can only do better;
  // switch when the typed query found nothing or clearly less.
  if (r.pass.hits.empty() || alternative.top > 1.25 * r.pass.top) {
    r.auto_corrected = true;
    r.prepared = std::move(corrected);
    r.pass = std::move(alternative);
  }
  return r;
}

namespace {

Xapian::Query id_terms(const std::vector<std::string>& ids) {
  std::vector<Xapian::Query> terms;
  for (const auto& id : ids) terms.emplace_back(std::string(schema::kId) + id);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

Fused fuse(const Xapian::Database& db, const XapianPass& pass, const Xapian::Query& query,
           const Xapian::Query& filter, const RankingSettings& settings, const QueryModelScores* scores,
           const FacetTable* table) {
  Fused out;
  out.matched = query;
  auto group_of = [&](Xapian::docid id) -> std::uint64_t {
    const std::uint32_t g = table ? table->group_of(id) : FacetTable::kNoGroup;
    return g == FacetTable::kNoGroup ? (std::uint64_t{1} << 32) + id : g;
  };
  std::unordered_set<std::uint64_t> groups;
  for (std::size_t i = 0; i < pass.hits.size(); ++i) {
    Candidate c;
    c.docid = pass.hits[i].first;
    c.xapian = pass.hits[i].second;
    c.xapian_rank = i;
    out.candidates.push_back(c);
    groups.insert(group_of(c.docid));
  }
  if (!scores || scores->empty()) {
    order_candidates(out.candidates, 0.0);
    return out;
  }

  // The model proposes the articles it prefers to every article the words found (a paraphrase
  // with no word in common); when the words found nothing, only those it is sure of (a
  // positive decision value), so that a query of unknown words still finds nothing.
  double best_found = 0;
  if (!pass.hits.empty()) {
    best_found = -std::numeric_limits<double>::infinity();
    for (const auto& [id, weight] : pass.hits)
      if (auto s = scores->of(id)) best_found = std::max(best_found, *s);
  }
  std::unordered_map<Xapian::docid, std::string> proposed;  // docid -> article id
  std::vector<std::string> missing;
  for (const auto& [docid, id] : scores->claimed(kModelClaims, best_found))
    if (!groups.count(group_of(docid))) {
      proposed.emplace(docid, id);
      missing.push_back(id);
    }
  auto with_proposals = [&](const std::vector<std::string>& ids) {
    return Xapian::Query(Xapian::Query::OP_OR, query,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, id_terms(ids), 0.0));
  };
  if (!missing.empty()) {
    // Their Xapian weights (0 where no word matches), and whether they pass the filters.
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, with_proposals(missing),
                                    Xapian::Query(Xapian::Query::OP_AND, filter, id_terms(missing))));
    enquire.set_weighting_scheme(*make_weight(settings));
    enquire.set_collapse_key(schema::kSlotGroup);
    const Xapian::MSet extra = enquire.get_mset(0, static_cast<Xapian::doccount>(missing.size()));
    for (auto it = extra.begin(); it != extra.end(); ++it) {
      if (!groups.insert(group_of(*it)).second) continue;
      Candidate c;
      c.docid = *it;
      c.xapian = it.get_weight();
      c.xapian_rank = out.candidates.size();
      c.proposed = proposed.at(*it);
      out.candidates.push_back(c);
    }
  }
  for (auto& c : out.candidates) {
    // A translation group scores as its best-scored translation.
    std::uint32_t g = table ? table->group_of(c.docid) : FacetTable::kNoGroup;
    if (g != FacetTable::kNoGroup && table->group_has_several(g)) {
      auto [first, last] = table->members(g);
      for (const Xapian::docid* m = first; m != last; ++m)
        if (auto s = scores->of(*m); s && (!c.model || *s > *c.model)) c.model = s;
    } else {
      c.model = scores->of(c.docid);
    }
  }
  order_candidates(out.candidates, settings.model_weight);
  if (!missing.empty()) out.matched = with_proposals(missing);
  return out;
}

void keep_near_proposals(Fused& fused, const Xapian::Query& query) {
  std::vector<std::string> kept;
  std::size_t position = 0;
  std::erase_if(fused.candidates, [&](const Candidate& c) {
    const bool drop = !c.proposed.empty() && position >= kProposalsKept;
    ++position;
    if (!c.proposed.empty() && !drop) kept.push_back(c.proposed);
    return drop;
  });
  fused.matched = kept.empty() ? query
                               : Xapian::Query(Xapian::Query::OP_OR, query,
                                               Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, id_terms(kept), 0.0));
}

std::set<std::string> matching_stems(const Xapian::Database& db, Xapian::docid id, const Xapian::Query& query) {
  std::set<std::string> out;
  const std::string prefix(schema::kStem);
  Xapian::TermIterator doc = db.termlist_begin(id);
  const Xapian::TermIterator doc_end = db.termlist_end(id);
  // Both lists are sorted: one merge pass.
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end() && doc != doc_end; ++t) {
    if (!(*t).starts_with(prefix)) continue;
    doc.skip_to(*t);
    if (doc != doc_end && *doc == *t) out.insert((*t).substr(prefix.size()));
  }
  return out;
}

void order_candidates(std::vector<Candidate>& candidates, double model_weight) {
  double top = 0;
  double lowest_model = std::numeric_limits<double>::infinity();
  for (const auto& c : candidates) {
    top = std::max(top, c.xapian);
    if (c.model) lowest_model = std::min(lowest_model, *c.model);
  }
  if (lowest_model == std::numeric_limits<double>::infinity()) lowest_model = 0;
  for (auto& c : candidates) {
    const double x = top > 0 ? c.xapian / top : 0;
    // An article no model knows (no examples, another locale) counts as the least likely of
    // those it does know: the model neither lifts nor buries it.
    const double m = c.model ? *c.model : lowest_model;
    c.fused = model_weight * m + (1 - model_weight) * x;
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.fused != b.fused ? a.fused > b.fused : a.xapian_rank < b.xapian_rank;
  });
}

}  // namespace helpmark::search
