#include "indexer/tuning.hpp"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unordered_map>

#include "analysis/analyzer.hpp"
#include "index/document_builder.hpp"
#include "index/schema.hpp"
#include "indexer/out_of_scope.hpp"
#include "model/training.hpp"
#include "search/confidence.hpp"
#include "search/query_builder.hpp"
#include "search/ranking.hpp"
#include "util/text.hpp"
#include "vocabulary/dictionary.hpp"
#include "vocabulary/spelling.hpp"
#include "vocabulary/synonyms.hpp"

namespace helpmark {
namespace {

constexpr int kFolds = 5;
// Xapian's candidates per held-out question: as search re-ranks them.
constexpr std::size_t kDepth = search::kFusionDepth;
// Out-of-scope questions per locale used as negatives.
constexpr std::size_t kOutOfScopePerLocale = 200;
// The share of questions that no article answers, assumed when fitting the answer threshold
// (helpmark calibrate on real traffic replaces the assumption with the site's own share).
constexpr double kOutOfScopeShare = 0.1;

// The settings tried. The first of each list is the default, so that a tie keeps it.
std::vector<schema::FieldWeights> field_presets() {
  schema::FieldWeights usual;                                   // 6 4 3 3 2 1
  schema::FieldWeights balanced{3, 3, 2, 2, 1, 1};              // the body counts more
  schema::FieldWeights front_matter{8, 8, 3, 3, 2, 1};          // title and questions count more
  return {usual, balanced, front_matter};
}

std::vector<RankingSettings> weightings() {
  std::vector<RankingSettings> out;
  auto lm = [&](double lambda) {
    RankingSettings s;
    s.weighting = RankingSettings::Weighting::kLanguageModel;
    s.lm_lambda = lambda;
    out.push_back(s);
  };
  auto bm25 = [&](double k1, double b) {
    RankingSettings s;
    s.weighting = RankingSettings::Weighting::kBm25;
    s.bm25_k1 = k1;
    s.bm25_b = b;
    out.push_back(s);
  };
  lm(0.3);
  lm(0.7);
  bm25(1.2, 0.75);
  return out;
}

std::vector<double> model_weights() {
  std::vector<double> out;
  for (int i = 0; i <= 10; ++i) out.push_back(i / 10.0);
  return out;
}

struct HeldOut {
  std::size_t locale = 0;     // index into examples
  std::uint32_t cls = 0;      // class in the locale's examples
  std::size_t example = 0;    // index into the locale's examples
  std::uint64_t hash = 0;
  std::string query;          // the question as searched (a fifth with a typo)
};

// Customers type: one held-out question in kTypoEvery is searched with a typo in one of its
// longer words (a letter dropped, doubled, swapped with the next or replaced), so that the
// settings are chosen for text as it is typed, spelling correction included.
constexpr std::uint64_t kTypoEvery = 5;

std::string with_typo(const std::string& text, std::uint64_t hash) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  // Words of 4+ letters of a script with spaces (a typo in Japanese is not this kind of typo).
  std::vector<std::pair<int32_t, int32_t>> words;
  for (int32_t i = 0; i < u.length();) {
    while (i < u.length() && !u_isalpha(u.char32At(i))) i = u.moveIndex32(i, 1);
    const int32_t start = i;
    int32_t letters = 0;
    bool spaced_script = true;
    while (i < u.length() && u_isalpha(u.char32At(i))) {
      const UChar32 c = u.char32At(i);
      if (c >= 0x0E00 && (c < 0x1E00 || c > 0x1FFF)) spaced_script = false;  // Thai, CJK, ...
      ++letters;
      i = u.moveIndex32(i, 1);
    }
    if (letters >= 4 && spaced_script) words.emplace_back(start, i);
  }
  if (words.empty()) return text;
  const auto [start, end] = words[hash % words.size()];
  // A position inside the word, not its first letter (people rarely get that wrong).
  const int32_t length = end - start;
  const int32_t at = start + 1 + static_cast<int32_t>((hash >> 8) % static_cast<std::uint64_t>(length - 1));
  switch ((hash >> 16) % 4) {
    case 0: u.remove(at, 1); break;                                    // dropped
    case 1: u.insert(at, u.charAt(at)); break;                         // doubled
    case 2:                                                            // swapped with the previous
      if (at > start) {
        const char16_t c = u.charAt(at);
        u.setCharAt(at, u.charAt(at - 1));
        u.setCharAt(at - 1, c);
      }
      break;
    default: u.setCharAt(at, static_cast<char16_t>(u.charAt(at) == u'e' ? u'a' : u'e')); break;  // replaced
  }
  std::string out;
  u.toUTF8String(out);
  return out;
}

// One fold's index and models: articles with the fold's questions taken out.
struct FoldSetup {
  std::vector<std::shared_ptr<const model::LexicalModel>> models;  // by locale; null: none
  std::vector<Article> articles;
  std::vector<AnalysedArticle> analysed;                       // by article
  std::vector<std::unique_ptr<vocabulary::Speller>> spellers;  // by locale; may be null
};

// A fold's index with one set of field weights (one at a time: they are large).
struct FoldIndex {
  Xapian::WritableDatabase db;
  std::unordered_map<Xapian::docid, std::size_t> article_of;  // docid -> index into articles
  std::unordered_map<std::string, Xapian::docid> docid_of;     // article id -> docid
  std::vector<std::unique_ptr<search::ModelView>> views;      // by locale
};

struct Scores {
  std::vector<double> hits;  // by setting
  std::vector<double> rr;
};

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

class Tuner {
 public:
  explicit Tuner(const TuningInput& in)
      : in_(in), presets_(field_presets()), weightings_(weightings()), alphas_(model_weights()),
        builder_(*in.taxonomy, in.stemming) {
    for (const auto& ex : *in_.examples) {
      auto an = std::make_unique<analysis::Analyzer>(ex.locale, in_.stemming);
      extractors_.push_back(std::make_unique<model::FeatureExtractor>(*an));
      analyzers_.push_back(std::move(an));
      auto syn = in_.vocabulary->synonyms.find(ex.locale);
      synonyms_.push_back(syn == in_.vocabulary->synonyms.end()
                              ? nullptr
                              : std::make_shared<const vocabulary::SynonymTable>(vocabulary::SynonymTable::deserialize(syn->second)));
    }
    for (const auto& ex : *in_.examples) total_classes_ += ex.set.classes.size();
    dictionaries_.resize(in_.examples->size());
    dictionary_tried_.assign(in_.examples->size(), false);
  }

  TuningResult run();

 private:
  // The best setting among those of the first `presets` field presets: recall@1, then MRR,
  // then the earlier in the lists (defaults first).
  std::size_t best_setting(std::size_t settings_count, std::size_t presets = SIZE_MAX) const {
    const std::size_t per_preset = weightings_.size() * alphas_.size();
    std::size_t best = 0;
    for (std::size_t s = 1; s < settings_count && s / per_preset < presets; ++s)
      if (scores_.hits[s] > scores_.hits[best] ||
          (scores_.hits[s] == scores_.hits[best] && scores_.rr[s] > scores_.rr[best] + 1e-9))
        best = s;
    return best;
  }
  std::size_t setting(std::size_t p, std::size_t w, std::size_t a) const {
    return (p * weightings_.size() + w) * alphas_.size() + a;
  }
  std::vector<bool> sampled_classes(const model::LocaleExamples& ex) const;
  FoldSetup build_fold(const std::vector<HeldOut>& held_out);
  FoldIndex index_fold(const FoldSetup& fold, const schema::FieldWeights& fields);
  Xapian::Query filter_for(const std::string& locale) const;
  // Candidates of one query on a fold, for one preset and weighting (model weight not applied).
  struct Ranking {
    search::PreparedQuery prepared;
    search::XapianPass pass;
    search::Fused fused;
    bool corrected = false;
  };
  const vocabulary::LanguageDictionary* dictionary(std::size_t locale) {
    if (!dictionary_tried_[locale]) {
      dictionary_tried_[locale] = true;
      dictionaries_[locale] = vocabulary::LanguageDictionary::open((*in_.examples)[locale].locale);
    }
    return dictionaries_[locale].get();
  }
  Ranking rank(const FoldSetup& fold, const FoldIndex& index, const RankingSettings& weighting, std::size_t locale,
               const std::string& text, const Xapian::Query& filter);
  search::TrainingExample answer_example(const FoldSetup& fold, const FoldIndex& index, const RankingSettings& chosen,
                                         std::size_t locale, const std::string& text, const Xapian::Query& filter,
                                         const std::string& gold_id, bool in_scope);

  const TuningInput& in_;
  std::vector<schema::FieldWeights> presets_;
  std::vector<RankingSettings> weightings_;
  std::vector<double> alphas_;
  std::vector<std::unique_ptr<analysis::Analyzer>> analyzers_;     // by locale of examples
  std::vector<std::unique_ptr<model::FeatureExtractor>> extractors_;
  std::vector<std::shared_ptr<const vocabulary::SynonymTable>> synonyms_;
  std::vector<std::unique_ptr<vocabulary::LanguageDictionary>> dictionaries_;  // by locale, opened on need
  std::vector<bool> dictionary_tried_;
  std::size_t total_classes_ = 0;
  Scores scores_;
  DocumentBuilder builder_;
  std::unordered_map<std::string, AnalysedArticle> analysed_;  // by article id, for every fold
  // Model scores of the texts searched in the current fold, by locale and text (the same text
  // is searched with every setting tried).
  std::map<std::string, std::vector<float>> score_cache_;
  // Where the time goes, reported with the measurements.
  double training_seconds_ = 0, indexing_seconds_ = 0, ranking_seconds_ = 0, fitting_seconds_ = 0;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<bool> Tuner::sampled_classes(const model::LocaleExamples& ex) const {
  const std::size_t n = ex.set.classes.size();
  std::vector<bool> sampled(n, true);
  if (total_classes_ <= kTuningArticles) return sampled;
  // Each locale's share of the sample, as of the knowledge base.
  const std::size_t quota = std::max<std::size_t>(2, (kTuningArticles * n + total_classes_ - 1) / total_classes_);
  if (n <= quota) return sampled;
  std::vector<std::pair<std::uint64_t, std::size_t>> order;
  for (std::size_t c = 0; c < n; ++c) order.emplace_back(text::fnv1a64("tuning-sample:" + ex.set.classes[c]), c);
  std::sort(order.begin(), order.end());
  std::fill(sampled.begin(), sampled.end(), false);
  for (std::size_t i = 0; i < quota; ++i) sampled[order[i].second] = true;
  return sampled;
}

Xapian::Query Tuner::filter_for(const std::string& locale) const {
  return Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(std::string(schema::kLocale) + locale),
                       Xapian::Query(std::string(schema::kStatus) + "published"));
}

FoldSetup Tuner::build_fold(const std::vector<HeldOut>& held_out) {
  const auto& examples = *in_.examples;
  FoldSetup fold;
  std::vector<std::set<std::size_t>> out_examples(examples.size());
  for (const auto& h : held_out) out_examples[h.locale].insert(h.example);

  auto started = std::chrono::steady_clock::now();
  // Models trained without the held-out questions (a cheaper budget than the real training:
  // the tuning compares settings, it does not need the last decimal).
  model::TrainingOptions training;
  training.threads = in_.threads;
  std::size_t all_examples = 0;
  for (const auto& ex : examples) all_examples += ex.size();
  std::set<std::string> fold_ids;
  for (std::size_t l = 0; l < examples.size(); ++l) {
    const auto& ex = examples[l];
    const std::vector<bool> sampled = sampled_classes(ex);
    model::TrainingSet set;
    std::vector<long> remap(ex.set.classes.size(), -1);
    for (std::size_t c = 0; c < ex.set.classes.size(); ++c)
      if (sampled[c]) {
        remap[c] = static_cast<long>(set.classes.size());
        set.classes.push_back(ex.set.classes[c]);
        fold_ids.insert(ex.set.classes[c]);
      }
    for (std::size_t i = 0; i < ex.set.examples.size(); ++i) {
      const long c = remap[ex.set.labels[i]];
      // Learned questions never decide the settings: removing them must restore the index.
      if (c < 0 || out_examples[l].count(i) || ex.kinds[i] == model::ExampleKind::kLearned) continue;
      set.examples.push_back(ex.set.examples[i]);
      set.labels.push_back(static_cast<std::uint32_t>(c));
    }
    // A budget floor of a million example visits, shared by the locales as their examples are.
    training.work_floor = 1'000'000 * ex.size() / std::max<std::size_t>(1, all_examples);
    auto m = model::train_lexical_model(set, training);
    fold.models.push_back(m.ok() ? std::make_shared<const model::LexicalModel>(std::move(m).value()) : nullptr);
  }

  training_seconds_ += seconds_since(started);
  started = std::chrono::steady_clock::now();
  // The articles, without the held-out questions. Each is analysed once for all folds (the
  // costly part), the fold's questions taken out, then weighed each way tried. The spelling
  // vocabulary of each locale, as the real index would have it (the held-out questions' words
  // included, as a customer's words often are).
  std::map<std::string, std::vector<std::string>> removed;  // article id -> question texts
  for (const auto& h : held_out)
    removed[examples[h.locale].set.classes[h.cls]].push_back(examples[h.locale].texts[h.example]);
  std::map<std::string, vocabulary::Vocabulary> vocabularies;
  for (const auto& a : *in_.articles) {
    if (a.status != ArticleStatus::kPublished || !fold_ids.count(a.id)) continue;
    auto cached = analysed_.find(a.id);
    if (cached == analysed_.end()) cached = analysed_.emplace(a.id, builder_.analyse(a)).first;
    AnalysedArticle analysed = cached->second;
    Article copy = a;
    if (auto r = removed.find(a.id); r != removed.end()) {
      const std::set<std::string> out(r->second.begin(), r->second.end());
      copy.questions.erase(std::remove_if(copy.questions.begin(), copy.questions.end(),
                                          [&](const std::string& q) { return out.count(q) > 0; }),
                           copy.questions.end());
      builder_.remove_questions(analysed, a.locale, r->second);
    }
    vocabularies[a.locale].add_document(analysed.words);
    fold.articles.push_back(std::move(copy));
    fold.analysed.push_back(std::move(analysed));
  }
  for (const auto& ex : examples) {
    auto v = vocabularies.find(ex.locale);
    auto domain = in_.vocabulary->spelling.find(ex.locale);
    const std::vector<std::string> no_words;
    const auto& words = domain == in_.vocabulary->spelling.end() ? no_words : domain->second;
    fold.spellers.push_back(v == vocabularies.end() && words.empty()
                                ? nullptr
                                : std::make_unique<vocabulary::Speller>(
                                      v == vocabularies.end() ? vocabulary::Vocabulary() : std::move(v->second), words));
  }
  indexing_seconds_ += seconds_since(started);
  return fold;
}

FoldIndex Tuner::index_fold(const FoldSetup& fold, const schema::FieldWeights& fields) {
  const auto started = std::chrono::steady_clock::now();
  FoldIndex index{Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY), {}, {}, {}};
  for (std::size_t i = 0; i < fold.articles.size(); ++i) {
    const Xapian::docid id =
        index.db.add_document(DocumentBuilder::document(fold.articles[i], fold.analysed[i], fields, true));
    index.article_of[id] = i;
    index.docid_of[fold.articles[i].id] = id;
  }
  for (const auto& m : fold.models) index.views.push_back(m ? std::make_unique<search::ModelView>(m, index.db) : nullptr);
  indexing_seconds_ += seconds_since(started);
  return index;
}

Tuner::Ranking Tuner::rank(const FoldSetup& fold, const FoldIndex& index, const RankingSettings& weighting,
                           std::size_t locale, const std::string& text, const Xapian::Query& filter) {
  const Xapian::Database& db = index.db;
  search::LocaleContext ctx;
  ctx.locale = (*in_.examples)[locale].locale;
  ctx.analyzer = analyzers_[locale].get();
  ctx.synonyms = synonyms_[locale];
  const vocabulary::Speller* speller = fold.spellers[locale].get();
  ctx.speller = [speller] { return speller; };
  ctx.dictionary = [this, locale] { return dictionary(locale); };
  search::QueryBuilder qb({ctx}, db);
  Ranking r;
  search::Retrieval retrieval = search::retrieve(qb, db, text, filter, weighting, kDepth, true, true);
  r.prepared = std::move(retrieval.prepared);
  r.pass = std::move(retrieval.pass);
  r.corrected = retrieval.auto_corrected;
  const std::string& searched = retrieval.auto_corrected ? retrieval.corrected_query : text;
  search::QueryModelScores scores;
  if (const search::ModelView* view = index.views[locale].get(); view && !r.prepared.browse) {
    const std::string key = std::to_string(locale) + '\x1f' + searched;
    auto cached = score_cache_.find(key);
    if (cached == score_cache_.end()) {
      std::vector<float> class_scores;
      view->model().score(extractors_[locale]->extract(searched), class_scores);
      cached = score_cache_.emplace(key, std::move(class_scores)).first;
    }
    scores.assign(view, cached->second);
  }
  r.fused = search::fuse(db, r.pass, r.prepared.query, filter, weighting, &scores, nullptr);
  return r;
}

search::TrainingExample Tuner::answer_example(const FoldSetup& fold, const FoldIndex& index, const RankingSettings& chosen,
                                              std::size_t locale, const std::string& text, const Xapian::Query& filter,
                                              const std::string& gold_id, bool in_scope) {
  Ranking r = rank(fold, index, chosen, locale, text, filter);
  search::order_candidates(r.fused.candidates, chosen.model_weight);
  search::TrainingExample e;
  e.in_scope = in_scope;
  if (r.fused.candidates.empty() || r.prepared.browse) return e;  // no answer: always escalated
  const search::Candidate& top = r.fused.candidates.front();
  const Article& article = fold.articles[index.article_of.at(top.docid)];
  const std::set<std::string> matched = search::matching_stems(index.db, top.docid, r.fused.matched);
  std::set<std::string> title_stems;
  std::vector<analysis::Token> tokens;
  std::vector<std::string> stems;
  analysis::Analyzer& an = *analyzers_[locale];
  an.tokenize(article.title, tokens);
  for (const auto& t : tokens) {
    stems.clear();
    an.stems(t, stems);
    title_stems.insert(stems.begin(), stems.end());
  }
  search::AnswerEvidence evidence;
  evidence.words = &r.prepared.words;
  evidence.candidates = &r.fused.candidates;
  evidence.index = 0;
  evidence.matched_stems = &matched;
  evidence.title_stems = &title_stems;
  evidence.max_possible = r.pass.max_possible;
  evidence.synonym = !r.prepared.synonyms.empty();
  evidence.corrected = r.corrected;
  e.features = search::answer_features(evidence, nullptr, nullptr);
  e.top_is_right = in_scope && article.id == gold_id;
  return e;
}

TuningResult Tuner::run() {
  const auto& examples = *in_.examples;
  TuningResult result;

  // Questions that can be held out: those of articles with two or more (one is left to learn
  // from), each in a fold by the hash of its text.
  std::vector<std::vector<HeldOut>> by_fold(kFolds);
  std::size_t articles_tuned = 0;
  for (std::size_t l = 0; l < examples.size(); ++l) {
    const auto& ex = examples[l];
    const std::vector<bool> sampled = sampled_classes(ex);
    std::vector<std::size_t> questions(ex.set.classes.size(), 0);
    for (std::size_t i = 0; i < ex.kinds.size(); ++i)
      if (ex.kinds[i] == model::ExampleKind::kQuestion) ++questions[ex.set.labels[i]];
    for (std::size_t c = 0; c < sampled.size(); ++c) articles_tuned += sampled[c];
    for (std::size_t i = 0; i < ex.kinds.size(); ++i) {
      const std::uint32_t c = ex.set.labels[i];
      if (ex.kinds[i] != model::ExampleKind::kQuestion || !sampled[c] || questions[c] < 2) continue;
      const std::uint64_t h = text::fnv1a64(ex.set.classes[c] + "\n" + ex.texts[i]);
      const std::uint64_t typo = text::fnv1a64("typo:" + ex.texts[i]);
      by_fold[h % kFolds].push_back({l, c, i, h, typo % kTypoEvery == 0 ? with_typo(ex.texts[i], typo) : ex.texts[i]});
    }
  }
  // As many folds as it takes to reach kTuningQuestions; within the last, the questions whose
  // hash comes first.
  std::vector<std::vector<HeldOut>> folds;
  std::size_t held_out = 0;
  for (auto& f : by_fold) {
    if (held_out >= kTuningQuestions || f.empty()) continue;
    std::sort(f.begin(), f.end(), [](const HeldOut& a, const HeldOut& b) { return a.hash < b.hash; });
    if (f.size() > kTuningQuestions - held_out) f.resize(kTuningQuestions - held_out);
    held_out += f.size();
    folds.push_back(std::move(f));
  }
  std::size_t available = 0;
  for (const auto& f : by_fold) available += f.size();
  if (held_out < kMinTuningQuestions) {
    result.settings.chosen_by = "defaults (Xapian alone): only " + std::to_string(held_out) +
                                " questions could be held out to choose settings from, " +
                                std::to_string(kMinTuningQuestions) +
                                " are needed: give articles two or more `questions`";
    return result;
  }

  const std::size_t settings_count = presets_.size() * weightings_.size() * alphas_.size();
  scores_ = {std::vector<double>(settings_count, 0.0), std::vector<double>(settings_count, 0.0)};
  Scores& scores = scores_;
  std::vector<FoldSetup> setups;
  // Per fold, the index of the field weights leading so far: the answer model is fitted on the
  // chosen one, which is rebuilt only if another took the lead later.
  std::vector<std::pair<std::size_t, std::optional<FoldIndex>>> leading(folds.size());
  for (std::size_t f = 0; f < folds.size(); ++f) {
    if (in_.on_phase)
      in_.on_phase("choosing ranking settings: fold " + std::to_string(f + 1) + " of " + std::to_string(folds.size()) +
                   ", " + std::to_string(folds[f].size()) + " held-out questions");
    setups.push_back(build_fold(folds[f]));
    const FoldSetup& fold = setups.back();
    score_cache_.clear();
    for (std::size_t p = 0; p < presets_.size(); ++p) {
      std::optional<FoldIndex> index = index_fold(fold, presets_[p]);
      const auto ranking_started = std::chrono::steady_clock::now();
      for (const auto& h : folds[f]) {
        const auto& ex = examples[h.locale];
        const std::string& gold = ex.set.classes[h.cls];
        const Xapian::Query locale_filter = filter_for(ex.locale);
        const Xapian::docid gold_doc = index->docid_of.count(gold) ? index->docid_of.at(gold) : 0;
        for (std::size_t w = 0; w < weightings_.size(); ++w) {
          Ranking r = rank(fold, *index, weightings_[w], h.locale, h.query, locale_filter);
          for (std::size_t a = 0; a < alphas_.size(); ++a) {
            search::order_candidates(r.fused.candidates, alphas_[a]);
            for (std::size_t k = 0; k < r.fused.candidates.size() && k < 10; ++k)
              if (r.fused.candidates[k].docid == gold_doc) {
                scores.hits[setting(p, w, a)] += k == 0 ? 1 : 0;
                scores.rr[setting(p, w, a)] += 1.0 / static_cast<double>(k + 1);
                break;
              }
          }
        }
      }
      ranking_seconds_ += seconds_since(ranking_started);
      // Settings of the presets evaluated so far (0..p): is p's the best?
      if (best_setting(settings_count, p + 1) / (weightings_.size() * alphas_.size()) == p)
        leading[f] = {p, std::move(index)};
    }
  }

  const std::size_t best = best_setting(settings_count);
  const std::size_t bp = best / (weightings_.size() * alphas_.size());
  const std::size_t bw = (best / alphas_.size()) % weightings_.size();
  const std::size_t ba = best % alphas_.size();
  RankingSettings chosen = weightings_[bw];
  chosen.fields = presets_[bp];
  chosen.model_weight = alphas_[ba];
  const double n = static_cast<double>(held_out);
  auto best_at = [&](auto keep) {
    double top = 0;
    for (std::size_t s = 0; s < settings_count; ++s)
      if (keep(s)) top = std::max(top, scores.hits[s]);
    return top / n;
  };
  const RankingSettings defaults;
  std::size_t default_alpha = 0;
  for (std::size_t a = 0; a < alphas_.size(); ++a)
    if (std::fabs(alphas_[a] - defaults.model_weight) < 1e-9) default_alpha = a;

  // The answer model: held-out questions (right when the first result is theirs), the shipped
  // out-of-scope questions, and held-out questions whose article is filtered away (there, the
  // right outcome is to escalate).
  if (in_.on_phase) in_.on_phase("fitting the answer model on held-out and out-of-scope questions");
  const auto fitting_started = std::chrono::steady_clock::now();
  std::vector<search::TrainingExample> answer_data;
  std::size_t positives = 0, out_of_scope = 0, removed = 0;
  for (std::size_t f = 0; f < folds.size(); ++f) {
    if (!leading[f].second || leading[f].first != bp) leading[f] = {bp, index_fold(setups[f], presets_[bp])};
    const FoldIndex& index = *leading[f].second;
    score_cache_.clear();
    for (std::size_t i = 0; i < folds[f].size(); ++i) {
      const HeldOut& h = folds[f][i];
      const auto& ex = examples[h.locale];
      const std::string& gold = ex.set.classes[h.cls];
      const Xapian::Query filter = filter_for(ex.locale);
      answer_data.push_back(answer_example(setups[f], index, chosen, h.locale, h.query, filter, gold, true));
      ++positives;
      if (i % 2 == 0) {
        const Xapian::Query without(Xapian::Query::OP_AND_NOT, filter, Xapian::Query(std::string(schema::kId) + gold));
        answer_data.push_back(answer_example(setups[f], index, chosen, h.locale, h.query, without, gold, false));
        ++removed;
      }
    }
    if (f == 0)
      for (std::size_t l = 0; l < examples.size(); ++l) {
        const std::string& locale = examples[l].locale;
        const std::string_view questions =
            out_of_scope_questions(text::ascii_lower(locale.substr(0, locale.find('-'))));
        std::size_t used = 0;
        for (const auto& q : text::split(questions, '\n')) {
          if (text::trim(q).empty() || used == kOutOfScopePerLocale) continue;
          answer_data.push_back(answer_example(setups[f], index, chosen, l, q, filter_for(locale), "", false));
          ++out_of_scope;
          ++used;
        }
      }
    setups[f] = FoldSetup();  // done with it: its models, articles and index are large
    leading[f].second.reset();
  }
  // Held-out questions are all answerable, so the negatives are many more than real traffic
  // has: weighed so that they count as kOutOfScopeShare of what the model sees, the threshold
  // is the one that suits traffic with that share of questions no article answers.
  if (const std::size_t negatives = out_of_scope + removed; negatives > 0 && positives > 0) {
    const double weight = kOutOfScopeShare / (1 - kOutOfScopeShare) * static_cast<double>(positives) /
                          static_cast<double>(negatives);
    for (auto& e : answer_data)
      if (!e.in_scope) e.weight = weight;
  }
  AnswerModel fitted = search::fit_model(
      answer_data, "held-out questions when indexing: " + std::to_string(positives) + " questions, " +
                       std::to_string(out_of_scope) + " out-of-scope, " + std::to_string(removed) +
                       " with their article removed");
  const double answer_accuracy = search::answer_accuracy(fitted, answer_data);
  // Answers the lexical model does not score (its layer switched off, a locale without a
  // model) keep the shipped weights: fitted on held-out questions by Xapian alone, they measured
  // worse on both development sets (answer accuracy 0.63 and 0.73 against 0.82 and 0.79), as a
  // held-out question matches its fold's articles less well than a customer's question the
  // whole index; the model's own features make up for that, Xapian's do not.
  fitted.weights_without_model = AnswerModel::defaults().weights;
  fitted.threshold_without_model = AnswerModel::defaults().threshold;
  fitting_seconds_ = seconds_since(fitting_started);
  result.answer_model = fitted;

  // Recall@1 by model weight (best field weights and weighting at each): how much the model
  // helps on this knowledge base's questions.
  nlohmann::json by_model_weight = nlohmann::json::object();
  for (std::size_t a = 0; a < alphas_.size(); ++a) {
    char key[16];
    std::snprintf(key, sizeof key, "%.1f", alphas_[a]);
    by_model_weight[key] = best_at([&](std::size_t s) { return s % alphas_.size() == a; });
  }
  nlohmann::json report = {
      {"held_out", held_out},
      {"available", available},
      {"folds", folds.size()},
      {"articles", articles_tuned},
      {"chosen", {{"fields", chosen.fields_key()}, {"weighting", chosen.weighting_name()},
                  {"model_weight", chosen.model_weight}, {"recall@1", scores.hits[best] / n}, {"mrr", scores.rr[best] / n}}},
      {"defaults", {{"recall@1", scores.hits[setting(0, 0, default_alpha)] / n}}},
      {"xapian_only", {{"recall@1", best_at([&](std::size_t s) { return s % alphas_.size() == 0; })}}},
      {"model_only", {{"recall@1", best_at([&](std::size_t s) { return s % alphas_.size() == alphas_.size() - 1; })}}},
      {"recall@1_by_model_weight", by_model_weight},
      {"seconds", {{"training", training_seconds_}, {"indexing", indexing_seconds_}, {"ranking", ranking_seconds_},
                   {"answer_model", fitting_seconds_}}},
      {"answer_model",
       {{"questions", positives}, {"out_of_scope", out_of_scope}, {"article_removed", removed},
        {"threshold", fitted.threshold}, {"accuracy", answer_accuracy}}}};
  chosen.tuning_json = report.dump();
  chosen.chosen_by = "held-out questions: " + std::to_string(held_out) + " in " + std::to_string(folds.size()) +
                     (folds.size() == 1 ? " fold" : " folds") + ", recall@1 " + percent(scores.hits[best] / n) +
                     " (defaults " + percent(scores.hits[setting(0, 0, default_alpha)] / n) + ")";
  result.settings = chosen;
  return result;
}

}  // namespace

TuningResult tune_ranking(const TuningInput& input) {
  Tuner tuner(input);
  return tuner.run();
}

}  // namespace helpmark
