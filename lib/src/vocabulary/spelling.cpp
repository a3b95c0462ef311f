#include "vocabulary/spelling.hpp"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cmath>

namespace helpmark::vocabulary {
namespace {

std::u32string decode(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    std::size_t len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; len = 2; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; len = 3; }
    else { cp = c & 0x07; len = 4; }
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string encode(const std::u32string& s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

// Scripts written without spaces (Thai, CJK, kana, Hangul) are segmented by dictionary, so a
// "typo" there is usually a different segmentation, not a misspelling: leave them alone.
bool correctable(const std::u32string& w) {
  if (w.size() < 3) return false;
  for (char32_t c : w) {
    if (c >= '0' && c <= '9') return false;
    if ((c >= 0x0E00 && c <= 0x0EFF) || c >= 0x2E80) return false;
  }
  return true;
}

// Words this long or longer are corrected up to distance 2, shorter ones up to 1.
constexpr std::size_t kLongWord = 5;

// FNV-1a over the code points of `w` except those at `skip1` and `skip2`.
std::uint64_t hash_without(const std::u32string& w, std::size_t skip1, std::size_t skip2) {
  std::uint64_t h = 14695981039346656037ULL;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i == skip1 || i == skip2) continue;
    h ^= static_cast<std::uint64_t>(w[i]);
    h *= 1099511628211ULL;
  }
  return h;
}

// The hashes of `w` and of every string made by deleting up to `depth` (1 or 2) of its
// characters, without repeats. Hashing the deletes in place saves building each string: the
// dictionary has a million of them.
void delete_hashes_of(const std::u32string& w, int depth, std::vector<std::uint64_t>& out) {
  constexpr std::size_t kNone = std::u32string::npos;
  out.clear();
  out.push_back(hash_without(w, kNone, kNone));
  for (std::size_t i = 0; i < w.size(); ++i) {
    // Deleting one of a run of equal letters gives the same string: keep the first.
    if (i > 0 && w[i] == w[i - 1]) continue;
    out.push_back(hash_without(w, i, kNone));
    if (depth < 2) continue;
    for (std::size_t j = i + 1; j < w.size(); ++j) out.push_back(hash_without(w, i, j));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace

int edit_distance(std::string_view a_utf8, std::string_view b_utf8, int limit) {
  const std::u32string a = decode(a_utf8), b = decode(b_utf8);
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    prev2.swap(prev);
    prev.swap(cur);
  }
  return std::min(prev[m], limit + 1);
}

void Vocabulary::add_document(const std::set<std::string>& words) {
  for (const auto& w : words) ++counts_[w];
}

void Vocabulary::remove_document(const std::set<std::string>& words) {
  for (const auto& w : words) {
    auto it = counts_.find(w);
    if (it == counts_.end()) continue;
    if (--it->second == 0) counts_.erase(it);
  }
}

std::string Vocabulary::serialize() const {
  std::vector<std::pair<std::string, std::uint32_t>> sorted(counts_.begin(), counts_.end());
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& [w, c] : sorted) {
    out += w;
    out += '\t';
    out += std::to_string(c);
    out += '\n';
  }
  return out;
}

Vocabulary Vocabulary::deserialize(std::string_view data) {
  Vocabulary v;
  while (!data.empty()) {
    std::size_t eol = data.find('\n');
    std::string_view line = data.substr(0, eol);
    data = eol == std::string_view::npos ? std::string_view() : data.substr(eol + 1);
    std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    v.counts_[std::string(line.substr(0, tab))] =
        static_cast<std::uint32_t>(std::stoul(std::string(line.substr(tab + 1))));
  }
  return v;
}

namespace {

// One bit per distinct letter, hashed into 64: an edit changes the set of letters by at most
// two (a substitution drops one and adds one), so words within distance d differ in at most 2d
// bits. Most of the dictionary fails this before any edit distance is computed.
std::uint64_t letter_mask(const std::u32string& w) {
  std::uint64_t mask = 0;
  for (char32_t c : w) mask |= std::uint64_t{1} << ((static_cast<std::uint64_t>(c) * 0x9E3779B97F4A7C15ULL) >> 58);
  return mask;
}

bool intersects(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {  // both sorted
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j]) return true;
    if (a[i] < b[j]) ++i;
    else ++j;
  }
  return false;
}

}  // namespace

Speller::Speller(Vocabulary vocabulary, const std::vector<std::string>& domain_words) {
  frequency_ = std::move(vocabulary).take_counts();
  for (const auto& [w, c] : frequency_) max_frequency_ = std::max(max_frequency_, c);
  // Domain words count as common words: they are what customers type about.
  for (const auto& w : domain_words) {
    auto& f = frequency_[w];
    f = std::max(f, std::max<std::uint32_t>(1, max_frequency_ / 4));
  }
  words_.reserve(frequency_.size());
  sorted_.reserve(frequency_.size());
  lengths_.reserve(frequency_.size());
  masks_.reserve(frequency_.size());
  for (const auto& [w, c] : frequency_) {
    words_.push_back(w);
    sorted_.push_back(w);
    const std::u32string u = decode(w);
    lengths_.push_back(correctable(u) ? static_cast<std::uint8_t>(std::min<std::size_t>(u.size(), 255)) : 0);
    masks_.push_back(letter_mask(u));
  }
  std::sort(sorted_.begin(), sorted_.end());
}

void Speller::build_delete_keys() const {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
  std::vector<std::uint64_t> hashes;
  for (std::uint32_t index = 0; index < words_.size(); ++index) {
    if (!lengths_[index]) continue;  // not correctable
    const std::u32string u = decode(words_[index]);
    delete_hashes_of(u, u.size() >= kLongWord ? 2 : 1, hashes);
    for (std::uint64_t h : hashes) entries.emplace_back(h, index);
  }
  // A bucketed table by the hash's top bits, filled by counting sort: linear, where sorting a
  // million entries took most of the construction.
  int bits = 1;
  while ((std::size_t{1} << bits) * 4 < entries.size() && bits < 30) ++bits;  // about 4 keys a bucket
  bucket_shift_ = 64 - bits;
  bucket_begin_.assign((std::size_t{1} << bits) + 1, 0);
  for (const auto& e : entries) ++bucket_begin_[(e.first >> bucket_shift_) + 1];
  for (std::size_t b = 1; b < bucket_begin_.size(); ++b) bucket_begin_[b] += bucket_begin_[b - 1];
  std::vector<std::uint32_t> next(bucket_begin_.begin(), bucket_begin_.end() - 1);
  key_hashes_.resize(entries.size());
  key_words_.resize(entries.size());
  for (const auto& e : entries) {
    const std::uint32_t at = next[e.first >> bucket_shift_]++;
    key_hashes_[at] = e.first;
    key_words_[at] = e.second;
  }
}

void Speller::candidates_from_keys(const std::vector<std::uint64_t>& hashes, std::vector<std::uint32_t>& out) const {
  if (key_hashes_.empty()) return;
  for (std::uint64_t h : hashes) {
    const std::uint64_t b = h >> bucket_shift_;
    for (std::uint32_t at = bucket_begin_[b]; at < bucket_begin_[b + 1]; ++at)
      if (key_hashes_[at] == h) out.push_back(key_words_[at]);
  }
}

void Speller::candidates_by_scan(std::string_view word, const std::u32string& u, int max_distance,
                                 const std::vector<std::uint64_t>& hashes, std::vector<std::uint32_t>& out) const {
  const std::uint64_t mask = letter_mask(u);
  const int length = static_cast<int>(std::min<std::size_t>(u.size(), 255));
  std::vector<std::uint64_t> keys;
  for (std::uint32_t index = 0; index < words_.size(); ++index) {
    if (!lengths_[index] || std::abs(lengths_[index] - length) > max_distance) continue;
    if (std::popcount(masks_[index] ^ mask) > 2 * max_distance) continue;
    if (edit_distance(word, words_[index], max_distance) > max_distance) continue;
    // The table finds only words that share a delete-key; so must the scan, to agree with it.
    const std::u32string candidate = decode(words_[index]);
    delete_hashes_of(candidate, candidate.size() >= kLongWord ? 2 : 1, keys);
    if (intersects(keys, hashes)) out.push_back(index);
  }
}

bool Speller::known(std::string_view word) const { return frequency_.count(std::string(word)) > 0; }

std::uint32_t Speller::frequency(std::string_view word) const {
  auto it = frequency_.find(std::string(word));
  return it == frequency_.end() ? 0 : it->second;
}

std::optional<std::string> Speller::correct(std::string_view word) const {
  const std::u32string u = decode(word);
  if (!correctable(u) || known(word)) return std::nullopt;
  const int max_distance = u.size() <= 4 ? 1 : 2;

  // Candidates share a delete-key with the word (deletes up to the distance on both sides):
  // that covers every word within the distance.
  std::vector<std::uint64_t> hashes;
  delete_hashes_of(u, max_distance, hashes);
  if (!keys_ready_.load(std::memory_order_acquire) &&
      scans_.fetch_add(1, std::memory_order_relaxed) >= kScansBeforeKeys)
    std::call_once(keys_once_, [this] {
      build_delete_keys();
      keys_ready_.store(true, std::memory_order_release);
    });
  std::vector<std::uint32_t> candidates;
  if (keys_ready_.load(std::memory_order_acquire)) candidates_from_keys(hashes, candidates);
  else candidates_by_scan(word, u, max_distance, hashes, candidates);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  std::optional<std::string> best;
  double best_cost = 1e9;
  for (std::uint32_t index : candidates) {
    const std::string& candidate = words_[index];
    const int d = edit_distance(word, candidate, max_distance);
    if (d > max_distance) continue;
    const std::uint32_t f = frequency_.at(candidate);
    // Short words are corrected only on a strong signal: one edit towards a common word.
    if (u.size() == 3 && (d > 1 || f * 20 < max_frequency_)) continue;
    const std::u32string cu = decode(candidate);
    // Two edits and another first letter is more often a different word than a typo
    // ("phone" is not "one").
    if (d == 2 && cu.front() != u.front()) continue;
    double cost = d - 0.15 * std::log1p(f) + (cu.front() != u.front() ? 0.6 : 0.0);
    if (cost < best_cost || (cost == best_cost && best && candidate < *best)) {
      best_cost = cost;
      best = candidate;
    }
  }
  return best;
}

std::vector<std::string> Speller::complete(std::string_view prefix, std::size_t n) const {
  std::vector<std::pair<std::uint32_t, std::string>> found;
  const std::string p(prefix);
  for (auto it = std::lower_bound(sorted_.begin(), sorted_.end(), p);
       it != sorted_.end() && it->compare(0, p.size(), p) == 0; ++it)
    found.emplace_back(frequency_.at(*it), *it);
  const std::u32string u = decode(prefix);
  if (found.size() < n && u.size() >= 4 && correctable(u)) {
    // Typo-tolerant: the typed prefix one edit away from the start of a word. Only words with
    // the same first letter are tried: first-letter typos are rare and this keeps it fast.
    const std::string first = encode(u.substr(0, 1));
    auto lo = std::lower_bound(sorted_.begin(), sorted_.end(), first);
    for (auto w_it = lo; w_it != sorted_.end() && w_it->compare(0, first.size(), first) == 0; ++w_it) {
      const std::string& w = *w_it;
      if (w.size() < p.size() || w.compare(0, p.size(), p) == 0) continue;
      const std::u32string wu = decode(w);
      for (std::size_t len : {u.size() - 1, u.size(), u.size() + 1}) {
        if (len > wu.size()) continue;
        if (edit_distance(prefix, encode(wu.substr(0, len)), 1) <= 1) {
          found.emplace_back(frequency_.at(w) / 2, w);  // ranked below exact prefixes
          break;
        }
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::string> out;
  for (const auto& [f, w] : found) {
    if (out.size() == n) break;
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  }
  return out;
}

}  // namespace helpmark::vocabulary
