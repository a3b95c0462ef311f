// Internal links and `related` ids: targets that do not exist, missing headings, targets that
// customers cannot see (archived, draft), and links that leave the reader's language.
// External (http) links are not fetched: an audit must work offline and be repeatable.
#include <algorithm>
#include <map>
#include <set>

#include "audit/audit_internal.hpp"

namespace helpmark::audit {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return cap + 1;
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t best = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
      best = std::min(best, row[j]);
    }
    if (best > cap) return cap + 1;
  }
  return row[b.size()];
}

// Finds the closest existing id for "did you mean". Ids are bucketed by length (an edit
// distance of d only reaches ids whose length differs by at most d), answers are cached, and a
// budget bounds the work when a knowledge base has thousands of broken links.
class Suggester {
 public:
  explicit Suggester(const Context& ctx) {
    for (const auto& a : ctx.set.articles) {
      if (a.id.size() >= by_length_.size()) by_length_.resize(a.id.size() + 1);
      by_length_[a.id.size()].push_back(&a.id);
    }
  }

  // The closest id, or "".
  std::string operator()(const std::string& id) {
    if (auto it = cache_.find(id); it != cache_.end()) return it->second;
    std::string& out = cache_[id];
    const std::size_t cap = std::max<std::size_t>(2, id.size() / 4);
    std::size_t best = cap + 1;
    const std::string* hit = nullptr;
    const std::size_t low = id.size() > cap ? id.size() - cap : 0;
    for (std::size_t len = low; len <= id.size() + cap && len < by_length_.size(); ++len) {
      for (const std::string* candidate : by_length_[len]) {
        if (budget_ == 0) return out;
        budget_ -= std::min(budget_, id.size() * candidate->size());
        const std::size_t d = edit_distance(id, *candidate, std::min(cap, best - 1));
        if (d < best) {
          best = d;
          hit = candidate;
        }
      }
    }
    if (hit) out = *hit;
    return out;
  }

 private:
  std::vector<std::vector<const std::string*>> by_length_;
  std::map<std::string, std::string> cache_;
  std::size_t budget_ = 10'000'000;  // character comparisons, a few hundredths of a second
};

// Heading anchors as GitHub makes them: a repeated heading gets "-1", "-2" ...
std::vector<std::string> anchors_of(const Article& a) {
  std::vector<std::string> anchors;
  std::map<std::string, int> seen;
  for (const auto& s : a.sections) {
    if (s.level == 0 || s.anchor.empty()) continue;
    int n = seen[s.anchor]++;
    anchors.push_back(n == 0 ? s.anchor : s.anchor + "-" + std::to_string(n));
  }
  return anchors;
}

class LinkChecker {
 public:
  explicit LinkChecker(Context& ctx) : ctx_(ctx), suggest_(ctx) {}

  void run() {
    for (const auto& a : ctx_.set.articles) {
      if (a.status == ArticleStatus::kArchived) continue;
      for (const auto& link : a.links)
        if (link.internal) check_link(a, link);
      std::set<std::string> seen_related;
      for (const auto& id : a.related) {
        if (!seen_related.insert(id).second) continue;
        check_related(a, id);
      }
    }
  }

 private:
  // "; did you mean 'x'? ..." or the plain advice.
  std::string advice(const std::string& id, const char* plain) {
    const std::string hit = suggest_(id);
    return hit.empty() ? std::string("; ") + plain : "; did you mean '" + hit + "'? Otherwise " + plain;
  }

  void check_link(const Article& a, const Link& link) {
    const bool article_scheme = link.target.starts_with("article:");
    const int line = line_of(a, link);
    if (link.article_id.empty()) {
      if (article_scheme)
        ctx_.emit("links/broken-article", &a, line, "link '" + link.target + "' names no article id; write article:<id>");
      else
        ctx_.emit("links/broken-file", &a, line,
                  "link '" + link.target + "' points to a file that is not an article here; fix the path "
                  "(relative to this file) or link with article:<id>");
      return;
    }
    const Article* target = ctx_.find(link.article_id);
    if (!target) {
      ctx_.emit("links/broken-article", &a, line,
                "link '" + link.target + "' points to article '" + link.article_id + "', which does not exist" +
                    advice(link.article_id, "fix the id or remove the link"));
      return;
    }
    if (!link.anchor.empty()) {
      auto anchors = anchors_of(*target);
      if (std::find(anchors.begin(), anchors.end(), link.anchor) == anchors.end()) {
        for (auto& anchor : anchors) anchor.insert(0, "#");
        std::string known = anchors.empty() ? "it has no headings" : "its headings are " + list_names(anchors, 8);
        ctx_.emit("links/broken-anchor", &a, line,
                  "link '" + link.target + "' goes to heading #" + link.anchor + ", which '" + target->id +
                      "' does not have (" + known + "); point it at an existing heading or drop the #part");
      }
    }
    check_target(a, *target, line, "link '" + link.target + "' points to '" + target->id + "', which");
  }

  void check_related(const Article& a, const std::string& id) {
    const int line = Context::field_line(a, "related");
    const Article* target = ctx_.find(id);
    if (!target) {
      ctx_.emit("links/broken-related", &a, line,
                "related article '" + id + "' does not exist" +
                    advice(id, "replace it with an existing id or remove it from `related`"));
      return;
    }
    check_target(a, *target, line, "related article '" + id + "'");
  }

  // `what` names the link and ends so that "is archived" follows: "related article 'x'".
  void check_target(const Article& a, const Article& target, int line, const std::string& what) {
    if (&target == &a) return;
    if (target.status == ArticleStatus::kArchived) {
      ctx_.emit("links/archived-target", &a, line,
                what + " is archived; link to the article that replaced it or remove the link");
      return;
    }
    if (target.status == ArticleStatus::kDraft && a.status == ArticleStatus::kPublished) {
      ctx_.emit("links/draft-target", &a, line,
                what + " is a draft customers cannot open; publish it first or remove the link");
      return;
    }
    if (target.locale != a.locale) {
      const Article* own = ctx_.translation(ctx_.group_of(target), a.locale);
      if (own && own != &a && own->status == ArticleStatus::kPublished)
        ctx_.emit("links/other-locale", &a, line,
                  what + " is in " + target.locale + " although the " + a.locale + " version '" + own->id +
                      "' exists; link to '" + own->id + "'");
    }
  }

  // The parser locates a link at the start of its top-level block (a whole list, say); the
  // line that holds "](target" is where a writer has to look.
  static int line_of(const Article& a, const Link& link) {
    const std::string needle = "](" + link.target;
    std::string_view body = a.body_markdown;
    int line = a.body_first_line;
    std::size_t pos = 0;
    while (line < link.line && pos < body.size()) {
      std::size_t eol = body.find('\n', pos);
      if (eol == std::string_view::npos) return link.line;
      pos = eol + 1;
      ++line;
    }
    std::size_t hit = body.find(needle, pos);
    if (hit == std::string_view::npos) return link.line;
    for (std::size_t i = pos; i < hit; ++i) line += body[i] == '\n';
    return line;
  }

  Context& ctx_;
  Suggester suggest_;
};

}  // namespace

void check_links(Context& ctx) { LinkChecker(ctx).run(); }

}  // namespace helpmark::audit
