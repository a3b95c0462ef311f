#include "helpmark/indexer.hpp"

#include <xapian.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <system_error>

#include "analysis/analyzer.hpp"
#include "index/document_builder.hpp"
#include "index/schema.hpp"
#include "index/storage.hpp"
#include "vocabulary/vocabulary_files.hpp"
#include "vocabulary/spelling.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace helpmark {
namespace {

struct Existing {
  Xapian::docid docid;
  std::string hash;
  std::string path;
};

std::map<std::string, Existing> read_existing(const Xapian::Database& db) {
  std::map<std::string, Existing> existing;
  const std::string prefix(schema::kId);
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    auto p = db.postlist_begin(*t);
    if (p == db.postlist_end(*t)) continue;
    Xapian::Document doc = db.get_document(*p);
    existing[(*t).substr(prefix.size())] = {*p, doc.get_value(schema::kSlotHash),
                                             doc.get_value(schema::kSlotPath)};
  }
  return existing;
}

// Id -> path of what the index holds now (empty when there is no index yet), so that a new
// file declaring an indexed id cannot take it over.
std::map<std::string, std::string> indexed_paths(const fs::path& index_dir) {
  std::map<std::string, std::string> out;
  auto db = storage::open_for_reading(index_dir);
  if (!db.ok()) return out;
  for (auto& [id, existing] : read_existing(db.value())) out[id] = std::move(existing.path);
  return out;
}

// Fault injection for the crash-safety test: HELPMARK_TEST_CRASH_AFTER=N kills the process
// with SIGKILL after N documents were written inside the open transaction.
long crash_after() {
  const char* v = std::getenv("HELPMARK_TEST_CRASH_AFTER");
  return v ? std::atol(v) : -1;
}

Result<IndexReport> update_index(const IndexOptions& options, IndexReport* report_out) {
  const auto started = std::chrono::steady_clock::now();
  IndexReport report;
  auto finish = [&](Status status) -> Result<IndexReport> {
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (report_out) *report_out = report;
    if (!status.ok()) return status;
    return report;
  };

  auto taxonomy = Taxonomy::load(options.taxonomy_dir);
  if (!taxonomy.ok()) return finish(taxonomy.status());
  ArticleLimits limits = options.limits;
  limits.indexed_paths = indexed_paths(options.index_dir);
  auto set = load_articles(options.articles_dir, taxonomy.value(), limits);
  if (!set.ok()) return finish(set.status());
  report.diagnostics = std::move(set->diagnostics);

  std::set<std::string> failed_paths;
  for (const auto& d : report.diagnostics)
    if (d.severity == Severity::kError) failed_paths.insert(d.path);
  report.skipped = failed_paths.size();
  VocabularyFiles vocabulary_files =
      load_vocabulary_files(options.taxonomy_dir, taxonomy.value(), options.stemming, report.diagnostics);
  if (options.strict && has_errors(report.diagnostics))
    return finish(Status(ErrorCode::kInvalidInput,
                         "errors in articles or vocabulary files; with --strict nothing was changed"));

  auto opened = storage::open_for_writing(options.index_dir);
  if (!opened.ok()) return finish(opened.status());
  Xapian::WritableDatabase& db = opened.value();

  try {
    const std::string stamp = std::string(schema::kVersion) + ":" + taxonomy->fingerprint() +
                              (options.stemming ? ":stem" : ":nostem");
    const bool rebuild = db.get_metadata(schema::kMetaStamp) != stamp;
    // A new schema or taxonomy changes every document's hash, so everything is rewritten.
    auto existing = read_existing(db);
    if (set->files_seen == 0 && !existing.empty() && !options.allow_empty)
      return finish(Status(ErrorCode::kInvalidInput,
                           options.articles_dir.string() + " holds no .md files: indexing it would remove all " +
                               std::to_string(existing.size()) +
                               " articles. Nothing was changed; pass --allow-empty if that is what you want"));
    const long crash_limit = crash_after();
    long written = 0;

    DocumentBuilder builder(taxonomy.value(), options.stemming);
    // Spelling vocabularies, kept up to date by subtracting what changed documents had.
    std::map<std::string, vocabulary::Vocabulary> vocabularies;
    auto vocabulary = [&](const std::string& locale) -> vocabulary::Vocabulary& {
      auto it = vocabularies.find(locale);
      if (it != vocabularies.end()) return it->second;
      auto& v = vocabularies[locale];
      if (!rebuild)
        v = vocabulary::Vocabulary::deserialize(db.get_metadata(std::string(schema::kMetaVocabularyPrefix) + locale));
      return v;
    };
    auto forget = [&](Xapian::docid docid) {
      if (rebuild) return;
      Article old = schema::stored_article(db.get_document(docid));
      builder.build(old);
      vocabulary(old.locale).remove_document(builder.words());
    };
    db.begin_transaction(true);
    const std::size_t total = set->articles.size();
    std::size_t done = 0;
    std::set<std::string> present;
    for (const auto& article : set->articles) {
      present.insert(article.id);
      const std::string hash = article.content_hash + ":" + stamp;
      auto it = existing.find(article.id);
      if (it != existing.end() && it->second.hash == hash) {
        ++report.unchanged;
      } else {
        if (it != existing.end()) forget(it->second.docid);
        Xapian::Document doc = builder.build(article);
        vocabulary(article.locale).add_document(builder.words());
        doc.add_value(schema::kSlotHash, hash);
        db.replace_document(std::string(schema::kId) + article.id, doc);
        ++(it == existing.end() ? report.added : report.updated);
        if (crash_limit >= 0 && ++written > crash_limit) std::raise(SIGKILL);
      }
      if (options.on_progress) options.on_progress(++done, total);
    }
    // Remove documents whose file is gone. A file that still exists but now fails to parse
    // keeps its last good version, so a typo never makes an article vanish from search; so
    // does one in a directory that could not be listed.
    for (const auto& [id, old] : existing) {
      if (present.count(id) || failed_paths.count(old.path) || set->under_unreadable_dir(old.path)) continue;
      forget(old.docid);
      db.delete_document(old.docid);
      ++report.removed;
    }
    db.set_metadata(schema::kMetaSchema, schema::kVersion);
    db.set_metadata(schema::kMetaStamp, stamp);
    db.set_metadata(schema::kMetaDefaultLocale, taxonomy->default_locale());
    db.set_metadata(schema::kMetaStemming, options.stemming ? "1" : "0");
    if (rebuild) {  // drop vocabularies of locales that have no article any more
      const std::string prefix(schema::kMetaVocabularyPrefix);
      std::vector<std::string> stale;
      for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
        if (!vocabularies.count((*k).substr(prefix.size()))) stale.push_back(*k);
      for (const auto& k : stale) db.set_metadata(k, "");
    }
    for (const auto& [locale, v] : vocabularies)
      db.set_metadata(std::string(schema::kMetaVocabularyPrefix) + locale, v.serialize());
    for (const auto& locale : taxonomy->locales()) {  // a file with errors keeps what the index has
      auto syn = vocabulary_files.synonyms.find(locale);
      if (!vocabulary_files.broken_synonyms.count(locale))
        db.set_metadata(std::string(schema::kMetaSynonymsPrefix) + locale,
                        syn == vocabulary_files.synonyms.end() ? std::string() : syn->second);
      auto sp = vocabulary_files.spelling.find(locale);
      if (!vocabulary_files.broken_spelling.count(locale))
        db.set_metadata(std::string(schema::kMetaSpellingPrefix) + locale,
                        sp == vocabulary_files.spelling.end() ? std::string() : text::join(sp->second, "\n"));
    }
    if (report.added || report.updated || report.removed)
      db.set_metadata(schema::kMetaBuiltAt, std::to_string(std::time(nullptr)));
    db.commit_transaction();
    report.total = db.get_doccount();
    db.close();
  } catch (const Xapian::Error& e) {
    // Dropping the transaction uncommitted leaves the previous revision as it was.
    return finish(Status(ErrorCode::kIoError,
                         options.index_dir.string() + ": writing the index failed: " +
                             e.get_description() + "; the previous index is unchanged"));
  }
  return finish(Status::Ok());
}

}  // namespace

Result<IndexReport> build_index(const IndexOptions& options, IndexReport* report_out) {
  // A first build that fails (or throws) leaves no directory behind: a half-made one would be
  // reported as "not a helpmark index" by every later command. A locked directory is another
  // writer's, so it is left alone.
  std::error_code ec;
  const bool first_build = !fs::exists(options.index_dir, ec) && !ec;
  auto remove_half_built = [&] {
    if (first_build) fs::remove_all(options.index_dir, ec);
  };
  try {
    auto result = update_index(options, report_out);
    if (!result.ok() && result.status().code() != ErrorCode::kLocked) remove_half_built();
    return result;
  } catch (...) {
    remove_half_built();
    throw;
  }
}

}  // namespace helpmark
