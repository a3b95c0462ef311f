// Personal-data scrubbing for free text (queries, bot questions, feedback reasons).
//
// The built-in detectors are hand-written scanners rather than regular expressions: they need
// checks a regex cannot do (Luhn for cards, mod-97 for IBANs, dates and amounts that look like
// phone numbers), and they must not be fooled by text without spaces (Japanese, Chinese, Thai).
#include <unicode/regex.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "helpmark/tracking.hpp"
#include "tracking/personal_data.hpp"
#include "util/text.hpp"
#include "util/yaml_input.hpp"

namespace helpmark::tracking {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_word_byte(char c) { return is_alnum(c) || c == '_'; }

// U+FF01..U+FF5E (full-width ASCII, EF BC 81..EF BD 9E) become ASCII; U+3000 becomes a space.
std::string fold_fullwidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 == 0xEF && i + 2 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
      unsigned cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        out += static_cast<char>(cp - 0xFF01 + 0x21);
        i += 3;
        continue;
      }
    }
    if (b0 == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x80) {
      out += ' ';
      i += 3;
      continue;
    }
    out += s[i++];
  }
  return out;
}

// ---- email ----------------------------------------------------------------------------------

bool is_local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

std::string replace_emails(const std::string& s) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = s.find('@'); at != std::string::npos; at = s.find('@', at + 1)) {
    if (at < copied) continue;
    std::size_t start = at;
    while (start > copied && is_local_char(s[start - 1])) --start;
    while (start < at && s[start] == '.') ++start;
    if (start == at) continue;
    // Domain: labels of letters, digits and '-', separated by single dots; TLD of letters.
    std::size_t end = at + 1, last_label_start = end, dots = 0, good_end = 0;
    while (true) {
      std::size_t label_start = end;
      while (end < s.size() && (is_alnum(s[end]) || s[end] == '-')) ++end;
      if (end == label_start) break;
      last_label_start = label_start;
      bool tld_ok = end - label_start >= 2;
      for (std::size_t k = label_start; k < end && tld_ok; ++k) tld_ok = is_alpha(s[k]);
      if (dots > 0 && tld_ok) good_end = end;
      if (end < s.size() && s[end] == '.' && end + 1 < s.size() && is_alnum(s[end + 1])) {
        ++dots;
        ++end;
        continue;
      }
      break;
    }
    (void)last_label_start;
    if (!good_end) continue;
    out.append(s, copied, start - copied);
    out += "<email>";
    copied = good_end;
    at = good_end - 1;
  }
  out.append(s, copied, std::string::npos);
  return out;
}

// ---- IBAN -----------------------------------------------------------------------------------

// IBAN length per country (SWIFT IBAN registry). Knowing the length keeps the words after an
// IBAN out of it: "ES91 2100 0418 4502 0005 1332 por favor" would otherwise have a 1-in-97
// chance of passing the check with "PORFAVOR" appended.
std::size_t iban_length(std::string_view country) {
  static const std::pair<const char*, std::size_t> kLengths[] = {
      {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
      {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
      {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
      {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
      {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
      {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27},
      {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15},
      {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
      {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
      {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}};
  for (const auto& [code, length] : kLengths)
    if (country == code) return length;
  return 0;
}

bool iban_checksum_ok(const std::string& compact) {
  if (compact.size() < 15 || compact.size() > 34) return false;
  if (compact.size() != iban_length(std::string_view(compact).substr(0, 2))) return false;
  std::string rearranged = compact.substr(4) + compact.substr(0, 4);
  unsigned remainder = 0;
  for (char c : rearranged) {
    if (is_digit(c)) {
      remainder = (remainder * 10 + static_cast<unsigned>(c - '0')) % 97;
    } else {
      const unsigned v = static_cast<unsigned>(c - 'A' + 10);
      remainder = (remainder * 100 + v) % 97;
    }
  }
  return remainder == 1;
}

std::string replace_ibans(const std::string& s) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    if (!is_alpha(s[i]) || (i > 0 && is_word_byte(s[i - 1]))) continue;
    if (!is_alpha(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 3])) continue;
    // Collect alphanumerics, allowing single spaces between groups (the printed form).
    std::string compact;
    std::vector<std::pair<std::size_t, std::size_t>> ends;  // (byte end, compact length)
    std::size_t j = i;
    while (j < s.size() && compact.size() < 34) {
      if (is_alnum(s[j])) {
        compact += static_cast<char>(s[j] >= 'a' && s[j] <= 'z' ? s[j] - 'a' + 'A' : s[j]);
        ++j;
        if (j >= s.size() || !is_alnum(s[j])) ends.emplace_back(j, compact.size());
      } else if (s[j] == ' ' && j + 1 < s.size() && is_alnum(s[j + 1]) && j > i) {
        ++j;
      } else {
        break;
      }
    }
    if (j < s.size() && is_alnum(s[j]) && compact.size() >= 34) {
      // 34 characters and still going: only group boundaries already seen can end it.
    }
    for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
      if (it->second < 15) break;
      if (iban_checksum_ok(compact.substr(0, it->second))) {
        out.append(s, copied, i - copied);
        out += "<iban>";
        copied = it->first;
        i = it->first - 1;
        break;
      }
    }
  }
  out.append(s, copied, std::string::npos);
  return out;
}

// ---- numbers: cards, IP addresses, phones ----------------------------------------------------

// Length in bytes of a separator unit at s[i] inside a number, or 0.
std::size_t separator_unit(const std::string& s, std::size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') return 1;
  const auto b0 = static_cast<unsigned char>(c);
  if (b0 == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;  // NBSP
  if (i + 2 < s.size()) {
    const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
    if (b0 == 0xE2 && b1 == 0x80 && ((b2 >= 0x90 && b2 <= 0x95) || b2 == 0xAF)) return 3;  // dashes, NNBSP
    if (b0 == 0xE2 && b1 == 0x88 && b2 == 0x92) return 3;  // minus sign
    if (b0 == 0xE3 && b1 == 0x83 && b2 == 0xBC) return 3;  // katakana long vowel mark used as a dash
  }
  return 0;
}

struct NumberRun {
  std::size_t begin = 0;  ///< Including a leading '+' or '('.
  std::size_t end = 0;    ///< After the last digit.
  bool plus = false;
  std::vector<std::pair<std::size_t, std::size_t>> groups;  ///< Digit groups [begin, end).
  std::vector<std::string> seps;  ///< Separator text between consecutive groups.
};

bool luhn_ok(const std::string& digits) {
  int sum = 0;
  bool dbl = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

// A card number: passes Luhn, and its length fits an issuer prefix (Visa 4..., Mastercard 2/5...,
// Amex 34/37, Diners 30/36/38, Discover and UnionPay 6...), so a Luhn-valid 13-digit phone number
// is still a phone number.
bool is_card_number(const std::string& d) {
  if (d.size() < 13 || d.size() > 19 || !luhn_ok(d)) return false;
  const char first = d[0];
  const std::string two = d.substr(0, 2);
  if (first < '2' || first > '6') return false;
  if (d.size() == 13) return first == '4';
  if (d.size() == 14) return two == "30" || two == "36" || two == "38";
  if (d.size() == 15) return two == "34" || two == "37";
  return true;
}

std::string digits_of(const std::string& s, const NumberRun& run, std::size_t g0, std::size_t g1) {
  std::string d;
  for (std::size_t g = g0; g < g1; ++g) d.append(s, run.groups[g].first, run.groups[g].second - run.groups[g].first);
  return d;
}

bool all_seps(const NumberRun& run, const char* allowed) {
  for (const auto& sep : run.seps)
    if (sep.size() != 1 || std::string_view(allowed).find(sep[0]) == std::string_view::npos) return false;
  return true;
}

std::size_t group_len(const NumberRun& run, std::size_t g) { return run.groups[g].second - run.groups[g].first; }

bool is_date(const NumberRun& run) {
  if (run.groups.size() != 3 || run.plus || !all_seps(run, "-/.")) return false;
  if (run.seps[0] != run.seps[1]) return false;
  const auto a = group_len(run, 0), b = group_len(run, 1), c = group_len(run, 2);
  return (a == 4 && b <= 2 && c <= 2) || (a <= 2 && b <= 2 && (c == 2 || c == 4));
}

bool is_ipv4(const std::string& s, const NumberRun& run) {
  if (run.groups.size() != 4 || run.plus || !all_seps(run, ".")) return false;
  for (std::size_t g = 0; g < 4; ++g) {
    if (group_len(run, g) > 3) return false;
    if (std::stoi(s.substr(run.groups[g].first, group_len(run, g))) > 255) return false;
  }
  return true;
}

// 1.234.567 or 12.500.000: thousands separators, an amount rather than a phone number.
bool is_amount(const NumberRun& run) {
  if (run.groups.size() < 2 || run.plus || !all_seps(run, ".")) return false;
  if (group_len(run, 0) > 3) return false;
  for (std::size_t g = 1; g < run.groups.size(); ++g)
    if (group_len(run, g) != 3) return false;
  return true;
}

// A number right after an order, invoice or tracking word ("order 12345678", "注文12345678",
// "invoice 2023-000451") or after a code prefix ("ORD-2024-88731") is a reference, not a phone
// number. Cards are still checked first.
bool after_reference_word(const std::string& s, std::size_t begin) {
  std::size_t k = begin;
  if (k > 0 && s[k - 1] == '-') {  // "ORD-2024...": letters then '-' glued to the number
    std::size_t letters = k - 1;
    while (letters > 0 && is_alpha(s[letters - 1])) --letters;
    if (letters < k - 1 && (letters == 0 || !is_word_byte(s[letters - 1]))) return true;
  }
  while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '#' || s[k - 1] == ':' || s[k - 1] == '.')) --k;
  if (k >= 2 && (s.compare(k - 2, 2, "no") == 0 || s.compare(k - 2, 2, "No") == 0)) {
    k -= 2;
    while (k > 0 && s[k - 1] == ' ') --k;
  }
  static const char* const kWords[] = {
      "order", "orders", "invoice", "ticket", "tracking", "reference", "ref", "pedido", "factura", "commande",
      "facture", "bestellung", "rechnung", "sendungsnummer", "nota fiscal", "注文", "注文番号", "订单", "订单号",
      "发票", "請求書", "คำสั่งซื้อ", "ใบแจ้งหนี้", "เลขพัสดุ"};
  std::string before = s.substr(0, k);
  for (char& c : before)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (const char* word : kWords) {
    const std::string_view w(word);
    if (before.size() < w.size() || before.compare(before.size() - w.size(), w.size(), w) != 0) continue;
    const std::size_t start = before.size() - w.size();
    if (start == 0 || !is_word_byte(before[start - 1])) return true;
  }
  return false;
}

// The letters just before `at` make a word (no digit in it): "card" in "card4111...", not the
// "AB12" of a product code.
bool glued_to_word(const std::string& s, std::size_t at) {
  std::size_t k = at;
  while (k > 0 && is_word_byte(s[k - 1])) {
    if (is_digit(s[k - 1])) return false;
    --k;
  }
  return k < at;
}

std::string replace_numbers(const std::string& s) {
  std::string out;
  std::size_t copied = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const bool opener = (s[i] == '+' || s[i] == '(') && i + 1 < s.size() &&
                        (is_digit(s[i + 1]) || (s[i + 1] == '(' && i + 2 < s.size() && is_digit(s[i + 2])));
    if (!is_digit(s[i]) && !opener) {
      ++i;
      continue;
    }
    NumberRun run;
    run.begin = i;
    const bool glued_left = i > 0 && is_word_byte(s[i - 1]);
    std::size_t j = i;
    if (s[j] == '+') run.plus = true, ++j;
    if (s[j] == '(') ++j;
    while (true) {
      std::size_t g = j;
      while (j < s.size() && is_digit(s[j])) ++j;
      run.groups.emplace_back(g, j);
      // Up to three separator units ("-", ") ", " - "), then another digit group.
      std::size_t k = j, units = 0, non_space = 0;
      while (k < s.size() && units < 3) {
        const std::size_t len = separator_unit(s, k);
        if (!len) break;
        if (s[k] != ' ') ++non_space;
        k += len;
        ++units;
      }
      if (units == 0 || non_space > 2 || k >= s.size() || !is_digit(s[k])) break;
      run.seps.push_back(s.substr(j, k - j));
      j = k;
    }
    run.end = j;
    i = j;
    const bool glued_right = run.end < s.size() && is_word_byte(s[run.end]);
    if (glued_left && !glued_right && run.groups.size() == 1 && glued_to_word(s, run.begin) &&
        is_card_number(digits_of(s, run, 0, 1))) {
      // "card4111111111111111": a word glued to a card number hides nothing.
      out.append(s, copied, run.begin - copied);
      out += "<card>";
      copied = run.end;
      continue;
    }
    if (glued_left || glued_right) continue;  // part of a code like "AB12345678" or "v1.2.3"

    const std::string all = digits_of(s, run, 0, run.groups.size());
    std::string replacement;
    std::size_t rep_begin = run.begin, rep_end = run.end;
    if (is_ipv4(s, run)) {
      replacement = "<ip>";
    } else if (is_date(run) || is_amount(run)) {
      continue;
    } else {
      // A card: the whole run, or the longest window of groups, with 13-19 digits passing Luhn.
      // A leading '+' or '(' is how phone numbers are written, never card numbers.
      const bool card_seps = (all_seps(run, " -") || all_seps(run, ".")) && !run.plus && s[run.begin] != '(';
      for (std::size_t len = run.groups.size(); len >= 1 && replacement.empty() && card_seps; --len) {
        for (std::size_t g0 = 0; g0 + len <= run.groups.size(); ++g0) {
          const std::string d = digits_of(s, run, g0, g0 + len);
          if (!is_card_number(d)) continue;
          replacement = "<card>";
          rep_begin = g0 == 0 ? run.begin : run.groups[g0].first;
          rep_end = run.groups[g0 + len - 1].second;
          break;
        }
      }
      if (replacement.empty() && all.size() >= 7 && all.size() <= 15 && !(!run.plus && after_reference_word(s, run.begin)))
        replacement = "<phone>";
    }
    if (replacement.empty()) continue;
    out.append(s, copied, rep_begin - copied);
    out += replacement;
    copied = rep_end;
  }
  out.append(s, copied, std::string::npos);
  return out;
}

bool valid_pattern_name(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

class Scrubber::Impl {
 public:
  struct Compiled {
    icu::UnicodeString placeholder;
    std::unique_ptr<icu::RegexPattern> pattern;
  };
  std::vector<Compiled> patterns;

  std::string scrub(std::string_view text) const {
    std::string s = fold_fullwidth(text);
    s = replace_emails(s);
    if (!patterns.empty()) {
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
      for (const auto& p : patterns) {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::RegexMatcher> m(p.pattern->matcher(u, status));
        if (U_FAILURE(status)) return "<redacted>";
        // A pathological pattern must not stall a web worker; failing closed keeps privacy.
        m->setTimeLimit(200, status);
        icu::UnicodeString replaced = m->replaceAll(p.placeholder, status);
        if (U_FAILURE(status)) return "<redacted>";
        u = replaced;
      }
      s.clear();
      u.toUTF8String(s);
    }
    s = personal_data().replace(s);
    s = replace_ibans(s);
    s = replace_numbers(s);
    return s;
  }

  /// Compiled once per process, shared by every Scrubber (replace() is thread-safe).
  static const PersonalDataPatterns& personal_data() {
    static const PersonalDataPatterns patterns;
    return patterns;
  }
};

bool id_holds_personal_data(std::string_view value) {
  // Cards, phones and national ids all have 7 digits or more; most ids have none.
  if (std::count_if(value.begin(), value.end(), [](char c) { return is_digit(c); }) < 7) return false;
  // What the scrubber replaces, less bare digit runs (timestamps, order numbers) that it reads
  // as phone numbers: only a number written as a phone number counts.
  const std::string scrubbed = Scrubber().scrub(value);
  if (scrubbed == value) return false;
  if (scrubbed.find("<phone>") == std::string::npos) return true;
  const std::string digits_removed = replace_numbers(std::string(value));
  const bool bare_digits = std::all_of(value.begin(), value.end(), [](char c) { return is_digit(c); });
  return !bare_digits || digits_removed.find("<card>") != std::string::npos;
}

Scrubber::Scrubber() : impl_(std::make_unique<Impl>()) {}
Scrubber::Scrubber(Scrubber&&) noexcept = default;
Scrubber& Scrubber::operator=(Scrubber&&) noexcept = default;
Scrubber::~Scrubber() = default;

Result<Scrubber> Scrubber::create(const std::vector<ScrubPattern>& patterns) {
  Scrubber scrubber;
  for (const auto& p : patterns) {
    if (!valid_pattern_name(p.name))
      return Status(ErrorCode::kInvalidArgument,
                    "scrub pattern name '" + p.name + "' must be 1-32 lower-case letters, digits, '_' or '-'");
    if (p.regex.empty())
      return Status(ErrorCode::kInvalidArgument, "scrub pattern '" + p.name + "' has an empty regex");
    UErrorCode status = U_ZERO_ERROR;
    UParseError where{};
    icu::UnicodeString re = icu::UnicodeString::fromUTF8(p.regex);
    std::unique_ptr<icu::RegexPattern> compiled(icu::RegexPattern::compile(re, 0, where, status));
    if (U_FAILURE(status) || !compiled)
      return Status(ErrorCode::kInvalidArgument,
                    "scrub pattern '" + p.name + "': invalid regex '" + p.regex + "' (" +
                        u_errorName(status) + " at offset " + std::to_string(where.offset) + ")");
    std::unique_ptr<icu::RegexMatcher> empty(compiled->matcher(icu::UnicodeString(), status));
    if (U_SUCCESS(status) && empty->matches(status))
      return Status(ErrorCode::kInvalidArgument,
                    "scrub pattern '" + p.name + "': regex '" + p.regex + "' matches empty text");
    Impl::Compiled c;
    c.placeholder = icu::UnicodeString::fromUTF8("<" + p.name + ">");
    c.pattern = std::move(compiled);
    scrubber.impl_->patterns.push_back(std::move(c));
  }
  return scrubber;
}

std::string Scrubber::scrub(std::string_view text) const {
  try {
    return impl_->scrub(text);
  } catch (const std::exception&) {
    return "<redacted>";  // never store what we could not check
  }
}

Result<std::vector<ScrubPattern>> load_scrub_patterns(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, file.string() + ": cannot read the scrub pattern file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const std::string where = file.string();
  auto at = [&](const YAML::Node& n) {
    return where + ":" + std::to_string(n.Mark().line + 1) + ": ";
  };
  std::vector<ScrubPattern> patterns;
  try {
    YAML::Node root = yaml_input::load(text);
    if (!root || root.IsNull()) return patterns;
    if (!root.IsMap() || !root["patterns"])
      return Status(ErrorCode::kInvalidInput, where + ":1: expected a map with a 'patterns' list, e.g.\n"
                                                      "patterns:\n  - {name: order, regex: 'ORD-\\d{4,}'}");
    YAML::Node list = root["patterns"];
    if (list.IsNull()) return patterns;
    if (!list.IsSequence())
      return Status(ErrorCode::kInvalidInput, at(list) + "'patterns' must be a list of {name, regex}");
    for (const auto& item : list) {
      if (!item.IsMap() || !item["name"] || !item["regex"] || !item["name"].IsScalar() ||
          !item["regex"].IsScalar())
        return Status(ErrorCode::kInvalidInput, at(item) + "each pattern needs 'name' and 'regex'");
      ScrubPattern p{item["name"].as<std::string>(), item["regex"].as<std::string>()};
      auto check = Scrubber::create({p});
      if (!check.ok()) return Status(ErrorCode::kInvalidInput, at(item) + check.status().message());
      patterns.push_back(std::move(p));
    }
  } catch (const YAML::Exception& e) {
    return Status(ErrorCode::kInvalidInput,
                  where + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  }
  return patterns;
}

}  // namespace helpmark::tracking
