#include "helpmark/index.hpp"

#include <xapian.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "helpmark/answer.hpp"
#include "index/schema.hpp"
#include "index/storage.hpp"
#include "search/confidence.hpp"
#include "search/facets.hpp"
#include "search/index_impl.hpp"
#include "search/snippet.hpp"
#include "util/locale_tag.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace helpmark {
namespace {

Xapian::Query or_terms(std::string_view prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const auto& v : values) terms.emplace_back(std::string(prefix) + v);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

Status check_query_text(const std::string& text) {
  if (text.size() > SearchRequest::kMaxQueryBytes)
    return Status(ErrorCode::kInvalidArgument, "query is " + std::to_string(text.size()) +
                                                   " bytes, over the limit of " +
                                                   std::to_string(SearchRequest::kMaxQueryBytes));
  if (text::find_invalid_utf8(text) != std::string::npos)
    return Status(ErrorCode::kInvalidArgument, "query is not valid UTF-8");
  return Status::Ok();
}

Status canonicalise_locale(std::string& locale) {
  if (locale.empty()) return Status::Ok();
  auto canonical = locale.size() <= locale_tag::kMaxRequestTagBytes ? locale_tag::canonical(locale) : std::nullopt;
  if (!canonical)
    return Status(ErrorCode::kInvalidArgument, "locale '" + std::string(text::utf8_prefix(locale, 40)) +
                                                   "' is not a BCP 47 tag such as en, es or pt-BR");
  locale = std::move(*canonical);
  return Status::Ok();
}

const search::FacetTable& Handle::facet_table() {
  if (!facets || facets->revision() != db.get_revision())
    facets = std::make_unique<search::FacetTable>(search::FacetTable::build(db));
  return *facets;
}

const search::ModelView& Handle::model_view(const std::string& locale, std::shared_ptr<const model::LexicalModel> model) {
  auto& slot = model_views[locale];
  const Xapian::rev revision = db.get_revision();
  if (!slot.view || slot.revision != revision || &slot.view->model() != model.get()) {
    slot.view = std::make_unique<search::ModelView>(std::move(model), db);
    slot.revision = revision;
  }
  return *slot.view;
}

Index::Impl::Impl(fs::path dir, Xapian::Database first) : dir_(std::move(dir)) {
  snapshot_ = load_snapshot(first, 0);
  auto handle = std::make_unique<Handle>();
  handle->db = std::move(first);
  free_.push_back(std::move(handle));
}

std::shared_ptr<Snapshot> Index::Impl::load_snapshot(const Xapian::Database& db, std::uint64_t generation) const {
  auto s = std::make_shared<Snapshot>();
  s->generation = generation;
  s->default_locale = db.get_metadata(schema::kMetaDefaultLocale);
  if (s->default_locale.empty()) s->default_locale = "en";
  s->stemming = db.get_metadata(schema::kMetaStemming) != "0";
  s->ranking = RankingSettings::from_json(db.get_metadata(schema::kMetaRanking));
  s->model = search::model_from_json(db.get_metadata(schema::kMetaAnswerModel)).value_or(AnswerModel::defaults());
  return s;
}

Index::Impl::Lease Index::Impl::lease() {
  std::unique_ptr<Handle> handle;
  {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      handle = std::move(free_.back());
      free_.pop_back();
    }
  }
  const std::uint64_t wanted = generation_.load();
  if (!handle || handle->generation != wanted) {
    // Opened afresh, not reopen(): on a replica the stub may now name another replica_N
    // directory, and reopen() would look for the old one, which xapian-replicate removed.
    if (!handle) handle = std::make_unique<Handle>();
    handle->db = Xapian::Database(dir_.string());
    handle->generation = wanted;
  }
  return Lease(*this, std::move(handle));
}

void Index::Impl::give_back(std::unique_ptr<Handle> handle) {
  if (!handle) return;
  std::lock_guard lock(mu_);
  free_.push_back(std::move(handle));
}

std::shared_ptr<Snapshot> Index::Impl::snapshot() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

Status Index::Impl::reopen() {
  auto probe = storage::open_for_reading(dir_);
  if (!probe.ok()) return probe.status();
  const std::uint64_t next = generation_.load() + 1;
  auto fresh = load_snapshot(probe.value(), next);
  {
    std::lock_guard lock(mu_);
    snapshot_ = std::move(fresh);
  }
  generation_.store(next);
  return Status::Ok();
}

analysis::Analyzer& Index::Impl::analyzer(Handle& handle, const Snapshot& snapshot, const std::string& locale) {
  auto& slot = handle.analyzers[locale];
  if (!slot || slot->has_stemmer() != (snapshot.stemming && !analysis::stemmer_language(locale).empty()))
    slot = std::make_unique<analysis::Analyzer>(locale, snapshot.stemming);
  return *slot;
}

LocaleResources& Index::Impl::resources(Handle& handle, Snapshot& snapshot, const std::string& locale) {
  std::lock_guard lock(snapshot.mu);
  auto& slot = snapshot.resources[locale];
  if (!slot) {
    slot = std::make_shared<LocaleResources>();
    std::string data = handle.db.get_metadata(std::string(schema::kMetaSynonymsPrefix) + locale);
    if (!data.empty())
      slot->synonyms = std::make_shared<const vocabulary::SynonymTable>(vocabulary::SynonymTable::deserialize(data));
  }
  return *slot;
}

const vocabulary::Speller* Index::Impl::speller(Handle& handle, Snapshot& snapshot, const std::string& locale) {
  LocaleResources& r = resources(handle, snapshot, locale);
  std::call_once(r.speller_once, [&] {
    auto vocab = vocabulary::Vocabulary::deserialize(
        handle.db.get_metadata(std::string(schema::kMetaVocabularyPrefix) + locale));
    std::vector<std::string> domain;
    for (auto& w : text::split(handle.db.get_metadata(std::string(schema::kMetaSpellingPrefix) + locale), '\n'))
      if (!w.empty()) domain.push_back(std::move(w));
    if (vocab.size() || !domain.empty()) r.speller = std::make_unique<vocabulary::Speller>(std::move(vocab), domain);
  });
  return r.speller.get();
}

std::shared_ptr<const model::LexicalModel> Index::Impl::lexical_model(Handle& handle, Snapshot& snapshot,
                                                                   const std::string& locale) {
  LocaleResources& r = resources(handle, snapshot, locale);
  std::call_once(r.model_once, [&] {
    const std::string data = handle.db.get_metadata(std::string(schema::kMetaModelPrefix) + locale);
    if (data.empty()) return;
    // A damaged model is left out: search goes on with Xapian alone (show --index-stats says why).
    if (auto m = model::LexicalModel::deserialize(data); m.ok())
      r.model = std::make_shared<const model::LexicalModel>(std::move(m).value());
  });
  return r.model;
}

std::vector<std::string> Index::Impl::chain(const Snapshot& snapshot, const std::string& locale, bool fallback) const {
  std::vector<std::string> chain;
  auto add = [&](const std::string& l) {
    if (!l.empty() && std::find(chain.begin(), chain.end(), l) == chain.end()) chain.push_back(l);
  };
  if (locale.empty()) {
    add(snapshot.default_locale);
    return chain;
  }
  add(locale);
  if (fallback) {
    add(locale.substr(0, locale.find('-')));
    add(snapshot.default_locale);
  }
  return chain;
}

search::QueryBuilder Index::Impl::builder(Handle& handle, Snapshot& snapshot, const std::vector<std::string>& chain) {
  std::vector<search::LocaleContext> contexts;
  for (const auto& locale : chain) {
    search::LocaleContext ctx;
    ctx.locale = locale;
    ctx.analyzer = &analyzer(handle, snapshot, locale);
    LocaleResources& res = resources(handle, snapshot, locale);
    ctx.synonyms = res.synonyms;
    Handle* h = &handle;
    Snapshot* sn = &snapshot;
    ctx.speller = [this, h, sn, locale]() { return speller(*h, *sn, locale); };
    LocaleResources* r = &res;
    ctx.dictionary = [r, locale]() {
      std::call_once(r->dictionary_once, [&] { r->dictionary = vocabulary::LanguageDictionary::open(locale); });
      return r->dictionary.get();
    };
    contexts.push_back(std::move(ctx));
  }
  return search::QueryBuilder(std::move(contexts), handle.db);
}

Ranked Index::Impl::rank(Handle& handle, Snapshot& snapshot, const RankRequest& request) {
  // A writer that commits many times while we read can invalidate our revision: reopen once.
  try {
    return rank_once(handle, snapshot, request);
  } catch (const Xapian::DatabaseModifiedError&) {
    handle.db = Xapian::Database(dir_.string());  // not reopen(): see lease()
    return rank_once(handle, snapshot, request);
  }
}

Ranked Index::Impl::rank_once(Handle& handle, Snapshot& snapshot, const RankRequest& request) {
  Ranked ranked;
  ranked.chain = chain(snapshot, request.locale, request.layers.fallback);
  search::QueryBuilder qb = builder(handle, snapshot, ranked.chain);

  // Filters: OR within a field, AND across fields.
  std::vector<Xapian::Query> filters;
  const SearchFilters& f = request.filters;
  if (!f.journeys.empty()) filters.push_back(or_terms(schema::kJourney, f.journeys));
  if (!f.subtopics.empty()) filters.push_back(or_terms(schema::kSubtopic, f.subtopics));
  if (!f.audiences.empty()) filters.push_back(or_terms(schema::kAudience, f.audiences));
  if (!f.tags.empty()) filters.push_back(or_terms(schema::kTag, f.tags));
  if (!f.locales.empty()) filters.push_back(or_terms(schema::kLocale, f.locales));
  if (!request.locale.empty()) filters.push_back(or_terms(schema::kLocale, ranked.chain));
  const std::vector<std::string> statuses = f.statuses.empty() ? std::vector<std::string>{"published"} : f.statuses;
  filters.push_back(or_terms(schema::kStatus, statuses));
  const Xapian::Query filter(Xapian::Query::OP_AND, filters.begin(), filters.end());

  // The index's own settings, or a weighting forced to compare.
  RankingSettings settings = snapshot.ranking;
  if (request.layers.ranking == SearchLayers::Ranking::kBm25) settings.weighting = RankingSettings::Weighting::kBm25;
  if (request.layers.ranking == SearchLayers::Ranking::kLanguageModel)
    settings.weighting = RankingSettings::Weighting::kLanguageModel;
  // Xapian's candidates for the fusion: the page, and at least kFusionDepth.
  const std::size_t depth = std::max(search::kFusionDepth, request.offset + request.limit);

  search::Retrieval retrieval = search::retrieve(qb, handle.db, request.query, filter, settings, depth,
                                                 request.layers.synonyms, request.layers.spelling);
  ranked.auto_corrected = retrieval.auto_corrected;
  ranked.corrected_query = retrieval.corrected_query;
  ranked.corrections = retrieval.corrections;
  search::PreparedQuery& prepared = retrieval.prepared;
  const search::XapianPass& pass = retrieval.pass;

  // The lexical models of the chain score the text that was searched.
  search::QueryModelScores scores;
  std::vector<std::unique_ptr<model::FeatureExtractor>> extractors;
  if (request.layers.model && !prepared.browse && settings.model_weight > 0) {
    std::vector<search::ModelContext> contexts;
    // Models of the query's language only: the default locale's model knows nothing of a
    // German query (its articles compete on Xapian's weight instead).
    const std::string language = ranked.chain.front().substr(0, ranked.chain.front().find('-'));
    for (const auto& locale : ranked.chain) {
      if (locale.substr(0, locale.find('-')) != language) continue;
      auto m = lexical_model(handle, snapshot, locale);
      if (!m) continue;
      extractors.push_back(std::make_unique<model::FeatureExtractor>(analyzer(handle, snapshot, locale)));
      contexts.push_back({&handle.model_view(locale, std::move(m)), extractors.back().get()});
    }
    scores.compute(ranked.auto_corrected ? ranked.corrected_query : request.query, contexts);
  }
  if (scores.empty()) settings.model_weight = 0;
  const search::FacetTable& table = handle.facet_table();
  search::Fused fused = search::fuse(handle.db, pass, prepared.query, filter, settings, &scores, &table);
  search::keep_near_proposals(fused, prepared.query);
  ranked.ranking = {settings.weighting_name(), settings.model_weight, settings.chosen_by};

  // The exact total and facet counts: one pass over every match of the chosen query (with the
  // articles the model added), without weights (BoolWeight) or collapsing (the spy counts each
  // translation group once itself). Cheaper than making the ranking pass visit every match.
  {
    search::FacetSpy spy(table, std::set<std::string>(request.facets.begin(), request.facets.end()));
    Xapian::Enquire counter(handle.db);
    counter.set_query(Xapian::Query(Xapian::Query::OP_FILTER, fused.matched, filter));
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.add_matchspy(&spy);
    (void)counter.get_mset(0, 0, handle.db.get_doccount());
    ranked.total = spy.groups();
    ranked.facets = spy.result();
  }
  ranked.max_possible = pass.max_possible;

  const std::size_t end = std::min(fused.candidates.size(), request.offset + request.limit);
  for (std::size_t i = request.offset; i < end; ++i) {
    const search::Candidate& candidate = fused.candidates[i];
    RankedHit hit;
    hit.weight = candidate.xapian;
    Xapian::docid shown = candidate.docid;
    // Show the translation in the best locale of the chain, whichever translation matched.
    // The facet table knows each translation's locale, status and filter fields: no document
    // is read to decide.
    if (ranked.chain.size() > 1 || request.locale.empty()) {
      const std::uint32_t group = table.group_of(candidate.docid);
      if (group != search::FacetTable::kNoGroup && table.group_has_several(group)) {
        auto rank_of = [&](std::string_view locale) {
          auto pos = std::find(ranked.chain.begin(), ranked.chain.end(), locale);
          return pos == ranked.chain.end() ? ranked.chain.size() : static_cast<std::size_t>(pos - ranked.chain.begin());
        };
        std::size_t best = rank_of(table.value_of(candidate.docid, "locale"));
        auto [first, last] = table.members(group);
        for (const Xapian::docid* other = first; best > 0 && other != last; ++other) {
          if (*other == candidate.docid) continue;
          const std::string_view status = table.value_of(*other, "status");
          if (std::find(statuses.begin(), statuses.end(), status) == statuses.end()) continue;
          // Translations may differ in tags, audience or sub-topic: show one only if it matches
          // every filter too.
          if (!table.has_any(*other, "locale", f.locales) || !table.has_any(*other, "journey", f.journeys) ||
              !table.has_any(*other, "subtopic", f.subtopics) || !table.has_any(*other, "audience", f.audiences) ||
              !table.has_any(*other, "tags", f.tags))
            continue;
          if (std::size_t r = rank_of(table.value_of(*other, "locale")); r < best) {
            best = r;
            shown = *other;
          }
        }
      }
    }
    Xapian::Document doc = handle.db.get_document(shown);
    const std::string data = doc.get_data();
    const schema::DocumentData parts = schema::split_document_data(data);
    hit.hit = schema::decode_hit(parts.hit);
    hit.hit.score = candidate.fused;
    hit.hit.xapian_score = candidate.xapian;
    hit.hit.has_model_score = candidate.model.has_value();
    hit.hit.model_score = candidate.model.value_or(0.0);
    hit.docid = shown;
    hit.snippet_source = std::string(parts.snippet);
    if (request.matched_stems) hit.matched_stems = search::matching_stems(handle.db, candidate.docid, fused.matched);
    ranked.hits.push_back(std::move(hit));
  }
  ranked.candidates = std::move(fused.candidates);
  ranked.prepared = std::move(prepared);
  return ranked;
}

Result<SearchResponse> Index::Impl::search(const SearchRequest& request) {
  if (request.limit > SearchRequest::kMaxLimit)
    return Status(ErrorCode::kInvalidArgument,
                  "limit " + std::to_string(request.limit) + " is over the maximum of " +
                      std::to_string(SearchRequest::kMaxLimit));
  for (const auto& f : request.facets)
    if (std::find(std::begin(kFacetFields), std::end(kFacetFields), f) == std::end(kFacetFields))
      return Status(ErrorCode::kInvalidArgument,
                    "unknown facet '" + f + "'; facets: journey, subtopic, audience, locale, tags, status");
  if (Status s = check_query_text(request.query); !s.ok()) return s;

  auto handle = lease();
  auto snap = snapshot();
  RankRequest rr;
  rr.query = request.query;
  rr.locale = request.locale;
  rr.filters = request.filters;
  rr.layers = request.layers;
  rr.facets = request.facets;
  rr.offset = request.offset;
  rr.limit = request.limit;
  Ranked ranked = rank(*handle, *snap, rr);

  SearchResponse response;
  response.total = ranked.total;
  response.facets = std::move(ranked.facets);
  response.corrected_query = ranked.corrected_query;
  response.auto_corrected = ranked.auto_corrected;
  response.corrections = ranked.corrections;
  response.synonyms = ranked.prepared.synonyms;
  response.locales = ranked.chain;
  response.ranking = ranked.ranking;
  if (ranked.prepared.no_searchable_words)
    response.notice = "the query has no searchable words (each is a stop word, a symbol or over 64 bytes); "
                      "nothing was searched";
  for (auto& rh : ranked.hits) {
    rh.hit.snippet = search::make_snippet(rh.snippet_source, ranked.prepared.highlight_stems,
                                          analyzer(*handle, *snap, rh.hit.locale));
    response.hits.push_back(std::move(rh.hit));
  }
  return response;
}

Result<Article> Index::Impl::get(const std::string& id) {
  auto handle = lease();
  const std::string term = std::string(schema::kId) + id;
  auto p = handle->db.postlist_begin(term);
  if (p == handle->db.postlist_end(term))
    return Status(ErrorCode::kNotFound, "no article with id '" + id + "' in the index");
  return schema::stored_article(handle->db.get_document(*p));
}

std::size_t Index::Impl::size() {
  auto h = lease();
  return h->db.get_doccount();
}

IndexStats Index::Impl::stats() {
  auto handle = lease();
  auto snap = snapshot();
  IndexStats st;
  st.articles = handle->db.get_doccount();
  st.schema = handle->db.get_metadata(schema::kMetaSchema);
  st.default_locale = snap->default_locale;
  const RankingSettings& r = snap->ranking;
  st.ranking = {r.fields_key(), r.weighting_name(), r.model_weight, r.chosen_by, r.tuning_json};
  const std::string prefix(schema::kMetaModelPrefix);
  for (auto k = handle->db.metadata_keys_begin(prefix); k != handle->db.metadata_keys_end(prefix); ++k) {
    const std::string data = handle->db.get_metadata(*k);
    if (data.empty()) continue;
    IndexStats::Model m;
    m.locale = (*k).substr(prefix.size());
    m.bytes = data.size();
    if (auto model = model::LexicalModel::deserialize(data); model.ok()) {
      m.articles = model->classes().size();
      m.features = model->table().size();
      m.weights = model->weight_count();
    } else {
      m.error = model.status().message();
    }
    st.models.push_back(std::move(m));
  }
  st.answer_model = snap->model;
  return st;
}

// The public face: every call converts library exceptions into a Status.
namespace {
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status(ErrorCode::kCorrupt, "the index is damaged: " + e.get_msg());
  } catch (const Xapian::DatabaseOpeningError& e) {
    return Status(ErrorCode::kNotFound, "the index cannot be opened: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return Status(ErrorCode::kIoError, "index error: " + e.get_description());
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("internal error: ") + e.what());
  }
}
}  // namespace

Result<Index> Index::open(const fs::path& dir) {
  auto db = storage::open_for_reading(dir);
  if (!db.ok()) return db.status();
  return guarded([&]() -> Result<Index> { return Index(std::make_unique<Impl>(dir, std::move(db).value())); });
}

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Index::Index(Index&&) noexcept = default;
Index& Index::operator=(Index&&) noexcept = default;
Index::~Index() = default;

Result<SearchResponse> Index::search(const SearchRequest& request) const {
  SearchRequest canonical = request;
  if (Status s = canonicalise_locale(canonical.locale); !s.ok()) return s;
  for (auto& l : canonical.filters.locales)
    if (Status s = canonicalise_locale(l); !s.ok()) return s;
  return guarded([&] { return impl_->search(canonical); });
}

Result<Answer> Index::answer(const std::string& question, const std::string& locale,
                             const AnswerOptions& options) const {
  std::string canonical = locale;
  if (Status s = canonicalise_locale(canonical); !s.ok()) return s;
  return guarded([&] { return impl_->answer(question, canonical, options); });
}

Result<std::vector<Suggestion>> Index::suggest(const std::string& prefix, const std::string& locale,
                                               std::size_t limit) const {
  std::string canonical = locale;
  if (Status s = canonicalise_locale(canonical); !s.ok()) return s;
  return guarded([&] { return impl_->suggest(prefix, canonical, limit); });
}

Result<Article> Index::get(const std::string& id) const {
  return guarded([&] { return impl_->get(id); });
}

Status Index::reopen() {
  auto r = guarded([&]() -> Result<bool> {
    Status s = impl_->reopen();
    if (!s.ok()) return s;
    return true;
  });
  return r.status();
}

std::size_t Index::size() const {
  auto r = guarded([&]() -> Result<std::size_t> { return impl_->size(); });
  return r.ok() ? r.value() : 0;
}

const fs::path& Index::path() const { return impl_->dir(); }

Result<Taxonomy> Index::taxonomy() const {
  return guarded([&]() -> Result<Taxonomy> {
    auto handle = impl_->lease();
    const std::string yaml = handle->db.get_metadata(schema::kMetaTaxonomy);
    if (yaml.empty())
      return Status(ErrorCode::kNotFound, impl_->dir().string() + ": this index does not keep its taxonomy (built by "
                                                                  "an older helpmark); run `helpmark index` again");
    return Taxonomy::parse(yaml, impl_->dir().string() + " (taxonomy kept in the index)");
  });
}

Result<IndexStats> Index::stats() const {
  return guarded([&]() -> Result<IndexStats> { return impl_->stats(); });
}

}  // namespace helpmark
