// Effectiveness needs per-article metrics from a tracking store; this build has none yet.
#include "audit/audit_internal.hpp"

namespace helpmark::audit {

bool check_effectiveness(Context&, std::string& error) {
  error = "effectiveness checks need tracking support, which this build does not have";
  return false;
}

}  // namespace helpmark::audit
