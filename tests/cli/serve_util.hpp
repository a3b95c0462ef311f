// `helpmark serve` for the HTTP tests: the real binary on a free loopback port, driven with
// httplib's client, and helpers for request targets and JSON answers.
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>

#include <chrono>
#include <regex>

#include "cli/cli_util.hpp"

namespace hmtest {

// The caller's environment must not choose the store, the key or the index for a test.
inline const std::vector<std::pair<std::string, std::string>> kCleanEnv = {
    {"HELPMARK_STORE", ""}, {"HELPMARK_PRIVACY", ""}, {"HELPMARK_API_KEY", ""}};

inline std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

/// "/v1/search?q=...&facet=journey" from name/value pairs.
inline std::string target(const std::string& path, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out = path;
  for (std::size_t i = 0; i < params.size(); ++i)
    out += (i ? "&" : "?") + url_encode(params[i].first) + "=" + url_encode(params[i].second);
  return out;
}

/// `helpmark serve` running in the background on 127.0.0.1:<free port>; SIGTERM on destruction.
class ServeProcess {
 public:
  ServeProcess(const fs::path& index, const fs::path& store, std::vector<std::string> extra = {},
               std::vector<std::pair<std::string, std::string>> env = kCleanEnv) {
    std::vector<std::string> args{kBin.string(), "serve", "--index", index.string(), "--store",
                                  store.string(), "--listen", "127.0.0.1:0", "--threads", "4"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_storage;
    for (char** e = environ; *e; ++e) {
      std::string_view entry(*e);
      bool overridden = false;
      for (const auto& kv : env) overridden = overridden || entry.starts_with(kv.first + "=");
      if (!overridden && !entry.starts_with("HELPMARK_INDEX=")) env_storage.emplace_back(entry);
    }
    for (const auto& [k, v] : env)
      if (!v.empty()) env_storage.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);

    int out_pipe[2];
    REQUIRE(::pipe(out_pipe) == 0);
    err_file_ = (log_dir_ / "stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    REQUIRE(rc == 0);
    out_fd_ = out_pipe[0];

    // The first line says where it listens: "... listening on http://127.0.0.1:PORT/ ...".
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buffer[256];
      const ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, static_cast<std::size_t>(n));
    }
    first_line_ = line;
    std::smatch m;
    INFO("stdout: " << line << "\nstderr: " << read_file(err_file_));
    REQUIRE(std::regex_search(line, m, std::regex(R"(listening on http://127\.0\.0\.1:(\d+)/)")));
    port_ = std::stoi(m[1]);
  }

  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      wait();
    }
    if (out_fd_ >= 0) ::close(out_fd_);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  const std::string& first_line() const { return first_line_; }
  std::string stderr_text() const { return read_file(err_file_); }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_url_encode(false);  // targets are encoded by target() exactly as a test means them
    c.set_read_timeout(30, 0);
    c.set_keep_alive(true);  // one connection, so one worker thread handles requests in order
    return c;
  }

  /// Sends SIGTERM and returns the exit status (-1 when killed by a signal).
  int stop() {
    ::kill(pid_, SIGTERM);
    return wait();
  }

 private:
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0)
      if (errno != EINTR) break;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  TempDir log_dir_;
  std::string err_file_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
  std::string first_line_;
};

inline nlohmann::json parse(const std::string& text) { return CliKb::parse_json(text); }

/// GET that must answer; returns status and parsed JSON body.
inline std::pair<int, nlohmann::json> get_json(httplib::Client& c, const std::string& path, const httplib::Headers& headers = {}) {
  auto res = c.Get(path.c_str(), headers);
  INFO("GET " << path);
  REQUIRE(res);
  INFO("body: " << res->body);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  return {res->status, parse(res->body)};
}

/// A 4xx answer with the documented error object.
inline void check_error(httplib::Client& c, const std::string& path, int status, const std::string& code,
                 const std::string& message_part = "") {
  auto [got, body] = get_json(c, path);
  INFO("GET " << path << " -> " << body.dump());
  CHECK(got == status);
  REQUIRE(body.contains("error"));
  CHECK(body["error"]["code"] == code);
  CHECK(body["error"]["message"].is_string());
  if (!message_part.empty()) CHECK(contains(body["error"]["message"].get<std::string>(), message_part));
}

}  // namespace hmtest
