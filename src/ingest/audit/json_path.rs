//! Positions inside a JSON text (ingest stage): serde tells where the JSON itself is
//! broken, but not where a well-formed value sits, and a VEX statement with an unknown
//! status deserves its `path:line:col` too. This walks the text once for the value at
//! a path (`statements`, 1, `status`) and gives its byte offset. Only called when there
//! is something to place, so a clean file costs nothing.

/// One step of a path: a key of an object or an index of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The byte offset where the value at `path` starts, when the text has one there.
pub fn value_offset(text: &str, path: &[Step]) -> Option<usize> {
    let mut walker = Walker {
        bytes: text.as_bytes(),
        at: 0,
    };
    walker.skip_space();
    for step in path {
        match step {
            Step::Key(key) => walker.enter_key(key)?,
            Step::Index(index) => walker.enter_index(*index)?,
        }
    }
    Some(walker.at)
}

/// The offsets of every element of the array at `path`, in order (one pass).
pub fn element_offsets(text: &str, path: &[Step]) -> Vec<usize> {
    let Some(start) = value_offset(text, path) else {
        return Vec::new();
    };
    let mut walker = Walker {
        bytes: text.as_bytes(),
        at: start,
    };
    let mut offsets = Vec::new();
    if walker.peek() != Some(b'[') {
        return offsets;
    }
    walker.at += 1;
    loop {
        walker.skip_space();
        match walker.peek() {
            Some(b']') | None => return offsets,
            Some(b',') => walker.at += 1,
            Some(_) => {
                offsets.push(walker.at);
                if walker.skip_value().is_none() {
                    return offsets;
                }
            }
        }
    }
}

struct Walker<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Walker<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// From an object's `{` to the value of `key` (the last one, as serde keeps it).
    fn enter_key(&mut self, key: &str) -> Option<()> {
        if self.peek()? != b'{' {
            return None;
        }
        self.at += 1;
        let mut found = None;
        loop {
            self.skip_space();
            match self.peek()? {
                b'}' => break,
                b',' => self.at += 1,
                b'"' => {
                    let name = self.read_string()?;
                    self.skip_space();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.at += 1;
                    self.skip_space();
                    if name == key {
                        found = Some(self.at);
                    }
                    self.skip_value()?;
                }
                _ => return None,
            }
        }
        self.at = found?;
        Some(())
    }

    /// From an array's `[` to its element `index`.
    fn enter_index(&mut self, index: usize) -> Option<()> {
        if self.peek()? != b'[' {
            return None;
        }
        self.at += 1;
        let mut seen = 0;
        loop {
            self.skip_space();
            match self.peek()? {
                b']' => return None,
                b',' => self.at += 1,
                _ if seen == index => return Some(()),
                _ => {
                    self.skip_value()?;
                    seen += 1;
                }
            }
        }
    }

    /// Reads a string's raw text (escapes left as written: keys compared here have none).
    fn read_string(&mut self) -> Option<&'a str> {
        let start = self.at + 1;
        self.skip_string()?;
        let bytes: &'a [u8] = self.bytes;
        std::str::from_utf8(&bytes[start..self.at - 1]).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        self.skip_space();
        match self.peek()? {
            b'"' => self.skip_string(),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.at += 1;
                loop {
                    self.skip_space();
                    match self.peek()? {
                        b if b == close => {
                            self.at += 1;
                            return Some(());
                        }
                        b',' | b':' => self.at += 1,
                        _ => self.skip_value()?,
                    }
                }
            }
            _ => {
                let rest = &self.bytes[self.at..];
                let len = rest
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                self.at += len.max(1);
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
  "statements": [
    { "status": "fixed", "x": {"a": [1, "]"]} },
    { "vulnerability": {"name": "CVE-1"}, "status": "nope" }
  ],
  "key \"quoted\"": 1
}"#;

    #[test]
    fn finds_a_nested_value_past_strings_that_look_like_brackets() {
        let offset = value_offset(
            DOC,
            &[Step::Key("statements"), Step::Index(1), Step::Key("status")],
        )
        .unwrap();
        assert!(DOC[offset..].starts_with("\"nope\""));
        assert_eq!(value_offset(DOC, &[Step::Key("missing")]), None);
        assert_eq!(
            value_offset(DOC, &[Step::Key("statements"), Step::Index(2)]),
            None
        );
    }

    #[test]
    fn lists_the_offsets_of_every_element() {
        let offsets = element_offsets(DOC, &[Step::Key("statements")]);
        assert_eq!(offsets.len(), 2);
        assert!(DOC[offsets[0]..].starts_with("{ \"status\": \"fixed\""));
        assert!(DOC[offsets[1]..].starts_with("{ \"vulnerability\""));
    }
}
