// What a search, an answer and a suggestion request are made of, shared by the subcommands
// (`search`, `answer`, `suggest`) and the HTTP server (`serve`), so that both build the same
// library request from the same parameters and print the same JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "helpmark/answer.hpp"
#include "helpmark/index.hpp"
#include "helpmark/status.hpp"

namespace helpmark::cli {

inline constexpr std::size_t kDefaultSearchLimit = 10;
inline constexpr std::size_t kDefaultSuggestLimit = 8;
inline constexpr std::size_t kMaxSuggestLimit = 50;
inline constexpr std::size_t kDefaultAlternatives = 3;
inline constexpr std::size_t kMaxAlternatives = 50;

struct SearchArgs {
  std::string query;
  std::string locale;
  std::vector<std::string> journeys, subtopics, audiences, tags, statuses, facets;
  std::size_t limit = kDefaultSearchLimit;
  std::size_t offset = 0;
};

struct AnswerArgs {
  std::string question;
  std::string locale;
  std::vector<std::string> audiences, journeys;
  std::optional<double> threshold;  ///< Default: the calibrated threshold stored in the index.
  std::size_t alternatives = kDefaultAlternatives;
};

struct SuggestArgs {
  std::string prefix;
  std::string locale;
  std::size_t limit = kDefaultSuggestLimit;
};

SearchRequest to_search_request(const SearchArgs& args);
AnswerOptions to_answer_options(const AnswerArgs& args);

/// The documented JSON (docs/cli.md, "helpmark search"; docs/search.md, "Answers for chatbots"; docs/serve.md, autocomplete) of a
/// request run against `index`, without a trailing newline; the library's Status on failure.
Result<std::string> search_json(const Index& index, const SearchArgs& args);
Result<std::string> answer_json(const Index& index, const AnswerArgs& args);
Result<std::string> suggest_json(const Index& index, const SuggestArgs& args);

}  // namespace helpmark::cli
