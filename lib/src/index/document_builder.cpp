#include "index/document_builder.hpp"

#include <utility>

namespace helpmark {

analysis::Analyzer& DocumentBuilder::analyzer(const std::string& locale) {
  auto& slot = analyzers_[locale];
  if (!slot) slot = std::make_unique<analysis::Analyzer>(locale, stemming_);
  return *slot;
}

void DocumentBuilder::index_text(Xapian::Document& doc, analysis::Analyzer& analyzer,
                                 std::string_view text, Xapian::termcount weight, bool own_language) {
  tokens_.clear();
  analyzer.tokenize(text, tokens_);
  const std::string prefix(schema::kStem);
  for (const auto& token : tokens_) {
    if (token.stopword) continue;
    if (own_language) words_.insert(token.folded);
    stems_.clear();
    analyzer.stems(token, stems_);
    for (const auto& stem : stems_) doc.add_term(prefix + stem, weight);
  }
}

Xapian::Document DocumentBuilder::build(const Article& a, bool searchable_only) {
  Xapian::Document doc;
  words_.clear();
  analysis::Analyzer& an = analyzer(a.locale);

  index_text(doc, an, a.title, weights_.title);
  for (const auto& q : a.questions) index_text(doc, an, q, weights_.questions);
  index_text(doc, an, a.summary, weights_.summary);
  for (const auto& tag : a.tags) index_text(doc, an, tag, weights_.tags);
  for (const auto& s : a.sections) {
    if (s.level > 0) index_text(doc, an, s.heading, weights_.headings);
    index_text(doc, an, s.text, weights_.body);
  }
  // The journey and sub-topic labels make "payments" or "pagos" find the journey's articles
  // even when the words are not in the text: in the article's language, and in each other
  // language of the knowledge base (analysed as that language), so that a query in a locale
  // the article has no translation in still finds it through the fallback ("Verkaufsgebühren"
  // finds the English selling-fees article).
  // (Other languages' words stay out of the article's spelling vocabulary.)
  for (const auto& locale : taxonomy_.locales()) {
    const bool own = locale == a.locale;
    analysis::Analyzer& label_analyzer = own ? an : analyzer(locale);
    index_text(doc, label_analyzer, taxonomy_.label(a.journey, locale), weights_.body, own);
    if (!a.subtopic.empty()) index_text(doc, label_analyzer, taxonomy_.label(a.subtopic, locale), weights_.body, own);
  }

  auto boolean = [&](std::string_view prefix, const std::string& value) {
    if (!value.empty()) doc.add_boolean_term(std::string(prefix) + value);
  };
  boolean(schema::kId, a.id);
  boolean(schema::kJourney, a.journey);
  boolean(schema::kSubtopic, a.subtopic);
  for (const auto& v : a.audience) boolean(schema::kAudience, v);
  boolean(schema::kLocale, a.locale);
  for (const auto& v : a.tags) boolean(schema::kTag, v);
  boolean(schema::kStatus, article_status_name(a.status));
  const std::string& group = a.translation_of.empty() ? a.id : a.translation_of;
  boolean(schema::kGroup, group);

  doc.add_value(schema::kSlotFacets, schema::encode_facets(a));
  doc.add_value(schema::kSlotPath, a.path);
  doc.add_value(schema::kSlotGroup, group);
  std::string phrases = a.title;
  for (const auto& q : a.questions) phrases += "\n" + q;
  doc.add_value(schema::kSlotPhrases, phrases);
  if (searchable_only) return doc;
  std::string data = schema::encode_document_data(a);
  doc.add_value(schema::kSlotArticle, schema::encode_stored_article(a, schema::split_document_data(data).snippet));
  doc.set_data(std::move(data));
  return doc;
}

}  // namespace helpmark
