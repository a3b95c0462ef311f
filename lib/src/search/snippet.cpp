#include "search/snippet.hpp"

#include <unordered_map>
#include <vector>

#include "util/text.hpp"

namespace helpmark::search {

namespace {
constexpr std::size_t kPrefixBytes = 3;
// Snippets come from the start of long articles: scanning all of a very long text would cost
// more than the whole match.
constexpr std::size_t kMaxScannedBytes = 8192;
}  // namespace

std::string make_snippet(std::string_view text, const std::set<std::string>& query_stems,
                         analysis::Analyzer& analyzer, std::size_t max_words) {
  if (text.size() > kMaxScannedBytes) {
    std::size_t cut = kMaxScannedBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    text = text.substr(0, cut);
  }
  std::vector<analysis::Token> tokens;
  tokens.reserve(text.size() / 5);  // about one word every 5-6 bytes: no regrowth
  analyzer.tokenize(text, tokens);
  if (tokens.empty()) return text::html_escape(text.substr(0, 200));

  // Stemming every word is the expensive part. Snowball changes only the ends of words, so a
  // word can match only if it starts like a query stem: check that first, stem only those, and
  // decide once per distinct word.
  std::set<std::string_view> starts;
  for (const auto& s : query_stems) starts.insert(std::string_view(s).substr(0, kPrefixBytes));
  std::vector<char> matched(tokens.size(), 0);
  std::unordered_map<std::string, char> decided;
  std::vector<std::string> stems;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].stopword) continue;
    const std::string_view folded = tokens[i].folded;
    if (!starts.count(folded.substr(0, kPrefixBytes)) &&
        !(folded.size() < kPrefixBytes && query_stems.count(std::string(folded))))
      continue;
    auto [it, fresh] = decided.try_emplace(tokens[i].normalized, 0);
    if (fresh) {
      stems.clear();
      analyzer.stems(tokens[i], stems);
      for (const auto& s : stems)
        if (query_stems.count(s)) it->second = 1;
    }
    matched[i] = it->second;
  }

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
