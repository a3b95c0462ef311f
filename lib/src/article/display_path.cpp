#include "helpmark/display_path.hpp"

namespace helpmark {

std::string path_prefix_of(const std::filesystem::path& dir) {
  std::string text = dir.generic_string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  if (text.empty() || text == ".") return {};
  return text.back() == '/' ? text : text + "/";  // "/" stays "/"
}

void show_paths_from_working_dir(const std::filesystem::path& dir, std::vector<Diagnostic>& diagnostics) {
  const std::string prefix = path_prefix_of(dir);
  for (auto& d : diagnostics) d.path = prefix + d.path;
}

}  // namespace helpmark
