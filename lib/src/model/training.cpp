#include "model/training.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cmath>
#include <mutex>
#include <thread>
#include <unordered_map>

// liblinear's API under the names of helpmark's private copy (cmake/private-liblinear.cmake).
#define train helpmark_liblinear_train
#define free_and_destroy_model helpmark_liblinear_free_and_destroy_model
#define set_print_string_function helpmark_liblinear_set_print_string_function
#include <linear.h>
#undef train
#undef free_and_destroy_model
#undef set_print_string_function

namespace {

// How many times its share of the kept weights an article may keep before the final choice
// (train_lexical_model, restricted negatives only).
constexpr std::size_t kClassShareSlack = 4;
// The generator the private liblinear calls instead of rand(): one per thread, seeded before
// each class is trained, so a class's model never depends on what other threads do.
thread_local std::uint64_t t_liblinear_rand_state = 1;
}  // namespace

extern "C" int helpmark_liblinear_rand() {
  // splitmix64, cut to rand()'s range.
  std::uint64_t z = (t_liblinear_rand_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<int>(z & static_cast<std::uint64_t>(RAND_MAX));
}

namespace helpmark::model {
namespace {

using SparseVector = std::vector<std::pair<std::uint32_t, float>>;

void quiet(const char*) {}

// The examples as liblinear rows over the whole table: feature position + 1, then the bias
// feature, then the terminator.
struct Rows {
  std::vector<feature_node> nodes;
  std::vector<std::size_t> begin;  // of each example in `nodes`
  int bias_index = 0;
};

Rows make_rows(const std::vector<TextFeatures>& examples, const FeatureTable& table) {
  Rows rows;
  rows.bias_index = static_cast<int>(table.size()) + 1;
  SparseVector v;
  for (const auto& example : examples) {
    table.vectorize(example, v);
    rows.begin.push_back(rows.nodes.size());
    for (const auto& [f, value] : v) rows.nodes.push_back({static_cast<int>(f) + 1, value});
    rows.nodes.push_back({rows.bias_index, 1.0});
    rows.nodes.push_back({-1, 0.0});
  }
  return rows;
}

// For each class, the other classes most alike, best first: by the dot product of the classes'
// centroids over each centroid's strongest features (an inverted index, so the cost grows with
// the number of classes, not its square).
std::vector<std::vector<std::uint32_t>> similar_classes(const Rows& rows,
                                                        const std::vector<std::vector<std::uint32_t>>& by_class) {
  constexpr std::size_t kTopFeatures = 24;
  constexpr std::size_t kMaxClassesPerFeature = 2000;  // commoner features tell little apart
  const std::size_t classes = by_class.size();
  std::unordered_map<std::uint32_t, std::vector<std::pair<std::uint32_t, float>>> by_feature;
  std::vector<SparseVector> top(classes);
  std::vector<std::pair<std::uint32_t, double>> centroid;
  for (std::size_t c = 0; c < classes; ++c) {
    // The class's centroid: its examples' features, summed.
    centroid.clear();
    for (std::uint32_t i : by_class[c])
      for (const feature_node* node = &rows.nodes[rows.begin[i]]; node->index != -1; ++node)
        if (node->index != rows.bias_index) centroid.emplace_back(static_cast<std::uint32_t>(node->index - 1), node->value);
    std::sort(centroid.begin(), centroid.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::size_t merged = 0;
    for (std::size_t k = 0; k < centroid.size(); ++k) {
      if (merged > 0 && centroid[merged - 1].first == centroid[k].first)
        centroid[merged - 1].second += centroid[k].second;
      else
        centroid[merged++] = centroid[k];
    }
    centroid.resize(merged);
    double norm = 0;
    for (const auto& [f, v] : centroid) norm += v * v;
    norm = norm > 0 ? std::sqrt(norm) : 1;
    for (const auto& [f, v] : centroid) top[c].emplace_back(f, static_cast<float>(v / norm));
    std::sort(top[c].begin(), top[c].end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (top[c].size() > kTopFeatures) top[c].resize(kTopFeatures);
    for (const auto& [f, v] : top[c]) by_feature[f].emplace_back(static_cast<std::uint32_t>(c), v);
  }
  std::vector<std::vector<std::uint32_t>> similar(classes);
  std::unordered_map<std::uint32_t, double> score;
  std::vector<std::pair<double, std::uint32_t>> ranked;
  for (std::size_t c = 0; c < classes; ++c) {
    score.clear();
    for (const auto& [f, v] : top[c]) {
      const auto& members = by_feature[f];
      if (members.size() > kMaxClassesPerFeature) continue;
      for (const auto& [d, w] : members)
        if (d != c) score[d] += static_cast<double>(v) * w;
    }
    ranked.clear();
    for (const auto& [d, s] : score) ranked.emplace_back(s, d);
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (const auto& [s, d] : ranked) similar[c].push_back(d);
  }
  return similar;
}

struct ClassWeights {
  SparseVector weights;  // table position, weight
  float bias = 0;
};

// Trains class `c` against `negatives` (all other examples when empty) and returns its weights.
ClassWeights train_class(std::uint32_t c, const std::vector<std::uint32_t>& labels, const Rows& rows,
                         std::size_t features, const std::vector<std::uint32_t>* selected, double cost) {
  std::vector<feature_node*> x;
  std::vector<double> y;
  std::vector<feature_node> local_nodes;
  std::vector<std::uint32_t> local_to_global;  // when the problem has its own feature numbers
  int n = static_cast<int>(features) + 1;
  if (!selected) {
    x.reserve(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
      x.push_back(const_cast<feature_node*>(&rows.nodes[rows.begin[i]]));
      y.push_back(labels[i] == c ? 1.0 : -1.0);
    }
  } else {
    // A few hundred examples: number their features in order of appearance (1 is the bias),
    // so that liblinear's weight vector is as long as the problem, not as the whole table.
    thread_local std::vector<int> local_of;  // global feature index -> local, 0 when unseen
    local_of.resize(static_cast<std::size_t>(rows.bias_index) + 1, 0);
    std::size_t total = 0;
    for (std::uint32_t i : *selected)
      total += (i + 1 < rows.begin.size() ? rows.begin[i + 1] : rows.nodes.size()) - rows.begin[i];
    local_nodes.resize(total);
    feature_node* out = local_nodes.data();
    x.reserve(selected->size());
    y.reserve(selected->size());
    for (std::uint32_t i : *selected) {
      x.push_back(out);
      for (const feature_node* node = &rows.nodes[rows.begin[i]]; node->index != -1; ++node, ++out) {
        if (node->index == rows.bias_index) {
          *out = {1, node->value};
          continue;
        }
        int& local = local_of[static_cast<std::size_t>(node->index)];
        if (local == 0) {
          local_to_global.push_back(static_cast<std::uint32_t>(node->index));
          local = static_cast<int>(local_to_global.size()) + 1;
        }
        *out = {local, node->value};
      }
      *out++ = {-1, 0.0};
      y.push_back(labels[i] == c ? 1.0 : -1.0);
    }
    for (std::uint32_t g : local_to_global) local_of[g] = 0;
    n = static_cast<int>(local_to_global.size()) + 1;
  }

  ::problem prob{};
  prob.l = static_cast<int>(x.size());
  prob.n = n;
  prob.y = y.data();
  prob.x = x.data();
  prob.bias = -1;  // the bias is an ordinary (regularised) feature of every row
  ::parameter param{};
  param.solver_type = L2R_L2LOSS_SVC_DUAL;
  param.eps = 0.1;
  param.C = cost;
  t_liblinear_rand_state = 0x853c49e6748fea9bULL ^ (static_cast<std::uint64_t>(c) * 0x9e3779b97f4a7c15ULL);
  ::model* m = helpmark_liblinear_train(&prob, &param);

  ClassWeights out;
  // Two classes: one weight vector, positive for m->label[0].
  const double sign = m->label[0] == 1 ? 1.0 : -1.0;
  // The bias is the last feature of the whole table's rows and the first of a local problem's.
  const int bias = selected ? 0 : n - 1;
  for (int k = 0; k < n; ++k) {
    const double w = m->w[k] * sign;
    if (w == 0 || k == bias) continue;
    const std::uint32_t global = selected ? local_to_global[static_cast<std::size_t>(k - 1)] : static_cast<std::uint32_t>(k + 1);
    out.weights.emplace_back(global - 1, static_cast<float>(w));
  }
  out.bias = static_cast<float>(m->w[bias] * sign);
  helpmark_liblinear_free_and_destroy_model(&m);
  return out;
}

}  // namespace

Result<LexicalModel> train_lexical_model(const TrainingSet& set, const TrainingOptions& options,
                                         TrainingStats* stats) {
  const auto started = std::chrono::steady_clock::now();
  static std::once_flag quiet_once;
  std::call_once(quiet_once, [] { helpmark_liblinear_set_print_string_function(&quiet); });

  const std::size_t classes = set.classes.size();
  if (set.labels.size() != set.examples.size())
    return Status(ErrorCode::kInvalidArgument, "training set: one label per example");
  std::vector<std::vector<std::uint32_t>> by_class(classes);
  for (std::size_t i = 0; i < set.labels.size(); ++i) {
    if (set.labels[i] >= classes) return Status(ErrorCode::kInvalidArgument, "training set: label out of range");
    by_class[set.labels[i]].push_back(static_cast<std::uint32_t>(i));
  }
  const std::size_t with_examples =
      static_cast<std::size_t>(std::count_if(by_class.begin(), by_class.end(), [](const auto& v) { return !v.empty(); }));
  if (with_examples < 2) return Status(ErrorCode::kInvalidArgument, "a model needs examples of at least two articles");

  FeatureTable table = FeatureTable::from_examples(set.examples);
  const Rows rows = make_rows(set.examples, table);

  // Negatives: everything while the work stays within the budget, else the most similar
  // articles' examples (half the budget) and an even sample of the rest.
  const std::size_t n = set.examples.size();
  const std::size_t work = std::max(options.work_floor, options.negative_budget * n);
  const std::size_t per_class = std::max<std::size_t>(300, work / with_examples);
  const bool all_negatives = per_class >= n;
  std::vector<std::vector<std::uint32_t>> selected;
  if (!all_negatives) {
    const auto similar = similar_classes(rows, by_class);
    selected.resize(classes);
    std::vector<char> taken(n, 0);
    for (std::size_t c = 0; c < classes; ++c) {
      if (by_class[c].empty()) continue;
      auto& sel = selected[c];
      auto take = [&](std::uint32_t i) {
        if (!taken[i]) {
          taken[i] = 1;
          sel.push_back(i);
        }
      };
      for (std::uint32_t i : by_class[c]) take(i);
      for (std::uint32_t d : similar[c]) {
        if (sel.size() >= per_class / 2) break;
        for (std::uint32_t i : by_class[d]) take(i);
      }
      // The rest: every k-th example from a per-class offset, an even spread over the set.
      const std::size_t wanted = std::min(n, sel.size() + per_class / 2);
      const std::size_t stride = std::max<std::size_t>(1, n / std::max<std::size_t>(1, per_class / 2));
      for (std::size_t k = (c * 7919) % stride; sel.size() < wanted && k < n; k += stride)
        take(static_cast<std::uint32_t>(k));
      for (std::uint32_t i : sel) taken[i] = 0;
      std::sort(sel.begin(), sel.end());
    }
  }

  // The most weights the model keeps (the exact number is known once all are trained).
  const std::size_t most_kept = std::max(options.weights_floor, options.weights_per_example * n);
  // With thousands of articles, every article's weights until then would take gigabytes (each
  // has tens of thousands): each keeps its largest, up to kClassShareSlack times its share of
  // most_kept, which leaves the final choice below as it would be in all but skewed cases.
  const std::size_t class_cap =
      all_negatives ? SIZE_MAX : kClassShareSlack * (most_kept / with_examples + 1);
  std::vector<ClassWeights> trained(classes);
  std::atomic<std::size_t> next{0}, nonzero{0};
  auto worker = [&] {
    for (std::size_t c; (c = next.fetch_add(1)) < classes;) {
      if (by_class[c].empty()) continue;
      trained[c] = train_class(static_cast<std::uint32_t>(c), set.labels, rows, table.size(),
                               all_negatives ? nullptr : &selected[c], options.cost);
      auto& w = trained[c].weights;
      nonzero += w.size();
      if (w.size() > class_cap) {
        const auto larger = [](const auto& a, const auto& b) {
          const float x = std::fabs(a.second), y = std::fabs(b.second);
          return x != y ? x > y : a.first < b.first;
        };
        std::nth_element(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(class_cap), w.end(), larger);
        w.resize(class_cap);
        std::sort(w.begin(), w.end());
        w.shrink_to_fit();
      }
    }
  };
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, classes));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  // Keep the largest weights: most of a linear model's mass is in few features, and the rest
  // would make the stored model (and each query's scoring) several times larger.
  std::vector<float> magnitudes;
  for (const auto& cw : trained)
    for (const auto& [f, w] : cw.weights) magnitudes.push_back(std::fabs(w));
  float threshold = 0;
  if (!magnitudes.empty() && options.kept_weights < 1.0) {
    const auto keep = std::min(
        static_cast<std::size_t>(std::ceil(options.kept_weights * static_cast<double>(nonzero.load()))), most_kept);
    if (keep == 0) {
      threshold = INFINITY;
    } else if (keep < magnitudes.size()) {
      std::nth_element(magnitudes.begin(), magnitudes.begin() + static_cast<std::ptrdiff_t>(keep - 1), magnitudes.end(),
                       std::greater<float>());
      threshold = magnitudes[keep - 1];
    }
  }
  std::vector<SparseVector> weights(classes);
  std::vector<float> bias(classes, 0.0f);
  std::size_t kept = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    for (const auto& [f, w] : trained[c].weights)
      if (std::fabs(w) >= threshold) weights[c].emplace_back(f, w);
    kept += weights[c].size();
    // An article without examples can never win on the model alone.
    bias[c] = by_class[c].empty() ? -1.0f : trained[c].bias;
  }
  if (stats) {
    stats->classes = classes;
    stats->examples = n;
    stats->features = table.size();
    stats->weights = kept;
    stats->all_negatives = all_negatives;
    stats->negatives_per_class = all_negatives ? n : per_class;
    stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  return LexicalModel(set.classes, std::move(table), weights, std::move(bias));
}

}  // namespace helpmark::model
