// The help center's own look and hand-off, from a small YAML file (`helpmark serve --site
// FILE`), so a team ships its help center without forking the page:
//
//   name: Lumen Market Help          # the product name: header, <title>
//   logo: logo.svg                   # an SVG, PNG or JPEG beside the file (at most 256 KiB)
//   accent: "#1d4ed8"                # links and buttons; must keep 4.5:1 contrast on white
//   contact_url: https://lumen.example/contact?topic={journey}&q={query}
//   footer_links:
//     - {label: Terms, url: https://lumen.example/terms}
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "helpmark/status.hpp"

namespace helpmark::cli::serve {

struct FooterLink {
  std::string label;
  std::string url;
};

/// A value type: thread-compatible (read-only once loaded).
struct SiteConfig {
  std::string name;         ///< Empty: "Help center" (the page's own words).
  std::string accent;       ///< "#rrggbb"; empty: the page's default blue.
  std::string contact_url;  ///< See ServeOptions::contact_url.
  std::vector<FooterLink> footer_links;
  std::string logo;         ///< The logo file's bytes; empty: no logo.
  std::string logo_type;    ///< Its media type: image/svg+xml, image/png or image/jpeg.
};

/// Loads and checks a site file. Errors name the file and line and say how to fix it.
Result<SiteConfig> load_site_config(const std::string& path);

/// Checks a contact URL: "" when usable, else what is wrong and how to fix it (`what` names
/// the option or key, e.g. "--contact-url").
std::string contact_url_problem(const std::string& url, const std::string& what = "--contact-url");

}  // namespace helpmark::cli::serve
