#include "index/schema.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "util/text.hpp"

namespace helpmark::schema {

using nlohmann::json;

std::string_view prefix_of_field(std::string_view field) {
  if (field == "journey") return kJourney;
  if (field == "subtopic") return kSubtopic;
  if (field == "audience") return kAudience;
  if (field == "locale") return kLocale;
  if (field == "tags" || field == "tag") return kTag;
  if (field == "status") return kStatus;
  return {};
}

std::string encode_facets(const Article& a) {
  std::string out;
  auto add = [&](std::string_view field, std::string_view value) {
    if (value.empty()) return;
    out.append(field);
    out += '\x1f';
    out.append(value);
    out += '\x1e';
  };
  add("journey", a.journey);
  add("subtopic", a.subtopic);
  for (const auto& v : a.audience) add("audience", v);
  add("locale", a.locale);
  for (const auto& v : a.tags) add("tags", v);
  add("status", article_status_name(a.status));
  return out;
}

std::string encode_hit(const Article& a) {
  json j = {{"i", a.id},      {"t", a.title},    {"s", a.summary}, {"j", a.journey}, {"u", a.subtopic},
            {"l", a.locale},  {"p", a.path},     {"a", a.audience}, {"g", a.tags},   {"d", a.updated},
            {"r", a.translation_of.empty() ? a.id : a.translation_of}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Hit decode_hit(std::string_view data) {
  json j = json::parse(data);
  Hit h;
  h.id = j.value("i", "");
  h.title = j.value("t", "");
  h.summary = j.value("s", "");
  h.journey = j.value("j", "");
  h.subtopic = j.value("u", "");
  h.locale = j.value("l", "");
  h.path = j.value("p", "");
  h.audience = j.value("a", std::vector<std::string>{});
  h.tags = j.value("g", std::vector<std::string>{});
  h.updated = j.value("d", "");
  h.translation_group = j.value("r", "");
  return h;
}

std::string snippet_source(const Article& a) {
  std::string out;
  for (const auto& s : a.sections) {
    if (s.kind == SectionKind::kRelated) continue;
    if (!out.empty()) out += '\n';
    if (s.level > 0) {
      out += s.heading;
      out += '\n';
    }
    out += s.text;
  }
  return out;
}

std::string encode_article(const Article& a) {
  json sections = json::array();
  for (const auto& s : a.sections)
    sections.push_back({{"kind", section_kind_name(s.kind)}, {"level", s.level}, {"heading", s.heading},
                        {"anchor", s.anchor}, {"line", s.line}, {"text", s.text}, {"markdown", s.markdown}});
  json links = json::array();
  for (const auto& l : a.links)
    links.push_back({{"target", l.target}, {"article_id", l.article_id}, {"anchor", l.anchor},
                     {"internal", l.internal}, {"line", l.line}});
  json images = json::array();
  for (const auto& i : a.images) images.push_back({{"src", i.src}, {"alt", i.alt}, {"line", i.line}});
  json j = {{"id", a.id}, {"title", a.title}, {"journey", a.journey}, {"subtopic", a.subtopic},
            {"locale", a.locale}, {"audience", a.audience}, {"summary", a.summary}, {"tags", a.tags},
            {"questions", a.questions}, {"related", a.related}, {"owner", a.owner},
            {"reviewed", a.reviewed}, {"review_every", a.review_every},
            {"translation_of", a.translation_of}, {"status", article_status_name(a.status)},
            {"path", a.path}, {"updated", a.updated}, {"content_hash", a.content_hash},
            {"body_first_line", a.body_first_line},
            {"sections", sections}, {"links", links}, {"images", images}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string encode_document_data(const Article& a) {
  std::string snippet(text::utf8_prefix(snippet_source(a), kSnippetSourceBytes));
  snippet.erase(std::remove(snippet.begin(), snippet.end(), '\0'), snippet.end());
  std::string out = encode_hit(a);
  out += '\0';
  out += snippet;
  return out;
}

DocumentData split_document_data(std::string_view data) {
  DocumentData d;
  const std::size_t nul = data.find('\0');
  d.hit = data.substr(0, nul);
  if (nul != std::string_view::npos) d.snippet = data.substr(nul + 1);
  return d;
}

std::string encode_stored_article(const Article& a, std::string_view snippet_text) {
  const std::string json_text = encode_article(a);
  z_stream z{};
  if (deflateInit(&z, Z_DEFAULT_COMPRESSION) != Z_OK) throw std::runtime_error("zlib: deflateInit failed");
  std::string out(4 + deflateBound(&z, static_cast<uLong>(json_text.size())), '\0');
  const auto n = static_cast<std::uint32_t>(json_text.size());
  for (int k = 0; k < 4; ++k) out[static_cast<std::size_t>(k)] = static_cast<char>((n >> (8 * k)) & 0xFF);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(json_text.data()));
  z.avail_in = static_cast<uInt>(json_text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data() + 4);
  z.avail_out = static_cast<uInt>(out.size() - 4);
  const bool ok = (snippet_text.empty() || deflateSetDictionary(&z, reinterpret_cast<const Bytef*>(snippet_text.data()),
                                                              static_cast<uInt>(snippet_text.size())) == Z_OK) &&
                  deflate(&z, Z_FINISH) == Z_STREAM_END;
  out.resize(4 + z.total_out);
  deflateEnd(&z);
  if (!ok) throw std::runtime_error("zlib: cannot compress article " + a.id);
  return out;
}

Article stored_article(const Xapian::Document& doc) {
  const std::string stored = doc.get_value(kSlotArticle);
  if (stored.size() < 4) throw std::runtime_error("the index has no stored article for a document; rebuild it");
  std::uint32_t n = 0;
  for (int k = 0; k < 4; ++k) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(stored[static_cast<std::size_t>(k)])) << (8 * k);
  std::string json_text(n, '\0');
  z_stream z{};
  if (inflateInit(&z) != Z_OK) throw std::runtime_error("zlib: inflateInit failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stored.data() + 4));
  z.avail_in = static_cast<uInt>(stored.size() - 4);
  z.next_out = reinterpret_cast<Bytef*>(json_text.data());
  z.avail_out = n;
  int rc = inflate(&z, Z_FINISH);
  if (rc == Z_NEED_DICT) {
    const std::string data = doc.get_data();
    const std::string_view dictionary = split_document_data(data).snippet;
    rc = inflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dictionary.data()), static_cast<uInt>(dictionary.size()));
    if (rc == Z_OK) rc = inflate(&z, Z_FINISH);
  }
  const bool ok = rc == Z_STREAM_END && z.total_out == n;
  inflateEnd(&z);
  if (!ok) throw std::runtime_error("a stored article in the index is corrupt; rebuild the index");
  return decode_article(json_text);
}

namespace {
SectionKind kind_from_name(const std::string& name) {
  for (auto k : {SectionKind::kSummary, SectionKind::kSteps, SectionKind::kTroubleshooting,
                 SectionKind::kRelated, SectionKind::kOther})
    if (name == section_kind_name(k)) return k;
  return SectionKind::kOther;
}
ArticleStatus status_from_name(const std::string& name) {
  if (name == "draft") return ArticleStatus::kDraft;
  if (name == "archived") return ArticleStatus::kArchived;
  return ArticleStatus::kPublished;
}
}  // namespace

Article decode_article(std::string_view data) {
  json j = json::parse(data);
  Article a;
  a.id = j.value("id", "");
  a.title = j.value("title", "");
  a.journey = j.value("journey", "");
  a.subtopic = j.value("subtopic", "");
  a.locale = j.value("locale", "");
  a.audience = j.value("audience", std::vector<std::string>{});
  a.summary = j.value("summary", "");
  a.tags = j.value("tags", std::vector<std::string>{});
  a.questions = j.value("questions", std::vector<std::string>{});
  a.related = j.value("related", std::vector<std::string>{});
  a.owner = j.value("owner", "");
  a.reviewed = j.value("reviewed", "");
  a.review_every = j.value("review_every", "");
  a.translation_of = j.value("translation_of", "");
  a.status = status_from_name(j.value("status", "published"));
  a.path = j.value("path", "");
  a.updated = j.value("updated", "");
  a.content_hash = j.value("content_hash", "");
  a.body_first_line = j.value("body_first_line", 1);

  for (const auto& s : j.value("sections", json::array()))
    a.sections.push_back({kind_from_name(s.value("kind", "other")), s.value("level", 0),
                          s.value("heading", ""), s.value("anchor", ""), s.value("line", 0),
                          s.value("text", ""), s.value("markdown", "")});
  for (const auto& l : j.value("links", json::array()))
    a.links.push_back({l.value("target", ""), l.value("article_id", ""), l.value("anchor", ""),
                       l.value("internal", false), l.value("line", 0)});
  for (const auto& i : j.value("images", json::array()))
    a.images.push_back({i.value("src", ""), i.value("alt", ""), i.value("line", 0)});
  // The plain body is the sections' text (as the Markdown parser builds it); not stored twice.
  for (const auto& s : a.sections) {
    if (!a.body_text.empty()) a.body_text += '\n';
    if (s.level > 0) a.body_text += s.heading + '\n';
    a.body_text += s.text;
  }
  return a;
}

}  // namespace helpmark::schema
