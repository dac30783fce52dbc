# Sourced by scripts/acceptance.sh: the corpus SARIF (Trivy scan of nginx) in the model
# and on its audit page.
echo "== audits: model"
python3 - "$work/model.json" "$corpus/audits/nginx-trivy.sarif.json" > "$work/audit-facts.txt" <<'PY'
import json, sys
project = json.load(open(sys.argv[1]))
audit = next(a for a in project["audits"] if a["source"].endswith("nginx-trivy.sarif.json"))
findings = audit["findings"]
sev = {s: sum(1 for f in findings if f["severity"] == s) for s in ["critical", "high", "medium", "low", "info"]}
# The rules count comes from the corpus file itself; the model keeps the rules results cite.
sarif = json.load(open(sys.argv[2]))
cited = {r["ruleId"] for run in sarif["runs"] for r in run["results"]}
facts = {
    "results": audit["results_read"],
    "findings": len(findings),
    "rules": len(audit["rules"]),
    "rules cited": len(cited & set(audit["rules"])),
    "severities": " ".join(f"{k}:{v}" for k, v in sev.items()),
    "packages": len({f["package"] for f in findings if f["package"]}),
    "with package and version": sum(1 for f in findings if f["package"] and f["installed_version"]),
    "severity from score": sum(1 for f in findings if f["severity_source"]["kind"] == "score"),
}
for k, v in facts.items():
    print(f"{k}={v}")
PY
afact() { grep "^$1=" "$work/audit-facts.txt" | cut -d= -f2-; }
expect "SARIF results read" "$(afact results)" 99
expect "findings after merge" "$(afact findings)" 99
expect "rules" "$(afact rules)" 64
expect "rules cited by results" "$(afact 'rules cited')" 64
expect "severities" "$(afact severities)" "critical:0 high:3 medium:21 low:75 info:0"
expect "distinct affected packages" "$(afact packages)" 40
expect "findings with package and installed version" "$(afact 'with package and version')" 99
expect "severities taken from security-severity" "$(afact 'severity from score')" 99

echo "== audits: HTML"
page=$site/public/audits/nginx-trivy/index.html
if [ -f "$page" ]; then pass "audit page written"; else fail "no audit page at $page"; page=/dev/null; fi
expect "finding rows" "$(count 'class="finding sev-')" 99
expect "high rows" "$(count 'class="finding sev-high')" 3
expect "medium rows" "$(count 'class="finding sev-medium')" 21
expect "low rows" "$(count 'class="finding sev-low')" 75
expect "rows with package and installed version" "$(grep -o '<tr class="finding [^>]*data-package="[^"]*" data-installed="[^"]*"' "$page" | wc -l | tr -d ' ')" 99
expect "distinct packages on the page" "$(grep -o 'data-package="[^"]*"' "$page" | sort -u | wc -l | tr -d ' ')" 40
expect "rule help sections" "$(count 'class="rule" id="rule-')" 64
expect "severity chart" "$(count '<svg class="severity-chart"')" 1
expect "inline script or style" "$(grep -o '<script[^>]*>\| style="' "$page" | grep -vc '<script [^>]*src=' || true)" 0
# Trivy's SARIF writes its plain text HTML-escaped (`doesn&#39;t`): read as meant, the
# page escapes it once, never shows the reference as text.
expect "character references shown as text" "$(grep -o '&amp;#[0-9]*;\|&amp;[a-z]*;' "$page" | wc -l | tr -d ' ')" 0
expect "finding titles with an apostrophe" "$(grep -o 'class="finding-title">[^<]*&#39;' "$page" | wc -l | tr -d ' ')" 1
if [ -f "$site/public/audits/index.html" ]; then pass "audits index written"; else fail "no audits index"; fi

echo "== audits: triage order"
# Every findings table lists its open findings most severe first (closed ones last).
python3 - "$page" > "$work/triage.txt" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
rank = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
bad = 0
for table in re.findall(r"<table class=\"findings-table[^\"]*\" data-findings-table>(.*?)</table>", html, re.S):
    open_rows = [rank[s] for group, body in re.findall(r'<tbody class="severity-group" id="[^"]*" data-group="([^"]*)">(.*?)</tbody>', table, re.S)
                 if group != "closed" for s in re.findall(r'<tr class="finding [^>]*data-severity="([a-z]+)"', body)]
    if open_rows != sorted(open_rows, reverse=True) or (open_rows and open_rows[0] != max(open_rows)):
        bad += 1
print(f"unordered={bad}")
print("first=" + (re.search(r'<tr class="finding [^>]*data-severity="([a-z]+)"', html) or [None, "none"])[1])
PY
expect "findings tables out of triage order" "$(grep '^unordered=' "$work/triage.txt" | cut -d= -f2)" 0
expect "first finding row is the most severe (high)" "$(grep '^first=' "$work/triage.txt" | cut -d= -f2)" high
expect "severity row groups with anchors" "$(grep -o '<tbody class="severity-group" id="target-[a-z0-9-]*-\(high\|medium\|low\)"' "$page" | wc -l | tr -d ' ')" 3
