// The on-disk schema of a helpmark index: term prefixes, value slots, field weights and the
// encoding of stored articles. One place, so the writer and the readers cannot disagree.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

#include "helpmark/article.hpp"
#include "helpmark/index.hpp"

namespace helpmark::schema {

/// Bumped when the index format changes; an index of another version is rebuilt in full.
inline constexpr const char* kVersion = "6";

// Metadata keys.
inline constexpr const char* kMetaSchema = "helpmark.schema";
inline constexpr const char* kMetaStamp = "helpmark.stamp";
inline constexpr const char* kMetaDefaultLocale = "helpmark.default_locale";
inline constexpr const char* kMetaBuiltAt = "helpmark.built_at";
inline constexpr const char* kMetaTaxonomy = "helpmark.taxonomy";  ///< journeys.yaml as indexed
inline constexpr const char* kMetaStemming = "helpmark.stemming";          ///< "1" or "0"
inline constexpr const char* kMetaAnswerModel = "helpmark.answer_model";   ///< JSON
inline constexpr std::string_view kMetaSynonymsPrefix = "helpmark.synonyms.";      ///< + locale
inline constexpr std::string_view kMetaVocabularyPrefix = "helpmark.vocabulary.";  ///< + locale
inline constexpr std::string_view kMetaSpellingPrefix = "helpmark.spelling.";      ///< + locale
inline constexpr const char* kMetaRanking = "helpmark.ranking";  ///< RankingSettings, JSON
/// + locale: the locale's lexical model (model::LexicalModel::serialize()).
inline constexpr std::string_view kMetaModelPrefix = "helpmark.model.";
/// + locale: the fingerprint of the examples its model was trained on (hex).
inline constexpr std::string_view kMetaModelInputPrefix = "helpmark.model_input.";

// Term prefixes. Free-text terms are stems behind "Z"; boolean filter terms use ':' so a value
// can start with an upper-case letter ("XL:pt-BR").
inline constexpr std::string_view kStem = "Z";
inline constexpr std::string_view kId = "Q:";
inline constexpr std::string_view kJourney = "XJ:";
inline constexpr std::string_view kSubtopic = "XS:";
inline constexpr std::string_view kAudience = "XA:";
inline constexpr std::string_view kLocale = "XL:";
inline constexpr std::string_view kTag = "XT:";
inline constexpr std::string_view kStatus = "XST:";
inline constexpr std::string_view kGroup = "XG:";

/// The boolean-term prefix of a facet/filter field name ("journey"), or "" if unknown.
std::string_view prefix_of_field(std::string_view field);

// Value slots.
enum Slot : Xapian::valueno {
  kSlotFacets = 0,  ///< Every facet value of the document, see encode_facets().
  kSlotHash = 1,    ///< Content hash + schema stamp, for incremental indexing.
  kSlotPath = 2,    ///< Relative path of the source file.
  kSlotGroup = 3,   ///< Translation group: translation_of, else the id.
  kSlotPhrases = 4, ///< Title and questions, one a line: what autocomplete offers.
  kSlotArticle = 5, ///< The whole article, see encode_stored_article().

};

/// Within-document frequency given to each occurrence of a word, per field: the usual Xapian
/// way of weighting fields (BM25 saturates wdf, so it behaves like a field boost).
struct FieldWeights {
  Xapian::termcount title = 6;
  Xapian::termcount questions = 4;
  Xapian::termcount summary = 3;
  Xapian::termcount tags = 3;
  Xapian::termcount headings = 2;
  Xapian::termcount body = 1;
};

/// "journey\x1fpayments\x1eaudience\x1fbuyer\x1e..." — one record per facet value.
std::string encode_facets(const Article& article);

/// The few fields a search result shows, without the body (JSON).
std::string encode_hit(const Article& article);
Hit decode_hit(std::string_view data);
/// The text snippets come from: every section but the related-articles list.
std::string snippet_source(const Article& article);

/// The stored form of an article (JSON): everything `show` or an answer needs.
std::string encode_article(const Article& article);
Article decode_article(std::string_view json);

/// Snippets are cut from at most this many bytes of an article's start (the stored snippet
/// text is no longer).
inline constexpr std::size_t kSnippetSourceBytes = 8192;

/// A document's data: the hit fields and the snippet text (its first kSnippetSourceBytes),
/// NUL-separated: all a search result reads, kept small because Xapian decompresses a
/// document's data whole for every hit.
std::string encode_document_data(const Article& article);
struct DocumentData {
  std::string_view hit;      ///< encode_hit()
  std::string_view snippet;  ///< snippet_source(), cut
};
DocumentData split_document_data(std::string_view data);

/// The whole article for `show`, answers and re-indexing, in its own value slot
/// (kSlotArticle) so that search results do not decompress it: encode_article()'s JSON,
/// deflated (zlib), after its length as 4 bytes, little-endian. The deflate dictionary is the
/// document data's snippet text, which the article repeats: stored apart, compressed as if
/// together.
std::string encode_stored_article(const Article& article, std::string_view snippet_text);
/// Throws std::runtime_error when the slot is missing or corrupt (rebuild the index).
Article stored_article(const Xapian::Document& doc);

}  // namespace helpmark::schema
