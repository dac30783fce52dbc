//! The text of an input file: UTF-8 checked, a byte order mark dropped. Editors and
//! scanners on Windows write a byte order mark before JSON, YAML, TOML and markdown; no
//! reader wants it (JSON and TOML parsers reject it, and it would hide a page's front
//! matter), so every input drops it here, before any reader sees the text.

use crate::model::span::{LineIndex, Span};

/// The UTF-8 byte order mark. Editors and scanners on Windows write one before JSON,
/// YAML, TOML and markdown; no reader wants it, and JSON and TOML parsers reject it.
const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";

/// `bytes` without a leading byte order mark: the one place every input drops it.
pub fn strip_byte_order_mark(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BYTE_ORDER_MARK).unwrap_or(bytes)
}

/// A file that is not valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// The text with each bad byte shown as U+FFFD, so a diagnostic can show the line.
    pub lossy: String,
    /// Where the first bad byte is, in `lossy` (its offset is the same in the file after
    /// the byte order mark).
    pub span: Span,
}

/// The text of an input file: UTF-8 without its byte order mark, or where it stops
/// being UTF-8.
pub fn decode_utf8(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    let mut bytes = bytes;
    if bytes.starts_with(BYTE_ORDER_MARK) {
        bytes.drain(..BYTE_ORDER_MARK.len());
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
        // The valid prefix is the same bytes in the lossy text, so the offset holds.
        let span = LineIndex::new(&lossy).span(valid_up_to, valid_up_to);
        NotUtf8 { lossy, span }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_dropped_and_a_bad_byte_is_placed_by_line_and_column() {
        assert_eq!(strip_byte_order_mark(b"\xef\xbb\xbf{}"), b"{}");
        assert_eq!(strip_byte_order_mark(b"{}"), b"{}");
        assert_eq!(
            decode_utf8(b"\xef\xbb\xbfa = 1\n".to_vec()).unwrap(),
            "a = 1\n"
        );
        let error =
            decode_utf8(b"\xef\xbb\xbftitle = 1\nname = \"Caf\xe9\"\n".to_vec()).unwrap_err();
        assert_eq!((error.span.line, error.span.col), (2, 12));
        assert_eq!(error.lossy, "title = 1\nname = \"Caf\u{fffd}\"\n");
        assert_eq!(&error.lossy[error.span.start..], "\u{fffd}\"\n");
    }
}
