// Peer: plain Xapian, the way its documentation teaches — TermGenerator and QueryParser, BM25,
// Snowball stemming of each document's language, stop words (bench/peers/stopwords.txt), a title boost through wdf, exact facet counts with
// ValueCountMatchSpy and check_at_least = doccount, Xapian's own spelling correction. No
// helpmark layer: the difference to helpmark_bench is what helpmark adds (or costs).
//
//   xapian_peer build|query|cold --data DIR --index DIR [--runs N] [--positions]
//
// Positions are off by default because helpmark indexes none (`--positions` shows their cost).
#include <xapian.h>

#include <atomic>
#include <thread>

#include "../common.hpp"

namespace {

using bench::json;
namespace fs = std::filesystem;

constexpr Xapian::valueno kSlotJourney = 0, kSlotSubtopic = 1, kSlotLocale = 2;
constexpr Xapian::termcount kTitleWdf = 6;  // helpmark's title weight

std::string snowball(const std::string& locale) {
  if (locale == "es") return "spanish";
  if (locale == "fr") return "french";
  if (locale == "de") return "german";
  if (locale.starts_with("pt")) return "portuguese";
  return "english";
}

Xapian::SimpleStopper& stopper() {
  static const std::vector<std::string> words = bench::read_stopwords();
  static Xapian::SimpleStopper s(words.begin(), words.end());
  return s;
}

int cmd_build(const bench::Args& args) {
  const fs::path data = args.need("data"), index = args.need("index");
  const int runs = args.get_int("runs", 5);
  const bool positions = args.kv.count("positions") > 0;
  const auto docs = bench::read_docs(data);
  std::vector<double> seconds;
  for (int run = 0; run < runs; ++run) {
    fs::remove_all(index);
    const auto t0 = bench::Clock::now();
    Xapian::WritableDatabase db(index.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    Xapian::TermGenerator tg;
    tg.set_stopper(&stopper());
    tg.set_database(db);
    tg.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    std::map<std::string, Xapian::Stem> stems;
    for (const auto& d : docs) {
      Xapian::Document doc;
      tg.set_document(doc);
      auto& stem = stems[d.locale];
      if (stem.is_none()) stem = Xapian::Stem(snowball(d.locale));
      tg.set_stemmer(stem);
      auto text = [&](const std::string& t, Xapian::termcount wdf) {
        if (positions) tg.index_text(t, wdf);
        else tg.index_text_without_positions(t, wdf);
        tg.increase_termpos();
      };
      text(d.title, kTitleWdf);
      text(d.summary, 1);
      for (const auto& q : d.questions) text(q, 1);
      for (const auto& t : d.tags) text(t, 1);
      text(d.body, 1);
      doc.add_boolean_term("Q" + d.id);
      doc.add_boolean_term("XJ" + d.journey);
      doc.add_boolean_term("XS" + d.subtopic);
      doc.add_boolean_term("XL" + d.locale);
      doc.add_boolean_term("XST" + d.status);
      doc.add_value(kSlotJourney, d.journey);
      doc.add_value(kSlotSubtopic, d.subtopic);
      doc.add_value(kSlotLocale, d.locale);
      doc.set_data(d.title + "\n" + d.body);  // the title to show and the text for snippets
      db.replace_document("Q" + d.id, doc);
    }
    db.commit();
    db.close();
    seconds.push_back(bench::ms_since(t0) / 1000.0);
    std::fprintf(stderr, "xapian build %d/%d: %.2f s\n", run + 1, runs, seconds.back());
  }
  const double s = bench::median(seconds);
  return bench::emit({{"engine", "xapian"},
                      {"build_s", s},
                      {"build_runs_s", seconds},
                      {"articles", docs.size()},
                      {"articles_per_s", static_cast<double>(docs.size()) / s},
                      {"index_bytes", bench::dir_bytes(index)},
                      {"positions", positions},
                      {"peak_rss_mib", bench::peak_rss_mib()}});
}

struct Searcher {
  Xapian::Database db;
  std::map<std::string, Xapian::Stem> stems;
  Xapian::BM25Weight weight{1.2, 0, 1, 0.75, 0.5};  // Lucene's and FTS5's k1 and b

  explicit Searcher(const fs::path& dir) : db(dir.string()) {}

  struct Result {
    std::size_t hits = 0;
    bool corrected = false;
  };

  Result search(const bench::Query& q) {
    auto& stem = stems[q.locale];
    if (stem.is_none()) stem = Xapian::Stem(snowball(q.locale));
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&stopper());
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
    std::vector<Xapian::Query> filters{Xapian::Query("XSTpublished")};
    if (!q.locale.empty()) filters.emplace_back("XL" + q.locale);
    if (!q.journey.empty()) filters.emplace_back("XJ" + q.journey);
    const Xapian::Query filter(Xapian::Query::OP_AND, filters.begin(), filters.end());

    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(weight);
    std::unique_ptr<Xapian::ValueCountMatchSpy> spies[3];
    auto run = [&](const std::string& text, unsigned parse_flags) {
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, qp.parse_query(text, parse_flags), filter));
      enquire.clear_matchspies();
      for (Xapian::valueno slot : {kSlotJourney, kSlotSubtopic, kSlotLocale}) {
        spies[slot] = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
        enquire.add_matchspy(spies[slot].get());
      }
      return enquire.get_mset(0, 10, db.get_doccount());
    };
    Xapian::MSet mset = run(q.text, Xapian::QueryParser::FLAG_DEFAULT);
    Result r;
    // Xapian's "did you mean", only when the query as typed finds nothing: asking QueryParser
    // for corrections on every query costs more than the whole search.
    if (mset.empty()) {
      qp.parse_query(q.text, flags);
      if (const std::string corrected = qp.get_corrected_query_string(); !corrected.empty()) {
        mset = run(corrected, Xapian::QueryParser::FLAG_DEFAULT);
        r.corrected = true;
      }
    }
    std::size_t facet_values = 0;
    for (const auto& spy : spies)
      for (auto v = spy->values_begin(); v != spy->values_end(); ++v) facet_values += v.get_termfreq() > 0;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const std::string doc_data = it.get_document().get_data();
      const auto nl = doc_data.find('\n');
      std::string title = doc_data.substr(0, nl);
      // Without the background model, which looks up the frequency of every word of the text.
      std::string snippet = mset.snippet(doc_data.substr(nl + 1), 200, stem, 0);
      if (title.empty() && snippet.empty()) std::abort();
    }
    r.hits = mset.size();
    (void)facet_values;
    return r;
  }
};

json pass_summary(Searcher& s, const std::vector<bench::Query>& queries, std::size_t* zero, std::size_t* typo_found) {
  std::vector<double> ms;
  for (const auto& q : queries) {
    const auto t0 = bench::Clock::now();
    auto r = s.search(q);
    ms.push_back(bench::ms_since(t0));
    if (zero && r.hits == 0) ++*zero;
    if (typo_found && q.typo && r.hits) ++*typo_found;
  }
  return bench::latency_summary(ms);
}

int cmd_query(const bench::Args& args) {
  const fs::path data = args.need("data"), index = args.need("index");
  const int runs = args.get_int("runs", 5);
  const auto queries = bench::read_queries(data);
  Searcher s(index);
  pass_summary(s, queries, nullptr, nullptr);  // warm-up
  std::vector<json> passes;
  std::size_t zero = 0, typo_found = 0, typos = 0;
  for (const auto& q : queries) typos += q.typo;
  for (int i = 0; i < runs; ++i) {
    zero = typo_found = 0;
    passes.push_back(pass_summary(s, queries, &zero, &typo_found));
  }
  json out = {{"engine", "xapian"}, {"queries", queries.size()}};
  out["search"] = bench::median_of_runs(passes);
  out["search"]["zero_hit_rate"] = static_cast<double>(zero) / static_cast<double>(queries.size());
  out["search"]["typo_queries_with_hits"] = typos ? static_cast<double>(typo_found) / static_cast<double>(typos) : 0.0;
  out["search_rss_mib"] = bench::peak_rss_mib();
  // Two threads, one Database each (a Xapian::Database is not thread-safe).
  auto qps = [&](int threads) {
    std::vector<std::unique_ptr<Searcher>> searchers;
    for (int t = 0; t < threads; ++t) {
      searchers.push_back(std::make_unique<Searcher>(index));
      searchers.back()->search(queries.front());
    }
    std::atomic<std::size_t> next{0};
    const auto t0 = bench::Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        for (std::size_t i; (i = next.fetch_add(1)) < queries.size();) searchers[static_cast<std::size_t>(t)]->search(queries[i]);
      });
    for (auto& th : pool) th.join();
    return static_cast<double>(queries.size()) / (bench::ms_since(t0) / 1000.0);
  };
  std::vector<double> qps1, qps2;
  for (int i = 0; i < runs; ++i) {
    qps1.push_back(qps(1));
    qps2.push_back(qps(2));
  }
  out["qps_1_thread"] = bench::median(qps1);
  out["qps_2_threads"] = bench::median(qps2);
  out["peak_rss_mib"] = bench::peak_rss_mib();
  return bench::emit(out);
}

int cmd_cold(const bench::Args& args) {
  const fs::path data = args.need("data"), index = args.need("index");
  const auto queries = bench::read_queries(data);
  const auto t0 = bench::Clock::now();
  Searcher s(index);
  const double open_ms = bench::ms_since(t0);
  s.search(queries.front());
  const double total = bench::ms_since(t0);
  return bench::emit({{"engine", "xapian"}, {"open_ms", open_ms}, {"first_query_ms", total - open_ms},
                      {"cold_total_ms", total}, {"peak_rss_mib", bench::peak_rss_mib()}});
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const bench::Args args = bench::parse_args(argc, argv);
    if (args.command == "build") return cmd_build(args);
    if (args.command == "query") return cmd_query(args);
    if (args.command == "cold") return cmd_cold(args);
    std::fprintf(stderr, "xapian_peer: unknown sub-command '%s' (build, query, cold)\n", args.command.c_str());
    return 2;
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_peer: %s\n", e.get_description().c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xapian_peer: %s\n", e.what());
    return 1;
  }
}
