// Peer: Apache Lucene 8 (Debian's liblucene8-java) — EnglishAnalyzer with the peers' stop words,
// BM25 (k1 1.2, b 0.75), the title boosted 6, exact facet counts with
// SortedSetDocValuesFacetCounts over every match, DirectSpellChecker for unknown words (the same
// policy as helpmark: correct words the index does not know), UnifiedHighlighter snippets.
//
//   java -cp ... LucenePeer build|query|cold --data DIR --index DIR [--runs N]
//
// Search is timed after a warm-up (two passes, so the JIT has compiled the hot paths); cold
// start is the first query of a fresh JVM, reported apart. One JSON object on stdout.
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

public final class LucenePeer {
  static final float TITLE_BOOST = 6f;

  // --- the workload (bench/gen's JSONL), read with a tiny parser: no JSON library in Debian's
  // default class path that we could count on.
  static final class Doc {
    String id, title, summary, body, journey, subtopic, locale, status;
    List<String> questions = new ArrayList<>(), tags = new ArrayList<>();
  }

  static final class Q {
    String text, locale, journey;
    boolean typo;
  }

  static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n': b.append('\n'); break;
        case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'u': b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16)); i += 4; break;
        default: b.append(n);
      }
    }
    return b.toString();
  }

  // A flat object of strings, booleans and lists of strings: all bench/gen writes. (A regular
  // expression would recurse once per character and overflow the stack on long bodies.)
  static Map<String, Object> parse(String line) {
    Map<String, Object> m = new HashMap<>();
    int[] pos = {line.indexOf('{') + 1};
    while (true) {
      skipSpace(line, pos);
      if (pos[0] >= line.length() || line.charAt(pos[0]) == '}') break;
      String key = readString(line, pos);
      skipSpace(line, pos);
      pos[0]++;  // ':'
      skipSpace(line, pos);
      char c = line.charAt(pos[0]);
      if (c == '"') m.put(key, readString(line, pos));
      else if (c == '[') {
        List<String> items = new ArrayList<>();
        pos[0]++;
        while (true) {
          skipSpace(line, pos);
          if (line.charAt(pos[0]) == ']') { pos[0]++; break; }
          if (line.charAt(pos[0]) == ',') { pos[0]++; continue; }
          items.add(readString(line, pos));
        }
        m.put(key, items);
      } else {
        int end = pos[0];
        while (end < line.length() && ",}".indexOf(line.charAt(end)) < 0) end++;
        String word = line.substring(pos[0], end).trim();
        m.put(key, word.equals("true") ? Boolean.TRUE : word.equals("false") ? Boolean.FALSE : word);
        pos[0] = end;
      }
      skipSpace(line, pos);
      if (pos[0] < line.length() && line.charAt(pos[0]) == ',') pos[0]++;
    }
    return m;
  }

  static void skipSpace(String s, int[] pos) {
    while (pos[0] < s.length() && Character.isWhitespace(s.charAt(pos[0]))) pos[0]++;
  }

  static String readString(String s, int[] pos) {
    int start = ++pos[0];  // after the opening quote
    int i = start;
    boolean escaped = false;
    while (s.charAt(i) != '"') {
      if (s.charAt(i) == '\\') { escaped = true; i++; }
      i++;
    }
    pos[0] = i + 1;
    String raw = s.substring(start, i);
    return escaped ? unescape(raw) : raw;
  }

  @SuppressWarnings("unchecked")
  static List<Doc> readDocs(Path data) throws IOException {
    List<Doc> docs = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(data.resolve("docs.jsonl"), StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        Map<String, Object> m = parse(line);
        Doc d = new Doc();
        d.id = (String) m.get("id");
        d.title = (String) m.get("title");
        d.summary = (String) m.get("summary");
        d.body = (String) m.get("body");
        d.journey = (String) m.get("journey");
        d.subtopic = (String) m.get("subtopic");
        d.locale = (String) m.get("locale");
        d.status = (String) m.get("status");
        d.questions = (List<String>) m.getOrDefault("questions", d.questions);
        d.tags = (List<String>) m.getOrDefault("tags", d.tags);
        docs.add(d);
      }
    }
    return docs;
  }

  static List<Q> readQueries(Path data) throws IOException {
    List<Q> qs = new ArrayList<>();
    for (String line : Files.readAllLines(data.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
      Map<String, Object> m = parse(line);
      Q q = new Q();
      q.text = (String) m.get("q");
      q.locale = (String) m.getOrDefault("locale", "");
      q.journey = (String) m.getOrDefault("journey", "");
      q.typo = Boolean.TRUE.equals(m.get("typo"));
      qs.add(q);
    }
    return qs;
  }

  static Analyzer analyzer(Path benchDir) throws IOException {
    List<String> words = new ArrayList<>();
    for (String w : Files.readAllLines(benchDir.resolve("peers/stopwords.txt"), StandardCharsets.UTF_8))
      if (!w.isEmpty() && !w.startsWith("#")) words.add(w);
    return new EnglishAnalyzer(new CharArraySet(words, true));
  }

  static FacetsConfig facetsConfig() {
    FacetsConfig c = new FacetsConfig();
    return c;
  }

  // --- build
  static Map<String, Object> build(Path data, Path index, int runs, Path benchDir) throws IOException {
    List<Doc> docs = readDocs(data);
    List<Double> seconds = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      deleteTree(index);
      long t0 = System.nanoTime();
      IndexWriterConfig cfg = new IndexWriterConfig(analyzer(benchDir));
      cfg.setSimilarity(new BM25Similarity(1.2f, 0.75f));
      cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      FacetsConfig fc = facetsConfig();
      try (Directory dir = FSDirectory.open(index); IndexWriter w = new IndexWriter(dir, cfg)) {
        for (Doc d : docs) {
          Document doc = new Document();
          doc.add(new StringField("id", d.id, Field.Store.YES));
          doc.add(new TextField("title", d.title, Field.Store.YES));
          StringBuilder body = new StringBuilder(d.summary);
          for (String q : d.questions) body.append('\n').append(q);
          for (String t : d.tags) body.append('\n').append(t);
          body.append('\n').append(d.body);
          doc.add(new TextField("body", body.toString(), Field.Store.YES));
          doc.add(new StringField("journey_f", d.journey, Field.Store.NO));
          doc.add(new StringField("locale_f", d.locale, Field.Store.NO));
          doc.add(new StringField("status_f", d.status, Field.Store.NO));
          doc.add(new SortedSetDocValuesFacetField("journey", d.journey));
          doc.add(new SortedSetDocValuesFacetField("subtopic", d.subtopic));
          doc.add(new SortedSetDocValuesFacetField("locale", d.locale));
          w.addDocument(fc.build(doc));
        }
        w.forceMerge(1);
        w.commit();
      }
      seconds.add((System.nanoTime() - t0) / 1e9);
      System.err.printf("lucene build %d/%d: %.2f s%n", run + 1, runs, seconds.get(seconds.size() - 1));
    }
    double s = median(seconds);
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("engine", "lucene");
    out.put("build_s", s);
    out.put("build_runs_s", seconds);
    out.put("articles", docs.size());
    out.put("articles_per_s", docs.size() / s);
    out.put("index_bytes", treeBytes(index));
    out.put("note", "includes forceMerge(1)");
    out.put("peak_rss_mib", peakRssMib());
    return out;
  }

  // --- search
  static final class Searcher {
    final IndexReader reader;
    final IndexSearcher searcher;
    final SortedSetDocValuesReaderState state;
    final Analyzer analyzer;
    final DirectSpellChecker spell = new DirectSpellChecker();
    final UnifiedHighlighter highlighter;
    final FacetsConfig fc = facetsConfig();

    Searcher(Path index, Path benchDir) throws IOException {
      reader = DirectoryReader.open(FSDirectory.open(index));
      searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity(1.2f, 0.75f));
      state = new DefaultSortedSetDocValuesReaderState(reader);
      analyzer = analyzer(benchDir);
      highlighter = new UnifiedHighlighter(searcher, analyzer);
      spell.setMaxEdits(2);
    }

    List<String> terms(String text) throws IOException {
      List<String> out = new ArrayList<>();
      try (TokenStream ts = analyzer.tokenStream("body", text)) {
        CharTermAttribute a = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        while (ts.incrementToken()) out.add(a.toString());
        ts.end();
      }
      return out;
    }

    int search(Q q, boolean[] corrected) throws IOException {
      List<String> words = terms(q.text);
      BooleanQuery.Builder text = new BooleanQuery.Builder();
      for (String t : words) {
        Term body = new Term("body", t);
        if (reader.docFreq(body) == 0 && reader.docFreq(new Term("title", t)) == 0) {
          SuggestWord[] s = spell.suggestSimilar(body, 1, reader);
          if (s.length > 0) {
            t = s[0].string;
            body = new Term("body", t);
            if (corrected != null) corrected[0] = true;
          }
        }
        text.add(new BoostQuery(new TermQuery(new Term("title", t)), TITLE_BOOST), BooleanClause.Occur.SHOULD);
        text.add(new TermQuery(body), BooleanClause.Occur.SHOULD);
      }
      BooleanQuery.Builder all = new BooleanQuery.Builder();
      all.add(text.build(), BooleanClause.Occur.MUST);
      all.add(new TermQuery(new Term("status_f", "published")), BooleanClause.Occur.FILTER);
      if (!q.locale.isEmpty()) all.add(new TermQuery(new Term("locale_f", q.locale)), BooleanClause.Occur.FILTER);
      if (!q.journey.isEmpty()) all.add(new TermQuery(new Term("journey_f", q.journey)), BooleanClause.Occur.FILTER);
      Query query = all.build();
      FacetsCollector fcol = new FacetsCollector();
      TopDocs top = FacetsCollector.search(searcher, query, 10, fcol);
      Facets facets = new SortedSetDocValuesFacetCounts(state, fcol);
      int values = 0;
      for (String dim : new String[] {"journey", "subtopic", "locale"}) {
        FacetResult r = facets.getTopChildren(1000, dim);
        if (r != null) values += r.childCount;
      }
      String[] snippets = top.scoreDocs.length == 0 ? new String[0] : highlighter.highlight("body", query, top, 1);
      for (int i = 0; i < top.scoreDocs.length; i++) {
        String title = searcher.doc(top.scoreDocs[i].doc, Collections.singleton("title")).get("title");
        if (title == null && snippets[i] == null) throw new IllegalStateException();
      }
      return top.scoreDocs.length;
    }
  }

  static Map<String, Object> query(Path data, Path index, int runs, Path benchDir) throws Exception {
    List<Q> queries = readQueries(data);
    Searcher s = new Searcher(index, benchDir);
    for (int w = 0; w < 2; w++)
      for (Q q : queries) s.search(q, null);  // warm-up: class loading, JIT
    List<Map<String, Object>> passes = new ArrayList<>();
    int zero = 0, typoFound = 0, typos = 0;
    for (Q q : queries) if (q.typo) typos++;
    for (int run = 0; run < runs; run++) {
      double[] ms = new double[queries.size()];
      zero = 0;
      typoFound = 0;
      for (int i = 0; i < queries.size(); i++) {
        long t0 = System.nanoTime();
        int hits = s.search(queries.get(i), null);
        ms[i] = (System.nanoTime() - t0) / 1e6;
        if (hits == 0) zero++;
        if (queries.get(i).typo && hits > 0) typoFound++;
      }
      passes.add(summary(ms));
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("engine", "lucene");
    out.put("queries", queries.size());
    Map<String, Object> search = medianOfRuns(passes);
    search.put("zero_hit_rate", zero / (double) queries.size());
    search.put("typo_queries_with_hits", typos == 0 ? 0.0 : typoFound / (double) typos);
    out.put("search", search);
    out.put("search_rss_mib", peakRssMib());
    List<Double> qps1 = new ArrayList<>(), qps2 = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      qps1.add(throughput(index, benchDir, queries, 1));
      qps2.add(throughput(index, benchDir, queries, 2));
    }
    out.put("qps_1_thread", median(qps1));
    out.put("qps_2_threads", median(qps2));
    out.put("peak_rss_mib", peakRssMib());
    return out;
  }

  // An IndexSearcher is thread-safe; the spell checker and highlighter are per Searcher anyway.
  static double throughput(Path index, Path benchDir, List<Q> queries, int threads) throws Exception {
    Searcher[] ss = new Searcher[threads];
    for (int t = 0; t < threads; t++) {
      ss[t] = new Searcher(index, benchDir);
      for (Q q : queries) ss[t].search(q, null);
    }
    AtomicInteger next = new AtomicInteger();
    long t0 = System.nanoTime();
    Thread[] pool = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      final Searcher mine = ss[t];
      pool[t] = new Thread(() -> {
        try {
          for (int i; (i = next.getAndIncrement()) < queries.size(); ) mine.search(queries.get(i), null);
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      pool[t].start();
    }
    for (Thread th : pool) th.join();
    double qps = queries.size() / ((System.nanoTime() - t0) / 1e9);
    for (Searcher s : ss) s.reader.close();
    return qps;
  }

  static Map<String, Object> cold(Path data, Path index, Path benchDir) throws Exception {
    List<Q> queries = readQueries(data);
    long t0 = System.nanoTime();
    Searcher s = new Searcher(index, benchDir);
    double open = (System.nanoTime() - t0) / 1e6;
    s.search(queries.get(0), null);
    double total = (System.nanoTime() - t0) / 1e6;
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("engine", "lucene");
    out.put("open_ms", open);
    out.put("first_query_ms", total - open);
    out.put("cold_total_ms", total);
    out.put("jvm_uptime_ms", (double) java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
    out.put("peak_rss_mib", peakRssMib());
    return out;
  }

  // --- helpers
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    rank = Math.max(1, Math.min(sorted.length, rank));
    return sorted[rank - 1];
  }

  static Map<String, Object> summary(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    double sum = 0;
    for (double x : s) sum += x;
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("p50_ms", percentile(s, 50));
    m.put("p95_ms", percentile(s, 95));
    m.put("p99_ms", percentile(s, 99));
    m.put("mean_ms", sum / s.length);
    m.put("n", (double) s.length);
    return m;
  }

  static Map<String, Object> medianOfRuns(List<Map<String, Object>> runs) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (String k : runs.get(0).keySet()) {
      List<Double> xs = new ArrayList<>();
      for (Map<String, Object> r : runs) xs.add((Double) r.get(k));
      out.put(k, median(xs));
    }
    out.put("runs", runs.size());
    return out;
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  // VmHWM: the peak resident set, as getrusage reports for the C++ programs.
  static double peakRssMib() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status")))
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
    } catch (IOException e) {
      // fall through
    }
    return 0;
  }

  static long treeBytes(Path p) throws IOException {
    if (!Files.exists(p)) return 0;
    try (var s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var s = Files.walk(p)) {
      s.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  static String toJson(Object o) {
    if (o instanceof Map) {
      StringBuilder b = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
        if (!first) b.append(", ");
        first = false;
        b.append('"').append(e.getKey()).append("\": ").append(toJson(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (o instanceof List) {
      StringBuilder b = new StringBuilder("[");
      boolean first = true;
      for (Object x : (List<?>) o) {
        if (!first) b.append(", ");
        first = false;
        b.append(toJson(x));
      }
      return b.append(']').toString();
    }
    if (o instanceof String) return "\"" + ((String) o).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    if (o instanceof Double && (((Double) o).isNaN() || ((Double) o).isInfinite())) return "null";
    return String.valueOf(o);
  }

  public static void main(String[] argv) throws Exception {
    if (argv.length < 1) {
      System.err.println("usage: LucenePeer build|query|cold --data DIR --index DIR [--runs N]");
      System.exit(2);
    }
    Map<String, String> kv = new HashMap<>();
    for (int i = 1; i + 1 < argv.length; i += 2) kv.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    Path data = Paths.get(kv.get("data")), index = Paths.get(kv.get("index"));
    Path benchDir = Paths.get(kv.getOrDefault("bench", "bench"));
    int runs = Integer.parseInt(kv.getOrDefault("runs", "5"));
    Map<String, Object> out;
    switch (argv[0]) {
      case "build": out = build(data, index, runs, benchDir); break;
      case "query": out = query(data, index, runs, benchDir); break;
      case "cold": out = cold(data, index, benchDir); break;
      default:
        System.err.println("LucenePeer: unknown sub-command " + argv[0]);
        System.exit(2);
        return;
    }
    System.out.println(toJson(out));
  }
}
