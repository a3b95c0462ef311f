// Peer: SQLite FTS5 — external-content table (the text lives once, in `docs`; the FTS index
// holds no copy), `porter unicode61 remove_diacritics 2`, bm25() with the title weighted 6,
// snippet(), and exact facet counts as a GROUP BY over the whole match.
//
//   fts5_peer build|query|cold --data DIR --index DIR [--runs N]
//
// Approximations: the porter stemmer is English-only (Spanish, French, German and Portuguese
// text is stemmed as English); FTS5 has no typo tolerance, so misspelt words simply miss.
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "../common.hpp"

namespace {

using bench::json;
namespace fs = std::filesystem;

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(std::string(sql).substr(0, 60) + ": " + m);
  }
}

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const char* sql) { check(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr), db, sql); }
  ~Stmt() { sqlite3_finalize(s); }
  void text(int i, const std::string& v) { sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }
  void reset() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};

sqlite3* open_db(const fs::path& file, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.string().c_str(), &db, flags, nullptr) != SQLITE_OK)
    throw std::runtime_error(file.string() + ": cannot open");
  return db;
}

int cmd_build(const bench::Args& args) {
  const fs::path data = args.need("data"), index = args.need("index");
  const int runs = args.get_int("runs", 5);
  const auto docs = bench::read_docs(data);
  std::vector<double> seconds;
  for (int run = 0; run < runs; ++run) {
    fs::remove_all(index);
    fs::create_directories(index);
    const auto t0 = bench::Clock::now();
    sqlite3* db = open_db(index / "fts.db", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    exec(db,
         "CREATE TABLE docs(id INTEGER PRIMARY KEY, slug TEXT, title TEXT, body TEXT, journey TEXT,"
         " subtopic TEXT, locale TEXT, status TEXT, grp TEXT);"
         "CREATE INDEX docs_filter ON docs(status, locale, journey);"
         "CREATE VIRTUAL TABLE fts USING fts5(title, body, content='docs', content_rowid='id',"
         " tokenize='porter unicode61 remove_diacritics 2');");
    exec(db, "BEGIN");
    {
      Stmt ins(db, "INSERT INTO docs(id, slug, title, body, journey, subtopic, locale, status, grp) VALUES(?,?,?,?,?,?,?,?,?)");
      Stmt fts(db, "INSERT INTO fts(rowid, title, body) VALUES(?,?,?)");
      sqlite3_int64 rowid = 0;
      for (const auto& d : docs) {
        ++rowid;
        std::string body = d.summary;
        for (const auto& q : d.questions) body += "\n" + q;
        for (const auto& t : d.tags) body += "\n" + t;
        body += "\n" + d.body;
        sqlite3_bind_int64(ins.s, 1, rowid);
        ins.text(2, d.id);
        ins.text(3, d.title);
        ins.text(4, body);
        ins.text(5, d.journey);
        ins.text(6, d.subtopic);
        ins.text(7, d.locale);
        ins.text(8, d.status);
        ins.text(9, d.group);
        check(sqlite3_step(ins.s), db, "insert doc");
        ins.reset();
        sqlite3_bind_int64(fts.s, 1, rowid);
        fts.text(2, d.title);
        fts.text(3, body);
        check(sqlite3_step(fts.s), db, "insert fts");
        fts.reset();
      }
    }
    exec(db, "COMMIT");
    exec(db, "INSERT INTO fts(fts) VALUES('optimize'); PRAGMA wal_checkpoint(TRUNCATE);");
    sqlite3_close(db);
    seconds.push_back(bench::ms_since(t0) / 1000.0);
    std::fprintf(stderr, "fts5 build %d/%d: %.2f s\n", run + 1, runs, seconds.back());
  }
  // The FTS index alone (the shadow tables), without the content table it points into.
  sqlite3* db = open_db(index / "fts.db", SQLITE_OPEN_READONLY);
  std::uint64_t fts_bytes = 0;
  {
    Stmt st(db, "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'fts%'");
    if (sqlite3_step(st.s) == SQLITE_ROW) fts_bytes = static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0));
  }
  sqlite3_close(db);
  const double s = bench::median(seconds);
  return bench::emit({{"engine", "fts5"},
                      {"build_s", s},
                      {"build_runs_s", seconds},
                      {"articles", docs.size()},
                      {"articles_per_s", static_cast<double>(docs.size()) / s},
                      {"index_bytes", fts_bytes},
                      {"file_bytes_with_content", bench::dir_bytes(index)},
                      {"peak_rss_mib", bench::peak_rss_mib()}});
}

// FTS5 query syntax: every word a quoted string, OR-ed (as QueryParser's default). FTS5 has
// no stop words, so they are dropped here, as the other engines' analyzers do.
std::string match_expression(const std::string& text) {
  static const std::vector<std::string> stop = bench::read_stopwords();
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (std::find(stop.begin(), stop.end(), word) != stop.end()) {
      word.clear();
      return;
    }
    if (!out.empty()) out += " OR ";
    out += '"' + word + '"';
    word.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '"' || c == '\t') flush();
    else word += c;
  }
  flush();
  return out;
}

struct Searcher {
  sqlite3* db;
  std::unique_ptr<Stmt> top[4], facets[4];  // by filter combination: locale?, journey?

  explicit Searcher(const fs::path& index) : db(open_db(index / "fts.db", SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX)) {
    for (int f = 0; f < 4; ++f) {
      std::string where = "fts MATCH ?1 AND d.status = 'published'";
      if (f & 1) where += " AND d.locale = ?2";
      if (f & 2) where += " AND d.journey = ?3";
      const std::string sql_top =
          "SELECT d.slug, d.title, snippet(fts, 1, '<mark>', '</mark>', '…', 24) FROM fts JOIN docs d ON d.id = fts.rowid"
          " WHERE " + where + " ORDER BY bm25(fts, 6.0, 1.0) LIMIT 10";
      const std::string sql_facets =
          "SELECT d.journey, d.subtopic, d.locale, count(*) FROM fts JOIN docs d ON d.id = fts.rowid"
          " WHERE " + where + " GROUP BY d.journey, d.subtopic, d.locale";
      top[f] = std::make_unique<Stmt>(db, sql_top.c_str());
      facets[f] = std::make_unique<Stmt>(db, sql_facets.c_str());
    }
  }
  ~Searcher() {
    for (auto& s : top) s.reset();
    for (auto& s : facets) s.reset();
    sqlite3_close(db);
  }

  std::size_t search(const bench::Query& q) {
    const std::string match = match_expression(q.text);
    if (match.empty()) return 0;
    const int f = (q.locale.empty() ? 0 : 1) | (q.journey.empty() ? 0 : 2);
    std::size_t hits = 0;
    for (Stmt* st : {top[f].get(), facets[f].get()}) {
      st->text(1, match);
      if (f & 1) st->text(2, q.locale);
      if (f & 2) st->text(3, q.journey);
    }
    std::map<std::string, std::size_t> by_journey, by_subtopic, by_locale;
    std::size_t total = 0;
    while (sqlite3_step(facets[f]->s) == SQLITE_ROW) {
      const auto n = static_cast<std::size_t>(sqlite3_column_int64(facets[f]->s, 3));
      by_journey[reinterpret_cast<const char*>(sqlite3_column_text(facets[f]->s, 0))] += n;
      by_subtopic[reinterpret_cast<const char*>(sqlite3_column_text(facets[f]->s, 1))] += n;
      by_locale[reinterpret_cast<const char*>(sqlite3_column_text(facets[f]->s, 2))] += n;
      total += n;
    }
    facets[f]->reset();
    while (sqlite3_step(top[f]->s) == SQLITE_ROW) {
      std::string title = reinterpret_cast<const char*>(sqlite3_column_text(top[f]->s, 1));
      std::string snippet = reinterpret_cast<const char*>(sqlite3_column_text(top[f]->s, 2));
      ++hits;
    }
    top[f]->reset();
    (void)total;
    return hits;
  }
};

int cmd_query(const bench::Args& args) {
  const fs::path data = args.need("data"), index = args.need("index");
  const int runs = args.get_int("runs", 5);
  const auto queries = bench::read_queries(data);
  Searcher s(index);
  for (const auto& q : queries) s.search(q);  // warm-up
  std::vector<json> passes;
  std::size_t zero = 0, typo_found = 0, typos = 0;
  for (const auto& q : queries) typos += q.typo;
  for (int i = 0; i < runs; ++i) {
    std::vector<double> ms;
    zero = typo_found = 0;
    for (const auto& q : queries) {
      const auto t0 = bench::Clock::now();
      const std::size_t hits = s.search(q);
      ms.push_back(bench::ms_since(t0));
      zero += hits == 0;
      typo_found += q.typo && hits;
    }
    passes.push_back(bench::latency_summary(ms));
  }
  json out = {{"engine", "fts5"}, {"queries", queries.size()}};
  out["search"] = bench::median_of_runs(passes);
  out["search"]["zero_hit_rate"] = static_cast<double>(zero) / static_cast<double>(queries.size());
  out["search"]["typo_queries_with_hits"] = typos ? static_cast<double>(typo_found) / static_cast<double>(typos) : 0.0;
  out["search_rss_mib"] = bench::peak_rss_mib();
  auto qps = [&](int threads) {
    std::vector<std::unique_ptr<Searcher>> searchers;
    for (int t = 0; t < threads; ++t) searchers.push_back(std::make_unique<Searcher>(index));
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
  return bench::emit({{"engine", "fts5"}, {"open_ms", open_ms}, {"first_query_ms", total - open_ms},
                      {"cold_total_ms", total}, {"peak_rss_mib", bench::peak_rss_mib()}});
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const bench::Args args = bench::parse_args(argc, argv);
    if (args.command == "build") return cmd_build(args);
    if (args.command == "query") return cmd_query(args);
    if (args.command == "cold") return cmd_cold(args);
    std::fprintf(stderr, "fts5_peer: unknown sub-command '%s' (build, query, cold)\n", args.command.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fts5_peer: %s\n", e.what());
    return 1;
  }
}
