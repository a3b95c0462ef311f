// `helpmark serve` end to end: the real binary on a free loopback port, driven with httplib's
// client; answers compared with the CLI's --json output for the same request.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <thread>

#include "cli/serve_util.hpp"

using hmtest::check_error;
using hmtest::contains;
using hmtest::get_json;
using hmtest::helpmark_cli;
using hmtest::kCleanEnv;
using hmtest::parse;
using hmtest::RunResult;
using hmtest::ServeProcess;
using hmtest::target;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json cli_json(const std::vector<std::string>& args) {
  RunResult run = helpmark_cli(args, kCleanEnv);
  HM_RUN_INFO(run);
  REQUIRE(run.exit_code == 0);
  return parse(run.out);
}

/// The counter value of one metrics line, or -1.
long metric(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stol(line.substr(series.size() + 1));
  return -1;
}

const std::string kEvents =
    R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s1","id":"q1","locale":"en","query":"refund late","total":1,"results":["refund-timing"]}
{"type":"feedback","ts":"2026-11-01T10:01:00Z","session":"s1","article":"refund-timing","helpful":true}
)";

}  // namespace

TEST_SUITE("cli/serve") {

TEST_CASE("search answer and suggest answer exactly the CLI's --json") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite");
  auto c = server.client();
  const std::string index = kb.index().string();

  SUBCASE("search") {
    const std::vector<std::vector<std::pair<std::string, std::string>>> requests = {
        {{"q", "refund"}},
        {{"q", "refnud"}, {"facet", "journey"}, {"facet", "audience"}},
        {{"q", "reembolso"}, {"locale", "pt-BR"}, {"limit", "3"}, {"offset", "1"}},
        {{"q", ""}, {"journey", "returns,payments"}, {"facet", "tags"}},
        {{"q", "payout"}, {"audience", "seller"}, {"tag", "payout"}, {"status", "published"}},
    };
    for (const auto& params : requests) {
      std::vector<std::string> args{"search", "", "--index", index, "--json"};
      for (const auto& [name, value] : params) {
        if (name == "q") args[1] = value;
        else if (name == "tag") args.insert(args.end(), {"--tag", value});
        else args.insert(args.end(), {"--" + name, value});
      }
      auto [status, body] = get_json(c, target("/v1/search", params));
      CHECK(status == 200);
      CHECK(body == cli_json(args));
    }
  }
  SUBCASE("answer") {
    for (const auto& [q, locale] : std::vector<std::pair<std::string, std::string>>{
             {"when will i get my money back", ""}, {"reembolso", "es"}, {"qwertyuiop zzz", ""}}) {
      std::vector<std::pair<std::string, std::string>> params{{"q", q}};
      std::vector<std::string> args{"answer", q, "--index", index, "--json"};
      if (!locale.empty()) {
        params.emplace_back("locale", locale);
        args.insert(args.end(), {"--locale", locale});
      }
      auto [status, body] = get_json(c, target("/v1/answer", params));
      CHECK(status == 200);
      CHECK(body == cli_json(args));
    }
    auto [status, body] = get_json(c, target("/v1/answer", {{"q", "refund"}, {"threshold", "0.9"}, {"alternatives", "1"}}));
    CHECK(status == 200);
    CHECK(body == cli_json({"answer", "refund", "--index", index, "--json", "--threshold", "0.9", "--alternatives", "1"}));
  }
  SUBCASE("suggest") {
    for (const std::string q : {"refu", "ret", "devolu"}) {
      auto [status, body] = get_json(c, target("/v1/suggest", {{"q", q}, {"limit", "5"}}));
      CHECK(status == 200);
      CHECK(body == cli_json({"suggest", q, "--index", index, "--json", "--limit", "5"}));
    }
  }
  SUBCASE("article as JSON and as HTML") {
    auto [status, body] = get_json(c, "/v1/articles/refund-timing");
    CHECK(status == 200);
    CHECK(body == cli_json({"show", "refund-timing", "--index", index, "--json"}));

    auto html = c.Get("/v1/articles/refund-timing", {{"Accept", "text/html"}});
    REQUIRE(html);
    CHECK(html->status == 200);
    CHECK(contains(html->get_header_value("Content-Type"), "text/html"));
    CHECK(contains(html->body, "<h1>How long a refund takes</h1>"));
    CHECK(contains(html->body, "<ol>"));
    auto forced = c.Get("/v1/articles/refund-timing?format=html");
    REQUIRE(forced);
    CHECK(forced->body == html->body);
  }
}

TEST_CASE("bad requests get 4xx JSON errors and never a crash") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite");
  auto c = server.client();

  check_error(c, target("/v1/search", {{"q", std::string(1025, 'a')}}), 400, "invalid argument", "1024");
  check_error(c, target("/v1/answer", {{"q", std::string(2000, 'b')}}), 400, "invalid argument", "1024");
  check_error(c, target("/v1/search", {{"q", "refund"}, {"limit", "1001"}}), 400, "invalid argument", "limit");
  check_error(c, target("/v1/search", {{"q", "refund"}, {"limit", "ten"}}), 400, "invalid argument", "limit");
  check_error(c, target("/v1/search", {{"q", "refund"}, {"limit", "-1"}}), 400, "invalid argument", "limit");
  check_error(c, target("/v1/search", {{"q", "refund"}, {"limit", "99999999999999999999999"}}), 400, "invalid argument");
  check_error(c, target("/v1/search", {{"q", "refund"}, {"colour", "red"}}), 400, "invalid argument", "unknown parameter");
  check_error(c, target("/v1/search", {{"q", "a"}, {"q", "b"}}), 400, "invalid argument", "more than once");
  check_error(c, target("/v1/search", {{"q", "refund"}, {"facet", "colour"}}), 400, "invalid argument", "facet");
  check_error(c, "/v1/search?q=%FF%FE", 400, "invalid argument", "UTF-8");
  check_error(c, "/v1/search?q=%C0%AF", 400, "invalid argument", "UTF-8");  // overlong '/'
  check_error(c, "/v1/suggest?q=refu&locale=%ED%A0%80", 400, "invalid argument", "UTF-8");  // a surrogate
  check_error(c, target("/v1/suggest", {{"q", "refu"}, {"limit", "51"}}), 400, "invalid argument", "limit");
  check_error(c, target("/v1/answer", {{"q", "refund"}, {"threshold", "2"}}), 400, "invalid argument", "threshold");
  check_error(c, target("/v1/answer", {{"q", "refund"}, {"threshold", "nan"}}), 400, "invalid argument", "threshold");
  check_error(c, target("/v1/answer", {{"q", "refund"}, {"alternatives", "51"}}), 400, "invalid argument");
  check_error(c, "/v1/articles/refund-timing?format=pdf", 400, "invalid argument", "format");
  check_error(c, target("/v1/search", {{"q", "refund"}, {"locale", "../../etc"}}), 400, "invalid argument", "BCP 47");
  check_error(c, target("/v1/answer", {{"q", "refund"}, {"locale", "xx_YY"}}), 400, "invalid argument", "BCP 47");

  SUBCASE("unknown articles and paths are 404 and nothing is read from disk") {
    check_error(c, "/v1/articles/no-such-article", 404, "not found");
    for (const std::string path : {"/v1/articles/..%2F..%2Fetc%2Fpasswd", "/v1/articles/../../etc/passwd",
                                   "/v1/articles/%2e%2e", "/../../etc/passwd", "/v1/articles/%FF", "/nope",
                                   "/v1/articles/", "/static/../../etc/passwd"}) {
      auto res = c.Get(path.c_str());
      REQUIRE(res);
      INFO(path << " -> " << res->status << " " << res->body);
      CHECK(res->status == 404);
      CHECK(contains(res->body, "\"error\""));
      CHECK_FALSE(contains(res->body, "root:"));
    }
  }
  SUBCASE("the server is still healthy afterwards") {
    auto [status, body] = get_json(c, "/healthz");
    CHECK(status == 200);
    CHECK(body["status"] == "ok");
    CHECK(body["documents"].get<int>() > 0);
    CHECK(body["events_require_key"] == false);
  }
}

TEST_CASE("a deeply nested JSON body is a 400, not a crash (issue 14, defect 1)") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite", {"--max-body", "1048576"});
  auto c = server.client();
  for (const char* open_close : {"[]", "{}"}) {
    std::string body = "[";
    for (int i = 0; i < 100000; ++i) body += open_close[0] == '{' ? std::string(R"({"a":)") : std::string("[");
    body += "1";
    for (int i = 0; i < 100000; ++i) body += open_close[1];
    body += "]";
    auto res = c.Post("/v1/events", body, "application/json");
    REQUIRE(res);
    INFO(res->body.substr(0, 300));
    CHECK(res->status == 400);
    CHECK(contains(res->body, "nested deeper than 64"));
  }
  // The same as one JSONL line.
  auto res = c.Post("/v1/events", std::string(100000, '{') + "\n", "application/x-ndjson");
  REQUIRE(res);
  CHECK(res->status == 400);
  auto [status, body] = get_json(c, "/healthz");
  CHECK(status == 200);
}

TEST_CASE("200 idle connections neither stop the server nor stay open (issue 14, defect 4)") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite", {"--idle-timeout", "2"});
  std::vector<int> idle;
  for (int i = 0; i < 200; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(server.port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    idle.push_back(fd);
  }
  // With a fixed pool of 4 workers these held every worker for the idle timeout in turn
  // (200 / 4 x 2 s); the request must not wait for them. The client's bound is generous: it
  // tells a server that answers from one that is stuck, it does not measure speed.
  httplib::Client c("127.0.0.1", server.port());
  c.set_connection_timeout(10, 0);
  c.set_read_timeout(10, 0);
  auto res = c.Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  // Each idle connection is closed by the server: a read sees the end of the stream.
  int closed = 0;
  for (int fd : idle) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 15000) == 1) {
      char byte;
      closed += ::recv(fd, &byte, 1, 0) == 0;
    }
    ::close(fd);
  }
  CHECK(closed == 200);
  auto after = c.Get("/healthz");
  REQUIRE(after);
  CHECK(after->status == 200);
}

TEST_CASE("--store-text vocabulary keeps only texts made of the articles' words (issue 14, section 2)") {
  hmtest::CliKb kb;
  const fs::path store = kb.dir() / "events.sqlite";
  {
    ServeProcess server(kb.index(), store, {"--store-text", "vocabulary"});
    auto c = server.client();
    const std::string body =
        R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s1","id":"k1","locale":"en","query":"refund card","total":0}
{"type":"search","ts":"2026-11-01T10:00:00Z","session":"s1","id":"k2","locale":"en","query":"refund for Jane Okonkwo","total":0}
{"type":"feedback","ts":"2026-11-01T10:01:00Z","session":"s1","article":"refund-timing","helpful":false,"reason":"my neighbour Zebulon took it"}
)";
    auto res = c.Post("/v1/events", body, "application/x-ndjson");
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == 200);
  }
  RunResult exported = helpmark_cli({"track", "export", "--store", store.string()}, kCleanEnv);
  HM_RUN_INFO(exported);
  CHECK(contains(exported.out, R"("query":"refund card")"));
  CHECK(contains(exported.out, R"("query":"<not-in-vocabulary>")"));
  CHECK(contains(exported.out, R"("reason":"<not-in-vocabulary>")"));
  CHECK_FALSE(contains(exported.out, "Okonkwo"));
  CHECK_FALSE(contains(exported.out, "Zebulon"));
}

TEST_CASE("events are stored and need the API key when one is set") {
  hmtest::CliKb kb;
  const fs::path store = kb.dir() / "events.sqlite";
  ServeProcess server(kb.index(), store, {"--api-key", "s3cret-key", "--max-body", "4096"});
  auto c = server.client();
  const httplib::Headers auth{{"Authorization", "Bearer s3cret-key"}};

  auto post = [&](const std::string& body, const httplib::Headers& headers, const char* type = "application/x-ndjson") {
    auto res = c.Post("/v1/events", headers, body, type);
    REQUIRE(res);
    return std::make_pair(res->status, parse(res->body));
  };

  SUBCASE("missing or wrong key: 401") {
    auto [s1, b1] = post(kEvents, {});
    CHECK(s1 == 401);
    CHECK(b1["error"]["code"] == "unauthorized");
    auto [s2, b2] = post(kEvents, {{"Authorization", "Bearer wrong"}});
    CHECK(s2 == 401);
    auto [s3, b3] = post(kEvents, {{"X-API-Key", "s3cret-ke"}});
    CHECK(s3 == 401);
  }
  SUBCASE("JSONL and JSON arrays reach the store, once") {
    auto [s1, b1] = post(kEvents, auth);
    INFO(b1.dump());
    CHECK(s1 == 200);
    CHECK(b1["stored"] == 2);
    auto [s2, b2] = post(kEvents, {{"X-API-Key", "s3cret-key"}});
    CHECK(s2 == 200);
    CHECK(b2["duplicates"] == 2);
    const std::string array =
        R"([{"type":"ticket","ts":"2026-11-01T11:05:00Z","session":"s2","journey":"payments"},
            {"type":"click","ts":"2026-11-01T11:00:00Z","session":"s2","article":"refund-timing"}])";
    auto [s3, b3] = post(array, auth, "application/json");
    INFO(b3.dump());
    CHECK(s3 == 200);
    CHECK(b3["stored"] == 1);
    CHECK(b3["rejected"] == 1);
    REQUIRE(b3["errors"].size() == 1);
    CHECK(b3["errors"][0]["index"] == 1);
    CHECK(contains(b3["errors"][0]["message"].get<std::string>(), "position"));

    RunResult run = helpmark_cli({"track", "export", "--store", store.string()}, kCleanEnv);
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
    CHECK(hmtest::count_lines_with(run.out, "\"type\"") == 3);
    CHECK(contains(run.out, R"("id":"q1")"));
    CHECK(contains(run.out, R"("type":"ticket")"));
    CHECK(contains(run.out, R"("helpful":true)"));
  }
  SUBCASE("bad bodies") {
    auto [s1, b1] = post("[{\"type\": ", auth, "application/json");
    CHECK(s1 == 400);
    CHECK(b1["error"]["code"] == "invalid input");
    auto [s2, b2] = post("not json at all\n", auth);
    CHECK(s2 == 400);
    CHECK(b2["rejected"] == 1);
    auto [s3, b3] = post("", auth);
    CHECK(s3 == 400);
    auto [s4, b4] = post(kEvents, auth, "text/plain");
    CHECK(s4 == 415);
    auto [s5, b5] = post(std::string(5000, ' ') + kEvents, auth);
    CHECK(s5 == 413);
    CHECK(b5["error"]["code"] == "payload too large");
    auto [s6, b6] = post("{\"type\":\"ticket\",\"ts\":\"2026-11-01T11:05:00Z\",\"session\":\"\xff\"}", auth);
    CHECK(s6 == 400);
    CHECK(contains(b6["error"]["message"].get<std::string>(), "UTF-8"));
    auto [s7, b7] = post("{\"type\":\"ticket\",\"ts\":\"2026-11-01T11:05:00Z\",\"session\":\"me@example.com\"}", auth);
    CHECK(s7 == 400);
    CHECK(contains(b7["error"]["message"].get<std::string>(), "email"));
  }
  SUBCASE("health says a key is needed") {
    auto [status, body] = get_json(c, "/healthz");
    CHECK(status == 200);
    CHECK(body["events_require_key"] == true);
  }
}

TEST_CASE("the API key can come from HELPMARK_API_KEY") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite", {},
                      {{"HELPMARK_STORE", ""}, {"HELPMARK_PRIVACY", ""}, {"HELPMARK_API_KEY", "from-env"}});
  auto c = server.client();
  auto denied = c.Post("/v1/events", kEvents, "application/x-ndjson");
  REQUIRE(denied);
  CHECK(denied->status == 401);
  auto allowed = c.Post("/v1/events", {{"X-API-Key", "from-env"}}, kEvents, "application/x-ndjson");
  REQUIRE(allowed);
  CHECK(allowed->status == 200);
}

TEST_CASE("metrics count requests by endpoint and status") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite");
  auto c = server.client();
  for (int i = 0; i < 3; ++i) REQUIRE(c.Get("/v1/search?q=refund"));
  REQUIRE(c.Get("/v1/search?q=refund&limit=5000"));
  REQUIRE(c.Get("/v1/suggest?q=ref"));
  REQUIRE(c.Get("/nope"));
  REQUIRE(c.Post("/v1/events", kEvents, "application/x-ndjson"));
  REQUIRE(c.Post("/v1/events", "{\"type\":\"searhc\"}\n", "application/x-ndjson"));

  auto res = c.Get("/metrics");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(contains(res->get_header_value("Content-Type"), "text/plain"));
  const std::string& m = res->body;
  INFO(m);
  CHECK(metric(m, R"(helpmark_http_requests_total{endpoint="/v1/search",status="200"})") == 3);
  CHECK(metric(m, R"(helpmark_http_requests_total{endpoint="/v1/search",status="400"})") == 1);
  CHECK(metric(m, R"(helpmark_http_requests_total{endpoint="/v1/suggest",status="200"})") == 1);
  CHECK(metric(m, R"(helpmark_http_requests_total{endpoint="other",status="404"})") == 1);
  CHECK(metric(m, R"(helpmark_http_request_duration_seconds_count{endpoint="/v1/search"})") == 4);
  CHECK(metric(m, R"(helpmark_http_request_duration_seconds_bucket{endpoint="/v1/search",le="+Inf"})") == 4);
  CHECK(metric(m, R"(helpmark_events_total{outcome="stored"})") == 2);
  CHECK(metric(m, R"(helpmark_events_total{outcome="rejected"})") == 1);
  CHECK(metric(m, "helpmark_index_documents") > 0);
  CHECK(metric(m, "helpmark_index_generation") == 1);
}

TEST_CASE("a rebuilt index is served without a restart") {
  hmtest::TempDir dir;
  hmtest::copy_tree(hmtest::kSmallArticles, dir / "articles");
  const fs::path index = dir / "index";
  auto build = [&] {
    RunResult run = helpmark_cli({"index", (dir / "articles").string(), "--taxonomy", hmtest::kSmallTaxonomy.string(),
                                  "--index", index.string(), "-q"},
                                 kCleanEnv);
    HM_RUN_INFO(run);
    REQUIRE(run.exit_code == 0);
  };
  build();
  ServeProcess server(index, dir / "events.sqlite");
  auto c = server.client();
  const std::string path = target("/v1/search", {{"q", "zeppelin"}});
  CHECK(get_json(c, path).second["total"] == 0);
  auto before = c.Get(path.c_str());
  REQUIRE(before);
  const std::string old_etag = before->get_header_value("ETag");

  hmtest::write_file(dir / "articles/en/payments/zeppelin-delivery.md",
                     "---\ntitle: Zeppelin <delivery>\njourney: payments\nlocale: en\n---\n\n"
                     "Orders can arrive by zeppelin on Tuesdays.\n\n<script>alert(1)</script>\n\n"
                     "[Click](javascript:alert(2)) or see [timing](article:refund-timing).\n");
  build();
  json body;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    body = get_json(c, path).second;
  } while (body["total"] == 0 && std::chrono::steady_clock::now() < deadline);
  CHECK(body["total"] == 1);
  REQUIRE(body["hits"].size() == 1);
  CHECK(body["hits"][0]["id"] == "zeppelin-delivery");
  // The ETag follows the index revision: the copy a client kept is no longer current.
  auto revalidated = c.Get(path.c_str(), {{"If-None-Match", old_etag}});
  REQUIRE(revalidated);
  CHECK(revalidated->status == 200);
  CHECK(revalidated->get_header_value("ETag") != old_etag);
  CHECK(get_json(c, "/v1/articles/zeppelin-delivery").first == 200);
  // Rendered safely: front matter escaped, raw HTML and javascript: links dropped.
  auto html = c.Get("/v1/articles/zeppelin-delivery?format=html");
  REQUIRE(html);
  INFO(html->body);
  CHECK(contains(html->body, "<h1>Zeppelin &lt;delivery&gt;</h1>"));
  CHECK_FALSE(contains(html->body, "<script>"));
  CHECK_FALSE(contains(html->body, "javascript:"));
  CHECK(contains(html->body, "href=\"/v1/articles/refund-timing?format=html\""));
  auto m = c.Get("/metrics");
  REQUIRE(m);
  CHECK(metric(m->body, "helpmark_index_generation") >= 2);
}

TEST_CASE("the demo page CORS and a clean stop on SIGTERM") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite", {"--cors-origin", "https://help.example.com"});
  auto c = server.client();
  CHECK(contains(server.first_line(), "http://127.0.0.1:"));

  auto page = c.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->get_header_value("Content-Type"), "text/html"));
  CHECK(contains(page->get_header_value("Content-Security-Policy"), "script-src 'self'"));
  CHECK(contains(page->body, "role=\"search\""));
  for (const char* file : {"/app.js", "/style.css"}) {
    auto res = c.Get(file);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body.size() > 100);
  }
  auto js = c.Get("/app.js");
  REQUIRE(js);
  CHECK_FALSE(contains(js->body, ".innerHTML"));
  CHECK_FALSE(contains(js->body, "outerHTML"));
  CHECK_FALSE(contains(js->body, "insertAdjacentHTML"));

  auto allowed = c.Get("/v1/search?q=refund", {{"Origin", "https://help.example.com"}});
  REQUIRE(allowed);
  CHECK(allowed->get_header_value("Access-Control-Allow-Origin") == "https://help.example.com");
  CHECK(allowed->get_header_value("Access-Control-Expose-Headers") == "ETag");
  auto other = c.Get("/v1/search?q=refund", {{"Origin", "https://evil.example.com"}});
  REQUIRE(other);
  CHECK_FALSE(other->has_header("Access-Control-Allow-Origin"));
  auto preflight = c.Options("/v1/events", {{"Origin", "https://help.example.com"},
                                            {"Access-Control-Request-Method", "POST"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(contains(preflight->get_header_value("Access-Control-Allow-Methods"), "POST"));
  CHECK(contains(preflight->get_header_value("Access-Control-Allow-Headers"), "If-None-Match"));

  CHECK(server.stop() == 0);
}

TEST_CASE("serve usage errors") {
  hmtest::CliKb kb;
  RunResult bad_listen = helpmark_cli({"serve", "--index", kb.index().string(), "--store",
                                       (kb.dir() / "e.sqlite").string(), "--listen", "nonsense"},
                                      kCleanEnv);
  HM_RUN_INFO(bad_listen);
  CHECK(bad_listen.exit_code == 2);
  RunResult no_index = helpmark_cli({"serve", "--index", (kb.dir() / "missing").string(), "--store",
                                     (kb.dir() / "e.sqlite").string(), "--listen", "127.0.0.1:0"},
                                    kCleanEnv);
  HM_RUN_INFO(no_index);
  CHECK(no_index.exit_code == 1);
  RunResult threads = helpmark_cli({"serve", "--index", kb.index().string(), "--threads", "0"}, kCleanEnv);
  CHECK(threads.exit_code == 2);
  for (const char* url : {"javascript:alert(1)", "ftp://example.com", "https://", "https://a.example/ q", "help@example.com"}) {
    RunResult contact = helpmark_cli({"serve", "--index", kb.index().string(), "--contact-url", url}, kCleanEnv);
    HM_RUN_INFO(contact);
    CHECK(contact.exit_code == 2);
    CHECK(contains(contact.err, "--contact-url must"));
  }
}

TEST_CASE("a site file: good settings reach the page, bad ones stop the server with file and line") {
  hmtest::CliKb kb;
  const fs::path dir = kb.dir() / "site";
  auto serve_with = [&](const std::string& yaml) {
    hmtest::write_file(dir / "site.yaml", yaml);
    return helpmark_cli({"serve", "--index", kb.index().string(), "--store", (kb.dir() / "e.sqlite").string(),
                         "--listen", "127.0.0.1:0", "--site", (dir / "site.yaml").string()},
                        kCleanEnv);
  };
  hmtest::write_file(dir / "logo.png", "not a picture");
  const std::pair<std::string, std::string> bad[] = {
      {"name: Help\ncolour: red\n", "site.yaml:2: unknown setting 'colour'; expected name, logo, accent"},
      {"accent: \"#ffee00\"\n", "site.yaml:1: 'accent' #ffee00 has 1.20:1 contrast with white"},
      {"accent: red\n", "'accent' must be a colour like \"#1d4ed8\""},
      {"logo: missing.svg\n", "site.yaml:1: cannot read the logo"},
      {"logo: logo.png\n", "the logo must be an SVG, PNG or JPEG file"},
      {"footer_links:\n  - {label: Terms, url: javascript:alert(1)}\n", "site.yaml:2: a footer link's url must start with https://"},
      {"footer_links: Terms\n", "'footer_links' is a list of {label: ..., url: ...}"},
      {"contact_url: ftp://x\n", "'contact_url' must start with https://"},
      {"name: [a\n", "malformed YAML"},
  };
  for (const auto& [yaml, message] : bad) {
    RunResult run = serve_with(yaml);
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK_MESSAGE(contains(run.err, message), run.err);
  }
  hmtest::write_file(dir / "site.yaml", "name: Lumen Help\naccent: \"#0b5394\"\ncontact_url: https://lumen.example/c?q={query}\n");
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite",
                      {"--site", (dir / "site.yaml").string(), "--contact-url", "mailto:help@lumen.example"});
  auto c = server.client();
  auto [status, body] = get_json(c, "/v1/site");
  CHECK(status == 200);
  CHECK(body["name"] == "Lumen Help");
  CHECK(body["accent"] == "#0b5394");
  CHECK(body["logo"].is_null());
  CHECK(body["contact_url"] == "mailto:help@lumen.example");  // the flag wins over the file
  check_error(c, "/site/logo", 404, "not found");
}

TEST_CASE("the site settings tell the page where Contact support goes") {
  hmtest::CliKb kb;
  {
    ServeProcess server(kb.index(), kb.dir() / "events.sqlite");
    auto c = server.client();
    auto [status, body] = get_json(c, "/v1/site");
    CHECK(status == 200);
    CHECK(body["contact_url"].is_null());
    CHECK(body["events_require_key"] == false);
  }
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite",
                      {"--contact-url", "mailto:support@example.com?subject={article}", "--api-key", "k"});
  auto c = server.client();
  auto [status, body] = get_json(c, "/v1/site");
  CHECK(status == 200);
  CHECK(body["contact_url"] == "mailto:support@example.com?subject={article}");
  CHECK(body["events_require_key"] == true);
  check_error(c, "/v1/site?x=1", 400, "invalid argument");
}

}  // TEST_SUITE
