#include "serve/site_config.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "serve/params.hpp"

namespace fs = std::filesystem;

namespace helpmark::cli::serve {
namespace {

constexpr std::size_t kMaxLogoBytes = 256 * 1024;

struct SiteError {
  int line;
  std::string message;
};

std::string scalar(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) throw SiteError{node.Mark().line + 1, "'" + key + "' must be a text"};
  return node.as<std::string>();
}

// WCAG relative luminance of "#rrggbb".
double luminance(const std::string& hex) {
  double sum = 0;
  const double weights[] = {0.2126, 0.7152, 0.0722};
  for (int i = 0; i < 3; ++i) {
    double v = std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16) / 255.0;
    v = v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    sum += weights[i] * v;
  }
  return sum;
}

std::string logo_type_of(const std::string& bytes, const fs::path& file) {
  if (bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return "image/png";
  if (bytes.rfind("\xff\xd8\xff", 0) == 0) return "image/jpeg";
  if (file.extension() == ".svg" && bytes.find("<svg") != std::string::npos) return "image/svg+xml";
  return {};
}

}  // namespace

std::string contact_url_problem(const std::string& url, const std::string& what) {
  if (url.empty()) return {};
  if (!is_valid_utf8(url) || url.find_first_of(" \t\r\n\"<>") != std::string::npos)
    return what + " must be a URL without spaces, quotes or angle brackets (encode them as %20 ...)";
  for (const char* scheme : {"https://", "http://", "mailto:"})
    if (url.rfind(scheme, 0) == 0 && url.size() > std::string_view(scheme).size()) return {};
  return what + " must start with https://, http:// or mailto: (e.g. https://help.example.com/contact?q={query} "
                "or mailto:support@example.com?subject={article}); got '" + url.substr(0, 60) + "'";
}

Result<SiteConfig> load_site_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, path + ": cannot read the site file (--site)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  auto fail = [&](int line, const std::string& message) {
    return Status(ErrorCode::kInvalidInput, path + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message);
  };
  if (!is_valid_utf8(text)) return fail(0, "not valid UTF-8; save the file as UTF-8");
  SiteConfig site;
  try {
    // The operator's own file, not visitors' input: plain yaml-cpp (the library's hardened
    // loader guards the articles and taxonomy that writers commit).
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap() && !root.IsNull()) return fail(1, "the site file is a map of settings (name, logo, accent, contact_url, footer_links)");
    for (const auto& entry : root) {
      const std::string key = entry.first.as<std::string>();
      const YAML::Node& value = entry.second;
      const int line = entry.first.Mark().line + 1;
      if (key == "name") {
        site.name = scalar(value, key);
        if (site.name.size() > 80) return fail(line, "'name' is over 80 bytes: keep the product name short");
      } else if (key == "accent") {
        site.accent = scalar(value, key);
        const bool hex = site.accent.size() == 7 && site.accent[0] == '#' &&
                         site.accent.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
        if (!hex) return fail(line, "'accent' must be a colour like \"#1d4ed8\" (quoted: # starts a comment in YAML)");
        const double ratio = 1.05 / (luminance(site.accent) + 0.05);  // white text and background
        if (ratio < 4.5) {
          std::ostringstream r;
          r.precision(2);
          r << std::fixed << ratio;
          return fail(line, "'accent' " + site.accent + " has " + r.str() +
                                ":1 contrast with white; links and buttons need at least 4.5:1: choose a darker colour");
        }
      } else if (key == "contact_url") {
        site.contact_url = scalar(value, key);
        if (std::string problem = contact_url_problem(site.contact_url, "'contact_url'"); !problem.empty())
          return fail(line, problem);
      } else if (key == "logo") {
        const fs::path file = fs::path(path).parent_path() / scalar(value, key);
        std::ifstream logo(file, std::ios::binary);
        if (!logo) return fail(line, "cannot read the logo " + file.string() + " (a path relative to the site file)");
        std::stringstream bytes;
        bytes << logo.rdbuf();
        site.logo = bytes.str();
        if (site.logo.size() > kMaxLogoBytes) return fail(line, "the logo is over 256 KiB: use a smaller image");
        site.logo_type = logo_type_of(site.logo, file);
        if (site.logo_type.empty()) return fail(line, "the logo must be an SVG, PNG or JPEG file");
      } else if (key == "footer_links") {
        if (!value.IsSequence()) return fail(line, "'footer_links' is a list of {label: ..., url: ...}");
        for (const auto& item : value) {
          const int item_line = item.Mark().line + 1;
          if (!item.IsMap() || !item["label"] || !item["url"] || item.size() != 2)
            return fail(item_line, "each footer link is {label: TEXT, url: https://...}");
          FooterLink link{scalar(item["label"], "label"), scalar(item["url"], "url")};
          if (std::string problem = contact_url_problem(link.url, "a footer link's url"); !problem.empty())
            return fail(item_line, problem);
          site.footer_links.push_back(std::move(link));
        }
        if (site.footer_links.size() > 12) return fail(line, "at most 12 footer links");
      } else {
        return fail(line, "unknown setting '" + key + "'; expected name, logo, accent, contact_url or footer_links");
      }
    }
  } catch (const SiteError& e) {
    return fail(e.line, e.message);
  } catch (const YAML::Exception& e) {
    return fail(e.mark.line + 1, "malformed YAML: " + e.msg);
  }
  return site;
}

}  // namespace helpmark::cli::serve
