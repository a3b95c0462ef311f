// BCP 47 language tags as helpmark accepts them: well-formed, in canonical case.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace helpmark::locale_tag {

/// Longest tag accepted in a request (BCP 47 recommends supporting 35 characters).
inline constexpr std::size_t kMaxRequestTagBytes = 35;

/// True for a language subtag of 2-3 letters, then any number of '-' and 2-8 letters or digits.
bool is_well_formed(std::string_view tag);

/// The tag in BCP 47's canonical case ("PT-br" -> "pt-BR", "zh-hant-tw" -> "zh-Hant-TW"):
/// language lower case, a 4-letter script in title case, a 2-letter region upper case, the rest
/// lower case. nullopt when the tag is not well-formed. Thread-safe.
std::optional<std::string> canonical(std::string_view tag);

}  // namespace helpmark::locale_tag
