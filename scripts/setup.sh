#!/usr/bin/env bash
# Installs what banmian needs on a Debian machine, idempotently: system packages first, then the npm
# dependencies from the lock file. A second run finds everything in place and changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Chromium (print and preview), poppler (PDF checks, where press photos are placed), EPUBCheck with Java,
# LXGW WenKai (the caption face, as one whole font file), DejaVu and Garuda (last-resort faces for Latin
# beyond ASCII, Greek, Cyrillic, Thai and code; DejaVu also labels placeholder photos); for the press PDF
# (--pdfx): Ghostscript (separation, PDF/X), Little CMS's linkicc and tificc (ink-limited photo device link, photo separation) and qpdf
# (the tests read the PDF's objects with it).
packages=(chromium poppler-utils epubcheck default-jre-headless fonts-lxgw-wenkai fonts-dejavu-core fonts-tlwg-garuda-ttf
  ghostscript liblcms2-utils qpdf)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm: never let puppeteer download a browser; Debian's Chromium is used.
export PUPPETEER_SKIP_DOWNLOAD=1
# npm writes node_modules/.package-lock.json on every install: newer than the lock file means up to date.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
# The compiled CLI (lib/): npm ci compiles it (prepare); recompile when a source under build/ is newer.
node build/compiled.mjs --if-stale
echo "setup: ready (chromium $(chromium --version 2>/dev/null | awk '{print $2}'), node $(node --version))"
