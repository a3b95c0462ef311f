// The taxonomy against the articles: unknown tags, articles outside every sub-topic, journeys
// and sub-topics nobody wrote for, featured `articles:` lists naming missing ids; and the audit
// settings (front matter `audit:`, audit.yaml) against what exists.
#include <algorithm>
#include <set>

#include "audit/audit_internal.hpp"

namespace helpmark::audit {

void check_taxonomy(Context& ctx) {
  const Taxonomy& tax = ctx.taxonomy;
  std::set<std::string, std::less<>> journeys_used, subtopics_used;
  for (const auto& a : ctx.set.articles) {
    if (a.status == ArticleStatus::kArchived) continue;
    if (!tax.tags().empty()) {
      for (const auto& tag : a.tags)
        if (!tax.has_tag(tag))
          ctx.emit("taxonomy/unknown-tag", &a, Context::field_line(a, "tags"),
                   "tag '" + tag + "' is not in the taxonomy's `tags`; use a listed tag or add '" + tag +
                       "' to journeys.yaml");
    }
    if (a.status != ArticleStatus::kPublished) continue;
    journeys_used.insert(a.journey);
    if (!a.subtopic.empty()) subtopics_used.insert(a.subtopic);
    const Journey* journey = tax.find_journey(a.journey);
    if (journey && a.subtopic.empty() && !journey->subtopics.empty()) {
      std::vector<std::string> names;
      for (const auto& s : journey->subtopics) names.push_back(s.id);
      ctx.emit("taxonomy/no-subtopic", &a, Context::field_line(a, "journey"),
               "no `subtopic`: the article appears under no topic of " + a.journey + "; set subtopic: to one of " +
                   list_names(names, 10));
    }
  }
  const std::string file = ctx.taxonomy_file();
  auto check_listed = [&](const std::vector<std::string>& ids, const std::string& owner_id, const std::string& journey) {
    for (const auto& id : ids)
      if (!ctx.find(id))
        ctx.emit_file("taxonomy/unknown-article", file, ctx.taxonomy_line(owner_id), journey,
                      owner_id + " lists article '" + id + "' in `articles:`, but no article has that id; fix or "
                      "remove it");
  };
  for (const auto& journey : tax.journeys()) {
    check_listed(journey.articles, journey.id, journey.id);
    for (const auto& sub : journey.subtopics) check_listed(sub.articles, sub.id, journey.id);
    if (!journeys_used.count(journey.id)) {
      ctx.emit_file("taxonomy/empty-journey", file, ctx.taxonomy_line(journey.id), journey.id,
                    "journey " + journey.id + " has no published article; write one or remove the journey");
      continue;  // its sub-topics are empty too; one finding says it
    }
    for (const auto& sub : journey.subtopics)
      if (!subtopics_used.count(sub.id))
        ctx.emit_file("taxonomy/empty-subtopic", file, ctx.taxonomy_line(sub.id), journey.id,
                      "sub-topic " + sub.id + " of " + journey.id +
                          " has no published article; write one or remove the sub-topic");
  }
}

void check_config(Context& ctx) {
  const AuditConfig& config = ctx.config;
  for (const auto& a : ctx.set.articles) {
    for (const auto& pattern : a.audit_ignore)
      if (!is_audit_check_pattern(pattern))
        ctx.emit("config/invalid", &a, Context::field_line(a, "audit"),
                 "audit.ignore names unknown check '" + pattern +
                     "'; use an id such as orphans/unlinked or a family such as orphans");
    if (!a.audit_type.empty() && !config.type_required_sections.count(a.audit_type)) {
      std::vector<std::string> types;
      for (const auto& [type, _] : config.type_required_sections) types.push_back(type);
      ctx.emit("config/invalid", &a, Context::field_line(a, "audit"),
               "audit.type '" + a.audit_type + "' is not defined in audit.yaml's required_sections.types (" +
                   (types.empty() ? std::string("none defined") : "defined: " + list_names(types, 10)) +
                   "); fix the type or define it");
    }
  }
  auto known_journey = [&](const std::string& id, const std::string& where) {
    if (!ctx.taxonomy.find_journey(id))
      ctx.emit_setting("config/invalid", where + "." + id,
                       where + " names journey '" + id + "', which the taxonomy does not have (" +
                           ctx.taxonomy.journey_names() + ")");
  };
  for (const auto& [journey, _] : config.journey_review_days) known_journey(journey, "review.journeys");
  for (const auto& [journey, _] : config.journey_required_sections) known_journey(journey, "required_sections.journeys");
  for (const auto& locale : config.required_locales)
    if (std::find(ctx.taxonomy.locales().begin(), ctx.taxonomy.locales().end(), locale) == ctx.taxonomy.locales().end())
      ctx.emit_setting("config/invalid", "translations.required_locales." + locale,
                       "translations.required_locales names '" + locale + "', which is not in the taxonomy's `locales`");
}

}  // namespace helpmark::audit
