// Spelling correction ("did you mean") and word completion from a per-locale vocabulary: the
// words of the articles themselves, with their document frequencies, plus the domain words of
// taxonomy/spelling/<locale>.txt.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace helpmark::search {

/// Word -> number of documents containing it. A plain value type (thread-compatible).
class Vocabulary {
 public:
  void add_document(const std::set<std::string>& words);
  void remove_document(const std::set<std::string>& words);
  std::string serialize() const;  ///< "word\tcount\n", sorted.
  static Vocabulary deserialize(std::string_view data);
  const std::unordered_map<std::string, std::uint32_t>& counts() const { return counts_; }
  std::size_t size() const { return counts_.size(); }

 private:
  std::unordered_map<std::string, std::uint32_t> counts_;
};

/// Built once per locale when an index is opened; immutable afterwards, so thread-safe for
/// concurrent const use.
class Speller {
 public:
  Speller(const Vocabulary& vocabulary, const std::vector<std::string>& domain_words);

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

 private:
  std::unordered_map<std::string, std::uint32_t> frequency_;
  std::vector<std::string> sorted_;  // for prefix completion
  // Delete-keys: a word's keys are itself and its deletes, up to 2 for words of 5+ letters,
  // hashed, in buckets by the hash's top bits: bucket b is [bucket_begin_[b], bucket_begin_[b+1])
  // of key_hashes_ and key_words_ (word indexes). A hash collision only adds a candidate, which
  // the edit distance then rejects.
  std::vector<std::uint32_t> bucket_begin_;
  std::vector<std::uint64_t> key_hashes_;
  std::vector<std::uint32_t> key_words_;
  int bucket_shift_ = 63;
  std::vector<std::string> words_;
  std::uint32_t max_frequency_ = 1;
};

/// Optimal string alignment distance between two UTF-8 strings, by code point, stopping early
/// once it exceeds `limit` (then returns limit + 1).
int edit_distance(std::string_view a, std::string_view b, int limit);

}  // namespace helpmark::search
