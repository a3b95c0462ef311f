// Privacy: personal data is replaced by placeholders before anything is stored.
#include <doctest/doctest.h>

#include "tracking_util.hpp"

namespace fs = std::filesystem;

using helpmark::ErrorCode;
using helpmark::tracking::ScrubPattern;
using helpmark::tracking::Scrubber;

namespace {

std::string scrub(std::string_view text) {
  static const Scrubber scrubber;
  return scrubber.scrub(text);
}

Scrubber with_orders() {
  auto s = Scrubber::create({{"order", R"(ORD-\d{4,})"}, {"ticket", R"((?i)\bTCK-[0-9A-Z]{6}\b)"}});
  REQUIRE_MESSAGE(s.ok(), s.status().message());
  return std::move(s).value();
}

}  // namespace

TEST_SUITE("tracking/scrub") {
  TEST_CASE("email addresses in several languages") {
    CHECK(scrub("refund not received, write to john.smith+shop@gmail.com please") ==
          "refund not received, write to <email> please");
    CHECK(scrub("Rückerstattung fehlt, meine Adresse ist k.mueller@web.de.") ==
          "Rückerstattung fehlt, meine Adresse ist <email>.");
    CHECK(scrub("mi correo es maria_lopez@correo.es y no llega el reembolso") ==
          "mi correo es <email> y no llega el reembolso");
    CHECK(scrub("返金がまだです。メールはtaro.yamada@example.co.jpです") == "返金がまだです。メールは<email>です");
    CHECK(scrub("ＭＡＩＬ：ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ") == "MAIL:<email>");  // full-width input
    // Not addresses: a lone @, a handle, a missing top-level domain.
    CHECK(scrub("contact @support on twitter") == "contact @support on twitter");
    CHECK(scrub("user@localhost") == "user@localhost");
  }

  TEST_CASE("phone numbers in national and international formats") {
    CHECK(scrub("call me +49 30 1234567") == "call me <phone>");
    CHECK(scrub("rappelez-moi au 06 12 34 56 78 svp") == "rappelez-moi au <phone> svp");
    CHECK(scrub("my number is (555) 123-4567.") == "my number is <phone>.");
    CHECK(scrub("meu whatsapp +55 11 91234-5678 obrigado") == "meu whatsapp <phone> obrigado");
    CHECK(scrub("電話番号は090-1234-5678です") == "電話番号は<phone>です");
    CHECK(scrub("電話：０９０－１２３４－５６７８") == "電話:<phone>");
    CHECK(scrub("Tel. 0151/23456789, Rückruf bitte") == "Tel. <phone>, Rückruf bitte");
    CHECK(scrub("whatsapp: 5215512345678") == "whatsapp: <phone>");
  }

  TEST_CASE("numbers that are not phone numbers stay") {
    CHECK(scrub("refund after 30 days") == "refund after 30 days");
    CHECK(scrub("ordered on 2026-11-01, arrived 03.11.2026 or 11/05/2026") ==
          "ordered on 2026-11-01, arrived 03.11.2026 or 11/05/2026");
    CHECK(scrub("charged 1.234.567 COP twice") == "charged 1.234.567 COP twice");
    CHECK(scrub("paid 1,299.99 and 12 500") == "paid 1,299.99 and 12 500");
    CHECK(scrub("error code E1234567 at checkout") == "error code E1234567 at checkout");
    CHECK(scrub("version 10.2.3 of the app") == "version 10.2.3 of the app");
    CHECK(scrub("return window 3-10 business days") == "return window 3-10 business days");
  }

  TEST_CASE("card numbers: only those passing the Luhn check") {
    CHECK(scrub("my card 4111 1111 1111 1111 was charged twice") == "my card <card> was charged twice");
    CHECK(scrub("tarjeta 5555-5555-5555-4444 rechazada") == "tarjeta <card> rechazada");
    CHECK(scrub("Amex 378282246310005 abgelehnt") == "Amex <card> abgelehnt");
    CHECK(scrub("カード4012888888881881が使えない") == "カード<card>が使えない");
    // One digit off: fails Luhn; 16 digits is also too long for a phone number, so it stays.
    CHECK(scrub("my card 4111 1111 1111 1112 was charged twice") == "my card 4111 1111 1111 1112 was charged twice");
    CHECK(scrub("tracking 1234567812345678") == "tracking 1234567812345678");
  }

  TEST_CASE("IBANs: only those passing the mod-97 check") {
    CHECK(scrub("Erstattung auf DE89 3704 0044 0532 0130 00 bitte") == "Erstattung auf <iban> bitte");
    CHECK(scrub("remboursement sur FR1420041010050500013M02606") == "remboursement sur <iban>");
    CHECK(scrub("refund to GB82 WEST 1234 5698 7654 32.") == "refund to <iban>.");
    CHECK(scrub("reembolso a es91 2100 0418 4502 0005 1332 por favor") == "reembolso a <iban> por favor");
    CHECK(scrub("NL91ABNA0417164300") == "<iban>");
    // Check digits wrong: not an IBAN, left alone (and too long to be a phone).
    CHECK(scrub("Erstattung auf DE89 3704 0044 0532 0130 01 bitte") ==
          "Erstattung auf DE89 3704 0044 0532 0130 01 bitte");
    CHECK(scrub("model AB12 is broken") == "model AB12 is broken");
  }

  TEST_CASE("IP addresses") {
    CHECK(scrub("login blocked from 192.168.10.254 today") == "login blocked from <ip> today");
    CHECK(scrub("version 1.2.3.400") == "version 1.2.3.400");
  }

  TEST_CASE("configured patterns: order ids and ticket numbers") {
    Scrubber s = with_orders();
    CHECK(s.scrub("where is ORD-20391 and ORD-88812") == "where is <order> and <order>");
    CHECK(s.scrub("pedido ORD-55512 no llegó, ticket tck-a1b2c3") == "pedido <order> no llegó, ticket <ticket>");
    CHECK(s.scrub("注文ORD-12345が届かない") == "注文<order>が届かない");
    // Built-in detectors still apply with patterns configured, and patterns run first.
    CHECK(s.scrub("ORD-12345678 to ana@example.com") == "<order> to <email>");
    // Without the pattern, a number after a code prefix or an order word is a reference, not a
    // phone number (issue 14: order ids must survive); a card number there is still a card.
    CHECK(scrub("ORD-12345678") == "ORD-12345678");
    CHECK(scrub("order 12345678 and invoice 2023-000451") == "order 12345678 and invoice 2023-000451");
    CHECK(scrub("order 4111 1111 1111 1111") == "order <card>");
    CHECK(scrub("call 12345678") == "call <phone>");
  }

  TEST_CASE("bad patterns are refused with the reason") {
    auto bad_regex = Scrubber::create({{"order", "ORD-(\\d+"}});
    REQUIRE_FALSE(bad_regex.ok());
    CHECK(bad_regex.status().code() == ErrorCode::kInvalidArgument);
    CHECK(hmtest::contains(bad_regex.status().message(), "invalid regex"));
    auto empty_match = Scrubber::create({{"x", "\\d*"}});
    REQUIRE_FALSE(empty_match.ok());
    CHECK(hmtest::contains(empty_match.status().message(), "matches empty text"));
    auto bad_name = Scrubber::create({{"Order Id", "ORD"}});
    REQUIRE_FALSE(bad_name.ok());
    CHECK(hmtest::contains(bad_name.status().message(), "must be 1-32 lower-case letters"));
  }

  TEST_CASE("pattern files: loaded, and their errors located") {
    auto ok = helpmark::tracking::load_scrub_patterns(hmtest::kTrackingData / "privacy.yaml");
    REQUIRE_MESSAGE(ok.ok(), ok.status().message());
    REQUIRE(ok->size() == 2);
    CHECK(ok->at(0).name == "order");
    CHECK(ok->at(0).regex == R"(ORD-\d{4,})");

    hmtest::TempDir dir;
    hmtest::write_file(dir / "bad.yaml", "patterns:\n  - name: order\n    regex: 'ORD-('\n");
    auto bad = helpmark::tracking::load_scrub_patterns(dir / "bad.yaml");
    REQUIRE_FALSE(bad.ok());
    CHECK(hmtest::contains(bad.status().message(), "bad.yaml:2: "));
    CHECK(hmtest::contains(bad.status().message(), "invalid regex"));
    hmtest::write_file(dir / "shape.yaml", "patterns: ORD\n");
    auto shape = helpmark::tracking::load_scrub_patterns(dir / "shape.yaml");
    REQUIRE_FALSE(shape.ok());
    CHECK(hmtest::contains(shape.status().message(), "'patterns' must be a list"));
    CHECK_FALSE(helpmark::tracking::load_scrub_patterns(dir / "missing.yaml").ok());
  }

  TEST_CASE("a store never holds the raw personal data, not even in its files") {
    hmtest::TempDir dir;
    helpmark::tracking::StoreOptions options;
    options.scrub_patterns = {{"order", R"(ORD-\d{4,})"}};
    {
      auto store = hmtest::open_store(dir / "events.sqlite", options);
      auto batch = store.record_batch(
          {hmtest::event(R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s1","query":"refund ORD-77123 for lena.schmidt@example.de +49 171 2345678"})"),
           hmtest::event(R"({"type":"feedback","ts":"2026-11-01T10:01:00Z","session":"s1","article":"a","helpful":false,"reason":"IBAN DE89370400440532013000 card 4111111111111111"})"),
           hmtest::event(R"({"type":"bot_answer","ts":"2026-11-01T10:02:00Z","session":"s1","question":"ORD-77123 where? 090-1234-5678","escalated":true})")});
      REQUIRE(batch.ok());
      CHECK(batch->stored == 3);
      auto lines = hmtest::export_lines(store);
      REQUIRE(lines.size() == 3);
      CHECK(hmtest::contains(lines[0], R"("query":"refund <order> for <email> <phone>")"));
      CHECK(hmtest::contains(lines[1], R"("reason":"IBAN <iban> card <card>")"));
      CHECK(hmtest::contains(lines[2], R"("question":"<order> where? <phone>")"));
    }
    std::string bytes;
    for (const auto& entry : fs::directory_iterator(dir.path())) bytes += hmtest::read_file(entry.path());
    for (const char* secret : {"lena.schmidt", "example.de", "2345678", "77123", "DE89370400440532013000",
                               "4111111111111111", "1234-5678"}) {
      INFO(secret);
      CHECK_FALSE(hmtest::contains(bytes, secret));
    }
  }
}
