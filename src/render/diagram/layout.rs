//! Diagram stage, the layout contract: boxes with sizes and edges between them in, a
//! neutral geometry out (node boxes, edge curves, label centres, cluster boxes). Engines
//! implement `GraphLayout`; the SVG writer and the quality checks read only `Layout`, so
//! an engine can be swapped without touching them.

use crate::model::graph::FlowDirection;

/// A point in diagram units (CSS px at scale 1).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
}

/// An axis-aligned box given by its centre and size.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub cx: f64,
    pub cy: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn left(&self) -> f64 {
        self.cx - self.width / 2.0
    }
    pub fn right(&self) -> f64 {
        self.cx + self.width / 2.0
    }
    pub fn top(&self) -> f64 {
        self.cy - self.height / 2.0
    }
    pub fn bottom(&self) -> f64 {
        self.cy + self.height / 2.0
    }

    /// The smallest box holding both corners.
    pub fn from_corners(left: f64, top: f64, right: f64, bottom: f64) -> Self {
        Rect {
            cx: (left + right) / 2.0,
            cy: (top + bottom) / 2.0,
            width: right - left,
            height: bottom - top,
        }
    }

    #[cfg(any(test, feature = "bench-api"))]
    pub fn contains(&self, p: Point) -> bool {
        p.x > self.left() && p.x < self.right() && p.y > self.top() && p.y < self.bottom()
    }

    #[cfg(any(test, feature = "bench-api"))]
    pub fn intersects(&self, other: &Rect) -> bool {
        self.left() < other.right()
            && other.left() < self.right()
            && self.top() < other.bottom()
            && other.top() < self.bottom()
    }

    /// Grows the box by `by` on every side.
    pub fn inflate(&self, by: f64) -> Rect {
        Rect {
            width: self.width + 2.0 * by,
            height: self.height + 2.0 * by,
            ..*self
        }
    }
}

/// One node to place: its size (the caller measures the text).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeSpec {
    pub width: f64,
    pub height: f64,
    /// Round shapes get round connection points where the engine supports them.
    pub round: bool,
}

/// One edge to route, between node indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeSpec {
    pub from: usize,
    pub to: usize,
    /// Width and height of the label box, when the edge has a label.
    pub label: Option<(f64, f64)>,
    /// Soft (dotted) edges give way to hard ones when a cycle must be broken.
    pub soft: bool,
}

/// A group of nodes drawn inside a titled box.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSpec {
    /// Node indexes directly or indirectly inside it.
    pub members: Vec<usize>,
    /// Height reserved above the members for the title.
    pub title_height: f64,
    /// Width the title needs.
    pub title_width: f64,
}

/// What an engine lays out.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutInput {
    pub direction: FlowDirection,
    pub nodes: Vec<NodeSpec>,
    pub edges: Vec<EdgeSpec>,
    pub clusters: Vec<ClusterSpec>,
}

/// An edge's curve: a start point and cubic Bézier segments `(control1, control2, end)`,
/// in the edge's own direction (from its `from` node to its `to` node).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdgeCurve {
    pub start: Point,
    pub segments: Vec<[Point; 3]>,
    /// Centre of the label box, on the curve.
    pub label: Option<Point>,
}

impl EdgeCurve {
    /// Points along the curve, `per_segment` samples per Bézier segment.
    pub fn sample(&self, per_segment: usize) -> Vec<Point> {
        let mut points = vec![self.start];
        let mut from = self.start;
        for [c1, c2, end] in &self.segments {
            for step in 1..=per_segment {
                let t = step as f64 / per_segment as f64;
                points.push(cubic(from, *c1, *c2, *end, t));
            }
            from = *end;
        }
        points
    }

    #[cfg(feature = "bench-api")]
    pub fn end(&self) -> Point {
        self.segments.last().map_or(self.start, |s| s[2])
    }

    /// The same curve, run the other way.
    pub fn reversed(&self) -> EdgeCurve {
        let mut points = vec![self.start];
        for s in &self.segments {
            points.extend_from_slice(s);
        }
        points.reverse();
        EdgeCurve {
            start: points[0],
            segments: points[1..]
                .chunks_exact(3)
                .map(|c| [c[0], c[1], c[2]])
                .collect(),
            label: self.label,
        }
    }
}

fn cubic(p0: Point, p1: Point, p2: Point, p3: Point, t: f64) -> Point {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    Point::new(
        a * p0.x + b * p1.x + c * p2.x + d * p3.x,
        a * p0.y + b * p1.y + c * p2.y + d * p3.y,
    )
}

/// The placed diagram. Indexes match `LayoutInput`; every coordinate is inside
/// `0..width` × `0..height`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub nodes: Vec<Rect>,
    pub edges: Vec<EdgeCurve>,
    /// Cluster boxes, title band included.
    pub clusters: Vec<Rect>,
    pub width: f64,
    pub height: f64,
}

/// Why an engine gave no layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutError {
    pub message: String,
}

/// A layout engine.
/// Runs an engine the way every engine must be run: never on an empty graph (layout-rs
/// panics on one), and inside `catch_unwind`, turning a panic into an `Err` that names the
/// engine and the panic's message.
pub fn guarded_layout(
    engine: &str,
    input: &LayoutInput,
    run: impl FnOnce(&LayoutInput) -> Result<Layout, LayoutError>,
) -> Result<Layout, LayoutError> {
    if input.nodes.is_empty() {
        return Ok(Layout::default());
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(input))).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(LayoutError {
            message: format!("{engine} failed: {message}"),
        })
    })
}

pub trait GraphLayout {
    /// A short name for diagnostics and benchmarks.
    fn name(&self) -> &'static str;
    /// Places the input. Must not panic; an engine failure is an `Err`.
    fn layout(&self, input: &LayoutInput) -> Result<Layout, LayoutError>;
}
