//! Plan reader, lane tables: the outline's tables in, the lanes they describe out.
//! Two kinds are read, told apart by their header:
//! - an overview (`| Track | Agent | Beads (in order) | File Scope | Est. Time |`): one
//!   row per lane with its owner, its items in order (a chain cell, `web-ts3 → web-ts4`),
//!   its file scope and its stated time;
//! - an estimate table (`| Track | Duration | Dependencies |`, `| Phase | Time |
//!   Parallelizable? |`): a time per row, compared later with what the lanes state.
//!
//! The first column names the lane (`1`, `Track 1 (Infrastructure)`); a row that names
//! none is kept for an estimate table (`Spikes (web-b51s, web-wbpj)`) and skipped in an
//! overview.

use crate::ingest::duration::parse_duration;
use crate::ingest::outline::{Cell, Table};
use crate::model::plan::{DurationField, LaneKind};
use crate::model::span::LineIndex;

use super::item_ids::{ids_in, KnownIds};
use super::lane_words::{find_lane_mentions, lane_kind, LaneName};

/// Which column holds what.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Columns {
    kind: Option<LaneKind>,
    items: Option<usize>,
    owner: Option<usize>,
    scope: Option<usize>,
    time: Option<usize>,
    dependencies: Option<usize>,
    parallel: Option<usize>,
}

/// A cell's text and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellText {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl CellText {
    fn of(cell: &Cell<'_>) -> Self {
        CellText {
            text: cell.text.to_string(),
            start: cell.range.start,
            end: cell.range.end,
        }
    }
}

/// One row of an overview table.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewRow {
    pub lane: LaneName,
    /// The first cell.
    pub name: CellText,
    pub owner: Option<CellText>,
    /// The chain's ids in order, with their file offsets.
    pub items: Vec<(String, usize, usize)>,
    pub scope: Option<CellText>,
    pub time: Option<DurationField>,
    pub dependencies: Option<CellText>,
}

/// One row of an estimate table.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateLine {
    pub lane: Option<LaneName>,
    pub name: CellText,
    pub time: DurationField,
    pub dependencies: Option<CellText>,
    pub parallel: Option<CellText>,
}

/// What the plan's tables say about lanes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LaneTables {
    pub overview: Vec<OverviewRow>,
    pub estimates: Vec<EstimateLine>,
    /// The owner cells of overview rows, for reading headings (`Track 1: X - Subject`).
    pub owners: Vec<String>,
}

/// Reads every lane table of `tables`.
pub fn read_lane_tables(tables: &[Table<'_>], known: &KnownIds, index: &LineIndex) -> LaneTables {
    let mut read = LaneTables::default();
    for table in tables {
        let Some(columns) = lane_columns(&table.header) else {
            continue;
        };
        let overview =
            columns.items.is_some() || columns.owner.is_some() || columns.scope.is_some();
        for row in &table.rows {
            if overview {
                if let Some(row) = overview_row(row, columns, known, index) {
                    read.owners
                        .extend(row.owner.as_ref().map(|o| o.text.clone()));
                    read.overview.push(row);
                }
            } else if let Some(line) = estimate_line(row, columns, index) {
                read.estimates.push(line);
            }
        }
    }
    read
}

/// The columns of a lane table: the first header names a lane kind (or the rows do),
/// and at least one other column is one this reader knows.
fn lane_columns(header: &[Cell<'_>]) -> Option<Columns> {
    let first = header.first()?.text;
    let kind = lane_kind(first);
    let plain_name = ["name", "work", "tên"].contains(&first.trim().to_lowercase().as_str());
    if kind.is_none() && !plain_name {
        return None;
    }
    let mut columns = Columns {
        kind,
        ..Columns::default()
    };
    for (at, cell) in header.iter().enumerate().skip(1) {
        let lower = cell.text.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        let slot = if has(&["bead", "task", "item", "issue", "ticket", "công việc"]) {
            &mut columns.items
        } else if has(&["agent", "owner", "team", "assignee", "phụ trách"]) {
            &mut columns.owner
        } else if has(&["scope", "file"]) {
            &mut columns.scope
        } else if has(&["depend", "blocked", "phụ thuộc"]) {
            &mut columns.dependencies
        } else if has(&["parallel", "song song"]) {
            &mut columns.parallel
        } else if has(&[
            "time",
            "duration",
            "estimate",
            "effort",
            "eta",
            "hours",
            "thời gian",
        ]) {
            &mut columns.time
        } else {
            continue;
        };
        slot.get_or_insert(at);
    }
    let knows_some = columns.items.is_some()
        || columns.owner.is_some()
        || columns.scope.is_some()
        || columns.time.is_some();
    knows_some.then_some(columns)
}

/// The lane a first cell names: `Track 1 (Infrastructure)`, or `1` under a `Track`
/// header.
fn row_lane(cell: &str, kind: Option<LaneKind>) -> Option<LaneName> {
    if let Some((name, _)) = find_lane_mentions(cell).into_iter().next() {
        return Some(name);
    }
    let token: String = cell
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = cell.trim()[token.len()..].trim();
    let alone = rest.is_empty() || rest.starts_with('(');
    let kind = kind?;
    (!token.is_empty() && alone).then_some(LaneName { kind, token })
}

fn cell_at<'c>(row: &'c [Cell<'c>], at: Option<usize>) -> Option<&'c Cell<'c>> {
    at.and_then(|at| row.get(at))
        .filter(|cell| !cell.text.trim().is_empty())
}

fn overview_row(
    row: &[Cell<'_>],
    columns: Columns,
    known: &KnownIds,
    index: &LineIndex,
) -> Option<OverviewRow> {
    let first = row.first()?;
    let lane = row_lane(first.text, columns.kind)?;
    let items = cell_at(row, columns.items)
        .map(|cell| {
            ids_in(cell.text, |word| known.is_item_id(word))
                .into_iter()
                .map(|(id, range)| {
                    (
                        id,
                        cell.range.start + range.start,
                        cell.range.start + range.end,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Some(OverviewRow {
        lane,
        name: CellText::of(first),
        owner: cell_at(row, columns.owner).map(CellText::of),
        items,
        scope: cell_at(row, columns.scope).map(CellText::of),
        time: cell_at(row, columns.time).and_then(|cell| duration_cell(cell, index)),
        dependencies: cell_at(row, columns.dependencies).map(CellText::of),
    })
}

fn estimate_line(row: &[Cell<'_>], columns: Columns, index: &LineIndex) -> Option<EstimateLine> {
    let first = row.first()?;
    let time = duration_cell(cell_at(row, columns.time)?, index)?;
    Some(EstimateLine {
        lane: row_lane(first.text, columns.kind),
        name: CellText::of(first),
        time,
        dependencies: cell_at(row, columns.dependencies).map(CellText::of),
        parallel: cell_at(row, columns.parallel).map(CellText::of),
    })
}

/// A cell that starts with a duration (`45 min`, `5 hours`, `~2 hours`).
fn duration_cell(cell: &Cell<'_>, index: &LineIndex) -> Option<DurationField> {
    let duration = parse_duration(cell.text)?;
    Some(DurationField {
        raw: cell.text.to_string(),
        duration,
        span: index.span(cell.range.start, cell.range.end),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::outline::read_outline;

    fn tables(text: &str) -> LaneTables {
        let outline = read_outline(text, 0);
        let index = LineIndex::new(text);
        read_lane_tables(&outline.tables, &KnownIds::default(), &index)
    }

    #[test]
    fn an_overview_gives_each_lane_its_owner_chain_scope_and_time() {
        let text = "| Track | Agent | Beads (in order) | File Scope | Est. Time |\n|---|---|---|---|---|\n| 0 | IronDam | ab-b51s → ab-mdlo (P0A embedded) | package.json | 45 min |\n| 1 | IronFern | API beads (TBD) | apps/api/** | 5 hours |\n";
        let read = tables(text);
        assert_eq!(read.overview.len(), 2);
        let first = &read.overview[0];
        assert_eq!(first.lane.key(), "track-0");
        assert_eq!(first.owner.as_ref().unwrap().text, "IronDam");
        let ids: Vec<&str> = first.items.iter().map(|(id, _, _)| id.as_str()).collect();
        assert_eq!(ids, ["ab-b51s", "ab-mdlo"]);
        assert_eq!(first.time.as_ref().unwrap().raw, "45 min");
        assert!(read.overview[1].items.is_empty());
        assert_eq!(read.owners, ["IronDam", "IronFern"]);
        assert!(read.estimates.is_empty());
    }

    #[test]
    fn an_estimate_table_keeps_rows_that_name_no_lane() {
        let text = "| Phase | Time | Parallelizable? |\n|---|---|---|\n| Spikes (a, b) | 45 min | Yes |\n| Track 0 (Gate) | 45 min | No |\n| Notes | later | - |\n";
        let read = tables(text);
        let rows: Vec<(Option<String>, &str)> = read
            .estimates
            .iter()
            .map(|row| {
                (
                    row.lane.as_ref().map(LaneName::key),
                    row.parallel.as_ref().unwrap().text.as_str(),
                )
            })
            .collect();
        assert_eq!(rows, [(None, "Yes"), (Some("track-0".into()), "No")]);
    }

    #[test]
    fn a_table_whose_first_column_is_no_lane_is_not_read() {
        let text = "| Tool | Time |\n|---|---|\n| Track 1 | 2 hours |\n";
        assert_eq!(tables(text), LaneTables::default());
    }
}
