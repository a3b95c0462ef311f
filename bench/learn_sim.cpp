// The learning loop's simulation (docs/tracking.md, "Learning from traffic"; issue 18): labelled queries
// become synthetic traffic in an event store, and targeted floods of fake sessions test the
// defences. bench/learn_sim.sh drives it with `helpmark eval` and `helpmark learn apply`.
//
//   learn_sim split   --queries Q.jsonl --half A|B --out FILE
//   learn_sim traffic --index DIR --queries Q.jsonl --store S.sqlite --half A|B [--users 8]
//                     [--seed 1] [--p-click-right 0.7] [--p-click-wrong 0.15] [--ticket 0.6]
//                     [--bias 0.7] [--out-of-scope]
//   learn_sim flood   --index DIR --queries Q.jsonl --store S.sqlite --pairs OUT.jsonl
//                     [--half B] [--targets 20] [--sessions 5] [--repeat 50] [--interval 60]
//                     [--seed 1]
//   learn_sim rank    --index DIR --pairs PAIRS.jsonl
//   learn_sim audit   --overlay-dir DIR --queries Q.jsonl [--half B]
//   learn_sim oracle  --queries Q.jsonl --half A --out-dir DIR [--locale en]
//
// A query's half is a stable hash of its qid, so `split --half B` and `traffic --half A` never
// share a query: what is measured on B was never replayed.
//
// A simulated user (one session) searches once, examines each rank r of the top 10 with
// probability 1/r^bias (position bias), clicks the first examined gold article with
// probability p-click-right, otherwise the best-ranked examined wrong one with probability
// p-click-wrong, and views what was clicked. A user who clicked a wrong article or nothing
// opens a ticket 10 minutes later with probability `ticket`. Every event is dated in early
// 2026, long before any deflection window could still be open. Output is deterministic for a
// seed.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "helpmark/eval.hpp"
#include "helpmark/index.hpp"
#include "helpmark/learning.hpp"
#include "helpmark/tracking.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using helpmark::tracking::Event;
using helpmark::tracking::EventType;

namespace {

[[noreturn]] void die(const std::string& message, int code = 1) {
  std::fprintf(stderr, "learn_sim: %s\n", message.c_str());
  std::exit(code);
}

/// --name value pairs and bare --flags.
struct Args {
  std::map<std::string, std::string> values;
  std::set<std::string> used;

  std::string get(const std::string& name, const std::string& fallback = "") {
    used.insert(name);
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
  std::string need(const std::string& name) {
    std::string v = get(name);
    if (v.empty()) die("--" + name + " is required", 2);
    return v;
  }
  double number(const std::string& name, double fallback) {
    std::string v = get(name);
    if (v.empty()) return fallback;
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (*end != '\0') die("--" + name + ": not a number: " + v, 2);
    return d;
  }
  bool flag(const std::string& name) {
    used.insert(name);
    return values.count(name) > 0;
  }
  void check_all_used() const {
    for (const auto& [k, v] : values)
      if (!used.count(k)) die("unknown option --" + k, 2);
  }
};

Args parse_args(int argc, char** argv, int first) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) != 0) die("unexpected argument: " + s, 2);
    s = s.substr(2);
    if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0)
      a.values[s] = argv[++i];
    else
      a.values[s] = "";
  }
  return a;
}

/// 'A' or 'B': FNV-1a of the qid, mixed (splitmix64's finaliser) so that sequential qids do not
/// simply alternate.
char half_of(const std::string& qid) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : qid) h = (h ^ c) * 1099511628211ULL;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return (h & 1) ? 'B' : 'A';
}

char parse_half(const std::string& s) {
  if (s != "A" && s != "B") die("--half must be A or B", 2);
  return s[0];
}

std::vector<helpmark::LabelledQuery> read_queries(const fs::path& file) {
  std::vector<helpmark::Diagnostic> diagnostics;
  auto q = helpmark::read_labelled_queries(file, diagnostics);
  if (!q.ok()) die(q.status().message());
  for (const auto& d : diagnostics) std::fprintf(stderr, "%s\n", d.to_string().c_str());
  return std::move(q).value();
}

helpmark::Index open_index(const fs::path& dir) {
  auto index = helpmark::Index::open(dir);
  if (!index.ok()) die(index.status().message());
  return std::move(index).value();
}

helpmark::tracking::EventStore open_store(const fs::path& file) {
  helpmark::tracking::StoreOptions so;
  so.durability = helpmark::tracking::Durability::kNormal;
  auto store = helpmark::tracking::EventStore::open(file, so);
  if (!store.ok()) die(store.status().message());
  return std::move(store).value();
}

std::vector<std::string> top_ids(const helpmark::Index& index, const std::string& query, const std::string& locale,
                                 std::size_t* total = nullptr) {
  helpmark::SearchRequest request;
  request.query = query;
  request.locale = locale;
  request.limit = 10;
  auto response = index.search(request);
  if (!response.ok()) die("search \"" + query + "\": " + response.status().message());
  std::vector<std::string> ids;
  for (const auto& h : response->hits) ids.push_back(h.id);
  if (total) *total = response->total;
  return ids;
}

/// The default locale of the index, for queries that carry none.
std::string default_locale(const helpmark::Index& index) {
  auto stats = index.stats();
  return stats.ok() && !stats->default_locale.empty() ? stats->default_locale : "en";
}

/// Batches events into the store, ~1000 per transaction; counts what was stored.
class Writer {
 public:
  explicit Writer(helpmark::tracking::EventStore& store) : store_(store) {}

  void add(Event e) {
    batch_.push_back(std::move(e));
    if (batch_.size() >= 1000) flush();
  }
  void flush() {
    if (batch_.empty()) return;
    auto outcome = store_.record_batch(batch_);
    if (!outcome.ok()) die(outcome.status().message());
    stored += outcome->stored;
    duplicates += outcome->duplicates;
    for (const auto& o : outcome->outcomes)
      if (o.state == helpmark::tracking::EventOutcome::State::kRejected && rejected++ < 5)
        std::fprintf(stderr, "learn_sim: event rejected: %s\n", o.error.c_str());
    batch_.clear();
  }
  std::size_t stored = 0, duplicates = 0, rejected = 0;

 private:
  helpmark::tracking::EventStore& store_;
  std::vector<Event> batch_;
};

constexpr std::int64_t kSecond = 1000, kMinute = 60 * kSecond;

Event make_event(EventType type, std::int64_t ts, const std::string& session, const std::string& locale) {
  Event e;
  e.type = type;
  e.ts = helpmark::tracking::format_timestamp(ts);
  e.session = session;
  e.locale = locale;
  return e;
}

/// Search, click, view of one result: what a customer's visit records.
void record_visit(Writer& w, std::int64_t t, const std::string& session, const std::string& search_id,
                  const std::string& query, const std::string& locale, const std::vector<std::string>& results,
                  std::size_t total, int clicked_position) {
  Event s = make_event(EventType::kSearch, t, session, locale);
  s.id = search_id;
  s.query = query;
  s.results = results;
  s.total = static_cast<std::int64_t>(total);
  w.add(std::move(s));
  if (clicked_position <= 0) return;
  const std::string& article = results[static_cast<std::size_t>(clicked_position - 1)];
  Event c = make_event(EventType::kClick, t + 15 * kSecond, session, locale);
  c.search_id = search_id;
  c.article = article;
  c.position = clicked_position;
  w.add(std::move(c));
  Event v = make_event(EventType::kView, t + 16 * kSecond, session, locale);
  v.article = article;
  v.source = "search";
  w.add(std::move(v));
}

// ---------------------------------------------------------------------------------------------

int cmd_split(Args& a) {
  const fs::path queries = a.need("queries");
  const char half = parse_half(a.need("half"));
  const fs::path out_path = a.need("out");
  a.check_all_used();
  std::ifstream in(queries);
  if (!in) die(queries.string() + ": cannot read");
  std::ofstream out(out_path);
  if (!out) die(out_path.string() + ": cannot write");
  std::string line;
  std::size_t kept = 0, in_scope = 0, all = 0;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(line);
    ++all;
    if (half_of(j.at("qid").get<std::string>()) != half) continue;
    out << line << "\n";
    ++kept;
    if (!j["gold"].is_null() && !(j["gold"].is_array() && j["gold"].empty())) ++in_scope;
  }
  std::printf("{\"queries\": %zu, \"half\": \"%c\", \"kept\": %zu, \"in_scope\": %zu}\n", all, half, kept, in_scope);
  return 0;
}

int cmd_traffic(Args& a) {
  const fs::path index_dir = a.need("index");
  const fs::path queries_path = a.need("queries");
  const fs::path store_path = a.need("store");
  const char half = parse_half(a.need("half"));
  const int users = static_cast<int>(a.number("users", 8));
  const auto seed = static_cast<std::uint64_t>(a.number("seed", 1));
  const double p_right = a.number("p-click-right", 0.7);
  const double p_wrong = a.number("p-click-wrong", 0.15);
  const double p_ticket = a.number("ticket", 0.6);
  const double bias = a.number("bias", 0.7);
  const bool out_of_scope = a.flag("out-of-scope");
  a.check_all_used();

  auto queries = read_queries(queries_path);
  auto index = open_index(index_dir);
  auto store = open_store(store_path);
  const std::string fallback_locale = default_locale(index);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> coin(0, 1);
  Writer w(store);

  std::int64_t t = *helpmark::tracking::parse_timestamp("2026-01-01T00:00:00Z");
  std::size_t replayed = 0, sessions = 0, right = 0, wrong = 0, none = 0, tickets = 0, gold_top10 = 0,
              gold_top1 = 0;
  for (const auto& q : queries) {
    if (half_of(q.qid) != half) continue;
    if (q.gold.empty() && !out_of_scope) continue;
    ++replayed;
    const std::string locale = q.locale.empty() ? fallback_locale : q.locale;
    std::size_t total = 0;
    // Search is deterministic: every user of the query sees the same results.
    const auto results = top_ids(index, q.query, locale, &total);
    auto is_gold = [&](const std::string& id) { return std::find(q.gold.begin(), q.gold.end(), id) != q.gold.end(); };
    if (std::any_of(results.begin(), results.end(), is_gold)) ++gold_top10;
    if (!results.empty() && is_gold(results[0])) ++gold_top1;
    for (int u = 0; u < users; ++u) {
      const std::string session = "sim-" + q.qid + "-" + std::to_string(u);
      std::vector<int> examined;  // 1-based ranks
      for (std::size_t r = 1; r <= results.size(); ++r)
        if (coin(rng) < 1.0 / std::pow(static_cast<double>(r), bias)) examined.push_back(static_cast<int>(r));
      int clicked = 0;
      bool clicked_right = false;
      for (int r : examined)
        if (is_gold(results[static_cast<std::size_t>(r - 1)])) {
          if (coin(rng) < p_right) clicked = r, clicked_right = true;
          break;
        }
      if (!clicked)
        for (int r : examined)
          if (!is_gold(results[static_cast<std::size_t>(r - 1)])) {
            if (coin(rng) < p_wrong) clicked = r;
            break;
          }
      record_visit(w, t, session, session + "-s", q.query, locale, results, total, clicked);
      if (clicked_right)
        ++right;
      else if (clicked)
        ++wrong;
      else
        ++none;
      if (!clicked_right && coin(rng) < p_ticket) {
        w.add(make_event(EventType::kTicket, t + 10 * kMinute, session, locale));
        ++tickets;
      }
      ++sessions;
      t += kMinute;
    }
  }
  w.flush();
  json out = {{"half", std::string(1, half)},
              {"queries_replayed", replayed},
              {"gold_in_top10", gold_top10},
              {"gold_at_1", gold_top1},
              {"sessions", sessions},
              {"clicked_right", right},
              {"clicked_wrong", wrong},
              {"no_click", none},
              {"tickets", tickets},
              {"events_stored", w.stored},
              {"duplicates", w.duplicates},
              {"rejected", w.rejected},
              {"seed", seed},
              {"users", users},
              {"p_click_right", p_right},
              {"p_click_wrong", p_wrong},
              {"ticket", p_ticket},
              {"bias", bias}};
  std::printf("%s\n", out.dump().c_str());
  return w.rejected ? 1 : 0;
}

/// Attack: for `targets` in-scope queries of the half, push a wrong article (the result at rank
/// 5, or the last one) with `sessions` fake visitors that each search the query `repeat` times,
/// `interval` seconds apart, and click and view that article every time (no ticket, ever).
/// Each fake session attacks every target. The pairs go to --pairs for `rank`.
int cmd_flood(Args& a) {
  const fs::path index_dir = a.need("index");
  const fs::path queries_path = a.need("queries");
  const fs::path store_path = a.need("store");
  const fs::path pairs_path = a.need("pairs");
  const char half = parse_half(a.get("half", "B"));
  const auto targets = static_cast<std::size_t>(a.number("targets", 20));
  const int sessions = static_cast<int>(a.number("sessions", 5));
  const int repeat = static_cast<int>(a.number("repeat", 50));
  const auto interval = static_cast<std::int64_t>(a.number("interval", 60)) * kSecond;
  const auto seed = static_cast<std::uint64_t>(a.number("seed", 1));
  a.check_all_used();

  auto queries = read_queries(queries_path);
  auto index = open_index(index_dir);
  const std::string fallback_locale = default_locale(index);
  std::vector<const helpmark::LabelledQuery*> pool;
  for (const auto& q : queries)
    if (half_of(q.qid) == half && !q.gold.empty()) pool.push_back(&q);
  std::mt19937_64 rng(seed);
  std::shuffle(pool.begin(), pool.end(), rng);

  struct Target {
    const helpmark::LabelledQuery* q;
    std::string locale, article;
    std::vector<std::string> results;
    std::size_t total = 0;
    int position = 0;
  };
  std::vector<Target> chosen;
  std::set<std::string> seen_queries;
  for (const auto* q : pool) {
    if (chosen.size() == targets) break;
    if (!seen_queries.insert(q->query).second) continue;
    Target tg{q, q->locale.empty() ? fallback_locale : q->locale, {}, {}, 0, 0};
    tg.results = top_ids(index, q->query, tg.locale, &tg.total);
    if (tg.results.size() < 2) continue;
    const std::size_t pos = std::min<std::size_t>(5, tg.results.size());
    tg.article = tg.results[pos - 1];
    if (std::find(q->gold.begin(), q->gold.end(), tg.article) != q->gold.end()) continue;
    tg.position = static_cast<int>(pos);
    chosen.push_back(std::move(tg));
  }
  std::ofstream pairs(pairs_path);
  if (!pairs) die(pairs_path.string() + ": cannot write");
  for (const auto& tg : chosen)
    pairs << json{{"qid", tg.q->qid}, {"query", tg.q->query}, {"locale", tg.locale}, {"article", tg.article},
                  {"gold", tg.q->gold}, {"rank_before", tg.position}}
                 .dump()
          << "\n";

  std::size_t events = 0;
  if (sessions > 0) {
    auto store = open_store(store_path);
    Writer w(store);
    std::int64_t t = *helpmark::tracking::parse_timestamp("2026-03-01T00:00:00Z");
    for (int s = 0; s < sessions; ++s) {
      const std::string session = "atk-" + std::to_string(seed) + "-" + std::to_string(s);
      std::size_t n = 0;
      for (int r = 0; r < repeat; ++r)
        for (const auto& tg : chosen) {
          record_visit(w, t, session, session + "-" + std::to_string(n++), tg.q->query, tg.locale, tg.results,
                       tg.total, tg.position);
          t += interval;
        }
      t += 24 * 60 * kMinute;  // the next fake visitor comes another day
    }
    w.flush();
    events = w.stored;
    if (w.rejected) die("events were rejected");
  }
  std::printf("%s\n", json{{"targets", chosen.size()},
                           {"sessions", sessions},
                           {"repeat", repeat},
                           {"interval_s", interval / kSecond},
                           {"events_stored", events},
                           {"seed", seed}}
                          .dump()
                          .c_str());
  return 0;
}

/// Where the attacked articles rank now for their queries.
int cmd_rank(Args& a) {
  const fs::path index_dir = a.need("index");
  const fs::path pairs_path = a.need("pairs");
  a.check_all_used();
  auto index = open_index(index_dir);
  std::ifstream in(pairs_path);
  if (!in) die(pairs_path.string() + ": cannot read");
  std::string line;
  std::size_t n = 0, at1 = 0, moved_up = 0, moved_down = 0, gold_at1 = 0;
  double sum_before = 0, sum_after = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json p = json::parse(line);
    const auto results = top_ids(index, p.at("query"), p.at("locale"));
    const std::string article = p.at("article");
    auto it = std::find(results.begin(), results.end(), article);
    const int rank = it == results.end() ? 11 : static_cast<int>(it - results.begin()) + 1;  // 11: gone from the top 10
    const int before = p.at("rank_before");
    const auto gold = p.at("gold").get<std::vector<std::string>>();
    ++n;
    sum_before += before;
    sum_after += rank;
    if (rank == 1) ++at1;
    if (rank < before) ++moved_up;
    if (rank > before) ++moved_down;
    if (!results.empty() && std::find(gold.begin(), gold.end(), results[0]) != gold.end()) ++gold_at1;
  }
  std::printf("%s\n", json{{"targets", n},
                           {"mean_rank_before", n ? sum_before / static_cast<double>(n) : 0},
                           {"mean_rank_after", n ? sum_after / static_cast<double>(n) : 0},
                           {"at_rank_1", at1},
                           {"moved_up", moved_up},
                           {"moved_down", moved_down},
                           {"gold_at_rank_1", gold_at1}}
                          .dump()
                          .c_str());
  return 0;
}


/// Lower case ASCII, spaces collapsed: how a learned question is matched to the queries it
/// came from (the store keeps the query as typed, scrubbed).
std::string plain(const std::string& s) {
  std::string out;
  bool space = false;
  for (unsigned char c : s) {
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

/// Is what was learned right? Each learned question is matched by text to the labelled queries:
/// right when its article is a gold article of a query with that text. Also counts the
/// held-out half's queries whose text is a learned question (a leak would inflate "after").
int cmd_audit(Args& a) {
  const fs::path overlay_dir = a.need("overlay-dir");
  const fs::path queries_path = a.need("queries");
  const char heldout = parse_half(a.get("half", "B"));
  a.check_all_used();
  auto overlay = helpmark::learning::read_overlay(overlay_dir);
  if (!overlay.ok()) die(overlay.status().message());
  auto queries = read_queries(queries_path);
  std::map<std::string, std::vector<const helpmark::LabelledQuery*>> by_text;
  for (const auto& q : queries) by_text[plain(q.query)].push_back(&q);
  std::size_t right = 0, wrong = 0, unmatched = 0, leaked = 0, rank1 = 0, deeper = 0, unranked = 0;
  std::set<std::string> learned_texts;
  std::map<std::string, std::size_t> per_article;
  for (const auto& lq : overlay->questions) {
    ++per_article[lq.article];
    ++(lq.rank == 1 ? rank1 : lq.rank > 1 ? deeper : unranked);
    learned_texts.insert(plain(lq.question));
    auto it = by_text.find(plain(lq.question));
    if (it == by_text.end()) {
      ++unmatched;
      continue;
    }
    bool ok = false;
    for (const auto* q : it->second) ok = ok || std::find(q->gold.begin(), q->gold.end(), lq.article) != q->gold.end();
    if (ok) {
      ++right;
    } else {
      ++wrong;
      if (wrong <= 5)
        std::fprintf(stderr, "learn_sim: wrong pair: \"%s\" -> %s\n", lq.question.c_str(), lq.article.c_str());
    }
  }
  for (const auto& q : queries)
    if (half_of(q.qid) == heldout && !q.gold.empty() && learned_texts.count(plain(q.query))) ++leaked;
  std::printf("%s\n", json{{"revision", overlay->revision},
                           {"learned", overlay->questions.size()},
                           {"articles", per_article.size()},
                           {"right", right},
                           {"wrong", wrong},
                           {"unmatched", unmatched},
                           {"proposed_at_rank_1", rank1},
                           {"proposed_at_rank_2_10", deeper},
                           {"proposed_unranked", unranked},
                           {"heldout_queries_with_learned_text", leaked}}
                          .dump()
                          .c_str());
  return 0;
}

/// The upper bound: an overlay (DIR/learned.json) that learned every in-scope query of the half
/// with its right article, as perfect feedback would. Capped per article like the loop
/// (LearnOptions::max_per_article).
int cmd_oracle(Args& a) {
  const fs::path queries_path = a.need("queries");
  const char half = parse_half(a.need("half"));
  const fs::path out_dir = a.need("out-dir");
  const std::string fallback_locale = a.get("locale", "en");
  a.check_all_used();
  auto queries = read_queries(queries_path);
  std::vector<helpmark::learning::LearnedQuestion> questions;
  for (const auto& q : queries) {
    if (half_of(q.qid) != half || q.gold.empty()) continue;
    helpmark::learning::LearnedQuestion l;
    l.article = q.gold.front();
    l.locale = q.locale.empty() ? fallback_locale : q.locale;
    l.question = q.query;
    l.sessions = 1;
    questions.push_back(std::move(l));
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  auto applied = helpmark::learning::apply(out_dir, questions, helpmark::learning::LearnOptions{}.max_per_article);
  if (!applied.ok()) die(applied.status().message());
  std::printf("%s\n", json{{"queries", questions.size()}, {"learned", applied->total}}.dump().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage =
      "usage: learn_sim split|traffic|flood|rank|audit|oracle [--option value ...] (see bench/learn_sim.cpp)\n";
  if (argc < 2) {
    std::fputs(usage, stderr);
    return 2;
  }
  const std::string cmd = argv[1];
  Args a = parse_args(argc, argv, 2);
  if (cmd == "split") return cmd_split(a);
  if (cmd == "traffic") return cmd_traffic(a);
  if (cmd == "flood") return cmd_flood(a);
  if (cmd == "rank") return cmd_rank(a);
  if (cmd == "audit") return cmd_audit(a);
  if (cmd == "oracle") return cmd_oracle(a);
  std::fputs(usage, stderr);
  return 2;
}
