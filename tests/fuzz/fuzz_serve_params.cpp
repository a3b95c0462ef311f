// The query parameters of `helpmark serve`: a URL query string, decoded as httplib decodes it,
// then checked as /v1/search and /v1/answer check theirs.
#include <httplib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "serve/params.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string query(reinterpret_cast<const char*>(data), size);
  httplib::Params params;
  httplib::detail::parse_query_text(query, params);
  helpmark::cli::serve::Params p(params);
  std::string text;
  std::vector<std::string> list;
  std::size_t number = 0;
  std::optional<double> real;
  (void)p.check({"q", "locale", "journey", "limit", "offset", "threshold"});
  (void)p.text("q", text);
  (void)p.text("locale", text);
  (void)p.list("journey", list);
  (void)p.size("limit", 0, 1000, number);
  (void)p.size("offset", 0, 100000, number);
  (void)p.real("threshold", 0.0, 1.0, real);
  (void)helpmark::cli::serve::is_valid_utf8(query);
  return 0;
}
