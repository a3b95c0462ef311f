// One register function per subcommand (one file each); each adds its subcommand to `app` and
// stores its exit code in `exit_code` when it runs.
#pragma once

#include <CLI/CLI.hpp>

namespace helpmark::cli {

void register_index(CLI::App& app, int& exit_code);
void register_search(CLI::App& app, int& exit_code);
void register_show(CLI::App& app, int& exit_code);
void register_validate(CLI::App& app, int& exit_code);
void register_answer(CLI::App& app, int& exit_code);
void register_suggest(CLI::App& app, int& exit_code);
void register_eval(CLI::App& app, int& exit_code);
void register_calibrate(CLI::App& app, int& exit_code);
void register_audit(CLI::App& app, int& exit_code);
void register_track(CLI::App& app, int& exit_code);
void register_report(CLI::App& app, int& exit_code);
void register_serve(CLI::App& app, int& exit_code);
void register_learn(CLI::App& app, int& exit_code);
// These two write from the whole definition under `app` (as it is when they run).
void register_completion(CLI::App& app, int& exit_code);
void register_manpage(CLI::App& app, int& exit_code);

}  // namespace helpmark::cli
