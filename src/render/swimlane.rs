//! Render stage: a plan's lanes side by side as one inline SVG swimlane, drawn at build
//! time with no script. One row per lane (track, phase, epic…) with its title, owner,
//! stated duration and progress; its work items as boxes in the lane's order, left to
//! right (a lane longer than the drawing is wide wraps onto further rows); boxes
//! coloured by tracker status, with a shape for each status so colour is never the only
//! cue; dependency arrows between items and lanes, solid for hard and dashed for soft
//! dependencies, in one colour for edges the plan wrote and another for edges that came
//! from the tracker; the longest chain by estimates outlined; a legend of what is drawn.
//!
//! The drawing has its own input, `SwimlaneInput`, so it does not depend on how the plan
//! model is shaped: a converter in the plan page's view fills it. Arrows are routed
//! through the gaps between lanes and the gutters between columns, never across a box.
//! Sizes come from a `viewBox` whose natural width fits the page at 1280 px; colours and
//! strokes are CSS classes (`sl-*`, light, dark and print colours in style.css) with
//! plain fallbacks for viewers without the stylesheet; `role="img"` with a `<title>` and a
//! `<desc>` that says in words what the picture shows; every box and arrow has its own
//! `<title>` with the full text; every string is escaped. Output depends only on the
//! input, so builds are byte-identical.

mod layout;
mod svg;
#[cfg(test)]
mod tests;
mod text;

/// Everything the swimlane draws.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwimlaneInput {
    /// The accessible name of the picture, e.g. `Tracks of the deployment plan`.
    pub title: String,
    pub lanes: Vec<LaneRow>,
    /// Dependencies to draw as arrows. Edges naming a lane or item that does not exist,
    /// or joining an item to itself, are not drawn.
    pub edges: Vec<SwimEdge>,
    /// The longest chain of work by estimates, first item first; its boxes are outlined
    /// and the arrows and order links between consecutive items of it highlighted.
    pub longest_chain: Vec<ItemRef>,
}

/// One lane: a track, phase, wave or epic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaneRow {
    /// `Track 1: Infrastructure Setup`.
    pub title: String,
    /// The agent or team that owns the lane.
    pub owner: Option<String>,
    /// The lane's stated duration as written, e.g. `3-4 hours`.
    pub duration: Option<String>,
    /// Where the lane's section is on the page, e.g. `#track-1`.
    pub href: Option<String>,
    /// The lane's work items, in the lane's order.
    pub items: Vec<SwimItem>,
}

/// One work item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwimItem {
    /// The tracker id (`web-xlwx`); `None` for planned work that has no id yet.
    pub id: Option<String>,
    pub title: String,
    pub status: SwimStatus,
    /// The estimate in minutes (the tracker's, else the plan's).
    pub estimate_minutes: Option<u32>,
    /// Where the item's details are on the page, e.g. `#item-web-xlwx`.
    pub href: Option<String>,
}

/// The status a box is coloured by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SwimStatus {
    Closed,
    InProgress,
    Open,
    Blocked,
    /// Planned work without a tracker id.
    Planned,
    /// An id the tracker does not know, or no tracker at all.
    #[default]
    Untracked,
}

impl SwimStatus {
    /// Every status, in legend order.
    pub const ALL: [SwimStatus; 6] = [
        SwimStatus::Closed,
        SwimStatus::InProgress,
        SwimStatus::Open,
        SwimStatus::Blocked,
        SwimStatus::Planned,
        SwimStatus::Untracked,
    ];

    /// The class suffix: `sl-status-in-progress`.
    pub fn class(self) -> &'static str {
        match self {
            SwimStatus::Closed => "closed",
            SwimStatus::InProgress => "in-progress",
            SwimStatus::Open => "open",
            SwimStatus::Blocked => "blocked",
            SwimStatus::Planned => "planned",
            SwimStatus::Untracked => "untracked",
        }
    }

    /// In words, for the legend and tooltips.
    pub fn label(self) -> &'static str {
        match self {
            SwimStatus::Closed => "closed",
            SwimStatus::InProgress => "in progress",
            SwimStatus::Open => "open",
            SwimStatus::Blocked => "blocked",
            SwimStatus::Planned => "planned, no id yet",
            SwimStatus::Untracked => "not in the tracker",
        }
    }
}

/// An item: its lane's index in `SwimlaneInput::lanes` and its index in that lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    pub lane: usize,
    pub item: usize,
}

/// One end of a dependency arrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SwimEnd {
    Item(ItemRef),
    /// A whole lane (`Track 2 depends on Track 1`).
    Lane(usize),
}

/// `to` waits for `from`: the arrow points from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwimEdge {
    pub from: SwimEnd,
    pub to: SwimEnd,
    pub kind: EdgeKind,
    pub source: EdgeSource,
}

/// Whether the dependency blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// `to` cannot start before `from` is done (a tracker `blocks` edge, "needs").
    Hard,
    /// Related or preferred order, not blocking.
    Soft,
}

/// Where a dependency was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeSource {
    /// Written in the plan (a dependencies label, a cross-track section).
    Plan,
    /// A dependency in the tracker (`blocks`, `parent-child`).
    Tracker,
}

/// The swimlane as SVG markup, every string escaped; `None` when there is no lane to
/// draw. `id_prefix` must be unique on the page: it prefixes every id in the SVG.
pub fn render_swimlane(input: &SwimlaneInput, id_prefix: &str) -> Option<String> {
    if input.lanes.is_empty() {
        return None;
    }
    let geometry = layout::lay_out(input);
    Some(svg::write_swimlane(input, &geometry, id_prefix))
}
