//! Front matter (ingest stage): the optional `---` YAML block at the top of a page, read
//! with serde-saphyr (the only module that knows it).
//!
//! Strict where it helps, lenient where it must be: YAML that does not parse, a block that
//! is never closed and a known key with a value of the wrong type are errors; the keys
//! Hugo, Zola, Jekyll and the other generators use for layout (`weight`, `type`, `menu`,
//! `bookCollapseSection`, ...: `LAYOUT_KEYS`) are accepted without a word, because pages
//! written for them must build as their authors meant; any other key opsbook does not
//! know is a warning naming the closest known key. Every position is a line of the whole
//! file, not of the YAML block.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::IgnoredAny;

use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::span::LineIndex;
use crate::model::FrontMatter;

/// Front matter keys that other static site generators and their themes use for layout,
/// navigation and publishing. opsbook reads a few of them (`weight`, `linkTitle`,
/// `bookHidden`, in `FrontMatter`); the others say nothing it shows, so they are accepted
/// silently: a page written for Hugo or Zola carries them by design.
pub const LAYOUT_KEYS: &[&str] = &[
    // Hugo (page and section front matter).
    "audio",
    "author",
    "authors",
    "build",
    "cascade",
    "categories",
    "expiryDate",
    "headless",
    "images",
    "isCJKLanguage",
    "keywords",
    "lastmod",
    "layout",
    "markup",
    "menu",
    "menus",
    "outputs",
    "params",
    "publishDate",
    "resources",
    "series",
    "sitemap",
    "summary",
    "toc",
    "translationKey",
    "type",
    "url",
    "videos",
    // Hugo themes: Book, Docsy, PaperMod.
    "bookCollapseSection",
    "bookComments",
    "bookFlatSection",
    "bookHref",
    "bookIcon",
    "bookSearchExclude",
    "bookToc",
    "no_list",
    "hide_summary",
    "simple_list",
    "icon",
    "showToc",
    "ShowToc",
    "TocOpen",
    "hidemeta",
    "comments",
    "math",
    // Zola.
    "path",
    "template_page",
    "page_template",
    "sort_by",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "insert_anchor_links",
    "in_search_index",
    "render",
    "redirect_to",
    "transparent",
    "generate_feeds",
    "extra",
    "taxonomies",
    // Jekyll, Just the Docs, Docusaurus, MkDocs.
    "permalink",
    "published",
    "category",
    "excerpt",
    "nav_order",
    "parent",
    "grand_parent",
    "has_children",
    "has_toc",
    "nav_exclude",
    "redirect_from",
    "id",
    "sidebar_label",
    "sidebar_position",
    "sidebar_class_name",
    "hide_title",
    "hide_table_of_contents",
    "pagination_label",
    "custom_edit_url",
    "image",
    "hide",
    "search",
    "subtitle",
];

/// The page's front matter and where its markdown body starts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFrontMatter {
    pub front_matter: FrontMatter,
    /// Byte offset of the first body byte (0 when there is no front matter).
    pub body_start: usize,
}

/// The YAML text between the fences and its place in the file.
struct YamlBlock<'a> {
    yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    yaml_start: usize,
    /// 1-based file line of the first YAML line.
    first_line: u32,
    body_start: usize,
}

/// Reads the front matter of one page. On an error the body start is still found when
/// possible, so other checks can go on; the caller treats any error as a failed page.
pub fn parse_front_matter(
    path: &Path,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> ParsedFrontMatter {
    let block = match find_yaml_block(text) {
        Ok(Some(block)) => block,
        Ok(None) => return ParsedFrontMatter::default(),
        Err(Unclosed) => {
            let diagnostic = Diagnostic::error(
                codes::FRONT_MATTER_UNCLOSED,
                "front matter opened with `---` is never closed",
            )
            .with_help("add a line with `---` after the last front matter key, or remove the first line if the page has no front matter")
            .at(path, Some(LineIndex::new(text).span(0, 3)));
            diagnostics.push(diagnostic);
            return ParsedFrontMatter::default();
        }
    };
    let front_matter = read_yaml(path, text, &block, diagnostics).unwrap_or_default();
    ParsedFrontMatter {
        front_matter,
        body_start: block.body_start,
    }
}

/// The front matter read as a caller's own type, for pages of a kind that has keys of
/// its own (audit reports: `scope`, `grade`, `findings`). Unknown keys are skipped; no
/// front matter gives `T::default()`; a value of the wrong type is an error at its line.
pub fn parse_front_matter_as<T: serde::de::DeserializeOwned + Default>(
    path: &Path,
    text: &str,
) -> Result<T, Diagnostic> {
    match find_yaml_block(text) {
        Ok(Some(block)) if !block.yaml.trim().is_empty() => serde_saphyr::from_str::<T>(block.yaml)
            .map_err(|error| {
                yaml_error(path, text, &block, &error, codes::FRONT_MATTER_TYPE)
                    .with_help("give this key a value of the type opsbook expects (see the README)")
            }),
        _ => Ok(T::default()),
    }
}

/// Finds `---` ... `---` (or `...`) at the very top of the file.
/// The front matter fence is opened but never closed.
struct Unclosed;

fn find_yaml_block(text: &str) -> Result<Option<YamlBlock<'_>>, Unclosed> {
    let after_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom_len = text.len() - after_bom.len();
    let Some(first_line_end) = after_bom.find('\n') else {
        return Ok(None);
    };
    if after_bom[..first_line_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = bom_len + first_line_end + 1;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Some(YamlBlock {
                yaml: &text[yaml_start..offset],
                yaml_start,
                first_line: 2,
                body_start: offset + line.len(),
            }));
        }
        offset += line.len();
    }
    Err(Unclosed)
}

fn read_yaml(
    path: &Path,
    text: &str,
    block: &YamlBlock,
    diagnostics: &mut Diagnostics,
) -> Option<FrontMatter> {
    if block.yaml.trim().is_empty() {
        return Some(FrontMatter::default());
    }
    let keys: BTreeMap<String, IgnoredAny> = match serde_saphyr::from_str(block.yaml) {
        Ok(keys) => keys,
        Err(error) => {
            diagnostics.push(yaml_error(path, text, block, &error, codes::FRONT_MATTER_SYNTAX)
                .with_help("fix the YAML between the `---` lines (front matter must be a mapping of `key: value` lines)"));
            return None;
        }
    };
    for key in keys.keys() {
        if !FrontMatter::KNOWN_KEYS.contains(&key.as_str()) && !LAYOUT_KEYS.contains(&key.as_str())
        {
            diagnostics.push(unknown_key(path, text, block, key));
        }
    }
    match serde_saphyr::from_str::<FrontMatter>(block.yaml) {
        Ok(front_matter) => Some(front_matter),
        Err(error) => {
            diagnostics.push(yaml_error(path, text, block, &error, codes::FRONT_MATTER_TYPE)
                .with_help("give this key a value of the type opsbook expects (see the README's front matter table)"));
            None
        }
    }
}

/// A serde-saphyr error moved from YAML-block lines to file lines.
fn yaml_error(
    path: &Path,
    text: &str,
    block: &YamlBlock,
    error: &serde_saphyr::Error,
    code: &'static str,
) -> Diagnostic {
    let index = LineIndex::new(text);
    let span = error.location().map(|location| {
        // From saphyr's offset, so lines and columns are counted the way every other
        // position is: saphyr also breaks lines at a lone `\r`, and its own line numbers
        // can run past the file's (found by fuzzing).
        let chars = usize::try_from(location.span().offset()).unwrap_or(usize::MAX);
        let byte = (block.yaml.char_indices().map(|(byte, _)| byte))
            .nth(chars)
            .unwrap_or(block.yaml.len());
        let offset = block.yaml_start + byte;
        index.span(offset, offset)
    });
    let message = first_line_of(&error.to_string());
    Diagnostic::error(code, format!("invalid front matter: {message}")).at(path, span)
}

/// serde-saphyr's messages read `error: line 2 column 8: expected ...` and may carry a
/// snippet on further lines; keep the sentence, since the position is ours to print.
fn first_line_of(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    let line = line.strip_prefix("error:").unwrap_or(line).trim_start();
    let sentence = match line.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(line, |(_, sentence)| sentence),
        None => line,
    };
    sentence.to_string()
}

fn unknown_key(path: &Path, text: &str, block: &YamlBlock, key: &str) -> Diagnostic {
    let index = LineIndex::new(text);
    let span = find_top_level_key(block, key).map(|(line, col)| {
        let offset = index.line_start(line) + col as usize - 1;
        index.span(offset, offset + key.len())
    });
    let closest = closest_known_key(key);
    let message =
        format!("unknown front matter key `{key}` is ignored (closest known key: `{closest}`)");
    let help = if edit_distance(key, closest) <= 2 {
        format!(
            "did you mean `{closest}`? Known keys: {}",
            FrontMatter::KNOWN_KEYS.join(", ")
        )
    } else {
        format!(
            "keep it if another tool reads it; opsbook knows: {}",
            FrontMatter::KNOWN_KEYS.join(", ")
        )
    };
    Diagnostic::warning(codes::FRONT_MATTER_UNKNOWN_KEY, message)
        .at(path, span)
        .with_help(help)
}

/// File line and column of a top-level `key:` in the YAML block.
fn find_top_level_key(block: &YamlBlock, key: &str) -> Option<(u32, u32)> {
    block.yaml.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key).or_else(|| {
            line.strip_prefix('"')
                .and_then(|l| l.strip_prefix(key))
                .and_then(|l| l.strip_prefix('"'))
        })?;
        rest.trim_start()
            .starts_with(':')
            .then_some((block.first_line + i as u32, 1))
    })
}

fn closest_known_key(key: &str) -> &'static str {
    FrontMatter::KNOWN_KEYS
        .iter()
        .min_by_key(|known| (edit_distance(key, known), known.len()))
        .copied()
        .unwrap_or("title")
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use crate::model::PageKind;

    fn parse(text: &str) -> (ParsedFrontMatter, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let parsed = parse_front_matter(Path::new("content/p.md"), text, &mut diagnostics);
        (parsed, diagnostics)
    }

    #[test]
    fn page_without_front_matter_starts_its_body_at_zero() {
        let (parsed, diagnostics) = parse("# Title\n\ntext\n");
        assert_eq!(parsed.body_start, 0);
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn known_keys_are_read_and_body_starts_after_the_closing_fence() {
        let text = "---\ntitle: DB failover\nkind: runbook\ntags: [db, p0]\n---\n# Body\n";
        let (parsed, diagnostics) = parse(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(parsed.front_matter.title.as_deref(), Some("DB failover"));
        assert_eq!(parsed.front_matter.kind, Some(PageKind::Runbook));
        assert_eq!(parsed.front_matter.tags, vec!["db", "p0"]);
        assert_eq!(&text[parsed.body_start..], "# Body\n");
    }

    #[test]
    fn layout_keys_of_other_generators_are_accepted_and_a_few_read() {
        let text = "---\ntitle: node\nweight: 10\nlinkTitle: Node\nbookHidden: true\nbookCollapseSection: true\nbookFlatSection: true\ntype: docs\nlayout: single\nmenu:\n  main:\n    weight: 2\ncategories: [ops]\ntoc: false\n---\nbody\n";
        let (parsed, diagnostics) = parse(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let front = parsed.front_matter;
        assert_eq!(
            (front.weight, front.link_title.as_deref(), front.book_hidden),
            (Some(10), Some("Node"), Some(true))
        );
    }

    #[test]
    fn a_layout_hint_of_an_unexpected_type_is_ignored_not_an_error() {
        let (parsed, diagnostics) = parse("---\nweight: \"20\"\nbookHidden: [1]\n---\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(parsed.front_matter.weight, Some(20));
        assert_eq!(parsed.front_matter.book_hidden, None);
        let (parsed, _) = parse("---\nweight: heavy\n---\n");
        assert_eq!(parsed.front_matter.weight, None);
    }

    #[test]
    fn unknown_key_is_a_warning_at_its_file_line_naming_the_closest_key() {
        let text = "---\ntitle: x\nwieght: 3\ntittle: y\n---\nbody\n";
        let (parsed, diagnostics) = parse(text);
        assert_eq!(parsed.front_matter.title.as_deref(), Some("x"));
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        let tittle = diagnostics
            .iter()
            .find(|d| d.message.contains("`tittle`"))
            .unwrap();
        assert_eq!(tittle.severity, Severity::Warning);
        assert_eq!(tittle.code, codes::FRONT_MATTER_UNKNOWN_KEY);
        assert_eq!(
            (tittle.span.unwrap().line, tittle.span.unwrap().col),
            (4, 1)
        );
        assert!(tittle.message.contains("closest known key: `title`"));
        assert!(tittle
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `title`?"));
        let weight = diagnostics
            .iter()
            .find(|d| d.message.contains("`wieght`"))
            .unwrap();
        assert_eq!(weight.span.unwrap().line, 3);
        assert!(weight.message.contains("closest known key: `weight`"));
    }

    #[test]
    fn malformed_yaml_is_an_error_on_the_file_line() {
        let text = "---\ntitle: ok\ntags: [a, b\nowner: me\n---\nbody\n";
        let (_, diagnostics) = parse(text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let d = &diagnostics[0];
        assert!(!d.message.contains("line "), "{}", d.message);
        assert_eq!(d.code, codes::FRONT_MATTER_SYNTAX);
        assert!(d.is_error());
        let line = d.span.expect("a position").line;
        assert!((3..=5).contains(&line), "line {line}: {d:?}");
    }

    #[test]
    fn yaml_error_span_starts_at_the_column_it_names() {
        // fuzz/artifacts/front_matter/crash-42a08fa2b6359e54949d714d8cb9847cd39d6a2a
        let text = "---\ntitle: [oops\n---\n# Syntax\n";
        let (_, diagnostics) = parse(text);
        let span = diagnostics[0].span.expect("a position");
        assert_eq!(
            LineIndex::new(text).line_col(span.start),
            (span.line, span.col)
        );
        assert!(span.col > 1, "{span:?}");
    }

    #[test]
    fn yaml_error_lines_count_only_line_feeds() {
        // fuzz/artifacts/front_matter/crash-eea553fa8be721e1c69ff91218843c9fb8941d01,
        // minimised: saphyr breaks lines at each lone `\r` too.
        let text = "---\n\r\r\0\n---";
        let (_, diagnostics) = parse(text);
        let span = diagnostics[0].span.expect("a position");
        assert!(span.end <= text.len(), "{span:?}");
        assert_eq!(
            LineIndex::new(text).line_col(span.start),
            (span.line, span.col)
        );
    }

    #[test]
    fn known_key_with_wrong_type_is_an_error_at_its_line() {
        let text = "---\ntitle: ok\ndraft: [1, 2]\n---\nbody\n";
        let (_, diagnostics) = parse(text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(
            !diagnostics[0].message.contains("column"),
            "{}",
            diagnostics[0].message
        );
        assert_eq!(diagnostics[0].code, codes::FRONT_MATTER_TYPE);
        assert_eq!(diagnostics[0].span.unwrap().line, 3);
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let (_, diagnostics) = parse("---\ntitle: x\n# body\n");
        assert_eq!(diagnostics[0].code, codes::FRONT_MATTER_UNCLOSED);
        assert_eq!(diagnostics[0].span.unwrap().line, 1);
    }

    #[test]
    fn empty_front_matter_and_crlf_are_accepted() {
        let (parsed, diagnostics) = parse("---\r\n---\r\nbody\r\n");
        assert!(diagnostics.is_empty());
        assert_eq!(parsed.body_start, 10);
        let (parsed, diagnostics) = parse("---\r\ntitle: a\r\n---\r\nbody\r\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(parsed.front_matter.title.as_deref(), Some("a"));
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("tittle", "title"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kind", "kind"), 0);
    }
}
