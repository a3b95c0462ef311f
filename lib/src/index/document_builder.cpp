#include "index/document_builder.hpp"

#include <utility>

namespace helpmark {

analysis::Analyzer& DocumentBuilder::analyzer(const std::string& locale) {
  auto& slot = analyzers_[locale];
  if (!slot) slot = std::make_unique<analysis::Analyzer>(locale, stemming_);
  return *slot;
}

void DocumentBuilder::analyse_text(AnalysedArticle& out, AnalysedArticle::Field field, analysis::Analyzer& analyzer,
                                   std::string_view text, bool own_language) {
  tokens_.clear();
  analyzer.tokenize(text, tokens_);
  const std::string prefix(schema::kStem);
  for (const auto& token : tokens_) {
    if (token.stopword) continue;
    if (own_language) out.words.insert(token.folded);
    stems_.clear();
    analyzer.stems(token, stems_);
    for (const auto& stem : stems_) ++out.terms[field][prefix + stem];
  }
}

AnalysedArticle DocumentBuilder::analyse(const Article& a) {
  AnalysedArticle out;
  analysis::Analyzer& an = analyzer(a.locale);
  analyse_text(out, AnalysedArticle::kTitle, an, a.title, true);
  for (const auto& q : a.questions) analyse_text(out, AnalysedArticle::kQuestions, an, q, true);
  analyse_text(out, AnalysedArticle::kSummary, an, a.summary, true);
  for (const auto& tag : a.tags) analyse_text(out, AnalysedArticle::kTags, an, tag, true);
  for (const auto& s : a.sections) {
    if (s.level > 0) analyse_text(out, AnalysedArticle::kHeadings, an, s.heading, true);
    analyse_text(out, AnalysedArticle::kBody, an, s.text, true);
  }
  // The journey and sub-topic labels make "payments" or "pagos" find the journey's articles
  // even when the words are not in the text: in the article's language, and in each other
  // language of the knowledge base (analysed as that language, kept out of the spelling
  // vocabulary), so that a query in a locale the article has no translation in still finds it
  // through the fallback ("Verkaufsgebühren" finds the English selling-fees article).
  for (const auto& locale : taxonomy_.locales()) {
    const bool own = locale == a.locale;
    analysis::Analyzer& label_analyzer = own ? an : analyzer(locale);
    analyse_text(out, AnalysedArticle::kBody, label_analyzer, taxonomy_.label(a.journey, locale), own);
    if (!a.subtopic.empty())
      analyse_text(out, AnalysedArticle::kBody, label_analyzer, taxonomy_.label(a.subtopic, locale), own);
  }
  return out;
}

void DocumentBuilder::remove_questions(AnalysedArticle& analysed, const std::string& locale,
                                       const std::vector<std::string>& questions) {
  AnalysedArticle removed;
  analysis::Analyzer& an = analyzer(locale);
  for (const auto& q : questions) analyse_text(removed, AnalysedArticle::kQuestions, an, q, false);
  auto& terms = analysed.terms[AnalysedArticle::kQuestions];
  for (const auto& [term, count] : removed.terms[AnalysedArticle::kQuestions]) {
    auto it = terms.find(term);
    if (it == terms.end()) continue;
    if (it->second <= count)
      terms.erase(it);
    else
      it->second -= count;
  }
}

Xapian::Document DocumentBuilder::build(const Article& a) {
  last_ = analyse(a);
  return document(a, last_, weights_, false);
}

Xapian::Document DocumentBuilder::document(const Article& a, const AnalysedArticle& analysed,
                                           const schema::FieldWeights& weights, bool searchable_only) {
  Xapian::Document doc;
  // The usual Xapian way of weighting fields: each occurrence adds the field's weight to the
  // term's within-document frequency.
  const Xapian::termcount field_weight[AnalysedArticle::kFieldCount] = {
      weights.title, weights.questions, weights.summary, weights.tags, weights.headings, weights.body};
  for (int f = 0; f < AnalysedArticle::kFieldCount; ++f)
    for (const auto& [term, count] : analysed.terms[static_cast<std::size_t>(f)])
      doc.add_term(term, count * field_weight[f]);

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
