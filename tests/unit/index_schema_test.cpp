// The stored form of an article: document data small enough for every search hit, the whole
// article in its own compressed value slot; an index of another schema version is refused.
#include <doctest/doctest.h>

#include <xapian.h>

#include <string>

#include "helpmark/article.hpp"
#include "helpmark/index.hpp"
#include "helpmark/taxonomy.hpp"
#include "index/schema.hpp"
#include "test_util.hpp"
#include "util/text.hpp"

using namespace helpmark;

namespace {

Article long_article() {
  auto taxonomy = Taxonomy::load(hmtest::kSourceDir / "taxonomy");
  REQUIRE(taxonomy.ok());
  std::string body = "Refunds reach the card you paid with.\n\n## Steps\n\n";
  // Over kSnippetSourceBytes, with two-byte characters so a cut could split one.
  for (int i = 0; i < 400; ++i) body += "1. Ouvrez la page « Remboursé » numéro " + std::to_string(i) + " et vérifiez.\n";
  body += "\n## Troubleshooting\n\nThe last words: zebra quartz.\n";
  std::vector<Diagnostic> diagnostics;
  auto a = parse_article(hmtest::md("id: long\ntitle: Long refunds\njourney: payments\n", body), "en/payments/long.md",
                         taxonomy.value(), diagnostics);
  REQUIRE(a.has_value());
  return *a;
}

std::string snippet_of(const Article& a) {
  return std::string(schema::split_document_data(schema::encode_document_data(a)).snippet);
}

}  // namespace

TEST_SUITE("index/schema") {
  TEST_CASE("document data holds the hit and at most kSnippetSourceBytes of valid UTF-8 snippet text") {
    const Article a = long_article();
    REQUIRE(schema::snippet_source(a).size() > schema::kSnippetSourceBytes);
    const std::string data = schema::encode_document_data(a);
    const auto parts = schema::split_document_data(data);
    CHECK(schema::decode_hit(parts.hit).id == "long");
    CHECK(parts.snippet.size() <= schema::kSnippetSourceBytes);
    CHECK(parts.snippet.size() > schema::kSnippetSourceBytes - 4);
    CHECK(text::find_invalid_utf8(parts.snippet) == std::string::npos);
    CHECK(parts.snippet.find("zebra") == std::string_view::npos);  // beyond the cut
  }

  TEST_CASE("the stored article comes back whole, beyond the snippet's cut too") {
    const Article a = long_article();
    Xapian::Document doc;
    doc.set_data(schema::encode_document_data(a));
    doc.add_value(schema::kSlotArticle, schema::encode_stored_article(a, snippet_of(a)));
    // Compressed against the snippet text: much smaller than the JSON.
    CHECK(doc.get_value(schema::kSlotArticle).size() * 4 < schema::encode_article(a).size());
    const Article back = schema::stored_article(doc);
    CHECK(back.id == a.id);
    CHECK(back.title == a.title);
    REQUIRE(back.sections.size() == a.sections.size());
    for (std::size_t i = 0; i < a.sections.size(); ++i) {
      CHECK(back.sections[i].text == a.sections[i].text);
      CHECK(back.sections[i].markdown == a.sections[i].markdown);
    }
    CHECK(back.sections.back().text.find("zebra quartz") != std::string::npos);
  }

  TEST_CASE("a missing or damaged stored article is an error that says to rebuild") {
    const Article a = long_article();
    Xapian::Document missing;
    missing.set_data(schema::encode_document_data(a));
    CHECK_THROWS_WITH_AS(schema::stored_article(missing), doctest::Contains("rebuild"), std::runtime_error);

    Xapian::Document damaged;
    damaged.set_data(schema::encode_document_data(a));
    std::string stored = schema::encode_stored_article(a, snippet_of(a));
    stored[stored.size() / 2] = static_cast<char>(stored[stored.size() / 2] ^ 0x5A);
    damaged.add_value(schema::kSlotArticle, stored);
    CHECK_THROWS_WITH_AS(schema::stored_article(damaged), doctest::Contains("rebuild"), std::runtime_error);

    // The right bytes with the wrong snippet text (the dictionary) do not pass either.
    Xapian::Document mismatched;
    mismatched.set_data(schema::encode_hit(a) + std::string(1, '\0') + "other text");
    mismatched.add_value(schema::kSlotArticle, schema::encode_stored_article(a, snippet_of(a)));
    CHECK_THROWS_AS(schema::stored_article(mismatched), std::runtime_error);
  }

  TEST_CASE("an index of an older schema is refused with a re-index hint, and indexing rebuilds it") {
    // Schema 6 stopped indexing Thai stop words: an index written before has their terms, and
    // would match them until it is rebuilt.
    hmtest::Kb kb("default_locale: th\nlocales: [th]\njourneys:\n  - id: payments\n    labels: {th: การชำระเงิน}\n");
    kb.add("th/refund.md", hmtest::md("id: refund-th\ntitle: คืนเงินเข้าบัตรที่ใช้ชำระ\njourney: payments\nlocale: th\n",
                                      "เงินคืนจะกลับไปยังช่องทางที่คุณใช้ชำระเงิน\n"));
    kb.build_ok();
    const std::string stop_word = std::string(schema::kStem) + "ที่";
    const std::string older = std::to_string(std::stoi(schema::kVersion) - 1);
    {
      Xapian::WritableDatabase db(kb.index_dir().string(), Xapian::DB_OPEN);
      CHECK(db.term_exists(std::string(schema::kStem) + "บัตร"));
      CHECK_FALSE(db.term_exists(stop_word));
      // As the older schema wrote it: the stop word indexed, its version in the metadata.
      const std::string stamp = db.get_metadata(schema::kMetaStamp);
      const std::string older_stamp = older + stamp.substr(stamp.find(':'));
      const Xapian::docid id = *db.postlist_begin(std::string(schema::kId) + "refund-th");
      Xapian::Document doc = db.get_document(id);
      doc.add_term(stop_word);
      std::string hash = doc.get_value(schema::kSlotHash);  // "<content hash>:<stamp>"
      REQUIRE(hash.ends_with(":" + stamp));
      doc.add_value(schema::kSlotHash, hash.substr(0, hash.size() - stamp.size()) + older_stamp);
      db.replace_document(id, doc);
      db.set_metadata(schema::kMetaSchema, older);
      db.set_metadata(schema::kMetaStamp, older_stamp);
      db.commit();
    }
    auto refused = Index::open(kb.index_dir());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().code() == ErrorCode::kCorrupt);
    CHECK(hmtest::contains(refused.status().message(), "schema " + older));
    CHECK(hmtest::contains(refused.status().message(), "re-run `helpmark index`"));

    CHECK(kb.build_ok().updated == 1);
    CHECK(Index::open(kb.index_dir()).ok());
    CHECK_FALSE(Xapian::Database(kb.index_dir().string()).term_exists(stop_word));
  }
}
