//! The key of a runbook's PDF (see `render::pdf_store`): what the PDF is made from,
//! hashed with Typst's stable 128-bit hash. The engine's part (opsbook's version, the
//! template, the site's fonts and their families) is hashed once per build; each
//! document adds its data as the template reads it and its PDF identifier.

use typst::utils::hash128;

use super::world::TEMPLATE;
use crate::config::PdfFont;
use crate::render::pdf_store::PdfKey;

/// What every PDF of a build shares. The embedded fonts are part of the binary and so
/// of its version; the site's own fonts are hashed byte for byte.
pub(super) fn engine_fingerprint(extra: &[PdfFont], families: &[String]) -> u128 {
    let fonts: Vec<&[u8]> = extra.iter().map(|font| &*font.bytes).collect();
    hash128(&(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        TEMPLATE,
        fonts,
        families,
    ))
}

/// The key of one document: the engine's fingerprint, the `/data.json` text and the
/// PDF identifier (the page's output path).
pub(super) fn document_key(fingerprint: u128, data: &str, ident: &str) -> PdfKey {
    PdfKey(hash128(&(fingerprint, data, ident)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_changes_with_data_identifier_and_fonts() {
        let plain = engine_fingerprint(&[], &[]);
        let font = PdfFont {
            path: "fonts/x.ttf".into(),
            bytes: vec![1u8, 2, 3].into(),
        };
        let with_font = engine_fingerprint(std::slice::from_ref(&font), &["X".into()]);
        assert_ne!(plain, with_font);
        let key = document_key(plain, "{\"title\":\"A\"}", "runbooks/a/index.html");
        assert_eq!(
            key,
            document_key(plain, "{\"title\":\"A\"}", "runbooks/a/index.html")
        );
        assert_ne!(
            key,
            document_key(plain, "{\"title\":\"B\"}", "runbooks/a/index.html")
        );
        assert_ne!(
            key,
            document_key(plain, "{\"title\":\"A\"}", "runbooks/b/index.html")
        );
        assert_ne!(
            key,
            document_key(with_font, "{\"title\":\"A\"}", "runbooks/a/index.html")
        );
    }
}
