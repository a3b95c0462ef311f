// Mining learned questions: one pass over the store, one session at a time.
//
// Each session is reduced to its outcomes per (query, article): good (read it and no ticket
// within the window, a helpful vote, an accepted bot answer) or bad (a ticket after reading
// it, a "not helpful" vote, a bot answer turned down). Only the per-pair session counts and evidence
// stay in memory, never the events, so the store is streamed.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analysis/analyzer.hpp"
#include "helpmark/index.hpp"
#include "helpmark/learning.hpp"
#include "tracking/report.hpp"
#include "util/text.hpp"

namespace helpmark::learning {
namespace {

// Examination model: a result at position p is looked at with probability ~ 1/sqrt(p), so a
// click there says sqrt(p) times more about relevance than a click on the first result.
double click_evidence(int position) {
  return std::min(3.0, std::sqrt(static_cast<double>(std::max(position, 1))));
}

enum class Outcome { kNone, kGood, kBad };

// An event's locale: its own, else the session's first, else the default.
class SessionLocale {
 public:
  SessionLocale(const tracking::SessionEvents& s, const std::string& fallback) : fallback_(fallback) {
    for (const auto& e : s.events)
      if (!e.locale.empty()) {
        session_ = &e.locale;
        break;
      }
  }
  const std::string& of(const tracking::Event& e) const {
    return !e.locale.empty() ? e.locale : session_ ? *session_ : fallback_;
  }

 private:
  const std::string* session_ = nullptr;
  const std::string& fallback_;
};

struct PairTally {
  std::size_t good_sessions = 0;
  std::size_t bad_sessions = 0;
  double evidence = 0;
  std::int64_t first_ts = INT64_MAX, last_ts = INT64_MIN;
};

struct QueryTally {
  std::string locale;
  std::map<std::string, std::size_t> variants;  // as typed -> sessions
  double evidence = 0;                          // over all its articles
  std::size_t good_sessions = 0;                // over all its articles
  std::unordered_map<std::string, PairTally> articles;
};

// What one session says about one (query, article).
struct SessionPair {
  std::string locale, key, text, article;
  Outcome outcome = Outcome::kNone;
  double evidence = 0;
  std::int64_t ts = 0;
};

class Miner {
 public:
  Miner(const LearnOptions& o) : o_(o) {
    now_ = o.now_ms.value_or(tracking::now_ms());
  }

  void session(const tracking::SessionEvents& s);
  Proposals finish(const ArticleFinder& find, const tracking::Scrubber& scrubber);

 private:
  std::string key(const std::string& locale, const std::string& text) {
    auto& cached = keys_[locale + '\x1f' + text];
    if (cached.empty()) cached = normalizer_.key(locale, text);
    return cached;
  }
  bool rate_limited(const tracking::SessionEvents& s) const;

  const LearnOptions& o_;
  std::int64_t now_ = 0;
  tracking::detail::QueryNormalizer normalizer_;
  std::unordered_map<std::string, std::string> keys_;
  std::unordered_map<std::string, QueryTally> queries_;  // locale + '\x1f' + key
  MiningStats stats_;
};

bool Miner::rate_limited(const tracking::SessionEvents& s) const {
  if (o_.max_searches_per_hour == 0) return false;
  constexpr std::int64_t kHour = 3600 * 1000;
  std::vector<std::int64_t> searches;
  for (std::size_t i = 0; i < s.events.size(); ++i)
    if (s.events[i].type == tracking::EventType::kSearch || s.events[i].type == tracking::EventType::kBotAnswer)
      searches.push_back(s.ts_ms[i]);
  for (std::size_t lo = 0, hi = 0; hi < searches.size(); ++hi) {
    while (searches[hi] - searches[lo] >= kHour) ++lo;
    if (hi - lo + 1 > o_.max_searches_per_hour) return true;
  }
  return false;
}

void Miner::session(const tracking::SessionEvents& s) {
  using tracking::EventType;
  ++stats_.sessions;
  stats_.events += s.events.size();
  if (rate_limited(s)) {
    ++stats_.sessions_rate_limited;
    return;
  }
  const SessionLocale locales(s, o_.default_locale);
  auto locale_of = [&](const tracking::Event& e) -> const std::string& { return locales.of(e); };
  std::vector<std::int64_t> tickets;
  for (std::size_t i = 0; i < s.events.size(); ++i)
    if (s.events[i].type == EventType::kTicket) tickets.push_back(s.ts_ms[i]);
  // 1: a ticket within the window, 0: none and the window is over, -1: not over yet.
  auto after = [&](std::int64_t ts) {
    auto it = std::lower_bound(tickets.begin(), tickets.end(), ts);
    if (it != tickets.end() && *it - ts <= o_.deflection_window_ms) return 1;
    return ts + o_.deflection_window_ms > now_ ? -1 : 0;
  };

  std::vector<SessionPair> pairs;
  auto pair_for = [&](const std::string& locale, const std::string& text, const std::string& article,
                      std::int64_t ts) -> SessionPair& {
    const std::string k = key(locale, text);
    for (auto& p : pairs)
      if (p.locale == locale && p.key == k && p.article == article) return p;
    SessionPair& p = pairs.emplace_back();
    p.locale = locale, p.key = k, p.text = text, p.article = article, p.ts = ts;
    return p;
  };
  auto good = [&](SessionPair& p, double evidence) {
    if (p.outcome == Outcome::kBad) return;
    p.outcome = Outcome::kGood;
    p.evidence = std::max(p.evidence, evidence);
  };
  auto bad = [](SessionPair& p) { p.outcome = Outcome::kBad; };
  // A read article: good unless a ticket follows within the window.
  auto read = [&](SessionPair& p, double evidence, std::int64_t ts) {
    switch (after(ts)) {
      case 1: bad(p); break;
      case 0: good(p, evidence); break;
      default: ++stats_.pending; break;
    }
  };

  std::unordered_map<std::string_view, std::size_t> search_by_id;
  std::optional<std::size_t> last_search;
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const tracking::Event& e = s.events[i];
    const std::int64_t ts = s.ts_ms[i];
    switch (e.type) {
      case EventType::kSearch:
        last_search = text::trim(e.query).empty() ? std::nullopt : std::optional<std::size_t>(i);
        if (last_search) search_by_id.emplace(e.id, i);
        break;
      case EventType::kClick:
      case EventType::kView: {
        std::optional<std::size_t> target = last_search;
        if (e.type == EventType::kClick && !e.search_id.empty()) {
          auto it = search_by_id.find(e.search_id);
          target = it == search_by_id.end() ? std::nullopt : std::optional<std::size_t>(it->second);
        }
        if (e.type == EventType::kView && e.source != "search") target.reset();
        if (!target || e.article.empty()) break;
        const tracking::Event& search = s.events[*target];
        int position = e.type == EventType::kClick ? e.position : 0;
        if (position <= 0) {
          auto it = std::find(search.results.begin(), search.results.end(), e.article);
          position = it == search.results.end() ? 1 : static_cast<int>(it - search.results.begin()) + 1;
        }
        read(pair_for(locale_of(search), std::string(text::trim(search.query)), e.article, s.ts_ms[*target]),
             click_evidence(position), ts);
        break;
      }
      case EventType::kFeedback: {
        if (!last_search || e.article.empty() || !e.helpful) break;
        const tracking::Event& search = s.events[*last_search];
        SessionPair& p = pair_for(locale_of(search), std::string(text::trim(search.query)), e.article, s.ts_ms[*last_search]);
        if (*e.helpful) good(p, 1.0);
        else bad(p);
        break;
      }
      case EventType::kBotAnswer: {
        if (e.article.empty() || text::trim(e.question).empty()) break;
        SessionPair& p = pair_for(locale_of(e), std::string(text::trim(e.question)), e.article, ts);
        // An answer the bot escalated itself says nothing of the article; one the customer
        // turned down does.
        if (e.escalated == true) break;
        if (e.accepted == true) read(p, 1.0, ts);
        else if (e.accepted == false) bad(p);
        break;
      }
      case EventType::kTicket:
        break;
    }
  }

  std::size_t given = 0;
  for (const auto& p : pairs) {
    if (p.outcome == Outcome::kNone || p.key.empty()) continue;
    if (o_.max_pairs_per_session && given == o_.max_pairs_per_session) {
      ++stats_.evidence_capped;
      continue;
    }
    ++given;
    QueryTally& q = queries_[p.locale + '\x1f' + p.key];
    q.locale = p.locale;
    PairTally& t = q.articles[p.article];
    if (p.outcome == Outcome::kGood) {
      ++t.good_sessions;
      ++q.good_sessions;
      t.evidence += p.evidence;
      q.evidence += p.evidence;
      ++q.variants[p.text];
    } else {
      ++t.bad_sessions;
    }
    t.first_ts = std::min(t.first_ts, p.ts);
    t.last_ts = std::max(t.last_ts, p.ts);
  }
}

// The title words of an article, stem -> surface form, for synonym proposals.
struct Words {
  std::map<std::string, std::string> by_stem;
};

Words words_of(analysis::Analyzer& analyzer, const std::string& text) {
  Words w;
  std::vector<analysis::Token> tokens;
  analyzer.tokenize(text, tokens);
  std::vector<std::string> stems;
  for (const auto& t : tokens) {
    if (t.stopword) continue;
    stems.clear();
    analyzer.stems(t, stems);
    w.by_stem.emplace(stems.empty() ? t.folded : stems.front(), t.folded);
  }
  return w;
}

Proposals Miner::finish(const ArticleFinder& find, const tracking::Scrubber& scrubber) {
  Proposals out;
  std::unordered_map<std::string, std::optional<KnownArticle>> known;
  auto article = [&](const std::string& id) -> const std::optional<KnownArticle>& {
    auto it = known.find(id);
    if (it != known.end()) return it->second;
    std::optional<KnownArticle> k;
    try {
      if (find) k = find(id);
    } catch (const std::exception&) {
      k.reset();
    }
    return known.emplace(id, std::move(k)).first->second;
  };
  // Keys of each article's title and questions: a learned question must add something.
  std::unordered_map<std::string, std::unordered_set<std::string>> known_keys;

  std::vector<const std::pair<const std::string, QueryTally>*> order;  // deterministic output
  for (const auto& entry : queries_) order.push_back(&entry);
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : order) {
    const std::string& k = entry->first;
    const QueryTally& q = entry->second;
    const std::string key = k.substr(k.find('\x1f') + 1);
    for (const auto& [id, t] : q.articles) {
      if (t.good_sessions == 0) continue;
      ++stats_.candidate_pairs;
      if (t.good_sessions < o_.min_sessions) {
        ++stats_.too_few_sessions;
        continue;
      }
      const double contradiction =
          static_cast<double>(t.bad_sessions) / static_cast<double>(t.good_sessions + t.bad_sessions);
      if (contradiction > o_.max_contradiction) {
        ++stats_.contradicted;
        continue;
      }
      // Both by sessions and by position-weighted evidence: a click low in the results says
      // more, but fake clicks placed low must not outweigh more sessions of real ones.
      const double share = std::min(q.evidence > 0 ? t.evidence / q.evidence : 0.0,
                                    static_cast<double>(t.good_sessions) / static_cast<double>(q.good_sessions));
      if (share < o_.min_share) {
        ++stats_.spread;
        continue;
      }
      const auto& a = article(id);
      if (!a) {
        ++stats_.unknown_article;
        continue;
      }
      if (a->locale != q.locale) {
        ++stats_.other_locale;
        continue;
      }
      // The most frequent form as typed (ties: the shortest, then the first alphabetically).
      std::string text;
      std::size_t best = 0;
      for (const auto& [v, n] : q.variants)
        if (n > best || (n == best && v.size() < text.size())) text = v, best = n;
      if (scrubber.scrub(text) != text || text.find('<') != std::string::npos) {
        ++stats_.personal_data;
        continue;
      }
      auto& keys = known_keys[id];
      if (keys.empty()) {
        keys.insert(normalizer_.key(a->locale, a->title));
        for (const auto& question : a->questions) keys.insert(normalizer_.key(a->locale, question));
      }
      if (keys.count(key)) {
        ++stats_.already_known;
        continue;
      }
      LearnedQuestion l;
      l.article = id;
      l.locale = q.locale;
      l.question = text;
      l.key = key;
      l.sessions = t.good_sessions;
      l.contradicting = t.bad_sessions;
      l.evidence = t.evidence;
      l.share = share;
      l.first_seen = tracking::format_timestamp(t.first_ts);
      l.last_seen = tracking::format_timestamp(t.last_ts);
      l.path = a->path;
      l.owner = a->owner;
      out.questions.push_back(std::move(l));
    }
  }
  std::sort(out.questions.begin(), out.questions.end(), [](const auto& a, const auto& b) {
    if (a.article != b.article) return a.article < b.article;
    if (a.sessions != b.sessions) return a.sessions > b.sessions;
    return a.key < b.key;
  });
  // Per-article cap, best supported first.
  std::vector<LearnedQuestion> kept;
  std::size_t run = 0;
  for (std::size_t i = 0; i < out.questions.size(); ++i) {
    run = !kept.empty() && out.questions[i].article == kept.back().article ? run + 1 : 0;
    if (o_.max_per_article && run >= o_.max_per_article) {
      ++stats_.over_article_cap;
      continue;
    }
    kept.push_back(std::move(out.questions[i]));
  }
  out.questions = std::move(kept);

  // Synonyms: a word customers type that the article's title lacks, paired with a title word,
  // on several different articles.
  std::map<std::string, std::unique_ptr<analysis::Analyzer>> analyzers;
  std::map<std::pair<std::string, std::string>, std::set<std::string>> unmatched;  // (locale, stem) -> articles
  std::map<std::tuple<std::string, std::string, std::string>, std::set<std::string>> with_title;
  std::map<std::pair<std::string, std::string>, std::string> surface;
  for (const auto& l : out.questions) {
    auto& analyzer = analyzers[l.locale];
    if (!analyzer) analyzer = std::make_unique<analysis::Analyzer>(l.locale);
    const auto& a = article(l.article);
    const Words title = words_of(*analyzer, a->title);
    Words known_words = title;
    for (const auto& question : a->questions)
      for (auto& [stem, word] : words_of(*analyzer, question).by_stem) known_words.by_stem.emplace(stem, word);
    for (const auto& [stem, word] : words_of(*analyzer, l.question).by_stem) {
      if (known_words.by_stem.count(stem)) continue;
      surface.emplace(std::make_pair(l.locale, stem), word);
      unmatched[{l.locale, stem}].insert(l.article);
      for (const auto& [tstem, tword] : title.by_stem) {
        surface.emplace(std::make_pair(l.locale, tstem), tword);
        with_title[{l.locale, stem, tstem}].insert(l.article);
      }
    }
  }
  for (const auto& [k, articles] : with_title) {
    const auto& [locale, stem, tstem] = k;
    const std::size_t all = unmatched[{locale, stem}].size();
    if (articles.size() < std::max<std::size_t>(1, o_.synonym_min_articles) || articles.size() * 2 < all) continue;
    SynonymProposal p;
    p.locale = locale;
    p.query_word = surface[{locale, stem}];
    p.article_word = surface[{locale, tstem}];
    p.articles.assign(articles.begin(), articles.end());
    out.synonyms.push_back(std::move(p));
  }
  std::sort(out.synonyms.begin(), out.synonyms.end(), [](const auto& a, const auto& b) {
    return a.articles.size() != b.articles.size() ? a.articles.size() > b.articles.size()
                                                  : std::tie(a.locale, a.query_word, a.article_word) <
                                                        std::tie(b.locale, b.query_word, b.article_word);
  });
  out.stats = stats_;
  return out;
}

}  // namespace

Result<Proposals> mine(tracking::EventStore& store, const ArticleFinder& find, const LearnOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  // A bad pattern is an error, not a detector quietly missing: what it was meant to keep out
  // would be learned.
  auto scrubber = tracking::Scrubber::create(options.scrub_patterns);
  if (!scrubber.ok()) return scrubber.status();
  Miner miner(options);
  Status walked = store.for_each_session([&](const tracking::SessionEvents& s) { miner.session(s); },
                                         options.since_ms, options.until_ms);
  if (!walked.ok()) return walked;
  Proposals p = miner.finish(find, scrubber.value());
  p.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return p;
}

Result<Proposals> suggest(tracking::EventStore& store, const Index& index, const LearnOptions& options) {
  ArticleFinder find = [&index](const std::string& id) -> std::optional<KnownArticle> {
    auto a = index.get(id);
    if (!a.ok() || a->status != ArticleStatus::kPublished) return std::nullopt;
    return KnownArticle{a->locale, a->title, a->questions, a->path, a->owner};
  };
  auto proposals = mine(store, find, options);
  if (!proposals.ok()) return proposals;
  for (auto& l : proposals->questions) l.rank = rank_of(index, l);
  return proposals;
}

int rank_of(const Index& index, const LearnedQuestion& question) {
  SearchRequest request;
  request.query = question.question;
  request.locale = question.locale;
  request.limit = 10;
  auto response = index.search(request);
  if (!response.ok()) return 0;
  for (std::size_t i = 0; i < response->hits.size(); ++i)
    if (response->hits[i].id == question.article) return static_cast<int>(i) + 1;
  return 0;
}

Result<std::vector<AnswerOutcome>> answer_outcomes(tracking::EventStore& store, const LearnOptions& options,
                                                   OutcomeStats* stats) {
  using tracking::EventType;
  std::vector<AnswerOutcome> out;
  OutcomeStats counts;
  const std::int64_t now = options.now_ms.value_or(tracking::now_ms());
  Status walked = store.for_each_session(
      [&](const tracking::SessionEvents& s) {
        const SessionLocale locales(s, options.default_locale);
        for (std::size_t i = 0; i < s.events.size(); ++i) {
          const auto& e = s.events[i];
          if (e.type != EventType::kBotAnswer) continue;
          ++counts.bot_answers;
          if (e.article.empty() || text::trim(e.question).empty()) {
            ++counts.undecided;
            continue;
          }
          // What happened next: a ticket within the window (before the next answer) is an
          // escalation after the answer.
          bool ticket = false;
          for (std::size_t k = i + 1; k < s.events.size(); ++k) {
            if (s.ts_ms[k] - s.ts_ms[i] > options.deflection_window_ms) break;
            if (s.events[k].type == EventType::kBotAnswer) break;
            if (s.events[k].type == EventType::kTicket) {
              ticket = true;
              break;
            }
          }
          // The bot handing over by itself is its own decision, not an outcome of the answer.
          std::optional<bool> good;
          if (e.escalated == true) good.reset();
          else if (ticket) good = false;
          else if (e.accepted == true && s.ts_ms[i] + options.deflection_window_ms <= now) good = true;
          else if (e.accepted == false) good = false;
          if (!good) {
            ++counts.undecided;
            continue;
          }
          ++(*good ? counts.good : counts.bad);
          out.push_back({std::string(text::trim(e.question)), locales.of(e), e.article, *good});
        }
      },
      options.since_ms, options.until_ms);
  if (!walked.ok()) return walked;
  if (stats) *stats = counts;
  return out;
}

}  // namespace helpmark::learning
