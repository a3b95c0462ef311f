#include "helpmark/eval.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "helpmark/indexer.hpp"
#include "search/confidence.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace helpmark {
namespace {

std::string slug(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "general" : out;
}

std::vector<std::string> string_list(const json& j) {
  std::vector<std::string> out;
  if (j.is_string()) out.push_back(j.get<std::string>());
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) ;
  return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

struct Converted {
  std::size_t articles = 0;
  std::string default_locale = "en";
};

// articles.jsonl -> Markdown articles + a taxonomy of their journeys/categories.
Result<Converted> convert_articles(const fs::path& jsonl, const fs::path& articles_dir,
                                   const fs::path& taxonomy_dir, const fs::path& vocabulary_from,
                                   std::vector<Diagnostic>& diags) {
  std::ifstream in(jsonl, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, jsonl.string() + ": cannot read the articles file");
  fs::create_directories(articles_dir);
  fs::create_directories(taxonomy_dir);
  std::map<std::string, std::size_t> locales;
  std::set<std::string> journeys, ids;
  Converted converted;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (text::trim(line).empty()) continue;
    auto bad = [&](const std::string& message) {
      diags.push_back({Severity::kError, jsonl.string(), line_no, message});
    };
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      bad("not a JSON object");
      continue;
    }
    const std::string id = j.value("id", "");
    if (id.empty()) {
      bad("missing \"id\"");
      continue;
    }
    if (!ids.insert(id).second) {
      bad("duplicate id '" + id + "'");
      continue;
    }
    const std::string locale = j.value("locale", "en");
    std::string journey = j.contains("journey") && j["journey"].is_string() ? j["journey"].get<std::string>()
                          : j.contains("category") && j["category"].is_string() ? j["category"].get<std::string>()
                                                                                 : "general";
    journey = slug(journey);
    journeys.insert(journey);
    ++locales[locale];

    YAML::Emitter fm;
    fm << YAML::BeginMap;
    fm << YAML::Key << "id" << YAML::Value << id;
    const std::string title = j.value("title", id);
    fm << YAML::Key << "title" << YAML::Value << (title.empty() ? id : title);
    fm << YAML::Key << "journey" << YAML::Value << journey;
    fm << YAML::Key << "locale" << YAML::Value << locale;
    if (j.contains("summary") && j["summary"].is_string())
      fm << YAML::Key << "summary" << YAML::Value << j["summary"].get<std::string>();
    if (auto q = string_list(j.value("questions", json::array())); !q.empty())
      fm << YAML::Key << "questions" << YAML::Value << q;
    if (j.contains("translation_of") && j["translation_of"].is_string())
      fm << YAML::Key << "translation_of" << YAML::Value << j["translation_of"].get<std::string>();
    fm << YAML::EndMap;
    std::string body = j.value("body", "");
    if (body.empty()) body = j.value("summary", "");

    std::string file_id = id;
    for (char& c : file_id)
      if (c == '/' || c == '\\') c = '_';
    std::ofstream out(articles_dir / (file_id + ".md"), std::ios::binary);
    out << "---\n" << fm.c_str() << "\n---\n\n" << body << "\n";
    ++converted.articles;
  }
  if (converted.articles == 0) return Status(ErrorCode::kInvalidInput, jsonl.string() + ": no usable articles");

  // The most common locale is the default one.
  std::size_t best = 0;
  for (const auto& [l, n] : locales)
    if (n > best) {
      best = n;
      converted.default_locale = l;
    }
  YAML::Emitter tx;
  tx << YAML::BeginMap << YAML::Key << "default_locale" << YAML::Value << converted.default_locale;
  tx << YAML::Key << "locales" << YAML::Value << YAML::Flow << YAML::BeginSeq << converted.default_locale;
  for (const auto& [l, n] : locales)
    if (l != converted.default_locale) tx << l;
  tx << YAML::EndSeq << YAML::Key << "journeys" << YAML::Value << YAML::BeginSeq;
  for (const auto& j : journeys) tx << YAML::BeginMap << YAML::Key << "id" << YAML::Value << j << YAML::EndMap;
  tx << YAML::EndSeq << YAML::EndMap;
  std::ofstream(taxonomy_dir / "journeys.yaml") << tx.c_str() << "\n";

  if (!vocabulary_from.empty()) {
    for (const char* sub : {"synonyms", "spelling"}) {
      std::error_code ec;
      if (fs::is_directory(vocabulary_from / sub, ec))
        fs::copy(vocabulary_from / sub, taxonomy_dir / sub, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
      // Files for locales this data set lacks would be errors: keep only its locales.
      if (fs::is_directory(taxonomy_dir / sub, ec))
        for (const auto& e : fs::directory_iterator(taxonomy_dir / sub, ec))
          if (!locales.count(e.path().stem().string())) fs::remove(e.path(), ec);
    }
  }
  return converted;
}

// Removes the temporary work directory when the run ends.
struct TempDir {
  fs::path path;
  bool owned = false;
  ~TempDir() {
    if (owned) {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  }
};

}  // namespace

Result<std::vector<LabelledQuery>> read_labelled_queries(const fs::path& file, std::vector<Diagnostic>& diags) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, file.string() + ": cannot read the queries file");
  std::vector<LabelledQuery> out;
  std::set<std::string> qids;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (text::trim(line).empty()) continue;
    auto bad = [&](const std::string& message) {
      diags.push_back({Severity::kError, file.string(), line_no, message});
    };
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      bad("not a JSON object");
      continue;
    }
    LabelledQuery q;
    q.line = line_no;
    q.qid = j.contains("qid") && j["qid"].is_string() ? j["qid"].get<std::string>()
            : j.contains("qid") && j["qid"].is_number() ? std::to_string(j["qid"].get<long>())
                                                        : "line-" + std::to_string(line_no);
    if (!qids.insert(q.qid).second) {
      bad("duplicate qid '" + q.qid + "'");
      continue;
    }
    if (!j.contains("query") || !j["query"].is_string() || text::trim(j["query"].get<std::string>()).empty()) {
      bad("missing \"query\"");
      continue;
    }
    q.query = j["query"].get<std::string>();
    q.locale = j.value("locale", "");
    if (!j.contains("gold")) {
      bad("missing \"gold\" (an id, a list of ids, or null for out of scope)");
      continue;
    }
    if (!j["gold"].is_null() && !j["gold"].is_string() && !j["gold"].is_array()) {
      bad("\"gold\" must be an id, a list of ids, or null");
      continue;
    }
    q.gold = string_list(j["gold"]);
    out.push_back(std::move(q));
  }
  if (out.empty()) return Status(ErrorCode::kInvalidInput, file.string() + ": no usable queries");
  return out;
}

Result<EvalReport> run_eval(const EvalOptions& options) {
  EvalReport report;
  auto queries = read_labelled_queries(options.queries_jsonl, report.diagnostics);
  if (!queries.ok()) return queries.status();

  TempDir work;
  if (options.workdir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "helpmark-eval-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) return Status(ErrorCode::kIoError, "cannot create a temporary directory");
    work.path = tmpl;
    work.owned = true;
  } else {
    work.path = options.workdir;
    std::error_code ec;
    fs::remove_all(work.path / "articles", ec);
    fs::remove_all(work.path / "taxonomy", ec);
    fs::remove_all(work.path / "index", ec);
  }
  IndexOptions io;
  Converted kb;
  std::error_code ec;
  if (fs::is_directory(options.articles_jsonl, ec)) {
    // A knowledge base of Markdown articles, indexed as it is.
    auto taxonomy = Taxonomy::load(options.taxonomy_dir);
    if (!taxonomy.ok()) return taxonomy.status();
    kb.default_locale = taxonomy->default_locale();
    io.articles_dir = options.articles_jsonl;
    io.taxonomy_dir = options.taxonomy_dir;
  } else {
    auto converted = convert_articles(options.articles_jsonl, work.path / "articles", work.path / "taxonomy",
                                      options.vocabulary_from, report.diagnostics);
    if (!converted.ok()) return converted.status();
    kb = converted.value();
    io.articles_dir = work.path / "articles";
    io.taxonomy_dir = work.path / "taxonomy";
  }
  io.index_dir = work.path / "index";
  io.stemming = options.stemming;
  io.learned = options.learned;
  IndexReport ir;
  auto built = build_index(io, &ir);
  if (!built.ok()) return built.status();
  report.articles = ir.total;
  for (auto& d : ir.diagnostics) report.diagnostics.push_back(d);

  auto index = Index::open(io.index_dir);
  if (!index.ok()) return index.status();

  SearchLayers layers;
  layers.synonyms = options.synonyms;
  layers.spelling = options.spelling;
  layers.fallback = options.fallback;
  layers.model = options.model;
  if (options.bm25) layers.ranking = SearchLayers::Ranking::kBm25;
  std::vector<std::string> on;
  for (auto [name, enabled] : {std::pair{"model", options.model}, std::pair{"synonyms", options.synonyms},
                               std::pair{"spelling", options.spelling}, std::pair{"stemming", options.stemming},
                               std::pair{"fallback", options.fallback}})
    if (enabled) on.emplace_back(name);
  auto stats = index->stats();
  if (!stats.ok()) return stats.status();
  report.ranking = stats->ranking;
  report.models = stats->models;
  char weight[32];
  std::snprintf(weight, sizeof weight, "%g", options.model ? report.ranking.model_weight : 0.0);
  report.layers = on.empty() ? "none" : text::join(on, " ");
  report.layers += "; ranking " + (options.bm25 ? std::string("bm25 (forced)") : report.ranking.weighting) +
                   ", model weight " + weight;

  std::map<std::string, std::string> groups;
  auto group_of = [&](const std::string& id) -> std::string {
    auto it = groups.find(id);
    if (it != groups.end()) return it->second;
    auto a = index->get(id);
    std::string g = a.ok() && !a->translation_of.empty() ? a->translation_of : id;
    groups[id] = g;
    return g;
  };
  std::vector<double> search_ms, answer_ms;
  std::vector<search::TrainingExample> examples;
  double sum_rr = 0, sum_ndcg = 0;
  std::size_t hit1 = 0, hit3 = 0, hit10 = 0;
  const std::size_t total = queries->size();
  std::size_t done = 0;
  AnswerOptions ao;
  ao.layers = layers;
  ao.alternatives = 1;
  double threshold_used = 0;
  std::vector<bool> escalated_by_api;
  for (const auto& q : queries.value()) {
    const std::string locale = q.locale.empty() ? kb.default_locale : q.locale;
    SearchRequest request;
    request.query = q.query;
    request.locale = locale;
    request.limit = 10;
    request.layers = layers;
    auto t0 = std::chrono::steady_clock::now();
    auto response = index->search(request);
    auto t1 = std::chrono::steady_clock::now();
    if (!response.ok()) return response.status();
    auto answer = index->answer(q.query, locale, ao);
    auto t2 = std::chrono::steady_clock::now();
    if (!answer.ok()) return answer.status();
    search_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    answer_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    threshold_used = answer->threshold;
    escalated_by_api.push_back(answer->escalate);

    search::TrainingExample e;
    e.features = answer->explanation.features;
    e.model_scored = answer->has_model_score;
    e.in_scope = !q.gold.empty();
    e.top_is_right = answer->found && std::find(q.gold.begin(), q.gold.end(), answer->id) != q.gold.end();
    examples.push_back(e);

    if (!q.gold.empty()) {
      ++report.in_scope;
      auto gold_groups_of_query = [&](const LabelledQuery& lq) {
        std::set<std::string> g;
        for (const auto& id : lq.gold) g.insert(group_of(id));
        return g;
      };
      std::size_t first = 0;
      double dcg = 0;
      const auto& hits = response->hits;
      for (std::size_t r = 0; r < hits.size() && r < 10; ++r) {
        const bool relevant = std::find(q.gold.begin(), q.gold.end(), hits[r].id) != q.gold.end() ||
                              std::find(q.gold.begin(), q.gold.end(), hits[r].translation_group) != q.gold.end() ||
                              gold_groups_of_query(q).count(hits[r].translation_group) > 0;
        if (relevant) {
          if (!first) first = r + 1;
          dcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
        }
      }
      // Translations are grouped, so at most one hit per acceptable group is possible: the
      // ideal ranking has one relevant hit per distinct group among the gold ids.
      std::set<std::string> gold_groups;
      for (const auto& id : q.gold) gold_groups.insert(group_of(id));
      double idcg = 0;
      for (std::size_t r = 0; r < std::min<std::size_t>(gold_groups.size(), 10); ++r)
        idcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
      sum_ndcg += idcg > 0 ? std::min(1.0, dcg / idcg) : 0;
      if (first == 1) ++hit1;
      if (first && first <= 3) ++hit3;
      if (first && first <= 10) ++hit10;
      if (first) sum_rr += 1.0 / static_cast<double>(first);
      if (first != 1 && report.misses.size() < options.misses_kept) {
        EvalMiss miss{q.qid, q.query, q.gold, {}};
        for (std::size_t r = 0; r < hits.size() && r < 3; ++r) miss.got.push_back(hits[r].id);
        report.misses.push_back(std::move(miss));
      }
    } else {
      ++report.out_of_scope;
    }
    if (options.on_progress) options.on_progress(++done, total);
  }
  report.queries = total;
  const double n_in = static_cast<double>(std::max<std::size_t>(1, report.in_scope));
  report.recall_at_1 = static_cast<double>(hit1) / n_in;
  report.recall_at_3 = static_cast<double>(hit3) / n_in;
  report.recall_at_10 = static_cast<double>(hit10) / n_in;
  report.mrr = sum_rr / n_in;
  report.ndcg_at_10 = sum_ndcg / n_in;

  // Answer decisions: with the index's model, or cross-fitted on the queries themselves.
  std::vector<bool> escalated(examples.size());
  if (options.calibrate) {
    std::vector<search::TrainingExample> fold[2];
    std::vector<std::size_t> index_of[2];
    for (std::size_t i = 0; i < examples.size(); ++i) {
      const int f = static_cast<int>(text::fnv1a64(queries.value()[i].qid) & 1);
      fold[f].push_back(examples[i]);
      index_of[f].push_back(i);
    }
    double thresholds = 0;
    for (int f = 0; f < 2; ++f) {
      AnswerModel m = search::fit_model(fold[1 - f], "fold");
      thresholds += m.threshold / 2;
      for (std::size_t k = 0; k < fold[f].size(); ++k)
        escalated[index_of[f][k]] = search::predict(m, fold[f][k].features, fold[f][k].model_scored) <
                                    m.threshold_for(fold[f][k].model_scored);
    }
    report.threshold = thresholds;
    report.model = "2-fold cross-fitted on these queries (threshold is the mean of the two folds)";
  } else {
    escalated = escalated_by_api;  // exactly what the answer API decided
    report.threshold = threshold_used;
    report.model = "the index's answer model";
  }
  std::size_t right = 0, escalated_n = 0, should_n = 0, escalated_and_should = 0;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const auto& e = examples[i];
    const bool esc = escalated[i];
    const bool should = !e.in_scope || !e.top_is_right;
    right += esc ? !e.in_scope : (e.in_scope && e.top_is_right);
    escalated_n += esc;
    should_n += should;
    escalated_and_should += esc && should;
  }
  report.answer_accuracy = static_cast<double>(right) / static_cast<double>(std::max<std::size_t>(1, examples.size()));
  report.escalation_precision = escalated_n ? static_cast<double>(escalated_and_should) / static_cast<double>(escalated_n) : 0;
  report.escalation_recall = should_n ? static_cast<double>(escalated_and_should) / static_cast<double>(should_n) : 0;
  report.search_p50_ms = percentile(search_ms, 0.50);
  report.search_p95_ms = percentile(search_ms, 0.95);
  report.search_p99_ms = percentile(search_ms, 0.99);
  report.answer_p50_ms = percentile(answer_ms, 0.50);
  report.answer_p95_ms = percentile(answer_ms, 0.95);
  report.answer_p99_ms = percentile(answer_ms, 0.99);
  return report;
}

}  // namespace helpmark
