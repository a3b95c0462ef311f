// Structure: required sections per article type, heading outline, alt text, length.
#include <algorithm>
#include <limits>

#include "audit/audit_internal.hpp"
#include "util/text.hpp"

namespace helpmark::audit {
namespace {

// The standard headings writers use per locale (the article format brief), for messages.
struct StandardHeadings {
  const char* locale;
  const char* steps;
  const char* troubleshooting;
  const char* related;
};
constexpr StandardHeadings kHeadings[] = {
    {"en", "Steps", "Troubleshooting", "Related articles"},
    {"es", "Pasos", "Solución de problemas", "Artículos relacionados"},
    {"fr", "Étapes", "Dépannage", "Articles connexes"},
    {"de", "Schritte", "Fehlerbehebung", "Verwandte Artikel"},
    {"pt", "Passos", "Solução de problemas", "Artigos relacionados"},
    {"ja", "手順", "トラブルシューティング", "関連記事"},
    {"zh", "步骤", "故障排除", "相关文章"},
    {"th", "ขั้นตอน", "การแก้ไขปัญหา", "บทความที่เกี่ยวข้อง"},
};

const StandardHeadings& headings_for(std::string_view locale) {
  std::string_view language = locale.substr(0, locale.find('-'));
  for (const auto& h : kHeadings)
    if (language == h.locale) return h;
  return kHeadings[0];
}

const std::vector<std::string>& required_sections(const Context& ctx, const Article& a) {
  const AuditConfig& c = ctx.config;
  if (!a.audit_type.empty())
    if (auto it = c.type_required_sections.find(a.audit_type); it != c.type_required_sections.end()) return it->second;
  if (auto it = c.journey_required_sections.find(a.journey); it != c.journey_required_sections.end()) return it->second;
  return c.default_required_sections;
}

std::string why_required(const Context& ctx, const Article& a) {
  if (!a.audit_type.empty() && ctx.config.type_required_sections.count(a.audit_type))
    return "articles of type " + a.audit_type + " need it";
  if (ctx.config.journey_required_sections.count(a.journey)) return a.journey + " articles need it";
  return "every article needs it";
}

void check_sections(Context& ctx, const Article& a) {
  const StandardHeadings& h = headings_for(a.locale);
  for (const auto& name : required_sections(ctx, a)) {
    std::string advice;
    if (name == "summary") {
      const Section* s = a.section(SectionKind::kSummary);
      if ((s && !text::trim(s->text).empty()) || a.field_lines.count("summary")) continue;
      advice = "no summary: start the body with one or two sentences that answer the question, before the first "
               "heading";
    } else {
      const SectionKind kind = name == "steps" ? SectionKind::kSteps
                               : name == "troubleshooting" ? SectionKind::kTroubleshooting
                                                           : SectionKind::kRelated;
      if (a.section(kind)) continue;
      const char* heading = kind == SectionKind::kSteps ? h.steps
                            : kind == SectionKind::kTroubleshooting ? h.troubleshooting
                                                                     : h.related;
      advice = "no " + name + " section: add `## " + heading + "`";
    }
    ctx.emit("structure/missing-section", &a, a.body_first_line, advice + " (" + why_required(ctx, a) + ")");
  }
}

void check_outline(Context& ctx, const Article& a) {
  int previous = 1;  // the title is the page's h1
  for (std::size_t i = 0; i < a.sections.size(); ++i) {
    const Section& s = a.sections[i];
    if (s.level == 0) continue;
    if (s.level == 1) {
      ctx.emit("structure/h1-in-body", &a, s.line,
               "heading '" + s.heading + "' is a level-1 heading; the title is already the page's h1, so use `## " +
                   s.heading + "`");
    } else if (s.level > previous + 1) {
      ctx.emit("structure/heading-skip", &a, s.line,
               "heading '" + s.heading + "' is level " + std::to_string(s.level) + " right after level " +
                   std::to_string(previous) + "; use " + std::string(static_cast<std::size_t>(previous + 1), '#') +
                   " so the outline has no gap");
    }
    previous = s.level;
    const bool has_children = i + 1 < a.sections.size() && a.sections[i + 1].level > s.level;
    // An image says something even without text (a missing alt text is image-alt's finding).
    const int next_line = i + 1 < a.sections.size() ? a.sections[i + 1].line : std::numeric_limits<int>::max();
    const bool has_image = std::any_of(a.images.begin(), a.images.end(),
                                       [&](const Image& image) { return image.line > s.line && image.line < next_line; });
    if (!has_children && !has_image && text::trim(s.text).empty())
      ctx.emit("structure/empty-section", &a, s.line,
               "section '" + s.heading + "' is empty; write it or remove the heading");
  }
}

}  // namespace

void check_structure(Context& ctx) {
  const auto& articles = ctx.set.articles;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const Article& a = articles[i];
    if (a.status == ArticleStatus::kArchived) continue;
    check_sections(ctx, a);
    check_outline(ctx, a);
    for (const auto& image : a.images)
      if (text::trim(image.alt).empty())
        ctx.emit("structure/image-alt", &a, image.line,
                 "image '" + image.src + "' has no alt text, so screen readers skip it; describe it: ![what it "
                 "shows](" + image.src + ")");
    const ArticleText& t = ctx.texts[i];
    if (ctx.config.max_words > 0 && t.words > ctx.config.max_words)
      ctx.emit("structure/too-long", &a, a.body_first_line,
               std::to_string(t.words) + " words, over the limit of " + std::to_string(ctx.config.max_words) +
                   "; split it into articles that each answer one question");
    if (t.long_sentences > 0)
      ctx.emit("structure/long-sentence", &a, t.longest_sentence_line,
               std::to_string(t.long_sentences) + (t.long_sentences == 1 ? " sentence has" : " sentences have") +
                   " more than " + std::to_string(ctx.config.max_sentence_words) + " words; the longest (" +
                   std::to_string(t.longest_sentence) + " words) starts \"" + t.longest_sentence_start +
                   "...\"; split it");
  }
}

}  // namespace helpmark::audit
