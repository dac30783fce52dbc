//! HTML character references (`&amp;`, `&#39;`) in text, decoded. Shared by the readers
//! (scanners that HTML-escape plain text: Trivy's SARIF writes `doesn&#39;t`) and the
//! link check (attribute values of the rendered HTML).

/// Decodes the character references `value` holds (`&amp;`, `&#39;`, `&#x27;`, ...).
/// Unknown references are kept as written.
pub fn decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').and_then(|semi| {
            let name = &rest[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => numeric_reference(name),
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn numeric_reference(name: &str) -> Option<char> {
    let digits = name.strip_prefix('#')?;
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_and_numeric_references_decode_and_the_rest_is_kept() {
        assert_eq!(decode("a&amp;b&#39;c&#x27;d&bogus"), "a&b'c'd&bogus");
        assert_eq!(decode("&#34;x&#34; &lt;y&gt; & z;"), "\"x\" <y> & z;");
        assert_eq!(decode("&#xZZ; &#99999999;"), "&#xZZ; &#99999999;");
    }
}
