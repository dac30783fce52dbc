//! Build-time syntax highlighting (render stage). The only module that knows syntect.
//!
//! Code becomes `<span class="...">` runs named after syntect scopes, never inline
//! styles, so the theme's CSS decides the colours (dark mode and print included). The
//! syntax set is two-face's extended set, so Dockerfile, TOML, HCL/Terraform, nginx and INI
//! are known; it is loaded once per build, because loading it costs far more than
//! highlighting a block.
//!
//! Highlighted lines are remembered: a line met again in the same parser state gives
//! the same HTML, so it is copied instead of parsed. Runbooks repeat lines a lot
//! (`set -euo pipefail`, `kubectl -n ... get pods`, YAML keys), and parsing was most of
//! a build's CPU (`perf` on a 1,000-page site: 37% in syntect and its regex engine).

use std::cell::RefCell;
use std::collections::HashMap;

use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::markdown::escape_html;

/// Names people write after a code fence that are not syntect's own tokens.
const LANGUAGE_ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("console", "bash"),
    ("terraform", "tf"),
    ("hcl", "tf"),
    ("dockerfile", "Dockerfile"),
    ("docker", "Dockerfile"),
    ("nginx", "nginx"),
    ("conf", "ini"),
    ("yml", "yaml"),
    ("jsonc", "json"),
    ("ps1", "powershell"),
];

/// Lines longer than this are not remembered (long lines rarely repeat).
const MAX_REMEMBERED_LINE: usize = 240;
/// How many highlighted lines one highlighter remembers, so memory stays bounded on
/// any site (about 1 KB each).
const MAX_REMEMBERED_LINES: usize = 16_384;

/// Highlights code blocks. Build one per thread (see `render::SiteRenderer`).
pub struct Highlighter {
    syntaxes: SyntaxSet,
    /// Whether lines it highlights are added to this thread's memory (it always
    /// recalls what is there).
    remember: bool,
}

thread_local! {
    /// The lines this thread highlighted. Per thread because syntect's parser state holds
    /// regex match data that may not cross threads; valid for every `Highlighter`,
    /// since all of them load the same syntax set.
    static LINES: RefCell<LineMemory> = RefCell::default();
}

/// Highlighted lines by their text; a line can have several parser states before it.
#[derive(Default)]
struct LineMemory {
    by_text: HashMap<Box<str>, Vec<HighlightedLine>>,
    count: usize,
}

/// One line's highlighting: the parser and scope state before it, its HTML, and the
/// states after it.
struct HighlightedLine {
    before: (ParseState, ScopeStack),
    html: Box<str>,
    /// Spans opened minus spans closed by the line.
    open_spans: isize,
    after: (ParseState, ScopeStack),
}

impl LineMemory {
    fn recall(&self, line: &str, state: &(ParseState, ScopeStack)) -> Option<&HighlightedLine> {
        self.by_text.get(line)?.iter().find(|h| h.before == *state)
    }

    fn wants(&self, line: &str) -> bool {
        self.count < MAX_REMEMBERED_LINES && line.len() <= MAX_REMEMBERED_LINE
    }

    fn remember(&mut self, line: &str, highlighted: HighlightedLine) {
        self.by_text
            .entry(line.into())
            .or_default()
            .push(highlighted);
        self.count += 1;
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
            remember: true,
        }
    }

    /// This highlighter, adding the lines it highlights to its thread's memory or not.
    /// Remembering pays off in a build that renders many pages; serve's rebuilds render
    /// few, and as every rendering thread came to remember every page's lines for itself
    /// the memory only grew (5 MB after three title changes at 1,000 pages, `massif`).
    pub fn remembering(mut self, remember: bool) -> Self {
        self.remember = remember;
        self
    }

    /// A complete `<pre class="code"><code>` block. An unknown or missing language gives
    /// escaped plain code, never an error.
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> String {
        let lang = lang.map(str::trim).filter(|l| !l.is_empty());
        let label = lang
            .map(|l| format!(" data-lang=\"{}\"", escape_html(l)))
            .unwrap_or_default();
        // syntect knows no PromQL; `promql` has a highlighter of its own.
        if lang.is_some_and(is_promql) {
            let body = super::promql::promql_html(code);
            return format!("<pre class=\"code\"{label}><code>{body}</code></pre>");
        }
        let body = lang
            .and_then(|l| self.find_syntax(l))
            .and_then(|syntax| self.classed_html(code, syntax))
            .unwrap_or_else(|| escape_html(code));
        format!("<pre class=\"code\"{label}><code>{body}</code></pre>")
    }

    fn find_syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let token = lang.split([' ', ',', '{']).next().unwrap_or(lang);
        let lower = token.to_ascii_lowercase();
        let alias = LANGUAGE_ALIASES
            .iter()
            .find(|(name, _)| *name == lower)
            .map(|(_, target)| *target);
        let candidates = [alias, Some(token), Some(lower.as_str())];
        let found = candidates.into_iter().flatten().find_map(|name| {
            self.syntaxes
                .find_syntax_by_token(name)
                .or_else(|| self.syntaxes.find_syntax_by_name(name))
        });
        found
    }

    /// What syntect's `ClassedHTMLGenerator` makes of `code`, line by line, with
    /// remembered lines copied.
    fn classed_html(&self, code: &str, syntax: &SyntaxReference) -> Option<String> {
        LINES.with_borrow_mut(|memory| self.classed_html_with(code, syntax, memory))
    }

    fn classed_html_with(
        &self,
        code: &str,
        syntax: &SyntaxReference,
        memory: &mut LineMemory,
    ) -> Option<String> {
        let mut state = (ParseState::new(syntax), ScopeStack::new());
        let mut html = String::with_capacity(code.len() * 3);
        let mut open_spans = 0;
        for line in LinesWithEndings::from(code) {
            if let Some(known) = memory.recall(line, &state) {
                html.push_str(&known.html);
                open_spans += known.open_spans;
                state.clone_from(&known.after);
                continue;
            }
            let before = (self.remember && memory.wants(line)).then(|| state.clone());
            let ops = state.0.parse_line(line, &self.syntaxes).ok()?;
            let (line_html, delta) =
                line_tokens_to_classed_spans(line, &ops, ClassStyle::Spaced, &mut state.1).ok()?;
            html.push_str(&line_html);
            open_spans += delta;
            if let Some(before) = before {
                let highlighted = HighlightedLine {
                    before,
                    html: line_html.into(),
                    open_spans: delta,
                    after: state.clone(),
                };
                memory.remember(line, highlighted);
            }
        }
        for _ in 0..open_spans {
            html.push_str("</span>");
        }
        Some(html)
    }
}

/// A code fence's language names PromQL (`promql`, `PromQL {title="x"}`).
fn is_promql(lang: &str) -> bool {
    let token = lang.split([' ', ',', '{']).next().unwrap_or(lang);
    token.eq_ignore_ascii_case("promql")
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_class_spans_not_inline_styles() {
        let highlighter = Highlighter::new();
        for (lang, code) in [
            ("bash", "echo \"hi\" # note\n"),
            ("dockerfile", "FROM debian:12\nRUN apt-get update\n"),
            ("toml", "[package]\nname = \"x\"\n"),
            (
                "terraform",
                "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
            ),
            ("hcl", "variable \"x\" {}\n"),
            ("nginx", "server {\n  listen 80;\n}\n"),
            ("ini", "[section]\nkey=value\n"),
        ] {
            let html = highlighter.highlight(code, Some(lang));
            assert!(html.contains("<span class=\""), "{lang}: {html}");
            assert!(!html.contains("style="), "{lang}: {html}");
        }
    }

    /// The remembered lines must give exactly what syntect gives without them, also for
    /// lines whose meaning depends on the lines before (here-documents, block strings).
    #[test]
    fn remembered_lines_give_the_same_html_as_syntect() {
        use syntect::html::ClassedHTMLGenerator;
        let highlighter = Highlighter::new();
        let blocks = [
            ("bash", "set -euo pipefail\ncat <<EOF\nset -euo pipefail\necho \"$X\"\nEOF\nset -euo pipefail\n"),
            ("bash", "echo 'open\nset -euo pipefail\nclosed'\nset -euo pipefail\n"),
            ("yaml", "a: |\n  key: value\nkey: value\n- key: value\n"),
            ("python", "x = \"\"\"\nkey: value\n\"\"\"\nkey = 1\n"),
        ];
        for round in 0..2 {
            for (lang, code) in blocks {
                let syntax = highlighter.find_syntax(lang).unwrap();
                let mut reference = ClassedHTMLGenerator::new_with_class_style(
                    syntax,
                    &highlighter.syntaxes,
                    ClassStyle::Spaced,
                );
                for line in LinesWithEndings::from(code) {
                    reference
                        .parse_html_for_line_which_includes_newline(line)
                        .unwrap();
                }
                assert_eq!(
                    highlighter.classed_html(code, syntax).unwrap(),
                    reference.finalize(),
                    "round {round}, {lang}: {code}"
                );
            }
        }
        LINES.with_borrow(|memory| {
            assert!(memory.count > 0);
            // `set -euo pipefail` was met at the start, inside a here-document and after.
            assert!(memory.by_text["set -euo pipefail\n"].len() >= 2);
        });
    }

    #[test]
    fn a_highlighter_that_does_not_remember_recalls_and_adds_nothing() {
        // Tests run on threads of their own, so this thread's memory starts empty.
        let count = || LINES.with_borrow(|memory| memory.count);
        let code = "kubectl get pods -n ops\nkubectl rollout restart deploy/api\n";
        let forgetful = Highlighter::new().remembering(false);
        let first = forgetful.highlight(code, Some("bash"));
        assert_eq!(count(), 0);
        let remembering = Highlighter::new();
        assert_eq!(remembering.highlight(code, Some("bash")), first);
        assert_eq!(count(), 2);
        // What is remembered is recalled by any highlighter, and the same.
        assert_eq!(forgetful.highlight(code, Some("bash")), first);
        let other = forgetful.highlight("kubectl delete pod x\n", Some("bash"));
        assert!(other.contains("kubectl"), "{other}");
        assert_eq!(count(), 2);
    }

    #[test]
    fn promql_blocks_are_highlighted_by_the_promql_tokenizer() {
        let html = Highlighter::new().highlight("rate(x[5m]) > 0\n", Some("promql"));
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"promql\"><code>"));
        assert!(
            html.contains("<span class=\"support function\">rate</span>"),
            "{html}"
        );
    }

    #[test]
    fn unknown_language_is_escaped_plain_code() {
        let html = Highlighter::new().highlight("<b>&</b>\n", Some("no-such-lang"));
        assert_eq!(
            html,
            "<pre class=\"code\" data-lang=\"no-such-lang\"><code>&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>"
        );
    }

    #[test]
    fn highlighted_code_escapes_markup() {
        let html = Highlighter::new().highlight("echo '<script>'\n", Some("bash"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>"));
    }
}
