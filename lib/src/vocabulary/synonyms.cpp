#include "vocabulary/synonyms.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "util/text.hpp"
#include "util/yaml_input.hpp"

namespace helpmark::vocabulary {

StemPhrase analyse_phrase(std::string_view phrase, analysis::Analyzer& analyzer, bool keep_stopwords) {
  std::vector<analysis::Token> tokens;
  analyzer.tokenize(phrase, tokens);
  StemPhrase out;
  for (const auto& t : tokens) {
    if (t.stopword && !keep_stopwords) continue;
    std::vector<std::string> stems;
    analyzer.stems(t, stems);
    out.push_back(std::move(stems));
  }
  return out;
}

namespace {

bool word_matches(const std::vector<std::string>& query_word, const std::vector<std::string>& rule_word) {
  for (const auto& a : query_word)
    for (const auto& b : rule_word)
      if (a == b) return true;
  return false;
}

// A canonical key of a phrase for duplicate detection: the first stem of each word.
std::string phrase_key(const StemPhrase& p) {
  std::string key;
  for (const auto& w : p) {
    key += w.front();
    key += ' ';
  }
  return key;
}

}  // namespace

void SynonymTable::add(SynonymRule rule) {
  by_first_stem_.reserve(by_first_stem_.size() + rule.lhs.front().size());
  for (const auto& stem : rule.lhs.front()) by_first_stem_.emplace(stem, rules_.size());
  rules_.push_back(std::move(rule));
}

SynonymTable SynonymTable::parse(std::string_view yaml, const std::string& path,
                                 const std::string& locale, const std::vector<std::string>& known_locales,
                                 analysis::Analyzer& analyzer, std::vector<Diagnostic>& diags) {
  SynonymTable table;
  auto error = [&](int line, std::string message) {
    diags.push_back({Severity::kError, path, line, std::move(message)});
  };
  if (std::find(known_locales.begin(), known_locales.end(), locale) == known_locales.end()) {
    error(0, "synonyms for locale '" + locale + "', which the taxonomy's `locales` does not list; "
             "rename the file to <locale>.yaml for a listed locale or add the locale");
    return table;
  }
  YAML::Node root;
  try {
    root = yaml_input::load(yaml);
  } catch (const YAML::Exception& e) {
    error(e.mark.line + 1, "malformed YAML: " + e.msg);
    return table;
  }
  if (root.IsNull()) return table;
  if (!root.IsMap()) {
    error(1, "expected a map with `groups:` and/or `one_way:`");
    return table;
  }
  if (root["locale"] && root["locale"].IsScalar() && root["locale"].Scalar() != locale)
    error(root["locale"].Mark().line + 1, "`locale: " + root["locale"].Scalar() +
                                              "` does not match the file name (" + locale + ".yaml)");

  struct Claim {
    int line;
    int group;  // -1 for a one-way rule
    std::string text;
  };
  std::map<std::string, Claim> seen_lhs;  // phrase key -> first use
  struct Entry {
    std::string text;
    StemPhrase stems;        // with stop words (left side)
    StemPhrase query_stems;  // without (right side)
    int line;
  };
  int group_number = 0;
  std::size_t expansions = 0;
  bool over_budget = false;
  // Every expansion is kept in memory by each search and stored in the index: a file may not
  // make more than kMaxExpansions. The rule that crosses the limit is the one reported.
  auto within_expansion_budget = [&](int line, std::size_t more) {
    if (over_budget) return false;
    if (expansions + more <= kMaxExpansions) {
      expansions += more;
      return true;
    }
    over_budget = true;
    error(line, "the synonyms reach " + std::to_string(expansions + more) + " expansions here, over the limit of " +
                    std::to_string(kMaxExpansions) + " per locale; this rule and the ones after it are left out");
    return false;
  };
  // Reads one phrase; reports and returns false when it can never match.
  auto read_phrase = [&](std::string_view raw, int line, Entry& out) {
    std::string text(text::trim(raw));
    if (text.empty()) {
      error(line, "empty synonym entry; remove it");
      return false;
    }
    out.text = text;
    out.line = line;
    out.stems = analyse_phrase(text, analyzer, true);
    out.query_stems = analyse_phrase(text, analyzer, false);
    if (out.query_stems.empty()) {
      error(line, "entry '" + text + "' can never match: it has only stop words");
      return false;
    }
    return true;
  };
  // Two phrases with the same stems are one entry. Within a group that is only redundant
  // ("seller", "sellers"): a warning. Elsewhere it is a conflict: an error.
  auto claim_lhs = [&](const Entry& e, int group) {
    auto [it, inserted] = seen_lhs.emplace(phrase_key(e.stems), Claim{e.line, group, e.text});
    if (inserted) return true;
    if (group >= 0 && it->second.group == group && analysis::fold(it->second.text) != analysis::fold(e.text)) {
      diags.push_back({Severity::kWarning, path, e.line,
                       "'" + e.text + "' is redundant: it analyses to the same words as '" + it->second.text +
                           "' in the same group"});
    } else {
      error(e.line, "duplicate entry '" + e.text + "' (same words as '" + it->second.text + "' at line " +
                        std::to_string(it->second.line) + "); keep it in one place");
    }
    return false;
  };

  if (const YAML::Node groups = root["groups"]) {
    if (!groups.IsSequence()) {
      error(groups.Mark().line + 1, "`groups` must be a list of lists, e.g. - [refund, money back]");
    } else {
      for (const auto& group : groups) {
        const int line = group.Mark().line + 1;
        if (!group.IsSequence()) {
          error(line, "each group must be a list such as [refund, money back]");
          continue;
        }
        std::vector<Entry> entries;
        const int this_group = group_number++;
        for (const auto& item : group) {
          Entry e;
          if (!item.IsScalar()) {
            error(item.Mark().line + 1, "group entries must be text");
            continue;
          }
          if (read_phrase(item.Scalar(), item.Mark().line + 1, e) && claim_lhs(e, this_group))
            entries.push_back(std::move(e));
        }
        if (group.size() < 2) error(line, "a group needs at least two phrases");
        if (entries.size() < 2) continue;
        // Each entry of a group expands to all the others: n entries make n*(n-1) expansions.
        if (entries.size() > kMaxGroupEntries) {
          error(line, "a group of " + std::to_string(entries.size()) + " phrases is over the limit of " +
                          std::to_string(kMaxGroupEntries) +
                          " (each expands to all the others); split it, or use one_way rules");
          continue;
        }
        if (!within_expansion_budget(line, entries.size() * (entries.size() - 1))) continue;
        for (std::size_t i = 0; i < entries.size(); ++i) {
          SynonymRule rule;
          rule.lhs_text = entries[i].text;
          rule.lhs = entries[i].stems;
          for (std::size_t j = 0; j < entries.size(); ++j) {
            if (i == j) continue;
            rule.rhs_text.push_back(entries[j].text);
            rule.rhs.push_back(entries[j].query_stems);
          }
          table.add(std::move(rule));
        }
      }
    }
  }
  if (const YAML::Node one_way = root["one_way"]) {
    if (!one_way.IsSequence()) {
      error(one_way.Mark().line + 1, "`one_way` must be a list of \"phrase -> phrase, phrase\"");
    } else {
      for (const auto& item : one_way) {
        const int line = item.Mark().line + 1;
        if (!item.IsScalar()) {
          error(line, "one-way entries are text such as \"chargeback -> dispute\"");
          continue;
        }
        const std::string& s = item.Scalar();
        std::size_t arrow = s.find("->");
        if (arrow == std::string::npos) {
          error(line, "one-way entry '" + s + "' has no '->'; write \"phrase -> phrase, phrase\"");
          continue;
        }
        Entry lhs;
        if (!read_phrase(std::string_view(s).substr(0, arrow), line, lhs)) continue;
        SynonymRule rule;
        rule.lhs_text = lhs.text;
        rule.lhs = lhs.stems;
        for (const auto& target : text::split(std::string_view(s).substr(arrow + 2), ',')) {
          Entry rhs;
          if (!read_phrase(target, line, rhs)) continue;
          if (phrase_key(rhs.stems) == phrase_key(lhs.stems)) {
            error(line, "'" + lhs.text + "' maps to itself; remove that target");
            continue;
          }
          rule.rhs_text.push_back(rhs.text);
          rule.rhs.push_back(std::move(rhs.query_stems));
        }
        if (rule.rhs.empty()) {
          if (s.substr(arrow + 2).find_first_not_of(" \t,") == std::string::npos)
            error(line, "one-way entry '" + s + "' has nothing after '->'");
          continue;
        }
        if (rule.rhs.size() > kMaxGroupEntries) {
          error(line, "one-way entry with " + std::to_string(rule.rhs.size()) + " targets is over the limit of " +
                          std::to_string(kMaxGroupEntries) + "; split it");
          continue;
        }
        if (!within_expansion_budget(line, rule.rhs.size())) continue;
        if (!claim_lhs(lhs, -1)) continue;
        table.add(std::move(rule));
      }
    }
  }
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    if (key != "groups" && key != "one_way" && key != "locale")
      diags.push_back({Severity::kWarning, path, kv.first.Mark().line + 1,
                       "unknown key `" + key + "` is ignored; use `groups:` and `one_way:`"});
  }
  return table;
}

std::string SynonymTable::serialize() const {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& r : rules_)
    rules.push_back({{"l", r.lhs_text}, {"ls", r.lhs}, {"r", r.rhs_text}, {"rs", r.rhs}});
  // Replace, never throw: a stem cut inside a UTF-8 sequence must not stop indexing (found by fuzz_vocabulary).
  return rules.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

SynonymTable SynonymTable::deserialize(std::string_view data) {
  SynonymTable table;
  if (data.empty()) return table;
  for (const auto& r : nlohmann::json::parse(data)) {
    SynonymRule rule;
    rule.lhs_text = r.at("l").get<std::string>();
    rule.lhs = r.at("ls").get<StemPhrase>();
    rule.rhs_text = r.at("r").get<std::vector<std::string>>();
    rule.rhs = r.at("rs").get<std::vector<StemPhrase>>();
    if (!rule.lhs.empty()) table.add(std::move(rule));
  }
  return table;
}

std::vector<SynonymTable::Match> SynonymTable::find(const StemPhrase& words) const {
  std::vector<Match> matches;
  std::size_t i = 0;
  while (i < words.size()) {
    Match best;
    for (const auto& stem : words[i]) {
      auto [lo, hi] = by_first_stem_.equal_range(stem);
      for (auto it = lo; it != hi; ++it) {
        const SynonymRule& rule = rules_[it->second];
        const std::size_t n = rule.lhs.size();
        if (i + n > words.size() || n <= best.end - best.begin) continue;
        bool all = true;
        for (std::size_t k = 0; k < n && all; ++k) all = word_matches(words[i + k], rule.lhs[k]);
        if (all) best = {i, i + n, &rule};
      }
    }
    if (best.rule) {
      matches.push_back(best);
      i = best.end;
    } else {
      ++i;
    }
  }
  return matches;
}

}  // namespace helpmark::vocabulary
