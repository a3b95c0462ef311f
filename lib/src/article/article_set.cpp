#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "helpmark/article.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace helpmark {
namespace {

std::string mtime_date(const fs::path& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return {};
  return text::iso_date_from_days(static_cast<long>(st.st_mtime / 86400));
}

// Reads `file` if it is within the limits; otherwise reports why not.
std::optional<std::string> read_limited(const fs::path& file, const std::string& shown,
                                        const ArticleLimits& limits,
                                        std::vector<Diagnostic>& diags) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec) {
    diags.push_back({Severity::kError, shown, 0, "cannot read: " + ec.message()});
    return std::nullopt;
  }
  if (size > limits.max_file_bytes) {
    diags.push_back({Severity::kError, shown, 0,
                     "file is " + std::to_string(size) + " bytes, over the limit of " +
                         std::to_string(limits.max_file_bytes) +
                         "; split the article or raise --max-file-size"});
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diags.push_back({Severity::kError, shown, 0, "cannot read: permission denied or not a file"});
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    diags.push_back({Severity::kError, shown, 0, "read failed"});
    return std::nullopt;
  }
  return std::move(buffer).str();
}

// "a/b/../c.md" relative to "a" -> "a/c.md"; empty when it leaves the tree.
std::string resolve_relative(const std::string& from_path, std::string_view target) {
  std::vector<std::string> parts = text::split(from_path, '/');
  parts.pop_back();  // the file name
  for (const auto& piece : text::split(target, '/')) {
    if (piece.empty() || piece == ".") continue;
    if (piece == "..") {
      if (parts.empty()) return {};
      parts.pop_back();
    } else {
      parts.push_back(piece);
    }
  }
  return text::join(parts, "/");
}

}  // namespace

Result<Article> load_article_file(const fs::path& file, const Taxonomy& taxonomy,
                                  std::vector<Diagnostic>& diags, const ArticleLimits& limits) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    return Status(ErrorCode::kNotFound, file.string() + ": no such article file");
  const std::string shown = file.generic_string();
  auto content = read_limited(file, shown, limits, diags);
  if (!content) return Status(ErrorCode::kInvalidInput, diags.back().to_string());
  auto article = parse_article(*content, shown, taxonomy, diags);
  if (!article) return Status(ErrorCode::kInvalidInput, shown + ": the article has errors");
  if (article->updated.empty()) article->updated = mtime_date(file);
  return std::move(*article);
}

Result<ArticleSet> load_articles(const fs::path& dir, const Taxonomy& taxonomy,
                                 const ArticleLimits& limits) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Status(ErrorCode::kNotFound, dir.string() +
                                            ": articles directory not found; pass the directory "
                                            "that holds your .md articles");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {  // .git, editor swap files
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->path().extension() == ".md" && !it->is_directory()) files.push_back(it->path());
  }
  if (ec) return Status(ErrorCode::kIoError, dir.string() + ": cannot list: " + ec.message());
  std::sort(files.begin(), files.end());

  ArticleSet set;
  set.files_seen = files.size();
  std::map<std::string, std::string> path_of_id;
  for (const auto& file : files) {
    const std::string relative = fs::relative(file, dir).generic_string();
    auto content = read_limited(file, relative, limits, set.diagnostics);
    if (!content) continue;
    auto article = parse_article(*content, relative, taxonomy, set.diagnostics);
    if (!article) continue;
    auto [it, inserted] = path_of_id.emplace(article->id, relative);
    if (!inserted) {
      // The line of its `id:`; an id taken from the file name has no line of its own.
      const auto id_line = article->field_lines.find("id");
      set.diagnostics.push_back({Severity::kError, relative, id_line != article->field_lines.end() ? id_line->second : 1,
                                 "duplicate id '" + article->id + "': " + it->second +
                                     " already uses it; give this article a different `id:`"});
      continue;
    }
    if (article->updated.empty()) article->updated = mtime_date(file);
    set.articles.push_back(std::move(*article));
  }

  // Resolve relative .md links now that every file's id is known.
  std::map<std::string, std::string> id_of_path;
  for (const auto& a : set.articles) id_of_path[a.path] = a.id;
  for (auto& a : set.articles) {
    for (auto& link : a.links) {
      if (!link.internal || !link.article_id.empty()) continue;
      std::string_view target = link.target;
      target = target.substr(0, target.find('#'));
      if (target.empty()) {
        link.article_id = a.id;  // "#anchor" on the same page
        continue;
      }
      auto resolved = resolve_relative(a.path, target);
      if (auto hit = id_of_path.find(resolved); hit != id_of_path.end()) link.article_id = hit->second;
    }
  }
  return set;
}

}  // namespace helpmark
