//! Best-first assignment (analysis stage, for `status_match`): each issue goes to at most
//! one item, the pairs taken best score first (then the item, then the issue that comes
//! first), a pair skipped when its item or its issue is already taken.
//!
//! That is the greedy pass over every item–issue pair sorted by score, but without
//! sorting (or keeping) every pair: each item keeps only its first few candidates, a heap
//! holds each waiting item's best remaining one, and an item whose kept candidates were
//! all taken by others is scanned again for its next ones. When every task title shares
//! most words with every issue, the full list of pairs would hold tasks × issues entries;
//! this holds a few per task.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

use super::title_index::{Scored, Scratch, TitleIndex};
use super::Item;

/// How many candidates an item keeps at first; each scan for more keeps twice as many.
pub(super) const FIRST_KEPT: usize = 4;

/// An item waiting for an issue, with the candidates it has kept.
pub(super) struct Waiting<'a> {
    pub item: usize,
    pub index: &'a TitleIndex,
    /// In rank order; at least one.
    pub candidates: Vec<Scored>,
    /// Whether more candidates follow the kept ones.
    pub more: bool,
}

/// One item's best remaining candidate, ordered so that the heap's greatest is the pair
/// the sorted list would take first.
#[derive(PartialEq)]
struct Head {
    score: f64,
    item: usize,
    issue: usize,
}

impl Eq for Head {}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(other.item.cmp(&self.item))
            .then(other.issue.cmp(&self.issue))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The kept candidates of one item and how far it has got through them.
struct Progress<'a> {
    waiting: Waiting<'a>,
    next: usize,
    keep: usize,
}

/// The issue (position) each item gets, with its score, by item.
pub(super) fn assign_best_first(
    items: &[Item],
    issue_count: usize,
    waiting: Vec<Waiting>,
) -> BTreeMap<usize, Scored> {
    let mut heap = BinaryHeap::new();
    let mut progress: BTreeMap<usize, Progress> = BTreeMap::new();
    for waiting in waiting {
        let (score, issue) = waiting.candidates[0];
        heap.push(Head {
            score,
            item: waiting.item,
            issue,
        });
        progress.insert(
            waiting.item,
            Progress {
                waiting,
                next: 0,
                keep: FIRST_KEPT,
            },
        );
    }
    let mut used = vec![false; issue_count];
    let mut scratch = Scratch::new(issue_count);
    let mut assigned = BTreeMap::new();
    while let Some(head) = heap.pop() {
        if !used[head.issue] {
            used[head.issue] = true;
            assigned.insert(head.item, (head.score, head.issue));
            continue;
        }
        let Some(item_progress) = progress.get_mut(&head.item) else {
            continue;
        };
        let tokens = &items[head.item].tokens;
        if let Some((score, issue)) = next_unused(item_progress, tokens, &used, &mut scratch) {
            heap.push(Head {
                score,
                item: head.item,
                issue,
            });
        }
    }
    assigned
}

/// The item's next candidate whose issue is not taken, scanning for more when the kept
/// ones run out. Taken issues are skipped for good: nothing is ever given back.
fn next_unused(
    progress: &mut Progress,
    tokens: &std::collections::BTreeSet<String>,
    used: &[bool],
    scratch: &mut Scratch,
) -> Option<Scored> {
    loop {
        progress.next += 1;
        if progress.next == progress.waiting.candidates.len() {
            if !progress.waiting.more {
                return None;
            }
            let last = progress.waiting.candidates[progress.next - 1];
            progress.keep = progress.keep.saturating_mul(2);
            let (candidates, more) = progress.waiting.index.candidates_after(
                tokens,
                last,
                |issue| !used[issue],
                progress.keep,
                scratch,
            );
            progress.waiting.candidates = candidates;
            progress.waiting.more = more;
            progress.next = 0;
            if progress.waiting.candidates.is_empty() {
                return None;
            }
        }
        let candidate = progress.waiting.candidates[progress.next];
        if !used[candidate.1] {
            return Some(candidate);
        }
    }
}
