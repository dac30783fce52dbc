#!/usr/bin/env python3
"""Generates a site whose one plan has EPICS x TASKS tasks and whose beads tracker holds as
many task issues (plus one issue per epic), to measure the tracker matcher.

Every title follows one template ("Configure <area> alerts for service N"), so each task
shares most tokens with every issue of the same area: each task scores 0.8 or more with
a fifth of all issues against the 0.65 match threshold (millions of pairs), the worst
case for a matcher that compares and keeps all pairs. Half the issues are written the
way a person re-types a title (a leading "Task:" label, a singular, other case), so
each task still has one best issue.

    python3 bench/gen_tracker_case.py --epics 100 --tasks 100 --out /tmp/tracker-case
    /usr/bin/time -v target/release/opsbook check --root /tmp/tracker-case
"""

import argparse
import json
import os

AREAS = ["disk", "memory", "latency", "error-rate", "saturation"]


def task_title(number):
    return f"Configure {AREAS[number % len(AREAS)]} alerts for service {number}"


def issue_title(number):
    area = AREAS[number % len(AREAS)]
    if number % 2:
        return f"Task: configure {area} alert for Service {number}."
    return task_title(number)


def plan_text(epics, tasks):
    lines = [
        "# Tracker Matching Benchmark Plan",
        "",
        f"**Total Epics:** {epics} | **Total Tasks:** {epics * tasks}",
        "",
    ]
    number = 0
    for epic in range(1, epics + 1):
        lines += [
            "---",
            "",
            f"## Epic {epic}: Alerting Wave {epic}",
            "",
            "**Priority:** P1",
            "",
            "### Tasks",
            "",
            "```bash",
            f'bd create "Epic: Alerting Wave {epic}" --type epic --priority 1',
            "",
        ]
        for task in range(1, tasks + 1):
            number += 1
            lines += [
                f"# Task {epic}.{task}: alerts {number}",
                f'bd create "{task_title(number)}" --type task --priority 1',
                "# ETA: 15 minutes",
                "",
            ]
        lines += ["```", ""]
    return "\n".join(lines)


def tracker_lines(epics, tasks):
    statuses = ["open", "in_progress", "closed"]
    for epic in range(1, epics + 1):
        yield {"id": f"bench-e{epic}", "title": f"Alerting wave {epic}",
               "status": "open", "issue_type": "epic"}
    for number in range(1, epics * tasks + 1):
        yield {"id": f"bench-{number}", "title": issue_title(number),
               "status": statuses[number % 3], "issue_type": "task"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epics", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=100, help="tasks per epic")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(os.path.join(args.out, "content", "plans"), exist_ok=True)
    os.makedirs(os.path.join(args.out, ".beads"), exist_ok=True)
    with open(os.path.join(args.out, "content", "index.md"), "w") as f:
        f.write("# Tracker matching benchmark\n")
    with open(os.path.join(args.out, "content", "plans", "alerting.md"), "w") as f:
        f.write(plan_text(args.epics, args.tasks))
    with open(os.path.join(args.out, ".beads", "issues.jsonl"), "w") as f:
        for issue in tracker_lines(args.epics, args.tasks):
            f.write(json.dumps(issue) + "\n")


if __name__ == "__main__":
    main()
