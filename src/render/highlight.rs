//! Build-time syntax highlighting (render stage). The only module that knows syntect.
//!
//! Code becomes `<span class="...">` runs named after syntect scopes, never inline
//! styles, so the theme's CSS decides the colours (dark mode and print included). The
//! syntax set is two-face's extended set, so Dockerfile, TOML, HCL/Terraform, nginx and INI
//! are known; it is loaded once per build, because loading it costs far more than
//! highlighting a block.

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
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

/// Highlights code blocks; build one per build and share it (it is read-only).
pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
        }
    }

    /// A complete `<pre class="code"><code>` block. An unknown or missing language gives
    /// escaped plain code, never an error.
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> String {
        let lang = lang.map(str::trim).filter(|l| !l.is_empty());
        let label = lang
            .map(|l| format!(" data-lang=\"{}\"", escape_html(l)))
            .unwrap_or_default();
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

    fn classed_html(&self, code: &str, syntax: &SyntaxReference) -> Option<String> {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, ClassStyle::Spaced);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
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
