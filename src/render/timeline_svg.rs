//! Render stage: the plan's two timelines as inline SVG, drawn at build time with no
//! script. (a) The author's plan: one row per day, one column per slot (`Morning`,
//! `Afternoon`), each item a box coloured by the epic of the task it was matched to and
//! linked to that task; items no task covers are drawn dashed and tagged "no task".
//! (b) The computed schedule: one bar per epic from its earliest start (by hard
//! dependencies and durations) to its finish, the critical path highlighted, and the
//! ends of the computed and the declared critical paths marked.
//!
//! Both SVGs take their sizes from a `viewBox` (CSS scales them to their container),
//! are styled only through classes (`tl-*`, `sched-*`; light, dark and print colours
//! live in style.css), carry `role="img"` with a `<title>` and `<desc>` whose ids are
//! prefixed per drawing, give each item a `<title>` tooltip, and escape every string.
//! Text is wrapped or shortened by an estimate of its width so nothing is clipped.

use std::fmt::Write as _;

use crate::analysis::{format_days, format_epic_chain, ComputedSchedule};

/// Width of both drawings in user units.
const WIDTH: f64 = 960.0;
/// Estimated advance of one character of 13-unit text (a little wide, so text fits).
const CHAR_WIDTH: f64 = 7.3;
const LINE_HEIGHT: f64 = 16.0;
const PAD: f64 = 8.0;
/// How many epic colours the theme defines; epic N uses colour (N - 1) mod this.
pub const EPIC_COLOURS: u32 = 8;

/// The author's timeline, ready to draw: every string as the plan wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorTimeline {
    pub title: String,
    /// The columns (`Morning`, `Afternoon`).
    pub slot_names: Vec<String>,
    pub days: Vec<AuthorDay>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorDay {
    pub number: u32,
    pub title: String,
    /// One list of items per column of `slot_names`.
    pub slots: Vec<Vec<AuthorItem>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorItem {
    pub text: String,
    /// The task it was matched to; `None` for work no task covers.
    pub task: Option<ItemTask>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTask {
    /// `1.1`.
    pub id: String,
    pub title: String,
    pub epic: u32,
    /// `#task-1-1`.
    pub href: String,
}

/// The colour class of an epic: `tl-epic-c0` ... `tl-epic-c7`.
pub fn epic_colour_class(epic: u32) -> String {
    format!("tl-epic-c{}", epic.saturating_sub(1) % EPIC_COLOURS)
}

use super::markdown::escape_html as escape_xml;

/// Splits `text` into lines of at most `max_chars` characters, at spaces where it can.
fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    let max_chars = max_chars.max(4);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > max_chars {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..max_chars).collect());
        }
        let word: String = word.into_iter().collect();
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > max_chars && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` shortened to `max_chars` characters with an ellipsis.
fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

fn chars_fitting(width: f64) -> usize {
    (width / CHAR_WIDTH).floor().max(1.0) as usize
}

/// `<text>` with one `<tspan>` per line, the first line's baseline at `y`.
fn text_lines(out: &mut String, class: &str, x: f64, y: f64, lines: &[String]) {
    let _ = write!(out, r#"<text class="{class}" x="{x:.1}" y="{y:.1}">"#);
    for (i, line) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { LINE_HEIGHT };
        let _ = write!(
            out,
            r#"<tspan x="{x:.1}" dy="{dy:.1}">{}</tspan>"#,
            escape_xml(line)
        );
    }
    out.push_str("</text>");
}

fn svg_open(out: &mut String, class: &str, height: f64, id_prefix: &str, title: &str, desc: &str) {
    let prefix = escape_xml(id_prefix);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg {class}" viewBox="0 0 {WIDTH:.0} {height:.0}" role="img" aria-labelledby="{prefix}-title {prefix}-desc"><title id="{prefix}-title">{}</title><desc id="{prefix}-desc">{}</desc>"#,
        escape_xml(title),
        escape_xml(desc)
    );
}

/// Layout of the author's timeline: the day label column and the slot columns.
struct AuthorGrid {
    day_width: f64,
    column_width: f64,
}

const HEADER_HEIGHT: f64 = 30.0;
const ITEM_GAP: f64 = 6.0;

impl AuthorGrid {
    fn new(columns: usize) -> Self {
        let day_width = 150.0;
        let columns = columns.max(1) as f64;
        let column_width = (WIDTH - day_width - PAD * (columns + 1.0)) / columns;
        AuthorGrid {
            day_width,
            column_width,
        }
    }

    fn column_x(&self, column: usize) -> f64 {
        self.day_width + PAD + column as f64 * (self.column_width + PAD)
    }
}

/// An item measured for drawing.
struct PlacedItem<'a> {
    item: &'a AuthorItem,
    tag: String,
    tag_width: f64,
    lines: Vec<String>,
    height: f64,
}

fn place_item<'a>(item: &'a AuthorItem, grid: &AuthorGrid) -> PlacedItem<'a> {
    let tag = match &item.task {
        Some(task) => task.id.clone(),
        None => "no task".to_string(),
    };
    let tag_width = tag.chars().count() as f64 * 6.6 + 12.0;
    let text_width = grid.column_width - tag_width - 3.0 * PAD;
    let lines = wrap(&item.text, chars_fitting(text_width));
    let height = lines.len() as f64 * LINE_HEIGHT + 12.0;
    PlacedItem {
        item,
        tag,
        tag_width,
        lines,
        height,
    }
}

/// Draws the author's timeline (see the module header).
pub fn render_author_timeline(timeline: &AuthorTimeline, id_prefix: &str) -> String {
    let grid = AuthorGrid::new(timeline.slot_names.len());
    let mut body = String::new();
    for (column, name) in timeline.slot_names.iter().enumerate() {
        let x = grid.column_x(column) + PAD;
        let name = shorten(name, chars_fitting(grid.column_width - 2.0 * PAD));
        text_lines(&mut body, "tl-slot-name", x, 20.0, &[name]);
    }
    let mut y = HEADER_HEIGHT;
    let (mut linked, mut unlinked) = (0usize, 0usize);
    for day in &timeline.days {
        let title_lines = wrap(&day.title, chars_fitting(grid.day_width - 2.0 * PAD));
        let label_height = 22.0 + title_lines.len() as f64 * LINE_HEIGHT;
        let columns: Vec<Vec<PlacedItem>> = day
            .slots
            .iter()
            .map(|items| items.iter().map(|item| place_item(item, &grid)).collect())
            .collect();
        let content_height = columns
            .iter()
            .map(|items| items.iter().map(|i| i.height + ITEM_GAP).sum::<f64>() - ITEM_GAP)
            .fold(label_height, f64::max);
        let row_height = content_height + 2.0 * PAD;
        let _ = write!(
            body,
            r#"<g class="tl-day"><rect class="tl-row" x="0" y="{y:.1}" width="{WIDTH:.0}" height="{row_height:.1}" rx="6"/>"#
        );
        text_lines(
            &mut body,
            "tl-day-number",
            PAD,
            y + PAD + 14.0,
            &[format!("Day {}", day.number)],
        );
        text_lines(&mut body, "tl-day-title", PAD, y + PAD + 34.0, &title_lines);
        for (column, items) in columns.iter().enumerate() {
            let mut item_y = y + PAD;
            for placed in items {
                if placed.item.task.is_some() {
                    linked += 1;
                } else {
                    unlinked += 1;
                }
                draw_item(
                    &mut body,
                    placed,
                    grid.column_x(column),
                    item_y,
                    grid.column_width,
                );
                item_y += placed.height + ITEM_GAP;
            }
            if items.is_empty() {
                text_lines(
                    &mut body,
                    "tl-empty",
                    grid.column_x(column) + PAD,
                    y + PAD + 18.0,
                    &["Nothing planned".into()],
                );
            }
        }
        body.push_str("</g>");
        y += row_height + ITEM_GAP;
    }
    let height = (y - ITEM_GAP).max(HEADER_HEIGHT);
    let desc = format!(
        "{} items over {} days; {linked} linked to their tasks, {unlinked} matching no task. \
         The list below gives the same plan as text.",
        linked + unlinked,
        timeline.days.len()
    );
    let mut out = String::new();
    svg_open(
        &mut out,
        "timeline-author",
        height,
        id_prefix,
        &format!("{}: the author's plan", timeline.title),
        &desc,
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

fn draw_item(out: &mut String, placed: &PlacedItem, x: f64, y: f64, width: f64) {
    let (open, close, class, tooltip) = match &placed.item.task {
        Some(task) => (
            format!(
                r#"<a href="{}" class="tl-item {}">"#,
                escape_xml(&task.href),
                epic_colour_class(task.epic)
            ),
            "</a>",
            "tl-item-box",
            format!("Task {} (Epic {}): {}", task.id, task.epic, task.title),
        ),
        None => (
            r#"<g class="tl-item tl-unmatched">"#.to_string(),
            "</g>",
            "tl-item-box",
            format!("{}: no task covers this work", placed.item.text),
        ),
    };
    out.push_str(&open);
    let _ = write!(out, "<title>{}</title>", escape_xml(&tooltip));
    let _ = write!(
        out,
        r#"<rect class="{class}" x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{:.1}" rx="4"/>"#,
        placed.height
    );
    let tag_x = x + PAD;
    let _ = write!(
        out,
        r#"<rect class="tl-tag" x="{tag_x:.1}" y="{:.1}" width="{:.1}" height="18" rx="9"/>"#,
        y + 5.0,
        placed.tag_width
    );
    let _ = write!(
        out,
        r#"<text class="tl-tag-text" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        tag_x + placed.tag_width / 2.0,
        y + 18.0,
        escape_xml(&placed.tag)
    );
    text_lines(
        out,
        "tl-item-text",
        tag_x + placed.tag_width + PAD,
        y + 19.0,
        &placed.lines,
    );
    out.push_str(close);
}

/// Layout of the schedule chart.
const LABEL_WIDTH: f64 = 330.0;
const AXIS_HEIGHT: f64 = 34.0;
const ROW_HEIGHT: f64 = 30.0;
const BAR_HEIGHT: f64 = 18.0;
const RIGHT_PAD: f64 = 16.0;

/// Draws the computed schedule (see the module header).
pub fn render_computed_schedule(schedule: &ComputedSchedule, id_prefix: &str) -> String {
    let span = schedule
        .length
        .max(schedule.declared_length)
        .max(
            schedule
                .epics
                .iter()
                .map(|e| e.finish())
                .fold(0.0, f64::max),
        )
        .max(1.0)
        .ceil();
    let scale = (WIDTH - LABEL_WIDTH - RIGHT_PAD) / span;
    let x_of = |days: f64| LABEL_WIDTH + days * scale;
    let rows_bottom = AXIS_HEIGHT + schedule.epics.len() as f64 * ROW_HEIGHT;
    let height = rows_bottom + 2.0 * LINE_HEIGHT + 14.0;
    let mut body = String::new();
    draw_axis(&mut body, span, &x_of, rows_bottom);
    for (row, epic) in schedule.epics.iter().enumerate() {
        let y = AXIS_HEIGHT + row as f64 * ROW_HEIGHT;
        let mut classes = String::from("sched-bar");
        if epic.critical {
            classes.push_str(" sched-critical");
        }
        if epic.declared {
            classes.push_str(" sched-declared");
        }
        let label = shorten(
            &format!("Epic {} · {}", epic.number, epic.title),
            // Labels are bold, about a tenth wider than body text.
            chars_fitting((LABEL_WIDTH - 3.0 * PAD) / 1.1),
        );
        let role = match (epic.critical, epic.declared) {
            (true, true) => "; on the computed and the declared critical path",
            (true, false) => "; on the computed critical path",
            (false, true) => "; on the declared critical path only",
            (false, false) => "",
        };
        let tooltip = format!(
            "Epic {}: {} starts after {} working days and lasts {} working days{role}",
            epic.number,
            epic.title,
            format_days(epic.start),
            format_days(epic.days),
        );
        let _ = write!(
            body,
            r##"<a href="#epic-{}" class="{classes}"><title>{}</title>"##,
            epic.number,
            escape_xml(&tooltip)
        );
        text_lines(&mut body, "sched-label", PAD, y + 19.0, &[label]);
        let (x0, x1) = (x_of(epic.start), x_of(epic.finish()));
        let width = (x1 - x0).max(3.0);
        let _ = write!(
            body,
            r#"<rect class="sched-box" x="{x0:.1}" y="{:.1}" width="{width:.1}" height="{BAR_HEIGHT:.0}" rx="3"/>"#,
            y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0
        );
        let days_text = epic
            .duration
            .clone()
            .unwrap_or_else(|| format!("{} d", format_days(epic.days)));
        let text_width = days_text.chars().count() as f64 * CHAR_WIDTH;
        let (tx, class) = if x0 + width + 6.0 + text_width <= WIDTH {
            (x0 + width + 6.0, "sched-days")
        } else {
            (x0 + 6.0, "sched-days sched-days-inside")
        };
        text_lines(&mut body, class, tx, y + 19.0, &[days_text]);
        body.push_str("</a>");
    }
    draw_path_ends(&mut body, schedule, &x_of, rows_bottom);
    let desc = format!(
        "{} epics placed by their hard dependencies and durations. Computed critical path: {} \
         ({} working days). Declared: {} ({} working days).",
        schedule.epics.len(),
        format_epic_chain(&schedule.critical_path),
        format_days(schedule.length),
        format_epic_chain(&schedule.declared_path),
        format_days(schedule.declared_length),
    );
    let mut out = String::new();
    svg_open(
        &mut out,
        "timeline-schedule",
        height,
        id_prefix,
        "Computed schedule of the epics",
        &desc,
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

fn draw_axis(out: &mut String, span: f64, x_of: &dyn Fn(f64) -> f64, rows_bottom: f64) {
    let step = (span / 12.0).ceil().max(1.0);
    text_lines(out, "sched-axis-title", PAD, 20.0, &["working days".into()]);
    let mut day = 0.0;
    while day <= span + 1e-9 {
        let x = x_of(day);
        let _ = write!(
            out,
            r#"<line class="sched-grid" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{rows_bottom:.1}"/>"#,
            AXIS_HEIGHT - 6.0
        );
        let _ = write!(
            out,
            r#"<text class="sched-tick" x="{x:.1}" y="20" text-anchor="middle">{}</text>"#,
            format_days(day)
        );
        day += step;
    }
}

/// Vertical marks where the computed and the declared critical paths end, labelled
/// below the bars on their own lines so the labels never overlap.
fn draw_path_ends(
    out: &mut String,
    schedule: &ComputedSchedule,
    x_of: &dyn Fn(f64) -> f64,
    rows_bottom: f64,
) {
    let ends = [
        (
            schedule.length,
            "sched-end-computed",
            format!(
                "computed critical path ends: {} d",
                format_days(schedule.length)
            ),
        ),
        (
            schedule.declared_length,
            "sched-end-declared",
            format!(
                "declared critical path: {} d",
                format_days(schedule.declared_length)
            ),
        ),
    ];
    for (line, (days, class, label)) in ends.iter().enumerate() {
        if *class == "sched-end-declared" && schedule.declared_path.is_empty() {
            continue;
        }
        let x = x_of(*days);
        let label_y = rows_bottom + 14.0 + line as f64 * LINE_HEIGHT;
        let _ = write!(
            out,
            r#"<line class="{class}" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/>"#,
            AXIS_HEIGHT - 6.0,
            label_y - 11.0
        );
        let width = label.chars().count() as f64 * CHAR_WIDTH;
        let anchor = if x - width >= 0.0 { "end" } else { "start" };
        let _ = write!(
            out,
            r#"<text class="{class}-label" x="{x:.1}" y="{label_y:.1}" text-anchor="{anchor}">{}</text>"#,
            escape_xml(label)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::critical_path::ScheduledEpic;

    fn author() -> AuthorTimeline {
        let task = |id: &str, epic| {
            Some(ItemTask {
                id: id.into(),
                title: format!("Task <{id}> & \"more\""),
                epic,
                href: format!("#task-{}", id.replace('.', "-")),
            })
        };
        AuthorTimeline {
            title: "Execution Timeline (2 Days)".into(),
            slot_names: vec!["Morning".into(), "Afternoon".into()],
            days: vec![
                AuthorDay {
                    number: 1,
                    title: "Security & <Critical>".into(),
                    slots: vec![
                        vec![AuthorItem {
                            text: "Close Dokploy port".into(),
                            task: task("1.1", 1),
                        }],
                        vec![AuthorItem {
                            text: "Run smoke tests <script>alert(1)</script>".into(),
                            task: None,
                        }],
                    ],
                },
                AuthorDay {
                    number: 2,
                    title: "Buffer".into(),
                    slots: vec![vec![], vec![]],
                },
            ],
        }
    }

    #[test]
    fn author_timeline_links_items_and_marks_unmatched_ones() {
        let svg = render_author_timeline(&author(), "plan-tl");
        assert!(svg.contains(r##"<a href="#task-1-1" class="tl-item tl-epic-c0">"##));
        assert_eq!(svg.matches(r#"class="tl-item tl-unmatched""#).count(), 1);
        assert!(svg.contains(r#"aria-labelledby="plan-tl-title plan-tl-desc""#));
        assert!(svg.contains("Nothing planned"));
    }

    #[test]
    fn every_string_is_escaped_and_there_is_no_script() {
        let svg = render_author_timeline(&author(), "p\"x");
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<Critical>"));
        assert!(svg.contains("&lt;Critical&gt;"));
        assert!(svg.contains("Task &lt;1.1&gt; &amp; &quot;more&quot;"));
        assert!(svg.contains(r#"id="p&quot;x-title""#));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn long_items_wrap_inside_their_column() {
        let lines = wrap(
            "Implement automated backup restore testing with a very long tail of words",
            20,
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "Implement automated backup restore testing with a very long tail of words"
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    fn schedule() -> ComputedSchedule {
        let epic = |number, start, days, critical, declared| ScheduledEpic {
            number,
            title: format!("Epic title {number}"),
            start,
            days,
            duration: None,
            critical,
            declared,
        };
        ComputedSchedule {
            epics: vec![
                epic(1, 0.0, 2.0, true, true),
                epic(2, 2.0, 1.0, true, true),
                epic(4, 3.0, 2.0, true, false),
                epic(5, 3.0, 1.0, false, true),
            ],
            critical_path: vec![1, 2, 4],
            length: 5.0,
            declared_path: vec![1, 2, 5],
            declared_length: 4.0,
            hours_per_day: 8.0,
        }
    }

    #[test]
    fn schedule_highlights_the_critical_path_and_marks_both_ends() {
        let svg = render_computed_schedule(&schedule(), "sched");
        assert_eq!(svg.matches("sched-bar sched-critical").count(), 3);
        assert_eq!(
            svg.matches(r#"class="sched-bar sched-declared""#).count(),
            1
        );
        assert!(svg.contains("computed critical path ends: 5 d"));
        assert!(svg.contains("declared critical path: 4 d"));
        assert!(svg.contains(r##"href="#epic-4""##));
    }

    #[test]
    fn bars_stay_inside_the_view_box() {
        let svg = render_computed_schedule(&schedule(), "sched");
        let boxes: Vec<(f64, f64)> = svg
            .split("<rect class=\"sched-box\" x=\"")
            .skip(1)
            .map(|part| {
                let numbers: Vec<f64> = part
                    .split('"')
                    .filter_map(|s| s.parse().ok())
                    .take(3)
                    .collect();
                (numbers[0], numbers[2])
            })
            .collect();
        // One bar per epic, each inside the picture.
        assert_eq!(boxes.len(), schedule().epics.len(), "{svg}");
        for (x, width) in boxes {
            assert!(x >= 0.0 && x + width <= WIDTH + 0.1, "{x} + {width}");
        }
    }
}
