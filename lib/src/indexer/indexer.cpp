#include "helpmark/indexer.hpp"

#include <xapian.h>

#include <chrono>
#include <csignal>
#include <future>
#include <thread>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <system_error>

#include "analysis/analyzer.hpp"
#include "helpmark/display_path.hpp"
#include "helpmark/learning.hpp"
#include "index/document_builder.hpp"
#include "index/schema.hpp"
#include "index/ranking_settings.hpp"
#include "index/storage.hpp"
#include "indexer/tuning.hpp"
#include "model/examples.hpp"
#include "search/confidence.hpp"
#include "model/training.hpp"
#include "vocabulary/vocabulary_files.hpp"
#include "vocabulary/spelling.hpp"
#include "util/text.hpp"
#include "vocabulary/dictionary.hpp"

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

// Metadata written only where its value changes, so that a run that changes nothing commits
// nothing: no new revision, and replicas receive no empty changeset.
class MetadataWriter {
 public:
  explicit MetadataWriter(Xapian::WritableDatabase& db) : db_(db) {}
  void set(const std::string& key, const std::string& value) {
    if (db_.get_metadata(key) == value) return;
    db_.set_metadata(key, value);
    changed_ = true;
  }
  bool changed() const { return changed_; }

 private:
  Xapian::WritableDatabase& db_;
  bool changed_ = false;
};

// Articles added, changed or removed since the ranking settings were last chosen.
constexpr const char* kMetaChangesSinceTuning = "helpmark.changes_since_tuning";

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

// Brings each locale's lexical model up to date: retrained when its examples changed (or on
// a rebuild), kept otherwise, removed when the locale has too little to learn from. Training
// needs no database, so it runs beside the writing of documents (Xapian writes on one core):
// plan() and store() read and write the database, train() runs on its own threads.
class ModelUpdate {
 public:
  ModelUpdate(const std::vector<model::LocaleExamples>& examples, const IndexOptions& options)
      : examples_(examples), options_(options) {}

  void plan(const Xapian::Database& db, const std::vector<std::string>& locales, bool retrain) {
    for (const auto& locale : locales) {
      Job job;
      job.locale = locale;
      auto ex = std::find_if(examples_.begin(), examples_.end(), [&](const auto& e) { return e.locale == locale; });
      job.examples = ex == examples_.end() ? nullptr : &*ex;
      if (job.examples) {
        job.report.locale = locale;
        job.report.articles = ex->set.classes.size();
        job.report.examples = ex->size();
        const std::string stored = db.get_metadata(std::string(schema::kMetaModelPrefix) + locale);
        if (!retrain && db.get_metadata(std::string(schema::kMetaModelInputPrefix) + locale) == ex->fingerprint) {
          if (auto m = model::LexicalModel::deserialize(stored); m.ok()) {
            job.keep = true;
            job.report.present = true;
            job.report.features = m->table().size();
            job.report.weights = m->weight_count();
            job.report.bytes = stored.size();
          }
        }
      }
      jobs_.push_back(std::move(job));
    }
  }

  /// Whether train() trains `locale`'s model (its features must be extracted first).
  bool trains(const std::string& locale) const {
    return std::any_of(jobs_.begin(), jobs_.end(),
                       [&](const Job& j) { return j.locale == locale && j.to_train(); });
  }

  /// A one-line description of what train() will do, or "" when nothing is to be trained.
  std::string description() const {
    std::vector<std::string> names;
    for (const auto& j : jobs_)
      if (j.to_train()) names.push_back(j.locale);
    return names.empty() ? "" : "training the models of " + text::join(names, ", ");
  }

  void train() {
    model::TrainingOptions training;
    // One core less than the machine has, by default: the indexer's own work uses one.
    training.threads = options_.threads ? options_.threads : std::max(2u, std::thread::hardware_concurrency()) - 1;
    // The training budget's floor is shared by the locales as their examples are.
    std::size_t all_examples = 0;
    for (const auto& e : examples_) all_examples += e.size();
    const std::size_t floor = training.work_floor;
    for (auto& job : jobs_) {
      if (!job.to_train()) continue;
      training.work_floor = static_cast<std::size_t>(static_cast<double>(floor) *
                                                     static_cast<double>(job.examples->size()) /
                                                     static_cast<double>(std::max<std::size_t>(1, all_examples)));
      model::TrainingStats stats;
      auto trained = model::train_lexical_model(job.examples->set, training, &stats);
      if (!trained.ok()) {
        job.report.note = trained.status().message();  // too little to learn from: Xapian alone
        continue;
      }
      job.bytes = trained->serialize();
      job.report.present = true;
      job.report.trained = true;
      job.report.features = stats.features;
      job.report.weights = stats.weights;
      job.report.bytes = job.bytes.size();
      job.report.seconds = stats.seconds;
    }
  }

  void store(MetadataWriter& db, IndexReport& report) {
    for (auto& job : jobs_) {
      const std::string model_key = std::string(schema::kMetaModelPrefix) + job.locale;
      const std::string input_key = std::string(schema::kMetaModelInputPrefix) + job.locale;
      if (!job.examples) {
        db.set(model_key, "");
        db.set(input_key, "");
        continue;
      }
      if (!job.keep) {
        db.set(model_key, job.bytes);
        db.set(input_key, job.examples->fingerprint);
      }
      report.models.push_back(std::move(job.report));
    }
  }

 private:
  struct Job {
    std::string locale;
    const model::LocaleExamples* examples = nullptr;  // null: the locale has no published article
    bool keep = false;                                 // the stored model is still right
    std::string bytes;                                 // the trained model, or "" for none
    ModelReport report;
    bool to_train() const { return examples && !keep; }
  };
  const std::vector<model::LocaleExamples>& examples_;
  const IndexOptions& options_;
  std::vector<Job> jobs_;
};

// A locale whose words spelling may correct but whose language has no dictionary installed.
void note_missing_dictionaries(const std::vector<std::string>& locales, IndexReport& report) {
  for (const auto& locale : locales) {
    const std::string language = text::ascii_lower(locale.substr(0, locale.find('-')));
    // Scripts written without spaces are never corrected (vocabulary/spelling.hpp).
    if (language == "ja" || language == "zh" || language == "th" || language == "lo" || language == "km" ||
        language == "my")
      continue;
    if (!vocabulary::LanguageDictionary::find(locale).empty()) continue;
    const auto names = vocabulary::LanguageDictionary::names_for(locale);
    report.notices.push_back("no Hunspell dictionary for " + locale + " (looked for " + text::join(names, ", ") +
                             ".dic): spelling correction may change real " + locale +
                             " words the articles do not use; install hunspell-" + language +
                             " or set HELPMARK_DICTIONARY_PATH");
  }
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
  auto phase_started = std::chrono::steady_clock::now();
  // Seconds since the last call, into the report as `phase`.
  auto end_phase = [&](const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    report.phase_seconds[phase] += std::chrono::duration<double>(now - phase_started).count();
    phase_started = now;
  };
  auto set = load_articles(options.articles_dir, taxonomy.value(), limits);
  end_phase("reading");
  if (!set.ok()) return finish(set.status());
  report.diagnostics = std::move(set->diagnostics);

  std::set<std::string> failed_paths;
  for (const auto& d : report.diagnostics)
    if (d.severity == Severity::kError) failed_paths.insert(d.path);
  report.skipped = failed_paths.size();
  show_paths_from_working_dir(options.articles_dir, report.diagnostics);
  VocabularyFiles vocabulary_files =
      load_vocabulary_files(options.taxonomy_dir, taxonomy.value(), options.stemming, report.diagnostics);
  if (options.strict && has_errors(report.diagnostics))
    return finish(Status(ErrorCode::kInvalidInput,
                         "errors in articles or vocabulary files; with --strict nothing was changed"));

  auto opened = storage::open_for_writing(options.index_dir);
  if (!opened.ok()) return finish(opened.status());
  Xapian::WritableDatabase& db = opened.value();

  try {
    const std::string base_stamp = std::string(schema::kVersion) + ":" + taxonomy->fingerprint() +
                                   (options.stemming ? ":stem" : ":nostem");
    const std::string stored_stamp = db.get_metadata(schema::kMetaStamp);
    auto existing = read_existing(db);
    if (set->files_seen == 0 && !existing.empty() && !options.allow_empty)
      return finish(Status(ErrorCode::kInvalidInput,
                           options.articles_dir.string() + " holds no .md files: indexing it would remove all " +
                               std::to_string(existing.size()) +
                               " articles. Nothing was changed; pass --allow-empty if that is what you want"));
    end_phase("reading");
    // Questions learned from traffic (helpmark learn apply): extra examples for the models.
    model::LearnedQuestions learned;
    const fs::path overlay_file = options.learned.empty() ? learning::overlay_path(options.index_dir) : options.learned;
    if (std::error_code ec; !options.learned.empty() && !fs::is_regular_file(options.learned, ec)) {
      return finish(Status(ErrorCode::kNotFound, options.learned.string() + ": no learned questions there (a file "
                                                                            "written by `helpmark learn apply`)"));
    } else if (auto overlay = learning::read_overlay_file(overlay_file); !overlay.ok()) {
      return finish(overlay.status());
    } else if (!overlay->questions.empty()) {
      // The best supported first: the examples take the first ExampleLimits::max_learned_per_article.
      std::vector<const learning::LearnedQuestion*> order;
      for (const auto& q : overlay->questions) order.push_back(&q);
      std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return a->sessions > b->sessions; });
      for (const auto* q : order) learned[q->article].push_back(q->question);
      report.notices.push_back("the models learn from " + std::to_string(overlay->questions.size()) +
                               " questions learned from traffic (" + overlay_file.string() + ", revision " + std::to_string(overlay->revision) + ")");
    }
    std::vector<Diagnostic> example_diagnostics;
    auto examples = model::collect_examples(set->articles, taxonomy->locales(), options.stemming,
                                            model::ExampleLimits{}, example_diagnostics, learned);
    show_paths_from_working_dir(options.articles_dir, example_diagnostics);
    report.diagnostics.insert(report.diagnostics.end(), example_diagnostics.begin(), example_diagnostics.end());

    // The ranking settings: chosen again from the articles' questions on a first build, a new
    // schema or taxonomy, --retrain, or once a fifth of the articles changed since the last
    // choice; kept otherwise, so that editing an article costs no tuning.
    const std::string stored_ranking = db.get_metadata(schema::kMetaRanking);
    RankingSettings settings = RankingSettings::from_json(stored_ranking);
    std::size_t changed = 0;
    {
      std::set<std::string> ids;
      for (const auto& a : set->articles) {
        ids.insert(a.id);
        auto it = existing.find(a.id);
        changed += it == existing.end() || !it->second.hash.starts_with(a.content_hash + ":");
      }
      for (const auto& [id, old] : existing) changed += !ids.count(id);
    }
    const std::string changes_text = db.get_metadata(kMetaChangesSinceTuning);
    std::size_t changes_since_tuning = changed + (changes_text.empty() ? 0 : std::stoul(changes_text));
    const bool retune = options.retrain || stored_ranking.empty() || !stored_stamp.starts_with(base_stamp + ":") ||
                        changes_since_tuning * 5 > std::max<std::size_t>(1, set->articles.size());

    // The models train beside the tuning and the writing of documents (which use one core
    // each, mostly): they need the examples only. A new schema or taxonomy retrains them.
    ModelUpdate models(examples, options);
    models.plan(db, taxonomy->locales(), options.retrain || !stored_stamp.starts_with(base_stamp + ":"));
    // Features only for what is trained or tuned: an unchanged knowledge base needs none.
    for (auto& ex : examples)
      if (retune || models.trains(ex.locale)) model::extract_features(ex);
    end_phase("examples");
    if (options.on_phase && !models.description().empty()) options.on_phase(models.description());
    // Joined before this scope ends, also when writing fails (an exception).
    std::future<void> training = std::async(std::launch::async, [&models] { models.train(); });

    std::optional<AnswerModel> fitted_answers;
    if (retune) {
      TuningInput tuning;
      tuning.articles = &set->articles;
      tuning.examples = &examples;
      tuning.taxonomy = &taxonomy.value();
      tuning.vocabulary = &vocabulary_files;
      tuning.stemming = options.stemming;
      tuning.threads = options.threads;
      tuning.on_phase = options.on_phase;
      TuningResult tuned = tune_ranking(tuning);
      end_phase("tuning");
      settings = tuned.settings;
      fitted_answers = tuned.answer_model;
      changes_since_tuning = 0;
    }
    report.ranking = settings.chosen_by;
    note_missing_dictionaries(taxonomy->locales(), report);
    // Documents are built with the chosen field weights: a change rewrites every document, as
    // a new schema or taxonomy does.
    const std::string stamp = base_stamp + ":" + settings.fields_key();
    const bool rebuild = stored_stamp != stamp;
    const long crash_limit = crash_after();
    long written = 0;

    DocumentBuilder builder(taxonomy.value(), options.stemming, settings.fields);
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
      vocabulary(old.locale).remove_document(builder.analyse(old).words);
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
    end_phase("writing");
    training.get();
    end_phase("training (after writing)");
    MetadataWriter metadata(db);
    models.store(metadata, report);
    metadata.set(schema::kMetaRanking, settings.to_json());
    metadata.set(kMetaChangesSinceTuning, std::to_string(changes_since_tuning));
    // The answer model fitted on the held-out questions replaces the stored one, unless that
    // was calibrated on real traffic for the same features (calibrate's is kept).
    if (fitted_answers) {
      const auto stored = search::model_from_json(db.get_metadata(schema::kMetaAnswerModel));
      if (!stored || stored->source != "calibrate" || stored->features != search::feature_names()) {
        fitted_answers->source = "index";
        metadata.set(schema::kMetaAnswerModel, search::model_to_json(*fitted_answers));
      }
    }
    metadata.set(schema::kMetaSchema, schema::kVersion);
    metadata.set(schema::kMetaStamp, stamp);
    metadata.set(schema::kMetaDefaultLocale, taxonomy->default_locale());
    metadata.set(schema::kMetaTaxonomy, taxonomy->source());
    metadata.set(schema::kMetaStemming, options.stemming ? "1" : "0");
    if (rebuild) {  // drop vocabularies of locales that have no article any more
      const std::string prefix(schema::kMetaVocabularyPrefix);
      std::vector<std::string> stale;
      for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
        if (!vocabularies.count((*k).substr(prefix.size()))) stale.push_back(*k);
      for (const auto& k : stale) metadata.set(k, "");
    }
    for (const auto& [locale, v] : vocabularies)
      metadata.set(std::string(schema::kMetaVocabularyPrefix) + locale, v.serialize());
    for (const auto& locale : taxonomy->locales()) {  // a file with errors keeps what the index has
      auto syn = vocabulary_files.synonyms.find(locale);
      if (!vocabulary_files.broken_synonyms.count(locale))
        metadata.set(std::string(schema::kMetaSynonymsPrefix) + locale,
                     syn == vocabulary_files.synonyms.end() ? std::string() : syn->second);
      auto sp = vocabulary_files.spelling.find(locale);
      if (!vocabulary_files.broken_spelling.count(locale))
        metadata.set(std::string(schema::kMetaSpellingPrefix) + locale,
                     sp == vocabulary_files.spelling.end() ? std::string() : text::join(sp->second, "\n"));
    }
    const bool documents_changed = report.added || report.updated || report.removed;
    if (documents_changed) db.set_metadata(schema::kMetaBuiltAt, std::to_string(std::time(nullptr)));
    if (documents_changed || metadata.changed()) db.commit_transaction();
    else db.cancel_transaction();  // nothing changed: no new revision
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
