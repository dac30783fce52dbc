//! Reading attributes out of rendered HTML (render stage): the `id`, `href` and `src`
//! values of every tag with their byte ranges, so links can be rewritten in place and
//! checked. Only tags are read; text, comments and the insides of `<script>` and `<style>`
//! are skipped, so an `href="..."` written as text is never taken for a link.

use std::borrow::Cow;
use std::ops::Range;

/// One attribute of one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// The tag name, lower case (`a`, `img`); borrowed unless the HTML had capitals.
    pub tag: Cow<'a, str>,
    /// The attribute name, lower case.
    pub name: Cow<'a, str>,
    /// The raw value as written (entities not decoded).
    pub value: &'a str,
    /// Where the raw value is in the HTML.
    pub range: Range<usize>,
}

/// Every attribute with a value, in document order.
pub fn attributes(html: &str) -> Vec<Attribute<'_>> {
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(offset) = html[pos..].find('<') {
        let start = pos + offset;
        let rest = &html[start..];
        pos = if rest.starts_with("<!--") {
            skip_past(html, start + 4, "-->")
        } else if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            skip_past(html, start + 1, ">")
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            let name_len = rest[1..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
                .count();
            let tag = lower_case(&rest[1..=name_len]);
            let end = read_attributes(html, start + 1 + name_len, tag.clone(), &mut found);
            if tag == "script" || tag == "style" {
                skip_raw_text(html, end, tag.as_ref())
            } else {
                end
            }
        } else {
            start + 1
        };
    }
    found
}

/// Reads `name="value"` pairs up to the end of the tag; returns the position after `>`.
fn read_attributes<'a>(
    html: &'a str,
    mut pos: usize,
    tag: Cow<'a, str>,
    found: &mut Vec<Attribute<'a>>,
) -> usize {
    let bytes = html.as_bytes();
    let skip_space = |mut p: usize| {
        while p < bytes.len() && bytes[p].is_ascii_whitespace() {
            p += 1;
        }
        p
    };
    loop {
        pos = skip_space(pos);
        match bytes.get(pos) {
            None => return pos,
            Some(b'>') => return pos + 1,
            Some(b'/') => {
                pos += 1;
                continue;
            }
            Some(_) => {}
        }
        let name_start = pos;
        while pos < bytes.len() && !matches!(bytes[pos], b'=' | b'>' | b'/') {
            if bytes[pos].is_ascii_whitespace() {
                break;
            }
            pos += 1;
        }
        let name = lower_case(&html[name_start..pos]);
        let after_name = skip_space(pos);
        if bytes.get(after_name) != Some(&b'=') {
            pos = after_name.max(name_start + 1);
            continue;
        }
        let value_start = skip_space(after_name + 1);
        let range = match bytes.get(value_start) {
            Some(&quote @ (b'"' | b'\'')) => {
                let close = html[value_start + 1..]
                    .find(quote as char)
                    .map_or(html.len(), |i| value_start + 1 + i);
                pos = (close + 1).min(html.len());
                value_start + 1..close
            }
            _ => {
                let mut end = value_start;
                while end < bytes.len() && !bytes[end].is_ascii_whitespace() && bytes[end] != b'>' {
                    end += 1;
                }
                pos = end;
                value_start..end
            }
        };
        found.push(Attribute {
            tag: tag.clone(),
            name,
            value: &html[range.clone()],
            range,
        });
    }
}

/// `text` in lower case, without copying it when it already is (a page has thousands of
/// attributes, nearly all written in lower case).
fn lower_case(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

fn skip_past(html: &str, from: usize, needle: &str) -> usize {
    html[from.min(html.len())..]
        .find(needle)
        .map_or(html.len(), |i| from + i + needle.len())
}

/// The position after `</script>` (or `</style>`), matched without regard to case.
fn skip_raw_text(html: &str, from: usize, tag: &str) -> usize {
    let closing = format!("</{tag}");
    let lower = html[from..].to_ascii_lowercase();
    match lower.find(&closing) {
        Some(i) => skip_past(html, from + i, ">"),
        None => html.len(),
    }
}

/// Decodes `%HH` escapes (as UTF-8); malformed escapes are kept as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(html: &str) -> Vec<(String, String, String)> {
        attributes(html)
            .into_iter()
            .map(|a| (a.tag.into_owned(), a.name.into_owned(), a.value.to_string()))
            .collect()
    }

    #[test]
    fn attributes_of_tags_are_read_with_any_quoting() {
        let html = r#"<a href="x.html" class='c'>t</a><IMG SRC=pic.png alt="a > b"><br/>"#;
        let found = pairs(html);
        assert_eq!(
            found,
            [
                ("a".into(), "href".into(), "x.html".into()),
                ("a".into(), "class".into(), "c".into()),
                ("img".into(), "src".into(), "pic.png".into()),
                ("img".into(), "alt".into(), "a > b".into()),
            ]
        );
        let first = &attributes(html)[0];
        assert_eq!(&html[first.range.clone()], "x.html");
    }

    #[test]
    fn text_comments_and_scripts_are_not_read_as_tags() {
        let html = "<p>write href=\"nope.md\" &lt;a href=\"no\"&gt;</p><!-- <a href=\"c\"> -->\
                    <script>if (a<b) x = '<a href=\"s\">'</script><a id=\"yes\"></a>";
        assert_eq!(pairs(html), [("a".into(), "id".into(), "yes".into())]);
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(percent_decode("my%20file%C3%A9.md%zz"), "my fileé.md%zz");
    }
}
