//! Plan reader, stated totals: the plan's bold labels in, the totals it states for
//! itself out: `**Total (Sequential):** 10 hours`, `**Total (Parallel):** 5-6 hours`,
//! `**Critical Path:** Spikes (45min) → Track 0 (45min) → Track 1 (5hr) = **6.5 hours**`.
//! The analyses compare them with what the lanes add up to.

use crate::ingest::duration::parse_duration;
use crate::ingest::outline::BoldLabel;
use crate::model::plan::{DurationField, StatedTotal, Text, TotalKind};

use super::lane_source::LaneSource;

/// Every stated total of the plan, in file order.
pub(super) fn read_stated_totals(src: &LaneSource<'_, '_>) -> Vec<StatedTotal> {
    let body = src.outline.body_start..src.outline.body_end;
    src.outline
        .label_lines(body)
        .iter()
        .flat_map(|line| line.labels.iter())
        .filter_map(|label| stated_total(src, label))
        .collect()
}

fn total_kind(label: &str) -> Option<TotalKind> {
    let lower = label.to_lowercase();
    if lower.contains("critical path") || lower.contains("đường găng") {
        Some(TotalKind::CriticalPath)
    } else if lower.contains("total") || lower.contains("tổng") {
        if lower.contains("sequential") || lower.contains("serial") || lower.contains("tuần tự")
        {
            Some(TotalKind::Sequential)
        } else if lower.contains("parallel") || lower.contains("song song") {
            Some(TotalKind::Parallel)
        } else {
            None
        }
    } else {
        None
    }
}

fn stated_total(src: &LaneSource<'_, '_>, label: &BoldLabel<'_>) -> Option<StatedTotal> {
    let kind = total_kind(label.label)?;
    let value = label.value;
    // A chain ends with `= 6.5 hours`; a total is its whole value.
    let (chain_text, figure, figure_start) = match value.rfind('=') {
        Some(at) => (&value[..at], &value[at + 1..], label.value_start + at + 1),
        None => ("", value, label.value_start),
    };
    let trimmed = figure.trim_start_matches([' ', '*', '~']);
    let figure_start = figure_start + (figure.len() - trimmed.len());
    let duration = parse_duration(trimmed)?;
    let raw = trimmed.trim_end_matches(['*', ' ']);
    let raw = raw.split(" (").next().unwrap_or(raw).trim_end();
    let chain = chain_steps(src, chain_text, label.value_start);
    Some(StatedTotal {
        kind,
        label: label.label.to_string(),
        value: DurationField {
            raw: raw.to_string(),
            duration,
            span: src.span(figure_start..figure_start + raw.len()),
        },
        chain,
        span: src.span(label.start..label.end),
    })
}

/// `A (45min) → B (5hr)`: the steps of a chain, each with its place.
fn chain_steps(src: &LaneSource<'_, '_>, chain: &str, start: usize) -> Vec<Text> {
    if chain.trim().is_empty() {
        return Vec::new();
    }
    let mut steps = Vec::new();
    let mut offset = 0;
    for part in chain.split(['→']).flat_map(|p| p.split("->")) {
        let at = chain[offset..].find(part).map_or(offset, |i| offset + i);
        offset = at + part.len();
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let lead = part.len() - part.trim_start().len();
            steps.push(src.text_at(trimmed, start + at + lead));
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::outline::read_outline;
    use crate::model::span::LineIndex;

    #[test]
    fn totals_and_a_critical_path_chain_are_read_with_their_figures() {
        let text = "**Critical Path:** Spikes (45min) → Track 0 (45min) → Track 1 (5hr) = **6.5 hours**  \n**Total Calendar Time:** ~8 hours\n\n**Total (Sequential):** 10 hours  \n**Total (Parallel):** 5-6 hours (with orchestrator)\n**Total**: ~20-30 iterations\n";
        let outline = read_outline(text, 0);
        let index = LineIndex::new(text);
        let src = LaneSource::new(text, &outline, &index);
        let totals = read_stated_totals(&src);
        let read: Vec<(TotalKind, &str, usize)> = totals
            .iter()
            .map(|t| (t.kind, t.value.raw.as_str(), t.chain.len()))
            .collect();
        assert_eq!(
            read,
            [
                (TotalKind::CriticalPath, "6.5 hours", 3),
                (TotalKind::Sequential, "10 hours", 0),
                (TotalKind::Parallel, "5-6 hours", 0),
            ]
        );
        let chain: Vec<&str> = totals[0].chain.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            chain,
            ["Spikes (45min)", "Track 0 (45min)", "Track 1 (5hr)"]
        );
        assert_eq!(
            &text[totals[0].value.span.start..totals[0].value.span.end],
            "6.5 hours"
        );
    }
}
