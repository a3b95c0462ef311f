// Benchmark of `helpmark audit`: generates a synthetic knowledge base (deterministic seed) in a
// temporary directory, then times loading and auditing it, median of several runs.
//
//   audit_bench [--articles N] [--runs R] [--threads T] [--keep DIR] [--reuse]
//
// --keep DIR leaves the generated knowledge base in DIR; --reuse then audits what DIR already
// holds instead of generating it again (for profiling, or for another knowledge base such as
// bench/data/10k-seed42 with its articles/ and taxonomy/).
//
// The knowledge base mixes English originals with translations into seven locales (Chinese,
// Japanese and Thai exercise ICU's dictionary segmentation), links with a few broken ids and
// anchors, images with and without alt text, stale review dates and planted near-duplicates, so
// every family of checks has work to do.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unistd.h>
#include <thread>
#include <vector>

#include "helpmark/article.hpp"
#include "helpmark/audit.hpp"
#include "helpmark/taxonomy.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kLocales[] = {"es", "fr", "de", "pt-BR", "ja", "zh", "th"};
constexpr const char* kJourneys[] = {"onboarding", "payments", "disputes", "returns", "sellers"};
constexpr const char* kOwners[] = {"accounts-content", "payments-content", "trust-content",
                                   "returns-content", "seller-content", "partner-content"};
constexpr const char* kTags[] = {"account", "card", "refund", "return", "label", "payout", "fees", "dispute"};

std::string taxonomy_yaml() {
  std::string y = "default_locale: en\nlocales: [en, es, fr, de, pt-BR, ja, zh, th]\njourneys:\n";
  for (const char* j : kJourneys) {
    y += std::string("  - id: ") + j + "\n    review_every: 180d\n    labels: {en: " + j + "}\n    subtopics:\n";
    for (int s = 0; s < 4; ++s) y += std::string("      - id: ") + j + "-" + std::to_string(s) + "\n";
  }
  y += "tags: [account, card, refund, return, label, payout, fees, dispute]\n";
  return y;
}

// Pseudo-words per language: Latin syllables, or runs of Han, kana or Thai letters.
class Vocabulary {
 public:
  Vocabulary(const std::string& locale, std::mt19937_64& rng) {
    static const char* const kStop[] = {"the", "and", "to", "you", "your", "a", "of", "in", "is", "it",
                                        "for", "on", "with", "can", "if", "or"};
    auto utf8 = [](char32_t c) {
      std::string out;
      if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
      } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      }
      out += static_cast<char>(0x80 | (c & 0x3F));
      return out;
    };
    script_ = locale == "ja" || locale == "zh" ? 1 : locale == "th" ? 2 : 0;
    const char* consonants = "bcdfgklmnprstvz";
    const char* vowels = "aeiou";
    for (int i = 0; i < 4000; ++i) {
      std::string w;
      const int parts = 1 + static_cast<int>(rng() % 3);
      for (int p = 0; p < parts; ++p) {
        if (script_ == 0) {
          w += consonants[rng() % 15];
          w += vowels[rng() % 5];
          if (rng() % 2) w += consonants[rng() % 15];
        } else if (script_ == 1) {
          w += utf8(static_cast<char32_t>(0x4E00 + rng() % 3000));
          if (locale == "ja" && rng() % 2) w += utf8(static_cast<char32_t>(0x3042 + rng() % 80));
        } else {
          w += utf8(static_cast<char32_t>(0x0E01 + rng() % 46));
          w += utf8(static_cast<char32_t>(0x0E30 + rng() % 10));
        }
      }
      words_.push_back(w);
    }
    if (script_ == 0)
      for (const char* s : kStop) stop_.push_back(s);
  }

  std::string word(std::mt19937_64& rng) const {
    if (!stop_.empty() && rng() % 3 == 0) return stop_[rng() % stop_.size()];
    // Skewed towards the first words, as real vocabularies are.
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return words_[static_cast<std::size_t>(u * u * static_cast<double>(words_.size()))];
  }

  std::string sentence(std::mt19937_64& rng, int words) const {
    std::string s;
    for (int i = 0; i < words; ++i) {
      if (i > 0 && script_ == 0) s += ' ';
      std::string w = word(rng);
      if (i == 0 && script_ == 0) w[0] = static_cast<char>(w[0] - 'a' + 'A');
      s += w;
    }
    return s + (script_ == 1 ? "\xE3\x80\x82" : script_ == 2 ? " " : ". ");
  }

 private:
  int script_ = 0;
  std::vector<std::string> words_;
  std::vector<std::string> stop_;
};

struct Plan {
  std::string id, locale, journey, source;
};

std::string date(std::mt19937_64& rng) {
  const int year = 2024 + static_cast<int>(rng() % 3);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, 1 + static_cast<int>(rng() % (year == 2026 ? 11 : 12)),
                1 + static_cast<int>(rng() % 28));
  return buf;
}

void generate(const fs::path& root, std::size_t n) {
  std::mt19937_64 rng(20261123);
  fs::create_directories(root / "taxonomy");
  std::ofstream(root / "taxonomy" / "journeys.yaml") << taxonomy_yaml();

  std::vector<Plan> plans;
  const std::size_t sources = n * 55 / 100;
  for (std::size_t i = 0; i < sources; ++i)
    plans.push_back({"article-" + std::to_string(i), "en", kJourneys[rng() % 5], ""});
  std::set<std::pair<std::size_t, int>> translated;
  while (plans.size() < n) {
    const std::size_t s = rng() % sources;
    const int l = static_cast<int>(rng() % 7);
    if (!translated.insert({s, l}).second) continue;
    std::string suffix = kLocales[l];
    std::transform(suffix.begin(), suffix.end(), suffix.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    plans.push_back({plans[s].id + "-" + suffix, kLocales[l], plans[s].journey, plans[s].id});
  }

  std::vector<std::unique_ptr<Vocabulary>> vocabularies;
  auto vocabulary = [&](const std::string& locale) -> const Vocabulary& {
    static std::vector<std::string> names;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == locale) return *vocabularies[i];
    names.push_back(locale);
    vocabularies.push_back(std::make_unique<Vocabulary>(locale, rng));
    return *vocabularies.back();
  };

  std::string previous_body;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const Plan& p = plans[i];
    const Vocabulary& v = vocabulary(p.locale);
    auto link_target = [&]() -> std::string {
      if (rng() % 50 == 0) return "missing-" + std::to_string(rng() % 1000);  // a broken link
      return plans[rng() % sources].id;
    };
    std::string fm = "---\nid: " + p.id + "\ntitle: \"" + v.sentence(rng, 4 + static_cast<int>(rng() % 4)) +
                     "\"\njourney: " + p.journey + "\nsubtopic: " + p.journey + "-" + std::to_string(rng() % 4) +
                     "\nlocale: " + p.locale + "\naudience: [buyer]\ntags: [" + kTags[rng() % 8] + ", " +
                     kTags[rng() % 8] + "]\nowner: " + kOwners[rng() % 6] + "\nreviewed: " + date(rng) +
                     "\nreview_every: " + (rng() % 2 ? "180d" : "365d") + "\nrelated: [" + link_target() + ", " +
                     link_target() + ", " + link_target() + "]\nstatus: published\n";
    if (!p.source.empty()) fm += "translation_of: " + p.source + "\n";
    fm += "---\n\n";

    std::string body;
    if (!previous_body.empty() && rng() % 200 == 0) {
      body = previous_body + v.sentence(rng, 6) + "\n";  // a planted near-duplicate
    } else {
      body += v.sentence(rng, 12) + v.sentence(rng, 14) + "\n\n## Steps\n\n";
      for (int s = 1; s <= 5; ++s) body += std::to_string(s) + ". " + v.sentence(rng, 10 + static_cast<int>(rng() % 10)) + "\n";
      if (rng() % 20 == 0) body += "\n![" + (rng() % 4 ? v.sentence(rng, 3) : std::string()) + "](images/screen.png)\n";
      body += "\n## Details\n\n";
      for (int s = 0; s < 4; ++s) body += v.sentence(rng, 12 + static_cast<int>(rng() % 20));
      body += "See [this](article:" + link_target() + (rng() % 10 == 0 ? "#steps" : rng() % 40 == 0 ? "#nope" : "") +
              ").\n\n| " + v.word(rng) + " | " + v.word(rng) + " |\n| --- | --- |\n| " + v.sentence(rng, 5) + " | " +
              v.sentence(rng, 4) + " |\n\n## Troubleshooting\n\n";
      for (int s = 0; s < 3; ++s) body += "- **" + v.sentence(rng, 5) + "** " + v.sentence(rng, 15) + "\n";
      body += "\n## Related articles\n\n";
      for (int s = 0; s < 3; ++s) body += "- [" + v.sentence(rng, 4) + "](article:" + link_target() + ")\n";
      previous_body = body;
    }
    const fs::path file = root / "articles" / p.locale / p.journey / (p.id + ".md");
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << fm << body;
  }
}

// Process CPU time over all threads: on a busy machine wall time says more about the neighbours.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 10000;
  int runs = 5;
  unsigned threads = 0;
  std::string keep;
  bool reuse = false;
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--reuse") {
      reuse = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) flag = "--help";
    if (flag == "--articles") n = std::strtoul(argv[i + 1], nullptr, 10);
    else if (flag == "--runs") runs = std::atoi(argv[i + 1]);
    else if (flag == "--threads") threads = static_cast<unsigned>(std::atoi(argv[i + 1]));
    else if (flag == "--keep") keep = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: audit_bench [--articles N] [--runs R] [--threads T] [--keep DIR] [--reuse]\n");
      return 2;
    }
  }
  if (n < 10 || runs < 1) {
    std::fprintf(stderr, "audit_bench: --articles must be at least 10 and --runs at least 1\n");
    return 2;
  }
  fs::path root = keep.empty() ? fs::temp_directory_path() / ("helpmark-audit-bench-" + std::to_string(::getpid()))
                               : fs::path(keep);
  if (reuse && (keep.empty() || !fs::is_directory(root / "articles") || !fs::is_directory(root / "taxonomy"))) {
    std::fprintf(stderr, "audit_bench: --reuse needs --keep DIR holding articles/ and taxonomy/\n");
    return 2;
  }
  if (!reuse) {
    fs::remove_all(root);
    auto start = Clock::now();
    generate(root, n);
    std::printf("generated %zu articles in %s (%.2f s)\n", n, root.c_str(), seconds_since(start));
  }

  auto taxonomy = helpmark::Taxonomy::load(root / "taxonomy");
  if (!taxonomy.ok()) {
    std::fprintf(stderr, "audit_bench: %s\n", taxonomy.status().message().c_str());
    return 1;
  }
  helpmark::AuditOptions options;
  options.as_of = "2026-11-23";
  options.threads = threads;
  std::vector<double> load_times, audit_times, totals, load_cpu, audit_cpu;
  helpmark::AuditReport last;
  for (int r = 0; r < runs; ++r) {
    auto t0 = Clock::now();
    const double c0 = cpu_seconds();
    auto set = helpmark::load_articles(root / "articles", taxonomy.value());
    const double load = seconds_since(t0);
    const double c1 = cpu_seconds();
    if (!set.ok()) {
      std::fprintf(stderr, "audit_bench: %s\n", set.status().message().c_str());
      return 1;
    }
    auto t1 = Clock::now();
    auto report = helpmark::run_audit(set.value(), taxonomy.value(), options);
    const double audit = seconds_since(t1);
    load_cpu.push_back(c1 - c0);
    audit_cpu.push_back(cpu_seconds() - c1);
    if (!report.ok()) {
      std::fprintf(stderr, "audit_bench: %s\n", report.status().message().c_str());
      return 1;
    }
    load_times.push_back(load);
    audit_times.push_back(audit);
    totals.push_back(load + audit);
    last = std::move(report.value());
  }
  {
    // Where the time goes: one family of checks at a time (structure and duplicates share the
    // text analysis, so each includes it).
    auto set = helpmark::load_articles(root / "articles", taxonomy.value());
    for (const char* family : {"articles", "stale", "links", "translations", "taxonomy", "orphans", "structure",
                               "duplicates"}) {
      helpmark::AuditOptions one = options;
      one.checks = {family};
      auto t = Clock::now();
      const double c = cpu_seconds();
      auto r = helpmark::run_audit(set.value(), taxonomy.value(), one);
      std::printf("  only %-13s %.3f s wall, %.3f s CPU\n", family, seconds_since(t), cpu_seconds() - c);
    }
  }
  std::map<std::string, std::size_t> by_check;
  for (const auto& f : last.findings) ++by_check[f.check];
  std::printf("findings: %zu (%zu errors, %zu warnings, %zu info)\n", last.findings.size(),
              last.count(helpmark::AuditSeverity::kError), last.count(helpmark::AuditSeverity::kWarning),
              last.count(helpmark::AuditSeverity::kInfo));
  for (const auto& [check, count] : by_check) std::printf("  %-30s %zu\n", check.c_str(), count);
  std::printf("articles: %zu, runs: %d, threads: %u (0 = one per core; %u cores)\n", last.articles, runs, threads,
              std::thread::hardware_concurrency());
  std::printf("median load_articles: %.3f s wall, %.3f s CPU\n", median(load_times), median(load_cpu));
  std::printf("median run_audit:     %.3f s wall, %.3f s CPU (all threads)\n", median(audit_times), median(audit_cpu));
  std::printf("median total:         %.3f s wall (target: under 2 s)\n", median(totals));
  if (keep.empty()) fs::remove_all(root);
  return 0;
}
