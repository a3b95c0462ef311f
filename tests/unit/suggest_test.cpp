// Autocomplete (Index::suggest): titles and questions of the locale chain, a typo in the last
// word, synonyms of the completed word, word completions, limits.
#include <doctest/doctest.h>

#include "multilingual_util.hpp"

using namespace helpmark;
using hmtest::MlKb;

namespace {

std::vector<Suggestion> suggest(const MlKb& kb, const std::string& prefix,
                                const std::string& locale = "", std::size_t limit = 8) {
  auto r = kb.index().suggest(prefix, locale, limit);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return r.value();
}

const Suggestion* find(const std::vector<Suggestion>& list, const std::string& text) {
  for (const auto& s : list)
    if (s.text == text) return &s;
  return nullptr;
}

// "text [kind]" lines, for failure messages.
std::string joined(const std::vector<Suggestion>& list) {
  std::string out;
  for (const auto& s : list) out += s.text + " [" + s.kind + "]\n";
  return out;
}

}  // namespace

TEST_SUITE("suggest") {
  TEST_CASE("suggest: completes titles, then questions, then words") {
    MlKb kb;
    auto list = suggest(kb, "refu");
    INFO(joined(list));
    REQUIRE(list.size() >= 4);
    CHECK(list[0].text == "How to request a refund");
    CHECK(list[0].kind == "title");
    CHECK(list[0].article_id == "refund-request");
    const Suggestion* question = find(list, "can i get a refund for my order");
    REQUIRE(question != nullptr);
    CHECK(question->kind == "question");
    CHECK(question->article_id == "refund-request");
    const Suggestion* word = find(list, "refund");
    REQUIRE(word != nullptr);
    CHECK(word->kind == "word");
    CHECK(word->article_id.empty());
    // Kinds come in order: titles, questions, words.
    auto order = [](const std::string& kind) {
      return kind == "title" ? 0 : kind == "question" ? 1 : 2;
    };
    for (std::size_t i = 1; i < list.size(); ++i)
      CHECK(order(list[i - 1].kind) <= order(list[i].kind));
  }

  TEST_CASE("suggest: earlier words must be in the phrase, the last one is a prefix") {
    MlKb kb;
    auto list = suggest(kb, "how to req");
    REQUIRE_FALSE(list.empty());
    CHECK(list[0].text == "How to request a refund");
    CHECK(find(list, "how to request") != nullptr);  // the word completion keeps what was typed
    auto none = suggest(kb, "tracking ref");         // no title or question has both
    for (const auto& s : none) CHECK(s.kind == "word");
    CHECK(find(none, "tracking refund") != nullptr);
    // A trailing space means the last word is complete.
    auto complete = suggest(kb, "refund ");
    REQUIRE_FALSE(complete.empty());
    for (const auto& s : complete) CHECK(s.kind != "word");
  }

  TEST_CASE("suggest: a typo in the last word is tolerated") {
    MlKb kb;
    auto list = suggest(kb, "how to reqeu");
    REQUIRE_FALSE(list.empty());
    CHECK(list[0].text == "How to request a refund");
    auto track = suggest(kb, "trakc");
    REQUIRE_FALSE(track.empty());
    CHECK(track[0].text == "Track your order");
  }

  TEST_CASE("suggest: synonyms of the completed word find other titles") {
    MlKb kb;
    // "coupo" completes to "coupon" (gift-cards' body); its synonym voucher is in a title.
    auto list = suggest(kb, "coupo");
    const Suggestion* voucher = find(list, "Use a voucher at checkout");
    REQUIRE(voucher != nullptr);
    CHECK(voucher->article_id == "voucher");
    // One way: chargeback -> dispute.
    auto chargeback = suggest(kb, "chargeb");
    CHECK(find(chargeback, "Ask your bank for a chargeback") != nullptr);
    CHECK(find(chargeback, "Open a dispute with the seller") != nullptr);
    auto dispute = suggest(kb, "disput");
    CHECK(find(dispute, "Open a dispute with the seller") != nullptr);
    CHECK(find(dispute, "Ask your bank for a chargeback") == nullptr);
  }

  TEST_CASE("suggest: the locale chain: own locale first, then the fallbacks") {
    MlKb kb;
    auto es = suggest(kb, "devolu", "es");
    REQUIRE_FALSE(es.empty());
    CHECK(es[0].text == "Cómo solicitar una devolución");
    CHECK(es[0].article_id == "refund-request-es");
    auto es_accent = suggest(kb, "como sol", "es");
    REQUIRE_FALSE(es_accent.empty());
    CHECK(es_accent[0].text == "Cómo solicitar una devolución");
    // English titles through the fallback to the default locale.
    auto es_en = suggest(kb, "how to req", "es");
    CHECK(find(es_en, "How to request a refund") != nullptr);
    // pt-BR falls back to pt.
    auto pt = suggest(kb, "pagamento", "pt-BR");
    const Suggestion* card = find(pt, "Pagamento com cartão recusado");
    REQUIRE(card != nullptr);
    CHECK(card->article_id == "card-declined-pt");
    // Without a locale only the default locale is completed.
    CHECK(suggest(kb, "devolu").empty());
    auto ja = suggest(kb, "返金", "ja");
    REQUIRE_FALSE(ja.empty());
    CHECK(ja[0].text == "返金の申請方法");
  }

  TEST_CASE("suggest: limits: at most `limit`, empty prefix gives nothing, over 50 is an error") {
    MlKb kb;
    CHECK(suggest(kb, "re", "", 8).size() <= 8);
    CHECK(suggest(kb, "re", "", 50).size() > 3);
    auto one = suggest(kb, "refu", "", 1);
    REQUIRE(one.size() == 1);
    CHECK(one[0].text == "How to request a refund");
    CHECK(suggest(kb, "refu", "", 0).empty());
    CHECK(suggest(kb, "").empty());
    CHECK(suggest(kb, "   ").empty());
    auto over = kb.index().suggest("refu", "en", 51);
    REQUIRE_FALSE(over.ok());
    CHECK(over.status().code() == ErrorCode::kInvalidArgument);
    auto too_long =
        kb.index().suggest(std::string(SearchRequest::kMaxQueryBytes + 1, 'r'), "en", 8);
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.status().code() == ErrorCode::kInvalidArgument);
    CHECK(suggest(kb, "zzzzqqq").empty());
  }

  TEST_CASE("drafts are not suggested, a new article is, after reopening") {
    MlKb kb(/*copy=*/true);
    hmtest::write_file(kb.articles_dir() / "en/orders/draft.md",
                       "---\nid: draft\ntitle: Warehouse opening hours\njourney: orders\nstatus: "
                       "draft\n---\n\nSoon.\n");
    hmtest::write_file(
        kb.articles_dir() / "en/orders/live.md",
        "---\nid: live\ntitle: Warehouse holidays\njourney: orders\n---\n\nClosed on holidays.\n");
    REQUIRE(kb.build().ok());
    kb.reopen();
    auto list = suggest(kb, "wareh");
    CHECK(find(list, "Warehouse holidays") != nullptr);
    CHECK(find(list, "Warehouse opening hours") == nullptr);
  }
}
