// Tracking store benchmark: events/s for single and batched writes (both durability modes), and
// the time of a full report and of mining learned questions (helpmark learn) over one million
// generated events (median of several runs).
//
//   tracking_bench [--events 1000000] [--runs 5] [--single 2000] [--dir DIR] [--keep]
//
// The events imitate a help center: sessions of 1-3 searches in five locales, clicks and views
// on the results, feedback, bot answers and tickets, over about 80 days for a million events.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "helpmark/learning.hpp"
#include "helpmark/tracking.hpp"

namespace fs = std::filesystem;
using namespace helpmark::tracking;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double cpu_seconds_since(std::clock_t start) { return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC; }

// Events per second by wall-clock time and by this process's CPU time. On a busy machine the
// wall figure mostly measures waiting for a CPU; fsync-bound writes wait on the disk instead.
struct Rate {
  double wall = 0;
  double cpu = 0;
};

Rate median_rate(const std::vector<Rate>& rates) {
  std::vector<double> wall, cpu;
  for (const auto& r : rates) wall.push_back(r.wall), cpu.push_back(r.cpu);
  return {median(wall), median(cpu)};
}


struct Generator {
  std::mt19937_64 rng{42};
  std::int64_t base = *parse_timestamp("2026-08-01T00:00:00Z");
  std::size_t session = 0;

  const std::map<std::string, std::vector<std::string>> queries = {
      {"en", {"refund late", "refunds", "Refund", "where is my refund", "return label", "print return label",
              "payout schedule", "seller payouts", "charged twice", "payment declined", "card declined",
              "open a dispute", "item not received", "reset password", "two factor", "klarna", "crypto",
              "change address", "cancel order", "verify identity"}},
      {"es", {"devolución tarde", "devolucion tarde", "reembolso", "reembolsos", "etiqueta de devolución",
              "pago rechazado", "abrir disputa", "pagar con oxxo", "bizum"}},
      {"de", {"Rückerstattung", "rückerstattungen", "Rücksendeetikett", "Zahlung abgelehnt", "Kauf auf Rechnung",
              "paydirekt"}},
      {"fr", {"remboursement", "remboursements", "étiquette de retour", "paiement refusé", "litige"}},
      {"ja", {"返金", "返金 いつ", "返品ラベル", "支払い 拒否", "コンビニ払い"}},
  };
  std::vector<std::string> articles;

  Generator() {
    for (int i = 0; i < 120; ++i) articles.push_back("article-" + std::to_string(i));
  }

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

  // One session's events, appended to `out`.
  void session_events(std::vector<Event>& out) {
    const std::string s = "s" + std::to_string(++session);
    static const char* kLocales[] = {"en", "en", "en", "en", "en", "en", "es", "es", "de", "fr", "ja"};
    const std::string locale = kLocales[pick(11)];
    const std::string audience = chance(0.8) ? "buyer" : "seller";
    // Sessions start one after another (about 25 s apart, as on a busy help center), so events
    // arrive roughly in time order, as they do live or from a log.
    std::int64_t ts = base + static_cast<std::int64_t>(session) * 25000 + static_cast<std::int64_t>(pick(20000));
    auto add = [&](Event e) {
      e.session = s;
      e.ts = format_timestamp(ts);
      out.push_back(std::move(e));
      ts += 1000 + static_cast<std::int64_t>(pick(120000));
    };
    std::string last_article;
    if (chance(0.1)) {  // a bot conversation instead of search
      Event b;
      b.type = EventType::kBotAnswer;
      b.locale = locale;
      b.question = queries.at(locale)[pick(queries.at(locale).size())];
      b.article = articles[pick(articles.size())];
      b.confidence = std::uniform_real_distribution<double>(0, 1)(rng);
      b.escalated = *b.confidence < 0.3;
      b.accepted = !*b.escalated && chance(0.6);
      add(b);
    } else {
      const int searches = 1 + static_cast<int>(pick(3));
      for (int k = 0; k < searches; ++k) {
        Event q;
        q.type = EventType::kSearch;
        q.locale = locale;
        q.audience = audience;
        const auto& list = queries.at(locale);
        q.query = list[pick(list.size())];
        const bool zero = q.query == "klarna" || q.query == "crypto" || q.query == "bizum" ||
                          q.query == "paydirekt" || chance(0.03);
        if (!zero) {
          for (int r = 0; r < 5; ++r) q.results.push_back(articles[pick(articles.size())]);
          q.total = 5 + static_cast<std::int64_t>(pick(40));
        } else {
          q.total = 0;
        }
        add(q);
        if (!zero && chance(0.45)) {
          Event c;
          c.type = EventType::kClick;
          c.position = 1 + static_cast<int>(pick(5));
          c.article = q.results[static_cast<std::size_t>(c.position - 1)];
          add(c);
          Event v;
          v.type = EventType::kView;
          v.article = c.article;
          v.source = "search";
          add(v);
          last_article = v.article;
        }
      }
      if (!last_article.empty() && chance(0.25)) {
        Event f;
        f.type = EventType::kFeedback;
        f.article = last_article;
        f.helpful = chance(0.7);
        add(f);
      }
    }
    if (chance(0.08)) {
      ts += static_cast<std::int64_t>(pick(30ULL * 3600 * 1000));
      Event t;
      t.type = EventType::kTicket;
      t.journey = chance(0.5) ? "payments" : "returns";
      add(t);
    }
  }

  std::vector<Event> batch(std::size_t n) {
    std::vector<Event> out;
    out.reserve(n + 16);
    while (out.size() < n) session_events(out);
    return out;
  }
};

EventStore open_or_die(const fs::path& path, Durability durability) {
  StoreOptions o;
  o.durability = durability;
  auto store = EventStore::open(path, o);
  if (!store.ok()) {
    std::fprintf(stderr, "tracking_bench: %s\n", store.status().message().c_str());
    std::exit(1);
  }
  return std::move(store).value();
}

Rate single_writes(const fs::path& dir, Durability durability, std::size_t n, int runs) {
  std::vector<Rate> rates;
  for (int r = 0; r < runs; ++r) {
    const fs::path path = dir / ("single-" + std::to_string(r) + ".sqlite");
    fs::remove(path);
    EventStore store = open_or_die(path, durability);
    Generator g;
    g.rng.seed(100 + static_cast<unsigned>(r));
    auto events = g.batch(n);
    events.resize(n);
    const auto start = Clock::now();
    const std::clock_t cpu = std::clock();
    for (const auto& e : events)
      if (!store.record(e).ok()) std::exit(2);
    rates.push_back({static_cast<double>(n) / seconds_since(start), static_cast<double>(n) / cpu_seconds_since(cpu)});
  }
  return median_rate(rates);
}

Rate batched_writes(const fs::path& path, Durability durability, std::size_t n, std::size_t batch_size,
                    unsigned seed) {
  EventStore store = open_or_die(path, durability);
  Generator g;
  g.rng.seed(seed);
  double busy = 0, cpu_busy = 0;
  std::size_t written = 0;
  while (written < n) {
    auto events = g.batch(std::min(batch_size, n - written));
    const auto start = Clock::now();
    const std::clock_t cpu = std::clock();
    auto r = store.record_batch(events);
    busy += seconds_since(start);
    cpu_busy += cpu_seconds_since(cpu);
    if (!r.ok() || r->rejected) {
      std::fprintf(stderr, "tracking_bench: batch failed\n");
      std::exit(2);
    }
    written += events.size();
  }
  return {static_cast<double>(written) / busy, static_cast<double>(written) / cpu_busy};
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t events = 1000000, single = 2000;
  int runs = 5;
  fs::path dir;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "tracking_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--events") events = std::stoul(next());
    else if (a == "--runs") runs = std::stoi(next());
    else if (a == "--single") single = std::stoul(next());
    else if (a == "--dir") dir = next();
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr, "usage: tracking_bench [--events N] [--runs R] [--single N] [--dir DIR] [--keep]\n");
      return 2;
    }
  }
  if (dir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "helpmark-tracking-bench-XXXXXX").string();
    if (!mkdtemp(pattern.data())) return 1;
    dir = pattern;
  }
  fs::create_directories(dir);
  std::printf("tracking_bench: %zu events, %d runs, in %s\n\n", events, runs, dir.c_str());

  std::printf("%-44s %12s %12s\n", "", "events/s", "per CPU-s");
  const Rate single_full = single_writes(dir, Durability::kFull, single, runs);
  std::printf("%-44s %12.0f %12.0f   (%zu events, median of %d)\n", "single writes (record), durability full",
              single_full.wall, single_full.cpu, single, runs);
  const Rate single_normal = single_writes(dir, Durability::kNormal, single * 5, runs);
  std::printf("%-44s %12.0f %12.0f   (%zu events, median of %d)\n", "single writes (record), durability normal",
              single_normal.wall, single_normal.cpu, single * 5, runs);
  std::vector<Rate> batch_full_rates;
  for (int r = 0; r < runs; ++r) {
    const fs::path p = dir / ("batch-full-" + std::to_string(r) + ".sqlite");
    fs::remove(p);
    batch_full_rates.push_back(batched_writes(p, Durability::kFull, 100000, 1000, 7 + static_cast<unsigned>(r)));
    fs::remove(p);
  }
  const Rate batch_full = median_rate(batch_full_rates);
  std::printf("%-44s %12.0f %12.0f   (100,000 events, median of %d)\n", "batched writes (1000 a batch), full",
              batch_full.wall, batch_full.cpu, runs);

  // The million-event store, written in batches with durability normal.
  const fs::path big = dir / "million.sqlite";
  fs::remove(big);
  const auto fill_start = Clock::now();
  const Rate batch_normal = batched_writes(big, Durability::kNormal, events, 1000, 1);
  std::printf("%-44s %12.0f %12.0f   (%zu events into one store; whole fill %.1f s)\n",
              "batched writes (1000 a batch), normal", batch_normal.wall, batch_normal.cpu, events,
              seconds_since(fill_start));
  std::printf("store size: %.1f MB\n", static_cast<double>(fs::file_size(big)) / 1e6);

  EventStore store = open_or_die(big, Durability::kNormal);
  ReportOptions options;
  options.article_lookup = [](const std::string& id) -> std::optional<ArticleMeta> {
    static const char* kJourneys[] = {"payments", "returns", "disputes", "sellers", "onboarding"};
    const auto n = std::stoul(id.substr(id.find('-') + 1));
    return ArticleMeta{"Article " + id, kJourneys[n % 5], "en", id};
  };
  std::vector<double> report_times, report_cpu;
  Report last;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    auto report = store.report(options);
    report_times.push_back(seconds_since(start));
    report_cpu.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    if (!report.ok()) {
      std::fprintf(stderr, "tracking_bench: %s\n", report.status().message().c_str());
      return 1;
    }
    last = std::move(report).value();
  }
  std::printf("report over %zu events: %.2f s (median of %d; min %.2f, max %.2f)\n", events, median(report_times), runs,
              *std::min_element(report_times.begin(), report_times.end()),
              *std::max_element(report_times.begin(), report_times.end()));
  std::printf("  CPU time of the report: %.2f s (median)\n", median(report_cpu));
  std::printf("  (%zu sessions, %zu searches, %zu query groups, deflection %.1f%%)\n", last.totals.sessions,
              last.totals.searches, last.queries.size(), last.totals.deflection.rate().value_or(0) * 100);
  {
    // Mining learned questions: every id is a published English article.
    std::vector<double> times;
    helpmark::learning::Proposals proposals;
    for (int r = 0; r < runs; ++r) {
      const auto start = Clock::now();
      auto mined = helpmark::learning::mine(
          store,
          [](const std::string& id) -> std::optional<helpmark::learning::KnownArticle> {
            return helpmark::learning::KnownArticle{"en", "Article " + id, {}, id + ".md", "team"};
          },
          {});
      times.push_back(seconds_since(start));
      if (!mined.ok()) {
        std::fprintf(stderr, "tracking_bench: %s\n", mined.status().message().c_str());
        return 1;
      }
      proposals = std::move(mined).value();
    }
    std::printf("learn (mining) over %zu events: %.2f s (median of %d); %zu sessions, %zu candidate pairs, %zu "
                "learned questions\n",
                events, median(times), runs, proposals.stats.sessions, proposals.stats.candidate_pairs,
                proposals.questions.size());
  }
  {
    const auto start = Clock::now();
    const std::clock_t cpu = std::clock();
    std::ostringstream sink;
    auto n = store.export_jsonl(sink);
    std::printf("export of %zu events: %.2f s (CPU %.2f s)\n", n.ok() ? n.value() : 0, seconds_since(start),
                cpu_seconds_since(cpu));
  }
  if (!keep) fs::remove_all(dir);
  return 0;
}
