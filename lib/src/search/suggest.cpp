// Autocomplete: completions of what is typed from titles, questions and vocabulary.
#include <algorithm>
#include <set>

#include "index/schema.hpp"
#include "search/index_impl.hpp"
#include "util/text.hpp"

namespace helpmark {
namespace {

std::unique_ptr<PhraseIndex> build_phrases(const Xapian::Database& db, const std::string& locale,
                                           analysis::Analyzer& analyzer) {
  auto index = std::make_unique<PhraseIndex>();
  const std::string locale_term = std::string(schema::kLocale) + locale;
  const std::string published = std::string(schema::kStatus) + "published";
  std::vector<analysis::Token> tokens;
  std::vector<std::string> stems;
  for (auto p = db.postlist_begin(locale_term); p != db.postlist_end(locale_term); ++p) {
    auto t = db.termlist_begin(*p);
    t.skip_to(published);
    if (t == db.termlist_end(*p) || *t != published) continue;
    Xapian::Document doc = db.get_document(*p);
    std::string id;
    auto terms = doc.termlist_begin();
    terms.skip_to(std::string(schema::kId));
    if (terms != doc.termlist_end() && (*terms).starts_with(schema::kId)) id = (*terms).substr(schema::kId.size());
    bool first = true;
    for (const auto& line : text::split(doc.get_value(schema::kSlotPhrases), '\n')) {
      if (text::trim(line).empty()) continue;
      const auto index_of = static_cast<std::uint32_t>(index->phrases.size());
      index->phrases.push_back({line, id, first});
      first = false;
      tokens.clear();
      analyzer.tokenize(line, tokens);
      for (const auto& tok : tokens) {
        auto& words = index->by_word[tok.folded];
        if (words.empty() || words.back() != index_of) words.push_back(index_of);
        stems.clear();
        analyzer.stems(tok, stems);
        for (const auto& s : stems) {
          auto& list = index->by_stem[s];
          if (list.empty() || list.back() != index_of) list.push_back(index_of);
        }
      }
    }
  }
  return index;
}

}  // namespace

Result<std::vector<Suggestion>> Index::Impl::suggest(const std::string& prefix, const std::string& locale,
                                                     std::size_t limit) {
  if (Status s = check_query_text(prefix); !s.ok()) return s;
  if (limit > 50) return Status(ErrorCode::kInvalidArgument, "at most 50 suggestions");
  std::vector<Suggestion> out;
  if (text::trim(prefix).empty() || limit == 0) return out;

  auto handle = lease();
  auto snap = snapshot();
  const std::vector<std::string> locales = chain(*snap, locale, true);
  const bool last_complete = std::isspace(static_cast<unsigned char>(prefix.back()));
  std::set<std::string> seen_text;

  for (const auto& loc : locales) {
    analysis::Analyzer& an = analyzer(*handle, *snap, loc);
    LocaleResources& res = resources(*handle, *snap, loc);
    std::call_once(res.phrases_once, [&] { res.phrases = build_phrases(handle->db, loc, an); });
    const PhraseIndex& pi = *res.phrases;

    std::vector<analysis::Token> tokens;
    an.tokenize(prefix, tokens);
    if (tokens.empty()) continue;
    // Words before the last must all be in the phrase (by stem); the last is a prefix.
    std::vector<std::uint32_t> candidates;
    bool first_list = true;
    auto intersect = [&](std::vector<std::uint32_t> list) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      if (first_list) {
        candidates = std::move(list);
        first_list = false;
        return;
      }
      std::vector<std::uint32_t> both;
      std::set_intersection(candidates.begin(), candidates.end(), list.begin(), list.end(), std::back_inserter(both));
      candidates.swap(both);
    };
    std::vector<std::string> stems;
    const std::size_t complete_words = last_complete ? tokens.size() : tokens.size() - 1;
    for (std::size_t i = 0; i < complete_words; ++i) {
      if (tokens[i].stopword) continue;
      stems.clear();
      an.stems(tokens[i], stems);
      std::vector<std::uint32_t> list;
      for (const auto& s : stems)
        if (auto it = pi.by_stem.find(s); it != pi.by_stem.end()) list.insert(list.end(), it->second.begin(), it->second.end());
      intersect(std::move(list));
    }
    std::vector<std::string> completions;
    if (!last_complete) {
      const std::string& partial = tokens.back().folded;
      std::vector<std::uint32_t> list;
      for (auto it = pi.by_word.lower_bound(partial); it != pi.by_word.end() && it->first.starts_with(partial); ++it)
        list.insert(list.end(), it->second.begin(), it->second.end());
      // Typo-tolerant on the last word, and synonyms of what it completes to.
      const vocabulary::Speller* sp = speller(*handle, *snap, loc);
      if (sp) completions = sp->complete(partial, 5);
      for (const auto& word : completions) {
        if (auto it = pi.by_word.find(word); it != pi.by_word.end()) list.insert(list.end(), it->second.begin(), it->second.end());
        if (res.synonyms) {
          analysis::Token t = tokens.back();
          t.normalized = t.folded = word;
          stems.clear();
          an.stems(t, stems);
          for (const auto& m : res.synonyms->find({stems}))
            for (const auto& rhs : m.rule->rhs)
              if (rhs.size() == 1)
                for (const auto& s : rhs.front())
                  if (auto it = pi.by_stem.find(s); it != pi.by_stem.end()) list.insert(list.end(), it->second.begin(), it->second.end());
        }
      }
      intersect(std::move(list));
    }

    // Rank: titles before questions, phrases that start with the typed text first, shorter first.
    const std::string typed = analysis::fold(text::trim(prefix));
    std::vector<std::pair<double, std::uint32_t>> scored;
    for (std::uint32_t c : candidates) {
      const auto& p = pi.phrases[c];
      double score = 1.0;
      if (p.title) score += 1.0;
      if (analysis::fold(p.text).starts_with(typed)) score += 2.0;
      score -= static_cast<double>(p.text.size()) / 1000.0;
      scored.emplace_back(score, c);
    }
    std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (const auto& [score, c] : scored) {
      if (out.size() >= limit) break;
      const auto& p = pi.phrases[c];
      if (!seen_text.insert(analysis::fold(p.text)).second) continue;
      out.push_back({p.text, p.title ? "title" : "question", p.article_id, score});
    }
    // Then plain word completions: "how do i refu" -> "how do i refund".
    const std::string head = last_complete ? prefix : prefix.substr(0, tokens.back().begin);
    for (const auto& word : completions) {
      if (out.size() >= limit) break;
      std::string text = head + word;
      if (!seen_text.insert(analysis::fold(text)).second) continue;
      out.push_back({text, "word", "", 0.5});
    }
    if (out.size() >= limit) break;
  }
  return out;
}

}  // namespace helpmark
