// Turning a parsed article into a Xapian document: weighted stem terms, filter terms, values
// and the stored article.
#pragma once

#include <xapian.h>

#include <array>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/analyzer.hpp"
#include "helpmark/article.hpp"
#include "helpmark/taxonomy.hpp"
#include "index/schema.hpp"

namespace helpmark {

/// An article's stem terms by field, before field weights: analysing is the costly part, so
/// tuning analyses once and weighs each way it tries.
struct AnalysedArticle {
  enum Field { kTitle, kQuestions, kSummary, kTags, kHeadings, kBody, kFieldCount };
  std::array<std::unordered_map<std::string, Xapian::termcount>, kFieldCount> terms;  ///< term -> occurrences
  std::set<std::string> words;  ///< Folded words in the article's language (spelling vocabulary).
};

/// Thread-compatible: holds one Analyzer per locale; use one builder per thread.
class DocumentBuilder {
 public:
  DocumentBuilder(const Taxonomy& taxonomy, bool stemming, schema::FieldWeights weights = {})
      : taxonomy_(taxonomy), stemming_(stemming), weights_(weights) {}

  /// The document of `article` with the builder's field weights.
  Xapian::Document build(const Article& article);
  /// The folded words (stop words excluded) of the article last built: its contribution to
  /// the locale's spelling vocabulary.
  const std::set<std::string>& words() const { return last_.words; }

  AnalysedArticle analyse(const Article& article);
  /// Takes `questions` of an article of `locale` out of `analysed` (their words stay in the
  /// spelling vocabulary): cheaper than analysing the article again without them.
  void remove_questions(AnalysedArticle& analysed, const std::string& locale, const std::vector<std::string>& questions);
  /// `searchable_only`: terms and the values search reads, without the stored article and hit
  /// data (for throw-away indexes, such as tuning's).
  static Xapian::Document document(const Article& article, const AnalysedArticle& analysed,
                                   const schema::FieldWeights& weights, bool searchable_only);

  analysis::Analyzer& analyzer(const std::string& locale);

 private:
  void analyse_text(AnalysedArticle& out, AnalysedArticle::Field field, analysis::Analyzer& analyzer,
                    std::string_view text, bool own_language);

  const Taxonomy& taxonomy_;
  bool stemming_;
  schema::FieldWeights weights_;
  AnalysedArticle last_;
  std::map<std::string, std::unique_ptr<analysis::Analyzer>> analyzers_;
  std::vector<analysis::Token> tokens_;  // reused buffers
  std::vector<std::string> stems_;
};

}  // namespace helpmark
