#include <doctest/doctest.h>

#include "helpmark/article.hpp"
#include "test_util.hpp"

using namespace helpmark;
using hmtest::contains;

namespace {

struct Parsed {
  std::optional<Article> article;
  std::vector<Diagnostic> diagnostics;

  std::vector<Diagnostic> of(Severity severity) const {
    std::vector<Diagnostic> out;
    for (const auto& d : diagnostics)
      if (d.severity == severity) out.push_back(d);
    return out;
  }
  /// The one error there must be.
  Diagnostic error() const {
    auto errors = of(Severity::kError);
    INFO("diagnostics: " << dump());
    REQUIRE(errors.size() == 1);
    return errors[0];
  }
  std::string dump() const {
    std::string out;
    for (const auto& d : diagnostics) out += d.to_string() + "\n";
    return out;
  }
};

Parsed parse(std::string_view text, const std::string& path = "en/payments/refund-timing.md") {
  static const Taxonomy taxonomy = hmtest::test_taxonomy();
  Parsed p;
  p.article = parse_article(text, path, taxonomy, p.diagnostics);
  return p;
}

const char* const kGood =
    "---\n"                                           // 1
    "id: refund-timing\n"                             // 2
    "title: How long a refund takes\n"                // 3
    "journey: payments\n"                             // 4
    "subtopic: refund-timing\n"                       // 5
    "locale: en\n"                                    // 6
    "audience: [buyer, seller]\n"                     // 7
    "tags: [refund, card, wallet]\n"                  // 8
    "questions:\n"                                    // 9
    "  - when will i get my money back\n"             // 10
    "  - refund not on my card\n"                     // 11
    "owner: payments-content\n"                       // 12
    "reviewed: 2026-09-14\n"                          // 13
    "review_every: 180d\n"                            // 14
    "related: [refund-not-received, partial-refund]\n"  // 15
    "translation_of: refund-origin\n"                 // 16
    "status: draft\n"                                 // 17
    "---\n"                                           // 18
    "\n"                                              // 19
    "Refunds go back to the card you used.\n"         // 20
    "\n"                                              // 21
    "## Steps\n"                                      // 22
    "\n"                                              // 23
    "1. Open the order.\n";                           // 24

}  // namespace

TEST_SUITE("article/parse") {
  TEST_CASE("every front-matter field is read") {
    Parsed p = parse(kGood);
    INFO(p.dump());
    REQUIRE(p.article.has_value());
    CHECK(p.diagnostics.empty());
    const Article& a = *p.article;
    CHECK(a.id == "refund-timing");
    CHECK(a.title == "How long a refund takes");
    CHECK(a.journey == "payments");
    CHECK(a.subtopic == "refund-timing");
    CHECK(a.locale == "en");
    CHECK(a.audience == std::vector<std::string>{"buyer", "seller"});
    CHECK(a.tags == std::vector<std::string>{"refund", "card", "wallet"});
    CHECK(a.questions ==
          std::vector<std::string>{"when will i get my money back", "refund not on my card"});
    CHECK(a.owner == "payments-content");
    CHECK(a.reviewed == "2026-09-14");
    CHECK(a.updated == "2026-09-14");
    CHECK(a.review_every == "180d");
    CHECK(a.related == std::vector<std::string>{"refund-not-received", "partial-refund"});
    CHECK(a.translation_of == "refund-origin");
    CHECK(a.status == ArticleStatus::kDraft);
    CHECK(a.path == "en/payments/refund-timing.md");
    CHECK(a.body_first_line == 19);
    CHECK(a.summary == "Refunds go back to the card you used.");
    REQUIRE(a.sections.size() == 2);
    CHECK(a.sections[0].kind == SectionKind::kSummary);  // the text before the first heading
    CHECK(a.sections[0].line == 19);
    CHECK(a.sections[1].kind == SectionKind::kSteps);
    CHECK(a.sections[1].line == 22);
    CHECK(a.section(SectionKind::kSteps) == &a.sections[1]);
    CHECK(a.section(SectionKind::kTroubleshooting) == nullptr);
    CHECK(contains(a.body_text, "Open the order."));
    CHECK(a.body_markdown == "\nRefunds go back to the card you used.\n\n## Steps\n\n1. Open the order.\n");
    CHECK(a.content_hash.size() == 16);
  }

  TEST_CASE("defaults: id from the file name, locale en, every audience, summary from the body") {
    Parsed p = parse(hmtest::md("title: T\njourney: returns\n",
                                "First paragraph, which is the summary.\n\nSecond paragraph.\n"),
                     "en/returns/start-a-return.md");
    INFO(p.dump());
    REQUIRE(p.article.has_value());
    const Article& a = *p.article;
    CHECK(a.id == "start-a-return");
    CHECK(a.locale == "en");
    CHECK(a.audience == std::vector<std::string>{"buyer", "seller", "partner"});
    CHECK(a.summary == "First paragraph, which is the summary.");
    CHECK(a.status == ArticleStatus::kPublished);
    CHECK(a.subtopic.empty());
    CHECK(a.tags.empty());
    CHECK(a.reviewed.empty());
  }

  TEST_CASE("summary: front matter wins, then a Summary section, then the first paragraph") {
    SUBCASE("front matter") {
      Parsed p = parse(hmtest::md("title: T\njourney: returns\nsummary: Given summary.\n",
                                  "Body paragraph.\n"));
      REQUIRE(p.article.has_value());
      CHECK(p.article->summary == "Given summary.");
    }
    SUBCASE("Summary section") {
      Parsed p = parse(hmtest::md("title: T\njourney: returns\n",
                                  "## Steps\n\nDo it.\n\n## Summary\n\nThe short version.\n"));
      REQUIRE(p.article.has_value());
      CHECK(p.article->summary == "The short version.");
    }
  }

  TEST_CASE("a single string is accepted for a list field") {
    Parsed p = parse(hmtest::md("title: T\njourney: returns\naudience: seller\ntags: refund\n"));
    REQUIRE(p.article.has_value());
    CHECK(p.article->audience == std::vector<std::string>{"seller"});
    CHECK(p.article->tags == std::vector<std::string>{"refund"});
  }

  TEST_CASE("BOM and CRLF files parse to the same fields") {
    std::string crlf = "\xEF\xBB\xBF---\r\ntitle: Windows file\r\njourney: payments\r\n---\r\n"
                       "\r\nFirst paragraph.\r\n\r\n## Steps\r\n\r\n1. One.\r\n";
    Parsed p = parse(crlf);
    INFO(p.dump());
    REQUIRE(p.article.has_value());
    CHECK(p.article->title == "Windows file");
    CHECK(p.article->journey == "payments");
    CHECK(p.article->summary == "First paragraph.");
    REQUIRE(p.article->sections.size() == 2);
    CHECK(p.article->sections[1].kind == SectionKind::kSteps);
    CHECK(p.article->sections[1].line == 8);
  }

  TEST_CASE("the content hash depends on path and bytes") {
    Parsed a = parse(kGood, "en/a.md");
    Parsed b = parse(kGood, "en/b.md");
    std::string changed = kGood;
    changed += "2. Another step.\n";
    Parsed c = parse(changed, "en/a.md");
    REQUIRE(a.article);
    REQUIRE(b.article);
    REQUIRE(c.article);
    CHECK(a.article->content_hash != b.article->content_hash);
    CHECK(a.article->content_hash != c.article->content_hash);
    CHECK(a.article->content_hash == parse(kGood, "en/a.md").article->content_hash);
  }

  TEST_CASE("errors are reported at the right line") {
    SUBCASE("malformed YAML") {
      Parsed p = parse(
          "---\n"                                    // 1
          "title: T\n"                               // 2
          "journey: payments\n"                      // 3
          "tags: [refund, card\n"                    // 4: unclosed
          "---\n"
          "Body\n");
      CHECK_FALSE(p.article);
      Diagnostic d = p.error();
      CHECK(contains(d.message, "malformed YAML"));
      CHECK(d.line >= 4);
      CHECK(d.line <= 5);
    }
    SUBCASE("malformed YAML: colon in a plain value") {
      Parsed p = parse(
          "---\n"                                    // 1
          "journey: payments\n"                      // 2
          "title: Refunds: how long they take\n"     // 3
          "---\n"
          "Body\n");
      CHECK_FALSE(p.article);
      Diagnostic d = p.error();
      CHECK(d.line == 3);
      CHECK(contains(d.message, "quote values"));
    }
    SUBCASE("missing title") {
      Parsed p = parse("---\njourney: payments\nlocale: en\n---\nBody\n");
      CHECK_FALSE(p.article);
      Diagnostic d = p.error();
      CHECK(d.line == 2);
      CHECK(contains(d.message, "missing `title`"));
      CHECK(d.path == "en/payments/refund-timing.md");
      CHECK(d.to_string() ==
            "en/payments/refund-timing.md:2: error: missing `title`: every article needs a title");
    }
    SUBCASE("missing journey names the valid ones") {
      Parsed p = parse("---\ntitle: T\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 2);
      CHECK(contains(d.message, "missing `journey`"));
      CHECK(contains(d.message, "payments, returns, sellers"));
    }
    SUBCASE("unknown journey lists the valid ones") {
      Parsed p = parse("---\ntitle: T\nlocale: en\njourney: billing\n---\nBody\n");
      CHECK_FALSE(p.article);
      Diagnostic d = p.error();
      CHECK(d.line == 4);
      CHECK(contains(d.message, "unknown journey 'billing'"));
      CHECK(contains(d.message, "payments, returns, sellers"));
    }
    SUBCASE("unknown sub-topic lists the journey's sub-topics") {
      Parsed p = parse("---\ntitle: T\njourney: payments\nsubtopic: policy\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 4);
      CHECK(contains(d.message, "unknown sub-topic 'policy'"));
      CHECK(contains(d.message, "refund-timing, methods"));
    }
    SUBCASE("bad id") {
      Parsed p = parse("---\ntitle: T\njourney: payments\n\nid: Refund Timing!\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 5);
      CHECK(contains(d.message, "must be a slug"));
    }
    SUBCASE("a file name that is not a valid id") {
      Parsed p = parse("---\ntitle: T\njourney: payments\n---\nBody\n", "en/Refund Timing.md");
      Diagnostic d = p.error();
      CHECK(d.line == 2);
      CHECK(contains(d.message, "'Refund Timing'"));
    }
    SUBCASE("bad locale") {
      Parsed p = parse("---\ntitle: T\njourney: payments\nlocale: english_US\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 4);
      CHECK(contains(d.message, "BCP 47"));
    }
    SUBCASE("bad audience") {
      Parsed p = parse("---\ntitle: T\njourney: payments\naudience: [buyer, admin]\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 4);
      CHECK(contains(d.message, "unknown audience 'admin'"));
      CHECK(contains(d.message, "buyer, seller, partner"));
    }
    SUBCASE("bad date") {
      Parsed p = parse("---\ntitle: T\njourney: payments\nowner: me\nreviewed: 2026-02-30\n---\nB\n");
      Diagnostic d = p.error();
      CHECK(d.line == 5);
      CHECK(contains(d.message, "'2026-02-30' is not a date"));
    }
    SUBCASE("bad interval") {
      Parsed p = parse("---\ntitle: T\njourney: payments\nreview_every: 6 months\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 4);
      CHECK(contains(d.message, "'6 months' is not an interval"));
    }
    SUBCASE("bad status") {
      Parsed p = parse("---\ntitle: T\njourney: payments\nstatus: live\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 4);
      CHECK(contains(d.message, "'live' is not one of published, draft, archived"));
    }
    SUBCASE("a list where text is expected") {
      Parsed p = parse("---\ntitle: [a, b]\njourney: payments\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 2);
      CHECK(contains(d.message, "`title` must be a single text value"));
    }
    SUBCASE("invalid UTF-8 in the body") {
      Parsed p = parse("---\ntitle: T\njourney: payments\n---\nGood line\nBad \xff byte\n");
      CHECK_FALSE(p.article);
      Diagnostic d = p.error();
      CHECK(d.line == 6);
      CHECK(contains(d.message, "invalid UTF-8"));
    }
    SUBCASE("invalid UTF-8 in the front matter") {
      Parsed p = parse("---\ntitle: Caf\xe9\njourney: payments\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 2);
    }
    SUBCASE("empty file") {
      Parsed p = parse("");
      CHECK_FALSE(p.article);
      Diagnostic d = p.error();
      CHECK(d.line == 0);
      CHECK(contains(d.message, "empty file"));
      CHECK(d.to_string() == "en/payments/refund-timing.md: error: " + d.message);
    }
    SUBCASE("only whitespace") {
      Parsed p = parse("  \n\n\t\n");
      CHECK(contains(p.error().message, "empty file"));
    }
    SUBCASE("no front matter") {
      Parsed p = parse("# Title\n\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 1);
      CHECK(contains(d.message, "missing front matter"));
    }
    SUBCASE("front matter that is not a map") {
      Parsed p = parse("---\n- a\n- b\n---\nBody\n");
      Diagnostic d = p.error();
      CHECK(d.line == 2);
    }
  }

  TEST_CASE("several errors in one file are all reported") {
    Parsed p = parse("---\ntitle: T\njourney: payments\nstatus: live\nreviewed: soon\n---\nBody\n");
    CHECK_FALSE(p.article);
    auto errors = p.of(Severity::kError);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].line == 5);  // reviewed is checked before status
    CHECK(errors[1].line == 4);
  }

  TEST_CASE("line numbers of errors in block-style lists and empty values") {
    Parsed p = parse(
        "---\n"                  // 1
        "title: T\n"             // 2
        "journey: payments\n"    // 3
        "audience:\n"            // 4
        "  - buyer\n"            // 5
        "  - admin\n"            // 6
        "---\nBody\n");
    CHECK(p.error().line == 6);
    Parsed empty_title = parse("---\njourney: payments\nlocale: en\ntitle: \"\"\n---\nBody\n");
    CHECK(empty_title.error().line == 4);
  }

  TEST_CASE("warnings: unknown fields, unknown tags and unlisted locales do not reject") {
    Parsed p = parse(
        "---\n"                              // 1
        "title: T\n"                         // 2
        "journey: payments\n"                // 3
        "colour: blue\n"                     // 4
        "tags: [refund, shiny]\n"            // 5
        "locale: fr\n"                       // 6
        "audit: {ignore: [orphans/unlinked]}\n"  // 7: a known field (helpmark audit)
        "---\n"
        "Body\n");
    INFO(p.dump());
    REQUIRE(p.article.has_value());
    CHECK(p.of(Severity::kError).empty());
    auto warnings = p.of(Severity::kWarning);
    REQUIRE(warnings.size() == 3);
    CHECK(warnings[0].line == 4);
    CHECK(contains(warnings[0].message, "unknown field `colour`"));
    CHECK(contains(warnings[0].message, "known fields:"));
    bool saw_locale = false, saw_tag = false;
    for (const auto& w : warnings) {
      if (contains(w.message, "locale 'fr'")) saw_locale = w.line == 6;
      if (contains(w.message, "tag 'shiny'")) saw_tag = w.line == 5;
    }
    CHECK(saw_locale);
    CHECK(saw_tag);
    CHECK(p.article->tags == std::vector<std::string>{"refund", "shiny"});
    CHECK(p.article->locale == "fr");
  }

  TEST_CASE("YAML aliases are refused: a 362-byte alias bomb (issue 14, defect 5)") {
    std::string yaml = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n";
    for (char c = 'b'; c <= 'i'; ++c)
      yaml += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ",*" + char(c - 1) + ",*" + char(c - 1) +
              ",*" + char(c - 1) + ",*" + char(c - 1) + ",*" + char(c - 1) + ",*" + char(c - 1) + ",*" +
              char(c - 1) + ",*" + char(c - 1) + "]\n";
    Parsed p = parse("---\ntitle: T\njourney: payments\n" + yaml + "---\nBody\n");
    CHECK_FALSE(p.article.has_value());
    CHECK(p.error().line == 4);
    CHECK(contains(p.error().message, "anchors and aliases (&name, *name) are not allowed"));

    Parsed one = parse("---\ntitle: &t T\njourney: payments\nsummary: *t\n---\nBody\n");
    CHECK_FALSE(one.article.has_value());
    CHECK(contains(one.error().message, "not allowed"));
    // A '*' or '&' inside a value is text, not an alias.
    Parsed text = parse("---\ntitle: \"Fees & *stars*\"\njourney: payments\n---\nBody\n");
    CHECK(text.article.has_value());
  }

  TEST_CASE("a NUL byte in front matter is named, with its line (issue 14, defect 11)") {
    Parsed p = parse(std::string("---\ntitle: T\njourney: payments\nsummary: \"a\0h\"\n---\nBody\n", 55));
    CHECK_FALSE(p.article.has_value());
    CHECK(p.error().line == 4);
    CHECK(contains(p.error().message, "NUL byte"));
    CHECK_FALSE(contains(p.error().message, "unknown escape"));
  }

  TEST_CASE("a duplicate front-matter key is a warning naming both lines (issue 14, defect 11)") {
    Parsed p = parse("---\ntitle: First\njourney: payments\ntitle: Second\n---\nBody\n");
    REQUIRE(p.article.has_value());
    CHECK(p.article->title == "First");
    auto warnings = p.of(Severity::kWarning);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].line == 4);
    CHECK(contains(warnings[0].message, "duplicate field `title`: the value on line 2 is used"));
  }

  TEST_CASE("a tag, translation_of or locale too long for an index term is an error (issue 14, defect 7)") {
    const std::string long_tag(243, 'x');
    Parsed p = parse("---\ntitle: T\njourney: payments\ntags:\n  - ok\n  - " + long_tag + "\n---\nBody\n");
    CHECK_FALSE(p.article.has_value());
    CHECK(p.error().line == 6);
    CHECK(contains(p.error().message, "the tag is 243 bytes, over the limit of 200"));
    Parsed t = parse("---\ntitle: T\njourney: payments\ntranslation_of: " + std::string(250, 'y') + "\n---\nBody\n");
    CHECK(contains(t.error().message, "`translation_of` is 250 bytes"));
    Parsed l = parse("---\ntitle: T\njourney: payments\nlocale: en" +
                     [] { std::string s; for (int i = 0; i < 30; ++i) s += "-abcdefgh"; return s; }() + "\n---\nBody\n");
    CHECK(contains(l.error().message, "`locale` is"));
    Parsed fits = parse("---\ntitle: T\njourney: payments\ntags: [" + std::string(200, 'z') + "]\n---\nBody\n");
    CHECK(fits.article.has_value());
  }

  TEST_CASE("front matter with a control character parses without hanging (found by fuzz_article)") {
    // Checking every YAML document for aliases looped for ever on this input; only the first
    // document is read (as YAML::Load does).
    const unsigned char bytes[] = {45, 45, 45, 10, 44, 106, 111, 117, 114, 110, 101, 89, 58, 32, 112, 97, 121, 109, 101, 110, 116, 115, 10, 108, 111, 99, 97, 108, 101, 58, 32, 22, 110, 10, 45, 45, 45, 10, 10, 84, 104, 105, 115, 32, 96, 114, 12, 105, 99, 108, 101, 32, 104, 97, 115, 32, 111, 110, 101, 32, 112, 114, 111, 98, 108, 101, 102, 44, 32, 111, 110, 32, 112, 117, 114, 112, 111, 115, 101, 46, 10};
    Parsed p = parse(std::string(reinterpret_cast<const char*>(bytes), sizeof bytes));
    CHECK_FALSE(p.article.has_value());
    CHECK_FALSE(p.of(Severity::kError).empty());
  }

  TEST_CASE("Diagnostic::to_string uses the compiler format") {
    Diagnostic e{Severity::kError, "en/a.md", 7, "bad thing"};
    CHECK(e.to_string() == "en/a.md:7: error: bad thing");
    Diagnostic w{Severity::kWarning, "en/a.md", 0, "meh"};
    CHECK(w.to_string() == "en/a.md: warning: meh");
    CHECK(has_errors({e, w}));
    CHECK_FALSE(has_errors({w}));
    CHECK_FALSE(has_errors({}));
  }
}
