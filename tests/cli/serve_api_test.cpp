// `helpmark serve`'s HTTP hygiene (issue 17, section 3), against the real binary: the OpenAPI
// document checked against real responses and against the server's route table, ETags and
// 304s, 405 with Allow, 415 for forms, 400 for unknown locales and a blank question, the
// article pages answers link to, and a taken port.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <xapian.h>

#include <map>
#include <set>

#include "cli/serve_util.hpp"
#include "serve/routes.hpp"

using hmtest::contains;
using hmtest::get_json;
using hmtest::kCleanEnv;
using hmtest::parse;
using hmtest::RunResult;
using hmtest::ServeProcess;
using hmtest::target;
using nlohmann::json;
namespace fs = std::filesystem;
namespace serve = helpmark::cli::serve;

namespace {

/// Checks JSON values against the JSON Schema subset the OpenAPI document uses: $ref, anyOf,
/// type (one or a list), enum, required, properties, additionalProperties (false or a schema),
/// items, minimum and maximum.
class SchemaChecker {
 public:
  explicit SchemaChecker(const json& document) : document_(document) {}

  /// What does not fit, one line each, prefixed with where ("/hits/0/score"); empty when it fits.
  std::vector<std::string> problems(const json& value, const json& schema, const std::string& where = "") const {
    std::vector<std::string> out;
    check(value, resolve(schema), where, out);
    return out;
  }

  /// The object a "#/a/b" reference names; any other schema as it is.
  const json& resolve(const json& schema) const {
    if (!schema.is_object() || !schema.contains("$ref")) return schema;
    const std::string ref = schema["$ref"].get<std::string>();
    REQUIRE(ref.rfind("#/", 0) == 0);
    return resolve(document_.at(json::json_pointer(ref.substr(1))));
  }

 private:
  static bool has_type(const json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "integer") return value.is_number_integer();
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    FAIL("the document uses an unknown type: " << type);
    return false;
  }

  void check(const json& value, const json& schema, const std::string& where, std::vector<std::string>& out) const {
    if (schema.contains("anyOf")) {
      for (const json& option : schema["anyOf"])
        if (problems(value, option, where).empty()) return;
      out.push_back(where + ": fits none of anyOf");
      return;
    }
    if (schema.contains("type")) {
      const json types = schema["type"].is_array() ? schema["type"] : json::array({schema["type"]});
      bool fits = false;
      for (const json& t : types) fits = fits || has_type(value, t.get<std::string>());
      if (!fits) return out.push_back(where + ": " + value.dump() + " is not " + types.dump());
    }
    if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end())
      out.push_back(where + ": " + value.dump() + " is not one of " + schema["enum"].dump());
    if (value.is_number() && schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>())
      out.push_back(where + ": below the minimum");
    if (value.is_number() && schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>())
      out.push_back(where + ": over the maximum");
    if (value.is_array() && schema.contains("items"))
      for (std::size_t i = 0; i < value.size(); ++i) check(value[i], resolve(schema["items"]), where + "/" + std::to_string(i), out);
    if (!value.is_object()) return;
    for (const json& name : schema.value("required", json::array()))
      if (!value.contains(name.get<std::string>())) out.push_back(where + ": missing required '" + name.get<std::string>() + "'");
    const json properties = schema.value("properties", json::object());
    for (const auto& [name, item] : value.items()) {
      const std::string at = where + "/" + name;
      if (properties.contains(name)) check(item, resolve(properties[name]), at, out);
      else if (schema.contains("additionalProperties") && schema["additionalProperties"] == false)
        out.push_back(at + ": not in the schema's properties");
      else if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object())
        check(item, resolve(schema["additionalProperties"]), at, out);
    }
  }

  const json& document_;
};

/// One request of the examples the document is checked with.
struct Example {
  std::string method;  ///< "GET" or "POST"
  std::string target;  ///< Path and query, encoded.
  httplib::Headers headers = {};
  std::string body = {};
  std::string content_type = {};
};

const std::string kKey = "api-test-key";
const std::string kGoodEvent =
    R"({"type":"search","ts":"2026-11-01T10:00:00Z","session":"s1","id":"a1","locale":"en","query":"refund","total":1})"
    "\n";

/// Requests for every operation, good and bad: each documented status of each operation must
/// come up at least once (If-None-Match: * asks for a 304 of whatever exists).
std::vector<Example> examples() {
  const httplib::Headers any{{"If-None-Match", "*"}};
  const httplib::Headers auth{{"Authorization", "Bearer " + kKey}};
  return {
      {"GET", target("/v1/search", {{"q", "refund"}})},
      {"GET", target("/v1/search", {{"q", "refnud"}, {"facet", "journey"}, {"facet", "locale"}})},
      {"GET", target("/v1/search", {{"q", ""}, {"locale", "es"}, {"limit", "2"}, {"offset", "1"}})},
      {"GET", target("/v1/search", {{"q", "zzzzqqq"}})},
      {"GET", target("/v1/search", {{"q", "refund"}}), any},
      {"GET", target("/v1/search", {{"q", "refund"}, {"locale", "xx"}})},
      {"GET", target("/v1/search", {{"q", "refund"}, {"limit", "5000"}})},
      {"GET", target("/v1/answer", {{"q", "when will i get my money back"}})},
      {"GET", target("/v1/answer", {{"q", "qwertyuiop zzz"}})},
      {"GET", target("/v1/answer", {{"q", "refund"}}), any},
      {"GET", "/v1/answer"},
      {"GET", target("/v1/answer", {{"q", "refund"}, {"locale", "de"}})},
      {"GET", target("/v1/suggest", {{"q", "refu"}})},
      {"GET", target("/v1/suggest", {{"q", "refu"}}), any},
      {"GET", target("/v1/suggest", {{"q", "refu"}, {"limit", "0"}})},
      {"GET", "/v1/articles/refund-timing"},
      {"GET", "/v1/articles/refund-timing?format=html"},
      {"GET", "/v1/articles/refund-timing", any},
      {"GET", "/v1/articles/refund-timing?format=pdf"},
      {"GET", "/v1/articles/no-such-article"},
      {"POST", "/v1/events", auth, kGoodEvent, "application/x-ndjson"},
      {"POST", "/v1/events", auth, R"([{"type":"ticket","ts":"2026-11-01T11:05:00Z","session":"s2"}])", "application/json"},
      {"POST", "/v1/events", auth, "{\"type\":\"searhc\"}\n", "application/x-ndjson"},
      {"POST", "/v1/events", auth, "[{\"type\": ", "application/json"},
      {"POST", "/v1/events", {}, kGoodEvent, "application/x-ndjson"},
      {"POST", "/v1/events", auth, std::string(5000, ' ') + kGoodEvent, "application/x-ndjson"},
      {"POST", "/v1/events", auth, "type=search&session=s1", "application/x-www-form-urlencoded"},
      {"GET", "/v1/openapi.json"},
      {"GET", "/v1/openapi.json", any},
      {"GET", "/healthz"},
      {"GET", "/healthz?verbose=1"},
      {"GET", "/v1/site"},
      {"GET", "/v1/site?x=1"},
      {"GET", "/v1/taxonomy"},
      {"GET", "/v1/taxonomy", any},
      {"GET", "/v1/taxonomy?locale=en"},
      {"GET", "/search"},
      {"GET", "/search?q=refund&journey=payments"},
      {"GET", "/search", any},
      {"GET", "/site/logo"},
      {"GET", "/metrics"},
      {"GET", "/metrics?name=x"},
      {"GET", "/"},
      {"GET", "/", any},
      {"GET", "/app.js"},
      {"GET", "/app.js", any},
      {"GET", "/i18n.js"},
      {"GET", "/i18n.js", any},
      {"GET", "/style.css"},
      {"GET", "/style.css", any},
      {"GET", "/articles/refund-timing"},
      {"GET", "/articles/refund-timing", any},
      {"GET", "/articles/no-such-article"},
      {"GET", "/favicon.ico"},
  };
}

/// The document's path template that `path` fits.
std::string template_of(const json& document, const std::string& path) {
  for (const auto& [path_template, item] : document["paths"].items())
    if (serve::path_matches(path_template, path)) return path_template;
  return "";
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// The methods a request to `path` may not use, for the 405 checks.
const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};

httplib::Result send(httplib::Client& c, const std::string& method, const std::string& path,
                     const httplib::Headers& headers = {}, const std::string& body = "",
                     const std::string& content_type = "application/json") {
  if (method == "GET") return c.Get(path.c_str(), headers);
  if (method == "POST") return c.Post(path.c_str(), headers, body, content_type.c_str());
  if (method == "PUT") return c.Put(path.c_str(), headers, body, content_type.c_str());
  if (method == "PATCH") return c.Patch(path.c_str(), headers, body, content_type.c_str());
  return c.Delete(path.c_str(), headers, body, content_type.c_str());
}

/// A TCP socket listening on 127.0.0.1:<free port>, as another program would hold it.
class ForeignListener {
 public:
  explicit ForeignListener(bool reuse_port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    int yes = 1;
    if (reuse_port) REQUIRE(::setsockopt(fd_, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes) == 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t size = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~ForeignListener() { ::close(fd_); }
  ForeignListener(const ForeignListener&) = delete;
  ForeignListener& operator=(const ForeignListener&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// `helpmark serve --listen LISTEN`, which must give up at once; `timeout` ends it (exit 124)
/// if it serves instead.
RunResult serve_on(const hmtest::CliKb& kb, const std::string& listen) {
  return hmtest::run_program("/usr/bin/timeout", {"20", hmtest::kBin.string(), "serve", "--index", kb.index().string(),
                                                  "--store", (kb.dir() / "other.sqlite").string(), "--listen", listen},
                             kCleanEnv);
}

}  // namespace

TEST_SUITE("cli/serve") {

TEST_CASE("serve publishes an OpenAPI document that its responses and routes match") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite", {"--api-key", kKey, "--max-body", "4096"});
  auto c = server.client();

  auto published = c.Get("/v1/openapi.json");
  REQUIRE(published);
  REQUIRE(published->status == 200);
  CHECK(published->get_header_value("Content-Type") == "application/json");
  const json document = parse(published->body);
  CHECK(document["openapi"] == "3.1.0");
  CHECK(published->body == hmtest::read_file(hmtest::kSourceDir / "cli/serve/openapi.json"));
  const SchemaChecker checker(document);

  SUBCASE("every route the server registers is documented and every documented operation is a route") {
    std::set<std::string> routes, documented;
    for (const serve::Route& r : serve::kRoutes) routes.insert(lower(std::string(r.method)) + " " + std::string(r.path));
    for (const auto& [path, item] : document["paths"].items())
      for (const auto& [method, operation] : item.items()) documented.insert(method + " " + path);
    CHECK(routes == documented);
  }

  SUBCASE("each response has a documented status and fits its schema") {
    std::map<std::string, std::set<std::string>> seen;  // "get /v1/search" -> statuses
    for (const Example& e : examples()) {
      auto res = send(c, e.method, e.target, e.headers, e.body, e.content_type);
      INFO(e.method << " " << e.target);
      REQUIRE(res);
      const std::string path = e.target.substr(0, e.target.find('?'));
      const std::string path_template = template_of(document, path);
      REQUIRE_FALSE(path_template.empty());
      const std::string operation = lower(e.method) + " " + path_template;
      const json& responses = document["paths"][path_template][lower(e.method)]["responses"];
      const std::string status = std::to_string(res->status);
      INFO("status " << status << ", body " << res->body.substr(0, 400));
      REQUIRE(responses.contains(status));
      seen[operation].insert(status);
      const json& documented = checker.resolve(responses[status]);
      if (!documented.contains("content")) {
        CHECK(res->body.empty());
        continue;
      }
      const std::string type = res->get_header_value("Content-Type");
      const std::string media = type.substr(0, type.find(';'));
      REQUIRE(documented["content"].contains(media));
      if (media != "application/json") continue;
      const auto problems = checker.problems(parse(res->body), documented["content"][media]["schema"]);
      std::string listed;
      for (const auto& p : problems) listed += p + "\n";
      INFO(listed);
      CHECK(problems.empty());
    }
    {
      // An index built before helpmark kept its taxonomy: /v1/taxonomy says to re-index.
      const fs::path old_index = kb.dir() / "old-index";
      fs::copy(kb.index(), old_index, fs::copy_options::recursive);
      {
        Xapian::WritableDatabase db(old_index.string());
        db.set_metadata("helpmark.taxonomy", "");
        db.commit();
      }
      ServeProcess old_server(old_index, kb.dir() / "old-events.sqlite");
      auto oc = old_server.client();
      auto res = oc.Get("/v1/taxonomy");
      REQUIRE(res);
      CHECK(res->status == 404);
      CHECK(contains(res->body, "run `helpmark index` again"));
      const json& responses = document["paths"]["/v1/taxonomy"]["get"]["responses"];
      REQUIRE(responses.contains("404"));
      CHECK(checker.problems(parse(res->body), checker.resolve(responses["404"])["content"]["application/json"]["schema"]).empty());
      seen["get /v1/taxonomy"].insert("404");
    }
    {
      // A site file with a logo: /site/logo and the full /v1/site.
      hmtest::write_file(kb.dir() / "site" / "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
      hmtest::write_file(kb.dir() / "site" / "site.yaml",
                         "name: Lumen Help\nlogo: logo.svg\naccent: \"#0b5394\"\nfooter_links:\n"
                         "  - {label: Terms, url: https://lumen.example/terms}\n");
      ServeProcess site_server(kb.index(), kb.dir() / "site-events.sqlite",
                               {"--site", (kb.dir() / "site" / "site.yaml").string()});
      auto sc = site_server.client();
      auto logo = sc.Get("/site/logo");
      REQUIRE(logo);
      CHECK(logo->status == 200);
      CHECK(logo->get_header_value("Content-Type") == "image/svg+xml");
      auto again = sc.Get("/site/logo", httplib::Headers{{"If-None-Match", "*"}});
      REQUIRE(again);
      CHECK(again->status == 304);
      seen["get /site/logo"].insert({"200", "304"});
      auto [status, body] = get_json(sc, "/v1/site");
      CHECK(status == 200);
      CHECK(body["name"] == "Lumen Help");
      CHECK(body["logo"] == "/site/logo");
      CHECK(body["footer_links"][0]["url"] == "https://lumen.example/terms");
      const json& site_schema =
          checker.resolve(document["paths"]["/v1/site"]["get"]["responses"]["200"])["content"]["application/json"]["schema"];
      CHECK(checker.problems(body, site_schema).empty());
    }
    // The examples reach every documented status: the document names no status the server
    // cannot give.
    for (const auto& [path, item] : document["paths"].items())
      for (const auto& [method, operation] : item.items())
        for (const auto& [status, response] : operation["responses"].items()) {
          INFO(method << " " << path << " " << status);
          CHECK(seen[method + " " + path].count(status) == 1);
        }
  }

  SUBCASE("the documented query parameters are the ones the server accepts") {
    // An unknown parameter is a 400 that lists the accepted ones, or says there are none.
    for (const serve::Route& route : serve::kRoutes) {
      if (!route.api || route.method != "GET") continue;
      const std::string path(route.path);
      std::set<std::string> documented;
      for (const json& p : document["paths"][path]["get"].value("parameters", json::array()))
        if (checker.resolve(p)["in"] == "query") documented.insert(checker.resolve(p)["name"].get<std::string>());
      const std::string concrete = path == "/v1/articles/{id}" ? "/v1/articles/refund-timing" : path;
      auto res = c.Get((concrete + "?zz_unknown=1").c_str());
      REQUIRE(res);
      INFO(path << " -> " << res->status << " " << res->body);
      if (path == "/v1/openapi.json") {  // a file: queries do not change it
        CHECK(documented.empty());
        continue;
      }
      REQUIRE(res->status == 400);
      const std::string message = parse(res->body)["error"]["message"].get<std::string>();
      std::set<std::string> accepted;
      if (const std::size_t list = message.find("expected one of: "); list != std::string::npos) {
        std::istringstream names(message.substr(list + 17));
        for (std::string name; std::getline(names, name, ',');) accepted.insert(name.substr(name.find_first_not_of(' ')));
      } else {
        CHECK(contains(message, "takes no parameters"));
      }
      CHECK(accepted == documented);
    }
  }
}

TEST_CASE("serve gives ETags keyed on the index and the request and answers 304 on If-None-Match") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite");
  auto c = server.client();

  SUBCASE("search answer suggest and articles") {
    for (const std::string& path : {target("/v1/search", {{"q", "refund"}, {"facet", "journey"}}),
                                   target("/v1/answer", {{"q", "when will i get my money back"}}),
                                   target("/v1/suggest", {{"q", "refu"}}), std::string("/v1/articles/refund-timing"),
                                   std::string("/v1/articles/refund-timing?format=html")}) {
      INFO(path);
      auto first = c.Get(path.c_str());
      REQUIRE(first);
      CHECK(first->status == 200);
      const std::string etag = first->get_header_value("ETag");
      CHECK(std::regex_match(etag, std::regex(R"(W/"[0-9a-f]{16}")")));
      CHECK(first->get_header_value("Cache-Control") == "no-cache");
      auto again = c.Get(path.c_str());
      REQUIRE(again);
      CHECK(again->get_header_value("ETag") == etag);
      CHECK(again->body == first->body);

      for (const std::string& header : {etag, etag.substr(2), "\"0000\", " + etag, std::string("*")}) {
        auto cached = c.Get(path.c_str(), {{"If-None-Match", header}});
        REQUIRE(cached);
        INFO("If-None-Match: " << header);
        CHECK(cached->status == 304);
        CHECK(cached->body.empty());
        CHECK(cached->get_header_value("ETag") == etag);
        CHECK(cached->get_header_value("Cache-Control") == "no-cache");
      }
      for (const std::string header : {"W/\"0123456789abcdef\"", "garbage", "", "W/", ","}) {
        auto fresh = c.Get(path.c_str(), {{"If-None-Match", header}});
        REQUIRE(fresh);
        INFO("If-None-Match: " << header);
        CHECK(fresh->status == 200);
        CHECK(fresh->body == first->body);
      }
    }
  }
  SUBCASE("another request or another format has another tag") {
    std::set<std::string> tags;
    for (const auto& [path, accept] : std::vector<std::pair<std::string, std::string>>{
             {target("/v1/search", {{"q", "refund"}}), ""},
             {target("/v1/search", {{"q", "refunds"}}), ""},
             {target("/v1/search", {{"q", "refund"}, {"limit", "3"}}), ""},
             {target("/v1/search", {{"q", "refund"}, {"locale", "es"}}), ""},
             {target("/v1/suggest", {{"q", "refund"}}), ""},
             {"/v1/articles/refund-timing", ""},
             {"/v1/articles/refund-timing", "text/html"}}) {
      auto res = c.Get(path.c_str(), accept.empty() ? httplib::Headers{} : httplib::Headers{{"Accept", accept}});
      REQUIRE(res);
      CHECK(res->status == 200);
      tags.insert(res->get_header_value("ETag"));
    }
    CHECK(tags.size() == 7);
    auto negotiated = c.Get("/v1/articles/refund-timing");
    REQUIRE(negotiated);
    CHECK(contains(negotiated->get_header_value("Vary"), "Accept"));
  }
  SUBCASE("errors carry no tag and If-None-Match does not hide them") {
    for (const std::string& path : {target("/v1/search", {{"q", "refund"}, {"limit", "5000"}}),
                                   target("/v1/answer", {{"q", ""}}), std::string("/v1/articles/no-such-article")}) {
      auto res = c.Get(path.c_str(), {{"If-None-Match", "*"}});
      REQUIRE(res);
      INFO(path);
      CHECK(res->status >= 400);
      CHECK_FALSE(res->has_header("ETag"));
    }
  }
  SUBCASE("the page and its files carry content-hash tags") {
    std::set<std::string> tags;
    for (const char* path : {"/", "/app.js", "/style.css", "/v1/openapi.json"}) {
      INFO(path);
      auto res = c.Get(path);
      REQUIRE(res);
      CHECK(res->status == 200);
      const std::string etag = res->get_header_value("ETag");
      CHECK(std::regex_match(etag, std::regex(R"(W/"[0-9a-f]{20}")")));
      CHECK(res->get_header_value("Cache-Control") == "no-cache");
      tags.insert(etag);
      auto cached = c.Get(path, {{"If-None-Match", etag}});
      REQUIRE(cached);
      CHECK(cached->status == 304);
      CHECK(cached->body.empty());
      auto stale = c.Get(path, {{"If-None-Match", "W/\"00000000000000000000\""}});
      REQUIRE(stale);
      CHECK(stale->status == 200);
      CHECK(stale->body == res->body);
    }
    CHECK(tags.size() == 4);
  }
}

TEST_CASE("serve answers a wrong method on a known path with 405 and Allow") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite");
  auto c = server.client();
  for (const serve::Route& route : serve::kRoutes) {
    const std::string path = route.path == "/v1/articles/{id}" ? "/v1/articles/refund-timing"
                             : route.path == "/articles/{id}"  ? "/articles/refund-timing"
                                                               : std::string(route.path);
    for (const std::string& method : kMethods) {
      if (serve::method_allowed(route.path, method)) continue;
      auto res = send(c, method, path);
      REQUIRE(res);
      INFO(method << " " << path << " -> " << res->body);
      CHECK(res->status == 405);
      CHECK(res->get_header_value("Allow") == serve::allowed_methods(route.path));
      CHECK(res->get_header_value("Content-Type") == "application/json");
      CHECK(parse(res->body)["error"]["code"] == "method not allowed");
      CHECK(contains(parse(res->body)["error"]["message"].get<std::string>(), method + " is not allowed"));
    }
  }
  auto search = c.Delete("/v1/search");
  REQUIRE(search);
  CHECK(search->get_header_value("Allow") == "GET, HEAD, OPTIONS");
  auto events = c.Get("/v1/events");
  REQUIRE(events);
  CHECK(events->status == 405);
  CHECK(events->get_header_value("Allow") == "POST, OPTIONS");
  SUBCASE("HEAD is a GET without a body") {
    auto head = c.Head("/v1/search?q=refund");
    REQUIRE(head);
    CHECK(head->status == 200);
    CHECK(head->body.empty());
  }
  SUBCASE("unknown paths stay 404 whatever the method") {
    for (const std::string& method : kMethods) {
      for (const char* path : {"/nope", "/v1/articles/", "/articles/", "/v1/search/more"}) {
        auto res = send(c, method, path);
        REQUIRE(res);
        INFO(method << " " << path);
        CHECK(res->status == 404);
        CHECK_FALSE(res->has_header("Allow"));
      }
    }
  }
}

TEST_CASE("serve refuses forms on events and unknown locales and a blank question with 4xx") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite");
  auto c = server.client();

  SUBCASE("a form-encoded or multipart POST to /v1/events is 415") {
    const std::string multipart = "--x\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nsearch\r\n--x--\r\n";
    for (const auto& [type, body] : std::vector<std::pair<std::string, std::string>>{
             {"application/x-www-form-urlencoded", "type=search&session=s1&query=refund"},
             {"multipart/form-data; boundary=x", multipart},
             {"text/plain", kGoodEvent}}) {
      auto res = c.Post("/v1/events", body, type.c_str());
      REQUIRE(res);
      INFO(type << " -> " << res->body);
      CHECK(res->status == 415);
      CHECK(parse(res->body)["error"]["code"] == "unsupported media type");
    }
    auto with_query = c.Post("/v1/events?x=1", kGoodEvent, "application/x-ndjson");
    REQUIRE(with_query);
    CHECK(with_query->status == 400);
  }
  SUBCASE("a locale the index does not have is 400 and names those it has") {
    for (const std::string& path : {target("/v1/search", {{"q", "refund"}, {"locale", "de"}}),
                                   target("/v1/search", {{"q", ""}, {"locale", "xx"}}),
                                   target("/v1/answer", {{"q", "refund"}, {"locale", "fr"}}),
                                   target("/v1/suggest", {{"q", "refu"}, {"locale", "zh-Hant"}}),
                                   target("/v1/search", {{"q", "refund"}, {"locale", "en_US"}})}) {
      INFO(path);
      hmtest::check_error(c, path, 400, "invalid argument", "not one of this index's locales: en, es, ja, pt, pt-BR");
    }
    // An overlong value is not echoed.
    hmtest::check_error(c, target("/v1/search", {{"q", "refund"}, {"locale", std::string(300, 'a')}}), 400,
                        "invalid argument", "(a long value)");
  }
  SUBCASE("the index's locales and their regional variants are 200 in any case") {
    for (const std::string locale : {"en", "es", "pt-BR", "pt-br", "PT-BR", "ja", "en-GB", "es-MX", "pt-PT"}) {
      INFO(locale);
      CHECK(get_json(c, target("/v1/search", {{"q", "refund"}, {"locale", locale}})).first == 200);
      CHECK(get_json(c, target("/v1/suggest", {{"q", "re"}, {"locale", locale}})).first == 200);
    }
  }
  SUBCASE("a missing or blank question on /v1/answer is 400") {
    for (const std::string& path : {std::string("/v1/answer"), target("/v1/answer", {{"q", ""}}),
                                   target("/v1/answer", {{"q", "   "}}), target("/v1/answer", {{"locale", "en"}})}) {
      INFO(path);
      hmtest::check_error(c, path, 400, "invalid argument", "parameter 'q' is required");
    }
  }
}

TEST_CASE("serve resolves the link of an answer to the article's page") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite");
  auto c = server.client();
  auto [status, answer] = get_json(c, target("/v1/answer", {{"q", "when will i get my money back"}}));
  REQUIRE(status == 200);
  REQUIRE(answer["found"] == true);
  const std::string link = answer["link"].get<std::string>();
  CHECK(link == "/articles/" + answer["id"].get<std::string>());

  auto page = c.Get(link.c_str());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->get_header_value("Content-Type"), "text/html"));
  auto home = c.Get("/");
  REQUIRE(home);
  CHECK(page->body == home->body);
  CHECK(page->get_header_value("ETag") == home->get_header_value("ETag"));
  CHECK(contains(page->get_header_value("Content-Security-Policy"), "script-src 'self'"));
  auto cached = c.Get(link.c_str(), {{"If-None-Match", home->get_header_value("ETag")}});
  REQUIRE(cached);
  CHECK(cached->status == 304);

  SUBCASE("an unknown article is a 404 page that escapes the id and links to the search") {
    for (const std::string& path : std::vector<std::string>{"/articles/no-such-article",
                                                            "/articles/%3Cscript%3Ealert(1)%3C%5Cscript%3E", "/articles/..",
                                                            "/articles/%FF", "/articles/" + std::string(300, 'a')}) {
      auto res = c.Get(path.c_str(), {{"If-None-Match", "*"}});
      REQUIRE(res);
      INFO(path << " -> " << res->body);
      CHECK(res->status == 404);
      CHECK(contains(res->get_header_value("Content-Type"), "text/html"));
      CHECK(contains(res->body, "Article not found"));
      CHECK(contains(res->body, "href=\"/\""));
      CHECK_FALSE(contains(res->body, "<script>"));
      CHECK_FALSE(res->has_header("ETag"));
    }
  }
}

TEST_CASE("serve on a port that is taken exits 1 and says so") {
  hmtest::CliKb kb;
  SUBCASE("another helpmark serve") {
    ServeProcess first(kb.index(), kb.dir() / "events.sqlite");
    const std::string listen = "127.0.0.1:" + std::to_string(first.port());
    RunResult second = serve_on(kb, listen);
    HM_RUN_INFO(second);
    CHECK(second.exit_code == 1);
    CHECK(contains(second.err, listen + " is already in use; stop the other server or pick another --listen port"));
    // The first one still answers every request.
    auto c = first.client();
    for (int i = 0; i < 5; ++i) CHECK(get_json(c, "/healthz").first == 200);
  }
  SUBCASE("a program that listens with SO_REUSEPORT (as httplib's default options do)") {
    for (bool reuse_port : {true, false}) {
      ForeignListener other(reuse_port);
      const std::string listen = "127.0.0.1:" + std::to_string(other.port());
      RunResult run = serve_on(kb, listen);
      HM_RUN_INFO(run);
      CHECK(run.exit_code == 1);
      CHECK(contains(run.err, listen + " is already in use"));
    }
  }
  SUBCASE("an address this machine does not have") {
    RunResult run = serve_on(kb, "192.0.2.1:8080");  // TEST-NET-1, never local
    HM_RUN_INFO(run);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "192.0.2.1 is not an address of this machine"));
  }
}

TEST_CASE("serve listens with a backlog sized for bursts, not 5") {
  hmtest::CliKb kb;
  ServeProcess server(kb.index(), kb.dir() / "events.sqlite");
  if (!fs::exists("/usr/bin/ss") && !fs::exists("/bin/ss")) {
    MESSAGE("ss (iproute2) not found: the backlog is not checked");
    return;
  }
  // For a listening socket, ss shows the backlog as Send-Q; the kernel caps it at somaxconn.
  RunResult ss = hmtest::run_program(fs::exists("/usr/bin/ss") ? "/usr/bin/ss" : "/bin/ss",
                                     {"-Hltn", "sport = :" + std::to_string(server.port())});
  HM_RUN_INFO(ss);
  REQUIRE(ss.exit_code == 0);
  std::istringstream fields(ss.out);
  std::string state, recv_q, send_q;
  fields >> state >> recv_q >> send_q;
  const long somaxconn = std::stol(hmtest::read_file("/proc/sys/net/core/somaxconn"));
  CHECK(std::stol(send_q) == std::min<long>(SOMAXCONN, somaxconn));
}

}  // TEST_SUITE
