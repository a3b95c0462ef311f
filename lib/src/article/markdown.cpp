#include "article/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "util/text.hpp"

namespace helpmark::article {
namespace {

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

const char* const kExtensions[] = {"table", "autolink", "strikethrough", "tasklist"};

std::unique_ptr<cmark_node, NodeDeleter> parse_gfm(std::string_view body) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  // cmark-gfm's inline parser keeps the extensions' special characters in one global table that
  // every parse adds to and removes from (blocks.c, process_inlines): parses running at once
  // could miss strikethrough or autolinks. One parse at a time; the rest of parse_markdown runs
  // in parallel.
  static std::mutex cmark_global_state;
  std::lock_guard<std::mutex> lock(cmark_global_state);
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_DEFAULT));
  for (const char* name : kExtensions)
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser.get(), ext);
  cmark_parser_feed(parser.get(), body.data(), body.size());
  return std::unique_ptr<cmark_node, NodeDeleter>(cmark_parser_finish(parser.get()));
}

bool is_block_separator(cmark_node* node) {
  switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_ITEM:
    case CMARK_NODE_HEADING:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_BLOCK_QUOTE:
      return true;
    default: {
      const char* type = cmark_node_get_type_string(node);
      return type && (std::strcmp(type, "table_row") == 0 || std::strcmp(type, "table_cell") == 0);
    }
  }
}

void append_separator(std::string& out, char sep) {
  if (out.empty()) return;
  if (out.back() == '\n' || out.back() == ' ') {
    if (sep == '\n') out.back() = '\n';
    return;
  }
  out += sep;
}

const char* literal(cmark_node* node) {
  const char* s = cmark_node_get_literal(node);
  return s ? s : "";
}

// Collects the plain text of `block` into `out`, and its links and images.
void collect_block(cmark_node* block, int line_offset, std::string& out, ParsedBody& body) {
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(block));
  // The line of the text being read: the start of the innermost block (a paragraph of list
  // item 3 starts on its own line), plus the line breaks read since.
  int line = cmark_node_get_start_line(block) + line_offset;
  int image_depth = 0;
  Image* image = nullptr;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    const cmark_node_type type = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_ENTER) {
      if ((type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && cmark_node_get_start_line(node) > 0)
        line = cmark_node_get_start_line(node) + line_offset;
      switch (type) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
          out += literal(node);
          if (image_depth > 0 && image) image->alt += literal(node);
          break;
        case CMARK_NODE_CODE_BLOCK:
          append_separator(out, '\n');
          out += literal(node);
          break;
        case CMARK_NODE_SOFTBREAK:
          out += ' ';
          ++line;
          break;
        case CMARK_NODE_LINEBREAK:
          out += '\n';
          ++line;
          break;
        case CMARK_NODE_LINK: {
          Link link;
          link.target = cmark_node_get_url(node) ? cmark_node_get_url(node) : "";
          link.line = line;
          std::string_view target = link.target;
          if (std::size_t hash = target.find('#'); hash != std::string_view::npos) {
            link.anchor = std::string(target.substr(hash + 1));
            target = target.substr(0, hash);
          }
          if (target.starts_with("article:")) {
            link.internal = true;
            link.article_id = std::string(target.substr(8));
          } else if (target.find("://") == std::string_view::npos && !target.starts_with("mailto:") &&
                     (target.ends_with(".md") || target.empty())) {
            link.internal = true;  // A relative .md link or a same-page anchor; resolved later.
          }
          body.links.push_back(std::move(link));
          break;
        }
        case CMARK_NODE_IMAGE:
          body.images.push_back({cmark_node_get_url(node) ? cmark_node_get_url(node) : "", "", line});
          image = &body.images.back();
          ++image_depth;
          break;
        default:
          break;
      }
    } else if (ev == CMARK_EVENT_EXIT) {
      if (type == CMARK_NODE_IMAGE && image_depth > 0) {
        --image_depth;
        if (image) image->alt = std::string(text::trim(image->alt));
      }
      if (is_block_separator(node)) append_separator(out, type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_ITEM ? '\n' : ' ');
    }
  }
}

std::string heading_text(cmark_node* heading) {
  std::string out;
  ParsedBody ignored;
  collect_block(heading, 0, out, ignored);
  return std::string(text::trim(out));
}

// Lines [first, last] (1-based, body-relative) of `body`, trimmed; `first_content` is set to the
// body-relative line where the trimmed text starts.
std::string body_lines(std::string_view body, int first, int last, int& first_content) {
  std::string out;
  int line = 1;
  std::size_t pos = 0;
  while (pos <= body.size() && line <= last) {
    std::size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    if (line >= first) {
      out.append(body.substr(pos, end - pos));
      out += '\n';
    }
    pos = end + 1;
    ++line;
  }
  const std::string_view trimmed = text::trim(out);
  const std::string_view skipped(out.data(), static_cast<std::size_t>(trimmed.data() - out.data()));
  first_content = first + static_cast<int>(std::count(skipped.begin(), skipped.end(), '\n'));
  return std::string(trimmed);
}

}  // namespace

SectionKind classify_heading(std::string_view heading) {
  struct Name {
    const char* text;
    SectionKind kind;
  };
  static const Name kNames[] = {
      {"summary", SectionKind::kSummary}, {"overview", SectionKind::kSummary},
      {"resumen", SectionKind::kSummary}, {"résumé", SectionKind::kSummary},
      {"zusammenfassung", SectionKind::kSummary}, {"resumo", SectionKind::kSummary},
      {"概要", SectionKind::kSummary}, {"摘要", SectionKind::kSummary}, {"สรุป", SectionKind::kSummary},
      {"steps", SectionKind::kSteps}, {"how to do it", SectionKind::kSteps},
      {"pasos", SectionKind::kSteps}, {"étapes", SectionKind::kSteps}, {"etapes", SectionKind::kSteps},
      {"schritte", SectionKind::kSteps}, {"passos", SectionKind::kSteps},
      {"passo a passo", SectionKind::kSteps}, {"手順", SectionKind::kSteps},
      {"步骤", SectionKind::kSteps}, {"ขั้นตอน", SectionKind::kSteps},
      {"troubleshooting", SectionKind::kTroubleshooting},
      {"solución de problemas", SectionKind::kTroubleshooting},
      {"dépannage", SectionKind::kTroubleshooting}, {"depannage", SectionKind::kTroubleshooting},
      {"fehlerbehebung", SectionKind::kTroubleshooting},
      {"solução de problemas", SectionKind::kTroubleshooting},
      {"トラブルシューティング", SectionKind::kTroubleshooting},
      {"故障排除", SectionKind::kTroubleshooting}, {"การแก้ไขปัญหา", SectionKind::kTroubleshooting},
      {"related articles", SectionKind::kRelated}, {"related", SectionKind::kRelated},
      {"see also", SectionKind::kRelated}, {"artículos relacionados", SectionKind::kRelated},
      {"articles connexes", SectionKind::kRelated}, {"verwandte artikel", SectionKind::kRelated},
      {"artigos relacionados", SectionKind::kRelated}, {"関連記事", SectionKind::kRelated},
      {"相关文章", SectionKind::kRelated}, {"บทความที่เกี่ยวข้อง", SectionKind::kRelated},
  };
  std::string lowered = text::ascii_lower(text::trim(heading));
  // Upper-case first letters outside ASCII that the shipped headings use.
  for (auto [upper, lower] : {std::pair{"É", "é"}, std::pair{"Ü", "ü"}})
    if (lowered.starts_with(upper)) lowered.replace(0, std::strlen(upper), lower);
  while (!lowered.empty() && (lowered.back() == ':' || lowered.back() == ' ')) lowered.pop_back();
  for (const auto& name : kNames)
    if (lowered == name.text) return name.kind;
  return SectionKind::kOther;
}

ParsedBody parse_markdown(std::string_view body, int first_line) {
  ParsedBody parsed;
  auto doc = parse_gfm(body);
  const int offset = first_line - 1;

  // Top-level blocks, grouped into sections at each heading.
  struct Pending {
    Section section;
    int content_first = 1;  // body-relative
  };
  std::vector<Pending> pending;
  Pending intro;
  intro.section.kind = SectionKind::kOther;
  intro.content_first = 1;
  bool in_intro = true;
  bool seen_paragraph = false;

  for (cmark_node* block = cmark_node_first_child(doc.get()); block; block = cmark_node_next(block)) {
    if (cmark_node_get_type(block) == CMARK_NODE_HEADING) {
      if (in_intro) {
        in_intro = false;
        if (!text::trim(intro.section.text).empty()) pending.push_back(std::move(intro));
      }
      Pending p;
      p.section.level = cmark_node_get_heading_level(block);
      p.section.heading = heading_text(block);
      p.section.anchor = text::slugify_heading(p.section.heading);
      p.section.kind = classify_heading(p.section.heading);
      p.section.line = cmark_node_get_start_line(block) + offset;
      p.content_first = cmark_node_get_end_line(block) + 1;
      pending.push_back(std::move(p));
      std::string ignored;
      collect_block(block, offset, ignored, parsed);  // Links inside headings still count.
      continue;
    }
    Section& current = in_intro ? intro.section : pending.back().section;
    std::string block_text;
    collect_block(block, offset, block_text, parsed);
    if (!seen_paragraph && cmark_node_get_type(block) == CMARK_NODE_PARAGRAPH) {
      seen_paragraph = true;
      parsed.first_paragraph = std::string(text::trim(block_text));
    }
    append_separator(current.text, '\n');
    current.text += block_text;
  }
  if (in_intro && !text::trim(intro.section.text).empty()) pending.push_back(std::move(intro));

  // Markdown source of each section: from after its heading to the line before the next one.
  int body_line_count = 1;
  for (char c : body) body_line_count += c == '\n';
  for (std::size_t i = 0; i < pending.size(); ++i) {
    int next_start = i + 1 < pending.size() ? pending[i + 1].section.line - offset - 1 : body_line_count;
    int markdown_first = 0;
    pending[i].section.markdown = body_lines(body, pending[i].content_first, next_start, markdown_first);
    if (!pending[i].section.markdown.empty()) pending[i].section.markdown_line = markdown_first + offset;
    pending[i].section.text = std::string(text::trim(pending[i].section.text));
    if (pending[i].section.level == 0) pending[i].section.line = first_line;
    append_separator(parsed.text, '\n');
    if (pending[i].section.level > 0) {
      parsed.text += pending[i].section.heading;
      parsed.text += '\n';
    }
    parsed.text += pending[i].section.text;
    parsed.sections.push_back(std::move(pending[i].section));
  }
  return parsed;
}

}  // namespace helpmark::article
