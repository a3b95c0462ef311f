// Effectiveness, from a tracking store (helpmark/tracking.hpp): much-viewed articles that
// readers rate unhelpful or that are followed by tickets, and frequent searches that find
// nothing. Only the events of the `effectiveness.window` days before the audit date count, so
// an article rewritten long ago is not judged by its old version.
#include <algorithm>
#include <cstdio>
#include <map>

#include "audit/audit_internal.hpp"
#include "helpmark/learning.hpp"
#include "helpmark/tracking.hpp"
#include "util/text.hpp"

namespace helpmark::audit {
namespace {

// A helpful ratio from fewer votes says little.
constexpr std::size_t kMinVotes = 5;

std::string percent(double ratio) { return std::to_string(static_cast<int>(ratio * 100 + 0.5)) + "%"; }

// "1 session", "2 sessions".
std::string count_of(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

bool check_effectiveness(Context& ctx, std::string& error) {
  tracking::StoreOptions store_options;
  store_options.read_only = true;
  store_options.create = false;
  auto store = tracking::EventStore::open(ctx.options.tracking_store, store_options);
  if (!store.ok()) {
    error = store.status().message();
    return false;
  }
  const AuditConfig& config = ctx.config;
  tracking::ReportOptions options;
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  options.to_ms = (ctx.as_of_days + 1) * kDay;  // the whole audit day
  if (config.window_days > 0) options.from_ms = *options.to_ms - config.window_days * kDay;
  options.top = 0;  // every article and every gap
  options.min_gap_count = std::max<std::size_t>(1, config.min_zero_result_searches);
  options.default_locale = ctx.taxonomy.default_locale();
  auto report = store->report(options);
  if (!report.ok()) {
    error = report.status().message();
    return false;
  }
  const std::string window = config.window_days > 0 ? "in the " + std::to_string(config.window_days) + " days to " +
                                                           text::iso_date_from_days(ctx.as_of_days)
                                                     : std::string("in the store");
  for (const auto& m : report->articles) {
    const Article* a = ctx.find(m.article);
    if (!a || a->status == ArticleStatus::kArchived || m.views < config.min_views) continue;
    const std::size_t votes = m.helpful_yes + m.helpful_no;
    if (auto helpful = m.helpful_ratio(); helpful && votes >= kMinVotes && *helpful < config.min_helpful_ratio)
      ctx.emit("effectiveness/unhelpful", a, 1,
               count_of(m.views, "view", "views") + " " + window + ", but only " + percent(*helpful) + " of " +
                   count_of(votes, "reader", "readers") + " found it helpful (threshold " + percent(config.min_helpful_ratio) +
                   "); read the feedback reasons (helpmark report) and rewrite the answer");
    const std::size_t settled = m.deflection.deflected + m.deflection.ticketed;
    if (auto rate = tracking::ratio(m.deflection.ticketed, settled); rate && *rate > config.max_ticket_rate)
      ctx.emit("effectiveness/tickets-after-view", a, 1,
               percent(*rate) + " of " + count_of(settled, "session", "sessions") + " that viewed it " + window +
                   " opened a ticket afterwards (threshold " + percent(config.max_ticket_rate) +
                   "); find what those tickets ask and answer it here");
  }
  for (const auto& gap : report->content_gaps) {
    if (gap.zero_result_searches < config.min_zero_result_searches) continue;
    // Located where a writer would act, and where code-review tools (SARIF) need a file and a
    // line: the journey in journeys.yaml, or its `journeys:` list when the journey is unknown.
    const std::string journey = gap.journey == "unknown" ? std::string() : gap.journey;
    int line = journey.empty() ? 0 : ctx.taxonomy_line(journey);
    if (line == 0) line = ctx.taxonomy_key_line("journeys");
    ctx.emit_file("effectiveness/content-gap", ctx.taxonomy_file(), line, journey,
                  "\"" + gap.text + "\" (" + gap.locale + ") found nothing " +
                      (gap.zero_result_searches == 1 ? std::string("once")
                                                     : std::to_string(gap.zero_result_searches) + " times") +
                      " " + window + "; write an article that answers it, or add the words to an article's "
                      "`questions` or to the synonyms",
                  gap.locale);
  }

  // Pending learned questions: what customers call an article that its questions lack (the
  // proposals of `helpmark learn suggest`, with its defaults), for the article's owner.
  learning::LearnOptions learn;
  learn.since_ms = options.from_ms;
  learn.until_ms = options.to_ms;
  learn.now_ms = options.to_ms;
  learn.default_locale = ctx.taxonomy.default_locale();
  auto proposals = learning::mine(
      store.value(),
      [&ctx](const std::string& id) -> std::optional<learning::KnownArticle> {
        const Article* a = ctx.find(id);
        if (!a || a->status != ArticleStatus::kPublished) return std::nullopt;
        return learning::KnownArticle{a->locale, a->title, a->questions, a->path, a->owner};
      },
      learn);
  if (!proposals.ok()) {
    error = proposals.status().message();
    return false;
  }
  std::map<std::string, std::vector<const learning::LearnedQuestion*>> by_article;
  for (const auto& q : proposals->questions) by_article[q.article].push_back(&q);
  for (const auto& [id, questions] : by_article) {
    const Article* a = ctx.find(id);
    std::string list;
    for (std::size_t i = 0; i < questions.size() && i < 5; ++i)
      list += (i ? ", \"" : "\"") + questions[i]->question + "\" (" + count_of(questions[i]->sessions, "session", "sessions") + ")";
    if (questions.size() > 5) list += " and " + std::to_string(questions.size() - 5) + " more";
    ctx.emit("effectiveness/learned-questions", a, Context::field_line(*a, "questions"),
             "customers " + window + " found this article with " + list +
                 ", which its questions lack; add them to `questions:` (see `helpmark learn suggest`)");
  }
  return true;
}

}  // namespace helpmark::audit
