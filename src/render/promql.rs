//! PromQL highlighting (render stage): syntect's syntax sets have no PromQL, so alert
//! expressions and ```` ```promql ```` blocks are coloured by this small tokenizer
//! instead. It gives the same kind of `<span class="...">` runs as `highlight` (scope-like
//! class names, never inline styles), so the theme's CSS colours both alike. Every
//! character of the input is kept, escaped, in order: the highlighter only adds spans.

use super::markdown::escape_html;

/// Keywords that take a list of label names in parentheses.
const LABEL_LIST_KEYWORDS: &[&str] = &[
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
];
/// Aggregation operators: functions even when `by (...)` comes before their `(`.
const AGGREGATIONS: &[&str] = &[
    "sum",
    "min",
    "max",
    "avg",
    "group",
    "stddev",
    "stdvar",
    "count",
    "count_values",
    "bottomk",
    "topk",
    "quantile",
    "limitk",
    "limit_ratio",
];
/// Other keywords: set operators and modifiers.
const KEYWORDS: &[&str] = &[
    "and", "or", "unless", "bool", "offset", "atan2", "start", "end",
];

/// A complete `<pre class="code" data-lang="promql"><code>` block.
pub fn highlight_promql(expr: &str) -> String {
    format!(
        "<pre class=\"code\" data-lang=\"promql\"><code>{}</code></pre>",
        promql_html(expr)
    )
}

/// The expression as escaped HTML with a span around each token worth colouring.
pub fn promql_html(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len() * 2);
    let mut lexer = Lexer {
        text: expr,
        at: 0,
        braces: 0,
        label_list: LabelList::No,
    };
    while let Some((class, token)) = lexer.next_token() {
        match class {
            Some(class) => {
                out.push_str("<span class=\"");
                out.push_str(class);
                out.push_str("\">");
                out.push_str(&escape_html(token));
                out.push_str("</span>");
            }
            None => out.push_str(&escape_html(token)),
        }
    }
    out
}

/// Where the lexer is with respect to a `by (...)`-style list of label names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LabelList {
    No,
    /// After `by`, before its `(`.
    Expected,
    Inside,
}

struct Lexer<'a> {
    text: &'a str,
    at: usize,
    /// Depth of `{` label matchers.
    braces: usize,
    label_list: LabelList,
}

impl<'a> Lexer<'a> {
    /// The next token and its class (`None`: plain text).
    fn next_token(&mut self) -> Option<(Option<&'static str>, &'a str)> {
        let rest = &self.text[self.at..];
        let first = rest.chars().next()?;
        let (class, len) = match first {
            c if c.is_whitespace() => (None, run_len(rest, char::is_whitespace)),
            '#' => (Some("comment"), rest.find('\n').unwrap_or(rest.len())),
            '"' | '\'' | '`' => (Some("string"), string_len(rest, first)),
            c if c.is_ascii_digit() || (c == '.' && next_is_digit(rest)) => (
                Some("constant numeric"),
                run_len(rest, |c| c.is_ascii_alphanumeric() || c == '.' || c == '_'),
            ),
            c if c.is_alphabetic() || c == '_' || c == ':' && self.braces == 0 => {
                let len = run_len(rest, |c| c.is_alphanumeric() || c == '_' || c == ':');
                (self.word_class(&rest[..len], &rest[len..]), len)
            }
            _ => self.symbol(rest, first),
        };
        let len = len.max(first.len_utf8());
        self.at += len;
        Some((class, &rest[..len]))
    }

    fn word_class(&mut self, word: &str, after: &str) -> Option<&'static str> {
        let lower = word.to_ascii_lowercase();
        if self.braces > 0 || self.label_list == LabelList::Inside {
            return Some("variable parameter");
        }
        if LABEL_LIST_KEYWORDS.contains(&lower.as_str()) {
            self.label_list = LabelList::Expected;
            return Some("keyword");
        }
        if KEYWORDS.contains(&lower.as_str()) {
            return Some("keyword operator");
        }
        if lower == "inf" || lower == "nan" {
            return Some("constant numeric");
        }
        if AGGREGATIONS.contains(&lower.as_str()) || after.trim_start().starts_with('(') {
            return Some("support function");
        }
        None
    }

    fn symbol(&mut self, rest: &str, first: char) -> (Option<&'static str>, usize) {
        let two = rest.get(..2).unwrap_or("");
        if ["==", "!=", "=~", "!~", ">=", "<="].contains(&two) {
            return (Some("keyword operator"), 2);
        }
        match first {
            '{' => {
                self.braces += 1;
                (Some("punctuation"), 1)
            }
            '}' => {
                self.braces = self.braces.saturating_sub(1);
                (Some("punctuation"), 1)
            }
            '(' => {
                if self.label_list == LabelList::Expected {
                    self.label_list = LabelList::Inside;
                }
                (Some("punctuation"), 1)
            }
            ')' => {
                if self.label_list == LabelList::Inside {
                    self.label_list = LabelList::No;
                }
                (Some("punctuation"), 1)
            }
            '[' | ']' | ',' | ':' => (Some("punctuation"), 1),
            '+' | '-' | '*' | '/' | '%' | '^' | '=' | '<' | '>' | '@' => {
                (Some("keyword operator"), 1)
            }
            _ => (None, first.len_utf8()),
        }
    }
}

fn run_len(text: &str, keep: impl Fn(char) -> bool) -> usize {
    text.find(|c| !keep(c)).unwrap_or(text.len())
}

fn next_is_digit(text: &str) -> bool {
    text[1..].starts_with(|c: char| c.is_ascii_digit())
}

/// Length of a string literal opened by `quote`, up to and with its closing quote (or to
/// the end of the line when it is never closed). Backquoted strings have no escapes.
fn string_len(text: &str, quote: char) -> usize {
    let mut escaped = false;
    for (index, c) in text.char_indices().skip(1) {
        if c == '\n' {
            return index;
        }
        if escaped {
            escaped = false;
        } else if c == '\\' && quote != '`' {
            escaped = true;
        } else if c == quote {
            return index + c.len_utf8();
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spans of the HTML as `class:text` pairs.
    fn spans(html: &str) -> Vec<String> {
        html.split("<span class=\"")
            .skip(1)
            .map(|part| {
                let (class, rest) = part.split_once("\">").unwrap();
                let text = rest.split("</span>").next().unwrap();
                format!("{class}:{text}")
            })
            .collect()
    }

    #[test]
    fn functions_labels_strings_durations_and_operators_get_their_classes() {
        let html = promql_html(
            "sum by (job) (rate(http_errors_total{code=~\"5..\"}[5m])) > 0.01 # too many\n",
        );
        assert_eq!(
            spans(&html),
            [
                "support function:sum",
                "keyword:by",
                "punctuation:(",
                "variable parameter:job",
                "punctuation:)",
                "punctuation:(",
                "support function:rate",
                "punctuation:(",
                "punctuation:{",
                "variable parameter:code",
                "keyword operator:=~",
                "string:&quot;5..&quot;",
                "punctuation:}",
                "punctuation:[",
                "constant numeric:5m",
                "punctuation:]",
                "punctuation:)",
                "punctuation:)",
                "keyword operator:&gt;",
                "constant numeric:0.01",
                "comment:# too many",
            ]
        );
    }

    #[test]
    fn every_character_is_kept_and_markup_is_escaped() {
        let expr = "up{job=\"<script>\"} == 0 unless on(instance) x offset 5m @ end()\n  and `raw\\` + 'q\\'s' ✓ %";
        let html = promql_html(expr);
        assert!(!html.contains("<script>"));
        let text: String = html
            .split('<')
            .map(|part| part.split_once('>').map_or(part, |(_, text)| text))
            .collect();
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(text, expr);
    }

    #[test]
    fn an_unclosed_string_stops_at_the_end_of_its_line() {
        let html = promql_html("x{a=\"open\n} == 1");
        assert!(
            spans(&html).contains(&"string:&quot;open".to_string()),
            "{html}"
        );
    }
}
