// An article as a standalone HTML page (GET /v1/articles/{id} with Accept: text/html), and the
// page for an article that does not exist (GET /articles/{id}).
#pragma once

#include <string>

#include "helpmark/article.hpp"

namespace helpmark::cli::serve {

/// Renders the article's Markdown body with cmark-gfm (tables, strikethrough, autolinks, task
/// lists) in safe mode: raw HTML in the Markdown is omitted and javascript:/data: links are
/// dropped. Internal links (`article:<id>`, relative `.md`) point at /v1/articles/<id>. Every
/// front-matter text is HTML-escaped. Thread-safe.
std::string article_html(const Article& article);

/// The 404 page of /articles/{id}: says that no article has `id` and links to the search. The
/// id comes from the request and is HTML-escaped.
std::string article_not_found_html(const std::string& id);

/// `text` with & < > " ' replaced by entities.
std::string html_escape(const std::string& text);

}  // namespace helpmark::cli::serve
