# Sourced by scripts/acceptance.sh: the reference plan's model and HTML.
echo "== reference plan"
expect "encoding warnings for the plan" \
  "$(grep -c 'devops-optimization-epics.md:[0-9]*:[0-9]*: warning\[OPS110\]' "$work/build.log" || true)" 1

echo "== reference plan: model"
"$bin" dump-model --root "$site" > "$work/model.json" 2> /dev/null
python3 - "$work/model.json" > "$work/model-facts.txt" <<'PY'
import json, sys
project = json.load(open(sys.argv[1]))
plan = next(p["plan"] for p in project["pages"] if p.get("plan"))
epics = plan["epics"]
tasks = [t for e in epics for t in e["tasks"]]
prio = {}
for t in tasks:
    p = t["creation"]["priority"]
    prio[p] = prio.get(p, 0) + 1
creations = sum(1 for e in epics if e.get("creation"))
facts = {
    "epics": len(epics),
    "tasks per epic": ",".join(str(len(e["tasks"])) for e in epics),
    "tasks": len(tasks),
    "bd create lines": creations + len(tasks) + len(plan["references"]),
    "unique bd create lines": creations + len(tasks),
    "priorities": " ".join(f"{k}:{prio[k]}" for k in sorted(prio)),
    "eta minutes": sum((t.get("eta") or {}).get("minutes") or 0 for t in tasks),
    "success criteria": sum(len(e["success_criteria"]) for e in epics),
    "timeline days": len(plan["timeline"]["days"]),
    "timeline items": sum(len(s["items"]) for d in plan["timeline"]["days"] for s in d["slots"]),
    "metric items": sum(len(g["items"]) for g in plan["metrics"]),
    "claimed tasks": plan["claimed"]["tasks"]["value"],
    "critical path epics": ",".join(str(n) for n in plan["critical_path"]["epics"]),
    "dependency map": "yes" if plan["dependency_map"] and "graph TD" in plan["dependency_map"]["source"] else "no",
}
for k, v in facts.items():
    print(f"{k}={v}")
PY
fact() { grep "^$1=" "$work/model-facts.txt" | cut -d= -f2-; }
expect "epics" "$(fact epics)" 6
expect "tasks per epic" "$(fact 'tasks per epic')" "4,4,3,3,3,4"
expect "tasks" "$(fact tasks)" 21
expect "bd create lines" "$(fact 'bd create lines')" 54
expect "unique bd create lines (epics + tasks)" "$(fact 'unique bd create lines')" 27
expect "task priorities" "$(fact priorities)" "P0:9 P1:9 P2:3"
expect "ETA total (minutes)" "$(fact 'eta minutes')" 867
expect "success-criteria items" "$(fact 'success criteria')" 22
expect "timeline days" "$(fact 'timeline days')" 7
expect "timeline items" "$(fact 'timeline items')" 26
expect "success-metric items" "$(fact 'metric items')" 7
expect "claimed total tasks" "$(fact 'claimed tasks')" 24
expect "declared critical path" "$(fact 'critical path epics')" "1,2,5,6"
expect "dependency map kept" "$(fact 'dependency map')" yes

echo "== reference plan: HTML"
page=$site/public/plans/devops-optimization-epics/index.html
if [ -f "$page" ]; then pass "plan page written"; else fail "no plan page at $page"; page=/dev/null; fi
expect "epic sections" "$(count 'class="epic[" ]')" 6
expect "task articles" "$(count 'class="task[" ]')" 21
expect "P0 tasks" "$(count 'class="task[^"]*"[^>]*data-priority="P0"')" 9
expect "P1 tasks" "$(count 'class="task[^"]*"[^>]*data-priority="P1"')" 9
expect "P2 tasks" "$(count 'class="task[^"]*"[^>]*data-priority="P2"')" 3
expect "ETA minutes in HTML" "$(grep -o 'data-eta-minutes="[0-9]*"' "$page" | grep -o '[0-9]*' | awk '{s += $1} END {print s + 0}')" 867
expect "criteria items" "$(count 'class="criterion[" ]')" 22
expect "timeline days" "$(count 'class="timeline-day[" ]')" 7
expect "timeline items" "$(count 'class="timeline-item[" ]')" 26
expect "metric items" "$(count 'class="metric[" ]')" 7
for bad in 'ðŸ' 'â€' 'âœ' 'â±'; do
  expect "mojibake '$bad' left in HTML" "$(count "$bad")" 0
done
for good in '⏱️' '🗄️'; do
  if grep -q "$good" "$page"; then pass "$good present"; else fail "$good missing"; fi
done

