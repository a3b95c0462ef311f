// Orphans: published articles that no other published article links to (in the body or in
// `related`) and that no journey or sub-topic lists in `articles:`. Customers reach them only
// through search. A translation group counts as one page: linking to any language version
// makes the others reachable through the language switcher, so the finding goes on the source.
#include <unordered_set>

#include "audit/audit_internal.hpp"

namespace helpmark::audit {

void check_orphans(Context& ctx) {
  std::unordered_set<std::string> linked_groups;
  auto mark = [&](const Article* target, const Article* from) {
    if (target && target != from) linked_groups.insert(ctx.group_of(*target));
  };
  for (const auto& a : ctx.set.articles) {
    if (a.status != ArticleStatus::kPublished) continue;
    for (const auto& link : a.links)
      if (link.internal && !link.article_id.empty()) mark(ctx.find(link.article_id), &a);
    for (const auto& id : a.related) mark(ctx.find(id), &a);
  }
  for (const auto& journey : ctx.taxonomy.journeys()) {
    for (const auto& id : journey.articles) mark(ctx.find(id), nullptr);
    for (const auto& sub : journey.subtopics)
      for (const auto& id : sub.articles) mark(ctx.find(id), nullptr);
  }
  for (const auto& a : ctx.set.articles) {
    if (a.status != ArticleStatus::kPublished) continue;
    if (!a.translation_of.empty()) {
      const Article* source = ctx.find(a.translation_of);
      if (source && source->status == ArticleStatus::kPublished) continue;  // reported on the source
    }
    if (linked_groups.count(ctx.group_of(a))) continue;
    const std::size_t translations = ctx.translations_of(a.id).size();
    ctx.emit("orphans/unlinked", &a, 1,
             std::string("no other article links to it") + (translations ? " (nor to its translations)" : "") +
                 " and no journey lists it: customers find it only by searching; link to it from related "
                 "articles (`related:`) or list it under `articles:` of its " +
                 (a.subtopic.empty() ? "journey" : "sub-topic " + a.subtopic) + " in journeys.yaml");
  }
}

}  // namespace helpmark::audit
