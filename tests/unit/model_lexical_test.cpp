// The learned lexical model (issue 15): its features (model/features), its stored form and
// scoring (model/lexical_model), and its training with liblinear (model/training).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "model/features.hpp"
#include "model/lexical_model.hpp"
#include "model/training.hpp"
#include "unit/test_util.hpp"

using namespace helpmark;
using helpmark::model::FeatureExtractor;
using helpmark::model::LexicalModel;
using helpmark::model::TextFeatures;
using helpmark::model::TrainingOptions;
using helpmark::model::TrainingSet;
using helpmark::model::TrainingStats;

namespace {

// A small English help center's intents, a few questions each.
const std::vector<std::pair<std::string, std::vector<std::string>>>& intents() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kIntents = {
      {"refund-timing",
       {"how long does a refund take", "when will i get my refund", "refund not received yet",
        "my refund is late", "refund timing"}},
      {"card-declined",
       {"my card was declined", "payment rejected at checkout", "why was my card refused", "card declined"}},
      {"print-label",
       {"print a return label", "where is my shipping label", "reprint the label", "label printing"}},
      {"seller-payouts",
       {"when do sellers get paid", "payout schedule", "my payout has not arrived", "seller payouts"}},
      {"password-reset",
       {"reset my password", "forgot my password", "cannot log in to my account", "password reset"}},
      {"delete-account",
       {"close my account", "delete my account permanently", "remove my profile", "account deletion"}},
  };
  return kIntents;
}

TrainingSet help_center_set(analysis::Analyzer& analyzer) {
  FeatureExtractor extractor(analyzer);
  TrainingSet set;
  for (const auto& [id, questions] : intents()) {
    const auto label = static_cast<std::uint32_t>(set.classes.size());
    set.classes.push_back(id);
    for (const auto& q : questions) {
      set.examples.push_back(extractor.extract(q));
      set.labels.push_back(label);
    }
  }
  return set;
}

LexicalModel train_ok(const TrainingSet& set, const TrainingOptions& options = {}, TrainingStats* stats = nullptr) {
  auto m = model::train_lexical_model(set, options, stats);
  REQUIRE_MESSAGE(m.ok(), m.status().message());
  return std::move(m).value();
}

// The class the model scores best for `text`.
std::string best_class(const LexicalModel& m, analysis::Analyzer& analyzer, const std::string& text) {
  FeatureExtractor extractor(analyzer);
  std::vector<float> scores;
  m.score(extractor.extract(text), scores);
  REQUIRE(scores.size() == m.classes().size());
  const auto best = std::max_element(scores.begin(), scores.end()) - scores.begin();
  return m.classes()[static_cast<std::size_t>(best)];
}

// Pseudo-words that no two classes share ("kalo", "kami", ...): a separable set of any size.
std::string pseudo_word(std::size_t n) {
  static const char* kSyllables[] = {"ka", "lo", "mi", "ne", "pu", "ri", "so", "tu", "ba", "de", "fo", "gi"};
  std::string w;
  do {
    w += kSyllables[n % 12];
    n /= 12;
  } while (n > 0);
  return w + "zu";
}

// `classes` classes of `per_class` examples: each example has its class's own word, a word
// shared by every class and a filler word shared by a few.
TrainingSet separable_set(analysis::Analyzer& analyzer, std::size_t classes, std::size_t per_class) {
  FeatureExtractor extractor(analyzer);
  static const char* kFillers[] = {"order", "account", "payment", "parcel", "item", "help", "question"};
  TrainingSet set;
  for (std::size_t c = 0; c < classes; ++c) {
    set.classes.push_back("class-" + std::to_string(c));
    for (std::size_t k = 0; k < per_class; ++k) {
      const std::string text =
          "how do i " + pseudo_word(c) + " my " + kFillers[(c + k) % 7] + " " + kFillers[(c * 3 + k * 5) % 7];
      set.examples.push_back(extractor.extract(text));
      set.labels.push_back(static_cast<std::uint32_t>(c));
    }
  }
  return set;
}

// Scores of several texts, for comparing two models.
std::vector<std::vector<float>> scores_of(const LexicalModel& m, analysis::Analyzer& analyzer,
                                          const std::vector<std::string>& texts) {
  FeatureExtractor extractor(analyzer);
  std::vector<std::vector<float>> out;
  for (const auto& t : texts) {
    std::vector<float> s;
    m.score(extractor.extract(t), s);
    out.push_back(std::move(s));
  }
  return out;
}

const std::vector<std::string> kProbeTexts = {"refund late",        "my card was declined", "print label",
                                              "reset password",     "zzz qqq",              "",
                                              "how do i close my account", "refnud"};

std::uint32_t read_u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int b = 0; b < 4; ++b) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + b])) << (8 * b);
  return v;
}
void write_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int b = 0; b < 4; ++b) s[at + b] = static_cast<char>((v >> (8 * b)) & 0xff);
}

}  // namespace

TEST_SUITE("model/features") {
  TEST_CASE("model/features: words, bigrams and character 2- to 5-grams with word boundaries") {
    analysis::Analyzer en("en");
    FeatureExtractor extractor(en);
    // "refund" is 6 letters: with '<' and '>' 8 code points, so 7 + 6 + 5 + 4 character n-grams.
    const TextFeatures one = extractor.extract("refund");
    CHECK(one.words.size() == 1);
    CHECK(one.chars.size() == 22);
    // Two words: two stems and one pair.
    const TextFeatures two = extractor.extract("refund card");
    CHECK(two.words.size() == 3);
    CHECK(two.chars.size() == 22 + 14);  // "card": 6 code points, 5 + 4 + 3 + 2
    CHECK(std::is_sorted(two.words.begin(), two.words.end()));
    CHECK(std::is_sorted(two.chars.begin(), two.chars.end()));
    // Every feature of "refund" is one of "refund card"'s.
    for (auto h : one.words) CHECK(std::binary_search(two.words.begin(), two.words.end(), h));
    for (auto h : one.chars) CHECK(std::binary_search(two.chars.begin(), two.chars.end(), h));
  }

  TEST_CASE("model/features: stop words count as themselves, inflections share the stem, case and accents fold") {
    analysis::Analyzer en("en");
    FeatureExtractor extractor(en);
    // "how" is a stop word: a feature of its own (it tells intents apart), not dropped.
    CHECK(extractor.extract("how").words.size() == 1);
    // "refunds" and "refund" share their stem; "Refund" is "refund".
    const auto plural = extractor.extract("refunds");
    const auto singular = extractor.extract("refund");
    CHECK(plural.words == singular.words);
    CHECK(plural.chars != singular.chars);
    CHECK(extractor.extract("REFUND").words == singular.words);
    CHECK(extractor.extract("REFUND").chars == singular.chars);
    // The same text gives the same features, call after call (the extractor reuses buffers).
    const auto a = extractor.extract("when will i get my money back");
    extractor.extract("something else entirely");
    const auto b = extractor.extract("when will i get my money back");
    CHECK(a.words == b.words);
    CHECK(a.chars == b.chars);
    CHECK(extractor.extract("").empty());
    CHECK(extractor.extract("?!  ...").empty());
  }

  TEST_CASE("model/features: Japanese text gets features over its ICU words") {
    analysis::Analyzer ja("ja");
    FeatureExtractor extractor(ja);
    const auto f = extractor.extract("返金はいつ届きますか");
    CHECK_FALSE(f.words.empty());
    CHECK_FALSE(f.chars.empty());
  }
}

TEST_SUITE("model/lexical_model") {
  TEST_CASE("model/lexical_model: serialize then deserialize gives the same bytes and the same scores") {
    analysis::Analyzer en("en");
    const LexicalModel m = train_ok(help_center_set(en));
    REQUIRE_FALSE(m.empty());
    CHECK(m.classes().size() == intents().size());
    CHECK(m.weight_count() > 0);
    const std::string bytes = m.serialize();
    CHECK(bytes.substr(0, 4) == "HMLM");
    CHECK(read_u32(bytes, 4) == LexicalModel::kFormatVersion);

    auto back = LexicalModel::deserialize(bytes);
    REQUIRE_MESSAGE(back.ok(), back.status().message());
    CHECK(back->serialize() == bytes);
    CHECK(back->classes() == m.classes());
    CHECK(back->weight_count() == m.weight_count());
    CHECK(back->table().size() == m.table().size());
    const auto before = scores_of(m, en, kProbeTexts);
    const auto after = scores_of(back.value(), en, kProbeTexts);
    REQUIRE(before.size() == after.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
      INFO("text: " << kProbeTexts[i]);
      CHECK(before[i] == after[i]);  // bit for bit
    }
  }

  TEST_CASE("model/lexical_model: every truncation, trailing bytes and an empty input are kCorrupt") {
    analysis::Analyzer en("en");
    // A small model, so that every prefix can be tried.
    TrainingSet set;
    FeatureExtractor extractor(en);
    set.classes = {"a", "b"};
    set.examples = {extractor.extract("refund"), extractor.extract("label")};
    set.labels = {0, 1};
    const std::string bytes = train_ok(set).serialize();
    REQUIRE(bytes.size() > 40);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      auto r = LexicalModel::deserialize(std::string_view(bytes).substr(0, n));
      INFO("prefix of " << n << " bytes of " << bytes.size());
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == ErrorCode::kCorrupt);
    }
    auto trailing = LexicalModel::deserialize(bytes + '\0');
    REQUIRE_FALSE(trailing.ok());
    CHECK(trailing.status().code() == ErrorCode::kCorrupt);
    auto empty = LexicalModel::deserialize("");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.status().code() == ErrorCode::kCorrupt);
    CHECK(hmtest::contains(empty.status().message(), "--retrain"));
    auto text = LexicalModel::deserialize("this is not a model at all");
    REQUIRE_FALSE(text.ok());
    CHECK(text.status().code() == ErrorCode::kCorrupt);

    // The larger model, cut at 200 places.
    const std::string big = train_ok(help_center_set(en)).serialize();
    for (std::size_t k = 0; k < 200; ++k) {
      const std::size_t n = big.size() * k / 200;
      auto r = LexicalModel::deserialize(std::string_view(big).substr(0, n));
      INFO("prefix of " << n << " bytes");
      CHECK(r.status().code() == ErrorCode::kCorrupt);
    }
  }

  TEST_CASE("model/lexical_model: another format version is kCorrupt and says which") {
    analysis::Analyzer en("en");
    std::string bytes = train_ok(help_center_set(en)).serialize();
    write_u32(bytes, 4, LexicalModel::kFormatVersion + 1);
    auto r = LexicalModel::deserialize(bytes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == ErrorCode::kCorrupt);
    CHECK(hmtest::contains(r.status().message(), "format " + std::to_string(LexicalModel::kFormatVersion + 1)));
    write_u32(bytes, 4, 0);
    CHECK(LexicalModel::deserialize(bytes).status().code() == ErrorCode::kCorrupt);
    bytes[0] = 'X';  // another magic
    write_u32(bytes, 4, LexicalModel::kFormatVersion);
    CHECK(LexicalModel::deserialize(bytes).status().code() == ErrorCode::kCorrupt);
  }

  TEST_CASE("model/lexical_model: garbled bytes are kCorrupt or a model that scores safely, never a crash") {
    analysis::Analyzer en("en");
    const std::string bytes = train_ok(help_center_set(en)).serialize();
    FeatureExtractor extractor(en);
    const TextFeatures probe = extractor.extract("refund card declined label password account");
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    auto next = [&] {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state;
    };
    std::size_t corrupt = 0, loaded = 0;
    for (int trial = 0; trial < 400; ++trial) {
      std::string g = bytes;
      const int flips = 1 + static_cast<int>(next() % 4);
      for (int f = 0; f < flips; ++f) {
        const std::size_t at = 4 + next() % (g.size() - 4);  // keep the magic: get past the header
        g[at] = static_cast<char>(next() & 0xff);
      }
      auto r = LexicalModel::deserialize(g);
      if (!r.ok()) {
        CHECK(r.status().code() == ErrorCode::kCorrupt);
        ++corrupt;
        continue;
      }
      ++loaded;
      std::vector<float> scores;
      r->score(probe, scores);
      CHECK(scores.size() == r->classes().size());
    }
    // Counts that no longer add up are caught, and weights may change: both happen.
    CHECK(corrupt > 0);
    CHECK(loaded > 0);
    // Each count (articles, features, weights) set to the largest value, or one more or less
    // than it is: never an allocation of that size, a read past the end, or a model.
    const std::size_t classes_at = 8;
    std::size_t features_at = classes_at + 4;
    for (std::uint32_t c = 0; c < read_u32(bytes, classes_at); ++c) features_at += 4 + read_u32(bytes, features_at) + 4;
    const std::size_t postings_at = features_at + 4 + 16 * std::size_t{read_u32(bytes, features_at)};
    REQUIRE(postings_at + 4 + 8 * std::size_t{read_u32(bytes, postings_at)} == bytes.size());
    for (std::size_t at : {classes_at, features_at, postings_at})
      for (std::uint32_t value : {0xffffffffu, read_u32(bytes, at) + 1, read_u32(bytes, at) - 1}) {
        INFO("count at " << at << " set to " << value);
        std::string g = bytes;
        write_u32(g, at, value);
        CHECK(LexicalModel::deserialize(g).status().code() == ErrorCode::kCorrupt);
      }
    // A weight that is not a number (or infinite) is damage too: it would make every score NaN.
    for (std::uint32_t bits : {0x7fc00000u, 0x7f800000u}) {
      std::string bad_weight = bytes;
      write_u32(bad_weight, bytes.size() - 4, bits);
      CHECK(LexicalModel::deserialize(bad_weight).status().code() == ErrorCode::kCorrupt);
    }
  }

  TEST_CASE("model/lexical_model: the empty model round-trips and scores nothing") {
    const LexicalModel empty;
    CHECK(empty.empty());
    CHECK(empty.weight_count() == 0);
    const std::string bytes = empty.serialize();
    auto back = LexicalModel::deserialize(bytes);
    REQUIRE_MESSAGE(back.ok(), back.status().message());
    CHECK(back->empty());
    CHECK(back->serialize() == bytes);
    analysis::Analyzer en("en");
    FeatureExtractor extractor(en);
    std::vector<float> scores{1.0f, 2.0f};
    empty.score(extractor.extract("refund"), scores);
    CHECK(scores.empty());
    back->score(extractor.extract("refund"), scores);
    CHECK(scores.empty());
  }

  TEST_CASE("model/lexical_model: scores are the intercept plus the weights of the features a text fires") {
    analysis::Analyzer en("en");
    FeatureExtractor extractor(en);
    const std::vector<TextFeatures> examples = {extractor.extract("refund"), extractor.extract("label")};
    model::FeatureTable table = model::FeatureTable::from_examples(examples);
    // "<refund>" and "<label>" share no n-gram: 1 + 22 and 1 + 18 features.
    REQUIRE(table.size() == 42);
    const std::size_t refund_stem = table.find(examples[0].words[0]);
    REQUIRE(refund_stem < table.size());
    CHECK(table.find(0x1234567ULL) == table.size());
    // The vector of "refund": each block L2-normalised.
    std::vector<std::pair<std::uint32_t, float>> x;
    table.vectorize(examples[0], x);
    REQUIRE(x.size() == 23);
    double words_norm = 0, chars_norm = 0, stem_value = 0;
    for (const auto& [f, v] : x) {
      if (f == refund_stem) {
        words_norm += static_cast<double>(v) * v;
        stem_value = v;
      } else {
        chars_norm += static_cast<double>(v) * v;
      }
    }
    CHECK(words_norm == doctest::Approx(1.0));
    CHECK(chars_norm == doctest::Approx(1.0));

    const std::vector<std::vector<std::pair<std::uint32_t, float>>> weights = {
        {{static_cast<std::uint32_t>(refund_stem), 2.0f}}, {}};
    const LexicalModel m({"refund-article", "label-article"}, std::move(table), weights, {0.25f, -0.5f});
    CHECK(m.weight_count() == 1);
    std::vector<float> scores;
    m.score(extractor.extract("zzzq wwwx"), scores);  // nothing it knows: the intercepts
    REQUIRE(scores.size() == 2);
    CHECK(scores[0] == 0.25f);
    CHECK(scores[1] == -0.5f);
    m.score(extractor.extract("refund"), scores);
    CHECK(scores[0] == doctest::Approx(0.25 + 2.0 * stem_value));
    CHECK(scores[1] == -0.5f);
    // The stored form keeps it exactly.
    auto back = LexicalModel::deserialize(m.serialize());
    REQUIRE(back.ok());
    std::vector<float> again;
    back->score(extractor.extract("refund"), again);
    CHECK(again == scores);
  }
}

TEST_SUITE("model/training") {
  TEST_CASE("model/training: fewer than two classes with examples, or a malformed set, is kInvalidArgument") {
    analysis::Analyzer en("en");
    FeatureExtractor extractor(en);
    TrainingSet none;
    auto r = model::train_lexical_model(none, {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == ErrorCode::kInvalidArgument);

    TrainingSet one;  // three articles, but only one has examples
    one.classes = {"a", "b", "c"};
    one.examples = {extractor.extract("refund"), extractor.extract("refund late")};
    one.labels = {0, 0};
    r = model::train_lexical_model(one, {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == ErrorCode::kInvalidArgument);
    CHECK(hmtest::contains(r.status().message(), "two"));

    TrainingSet out_of_range = one;
    out_of_range.labels = {0, 3};
    CHECK(model::train_lexical_model(out_of_range, {}).status().code() == ErrorCode::kInvalidArgument);
    TrainingSet mismatched = one;
    mismatched.labels = {0};
    CHECK(model::train_lexical_model(mismatched, {}).status().code() == ErrorCode::kInvalidArgument);

    TrainingSet two = one;
    two.labels = {0, 1};
    TrainingStats stats;
    const LexicalModel m = train_ok(two, {}, &stats);
    CHECK(m.classes().size() == 3);
    CHECK(stats.classes == 3);
    CHECK(stats.examples == 2);
  }

  TEST_CASE("model/training: an article without examples never wins on the model alone") {
    analysis::Analyzer en("en");
    TrainingSet set = help_center_set(en);
    set.classes.push_back("no-examples");
    const LexicalModel m = train_ok(set);
    std::vector<float> scores;
    FeatureExtractor extractor(en);
    for (const auto& text : kProbeTexts) {
      m.score(extractor.extract(text), scores);
      REQUIRE(scores.size() == set.classes.size());
      CHECK(scores.back() == -1.0f);
    }
  }

  TEST_CASE("model/training: each training question ranks its own article first") {
    analysis::Analyzer en("en");
    const TrainingSet set = help_center_set(en);
    TrainingStats stats;
    const LexicalModel m = train_ok(set, {}, &stats);
    CHECK(stats.classes == intents().size());
    CHECK(stats.examples == set.examples.size());
    CHECK(stats.features == m.table().size());
    CHECK(stats.weights == m.weight_count());
    CHECK(stats.weights > 0);
    CHECK(stats.all_negatives);
    CHECK(stats.negatives_per_class == set.examples.size());
    CHECK(stats.seconds >= 0);
    for (const auto& [id, questions] : intents())
      for (const auto& q : questions) {
        INFO("question: " << q);
        CHECK(best_class(m, en, q) == id);
      }
  }

  TEST_CASE("model/training: a typo and a paraphrase reach the right article through shared n-grams") {
    analysis::Analyzer en("en");
    const LexicalModel m = train_ok(help_center_set(en));
    // No stem in common with anything it learned: only character n-grams carry these.
    CHECK(best_class(m, en, "refnud") == "refund-timing");
    CHECK(best_class(m, en, "pasword") == "password-reset");
    CHECK(best_class(m, en, "labell printng") == "print-label");
    // A paraphrase with other words around the intent's own.
    CHECK(best_class(m, en, "i still have not received the refund") == "refund-timing");
    CHECK(best_class(m, en, "the shop declined my credit card") == "card-declined");
    CHECK(best_class(m, en, "i want to delete my profile") == "delete-account");
  }

  TEST_CASE("model/training: the same set gives the same bytes on 1 and 4 threads") {
    analysis::Analyzer en("en");
    const TrainingSet set = separable_set(en, 24, 5);
    TrainingOptions one;
    one.threads = 1;
    TrainingOptions four;
    four.threads = 4;
    const std::string a = train_ok(set, one).serialize();
    const std::string b = train_ok(set, four).serialize();
    const std::string c = train_ok(set, four).serialize();
    CHECK(a == b);
    CHECK(b == c);
  }

  TEST_CASE("model/training: training leaves the program's rand() sequence alone") {
    analysis::Analyzer en("en");
    const TrainingSet set = help_center_set(en);
    std::srand(42);
    const int a1 = std::rand(), a2 = std::rand(), a3 = std::rand();
    std::srand(42);
    train_ok(set);
    const int b1 = std::rand(), b2 = std::rand(), b3 = std::rand();
    CHECK(a1 == b1);
    CHECK(a2 == b2);
    CHECK(a3 == b3);
    // And the host's rand() state does not change the model either.
    std::srand(1);
    const std::string x = train_ok(set).serialize();
    std::srand(2);
    (void)std::rand();
    const std::string y = train_ok(set).serialize();
    CHECK(x == y);
  }

  TEST_CASE("model/training: against a sample of negatives, still deterministic and still right") {
    analysis::Analyzer en("en");
    // 40 articles × 8 examples: 320 examples, more than the 300 negatives each article is
    // trained against at least, so a tiny budget makes training sample them.
    const TrainingSet set = separable_set(en, 40, 8);
    TrainingOptions restricted;
    restricted.work_floor = 1;
    restricted.negative_budget = 1;
    restricted.threads = 1;
    TrainingStats stats;
    const LexicalModel m = train_ok(set, restricted, &stats);
    CHECK_FALSE(stats.all_negatives);
    CHECK(stats.negatives_per_class < set.examples.size());
    CHECK(stats.negatives_per_class >= 300);
    FeatureExtractor extractor(en);
    std::vector<float> scores;
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < set.examples.size(); ++i) {
      m.score(set.examples[i], scores);
      const auto best = static_cast<std::uint32_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
      wrong += best != set.labels[i];
    }
    CHECK(wrong == 0);
    restricted.threads = 4;
    CHECK(train_ok(set, restricted).serialize() == m.serialize());

    TrainingStats full_stats;
    train_ok(set, {}, &full_stats);
    CHECK(full_stats.all_negatives);
  }

  TEST_CASE("model/training: fewer weights are kept than trained, more when asked") {
    analysis::Analyzer en("en");
    const TrainingSet set = help_center_set(en);
    TrainingOptions all;
    all.kept_weights = 1.0;
    TrainingStats pruned_stats, all_stats;
    const LexicalModel pruned = train_ok(set, {}, &pruned_stats);
    const LexicalModel full = train_ok(set, all, &all_stats);
    CHECK(pruned.weight_count() < full.weight_count());
    CHECK(pruned.serialize().size() < full.serialize().size());
    TrainingOptions none;
    none.kept_weights = 0.0;
    const LexicalModel bare = train_ok(set, none);
    CHECK(bare.weight_count() == 0);
  }
}
