//! Links of the generated site (render stage). Relative links an author writes between
//! source files are rewritten to the page-relative URLs of the generated pages
//! (`rewrite`), and every internal link of every generated page, the theme's included, is
//! checked against the pages and element ids that were really generated (`check`). Takes
//! the project and the rendered HTML; gives rewritten HTML and diagnostics placed on the
//! markdown line of the link (or on the page, for links the templates make).

mod check;
mod html;
mod resolve;
mod rewrite;

pub use check::{check_links, FileRecord, SiteIndex};
pub use resolve::{relative_href, SourceLinks};
pub use rewrite::rewrite_page_links;

use crate::model::char_refs;

/// The comparable form of a link destination: character references and `%HH` escapes
/// decoded, so a link is recognised however the HTML writer escaped it.
pub(crate) fn normalize_href(raw: &str) -> String {
    html::percent_decode(&char_refs::decode(raw))
}
