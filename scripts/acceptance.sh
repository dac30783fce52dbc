#!/usr/bin/env bash
# Acceptance checks against the shared corpus: builds a site that holds the corpus files
# verbatim, then runs each part in scripts/acceptance.d/ (sourced, in name order), which
# assert facts about the model (from `opsbook dump-model`), the HTML and other output.
#
#   scripts/acceptance.sh ../shared/corpus
#
# Uses target/release/opsbook (built by `cargo test --release`, the project's test
# command) or the binary named by $OPSBOOK_BIN.
set -euo pipefail

corpus=${1:?usage: scripts/acceptance.sh CORPUS_DIR}
corpus=$(cd "$corpus" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPSBOOK_BIN:-$here/target/release/opsbook}
if [ ! -x "$bin" ]; then
  (cd "$here" && cargo build --release --quiet)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
site=$work/site
# The site holds the corpus verbatim: plans, runbooks and audits as content, the beads
# tracker where beads keeps it.
mkdir -p "$site/content" "$site/.beads"
for area in plans runbooks audits; do
  [ -d "$corpus/$area" ] && cp -R "$corpus/$area" "$site/content/$area"
done
[ -f "$corpus/beads/issues.jsonl" ] && cp "$corpus/beads/issues.jsonl" "$site/.beads/issues.jsonl"
diff -r "$corpus/plans" "$site/content/plans"

export corpus site work bin
failures=0
pass() { printf '  ok    %s\n' "$1"; }
fail() { printf '  FAIL  %s\n' "$1"; failures=$((failures + 1)); }
expect() { # expect NAME ACTUAL WANTED
  if [ "$2" = "$3" ]; then pass "$1 = $3"; else fail "$1: got '$2', want '$3'"; fi
}

count() { grep -o "$1" "$page" | wc -l | tr -d ' '; }

echo "== build the corpus site"
if "$bin" build --root "$site" 2> "$work/build.log"; then
  pass "build succeeds"
else
  fail "build failed"; cat "$work/build.log"
fi

for part in "$here"/scripts/acceptance.d/*.sh; do
  # shellcheck source=/dev/null
  . "$part"
done

echo
if [ "$failures" -eq 0 ]; then
  echo "acceptance: all checks passed"
else
  echo "acceptance: $failures check(s) failed"
  exit 1
fi
