#include "search/query_builder.hpp"

#include <algorithm>
#include <regex>

#include "index/schema.hpp"
#include "util/text.hpp"

namespace helpmark::search {
namespace {

// Byte spans of e-mail addresses in the query: their words are never "corrected".
std::vector<std::pair<std::size_t, std::size_t>> protected_spans(const std::string& text) {
  static const std::regex kEmail(R"([^\s@]+@[^\s@]+)");
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kEmail); it != std::sregex_iterator(); ++it)
    spans.emplace_back(static_cast<std::size_t>(it->position()),
                       static_cast<std::size_t>(it->position() + it->length()));
  return spans;
}

Xapian::Query stems_query(const std::vector<std::string>& stems) {
  std::vector<Xapian::Query> terms;
  for (const auto& s : stems) terms.emplace_back(std::string(schema::kStem) + s);
  if (terms.size() == 1) return terms.front();
  return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
}

Xapian::Query phrase_query(const vocabulary::StemPhrase& phrase) {
  std::vector<Xapian::Query> words;
  for (const auto& w : phrase) words.push_back(stems_query(w));
  if (words.size() == 1) return words.front();
  return Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end());
}

}  // namespace

bool QueryBuilder::known(const analysis::Token& token) const {
  // Known when the index has the word's stem (cheap, no dictionary needed) or a speller of the
  // chain has the word itself.
  std::vector<std::string> stems;
  for (const auto& ctx : chain_) {
    stems.clear();
    ctx.analyzer->stems(token, stems);
    for (const auto& s : stems)
      if (db_.term_exists(std::string(schema::kStem) + s)) return true;
  }
  for (const auto& ctx : chain_)
    if (const vocabulary::Speller* sp = ctx.speller ? ctx.speller() : nullptr; sp && sp->known(token.folded)) return true;
  // A real word of the language is never "corrected" into an article's word, even when no
  // article uses it ("weather" is not a typo of "whether").
  for (const auto& ctx : chain_)
    if (const vocabulary::LanguageDictionary* d = ctx.dictionary ? ctx.dictionary() : nullptr; d && d->has(token.normalized))
      return true;
  return false;
}

PreparedQuery QueryBuilder::prepare(const std::string& text, bool correct, bool expand) const {
  PreparedQuery out;
  analysis::Analyzer& primary = *chain_.front().analyzer;
  std::vector<analysis::Token> tokens;
  primary.tokenize(text, tokens);
  const bool all_stop =
      std::all_of(tokens.begin(), tokens.end(), [](const analysis::Token& t) { return t.stopword; });
  const auto protect = protected_spans(text);

  // Every token's stems (stop words too: synonym left sides use them); word_of maps a token to
  // its searched word, or -1 for a stop word.
  vocabulary::StemPhrase all_stems;
  std::vector<int> word_of;
  std::string corrected_text;
  std::size_t copied = 0;
  std::vector<std::string> stems;
  for (const auto& token : tokens) {
    const bool searched = !token.stopword || all_stop;
    analysis::Token used = token;
    QueryWord word;
    word.typed = token.folded;
    word.used = token.folded;
    const bool is_protected = std::any_of(protect.begin(), protect.end(), [&](const auto& span) {
      return token.begin >= span.first && token.end <= span.second;
    });
    if (searched && correct && !is_protected && !known(token)) {
      for (const auto& ctx : chain_) {
        const vocabulary::Speller* sp = ctx.speller ? ctx.speller() : nullptr;
        if (!sp) continue;
        if (auto fix = sp->correct(token.folded)) {
          word.used = *fix;
          used.normalized = *fix;
          used.folded = *fix;
          out.corrections.push_back({token.folded, *fix});
          corrected_text.append(text, copied, token.begin - copied);
          corrected_text += *fix;
          copied = token.end;
          break;
        }
      }
    }
    for (const auto& ctx : chain_) {
      stems.clear();
      ctx.analyzer->stems(used, stems);
      for (auto& st : stems)
        if (std::find(word.stems.begin(), word.stems.end(), st) == word.stems.end()) word.stems.push_back(st);
    }
    all_stems.push_back(word.stems);
    if (searched) {
      word_of.push_back(static_cast<int>(out.words.size()));
      out.words.push_back(std::move(word));
    } else {
      word_of.push_back(-1);
    }
  }
  if (!out.corrections.empty()) {
    corrected_text.append(text, copied, std::string::npos);
    out.corrected_text = corrected_text;
  }
  if (out.words.empty() && !helpmark::text::trim(text).empty()) {
    // Words were typed but none can be searched ("*", "!!!", a 65-byte word): browsing would
    // answer with the whole catalogue, so nothing matches. Browsing is for the empty query.
    out.browse = false;
    out.no_searchable_words = true;
    out.query = Xapian::Query();
    return out;
  }
  if (out.words.empty()) {
    // A fresh match-all query (the empty term), not a copy of the static Query::MatchAll:
    // Xapian 1.4's reference counts are not atomic, so threads copying one object race.
    out.query = Xapian::Query(std::string());
    return out;
  }
  out.browse = false;
  for (const auto& w : out.words) out.highlight_stems.insert(w.stems.begin(), w.stems.end());

  // Synonym spans over tokens: the first table of the chain that matches a span wins it.
  std::vector<int> span_of(tokens.size(), -1);
  std::vector<vocabulary::SynonymTable::Match> matches;
  if (expand) {
    for (const auto& ctx : chain_) {
      if (!ctx.synonyms) continue;
      for (const auto& m : ctx.synonyms->find(all_stems)) {
        bool free = true;
        for (std::size_t i = m.begin; i < m.end; ++i) free = free && span_of[i] < 0;
        if (!free) continue;
        for (std::size_t i = m.begin; i < m.end; ++i) span_of[i] = static_cast<int>(matches.size());
        matches.push_back(m);
      }
    }
  }

  std::vector<Xapian::Query> parts;
  for (std::size_t i = 0; i < tokens.size();) {
    if (span_of[i] < 0) {
      if (word_of[i] >= 0) parts.push_back(stems_query(out.words[static_cast<std::size_t>(word_of[i])].stems));
      ++i;
      continue;
    }
    const vocabulary::SynonymTable::Match& m = matches[static_cast<std::size_t>(span_of[i])];
    // The span's searched words, as typed (after correction).
    vocabulary::StemPhrase span;
    for (std::size_t k = m.begin; k < m.end; ++k)
      if (word_of[k] >= 0) span.push_back(out.words[static_cast<std::size_t>(word_of[k])].stems);
    // The span and its expansions count as one term (OP_SYNONYM); the span's single words still
    // match on their own, so a partial match is not lost.
    std::vector<Xapian::Query> alternatives;
    if (!span.empty()) alternatives.push_back(phrase_query(span));
    SynonymUse use;
    use.phrase = m.rule->lhs_text;
    for (std::size_t r = 0; r < m.rule->rhs.size(); ++r) {
      alternatives.push_back(phrase_query(m.rule->rhs[r]));
      use.expansions.push_back(m.rule->rhs_text[r]);
      for (const auto& w : m.rule->rhs[r]) out.highlight_stems.insert(w.begin(), w.end());
    }
    out.synonyms.push_back(std::move(use));
    parts.emplace_back(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
    if (span.size() > 1)
      for (const auto& w : span) parts.push_back(stems_query(w));
    i = m.end;
  }
  out.query = parts.size() == 1 ? parts.front() : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  return out;
}

}  // namespace helpmark::search
