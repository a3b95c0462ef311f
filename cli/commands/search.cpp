// helpmark search: search an index from the command line.
#include <cstdio>
#include <iostream>

#include "commands/commands.hpp"
#include "helpmark/index.hpp"
#include "output.hpp"
#include "requests.hpp"

namespace helpmark::cli {
namespace {

struct SearchCommand {
  SearchArgs args;
  std::string index = default_index_dir();
  bool json = false;
  bool explain = false;
};

// <mark> becomes bold on a terminal and [brackets] elsewhere; entities are decoded.
std::string terminal_snippet(const std::string& html, bool color) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    auto take = [&](const char* token, const char* replacement) {
      std::size_t n = std::char_traits<char>::length(token);
      if (html.compare(i, n, token) != 0) return false;
      out += replacement;
      i += n;
      return true;
    };
    if (take("<mark>", color ? "\033[1m" : "[") || take("</mark>", color ? "\033[0m" : "]") ||
        take("&amp;", "&") || take("&lt;", "<") || take("&gt;", ">") || take("&quot;", "\"") ||
        take("&#39;", "'"))
      continue;
    out += html[i++];
  }
  return out;
}

int run_search(const SearchCommand& cmd) {
  auto index = Index::open(cmd.index);
  if (!index.ok()) return report_error(index.status(), cmd.json);
  if (cmd.json) {
    auto text = search_json(index.value(), cmd.args);
    if (!text.ok()) return report_error(text.status(), cmd.json);
    std::cout << text.value() << "\n";
    return kExitOk;
  }
  auto response = index->search(to_search_request(cmd.args));
  if (!response.ok()) return report_error(response.status(), cmd.json);
  const auto& r = response.value();
  const bool color = stdout_is_terminal();
  if (cmd.explain)
    std::printf("Ranking: %s, model weight %g (%s)\n", r.ranking.weighting.c_str(), r.ranking.model_weight,
                r.ranking.chosen_by.c_str());
  if (r.auto_corrected)
    std::printf("Showing results for \"%s\" (searched instead of \"%s\").\n", r.corrected_query.c_str(), cmd.args.query.c_str());
  else if (!r.corrected_query.empty())
    std::printf("Did you mean \"%s\"?\n", r.corrected_query.c_str());
  if (!r.notice.empty()) std::printf("Note: %s.\n", r.notice.c_str());
  if (cmd.args.limit == 0) {
    std::printf("%zu result%s for \"%s\" (--limit 0: counts only)\n\n", r.total, r.total == 1 ? "" : "s",
                cmd.args.query.c_str());
  } else if (r.hits.empty()) {
    std::printf("No results for \"%s\"%s.\n", cmd.args.query.c_str(),
                r.total > 0 ? " on this page" : "");
  } else {
    std::printf("%zu result%s for \"%s\" (showing %zu-%zu)\n\n", r.total, r.total == 1 ? "" : "s",
                cmd.args.query.c_str(), cmd.args.offset + 1, cmd.args.offset + r.hits.size());
  }
  std::size_t rank = cmd.args.offset;
  for (const auto& h : r.hits) {
    std::printf("%2zu. %s%s%s\n", ++rank, color ? "\033[1m" : "", h.title.c_str(), color ? "\033[0m" : "");
    std::printf("    %s · %s/%s · %s · score %.2f\n", h.id.c_str(), h.journey.c_str(),
                h.subtopic.c_str(), h.locale.c_str(), h.score);
    if (cmd.explain) {
      if (h.has_model_score)
        std::printf("    fused %.3f = %g × model %.3f + %g × xapian %.3f / best\n", h.score, r.ranking.model_weight,
                    h.model_score, 1 - r.ranking.model_weight, h.xapian_score);
      else
        std::printf("    fused %.3f: xapian %.3f / best (no model knows this article)\n", h.score, h.xapian_score);
    }
    std::printf("    %s\n\n", terminal_snippet(h.snippet, color).c_str());
  }
  for (const auto& [field, counts] : r.facets) {
    if (counts.empty()) continue;
    std::printf("%s:", field.c_str());
    for (const auto& c : counts) std::printf(" %s (%zu)", c.value.c_str(), c.count);
    std::printf("\n");
  }
  return kExitOk;
}

}  // namespace

void register_search(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<SearchCommand>();
  CLI::App* sub = app.add_subcommand(
      "search",
      "Search the index. Filters take several values (OR within a filter, AND across filters).\n"
      "Examples:\n"
      "  helpmark search \"refund late\"\n"
      "  helpmark search \"payout\" --audience seller --journey sellers --json\n"
      "  helpmark search \"\" --journey returns --facet tags      # browse a journey");
  sub->add_option("query", cmd->args.query, "What to search for (empty lists everything)")->required();
  sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
  sub->add_option("--locale", cmd->args.locale,
                  "Preferred locale (BCP 47, e.g. es, pt-BR); falls back to the base language, then the default");
  sub->add_option("--journey", cmd->args.journeys, "Only these journeys")->delimiter(',');
  sub->add_option("--subtopic", cmd->args.subtopics, "Only these sub-topics")->delimiter(',');
  sub->add_option("--audience", cmd->args.audiences, "Only articles for buyer, seller or partner")->delimiter(',');
  sub->add_option("--tag", cmd->args.tags, "Only articles with these tags")->delimiter(',');
  sub->add_option("--status", cmd->args.statuses, "Statuses to include (default published)")->delimiter(',');
  sub->add_option("--facet", cmd->args.facets,
                  "Count these fields over all matches: journey, subtopic, audience, locale, tags, status")
      ->delimiter(',');
  sub->add_option("--limit", cmd->args.limit, "Results per page, 0-1000; 0 shows no hits, only the total and the --facet counts")->capture_default_str()->check(CLI::Range(0, 1000));
  sub->add_option("--offset", cmd->args.offset, "Skip this many results (pagination)")->capture_default_str()->check(CLI::NonNegativeNumber);
  sub->add_flag("--json", cmd->json, "Print one JSON object (schema in docs/tracking.md); hits carry their scores");
  sub->add_flag("--explain", cmd->explain,
                "Show how each hit was scored: the lexical model's score, Xapian's and the fused score");
  sub->callback([cmd, &exit_code] { exit_code = run_search(*cmd); });
}

}  // namespace helpmark::cli
