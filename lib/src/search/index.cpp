#include "helpmark/index.hpp"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "analysis/analyzer.hpp"
#include "index/schema.hpp"
#include "index/storage.hpp"
#include "search/facets.hpp"
#include "search/snippet.hpp"

namespace fs = std::filesystem;

namespace helpmark {
namespace {

// One Xapian handle and the analyzers that go with it; used by one thread at a time.
struct Handle {
  Xapian::Database db;
  std::uint64_t generation = 0;
  std::map<std::string, std::unique_ptr<analysis::Analyzer>> analyzers;

  analysis::Analyzer& analyzer(const std::string& locale) {
    auto& slot = analyzers[locale];
    if (!slot) slot = std::make_unique<analysis::Analyzer>(locale);
    return *slot;
  }
};

Xapian::Query or_terms(std::string_view prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const auto& v : values) terms.emplace_back(std::string(prefix) + v);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// The locales a request for `locale` searches, best first: pt-BR, pt, then the default.
std::vector<std::string> fallback_chain(const std::string& locale, const std::string& default_locale) {
  std::vector<std::string> chain;
  auto add = [&](const std::string& l) {
    if (!l.empty() && std::find(chain.begin(), chain.end(), l) == chain.end()) chain.push_back(l);
  };
  add(locale);
  add(locale.substr(0, locale.find('-')));
  add(default_locale);
  return chain;
}

}  // namespace

class Index::Impl {
 public:
  Impl(fs::path dir, Xapian::Database first) : dir_(std::move(dir)) {
    default_locale_ = first.get_metadata(schema::kMetaDefaultLocale);
    if (default_locale_.empty()) default_locale_ = "en";
    auto handle = std::make_unique<Handle>();
    handle->db = std::move(first);
    free_.push_back(std::move(handle));
  }

  // Lends a handle for the duration of one call; returns it to the pool afterwards.
  class Lease {
   public:
    Lease(Impl& impl, std::unique_ptr<Handle> h) : impl_(impl), handle_(std::move(h)) {}
    ~Lease() { impl_.give_back(std::move(handle_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Handle* operator->() { return handle_.get(); }
    Handle& operator*() { return *handle_; }

   private:
    Impl& impl_;
    std::unique_ptr<Handle> handle_;
  };

  Lease lease() {
    std::unique_ptr<Handle> handle;
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        handle = std::move(free_.back());
        free_.pop_back();
      }
    }
    const std::uint64_t wanted = generation_.load();
    if (!handle) {
      handle = std::make_unique<Handle>();
      handle->db = Xapian::Database(dir_.string());
      handle->generation = wanted;
    } else if (handle->generation != wanted) {
      handle->db.reopen();
      handle->generation = wanted;
    }
    return Lease(*this, std::move(handle));
  }

  void give_back(std::unique_ptr<Handle> handle) {
    if (!handle) return;
    std::lock_guard lock(mu_);
    free_.push_back(std::move(handle));
  }

  Status reopen() {
    auto probe = storage::open_for_reading(dir_);
    if (!probe.ok()) return probe.status();
    default_locale_ = probe->get_metadata(schema::kMetaDefaultLocale);
    if (default_locale_.empty()) default_locale_ = "en";
    ++generation_;
    return Status::Ok();
  }

  Result<SearchResponse> search(const SearchRequest& request);
  Result<Article> get(const std::string& id);
  std::size_t size() {
    auto h = lease();
    return h->db.get_doccount();
  }

 private:
  Result<SearchResponse> search_once(Handle& handle, const SearchRequest& request);

  fs::path dir_;
  std::string default_locale_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Handle>> free_;
  std::atomic<std::uint64_t> generation_{0};
};

Result<SearchResponse> Index::Impl::search(const SearchRequest& request) {
  if (request.limit > SearchRequest::kMaxLimit)
    return Status(ErrorCode::kInvalidArgument,
                  "limit " + std::to_string(request.limit) + " is over the maximum of " +
                      std::to_string(SearchRequest::kMaxLimit));
  for (const auto& f : request.facets)
    if (schema::prefix_of_field(f).empty())
      return Status(ErrorCode::kInvalidArgument,
                    "unknown facet '" + f + "'; facets: journey, subtopic, audience, locale, tags, status");
  auto handle = lease();
  // A writer that commits many times while we read can invalidate our revision: reopen once.
  try {
    return search_once(*handle, request);
  } catch (const Xapian::DatabaseModifiedError&) {
    handle->db.reopen();
    return search_once(*handle, request);
  }
}

Result<SearchResponse> Index::Impl::search_once(Handle& handle, const SearchRequest& request) {
  const std::string query_locale = request.locale.empty() ? default_locale_ : request.locale;
  analysis::Analyzer& analyzer = handle.analyzer(query_locale);

  // Free text: each word becomes the OP_SYNONYM of its stems; words are OR-ed and BM25 ranks.
  std::vector<analysis::Token> tokens;
  analyzer.tokenize(request.query, tokens);
  const bool all_stopwords =
      std::all_of(tokens.begin(), tokens.end(), [](const analysis::Token& t) { return t.stopword; });
  std::vector<Xapian::Query> words;
  std::set<std::string> query_stems;
  std::vector<std::string> stems;
  for (const auto& token : tokens) {
    if (token.stopword && !all_stopwords) continue;
    stems.clear();
    analyzer.stems(token, stems);
    std::vector<Xapian::Query> alternatives;
    for (const auto& s : stems) {
      query_stems.insert(s);
      alternatives.emplace_back(std::string(schema::kStem) + s);
    }
    words.emplace_back(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
  }
  const bool browse = words.empty();
  Xapian::Query query = browse ? Xapian::Query::MatchAll
                               : Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end());

  // Filters: OR within a field, AND across fields.
  std::vector<Xapian::Query> filters;
  const SearchFilters& f = request.filters;
  if (!f.journeys.empty()) filters.push_back(or_terms(schema::kJourney, f.journeys));
  if (!f.subtopics.empty()) filters.push_back(or_terms(schema::kSubtopic, f.subtopics));
  if (!f.audiences.empty()) filters.push_back(or_terms(schema::kAudience, f.audiences));
  if (!f.tags.empty()) filters.push_back(or_terms(schema::kTag, f.tags));
  if (!f.locales.empty()) filters.push_back(or_terms(schema::kLocale, f.locales));
  if (!request.locale.empty())
    filters.push_back(or_terms(schema::kLocale, fallback_chain(request.locale, default_locale_)));
  filters.push_back(or_terms(schema::kStatus, f.statuses.empty() ? std::vector<std::string>{"published"}
                                                                 : f.statuses));
  query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                        Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));

  Xapian::Enquire enquire(handle.db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  if (browse) enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  std::unique_ptr<search::FacetSpy> spy;
  if (!request.facets.empty()) {
    spy = std::make_unique<search::FacetSpy>(
        std::set<std::string>(request.facets.begin(), request.facets.end()));
    enquire.add_matchspy(spy.get());
  }
  // Visiting every match makes the total and the facet counts exact.
  Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                       static_cast<Xapian::doccount>(request.limit),
                                       handle.db.get_doccount());
  SearchResponse response;
  response.total = mset.get_matches_estimated();
  if (spy) response.facets = spy->result();
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    Article a = schema::decode_article(it.get_document().get_data());
    Hit hit;
    hit.id = a.id;
    hit.title = a.title;
    hit.summary = a.summary;
    hit.score = it.get_weight();
    hit.journey = a.journey;
    hit.subtopic = a.subtopic;
    hit.locale = a.locale;
    hit.path = a.path;
    hit.audience = a.audience;
    hit.tags = a.tags;
    hit.updated = a.updated;
    hit.snippet = search::make_snippet(a.body_text, query_stems, handle.analyzer(a.locale));
    response.hits.push_back(std::move(hit));
  }
  return response;
}

Result<Article> Index::Impl::get(const std::string& id) {
  auto handle = lease();
  const std::string term = std::string(schema::kId) + id;
  auto p = handle->db.postlist_begin(term);
  if (p == handle->db.postlist_end(term))
    return Status(ErrorCode::kNotFound, "no article with id '" + id + "' in the index");
  return schema::decode_article(handle->db.get_document(*p).get_data());
}

// The public face: every call converts library exceptions into a Status.
namespace {
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status(ErrorCode::kCorrupt, "the index is damaged: " + e.get_msg());
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
  return guarded([&]() -> Result<Index> {
    return Index(std::make_unique<Impl>(dir, std::move(db).value()));
  });
}

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Index::Index(Index&&) noexcept = default;
Index& Index::operator=(Index&&) noexcept = default;
Index::~Index() = default;

Result<SearchResponse> Index::search(const SearchRequest& request) const {
  return guarded([&] { return impl_->search(request); });
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

}  // namespace helpmark
