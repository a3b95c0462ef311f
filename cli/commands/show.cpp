// helpmark show: print an article's parsed fields, from the index or straight from a file.
#include <cstdio>
#include <iostream>

#include "commands/commands.hpp"
#include "helpmark/index.hpp"
#include "helpmark/json.hpp"
#include "output.hpp"

namespace helpmark::cli {
namespace {

struct ShowCommand {
  std::string id;
  std::string index = default_index_dir();
  std::string file;
  std::string taxonomy = "taxonomy";
  bool index_stats = false;
  bool json = false;
};

void print_index_stats(const IndexStats& s) {
  std::printf("articles        %zu (schema %s, default locale %s)\n", s.articles, s.schema.c_str(),
              s.default_locale.c_str());
  std::printf("ranking         %s, model weight %g, field weights %s (title.questions.summary.tags.headings.body)\n",
              s.ranking.weighting.c_str(), s.ranking.model_weight, s.ranking.fields.c_str());
  std::printf("chosen by       %s\n", s.ranking.chosen_by.c_str());
  if (s.models.empty()) std::printf("models          none\n");
  for (const auto& m : s.models) {
    if (!m.error.empty())
      std::printf("model %-9s %s\n", m.locale.c_str(), m.error.c_str());
    else
      std::printf("model %-9s %zu articles, %zu features, %zu weights, %.1f KB\n", m.locale.c_str(), m.articles,
                  m.features, m.weights, static_cast<double>(m.bytes) / 1024.0);
  }
  std::printf("answer model    %s: threshold %.3f, fitted on %s\n", s.answer_model.source.c_str(),
              s.answer_model.threshold, s.answer_model.fitted_on.c_str());
}

void print_article(const Article& a) {
  auto line = [](const char* name, const std::string& value) {
    if (!value.empty()) std::printf("%-15s %s\n", name, value.c_str());
  };
  auto list = [](const std::vector<std::string>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    return out;
  };
  line("id", a.id);
  line("title", a.title);
  line("journey", a.journey + (a.subtopic.empty() ? "" : " / " + a.subtopic));
  line("locale", a.locale);
  line("audience", list(a.audience));
  line("status", article_status_name(a.status));
  line("tags", list(a.tags));
  line("owner", a.owner);
  line("reviewed", a.reviewed + (a.review_every.empty() ? "" : " (every " + a.review_every + ")"));
  line("translation_of", a.translation_of);
  line("related", list(a.related));
  line("path", a.path);
  line("updated", a.updated);
  line("summary", a.summary);
  if (!a.questions.empty()) {
    std::printf("questions\n");
    for (const auto& q : a.questions) std::printf("  - %s\n", q.c_str());
  }
  std::printf("sections\n");
  for (const auto& s : a.sections)
    std::printf("  %-16s line %-4d %s\n", section_kind_name(s.kind), s.line,
                s.level ? (std::string(static_cast<std::size_t>(s.level), '#') + " " + s.heading).c_str()
                        : "(text before the first heading)");
  if (!a.links.empty()) {
    std::printf("links\n");
    for (const auto& l : a.links)
      std::printf("  line %-4d %s%s\n", l.line, l.target.c_str(),
                  l.internal ? (" -> " + (l.article_id.empty() ? std::string("(unresolved)") : l.article_id)).c_str() : "");
  }
  if (!a.images.empty()) {
    std::printf("images\n");
    for (const auto& i : a.images)
      std::printf("  line %-4d %s  alt: %s\n", i.line, i.src.c_str(), i.alt.empty() ? "(missing)" : i.alt.c_str());
  }
}

int run_show(const ShowCommand& cmd) {
  if (cmd.index_stats) {
    auto index = Index::open(cmd.index);
    if (!index.ok()) return report_error(index.status(), cmd.json);
    auto stats = index->stats();
    if (!stats.ok()) return report_error(stats.status(), cmd.json);
    if (cmd.json) std::cout << json::index_stats(stats.value()) << "\n";
    else print_index_stats(stats.value());
    return kExitOk;
  }
  Result<Article> article = Status(ErrorCode::kInvalidArgument, "give an article ID or --file PATH");
  if (!cmd.file.empty()) {
    auto taxonomy = Taxonomy::load(cmd.taxonomy);
    if (!taxonomy.ok()) return report_error(taxonomy.status(), cmd.json);
    std::vector<Diagnostic> diagnostics;
    article = load_article_file(cmd.file, taxonomy.value(), diagnostics);
    print_diagnostics(diagnostics);
  } else if (!cmd.id.empty()) {
    auto index = Index::open(cmd.index);
    if (!index.ok()) return report_error(index.status(), cmd.json);
    article = index->get(cmd.id);
  }
  if (!article.ok()) return report_error(article.status(), cmd.json);
  if (cmd.json) std::cout << json::article(article.value()) << "\n";
  else print_article(article.value());
  return kExitOk;
}

}  // namespace

void register_show(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<ShowCommand>();
  CLI::App* sub = app.add_subcommand(
      "show",
      "Print an article's parsed fields: front matter, sections, links and images.\n"
      "  helpmark show refund-timing                 # as stored in the index\n"
      "  helpmark show --file articles/en/payments/refund-timing.md   # parse a file\n"
      "  helpmark show --index-stats        # how the index ranks: the settings it chose, its models");
  sub->add_option("id", cmd->id, "Article id");
  sub->add_option("--file", cmd->file, "Parse this Markdown file instead of reading the index");
  sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
  sub->add_option("--taxonomy", cmd->taxonomy, "Taxonomy folder (with --file)")->capture_default_str();
  sub->add_flag("--index-stats", cmd->index_stats,
                "Print how the index ranks: the settings the knowledge base chose and from what, and\n"
                "its lexical models and answer model");
  sub->add_flag("--json", cmd->json, "Print the article (or the index stats) as JSON");
  sub->callback([cmd, &exit_code] { exit_code = run_show(*cmd); });
}

}  // namespace helpmark::cli
