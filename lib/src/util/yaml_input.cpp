#include "util/yaml_input.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <string>

namespace helpmark::yaml_input {
namespace {

/// Walks the parser's events before the tree is built; throws at the first anchor or alias.
class AliasRefuser : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { check(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { refuse(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    check(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    check(mark, anchor);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    check(mark, anchor);
  }
  void OnMapEnd() override {}
  void OnAnchor(const YAML::Mark& mark, const std::string&) override { refuse(mark); }

 private:
  static void check(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) refuse(mark);
  }
  [[noreturn]] static void refuse(const YAML::Mark& mark) {
    throw YAML::ParserException(mark, "anchors and aliases (&name, *name) are not allowed; write the value out");
  }
};

}  // namespace

YAML::Node load(std::string_view yaml) {
  if (const std::size_t nul = yaml.find('\0'); nul != std::string_view::npos) {
    YAML::Mark mark;
    mark.pos = static_cast<int>(nul);
    mark.line = 0;
    for (std::size_t i = 0; i < nul; ++i) mark.line += yaml[i] == '\n';
    mark.column = static_cast<int>(nul - (yaml.rfind('\n', nul) == std::string_view::npos ? 0 : yaml.rfind('\n', nul) + 1));
    throw YAML::ParserException(mark, "NUL byte (\\0) on this line; remove it");
  }
  std::string text(yaml);
  {
    std::istringstream in(text);
    YAML::Parser parser(in);
    AliasRefuser refuser;
    // The first document only, as YAML::Load reads: looping over documents never ends on some
    // inputs with control characters (found by fuzz_article).
    parser.HandleNextDocument(refuser);
  }
  return YAML::Load(text);
}

}  // namespace helpmark::yaml_input
