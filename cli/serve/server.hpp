// `helpmark serve`: the HTTP API (search, answer, suggest, articles, events, health, metrics)
// and the demo help center, on cpp-httplib.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace helpmark::cli::serve {

struct ServeOptions {
  std::string index_dir;
  std::string store_path;   ///< The event store (created when missing).
  std::string privacy;      ///< Extra scrub patterns (--privacy); empty: the default lookup.
  std::string listen = "127.0.0.1:8080";  ///< HOST:PORT; port 0 picks a free port.
  std::string api_key;      ///< When set, POST /v1/events needs it; empty: events are public.
  std::vector<std::string> cors_origins;  ///< Origins allowed to call the API ("*" for any).
  std::size_t threads = 8;                ///< Worker threads kept ready.
  std::size_t max_connections = 512;      ///< Connections served at once (one thread each); more wait.
  std::size_t active_requests = 4;        ///< Requests computed at once; the others wait their turn.
  std::size_t max_body_bytes = 1 << 20;   ///< Largest request body (POST /v1/events).
  int timeout_seconds = 10;               ///< Read and write timeout per request.
  int idle_timeout_seconds = 5;           ///< An open connection that sends no request is closed after this.
  /// Store query, question and feedback texts only when all their words are the articles' own
  /// (--store-text vocabulary); others are stored as "<not-in-vocabulary>".
  bool store_only_vocabulary = false;
  /// Where "Contact support" on the page sends a visitor: an https:, http: or mailto: URL in
  /// which {query}, {article}, {journey} and {locale} are replaced (URL-encoded) by the page's
  /// context. Empty: the page offers no contact link and records no ticket.
  std::string contact_url;
  std::string site_file;  ///< --site: name, logo, accent colour, contact URL, footer links.
};



/// Serves until SIGINT or SIGTERM; returns the process exit code (0 after a clean stop, 1 when
/// the index, the store or the address cannot be opened). Prints the URL on stdout when ready.
int run_server(const ServeOptions& options);

}  // namespace helpmark::cli::serve
