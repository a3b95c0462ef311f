// Turning a parsed article into a Xapian document: weighted stem terms, filter terms, values
// and the stored article.
#pragma once

#include <xapian.h>

#include <map>
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
  explicit DocumentBuilder(const Taxonomy& taxonomy, schema::FieldWeights weights = {})
      : taxonomy_(taxonomy), weights_(weights) {}

  Xapian::Document build(const Article& article);

 private:
  analysis::Analyzer& analyzer(const std::string& locale);
  void index_text(Xapian::Document& doc, analysis::Analyzer& analyzer, std::string_view text,
                  Xapian::termcount weight);

  const Taxonomy& taxonomy_;
  schema::FieldWeights weights_;
  std::map<std::string, std::unique_ptr<analysis::Analyzer>> analyzers_;
  std::vector<analysis::Token> tokens_;  // reused buffers
  std::vector<std::string> stems_;
};

}  // namespace helpmark
