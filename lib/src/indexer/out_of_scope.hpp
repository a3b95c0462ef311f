// The shipped out-of-scope questions: small talk and off-topic requests no help article
// answers, per language (lib/data/out-of-scope/, compiled in). Negatives for fitting the answer
// model when indexing.
#pragma once

#include <string_view>

namespace helpmark {

/// One question a line, for a primary language subtag ("pt" for pt-BR); empty when none ship.
std::string_view out_of_scope_questions(std::string_view language);

}  // namespace helpmark
