// The C++ API end to end: index a knowledge base, open the index, search with filters and
// facets, and ask for an answer the way a chatbot would (hand over to a human when unsure).
// Every call that can fail returns a Result or Status: check it before using the value.
//
//   search ARTICLES TAXONOMY INDEX [QUERY] [LOCALE]
//   search articles taxonomy /tmp/kb-index "money back" en
#include <helpmark/answer.hpp>
#include <helpmark/index.hpp>
#include <helpmark/indexer.hpp>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 4 || argc > 6) {
    std::cerr << "usage: search ARTICLES TAXONOMY INDEX [QUERY] [LOCALE]\n";
    return 2;
  }
  const std::string query = argc > 4 ? argv[4] : "money back";
  const std::string locale = argc > 5 ? argv[5] : "en";

  helpmark::IndexOptions options;
  options.articles_dir = argv[1];
  options.taxonomy_dir = argv[2];
  options.index_dir = argv[3];
  auto report = helpmark::build_index(options);
  if (!report.ok()) {
    std::cerr << "indexing failed: " << report.status().message() << "\n";
    return 1;
  }
  std::cout << "indexed " << report->total << " articles\n";

  auto index = helpmark::Index::open(options.index_dir);  // thread-safe: share it
  if (!index.ok()) {
    std::cerr << "cannot open the index: " << index.status().message() << "\n";
    return 1;
  }

  helpmark::SearchRequest request;
  request.query = query;
  request.locale = locale;
  request.filters.audiences = {"buyer"};
  request.facets = {"journey"};
  auto response = index->search(request);
  if (!response.ok()) {
    std::cerr << "search failed: " << response.status().message() << "\n";
    return 1;
  }
  std::cout << response->total << " results for \"" << query << "\"\n";
  for (const auto& hit : response->hits) std::cout << "  " << hit.title << " [" << hit.id << ", " << hit.locale << "]\n";
  for (const auto& [field, counts] : response->facets)
    for (const auto& c : counts) std::cout << "  " << field << ": " << c.value << " (" << c.count << ")\n";

  auto answer = index->answer("i was charged twice", locale, {});
  if (!answer.ok()) {
    std::cerr << "answer failed: " << answer.status().message() << "\n";
    return 1;
  }
  if (answer->escalate) std::cout << "answer: hand over to a human (confidence " << answer->confidence << ")\n";
  else std::cout << "answer: " << answer->title << " (confidence " << answer->confidence << ")\n";
  return 0;
}
