#include "requests.hpp"

#include "helpmark/json.hpp"

namespace helpmark::cli {

SearchRequest to_search_request(const SearchArgs& args) {
  SearchRequest request;
  request.query = args.query;
  request.locale = args.locale;
  request.filters.journeys = args.journeys;
  request.filters.subtopics = args.subtopics;
  request.filters.audiences = args.audiences;
  request.filters.tags = args.tags;
  request.filters.statuses = args.statuses;
  request.facets = args.facets;
  request.limit = args.limit;
  request.offset = args.offset;
  return request;
}

AnswerOptions to_answer_options(const AnswerArgs& args) {
  AnswerOptions options;
  options.threshold = args.threshold;
  options.alternatives = args.alternatives;
  options.filters.audiences = args.audiences;
  options.filters.journeys = args.journeys;
  return options;
}

Result<std::string> search_json(const Index& index, const SearchArgs& args) {
  const SearchRequest request = to_search_request(args);
  auto response = index.search(request);
  if (!response.ok()) return response.status();
  return json::search_response(request, response.value());
}

Result<std::string> answer_json(const Index& index, const AnswerArgs& args) {
  auto answer = index.answer(args.question, args.locale, to_answer_options(args));
  if (!answer.ok()) return answer.status();
  return json::answer(args.question, answer.value());
}

Result<std::string> suggest_json(const Index& index, const SuggestArgs& args) {
  auto list = index.suggest(args.prefix, args.locale, args.limit);
  if (!list.ok()) return list.status();
  return json::suggestions(args.prefix, list.value());
}

}  // namespace helpmark::cli
