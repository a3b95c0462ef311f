// Several processes writing one store at once, and a writer killed with SIGKILL mid-stream.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <set>

#include "tracking_util.hpp"

namespace fs = std::filesystem;

using helpmark::tracking::Durability;
using helpmark::tracking::Event;
using helpmark::tracking::EventOutcome;
using helpmark::tracking::EventStore;
using helpmark::tracking::EventType;
using helpmark::tracking::StoreOptions;

namespace {

Event view(int writer, int i) {
  Event e;
  e.type = EventType::kView;
  e.session = "w" + std::to_string(writer) + "-s" + std::to_string(i % 7);
  e.ts = helpmark::tracking::format_timestamp(1793527200000LL + i * 10LL);
  e.article = "article-" + std::to_string(i % 13);
  return e;
}

// A child's work: M events, half one by one (every 10th sent twice, as a retry would), half in
// batches of 25 (each batch sent twice). Exit status 0 only if every outcome was as expected.
[[noreturn]] void writer(const fs::path& path, int writer_id, int m, int start_fd) {
  char go;
  while (::read(start_fd, &go, 1) < 0 && errno == EINTR) {
  }
  ::close(start_fd);
  auto store = EventStore::open(path);
  if (!store.ok()) ::_exit(10);
  const int half = m / 2;
  for (int i = 0; i < half; ++i) {
    auto r = store->record(view(writer_id, i));
    if (!r.ok() || r->duplicate) ::_exit(11);
    if (i % 10 == 0) {
      auto retry = store->record(view(writer_id, i));
      if (!retry.ok() || !retry->duplicate || retry->id != r->id) ::_exit(12);
    }
  }
  for (int i = half; i < m; i += 25) {
    std::vector<Event> batch;
    for (int k = i; k < std::min(m, i + 25); ++k) batch.push_back(view(writer_id, k));
    auto first = store->record_batch(batch);
    if (!first.ok() || first->stored != batch.size()) ::_exit(13);
    auto again = store->record_batch(batch);
    if (!again.ok() || again->duplicates != batch.size()) ::_exit(14);
  }
  ::_exit(0);
}

std::string read_all(int fd) {
  std::string data;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) data.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  return data;
}

// Child of the crash test: records events and reports each acknowledged id on `fd`, forever.
[[noreturn]] void acknowledging_writer(const fs::path& path, Durability durability, int fd) {
  StoreOptions o;
  o.durability = durability;
  auto store = EventStore::open(path, o);
  if (!store.ok()) ::_exit(10);
  for (int i = 0;; ++i) {
    std::vector<std::string> acked;
    if (i % 3 == 0) {
      std::vector<Event> batch;
      for (int k = 0; k < 10; ++k) batch.push_back(view(1, i * 100 + k));
      auto r = store->record_batch(batch);
      if (!r.ok()) ::_exit(11);
      for (const auto& o2 : r->outcomes) acked.push_back(o2.id);
    } else {
      auto r = store->record(view(1, i * 100));
      if (!r.ok()) ::_exit(12);
      acked.push_back(r->id);
    }
    // Only after the call returned: these are acknowledged events.
    std::string line;
    for (const auto& id : acked) line += id + "\n";
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(13);
  }
}

void crash_and_check(Durability durability) {
  hmtest::TempDir dir;
  const fs::path path = dir / "events.sqlite";
  { hmtest::open_store(path); }  // created before the child starts
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    acknowledging_writer(path, durability, fds[1]);
  }
  ::close(fds[1]);
  // Read acknowledgements until a good number arrived, then kill the writer mid-stream.
  std::string data;
  char buf[4096];
  while (std::count(data.begin(), data.end(), '\n') < 300) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    REQUIRE(n > 0);
    data.append(buf, static_cast<std::size_t>(n));
  }
  REQUIRE(::kill(pid, SIGKILL) == 0);
  data += read_all(fds[0]);  // acknowledgements already in the pipe count too
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  std::set<std::string> acknowledged;
  std::istringstream in(data);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) acknowledged.insert(line);
  REQUIRE(acknowledged.size() >= 300);

  auto store = hmtest::open_store(path);
  CHECK(store.check_integrity().ok());
  std::set<std::string> stored;
  for (const auto& line : hmtest::export_lines(store)) {
    auto e = helpmark::tracking::event_from_json(line);
    REQUIRE(e.ok());
    stored.insert(e->id);
  }
  std::size_t missing = 0;
  for (const auto& id : acknowledged) missing += stored.count(id) == 0;
  CHECK(missing == 0);
  CHECK(stored.size() >= acknowledged.size());
}

}  // namespace

TEST_SUITE("tracking/processes") {
  TEST_CASE("several processes write one store at once: every event exactly once") {
    hmtest::TempDir dir;
    const fs::path path = dir / "events.sqlite";  // not created yet: the children race to create it
    constexpr int kWriters = 4, kEach = 300;
    int start[2];
    REQUIRE(::pipe(start) == 0);
    std::vector<pid_t> children;
    for (int w = 0; w < kWriters; ++w) {
      const pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        ::close(start[1]);
        writer(path, w, kEach, start[0]);
      }
      children.push_back(pid);
    }
    ::close(start[0]);
    ::close(start[1]);  // EOF on the pipe: every child starts now
    for (pid_t pid : children) {
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      CHECK(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);
    }
    auto store = hmtest::open_store(path);
    CHECK(store.check_integrity().ok());
    const auto lines = hmtest::export_lines(store);
    CHECK(lines.size() == kWriters * kEach);
    std::set<std::string> ids;
    std::map<std::string, int> per_writer;
    for (const auto& line : lines) {
      auto e = helpmark::tracking::event_from_json(line);
      REQUIRE(e.ok());
      ids.insert(e->id);
      ++per_writer[e->session.substr(0, e->session.find('-'))];
    }
    CHECK(ids.size() == kWriters * kEach);
    for (int w = 0; w < kWriters; ++w) CHECK(per_writer["w" + std::to_string(w)] == kEach);
  }

  TEST_CASE("kill -9 during writes: every acknowledged event survives, the file is sound") {
    SUBCASE("durability full (fsync per commit)") { crash_and_check(Durability::kFull); }
    SUBCASE("durability normal (WAL without fsync per commit)") { crash_and_check(Durability::kNormal); }
  }
}
