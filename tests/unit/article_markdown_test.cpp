#include <doctest/doctest.h>

#include "article/markdown.hpp"
#include "test_util.hpp"

using namespace helpmark;
using helpmark::article::classify_heading;
using helpmark::article::parse_markdown;
using hmtest::contains;

TEST_SUITE("article/markdown") {
  TEST_CASE("standard section headings are recognised in every shipped language") {
    struct Case {
      const char* heading;
      SectionKind kind;
    };
    const Case cases[] = {
        {"Summary", SectionKind::kSummary},
        {"Overview", SectionKind::kSummary},
        {"Resumen", SectionKind::kSummary},
        {"概要", SectionKind::kSummary},
        {"Steps", SectionKind::kSteps},
        {"steps:", SectionKind::kSteps},
        {"  STEPS  ", SectionKind::kSteps},
        {"Pasos", SectionKind::kSteps},
        {"Étapes", SectionKind::kSteps},
        {"Schritte", SectionKind::kSteps},
        {"Passos", SectionKind::kSteps},
        {"手順", SectionKind::kSteps},
        {"步骤", SectionKind::kSteps},
        {"ขั้นตอน", SectionKind::kSteps},
        {"Troubleshooting", SectionKind::kTroubleshooting},
        {"Solución de problemas", SectionKind::kTroubleshooting},
        {"Dépannage", SectionKind::kTroubleshooting},
        {"Fehlerbehebung", SectionKind::kTroubleshooting},
        {"Solução de problemas", SectionKind::kTroubleshooting},
        {"トラブルシューティング", SectionKind::kTroubleshooting},
        {"故障排除", SectionKind::kTroubleshooting},
        {"การแก้ไขปัญหา", SectionKind::kTroubleshooting},
        {"Related articles", SectionKind::kRelated},
        {"Artículos relacionados", SectionKind::kRelated},
        {"Verwandte Artikel", SectionKind::kRelated},
        {"関連記事", SectionKind::kRelated},
        {"Refund times by payment method", SectionKind::kOther},
        {"Stepsister", SectionKind::kOther},
        {"", SectionKind::kOther},
    };
    for (const auto& c : cases) {
      CAPTURE(c.heading);
      CHECK(classify_heading(c.heading) == c.kind);
    }
  }

  TEST_CASE("sections: kind, level, heading, anchor, file line, text and markdown") {
    // The body starts on file line 10 (as if 9 lines of front matter came first).
    const std::string body =
        "Intro paragraph with **bold** text.\n"  // 10
        "\n"                                     // 11
        "## Steps\n"                             // 12
        "\n"                                     // 13
        "1. Open **Orders**.\n"                  // 14
        "2. Click *Refund*.\n"                   // 15
        "\n"                                     // 16
        "### Fees and limits\n"                  // 17
        "\n"                                     // 18
        "Some fee text.\n"                       // 19
        "\n"                                     // 20
        "## Troubleshooting\n"                   // 21
        "\n"                                     // 22
        "- **It failed.** Try again.\n";         // 23
    auto parsed = parse_markdown(body, 10);
    REQUIRE(parsed.sections.size() == 4);

    const Section& intro = parsed.sections[0];
    CHECK(intro.level == 0);
    CHECK(intro.line == 10);
    CHECK(intro.text == "Intro paragraph with bold text.");
    CHECK(intro.markdown == "Intro paragraph with **bold** text.");

    const Section& steps = parsed.sections[1];
    CHECK(steps.kind == SectionKind::kSteps);
    CHECK(steps.level == 2);
    CHECK(steps.heading == "Steps");
    CHECK(steps.anchor == "steps");
    CHECK(steps.line == 12);
    CHECK(contains(steps.text, "Open Orders."));
    CHECK(contains(steps.text, "Click Refund."));
    CHECK(steps.markdown == "1. Open **Orders**.\n2. Click *Refund*.");

    const Section& fees = parsed.sections[2];
    CHECK(fees.kind == SectionKind::kOther);
    CHECK(fees.level == 3);
    CHECK(fees.heading == "Fees and limits");
    CHECK(fees.anchor == "fees-and-limits");
    CHECK(fees.line == 17);
    CHECK(fees.markdown == "Some fee text.");

    const Section& trouble = parsed.sections[3];
    CHECK(trouble.kind == SectionKind::kTroubleshooting);
    CHECK(trouble.anchor == "troubleshooting");
    CHECK(trouble.line == 21);
    CHECK(trouble.text == "It failed. Try again.");
    CHECK(trouble.markdown == "- **It failed.** Try again.");

    CHECK(parsed.first_paragraph == "Intro paragraph with bold text.");
    CHECK(contains(parsed.text, "Steps"));
    CHECK(contains(parsed.text, "Some fee text."));
    CHECK_FALSE(contains(parsed.text, "**"));
  }

  TEST_CASE("headings in other languages get kinds and anchors") {
    auto parsed = parse_markdown("Texto.\n\n## Pasos\n\nUno.\n\n## Solución de problemas\n\nDos.\n", 1);
    REQUIRE(parsed.sections.size() == 3);
    CHECK(parsed.sections[1].kind == SectionKind::kSteps);
    CHECK(parsed.sections[1].anchor == "pasos");
    CHECK(parsed.sections[2].kind == SectionKind::kTroubleshooting);
    CHECK(parsed.sections[2].anchor == "solución-de-problemas");
    auto ja = parse_markdown("本文。\n\n## 手順\n\n手順の本文。\n", 1);
    REQUIRE(ja.sections.size() == 2);
    CHECK(ja.sections[1].kind == SectionKind::kSteps);
    CHECK(ja.sections[1].anchor == "手順");
  }

  TEST_CASE("a body starting with a heading has no intro section") {
    auto parsed = parse_markdown("## Steps\n\nDo it.\n", 5);
    REQUIRE(parsed.sections.size() == 1);
    CHECK(parsed.sections[0].kind == SectionKind::kSteps);
    CHECK(parsed.sections[0].line == 5);
    CHECK(parsed.first_paragraph == "Do it.");
  }

  TEST_CASE("GFM: tables, task lists, strikethrough and autolinks") {
    const std::string body =
        "| Paid with | Time |\n"               // 1
        "| --- | --- |\n"                       // 2
        "| Wallet | Instant |\n"                // 3
        "| Card | 3-10 days |\n"                // 4
        "\n"                                    // 5
        "- [x] packed the item\n"               // 6
        "- [ ] printed the label\n"             // 7
        "\n"                                    // 8
        "This is ~~free~~ paid.\n"              // 9
        "\n"                                    // 10
        "Visit www.example.com for more.\n";    // 11
    auto parsed = parse_markdown(body, 1);
    // Table cells become words, not pipes.
    CHECK(contains(parsed.text, "Wallet"));
    CHECK(contains(parsed.text, "Instant"));
    CHECK(contains(parsed.text, "3-10 days"));
    CHECK_FALSE(contains(parsed.text, "|"));
    CHECK_FALSE(contains(parsed.text, "---"));
    // Cells are separated, so words of neighbouring cells do not run together.
    CHECK_FALSE(contains(parsed.text, "WalletInstant"));
    // Task list items keep their text, without the checkbox.
    CHECK(contains(parsed.text, "packed the item"));
    CHECK(contains(parsed.text, "printed the label"));
    CHECK_FALSE(contains(parsed.text, "[x]"));
    CHECK_FALSE(contains(parsed.text, "[ ]"));
    // Strikethrough keeps the words, without tildes.
    CHECK(contains(parsed.text, "This is free paid."));
    CHECK_FALSE(contains(parsed.text, "~~"));
    // A bare www. address becomes an external link.
    REQUIRE(parsed.links.size() == 1);
    CHECK(contains(parsed.links[0].target, "www.example.com"));
    CHECK_FALSE(parsed.links[0].internal);
    CHECK(parsed.links[0].line == 11);
  }

  TEST_CASE("links: article: targets are internal and resolved, external ones are not") {
    const std::string body =
        "See [timing](article:refund-timing) and [steps](article:start-a-return#steps).\n"  // 3
        "\n"                                                                               // 4
        "Read [the policy](../returns/return-policy.md#window) or [this](#troubleshooting).\n"  // 5
        "\n"                                                                               // 6
        "Email [us](mailto:help@example.com) or visit [site](https://example.com/a.md).\n";  // 7
    auto parsed = parse_markdown(body, 3);
    REQUIRE(parsed.links.size() == 6);

    CHECK(parsed.links[0].target == "article:refund-timing");
    CHECK(parsed.links[0].internal);
    CHECK(parsed.links[0].article_id == "refund-timing");
    CHECK(parsed.links[0].anchor.empty());
    CHECK(parsed.links[0].line == 3);

    CHECK(parsed.links[1].article_id == "start-a-return");
    CHECK(parsed.links[1].anchor == "steps");

    // Relative .md links are internal; load_articles resolves them to ids later.
    CHECK(parsed.links[2].target == "../returns/return-policy.md#window");
    CHECK(parsed.links[2].internal);
    CHECK(parsed.links[2].anchor == "window");
    CHECK(parsed.links[2].line == 5);

    CHECK(parsed.links[3].internal);  // same-page anchor
    CHECK(parsed.links[3].anchor == "troubleshooting");

    CHECK_FALSE(parsed.links[4].internal);
    CHECK(parsed.links[4].article_id.empty());
    CHECK_FALSE(parsed.links[5].internal);  // absolute URL, even if it ends in .md
    CHECK(parsed.links[5].line == 7);
  }

  TEST_CASE("images keep their source and alt text") {
    const std::string body =
        "Intro.\n"                                                      // 20
        "\n"                                                            // 21
        "![The *Refund* panel on the Orders page](images/refund.png)\n"  // 22
        "\n"                                                            // 23
        "![](images/no-alt.png)\n";                                     // 24
    auto parsed = parse_markdown(body, 20);
    REQUIRE(parsed.images.size() == 2);
    CHECK(parsed.images[0].src == "images/refund.png");
    CHECK(parsed.images[0].alt == "The Refund panel on the Orders page");
    CHECK(parsed.images[0].line == 22);
    CHECK(parsed.images[1].src == "images/no-alt.png");
    CHECK(parsed.images[1].alt.empty());
    CHECK(parsed.images[1].line == 24);
  }

  TEST_CASE("links and images inside a multi-line list carry their own line") {
    const std::string body =
        "1. Open the order.\n"                          // 1
        "2. Read [the policy](article:return-policy).\n"  // 2
        "3. Check the panel:\n"                         // 3
        "   ![Refund panel](images/panel.png)\n"        // 4
        "4. Follow [timing](article:refund-timing).\n";  // 5
    auto parsed = parse_markdown(body, 1);
    REQUIRE(parsed.links.size() == 2);
    REQUIRE(parsed.images.size() == 1);
    CHECK(parsed.links[0].line == 2);
    CHECK(parsed.images[0].line == 4);
    CHECK(parsed.links[1].line == 5);
  }

  TEST_CASE("code is text, raw HTML is not") {
    auto parsed = parse_markdown("Type `<b>code</b>` here.\n\n```\nfenced block\n```\n", 1);
    CHECK(contains(parsed.text, "<b>code</b>"));
    CHECK(contains(parsed.text, "fenced block"));
  }

  TEST_CASE("an empty body has no sections") {
    auto parsed = parse_markdown("", 4);
    CHECK(parsed.sections.empty());
    CHECK(parsed.text.empty());
    CHECK(parsed.first_paragraph.empty());
  }
}
