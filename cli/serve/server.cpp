#include "serve/server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "commands/track_common.hpp"
#include "helpmark/index.hpp"
#include "helpmark/json.hpp"
#include "helpmark/tracking.hpp"
#include "requests.hpp"
#include "serve/article_html.hpp"
#include "serve/assets.hpp"
#include "serve/bind_failure.hpp"
#include "serve/etag.hpp"
#include "serve/index_locales.hpp"
#include "serve/metrics.hpp"
#include "serve/params.hpp"
#include "serve/routes.hpp"
#include "serve/site_config.hpp"
#include "serve/worker_pool.hpp"

namespace helpmark::cli::serve {
namespace {

namespace fs = std::filesystem;
using httplib::Request;
using httplib::Response;

constexpr const char* kJson = "application/json";
/// Most events one POST may carry (the body size limit usually bites first).
constexpr std::size_t kMaxEventsPerRequest = 10000;
constexpr std::size_t kMaxArticleIdBytes = 200;
/// Offsets past this are refused: no help center pages that deep, and it bounds the work.
constexpr std::size_t kMaxOffset = 100000;
/// The help-center page and its files: only their own script and style.
constexpr const char* kPageCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

std::string error_body(std::string_view code, std::string_view message) {
  nlohmann::ordered_json out = {{"error", {{"code", code}, {"message", message}}}};
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_error(Response& res, int http_status, std::string_view code, std::string_view message) {
  res.status = http_status;
  res.set_content(error_body(code, message) + "\n", kJson);
}

/// A library Status as an HTTP error. Internal errors never show their message (it may carry
/// an exception's text); the server log gets it instead.
void send_status(Response& res, const Status& status) {
  switch (status.code()) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidInput:
      send_error(res, 400, error_code_name(status.code()), status.message());
      return;
    case ErrorCode::kNotFound:
      send_error(res, 404, "not found", status.message());
      return;
    case ErrorCode::kLocked:
      send_error(res, 503, "locked", "the store is busy; try again");
      return;
    default:
      std::cerr << "helpmark serve: error: " << status.message() << "\n";
      send_error(res, status.code() == ErrorCode::kInternal ? 500 : 503, error_code_name(status.code()),
                 status.code() == ErrorCode::kInternal ? "internal error" : "the index or store is unavailable");
  }
}

void send_json(Response& res, const std::string& body) {
  res.status = 200;
  res.set_content(body + "\n", kJson);
}

/// The metrics label of a request: its API route, "static" for the page and its files, "other".
std::string endpoint_of(const std::string& path) {
  for (const Route& r : kRoutes)
    if (path_matches(r.path, path)) return r.api ? std::string(r.path) : "static";
  return "other";
}

/// The httplib pattern of a route template: "{name}" is one non-empty segment, the rest literal.
std::string route_pattern(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      out += "([^/]+)";
      i = path.find('}', i);
    } else {
      if (std::string_view(".+*?()[]|^$\\").find(path[i]) != std::string_view::npos) out += '\\';
      out += path[i];
    }
  }
  return out;
}

/// The article id of /v1/articles/{id} and /articles/{id}, or "" when no id can be it. Ids are
/// looked up as index terms, never as file names; still refuse what no id can be.
std::string article_id_of(const Request& req) {
  std::string id = req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
  if (id.size() > kMaxArticleIdBytes || !is_valid_utf8(id) || id == "." || id == "..") return {};
  return id;
}

/// Watches the index's version file and reopens the index when it changed, at most once a
/// second (a few small reads), so a rebuilt index is served without a restart. On a read
/// replica the directory holds a stub file, XAPIANDB, naming the live copy (replica_0 or
/// replica_1): xapian-replicate applies changesets to that copy in place, or switches the stub
/// to a new full copy, so the stub and the live copy's version file are watched together.
class IndexWatcher {
 public:
  IndexWatcher(Index& index, fs::path dir) : index_(index), dir_(std::move(dir)) {
    version_ = read_version();
    commit_time_ = modification_time();
  }

  void maybe_reopen() {
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count();
    std::int64_t due = next_check_ms_.load();
    if (now < due || !next_check_ms_.compare_exchange_strong(due, now + 1000)) return;
    std::lock_guard lock(mu_);
    std::string current = read_version();
    if (current.empty() || current == version_) return;
    Status s = index_.reopen();
    if (!s.ok()) {
      // A rebuild in progress or a damaged index: keep serving the version we have.
      std::cerr << "helpmark serve: warning: cannot reopen the index: " << s.message() << "\n";
      return;
    }
    version_ = std::move(current);
    commit_time_ = modification_time();
    ++generation_;
    std::cerr << "helpmark serve: index reopened (" << index_.size() << " articles)\n";
  }

  /// What identifies the index version being served (its version file, and a replica's stub).
  std::string revision() const {
    std::lock_guard lock(mu_);
    return version_;
  }

  IndexGauges gauges() const {
    IndexGauges g;
    g.documents = index_.size();
    std::lock_guard lock(mu_);
    g.generation = generation_;
    g.commit_time_seconds = commit_time_;
    return g;
  }

 private:
  static std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  /// The glass version file of the live database: the directory's own, or the one in the
  /// copy a replica's stub names (its last "auto PATH" line, relative to the directory).
  fs::path version_file(const std::string& stub) const {
    std::istringstream lines(stub);
    std::string line, live;
    while (std::getline(lines, line))
      if (line.rfind("auto ", 0) == 0) live = line.substr(5);
    return live.empty() ? dir_ / "iamglass" : dir_ / live / "iamglass";
  }
  /// Empty while there is no complete database to read (e.g. between a replica's switch and
  /// its copy's first version file).
  std::string read_version() const {
    std::string stub = read_file(dir_ / "XAPIANDB");
    std::string version = read_file(version_file(stub));
    return version.empty() ? std::string() : stub + version;
  }
  double modification_time() const {
    struct stat st {};
    if (::stat(version_file(read_file(dir_ / "XAPIANDB")).c_str(), &st) != 0) return 0;
    return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
  }

  Index& index_;
  const fs::path dir_;
  std::atomic<std::int64_t> next_check_ms_{0};
  mutable std::mutex mu_;
  std::string version_;
  double commit_time_ = 0;
  std::uint64_t generation_ = 1;
};

/// Compares without an early exit, so the time taken does not reveal how much of a guess was
/// right.
bool same_secret(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

// Timestamps of requests in flight, per worker thread: set when routing starts, read by the
// logger once the response is written.
thread_local std::optional<std::chrono::steady_clock::time_point> t_request_start;

class Server {
 public:
  Server(ServeOptions options, SiteConfig site, Index index, tracking::EventStore store)
      : options_(std::move(options)),
        site_(std::move(site)),
        logo_etag_("\"logo-" + std::to_string(std::hash<std::string>{}(site_.logo)) + "\""),
        index_(std::move(index)),
        store_(std::move(store)),
        watcher_(index_, options_.index_dir) {}

  /// Binds; returns the port or a message.
  Result<int> bind() {
    configure();
    std::string host = options_.listen;
    int port = 8080;
    const std::size_t colon = host.rfind(':');
    if (colon == std::string::npos || colon + 1 == host.size())
      return Status(ErrorCode::kInvalidArgument, "--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
    try {
      std::size_t used = 0;
      port = std::stoi(host.substr(colon + 1), &used);
      if (used != host.size() - colon - 1 || port < 0 || port > 65535) throw std::out_of_range("port");
    } catch (const std::exception&) {
      return Status(ErrorCode::kInvalidArgument, "--listen: bad port in '" + options_.listen + "'");
    }
    host.resize(colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) return Status(ErrorCode::kInvalidArgument, "--listen: missing host in '" + options_.listen + "'");
    host_ = host;
    if (port == 0) {
      port = http_.bind_to_any_port(host);
      if (port < 0) return Status(ErrorCode::kIoError, bind_failure_message(host, 0, options_.listen));
    } else if (!http_.bind_to_port(host, port)) {
      return Status(ErrorCode::kIoError, bind_failure_message(host, port, options_.listen));
    }
    // Listening again only changes the queue of connections not yet accepted: bursts of new
    // connections wait there instead of being refused.
    if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);
    return port;
  }

  bool listen() { return http_.listen_after_bind(); }
  void stop() { http_.stop(); }
  std::size_t documents() const { return index_.size(); }

 private:
  void configure() {
    const std::size_t threads = options_.threads;
    const std::size_t max_connections = std::max(options_.max_connections, threads);
    http_.new_task_queue = [threads, max_connections] { return new WorkerPool(threads, max_connections); };
    // httplib listens with a backlog of 5; the socket is kept to raise it once bound. These
    // options replace httplib's, which set SO_REUSEPORT: with it a second server binds the same
    // port and the kernel splits connections between the two, so a taken port went unnoticed.
    http_.set_socket_options([this](int sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_socket_ = sock;
    });
    http_.set_payload_max_length(options_.max_body_bytes);
    http_.set_read_timeout(options_.timeout_seconds, 0);
    http_.set_write_timeout(options_.timeout_seconds, 0);
    // A connection holds a worker while it is open: one that sends nothing is closed after this.
    http_.set_keep_alive_timeout(options_.idle_timeout_seconds);
    http_.set_keep_alive_max_count(100);
    // Headers and body are written separately: without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK hold every keep-alive response for ~40 ms.
    http_.set_tcp_nodelay(true);
    http_.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}});

    http_.set_pre_routing_handler([this](const Request& req, Response& res) {
      t_request_start = std::chrono::steady_clock::now();
      add_cors_headers(req, res);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http_.set_logger([this](const Request& req, const Response& res) {
      double seconds = -1;
      if (t_request_start) {
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - *t_request_start).count();
        t_request_start.reset();
      }
      metrics_.observe_request(endpoint_of(req.path), res.status, seconds);
    });
    // Every error response is JSON, including those httplib makes itself (404 for an unknown
    // path, 413 for a body over the limit, 414 for a long URI, 400 for a malformed request).
    // httplib answers a known path asked with another method as an unknown path (404, or 400
    // for a method it does not know): that is a 405 naming the methods the path takes.
    http_.set_error_handler(httplib::Server::HandlerWithResponse([](const Request& req, Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      if (auto route = route_of(req.path);
          route && (res.status == 404 || res.status == 400) && !req.method.empty() && !method_allowed(*route, req.method)) {
        res.set_header("Allow", allowed_methods(*route));
        send_error(res, 405, "method not allowed",
                   req.method + " is not allowed on " + std::string(*route) + "; use " + allowed_methods(*route));
        return httplib::Server::HandlerResponse::Handled;
      }
      switch (res.status) {
        case 404: send_error(res, 404, "not found", "no such endpoint; see /v1/openapi.json"); break;
        case 413: send_error(res, 413, "payload too large", "the request body is over the server's limit (--max-body)"); break;
        case 414: send_error(res, 414, "uri too long", "the request URI is too long"); break;
        default: send_error(res, res.status, res.status >= 500 ? "internal error" : "bad request", res.status >= 500 ? "internal error" : "the request is malformed"); break;
      }
      return httplib::Server::HandlerResponse::Handled;
    }));
    http_.set_exception_handler([](const Request&, Response& res, std::exception_ptr) {
      send_error(res, 500, "internal error", "internal error");
    });

    for (const Route& route : kRoutes) {
      if (route.method == "GET") http_.Get(route_pattern(route.path), handler_of(route.path));
      else http_.Post(route_pattern(route.path), handler_of(route.path));
    }
    http_.Options(R"(.*)", guard([this](const Request& req, Response& res) { preflight(req, res); }));
  }

  /// The handler of a route of kRoutes.
  httplib::Server::Handler handler_of(std::string_view path) {
    if (path == "/v1/search") return guard([this](const Request& req, Response& res) { search(req, res); });
    if (path == "/v1/answer") return guard([this](const Request& req, Response& res) { answer(req, res); });
    if (path == "/v1/suggest") return guard([this](const Request& req, Response& res) { suggest(req, res); });
    if (path == "/v1/articles/{id}") return guard([this](const Request& req, Response& res) { article(req, res); });
    if (path == "/v1/events") return guard([this](const Request& req, Response& res) { events(req, res); });
    if (path == "/healthz") return guard([this](const Request& req, Response& res) { health(req, res); });
    if (path == "/v1/site") return guard([this](const Request& req, Response& res) { site(req, res); });
    if (path == "/v1/taxonomy") return guard([this](const Request& req, Response& res) { taxonomy(req, res); });
    if (path == "/site/logo") return guard([this](const Request& req, Response& res) { logo(req, res); });
    if (path == "/search") return guard([](const Request& req, Response& res) { send_asset(req, res, *find_asset("/")); });
    if (path == "/metrics") return guard([this](const Request& req, Response& res) { metrics(req, res); });
    if (path == "/articles/{id}") return guard([this](const Request& req, Response& res) { article_page(req, res); });
    // Browsers ask for /favicon.ico on their own (the demo page names an inline icon, but
    // Chromium still asks on some loads, and article pages name none): no content, not a 404
    // that every browser console reports as an error.
    if (path == "/favicon.ico") return [](const Request&, Response& res) { res.status = 204; };
    if (find_asset(path) != nullptr) return guard([](const Request& req, Response& res) { static_file(req, res); });
    throw std::logic_error("no handler for the route " + std::string(path));
  }

  /// No exception leaves a handler: the client gets a 500 without details, the log gets why.
  /// Handlers compute inside the gate; httplib writes the response after it.
  template <typename F>
  httplib::Server::Handler guard(F f) {
    return [this, f](const Request& req, Response& res) {
      try {
        RequestGate::Pass pass(gate_);
        f(req, res);
      } catch (const std::exception& e) {
        std::cerr << "helpmark serve: internal error on " << req.path << ": " << e.what() << "\n";
        send_error(res, 500, "internal error", "internal error");
      } catch (...) {
        std::cerr << "helpmark serve: internal error on " << req.path << "\n";
        send_error(res, 500, "internal error", "internal error");
      }
    };
  }

  bool origin_allowed(const std::string& origin) const {
    for (const auto& allowed : options_.cors_origins)
      if (allowed == "*" || allowed == origin) return true;
    return false;
  }

  void add_cors_headers(const Request& req, Response& res) const {
    if (options_.cors_origins.empty() || !req.has_header("Origin")) return;
    const std::string origin = req.get_header_value("Origin");
    if (!origin_allowed(origin)) return;
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Expose-Headers", "ETag");  // for clients that revalidate themselves
    res.set_header("Vary", "Origin");
  }

  void preflight(const Request& req, Response& res) const {
    res.status = 204;
    if (res.has_header("Access-Control-Allow-Origin")) {
      res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "Content-Type, Authorization, X-API-Key, If-None-Match");
      res.set_header("Access-Control-Max-Age", "600");
    }
    (void)req;
  }

  // ---- search, answer, suggest ------------------------------------------------------------

  void search(const Request& req, Response& res) {
    Params p(req.params);
    SearchArgs args;
    for (Status s : {p.check({"q", "locale", "journey", "subtopic", "audience", "tag", "status", "facet", "limit", "offset"}),
                     p.text("q", args.query), p.text("locale", args.locale), p.list("journey", args.journeys),
                     p.list("subtopic", args.subtopics), p.list("audience", args.audiences), p.list("tag", args.tags),
                     p.list("status", args.statuses), p.list("facet", args.facets),
                     p.size("limit", 0, SearchRequest::kMaxLimit, args.limit),
                     p.size("offset", 0, kMaxOffset, args.offset)}) {
      if (!s.ok()) return send_status(res, s);
    }
    for (const auto& facet : args.facets) {
      bool known = false;
      for (const char* field : kFacetFields) known = known || facet == field;
      if (!known)
        return send_error(res, 400, "invalid argument",
                          "unknown facet '" + facet + "'; expected journey, subtopic, audience, locale, tags or status");
    }
    send_cached_json(req, res, args.locale, [&] { return search_json(index_, args); });
  }

  void answer(const Request& req, Response& res) {
    Params p(req.params);
    AnswerArgs args;
    for (Status s : {p.check({"q", "locale", "audience", "journey", "threshold", "alternatives"}),
                     p.text("q", args.question), p.text("locale", args.locale), p.list("audience", args.audiences),
                     p.list("journey", args.journeys), p.real("threshold", 0.0, 1.0, args.threshold),
                     p.size("alternatives", 0, kMaxAlternatives, args.alternatives)}) {
      if (!s.ok()) return send_status(res, s);
    }
    if (args.question.find_first_not_of(" \t\r\n") == std::string::npos)
      return send_error(res, 400, "invalid argument",
                        "parameter 'q' is required: the customer's question, e.g. /v1/answer?q=where+is+my+refund");
    send_cached_json(req, res, args.locale, [&] { return answer_json(index_, args); });
  }

  void suggest(const Request& req, Response& res) {
    Params p(req.params);
    SuggestArgs args;
    for (Status s : {p.check({"q", "locale", "limit"}), p.text("q", args.prefix), p.text("locale", args.locale),
                     p.size("limit", 1, kMaxSuggestLimit, args.limit)}) {
      if (!s.ok()) return send_status(res, s);
    }
    send_cached_json(req, res, args.locale, [&] { return suggest_json(index_, args); });
  }

  /// Answers a request whose parameters are valid: 400 for a locale the index does not have,
  /// 304 when the client's copy is current (before anything is computed), else `compute()`'s
  /// JSON with an ETag keyed on the index revision and the request.
  template <typename Compute>
  void send_cached_json(const Request& req, Response& res, const std::string& locale, Compute compute) {
    watcher_.maybe_reopen();
    const std::string revision = watcher_.revision();
    if (Status s = locales_.check(index_, revision, locale); !s.ok()) return send_status(res, s);
    const std::string etag = api_etag(revision, req);
    if (answer_if_unchanged(req, res, etag)) return;
    auto body = compute();
    if (!body.ok()) return send_status(res, body.status());
    set_validators(res, etag);
    send_json(res, body.value());
  }

  // ---- articles ---------------------------------------------------------------------------

  void article(const Request& req, Response& res) {
    Params p(req.params);
    std::string format;
    for (Status s : {p.check({"format"}), p.text("format", format)})
      if (!s.ok()) return send_status(res, s);
    if (!format.empty() && format != "json" && format != "html")
      return send_error(res, 400, "invalid argument", "parameter 'format' must be json or html");
    if (format.empty()) {
      res.set_header("Vary", "Accept");  // the format was negotiated
      format = req.get_header_value("Accept").find("text/html") != std::string::npos ? "html" : "json";
    }
    const std::string id = article_id_of(req);
    if (id.empty()) return send_error(res, 404, "not found", "no such article");
    watcher_.maybe_reopen();
    const std::string etag = api_etag(watcher_.revision(), req, format);
    // Looked up first (one document read): "If-None-Match: *" is a 304 only when it exists.
    auto a = index_.get(id);
    if (!a.ok()) {
      if (a.status().code() == ErrorCode::kNotFound) return send_error(res, 404, "not found", "no article with this id");
      return send_status(res, a.status());
    }
    if (answer_if_unchanged(req, res, etag)) return;
    set_validators(res, etag);
    if (format == "html") {
      res.status = 200;
      res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' https: data:");
      res.set_content(article_html(a.value()), "text/html; charset=utf-8");
    } else {
      send_json(res, json::article(a.value()));
    }
  }

  // ---- events -----------------------------------------------------------------------------

  bool authorised(const Request& req) const {
    if (options_.api_key.empty()) return true;
    std::string given = req.get_header_value("X-API-Key");
    const std::string auth = req.get_header_value("Authorization");
    if (given.empty() && auth.rfind("Bearer ", 0) == 0) given = auth.substr(7);
    return !given.empty() && same_secret(given, options_.api_key);
  }

  void events(const Request& req, Response& res) {
    if (!authorised(req)) {
      res.set_header("WWW-Authenticate", "Bearer");
      return send_error(res, 401, "unauthorized",
                        "posting events needs the server's API key: header 'Authorization: Bearer KEY' or 'X-API-Key: KEY'");
    }
    // The media type first: httplib reads a form-encoded body into the parameters, and a form
    // must be told that forms are not accepted, not that there are parameters.
    const std::string type = req.get_header_value("Content-Type");
    const std::string media = type.substr(0, type.find(';'));
    if (media != "application/json" && media != "application/x-ndjson" && media != "application/jsonl")
      return send_error(res, 415, "unsupported media type",
                        "send events as application/json (an array) or application/x-ndjson (one object a line)");
    if (!req.params.empty()) return send_error(res, 400, "invalid argument", "POST /v1/events takes no parameters");
    if (!is_valid_utf8(req.body)) return send_error(res, 400, "invalid input", "the body is not valid UTF-8");

    // The body: a JSON array of event objects, or JSONL (one object a line, as `track import`).
    std::vector<std::string> texts;
    const std::size_t first = req.body.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return send_error(res, 400, "invalid input", "the body holds no events");
    if (req.body[first] == '[') {
      if (Status nesting = json::check_nesting(req.body); !nesting.ok())
        return send_error(res, 400, "invalid input", nesting.message());
      auto parsed = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded() || !parsed.is_array())
        return send_error(res, 400, "invalid input", "the body is not valid JSON: expected an array of event objects");
      for (const auto& item : parsed) texts.push_back(item.dump());
    } else {
      std::istringstream lines(req.body);
      for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        texts.push_back(std::move(line));
      }
    }
    if (texts.empty()) return send_error(res, 400, "invalid input", "the body holds no events");
    if (texts.size() > kMaxEventsPerRequest)
      return send_error(res, 413, "payload too large",
                        "at most " + std::to_string(kMaxEventsPerRequest) + " events per request");

    std::vector<std::optional<std::string>> parse_errors(texts.size());
    std::vector<tracking::Event> valid;
    std::vector<std::size_t> valid_at;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      auto event = tracking::event_from_json(texts[i]);
      if (!event.ok()) {
        parse_errors[i] = event.status().message();
        continue;
      }
      if (options_.store_only_vocabulary) keep_only_vocabulary(event.value());
      valid.push_back(std::move(event).value());
      valid_at.push_back(i);
    }
    tracking::BatchOutcome batch;
    if (!valid.empty()) {
      auto outcome = store_.record_batch(valid);
      if (!outcome.ok()) return send_status(res, outcome.status());
      batch = std::move(outcome).value();
    }
    for (std::size_t k = 0; k < batch.outcomes.size() && k < valid_at.size(); ++k)
      if (batch.outcomes[k].state == tracking::EventOutcome::State::kRejected)
        parse_errors[valid_at[k]] = batch.outcomes[k].error;

    nlohmann::ordered_json errors = nlohmann::ordered_json::array();
    std::size_t rejected = 0;
    for (std::size_t i = 0; i < parse_errors.size(); ++i) {
      if (!parse_errors[i]) continue;
      ++rejected;
      errors.push_back({{"index", i}, {"message", *parse_errors[i]}});
    }
    metrics_.observe_events(batch.stored, batch.duplicates, rejected);
    nlohmann::ordered_json out;
    const bool none_accepted = batch.stored + batch.duplicates == 0;
    if (none_accepted)
      out["error"] = {{"code", "invalid input"},
                      {"message", texts.size() == 1 ? "the event was rejected: " + errors[0]["message"].get<std::string>()
                                                    : "every event was rejected; see errors"}};
    out["received"] = texts.size();
    out["stored"] = batch.stored;
    out["duplicates"] = batch.duplicates;
    out["rejected"] = rejected;
    out["errors"] = errors;
    res.status = none_accepted ? 400 : 200;
    res.set_content(out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", kJson);
  }

  /// The privacy mode: a text with a word the articles never use (a name, a street) is not kept.
  void keep_only_vocabulary(tracking::Event& e) {
    for (std::string* text : {&e.query, &e.question, &e.reason}) {
      if (text->empty()) continue;
      auto known = index_.in_vocabulary(*text, e.locale);
      if (!known.ok() || !known.value()) *text = "<not-in-vocabulary>";
    }
  }

  // ---- health, metrics, the demo page -----------------------------------------------------

  void health(const Request& req, Response& res) {
    if (!req.params.empty()) return send_error(res, 400, "invalid argument", "GET /healthz takes no parameters");
    watcher_.maybe_reopen();
    nlohmann::ordered_json out = {{"status", "ok"},
                                  {"documents", index_.size()},
                                  {"events_require_key", !options_.api_key.empty()}};
    send_json(res, out.dump());
  }

  /// What the page needs to know about this site: whether it may record events, and where the
  /// contact hand-off goes.
  void site(const Request& req, Response& res) {
    if (!req.params.empty()) return send_error(res, 400, "invalid argument", "GET /v1/site takes no parameters");
    auto text_or_null = [](const std::string& s) { return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s); };
    nlohmann::ordered_json links = nlohmann::ordered_json::array();
    for (const FooterLink& l : site_.footer_links) links.push_back({{"label", l.label}, {"url", l.url}});
    nlohmann::ordered_json out = {{"events_require_key", !options_.api_key.empty()},
                                  {"contact_url", text_or_null(site_.contact_url)},
                                  {"name", text_or_null(site_.name)},
                                  {"logo", site_.logo.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json("/site/logo")},
                                  {"accent", text_or_null(site_.accent)},
                                  {"footer_links", links}};
    send_json(res, out.dump());
  }

  /// The journeys and sub-topics with their labels in every locale: the page's navigation.
  void taxonomy(const Request& req, Response& res) {
    if (!req.params.empty()) return send_error(res, 400, "invalid argument", "GET /v1/taxonomy takes no parameters");
    send_cached_json(req, res, "", [&]() -> Result<std::string> {
      auto t = index_.taxonomy();
      if (!t.ok()) return t.status();
      auto labelled = [](const std::string& id, const Labels& labels) {
        return nlohmann::ordered_json{{"id", id}, {"labels", nlohmann::ordered_json(labels)}};
      };
      nlohmann::ordered_json journeys = nlohmann::ordered_json::array();
      for (const Journey& j : t->journeys()) {
        nlohmann::ordered_json out = labelled(j.id, j.labels);
        out["subtopics"] = nlohmann::ordered_json::array();
        for (const Subtopic& s : j.subtopics) {
          nlohmann::ordered_json sub = labelled(s.id, s.labels);
          sub["articles"] = s.articles;
          out["subtopics"].push_back(std::move(sub));
        }
        out["articles"] = j.articles;
        journeys.push_back(std::move(out));
      }
      nlohmann::ordered_json body = {{"default_locale", t->default_locale()}, {"locales", t->locales()}, {"journeys", journeys}};
      return body.dump();
    });
  }

  void metrics(const Request& req, Response& res) {
    if (!req.params.empty()) return send_error(res, 400, "invalid argument", "GET /metrics takes no parameters");
    watcher_.maybe_reopen();
    res.status = 200;
    res.set_content(metrics_.render(watcher_.gauges()), "text/plain; version=0.0.4; charset=utf-8");
  }

  static void static_file(const Request& req, Response& res) {
    const Asset* asset = find_asset(req.path);
    if (asset == nullptr) return send_error(res, 404, "not found", "no such file");
    send_asset(req, res, *asset);
  }

  /// GET /articles/{id}, the URL /v1/answer links to: the help-center page (its script shows
  /// the article named by the path) when the article exists, a 404 page otherwise.
  void article_page(const Request& req, Response& res) {
    const std::string id = article_id_of(req);
    if (!id.empty()) {
      watcher_.maybe_reopen();
      auto a = index_.get(id);
      if (a.ok()) return send_asset(req, res, *find_asset("/"));
      if (a.status().code() != ErrorCode::kNotFound) return send_status(res, a.status());
    }
    res.status = 404;
    res.set_header("Content-Security-Policy", kPageCsp);
    res.set_content(article_not_found_html(id), "text/html; charset=utf-8");
  }

  /// An embedded file, revalidated by its content hash.
  /// The --site file's logo, revalidated by its content.
  void logo(const Request& req, Response& res) {
    if (site_.logo.empty()) return send_error(res, 404, "not found", "no logo: the --site file names none");
    if (answer_if_unchanged(req, res, logo_etag_)) return;
    set_validators(res, logo_etag_);
    res.status = 200;
    res.set_content(site_.logo, site_.logo_type);
  }

  static void send_asset(const Request& req, Response& res, const Asset& asset) {
    res.set_header("Content-Security-Policy", kPageCsp);
    if (answer_if_unchanged(req, res, asset.etag)) return;
    set_validators(res, asset.etag);
    res.status = 200;
    res.set_content(asset.body.data(), asset.body.size(), std::string(asset.content_type));
  }

  ServeOptions options_;
  SiteConfig site_;
  std::string logo_etag_;
  Index index_;
  tracking::EventStore store_;
  IndexWatcher watcher_;
  IndexLocales locales_;
  Metrics metrics_;
  RequestGate gate_{options_.active_requests};
  httplib::Server http_;
  std::string host_;
  int listen_socket_ = -1;
};

bool is_loopback(const std::string& listen) {
  return listen.rfind("127.", 0) == 0 || listen.rfind("localhost:", 0) == 0 || listen.rfind("[::1]:", 0) == 0;
}

}  // namespace

int run_server(const ServeOptions& options) {
  if (options.threads == 0) {
    std::cerr << "helpmark: error: --threads must be at least 1\n";
    return 2;
  }
  auto index = Index::open(options.index_dir);
  if (!index.ok()) {
    std::cerr << "helpmark: error: " << index.status().message() << "\n";
    return 1;
  }
  auto patterns = scrub_patterns_for(options.privacy, options.store_path);
  if (!patterns.ok()) {
    std::cerr << "helpmark: error: " << patterns.status().message() << "\n";
    return 1;
  }
  tracking::StoreOptions store_options;
  store_options.scrub_patterns = patterns.value();
  auto store = tracking::EventStore::open(options.store_path, store_options);
  if (!store.ok()) {
    std::cerr << "helpmark: error: event store " << options.store_path << ": " << store.status().message() << "\n";
    return 1;
  }

  // Signals are taken by one thread with sigwait; every other thread (httplib's workers are
  // created later and inherit the mask) has them blocked.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  SiteConfig site;
  if (!options.site_file.empty()) {
    auto loaded = load_site_config(options.site_file);
    if (!loaded.ok()) {
      std::cerr << "helpmark: error: " << loaded.status().message() << "\n";
      return 1;
    }
    site = std::move(loaded).value();
  }
  if (!options.contact_url.empty()) site.contact_url = options.contact_url;  // the flag wins over the file
  auto server = std::make_unique<Server>(options, std::move(site), std::move(index).value(), std::move(store).value());
  auto port = server->bind();
  if (!port.ok()) {
    std::cerr << "helpmark: error: " << port.status().message() << "\n";
    return port.status().code() == ErrorCode::kInvalidArgument ? 2 : 1;
  }

  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    const timespec tick{0, 200 * 1000 * 1000};
    while (!done.load()) {
      int sig = ::sigtimedwait(&stop_signals, nullptr, &tick);
      if (sig == SIGINT || sig == SIGTERM) {
        std::cerr << "helpmark serve: stopping\n";
        server->stop();
        return;
      }
    }
  });

  std::string host = options.listen.substr(0, options.listen.rfind(':'));
  std::cout << "helpmark serve: listening on http://" << host << ":" << port.value() << "/ ("
            << server->documents() << " articles in " << options.index_dir << "; events to " << options.store_path
            << (options.api_key.empty() ? ", no API key" : ", API key required for events") << ")" << std::endl;
  if (!is_loopback(options.listen) && options.api_key.empty())
    std::cerr << "helpmark serve: warning: listening beyond loopback without --api-key: anyone who can reach "
                 "this port can post tracking events\n";

  const bool clean = server->listen();
  done.store(true);
  signal_thread.join();
  server.reset();
  if (!clean) {
    std::cerr << "helpmark: error: the server stopped unexpectedly\n";
    return 1;
  }
  return 0;
}

}  // namespace helpmark::cli::serve
