// Spelling correction ("did you mean") and word completion from a per-locale vocabulary: the
// words of the articles themselves, with their document frequencies, plus the domain words of
// taxonomy/spelling/<locale>.txt.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace helpmark::vocabulary {

/// Word -> number of documents containing it. A plain value type (thread-compatible).
class Vocabulary {
 public:
  void add_document(const std::set<std::string>& words);
  void remove_document(const std::set<std::string>& words);
  std::string serialize() const;  ///< "word\tcount\n", sorted.
  static Vocabulary deserialize(std::string_view data);
  const std::unordered_map<std::string, std::uint32_t>& counts() const { return counts_; }
  /// The counts, moved out (the vocabulary is left empty).
  std::unordered_map<std::string, std::uint32_t> take_counts() && { return std::move(counts_); }
  std::size_t size() const { return counts_.size(); }

 private:
  std::unordered_map<std::string, std::uint32_t> counts_;
};

/// Built once per locale on first use. Thread-safe for concurrent const use: the only state that
/// changes afterwards is the delete-key table, built once (under std::call_once) after enough
/// corrections to pay for it and published with an atomic flag.
class Speller {
 public:
  Speller(Vocabulary vocabulary, const std::vector<std::string>& domain_words);

  bool known(std::string_view word) const;
  std::uint32_t frequency(std::string_view word) const;

  /// The most likely intended dictionary word for an unknown folded `word`, or nothing. Words
  /// with digits, of 1-2 letters, or in scripts written without spaces are never corrected;
  /// 3-letter words only at distance 1 towards a frequent word.
  std::optional<std::string> correct(std::string_view word) const;

  /// Dictionary words starting with `prefix`, most frequent first; when fewer than `n` start
  /// with it and the prefix has 4+ letters, words one edit away from the prefix's start.
  std::vector<std::string> complete(std::string_view prefix, std::size_t n) const;

  std::size_t size() const { return frequency_.size(); }

  /// Corrections answered by scanning every word before the delete-key table is built: about
  /// as much work as building it, so a short-lived process (one CLI search) never builds it and
  /// a server pays at most twice the optimum (the ski-rental rule).
  static constexpr std::uint32_t kScansBeforeKeys = 48;
  /// Whether correct() uses the delete-key table yet (for tests).
  bool has_delete_keys() const { return keys_ready_.load(std::memory_order_acquire); }

 private:
  // Candidates for correct(): dictionary words sharing a delete-key with `u` (whose key hashes
  // are `hashes`), from the table or, before it exists, by scanning every word. Both give the
  // same set.
  void candidates_from_keys(const std::vector<std::uint64_t>& hashes, std::vector<std::uint32_t>& out) const;
  void candidates_by_scan(std::string_view word, const std::u32string& u, int max_distance,
                          const std::vector<std::uint64_t>& hashes, std::vector<std::uint32_t>& out) const;
  void build_delete_keys() const;

  std::unordered_map<std::string, std::uint32_t> frequency_;
  std::vector<std::string> sorted_;  // for prefix completion
  std::vector<std::string> words_;
  std::vector<std::uint8_t> lengths_;  // by word: code points (capped at 255), 0 if not correctable
  std::vector<std::uint64_t> masks_;   // by word: one bit per letter (hashed), for the scan
  std::uint32_t max_frequency_ = 1;

  // Delete-keys: a word's keys are itself and its deletes, up to 2 for words of 5+ letters,
  // hashed, in buckets by the hash's top bits: bucket b is [bucket_begin_[b], bucket_begin_[b+1])
  // of key_hashes_ and key_words_ (word indexes). A hash collision only adds a candidate, which
  // the edit distance then rejects. Written once by build_delete_keys(), read only after
  // keys_ready_ is set.
  mutable std::once_flag keys_once_;
  mutable std::atomic<bool> keys_ready_{false};
  mutable std::atomic<std::uint32_t> scans_{0};
  mutable std::vector<std::uint32_t> bucket_begin_;
  mutable std::vector<std::uint64_t> key_hashes_;
  mutable std::vector<std::uint32_t> key_words_;
  mutable int bucket_shift_ = 63;
};

/// Optimal string alignment distance between two UTF-8 strings, by code point, stopping early
/// once it exceeds `limit` (then returns limit + 1).
int edit_distance(std::string_view a, std::string_view b, int limit);

}  // namespace helpmark::vocabulary
