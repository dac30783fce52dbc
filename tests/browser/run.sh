#!/usr/bin/env bash
# The browser checks, as CI runs them: headless Chromium (Debian's package) driven by a
# pinned playwright-core. Checks the bundled example site (every link must resolve) and a
# site holding the shared corpus (links its authors wrote to missing files are listed, not
# failed: `opsbook check` reports those with their source line), on every host, then
# `opsbook serve`'s live reload and overlay; and the XSS fixture (xss.mjs), every page
# of which must run none of the vectors written into it.
#
#   tests/browser/run.sh OPSBOOK_BIN CORPUS_DIR [SCREENSHOT_DIR]
set -euo pipefail
bin=$(cd "$(dirname "${1:?usage: run.sh OPSBOOK_BIN CORPUS_DIR}")" && pwd)/$(basename "$1")
corpus=$(cd "${2:?usage: run.sh OPSBOOK_BIN CORPUS_DIR}" && pwd)
shots=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if ! command -v chromium > /dev/null; then
  echo "installing chromium"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The corpus site is laid out as scripts/acceptance.sh lays it out.
mkdir -p "$work/corpus/content" "$work/corpus/.beads"
for area in plans runbooks audits; do
  [ -d "$corpus/$area" ] && cp -R "$corpus/$area" "$work/corpus/content/$area"
done
[ -f "$corpus/beads/issues.jsonl" ] && cp "$corpus/beads/issues.jsonl" "$work/corpus/.beads/issues.jsonl"

shot_args=()
[ -n "$shots" ] && shot_args=(--screenshots "$shots")
cd "$here"
echo "-- example site, every host"
node hosts.mjs --bin "$bin" --site "$repo" --authored-links strict "${shot_args[@]}"
echo "-- corpus site, every host"
node hosts.mjs --bin "$bin" --site "$work/corpus" --authored-links report
# The real runbook site beside the corpus (Hugo front matter, raw HTML, alert rules): its
# pages must load with the CSP and an empty console too.
sites=$(cd "$corpus/.." && pwd)/sites
if [ -d "$sites/prometheus" ]; then
  cp -R "$sites/prometheus" "$work/prometheus"
  echo "-- prometheus runbook site, every host"
  node hosts.mjs --bin "$bin" --site "$work/prometheus" --authored-links report
fi
echo "-- serve"
node serve.mjs --bin "$bin" --site "$repo" "${shot_args[@]}"
echo "-- XSS fixture: no vector runs, from file:// and over HTTP"
node xss.mjs --bin "$bin"
