//! Swimlane geometry: where each lane band, lane header, item box, arrow and legend entry
//! goes. Pure arithmetic on the input, so the SVG writer only draws what is placed here
//! and the tests can check positions without parsing SVG.
//!
//! Lanes are horizontal bands, one above the other, with a gap (a channel) between them;
//! items sit in columns separated by gutters. An arrow leaves its source box through the
//! top or bottom into the channel next to it, runs along the channel to the gutter just
//! before its target, along that gutter to the target's middle and into its left side, so
//! it never crosses a box. Lane-to-lane arrows run in a margin left of the lane headers.

use std::collections::BTreeSet;

use super::text::{fit_lines, format_minutes, mono_width, text_width};
use super::{EdgeKind, EdgeSource, ItemRef, SwimEnd, SwimStatus, SwimlaneInput};

/// The widest the drawing gets, in user units (px at natural size): fits the page's
/// content column at 1280 px.
pub(super) const MAX_WIDTH: f64 = 1040.0;
const MARGIN: f64 = 10.0;
pub(super) const HEADER_WIDTH: f64 = 148.0;
pub(super) const GUTTER: f64 = 24.0;
const MIN_COLUMN: f64 = 112.0;
const MAX_COLUMN: f64 = 200.0;
pub(super) const BOX_HEIGHT: f64 = 74.0;
const LANE_PAD: f64 = 8.0;
/// The channel between two lanes (and between the rows of a wrapped lane).
const CHANNEL: f64 = 26.0;
/// Distance between two lane-to-lane arrows in the left margin.
const LANE_EDGE_STEP: f64 = 8.0;
const MAX_LANE_EDGE_TRACKS: usize = 6;
/// Padding inside a box and a lane header.
pub(super) const INSET: f64 = 8.0;
pub(super) const ID_FONT: f64 = 12.0;
pub(super) const TITLE_FONT: f64 = 12.0;
pub(super) const TITLE_LINE: f64 = 15.0;
pub(super) const LANE_TITLE_FONT: f64 = 13.0;
pub(super) const LANE_TITLE_LINE: f64 = 16.0;
pub(super) const SMALL_FONT: f64 = 11.5;
pub(super) const LEGEND_FONT: f64 = 12.0;
pub(super) const LEGEND_ROW: f64 = 22.0;
pub(super) const LEGEND_SWATCH: f64 = 26.0;
/// Room kept at a box's top right for its status mark.
pub(super) const MARK_ROOM: f64 = 16.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    pub fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
}

pub(super) type Point = (f64, f64);

/// Everything placed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Geometry {
    pub width: f64,
    pub height: f64,
    pub lanes: Vec<LaneGeometry>,
    pub edges: Vec<EdgeRoute>,
    pub order_links: Vec<OrderLink>,
    pub legend: Vec<LegendEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct LaneGeometry {
    /// The whole band, header included.
    pub band: Rect,
    pub header: Rect,
    pub title_lines: Vec<String>,
    pub owner: Option<String>,
    /// `2 of 4 closed`, or `3 items` when no item is in the tracker.
    pub meta: String,
    /// The lane's stated duration, cut to the header's width.
    pub duration: Option<String>,
    /// Closed and total items, when any item has a tracker status.
    pub progress: Option<(usize, usize)>,
    pub items: Vec<ItemGeometry>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct ItemGeometry {
    pub rect: Rect,
    /// The id as shown, or `planned`.
    pub id_text: String,
    pub title_lines: Vec<String>,
    pub estimate: Option<String>,
    pub critical: bool,
}

/// One arrow's path, first point at its source.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct EdgeRoute {
    /// Index in `SwimlaneInput::edges`.
    pub edge: usize,
    pub points: Vec<Point>,
    /// Joins two consecutive items of the longest chain.
    pub critical: bool,
}

/// The short link between two consecutive items of a lane on the same row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct OrderLink {
    pub from: Point,
    pub to: Point,
    pub critical: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct LegendEntry {
    pub swatch: Swatch,
    pub label: String,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Swatch {
    Status(SwimStatus),
    Edge(EdgeKind, EdgeSource),
    Critical,
}

/// Columns, widths and left edges shared by every lane.
struct Grid {
    lane_margin: f64,
    columns: usize,
    column_width: f64,
}

impl Grid {
    fn new(input: &SwimlaneInput) -> Grid {
        let lane_edges = input
            .edges
            .iter()
            .filter(|e| matches!((e.from, e.to), (SwimEnd::Lane(_), SwimEnd::Lane(_))))
            .count();
        let lane_margin = if lane_edges == 0 {
            0.0
        } else {
            6.0 + LANE_EDGE_STEP * lane_edges.min(MAX_LANE_EDGE_TRACKS) as f64
        };
        let fixed = 2.0 * MARGIN + lane_margin + HEADER_WIDTH;
        let longest = input.lanes.iter().map(|l| l.items.len()).max().unwrap_or(0);
        let fitting = ((MAX_WIDTH - fixed) / (MIN_COLUMN + GUTTER))
            .floor()
            .max(1.0) as usize;
        let columns = longest.clamp(1, fitting);
        let column_width =
            ((MAX_WIDTH - fixed) / columns as f64 - GUTTER).clamp(MIN_COLUMN, MAX_COLUMN);
        Grid {
            lane_margin,
            columns,
            column_width,
        }
    }

    fn header_x(&self) -> f64 {
        MARGIN + self.lane_margin
    }

    fn column_x(&self, column: usize) -> f64 {
        self.header_x() + HEADER_WIDTH + GUTTER + column as f64 * (self.column_width + GUTTER)
    }

    fn width(&self) -> f64 {
        self.column_x(self.columns) + MARGIN - GUTTER
    }
}

/// Places everything (see the module header).
pub(super) fn lay_out(input: &SwimlaneInput) -> Geometry {
    let grid = Grid::new(input);
    let width = grid.width();
    let chain: BTreeSet<ItemRef> = input.longest_chain.iter().copied().collect();
    let mut lanes = Vec::with_capacity(input.lanes.len());
    let mut y = MARGIN + CHANNEL;
    for index in 0..input.lanes.len() {
        let placed = place_lane(input, index, &grid, width, y, &chain);
        y = placed.band.bottom() + CHANNEL;
        lanes.push(placed);
    }
    let consecutive: BTreeSet<(ItemRef, ItemRef)> = input
        .longest_chain
        .windows(2)
        .map(|pair| (pair[0], pair[1]))
        .collect();
    let edges = route_edges(input, &grid, &lanes, &consecutive);
    let order_links = order_links(&lanes, &consecutive);
    let (legend, legend_height) = place_legend(input, width, y + 4.0);
    Geometry {
        width,
        height: y + 4.0 + legend_height + MARGIN,
        lanes,
        edges,
        order_links,
        legend,
    }
}

fn place_lane(
    input: &SwimlaneInput,
    index: usize,
    grid: &Grid,
    width: f64,
    top: f64,
    chain: &BTreeSet<ItemRef>,
) -> LaneGeometry {
    let lane = &input.lanes[index];
    let text_width_inside = HEADER_WIDTH - 2.0 * INSET;
    let title_lines = fit_lines(&lane.title, text_width_inside, LANE_TITLE_FONT, 3);
    let owner = lane
        .owner
        .as_deref()
        .map(|o| fit_lines(o, text_width_inside, SMALL_FONT, 1).remove(0));
    let tracked = lane
        .items
        .iter()
        .any(|i| !matches!(i.status, SwimStatus::Planned | SwimStatus::Untracked));
    let closed = lane
        .items
        .iter()
        .filter(|i| i.status == SwimStatus::Closed)
        .count();
    let progress = tracked.then_some((closed, lane.items.len()));
    let meta = match progress {
        Some((closed, total)) => format!("{closed} of {total} closed"),
        None => format!(
            "{} item{}",
            lane.items.len(),
            if lane.items.len() == 1 { "" } else { "s" }
        ),
    };
    let duration = lane
        .duration
        .as_deref()
        .map(|d| fit_lines(d, text_width_inside, SMALL_FONT, 1).remove(0));
    let header_needed = INSET
        + title_lines.len() as f64 * LANE_TITLE_LINE
        + if owner.is_some() { 16.0 } else { 0.0 }
        + 16.0
        + if duration.is_some() { 16.0 } else { 0.0 }
        + (if progress.is_some() { 12.0 } else { 0.0 })
        + INSET;
    let rows = lane.items.len().div_ceil(grid.columns).max(1);
    let rows_height = rows as f64 * BOX_HEIGHT + (rows - 1) as f64 * CHANNEL;
    let band_height = (rows_height + 2.0 * LANE_PAD).max(header_needed);
    let band = Rect {
        x: MARGIN + grid.lane_margin,
        y: top,
        w: width - 2.0 * MARGIN - grid.lane_margin,
        h: band_height,
    };
    let rows_top = top + (band_height - rows_height) / 2.0;
    let items = lane
        .items
        .iter()
        .enumerate()
        .map(|(position, item)| {
            let (row, column) = (position / grid.columns, position % grid.columns);
            let rect = Rect {
                x: grid.column_x(column),
                y: rows_top + row as f64 * (BOX_HEIGHT + CHANNEL),
                w: grid.column_width,
                h: BOX_HEIGHT,
            };
            let inside = grid.column_width - 2.0 * INSET;
            let id_text = item.id.clone().unwrap_or_else(|| "planned".to_string());
            let id_room = inside - MARK_ROOM;
            let id_text = if mono_width(&id_text, ID_FONT) <= id_room {
                id_text
            } else {
                let keep = (id_room / (0.62 * ID_FONT)).floor().max(2.0) as usize;
                let cut: String = id_text.chars().take(keep - 1).collect();
                format!("{cut}…")
            };
            ItemGeometry {
                rect,
                id_text,
                title_lines: fit_lines(&item.title, inside, TITLE_FONT, 2),
                estimate: item.estimate_minutes.map(format_minutes),
                critical: chain.contains(&ItemRef {
                    lane: index,
                    item: position,
                }),
            }
        })
        .collect();
    LaneGeometry {
        band,
        header: Rect {
            x: band.x,
            y: band.y,
            w: HEADER_WIDTH,
            h: band.h,
        },
        title_lines,
        owner,
        meta,
        duration,
        progress,
        items,
    }
}

/// The box of an item, if the reference names one.
fn item_rect(lanes: &[LaneGeometry], at: ItemRef) -> Option<Rect> {
    lanes.get(at.lane)?.items.get(at.item).map(|i| i.rect)
}

/// Where an arrow ends: the gutter it comes down, the height it enters at and the x of
/// the arrow's tip.
struct Entry {
    gutter_x: f64,
    y: f64,
    tip_x: f64,
    /// The row's top and bottom: an arrow coming from a lane header turns into the
    /// gutter through the channel next to them.
    top: f64,
    bottom: f64,
}

fn entry(grid: &Grid, lanes: &[LaneGeometry], end: SwimEnd) -> Option<Entry> {
    match end {
        SwimEnd::Item(at) => {
            let rect = item_rect(lanes, at)?;
            Some(Entry {
                gutter_x: rect.x - GUTTER / 2.0,
                y: rect.cy(),
                tip_x: rect.x,
                top: rect.y,
                bottom: rect.bottom(),
            })
        }
        SwimEnd::Lane(index) => {
            let header = lanes.get(index)?.header;
            Some(Entry {
                gutter_x: grid.column_x(0) - GUTTER / 2.0,
                y: header.cy(),
                tip_x: header.right(),
                top: header.y,
                bottom: header.bottom(),
            })
        }
    }
}

/// The middle of the channel just above (`up`) or below a row: a box's row, or a lane
/// band. Rows of one lane and bands are `CHANNEL` apart, so this is free space.
fn channel_beside(top: f64, bottom: f64, up: bool) -> f64 {
    if up {
        top - CHANNEL / 2.0
    } else {
        bottom + CHANNEL / 2.0
    }
}

fn route_edges(
    input: &SwimlaneInput,
    grid: &Grid,
    lanes: &[LaneGeometry],
    consecutive: &BTreeSet<(ItemRef, ItemRef)>,
) -> Vec<EdgeRoute> {
    let mut routes = Vec::new();
    let mut lane_tracks = 0usize;
    for (index, edge) in input.edges.iter().enumerate() {
        if edge.from == edge.to {
            continue;
        }
        // Parallel arrows are set a few units apart so they stay distinguishable.
        let offset = ((routes.len() % 5) as f64 - 2.0) * 2.5;
        let points = match (edge.from, edge.to) {
            (SwimEnd::Lane(from), SwimEnd::Lane(to)) => {
                let track = lane_tracks % MAX_LANE_EDGE_TRACKS;
                lane_tracks += 1;
                lane_route(grid, lanes, from, to, track)
            }
            (from, to) => route(grid, lanes, from, to, offset),
        };
        let Some(points) = points else { continue };
        let critical = match (edge.from, edge.to) {
            (SwimEnd::Item(a), SwimEnd::Item(b)) => consecutive.contains(&(a, b)),
            _ => false,
        };
        routes.push(EdgeRoute {
            edge: index,
            points,
            critical,
        });
    }
    routes
}

/// A lane-to-lane arrow in the margin left of the headers.
fn lane_route(
    grid: &Grid,
    lanes: &[LaneGeometry],
    from: usize,
    to: usize,
    track: usize,
) -> Option<Vec<Point>> {
    let (a, b) = (lanes.get(from)?.header, lanes.get(to)?.header);
    let x = MARGIN + grid.lane_margin - 6.0 - LANE_EDGE_STEP * track as f64;
    let shift = (track as f64 - 2.0) * 3.0;
    Some(vec![
        (a.x, a.cy() + shift),
        (x, a.cy() + shift),
        (x, b.cy() - shift),
        (b.x, b.cy() - shift),
    ])
}

/// An arrow from an item or lane header to an item or lane header (see the module
/// header for the path it takes).
fn route(
    grid: &Grid,
    lanes: &[LaneGeometry],
    from: SwimEnd,
    to: SwimEnd,
    offset: f64,
) -> Option<Vec<Point>> {
    let target = entry(grid, lanes, to)?;
    let gutter = target.gutter_x + offset;
    let mut points = match from {
        SwimEnd::Item(at) => {
            let rect = item_rect(lanes, at)?;
            let same_row = (target.y - rect.cy()).abs() < 1.0;
            if same_row && (target.gutter_x - (rect.right() + GUTTER / 2.0)).abs() < 1.0 {
                // The next box on the same row: straight across the gutter.
                return Some(vec![(rect.right(), rect.cy()), (target.tip_x, target.y)]);
            }
            let up = target.y < rect.y || same_row;
            let x = rect.cx() + offset * 2.0;
            let start_y = if up { rect.y } else { rect.bottom() };
            let channel = channel_beside(rect.y, rect.bottom(), up) + offset;
            vec![(x, start_y), (x, channel), (gutter, channel)]
        }
        SwimEnd::Lane(index) => {
            let header = lanes.get(index)?.header;
            let y = header.cy() + offset;
            let first_gutter = grid.column_x(0) - GUTTER / 2.0 + offset;
            let mut points = vec![(header.right(), y), (first_gutter, y)];
            if (gutter - first_gutter).abs() >= 1.0 {
                // Along the first gutter to the channel beside the target's row, then
                // along that channel to the target's gutter.
                let up = target.y > header.cy();
                let channel = channel_beside(target.top, target.bottom, up) + offset;
                points.push((first_gutter, channel));
                points.push((gutter, channel));
            }
            points
        }
    };
    points.push((gutter, target.y));
    points.push((target.tip_x, target.y));
    Some(points)
}

/// Links between consecutive items of a lane that sit on the same row.
fn order_links(
    lanes: &[LaneGeometry],
    consecutive: &BTreeSet<(ItemRef, ItemRef)>,
) -> Vec<OrderLink> {
    let mut links = Vec::new();
    for (lane_index, lane) in lanes.iter().enumerate() {
        for (position, pair) in lane.items.windows(2).enumerate() {
            let (a, b) = (pair[0].rect, pair[1].rect);
            if (a.y - b.y).abs() >= 1.0 {
                continue;
            }
            let from = ItemRef {
                lane: lane_index,
                item: position,
            };
            let to = ItemRef {
                lane: lane_index,
                item: position + 1,
            };
            links.push(OrderLink {
                from: (a.right(), a.cy()),
                to: (b.x, b.cy()),
                critical: consecutive.contains(&(from, to)),
            });
        }
    }
    links
}

/// The legend's entries, only for what the drawing shows, in rows under the lanes.
/// Returns the entries and the legend's height.
fn place_legend(input: &SwimlaneInput, width: f64, top: f64) -> (Vec<LegendEntry>, f64) {
    let statuses: BTreeSet<SwimStatus> = input
        .lanes
        .iter()
        .flat_map(|l| l.items.iter().map(|i| i.status))
        .collect();
    let mut wanted: Vec<(Swatch, String)> = SwimStatus::ALL
        .into_iter()
        .filter(|s| statuses.contains(s))
        .map(|s| (Swatch::Status(s), s.label().to_string()))
        .collect();
    let edge_kinds: BTreeSet<(EdgeKind, EdgeSource)> =
        input.edges.iter().map(|e| (e.kind, e.source)).collect();
    for (kind, source) in edge_kinds {
        let kind_word = match kind {
            EdgeKind::Hard => "needs",
            EdgeKind::Soft => "soft dependency",
        };
        let source_word = match source {
            EdgeSource::Plan => "plan",
            EdgeSource::Tracker => "tracker",
        };
        wanted.push((
            Swatch::Edge(kind, source),
            format!("{kind_word} ({source_word})"),
        ));
    }
    if !input.longest_chain.is_empty() {
        wanted.push((Swatch::Critical, "longest chain by estimates".to_string()));
    }
    let mut entries = Vec::with_capacity(wanted.len());
    let (mut x, mut y) = (MARGIN, top);
    for (swatch, label) in wanted {
        let needed = LEGEND_SWATCH + 6.0 + text_width(&label, LEGEND_FONT);
        if x > MARGIN && x + needed > width - MARGIN {
            x = MARGIN;
            y += LEGEND_ROW;
        }
        entries.push(LegendEntry {
            swatch,
            label,
            x,
            y,
        });
        x += needed + 18.0;
    }
    let height = if entries.is_empty() {
        0.0
    } else {
        y - top + LEGEND_ROW
    };
    (entries, height)
}
