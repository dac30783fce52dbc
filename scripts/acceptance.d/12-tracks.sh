# Sourced by scripts/acceptance.sh: issue 12's figures on the team's four plans of
# tracks and phases (../sites/v-edfinance, built from a copy with its tracker). The
# figures are the issue's; each plan is found by its source path, and every figure is
# read from the model (`opsbook dump-model`), the build log or the built page.
sites=$corpus/../sites
if [ ! -d "$sites/v-edfinance" ]; then
  echo "== lane plans: no v-edfinance site at $sites (skipped)"
  return 0
fi

echo "== lane plans (v-edfinance)"
lanes_site=$work/tracks-v-edfinance
cp -R "$sites/v-edfinance" "$lanes_site"
chmod -R u+w "$lanes_site"
if "$bin" build --root "$lanes_site" > "$work/tracks-build.log" 2>&1; then
  pass "lane plans: build succeeds"
else
  fail "lane plans: build failed"; tail -5 "$work/tracks-build.log"
fi
expect "lane plans: no panic" "$(grep -c 'panicked' "$work/tracks-build.log" || true)" 0
"$bin" dump-model --root "$lanes_site" > "$work/tracks-model.json" 2> /dev/null
python3 - "$work/tracks-model.json" > "$work/tracks-facts.txt" <<'PY'
import json, sys
project = json.load(open(sys.argv[1]))
plans = {p["source"].split("/")[-1]: p["plan"] for p in project["pages"] if p.get("plan")}

def lane_of(plan, end):
    if end["kind"] == "lane":
        return end["key"]
    for lane in plan["lanes"]:
        stack = list(lane["items"])
        while stack:
            item = stack.pop()
            if item["key"] == end["key"]:
                return lane["key"]
            stack.extend(item["sub_items"])
    return None

def all_items(plan):
    out = []
    for lane in plan["lanes"]:
        stack = list(lane["items"])
        while stack:
            item = stack.pop(0)
            out.append(item)
            stack = item["sub_items"] + stack
    return out

def status(item):
    return (item.get("tracker") or {}).get("status")

def boxes(lists, role):
    ticked = total = 0
    for c in lists:
        if c["role"] != role:
            continue
        for i in c["items"]:
            if i["marker"] == "task_box":
                total += 1
                ticked += 1 if i["checked"] else 0
    return ticked, total

def every_list(plan):
    lists = list(plan["checklists"])
    for lane in plan["lanes"]:
        lists += lane["checklists"]
    for item in all_items(plan):
        lists += item["checklists"]
    return lists

for name, plan in sorted(plans.items()):
    lanes = plan["lanes"]
    print(f"{name} family={plan['family']}")
    print(f"{name} lanes={len(lanes)}")
    print(f"{name} owners={','.join((l['owner'] or {}).get('text', '-') for l in lanes)}")
    print(f"{name} items per lane={','.join(str(len(l['items'])) for l in lanes)}")
    print(f"{name} items={sum(len(l['items']) for l in lanes)}")
    print(f"{name} orders={'|'.join(','.join(i['key'] for i in l['items']) for l in lanes)}")
    print(f"{name} durations={','.join((l['duration'] or {}).get('raw', '-') for l in lanes)}")
    cross = []
    for d in plan["dependencies"]:
        a, b = lane_of(plan, d["from"]), lane_of(plan, d["to"])
        if a and b and a != b:
            cross.append(f"{a}>{b}")
    print(f"{name} lane edges={','.join(cross)}")
    print(f"{name} item edges={','.join(d['from']['key'] + '>' + d['to']['key'] for d in plan['dependencies'] if d['from']['kind'] == 'item' and d['to']['kind'] == 'lane')}")
    ticked, total = boxes(every_list(plan), "criteria")
    print(f"{name} criteria={ticked}/{total}")
    open_follow = sum(t - k for k, t in [boxes(every_list(plan), "follow_up")])
    print(f"{name} follow-ups open={open_follow}")
    items = [i for l in lanes for i in l["items"]]
    print(f"{name} in tracker={sum(1 for i in items if i.get('tracker'))}")
    print(f"{name} closed={sum(1 for i in items if status(i) == 'closed')}")
    print(f"{name} open={sum(1 for i in items if status(i) not in (None, 'closed'))}")
    print(f"{name} closed per lane={','.join(str(sum(1 for i in l['items'] if status(i) == 'closed')) + '/' + str(len(l['items'])) for l in lanes)}")
    epic = plan.get("epic") or {}
    print(f"{name} epic={(epic.get('id') or {}).get('text', '-')}:{(epic.get('tracker') or {}).get('status', '-')}")
    print(f"{name} statuses={','.join(str(status(i)) for i in all_items(plan) if i.get('tracker_id'))}")
    print(f"{name} sub-items={'|'.join(','.join(s['tracker_id'] or '-' for s in i['sub_items']) for i in items if i['sub_items'])}")
    print(f"{name} planned per lane={','.join(str(sum(1 for i in l['items'] if not i['tracker_id'] and i.get('estimate'))) for l in lanes)}")
PY
lane_fact() { grep "^$1 $2=" "$work/tracks-facts.txt" | cut -d= -f2-; }
log=$work/tracks-build.log
reported() { grep -c "^content/plans/$1:[0-9]*:[0-9]*: [a-z]*\[$2\]: $3" "$log" || true; }

plan=DEPLOYMENT_MASTER_PLAN.md
expect "$plan: lanes" "$(lane_fact $plan lanes)" 5
expect "$plan: owners" "$(lane_fact $plan owners)" "BlueLake,GreenMountain,RedRiver,PurpleOcean,OrangeSky"
expect "$plan: items per lane" "$(lane_fact $plan 'items per lane')" "4,5,6,5,4"
expect "$plan: items" "$(lane_fact $plan items)" 24
expect "$plan: lane dependencies" "$(lane_fact $plan 'lane edges')" "track-1>track-2,track-1>track-3,track-2>track-4,track-2>track-5,track-1>track-5"
expect "$plan: via items" "$(lane_fact $plan 'item edges')" "bd-infra-1>track-2,bd-infra-1>track-3,bd-db-5>track-4,bd-db-2>track-5,bd-infra-4>track-5"
expect "$plan: success criteria ticked" "$(lane_fact $plan criteria)" "19/19"
expect "$plan: follow-up items open" "$(lane_fact $plan 'follow-ups open')" 14
expect "$plan: Track 1's 3-4 hours vs the table's 2 hours" "$(reported $plan OPS342 'Track 1 states `3-4 hours` .* `2 hours`')" 1
expect "$plan: bd sync reported" "$(reported $plan OPS330 '`bd sync`')" 1

plan=ralph-cli-execution-plan.md
expect "$plan: lanes" "$(lane_fact $plan lanes)" 4
expect "$plan: items per lane" "$(lane_fact $plan 'items per lane')" "2,2,3,3"
expect "$plan: items in the tracker" "$(lane_fact $plan 'in tracker')" 10
expect "$plan: epic in the tracker" "$(lane_fact $plan epic)" "ved-fz9m:closed"
expect "$plan: closed" "$(lane_fact $plan closed)" 6
expect "$plan: open" "$(lane_fact $plan open)" 4
expect "$plan: closed per lane" "$(lane_fact $plan 'closed per lane')" "2/2,2/2,1/3,1/3"
expect "$plan: epic closed with 4 items open" "$(reported $plan OPS340 'the plan.s epic `ved-fz9m` is closed in the tracker while 4 of its 10 items are open')" 1
expect "$plan: ved-zlvl closed before ved-u09m and ved-5c5z" "$(reported $plan OPS341 '`ved-zlvl` is closed in the tracker while `ved-u09m` and `ved-5c5z`, before it in Track 4')" 1
expect "$plan: cross-track edges" "$(lane_fact $plan 'item edges')" "ved-l5g9>track-3,ved-xlwx>track-4"

plan=typescript-fixes-execution-plan.md
expect "$plan: lanes" "$(lane_fact $plan lanes)" 4
expect "$plan: items per lane" "$(lane_fact $plan 'items per lane')" "2,3,3,1"
expect "$plan: orders" "$(lane_fact $plan orders)" "ved-ts1,ved-ts2|ved-ts3,ved-ts4,ved-ts5|ved-ts6,ved-ts7,ved-ts8|ved-ts9"
expect "$plan: one note for the ids the tracker lacks" "$(reported $plan OPS437 '9 of the plan.s 9 work item ids are not in the tracker')" 1
expect "$plan: notes about missing ids" "$(grep -c "^content/plans/$plan:.*OPS437" "$log" || true)" 1
expect "$plan: no cross-track edge" "$(lane_fact $plan 'lane edges')" ""

plan=audit-execution-plan.md
expect "$plan: lanes" "$(lane_fact $plan lanes)" 4
expect "$plan: stated estimates" "$(lane_fact $plan durations)" "45 min,5 hours,3 hours,3 hours"
expect "$plan: Track 0" "$(lane_fact $plan orders | cut -d'|' -f1)" "ved-b51s,ved-mdlo"
expect "$plan: tracker statuses" "$(lane_fact $plan statuses)" "closed,closed,None,None"
expect "$plan: embedded sub-tasks" "$(lane_fact $plan sub-items)" "VED-P0A,VED-P0B"
expect "$plan: planned items per track" "$(lane_fact $plan 'planned per lane')" "0,4,3,4"
expect "$plan: Track 3's planned items vs its 3 hours" "$(reported $plan OPS343 "Track 3's 4 planned items add up to 3 h 30 min, more than its stated \`3 hours\`")" 1
expect "$plan: declared critical path compared" "$(reported $plan OPS345 '`Critical Path` states 6.5 hours but .* takes 5 h 45 min')" 1
expect "$plan: mermaid map drawn" \
  "$(grep -c '<svg[^>]*class="diagram-svg' "$lanes_site/public/plans/audit-execution-plan/index.html" || true)" 1
for page in deployment-master-plan ralph-cli-execution-plan typescript-fixes-execution-plan audit-execution-plan; do
  expect "$page: swimlane drawn" \
    "$(grep -c '<svg[^>]*class="swimlane-svg' "$lanes_site/public/plans/$page/index.html" || true)" 1
done

for plan in DEPLOYMENT_MASTER_PLAN.md ralph-cli-execution-plan.md typescript-fixes-execution-plan.md audit-execution-plan.md; do
  expect "$plan: a lane plan" "$(lane_fact $plan family)" lanes
  expect "$plan: no OPS201" "$(grep -c "^content/plans/$plan:.*OPS201" "$log" || true)" 0
done
for page in deployment-master-plan:5 ralph-cli-execution-plan:4 typescript-fixes-execution-plan:4 audit-execution-plan:4; do
  html=$lanes_site/public/plans/${page%%:*}/index.html
  expect "${page%%:*}: lanes on the page" "$(grep -o '<section class="epic lane" id="lane-' "$html" | wc -l | tr -d ' ')" "${page##*:}"
done
"$bin" check --root "$lanes_site" > "$work/tracks-check.log" 2>&1
expect "lane plans: no OPS611 made by the theme" "$(grep -c "OPS611.*the theme's link" "$work/tracks-check.log" || true)" 0
expect "lane plans: check has no errors" "$(grep -c 'error\[' "$work/tracks-check.log" || true)" 0
