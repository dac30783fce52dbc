//! Diagram stage, text sizes: no font is loaded at build time, so widths are estimated
//! per character class on the generous side (a box a little too wide reads fine; text
//! that spills out of its box does not). The SVG writer and the layout input share
//! these numbers, so what is measured is what is drawn.

use crate::model::graph::NodeShape;

/// Font size of node text, in px.
pub const NODE_FONT: f64 = 14.0;
/// Font size of edge labels and cluster titles, in px.
pub const LABEL_FONT: f64 = 12.0;
/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f64 = 1.3;
/// Longest line kept in a box; longer lines are wrapped at spaces.
pub const MAX_LINE_CHARS: usize = 28;

/// Width of one character as a fraction of the font size.
fn char_width(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '(' | ')' | '[' | ']' => 0.32,
        'f' | 't' | 'r' | ' ' | '-' | '/' | '"' => 0.42,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.92,
        c if c.is_ascii_uppercase() || c.is_ascii_digit() => 0.68,
        c if c.is_ascii() => 0.58,
        // CJK, emoji and other wide characters.
        c if (c as u32) >= 0x1100 => 1.15,
        _ => 0.68,
    }
}

/// Estimated width of one line of text.
pub fn line_width(line: &str, font: f64) -> f64 {
    line.chars().map(char_width).sum::<f64>() * font
}

/// The label's lines: its own line breaks, and long lines wrapped at spaces.
pub fn wrap_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for raw in text.lines() {
        let mut line = String::new();
        for word in raw.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > MAX_LINE_CHARS
            {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Width and height of a block of lines.
pub fn text_size(lines: &[String], font: f64) -> (f64, f64) {
    let width = lines
        .iter()
        .map(|l| line_width(l, font))
        .fold(0.0, f64::max);
    (width, lines.len() as f64 * font * LINE_HEIGHT)
}

/// The box a node needs around its text, by shape.
pub fn node_size(lines: &[String], shape: NodeShape) -> (f64, f64) {
    let (w, h) = text_size(lines, NODE_FONT);
    let (w, h) = (w.max(12.0), h);
    match shape {
        NodeShape::Circle => {
            let d = (w * w + h * h).sqrt() + 12.0;
            (d, d)
        }
        NodeShape::Diamond => (2.0 * w + 16.0, 2.0 * h + 16.0),
        NodeShape::Hexagon => (w + h + 28.0, h + 16.0),
        NodeShape::Stadium => (w + h + 24.0, h + 16.0),
        NodeShape::Flag | NodeShape::Parallelogram => (w + 40.0, h + 16.0),
        NodeShape::Cylinder => (w + 24.0, h + 32.0),
        NodeShape::Subroutine => (w + 40.0, h + 16.0),
        NodeShape::Rectangle | NodeShape::Rounded => (w + 24.0, h + 16.0),
    }
}

/// The box of an edge label, background included.
pub fn label_size(lines: &[String]) -> (f64, f64) {
    let (w, h) = text_size(lines, LABEL_FONT);
    (w + 10.0, h + 4.0)
}
