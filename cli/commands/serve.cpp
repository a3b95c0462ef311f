// helpmark serve: the HTTP API and the demo help center (docs/serve.md).
#include <cstdlib>

#include "commands/commands.hpp"
#include "commands/track_common.hpp"
#include "output.hpp"
#include "serve/server.hpp"
#include "serve/site_config.hpp"

namespace helpmark::cli {
namespace {

struct ServeCommand {
  serve::ServeOptions options;
  std::string store;
};

int run_serve(ServeCommand cmd) {
  serve::ServeOptions& o = cmd.options;
  o.store_path = cmd.store.empty() ? default_store_path(o.index_dir) : cmd.store;
  if (o.api_key.empty())
    if (const char* env = std::getenv("HELPMARK_API_KEY"); env != nullptr) o.api_key = env;
  return serve::run_server(o);
}

}  // namespace

void register_serve(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<ServeCommand>();
  cmd->options.index_dir = default_index_dir();
  CLI::App* sub = app.add_subcommand(
      "serve",
      "Serve the index over HTTP: the JSON API (/v1/search, /v1/answer, /v1/suggest,\n"
      "/v1/articles/ID, POST /v1/events, /healthz, /metrics) and a demo help center at /.\n"
      "Stops cleanly on Ctrl-C or SIGTERM; picks up a rebuilt index without a restart.\n"
      "  helpmark serve --index .helpmark/index                  # http://127.0.0.1:8080/\n"
      "  helpmark serve --listen 0.0.0.0:8080 --api-key \"$KEY\" --cors-origin https://help.example.com");
  sub->add_option("--index", cmd->options.index_dir, "Index directory")->capture_default_str();
  sub->add_option("--store", cmd->store,
                  "Event store for POST /v1/events (default $HELPMARK_STORE, else events.sqlite beside the index)");
  sub->add_option("--privacy", cmd->options.privacy, "Extra scrub patterns for events (YAML; see docs/tracking.md)");
  sub->add_option_function<std::string>(
         "--store-text",
         [cmd](const std::string& mode) { cmd->options.store_only_vocabulary = mode == "vocabulary"; },
         "Free text of events to store: all (scrubbed; the default) or vocabulary (only texts whose\n"
         "words all occur in the articles; others become <not-in-vocabulary>)")
      ->check(CLI::IsMember({"all", "vocabulary"}));
  sub->add_option("--contact-url", cmd->options.contact_url,
                  "Where the page's \"Contact support\" goes: an https:, http: or mailto: URL; {query},\n"
                  "{article}, {journey} and {locale} are filled in from what the visitor was doing, e.g.\n"
                  "https://help.example.com/contact?topic={journey}&q={query}. None: no contact link")
      ->check([](const std::string& url) { return serve::contact_url_problem(url); });
  sub->add_option("--site", cmd->options.site_file,
                  "The help center's look and hand-off (YAML): name, logo, accent colour, contact_url,\n"
                  "footer_links; see docs/serve.md, \"Site configuration\". --contact-url wins over its contact_url")
      ->check(CLI::ExistingFile);
  sub->add_option("--listen", cmd->options.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  sub->add_option("--api-key", cmd->options.api_key,
                  "Key that POST /v1/events requires (default $HELPMARK_API_KEY; none: events are public)");
  sub->add_option("--cors-origin", cmd->options.cors_origins,
                  "Origin allowed to call the API from a browser (repeatable; * for any)");
  sub->add_option("--threads", cmd->options.threads, "Worker threads kept ready (more start as connections open)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  sub->add_option("--max-connections", cmd->options.max_connections,
                  "Connections served at once, one thread each; more wait to be accepted")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  sub->add_option("--active-requests", cmd->options.active_requests,
                  "Requests computed at once (about the cores); the others wait their turn, first come first served")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  sub->add_option("--idle-timeout", cmd->options.idle_timeout_seconds,
                  "Close a connection that sends no request for this many seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 300));
  sub->add_option("--max-body", cmd->options.max_body_bytes, "Largest request body in bytes")
      ->capture_default_str()
      ->check(CLI::Range(1024, 64 << 20));
  sub->add_option("--timeout", cmd->options.timeout_seconds, "Read and write timeout per request, seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 300));
  sub->callback([cmd, &exit_code] { exit_code = run_serve(*cmd); });
}

}  // namespace helpmark::cli
