#include "tracking/personal_data.hpp"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <stdexcept>
#include <vector>

namespace helpmark::tracking {
namespace {

std::string digits_only(const icu::UnicodeString& u) {
  std::string utf8, out;
  u.toUTF8String(utf8);
  for (char c : utf8)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

// US social security number: not area 000, 666 or 9xx, group 00 or serial 0000.
bool ssn_ok(const icu::UnicodeString& u) {
  const std::string d = digits_only(u);
  if (d.size() != 9) return false;
  const int area = std::stoi(d.substr(0, 3));
  return area != 0 && area != 666 && area < 900 && d.substr(3, 2) != "00" && d.substr(5) != "0000";
}

// Brazilian CPF: two mod-11 check digits; all-equal digits are invalid.
bool cpf_ok(const icu::UnicodeString& u) {
  const std::string d = digits_only(u);
  if (d.size() != 11 || d.find_first_not_of(d[0]) == std::string::npos) return false;
  for (int check = 9; check <= 10; ++check) {
    int sum = 0;
    for (int i = 0; i < check; ++i) sum += (d[i] - '0') * (check + 1 - i);
    const int digit = (sum * 10) % 11 % 10;
    if (digit != d[check] - '0') return false;
  }
  return true;
}

// Brazilian CNPJ: two mod-11 check digits with weights 5..2,9..2 and 6..2,9..2.
bool cnpj_ok(const icu::UnicodeString& u) {
  const std::string d = digits_only(u);
  if (d.size() != 14 || d.find_first_not_of(d[0]) == std::string::npos) return false;
  static const int kWeights1[] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
  static const int kWeights2[] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
  auto digit = [&](const int* weights, int n) {
    int sum = 0;
    for (int i = 0; i < n; ++i) sum += (d[i] - '0') * weights[i];
    const int r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  return digit(kWeights1, 12) == d[12] - '0' && digit(kWeights2, 13) == d[13] - '0';
}

// Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is a mod-23
// check.
bool dni_ok(const icu::UnicodeString& u) {
  std::string s;
  u.toUTF8String(s);
  std::string compact;
  for (char c : s)
    if (c != '-' && c != ' ' && c != '.') compact += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  if (compact.size() != 9) return false;
  static const char kLetters[] = "TRWAGMYFPDXBNJZSQVHLCKE";
  std::string number = compact.substr(0, 8);
  if (number[0] == 'X') number[0] = '0';
  else if (number[0] == 'Y') number[0] = '1';
  else if (number[0] == 'Z') number[0] = '2';
  for (char c : number)
    if (c < '0' || c > '9') return false;
  return kLetters[std::stol(number) % 23] == compact[8];
}

struct Detector {
  using Check = bool (*)(const icu::UnicodeString&);
  constexpr Detector(const char* placeholder_in, const char* regex_in, int group_in = 0, Check accept_in = nullptr,
                     const char* cues_in = nullptr)
      : placeholder(placeholder_in), regex(regex_in), group(group_in), accept(accept_in), cues(cues_in) {}
  const char* placeholder;
  const char* regex;
  int group;     ///< Capture group replaced (0: the whole match); the text around it is kept.
  Check accept;  ///< Checksum on the group; null when the pattern is enough.
  /// '|'-separated words one of which (ASCII case ignored) must be in the text for the regex to
  /// be worth running; null: the text must hold a digit instead. Most texts pass neither, and
  /// skipping ICU for them keeps recording fast.
  const char* cues;
};

// Cue words of the name detectors, as substrings.
constexpr const char* kLatinNameCues = "name|llamo|nombre|appelle|nom|hei|chamo|nome|called";
constexpr const char* kCjkNameCues = "名前|氏名|我叫|名字|姓名";
constexpr const char* kThaiNameCues = "ชื่อ";

bool has_cue(std::string_view lower_text, std::string_view cues) {
  for (std::size_t start = 0; start <= cues.size();) {
    std::size_t bar = cues.find('|', start);
    if (bar == std::string_view::npos) bar = cues.size();
    if (lower_text.find(cues.substr(start, bar - start)) != std::string_view::npos) return true;
    start = bar + 1;
  }
  return false;
}

// A date as people write one: 1985-03-14, 14/03/1985, 14.3.85, "14 March 1985", "March 14,
// 1985", "14 de marzo de 1985", "14. März 1985", 1985年3月14日, "14 มีนาคม 2528".
#define HM_DATE                                                                                      \
  "(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}|\\d{4}\\s*年\\s*\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日?" \
  "|\\d{1,2}(?:st|nd|rd|th|er|º|\\.)?\\s+(?:de\\s+)?[\\p{L}\\p{M}]{3,}\\.?,?\\s+(?:de\\s+)?\\d{4}"         \
  "|\\p{L}{3,}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})"

const Detector kDetectors[] = {
    // Dates of birth: a date right after a birth cue. Only the date is replaced.
    {"<dob>",
     "(?i)((?:\\bd\\.?o\\.?b\\b\\.?|date of birth|\\bborn\\b(?:\\s+on)?|\\bbirthday\\b(?:\\s+is)?|\\bbirth date\\b"
     "|fecha de nacimiento|\\bnac[ií]d[oa]\\b(?:\\s+el)?|\\bnac[ií]\\b(?:\\s+el)?|cumplea[ñn]os"
     "|date de naissance|\\bn[ée]e?\\b\\s+le|anniversaire"
     "|geburtsdatum|\\bgeboren\\b(?:\\s+am)?|geburtstag(?:\\s+ist)?(?:\\s+am)?"
     "|data de nascimento|\\bnascid[oa]\\b(?:\\s+em)?|\\bnasci\\b(?:\\s+em)?|anivers[áa]rio"
     "|生年月日|誕生日|出生日期|出生于|生日|วันเกิด|เกิดวันที่|เกิดเมื่อ)"
     "\\s*(?:[:：=,-]|\\bis\\b|\\bes\\b|\\best\\b|\\bé\\b|\\bist\\b|\\bwas\\b|は|是|为|คือ)?\\s*)(" HM_DATE ")",
     2},
    // A date before the cue, as German puts it: "am 3. Mai 1990 geboren".
    {"<dob>", "(?i)(" HM_DATE ")(?=\\s+(?:geboren|né|née|nacid[oa]|nascid[oa])\\b)", 1},
    // National ids with checksums.
    {"<national-id>", "\\b(\\d{3}-\\d{2}-\\d{4})\\b", 1, ssn_ok},
    {"<national-id>", "(?<![\\d.])(\\d{3}\\.\\d{3}\\.\\d{3}-?\\d{2})(?![\\d.])", 1, cpf_ok},
    {"<national-id>", "(?<![\\d./])(\\d{2}\\.?\\d{3}\\.?\\d{3}/?\\d{4}-?\\d{2})(?![\\d/])", 1, cnpj_ok},
    {"<national-id>", "(?i)\\b((?:\\d{8}|[XYZ]-?\\d{7})-?[A-Z])\\b", 1, dni_ok},
    {"<national-id>", "(?i)(?:\\b(?:cpf|ssn|dni|nie|nif|social security(?: number)?|n[úu]mero de seguro social)\\b\\s*(?:no\\.?|n[º°]|number|:)?\\s*)([\\d][\\d .-]{6,16}\\d)", 1},
    // Postcodes.
    {"<postcode>", "〒\\s*\\d{3}-?\\d{4}"},
    {"<postcode>", "\\b[A-Z]{1,2}\\d[A-Z\\d]?\\s*\\d[ABD-HJLNP-UW-Z]{2}\\b"},  // UK
    {"<postcode>", "(?<![\\d)]\\s)(?<![\\d)])\\b\\d{5}-\\d{4}\\b"},        // US ZIP+4, not the end of a phone number
    {"<postcode>", "(?i)(?:\\bcep\\b\\s*:?\\s*)?\\b\\d{5}-\\d{3}\\b"},       // BR CEP
    {"<postcode>", "(?i)(?:\\b(?:cep|zip(?: code)?|postcode|post code|postal code|c[óo]digo postal|code postal|cp|plz|postleitzahl|郵便番号|邮编|邮政编码|รหัสไปรษณีย์)\\b\\s*:?\\s*)(\\d{5})\\b", 1},
    // DE/FR/ES: 5 digits, then a city name (capitalised word), after a comma or a street.
    {"<postcode>", "(?:(?<=,)|(?<=,\\s)|(?<=\\d\\s)|(?<=\\d[a-z]\\s))(\\d{5})(?=\\s+\\p{Lu}\\p{Ll}+)", 1},
    {"<postcode>", "\\b(\\d{5})(?=\\s+(?:Berlin|München|Hamburg|Köln|Frankfurt|Stuttgart|Düsseldorf|Leipzig|Dresden|Paris|Lyon|Marseille|Toulouse|Nice|Nantes|Bordeaux|Lille|Madrid|Barcelona|Valencia|Sevilla|Bilbao|Málaga|Zaragoza)\\b)", 1},
    // Street addresses: number + street word (en), street word + name + number (es, fr, pt, de).
    {"<address>",
     "(?i)\\b\\d{1,5}[A-Z]?,?\\s+(?:[\\p{L}'.-]+\\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|close|crescent|square|parkway|pkwy|highway|hwy)\\b\\.?"},
    {"<address>",
     "(?i)\\b(?:calle|c/|avenida|avda\\.?|av\\.|plaza|paseo|carrera|camino|rua|r\\.|travessa|alameda|praça|estrada|rue|boulevard|bd|all[ée]e|chemin|impasse|quai|place|avenue)\\s+(?:(?:de|del|la|las|los|da|do|dos|das|du|des|de la|l')\\s*)?(?:[\\p{L}'.-]+\\s+){0,3}[\\p{L}'.-]+,?\\s+(?:n[º°o]\\.?\\s*)?\\d{1,5}[A-Za-z]?\\b"},
    {"<address>", "\\b\\d{1,4}(?:\\s*(?:bis|ter))?,?\\s+(?:rue|avenue|boulevard|bd|all[ée]e|chemin|impasse|quai|place)\\s+(?:[\\p{L}'.-]+\\s*){1,4}"},
    {"<address>", "(?i)\\b[\\p{L}-]*(?:straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm)\\s+\\d{1,4}[a-z]?\\b"},
    {"<address>", "\\p{Han}{0,6}\\d+\\s*丁目\\s*\\d+\\s*(?:番地?|-)\\s*\\d+\\s*号?"},
    {"<address>", "\\p{Han}{1,6}(?:路|街|道|巷|弄)\\s*\\d+\\s*号(?:\\s*\\d+\\s*(?:室|楼|號))?"},
    {"<address>", "(?:บ้านเลขที่\\s*)?\\d{1,4}(?:/\\d{1,4})?\\s*(?:หมู่(?:ที่)?\\s*\\d+\\s*)?(?:ซอย|ซ\\.|ถนน|ถ\\.)\\s*\\S+"},
    {"<address>", "บ้านเลขที่\\s*\\d{1,4}(?:/\\d{1,4})?"},
    // Names after "my name is" and "name:" in each language. The cue stays.
    {"<name>",
     "(?i)((?:\\bmy name is|\\bmy name's|\\bi am called|\\bname\\s*:|\\bfull name\\s*:|\\bme llamo|\\bmi nombre es|\\bnombre\\s*:"
     "|\\bje m'appelle|\\bje m’appelle|\\bmon nom est|\\bnom\\s*:|\\bich hei(?:ß|ss)e|\\bmein name ist|\\bname ist"
     "|\\bmeu nome é|\\bme chamo|\\bnome\\s*:)\\s*)((?-i:\\p{Lu}[\\p{L}'’-]+)(?:\\s+(?-i:\\p{Lu}[\\p{L}'’-]+|de|da|do|dos|van|von|del|la|le)){0,3})",
     2, nullptr, kLatinNameCues},
    {"<name>", "((?:私の名前は|わたしの名前は|名前は|名前[:：]|氏名[:：]?|我叫|我的名字是|我的名字叫|姓名[:：]?|名字[:：]))\\s*(\\p{L}{1,6}(?:\\s\\p{L}{1,6})?)", 2, nullptr, kCjkNameCues},
    {"<name>", "((?:ฉันชื่อ|ผมชื่อ|ดิฉันชื่อ|ชื่อของฉันคือ|ชื่อ[:：]))\\s*(\\p{Thai}+(?:\\s+\\p{Thai}+)?)", 2, nullptr, kThaiNameCues},
};

}  // namespace

class PersonalDataPatterns::Impl {
 public:
  struct Compiled {
    const Detector* detector;
    std::unique_ptr<icu::RegexPattern> pattern;
  };
  std::vector<Compiled> compiled;
};

PersonalDataPatterns::PersonalDataPatterns() : impl_(std::make_unique<Impl>()) {
  for (const Detector& d : kDetectors) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError where{};
    std::unique_ptr<icu::RegexPattern> p(
        icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(d.regex), UREGEX_UWORD, where, status));
    if (U_FAILURE(status))
      throw std::logic_error(std::string("personal data pattern does not compile: ") + u_errorName(status) +
                             " at offset " + std::to_string(where.offset) + " of " + d.regex);
    impl_->compiled.push_back({&d, std::move(p)});
  }
}

PersonalDataPatterns::~PersonalDataPatterns() = default;

std::string PersonalDataPatterns::replace(std::string_view text) const {
  std::string lower(text);
  bool has_digit = false;
  for (char& ch : lower) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    has_digit = has_digit || (ch >= '0' && ch <= '9');
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  for (const auto& c : impl_->compiled) {
    if (c.detector->cues ? !has_cue(lower, c.detector->cues) : !has_digit) continue;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(c.pattern->matcher(u, status));
    if (U_FAILURE(status)) throw std::runtime_error("regex matcher");
    m->setTimeLimit(200, status);
    icu::UnicodeString out;
    int32_t copied = 0;
    const int group = c.detector->group;
    while (m->find(status) && U_SUCCESS(status)) {
      const int32_t begin = m->start(group, status), end = m->end(group, status);
      if (U_FAILURE(status) || begin < 0 || begin < copied) continue;
      if (c.detector->accept && !c.detector->accept(u.tempSubStringBetween(begin, end))) continue;
      out.append(u, copied, begin - copied);
      out.append(icu::UnicodeString::fromUTF8(c.detector->placeholder));
      copied = end;
    }
    if (U_FAILURE(status)) throw std::runtime_error(std::string("regex: ") + u_errorName(status));
    out.append(u, copied, u.length() - copied);
    u = out;
  }
  std::string result;
  u.toUTF8String(result);
  return result;
}

}  // namespace helpmark::tracking
