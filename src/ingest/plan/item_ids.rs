//! Plan reader, work item ids: which words of a plan are tracker ids (`web-xlwx`,
//! `bd-front-1`, `WEB-P0A`). A word is an id when the site's tracker has it (compared
//! without case), or when it is written like one: a short prefix of letters and a dash,
//! then parts of which one has a digit or which are one short code (`xlwx`). Where the
//! plan puts a word decides how sure that must be: a word that opens a work item's
//! heading or list line is read with the pattern alone; a word in prose only when it
//! also shares its prefix with ids the plan or the tracker already has.

use std::collections::BTreeSet;
use std::ops::Range;

/// The ids a reader can check words against.
#[derive(Debug, Clone, Default)]
pub struct KnownIds {
    /// Tracker ids, lower case.
    ids: BTreeSet<String>,
    /// Their prefixes (`ved`), lower case.
    prefixes: BTreeSet<String>,
}

impl KnownIds {
    /// The ids of a tracker (any case).
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let mut known = KnownIds::default();
        for id in ids {
            known.add(id);
        }
        known
    }

    /// Adds an id the plan itself uses, so prose naming its siblings is read.
    pub fn add(&mut self, id: &str) {
        let lower = id.to_lowercase();
        if let Some((prefix, _)) = lower.split_once('-') {
            self.prefixes.insert(prefix.to_string());
        }
        self.ids.insert(lower);
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(&id.to_lowercase())
    }

    /// True for a word at the head of a work item: known, or written like an id.
    pub fn is_item_id(&self, word: &str) -> bool {
        self.contains(word) || looks_like_id(word)
    }

    /// True for a word in prose: known, or written like an id with a known prefix.
    pub fn is_id_in_prose(&self, word: &str) -> bool {
        if self.contains(word) {
            return true;
        }
        let lower = word.to_lowercase();
        let prefix = lower.split_once('-').map(|(p, _)| p);
        looks_like_id(word) && prefix.is_some_and(|p| self.prefixes.contains(p))
    }
}

/// `web-xlwx`, `bd-front-1`, `WEB-P0A`, `web-ts3`: 2 to 8 letters of one case, then one or
/// more dash-separated parts of letters and digits, of which one holds a digit, or which
/// are a single part of at most five characters in the prefix's case.
pub fn looks_like_id(word: &str) -> bool {
    let mut parts = word.split('-');
    let prefix = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    let lower_prefix = prefix.chars().all(|c| c.is_ascii_lowercase());
    let upper_prefix = prefix.chars().all(|c| c.is_ascii_uppercase());
    if !(2..=8).contains(&prefix.len()) || !(lower_prefix || upper_prefix) || rest.is_empty() {
        return false;
    }
    if rest
        .iter()
        .any(|part| part.is_empty() || !part.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return false;
    }
    let has_digit = rest
        .iter()
        .any(|part| part.chars().any(|c| c.is_ascii_digit()));
    let same_case = |part: &str| {
        part.chars().all(|c| {
            c.is_ascii_digit()
                || (lower_prefix && c.is_ascii_lowercase())
                || (upper_prefix && c.is_ascii_uppercase())
        })
    };
    let short_code = rest.len() == 1 && rest[0].len() <= 5 && same_case(rest[0]);
    (has_digit && rest.iter().all(|part| same_case(part))) || short_code
}

/// The words of `text` that could be ids, with their byte ranges: runs of ASCII letters,
/// digits and inner dashes.
pub fn words(text: &str) -> Vec<(&str, Range<usize>)> {
    let mut found = Vec::new();
    let mut start = None;
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_word_char(c)) {
            (None, true) => start = Some(at),
            (Some(from), false) => {
                let word = text[from..at].trim_matches('-');
                let lead = text[from..at].len() - text[from..at].trim_start_matches('-').len();
                if !word.is_empty() {
                    found.push((word, from + lead..from + lead + word.len()));
                }
                start = None;
            }
            _ => {}
        }
    }
    found
}

/// `1. web-b51s: Spike`, `` `web-xlwx`: Scaffold ``, `bd-front-1: Install Docker`,
/// `A. WEB-P0A: Resolve`, `**web-x1**: Title`: the id that opens a work item's heading or
/// list line, and the title after it (empty when there is none). `text` is as written.
pub fn leading_item_id<'t>(text: &'t str, known: &KnownIds) -> Option<(&'t str, &'t str)> {
    let text = skip_ordinal(text.trim_start());
    let text = text.trim_start_matches(['`', '*', '[']);
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(text.len());
    let id = &text[..end];
    if id.is_empty() || !known.is_item_id(id) {
        return None;
    }
    let after = text[end..].trim_start_matches(['`', '*', ']']);
    let title = if let Some(rest) = after.strip_prefix(':') {
        rest
    } else if let Some(rest) = [" - ", " – ", " — "]
        .iter()
        .find_map(|d| after.strip_prefix(d))
    {
        rest
    } else if after.trim().is_empty() {
        ""
    } else {
        return None;
    };
    Some((id, title.trim().trim_start_matches(['*', '`']).trim()))
}

/// `1. `, `12) `, `A. `: an ordinal that numbers a heading.
fn skip_ordinal(text: &str) -> &str {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker_at = if digits > 0 {
        digits
    } else if text.starts_with(|c: char| c.is_ascii_uppercase()) {
        1
    } else {
        return text;
    };
    match text[marker_at..].strip_prefix(['.', ')']) {
        Some(rest) if rest.starts_with(' ') => rest.trim_start(),
        _ => text,
    }
}

/// The ids a chain cell or a line names, in order (`web-ts3 → web-ts4 → web-ts5`), read
/// as `accept` says.
pub fn ids_in(text: &str, accept: impl Fn(&str) -> bool) -> Vec<(String, Range<usize>)> {
    words(text)
        .into_iter()
        .filter(|(word, _)| word.contains('-') && accept(word))
        .map(|(word, range)| (word.to_string(), range))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_told_from_hyphenated_words() {
        for id in [
            "web-xlwx",
            "bd-front-1",
            "WEB-P0A",
            "web-ts3",
            "WEB-3GAT",
            "bd-kv-5",
        ] {
            assert!(looks_like_id(id), "{id}");
        }
        for word in [
            "Pre-Deployment",
            "docker-compose",
            "cross-platform",
            "loop-engine",
            "pg-stat",
            "x-1",
            "claudekit-cli",
        ] {
            let expected = word == "pg-stat";
            assert_eq!(looks_like_id(word), expected, "{word}");
        }
    }

    #[test]
    fn prose_takes_only_ids_with_a_known_prefix_or_known_ids() {
        let mut known = KnownIds::new(["web-l5g9"]);
        assert!(known.is_id_in_prose("WEB-L5G9"));
        assert!(known.is_id_in_prose("web-zzzz"));
        assert!(!known.is_id_in_prose("pg-stat"));
        known.add("bd-front-1");
        assert!(known.is_id_in_prose("bd-kv-5"));
    }

    #[test]
    fn the_leading_id_of_headings_and_list_lines_is_read_with_its_title() {
        let known = KnownIds::default();
        let read = |text| leading_item_id(text, &known);
        assert_eq!(
            read("`web-xlwx`: Scaffold libs/relay-cli package"),
            Some(("web-xlwx", "Scaffold libs/relay-cli package"))
        );
        assert_eq!(
            read("1. web-b51s: Spike - Test merge"),
            Some(("web-b51s", "Spike - Test merge"))
        );
        assert_eq!(
            read("A. WEB-P0A: Resolve root package.json"),
            Some(("WEB-P0A", "Resolve root package.json"))
        );
        assert_eq!(
            read("bd-front-1: Install Docker"),
            Some(("bd-front-1", "Install Docker"))
        );
        assert_eq!(read("Pre-Deployment: local"), None);
        assert_eq!(read("web-ts1 is mentioned in passing"), None);
    }

    #[test]
    fn chains_give_their_ids_in_order() {
        let ids: Vec<String> = ids_in("web-b51s → web-mdlo (P0A, P0B embedded)", looks_like_id)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, ["web-b51s", "web-mdlo"]);
    }
}
