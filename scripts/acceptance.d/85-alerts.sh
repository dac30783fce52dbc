# Sourced by scripts/acceptance.sh: alert rules and runbooks on the real Hugo runbook
# site (../sites/prometheus: two PrometheusRule manifests whose alerts carry runbook_url
# annotations, and part of the runbook site they link to). The expected figures are
# counted from the site's own files here, never written down from them.
sites=$corpus/../sites
if [ ! -d "$sites/prometheus" ]; then
  echo "== alerts: no real prometheus site at $sites (skipped)"
  return 0
fi

echo "== alert rules and runbooks (prometheus)"
alerts_site=$work/alerts-prometheus
cp -R "$sites/prometheus" "$alerts_site"
alerts_log=$work/alerts-build.log
if "$bin" build --root "$alerts_site" > "$alerts_log" 2>&1; then
  pass "prometheus: build succeeds"
else
  fail "prometheus: build failed"; tail -5 "$alerts_log"
fi

# What the manifests hold, counted from their text.
rule_files=$(find "$alerts_site/alerts" -name '*.yaml' -o -name '*.yml' | sort)
# shellcheck disable=SC2086
rules_in_files=$(cat $rule_files | grep -cE '^\s*- alert:')
# shellcheck disable=SC2086
urls_in_files=$(cat $rule_files | sed -n 's/^ *runbook_url: *//p' | sort -u)
distinct_urls=$(printf '%s\n' "$urls_in_files" | grep -c .)
alert_names=$(cat $rule_files | sed -n 's/^ *- alert: *//p' | sort -u | grep -c .)
# A URL resolves when a runbook file has its last path segment as name (ignoring case)
# in the folder its second-to-last segment names.
resolving=0
for url in $urls_in_files; do
  name=${url##*/}; rest=${url%/*}; group=${rest##*/}
  if find "$alerts_site/content" -ipath "*/$group/$name.md" | grep -q .; then
    resolving=$((resolving + 1))
  fi
done
dead=$((distinct_urls - resolving))
# Alert names whose runbook_url resolves (every rule of these manifests has one).
# shellcheck disable=SC2086
covered_names=$(awk '/^ *- alert:/ { name = $3 } /^ *runbook_url:/ { print name, $2 }' $rule_files | sort -u |
  while read -r name url; do
    base=${url##*/}; rest=${url%/*}; group=${rest##*/}
    find "$alerts_site/content" -ipath "*/$group/$base.md" | grep -q . && echo "$name"
  done | sort -u | grep -c . || true)
echo "  (the manifests: $rules_in_files alert rules, $distinct_urls distinct runbook URLs, $resolving with a page, $alert_names alert names)"

page=$alerts_site/public/alerts/index.html
expect "prometheus: alert rules read" \
  "$(grep -o '[0-9]* rules in' "$page" | grep -o '[0-9]*')" "$rules_in_files"
expect "prometheus: dead runbook_urls reported (OPS710)" \
  "$(grep 'warning\[OPS710\]' "$alerts_log" | sed 's/.*this site: //' | sort -u | wc -l | tr -d ' ')" "$dead"
expect "prometheus: each dead runbook_url at its line" \
  "$(grep -c '^alerts/[^:]*:[0-9]*:[0-9]*: warning\[OPS710\]' "$alerts_log")" \
  "$(grep -c 'warning\[OPS710\]' "$alerts_log")"
expect "prometheus: no alert without runbook_url (OPS711)" "$(grep -c 'OPS711' "$alerts_log" || true)" 0
expect "prometheus: every runbook page has an alert (no OPS712)" "$(grep -c 'OPS712' "$alerts_log" || true)" 0
expect "prometheus: alerts page counts alert names" "$(grep -c '<tr id="alert-' "$page")" "$alert_names"
expect "prometheus: covered alerts" \
  "$(grep -o 'alert-count-number">[0-9]*</span> covered' "$page" | grep -o '>[0-9]*<' | tr -d '<>')" \
  "$covered_names"
expect "prometheus: alerts with a dead link" \
  "$(grep -o 'alert-count-number">[0-9]*</span> dead link' "$page" | grep -o '>[0-9]*<' | tr -d '<>')" \
  "$((alert_names - covered_names))"
expect "prometheus: no runbook_url" \
  "$(grep -o 'alert-count-number">[0-9]*</span> no runbook_url' "$page" | grep -o '>[0-9]*<' | tr -d '<>')" 0
runbook_pages=$(find "$alerts_site/content/runbooks" -name '*.md' ! -name '_index.md' ! -name 'index.md' ! -name 'README.md' | wc -l | tr -d ' ')
with_alerts=$(grep -l 'lead here\|leads here' -r "$alerts_site/public/runbooks" --include=index.html | wc -l | tr -d ' ')
expect "prometheus: every runbook page shows its alerts" "$with_alerts" "$runbook_pages"
expect "prometheus: PromQL highlighted on runbook pages" \
  "$(grep -l 'data-lang="promql"' -r "$alerts_site/public/runbooks" --include=index.html | wc -l | tr -d ' ')" "$runbook_pages"
if "$bin" check --root "$alerts_site" --no-pdf > "$work/alerts-check.log" 2>&1; then
  fail "prometheus: check passes although runbook_urls are dead"
else
  expect "prometheus: check makes dead runbook_urls errors" \
    "$(grep -c 'error\[OPS710\]' "$work/alerts-check.log")" "$(grep -c 'warning\[OPS710\]' "$alerts_log")"
fi
