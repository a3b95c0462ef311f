#include "search/spelling.hpp"

#include <algorithm>
#include <cmath>

#include "util/text.hpp"

namespace helpmark::search {
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

// `w` and every string made by deleting up to `depth` of its characters, without repeats.
void delete_keys_of(const std::u32string& w, int depth, std::vector<std::u32string>& out) {
  out.assign(1, w);
  std::size_t level_begin = 0;
  for (int level = 0; level < depth; ++level) {
    const std::size_t level_end = out.size();
    for (std::size_t k = level_begin; k < level_end; ++k)
      for (std::size_t i = 0; i < out[k].size(); ++i) {
        std::u32string d = out[k];
        d.erase(i, 1);
        out.push_back(std::move(d));
      }
    level_begin = level_end;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

std::uint64_t key_hash(const std::u32string& key) {
  return text::fnv1a64(std::string_view(reinterpret_cast<const char*>(key.data()), key.size() * sizeof(char32_t)));
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

Speller::Speller(const Vocabulary& vocabulary, const std::vector<std::string>& domain_words) {
  frequency_ = vocabulary.counts();
  for (const auto& [w, c] : frequency_) max_frequency_ = std::max(max_frequency_, c);
  // Domain words count as common words: they are what customers type about.
  for (const auto& w : domain_words) {
    auto& f = frequency_[w];
    f = std::max(f, std::max<std::uint32_t>(1, max_frequency_ / 4));
  }
  words_.reserve(frequency_.size());
  sorted_.reserve(frequency_.size());
  std::vector<std::u32string> keys;
  for (const auto& [w, c] : frequency_) {
    const std::uint32_t index = static_cast<std::uint32_t>(words_.size());
    words_.push_back(w);
    sorted_.push_back(w);
    const std::u32string u = decode(w);
    if (!correctable(u)) continue;
    delete_keys_of(u, u.size() >= kLongWord ? 2 : 1, keys);
    for (const auto& k : keys) delete_keys_.emplace_back(key_hash(k), index);
  }
  std::sort(sorted_.begin(), sorted_.end());
  std::sort(delete_keys_.begin(), delete_keys_.end());
  delete_keys_.shrink_to_fit();
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
  std::vector<std::u32string> keys;
  delete_keys_of(u, max_distance, keys);
  std::vector<std::uint32_t> candidates;
  for (const auto& k : keys) {
    const std::uint64_t h = key_hash(k);
    for (auto it = std::lower_bound(delete_keys_.begin(), delete_keys_.end(), std::pair{h, std::uint32_t{0}});
         it != delete_keys_.end() && it->first == h; ++it)
      candidates.push_back(it->second);
  }
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

}  // namespace helpmark::search
