//! Lane plans for the lane health tests, read from markdown as a site would (written for
//! these tests in the conventions of track plans), with tracker statuses set by hand.

use std::path::Path;

use crate::analysis::{AnalysisOptions, Finding};
use crate::diagnostics::Diagnostics;
use crate::ingest::plan::parse_plan;
use crate::model::plan::{Plan, Priority, TrackedIssue};
use crate::model::status::IssueStatus;

/// Two tracks of three and two items, an estimate table, totals and a critical path.
pub(crate) const TRACK_PLAN: &str = "\
# Execution Plan: Billing Cutover

**Epic:** bc-epic1
**Generated:** 2026-02-01

## Tracks

| Track | Agent | Beads (in order) | File Scope | Est. Time |
|-------|-------|------------------|------------|-----------|
| 1 | AmberFox | bc-a1 → bc-a2 → bc-a3 | `billing/**` | 2 hours |
| 2 | SilverOwl | bc-b1 → bc-b2 | `ledger/**` | 1 hour |

### Track 1: AmberFox - Billing API

**Duration:** 3-4 hours

1. `bc-a1`: Freeze the old API
2. `bc-a2`: Ship the new endpoints
   - Write the handlers
   - Add the tests
3. `bc-a3`: Switch traffic

### Track 2: SilverOwl - Ledger

**Dependencies:** Track 1 (bc-a2)

1. **Migrate ledger rows** (45 min)
2. **Reconcile totals** (30 min)

#### bc-b9: Stray heading item

**Success Criteria:**
- [x] Rows match
- [x] Totals match

## Cross-Track Dependencies

- Track 2 needs bc-zz (audit sign-off) from Track 3

## Estimated Timeline

| Track | Duration |
|-------|----------|
| Track 1 (API) | 2 hours |
| Track 2 (Ledger) | 1 hour |

**Total (Sequential):** 4 hours
**Total (Parallel):** 3 hours
**Critical Path:** Prep (30min) → Track 1 (2hr) → Track 2 (1hr) = **3.5 hours**
";

pub(crate) fn read(text: &str) -> Plan {
    let mut diagnostics = Diagnostics::new();
    parse_plan(Path::new("content/plans/p.md"), text, 0, &mut diagnostics)
}

/// Sets the tracker status of the item (or the plan's epic) with `key`.
pub(crate) fn set_status(plan: &mut Plan, key: &str, status: IssueStatus) {
    let issue = TrackedIssue {
        id: key.to_string(),
        title: key.to_string(),
        status,
        priority: Priority(1),
        issue_type: "task".into(),
        estimated_minutes: None,
        closed_at: None,
        close_reason: None,
        updated_at: None,
    };
    if let Some(epic) = plan
        .epic
        .as_mut()
        .filter(|e| e.id.text.eq_ignore_ascii_case(key))
    {
        epic.tracker = Some(issue);
        return;
    }
    for lane in &mut plan.lanes {
        for item in &mut lane.items {
            for found in std::iter::once(&mut *item) {
                if found.key == key {
                    found.tracker = Some(issue.clone());
                }
            }
            for sub in &mut item.sub_items {
                if sub.key == key {
                    sub.tracker = Some(issue.clone());
                }
            }
        }
    }
}

/// The lane findings of `plan` as `(code, message)`.
pub(crate) fn findings(plan: &Plan) -> Vec<(String, String)> {
    let (found, _) = super::check_lanes(plan, &AnalysisOptions::default());
    found
        .iter()
        .map(|f: &Finding| (f.diagnostic.code.to_string(), f.diagnostic.message.clone()))
        .collect()
}

pub(crate) fn codes_of(found: &[(String, String)], code: &str) -> Vec<String> {
    found
        .iter()
        .filter(|(c, _)| c == code)
        .map(|(_, m)| m.clone())
        .collect()
}
