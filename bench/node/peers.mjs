// Peers: the in-browser search libraries help centers embed, FlexSearch and MiniSearch, under
// Node.js, on the same documents and queries as helpmark (bench/run, at 10k articles and below).
//
//   node bench/node/peers.mjs flexsearch|minisearch build|query|cold --data DIR --index DIR [--runs N]
//
// `build` indexes docs.jsonl and saves the serialized index (its size is the index size);
// `query` and `cold` load it back. Analysis as close to the others as each library allows:
// lower-casing, accent folding and the peers' stop words everywhere; neither library stems.
// Typo tolerance: MiniSearch's fuzzy matching (1 edit in words of 5+ letters); FlexSearch has no
// edit distance, only its LatinBalance encoder's phonetic normalisation. Facets are exact for
// both: counted over every match, since neither library counts facets itself.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import MiniSearch from "minisearch";
import FlexSearch from "flexsearch";

const here = path.dirname(fileURLToPath(import.meta.url));
const [engine, command, ...rest] = process.argv.slice(2);
const opts = {};
for (let i = 0; i < rest.length; i += 2) opts[rest[i].replace(/^--/, "")] = rest[i + 1];
const runs = Number(opts.runs || 5);
const dataDir = opts.data, indexDir = opts.index;

const stop = new Set(fs.readFileSync(path.join(here, "..", "peers", "stopwords.txt"), "utf8")
  .split("\n").filter((w) => w && !w.startsWith("#")));
const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
const readJsonl = (file) => fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const now = () => Number(process.hrtime.bigint()) / 1e6;
const peakRssMib = () => process.resourceUsage().maxRSS / 1024;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
const summary = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50_ms: percentile(s, 50), p95_ms: percentile(s, 95), p99_ms: percentile(s, 99),
           mean_ms: s.reduce((a, b) => a + b, 0) / s.length, n: s.length };
};
const medianOfRuns = (passes) => {
  const out = {};
  for (const k of Object.keys(passes[0])) out[k] = median(passes.map((p) => p[k]));
  out.runs = passes.length;
  return out;
};
const dirBytes = (d) => fs.readdirSync(d).reduce((n, f) => n + fs.statSync(path.join(d, f)).size, 0);

function bodyOf(d) {
  return [d.summary, ...d.questions, ...d.tags, d.body].join("\n");
}

// Facet counts and top-10 titles from the documents' metadata, kept beside the index as the
// page that embeds the library would (it needs the titles anyway).
function countFacets(ids, meta) {
  const counts = { journey: new Map(), subtopic: new Map(), locale: new Map() };
  for (const id of ids) {
    const m = meta.get(id);
    for (const f of ["journey", "subtopic", "locale"]) counts[f].set(m[f], (counts[f].get(m[f]) || 0) + 1);
  }
  return counts;
}

const engines = {
  minisearch: {
    create() {
      return new MiniSearch({
        idField: "id",
        fields: ["title", "body"],
        storeFields: ["title", "journey", "subtopic", "locale", "status"],
        processTerm: (term) => {
          const t = term.toLowerCase();
          return stop.has(t) ? null : fold(t);
        },
        searchOptions: {
          boost: { title: 6 },
          combineWith: "OR",
          prefix: false,
          fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        },
      });
    },
    build(docs) {
      const ms = this.create();
      ms.addAll(docs.map((d) => ({ id: d.id, title: d.title, body: bodyOf(d), journey: d.journey,
                                   subtopic: d.subtopic, locale: d.locale, status: d.status })));
      return ms;
    },
    save(ms, dir) {
      fs.writeFileSync(path.join(dir, "minisearch.json"), JSON.stringify(ms));
    },
    load(dir) {
      const json = fs.readFileSync(path.join(dir, "minisearch.json"), "utf8");
      const ms = MiniSearch.loadJSON(json, this.options());
      return { ms };
    },
    options() {
      const m = this.create();
      return m._options;
    },
    search(state, q) {
      const results = state.ms.search(q.q, {
        filter: (r) => r.status === "published" && (!q.locale || r.locale === q.locale) &&
                       (!q.journey || r.journey === q.journey),
      });
      const counts = { journey: new Map(), subtopic: new Map(), locale: new Map() };
      for (const r of results)
        for (const f of ["journey", "subtopic", "locale"]) counts[f].set(r[f], (counts[f].get(r[f]) || 0) + 1);
      const top = results.slice(0, 10).map((r) => r.title);
      return top.length;
    },
  },

  flexsearch: {
    create() {
      return new FlexSearch.Document({
        encoder: new FlexSearch.Encoder(FlexSearch.Charset.LatinBalance, { filter: stop }),
        tokenize: "strict",
        document: { id: "id", index: ["title", "body"], tag: ["locale", "journey", "status"] },
      });
    },
    build(docs) {
      const idx = this.create();
      for (const d of docs)
        idx.add({ id: d.id, title: d.title, body: bodyOf(d), locale: d.locale, journey: d.journey, status: d.status });
      return idx;
    },
    async save(idx, dir, docs) {
      const parts = {};
      await idx.export((key, data) => { parts[key] = data; });
      fs.writeFileSync(path.join(dir, "flexsearch.json"), JSON.stringify(parts));
      const meta = docs.map((d) => [d.id, d.title, d.journey, d.subtopic, d.locale]);
      fs.writeFileSync(path.join(dir, "meta.json"), JSON.stringify(meta));
    },
    async load(dir) {
      const idx = this.create();
      const parts = JSON.parse(fs.readFileSync(path.join(dir, "flexsearch.json"), "utf8"));
      for (const [key, data] of Object.entries(parts)) await idx.import(key, data);
      const meta = new Map();
      for (const [id, title, journey, subtopic, locale] of JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8")))
        meta.set(id, { title, journey, subtopic, locale });
      return { idx, meta, limit: meta.size };
    },
    search(state, q) {
      const tag = { status: "published" };
      if (q.locale) tag.locale = q.locale;
      if (q.journey) tag.journey = q.journey;
      // Every match (limit = all documents) so the facet counts are exact; `suggest` makes the
      // words alternatives (OR) as in the other engines, instead of FlexSearch's default AND.
      const res = state.idx.search(q.q, { index: ["title", "body"], tag, limit: state.limit, suggest: true, merge: true });
      const ids = res.map((r) => r.id);
      countFacets(ids, state.meta);
      const top = ids.slice(0, 10).map((id) => state.meta.get(id).title);
      return top.length;
    },
  },
};

async function main() {
  const e = engines[engine];
  if (!e || !["build", "query", "cold"].includes(command)) {
    console.error("usage: node peers.mjs flexsearch|minisearch build|query|cold --data DIR --index DIR [--runs N]");
    process.exit(2);
  }
  const out = { engine };
  if (command === "build") {
    const docs = readJsonl(path.join(dataDir, "docs.jsonl"));
    const secs = [];
    let built;
    for (let r = 0; r < runs; r++) {
      built = null;
      const t0 = now();
      built = e.build(docs);
      secs.push((now() - t0) / 1000);
      console.error(`${engine} build ${r + 1}/${runs}: ${secs[secs.length - 1].toFixed(2)} s`);
    }
    fs.rmSync(indexDir, { recursive: true, force: true });
    fs.mkdirSync(indexDir, { recursive: true });
    await e.save(built, indexDir, docs);
    Object.assign(out, { build_s: median(secs), build_runs_s: secs, articles: docs.length,
                         articles_per_s: docs.length / median(secs), index_bytes: dirBytes(indexDir),
                         note: "in memory; index_bytes is the serialized index", peak_rss_mib: peakRssMib() });
  } else if (command === "query") {
    const queries = readJsonl(path.join(dataDir, "queries.jsonl"));
    const t0 = now();
    const state = await e.load(indexDir);
    out.load_ms = now() - t0;
    for (let w = 0; w < 2; w++) for (const q of queries) e.search(state, q);  // warm-up (JIT)
    const passes = [];
    let zero = 0, typoFound = 0;
    const typos = queries.filter((q) => q.typo).length;
    for (let r = 0; r < runs; r++) {
      const ms = [];
      zero = 0;
      typoFound = 0;
      for (const q of queries) {
        const s0 = now();
        const hits = e.search(state, q);
        ms.push(now() - s0);
        if (!hits) zero++;
        if (q.typo && hits) typoFound++;
      }
      passes.push(summary(ms));
    }
    out.queries = queries.length;
    out.search = medianOfRuns(passes);
    out.search.zero_hit_rate = zero / queries.length;
    out.search.typo_queries_with_hits = typos ? typoFound / typos : 0;
    out.search_rss_mib = peakRssMib();
    out.qps_1_thread = 1000 / out.search.mean_ms;
    out.note = "single-threaded library: no 2-thread figure";
    out.peak_rss_mib = peakRssMib();
  } else {
    const queries = readJsonl(path.join(dataDir, "queries.jsonl"));
    const t0 = now();
    const state = await e.load(indexDir);
    const open = now() - t0;
    e.search(state, queries[0]);
    const total = now() - t0;
    Object.assign(out, { open_ms: open, first_query_ms: total - open, cold_total_ms: total,
                         process_uptime_ms: process.uptime() * 1000, peak_rss_mib: peakRssMib() });
  }
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.error(`${engine}: ${err.stack || err}`);
  process.exit(1);
});
