//! Mermaid reader, the scanner: a cursor over one mermaid text that reads node ids,
//! shaped labels (`[..]`, `((..))`, ...) and edge operators (`-->`, `-. x .->`, ...).
//! Positions are byte offsets into the text; errors carry the offset they concern.

use crate::model::graph::{EdgeEnd, EdgeStroke, NodeShape};

/// A scanning error at a byte offset of the mermaid text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ScanError {
    pub at: usize,
    pub message: String,
    pub help: Option<String>,
}

impl ScanError {
    pub fn new(at: usize, message: impl Into<String>) -> Self {
        ScanError {
            at,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// An edge operator with what it says about stroke, ends and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EdgeOp {
    pub stroke: EdgeStroke,
    pub head: EdgeEnd,
    pub tail: EdgeEnd,
    pub label: Option<String>,
}

/// The shapes, longest opener first so `([` wins over `(`.
const SHAPES: &[(&str, &str, NodeShape)] = &[
    ("([", "])", NodeShape::Stadium),
    ("[[", "]]", NodeShape::Subroutine),
    ("[(", ")]", NodeShape::Cylinder),
    ("[/", "/]", NodeShape::Parallelogram),
    ("[\\", "\\]", NodeShape::Parallelogram),
    ("((", "))", NodeShape::Circle),
    ("{{", "}}", NodeShape::Hexagon),
    ("[", "]", NodeShape::Rectangle),
    ("(", ")", NodeShape::Rounded),
    ("{", "}", NodeShape::Diamond),
    (">", "]", NodeShape::Flag),
];

/// A cursor over a mermaid text.
pub(super) struct Cursor<'a> {
    pub text: &'a str,
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Cursor { text, pos: 0 }
    }

    pub fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// Skips spaces and tabs, not line ends.
    pub fn skip_blanks(&mut self) {
        let skipped = self.rest().len() - self.rest().trim_start_matches([' ', '\t']).len();
        self.pos += skipped;
    }

    /// True at a line end, a `;`, a `%%` comment or the end of the text.
    pub fn at_statement_end(&self) -> bool {
        let rest = self.rest();
        rest.is_empty() || rest.starts_with(['\n', '\r', ';']) || rest.starts_with("%%")
    }

    /// Skips to the start of the next statement (past a `;` or a line end, or a comment).
    pub fn skip_statement_end(&mut self) {
        self.skip_blanks();
        if self.rest().starts_with("%%") {
            self.skip_line();
        } else if self.eat(";") {
        } else {
            self.eat("\r");
            self.eat("\n");
        }
    }

    /// Skips the rest of the line including its line end.
    pub fn skip_line(&mut self) {
        match self.rest().find('\n') {
            Some(i) => self.pos += i + 1,
            None => self.pos = self.text.len(),
        }
    }

    /// The rest of the current statement (up to `;`, a line end or a comment), trimmed,
    /// and moves past it.
    pub fn take_statement_rest(&mut self) -> &'a str {
        let rest = self.rest();
        let end = rest.find(['\n', '\r', ';']).unwrap_or(rest.len());
        let end = rest[..end].find("%%").unwrap_or(end);
        self.pos += end;
        rest[..end].trim()
    }

    /// A node id: letters, digits and `_`, and `-` when a letter or digit follows (so
    /// `A-->B` is two ids and an edge). Returns the id's byte range.
    pub fn scan_id(&mut self) -> Option<(usize, usize)> {
        let start = self.pos;
        let mut chars = self.rest().char_indices().peekable();
        let mut end = 0;
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            let part = c.is_alphanumeric()
                || c == '_'
                || (c == '-' && end > 0 && next.is_some_and(|n| n.is_alphanumeric()));
            if !part {
                break;
            }
            end = i + c.len_utf8();
        }
        if end == 0 {
            return None;
        }
        self.pos += end;
        Some((start, start + end))
    }

    /// A shaped label right after an id (`[..]`, `(..)`, `{..}`, ...), if one opens here.
    pub fn scan_shape(&mut self) -> Result<Option<(NodeShape, String)>, ScanError> {
        let Some(&(open, close, shape)) =
            SHAPES.iter().find(|(o, _, _)| self.rest().starts_with(o))
        else {
            return Ok(None);
        };
        let opened_at = self.pos;
        self.pos += open.len();
        let label = self.scan_label(close, opened_at, open)?;
        Ok(Some((shape, label)))
    }

    /// Label text up to `close`: a quoted string, or plain text on the same line.
    fn scan_label(
        &mut self,
        close: &str,
        opened_at: usize,
        open: &str,
    ) -> Result<String, ScanError> {
        let unclosed = || {
            ScanError::new(
                opened_at,
                format!("the label opened with `{open}` is not closed with `{close}`"),
            )
            .help(format!("close the label with `{close}` on the same line, or quote text that holds brackets: `[\"a (b)\"]`"))
        };
        self.skip_blanks();
        let text = if self.rest().starts_with('"') {
            let quoted_at = self.pos;
            self.pos += 1;
            let end = self.rest().find('"').ok_or_else(|| {
                ScanError::new(quoted_at, "the quoted label is not closed with `\"`")
                    .help("add the closing `\"`")
            })?;
            let text = &self.rest()[..end];
            self.pos += end + 1;
            self.skip_blanks();
            if !self.eat(close) {
                return Err(unclosed());
            }
            text
        } else {
            let line_end = self.rest().find('\n').unwrap_or(self.rest().len());
            let end = self.rest()[..line_end].find(close).ok_or_else(unclosed)?;
            let text = &self.rest()[..end];
            self.pos += end + close.len();
            text
        };
        Ok(clean_label(text))
    }

    /// An edge operator, with its label in any of the three forms, if one starts here.
    pub fn scan_edge(&mut self) -> Result<Option<EdgeOp>, ScanError> {
        let start = self.pos;
        let tail = if self.rest().starts_with("<-") || self.rest().starts_with("<=") {
            self.pos += 1;
            EdgeEnd::Arrow
        } else {
            EdgeEnd::None
        };
        let Some((stroke, head, open_form)) = self.scan_link_body() else {
            self.pos = start;
            return Ok(None);
        };
        let mut op = EdgeOp {
            stroke,
            head,
            tail,
            label: None,
        };
        if open_form {
            op = self.scan_text_edge(start, op)?;
        }
        self.skip_blanks();
        if self.rest().starts_with('|') {
            let bar = self.pos;
            self.pos += 1;
            let line_end = self.rest().find('\n').unwrap_or(self.rest().len());
            let end = self.rest()[..line_end].find('|').ok_or_else(|| {
                ScanError::new(bar, "the edge label opened with `|` is not closed")
                    .help("write the label as `-->|text|`")
            })?;
            op.label = Some(clean_label(&self.rest()[..end])).filter(|l| !l.is_empty());
            self.pos += end + 1;
        }
        Ok(Some(op))
    }

    /// `-->`, `---`, `-.->`, `==>`, `--o`, `--x`; or the opening half of a text edge
    /// (`--`, `-.`, `==` followed by a blank), reported as `open_form`.
    fn scan_link_body(&mut self) -> Option<(EdgeStroke, EdgeEnd, bool)> {
        let rest = self.rest();
        let run = rest.len() - rest.trim_start_matches(['-', '.', '=']).len();
        let body = &rest[..run];
        let stroke = classify_run(body)?;
        let after = &rest[run..];
        let next = after.chars().next();
        let after_next = after.chars().nth(1);
        let head = match next {
            Some('>') => Some(EdgeEnd::Arrow),
            Some('o') if !after_next.is_some_and(is_id_char) => Some(EdgeEnd::Circle),
            Some('x') if !after_next.is_some_and(is_id_char) => Some(EdgeEnd::Cross),
            _ => None,
        };
        let open_form = head.is_none()
            && matches!(body, "--" | "==" | "-.")
            && next.is_some_and(|c| c == ' ' || c == '\t');
        if head.is_none() && !open_form && matches!(body, "--" | "==" | "-.") {
            return None;
        }
        self.pos += run + usize::from(head.is_some());
        Some((stroke, head.unwrap_or(EdgeEnd::None), open_form))
    }

    /// `-- text -->`, `-. text .->`, `== text ==>`: reads the text and the closing half.
    fn scan_text_edge(&mut self, start: usize, mut op: EdgeOp) -> Result<EdgeOp, ScanError> {
        let closer = match op.stroke {
            EdgeStroke::Solid => "--",
            EdgeStroke::Dotted => ".-",
            EdgeStroke::Thick => "==",
        };
        let rest = self.rest();
        let line_end = rest.find(['\n', ';']).unwrap_or(rest.len());
        let Some(end) = rest[..line_end].find(closer) else {
            return Err(ScanError::new(
                start,
                format!(
                    "the edge label after `{}` has no closing arrow",
                    &self.text[start..self.pos]
                ),
            )
            .help("write a labelled edge as `A -- text --> B` or `A -->|text| B`"));
        };
        op.label = Some(clean_label(&rest[..end])).filter(|l| !l.is_empty());
        self.pos += end;
        if op.stroke == EdgeStroke::Dotted {
            self.pos += 1; // the `.` of `.->`; the rest is a solid-looking `->`/`-`
        }
        let rest = self.rest();
        let run = rest.len() - rest.trim_start_matches(['-', '=']).len();
        self.pos += run;
        op.head = match self.peek() {
            Some('>') => EdgeEnd::Arrow,
            Some('o') => EdgeEnd::Circle,
            Some('x') => EdgeEnd::Cross,
            _ => EdgeEnd::None,
        };
        if op.head != EdgeEnd::None {
            self.pos += 1;
        }
        Ok(op)
    }
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The stroke a run of `-`, `.` and `=` stands for, if it is a link body.
fn classify_run(body: &str) -> Option<EdgeStroke> {
    if body.len() < 2 {
        return None;
    }
    if body.chars().all(|c| c == '=') {
        return Some(EdgeStroke::Thick);
    }
    if body.chars().all(|c| c == '-') {
        return Some(EdgeStroke::Solid);
    }
    let dots = body.trim_start_matches('-').trim_end_matches('-');
    (body.starts_with('-') && !dots.is_empty() && dots.chars().all(|c| c == '.'))
        .then_some(EdgeStroke::Dotted)
}

/// Label text as shown: `<br/>` becomes a line break, blanks around lines are trimmed.
pub(super) fn clean_label(text: &str) -> String {
    let mut out = text.to_string();
    for br in ["<br/>", "<br />", "<br>", "<BR/>", "<BR>", "\\n"] {
        out = out.replace(br, "\n");
    }
    out.lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}
