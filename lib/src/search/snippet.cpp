#include "search/snippet.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "index/schema.hpp"
#include "util/text.hpp"

namespace helpmark::search {

namespace {
constexpr std::size_t kPrefixBytes = 3;
}  // namespace

std::string make_snippet(std::string_view text, const std::set<std::string>& query_stems,
                         analysis::Analyzer& analyzer, std::size_t max_words) {
  // Snippets come from the start of long articles: scanning all of a very long text would cost
  // more than the whole match (the index stores no more than this).
  text = text::utf8_prefix(text, schema::kSnippetSourceBytes);
  // Only words that can match are normalised and stemmed. Snowball changes only the ends of
  // words, so a word can match only if its folded form starts like a query stem; an ASCII
  // word's folded form is itself in lower case, so most words are ruled out without
  // normalising them. Each distinct word is decided once.
  std::vector<analysis::WordSpan> spans;
  spans.reserve(text.size() / 5);  // about one word every 5-6 bytes: no regrowth
  analyzer.word_spans(text, spans);
  // The first kPrefixBytes bytes of each stem, packed with their length into one integer: a
  // handful of integer compares per word instead of string compares in a tree.
  auto pack = [](std::string_view head) {
    std::uint32_t v = static_cast<std::uint32_t>(head.size()) << 24;
    for (std::size_t k = 0; k < head.size() && k < kPrefixBytes; ++k)
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(head[k])) << (8 * k);
    return v;
  };
  std::vector<std::uint32_t> starts;
  for (const auto& s : query_stems) starts.push_back(pack(std::string_view(s).substr(0, kPrefixBytes)));
  auto may_match = [&](std::string_view folded) {
    const std::uint32_t head = pack(folded.substr(0, kPrefixBytes));
    if (std::find(starts.begin(), starts.end(), head) != starts.end()) return true;
    return folded.size() < kPrefixBytes && query_stems.count(std::string(folded)) > 0;
  };
  struct Word {
    std::size_t begin, end;
    std::string_view folded;  ///< Empty unless the word matches; points into `decided`.
  };
  std::vector<Word> tokens;
  tokens.reserve(spans.size());
  const bool text_is_ascii = analysis::is_ascii(text);
  // Normalized word -> its folded form if it matches a query stem, else "".
  std::unordered_map<std::string, std::string> decided;
  analysis::Token token;
  std::vector<std::string> stems;
  for (const auto& [begin, end] : spans) {
    const std::string_view word = text.substr(begin, end - begin);
    Word w{begin, end, {}};
    // A word whose first kPrefixBytes bytes are ASCII folds them to lower case whatever
    // follows (NFKC leaves ASCII letters alone; a combining mark composed onto the last one is
    // stripped again when folding), so its folded prefix is known without normalising it.
    if (text_is_ascii || analysis::is_ascii(word.substr(0, kPrefixBytes))) {
      char head[kPrefixBytes];
      const std::size_t n = std::min(word.size(), kPrefixBytes);
      for (std::size_t k = 0; k < n; ++k) head[k] = (word[k] >= 'A' && word[k] <= 'Z') ? static_cast<char>(word[k] - 'A' + 'a') : word[k];
      if (!may_match(std::string_view(head, n))) {
        tokens.push_back(w);
        continue;
      }
      if (!analyzer.normalize(word, token)) continue;
    } else {
      if (!analyzer.normalize(word, token)) continue;  // tokenize() drops it too
      if (!may_match(token.folded)) {
        tokens.push_back(w);
        continue;
      }
    }
    if (!token.unmarked) {
      auto [it, fresh] = decided.try_emplace(token.normalized);
      if (fresh) {
        stems.clear();
        analyzer.stems(token, stems);
        for (const auto& st : stems)
          if (query_stems.count(st)) it->second = token.folded;
      }
      w.folded = it->second;
    }
    tokens.push_back(w);
  }
  if (tokens.empty()) return text::html_escape(text.substr(0, 200));
  std::vector<char> matched(tokens.size(), 0);
  for (std::size_t i = 0; i < tokens.size(); ++i) matched[i] = !tokens[i].folded.empty();

  // The window with the most distinct matched words wins; earlier windows win ties. A sliding
  // window with counts keeps this linear in the text's length.
  std::size_t best_start = 0, best_score = 0;
  const std::size_t window = std::min(max_words, tokens.size());
  std::unordered_map<std::string_view, int> in_window;
  std::size_t distinct = 0;
  auto add = [&](std::size_t i, int delta) {
    if (!matched[i]) return;
    int& n = in_window[tokens[i].folded];
    if (n == 0 && delta > 0) ++distinct;
    n += delta;
    if (n == 0 && delta < 0) --distinct;
  };
  for (std::size_t i = 0; i < window; ++i) add(i, +1);
  best_score = distinct;
  for (std::size_t start = 1; start + window <= tokens.size(); ++start) {
    add(start - 1, -1);
    add(start + window - 1, +1);
    if (distinct > best_score) {
      best_score = distinct;
      best_start = start;
    }
  }
  // Start a little before the first match so the snippet reads as a phrase.
  if (best_score > 0) {
    std::size_t first = best_start;
    while (first < best_start + window && !matched[first]) ++first;
    best_start = first > 3 ? std::min(first - 3, tokens.size() - window) : 0;
  }
  const std::size_t end_token = best_start + window;

  std::string out;
  std::size_t pos = best_start == 0 ? 0 : tokens[best_start].begin;
  if (best_start > 0) out += "… ";
  for (std::size_t i = best_start; i < end_token; ++i) {
    text::append_html_escaped(out, text.substr(pos, tokens[i].begin - pos));
    std::string_view word = text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    if (matched[i]) {
      out += "<mark>";
      text::append_html_escaped(out, word);
      out += "</mark>";
    } else {
      text::append_html_escaped(out, word);
    }
    pos = tokens[i].end;
  }
  if (end_token < tokens.size()) {
    out += " …";
  } else {
    text::append_html_escaped(out, text.substr(pos));
  }
  // Newlines from the plain text read better as spaces in a one-line snippet.
  for (char& c : out)
    if (c == '\n') c = ' ';
  return std::string(text::trim(out));
}

}  // namespace helpmark::search
