//! The tracker's issue titles indexed by token (analysis stage, for `status_match`).
//!
//! Two titles that share no token score 0, so a plan item only needs comparing with the
//! issues that share a token with it: the index lists, for each token, the issues whose
//! title has it, and one pass over an item's tokens counts the tokens it shares with each
//! of those issues. That count gives the same Dice score `title_similarity::token_dice`
//! computes from the two sets, to the bit. Matching a plan against a tracker then costs
//! in proportion to the words titles share, not to tasks × issues.

use std::collections::{BTreeSet, HashMap};

use super::MATCH_THRESHOLD;

/// An issue's score for one item, and the issue's position in the matcher's issue list.
pub(super) type Scored = (f64, usize);

/// The order the matcher takes candidates in: higher score first, then the issue that
/// comes first in the tracker.
pub(super) fn rank(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// The issues of one kind (epics, or the other issues), by title token.
pub(super) struct TitleIndex {
    token_ids: HashMap<String, usize>,
    /// By token id: the issues whose title has the token.
    postings: Vec<Vec<usize>>,
    /// By issue position: how many distinct tokens its title has.
    sizes: Vec<usize>,
}

/// Counters and a buffer reused from one item to the next, so a scan allocates only
/// the few candidates it keeps.
pub(super) struct Scratch {
    shared: Vec<u32>,
    touched: Vec<usize>,
    above: Vec<Scored>,
}

impl Scratch {
    pub(super) fn new(issue_count: usize) -> Self {
        Scratch {
            shared: vec![0; issue_count],
            touched: Vec::new(),
            above: Vec::new(),
        }
    }
}

/// What one scan of an item found.
#[derive(Debug, Default)]
pub(super) struct ItemScan {
    /// The best and second-best issue of all that share a token with the item.
    pub best: Option<Scored>,
    pub second: Option<Scored>,
    /// The first `keep` candidates at or above the threshold, in `rank` order.
    pub candidates: Vec<Scored>,
    /// Whether more candidates at or above the threshold follow those kept.
    pub more: bool,
}

impl TitleIndex {
    /// Indexes the issues `titles` lists (each issue's kind and title tokens, by position)
    /// whose kind is `epics`.
    pub(super) fn new<'a>(
        titles: impl Iterator<Item = (bool, &'a BTreeSet<String>)>,
        epics: bool,
    ) -> Self {
        let mut index = TitleIndex {
            token_ids: HashMap::new(),
            postings: Vec::new(),
            sizes: Vec::new(),
        };
        for (position, (is_epic, tokens)) in titles.enumerate() {
            let indexed = is_epic == epics;
            index.sizes.push(if indexed { tokens.len() } else { 0 });
            if !indexed {
                continue;
            }
            for token in tokens {
                let next_id = index.postings.len();
                let id = *index.token_ids.entry(token.clone()).or_insert(next_id);
                if id == next_id {
                    index.postings.push(Vec::new());
                }
                index.postings[id].push(position);
            }
        }
        index
    }

    /// Calls `found` with every indexed issue that shares a token with `tokens`, and the
    /// Dice score of the two token sets; in no particular order.
    fn for_each_score(
        &self,
        tokens: &BTreeSet<String>,
        scratch: &mut Scratch,
        mut found: impl FnMut(Scored),
    ) {
        for token in tokens {
            let Some(&id) = self.token_ids.get(token) else {
                continue;
            };
            for &issue in &self.postings[id] {
                if scratch.shared[issue] == 0 {
                    scratch.touched.push(issue);
                }
                scratch.shared[issue] += 1;
            }
        }
        for &issue in &scratch.touched {
            let shared = scratch.shared[issue] as usize;
            // As `token_dice` computes it, so equal scores stay equal.
            let score = 2.0 * shared as f64 / (tokens.len() + self.sizes[issue]) as f64;
            found((score, issue));
            scratch.shared[issue] = 0;
        }
        scratch.touched.clear();
    }

    /// The best two issues for an item, and its first `keep` candidates at or above the
    /// threshold.
    pub(super) fn scan(
        &self,
        tokens: &BTreeSet<String>,
        keep: usize,
        scratch: &mut Scratch,
    ) -> ItemScan {
        let mut scan = ItemScan::default();
        let mut above = std::mem::take(&mut scratch.above);
        self.for_each_score(tokens, scratch, |scored| {
            if scan.best.is_none_or(|best| rank(&scored, &best).is_lt()) {
                scan.second = scan.best.replace(scored);
            } else if scan
                .second
                .is_none_or(|second| rank(&scored, &second).is_lt())
            {
                scan.second = Some(scored);
            }
            if scored.0 >= MATCH_THRESHOLD {
                above.push(scored);
            }
        });
        (scan.candidates, scan.more) = first_in_rank(&mut above, keep);
        scratch.above = above;
        scan
    }

    /// The candidates at or above the threshold that come after `after` in rank order
    /// and that `usable` accepts: the first `keep` of them, and whether more follow.
    pub(super) fn candidates_after(
        &self,
        tokens: &BTreeSet<String>,
        after: Scored,
        usable: impl Fn(usize) -> bool,
        keep: usize,
        scratch: &mut Scratch,
    ) -> (Vec<Scored>, bool) {
        let mut above = std::mem::take(&mut scratch.above);
        self.for_each_score(tokens, scratch, |scored| {
            let wanted =
                scored.0 >= MATCH_THRESHOLD && rank(&after, &scored).is_lt() && usable(scored.1);
            if wanted {
                above.push(scored);
            }
        });
        let found = first_in_rank(&mut above, keep);
        scratch.above = above;
        found
    }
}

/// The first `keep` of `scored` in rank order (sorted, in a vector of their own), and
/// whether any were left out. Empties `scored`, keeping its buffer for the next item.
fn first_in_rank(scored: &mut Vec<Scored>, keep: usize) -> (Vec<Scored>, bool) {
    let more = scored.len() > keep;
    if more {
        scored.select_nth_unstable_by(keep, rank);
        scored.truncate(keep);
    }
    scored.sort_by(rank);
    let first = scored.clone();
    scored.clear();
    (first, more)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::title_similarity::{title_tokens, token_dice};

    fn index(titles: &[(bool, &str)], epics: bool) -> (TitleIndex, Vec<BTreeSet<String>>) {
        let tokens: Vec<BTreeSet<String>> = titles.iter().map(|(_, t)| title_tokens(t)).collect();
        let kinds = titles.iter().map(|(is_epic, _)| *is_epic);
        let index = TitleIndex::new(kinds.zip(tokens.iter()), epics);
        (index, tokens)
    }

    #[test]
    fn scores_are_those_of_the_token_sets_for_issues_sharing_a_token_of_the_same_kind() {
        let titles = [
            (false, "Rotate TLS keys"),
            (true, "Epic: rotate TLS keys"),
            (false, "Resize volumes"),
            (false, "Rotate the old TLS keys on the edge"),
        ];
        let (index, tokens) = index(&titles, false);
        let item = title_tokens("rotate keys");
        let mut scratch = Scratch::new(titles.len());
        let mut scores = Vec::new();
        index.for_each_score(&item, &mut scratch, |scored| scores.push(scored));
        scores.sort_by(rank);
        let expected: Vec<Scored> = [0, 3]
            .into_iter()
            .map(|i| (token_dice(&item, &tokens[i]), i))
            .collect();
        assert_eq!(scores, expected);
        // The scratch counters are clean for the next item.
        assert!(scratch.shared.iter().all(|&n| n == 0) && scratch.touched.is_empty());
    }

    #[test]
    fn a_scan_keeps_the_best_two_and_the_first_candidates_above_the_threshold() {
        let titles = [
            (false, "Configure disk alerts for service 1"),
            (false, "Configure disk alerts for service 2"),
            (false, "Configure disk alerts for service 3"),
            (false, "Configure memory alerts"),
        ];
        let (index, _) = index(&titles, false);
        let item = title_tokens("Configure disk alerts for service 2");
        let mut scratch = Scratch::new(titles.len());
        let scan = index.scan(&item, 1, &mut scratch);
        assert_eq!(scan.best, Some((1.0, 1)));
        assert_eq!(scan.second, Some((0.8, 0)));
        assert_eq!(scan.candidates, [(1.0, 1)]);
        assert!(scan.more);
        let (next, more) =
            index.candidates_after(&item, (1.0, 1), |issue| issue != 0, 5, &mut scratch);
        assert_eq!(next, [(0.8, 2)]);
        assert!(!more);
    }
}
