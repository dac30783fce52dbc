//! The PDF fonts (render stage): DejaVu Sans and DejaVu Sans Mono, four styles each,
//! compiled into the binary and parsed once per build. Also answers which characters no
//! font covers, so a runbook is warned about instead of printing empty boxes.

use std::collections::BTreeSet;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};

/// The embedded font files, in the order they enter the font book.
const FONT_FILES: &[&[u8]] = &[
    include_bytes!("../../../fonts/DejaVuSans.ttf"),
    include_bytes!("../../../fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../../../fonts/DejaVuSans-Oblique.ttf"),
    include_bytes!("../../../fonts/DejaVuSans-BoldOblique.ttf"),
    include_bytes!("../../../fonts/DejaVuSansMono.ttf"),
    include_bytes!("../../../fonts/DejaVuSansMono-Bold.ttf"),
    include_bytes!("../../../fonts/DejaVuSansMono-Oblique.ttf"),
    include_bytes!("../../../fonts/DejaVuSansMono-BoldOblique.ttf"),
];

/// Every embedded font, parsed.
pub fn load_fonts() -> Vec<Font> {
    FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect()
}

/// The characters of `text` that no font in `book` has a glyph for, sorted. Control and
/// invisible format characters (joiners, variation selectors) are not counted.
pub fn uncovered_chars(book: &FontBook, fonts: usize, text: &str) -> BTreeSet<char> {
    let mut seen = BTreeSet::new();
    let mut missing = BTreeSet::new();
    for c in text.chars() {
        if is_invisible(c) || !seen.insert(c) {
            continue;
        }
        let covered = (0..fonts).any(|i| {
            book.info(i)
                .is_some_and(|info| info.coverage.contains(c as u32))
        });
        if !covered {
            missing.insert(c);
        }
    }
    missing
}

/// Characters that print nothing, so a font need not cover them.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0100}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_arabic_and_hebrew_are_covered_but_cjk_and_emoji_are_not() {
        let fonts = load_fonts();
        assert_eq!(fonts.len(), 8);
        let book = FontBook::from_fonts(&fonts);
        let missing = uncovered_chars(&book, fonts.len(), "Café → مرحبا שלום 数据库 🚨\u{FE0F}");
        assert_eq!(missing, BTreeSet::from(['数', '据', '库', '🚨']));
    }
}
