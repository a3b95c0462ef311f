// Segments each article once for word counts, sentence lengths, body shingles and title stems.
// Words are ICU word-break segments with the same rules and locale as the indexer's Analyzer
// (Chinese, Japanese and Thai words come from ICU's dictionaries). Bodies skip the Analyzer's
// per-word Unicode normalisation, which would double the cost: a shingle only has to compare
// equal words of one locale, so lower-casing ASCII is enough. Titles, which are short, go
// through the Analyzer for stems. The work is spread over threads; each thread has its own ICU
// iterators and Analyzers because neither is thread-safe.
#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "analysis/analyzer.hpp"
#include "analysis/word_segmenter.hpp"
#include "audit/audit_internal.hpp"
#include "util/text.hpp"

namespace helpmark::audit {
namespace {

constexpr std::size_t kSentenceStartWords = 8;

bool is_sentence_break(std::string_view gap, bool spaces_end_sentences) {
  for (std::size_t i = 0; i < gap.size(); ++i) {
    const char c = gap[i];
    if (c == '.' || c == '!' || c == '?' || c == '\n' || c == ';') return true;
    if (spaces_end_sentences && c == ' ') return true;
    // 。！？ (U+3002, U+FF01, U+FF1F) end sentences in Chinese and Japanese.
    std::string_view rest = gap.substr(i);
    if (rest.starts_with("\xE3\x80\x82") || rest.starts_with("\xEF\xBC\x81") || rest.starts_with("\xEF\xBC\x9F"))
      return true;
  }
  return false;
}

bool is_list_item(std::string_view line) {
  if (line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ")) return true;
  std::size_t digits = 0;
  while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
  return digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
         line[digits + 1] == ' ';
}

bool is_table_delimiter(std::string_view line) {
  return line.find('-') != std::string_view::npos &&
         line.find_first_not_of("|-: \t") == std::string_view::npos;
}

// The prose of a section's Markdown for counting words and sentences: soft-wrapped lines are
// joined; paragraphs, list items and table cells end a sentence (a table row is not one long
// sentence); code blocks and link destinations are dropped. `line_starts` gets, for each source
// line that adds text, the offset in `out` where its text starts and its 0-based line index.
void markdown_prose(std::string_view markdown, std::string& out,
                    std::vector<std::pair<std::size_t, int>>& line_starts) {
  out.clear();
  line_starts.clear();
  bool in_fence = false;
  std::size_t pos = 0;
  for (int index = 0; pos <= markdown.size(); ++index) {
    std::size_t end = markdown.find('\n', pos);
    if (end == std::string_view::npos) end = markdown.size();
    std::string_view line = text::trim(markdown.substr(pos, end - pos));
    pos = end + 1;
    if (line.starts_with("```") || line.starts_with("~~~")) {
      in_fence = !in_fence;
      out += '\n';
      continue;
    }
    if (in_fence) continue;
    if (line.empty() || is_table_delimiter(line)) {
      out += '\n';
      continue;
    }
    const bool table_row = line.starts_with('|');
    if (table_row || is_list_item(line) || line.starts_with('>') || line.starts_with('#')) out += '\n';
    else if (!out.empty()) out += ' ';
    line_starts.emplace_back(out.size(), index);
    for (std::size_t i = 0; i < line.size();) {
      std::size_t special = i;
      while (special < line.size() && line[special] != ']' && !(table_row && line[special] == '|')) ++special;
      out.append(line.data() + i, special - i);
      if (special == line.size()) break;
      if (line[special] == '|') {
        out += '\n';
        i = special + 1;
      } else if (special + 1 < line.size() && line[special + 1] == '(') {
        // "[text](destination)": keep the text, drop the destination.
        std::size_t close = line.find(')', special + 2);
        if (close == std::string_view::npos) close = line.size() - 1;
        i = close + 1;
      } else {
        out += ']';
        i = special + 1;
      }
    }
  }
}

std::uint64_t combine(std::uint64_t a, std::uint64_t b) {
  a ^= b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2);
  return a;
}

std::uint64_t word_hash(std::string_view word) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : word) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    h = (h ^ c) * 1099511628211ULL;
  }
  return h;
}

// Whether `values` holds at least `n` distinct values (n small).
bool has_distinct(const std::vector<std::uint64_t>& values, std::size_t n) {
  std::vector<std::uint64_t> seen;
  for (std::uint64_t v : values) {
    if (std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
    seen.push_back(v);
    if (seen.size() >= n) return true;
  }
  return false;
}

class Worker {
 public:
  explicit Worker(const Context& ctx) : ctx_(ctx), signatures_(ctx.wants("duplicates")) {}

  void analyse(const Article& a, ArticleText& out) {
    auto& breaker_slot = breakers_[a.locale];
    if (!breaker_slot) breaker_slot = std::make_unique<analysis::WordSegmenter>(a.locale);
    analysis::WordSegmenter& breaker = *breaker_slot;
    // Thai separates sentences and clauses with spaces, not punctuation.
    const bool spaces_end_sentences = a.locale == "th" || a.locale.starts_with("th-");
    const std::size_t limit = ctx_.config.max_sentence_words;
    words_.clear();
    for (const auto& section : a.sections) {
      // Related-article lists are navigation shared between related pages: not read as prose,
      // not content that makes two articles duplicates.
      if (section.kind == SectionKind::kRelated) continue;
      spans_.clear();
      markdown_prose(section.markdown, prose_, line_starts_);
      // The file line of the text at `offset` of prose_.
      auto line_at = [&](std::size_t offset) {
        auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset,
                                   [](std::size_t o, const std::pair<std::size_t, int>& start) { return o < start.first; });
        if (section.markdown_line <= 0 || it == line_starts_.begin()) return section.line;
        return section.markdown_line + std::prev(it)->second;
      };
      breaker.words(prose_, spans_);
      out.words += spans_.size();
      std::size_t sentence_words = 0, sentence_first = 0;
      auto end_sentence = [&](std::size_t next) {
        if (limit > 0 && sentence_words > limit) {
          ++out.long_sentences;
          if (sentence_words > out.longest_sentence) {
            out.longest_sentence = sentence_words;
            out.longest_sentence_line = line_at(spans_[sentence_first].first);
            const std::size_t last = std::min(sentence_first + kSentenceStartWords, next) - 1;
            out.longest_sentence_start =
                prose_.substr(spans_[sentence_first].first, spans_[last].second - spans_[sentence_first].first);
          }
        }
        sentence_words = 0;
        sentence_first = next;
      };
      for (std::size_t i = 0; i < spans_.size(); ++i) {
        if (i > 0) {
          std::string_view gap(prose_.data() + spans_[i - 1].second, spans_[i].first - spans_[i - 1].second);
          if (is_sentence_break(gap, spaces_end_sentences)) end_sentence(i);
        }
        ++sentence_words;
        words_.push_back(word_hash(std::string_view(prose_).substr(spans_[i].first, spans_[i].second - spans_[i].first)));
      }
      end_sentence(spans_.size());
    }
    for (std::size_t i = 0; i + 2 < words_.size(); ++i)
      out.shingles.push_back(combine(combine(words_[i], words_[i + 1]), words_[i + 2]));
    out.enough_shingles = has_distinct(out.shingles, kMinDuplicateShingles);

    analysis::Analyzer& analyzer = analyzer_for(a.locale);
    tokens_.clear();
    analyzer.tokenize(a.title, tokens_);
    const bool all_stopwords = std::all_of(tokens_.begin(), tokens_.end(), [](const auto& t) { return t.stopword; });
    for (const auto& token : tokens_) {
      if (token.stopword && !all_stopwords) continue;
      stems_.clear();
      analyzer.stems(token, stems_);
      out.title_terms.push_back(text::fnv1a64(stems_.empty() ? token.folded : stems_.front()));
    }
    std::sort(out.title_terms.begin(), out.title_terms.end());
    out.title_terms.erase(std::unique(out.title_terms.begin(), out.title_terms.end()), out.title_terms.end());
    if (signatures_) {
      minhash_shingles(out.shingles, out.shingle_signature);
      minhash_title(out.title_terms, out.title_signature);
    }
  }

 private:
  analysis::Analyzer& analyzer_for(const std::string& locale) {
    auto& slot = analyzers_[locale];
    if (!slot) slot = std::make_unique<analysis::Analyzer>(locale);
    return *slot;
  }

  const Context& ctx_;
  const bool signatures_;
  std::map<std::string, std::unique_ptr<analysis::Analyzer>> analyzers_;
  std::map<std::string, std::unique_ptr<analysis::WordSegmenter>> breakers_;
  std::vector<std::pair<std::size_t, std::size_t>> spans_;
  std::vector<std::pair<std::size_t, int>> line_starts_;
  std::vector<analysis::Token> tokens_;
  std::vector<std::uint64_t> words_;
  std::vector<std::string> stems_;
  std::string prose_;
};

}  // namespace

void analyse_texts(Context& ctx) {
  const auto& articles = ctx.set.articles;
  ctx.texts.assign(articles.size(), {});
  constexpr std::size_t kChunk = 32;
  unsigned threads = ctx.options.threads ? ctx.options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, (articles.size() + kChunk - 1) / kChunk));
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      Worker worker(ctx);
      for (std::size_t begin; (begin = next.fetch_add(kChunk)) < articles.size();)
        for (std::size_t i = begin; i < std::min(begin + kChunk, articles.size()); ++i)
          if (articles[i].status != ArticleStatus::kArchived) worker.analyse(articles[i], ctx.texts[i]);
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = articles.size();
    }
  };
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& t : pool) t.join();
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace helpmark::audit
