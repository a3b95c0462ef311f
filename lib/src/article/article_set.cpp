#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <map>
#include <optional>
#include <system_error>
#include <thread>

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
  // One read of the size just seen, then whatever was appended since.
  std::string content(static_cast<std::size_t>(size), '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(in.gcount()));
  char more[4096];
  while (!in.bad() && in.read(more, sizeof more).gcount() > 0) content.append(more, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    diags.push_back({Severity::kError, shown, 0, "read failed"});
    return std::nullopt;
  }
  return content;
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

  // Files are read and parsed in parallel, each into its own slot; the slots are then merged in
  // path order, so the set (and which of two articles with one id wins) does not depend on the
  // number of threads.
  struct Loaded {
    std::optional<Article> article;
    std::vector<Diagnostic> diagnostics;
    std::exception_ptr failure;
  };
  std::vector<Loaded> loaded(files.size());
  auto load_one = [&](std::size_t i) {
    Loaded& out = loaded[i];
    try {
      // The iterator's paths are `dir` joined with the rest: lexical, no file-system calls.
      const std::string relative = files[i].lexically_relative(dir).generic_string();
      auto content = read_limited(files[i], relative, limits, out.diagnostics);
      if (!content) return;
      out.article = parse_article(*content, relative, taxonomy, out.diagnostics);
      if (out.article && out.article->updated.empty()) out.article->updated = mtime_date(files[i]);
    } catch (...) {
      out.failure = std::current_exception();
    }
  };
  constexpr std::size_t kChunk = 16;
  unsigned threads = limits.threads ? limits.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, (files.size() + kChunk - 1) / kChunk));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t begin; (begin = next.fetch_add(kChunk)) < files.size();)
      for (std::size_t i = begin; i < std::min(begin + kChunk, files.size()); ++i) load_one(i);
  };
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
  }

  ArticleSet set;
  set.files_seen = files.size();
  std::map<std::string, std::string> path_of_id;
  for (auto& one : loaded) {
    if (one.failure) std::rethrow_exception(one.failure);
    for (auto& d : one.diagnostics) set.diagnostics.push_back(std::move(d));
    if (!one.article) continue;
    Article& article = *one.article;
    auto [it, inserted] = path_of_id.emplace(article.id, article.path);
    if (!inserted) {
      // The line of its `id:`; an id taken from the file name has no line of its own.
      const auto id_line = article.field_lines.find("id");
      set.diagnostics.push_back({Severity::kError, article.path,
                                 id_line != article.field_lines.end() ? id_line->second : 1,
                                 "duplicate id '" + article.id + "': " + it->second +
                                     " already uses it; give this article a different `id:`"});
      continue;
    }
    set.articles.push_back(std::move(article));
  }
  loaded.clear();

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
