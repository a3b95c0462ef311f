#include "serve/article_html.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

namespace helpmark::cli::serve {
namespace {

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};
struct CharDeleter {
  void operator()(char* s) const { std::free(s); }
};

std::string url_escape_id(const std::string& id) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : id) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '_' || c == '.';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Internal links go to the article endpoint; the ids come from the parsed article.
void rewrite_internal_links(cmark_node* root, const Article& article) {
  std::map<std::string, std::string> ids;
  for (const auto& link : article.links)
    if (link.internal && !link.article_id.empty()) ids[link.target] = link.article_id;
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(root));
  for (cmark_event_type ev; (ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_LINK) continue;
    const char* url = cmark_node_get_url(node);
    if (url == nullptr) continue;
    std::string target = url;
    std::string id;
    if (auto it = ids.find(target); it != ids.end()) id = it->second;
    else if (target.rfind("article:", 0) == 0) id = target.substr(8, target.find('#') - 8);
    if (id.empty()) continue;
    const std::size_t hash = target.find('#');
    const std::string fragment = hash == std::string::npos ? "" : target.substr(hash);
    const std::string fixed = "/v1/articles/" + url_escape_id(id) + "?format=html" + fragment;
    cmark_node_set_url(node, fixed.c_str());
  }
}

// The stored article keeps its body as sections (heading + Markdown), not as one text.
std::string body_markdown(const Article& article) {
  if (!article.body_markdown.empty()) return article.body_markdown;
  std::string out;
  for (const auto& section : article.sections) {
    if (section.level > 0)
      out += std::string(static_cast<std::size_t>(section.level), '#') + " " + section.heading + "\n\n";
    out += section.markdown;
    out += "\n\n";
  }
  return out;
}

std::string render_markdown(const Article& article) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_DEFAULT));
  for (const char* name : {"table", "strikethrough", "autolink", "tasklist", "tagfilter"})
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser.get(), ext);
  const std::string markdown = body_markdown(article);
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> root(cmark_parser_finish(parser.get()));
  if (!root) return {};
  rewrite_internal_links(root.get(), article);
  // CMARK_OPT_DEFAULT is the safe mode: raw HTML and dangerous URLs are not rendered.
  std::unique_ptr<char, CharDeleter> html(
      cmark_render_html(root.get(), CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser.get())));
  return html ? std::string(html.get()) : std::string();
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string article_html(const Article& article) {
  std::string out = "<!doctype html>\n<html lang=\"" + html_escape(article.locale) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + html_escape(article.title) + "</title>\n";
  out += "<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n<main class=\"article-page\">\n<article>\n";
  out += "<h1>" + html_escape(article.title) + "</h1>\n";
  out += "<p class=\"meta\">" + html_escape(article.journey) +
         (article.subtopic.empty() ? "" : " / " + html_escape(article.subtopic)) + " · " +
         html_escape(article.locale) + (article.updated.empty() ? "" : " · " + html_escape(article.updated)) + "</p>\n";
  out += render_markdown(article);
  out += "</article>\n</main>\n</body>\n</html>\n";
  return out;
}

std::string article_not_found_html(const std::string& id) {
  const std::string named = id.empty() ? "this address" : "the id \u201c" + html_escape(id) + "\u201d";
  return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>Article not found</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n"
         "<main class=\"article-page\">\n<h1>Article not found</h1>\n<p>No article has " +
         named + ". It may have been renamed or removed.</p>\n<p><a href=\"/\">Search the help center</a></p>\n"
         "</main>\n</body>\n</html>\n";
}

}  // namespace helpmark::cli::serve
