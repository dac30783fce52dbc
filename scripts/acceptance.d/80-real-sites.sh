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

echo "== real site: two scanners and a VEX document about one image (scanners)"
# ../shared/sites/scanners: Grype and Trivy SARIF of one image, and its OpenVEX document.
build_real scanners
scans=$(find "$real/content/audits" -name '*.sarif*' | wc -l | tr -d ' ')
expect "scanners: the home page links every scan" \
  "$(grep -o 'href="audits/[^"/]*/index.html"' "$real/public/index.html" | sort -u | wc -l | tr -d ' ')" "$scans"
if "$bin" check --root "$real" > "$work/real-check.log" 2>&1; then
  pass "scanners: check passes"
else
  fail "scanners: check failed"; grep 'error\[' "$work/real-check.log" | head -5
fi
# The facts of the artifact page, read from the HTML: figures, the scans table, the
# disagreements, the findings tables' order.
python3 - "$real/public" > "$work/scanners-facts.txt" <<'PY'
import glob, re, sys
out = sys.argv[1]
pages = glob.glob(f"{out}/audits/artifacts/*/index.html")
print(f"artifact pages={len(pages)}")
html = open(pages[0]).read() if pages else ""
def figure(page, name):
    m = re.search(r"<dt>" + re.escape(name) + r"</dt><dd>(?:<a [^>]*>)?([0-9]+)", page)
    return m.group(1) if m else "none"
for name in ["distinct findings", "open", "seen by all scanners", "seen by some", "severity disagreements"]:
    print(f"{name}={figure(html, name)}")
print("disagreement rows=%d" % html.count('<tr class="disagreement"'))
tar = [r for r in html.split('<tr class="disagreement"')[1:] if ">CVE-2005-2541<" in r and "<td data-label=\"Package\">tar<" in r]
for tool in ["Grype", "Trivy"]:
    m = re.search(r'data-tool="' + tool + r'"><span class="badge sev-([a-z]+)"', tar[0]) if tar else None
    print(f"tar {tool}=" + (m.group(1) if m else "none"))
opens = re.findall(r'<tr class="scan" data-tool="([^"]+)">.*?class="num scan-open">([0-9]+)', html)
print("open per scanner=" + " ".join(f"{t}:{n}" for t, n in opens))
scan_pages = [p for p in glob.glob(f"{out}/audits/*/index.html") if "<p class=\"eyebrow\">Audit" in open(p).read()]
print("scan pages open=" + " ".join(sorted(figure(open(p).read(), "open") for p in scan_pages)))
grype = [open(p).read() for p in scan_pages if "<h1>Grype scan of " in open(p).read()]
target = re.search(r"<dt>Target</dt><dd>([^<]*)</dd>", grype[0]).group(1) if grype else "none"
headings = re.findall(r'<span class="eyebrow">Target</span> ([^ <]*)', grype[0]) if grype else []
print(f"grype target={target}")
print("grype target headings=" + ",".join(headings))
rank = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
bad = 0
for page in [html] + [open(p).read() for p in scan_pages]:
    for table in re.findall(r'data-findings-table>(.*?)</table>', page, re.S):
        rows = [rank[s] for g, body in re.findall(r'data-group="([^"]*)">(.*?)</tbody>', table, re.S) if g != "closed"
                for s in re.findall(r'<tr class="finding [^>]*data-severity="([a-z]+)"', body)]
        if rows != sorted(rows, reverse=True):
            bad += 1
print(f"tables out of order={bad}")
def vex_of(vuln, package):
    for row in re.findall(r'(<tr class="finding [^>]*>.*?</tr>)', html, re.S):
        if f'data-package="{package}"' in row and re.search(r'class="finding-id">' + vuln + r'\b', row):
            status = re.search(r'data-vex="([a-z_]+)"', row)
            why = re.search(r'class="vex-justification">([^<]*)<', row)
            return (status.group(1) if status else "none") + ("/" + why.group(1) if why else "")
    return "no row"
print("vex libde265-0=" + vex_of("CVE-2023-27103", "libde265-0"))
print("vex login=" + vex_of("CVE-2007-5686", "login"))
print("vex passwd=" + vex_of("CVE-2007-5686", "passwd"))
PY
sfact() { grep "^$1=" "$work/scanners-facts.txt" | cut -d= -f2-; }
expect "scanners: one artifact page for the image both files scanned" "$(sfact 'artifact pages')" 1
expect "scanners: distinct findings" "$(sfact 'distinct findings')" 99
expect "scanners: seen by both scanners" "$(sfact 'seen by all scanners')" 99
expect "scanners: seen by one only" "$(sfact 'seen by some')" 0
expect "scanners: severity disagreements" "$(sfact 'severity disagreements')" 72
expect "scanners: disagreement rows listed" "$(sfact 'disagreement rows')" 72
expect "scanners: CVE-2005-2541 in tar, Grype" "$(sfact 'tar Grype')" critical
expect "scanners: CVE-2005-2541 in tar, Trivy" "$(sfact 'tar Trivy')" low
expect "scanners: the Grype page's target is the image" "$(sfact 'grype target')" nginx
expect "scanners: the Grype page has one target heading" "$(sfact 'grype target headings')" nginx
expect "scanners: open after VEX, per scanner" "$(sfact 'open per scanner')" "Grype:96 Trivy:96"
expect "scanners: open after VEX, on the artifact page" "$(sfact 'open')" 96
expect "scanners: open after VEX, on each scan's page" "$(sfact 'scan pages open')" "96 96"
expect "scanners: findings tables in triage order" "$(sfact 'tables out of order')" 0
expect "scanners: CVE-2023-27103 in libde265-0 by VEX" "$(sfact 'vex libde265-0')" "not_affected/component not present"
expect "scanners: CVE-2007-5686 in login by VEX" "$(sfact 'vex login')" fixed
expect "scanners: CVE-2007-5686 in passwd by VEX" "$(sfact 'vex passwd')" fixed
