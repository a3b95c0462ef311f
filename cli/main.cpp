// helpmark: the command-line interface.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands/commands.hpp"
#include "help/usage_error.hpp"
#include "output.hpp"

#ifndef HELPMARK_VERSION
#define HELPMARK_VERSION "0.0.0"
#endif

namespace {

// Xapian 1.4 calls std::terminate when a write fails inside a commit (a disk filling up at
// that moment): say what happened and exit 1 instead of dumping core. Nothing half-written is
// visible: the index's previous revision stays the current one.
[[noreturn]] void on_terminate() {
  const char* what = "an error inside a library";
  if (std::exception_ptr failure = std::current_exception()) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "helpmark: fatal error: %s\n", e.what());
      what = nullptr;
    } catch (...) {
    }
  }
  if (what) std::fprintf(stderr, "helpmark: fatal error: %s\n", what);
  std::fprintf(stderr, "helpmark: stopped; an index being written keeps its previous revision "
                       "(is the disk full?)\n");
  ::_exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace helpmark::cli;
  std::set_terminate(on_terminate);
  CLI::App app{
      "helpmark turns a folder of Markdown help articles into a fast, multilingual help-center "
      "search.\n\nTypical use:\n"
      "  helpmark index articles --taxonomy taxonomy     # build or update the index\n"
      "  helpmark search \"refund late\" --locale en       # search it\n"
      "  helpmark validate articles                      # lint articles without indexing\n"
      "  helpmark serve                                  # HTTP API and demo help center\n",
      "helpmark"};
  app.set_version_flag("--version", "helpmark " HELPMARK_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  int exit_code = kExitOk;
  register_index(app, exit_code);
  register_search(app, exit_code);
  register_show(app, exit_code);
  register_validate(app, exit_code);
  register_answer(app, exit_code);
  register_suggest(app, exit_code);
  register_eval(app, exit_code);
  register_calibrate(app, exit_code);
  register_audit(app, exit_code);
  register_track(app, exit_code);
  register_report(app, exit_code);
  register_serve(app, exit_code);
  register_learn(app, exit_code);
  register_completion(app, exit_code);
  register_manpage(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report_usage_error(app, std::vector<std::string>(argv + 1, argv + argc), e);
  } catch (const std::exception& e) {
    std::cerr << "helpmark: internal error: " << e.what() << "\n";
    return kExitError;
  }
  return exit_code;
}
