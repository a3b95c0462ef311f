// Turning a parsed article into a Xapian document: weighted stem terms, filter terms, values
// and the stored article.
#pragma once

#include <xapian.h>

#include <map>
#include <set>
#include <memory>
#include <string>

#include "analysis/analyzer.hpp"
#include "helpmark/article.hpp"
#include "helpmark/taxonomy.hpp"
#include "index/schema.hpp"

namespace helpmark {

/// Thread-compatible: holds one Analyzer per locale; use one builder per thread.
class DocumentBuilder {
 public:
  DocumentBuilder(const Taxonomy& taxonomy, bool stemming, schema::FieldWeights weights = {})
      : taxonomy_(taxonomy), stemming_(stemming), weights_(weights) {}

  /// `searchable_only`: terms and the values search reads, without the stored article and hit
  /// data (for throw-away indexes, such as tuning's).
  Xapian::Document build(const Article& article, bool searchable_only = false);
  /// The folded words (stop words excluded) of the article last built: its contribution to
  /// the locale's spelling vocabulary.
  const std::set<std::string>& words() const { return words_; }
  analysis::Analyzer& analyzer(const std::string& locale);

 private:
  /// `own_language`: the text is in the article's language (its words join the vocabulary).
  void index_text(Xapian::Document& doc, analysis::Analyzer& analyzer, std::string_view text,
                  Xapian::termcount weight, bool own_language = true);

  const Taxonomy& taxonomy_;
  bool stemming_;
  schema::FieldWeights weights_;
  std::set<std::string> words_;
  std::map<std::string, std::unique_ptr<analysis::Analyzer>> analyzers_;
  std::vector<analysis::Token> tokens_;  // reused buffers
  std::vector<std::string> stems_;
};

}  // namespace helpmark
