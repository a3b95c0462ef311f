// Personal data that free text carries in words rather than in long numbers: street addresses,
// postcodes, dates of birth, national identity numbers and "my name is ..." phrases, in the
// knowledge base's languages (en, es, fr, de, pt, ja, zh, th). Used by the Scrubber, before its
// number scanner (which handles cards, phones and IPs).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace helpmark::tracking {

/// The compiled detectors. Build once (compiling the patterns takes milliseconds) and share:
/// replace() is const and thread-safe.
class PersonalDataPatterns {
 public:
  PersonalDataPatterns();
  ~PersonalDataPatterns();
  PersonalDataPatterns(const PersonalDataPatterns&) = delete;
  PersonalDataPatterns& operator=(const PersonalDataPatterns&) = delete;

  /// `text` with each detected item replaced by <address>, <postcode>, <dob>, <national-id> or
  /// <name>. Throws on an ICU failure (the Scrubber then stores "<redacted>").
  std::string replace(std::string_view text) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// True when an id field's `value` holds a card number (with separators, or glued to letters as
/// in "card4111111111111111"), a phone number written as one (+, spaces, dashes, parentheses),
/// an email or a national id: such a value is personal data, not an opaque id. A bare run of
/// digits that is not a card (a timestamp, an order number) is an id. Defined in scrubber.cpp,
/// beside the number scanner it uses. Thread-safe.
bool id_holds_personal_data(std::string_view value);

}  // namespace helpmark::tracking
