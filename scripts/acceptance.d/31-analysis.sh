# Sourced by scripts/acceptance.sh: the plan analyses on the reference plan, through the
# build log and the plan page (Health panel, timeline SVGs).
#
# Checks marked [map] need the dependency map read into a flowchart by the mermaid
# reader (plan.dependency_map.graph); they fail on a build without it.
echo "== reference plan: analyses"
plan_log() { grep 'devops-optimization-epics.md:' "$work/build.log" || true; }
logged() { # logged NAME FIXED-STRING
  if plan_log | grep -qF -- "$2"; then pass "$1"; else fail "$1: no '$2' in the build log"; fi
}
logged "claimed 24 tasks vs 21 counted" "warning[OPS320]: the plan claims 24 tasks but defines 21"
logged "claimed P0/P1/P2 11/10/3 vs 9/9/3" "warning[OPS321]: priority distribution: claimed P0/P1/P2 11/10/3 vs counted 9/9/3"
logged "Epic 6 ETAs 5 h 30 exceed its 4 hours" "warning[OPS322]: Epic 6's task ETAs add up to 5 h 30 min, more than its duration of 4 hours"
logged "[map] cycle through the dotted edge" "warning[OPS323]: dependency cycle: Epic 2 → Epic 4 ⇢ Epic 2 through the dotted (soft) edge Epic 4 ⇢ Epic 2"
logged "[map] computed vs declared critical path" "warning[OPS324]: critical path: computed Epic 1 → Epic 2 → Epic 4 (5 working days) vs declared Epic 1 → Epic 2 → Epic 5 → Epic 6 (4.5 working days)"
expect "timeline items no task covers" "$(plan_log | grep -c 'note\[OPS325\]')" 5
for item in "Run smoke tests" "Verify health checks" "Set up alerting rules" "Final testing" "Documentation updates"; do
  logged "uncovered: $item" "timeline item \"$item\""
done
expect "unscheduled tasks" "$(plan_log | grep -c '\[OPS326\]')" 0
logged "[map] Task 1.4 on Day 7 after dependent work" "warning[OPS327]: Task 1.4 is scheduled on Day 7, after work of Epic 2 (Days 1–2) and Epic 3 (Days 1–3) that depends on Epic 1"
logged "bd sync flagged at its line" "devops-optimization-epics.md:397:1: warning[OPS330]: \`bd sync\` no longer exists in bd"
expect "analysis errors" "$(plan_log | grep -c 'error\[OPS3[2-4][0-9]\]')" 0

echo "== reference plan: Health panel and timelines"
page=$site/public/plans/devops-optimization-epics/index.html
[ -f "$page" ] || page=/dev/null
expect "Health panel findings = analysis diagnostics" \
  "$(count 'class="health-finding ')" "$(plan_log | grep -c '\[OPS3[2-4][0-9]\]')"
expect "author timeline items linked to tasks" "$(count '<a href="#task-[0-9-]*" class="tl-item ')" 21
expect "author timeline items marked unmatched" "$(count 'class="tl-item tl-unmatched"')" 5
expect "[map] computed schedule drawn" "$(count 'class="timeline-svg timeline-schedule"')" 1
expect "[map] epics on the computed critical path" "$(count 'class="sched-bar sched-critical')" 3
expect "inline script elements on the plan page" "$(grep -o '<script[^>]*>' "$page" | grep -vc ' src=' || true)" 0
