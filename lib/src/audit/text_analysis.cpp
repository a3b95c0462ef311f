// Segments each article once (ICU words, as the indexer does) for word counts, sentence
// lengths, body shingles and title stems. The work is spread over threads; each thread has
// its own Analyzer per locale because an Analyzer is not thread-safe.
#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "analysis/analyzer.hpp"
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

std::uint64_t combine(std::uint64_t a, std::uint64_t b) {
  a ^= b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2);
  return a;
}

class Worker {
 public:
  explicit Worker(const Context& ctx) : ctx_(ctx) {}

  void analyse(const Article& a, ArticleText& out) {
    analysis::Analyzer& analyzer = analyzer_for(a.locale);
    // Thai separates sentences and clauses with spaces, not punctuation.
    const bool spaces_end_sentences = a.locale == "th" || a.locale.starts_with("th-");
    const std::size_t limit = ctx_.config.max_sentence_words;
    words_.clear();
    for (const auto& section : a.sections) {
      tokens_.clear();
      analyzer.tokenize(section.text, tokens_);
      out.words += tokens_.size();
      std::size_t sentence_words = 0, sentence_first = 0;
      auto end_sentence = [&](std::size_t next) {
        if (limit > 0 && sentence_words > limit) {
          ++out.long_sentences;
          if (sentence_words > out.longest_sentence) {
            out.longest_sentence = sentence_words;
            out.longest_sentence_line = section.line;
            const std::size_t last = std::min(sentence_first + kSentenceStartWords, next) - 1;
            out.longest_sentence_start =
                section.text.substr(tokens_[sentence_first].begin, tokens_[last].end - tokens_[sentence_first].begin);
          }
        }
        sentence_words = 0;
        sentence_first = next;
      };
      for (std::size_t i = 0; i < tokens_.size(); ++i) {
        if (i > 0) {
          std::string_view gap(section.text.data() + tokens_[i - 1].end, tokens_[i].begin - tokens_[i - 1].end);
          if (is_sentence_break(gap, spaces_end_sentences)) end_sentence(i);
        }
        ++sentence_words;
        // Related-article lists are navigation shared between related pages, not content.
        if (section.kind != SectionKind::kRelated) words_.push_back(text::fnv1a64(tokens_[i].folded));
      }
      end_sentence(tokens_.size());
    }
    for (std::size_t i = 0; i + 2 < words_.size(); ++i)
      out.shingles.push_back(combine(combine(words_[i], words_[i + 1]), words_[i + 2]));
    std::sort(out.shingles.begin(), out.shingles.end());
    out.shingles.erase(std::unique(out.shingles.begin(), out.shingles.end()), out.shingles.end());

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
  }

 private:
  analysis::Analyzer& analyzer_for(const std::string& locale) {
    auto& slot = analyzers_[locale];
    if (!slot) slot = std::make_unique<analysis::Analyzer>(locale);
    return *slot;
  }

  const Context& ctx_;
  std::map<std::string, std::unique_ptr<analysis::Analyzer>> analyzers_;
  std::vector<analysis::Token> tokens_;
  std::vector<std::uint64_t> words_;
  std::vector<std::string> stems_;
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
