// helpmark answer: what a chatbot gets for a customer's question.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "commands/commands.hpp"
#include "helpmark/answer.hpp"
#include "output.hpp"
#include "requests.hpp"

namespace helpmark::cli {
namespace {

struct AnswerCommand {
  AnswerArgs args;
  std::string index = default_index_dir();
  double threshold = -1;  ///< -1: not given.
  bool json = false;
};

int run_answer(AnswerCommand cmd) {
  auto index = Index::open(cmd.index);
  if (!index.ok()) return report_error(index.status(), cmd.json);
  if (cmd.threshold >= 0) cmd.args.threshold = cmd.threshold;
  if (cmd.json) {
    auto text = answer_json(index.value(), cmd.args);
    if (!text.ok()) return report_error(text.status(), cmd.json);
    std::cout << text.value() << "\n";
    return kExitOk;
  }
  auto a = index->answer(cmd.args.question, cmd.args.locale, to_answer_options(cmd.args));
  if (!a.ok()) return report_error(a.status(), cmd.json);
  const Answer& r = a.value();
  if (!r.found) {
    std::printf("No article matches. Escalate to a human.\n");
    return kExitOk;
  }
  std::printf("%s (confidence %.2f, threshold %.2f)\n\n", r.escalate ? "ESCALATE to a human" : "ANSWER",
              r.confidence, r.threshold);
  std::printf("%s  [%s, %s]\n%s\n", r.title.c_str(), r.id.c_str(), r.locale.c_str(), r.summary.c_str());
  if (!r.steps_markdown.empty()) std::printf("\nSteps:\n%s\n", r.steps_markdown.c_str());
  if (!r.troubleshooting_markdown.empty()) std::printf("\nTroubleshooting:\n%s\n", r.troubleshooting_markdown.c_str());
  std::printf("\nLink: %s\n", r.link.c_str());
  if (!r.alternatives.empty()) {
    std::printf("\nAlternatives:\n");
    for (const auto& c : r.alternatives) std::printf("  %.2f  %s  [%s]\n", c.confidence, c.title.c_str(), c.id.c_str());
  }
  const auto& e = r.explanation;
  std::printf("\nWhy: matched");
  for (const auto& t : e.matched_terms) std::printf(" %s", t.c_str());
  if (!e.unmatched_terms.empty()) {
    std::printf("; not matched");
    for (const auto& t : e.unmatched_terms) std::printf(" %s", t.c_str());
  }
  for (const auto& c : e.corrections) std::printf("; corrected %s -> %s", c.from.c_str(), c.to.c_str());
  for (const auto& s : e.synonyms) std::printf("; synonym %s", s.phrase.c_str());
  std::printf("\n");
  return kExitOk;
}

}  // namespace

void register_answer(CLI::App& app, int& exit_code) {
  auto cmd = std::make_shared<AnswerCommand>();
  CLI::App* sub = app.add_subcommand(
      "answer",
      "Answer a customer's question the way a chatbot would: the best article, its steps and\n"
      "troubleshooting, a calibrated confidence, and ESCALATE when confidence is below the\n"
      "threshold (hand the customer to a human).\n"
      "  helpmark answer \"i was charged twice for my order\"\n"
      "  helpmark answer \"wo ist meine rückerstattung\" --locale de --json");
  sub->add_option("question", cmd->args.question, "The customer's question")->required();
  sub->add_option("--index", cmd->index, "Index directory")->capture_default_str();
  sub->add_option("--locale", cmd->args.locale, "The customer's locale (BCP 47)");
  sub->add_option("--audience", cmd->args.audiences, "Only articles for buyer, seller or partner")->delimiter(',');
  sub->add_option("--journey", cmd->args.journeys, "Only these journeys")->delimiter(',');
  sub->add_option("--threshold", cmd->threshold, "Escalate below this confidence (default: calibrated value in the index)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            // CLI::Range lets "nan" through: every comparison with NaN is false.
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end != '\0' || !(v >= 0.0 && v <= 1.0))
              return "--threshold must be a number from 0 to 1, not '" + text + "'";
            return {};
          },
          "NUMBER in [0, 1]"));
  sub->add_option("--alternatives", cmd->args.alternatives, "Other candidates to list")->capture_default_str()->check(CLI::Range(0, 50));
  sub->add_flag("--json", cmd->json, "Print one JSON object (schema in docs/tracking.md)");
  sub->callback([cmd, &exit_code] { exit_code = run_answer(*cmd); });
}

}  // namespace helpmark::cli
