// helpmark eval: measure search and answer quality on labelled queries.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands/commands.hpp"
#include "helpmark/eval.hpp"
#include "helpmark/json.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

struct EvalCommand {
  std::string articles, queries, workdir, vocabulary, report_file, learned, taxonomy = "taxonomy";
  bool no_synonyms = false, no_spelling = false, no_stemming = false, no_fallback = false, no_model = false;
  bool calibrate = false;
  bool bm25 = false;
  bool json = false;
  double min_recall1 = -1, min_recall3 = -1, min_accuracy = -1;
  std::size_t show_misses = 0;
};

void write_markdown(const EvalReport& r, const EvalCommand& cmd, std::ostream& out) {
  out << "# helpmark eval\n\n"
      << "- articles: `" << cmd.articles << "` (" << r.articles << ")\n"
      << "- queries: `" << cmd.queries << "` (" << r.queries << ": " << r.in_scope << " in scope, "
      << r.out_of_scope << " out of scope)\n- layers: " << r.layers << "\n\n"
      << "| metric | value |\n|---|---|\n";
  char buf[128];
  auto row = [&](const char* name, double v) {
    std::snprintf(buf, sizeof buf, "| %s | %.4f |\n", name, v);
    out << buf;
  };
  row("recall@1", r.recall_at_1);
  row("recall@3", r.recall_at_3);
  row("recall@10", r.recall_at_10);
  row("MRR@10", r.mrr);
  row("nDCG@10", r.ndcg_at_10);
  row("answer accuracy (all queries)", r.answer_accuracy);
  row("escalation precision", r.escalation_precision);
  row("escalation recall", r.escalation_recall);
  row("confidence threshold", r.threshold);
  std::snprintf(buf, sizeof buf, "| search latency p50 / p95 / p99 | %.3f / %.3f / %.3f ms |\n", r.search_p50_ms,
                r.search_p95_ms, r.search_p99_ms);
  out << buf;
  std::snprintf(buf, sizeof buf, "| answer latency p50 / p95 / p99 | %.3f / %.3f / %.3f ms |\n", r.answer_p50_ms,
                r.answer_p95_ms, r.answer_p99_ms);
  out << buf << "\nAnswer model: " << r.model << ".\n";
  if (!r.misses.empty()) {
    out << "\n## Misses (first " << r.misses.size() << ")\n\n| qid | query | gold | top 3 |\n|---|---|---|---|\n";
    for (const auto& m : r.misses) {
      std::string gold, got;
      for (const auto& g : m.gold) gold += (gold.empty() ? "" : ", ") + g;
      for (const auto& g : m.got) got += (got.empty() ? "" : ", ") + g;
      std::string query = m.query;
      for (char& c : query)
        if (c == '|') c = '/';
      out << "| " << m.qid << " | " << query << " | " << gold << " | " << got << " |\n";
    }
  }
}

int run_eval_command(const EvalCommand& cmd) {
  EvalOptions options;
  options.articles_jsonl = cmd.articles;
  options.queries_jsonl = cmd.queries;
  options.workdir = cmd.workdir;
  options.learned = cmd.learned;
  options.taxonomy_dir = cmd.taxonomy;
  options.vocabulary_from = cmd.vocabulary;
  options.synonyms = !cmd.no_synonyms;
  options.spelling = !cmd.no_spelling;
  options.stemming = !cmd.no_stemming;
  options.fallback = !cmd.no_fallback;
  options.model = !cmd.no_model;
  options.calibrate = cmd.calibrate;
  options.bm25 = cmd.bm25;
  if (stderr_is_terminal() && !cmd.json)
    options.on_progress = [](std::size_t done, std::size_t total) {
      if (done % 100 == 0 || done == total) std::fprintf(stderr, "\rqueries %zu/%zu", done, total);
      if (done == total) std::fprintf(stderr, "\r\033[K");
    };
  auto result = run_eval(options);
  if (!result.ok()) return report_error(result.status(), cmd.json);
  const EvalReport& r = result.value();
  if (!cmd.json) print_diagnostics(r.diagnostics, 10);
  if (!cmd.report_file.empty()) {
    std::ofstream out(cmd.report_file);
    if (!out) return report_error(Status(ErrorCode::kIoError, cmd.report_file + ": cannot write the report"), cmd.json);
    write_markdown(r, cmd, out);
  }
  if (cmd.json) {
    std::cout << json::eval_report(r) << "\n";
  } else {
    std::printf("%zu articles, %zu queries (%zu in scope, %zu out of scope); layers: %s\n\n", r.articles,
                r.queries, r.in_scope, r.out_of_scope, r.layers.c_str());
    std::printf("  recall@1   %.4f\n  recall@3   %.4f\n  recall@10  %.4f\n  MRR@10     %.4f\n  nDCG@10    %.4f\n\n",
                r.recall_at_1, r.recall_at_3, r.recall_at_10, r.mrr, r.ndcg_at_10);
    std::printf("  answer accuracy       %.4f  (threshold %.3f; %s)\n  escalation precision  %.4f\n  escalation recall     %.4f\n\n",
                r.answer_accuracy, r.threshold, r.model.c_str(), r.escalation_precision, r.escalation_recall);
    std::printf("  search latency  p50 %.3f  p95 %.3f  p99 %.3f ms\n  answer latency  p50 %.3f  p95 %.3f  p99 %.3f ms\n",
                r.search_p50_ms, r.search_p95_ms, r.search_p99_ms, r.answer_p50_ms, r.answer_p95_ms, r.answer_p99_ms);
    for (std::size_t i = 0; i < cmd.show_misses && i < r.misses.size(); ++i) {
      const auto& m = r.misses[i];
      std::printf("  miss %s: \"%s\" gold=%s got=%s\n", m.qid.c_str(), m.query.c_str(),
                  m.gold.empty() ? "-" : m.gold[0].c_str(), m.got.empty() ? "-" : m.got[0].c_str());
    }
  }
  int code = kExitOk;
  auto floor = [&](const char* name, double value, double min) {
    if (min >= 0 && value < min) {
      std::fprintf(stderr, "helpmark: eval: %s %.4f is below the floor %.4f\n", name, value, min);
      code = kExitError;
    }
  };
  floor("recall@1", r.recall_at_1, cmd.min_recall1);
  floor("recall@3", r.recall_at_3, cmd.min_recall3);
  floor("answer accuracy", r.answer_accuracy, cmd.min_accuracy);
  return code;
}

}  // namespace

void register_eval(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<EvalCommand>();
  CLI::App* sub = app.add_subcommand(
      "eval",
      "Measure search and answer quality on labelled queries (recall@k, MRR, nDCG@10, answer\n"
      "accuracy, escalation precision/recall, latency). Converts ARTICLES.jsonl into real\n"
      "articles, indexes them with the normal indexer and runs every query through search and\n"
      "answer. Switch layers off to measure what each adds.\n"
      "  helpmark eval articles.jsonl queries.jsonl --report eval.md\n"
      "  helpmark eval articles.jsonl queries.jsonl --no-synonyms --no-spelling --no-stemming --json\n"
      "  helpmark eval a.jsonl q.jsonl --min-recall1 0.8    # exit 1 below the floor (CI)\n"
      "  helpmark eval articles tests/data/sample-queries.jsonl --taxonomy taxonomy");
  sub->add_option("articles", cmd->articles,
                  "articles.jsonl: {id, title, questions[], body?, summary?, locale?, journey?, category?},\n"
                  "or a directory of Markdown articles (indexed as is, with --taxonomy)")
      ->required();
  sub->add_option("--taxonomy", cmd->taxonomy, "Taxonomy of a Markdown articles directory")->capture_default_str();
  sub->add_option("queries", cmd->queries, "queries.jsonl: {qid, query, gold (id, [ids] or null), locale?}")->required();
  sub->add_option("--workdir", cmd->workdir, "Keep the converted articles and index here (default: a temporary directory)");
  sub->add_option("--learned", cmd->learned, "Train on these learned questions (a `learn apply` learned.json)");
  sub->add_option("--vocabulary-from", cmd->vocabulary, "Use synonyms/ and spelling/ of this taxonomy directory");
  sub->add_flag("--no-synonyms", cmd->no_synonyms, "Switch synonym expansion off");
  sub->add_flag("--no-spelling", cmd->no_spelling, "Switch spelling correction off");
  sub->add_flag("--no-stemming", cmd->no_stemming, "Index and search without stemming");
  sub->add_flag("--no-fallback", cmd->no_fallback, "Search only the query's own locale");
  sub->add_flag("--no-model", cmd->no_model, "Rank without the learned lexical model (Xapian alone)");
  sub->add_flag("--bm25", cmd->bm25, "Rank with BM25 instead of the language model (baseline)");
  sub->add_flag("--calibrate", cmd->calibrate, "Fit the answer model by 2-fold cross-fitting on these queries");
  sub->add_option("--report", cmd->report_file, "Also write a Markdown report to this file");
  sub->add_option("--min-recall1", cmd->min_recall1, "Exit 1 when recall@1 is below this floor");
  sub->add_option("--min-recall3", cmd->min_recall3, "Exit 1 when recall@3 is below this floor");
  sub->add_option("--min-accuracy", cmd->min_accuracy, "Exit 1 when answer accuracy is below this floor");
  sub->add_option("--show-misses", cmd->show_misses, "Print this many failed queries")->check(CLI::NonNegativeNumber);
  sub->add_flag("--json", cmd->json, "Print one JSON object");
  sub->callback([cmd, &exit_code] { exit_code = run_eval_command(*cmd); });
}

}  // namespace helpmark::cli
