#include "index/schema.hpp"

#include <nlohmann/json.hpp>

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
            {"body_first_line", a.body_first_line}, {"body_text", a.body_text},
            {"sections", sections}, {"links", links}, {"images", images}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
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
  a.body_text = j.value("body_text", "");
  for (const auto& s : j.value("sections", json::array()))
    a.sections.push_back({kind_from_name(s.value("kind", "other")), s.value("level", 0),
                          s.value("heading", ""), s.value("anchor", ""), s.value("line", 0),
                          s.value("text", ""), s.value("markdown", "")});
  for (const auto& l : j.value("links", json::array()))
    a.links.push_back({l.value("target", ""), l.value("article_id", ""), l.value("anchor", ""),
                       l.value("internal", false), l.value("line", 0)});
  for (const auto& i : j.value("images", json::array()))
    a.images.push_back({i.value("src", ""), i.value("alt", ""), i.value("line", 0)});
  return a;
}

}  // namespace helpmark::schema
