#!/usr/bin/env bash
# Take README's screenshots (docs/*.png) from a running portal: `make run` in one shell, then this.
# Needs Debian's chromium (apt-get install chromium). BASE_URL defaults to http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_URL=${BASE_URL:-http://127.0.0.1:8000}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shoot() {  # name, path, width, height
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars --window-size="$3,$4" \
        --screenshot="docs/$1.png" "$BASE_URL$2" 2>/dev/null
}

shoot start-desktop / 1280 1100
shoot start-mobile / 375 1100
shoot region-desktop /regioner/kalmar/ 1280 1100
shoot region-mobile /regioner/kalmar/ 375 1100
shoot list-desktop "/insatsomraden/?tema=cirkular-ekonomi&dimension=miljomassig" 1280 1100
shoot list-mobile "/insatsomraden/?tema=cirkular-ekonomi&dimension=miljomassig" 375 1100
ls -la docs/*.png
