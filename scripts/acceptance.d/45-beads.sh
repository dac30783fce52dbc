# Sourced by scripts/acceptance.sh: the beads tracker (.beads/issues.jsonl) and the
# `export beads` of the reference plan.
echo "== beads tracker"
expect "tracker diagnostics (OPS430-OPS439) in the build log" \
  "$(grep -c '\[OPS43[0-9]\]' "$work/build.log" || true)" 0
python3 - "$work/model.json" > "$work/beads-facts.txt" <<'PY'
import json, sys
project = json.load(open(sys.argv[1]))
tracker = project.get("tracker") or {}
issues = tracker.get("issues", [])
print(f"issues={len(issues)}")
print(f"tombstones={tracker.get('tombstones', 0)}")
print(f"tombstoned issues kept={sum(1 for i in issues if i['status'] == 'tombstone')}")
PY
beads_fact() { grep "^$1=" "$work/beads-facts.txt" | cut -d= -f2-; }
total_lines=$(grep -c . "$corpus/beads/issues.jsonl")
tombstone_lines=$(grep -c '"status":"tombstone"' "$corpus/beads/issues.jsonl" || true)
expect "issues loaded (all lines but tombstones)" "$(beads_fact issues)" $((total_lines - tombstone_lines))
expect "tombstones dropped" "$(beads_fact tombstones)" "$tombstone_lines"
expect "tombstoned issues in the model" "$(beads_fact 'tombstoned issues kept')" 0
page=$site/public/plans/devops-optimization-epics/index.html
expect "tasks with a status badge" "$(count 'class="task"[^>]*data-status="')" 21
if grep -q 'tasks closed' "$page"; then pass "plan progress shown"; else fail "no plan progress on the page"; fi

echo "== export beads (reference plan)"
"$bin" export beads --root "$site" content/plans/devops-optimization-epics.md \
  > "$work/graph.json" 2> "$work/export.log" || fail "export beads failed: $(cat "$work/export.log")"
python3 - "$work/graph.json" > "$work/graph-facts.txt" <<'PY'
import json, sys
graph = json.load(open(sys.argv[1]))
nodes, edges = graph["nodes"], graph["edges"]
keys = {n["key"] for n in nodes}
print(f"nodes={len(nodes)}")
print(f"epics={sum(1 for n in nodes if n['type'] == 'epic')}")
print(f"tasks={sum(1 for n in nodes if n['type'] == 'task')}")
print(f"parent keys={sum(1 for n in nodes if n.get('parent_key'))}")
print(f"parent edges={sum(1 for e in edges if e['type'] == 'parent-child')}")
print(f"map edges={sum(1 for e in edges if e['type'] != 'parent-child')}")
print(f"dangling={sum(1 for e in edges if e['from_key'] not in keys or e['to_key'] not in keys)}")
PY
graph_fact() { grep "^$1=" "$work/graph-facts.txt" | cut -d= -f2-; }
expect "export nodes" "$(graph_fact nodes)" 27
expect "export epic nodes" "$(graph_fact epics)" 6
expect "export task nodes" "$(graph_fact tasks)" 21
expect "export parent_key links" "$(graph_fact 'parent keys')" 21
expect "export parent-child edges" "$(graph_fact 'parent edges')" 21
expect "export edges with unknown keys" "$(graph_fact dangling)" 0
# The dependency map's 7 edges come from the mermaid flowchart (plan.dependency_map.graph),
# filled by the mermaid reader. Until that reader is in, the map has no graph and the
# export carries the parent links only (and says so on stderr).
map_has_graph=$(python3 -c 'import json,sys; p=next(p["plan"] for p in json.load(open(sys.argv[1]))["pages"] if p.get("plan")); print("yes" if (p.get("dependency_map") or {}).get("graph") else "no")' "$work/model.json")
if [ "$map_has_graph" = yes ]; then
  expect "export dependency-map edges" "$(graph_fact 'map edges')" 7
else
  expect "export dependency-map edges (mermaid reader not merged yet: expect 7 after)" "$(graph_fact 'map edges')" 0
fi
