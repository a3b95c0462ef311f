// Synonyms: taxonomy/synonyms/<locale>.yaml at search time (two-way and one-way, single- and
// multi-word, through stemming and spelling correction, per locale) and its validation.
#include <doctest/doctest.h>

#include "analysis/analyzer.hpp"
#include "vocabulary/vocabulary_files.hpp"
#include "multilingual_util.hpp"
#include "vocabulary/synonyms.hpp"

using namespace helpmark;
using hmtest::find_diagnostic;
using hmtest::id_set;
using hmtest::MlKb;
using hmtest::rank_of;
using hmtest::synonym_expansions;
using Ids = std::set<std::string>;
using Strings = std::vector<std::string>;

namespace {

// Parses an English synonyms file; the taxonomy lists en and es.
vocabulary::SynonymTable parse_en(std::string_view yaml, std::vector<Diagnostic>& diags,
                              const std::string& locale = "en") {
  analysis::Analyzer analyzer(locale);
  return vocabulary::SynonymTable::parse(yaml, "synonyms/" + locale + ".yaml", locale, {"en", "es"},
                                     analyzer, diags);
}

std::size_t errors_in(const std::vector<Diagnostic>& diags) {
  return static_cast<std::size_t>(
      std::count_if(diags.begin(), diags.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::kError; }));
}

// A knowledge base with one English article and the given synonyms file.
constexpr std::string_view kTaxonomy = R"(default_locale: en
locales: [en, es]
journeys:
  - id: payments
)";

}  // namespace

TEST_SUITE("multilingual/synonyms") {
  TEST_CASE(
      "multilingual: two-way multi-word group: 'money back' finds the article that only says "
      "'refund', and back") {
    MlKb kb;
    SearchResponse money_back = kb.search("money back", "en");
    CHECK(id_set(money_back) == Ids{"money-back-guarantee", "refund-request"});
    CHECK(rank_of(money_back, "money-back-guarantee") == 1);  // the literal phrase wins
    REQUIRE(money_back.synonyms.size() == 1);
    CHECK(money_back.synonyms[0].phrase == "money back");
    CHECK(money_back.synonyms[0].expansions == Strings{"refund", "reimbursement"});

    SearchResponse refund = kb.search("refund", "en");
    CHECK(id_set(refund) == Ids{"money-back-guarantee", "refund-request"});
    CHECK(synonym_expansions(refund.synonyms, "refund") == Strings{"money back", "reimbursement"});
  }

  TEST_CASE(
      "multilingual: two-way single-word group: voucher and coupon find each other's articles") {
    MlKb kb;
    // `voucher` never says coupon; `gift-cards` says coupon but never voucher.
    SearchResponse coupon = kb.search("coupon", "en");
    CHECK(id_set(coupon) == Ids{"voucher", "gift-cards"});
    CHECK(synonym_expansions(coupon.synonyms, "coupon") == Strings{"voucher"});
    SearchResponse voucher = kb.search("voucher", "en");
    CHECK(id_set(voucher) == Ids{"voucher", "gift-cards"});
    CHECK(synonym_expansions(voucher.synonyms, "voucher") == Strings{"coupon"});
    // A third member that no article uses still finds both refund articles.
    SearchResponse reimbursement = kb.search("reimbursement", "en");
    CHECK(id_set(reimbursement) == Ids{"money-back-guarantee", "refund-request"});
  }

  TEST_CASE(
      "multilingual: one-way: chargeback also searches dispute, dispute does not search "
      "chargeback") {
    MlKb kb;
    SearchResponse chargeback = kb.search("chargeback", "en");
    CHECK(id_set(chargeback) == Ids{"bank-chargeback", "open-a-dispute"});
    CHECK(synonym_expansions(chargeback.synonyms, "chargeback") == Strings{"dispute"});
    SearchResponse dispute = kb.search("dispute", "en");
    CHECK(hmtest::ids(dispute) == Strings{"open-a-dispute"});
    CHECK(dispute.synonyms.empty());
  }

  TEST_CASE("multilingual: synonyms apply after spelling correction") {
    MlKb kb;
    SearchResponse refnud = kb.search("refnud", "en");
    CHECK(refnud.auto_corrected);
    CHECK(refnud.corrected_query == "refund");
    CHECK(synonym_expansions(refnud.synonyms, "refund") == Strings{"money back", "reimbursement"});
    CHECK(id_set(refnud) == Ids{"money-back-guarantee", "refund-request"});

    SearchResponse mony = kb.search("mony back", "en");
    CHECK(mony.corrected_query == "money back");
    CHECK(mony.auto_corrected);
    CHECK(hmtest::corrected(mony.corrections, "mony", "money"));
    CHECK(synonym_expansions(mony.synonyms, "money back") == Strings{"refund", "reimbursement"});
    CHECK(rank_of(mony, "refund-request") >= 1);
  }

  TEST_CASE("multilingual: synonyms match through stemming") {
    MlKb kb;
    for (const char* q : {"refunds", "refunded"}) {
      CAPTURE(q);
      SearchResponse r = kb.search(q, "en");
      // The rule is reported with the phrase as written in the file.
      CHECK(synonym_expansions(r.synonyms, "refund") == Strings{"money back", "reimbursement"});
      CHECK(rank_of(r, "money-back-guarantee") >= 1);
    }
    SearchResponse registering = kb.search("registering", "en");
    CHECK(synonym_expansions(registering.synonyms, "register").has_value());
  }

  TEST_CASE("multilingual: stop words inside a phrase tell phrases apart: sign in is not sign up") {
    MlKb kb;
    SearchResponse sign_in = kb.search("sign in", "en");
    CHECK(hmtest::ids(sign_in) == Strings{"sign-in-help"});
    REQUIRE(sign_in.synonyms.size() == 1);
    CHECK(sign_in.synonyms[0].phrase == "sign in");
    CHECK(sign_in.synonyms[0].expansions == Strings{"log in"});

    SearchResponse sign_up = kb.search("sign up", "en");
    CHECK(hmtest::ids(sign_up) == Strings{"create-account"});
    REQUIRE(sign_up.synonyms.size() == 1);
    CHECK(sign_up.synonyms[0].phrase == "sign up");
    CHECK(sign_up.synonyms[0].expansions == Strings{"register", "registration"});
  }

  TEST_CASE(
      "multilingual: synonyms are per locale: the Spanish table does not act on other locales") {
    MlKb kb;
    // The Spanish article says devolución, never reembolso.
    SearchResponse es = kb.search("reembolso", "es");
    CHECK(hmtest::ids(es) == Strings{"refund-request-es"});
    CHECK(synonym_expansions(es.synonyms, "reembolso") == Strings{"devolución"});
    SearchResponse en = kb.search("reembolso", "en");
    CHECK(en.synonyms.empty());
    CHECK(en.total == 0);
    SearchResponse any = kb.search("reembolso", "");  // every locale, analysed as the default (en)
    CHECK(any.synonyms.empty());
    CHECK(any.total == 0);
    // And the English table acts on a Spanish query only through the fallback to en.
    SearchResponse es_money = kb.search("money back", "es");
    CHECK(synonym_expansions(es_money.synonyms, "money back").has_value());
    SearchLayers no_fallback;
    no_fallback.fallback = false;
    SearchResponse es_only = kb.search("money back", "es", no_fallback);
    CHECK(es_only.synonyms.empty());
    CHECK(es_only.total == 0);
  }

  TEST_CASE("multilingual: the synonyms layer switched off: no expansion, no synonym hits") {
    MlKb kb;
    SearchLayers off;
    off.synonyms = false;
    SearchResponse r = kb.search("money back", "en", off);
    CHECK(r.synonyms.empty());
    CHECK(hmtest::ids(r) == Strings{"money-back-guarantee"});
    SearchResponse chargeback = kb.search("chargeback", "en", off);
    CHECK(hmtest::ids(chargeback) == Strings{"bank-chargeback"});
  }

  TEST_CASE("multilingual: response.synonyms lists exactly the rules applied, in query order") {
    MlKb kb;
    SearchResponse r = kb.search("coupon for a refund", "en");
    REQUIRE(r.synonyms.size() == 2);
    CHECK(r.synonyms[0].phrase == "coupon");
    CHECK(r.synonyms[1].phrase == "refund");
    SearchResponse none = kb.search("tracking number", "en");
    CHECK(none.synonyms.empty());
    CHECK(rank_of(none, "track-order") == 1);
  }
}

TEST_SUITE("multilingual/synonyms-validation") {
  TEST_CASE("multilingual: a valid file parses into one rule per phrase and round-trips") {
    std::vector<Diagnostic> diags;
    auto table = parse_en(R"(locale: en
groups:
  - [refund, money back, reimbursement]
one_way:
  - chargeback -> dispute, bank dispute
)",
                          diags);
    CHECK(diags.empty());
    CHECK(table.size() == 4);  // three group members + one one-way rule
    auto copy = vocabulary::SynonymTable::deserialize(table.serialize());
    REQUIRE(copy.size() == 4);
    CHECK(copy.rules()[3].lhs_text == "chargeback");
    CHECK(copy.rules()[3].rhs_text == Strings{"dispute", "bank dispute"});
  }

  TEST_CASE("multilingual: a file for a locale the taxonomy does not list") {
    std::vector<Diagnostic> diags;
    auto table = parse_en("groups:\n  - [a1, b1]\n", diags, "it");
    CHECK(table.size() == 0);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].severity == Severity::kError);
    CHECK(diags[0].path == "synonyms/it.yaml");
    CHECK(hmtest::contains(diags[0].message, "'it'"));
  }

  TEST_CASE("multilingual: a group over 50 phrases, and a file over 20,000 expansions, are errors (issue 14, defect 6)") {
    // One group of 1,000 phrases took 466 MB: each phrase expands to all the others.
    std::string big = "groups:\n  - [";
    for (int i = 0; i < 1000; ++i) big += (i ? ", w" : "w") + std::to_string(i) + "x";
    big += "]\n  - [refund, money back]\n";
    std::vector<Diagnostic> diags;
    auto table = parse_en(big, diags);
    REQUIRE(errors_in(diags) == 1);
    CHECK(diags[0].line == 2);
    CHECK(hmtest::contains(diags[0].message, "a group of 1000 phrases is over the limit of 50"));
    CHECK(table.serialize().find("money back") != std::string::npos);  // the other group stays

    // Nine groups of 50: 9 x 2,450 expansions; the ninth crosses 20,000 and is left out.
    std::string many = "groups:\n";
    for (int g = 0; g < 9; ++g) {
      many += "  - [";
      for (int i = 0; i < 50; ++i) many += (i ? ", g" : "g") + std::to_string(g) + "w" + std::to_string(i) + "x";
      many += "]\n";
    }
    diags.clear();
    auto capped = parse_en(many, diags);
    REQUIRE(errors_in(diags) == 1);
    CHECK(diags[0].line == 10);
    CHECK(hmtest::contains(diags[0].message, "22050 expansions here, over the limit of 20000"));
    CHECK(capped.serialize().find("g7w0x") != std::string::npos);
    CHECK(capped.serialize().find("g8w0x") == std::string::npos);
  }

  TEST_CASE("multilingual: a table with invalid UTF-8 serialises without throwing (found by fuzz_vocabulary)") {
    std::vector<Diagnostic> diags;
    auto table = parse_en("groups:\n  - [refund, \"mon\xFF\xFEy back\"]\n", diags);
    std::string data;
    CHECK_NOTHROW(data = table.serialize());
    CHECK_NOTHROW((void)vocabulary::SynonymTable::deserialize(data));
  }

  TEST_CASE("multilingual: an empty entry, with its line") {
    std::vector<Diagnostic> diags;
    auto table = parse_en("groups:\n  - [refund, money back]\n  - [voucher, '']\n", diags);
    REQUIRE(errors_in(diags) >= 1);
    const Diagnostic* d = find_diagnostic(diags, "empty synonym entry");
    REQUIRE(d != nullptr);
    CHECK(d->line == 3);
    CHECK(d->severity == Severity::kError);
    CHECK(table.size() == 2);  // the valid group is kept
  }

  TEST_CASE("multilingual: the same entry in two groups is an error naming both lines") {
    std::vector<Diagnostic> diags;
    auto table = parse_en(R"(groups:
  - [refund, money back]
  - [reimbursement, refunds]
)",
                          diags);
    const Diagnostic* d = find_diagnostic(diags, "duplicate entry 'refunds'");
    REQUIRE_MESSAGE(d != nullptr, hmtest::describe(diags));
    CHECK(d->severity == Severity::kError);
    CHECK(d->line == 3);
    CHECK(hmtest::contains(d->message, "line 2"));
    CHECK(table.size() == 2);  // the second group has one valid phrase left: no rule from it
  }

  TEST_CASE("multilingual: an entry of stop words only can never match") {
    std::vector<Diagnostic> diags;
    parse_en("groups:\n  - [refund, money back]\n  - [voucher, of the]\n", diags);
    const Diagnostic* d = find_diagnostic(diags, "only stop words");
    REQUIRE_MESSAGE(d != nullptr, hmtest::describe(diags));
    CHECK(d->severity == Severity::kError);
    CHECK(d->line == 3);
    CHECK(hmtest::contains(d->message, "'of the'"));
  }

  TEST_CASE("multilingual: malformed YAML names its line") {
    std::vector<Diagnostic> diags;
    auto table =
        parse_en("groups:\n  - [refund, money back]\n  - [voucher, coupon\none_way: []\n", diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].severity == Severity::kError);
    CHECK(hmtest::contains(diags[0].message, "malformed YAML"));
    CHECK(diags[0].line >= 3);
    CHECK(table.size() == 0);
  }

  TEST_CASE("multilingual: a one-way entry without '->'") {
    std::vector<Diagnostic> diags;
    auto table = parse_en("one_way:\n  - chargeback -> dispute\n  - scam phishing\n", diags);
    const Diagnostic* d = find_diagnostic(diags, "has no '->'");
    REQUIRE_MESSAGE(d != nullptr, hmtest::describe(diags));
    CHECK(d->line == 3);
    CHECK(d->severity == Severity::kError);
    CHECK(table.size() == 1);
  }

  TEST_CASE(
      "multilingual: a one-way entry that maps a phrase to itself (or to another form of it)") {
    std::vector<Diagnostic> diags;
    auto table = parse_en("one_way:\n  - refund -> refunds\n", diags);
    const Diagnostic* d = find_diagnostic(diags, "maps to itself");
    REQUIRE_MESSAGE(d != nullptr, hmtest::describe(diags));
    CHECK(d->line == 2);
    CHECK(d->severity == Severity::kError);
    CHECK(table.size() == 0);
  }

  TEST_CASE("multilingual: a redundant entry in its own group is only a warning") {
    std::vector<Diagnostic> diags;
    auto table = parse_en("groups:\n  - [seller, sellers, vendor]\n", diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].severity == Severity::kWarning);
    CHECK(diags[0].line == 2);
    CHECK(hmtest::contains(diags[0].message, "'sellers' is redundant"));
    CHECK(table.size() == 2);  // seller <-> vendor
  }

  TEST_CASE(
      "multilingual: the indexer reports every problem with file and line and keeps the valid "
      "entries") {
    hmtest::Kb kb(kTaxonomy);
    kb.add("en/refund.md",
           hmtest::md("id: refund\ntitle: How to request a refund\njourney: payments\n"));
    hmtest::write_file(kb.taxonomy_dir() / "synonyms/en.yaml", R"(groups:
  - [refund, money back]
  - [voucher, '']
  - [reimbursement, refunds]
one_way:
  - chargeback dispute
  - payout -> payouts
)");
    hmtest::write_file(kb.taxonomy_dir() / "synonyms/it.yaml",
                       "groups:\n  - [rimborso, soldi indietro]\n");
    hmtest::write_file(kb.taxonomy_dir() / "synonyms/es.yaml", "groups: [devolución, reembolso\n");
    auto report = kb.build();
    REQUIRE_MESSAGE(report.ok(), report.status().message());
    const auto& diags = report->diagnostics;
    INFO(hmtest::describe(diags));
    auto en = hmtest::diagnostics_for(diags, "synonyms/en.yaml");
    auto line_of = [&](std::string_view needle) {
      const Diagnostic* d = find_diagnostic(en, needle);
      return d ? d->line : -1;
    };
    CHECK(line_of("empty synonym entry") == 3);
    CHECK(line_of("duplicate entry 'refunds'") == 4);
    CHECK(line_of("has no '->'") == 6);
    CHECK(line_of("maps to itself") == 7);
    auto it = hmtest::diagnostics_for(diags, "synonyms/it.yaml");
    REQUIRE(it.size() == 1);
    CHECK(it[0].severity == Severity::kError);
    auto es = hmtest::diagnostics_for(diags, "synonyms/es.yaml");
    REQUIRE(es.size() == 1);
    CHECK(hmtest::contains(es[0].message, "malformed YAML"));
    for (const auto& d : diags) CHECK(d.to_string().find(d.path + ":") == 0);

    // Not strict: the index is built and the valid group works.
    Index index = kb.open();
    SearchRequest r;
    r.query = "money back";
    r.locale = "en";
    SearchResponse response = hmtest::search_ok(index, r);
    CHECK(hmtest::ids(response) == Strings{"refund"});
    CHECK(synonym_expansions(response.synonyms, "money back") == Strings{"refund"});
  }

  TEST_CASE(
      "multilingual: --strict: an error in a synonyms file fails the run and writes nothing") {
    hmtest::Kb kb(kTaxonomy);
    kb.add("en/refund.md",
           hmtest::md("id: refund\ntitle: How to request a refund\njourney: payments\n"));
    hmtest::write_file(kb.taxonomy_dir() / "synonyms/en.yaml", "groups:\n  - [refund, the]\n");
    IndexReport report;
    auto r = build_index(kb.options(/*strict=*/true), &report);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == ErrorCode::kInvalidInput);
    const Diagnostic* d = find_diagnostic(report.diagnostics, "only stop words");
    REQUIRE(d != nullptr);
    CHECK(d->line == 2);
    CHECK_FALSE(hmtest::fs::exists(kb.index_dir()));
  }

  TEST_CASE("multilingual: --strict: a warning alone does not fail the run") {
    hmtest::Kb kb(kTaxonomy);
    kb.add("en/refund.md",
           hmtest::md("id: refund\ntitle: How to request a refund\njourney: payments\n"));
    hmtest::write_file(kb.taxonomy_dir() / "synonyms/en.yaml",
                       "groups:\n  - [refund, refunds, money back]\n");
    auto r = kb.build(/*strict=*/true);
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    REQUIRE(r->diagnostics.size() == 1);
    CHECK(r->diagnostics[0].severity == Severity::kWarning);
  }

  TEST_CASE(
      "multilingual: spelling files: unknown locale and multi-word lines are errors with file and "
      "line") {
    auto taxonomy = Taxonomy::parse(kTaxonomy, "journeys.yaml");
    REQUIRE(taxonomy.ok());
    hmtest::TempDir dir;
    hmtest::write_file(dir / "spelling/en.txt", "# domain words\nescrow\n\nlumen pay\nescrow\n");
    hmtest::write_file(dir / "spelling/it.txt", "rimborso\n");
    std::vector<Diagnostic> diags;
    VocabularyFiles files = load_vocabulary_files(dir.path(), taxonomy.value(), true, diags);
    INFO(hmtest::describe(diags));
    CHECK(files.spelling["en"] == Strings{"escrow"});
    CHECK(files.spelling.count("it") == 0);
    const Diagnostic* multi = find_diagnostic(diags, "more than one word");
    REQUIRE(multi != nullptr);
    CHECK(multi->line == 4);
    CHECK(multi->severity == Severity::kError);
    const Diagnostic* dup = find_diagnostic(diags, "duplicate word");
    REQUIRE(dup != nullptr);
    CHECK(dup->line == 5);
    CHECK(dup->severity == Severity::kWarning);
    auto it = hmtest::diagnostics_for(diags, "spelling/it.txt");
    REQUIRE(it.size() == 1);
    CHECK(it[0].severity == Severity::kError);
  }
}
