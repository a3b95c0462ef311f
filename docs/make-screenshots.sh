#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png: the help center's home, search, article and no-results
# pages at desktop width and at 375 px, as the browser tests (tests/browser/test_demo.py) take
# them from a server on the shipped articles/. Needs a built helpmark, chromium, chromium-driver
# and python3-selenium (Debian's /usr/bin/python3, as `ctest -L browser`).
#   docs/make-screenshots.sh [build/dev/cli/helpmark]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build/dev/cli/helpmark}"
[ -x "$bin" ] || { echo "make-screenshots: no helpmark at $bin; build first (cmake --preset dev && cmake --build build/dev)" >&2; exit 1; }
shots="$(mktemp -d)"
trap 'rm -rf "$shots"' EXIT
HELPMARK_BIN="$bin" HELPMARK_SOURCE_DIR="$root" HELPMARK_BROWSER_ARTIFACTS="$shots" \
  /usr/bin/python3 "$root/tests/browser/test_demo.py" DemoPageTest.test_site_pages
mkdir -p "$root/docs/screenshots"
for page in home search article no-results; do
  for width in desktop 375; do
    cp "$shots/$page-$width.png" "$root/docs/screenshots/$page-$width.png"
  done
done
echo "make-screenshots: docs/screenshots/ updated (8 pages)"
