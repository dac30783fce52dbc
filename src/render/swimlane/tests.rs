use super::layout::{lay_out, Geometry, Rect, Swatch, BOX_HEIGHT, MAX_WIDTH};
use super::text::text_width;
use super::*;

fn item(id: &str, title: &str, status: SwimStatus, minutes: u32) -> SwimItem {
    SwimItem {
        id: (!id.is_empty()).then(|| id.to_string()),
        title: title.to_string(),
        status,
        estimate_minutes: Some(minutes),
        href: (!id.is_empty()).then(|| format!("#item-{id}")),
    }
}

fn at(lane: usize, item: usize) -> ItemRef {
    ItemRef { lane, item }
}

/// Five lanes of 4, 5, 6, 5 and 4 items (24), as a deployment plan of parallel tracks.
fn deployment() -> SwimlaneInput {
    use SwimStatus::*;
    let lane = |n: usize, owner: &str, subject: &str, items: Vec<SwimItem>| LaneRow {
        title: format!("Track {n}: {subject}"),
        owner: Some(owner.to_string()),
        duration: Some("3-4 hours".to_string()),
        href: Some(format!("#track-{n}")),
        items,
    };
    let statuses = [Closed, InProgress, Open, Blocked, Open, Open];
    let items = |prefix: &str, count: usize| -> Vec<SwimItem> {
        (0..count)
            .map(|i| {
                item(
                    &format!("lf-{prefix}-{}", i + 1),
                    &format!(
                        "Configure the {prefix} component number {} with care",
                        i + 1
                    ),
                    statuses[i % statuses.len()],
                    30 + 15 * i as u32,
                )
            })
            .collect()
    };
    SwimlaneInput {
        title: "Tracks of the cutover plan".to_string(),
        lanes: vec![
            lane(1, "Kestrel", "Cluster base", items("base", 4)),
            lane(2, "Heron", "Database", items("db", 5)),
            lane(3, "Plover", "Ingress and TLS", items("edge", 6)),
            lane(4, "Wren", "Observability", items("obs", 5)),
            lane(5, "Tern", "Cutover", items("cut", 4)),
        ],
        edges: vec![
            SwimEdge {
                from: SwimEnd::Item(at(0, 0)),
                to: SwimEnd::Lane(1),
                kind: EdgeKind::Hard,
                source: EdgeSource::Plan,
            },
            SwimEdge {
                from: SwimEnd::Item(at(1, 4)),
                to: SwimEnd::Item(at(3, 0)),
                kind: EdgeKind::Hard,
                source: EdgeSource::Tracker,
            },
            SwimEdge {
                from: SwimEnd::Item(at(1, 1)),
                to: SwimEnd::Item(at(4, 2)),
                kind: EdgeKind::Soft,
                source: EdgeSource::Plan,
            },
            SwimEdge {
                from: SwimEnd::Lane(0),
                to: SwimEnd::Lane(2),
                kind: EdgeKind::Hard,
                source: EdgeSource::Plan,
            },
            SwimEdge {
                from: SwimEnd::Lane(1),
                to: SwimEnd::Item(at(4, 3)),
                kind: EdgeKind::Hard,
                source: EdgeSource::Plan,
            },
            SwimEdge {
                from: SwimEnd::Item(at(4, 3)),
                to: SwimEnd::Item(at(0, 1)),
                kind: EdgeKind::Soft,
                source: EdgeSource::Tracker,
            },
        ],
        longest_chain: vec![at(1, 0), at(1, 1), at(1, 2), at(1, 3), at(1, 4), at(3, 0)],
    }
}

fn item_rect(geometry: &Geometry, at: ItemRef) -> Rect {
    geometry.lanes[at.lane].items[at.item].rect
}

/// True when the axis-aligned or straight segment a-b passes through the inside of
/// `rect` (touching its border is allowed).
fn crosses(rect: Rect, a: (f64, f64), b: (f64, f64)) -> bool {
    let inner = Rect {
        x: rect.x + 0.5,
        y: rect.y + 0.5,
        w: rect.w - 1.0,
        h: rect.h - 1.0,
    };
    (0..=40).any(|step| {
        let t = step as f64 / 40.0;
        let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        x > inner.x && x < inner.right() && y > inner.y && y < inner.bottom()
    })
}

#[test]
fn five_lanes_of_24_items_fit_the_page_width_in_six_columns() {
    let geometry = lay_out(&deployment());
    assert!(geometry.width <= MAX_WIDTH, "{}", geometry.width);
    let xs: std::collections::BTreeSet<i64> = geometry
        .lanes
        .iter()
        .flat_map(|l| l.items.iter().map(|i| i.rect.x as i64))
        .collect();
    assert_eq!(xs.len(), 6, "one column per position of the longest lane");
    for lane in &geometry.lanes {
        assert!(lane.band.bottom() <= geometry.height);
        for item in &lane.items {
            let rect = item.rect;
            assert!(rect.x >= lane.header.right() && rect.right() <= lane.band.right());
            assert!(rect.y >= lane.band.y && rect.bottom() <= lane.band.bottom());
            for line in &item.title_lines {
                assert!(text_width(line, 12.0) <= rect.w - 16.0, "{line}");
            }
            assert!(item.title_lines.len() <= 2);
        }
    }
    // Lanes are stacked without overlapping.
    for pair in geometry.lanes.windows(2) {
        assert!(pair[0].band.bottom() < pair[1].band.y);
    }
}

#[test]
fn arrows_run_from_the_source_box_into_the_left_side_of_the_target_box() {
    let input = deployment();
    let geometry = lay_out(&input);
    let route = geometry.edges.iter().find(|r| r.edge == 1).expect("drawn");
    let (source, target) = (
        item_rect(&geometry, at(1, 4)),
        item_rect(&geometry, at(3, 0)),
    );
    let first = route.points[0];
    assert_eq!(first.1, source.bottom(), "leaves downwards, toward lane 4");
    assert!(first.0 > source.x && first.0 < source.right());
    assert_eq!(*route.points.last().unwrap(), (target.x, target.cy()));
    let before = route.points[route.points.len() - 2];
    assert_eq!(before.1, target.cy(), "enters horizontally");
    assert!(before.0 < target.x);
}

#[test]
fn arrows_to_and_from_lanes_end_at_the_lane_headers() {
    let geometry = lay_out(&deployment());
    let to_lane = geometry.edges.iter().find(|r| r.edge == 0).unwrap();
    let header = geometry.lanes[1].header;
    assert_eq!(
        *to_lane.points.last().unwrap(),
        (header.right(), header.cy())
    );
    let lane_to_lane = geometry.edges.iter().find(|r| r.edge == 3).unwrap();
    let (a, b) = (geometry.lanes[0].header, geometry.lanes[2].header);
    assert_eq!(lane_to_lane.points[0].0, a.x);
    assert_eq!(lane_to_lane.points.last().unwrap().0, b.x);
    assert!(lane_to_lane.points.iter().all(|p| p.0 <= a.x));
    let from_lane = geometry.edges.iter().find(|r| r.edge == 4).unwrap();
    assert_eq!(from_lane.points[0].0, geometry.lanes[1].header.right());
    let target = item_rect(&geometry, at(4, 3));
    assert_eq!(*from_lane.points.last().unwrap(), (target.x, target.cy()));
}

#[test]
fn no_arrow_crosses_a_box_or_a_lane_header() {
    let mut input = deployment();
    // A lane long enough to wrap, and arrows into and out of its second row.
    input.lanes[2].items = (0..9)
        .map(|i| item(&format!("lf-w-{i}"), "Wrapped work", SwimStatus::Open, 20))
        .collect();
    input.edges.push(SwimEdge {
        from: SwimEnd::Item(at(2, 7)),
        to: SwimEnd::Item(at(2, 1)),
        kind: EdgeKind::Hard,
        source: EdgeSource::Plan,
    });
    input.edges.push(SwimEdge {
        from: SwimEnd::Item(at(0, 3)),
        to: SwimEnd::Item(at(2, 8)),
        kind: EdgeKind::Hard,
        source: EdgeSource::Plan,
    });
    let geometry = lay_out(&input);
    let mut obstacles: Vec<Rect> = Vec::new();
    for lane in &geometry.lanes {
        obstacles.push(lane.header);
        obstacles.extend(lane.items.iter().map(|i| i.rect));
    }
    assert_eq!(geometry.edges.len(), input.edges.len());
    for route in &geometry.edges {
        for pair in route.points.windows(2) {
            for rect in &obstacles {
                assert!(
                    !crosses(*rect, pair[0], pair[1]),
                    "edge {} segment {:?} crosses {rect:?}",
                    route.edge,
                    pair
                );
            }
        }
    }
}

#[test]
fn a_long_lane_wraps_onto_a_second_row_and_order_links_stay_on_one_row() {
    let mut input = deployment();
    input.lanes[0].items = (0..9)
        .map(|i| item(&format!("lf-{i}"), "Step", SwimStatus::Open, 10))
        .collect();
    let geometry = lay_out(&input);
    let lane = &geometry.lanes[0];
    let rows: std::collections::BTreeSet<i64> =
        lane.items.iter().map(|i| i.rect.y as i64).collect();
    assert_eq!(rows.len(), 2);
    assert!(lane.band.h >= 2.0 * BOX_HEIGHT);
    assert_eq!(lane.items[6].rect.x, lane.items[0].rect.x);
    for link in &geometry.order_links {
        assert_eq!(link.from.1, link.to.1);
    }
    // 8 pairs in lane 0, one of which wraps: 7 links; plus 4+5+4+3 in the other lanes.
    assert_eq!(geometry.order_links.len(), 7 + 4 + 5 + 4 + 3);
}

#[test]
fn the_longest_chain_is_outlined_and_its_arrows_highlighted() {
    let input = deployment();
    let geometry = lay_out(&input);
    let critical: Vec<(usize, usize)> = geometry
        .lanes
        .iter()
        .enumerate()
        .flat_map(|(l, lane)| {
            lane.items
                .iter()
                .enumerate()
                .filter(|(_, i)| i.critical)
                .map(move |(n, _)| (l, n))
        })
        .collect();
    assert_eq!(critical, [(1, 0), (1, 1), (1, 2), (1, 3), (1, 4), (3, 0)]);
    let critical_edges: Vec<usize> = geometry
        .edges
        .iter()
        .filter(|r| r.critical)
        .map(|r| r.edge)
        .collect();
    assert_eq!(
        critical_edges,
        [1],
        "lf-db-5 → lf-obs-1 is the chain's last step"
    );
    assert_eq!(
        geometry.order_links.iter().filter(|l| l.critical).count(),
        4
    );
    let svg = render_swimlane(&input, "plan-lanes").unwrap();
    // 24 boxes and 4 status swatches in the legend.
    assert_eq!(svg.matches("class=\"sl-item sl-status-").count(), 24 + 4);
    assert_eq!(svg.matches(" sl-critical\" href").count(), 6);
    assert!(svg.contains("on the longest chain"));
    assert!(svg.contains(
        "Longest chain by estimates: lf-db-1 → lf-db-2 → lf-db-3 → lf-db-4 → lf-db-5 → lf-obs-1."
    ));
}

#[test]
fn boxes_carry_their_status_class_link_and_full_text() {
    let svg = render_swimlane(&deployment(), "p").unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swimlane-svg\""));
    assert!(svg.contains("role=\"img\" aria-labelledby=\"p-title p-desc\""));
    assert!(svg.contains("<a class=\"sl-item sl-status-closed\" href=\"#item-lf-base-1\"><title>lf-base-1: Configure the base component number 1 with care · closed · estimate 30 min</title>"));
    assert!(svg.contains("sl-status-blocked"));
    assert!(svg.contains("<a class=\"sl-lane-link\" href=\"#track-2\"><title>Track 2: Database · owner: Heron · 1 of 5 closed · 3-4 hours</title>"));
    // The title is cut in the box but whole in the tooltip.
    assert!(svg.contains("…</tspan>"));
    assert!(
        svg.contains("<title>lf-db-5 → lf-obs-1: needs it done first, from the tracker</title>")
    );
    assert!(svg.contains("<g class=\"sl-edge sl-edge-soft sl-edge-plan\"><title>lf-db-2 → lf-cut-3: soft dependency, from the plan</title>"));
    assert!(svg.contains("<title>Track 1: Cluster base → Track 3: Ingress and TLS: needs it done first, from the plan</title>"));
    assert!(svg.contains("stroke-dasharray=\"5 4\""));
}

#[test]
fn the_legend_lists_what_the_drawing_shows() {
    let mut input = deployment();
    let legend = |input: &SwimlaneInput| -> Vec<Swatch> {
        lay_out(input).legend.iter().map(|e| e.swatch).collect()
    };
    use SwimStatus::*;
    assert_eq!(
        legend(&input),
        [
            Swatch::Status(Closed),
            Swatch::Status(InProgress),
            Swatch::Status(Open),
            Swatch::Status(Blocked),
            Swatch::Edge(EdgeKind::Hard, EdgeSource::Plan),
            Swatch::Edge(EdgeKind::Hard, EdgeSource::Tracker),
            Swatch::Edge(EdgeKind::Soft, EdgeSource::Plan),
            Swatch::Edge(EdgeKind::Soft, EdgeSource::Tracker),
            Swatch::Critical,
        ]
    );
    input.edges.clear();
    input.longest_chain.clear();
    input.lanes[0].items[0].status = Planned;
    input.lanes[0].items[0].id = None;
    let swatches = legend(&input);
    assert!(swatches.contains(&Swatch::Status(Planned)));
    assert!(!swatches.contains(&Swatch::Critical));
    assert_eq!(swatches.len(), 5);
    let geometry = lay_out(&input);
    for entry in &geometry.legend {
        assert!(entry.x + 30.0 + text_width(&entry.label, 12.0) <= geometry.width);
        assert!(entry.y + 20.0 <= geometry.height);
    }
}

#[test]
fn planned_items_without_an_id_say_so() {
    let mut input = deployment();
    input.lanes[4].items.push(SwimItem {
        id: None,
        title: "Rehearse the cutover on staging".to_string(),
        status: SwimStatus::Planned,
        estimate_minutes: Some(90),
        href: None,
    });
    let svg = render_swimlane(&input, "p").unwrap();
    assert!(svg.contains("<g class=\"sl-item sl-status-planned\"><title>Rehearse the cutover on staging · planned, no id yet · estimate 1 h 30 min</title>"));
    assert!(svg.contains("<text class=\"sl-id sl-id-missing\""));
    assert!(svg.contains("stroke-dasharray=\"2 2\""));
}

#[test]
fn every_string_is_escaped_and_output_is_deterministic() {
    let mut input = deployment();
    input.title = "Plan <b>\"x\"</b>".to_string();
    input.lanes[0].title = "Track <script>alert(1)</script> & co".to_string();
    input.lanes[0].owner = Some("O'Brien".to_string());
    input.lanes[0].items[0].title = "Fix <img src=x onerror=alert(1)>".to_string();
    input.lanes[0].items[0].href = Some("#a\"b".to_string());
    let svg = render_swimlane(&input, "x\"y").unwrap();
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("<img"));
    assert!(!svg.contains("<b>"));
    assert!(svg.contains("&lt;script&gt;"));
    assert!(svg.contains("O&#39;Brien"));
    assert!(svg.contains("href=\"#a&quot;b\""));
    assert!(svg.contains("id=\"x&quot;y-svg\""));
    assert_eq!(svg, render_swimlane(&input, "x\"y").unwrap());
}

#[test]
fn edges_naming_missing_lanes_or_items_are_left_out() {
    let mut input = deployment();
    input.edges = vec![
        SwimEdge {
            from: SwimEnd::Item(at(9, 0)),
            to: SwimEnd::Lane(1),
            kind: EdgeKind::Hard,
            source: EdgeSource::Plan,
        },
        SwimEdge {
            from: SwimEnd::Lane(0),
            to: SwimEnd::Item(at(1, 99)),
            kind: EdgeKind::Hard,
            source: EdgeSource::Plan,
        },
        SwimEdge {
            from: SwimEnd::Lane(3),
            to: SwimEnd::Lane(3),
            kind: EdgeKind::Hard,
            source: EdgeSource::Plan,
        },
    ];
    input.longest_chain = vec![at(7, 7)];
    let geometry = lay_out(&input);
    assert!(geometry.edges.is_empty());
    assert!(render_swimlane(&input, "p").is_some());
}

#[test]
fn nothing_is_drawn_without_lanes_and_an_empty_lane_still_has_its_band() {
    assert_eq!(render_swimlane(&SwimlaneInput::default(), "p"), None);
    let input = SwimlaneInput {
        title: "t".into(),
        lanes: vec![LaneRow {
            title: "Track 1: Nothing yet".into(),
            ..LaneRow::default()
        }],
        ..SwimlaneInput::default()
    };
    let geometry = lay_out(&input);
    assert_eq!(geometry.lanes.len(), 1);
    assert!(geometry.lanes[0].band.h > 0.0);
    let svg = render_swimlane(&input, "p").unwrap();
    assert!(svg.contains("0 items"));
}

/// Writes the 24-item fixture as an HTML page with the built-in stylesheet, to look at
/// in a browser: `OPSBOOK_SWIMLANE_PREVIEW=/tmp/dir cargo test --release --lib swimlane`.
#[test]
fn preview_page_when_asked() {
    let Some(dir) = std::env::var_os("OPSBOOK_SWIMLANE_PREVIEW") else {
        return;
    };
    let mut input = deployment();
    input.lanes[4].items.push(SwimItem {
        id: None,
        title: "Rehearse the cutover on staging".to_string(),
        status: SwimStatus::Planned,
        estimate_minutes: Some(90),
        href: None,
    });
    input.lanes[4].items[0].status = SwimStatus::Untracked;
    let svg = render_swimlane(&input, "preview").unwrap();
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>{}</style></head><body><main class=\"content\"><h1>Swimlane preview</h1><figure class=\"swimlane-figure\"><div class=\"svg-scroll\">{svg}</div></figure></main></body></html>",
        include_str!("../../../static/style.css")
    );
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("swimlane.html"), html).unwrap();
}
