#include "search/snippet.hpp"

#include <vector>

#include "util/text.hpp"

namespace helpmark::search {

std::string make_snippet(std::string_view text, const std::set<std::string>& query_stems,
                         analysis::Analyzer& analyzer, std::size_t max_words) {
  std::vector<analysis::Token> tokens;
  analyzer.tokenize(text, tokens);
  if (tokens.empty()) return text::html_escape(text.substr(0, 200));

  std::vector<char> matched(tokens.size(), 0);
  std::vector<std::string> stems;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].stopword) continue;
    stems.clear();
    analyzer.stems(tokens[i], stems);
    for (const auto& s : stems)
      if (query_stems.count(s)) matched[i] = 1;
  }

  // The window with the most distinct matches wins; earlier windows win ties.
  std::size_t best_start = 0, best_score = 0;
  const std::size_t window = std::min(max_words, tokens.size());
  for (std::size_t start = 0; start + window <= tokens.size(); ++start) {
    std::set<std::string_view> distinct;
    for (std::size_t i = start; i < start + window; ++i)
      if (matched[i]) distinct.insert(tokens[i].folded);
    if (distinct.size() > best_score) {
      best_score = distinct.size();
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
