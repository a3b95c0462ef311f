// The effectiveness report: one pass over the events of each session in time order.
//
// Sequence metrics (refined and abandoned searches, click attribution, deflection windows,
// what a session did after a zero-result search) need each session's events in order, so the
// store hands them over sorted by (session, ts) and everything is aggregated in that one pass;
// SQL does the filtering, ordering and the few global figures.
#include "tracking/report.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "analysis/analyzer.hpp"
#include "helpmark/index.hpp"
#include "tracking/event.hpp"
#include "tracking/sqlite.hpp"
#include "util/text.hpp"

namespace helpmark::tracking {

std::optional<double> ratio(std::size_t numerator, std::size_t denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

std::optional<double> Deflection::rate() const { return ratio(deflected, deflected + ticketed); }
std::optional<double> ArticleMetrics::ctr() const { return ratio(clicks, impressions); }
std::optional<double> ArticleMetrics::mean_click_position() const {
  if (clicks == 0) return std::nullopt;
  return static_cast<double>(click_position_sum) / static_cast<double>(clicks);
}
std::optional<double> ArticleMetrics::helpful_ratio() const {
  return ratio(helpful_yes, helpful_yes + helpful_no);
}
std::optional<double> QueryMetrics::ctr() const { return ratio(clicked, searches); }

ArticleLookup article_lookup_from_index(const Index& index) {
  return [&index](const std::string& id) -> std::optional<ArticleMeta> {
    auto a = index.get(id);
    if (!a.ok()) return std::nullopt;
    return ArticleMeta{a->title, a->journey, a->locale, a->translation_of.empty() ? id : a->translation_of};
  };
}

JourneyGuesser journey_guesser_from_index(const Index& index) {
  return [&index](const std::string& text, const std::string& locale) -> std::string {
    SearchRequest request;
    request.query = text;
    request.locale = locale;
    request.limit = 5;
    auto response = index.search(request);
    if (!response.ok() || response->hits.empty()) return {};
    // Rank-weighted vote of the best hits: one strong hit outweighs two weak ones.
    std::map<std::string, double> votes;
    double weight = 1.0;
    for (const auto& hit : response->hits) {
      votes[hit.journey] += weight;
      weight *= 0.6;
    }
    return std::max_element(votes.begin(), votes.end(),
                            [](const auto& a, const auto& b) { return a.second < b.second; })
        ->first;
  };
}

namespace detail {

// ---------------------------------------------------------------------------------------------
// Query normalisation
// ---------------------------------------------------------------------------------------------

class QueryNormalizer::Impl {
 public:
  using Words = std::vector<std::vector<std::string>>;  // per word: its stems

  Words analyse(const std::string& locale, std::string_view query) {
    Words words;
    try {
      auto& analyzer = analyzers[locale];
      if (!analyzer) analyzer = std::make_unique<analysis::Analyzer>(locale);
      std::vector<analysis::Token> tokens;
      analyzer->tokenize(query, tokens);
      const bool all_stop = std::all_of(tokens.begin(), tokens.end(), [](const auto& t) { return t.stopword; });
      for (const auto& t : tokens) {
        if (t.stopword && !all_stop) continue;
        std::vector<std::string> stems;
        analyzer->stems(t, stems);
        if (stems.empty()) stems.push_back(t.folded);
        words.push_back(std::move(stems));
      }
    } catch (const std::exception&) {
      words = {{text::ascii_lower(text::trim(query))}};
    }
    return words;
  }

  static std::string node(const std::string& locale, const std::string& stem) { return locale + '\x1f' + stem; }

  // The canonical stem of a group is its shortest (then alphabetically first) member.
  static bool better(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  }

  std::string find(const std::string& x) {
    auto it = parent.find(x);
    if (it == parent.end() || it->second == x) return x;
    std::string root = find(it->second);
    parent[x] = root;
    return root;
  }

  void unite(const std::string& a, const std::string& b) {
    std::string ra = find(a), rb = find(b);
    parent.emplace(ra, ra);
    parent.emplace(rb, rb);
    if (ra == rb) return;
    if (better(rb, ra)) std::swap(ra, rb);
    parent[rb] = ra;
  }

  std::map<std::string, std::unique_ptr<analysis::Analyzer>> analyzers;
  std::unordered_map<std::string, Words> analysed;  ///< By locale + '\x1f' + query.
  std::unordered_map<std::string, std::string> parent;  ///< Union-find over locale + stem.
};

QueryNormalizer::QueryNormalizer() : impl_(std::make_unique<Impl>()) {}
QueryNormalizer::~QueryNormalizer() = default;

void QueryNormalizer::add(const std::string& locale, std::string_view query) {
  std::string k = Impl::node(locale, std::string(query));
  if (impl_->analysed.count(k)) return;
  Impl::Words words = impl_->analyse(locale, query);
  for (const auto& stems : words)
    for (std::size_t i = 1; i < stems.size(); ++i)
      impl_->unite(Impl::node(locale, stems[0]), Impl::node(locale, stems[i]));
  impl_->analysed.emplace(std::move(k), std::move(words));
}

void QueryNormalizer::finish() {
  for (auto& [k, v] : impl_->parent) v = impl_->find(k);
}

std::string QueryNormalizer::key(const std::string& locale, std::string_view query) {
  const std::string k = Impl::node(locale, std::string(query));
  auto it = impl_->analysed.find(k);
  const Impl::Words words = it != impl_->analysed.end() ? it->second : impl_->analyse(locale, query);
  std::vector<std::string> canonical;
  for (const auto& stems : words) {
    const std::string root = impl_->find(Impl::node(locale, stems.front()));
    canonical.push_back(root.substr(root.find('\x1f') + 1));
  }
  std::sort(canonical.begin(), canonical.end());
  canonical.erase(std::unique(canonical.begin(), canonical.end()), canonical.end());
  return text::join(canonical, " ");
}

namespace {

constexpr std::int64_t kMsPerDay = 86400000;
const std::string kUnknown = "unknown";
/// The locale of a search made without one: it searched every language.
const std::string kAllLocales = "all";

struct Row {
  std::int64_t ts = 0;
  EventType type = EventType::kTicket;
  std::string id, locale, audience, journey, query, filters, results, search_id, article, question, reason_code;
  std::int64_t total = -1;
  int position = 0;
  int helpful = -1, escalated = -1, accepted = -1;

  // Derived in the session pass.
  bool counted = false;  ///< Inside [from, to) and through the filters.
  std::string r_journey, r_locale, r_audience;
  int attributed_search = -1;  ///< For clicks: the search (row index) whose result it was.
  // For searches:
  int next_search = -1;
  /// The search this one only re-filtered (same query, new filters): not a search of its own;
  /// its clicks and views count for that one, which counts as refined.
  int refiltered = -1;
  bool was_refiltered = false;  ///< A later search re-filtered this one.
  bool clicked = false, engaged = false;
  std::string engaged_article;
};

EventType type_of(std::string_view t) {
  switch (t.empty() ? 't' : t[0]) {
    case 's': return EventType::kSearch;
    case 'c': return EventType::kClick;
    case 'v': return EventType::kView;
    case 'f': return EventType::kFeedback;
    case 'b': return EventType::kBotAnswer;
    default: return EventType::kTicket;
  }
}

bool has_article(const Row& r) {
  return !r.article.empty() && (r.type == EventType::kClick || r.type == EventType::kView ||
                                r.type == EventType::kFeedback || r.type == EventType::kBotAnswer);
}

// Sessions are numbered in the order the pass meets them, so "add once per session" is a
// comparison with the last number added.
void add_serial(std::vector<std::size_t>& serials, std::size_t serial) {
  if (serials.empty() || serials.back() != serial) serials.push_back(serial);
}

std::size_t distinct(std::vector<std::size_t>& serials) {
  std::sort(serials.begin(), serials.end());
  return static_cast<std::size_t>(std::unique(serials.begin(), serials.end()) - serials.begin());
}

// One exact query text in one locale; grouped into QueryMetrics once every query is known.
struct RawQuery {
  std::string locale, text;
  std::size_t searches = 0, zero = 0, clicked = 0, refined = 0, abandoned = 0;
  std::vector<std::size_t> sessions;
};

// One exact zero-result query or escalated question.
struct RawGap {
  std::string locale, text;
  std::size_t zero = 0, escalated = 0;
  std::vector<std::size_t> sessions, ticket_sessions;
  std::map<std::string, double> votes;
};

struct GroupAgg {
  Counts counts;
  std::size_t session_serial = 0;
};

std::string bucket_start(std::int64_t ts, Bucket bucket) {
  long days = static_cast<long>(ts / kMsPerDay);
  if (bucket == Bucket::kWeek) days -= (days + 3) % 7;  // back to Monday (1970-01-01 was a Thursday)
  std::string date = text::iso_date_from_days(days);
  if (bucket == Bucket::kMonth) date = date.substr(0, 8) + "01";
  return date;
}

std::int64_t next_bucket(std::int64_t ts, Bucket bucket) {
  long days = static_cast<long>(ts / kMsPerDay);
  if (bucket == Bucket::kDay) return (days + 1) * kMsPerDay;
  if (bucket == Bucket::kWeek) return (days - (days + 3) % 7 + 7) * kMsPerDay;
  std::string date = text::iso_date_from_days(days);
  int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2));
  if (++m > 12) m = 1, ++y;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
  return text::days_from_iso_date(buf) * kMsPerDay;
}

template <typename Map>
std::vector<std::pair<std::string, std::size_t>> sorted_variants(const Map& variants) {
  std::vector<std::pair<std::string, std::size_t>> v(variants.begin(), variants.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return v;
}

class Builder {
 public:
  Builder(sqlite3* db, const ReportOptions& o) : db_(db), o_(o) {}

  Report run();

 private:
  void process_session(std::vector<Row>& rows);
  const std::optional<ArticleMeta>& meta(const std::string& article);
  std::string article_journey(const Row& r);
  GroupAgg& group(std::unordered_map<std::string, GroupAgg>& map, const std::string& key) { return map[key]; }
  void add_session(GroupAgg& g) {
    if (g.session_serial != serial_) {
      g.session_serial = serial_;
      ++g.counts.sessions;
    }
  }
  // The locale a query or question is listed under: its own, "all" for a search without one.
  std::string query_locale(const Row& r) const { return r.r_locale == kUnknown ? o_.default_locale : r.r_locale; }
  // The analyser that groups a query's words: a search across all languages is read with the
  // default locale's.
  const std::string& analysis_locale(const std::string& locale) const {
    return locale == kAllLocales ? o_.default_locale : locale;
  }
  std::string translation_group(const std::string& article);
  // The metrics of an article and of its translation group, updated together.
  struct ArticleTargets {
    ArticleMetrics* article = nullptr;
    ArticleMetrics* group = nullptr;
    template <typename Fn>
    void each(Fn&& fn) const {
      fn(*article);
      fn(*group);
    }
  };
  ArticleTargets targets(const std::string& article, const std::string& journey);

  sqlite3* db_;
  const ReportOptions& o_;
  QueryNormalizer normalizer_;
  std::int64_t from_ = 0, to_ = INT64_MAX, horizon_ = 0;
  Bucket bucket_ = Bucket::kDay;
  std::size_t serial_ = 0;  ///< Increments per session: "seen in this session" without sets.
  std::int64_t first_counted_ = INT64_MAX, last_counted_ = INT64_MIN;

  std::unordered_map<std::string, std::optional<ArticleMeta>> meta_cache_;
  std::unordered_map<std::string, ArticleMetrics> articles_;
  std::unordered_map<std::string, ArticleMetrics> groups_;  ///< By translation group.
  std::unordered_map<std::string, RawQuery> queries_;
  std::unordered_map<std::string, RawGap> gaps_;
  void gap_evidence(RawGap& g, const std::vector<Row>& rows, std::size_t i);
  void count_impressions(const Row& search);
  std::unordered_map<std::string, GroupAgg> journeys_, locales_, audiences_, time_;
  GroupAgg totals_;
};

const std::optional<ArticleMeta>& Builder::meta(const std::string& article) {
  auto it = meta_cache_.find(article);
  if (it != meta_cache_.end()) return it->second;
  std::optional<ArticleMeta> m;
  if (o_.article_lookup) {
    try {
      m = o_.article_lookup(article);
    } catch (const std::exception&) {
      m.reset();
    }
  }
  return meta_cache_.emplace(article, std::move(m)).first->second;
}

std::string Builder::translation_group(const std::string& article) {
  const auto& m = meta(article);
  return m && !m->translation_group.empty() ? m->translation_group : article;
}

Builder::ArticleTargets Builder::targets(const std::string& article, const std::string& journey) {
  ArticleTargets t;
  t.article = &articles_[article];
  if (t.article->article.empty()) {
    t.article->article = article;
    if (const auto& m = meta(article)) t.article->title = m->title, t.article->locale = m->locale;
    t.article->journey = journey;
  }
  const std::string group = translation_group(article);
  t.group = &groups_[group];
  if (t.group->article.empty()) {
    t.group->article = group;
    const auto& m = meta(group);
    t.group->title = m ? m->title : t.article->title;
    Row probe;
    probe.article = group;
    t.group->journey = m ? article_journey(probe) : journey;
  }
  return t;
}

std::string Builder::article_journey(const Row& r) {
  const auto& m = meta(r.article);
  if (m && !m->journey.empty()) return m->journey;
  return r.journey.empty() ? kUnknown : r.journey;
}

void Builder::gap_evidence(RawGap& g, const std::vector<Row>& rows, std::size_t i) {
  add_serial(g.sessions, serial_);
  for (std::size_t k = i + 1; k < rows.size(); ++k) {
    const Row& later = rows[k];
    if (later.ts - rows[i].ts > o_.deflection_window_ms) break;
    if (has_article(later) && later.r_journey != kUnknown) g.votes[later.r_journey] += 0.5;
    if (later.type == EventType::kTicket) {
      if (!later.journey.empty()) g.votes[later.journey] += 1;
      add_serial(g.ticket_sessions, serial_);
    }
  }
}

// Each article a search listed was shown once (a repeated id counts once), and so was its
// translation group.
void Builder::count_impressions(const Row& search) {
  std::unordered_set<std::string> shown, shown_groups;
  for (auto& id : split_ids(search.results))
    if (shown.insert(id).second) {
      Row probe;
      probe.article = id;
      const ArticleTargets t = targets(id, article_journey(probe));
      ++t.article->impressions;
      if (shown_groups.insert(t.group->article).second) ++t.group->impressions;
    }
}

void Builder::process_session(std::vector<Row>& rows) {
  ++serial_;
  const std::string& session_locale = [&]() -> const std::string& {
    for (const auto& r : rows)
      if (!r.locale.empty()) return r.locale;
    return kUnknown;
  }();
  const std::string& session_audience = [&]() -> const std::string& {
    for (const auto& r : rows)
      if (!r.audience.empty()) return r.audience;
    return kUnknown;
  }();

  // Searches: the next search, and which clicks belong to each.
  // A search that repeats the session's previous query within the refine window with other
  // filters is a filter change of that search (its "root"), not a new search: a visitor who
  // ticks three facets made one search and refined it, not four.
  std::unordered_map<std::string_view, int> search_by_id;
  int last_search = -1;
  auto root = [&](int i) { return rows[i].refiltered >= 0 ? rows[i].refiltered : i; };
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    Row& r = rows[i];
    if (r.type == EventType::kSearch) {
      if (last_search >= 0) {
        Row& previous = rows[last_search];
        if (previous.query == r.query && previous.filters != r.filters && r.ts - previous.ts <= o_.refine_window_ms)
          r.refiltered = root(last_search), rows[r.refiltered].was_refiltered = true;
        else
          rows[root(last_search)].next_search = i;
      }
      last_search = i;
      search_by_id.emplace(r.id, i);
    } else if (r.type == EventType::kClick) {
      int target = last_search;
      if (!r.search_id.empty())
        if (auto it = search_by_id.find(r.search_id); it != search_by_id.end()) target = it->second;
      if (target >= 0) target = root(target);
      r.attributed_search = target;
      if (target >= 0) rows[target].clicked = true;
    }
    if ((r.type == EventType::kClick || r.type == EventType::kView) && last_search >= 0) {
      Row& s = rows[root(last_search)];
      if (!s.engaged) s.engaged_article = r.article;
      s.engaged = true;
    }
  }

  // Resolve journey, locale and audience of every event, then apply the filters.
  std::string last_article_journey;
  for (Row& r : rows) {
    if (has_article(r)) {
      r.r_journey = article_journey(r);
      if (r.r_journey != kUnknown) last_article_journey = r.r_journey;
    } else if (!r.journey.empty()) {
      r.r_journey = r.journey;
    } else if (r.type == EventType::kSearch) {
      auto filters = filters_from_json(r.filters);
      auto f = filters.find("journey");
      if (f != filters.end() && f->second.size() == 1) r.r_journey = f->second.front();
      else if (!r.engaged_article.empty()) {
        Row probe;
        probe.article = r.engaged_article;
        r.r_journey = article_journey(probe);
      } else r.r_journey = kUnknown;
    } else if (r.type == EventType::kTicket && !last_article_journey.empty()) {
      r.r_journey = last_article_journey;  // a ticket is about what was read last
    } else {
      r.r_journey = kUnknown;
    }
    // A search without a locale searched every language: it is nobody's language but "all".
    // Other events speak the session's first language, else the article's.
    if (!r.locale.empty()) r.r_locale = r.locale;
    else if (r.type == EventType::kSearch) r.r_locale = kAllLocales;
    else if (session_locale != kUnknown) r.r_locale = session_locale;
    else if (has_article(r) && meta(r.article) && !meta(r.article)->locale.empty()) r.r_locale = meta(r.article)->locale;
    else r.r_locale = kUnknown;
    r.r_audience = r.audience.empty() ? session_audience : r.audience;

    r.counted = r.ts >= from_ && r.ts < to_ && (o_.journey.empty() || r.r_journey == o_.journey) &&
                (o_.locale.empty() || r.r_locale == o_.locale) &&
                (o_.audience.empty() || r.r_audience == o_.audience);
  }

  std::vector<std::int64_t> tickets;
  for (const Row& r : rows)
    if (r.type == EventType::kTicket) tickets.push_back(r.ts);
  auto ticket_within = [&](std::int64_t start) {
    auto it = std::lower_bound(tickets.begin(), tickets.end(), start);
    return it != tickets.end() && *it - start <= o_.deflection_window_ms;
  };

  // First view (or click) of each deflection target in this session.
  std::vector<std::pair<Deflection*, std::int64_t>> first_views;
  auto viewed = [&](Deflection* d, std::int64_t ts) {
    for (auto& [target, first] : first_views)
      if (target == d) return;
    first_views.emplace_back(d, ts);
  };

  for (std::size_t i = 0; i < rows.size(); ++i) {
    Row& r = rows[i];
    if (!r.counted) continue;
    first_counted_ = std::min(first_counted_, r.ts);
    last_counted_ = std::max(last_counted_, r.ts);
    GroupAgg* groups[] = {&totals_, &journeys_[r.r_journey], &locales_[r.r_locale],
                          &audiences_[r.r_audience], &time_[bucket_start(r.ts, bucket_)]};
    for (GroupAgg* g : groups) add_session(*g);
    auto each = [&](auto&& fn) {
      for (GroupAgg* g : groups) fn(g->counts);
    };
    ArticleTargets art;
    if (has_article(r)) art = targets(r.article, r.r_journey);
    switch (r.type) {
      case EventType::kSearch: {
        if (r.refiltered >= 0) {  // only its results count: they were shown
          count_impressions(r);
          break;
        }
        const bool zero = r.total == 0;
        const bool refined = r.was_refiltered || (r.next_search >= 0 && rows[r.next_search].ts - r.ts <= o_.refine_window_ms);
        const bool abandoned = !refined && !r.engaged;
        each([&](Counts& c) {
          ++c.searches;
          c.zero_result_searches += zero;
          c.clicked_searches += r.clicked;
          c.refined_searches += refined;
          c.abandoned_searches += abandoned;
        });
        count_impressions(r);
        const std::string locale = query_locale(r);
        const std::string raw_key = locale + '\x1f' + r.query;
        RawQuery& q = queries_[raw_key];
        if (q.searches == 0) q.locale = locale, q.text = r.query;
        ++q.searches;
        add_serial(q.sessions, serial_);
        q.zero += zero;
        q.clicked += r.clicked;
        q.refined += refined;
        q.abandoned += abandoned;
        if (zero) {
          RawGap& g = gaps_[raw_key];
          if (g.zero + g.escalated == 0) g.locale = locale, g.text = r.query;
          ++g.zero;
          // Evidence: what the search filtered on, what the session read next, what its ticket
          // was about.
          if (!r.journey.empty()) g.votes[r.journey] += 1;
          else if (r.r_journey != kUnknown) g.votes[r.r_journey] += 1;
          gap_evidence(g, rows, i);
        }
        break;
      }
      case EventType::kClick:
        each([](Counts& c) { ++c.clicks; });
        art.each([&](ArticleMetrics& a) {
          ++a.clicks;
          a.click_position_sum += static_cast<std::size_t>(std::max(r.position, 1));
        });
        break;
      case EventType::kView:
        each([](Counts& c) { ++c.views; });
        art.each([](ArticleMetrics& a) { ++a.views; });
        break;
      case EventType::kFeedback:
        each([&](Counts& c) { ++(r.helpful == 1 ? c.helpful_yes : c.helpful_no); });
        art.each([&](ArticleMetrics& a) {
          ++(r.helpful == 1 ? a.helpful_yes : a.helpful_no);
          if (r.helpful != 1 && !r.reason_code.empty()) ++a.unhelpful_reasons[r.reason_code];
        });
        break;
      case EventType::kBotAnswer: {
        each([&](Counts& c) {
          ++c.bot_answers;
          c.bot_accepted += r.accepted == 1;
          c.bot_escalated += r.escalated == 1;
        });
        if (art.article)
          art.each([&](ArticleMetrics& a) {
            ++a.bot_answers;
            a.bot_accepted += r.accepted == 1;
            a.bot_escalated += r.escalated == 1;
          });
        if (r.escalated == 1) {
          const std::string locale = query_locale(r);
          RawGap& g = gaps_[locale + '\x1f' + r.question];
          if (g.zero + g.escalated == 0) g.locale = locale, g.text = r.question;
          ++g.escalated;
          if (r.r_journey != kUnknown) g.votes[r.r_journey] += 1;
          gap_evidence(g, rows, i);
        }
        break;
      }
      case EventType::kTicket:
        each([](Counts& c) { ++c.tickets; });
        break;
    }
    if (r.type == EventType::kView || r.type == EventType::kClick) {
      viewed(&art.article->deflection, r.ts);
      viewed(&art.group->deflection, r.ts);
      for (GroupAgg* g : groups) viewed(&g->counts.deflection, r.ts);
    }
  }

  for (auto& [target, first] : first_views) {
    ++target->viewing_sessions;
    if (ticket_within(first)) ++target->ticketed;
    else if (first + o_.deflection_window_ms > horizon_) ++target->pending;
    else ++target->deflected;
  }
}

Report Builder::run() {
  Report report;
  from_ = o_.from_ms.value_or(0);
  to_ = o_.to_ms.value_or(INT64_MAX);
  horizon_ = sql::query_int(db_, "SELECT coalesce(max(ts), 0) FROM events");

  // The span decides the default bucket size.
  std::int64_t span_from = from_, span_to = to_;
  {
    sql::Stmt s(db_, "SELECT min(ts), max(ts) FROM events WHERE ts >= ?1 AND ts < ?2");
    s.bind(1, from_);
    s.bind(2, to_);
    if (s.step() && !s.is_null(0)) {
      if (!o_.from_ms) span_from = s.int64(0);
      if (!o_.to_ms) span_to = s.int64(1) + 1;
    }
  }
  bucket_ = o_.bucket;
  if (bucket_ == Bucket::kAuto) {
    const std::int64_t days = (span_to - span_from) / kMsPerDay;
    bucket_ = days <= 62 ? Bucket::kDay : days <= 730 ? Bucket::kWeek : Bucket::kMonth;
  }

  // Tickets up to one window past the range still decide whether a view in the range deflected.
  const std::int64_t ticket_until =
      to_ == INT64_MAX ? INT64_MAX : (INT64_MAX - to_ > o_.deflection_window_ms ? to_ + o_.deflection_window_ms : INT64_MAX);
  // Walking the (session, ts) index avoids sorting the rows, which is several times faster when
  // the range holds a good part of the store; for a narrow range, finding its rows by time and
  // sorting those is cheaper than walking every session.
  std::int64_t all_events = sql::query_int(db_, "SELECT count(*) FROM events");
  std::int64_t in_range = 0;
  {
    sql::Stmt c(db_, "SELECT count(*) FROM events WHERE ts >= ?1 AND ts < ?2");
    c.bind(1, from_);
    c.bind(2, to_);
    if (c.step()) in_range = c.int64(0);
  }
  const bool walk_sessions = in_range * 4 >= all_events;
  sql::Stmt s(db_,
              std::string("SELECT type, ts, session, id, locale, audience, journey, query, filters, total, "
                          "results, search_id, article, position, helpful, question, escalated, accepted, "
                          "reason_code FROM events ") +
                  (walk_sessions ? "INDEXED BY events_by_session " : "") +
                  "WHERE ts >= ?1 AND (ts < ?2 OR (type = 'ticket' AND ts <= ?3)) ORDER BY session, ts, seq");
  s.bind(1, from_);
  s.bind(2, to_);
  s.bind(3, ticket_until);
  std::vector<Row> rows;
  std::string session;
  auto text = [&](int col) { return std::string(s.text(col)); };
  auto tri = [&](int col) { return s.is_null(col) ? -1 : static_cast<int>(s.int64(col) != 0); };
  while (s.step()) {
    std::string_view row_session = s.text(2);
    if (row_session != session) {
      if (!rows.empty()) process_session(rows);
      rows.clear();
      session.assign(row_session);
    }
    Row& r = rows.emplace_back();
    r.type = type_of(s.text(0));
    r.ts = s.int64(1);
    r.id = text(3);
    r.locale = text(4);
    r.audience = text(5);
    r.journey = text(6);
    r.query = text(7);
    r.filters = text(8);
    r.total = s.is_null(9) ? -1 : s.int64(9);
    r.results = text(10);
    r.search_id = text(11);
    r.article = text(12);
    r.position = static_cast<int>(s.int64(13));
    r.helpful = tri(14);
    r.question = text(15);
    r.escalated = tri(16);
    r.accepted = tri(17);
    r.reason_code = text(18);
  }
  if (!rows.empty()) process_session(rows);

  // ---- assemble ----
  const std::size_t top = o_.top == 0 ? SIZE_MAX : o_.top;
  report.from = o_.from_ms ? format_timestamp(*o_.from_ms) : "";
  report.to = o_.to_ms ? format_timestamp(*o_.to_ms) : "";
  if (first_counted_ <= last_counted_) {
    report.first_event = format_timestamp(first_counted_);
    report.last_event = format_timestamp(last_counted_);
  }
  report.horizon = horizon_ ? format_timestamp(horizon_) : "";
  report.generated_at = format_timestamp(now_ms());
  report.bucket = bucket_ == Bucket::kDay ? "day" : bucket_ == Bucket::kWeek ? "week" : "month";
  report.deflection_window_ms = o_.deflection_window_ms;
  report.refine_window_ms = o_.refine_window_ms;
  report.journey_filter = o_.journey;
  report.locale_filter = o_.locale;
  report.audience_filter = o_.audience;
  report.low_click_min_searches = o_.low_click_min_searches;
  report.low_click_max_ctr = o_.low_click_max_ctr;
  report.min_gap_count = o_.min_gap_count;
  report.totals = totals_.counts;

  // One row per translation group; a group with several translations lists each one.
  auto most_viewed = [](const ArticleMetrics& a, const ArticleMetrics& b) {
    if (a.views != b.views) return a.views > b.views;
    if (a.clicks != b.clicks) return a.clicks > b.clicks;
    if (a.impressions != b.impressions) return a.impressions > b.impressions;
    return a.article < b.article;
  };
  std::unordered_map<std::string, std::vector<ArticleMetrics>> members;
  for (auto& [id, a] : articles_) members[translation_group(id)].push_back(std::move(a));
  for (auto& [group, list] : members) {
    ArticleMetrics row;
    if (list.size() == 1) {
      row = std::move(list.front());
    } else {
      row = std::move(groups_[group]);
      std::sort(list.begin(), list.end(), most_viewed);
      row.translations = std::move(list);
    }
    if (!o_.journey.empty() && row.journey != o_.journey) continue;
    report.articles.push_back(std::move(row));
  }
  std::sort(report.articles.begin(), report.articles.end(), most_viewed);
  if (report.articles.size() > top) report.articles.resize(top);

  // Group the exact queries (and gap questions) by their normalised keys.
  for (const auto& [k, q] : queries_) normalizer_.add(analysis_locale(q.locale), q.text);
  for (const auto& [k, g] : gaps_) normalizer_.add(analysis_locale(g.locale), g.text);
  normalizer_.finish();
  struct Group {
    QueryMetrics m;
    std::vector<std::size_t> sessions;
  };
  std::map<std::string, Group> grouped;
  for (auto& [k, q] : queries_) {
    const std::string key = normalizer_.key(analysis_locale(q.locale), q.text);
    Group& g = grouped[q.locale + '\x1f' + key];
    g.m.key = key;
    g.m.locale = q.locale;
    g.m.searches += q.searches;
    g.m.zero_results += q.zero;
    g.m.clicked += q.clicked;
    g.m.refined += q.refined;
    g.m.abandoned += q.abandoned;
    g.m.variants.emplace_back(q.text, q.searches);
    g.sessions.insert(g.sessions.end(), q.sessions.begin(), q.sessions.end());
  }
  std::vector<QueryMetrics> all;
  all.reserve(grouped.size());
  for (auto& [k, g] : grouped) {
    g.m.sessions = distinct(g.sessions);
    g.m.variants = sorted_variants(g.m.variants);
    g.m.text = g.m.variants.front().first;
    if (g.m.variants.size() > 5) g.m.variants.resize(5);
    all.push_back(std::move(g.m));
  }
  auto by = [&](auto better) {
    std::vector<QueryMetrics> v;
    for (const auto& q : all)
      if (better(q)) v.push_back(q);
    return v;
  };
  report.queries = by([](const QueryMetrics&) { return true; });
  std::sort(report.queries.begin(), report.queries.end(), [](const auto& a, const auto& b) {
    return a.searches != b.searches ? a.searches > b.searches
                                    : std::tie(a.locale, a.key) < std::tie(b.locale, b.key);
  });
  report.zero_result_queries = by([](const QueryMetrics& q) { return q.zero_results > 0; });
  std::sort(report.zero_result_queries.begin(), report.zero_result_queries.end(), [](const auto& a, const auto& b) {
    return a.zero_results != b.zero_results ? a.zero_results > b.zero_results
                                            : std::tie(a.locale, a.key) < std::tie(b.locale, b.key);
  });
  report.low_click_queries = by([&](const QueryMetrics& q) {
    return q.searches >= o_.low_click_min_searches && q.zero_results < q.searches &&
           q.ctr().value_or(0) < o_.low_click_max_ctr;
  });
  std::sort(report.low_click_queries.begin(), report.low_click_queries.end(), [](const auto& a, const auto& b) {
    const double ca = a.ctr().value_or(0), cb = b.ctr().value_or(0);
    if (ca != cb) return ca < cb;
    return a.searches != b.searches ? a.searches > b.searches
                                    : std::tie(a.locale, a.key) < std::tie(b.locale, b.key);
  });
  for (auto* list : {&report.queries, &report.zero_result_queries, &report.low_click_queries})
    if (list->size() > top) list->resize(top);

  struct GapGroup {
    ContentGap g;
    std::vector<std::pair<std::string, std::size_t>> variants;
    std::vector<std::size_t> sessions, ticket_sessions;
    std::map<std::string, double> votes;
  };
  std::map<std::string, GapGroup> gap_groups;
  for (auto& [k, raw] : gaps_) {
    const std::string key = normalizer_.key(analysis_locale(raw.locale), raw.text);
    if (key.empty()) continue;  // nothing but punctuation: no gap to write about
    GapGroup& gg = gap_groups[raw.locale + '\x1f' + key];
    gg.g.key = key;
    gg.g.locale = raw.locale;
    gg.g.zero_result_searches += raw.zero;
    gg.g.escalated_questions += raw.escalated;
    gg.variants.emplace_back(raw.text, raw.zero + raw.escalated);
    gg.sessions.insert(gg.sessions.end(), raw.sessions.begin(), raw.sessions.end());
    gg.ticket_sessions.insert(gg.ticket_sessions.end(), raw.ticket_sessions.begin(), raw.ticket_sessions.end());
    for (const auto& [journey, v] : raw.votes) gg.votes[journey] += v;
  }
  for (auto& [k, gg] : gap_groups) {
    if (gg.g.zero_result_searches + gg.g.escalated_questions < o_.min_gap_count) continue;
    gg.g.text = sorted_variants(gg.variants).front().first;
    gg.g.sessions = distinct(gg.sessions);
    gg.g.ticket_sessions = distinct(gg.ticket_sessions);
    if (!gg.votes.empty()) {
      // Most votes; ties go to the alphabetically first journey, so reports are stable.
      auto best = gg.votes.begin();
      for (auto it = gg.votes.begin(); it != gg.votes.end(); ++it)
        if (it->second > best->second) best = it;
      gg.g.journey = best->first;
      gg.g.journey_basis = "sessions";
    }
    report.content_gaps.push_back(std::move(gg.g));
  }
  std::sort(report.content_gaps.begin(), report.content_gaps.end(), [](const auto& a, const auto& b) {
    const auto na = a.zero_result_searches + a.escalated_questions;
    const auto nb = b.zero_result_searches + b.escalated_questions;
    return na != nb ? na > nb : std::tie(a.locale, a.key) < std::tie(b.locale, b.key);
  });
  if (report.content_gaps.size() > top) report.content_gaps.resize(top);
  for (auto& g : report.content_gaps) {
    if (!g.journey.empty()) continue;
    std::string guess;
    if (o_.journey_guesser) {
      try {
        guess = o_.journey_guesser(g.text, g.locale);
      } catch (const std::exception&) {
        guess.clear();
      }
    }
    g.journey = guess.empty() ? kUnknown : guess;
    g.journey_basis = guess.empty() ? "none" : "index";
  }

  auto groups = [&](std::unordered_map<std::string, GroupAgg>& map, bool chronological) {
    std::vector<GroupMetrics> out;
    for (auto& [value, g] : map) out.push_back({value, g.counts});
    std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
      if (chronological) return a.value < b.value;
      return a.counts.sessions != b.counts.sessions ? a.counts.sessions > b.counts.sessions : a.value < b.value;
    });
    return out;
  };
  report.journeys = groups(journeys_, false);
  report.locales = groups(locales_, false);
  report.audiences = groups(audiences_, false);
  // Empty buckets too, so charts show quiet days as zero rather than skipping them.
  if (first_counted_ <= last_counted_) {
    const std::int64_t start = o_.from_ms ? *o_.from_ms : first_counted_;
    const std::int64_t end = o_.to_ms ? *o_.to_ms - 1 : last_counted_;
    std::size_t guard = 0;
    for (std::int64_t t = start; t <= end && guard < 2000; t = next_bucket(t, bucket_), ++guard)
      time_[bucket_start(t, bucket_)];
  }
  report.time = groups(time_, true);
  return report;
}

}  // namespace

Report compute_report(sqlite3* db, const ReportOptions& options) {
  Report report = Builder(db, options).run();
  if (!options.compare_previous || !options.from_ms) return report;
  // The period of the same length just before; an open end is the newest event in the store.
  const std::int64_t from = *options.from_ms;
  const std::int64_t to = options.to_ms ? *options.to_ms : sql::query_int(db, "SELECT coalesce(max(ts), 0) FROM events") + 1;
  if (to <= from) return report;
  ReportOptions previous = options;
  previous.from_ms = from - (to - from);
  previous.to_ms = from;
  previous.compare_previous = false;
  previous.top = 1;
  previous.journey_guesser = nullptr;  // only the totals are kept
  report.previous = Report::Previous{format_timestamp(*previous.from_ms), format_timestamp(from),
                                     Builder(db, previous).run().totals};
  return report;
}

}  // namespace detail
}  // namespace helpmark::tracking
