#include "help/cli_tree.hpp"

namespace helpmark::cli {

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

std::vector<const CLI::Option*> visible_options(const CLI::App& app) {
  return app.get_options(
      [](const CLI::Option* option) { return option->nonpositional() && !option->get_group().empty(); });
}

std::vector<const CLI::Option*> positionals(const CLI::App& app) {
  return app.get_options([](const CLI::Option* option) { return !option->nonpositional(); });
}

bool takes_value(const CLI::Option& option) { return option.get_type_size_max() > 0; }

std::vector<std::string> choices_of(const CLI::Option& option) {
  // CLI11 describes an IsMember check as "{a,b,c}" in the type name ("TEXT:{a,b,c}").
  const std::string type = option.get_type_name();
  const auto open = type.find(":{");
  const auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> out;
  std::string current;
  for (char c : type.substr(open + 2, close - open - 2)) {
    if (c == ',') {
      out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(std::move(current));
  return out;
}

std::string value_name(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  return type.substr(0, type.find(':'));
}

std::vector<std::string> option_names(const CLI::Option& option) {
  std::vector<std::string> out;
  for (const auto& name : option.get_lnames()) out.push_back("--" + name);
  for (const auto& name : option.get_snames()) out.push_back("-" + name);
  return out;
}

std::string command_path(const CLI::App& app) {
  const CLI::App* parent = app.get_parent();
  return parent ? command_path(*parent) + " " + app.get_name() : app.get_name();
}

std::string command_slug(const CLI::App& app) {
  std::string slug = command_path(app);
  for (char& c : slug)
    if (c == ' ') c = '-';
  return slug;
}

std::string summary_of(const CLI::App& app) {
  // Descriptions are wrapped for --help: a newline inside the sentence is a space; a blank line
  // or an indented line (the examples) ends it too.
  const std::string& text = app.get_description();
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\n';
    if (c == '.' && (next == ' ' || next == '\n')) break;
    if (c == '\n') {
      if (next == '\n' || next == ' ') break;
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

const CLI::App* find_subcommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->check_name(name)) return sub;
  return nullptr;
}

const CLI::Option* find_option(const CLI::App& app, const std::string& name) {
  for (const CLI::Option* option : app.get_options())
    if (option->nonpositional() && option->check_name(name)) return option;
  return nullptr;
}

}  // namespace helpmark::cli
