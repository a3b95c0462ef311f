// Spelling correction: the Speller and Vocabulary units, and "did you mean" / auto-correction in
// search, including what must never be corrected and how the vocabulary follows the articles.
#include <doctest/doctest.h>

#include <memory>
#include <random>

#include "multilingual_util.hpp"
#include "vocabulary/spelling.hpp"

using namespace helpmark;
using helpmark::vocabulary::edit_distance;
using helpmark::vocabulary::Speller;
using helpmark::vocabulary::Vocabulary;
using hmtest::corrected;
using hmtest::MlKb;
using hmtest::rank_of;
using Strings = std::vector<std::string>;

namespace {

Vocabulary make_vocabulary(std::initializer_list<std::pair<const char*, int>> words) {
  Vocabulary v;
  for (const auto& [w, n] : words)
    for (int i = 0; i < n; ++i) v.add_document({w});
  return v;
}

}  // namespace

TEST_SUITE("multilingual/spelling-units") {
  TEST_CASE(
      "multilingual: edit_distance: insertions, deletions, substitutions, transpositions, by code "
      "point") {
    CHECK(edit_distance("refund", "refund", 2) == 0);
    CHECK(edit_distance("refnd", "refund", 2) == 1);    // deletion
    CHECK(edit_distance("refuund", "refund", 2) == 1);  // insertion
    CHECK(edit_distance("refind", "refund", 2) == 1);   // substitution
    CHECK(edit_distance("refnud", "refund", 2) == 1);   // transposition counts once
    CHECK(edit_distance("rfeund", "refund", 2) == 1);
    CHECK(edit_distance("rfenud", "refund", 2) == 2);
    CHECK(edit_distance("", "abc", 5) == 3);
    CHECK(edit_distance("abc", "", 5) == 3);
    // Early exit: anything beyond the limit is limit + 1.
    CHECK(edit_distance("refund", "payout", 2) == 3);
    CHECK(edit_distance("a", "abcdef", 2) == 3);
    // UTF-8 is compared by code point: one accented letter is one edit, not two bytes.
    CHECK(edit_distance("devolución", "devolucion", 2) == 1);
    CHECK(edit_distance("ガード", "カード", 2) == 1);
    CHECK(edit_distance("reembolso", "reembolso", 0) == 0);
  }

  TEST_CASE("multilingual: Vocabulary counts documents, removes them, and round-trips") {
    Vocabulary v;
    v.add_document({"refund", "card"});
    v.add_document({"refund", "escrow"});
    CHECK(v.size() == 3);
    CHECK(v.counts().at("refund") == 2);
    CHECK(v.serialize() == "card\t1\nescrow\t1\nrefund\t2\n");
    Vocabulary copy = Vocabulary::deserialize(v.serialize());
    CHECK(copy.counts() == v.counts());

    v.remove_document({"refund", "escrow"});
    CHECK(v.size() == 2);
    CHECK(v.counts().at("refund") == 1);
    CHECK(v.counts().count("escrow") == 0);  // gone at zero
    v.remove_document({"never-added"});      // ignored
    CHECK(v.size() == 2);

    // Bad lines are skipped; an empty string is an empty vocabulary.
    CHECK(Vocabulary::deserialize("").size() == 0);
    Vocabulary partial = Vocabulary::deserialize("refund\t3\nno tab here\ncard\t1");
    CHECK(partial.size() == 2);
    CHECK(partial.counts().at("refund") == 3);
    CHECK(partial.counts().at("card") == 1);
  }

  TEST_CASE(
      "multilingual: Speller::correct picks the nearest, then most frequent, dictionary word") {
    Speller sp(make_vocabulary({{"refund", 10},
                           {"refind", 1},
                           {"payout", 5},
                           {"escrow", 3},
                           {"card", 8},
                           {"cart", 1},
                           {"tracking", 4},
                           {"the", 50}}),
               {});
    CHECK(sp.correct("refnud") == "refund");
    CHECK(sp.correct("refvnd") == "refund");  // "refind" is as near but rarer
    CHECK(sp.correct("payuot") == "payout");
    CHECK(sp.correct("escorw") == "escrow");
    CHECK(sp.correct("trackign") == "tracking");
    CHECK(sp.correct("trakcing") == "tracking");
    CHECK(sp.correct("refnd") == "refund");
    CHECK_FALSE(sp.correct("qwzxvbn").has_value());
  }

  TEST_CASE(
      "multilingual: Speller::correct never touches known words, digits, short words or unspaced "
      "scripts") {
    Speller sp(
        make_vocabulary(
            {{"refund", 10}, {"card", 8}, {"order", 6}, {"ord", 1}, {"カード", 3}, {"เงิน", 3}}),
        {});
    CHECK_FALSE(sp.correct("refund").has_value());    // known
    CHECK_FALSE(sp.correct("ord12345").has_value());  // an order id
    CHECK_FALSE(sp.correct("12345").has_value());
    CHECK_FALSE(sp.correct("0rder").has_value());  // a digit inside
    CHECK_FALSE(sp.correct("ca").has_value());     // 1-2 letters
    CHECK_FALSE(sp.correct("c").has_value());
    CHECK_FALSE(sp.correct("ガード").has_value());  // Japanese: different word, not a typo
    CHECK_FALSE(sp.correct("เงอน").has_value());    // Thai
    // 4-letter words: only distance 1.
    CHECK(sp.correct("crad") == "card");
    CHECK_FALSE(sp.correct("cxrx").has_value());
  }

  TEST_CASE("multilingual: Speller::correct: distance 2 in words over 4 letters") {
    Speller sp(make_vocabulary({{"refund", 10}, {"tracking", 4}}), {});
    CHECK(sp.correct("refuuund") == "refund");  // two insertions
    CHECK(sp.correct("rfnd") == std::nullopt);  // 4 letters: distance 1 only, refund is 2 away
    CHECK(sp.correct("rfund") == "refund");
    CHECK(sp.correct("trackinng") == "tracking");
    CHECK(sp.correct("tracknig") == "tracking");  // a transposition
  }

  TEST_CASE(
      "multilingual: Speller::correct: two missing letters, substitutions or transpositions are "
      "distance 2 too") {
    Speller sp(make_vocabulary({{"refund", 10}, {"tracking", 4}}), {});
    CHECK(sp.correct("trckng") == "tracking");
    CHECK(sp.correct("trzckimg") == "tracking");
    CHECK(sp.correct("rfenud") == "refund");
  }

  TEST_CASE("multilingual: Speller: two edits that also change the first letter are another word") {
    Speller sp(make_vocabulary({{"one", 50}, {"refund", 10}}), {});
    CHECK_FALSE(sp.correct("phone").has_value());  // not "one"
    CHECK(sp.correct("efund") == "refund");         // one edit may touch the first letter
  }

  TEST_CASE("multilingual: Speller: 3-letter words only at distance 1 towards a frequent word") {
    Speller sp(make_vocabulary({{"fee", 40}, {"bag", 1}, {"escrow", 40}}), {});
    CHECK(sp.correct("fwe") == "fee");           // 1 edit, frequent
    CHECK_FALSE(sp.correct("bsg").has_value());  // 1 edit, but "bag" is rare (1 * 20 < 40)
    CHECK_FALSE(sp.correct("fxx").has_value());  // 2 edits
  }

  TEST_CASE("multilingual: Speller: corrections by scanning the words equal those from the delete-key table") {
    // A dense random dictionary (short words from a few letters, some accented) so that many
    // words have neighbours at distance 1 and 2, and typos of them.
    std::mt19937 rng(20261124);
    const std::vector<std::string> letters = {"a", "b", "c", "d", "e", "\xC3\xA9", "i", "n", "o", "r", "s", "t"};
    auto random_word = [&](std::size_t min, std::size_t max) {
      std::string w;
      const std::size_t n = min + rng() % (max - min + 1);
      for (std::size_t i = 0; i < n; ++i) w += letters[rng() % letters.size()];
      return w;
    };
    Vocabulary v;
    std::vector<std::string> words;
    for (int i = 0; i < 3000; ++i) {
      words.push_back(random_word(3, 9));
      for (int k = 1 + static_cast<int>(rng() % 5); k > 0; --k) v.add_document({words.back()});
    }
    std::vector<std::string> typos;
    for (int i = 0; i < 1500; ++i) {
      std::string w = words[rng() % words.size()];  // edited by code point: accents stay whole
      std::vector<std::string> chars;
      for (std::size_t at = 0; at < w.size();) {
        const std::size_t len = (static_cast<unsigned char>(w[at]) & 0x80) ? 2 : 1;
        chars.push_back(w.substr(at, len));
        at += len;
      }
      for (int edits = 1 + static_cast<int>(rng() % 2); edits > 0 && !chars.empty(); --edits) {
        const std::size_t at = rng() % chars.size();
        switch (rng() % 4) {
          case 0: chars.erase(chars.begin() + static_cast<long>(at)); break;
          case 1: chars.insert(chars.begin() + static_cast<long>(at), letters[rng() % letters.size()]); break;
          case 2: chars[at] = letters[rng() % letters.size()]; break;
          default: if (at + 1 < chars.size()) std::swap(chars[at], chars[at + 1]);
        }
      }
      std::string typo;
      for (const auto& c : chars) typo += c;
      typos.push_back(typo);
    }

    Speller with_keys(v, {});
    for (std::uint32_t i = 0; i <= Speller::kScansBeforeKeys; ++i) (void)with_keys.correct("zzzzzz");
    REQUIRE(with_keys.has_delete_keys());
    std::size_t corrected = 0;
    std::unique_ptr<Speller> scanning;
    for (std::size_t i = 0; i < typos.size(); ++i) {
      if (!scanning || scanning->has_delete_keys() || i % Speller::kScansBeforeKeys == 0)
        scanning = std::make_unique<Speller>(v, std::vector<std::string>{});
      const auto by_scan = scanning->correct(typos[i]);
      REQUIRE_FALSE(scanning->has_delete_keys());
      INFO("typo: " << typos[i]);
      CHECK(by_scan == with_keys.correct(typos[i]));
      corrected += by_scan.has_value();
    }
    CHECK(corrected > 500);  // the comparison covered many real corrections
  }

  TEST_CASE("multilingual: Speller: domain words are known and are correction targets") {
    Speller sp(make_vocabulary({{"refund", 8}}), {"lumenpay", "escrow"});
    CHECK(sp.known("lumenpay"));
    CHECK(sp.known("escrow"));
    CHECK(sp.frequency("escrow") >= 2);  // counted as a common word (max / 4)
    CHECK(sp.correct("lumenpya") == "lumenpay");
    CHECK(sp.correct("escrwo") == "escrow");
    CHECK_FALSE(sp.correct("lumenpay").has_value());
    CHECK(sp.size() == 3);
  }

  TEST_CASE("multilingual: Speller::complete: prefixes by frequency, then one typo in the prefix") {
    Speller sp(
        make_vocabulary({{"refund", 10}, {"refunds", 3}, {"request", 5}, {"return", 7}, {"reset", 1}}),
        {});
    CHECK(sp.complete("ref", 5) == Strings{"refund", "refunds"});
    CHECK(sp.complete("re", 3) == Strings{"refund", "return", "request"});
    CHECK(sp.complete("re", 10).size() == 5);
    CHECK(sp.complete("zz", 5).empty());
    // "reqeu" is one transposition from "reque": typo-tolerant for 4+ letters.
    CHECK(sp.complete("reqeu", 5) == Strings{"request"});
    CHECK(sp.complete("refu", 5).front() == "refund");  // exact prefixes first
    // 3 letters: no typo tolerance.
    CHECK(sp.complete("rqe", 5).empty());
    CHECK(sp.complete("ref", 1) == Strings{"refund"});
  }
}

TEST_SUITE("multilingual/spelling") {
  TEST_CASE(
      "multilingual: did you mean: corrected_query, and auto-correction when the typed query finds "
      "nothing") {
    MlKb kb;
    SearchResponse r = kb.search("paymnet declined", "en");
    CHECK(r.corrected_query == "payment declined");
    CHECK(r.auto_corrected);
    REQUIRE(r.corrections.size() == 1);
    CHECK(r.corrections[0].from == "paymnet");
    CHECK(r.corrections[0].to == "payment");
    REQUIRE_FALSE(r.hits.empty());
    CHECK(r.hits.front().id == "card-declined");

    SearchResponse balance = kb.search("balanse", "en");
    CHECK(balance.corrected_query == "balance");
    CHECK(balance.auto_corrected);
    CHECK(hmtest::ids(balance) == Strings{"gift-cards"});
  }

  TEST_CASE("multilingual: a known word is not corrected, even next to a typo") {
    MlKb kb;
    SearchResponse r = kb.search("voucher", "en");
    CHECK(r.corrections.empty());
    CHECK(r.corrected_query.empty());
    CHECK_FALSE(r.auto_corrected);
    SearchResponse mixed = kb.search("gift vouchr", "en");
    REQUIRE(mixed.corrections.size() == 1);
    CHECK(mixed.corrections[0].from == "vouchr");
    CHECK(mixed.corrected_query == "gift voucher");
  }

  TEST_CASE(
      "multilingual: numbers, order ids, e-mail addresses and 1-2 letter words are never "
      "corrected") {
    MlKb kb;
    for (const char* q : {"12345", "ORD12345", "where is ORD12345", "xz", "ab refund"}) {
      CAPTURE(q);
      SearchResponse r = kb.search(q, "en");
      CHECK(r.corrections.empty());
      CHECK(r.corrected_query.empty());
    }
    // The control: "exmaple" alone is corrected to "example" (create-account says it)...
    SearchResponse alone = kb.search("contact exmaple", "en");
    CHECK(corrected(alone.corrections, "exmaple", "example"));
    // ...but not inside an e-mail address.
    SearchResponse email = kb.search("contact exmaple@lumen.com", "en");
    CHECK_FALSE(corrected(email.corrections, "exmaple"));
    CHECK(email.corrected_query.empty());
  }

  TEST_CASE(
      "multilingual: domain words from taxonomy/spelling: a valid target, never corrected "
      "themselves") {
    MlKb kb;
    SearchResponse typo = kb.search("escrwo", "en");
    CHECK(typo.corrected_query == "escrow");
    CHECK(corrected(typo.corrections, "escrwo", "escrow"));
    SearchResponse brand = kb.search("lumenpya", "en");
    CHECK(brand.corrected_query == "lumenpay");
    SearchResponse exact = kb.search("lumenpay escrow", "en");
    CHECK(exact.corrections.empty());
    CHECK(exact.corrected_query.empty());
    // No article has either word, so nothing is found, corrected or not.
    CHECK(exact.total == 0);
  }

  TEST_CASE("multilingual: the spelling layer switched off: no correction, no hits for a typo") {
    MlKb kb;
    SearchLayers off;
    off.spelling = false;
    SearchResponse r = kb.search("refnud", "en", off);
    CHECK(r.corrections.empty());
    CHECK(r.corrected_query.empty());
    CHECK_FALSE(r.auto_corrected);
    CHECK(r.total == 0);
    SearchResponse on = kb.search("refnud", "en");
    CHECK(rank_of(on, "refund-request") >= 1);
  }

  TEST_CASE("multilingual: a typo in a Spanish query is corrected from the Spanish vocabulary") {
    MlKb kb;
    SearchResponse r = kb.search("contrasela", "es");
    CHECK(corrected(r.corrections, "contrasela", "contrasena"));
    CHECK(r.auto_corrected);
    CHECK(hmtest::ids(r) == Strings{"change-password-es"});
  }

  TEST_CASE("multilingual: incremental indexing keeps the vocabulary right") {
    MlKb kb(/*copy=*/true);
    // "balance" is only in gift-cards.
    CHECK(kb.search("balanse", "en").corrected_query == "balance");

    // A new article brings its words...
    hmtest::write_file(kb.articles_dir() / "en/orders/warehouse.md",
                       "---\nid: warehouse\ntitle: Where our warehouse is\njourney: orders\n---\n\n"
                       "Parcels leave the warehouse every morning.\n");
    auto added = kb.build();
    REQUIRE(added.ok());
    CHECK(added->added == 1);
    CHECK(added->unchanged == hmtest::kMlArticleCount);
    kb.reopen();
    SearchResponse warehouse = kb.search("warehuose", "en");
    CHECK(warehouse.corrected_query == "warehouse");
    CHECK(hmtest::ids(warehouse) == Strings{"warehouse"});

    // ...and deleting one takes its unique words away.
    hmtest::fs::remove(kb.articles_dir() / "en/billing/gift-cards.md");
    auto removed = kb.build();
    REQUIRE(removed.ok());
    CHECK(removed->removed == 1);
    kb.reopen();
    SearchResponse gone = kb.search("balanse", "en");
    CHECK_FALSE(corrected(gone.corrections, "balanse", "balance"));
    CHECK(kb.search("balance", "en").total == 0);
    // Words of the other articles stay.
    CHECK(kb.search("vouchr", "en").corrected_query == "voucher");

    // Editing an article replaces its words.
    hmtest::write_file(kb.articles_dir() / "en/orders/warehouse.md",
                       "---\nid: warehouse\ntitle: Where our depot is\njourney: orders\n---\n\n"
                       "Parcels leave the depot every morning.\n");
    auto edited = kb.build();
    REQUIRE(edited.ok());
    CHECK(edited->updated == 1);
    kb.reopen();
    CHECK_FALSE(corrected(kb.search("warehuose", "en").corrections, "warehuose", "warehouse"));
    CHECK(kb.search("depto", "en").corrected_query == "depot");
  }
}
