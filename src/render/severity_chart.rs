//! The severity chart (render stage): finding counts per severity for each tool and
//! target in, a small static SVG out: one block of five horizontal bars per group, the
//! count written beside each bar so colour is never the only signal. No script; ids are
//! prefixed so two charts can share a page; colours come from CSS classes.

use std::fmt::Write as _;

use super::markdown::escape_html;
use crate::model::audit::Severity;

/// One block of bars: a label (`Trivy · library/nginx`) and a count per severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartGroup {
    pub label: String,
    /// Most serious first, every severity present (zeros included).
    pub counts: Vec<(Severity, usize)>,
}

const WIDTH: u32 = 360;
const LABEL_WIDTH: u32 = 64;
const BAR_SPACE: u32 = 250;
const ROW: u32 = 18;
const BAR: u32 = 12;
const GROUP_HEAD: u32 = 22;
const GROUP_GAP: u32 = 10;

/// The chart as an `<svg>` element; `id_prefix` makes its ids unique on the page.
pub fn render_severity_chart(id_prefix: &str, title: &str, groups: &[ChartGroup]) -> String {
    let max = groups
        .iter()
        .flat_map(|g| g.counts.iter().map(|(_, n)| *n))
        .max()
        .unwrap_or(0)
        .max(1);
    let rows_height = |g: &ChartGroup| GROUP_HEAD + ROW * g.counts.len() as u32 + GROUP_GAP;
    let height: u32 = groups.iter().map(rows_height).sum::<u32>().max(ROW);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"severity-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{id_prefix}-title {id_prefix}-desc\">\
<title id=\"{id_prefix}-title\">{}</title><desc id=\"{id_prefix}-desc\">{}</desc>",
        escape_html(title),
        escape_html(&text_alternative(groups))
    );
    let mut y = 0;
    for (index, group) in groups.iter().enumerate() {
        write_group(&mut svg, &format!("{id_prefix}-g{index}"), group, y, max);
        y += rows_height(group);
    }
    svg.push_str("</svg>");
    svg
}

fn write_group(svg: &mut String, id: &str, group: &ChartGroup, top: u32, max: usize) {
    let _ = write!(
        svg,
        "<g class=\"chart-group\" id=\"{id}\"><text class=\"chart-group-label\" x=\"0\" y=\"{}\">{}</text>",
        top + 15,
        escape_html(&group.label)
    );
    for (row, (severity, count)) in group.counts.iter().enumerate() {
        let y = top + GROUP_HEAD + ROW * row as u32;
        let width = if *count == 0 {
            0
        } else {
            ((*count as u64 * BAR_SPACE as u64) / max as u64).max(2) as u32
        };
        let _ = write!(
            svg,
            "<text class=\"chart-label\" x=\"0\" y=\"{}\">{severity}</text>\
<rect class=\"bar sev-{severity}\" x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{width}\" height=\"{BAR}\" rx=\"2\"/>\
<text class=\"chart-count\" x=\"{}\" y=\"{}\">{count}</text>",
            y + BAR - 2,
            LABEL_WIDTH + width + 6,
            y + BAR - 2
        );
    }
    svg.push_str("</g>");
}

/// `Trivy · library/nginx: 3 high, 21 medium, 75 low.` for each group.
fn text_alternative(groups: &[ChartGroup]) -> String {
    if groups.is_empty() {
        return "No findings.".to_string();
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|group| {
            let counts: Vec<String> = group
                .counts
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(s, n)| format!("{n} {s}"))
                .collect();
            let counts = if counts.is_empty() {
                "no findings".to_string()
            } else {
                counts.join(", ")
            };
            format!("{}: {counts}.", group.label)
        })
        .collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(label: &str, high: usize, low: usize) -> ChartGroup {
        ChartGroup {
            label: label.into(),
            counts: Severity::ALL_DESCENDING
                .into_iter()
                .map(|s| match s {
                    Severity::High => (s, high),
                    Severity::Low => (s, low),
                    _ => (s, 0),
                })
                .collect(),
        }
    }

    #[test]
    fn one_bar_per_severity_per_group_with_prefixed_ids_and_text_alternative() {
        let svg = render_severity_chart(
            "c1",
            "Findings",
            &[group("Trivy · <img>", 3, 75), group("Grype · x", 1, 0)],
        );
        assert_eq!(svg.matches("<rect class=\"bar ").count(), 10);
        assert_eq!(svg.matches("class=\"bar sev-high\"").count(), 2);
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("viewBox=\"0 0 360 "));
        assert!(svg.contains("aria-labelledby=\"c1-title c1-desc\""));
        assert!(svg.contains("Trivy · &lt;img&gt;: 3 high, 75 low."));
        assert!(!svg.contains("<img>"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn the_longest_bar_is_the_largest_count() {
        let svg = render_severity_chart("c", "t", &[group("g", 3, 75)]);
        assert!(svg.contains("width=\"250\""));
        assert!(svg.contains("width=\"10\""));
    }
}
