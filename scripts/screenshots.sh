#!/usr/bin/env bash
# Take README's screenshots (docs/*.png) from a running portal: `make run` in one shell, then this.
# Needs Debian's chromium and poppler-utils (apt-get install chromium poppler-utils).
# BASE_URL defaults to http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_URL=${BASE_URL:-http://127.0.0.1:8000}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
CHROMIUM=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile")

shoot() {  # name, path, width, height
    "${CHROMIUM[@]}" --hide-scrollbars --window-size="$2,$3" --screenshot="docs/$1.png" "$BASE_URL$4" 2>/dev/null
}

shoot start-desktop 1280 1100 /
shoot start-mobile 375 1100 /
shoot region-desktop 1280 1100 /regioner/kalmar/
shoot region-mobile 375 1100 /regioner/kalmar/
shoot list-desktop 1280 1100 "/insatsomraden/?tema=cirkular-ekonomi&dimension=miljomassig"
shoot list-mobile 375 1100 "/insatsomraden/?tema=cirkular-ekonomi&dimension=miljomassig"
shoot comparison-desktop 1280 1500 "/jamfor/?region=kalmar&region=gotland&region=halland"
shoot comparison-mobile 375 1100 "/jamfor/?region=kalmar&region=gotland&region=halland"
shoot matrix-desktop 1280 1100 /jamfor/
shoot matrix-mobile 375 1100 /jamfor/
shoot theme-desktop 1280 1100 /teman/cirkular-ekonomi/
shoot theme-mobile 375 1100 /teman/cirkular-ekonomi/
shoot search-desktop 1280 1100 "/sok/?q=turism"
shoot search-mobile 375 1100 "/en/sok/?q=circular%20economy"

# The region page as it prints (A4, the print stylesheet): one PNG per page.
"${CHROMIUM[@]}" --no-pdf-header-footer --print-to-pdf="$profile/fact-sheet.pdf" "$BASE_URL/regioner/kalmar/" 2>/dev/null
rm -f docs/fact-sheet-print-*.png
pdftoppm -r 60 -png "$profile/fact-sheet.pdf" docs/fact-sheet-print
ls -la docs/*.png
