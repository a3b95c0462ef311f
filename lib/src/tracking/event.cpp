#include "tracking/event.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "helpmark/json.hpp"
#include "tracking/personal_data.hpp"
#include "util/text.hpp"

namespace helpmark::tracking {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr const char* kTypeNames[] = {"search", "click", "view", "feedback", "bot_answer", "ticket"};
constexpr std::int64_t kMsPerDay = 86400000;

Status invalid(std::string message) { return Status(ErrorCode::kInvalidInput, std::move(message)); }

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// Parses exactly `n` digits at s[pos].
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_ascii_digit(s[i])) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool has_control_char(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// A rough email check for id fields: callers sometimes use a customer's email as the session
// id, which would put personal data in the store.
bool looks_like_email(std::string_view s) {
  std::size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  std::string_view domain = s.substr(at + 1);
  std::size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

Status check_id(std::string_view field, std::string_view value) {
  if (value.size() > kMaxIdBytes)
    return invalid("field '" + std::string(field) + "' is " + std::to_string(value.size()) +
                   " bytes; the limit is " + std::to_string(kMaxIdBytes));
  if (text::find_invalid_utf8(value) != std::string_view::npos)
    return invalid("field '" + std::string(field) + "' is not valid UTF-8");
  if (has_control_char(value))
    return invalid("field '" + std::string(field) + "' contains a control character");
  if (looks_like_email(value))
    return invalid("field '" + std::string(field) +
                   "' looks like an email address; use an opaque id (personal data is never stored)");
  if (id_holds_personal_data(value))
    return invalid("field '" + std::string(field) +
                   "' holds personal data (a card, phone or identity number); use an opaque id "
                   "(personal data is never stored)");
  return Status::Ok();
}

Status check_text(std::string_view field, std::string_view value) {
  if (value.size() > kMaxTextBytes)
    return invalid("field '" + std::string(field) + "' is " + std::to_string(value.size()) +
                   " bytes; the limit is " + std::to_string(kMaxTextBytes));
  if (text::find_invalid_utf8(value) != std::string_view::npos)
    return invalid("field '" + std::string(field) + "' is not valid UTF-8");
  if (value.find('\0') != std::string_view::npos)
    return invalid("field '" + std::string(field) + "' contains a NUL character");
  return Status::Ok();
}

// journey, audience and filter names: short machine tokens.
Status check_token(std::string_view field, std::string_view value) {
  if (value.size() > 64)
    return invalid("field '" + std::string(field) + "' is longer than 64 bytes");
  for (char c : value)
    if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '-' && c != '_' && c != '.')
      return invalid("field '" + std::string(field) + "' must be an id of letters, digits, '-', '_' "
                     "or '.' (got '" + std::string(value) + "')");
  return Status::Ok();
}

// BCP 47, loosely: "en", "pt-BR", "zh-Hant-TW".
Status check_locale(std::string_view value) {
  bool ok = !value.empty() && value.size() <= 35;
  std::size_t i = 0, first = 0;
  while (ok && i < value.size() && is_ascii_alpha(value[i])) ++i, ++first;
  ok = ok && first >= 2 && first <= 3;
  while (ok && i < value.size()) {
    if (value[i] != '-' && value[i] != '_') { ok = false; break; }
    std::size_t start = ++i;
    while (i < value.size() && (is_ascii_alpha(value[i]) || is_ascii_digit(value[i]))) ++i;
    if (i - start < 1 || i - start > 8) ok = false;
  }
  if (!ok) return invalid("field 'locale' is not a BCP 47 language tag such as en or pt-BR (got '" +
                          std::string(value.substr(0, 40)) + "')");
  return Status::Ok();
}

const char* const kViewSources[] = {"search", "link", "bot", "other"};

}  // namespace

const char* event_type_name(EventType type) { return kTypeNames[static_cast<int>(type)]; }

const std::vector<std::string>& feedback_reasons() {
  static const std::vector<std::string> codes = {"not-my-question", "unclear", "outdated", "did-not-work", "other"};
  return codes;
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (int i = 0; i < 6; ++i)
    if (name == kTypeNames[i]) return static_cast<EventType>(i);
  return std::nullopt;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::int64_t> parse_timestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|+HHMM|+HH)
  if (s.size() < 20 || !text::is_iso_date(s.substr(0, 10))) return std::nullopt;
  if (s[10] != 'T' && s[10] != 't') return std::nullopt;
  int hh, mm, ss;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm) || s[16] != ':' ||
      !digits(s, 17, 2, ss))
    return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  std::size_t i = 19;
  int millis = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    std::size_t start = i;
    int scale = 100;
    while (i < s.size() && is_ascii_digit(s[i])) {
      millis += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start || i - start > 9) return std::nullopt;
  }
  if (i >= s.size()) return std::nullopt;  // no zone: local time is ambiguous
  std::int64_t offset_minutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    const int sign = s[i] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!digits(s, i + 1, 2, oh)) return std::nullopt;
    i += 3;
    if (i < s.size() && s[i] == ':') ++i;
    if (i < s.size()) {
      if (!digits(s, i, 2, om)) return std::nullopt;
      i += 2;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::int64_t ms = text::days_from_iso_date(s.substr(0, 10)) * kMsPerDay +
                    (static_cast<std::int64_t>(hh) * 3600 + mm * 60 + ss) * 1000 + millis -
                    offset_minutes * 60000;
  if (ms < 0) return std::nullopt;
  return ms;
}

std::string format_timestamp(std::int64_t ms) {
  if (ms < 0) ms = 0;
  const std::int64_t days = ms / kMsPerDay;
  std::int64_t rest = ms % kMsPerDay;
  const int millis = static_cast<int>(rest % 1000);
  rest /= 1000;
  char buf[40];
  if (millis)
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d.%03dZ", static_cast<int>(rest / 3600),
                  static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60), millis);
  else
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                  static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return text::iso_date_from_days(static_cast<long>(days)) + buf;
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

namespace {

ordered_json to_ordered_json(const Event& e, bool with_id) {
  ordered_json j;
  j["type"] = event_type_name(e.type);
  if (with_id && !e.id.empty()) j["id"] = e.id;
  j["ts"] = e.ts;
  j["session"] = e.session;
  if (!e.locale.empty()) j["locale"] = e.locale;
  if (!e.audience.empty()) j["audience"] = e.audience;
  if (!e.journey.empty()) j["journey"] = e.journey;
  if (e.type == EventType::kSearch) j["query"] = e.query;
  else if (!e.query.empty()) j["query"] = e.query;
  if (!e.filters.empty()) {
    ordered_json f = ordered_json::object();
    for (const auto& [k, v] : e.filters) f[k] = v;
    j["filters"] = f;
  }
  if (e.total) j["total"] = *e.total;
  if (!e.results.empty() || e.type == EventType::kSearch) j["results"] = e.results;
  if (!e.search_id.empty()) j["search_id"] = e.search_id;
  if (!e.article.empty()) j["article"] = e.article;
  if (e.position != 0) j["position"] = e.position;
  if (!e.source.empty()) j["source"] = e.source;
  if (e.helpful) j["helpful"] = *e.helpful;
  if (!e.reason.empty()) j["reason"] = e.reason;
  if (!e.reason_code.empty()) j["reason_code"] = e.reason_code;
  if (!e.question.empty()) j["question"] = e.question;
  if (e.confidence) j["confidence"] = *e.confidence;
  if (e.escalated) j["escalated"] = *e.escalated;
  if (e.accepted) j["accepted"] = *e.accepted;
  return j;
}

std::string dump_line(const ordered_json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

const char* json_kind(const json& v) {
  switch (v.type()) {
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

Status wrong_kind(const std::string& key, const char* expected, const json& v) {
  return invalid("field '" + key + "' must be " + expected + ", not " + json_kind(v));
}

}  // namespace

std::string event_to_json(const Event& event) { return dump_line(to_ordered_json(event, true)); }

Result<Event> event_from_json(std::string_view text) {
  if (Status nesting = helpmark::json::check_nesting(text); !nesting.ok()) return nesting;
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e6666 (found by fuzz_events)
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return invalid("not valid JSON: " + what);
  }
  if (!j.is_object()) return invalid(std::string("an event must be a JSON object, not ") + json_kind(j));
  auto type_it = j.find("type");
  if (type_it == j.end()) return invalid("missing field 'type'");
  if (!type_it->is_string()) return wrong_kind("type", "a string", *type_it);
  auto type = parse_event_type(type_it->get<std::string>());
  if (!type)
    return invalid("unknown event type '" + type_it->get<std::string>().substr(0, 60) +
                   "'; expected search, click, view, feedback, bot_answer or ticket");
  Event e;
  e.type = *type;
  if (e.type == EventType::kSearch && !j.contains("query")) return invalid("missing field 'query'");
  if (e.type == EventType::kClick && !j.contains("position")) return invalid("missing field 'position'");
  if (e.type == EventType::kFeedback && !j.contains("helpful")) return invalid("missing field 'helpful'");

  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    if (key == "type") continue;
    if (v.is_null()) continue;  // null is the same as absent
    auto string_field = [&](std::string& out) -> Status {
      if (!v.is_string()) return wrong_kind(key, "a string", v);
      out = v.get<std::string>();
      return Status::Ok();
    };
    auto bool_field = [&](std::optional<bool>& out) -> Status {
      if (!v.is_boolean()) return wrong_kind(key, "true or false", v);
      out = v.get<bool>();
      return Status::Ok();
    };
    Status s;
    if (key == "id") s = string_field(e.id);
    else if (key == "ts") s = string_field(e.ts);
    else if (key == "session") s = string_field(e.session);
    else if (key == "locale") s = string_field(e.locale);
    else if (key == "audience") s = string_field(e.audience);
    else if (key == "journey") s = string_field(e.journey);
    else if (key == "query") s = string_field(e.query);
    else if (key == "search_id") s = string_field(e.search_id);
    else if (key == "article") s = string_field(e.article);
    else if (key == "source") s = string_field(e.source);
    else if (key == "reason") s = string_field(e.reason);
    else if (key == "reason_code") s = string_field(e.reason_code);
    else if (key == "question") s = string_field(e.question);
    else if (key == "helpful") s = bool_field(e.helpful);
    else if (key == "escalated") s = bool_field(e.escalated);
    else if (key == "accepted") s = bool_field(e.accepted);
    else if (key == "total") {
      if (!v.is_number_integer()) s = wrong_kind(key, "a whole number", v);
      else if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        s = invalid("field 'total' is too large");
      else e.total = v.get<std::int64_t>();
    } else if (key == "position") {
      if (!v.is_number_integer()) s = wrong_kind(key, "a whole number (1 for the first result)", v);
      else {
        const auto p = v.get<std::int64_t>();
        if (p < 1 || p > 1000000) s = invalid("field 'position' must be 1 or more (1 is the first result)");
        else e.position = static_cast<int>(p);
      }
    } else if (key == "confidence") {
      if (!v.is_number()) s = wrong_kind(key, "a number from 0 to 1", v);
      else e.confidence = v.get<double>();
    } else if (key == "results") {
      if (!v.is_array()) s = wrong_kind(key, "an array of article ids", v);
      else if (v.size() > kMaxResults)
        s = invalid("field 'results' lists " + std::to_string(v.size()) + " ids; the limit is " +
                    std::to_string(kMaxResults));
      else
        for (const auto& r : v) {
          if (!r.is_string()) { s = invalid("field 'results' must hold article ids (strings)"); break; }
          e.results.push_back(r.get<std::string>());
        }
    } else if (key == "filters") {
      if (!v.is_object()) s = wrong_kind(key, "an object such as {\"journey\": [\"payments\"]}", v);
      else
        for (auto f = v.begin(); f != v.end() && s.ok(); ++f) {
          auto& values = e.filters[f.key()];
          if (f->is_string()) values.push_back(f->get<std::string>());
          else if (f->is_array()) {
            for (const auto& x : *f) {
              if (!x.is_string()) { s = invalid("filter '" + f.key() + "' must hold strings"); break; }
              values.push_back(x.get<std::string>());
            }
          } else s = invalid("filter '" + f.key() + "' must be a string or an array of strings");
        }
    } else {
      s = invalid("unknown field '" + key.substr(0, 60) + "'");
    }
    if (!s.ok()) return s;
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

namespace detail {

std::string derive_id(const Event& event, std::int64_t ts_ms) {
  // The time first (12 hex digits of milliseconds), then 80 bits of hash of the canonical JSON:
  // live events then arrive in id order, so the UNIQUE index grows at its end instead of at
  // random pages, which keeps writes fast on large stores.
  const std::string canonical = dump_line(to_ordered_json(event, false));
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%012llx", static_cast<unsigned long long>(ts_ms) & 0xFFFFFFFFFFFFULL);
  return prefix + text::hex64(text::fnv1a64(canonical)) +
         text::hex64(text::fnv1a64(canonical, 0x9e3779b97f4a7c15ULL)).substr(0, 4);
}

std::string join_ids(const std::vector<std::string>& ids) { return text::join(ids, "\n"); }

std::vector<std::string> split_ids(std::string_view joined) {
  if (joined.empty()) return {};
  return text::split(joined, '\n');
}

std::string filters_to_json(const std::map<std::string, std::vector<std::string>>& filters) {
  if (filters.empty()) return {};
  ordered_json f = ordered_json::object();
  for (const auto& [k, v] : filters) f[k] = v;
  return dump_line(f);
}

std::map<std::string, std::vector<std::string>> filters_from_json(std::string_view text) {
  std::map<std::string, std::vector<std::string>> out;
  if (text.empty()) return out;
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    auto& values = out[it.key()];
    if (it->is_array())
      for (const auto& v : *it)
        if (v.is_string()) values.push_back(v.get<std::string>());
  }
  return out;
}

Result<StoredEvent> normalize(const Event& in, const Scrubber& scrubber) {
  StoredEvent out;
  Event& e = out.event;
  e = in;
  const EventType t = e.type;
  if (static_cast<int>(t) < 0 || static_cast<int>(t) > 5) return invalid("unknown event type");
  const std::string type_name = event_type_name(t);

  // Fields that belong to other types are mistakes; silently dropping them would hide them.
  auto not_for = [&](bool present, const char* field) -> Status {
    if (present)
      return invalid("field '" + std::string(field) + "' does not apply to " + type_name + " events");
    return Status::Ok();
  };
  const bool search = t == EventType::kSearch, click = t == EventType::kClick,
             view = t == EventType::kView, feedback = t == EventType::kFeedback,
             bot = t == EventType::kBotAnswer;
  for (Status s : {not_for(!search && !e.query.empty(), "query"),
                   not_for(!search && !e.filters.empty(), "filters"),
                   not_for(!search && e.total.has_value(), "total"),
                   not_for(!search && !e.results.empty(), "results"),
                   not_for(!click && !e.search_id.empty(), "search_id"),
                   not_for(!click && e.position != 0, "position"),
                   not_for(!(click || view || feedback || bot) && !e.article.empty(), "article"),
                   not_for(!view && !e.source.empty(), "source"),
                   not_for(!feedback && e.helpful.has_value(), "helpful"),
                   not_for(!feedback && !e.reason.empty(), "reason"),
                   not_for(!feedback && !e.reason_code.empty(), "reason_code"),
                   not_for(!bot && !e.question.empty(), "question"),
                   not_for(!bot && e.confidence.has_value(), "confidence"),
                   not_for(!bot && e.escalated.has_value(), "escalated"),
                   not_for(!bot && e.accepted.has_value(), "accepted")})
    if (!s.ok()) return s;

  if (e.ts.empty()) return invalid("missing field 'ts' (an ISO 8601 time such as 2026-11-01T10:00:00Z)");
  auto ms = parse_timestamp(e.ts);
  if (!ms) {
    // The most common mistake: a local time without a zone, which would be ambiguous.
    const bool no_zone = e.ts.size() >= 19 && e.ts.size() <= 29 && parse_timestamp(e.ts + "Z").has_value();
    return invalid("field 'ts' is not an ISO 8601 UTC time such as 2026-11-01T10:00:00Z (got '" +
                   e.ts.substr(0, 40) + "')" + (no_zone ? "; add Z for UTC or an offset such as +01:00" : ""));
  }
  out.ts_ms = *ms;
  e.ts = format_timestamp(*ms);

  if (e.session.empty()) return invalid("missing field 'session'");
  if (Status s = check_id("session", e.session); !s.ok()) return s;
  if (!e.id.empty())
    if (Status s = check_id("id", e.id); !s.ok()) return s;
  if (!e.locale.empty())
    if (Status s = check_locale(e.locale); !s.ok()) return s;
  if (!e.audience.empty())
    if (Status s = check_token("audience", e.audience); !s.ok()) return s;
  if (!e.journey.empty())
    if (Status s = check_token("journey", e.journey); !s.ok()) return s;

  if (click || view || feedback) {
    if (e.article.empty()) return invalid("missing field 'article'");
  }
  if (!e.article.empty())
    if (Status s = check_id("article", e.article); !s.ok()) return s;

  switch (t) {
    case EventType::kSearch: {
      if (Status s = check_text("query", e.query); !s.ok()) return s;
      if (e.results.size() > kMaxResults)
        return invalid("field 'results' lists " + std::to_string(e.results.size()) +
                       " ids; the limit is " + std::to_string(kMaxResults));
      for (const auto& r : e.results) {
        if (r.empty()) return invalid("field 'results' holds an empty id");
        if (Status s = check_id("results", r); !s.ok()) return s;
      }
      if (e.total && *e.total < 0) return invalid("field 'total' must be 0 or more");
      if (e.total && static_cast<std::uint64_t>(*e.total) < e.results.size())
        return invalid("field 'total' (" + std::to_string(*e.total) +
                       ") is smaller than the number of results listed (" +
                       std::to_string(e.results.size()) + ")");
      std::size_t values = 0;
      for (auto& [name, list] : e.filters) {
        if (name.empty()) return invalid("filters have an empty name");
        if (Status s = check_token("filters", name); !s.ok()) return s;
        for (auto& v : list) {
          if (v.size() > kMaxIdBytes || text::find_invalid_utf8(v) != std::string::npos ||
              has_control_char(v))
            return invalid("filter '" + name + "' has a value that is too long, not UTF-8 or "
                           "holds control characters");
          v = scrubber.scrub(v);
        }
        values += list.size();
      }
      if (values > kMaxFilterValues)
        return invalid("filters hold " + std::to_string(values) + " values; the limit is " +
                       std::to_string(kMaxFilterValues));
      e.query = scrubber.scrub(e.query);
      break;
    }
    case EventType::kClick:
      if (e.position == 0) return invalid("missing field 'position' (1 for the first result)");
      if (e.position < 0) return invalid("field 'position' must be 1 or more (1 is the first result)");
      if (!e.search_id.empty())
        if (Status s = check_id("search_id", e.search_id); !s.ok()) return s;
      break;
    case EventType::kView:
      if (!e.source.empty()) {
        bool known = false;
        for (const char* k : kViewSources) known = known || e.source == k;
        if (!known)
          return invalid("field 'source' must be search, link, bot or other (got '" +
                         e.source.substr(0, 40) + "')");
      }
      break;
    case EventType::kFeedback:
      if (!e.helpful) return invalid("missing field 'helpful' (true or false)");
      if (Status s = check_text("reason", e.reason); !s.ok()) return s;
      e.reason = scrubber.scrub(e.reason);
      if (!e.reason_code.empty()) {
        const auto& codes = feedback_reasons();
        if (std::find(codes.begin(), codes.end(), e.reason_code) == codes.end())
          return invalid("field 'reason_code' must be one of " + text::join(codes, ", ") + " (got '" +
                         e.reason_code.substr(0, 40) + "')");
        if (*e.helpful)
          return invalid("field 'reason_code' says why an article did not help: it needs helpful: false");
      }
      break;
    case EventType::kBotAnswer:
      if (e.question.empty()) return invalid("missing field 'question'");
      if (Status s = check_text("question", e.question); !s.ok()) return s;
      if (e.confidence && (!std::isfinite(*e.confidence) || *e.confidence < 0 || *e.confidence > 1))
        return invalid("field 'confidence' must be a number from 0 to 1");
      e.question = scrubber.scrub(e.question);
      break;
    case EventType::kTicket:
      break;
  }
  // Scrubbing may lengthen a text (a 3-digit IP becomes "<ip>"): re-check the limit.
  for (const auto* text_field : {&e.query, &e.reason, &e.question})
    if (text_field->size() > kMaxTextBytes)
      return invalid("a text field is over " + std::to_string(kMaxTextBytes) +
                     " bytes after personal data was replaced by placeholders");
  if (e.id.empty()) e.id = derive_id(e, out.ts_ms);
  return out;
}

}  // namespace detail
}  // namespace helpmark::tracking
