# Sourced by scripts/acceptance.sh: the real sites beside the corpus (../sites: a team's
# track plans with its tracker, a Hugo runbook site with alert rules, two scanners' SARIF
# with a VEX document), built as they are from a copy. The facts checked are read from the
# sites' own files, never from a file name or title of theirs.
sites=$corpus/../sites
if [ ! -d "$sites" ]; then
  echo "== real sites: none at $sites (skipped)"
  return 0
fi

# build_real NAME: copies the site and builds it; sets $real (the copy) and $real_log.
build_real() {
  real=$work/real-$1
  real_log=$work/real-$1.log
  cp -R "$sites/$1" "$real"
  if "$bin" build --root "$real" > "$real_log" 2>&1; then
    pass "$1: build succeeds"
  else
    fail "$1: build failed"; tail -5 "$real_log"
  fi
  expect "$1: no panic" "$(grep -c 'panicked' "$real_log" || true)" 0
}

# pages_published NAME: every markdown page of the site has its page in the output.
pages_published() {
  local sources outputs
  sources=$(find "$real/content" -name '*.md' | wc -l | tr -d ' ')
  outputs=$(find "$real/public" -name index.html -not -path '*/search/*' | wc -l | tr -d ' ')
  # The plans index is made from the plans, not from a markdown file of its own.
  if [ -f "$real/public/plans/index.html" ] && ! ls "$real"/content/plans/{index,_index,README}.md > /dev/null 2>&1; then
    outputs=$((outputs - 1))
  fi
  # The home page is made even without content/index.md (or Hugo's _index.md).
  [ -f "$real/content/index.md" ] || [ -f "$real/content/_index.md" ] || sources=$((sources + 1))
  # So is the alerts page, for a site with alert rules.
  [ -f "$real/public/alerts/index.html" ] && [ ! -e "$real/content/alerts" ] && sources=$((sources + 1))
  expect "$1: a page per markdown file" "$outputs" "$sources"
}

echo "== real site: plans and their tracker (v-edfinance)"
build_real v-edfinance
pages_published v-edfinance
if "$bin" check --root "$real" > "$work/real-check.log" 2>&1; then
  pass "v-edfinance: check passes"
else
  fail "v-edfinance: check failed"; grep 'error\[' "$work/real-check.log" | head -5
fi
expect "v-edfinance: no broken anchor made by the theme" \
  "$(grep -c "OPS611.*the theme's link" "$work/real-check.log" || true)" 0

echo "== real site: runbooks written for Hugo (prometheus)"
build_real prometheus
pages_published prometheus

echo "== real site: scanner output alone (scanners)"
build_real scanners
scans=$(find "$real/content/audits" -name '*.sarif*' | wc -l | tr -d ' ')
expect "scanners: the home page links every scan" \
  "$(grep -o 'href="audits/[^"/]*/index.html"' "$real/public/index.html" | sort -u | wc -l | tr -d ' ')" "$scans"
if "$bin" check --root "$real" > "$work/real-check.log" 2>&1; then
  pass "scanners: check passes"
else
  fail "scanners: check failed"; grep 'error\[' "$work/real-check.log" | head -5
fi
