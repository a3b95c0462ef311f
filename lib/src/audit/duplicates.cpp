// Near-duplicates within one locale, found without comparing every pair: MinHash signatures of
// each article's set (body word 3-shingles; title word stems) are cut into bands, and only
// articles sharing a whole band (locality-sensitive hashing) are compared exactly (Jaccard).
// With r rows per band and b bands, a pair of similarity s becomes a candidate with probability
// 1 - (1 - s^r)^b: the parameters below keep that above 99% at the default thresholds and low
// for unrelated pages, so the work grows about linearly with the number of articles.
#include <algorithm>
#include <cstdint>
#include <map>
#include <unordered_map>

#include "audit/audit_internal.hpp"
#include "util/text.hpp"

namespace helpmark::audit {
namespace {

struct LshShape {
  int rows;
  int bands;
};
constexpr LshShape kBodyShape{3, 20};   // s=0.6 -> 99.4%, s=0.2 -> 15%, s=0.05 -> 0.3%
constexpr LshShape kTitleShape{4, 15};  // s=0.8 -> 99.97%, s=0.5 -> 62%, s=0.25 -> 6%
constexpr std::size_t kAllPairsBucket = 48; // larger buckets: compare each with the first only

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The hash family: h_k(x) = x * mul_k + add_k (mod 2^64), x already a well-mixed hash.
struct HashFamily {
  std::vector<std::uint64_t> mul, add;
  explicit HashFamily(std::size_t count) {
    std::uint64_t seed = 0x5EEDF00DULL;  // fixed: reports must not change between runs
    for (std::size_t k = 0; k < count; ++k) {
      mul.push_back(splitmix(seed) | 1);
      add.push_back(splitmix(seed));
    }
  }
  void sign(const std::vector<std::uint64_t>& set, std::vector<std::uint64_t>& signature) const {
    signature.assign(mul.size(), UINT64_MAX);
    if (set.empty()) return;
    for (std::uint64_t x : set)
      for (std::size_t k = 0; k < mul.size(); ++k) signature[k] = std::min(signature[k], x * mul[k] + add[k]);
  }
};

// One-permutation hashing (Li et al. 2012) for bodies, which have hundreds of shingles: each
// shingle is hashed once into one of the signature's bins and only the bin minimum is kept,
// instead of one hash per bin per shingle. Empty bins borrow from the next non-empty bin
// (rotation densification, Shrivastava & Li 2014), so short texts still get full signatures.
void sign_one_permutation(const std::vector<std::uint64_t>& set, std::size_t bins,
                          std::vector<std::uint64_t>& signature) {
  signature.assign(bins, UINT64_MAX);
  if (set.empty()) return;
  for (std::uint64_t x : set) {
    std::uint64_t state = x;
    const std::uint64_t h = splitmix(state);
    const std::size_t bin = static_cast<std::size_t>(((h >> 32) * bins) >> 32);
    signature[bin] = std::min(signature[bin], h);
  }
  const std::vector<std::uint64_t> original = signature;  // borrow only values of filled bins
  for (std::size_t i = 0; i < bins; ++i) {
    if (original[i] != UINT64_MAX) continue;
    std::size_t j = (i + 1) % bins, distance = 1;
    while (original[j] == UINT64_MAX) {
      j = (j + 1) % bins;
      ++distance;
    }
    signature[i] = original[j] + distance * 0x9E3779B97F4A7C15ULL;
  }
}

double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else { ++common; ++i; ++j; }
  }
  const std::size_t all = a.size() + b.size() - common;
  return all == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(all);
}

struct Match {
  std::size_t other;
  double similarity;
};

// Pairs (i, j), i < j, of articles in the same locale whose sets are at least `threshold` similar.
// `sets` are sorted and unique (set_ready(m) makes member m's so before its first comparison).
template <typename SetReady>
std::vector<std::vector<Match>> similar_pairs(const Context& ctx, const std::vector<std::size_t>& members,
                                              const std::vector<std::vector<std::uint64_t>*>& sets,
                                              const std::vector<const std::vector<std::uint64_t>*>& signatures,
                                              LshShape shape, double threshold, SetReady&& set_ready) {
  const std::size_t n = ctx.set.articles.size();
  std::vector<std::vector<Match>> matches(n);
  if (threshold <= 0.0 || members.size() < 2) return matches;
  std::unordered_map<std::string, std::uint64_t> locale_key;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;  // band key, member
  keys.reserve(members.size() * static_cast<std::size_t>(shape.bands));
  for (std::size_t m = 0; m < members.size(); ++m) {
    const auto& signature = *signatures[m];
    const std::string& locale = ctx.set.articles[members[m]].locale;
    auto [it, fresh] = locale_key.emplace(locale, 0);
    if (fresh) it->second = text::fnv1a64(locale);
    for (int b = 0; b < shape.bands; ++b) {
      std::uint64_t key = it->second ^ (static_cast<std::uint64_t>(b + 1) * 0x9E3779B97F4A7C15ULL);
      for (int r = 0; r < shape.rows; ++r) {
        std::uint64_t v = signature[static_cast<std::size_t>(b * shape.rows + r)];
        key = (key ^ v) * 0x100000001B3ULL;
        key ^= key >> 29;
      }
      keys.emplace_back(key, static_cast<std::uint32_t>(m));
    }
  }
  std::sort(keys.begin(), keys.end());
  std::vector<std::uint64_t> candidates;
  for (std::size_t begin = 0; begin < keys.size();) {
    std::size_t end = begin + 1;
    while (end < keys.size() && keys[end].first == keys[begin].first) ++end;
    auto pair = [&](std::size_t i, std::size_t j) {
      std::uint64_t a = keys[i].second, b = keys[j].second;
      if (a > b) std::swap(a, b);
      if (a != b) candidates.push_back(a << 32 | b);
    };
    if (end - begin <= kAllPairsBucket) {
      for (std::size_t i = begin; i < end; ++i)
        for (std::size_t j = i + 1; j < end; ++j) pair(i, j);
    } else {
      for (std::size_t j = begin + 1; j < end; ++j) pair(begin, j);
    }
    begin = end;
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (std::uint64_t c : candidates) {
    const std::size_t a = static_cast<std::size_t>(c >> 32), b = static_cast<std::size_t>(c & 0xFFFFFFFFu);
    if (ctx.set.articles[members[a]].locale != ctx.set.articles[members[b]].locale) continue;  // band key clash
    set_ready(a);
    set_ready(b);
    const double s = jaccard(*sets[a], *sets[b]);
    if (s + 1e-9 < threshold) continue;
    matches[members[a]].push_back({members[b], s});
    matches[members[b]].push_back({members[a], s});
  }
  return matches;
}

std::string percent(double s) { return std::to_string(static_cast<int>(s * 100 + 0.5)) + "%"; }

void report(Context& ctx, std::vector<std::vector<Match>>& matches, const char* check, const char* what,
            const char* advice) {
  const auto& articles = ctx.set.articles;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    auto& list = matches[i];
    if (list.empty()) continue;
    std::sort(list.begin(), list.end(), [&](const Match& x, const Match& y) {
      return x.similarity != y.similarity ? x.similarity > y.similarity : articles[x.other].path < articles[y.other].path;
    });
    std::vector<std::string> names;
    for (const auto& m : list)
      names.push_back("'" + articles[m.other].id + "' (" + percent(m.similarity) + ", " + articles[m.other].path + ")");
    const Article& a = articles[i];
    ctx.emit(check, &a, std::string_view(check) == "duplicates/title" ? Context::field_line(a, "title") : a.body_first_line,
             std::string(what) + " " + list_names(names, 3) + "; " + advice);
  }
}

}  // namespace

void minhash_shingles(const std::vector<std::uint64_t>& set, std::vector<std::uint64_t>& signature) {
  sign_one_permutation(set, static_cast<std::size_t>(kBodyShape.rows * kBodyShape.bands), signature);
}
void minhash_title(const std::vector<std::uint64_t>& set, std::vector<std::uint64_t>& signature) {
  static const HashFamily title(static_cast<std::size_t>(kTitleShape.rows * kTitleShape.bands));
  title.sign(set, signature);
}

void check_duplicates(Context& ctx) {
  const auto& articles = ctx.set.articles;
  std::vector<std::size_t> body_members, title_members;
  std::vector<std::vector<std::uint64_t>*> body_sets, title_sets;
  std::vector<const std::vector<std::uint64_t>*> body_signatures, title_signatures;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    if (articles[i].status == ArticleStatus::kArchived) continue;  // archiving is how duplicates are resolved
    if (ctx.texts[i].enough_shingles) {
      body_members.push_back(i);
      body_sets.push_back(&ctx.texts[i].shingles);
      body_signatures.push_back(&ctx.texts[i].shingle_signature);
    }
    if (!ctx.texts[i].title_terms.empty()) {
      title_members.push_back(i);
      title_sets.push_back(&ctx.texts[i].title_terms);
      title_signatures.push_back(&ctx.texts[i].title_signature);
    }
  }
  auto titles = similar_pairs(ctx, title_members, title_sets, title_signatures, kTitleShape, ctx.config.title_similarity,
                              [](std::size_t) {});  // title terms are sorted and unique already
  report(ctx, titles, "duplicates/title", "title is nearly the same as",
         "make each title say what is different, or merge the articles");
  // Shingles are kept in text order; only the bodies compared exactly need them as sets.
  std::vector<bool> sorted(body_members.size(), false);
  auto sort_shingles = [&](std::size_t member) {
    if (sorted[member]) return;
    sorted[member] = true;
    auto& set = *body_sets[member];
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
  };
  auto bodies = similar_pairs(ctx, body_members, body_sets, body_signatures, kBodyShape, ctx.config.body_similarity,
                              sort_shingles);
  report(ctx, bodies, "duplicates/body", "body is a near-duplicate of",
         "merge them into one article (archive the other) or make each answer a different question");
}

}  // namespace helpmark::audit
