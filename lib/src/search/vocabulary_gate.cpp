// Index::in_vocabulary: is a text made only of words the articles use? (docs/tracking.md, "What is stored, and what is not".)
#include <xapian.h>

#include <vector>

#include "helpmark/index.hpp"
#include "index/schema.hpp"
#include "search/index_impl.hpp"

namespace helpmark {

Result<bool> Index::in_vocabulary(std::string_view text, const std::string& locale) const {
  std::string canonical = locale;
  if (Status s = canonicalise_locale(canonical); !s.ok()) return s;
  try {
    auto handle = impl_->lease();
    auto snapshot = impl_->snapshot();
    analysis::Analyzer& analyzer =
        impl_->analyzer(*handle, *snapshot, canonical.empty() ? snapshot->default_locale : canonical);
    std::vector<analysis::Token> tokens;
    analyzer.tokenize(text, tokens);
    std::vector<std::string> stems;
    const std::string prefix(schema::kStem);
    for (const auto& token : tokens) {
      if (token.stopword) continue;
      stems.clear();
      analyzer.stems(token, stems);
      bool known = false;
      for (const auto& stem : stems) known = known || handle->db.term_exists(prefix + stem);
      if (!known) return false;
    }
    return true;
  } catch (const Xapian::Error& e) {
    return Status(ErrorCode::kIoError, "index error: " + e.get_description());
  }
}

}  // namespace helpmark
