//! Hugo shortcodes (ingest stage): a page's text in, the same text with each
//! `{{< ref "x.md" >}}` and `{{< relref "x.md#a" >}}` (or `{{% %}}`) replaced by the path
//! it names, so the link around it is an ordinary markdown link to a source file: it is
//! rewritten to the generated page and checked like any other (`render::links`). Any
//! other shortcode is a note and stays as written; a shortcode in code is left alone, as
//! is the escaped form `{{</* */>}}`.
//!
//! The replacement is padded with spaces to the shortcode's length, so every offset of
//! the page (and every position a diagnostic names) stays what it is in the file. In a
//! link, spaces after the destination are allowed: `[A]({{< ref "a.md" >}})` becomes
//! `[A](a.md            )`.

use std::ops::Range;
use std::path::Path;

use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::ingest::outline::read_outline;
use crate::model::span::LineIndex;

/// One shortcode as written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shortcode<'a> {
    /// From `{{` to `}}`, in the whole text.
    range: Range<usize>,
    /// `ref`, `hint`, `/hint`.
    name: &'a str,
    /// What follows the name, trimmed.
    arguments: &'a str,
}

/// The page text with its `ref` and `relref` shortcodes resolved (see the module doc);
/// the text as it is when the body has none. Diagnostics carry `source` as their path.
pub fn resolve_shortcodes(
    source: &Path,
    text: String,
    body_start: usize,
    diagnostics: &mut Diagnostics,
) -> String {
    let body = text.get(body_start..).unwrap_or("");
    if !body.contains("{{<") && !body.contains("{{%") {
        return text;
    }
    let outline = read_outline(&text, body_start);
    let in_code = |offset: usize| {
        outline.in_code(offset) || outline.code_spans.iter().any(|r| r.contains(&offset))
    };
    let found: Vec<Shortcode> = find_shortcodes(&text, body_start)
        .into_iter()
        .filter(|shortcode| !in_code(shortcode.range.start))
        .collect();
    let lines = LineIndex::new(&text);
    let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
    for shortcode in found {
        let span = Some(lines.span(shortcode.range.start, shortcode.range.end));
        match shortcode.name {
            "ref" | "relref" => match replacement(&shortcode) {
                Ok(padded) => replacements.push((shortcode.range.clone(), padded)),
                Err(problem) => diagnostics.push(
                    Diagnostic::warning(codes::SHORTCODE_REF, problem)
                        .at(source, span)
                        .with_help("write `{{< ref \"other-page.md\" >}}` (a path from this page, or from `content/` when it starts with `/`); it is shown as written"),
                ),
            },
            // The end of a paired shortcode: its start was reported.
            name if name.starts_with('/') => {}
            name => diagnostics.push(
                Diagnostic::note(
                    codes::SHORTCODE_UNKNOWN,
                    format!("the Hugo shortcode `{name}` is shown as written"),
                )
                .at(source, span)
                .with_help("opsbook reads only the `ref` and `relref` shortcodes; write what it shows as markdown or allowed HTML to have it on the page"),
            ),
        }
    }
    let mut text = text;
    for (range, padded) in replacements.into_iter().rev() {
        text.replace_range(range, &padded);
    }
    text
}

/// Every `{{< name args >}}` and `{{% name args %}}` in the body, in order; escaped
/// ones (`{{</* ... */>}}`) and unterminated ones are skipped.
fn find_shortcodes(text: &str, body_start: usize) -> Vec<Shortcode<'_>> {
    let mut found = Vec::new();
    let mut at = body_start.min(text.len());
    while let Some(offset) = text[at..].find("{{") {
        let start = at + offset;
        let rest = &text[start + 2..];
        let delimiter = match rest.chars().next() {
            Some('<') => ">}}",
            Some('%') => "%}}",
            _ => {
                at = start + 2;
                continue;
            }
        };
        let inner_start = start + 3;
        let Some(inner_len) = text[inner_start..].find(delimiter) else {
            break;
        };
        let inner = &text[inner_start..inner_start + inner_len];
        let end = inner_start + inner_len + delimiter.len();
        at = end;
        let trimmed = inner.trim();
        // `{{</* ref */>}}` shows a shortcode in Hugo's own docs; it is text.
        if trimmed.starts_with("/*") || inner.contains('\n') {
            continue;
        }
        let name_len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        found.push(Shortcode {
            range: start..end,
            name: &trimmed[..name_len],
            arguments: trimmed[name_len..].trim(),
        });
    }
    found
}

/// The path a `ref` shortcode names, percent-encoded where a markdown link destination
/// could not hold it, padded with spaces to the shortcode's length.
fn replacement(shortcode: &Shortcode) -> Result<String, String> {
    let path = ref_path(shortcode.arguments).ok_or_else(|| {
        format!(
            "the `{}` shortcode names no page (`{}`)",
            shortcode.name, shortcode.arguments
        )
    })?;
    let mut encoded = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '\\' | '"' => {
                encoded.push_str(&format!("%{:02X}", c as u32))
            }
            c => encoded.push(c),
        }
    }
    let length = shortcode.range.len();
    if encoded.len() > length {
        return Err(format!(
            "the `{}` shortcode's path `{path}` cannot be put in its place",
            shortcode.name
        ));
    }
    Ok(format!("{encoded:<length$}"))
}

/// The page a `ref` names: its first argument (`"x.md"`, `'x.md'`, `x.md`) or its
/// `path="x.md"`.
fn ref_path(arguments: &str) -> Option<String> {
    let arguments = arguments.trim();
    let named = arguments
        .strip_prefix("path")
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix('='))
        .map(str::trim_start);
    let value = named.unwrap_or(arguments);
    let path = match value.chars().next()? {
        quote @ ('"' | '\'' | '`') => {
            let inner = &value[1..];
            &inner[..inner.find(quote)?]
        }
        _ => value.split_whitespace().next()?,
    };
    let path = path.trim();
    (!path.is_empty()).then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str) -> (String, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let body_start = text.find("---\n\n").map_or(0, |i| i + 4);
        let out = resolve_shortcodes(
            Path::new("content/runbooks/a.md"),
            text.to_string(),
            body_start,
            &mut diagnostics,
        );
        (out, diagnostics)
    }

    #[test]
    fn refs_become_link_destinations_of_the_same_length() {
        let text = "---\ntitle: A\n---\n\nSee [B]({{< ref \"./B.md\" >}}) and [C]({{% relref path=\"/runbooks/c d.md#x\" %}}).\n";
        let (out, diagnostics) = resolve(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(out.len(), text.len());
        assert!(out.contains("[B](./B.md"), "{out}");
        assert!(out.contains("[C](/runbooks/c%20d.md#x"), "{out}");
        assert_eq!(out.lines().count(), text.lines().count());
    }

    #[test]
    fn other_shortcodes_are_notes_and_stay_as_written() {
        let text = "# A\n\n{{< hint info >}}\nCareful.\n{{< /hint >}}\n";
        let (out, diagnostics) = resolve(text);
        assert_eq!(out, text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let note = &diagnostics[0];
        assert_eq!(note.code, codes::SHORTCODE_UNKNOWN);
        assert_eq!((note.span.unwrap().line, note.span.unwrap().col), (3, 1));
        assert!(note.message.contains("`hint`"), "{}", note.message);
    }

    #[test]
    fn shortcodes_in_code_and_escaped_ones_are_text() {
        let text = "# A\n\n`{{< ref \"x.md\" >}}`\n\n```\n{{< ref \"y.md\" >}}\n```\n\n{{</* ref \"z.md\" */>}}\n";
        let (out, diagnostics) = resolve(text);
        assert_eq!(out, text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn a_ref_without_a_path_is_a_warning_and_stays() {
        let text = "# A\n\n[x]({{< ref >}})\n";
        let (out, diagnostics) = resolve(text);
        assert_eq!(out, text);
        assert_eq!(diagnostics[0].code, codes::SHORTCODE_REF);
        assert_eq!(diagnostics[0].span.unwrap().line, 3);
    }
}
