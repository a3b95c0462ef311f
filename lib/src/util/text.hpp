// Small text helpers shared by the modules: UTF-8 checks, escaping, hashing, slugs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace helpmark::text {

/// Byte offset of the first invalid UTF-8 sequence, or npos when `s` is valid UTF-8.
std::size_t find_invalid_utf8(std::string_view s);

/// The longest prefix of `s` of at most `max_bytes` that does not cut a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

/// 1-based line number of byte `offset` in `s`.
int line_of_offset(std::string_view s, std::size_t offset);

std::string_view trim(std::string_view s);
std::string ascii_lower(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

/// Escapes &, <, >, " and ' for HTML text and attribute values.
void append_html_escaped(std::string& out, std::string_view s);
std::string html_escape(std::string_view s);

/// 64-bit FNV-1a; stable across platforms and versions (it is stored in indexes).
std::uint64_t fnv1a64(std::string_view s, std::uint64_t seed = 14695981039346656037ULL);
std::string hex64(std::uint64_t v);

/// GitHub-style heading anchor: lower case, spaces to '-', punctuation dropped, non-ASCII kept.
std::string slugify_heading(std::string_view heading);

/// True for YYYY-MM-DD naming a real calendar date.
bool is_iso_date(std::string_view s);
/// Days since 1970-01-01 of an ISO date (which must satisfy is_iso_date).
long days_from_iso_date(std::string_view s);
/// ISO date of days since 1970-01-01.
std::string iso_date_from_days(long days);

}  // namespace helpmark::text
