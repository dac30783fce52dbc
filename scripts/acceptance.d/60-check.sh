# Sourced by scripts/acceptance.sh: `opsbook check` on the corpus site (broken links of the
# runbooks with their lines, the encoding repair, JSON output) and its exit codes.
echo "== check: corpus links"
set +e
"$bin" check --root "$site" --format json > "$work/check.jsonl" 2> "$work/check.log"
check_rc=$?
set -e
expect "check exit code with broken links" "$check_rc" 1
python3 - "$work/check.jsonl" > "$work/check-facts.txt" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
links = sorted((r["path"], r["line"]) for r in rows if r["code"] in ("OPS610", "OPS611", "OPS612"))
def lines(path):
    return ",".join(str(l) for p, l in links if p == path)
print("parsed=%d" % len(rows))
print("broken links=%d" % len(links))
print("readme lines=" + lines("content/runbooks/README.md"))
print("database lines=" + lines("content/runbooks/p0-database-failure.md"))
print("outside=" + ",".join("%s:%d" % (r["path"].split("/")[-1], r["line"]) for r in rows if r["code"] == "OPS612"))
print("link severities=" + ",".join(sorted({r["severity"] for r in rows if r["code"].startswith("OPS61")})))
print("encoding=" + ",".join("%s:%d" % (r["path"], r["line"]) for r in rows if r["code"] == "OPS110"))
print("other pages with link problems=%d" % sum(1 for p, _ in links if not p.startswith("content/runbooks/")))
PY
cfact() { grep "^$1=" "$work/check-facts.txt" | cut -d= -f2-; }
if [ "$(cfact parsed)" -gt 0 ] 2>/dev/null; then pass "--format json parses ($(cfact parsed) diagnostics)"; else fail "--format json did not parse"; fi
expect "broken links reported" "$(cfact 'broken links')" 16
expect "README.md broken link lines" "$(cfact 'readme lines')" "14,16,21,22,23,283,284,285,286,287,288"
expect "p0-database-failure.md broken link lines" "$(cfact 'database lines')" "363,364,365,366,367"
expect "links that leave content/" "$(cfact outside)" "README.md:284,p0-database-failure.md:366"
expect "broken links are errors in check" "$(cfact 'link severities')" "error"
expect "encoding repair reported" "$(cfact encoding)" "content/plans/devops-optimization-epics.md:12"
expect "template-made links broken" "$(cfact 'other pages with link problems')" 0
expect "broken links are warnings in build" \
  "$(grep -c 'warning\[OPS61[0-3]\]' "$work/build.log" || true)" 16
if [ -f "$site/public/runbooks/index.html" ] && grep -q 'href="p0-database-failure/index.html"' "$site/public/runbooks/index.html"; then
  pass "runbook index links the database runbook's page"
else
  fail "runbook index does not link p0-database-failure/index.html"
fi

echo "== check: exit codes"
scaffold=$work/scaffold
"$bin" init "$scaffold" 2> /dev/null
set +e
"$bin" check --root "$scaffold" 2> "$work/check-clean.log"; clean_rc=$?
"$bin" check --root "$scaffold" --format yaml 2> /dev/null; usage_rc=$?
printf '\n[Gone](gone.md)\n' >> "$scaffold/content/index.md"
sed -i 's/^check = "error"/check = "warning"/' "$scaffold/opsbook.toml"
"$bin" check --root "$scaffold" 2> /dev/null; warn_rc=$?
"$bin" check --root "$scaffold" --deny-warnings 2> /dev/null; deny_rc=$?
set -e
expect "check exit code on a clean scaffold" "$clean_rc" 0
expect "check exit code for a wrong command line" "$usage_rc" 2
expect "check exit code with warnings only" "$warn_rc" 0
expect "check exit code with --deny-warnings" "$deny_rc" 1
