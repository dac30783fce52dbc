# Sourced by scripts/acceptance.sh: the database-failure runbook's model, page and PDF.
echo "== runbooks: model"
"$bin" dump-model --root "$site" > "$work/runbook-model.json" 2> /dev/null
python3 - "$work/runbook-model.json" > "$work/runbook-facts.txt" <<'PY'
import json, sys
project = json.load(open(sys.argv[1]))
page = next(p for p in project["pages"] if p["source"].endswith("runbooks/p0-database-failure.md"))
rb = page["runbook"]
def steps(kind):
    return [part for s in rb["sections"] if s["kind"] == kind for part in s["parts"] if part["type"] == "step"]
facts = {
    "severity": rb["severity"]["label"],
    "severity as written": rb["severity"]["original"],
    "mttr minutes": rb["mttr"]["minutes"],
    "status": rb["status"]["text"],
    "immediate steps": len(steps("immediate_actions")),
    "immediate titles": " | ".join(s["title"] for s in steps("immediate_actions")),
    "scenarios": ",".join(s["label"].split()[-1] for s in steps("recovery_procedures") if s["kind"] == "scenario"),
    "branches linked": sum(1 for s in steps("immediate_actions") for b in s["branches"] if b["target"]),
}
for k, v in facts.items():
    print(f"{k}={v}")
PY
rfact() { grep "^$1=" "$work/runbook-facts.txt" | cut -d= -f2-; }
expect "runbook severity" "$(rfact severity)" P0
expect "runbook severity as written" "$(rfact 'severity as written')" "P0 (Critical)"
expect "runbook MTTR (minutes)" "$(rfact 'mttr minutes')" 10
expect "runbook status" "$(rfact status)" Active
expect "Immediate Actions steps" "$(rfact 'immediate steps')" 3
expect "recovery scenarios" "$(rfact scenarios)" "A,B,C,D,E"
expect "step branches linked" "$(rfact 'branches linked')" 2

echo "== runbooks: page"
page=$site/public/runbooks/p0-database-failure/index.html
if [ -f "$page" ]; then pass "runbook page written"; else fail "no runbook page at $page"; page=/dev/null; fi
expect "tickable steps (checkboxes)" "$(count '<input type="checkbox" name="')" 14
expect "failure branch links to Step 3" "$(count '<a href="#step-3">Proceed to Step 3</a>')" 1
expect "PDF link" "$(count 'href="p0-database-failure.pdf"')" 1
page=$site/public/runbooks/index.html
if [ -f "$page" ]; then pass "runbook index written"; else fail "no runbook index"; page=/dev/null; fi
expect "index rows" "$(count '<th scope="row"')" 1

echo "== runbooks: PDF"
pdf=$site/public/runbooks/p0-database-failure/p0-database-failure.pdf
if [ -f "$pdf" ]; then
  pass "runbook PDF written"
  pdftotext -enc UTF-8 "$pdf" "$work/runbook.txt"
  if python3 - "$corpus/runbooks/p0-database-failure.md" "$work/runbook.txt" "$work/runbook-model.json" <<'PY'
import json, re, sys
source = open(sys.argv[1], encoding="utf-8").read()
pdf = "".join(open(sys.argv[2], encoding="utf-8").read().split())
project = json.load(open(sys.argv[3]))
rb = next(p for p in project["pages"] if p["source"].endswith("runbooks/p0-database-failure.md"))["runbook"]
titles = [part["title"] for s in rb["sections"] for part in s["parts"] if part["type"] == "step"]
# Every line of every fenced block that is a command (not blank, not a comment).
commands = []
for block in re.findall(r"^\s*```[a-z]*\n(.*?)^\s*```", source, re.S | re.M):
    commands += [l.strip() for l in block.splitlines() if l.strip() and not l.strip().startswith("#")]
flat = lambda s: "".join(s.split())
missing_titles = [t for t in titles if flat(t) not in pdf]
missing_commands = [c for c in commands if flat(c) not in pdf]
print(f"titles {len(titles) - len(missing_titles)}/{len(titles)}, command lines {len(commands) - len(missing_commands)}/{len(commands)}")
for m in missing_titles + missing_commands:
    print("  missing:", m)
sys.exit(1 if missing_titles or missing_commands else 0)
PY
  then pass "pdftotext holds every step title and command line"
  else fail "PDF text misses step titles or command lines"
  fi
else
  fail "no runbook PDF at $pdf (built without the pdf feature?)"
fi
