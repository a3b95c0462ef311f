#include "model/examples.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analysis/analyzer.hpp"
#include "analysis/stopwords.hpp"
#include "util/text.hpp"

namespace helpmark::model {
namespace {

enum class Script { kOther, kLatin, kHan, kKana, kHangul, kThai, kCyrillic, kGreek, kArabic, kHebrew };

Script script_of(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7))
    return Script::kLatin;
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) return Script::kHan;
  if (c >= 0x3040 && c <= 0x30FF) return Script::kKana;
  if (c >= 0xAC00 && c <= 0xD7AF) return Script::kHangul;
  if (c >= 0x0E00 && c <= 0x0E7F) return Script::kThai;
  if (c >= 0x0400 && c <= 0x04FF) return Script::kCyrillic;
  if (c >= 0x0370 && c <= 0x03FF) return Script::kGreek;
  if (c >= 0x0600 && c <= 0x06FF) return Script::kArabic;
  if (c >= 0x0590 && c <= 0x05FF) return Script::kHebrew;
  return Script::kOther;
}

// The scripts a locale's text is written in (its letters; Latin brand names aside).
std::vector<Script> scripts_of_locale(std::string_view locale) {
  const std::string lang = text::ascii_lower(locale.substr(0, locale.find('-')));
  if (lang == "ja") return {Script::kHan, Script::kKana};
  if (lang == "zh") return {Script::kHan};
  if (lang == "ko") return {Script::kHangul, Script::kHan};
  if (lang == "th") return {Script::kThai};
  if (lang == "ru" || lang == "uk" || lang == "bg" || lang == "sr" || lang == "mk" || lang == "be") return {Script::kCyrillic};
  if (lang == "el") return {Script::kGreek};
  if (lang == "ar" || lang == "fa" || lang == "ur") return {Script::kArabic};
  if (lang == "he" || lang == "yi") return {Script::kHebrew};
  return {Script::kLatin};
}

// Letters of `s` counted by script.
std::map<Script, std::size_t> letters_by_script(std::string_view s) {
  std::map<Script, std::size_t> counts;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    for (int k = 1; k < n && i + static_cast<std::size_t>(k) < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3f);
    i += static_cast<std::size_t>(n);
    if (Script sc = script_of(cp); sc != Script::kOther) ++counts[sc];
  }
  return counts;
}

// Tells which of the knowledge base's languages a question reads as, from its script and, for
// languages sharing one, from stop words only that language has.
class LanguageGuess {
 public:
  explicit LanguageGuess(const std::vector<std::string>& locales) {
    for (const auto& locale : locales) {
      Language l;
      l.locale = locale;
      l.scripts = scripts_of_locale(locale);
      if (const char* const* words = analysis::stopwords_for_language(analysis::stopword_language(locale)))
        for (; *words; ++words) l.stopwords.insert(analysis::fold(*words));
      languages_.push_back(std::move(l));
    }
  }

  /// Another locale the question reads as, or "" when it reads as `locale` (or cannot tell).
  std::string other_locale(const std::string& locale, const std::vector<analysis::Token>& tokens) const {
    const Language* own = find(locale);
    if (!own) return "";
    // Words by script (not letters: one ideograph says as much as a Latin word's letters,
    // and brand names in Latin letters are common in any language).
    std::map<Script, std::size_t> words;
    std::size_t total = 0, own_words = 0;
    for (const auto& t : tokens) {
      const auto letters = letters_by_script(t.normalized);
      if (letters.empty()) continue;
      const Script main = std::max_element(letters.begin(), letters.end(), [](const auto& a, const auto& b) {
                            return a.second < b.second;
                          })->first;
      ++words[main];
      ++total;
      if (std::find(own->scripts.begin(), own->scripts.end(), main) != own->scripts.end()) ++own_words;
    }
    if (total == 0) return "";
    // Latin brand names ("paypal", "lumen market") are part of Japanese or Thai text: there,
    // only a question without a word of the language's own script is another language's.
    const bool latin_locale = own->scripts == std::vector<Script>{Script::kLatin};
    if (latin_locale ? own_words * 2 < total : own_words == 0) {
      // Mostly another script: name a locale written in it, if the knowledge base has one.
      const Script main = std::max_element(words.begin(), words.end(), [](const auto& a, const auto& b) {
                            return a.second < b.second;
                          })->first;
      for (const auto& l : languages_)
        if (&l != own && std::find(l.scripts.begin(), l.scripts.end(), main) != l.scripts.end()) return l.locale;
      return "another script";
    }
    // Same script: stop words of another language and none of its own.
    // Two different stop words of one other language, none of its own.
    std::map<std::string, std::set<std::string>> other_stop;
    for (const auto& t : tokens) {
      if (own->stopwords.count(t.folded)) return "";
      for (const auto& l : languages_)
        if (&l != own && l.scripts == own->scripts && l.stopwords.count(t.folded)) other_stop[l.locale].insert(t.folded);
    }
    for (const auto& [l, distinct] : other_stop)
      if (distinct.size() >= 2) return l;
    return "";
  }

 private:
  struct Language {
    std::string locale;
    std::vector<Script> scripts;
    std::unordered_set<std::string> stopwords;
  };
  const Language* find(const std::string& locale) const {
    for (const auto& l : languages_)
      if (l.locale == locale) return &l;
    return nullptr;
  }
  std::vector<Language> languages_;
};

// The question as its words, so that "Where's my refund?" and "where's my refund" are one.
std::string question_key(const std::vector<analysis::Token>& tokens) {
  std::string key;
  for (const auto& t : tokens) {
    if (!key.empty()) key += ' ';
    key += t.folded;
  }
  return key;
}

// A summary teaches the model as a question would only in its opening words (a long one would
// also cost training time in proportion to its length).
constexpr std::size_t kSummaryWords = 20;

std::string first_words(const std::string& text, std::size_t n) {
  std::size_t words = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool space = text[i] == ' ' || text[i] == '\n' || text[i] == '\t';
    if (!space && !in_word && ++words > n) return text.substr(0, i);
    in_word = !space;
  }
  return text;
}

struct QuestionRef {
  std::size_t article;
  std::size_t question;
};

}  // namespace

std::vector<LocaleExamples> collect_examples(const std::vector<Article>& articles,
                                             const std::vector<std::string>& locales, bool stemming,
                                             const ExampleLimits& limits, std::vector<Diagnostic>& diagnostics,
                                             const LearnedQuestions& learned) {
  const LanguageGuess guess(locales);
  std::vector<LocaleExamples> out;
  for (const auto& locale : locales) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < articles.size(); ++i)
      if (articles[i].locale == locale && articles[i].status == ArticleStatus::kPublished) members.push_back(i);
    if (members.empty()) continue;
    analysis::Analyzer analyzer(locale, stemming);
    std::vector<analysis::Token> tokens;
    auto warn = [&](const Article& a, std::size_t q, std::string message) {
      const int line = q < a.question_lines.size() ? a.question_lines[q] : 0;
      diagnostics.push_back({Severity::kWarning, a.path, line, std::move(message)});
    };

    // Which questions are usable: first the per-article checks, then the same question on two
    // articles.
    std::vector<std::vector<bool>> usable(members.size());
    std::unordered_map<std::string, std::vector<QuestionRef>> by_key;
    for (std::size_t m = 0; m < members.size(); ++m) {
      const Article& a = articles[members[m]];
      usable[m].assign(a.questions.size(), false);
      std::unordered_set<std::string> seen;
      std::size_t used = 0;
      for (std::size_t q = 0; q < a.questions.size(); ++q) {
        tokens.clear();
        analyzer.tokenize(a.questions[q], tokens);
        if (tokens.empty()) {
          warn(a, q, "question \"" + a.questions[q] + "\" has no words; the model does not learn from it");
          continue;
        }
        const std::string key = question_key(tokens);
        if (!seen.insert(key).second) {
          warn(a, q, "question \"" + a.questions[q] + "\" is repeated in this article; used once");
          continue;
        }
        if (std::string other = guess.other_locale(locale, tokens); !other.empty()) {
          warn(a, q, "question \"" + a.questions[q] + "\" reads as " + other + ", not " + locale +
                         "; move it to that translation (the model does not learn from it)");
          continue;
        }
        if (used == limits.max_questions_per_article) {
          warn(a, q, "more than " + std::to_string(limits.max_questions_per_article) +
                         " questions: the model learns from the first " +
                         std::to_string(limits.max_questions_per_article) + " only");
          break;
        }
        ++used;
        usable[m][q] = true;
        by_key[key].push_back({m, q});
      }
    }
    std::vector<std::string> keys;
    for (const auto& [key, refs] : by_key) keys.push_back(key);
    std::sort(keys.begin(), keys.end());  // warnings in a stable order
    for (const auto& key : keys) {
      const auto& refs = by_key[key];
      if (refs.size() < 2) continue;
      for (const auto& r : refs) {
        const Article& a = articles[members[r.article]];
        std::string others;
        for (const auto& o : refs)
          if (o.article != r.article) others += (others.empty() ? "" : ", ") + articles[members[o.article]].id;
        warn(a, r.question, "question \"" + a.questions[r.question] + "\" is also a question of " + others +
                                ": it cannot tell them apart, so the model learns it for neither");
        usable[r.article][r.question] = false;
      }
    }

    // Learned questions: only those no written question of the locale has, and each for one
    // article only.
    std::vector<std::vector<std::string>> learned_of(members.size());
    {
      std::unordered_map<std::string, std::size_t> owners;  // key -> member, or SIZE_MAX when shared
      std::vector<std::vector<std::pair<std::string, std::string>>> candidates(members.size());
      for (std::size_t m = 0; m < members.size(); ++m) {
        auto it = learned.find(articles[members[m]].id);
        if (it == learned.end()) continue;
        std::unordered_set<std::string> seen;
        for (const auto& q : it->second) {
          if (candidates[m].size() == limits.max_learned_per_article) break;
          tokens.clear();
          analyzer.tokenize(q, tokens);
          if (tokens.empty()) continue;
          std::string key = question_key(tokens);
          if (by_key.count(key) || !seen.insert(key).second) continue;
          auto [o, fresh] = owners.emplace(key, m);
          if (!fresh && o->second != m) o->second = SIZE_MAX;
          candidates[m].emplace_back(std::move(key), q);
        }
      }
      for (std::size_t m = 0; m < members.size(); ++m)
        for (auto& [key, q] : candidates[m])
          if (owners[key] == m) learned_of[m].push_back(std::move(q));
    }

    LocaleExamples ex;
    ex.locale = locale;
    std::uint64_t fp = text::fnv1a64(std::string("model-examples:") + std::to_string(LexicalModel::kFormatVersion) +
                                     (stemming ? ":stem" : ":nostem"));
    // Features are extracted later, and only when a model or the tuning needs them
    // (extract_features): the fingerprint, which says whether anything changed, needs the texts.
    auto add = [&](std::uint32_t label, ExampleKind kind, const std::string& text) {
      if (text::trim(text).empty()) return;
      tokens.clear();
      analyzer.tokenize(text, tokens);
      if (tokens.empty()) return;  // no words: no features
      ex.set.labels.push_back(label);
      ex.kinds.push_back(kind);
      ex.texts.push_back(text);
      fp = text::fnv1a64(std::to_string(label) + ":" + std::to_string(static_cast<int>(kind)) + ":" + text, fp);
    };
    for (std::size_t m = 0; m < members.size(); ++m) {
      const Article& a = articles[members[m]];
      const auto label = static_cast<std::uint32_t>(ex.set.classes.size());
      ex.set.classes.push_back(a.id);
      fp = text::fnv1a64("class:" + a.id, fp);
      add(label, ExampleKind::kTitle, a.title);
      bool any_question = false;
      for (std::size_t q = 0; q < a.questions.size(); ++q)
        if (usable[m][q]) {
          add(label, ExampleKind::kQuestion, a.questions[q]);
          any_question = true;
        }
      ex.articles_with_questions += any_question;
      for (const auto& q : learned_of[m]) add(label, ExampleKind::kLearned, q);
      add(label, ExampleKind::kSummary, first_words(a.summary, kSummaryWords));
      for (const auto& s : a.sections)
        if (s.kind == SectionKind::kOther && s.level > 0) add(label, ExampleKind::kHeading, s.heading);
    }
    ex.fingerprint = text::hex64(fp);
    ex.stemming = stemming;
    out.push_back(std::move(ex));
  }
  return out;
}

void extract_features(LocaleExamples& examples) {
  if (examples.set.examples.size() == examples.texts.size()) return;
  analysis::Analyzer analyzer(examples.locale, examples.stemming);
  FeatureExtractor extractor(analyzer);
  examples.set.examples.clear();
  examples.set.examples.reserve(examples.texts.size());
  for (const auto& text : examples.texts) examples.set.examples.push_back(extractor.extract(text));
}

}  // namespace helpmark::model
