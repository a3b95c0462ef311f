#include "vocabulary/dictionary.hpp"

#include <hunspell/hunspell.hxx>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "util/text.hpp"

namespace fs = std::filesystem;

namespace helpmark::vocabulary {
namespace {

// $HELPMARK_DICTIONARY_PATH when set (empty: no dictionaries), else the Debian locations.
std::vector<fs::path> search_path() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("HELPMARK_DICTIONARY_PATH")) {
    for (const auto& d : text::split(env, ':'))
      if (!d.empty()) dirs.emplace_back(d);
    return dirs;
  }
  dirs.emplace_back("/usr/share/hunspell");
  dirs.emplace_back("/usr/share/myspell/dicts");
  return dirs;
}

// The usual region of each language's main dictionary, tried after the locale's own region.
std::string usual_region(const std::string& language) {
  static const std::pair<const char*, const char*> kRegions[] = {
      {"en", "US"}, {"pt", "BR"}, {"es", "ES"}, {"fr", "FR"}, {"de", "DE"}, {"it", "IT"},
      {"nl", "NL"}, {"sv", "SE"}, {"da", "DK"}, {"nb", "NO"}, {"el", "GR"}, {"cs", "CZ"}};
  for (const auto& [lang, region] : kRegions)
    if (language == lang) return region;
  return {};
}

}  // namespace

std::vector<std::string> LanguageDictionary::names_for(std::string_view locale) {
  const std::string tag(locale);
  const std::string language = text::ascii_lower(tag.substr(0, tag.find('-')));
  std::string region;
  if (std::size_t dash = tag.find('-'); dash != std::string::npos) {
    region = tag.substr(dash + 1);
    region = region.substr(0, region.find('-'));
    for (char& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::vector<std::string> names;
  auto add = [&](const std::string& n) {
    if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  if (!region.empty()) add(language + "_" + region);
  if (std::string usual = usual_region(language); !usual.empty()) add(language + "_" + usual);
  std::string upper = language;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  add(language + "_" + upper);
  add(language);
  // Any other region of the language that is installed, in name order.
  std::vector<std::string> others;
  for (const auto& dir : search_path()) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string name = e.path().filename().string();
      if (name.size() > 4 && name.ends_with(".dic") && name.starts_with(language + "_")) others.push_back(name.substr(0, name.size() - 4));
    }
  }
  std::sort(others.begin(), others.end());
  for (const auto& o : others) add(o);
  return names;
}

std::string LanguageDictionary::find(std::string_view locale) {
  for (const auto& name : names_for(locale))
    for (const auto& dir : search_path()) {
      const fs::path dic = dir / (name + ".dic");
      std::error_code ec;
      if (fs::is_regular_file(dic, ec) && fs::is_regular_file(dir / (name + ".aff"), ec)) return dic.string();
    }
  return {};
}

std::unique_ptr<LanguageDictionary> LanguageDictionary::open(std::string_view locale) {
  const std::string dic = find(locale);
  if (dic.empty()) return nullptr;
  const std::string aff = dic.substr(0, dic.size() - 4) + ".aff";
  auto hunspell = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
  std::string encoding = hunspell->get_dict_encoding();
  return std::unique_ptr<LanguageDictionary>(new LanguageDictionary(std::move(hunspell), dic, std::move(encoding)));
}

LanguageDictionary::LanguageDictionary(std::unique_ptr<Hunspell> hunspell, std::string path, std::string encoding)
    : hunspell_(std::move(hunspell)), path_(std::move(path)), encoding_(std::move(encoding)) {}

LanguageDictionary::~LanguageDictionary() = default;

std::string LanguageDictionary::encode(std::string_view utf8) const {
  if (encoding_.empty() || encoding_ == "UTF-8" || encoding_ == "utf-8") return std::string(utf8);
  // An 8-bit dictionary (ISO 8859-x, KOI8-R ...): convert; a word it cannot represent is not in it.
  UErrorCode status = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(encoding_.c_str(), &status);
  if (U_FAILURE(status)) return std::string();
  ucnv_setFromUCallBack(conv, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  std::string out(static_cast<std::size_t>(u.length()) * 4 + 4, '\0');
  const int32_t n = u.extract(out.data(), static_cast<int32_t>(out.size()), conv, status);
  ucnv_close(conv);
  if (U_FAILURE(status)) return std::string();
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool LanguageDictionary::has(std::string_view word) const {
  if (word.empty()) return false;
  std::string capitalised(word);
  {
    // Upper-case the first letter (ICU, so that "école" becomes "École").
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    const int32_t first_end = u.moveIndex32(0, 1);
    icu::UnicodeString head = u.tempSubString(0, first_end);
    head.toUpper();
    capitalised.clear();
    (head + u.tempSubString(first_end)).toUTF8String(capitalised);
  }
  const std::string as_typed = encode(word);
  const std::string as_name = encode(capitalised);
  std::lock_guard lock(mu_);
  return (!as_typed.empty() && hunspell_->spell(as_typed)) || (!as_name.empty() && hunspell_->spell(as_name));
}

}  // namespace helpmark::vocabulary
