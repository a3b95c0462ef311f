// The overlay of learned questions beside the index (learned.json), its audit trail
// (learned-log.jsonl), and the JSON and Markdown forms of proposals.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "helpmark/json.hpp"
#include "helpmark/learning.hpp"

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace helpmark::learning {
namespace {

constexpr int kFormat = 1;
constexpr const char* kOverlayFile = "learned.json";
constexpr const char* kLogFile = "learned-log.jsonl";

Json question_json(const LearnedQuestion& q) {
  Json j = {{"article", q.article}, {"locale", q.locale},       {"question", q.question},
            {"key", q.key},         {"sessions", q.sessions},   {"contradicting", q.contradicting},
            {"evidence", q.evidence}, {"share", q.share},       {"first_seen", q.first_seen},
            {"last_seen", q.last_seen}};
  if (!q.path.empty()) j["path"] = q.path;
  if (!q.owner.empty()) j["owner"] = q.owner;
  if (q.rank > 0) j["rank"] = q.rank;
  return j;
}

// Reads one question object; `where` prefixes errors ("questions[3]").
Result<LearnedQuestion> question_from(const Json& j, const std::string& where) {
  if (!j.is_object()) return Status(ErrorCode::kInvalidInput, where + ": expected an object");
  LearnedQuestion q;
  auto text = [&](const char* field, std::string& out, bool required) -> Status {
    auto it = j.find(field);
    if (it == j.end() || it->is_null()) {
      if (required) return Status(ErrorCode::kInvalidInput, where + ": \"" + field + "\" is missing");
      return {};
    }
    if (!it->is_string()) return Status(ErrorCode::kInvalidInput, where + ": \"" + field + "\" must be a string");
    out = it->get<std::string>();
    if (required && out.empty()) return Status(ErrorCode::kInvalidInput, where + ": \"" + field + "\" is empty");
    return {};
  };
  // Counts are converted to integers: anything past 1e12 (or not finite) would not convert.
  auto number = [&](const char* field, double& out) -> Status {
    auto it = j.find(field);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_number()) return Status(ErrorCode::kInvalidInput, where + ": \"" + field + "\" must be a number");
    out = it->get<double>();
    if (!(out >= 0 && out <= 1e12))
      return Status(ErrorCode::kInvalidInput, where + ": \"" + field + "\" must be between 0 and 1e12");
    return {};
  };
  for (auto [field, out, required] : {std::tuple{"article", &q.article, true}, {"locale", &q.locale, true},
                                      {"question", &q.question, true}, {"key", &q.key, false},
                                      {"first_seen", &q.first_seen, false}, {"last_seen", &q.last_seen, false},
                                      {"path", &q.path, false}, {"owner", &q.owner, false}})
    if (Status s = text(field, *out, required); !s.ok()) return s;
  double sessions = 0, contradicting = 0, rank = 0;
  for (auto [field, out] : {std::pair{"sessions", &sessions}, {"contradicting", &contradicting},
                            {"evidence", &q.evidence}, {"share", &q.share}, {"rank", &rank}})
    if (Status s = number(field, *out); !s.ok()) return s;
  q.sessions = static_cast<std::size_t>(sessions);
  q.contradicting = static_cast<std::size_t>(contradicting);
  q.rank = static_cast<int>(rank);
  if (q.question.size() > tracking::kMaxTextBytes)
    return Status(ErrorCode::kInvalidInput, where + ": \"question\" is longer than " +
                                                std::to_string(tracking::kMaxTextBytes) + " bytes");
  return q;
}

std::string identity(const LearnedQuestion& q) { return q.article + '\x1f' + q.locale + '\x1f' + (q.key.empty() ? q.question : q.key); }

// Writes `text` to `file` through a temporary file and a rename, synced: a crash leaves the
// old file or the new one, never half of one.
Status write_atomically(const fs::path& file, const std::string& text) {
  const fs::path tmp = file.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status(ErrorCode::kIoError, tmp.string() + ": cannot write: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status(ErrorCode::kIoError, tmp.string() + ": write failed: " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status(ErrorCode::kIoError, tmp.string() + ": write failed: " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status(ErrorCode::kIoError, file.string() + ": cannot replace: " + std::strerror(errno));
  }
  return {};
}

Status append_log(const fs::path& index_dir, const std::vector<LogEntry>& entries) {
  if (entries.empty()) return {};
  std::string lines;
  for (const auto& e : entries) {
    Json j = {{"ts", e.ts}, {"action", e.action}, {"revision", e.revision}};
    if (!e.question.article.empty()) j["question"] = question_json(e.question);
    lines += j.dump() + "\n";
  }
  const fs::path file = index_dir / kLogFile;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status(ErrorCode::kIoError, file.string() + ": cannot write: " + std::strerror(errno));
  const bool ok = ::write(fd, lines.data(), lines.size()) == static_cast<ssize_t>(lines.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Status(ErrorCode::kIoError, file.string() + ": write failed");
  return {};
}

Status write_overlay(const fs::path& index_dir, const Overlay& overlay) {
  Json questions = Json::array();
  for (const auto& q : overlay.questions) questions.push_back(question_json(q));
  Json j = {{"format", kFormat}, {"revision", overlay.revision}, {"updated", overlay.updated}, {"questions", questions}};
  return write_atomically(overlay_path(index_dir), j.dump(1) + "\n");
}

// Serialises changes of one overlay between processes (two `learn apply` at once would each
// read the old file and the second would drop the first one's questions).
class OverlayLock {
 public:
  explicit OverlayLock(const fs::path& index_dir) {
    const fs::path file = index_dir / "learned.lock";
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      error_ = Status(ErrorCode::kIoError, file.string() + ": cannot open: " + std::strerror(errno));
      return;
    }
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) {
        error_ = Status(ErrorCode::kIoError, file.string() + ": cannot lock: " + std::strerror(errno));
        return;
      }
  }
  ~OverlayLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  OverlayLock(const OverlayLock&) = delete;
  OverlayLock& operator=(const OverlayLock&) = delete;
  const Status& status() const { return error_; }

 private:
  int fd_ = -1;
  Status error_;
};

Status check_index_dir(const fs::path& index_dir) {
  std::error_code ec;
  if (!fs::is_directory(index_dir, ec))
    return Status(ErrorCode::kNotFound, index_dir.string() + ": no index there; run `helpmark index` first");
  return {};
}

}  // namespace

fs::path overlay_path(const fs::path& index_dir) { return index_dir / kOverlayFile; }

namespace {
// Revisions never repeat, also after `forget --all` removed the file: the log remembers.
std::uint64_t next_revision(const fs::path& index_dir, std::uint64_t current) {
  std::uint64_t last = current;
  if (auto log = read_log(index_dir); log.ok())
    for (const auto& e : log.value()) last = std::max(last, e.revision);
  return last + 1;
}
}  // namespace

Result<Overlay> read_overlay(const fs::path& index_dir) { return read_overlay_file(overlay_path(index_dir)); }

Result<Overlay> read_overlay_file(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return Overlay{};
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, file.string() + ": cannot read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  auto corrupt = [&](const std::string& why) {
    return Status(ErrorCode::kCorrupt, file.string() + ": " + why +
                                           "; restore it, or remove it with `helpmark learn forget --all`");
  };
  if (Status s = helpmark::json::check_nesting(text); !s.ok()) return corrupt(s.message());
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return corrupt("not a JSON object");
  auto format = j.find("format");
  if (format == j.end() || !format->is_number_integer()) return corrupt("no \"format\"");
  if (format->get<int>() > kFormat)
    return Status(ErrorCode::kCorrupt, file.string() + ": written by a newer helpmark (format " +
                                           std::to_string(format->get<int>()) + "); upgrade helpmark");
  Overlay overlay;
  auto revision = j.find("revision");
  if (revision == j.end() || !revision->is_number_unsigned()) return corrupt("no \"revision\"");
  overlay.revision = revision->get<std::uint64_t>();
  if (auto u = j.find("updated"); u != j.end() && u->is_string()) overlay.updated = u->get<std::string>();
  auto questions = j.find("questions");
  if (questions == j.end() || !questions->is_array()) return corrupt("no \"questions\" array");
  for (std::size_t i = 0; i < questions->size(); ++i) {
    auto q = question_from((*questions)[i], "questions[" + std::to_string(i) + "]");
    if (!q.ok()) return corrupt(q.status().message());
    overlay.questions.push_back(std::move(q).value());
  }
  return overlay;
}

Result<ApplyReport> apply(const fs::path& index_dir, const std::vector<LearnedQuestion>& questions,
                          std::size_t max_per_article) {
  if (Status s = check_index_dir(index_dir); !s.ok()) return s;
  OverlayLock lock(index_dir);
  if (!lock.status().ok()) return lock.status();
  auto current = read_overlay(index_dir);
  if (!current.ok()) return current.status();
  Overlay overlay = std::move(current).value();
  const std::string now = tracking::format_timestamp(tracking::now_ms());
  ApplyReport report;

  enum class State { kStored, kUpdated, kNew };
  struct Entry {
    LearnedQuestion q;
    State state;
  };
  std::vector<Entry> entries;
  std::map<std::string, std::size_t> where;  // identity -> index in entries
  for (auto& q : overlay.questions) {
    where[identity(q)] = entries.size();
    entries.push_back({std::move(q), State::kStored});
  }
  for (const auto& q : questions) {
    auto it = where.find(identity(q));
    if (it == where.end()) {
      where[identity(q)] = entries.size();
      entries.push_back({q, State::kNew});
      continue;
    }
    Entry& e = entries[it->second];
    if (e.q.sessions == q.sessions && e.q.contradicting == q.contradicting && e.q.question == q.question) {
      ++report.unchanged;
      continue;
    }
    e.q = q;
    if (e.state == State::kStored) e.state = State::kUpdated;
  }
  // The per-article cap keeps the best supported, old or new.
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.q.article != b.q.article) return a.q.article < b.q.article;
    if (a.q.sessions != b.q.sessions) return a.q.sessions > b.q.sessions;
    return std::tie(a.q.locale, a.q.key, a.q.question) < std::tie(b.q.locale, b.q.key, b.q.question);
  });
  std::vector<LogEntry> log;
  overlay.questions.clear();
  std::size_t run = 0;
  std::string previous;  // entries[i - 1] may be moved from
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Entry& e = entries[i];
    run = i > 0 && e.q.article == previous ? run + 1 : 0;
    previous = e.q.article;
    if (max_per_article && run >= max_per_article) {
      if (e.state == State::kNew) {
        ++report.left_out;
      } else {
        ++report.displaced;
        log.push_back({now, "removed", 0, e.q});
      }
      continue;
    }
    if (e.state == State::kNew) ++report.added, log.push_back({now, "added", 0, e.q});
    if (e.state == State::kUpdated) ++report.updated, log.push_back({now, "updated", 0, e.q});
    overlay.questions.push_back(std::move(e.q));
  }
  report.total = overlay.questions.size();
  report.revision = overlay.revision;
  if (log.empty()) return report;
  overlay.revision = next_revision(index_dir, overlay.revision);
  overlay.updated = now;
  std::sort(overlay.questions.begin(), overlay.questions.end(), [](const auto& a, const auto& b) {
    return std::tie(a.article, a.locale, a.key, a.question) < std::tie(b.article, b.locale, b.key, b.question);
  });
  if (Status s = write_overlay(index_dir, overlay); !s.ok()) return s;
  for (auto& e : log) e.revision = overlay.revision;
  if (Status s = append_log(index_dir, log); !s.ok()) return s;
  report.revision = overlay.revision;
  return report;
}

Result<std::size_t> forget(const fs::path& index_dir, const std::string& article) {
  if (Status s = check_index_dir(index_dir); !s.ok()) return s;
  OverlayLock lock(index_dir);
  if (!lock.status().ok()) return lock.status();
  const std::string now = tracking::format_timestamp(tracking::now_ms());
  auto current = read_overlay(index_dir);
  if (article.empty()) {
    // Everything, also a damaged file: that is how one starts over.
    const std::size_t n = current.ok() ? current->questions.size() : 0;
    const std::uint64_t revision = next_revision(index_dir, current.ok() ? current->revision : 0);
    std::error_code ec;
    if (!fs::exists(overlay_path(index_dir), ec)) return std::size_t{0};
    if (!fs::remove(overlay_path(index_dir), ec) && ec)
      return Status(ErrorCode::kIoError, overlay_path(index_dir).string() + ": cannot remove: " + ec.message());
    if (Status s = append_log(index_dir, {{now, "cleared", revision, {}}}); !s.ok()) return s;
    return n;
  }
  if (!current.ok()) return current.status();
  Overlay overlay = std::move(current).value();
  std::vector<LogEntry> log;
  std::vector<LearnedQuestion> kept;
  for (auto& q : overlay.questions) {
    if (q.article == article) log.push_back({now, "removed", 0, q});
    else kept.push_back(std::move(q));
  }
  if (log.empty()) return std::size_t{0};
  overlay.questions = std::move(kept);
  overlay.revision = next_revision(index_dir, overlay.revision);
  overlay.updated = now;
  if (Status s = write_overlay(index_dir, overlay); !s.ok()) return s;
  for (auto& e : log) e.revision = overlay.revision;
  if (Status s = append_log(index_dir, log); !s.ok()) return s;
  return log.size();
}

Result<std::vector<LogEntry>> read_log(const fs::path& index_dir, std::size_t* skipped) {
  std::vector<LogEntry> out;
  std::size_t bad = 0;
  std::ifstream in(index_dir / kLogFile, std::ios::binary);
  std::string line;
  while (in && std::getline(in, line)) {
    if (line.empty()) continue;
    if (!helpmark::json::check_nesting(line).ok()) {
      ++bad;
      continue;
    }
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("action") || !j["action"].is_string()) {
      ++bad;
      continue;
    }
    LogEntry e;
    e.action = j["action"].get<std::string>();
    if (j.contains("ts") && j["ts"].is_string()) e.ts = j["ts"].get<std::string>();
    if (j.contains("revision") && j["revision"].is_number_unsigned()) e.revision = j["revision"].get<std::uint64_t>();
    if (j.contains("question")) {
      auto q = question_from(j["question"], "question");
      if (!q.ok()) {
        ++bad;
        continue;
      }
      e.question = std::move(q).value();
    }
    out.push_back(std::move(e));
  }
  if (skipped) *skipped = bad;
  return out;
}

std::string proposals_to_json(const Proposals& p) {
  Json questions = Json::array();
  for (const auto& q : p.questions) questions.push_back(question_json(q));
  Json synonyms = Json::array();
  for (const auto& s : p.synonyms)
    synonyms.push_back({{"locale", s.locale}, {"query_word", s.query_word}, {"article_word", s.article_word},
                        {"articles", s.articles}});
  const MiningStats& s = p.stats;
  Json stats = {{"events", s.events},
                {"sessions", s.sessions},
                {"sessions_rate_limited", s.sessions_rate_limited},
                {"evidence_capped", s.evidence_capped},
                {"pending", s.pending},
                {"candidate_pairs", s.candidate_pairs},
                {"too_few_sessions", s.too_few_sessions},
                {"contradicted", s.contradicted},
                {"spread", s.spread},
                {"unknown_article", s.unknown_article},
                {"other_locale", s.other_locale},
                {"personal_data", s.personal_data},
                {"already_known", s.already_known},
                {"over_article_cap", s.over_article_cap},
                {"seconds", s.seconds}};
  return Json({{"questions", questions}, {"synonyms", synonyms}, {"stats", stats}}).dump(2) + "\n";
}

std::string proposals_to_markdown(const Proposals& p) {
  std::ostringstream out;
  if (p.questions.empty() && p.synonyms.empty()) {
    out << "No proposals: no query met the bar (see `--json` for what was left out and why).\n";
    return out.str();
  }
  std::string article;
  for (const auto& q : p.questions) {
    if (q.article != article) {
      article = q.article;
      out << "\n## " << (q.path.empty() ? q.article : q.path) << " (" << q.article << ")"
          << (q.owner.empty() ? "" : ", owner " + q.owner) << "\n\nAdd to `questions:`\n\n";
    }
    std::string quoted = Json(q.question).dump();  // a YAML double-quoted scalar
    out << "    - " << quoted << "    # " << q.sessions << " sessions"
        << (q.contradicting ? ", " + std::to_string(q.contradicting) + " against" : std::string())
        << (q.rank > 0 ? ", ranks " + std::to_string(q.rank) + " now" : std::string(", not in the top 10 now"))
        << "\n";
  }
  if (!p.synonyms.empty()) {
    std::string locale;
    for (const auto& s : p.synonyms) {
      if (s.locale != locale) {
        locale = s.locale;
        out << "\n## Synonyms for taxonomy/synonyms/" << locale << ".yaml, under `groups:`\n\n";
      }
      out << "    - [" << Json(s.article_word).dump() << ", " << Json(s.query_word).dump() << "]    # "
          << s.articles.size() << " articles\n";
    }
  }
  return out.str();
}

Result<std::vector<LearnedQuestion>> questions_from_json(const std::string& text) {
  if (Status s = helpmark::json::check_nesting(text); !s.ok()) return s;
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status(ErrorCode::kInvalidInput, "not valid JSON");
  const Json* list = &j;
  if (j.is_object()) {
    auto it = j.find("questions");
    if (it == j.end()) return Status(ErrorCode::kInvalidInput, "no \"questions\" array (the form `learn suggest --json` prints)");
    list = &*it;
  }
  if (!list->is_array()) return Status(ErrorCode::kInvalidInput, "\"questions\" must be an array");
  std::vector<LearnedQuestion> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto q = question_from((*list)[i], "questions[" + std::to_string(i) + "]");
    if (!q.ok()) return q.status();
    out.push_back(std::move(q).value());
  }
  return out;
}

}  // namespace helpmark::learning
