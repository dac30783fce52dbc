#!/usr/bin/env bash
# Measures the search index against the site's HTML: on the bundled example site and on
# a generated 1,000-page site (/work/shared/bench/gen_corpus.py --flavor plain, or the
# generator named by $GEN_CORPUS).
#
#   scripts/search-index-size.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPSBOOK_BIN:-$here/target/release/opsbook}
gen=${GEN_CORPUS:-/work/shared/bench/gen_corpus.py}
[ -x "$bin" ] || (cd "$here" && cargo build --release --quiet)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # measure LABEL SITE_ROOT
  "$bin" build --root "$2" --out "$work/out" --no-pdf 2> /dev/null
  local index html gz pages
  # A big site's index is split into search-index.js and search-index-N.js shards.
  index=$(cat "$work/out"/search-index*.js | wc -c)
  gz=$(cat "$work/out"/search-index*.js | gzip -9c | wc -c)
  html=$(find "$work/out" -name '*.html' -print0 | xargs -0 cat | wc -c)
  pages=$(find "$work/out" -name '*.html' | wc -l)
  awk -v l="$1" -v p="$pages" -v i="$index" -v g="$gz" -v h="$html" 'BEGIN {
    printf "%-22s %5d HTML files %10d B HTML  index %9d B (%4.1f%% of HTML, %8d B gzipped)\n", l, p, h, i, 100 * i / h, g }'
}

measure "example site" "$here"
python3 "$gen" --pages 1000 --out "$work/bench" --flavor plain > /dev/null
# The plain flavour writes its markdown under pages/; opsbook reads content/.
mkdir -p "$work/bench-site" && mv "$work/bench/pages" "$work/bench-site/content"
measure "generated, 1000 pages" "$work/bench-site"
