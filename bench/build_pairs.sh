#!/usr/bin/env bash
# The PDF cache's cost in a build after one runbook changed (issue 14): alternately
# `build` with PDFs and `build --no-pdf` of the same site, each after a line was added
# to one runbook, N times. Prints each pair's wall times. Not a timed test.
#
# Usage: bench/build_pairs.sh OPSBOOK SITE [N]
# SITE is a site folder (e.g. the 1,000-page corpus of serve_bench.py); its outputs go
# to a temporary folder, and the site's sixth runbook gets a line per build.
set -euo pipefail
bin=$(realpath "$1"); site=$2; n=${3:-8}
work=$(mktemp -d)
page=$(find "$site/content/runbooks" -name '*.md' | sort | sed -n 6p)
ms() { local start; start=$(date +%s%N); "$@" > /dev/null 2>&1; echo $(( ($(date +%s%N) - start) / 1000000 )); }
echo "cold build with PDFs: $(ms "$bin" build --root "$site" --out "$work/pdf") ms"
"$bin" build --no-pdf --root "$site" --out "$work/no-pdf" > /dev/null 2>&1
for i in $(seq "$n"); do
  echo "changed $i $(date +%s%N)" >> "$page"
  with=$(ms "$bin" build --root "$site" --out "$work/pdf")
  echo "changed $i again $(date +%s%N)" >> "$page"
  without=$(ms "$bin" build --no-pdf --root "$site" --out "$work/no-pdf")
  echo "with PDFs $with ms, without $without ms"
done
rm -rf "$work"
