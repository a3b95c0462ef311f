// The self-improving loop: what customers call each article, learned from tracked traffic.
//
// Mining walks the event store one session at a time and keeps a (query -> article) pair only
// when enough distinct sessions ended well with that article for that query (a click or view
// not followed by a ticket within the deflection window, a helpful vote, an accepted bot
// answer), few ended badly, and the clicks are not spread over many articles. The pairs are
// proposals a writer can accept (a `questions:` entry, or a synonym when many articles share a
// pattern), or, in automatic mode, an overlay beside the index that the next `helpmark index`
// trains on as extra examples. Removing the overlay restores the previous index exactly.
//
// Everything lives in helpmark::learning. Thread-safe: the functions keep no state; changes of
// one overlay (apply, forget) are serialised between threads and processes by a lock file
// (INDEX/learned.lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "helpmark/answer.hpp"
#include "helpmark/status.hpp"
#include "helpmark/tracking.hpp"

namespace helpmark {
class Index;
}

namespace helpmark::learning {

/// What mining may learn from, and how much agreement it needs. The defaults are the
/// defences against a flood of fake events (see docs/tracking.md, "Learning from traffic").
struct LearnOptions {
  /// Distinct sessions whose visit ended well with the article for the query.
  std::size_t min_sessions = 5;
  /// Largest share of the query's sessions with the article that ended badly (a ticket after
  /// reading it, a "not helpful" vote, a bot answer the customer turned down).
  double max_contradiction = 0.25;
  /// Smallest share of the query's good sessions, and of its position-weighted evidence, that
  /// must be on the article: a query whose clicks are spread over several articles teaches
  /// nothing.
  double min_share = 0.6;
  /// A session with more searches than this in any hour is ignored entirely (a script, not a
  /// customer). 0: no limit.
  std::size_t max_searches_per_hour = 20;
  /// At most this many (query, article) pairs of evidence per session: one visitor cannot vote
  /// for many pairs. 0: no limit.
  std::size_t max_pairs_per_session = 10;
  /// A view is a success when the session opened no ticket within this time after it.
  std::int64_t deflection_window_ms = 24LL * 3600 * 1000;
  /// Views newer than now - deflection window are still undecided and count for nothing.
  std::optional<std::int64_t> now_ms;
  std::optional<std::int64_t> since_ms;  ///< Only events at or after this time.
  std::optional<std::int64_t> until_ms;  ///< Only events before this time.
  /// Learned questions kept per article (the best supported; at most 20, what the indexer
  /// trains on): no article's model is mostly traffic, however popular it is.
  std::size_t max_per_article = 20;
  /// A synonym is proposed when an unmatched query word comes with the same title word on at
  /// least this many different articles.
  std::size_t synonym_min_articles = 3;
  /// The locale of queries and questions that carry none (the taxonomy's default).
  std::string default_locale = "en";
  /// Extra personal-data patterns: a query they (or the built-in detectors) would change is
  /// never learned.
  std::vector<tracking::ScrubPattern> scrub_patterns;
};

/// One learned (query -> article) pair.
struct LearnedQuestion {
  std::string article;
  std::string locale;
  std::string question;        ///< The most frequent form as typed (scrubbed by the store).
  std::string key;             ///< Normalised form (sorted stems), how near-identical queries group.
  std::size_t sessions = 0;    ///< Distinct sessions that ended well.
  std::size_t contradicting = 0;  ///< Distinct sessions that ended badly.
  double evidence = 0;         ///< Position-weighted evidence on the article.
  double share = 0;            ///< The smaller of its shares of the query's sessions and evidence.
  std::string first_seen, last_seen;  ///< Timestamps of the supporting searches.
  std::string path;            ///< The article's file (for a writer), when known.
  std::string owner;           ///< The article's owner, when known.
  /// The article's rank for the question when it was proposed (1-based; 0: not in the top 10
  /// or not measured).
  int rank = 0;
};

/// A synonym a writer may add to taxonomy/synonyms/<locale>.yaml.
struct SynonymProposal {
  std::string locale;
  std::string query_word;      ///< What customers type ("money").
  std::string article_word;    ///< What the articles' titles say ("refund").
  std::vector<std::string> articles;  ///< The articles whose learned questions show it.
};

/// What mining read and what it left out, and why.
struct MiningStats {
  std::size_t events = 0;
  std::size_t sessions = 0;
  std::size_t sessions_rate_limited = 0;  ///< Ignored: over max_searches_per_hour.
  std::size_t evidence_capped = 0;        ///< Pairs of evidence over max_pairs_per_session.
  std::size_t pending = 0;                ///< Views whose deflection window is not over.
  std::size_t candidate_pairs = 0;        ///< (query, article) pairs with any good outcome.
  std::size_t too_few_sessions = 0;
  std::size_t contradicted = 0;
  std::size_t spread = 0;                 ///< Evidence spread over several articles.
  std::size_t unknown_article = 0;        ///< Deleted since, unpublished, or never existed.
  std::size_t other_locale = 0;           ///< Query locale differs from the article's.
  std::size_t personal_data = 0;          ///< Still looked like personal data: dropped.
  std::size_t already_known = 0;          ///< Already the article's title or one of its questions.
  std::size_t over_article_cap = 0;       ///< Past max_per_article.
  double seconds = 0;
};

struct Proposals {
  std::vector<LearnedQuestion> questions;  ///< By article, then most sessions first.
  std::vector<SynonymProposal> synonyms;
  MiningStats stats;
};

/// What mining needs to know of an article; nullopt when it does not exist (or is not
/// published).
struct KnownArticle {
  std::string locale;
  std::string title;
  std::vector<std::string> questions;
  std::string path;
  std::string owner;
};
using ArticleFinder = std::function<std::optional<KnownArticle>(const std::string& id)>;

/// Mines `store` (streamed, one session at a time) for learned questions. Errors are the
/// store's; bad events are skipped and counted, never fatal.
Result<Proposals> mine(tracking::EventStore& store, const ArticleFinder& find, const LearnOptions& options);

/// mine() against the published articles of `index`, with each proposal's current rank.
Result<Proposals> suggest(tracking::EventStore& store, const Index& index, const LearnOptions& options);

/// The article's rank (1-based) for the question in `index` now; 0 when not in the top 10.
int rank_of(const Index& index, const LearnedQuestion& question);

/// {"questions": [...], "synonyms": [...], "stats": {...}}: what `learn suggest --json` prints
/// and `learn apply --from` reads back.
std::string proposals_to_json(const Proposals& proposals);
/// For a writer: per article file, the `questions:` lines to add, and the synonym lines.
std::string proposals_to_markdown(const Proposals& proposals);
/// Reads the questions of proposals_to_json() (a reviewed, possibly edited, file). Errors name
/// the entry and field.
Result<std::vector<LearnedQuestion>> questions_from_json(const std::string& json);

// ---------------------------------------------------------------------------------------------
// The overlay (automatic mode)
// ---------------------------------------------------------------------------------------------

/// Learned questions stored beside the index, which `build_index` trains on. Versioned by its
/// own revision, which every change increments.
struct Overlay {
  std::uint64_t revision = 0;  ///< 0: there is none.
  std::string updated;         ///< When it last changed.
  std::vector<LearnedQuestion> questions;
};

/// `index_dir`/learned.json.
std::filesystem::path overlay_path(const std::filesystem::path& index_dir);

/// The overlay of `index_dir`; an empty one (revision 0) when there is none. kCorrupt names the
/// file and what is wrong.
Result<Overlay> read_overlay(const std::filesystem::path& index_dir);
/// The overlay in `file` (any path: a copy kept elsewhere, `index --learned FILE`).
Result<Overlay> read_overlay_file(const std::filesystem::path& file);

struct ApplyReport {
  std::size_t added = 0;
  std::size_t updated = 0;    ///< Same article and key: evidence refreshed.
  std::size_t unchanged = 0;
  std::size_t left_out = 0;   ///< New ones below the per-article cap's best supported.
  std::size_t displaced = 0;  ///< Stored ones pushed out by better supported new ones.
  std::size_t total = 0;      ///< Learned questions in the overlay afterwards.
  std::uint64_t revision = 0;
};

/// Adds `questions` to the overlay of `index_dir` (at most `max_per_article` per article: the
/// best supported, stored or new, by sessions), writes it atomically (a crash leaves the old
/// one) and logs each change. Nothing changes when nothing is new. Revisions never repeat (also
/// after forget() removed the file). Re-index to train on it.
Result<ApplyReport> apply(const std::filesystem::path& index_dir, const std::vector<LearnedQuestion>& questions,
                          std::size_t max_per_article = 20);

/// Removes learned questions: those of `article`, or all of them (empty `article`, which
/// deletes the file). Logged. Returns how many were removed. Re-index to forget them.
Result<std::size_t> forget(const std::filesystem::path& index_dir, const std::string& article = {});

/// One line of the audit trail, `index_dir`/learned-log.jsonl.
struct LogEntry {
  std::string ts;
  std::string action;  ///< "added", "updated", "removed", "cleared".
  std::uint64_t revision = 0;
  LearnedQuestion question;  ///< Empty for "cleared".
};

/// The audit trail, oldest first. A damaged line is skipped (counted in `skipped`).
Result<std::vector<LogEntry>> read_log(const std::filesystem::path& index_dir, std::size_t* skipped = nullptr);

// ---------------------------------------------------------------------------------------------
// Calibration from outcomes
// ---------------------------------------------------------------------------------------------

/// A bot answer whose outcome is known: accepted (and no ticket within the window), or
/// turned down (accepted: false), or followed by a ticket within the window. An answer the bot
/// escalated itself has no outcome.
struct AnswerOutcome {
  std::string question;
  std::string locale;
  std::string article;  ///< The article the bot answered with.
  bool good = false;
};

struct OutcomeStats {
  std::size_t bot_answers = 0;
  std::size_t good = 0;
  std::size_t bad = 0;
  std::size_t undecided = 0;  ///< No outcome, or the window not over yet.
};

/// Every bot answer with a known outcome, streamed from the store.
Result<std::vector<AnswerOutcome>> answer_outcomes(tracking::EventStore& store, const LearnOptions& options,
                                                   OutcomeStats* stats = nullptr);

/// Refits the answer confidence model and threshold on `outcomes` against the index at
/// `index_dir` (each question answered again now: an accepted article that is still the answer
/// is a right answer; a turned-down one that is still the answer should have been handed over;
/// outcomes about another article than today's answer say nothing and are left out), and
/// (when `write`) stores it. kInvalidInput when fewer than `min_outcomes` are usable, or when
/// right or wrong answers are fewer than 5 or 5 % of them (nothing to place a threshold by); `used`
/// (optional) receives how many were.
Result<CalibrationReport> calibrate_from_outcomes(const std::filesystem::path& index_dir,
                                                  const std::vector<AnswerOutcome>& outcomes, const std::string& name,
                                                  bool write, std::size_t min_outcomes = 50, std::size_t* used = nullptr);

}  // namespace helpmark::learning
