#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <map>
#include <optional>
#include <set>
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

// True when `path` is `root` or below it; both canonical.
bool is_within(const fs::path& path, const fs::path& root) {
  auto [root_end, path_it] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

// Every `.md` file below `dir` (hidden entries skipped) into `files`. A subdirectory that cannot
// be listed is an error in `set` and goes to set.unreadable_dirs, so its articles are not taken
// for deleted; `dir` itself unlistable fails. A `.md` link leading outside `dir` is an error
// unless limits.follow_symlinks; linked directories are not entered.
Status list_article_files(const fs::path& dir, const ArticleLimits& limits, std::vector<fs::path>& files,
                          ArticleSet& set) {
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  std::vector<fs::path> pending{dir};
  while (!pending.empty()) {
    const fs::path current = pending.back();
    pending.pop_back();
    const std::string shown = current.lexically_relative(dir).generic_string();
    auto unreadable = [&](const std::error_code& why) {
      if (current == dir) return Status(ErrorCode::kIoError, dir.string() + ": cannot list: " + why.message());
      set.unreadable_dirs.push_back(shown);
      set.diagnostics.push_back({Severity::kError, shown + "/", 0,
                                 "cannot list this directory: " + why.message() +
                                     "; its articles stay indexed as they were. Fix its permissions"});
      return Status::Ok();
    };
    fs::directory_iterator it(current, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      const fs::path& path = it->path();
      const auto name = path.filename().string();
      if (!name.empty() && name[0] == '.') continue;  // .git, editor swap files
      std::error_code type_ec;
      if (it->is_symlink(type_ec)) {
        if (path.extension() != ".md") continue;
        const fs::path target = fs::canonical(path, type_ec);
        // A dangling link is listed, and reading it reports the error.
        if (!type_ec && !root.empty() && !limits.follow_symlinks && !is_within(target, root)) {
          set.diagnostics.push_back({Severity::kError, path.lexically_relative(dir).generic_string(), 0,
                                     "symbolic link to " + target.string() +
                                         ", outside the articles directory: not read; copy the file in, "
                                         "or pass --follow-symlinks"});
          continue;
        }
        if (!fs::is_directory(path, type_ec)) files.push_back(path);
      } else if (it->is_directory(type_ec)) {
        pending.push_back(path);
      } else if (path.extension() == ".md") {
        files.push_back(path);
      }
    }
    if (ec) {
      if (Status s = unreadable(ec); !s.ok()) return s;
      ec.clear();
    }
  }
  std::sort(set.unreadable_dirs.begin(), set.unreadable_dirs.end());
  return Status::Ok();
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
  ArticleSet set;
  std::vector<fs::path> files;
  if (Status listed = list_article_files(dir, limits, files, set); !listed.ok()) return listed;
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

  set.files_seen = files.size();
  for (auto& one : loaded)
    if (one.failure) std::rethrow_exception(one.failure);
  // Who keeps each id: its indexed file while that file exists, else the first path.
  std::set<std::string> paths_seen;
  for (const auto& file : files) paths_seen.insert(file.lexically_relative(dir).generic_string());
  std::map<std::string, std::string> owner_of_id;
  for (const auto& one : loaded) {
    if (!one.article) continue;
    const std::string& id = one.article->id;
    if (owner_of_id.count(id)) continue;
    auto indexed = limits.indexed_paths.find(id);
    owner_of_id[id] = indexed != limits.indexed_paths.end() && paths_seen.count(indexed->second)
                          ? indexed->second
                          : one.article->path;
  }
  for (auto& one : loaded) {
    for (auto& d : one.diagnostics) set.diagnostics.push_back(std::move(d));
    if (!one.article) continue;
    Article& article = *one.article;
    const std::string& owner = owner_of_id[article.id];
    if (owner != article.path) {
      // The line of its `id:`; an id taken from the file name has no line of its own.
      const auto id_line = article.field_lines.find("id");
      const auto indexed = limits.indexed_paths.find(article.id);
      const bool live = indexed != limits.indexed_paths.end() && indexed->second == owner;
      set.diagnostics.push_back({Severity::kError, article.path,
                                 id_line != article.field_lines.end() ? id_line->second : 1,
                                 "duplicate id '" + article.id + "': " + owner + " already uses it" +
                                     (live ? " and is the indexed article, which stays" : "") +
                                     "; give this article a different `id:`"});
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

std::vector<Diagnostic> check_article_references(const ArticleSet& set) {
  std::vector<Diagnostic> out;
  std::map<std::string, const Article*> by_id;
  for (const auto& a : set.articles) by_id.emplace(a.id, &a);
  auto line_of = [](const Article& a, const char* field) {
    auto it = a.field_lines.find(field);
    return it == a.field_lines.end() ? 1 : it->second;
  };
  for (const auto& a : set.articles) {
    for (const auto& id : a.related)
      if (!by_id.count(id))
        out.push_back({Severity::kWarning, a.path, line_of(a, "related"),
                       "related id '" + id + "' names no article; fix the id or remove it"});
    if (a.translation_of.empty()) continue;
    if (!by_id.count(a.translation_of)) {
      out.push_back({Severity::kWarning, a.path, line_of(a, "translation_of"),
                     "translation_of '" + a.translation_of + "' names no article; give the source article's id"});
      continue;
    }
    // Follow the chain; coming back to this article is a loop (reported once per article in it).
    std::set<std::string> seen{a.id};
    for (const Article* next = by_id[a.translation_of]; next && !next->translation_of.empty();) {
      if (!seen.insert(next->id).second) {
        if (next->id == a.id)
          out.push_back({Severity::kWarning, a.path, line_of(a, "translation_of"),
                         "translation_of loops back to '" + a.id +
                             "'; the source article must not have translation_of"});
        break;
      }
      auto it = by_id.find(next->translation_of);
      next = it == by_id.end() ? nullptr : it->second;
    }
  }
  return out;
}

bool ArticleSet::under_unreadable_dir(std::string_view path) const {
  for (const auto& dir : unreadable_dirs)
    if (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/') return true;
  return false;
}

}  // namespace helpmark
