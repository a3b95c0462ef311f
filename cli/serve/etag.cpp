#include "serve/etag.hpp"

#include <cstdint>
#include <cstdio>

namespace helpmark::cli::serve {
namespace {

// FNV-1a: stable across builds and machines, so replicas serving the same index revision with
// the same binary give the same tags (std::hash promises neither).
class Fnv1a {
 public:
  /// Adds `data` with its length first, so that ("ab", "c") and ("a", "bc") differ.
  void add(std::string_view data) {
    const std::uint64_t size = data.size();
    for (int shift = 0; shift < 64; shift += 8) byte(static_cast<unsigned char>(size >> shift));
    for (char c : data) byte(static_cast<unsigned char>(c));
  }
  std::uint64_t value() const { return hash_; }

 private:
  void byte(unsigned char c) {
    hash_ ^= c;
    hash_ *= 0x100000001b3ULL;
  }
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

/// An entity tag without its weakness indicator: weak comparison ignores it.
std::string_view opaque(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool names_tag(std::string_view if_none_match, std::string_view etag) {
  if (trimmed(if_none_match) == "*") return true;
  // A list of entity tags. Splitting on commas may cut a foreign tag that holds one, which
  // then matches nothing; ours are hex digits, so none is missed.
  while (!if_none_match.empty()) {
    const std::size_t comma = if_none_match.find(',');
    if (opaque(trimmed(if_none_match.substr(0, comma))) == opaque(etag)) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string api_etag(std::string_view revision, const httplib::Request& req, std::string_view variant) {
  Fnv1a hash;
  hash.add(HELPMARK_VERSION);  // a new server may write the same index's answers differently
  hash.add(revision);
  hash.add(req.path);
  for (const auto& [name, value] : req.params) {  // a multimap: names sorted, repeats in order
    hash.add(name);
    hash.add(value);
  }
  hash.add(variant);
  char tag[24];
  std::snprintf(tag, sizeof tag, "W/\"%016llx\"", static_cast<unsigned long long>(hash.value()));
  return tag;
}

void set_validators(httplib::Response& res, std::string_view etag) {
  res.set_header("ETag", std::string(etag));
  res.set_header("Cache-Control", kRevalidate);
}

bool answer_if_unchanged(const httplib::Request& req, httplib::Response& res, std::string_view etag) {
  if (!req.has_header("If-None-Match") || !names_tag(req.get_header_value("If-None-Match"), etag)) return false;
  set_validators(res, etag);
  res.status = 304;
  return true;
}

}  // namespace helpmark::cli::serve
