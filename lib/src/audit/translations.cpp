// Translations: broken `translation_of`, translations older than their source, and coverage.
//
// Outdated: when a translation records `audit: {source_hash: H}`, it is outdated exactly when
// the source's current translation_source_hash() differs from H (a re-review that changes
// nothing does not count). Without a recorded hash, it is outdated when the source's
// `reviewed` date is later than the translation's.
#include <algorithm>
#include <map>

#include "audit/audit_internal.hpp"

namespace helpmark::audit {
namespace {

std::string percent(std::size_t part, std::size_t whole) {
  return whole == 0 ? "0%" : std::to_string((part * 100 + whole / 2) / whole) + "%";
}

void check_translation(Context& ctx, const Article& a) {
  const int line = Context::field_line(a, "translation_of");
  const Article* source = ctx.find(a.translation_of);
  if (!source) {
    ctx.emit("translations/source-missing", &a, line,
             "translation_of '" + a.translation_of +
                 "' is not an article id; set it to the id of the article this one translates");
    return;
  }
  if (!source->translation_of.empty()) {
    ctx.emit("translations/bad-source", &a, line,
             "translation_of '" + source->id + "' is itself a translation (of '" + source->translation_of +
                 "'); set translation_of: " + source->translation_of);
    return;
  }
  if (source->locale == a.locale) {
    ctx.emit("translations/bad-source", &a, line,
             "translation_of '" + source->id + "' is in the same locale (" + a.locale +
                 "); a translation must be in another language, so remove translation_of or fix `locale`");
    return;
  }
  if (source->status == ArticleStatus::kArchived && a.status != ArticleStatus::kArchived) {
    ctx.emit("translations/bad-source", &a, line,
             "its source '" + source->id + "' is archived; archive this translation too (status: archived)");
    return;
  }
  if (a.status == ArticleStatus::kArchived) return;

  if (!a.audit_source_hash.empty()) {
    const std::string current = translation_source_hash(*source);
    if (current != a.audit_source_hash)
      ctx.emit("translations/outdated", &a, line,
               "source '" + source->id + "' changed since this translation (source_hash " + a.audit_source_hash +
                   " recorded, now " + current + "); update the translation, then set `audit: {source_hash: " +
                   current + "}`");
    return;
  }
  if (!source->reviewed.empty() && !a.reviewed.empty() && source->reviewed > a.reviewed)
    ctx.emit("translations/outdated", &a, Context::field_line(a, "reviewed"),
             "source '" + source->id + "' was reviewed " + source->reviewed + ", after this translation (" +
                 a.reviewed + "); bring it up to date, then set `reviewed:` and `audit: {source_hash: " +
                 translation_source_hash(*source) + "}`");
}

}  // namespace

void check_translations(Context& ctx) {
  std::map<std::pair<std::string, std::string>, const Article*> first_translation;
  for (const auto& a : ctx.set.articles) {
    if (a.translation_of.empty()) continue;
    if (a.translation_of == a.id) {
      ctx.emit("translations/bad-source", &a, Context::field_line(a, "translation_of"),
               "translation_of names the article itself; remove it (originals have no translation_of)");
      continue;
    }
    auto [it, inserted] = first_translation.emplace(std::pair{a.translation_of, a.locale}, &a);
    if (!inserted && a.status != ArticleStatus::kArchived && it->second->status != ArticleStatus::kArchived) {
      ctx.emit("translations/duplicate", &a, Context::field_line(a, "translation_of"),
               "'" + it->second->id + "' (" + it->second->path + ") already translates '" + a.translation_of +
                   "' into " + a.locale + "; merge the two and archive or delete one");
    }
    check_translation(ctx, a);
  }

  // Coverage: sources are the published originals in the default locale (an original written
  // in another locale is local content, such as a payment method of one country); a gap is a
  // locale without a published translation.
  std::vector<const Article*> sources;
  for (const auto& a : ctx.set.articles)
    if (a.translation_of.empty() && a.status == ArticleStatus::kPublished && a.locale == ctx.taxonomy.default_locale())
      sources.push_back(&a);

  auto translated = [&](const Article& source, const std::string& locale) -> const Article* {
    return ctx.translation(source.id, locale);
  };
  for (const auto& locale : ctx.config.required_locales) {
    if (locale == ctx.taxonomy.default_locale()) continue;
    for (const Article* s : sources) {
      const Article* t = translated(*s, locale);
      if (t && t->status == ArticleStatus::kPublished) continue;
      if (t)
        ctx.emit("translations/missing", s, 1,
                 "the " + locale + " translation '" + t->id + "' is " + article_status_name(t->status) +
                     "; finish and publish it (" + locale + " is required by audit.yaml)");
      else
        ctx.emit("translations/missing", s, 1,
                 "no " + locale + " translation (" + locale +
                     " is required by audit.yaml); add one with `translation_of: " + s->id + "` and `locale: " +
                     locale + "`");
    }
  }
  if (!ctx.config.coverage_summary) return;
  for (const auto& locale : ctx.taxonomy.locales()) {
    if (std::find(ctx.config.required_locales.begin(), ctx.config.required_locales.end(), locale) !=
        ctx.config.required_locales.end())
      continue;
    std::size_t total = 0, done = 0;
    std::vector<std::string> missing_journeys;
    std::map<std::string, std::size_t> missing_by_journey;
    if (locale == ctx.taxonomy.default_locale()) continue;
    for (const Article* s : sources) {
      ++total;
      const Article* t = translated(*s, locale);
      if (t && t->status == ArticleStatus::kPublished) ++done;
      else ++missing_by_journey[s->journey];
    }
    if (total == 0 || done == total) continue;
    for (const auto& [journey, n] : missing_by_journey) missing_journeys.push_back(journey + " " + std::to_string(n));
    ctx.emit_file("translations/coverage", ctx.taxonomy_file(), ctx.taxonomy_key_line("locales"), "",
                  locale + ": " + std::to_string(done) + " of " + std::to_string(total) +
                      " published articles translated (" + percent(done, total) + "); untranslated by journey: " +
                      list_names(missing_journeys, 10) + ". To list each one, add " + locale +
                      " to translations.required_locales in audit.yaml",
                  locale);
  }
}

}  // namespace helpmark::audit
