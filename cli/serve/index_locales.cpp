#include "serve/index_locales.hpp"

#include <algorithm>
#include <cctype>

namespace helpmark::cli::serve {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value comes from the request: echo it only when it is short (JSON escapes the rest).
std::string shown(const std::string& locale) { return locale.size() <= 40 ? "'" + locale + "'" : "(a long value)"; }

}  // namespace

Status IndexLocales::check(const Index& index, const std::string& revision, const std::string& locale) {
  if (locale.empty()) return Status::Ok();
  auto locales = locales_at(index, revision);
  if (!locales.ok()) return locales.status();
  const std::string wanted = lower(locale);
  const std::string language = wanted.substr(0, wanted.find('-'));
  std::string names;
  for (const std::string& known : locales.value()) {
    if (lower(known) == wanted || lower(known) == language) return Status::Ok();
    names += (names.empty() ? "" : ", ") + known;
  }
  return Status(ErrorCode::kInvalidArgument,
                "locale " + shown(locale) + " is not one of this index's locales: " +
                    (names.empty() ? "(none: the index is empty)" : names) +
                    " (BCP 47 tags; a regional variant such as en-GB falls back to en)");
}

Result<std::vector<std::string>> IndexLocales::locales_at(const Index& index, const std::string& revision) {
  std::lock_guard lock(mu_);
  if (revision == revision_ && !revision_.empty()) return locales_;
  SearchRequest request;
  request.facets = {"locale"};
  request.filters.statuses = {"published", "draft", "archived"};  // a locale with drafts only is still a locale
  request.limit = 0;
  auto response = index.search(request);
  if (!response.ok()) return response.status();
  std::vector<std::string> locales;
  for (const FacetCount& f : response.value().facets["locale"]) locales.push_back(f.value);
  std::sort(locales.begin(), locales.end());
  revision_ = revision;
  locales_ = locales;
  return locales;
}

}  // namespace helpmark::cli::serve
