// Review freshness: an article is due `reviewed` + interval days after its last review. The
// interval is the article's `review_every`, else audit.yaml's journey override, else the
// taxonomy journey's `review_every`, else audit.yaml's `review.default_every`.
#include "audit/audit_internal.hpp"
#include "util/text.hpp"

namespace helpmark::audit {
namespace {

std::string interval_source(const Context& ctx, const Article& a, int days) {
  if (!a.review_every.empty() && parse_interval_days(a.review_every) > 0) return "review_every: " + a.review_every;
  const std::string every = "every " + std::to_string(days) + " days";
  if (ctx.config.journey_review_days.count(a.journey)) return "audit.yaml reviews " + a.journey + " " + every;
  if (const Journey* j = ctx.taxonomy.find_journey(a.journey); j && j->review_every_days > 0)
    return "the " + a.journey + " journey reviews " + every;
  return "audit.yaml's default: " + every;
}

}  // namespace

void check_stale(Context& ctx) {
  const std::string today = text::iso_date_from_days(ctx.as_of_days);
  for (const auto& a : ctx.set.articles) {
    if (a.status != ArticleStatus::kPublished) continue;  // drafts and archived pages are not shown
    if (a.owner.empty())
      ctx.emit("stale/no-owner", &a, 1,
               "no `owner`: nobody is asked to review this article; add `owner:` with the responsible team");
    if (a.reviewed.empty()) {
      ctx.emit("stale/never-reviewed", &a, 1,
               "never reviewed: check it against the current product and policy, then add `reviewed: " + today + "`");
      continue;
    }
    const long reviewed = text::days_from_iso_date(a.reviewed);
    const int line = Context::field_line(a, "reviewed");
    if (reviewed > ctx.as_of_days) {
      ctx.emit("stale/future-review", &a, line,
               "reviewed " + a.reviewed + " is after the audit date " + today +
                   ": correct the date (a typo?) or audit with a later --as-of");
      continue;
    }
    const int every = review_interval_days(ctx, a);
    if (every <= 0) continue;
    const long due = reviewed + every;
    if (due >= ctx.as_of_days) continue;
    ctx.emit("stale/overdue", &a, line,
             "review overdue by " + std::to_string(ctx.as_of_days - due) + " days: reviewed " + a.reviewed +
                 ", due " + text::iso_date_from_days(due) + " (" + interval_source(ctx, a, every) +
                 "); check it against the current product and policy, then set `reviewed: " + today + "`");
  }
}

}  // namespace helpmark::audit
