//! Plan reader, lane names: the words that name a lane (`Track 1`, `PHASE 2`, `Wave A`,
//! `Giai đoạn 3`) in headings, table cells and prose. Pure functions over text; what a
//! name means (a new lane, a reference to one) is for the caller.
//!
//! A lane name is a lane word followed by a number or a single capital letter; a word
//! alone (`## Tracks`, `Track Details`) names no lane.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::plan::LaneKind;

/// Lane words, lower case, longest first where one starts another. Vietnamese words are
/// the team's own for phases (`giai đoạn`), tracks (`luồng`) and waves (`đợt`).
const LANE_WORDS: &[(&str, LaneKind)] = &[
    ("workstream", LaneKind::Stream),
    ("milestone", LaneKind::Milestone),
    ("giai đoạn", LaneKind::Phase),
    ("stream", LaneKind::Stream),
    ("sprint", LaneKind::Sprint),
    ("track", LaneKind::Track),
    ("phase", LaneKind::Phase),
    ("stage", LaneKind::Stage),
    ("luồng", LaneKind::Track),
    ("wave", LaneKind::Wave),
    ("lane", LaneKind::Track),
    ("epic", LaneKind::Epic),
    ("đợt", LaneKind::Wave),
];

/// `Track 1`: a lane word and its number or letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneName {
    pub kind: LaneKind,
    /// `1`, `A`: as written, upper-cased.
    pub token: String,
}

impl LaneName {
    pub fn number(&self) -> Option<u32> {
        self.token.parse().ok()
    }

    /// `track-1`: the lane's key in the plan.
    pub fn key(&self) -> String {
        format!("{}-{}", self.kind.as_str(), self.token.to_lowercase())
    }

    /// `Track 1`.
    pub fn label(&self) -> String {
        format!("{} {}", self.kind.word(), self.token)
    }
}

/// The lane word `word` (any case) stands for.
pub fn lane_kind(word: &str) -> Option<LaneKind> {
    let lower = word.trim().to_lowercase();
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    LANE_WORDS
        .iter()
        .find(|(w, _)| *w == lower || *w == singular)
        .map(|(_, kind)| *kind)
}

/// A heading (or cell) that starts with a lane name: the name and the rest of the text
/// after the separator (`: `, ` - `, `. `), trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneHeading {
    pub name: LaneName,
    pub rest: String,
}

/// Reads `Track 1: GraniteWolf - CLI Infrastructure`, `PHASE 2: Setup (Track 1)`,
/// `🎯 Track 3 Complete:`. Leading emoji and symbols are skipped.
pub fn parse_lane_heading(text: &str) -> Option<LaneHeading> {
    let text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lower = text.to_lowercase();
    let (word, kind) = LANE_WORDS.iter().find(|(w, _)| lower.starts_with(w))?;
    // Lower-casing keeps these words' byte lengths, so `word.len()` indexes `text`.
    let after_word = text.get(word.len()..)?;
    let after_space = after_word.trim_start();
    if after_space.len() == after_word.len() {
        return None; // `Tracks`, `Trackers`: the word must be followed by a space.
    }
    let (token, rest) = read_token(after_space)?;
    let rest = rest
        .trim_start()
        .trim_start_matches([':', '-', '–', '—', '.', ')'])
        .trim();
    Some(LaneHeading {
        name: LaneName { kind: *kind, token },
        rest: rest.to_string(),
    })
}

/// A number, or one letter not followed by another letter.
fn read_token(text: &str) -> Option<(String, &str)> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        return Some((text[..digits].to_string(), &text[digits..]));
    }
    let mut chars = text.chars();
    let first = chars.next().filter(char::is_ascii_uppercase)?;
    match chars.next() {
        Some(next) if next.is_alphanumeric() => None,
        _ => Some((first.to_string(), &text[1..])),
    }
}

/// `Track 1 & 2`, `tracks 1, 2 and 3`, `Phase A`: every lane a text names, with the byte
/// range of each mention.
pub fn find_lane_mentions(text: &str) -> Vec<(LaneName, Range<usize>)> {
    static MENTION: LazyLock<Regex> = LazyLock::new(|| {
        let words: Vec<&str> = LANE_WORDS.iter().map(|(w, _)| *w).collect();
        Regex::new(&format!(
            r"(?i)\b({})s?\s+(\d+|[A-Z]\b)((?:\s*(?:,|&|\+|and|or|và)\s*\d+\b)*)",
            words.join("|")
        ))
        .expect("the lane mention pattern is valid")
    });
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d+").expect("the number pattern is valid"));
    let mut mentions = Vec::new();
    for found in MENTION.captures_iter(text) {
        let whole = found.get(0).expect("a match has group 0");
        let Some(kind) = lane_kind(&found[1]) else {
            continue;
        };
        let first = found[2].to_uppercase();
        // A lone letter must be written as a capital (`Track A`, not `track a`).
        if first.parse::<u32>().is_err() && !found[2].starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        mentions.push((LaneName { kind, token: first }, whole.range()));
        if let Some(more) = found.get(3) {
            for number in NUMBER.find_iter(more.as_str()) {
                let token = number.as_str().to_string();
                mentions.push((LaneName { kind, token }, whole.range()));
            }
        }
    }
    mentions
}

/// What the words after a lane name say: the subject, and the owner when the text names
/// one (`GraniteWolf - CLI Infrastructure`, `Infrastructure Setup (IronFern Agent)`,
/// `P0 Critical Gate - IronDam`), and a lane it refers to
/// (`Infrastructure Setup (Track 1 - IronFern)`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaneSubject {
    pub title: String,
    pub owner: Option<String>,
    pub refers_to: Option<LaneName>,
}

/// Splits `rest` (see [`LaneHeading`]) into subject, owner and referred lane. `known`
/// holds owner names read elsewhere (an overview table's Agent column).
pub fn read_lane_subject(rest: &str, known: &[String]) -> LaneSubject {
    let mut subject = LaneSubject::default();
    let mut title = rest.trim().trim_end_matches(':').trim_end().to_string();
    if let Some((before, inside)) = trailing_parenthesis(&title) {
        if let Some(reference) = parse_lane_heading(&inside) {
            subject.refers_to = Some(reference.name);
            subject.owner = owner_word(&reference.rest, known, true);
            title = before;
        } else if let Some(owner) = owner_word(&inside, known, true) {
            subject.owner = Some(owner);
            title = before;
        }
    }
    if subject.owner.is_none() {
        if let Some((left, right)) = split_dash(&title) {
            if let Some(owner) = owner_word(&left, known, false) {
                subject.owner = Some(owner);
                title = right;
            } else if let Some(owner) = owner_word(&right, known, false) {
                subject.owner = Some(owner);
                title = left;
            }
        }
    }
    subject.title = title;
    subject
}

/// `Title (inside)`: the text before the last parenthesis and what it holds.
fn trailing_parenthesis(text: &str) -> Option<(String, String)> {
    let inner = text.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let before = inner[..open].trim_end();
    (!before.is_empty()).then(|| (before.to_string(), inner[open + 1..].trim().to_string()))
}

/// `Left - Right` (also en and em dashes), split at the first dash with spaces around it.
fn split_dash(text: &str) -> Option<(String, String)> {
    [" - ", " – ", " — "].iter().find_map(|dash| {
        let (left, right) = text.split_once(dash)?;
        let (left, right) = (left.trim(), right.trim());
        (!left.is_empty() && !right.is_empty()).then(|| (left.to_string(), right.to_string()))
    })
}

/// The owner `text` names: one word that is a name already known, or written like an
/// agent's name (`IronFern`: capitalised parts run together). In parentheses a word
/// followed by `Agent` or `Team` (`(IronFern Agent)`) counts too.
fn owner_word(text: &str, known: &[String], in_parentheses: bool) -> Option<String> {
    let text = text.trim();
    let word = if in_parentheses {
        let lower = text.to_lowercase();
        ["agent", "team", "squad"]
            .iter()
            .find_map(|suffix| {
                lower
                    .strip_suffix(suffix)
                    .map(|_| text[..text.len() - suffix.len()].trim())
            })
            .or_else(|| {
                ["agent:", "owner:", "team ", "nhóm "]
                    .iter()
                    .find(|prefix| lower.starts_with(*prefix))
                    .and_then(|prefix| text.get(prefix.len()..))
                    .map(str::trim)
            })
            .unwrap_or(text)
    } else {
        text
    };
    if word.is_empty() || word.contains(char::is_whitespace) {
        return None;
    }
    let is_known = known.iter().any(|k| k.eq_ignore_ascii_case(word));
    (is_known || is_camel_name(word) || (in_parentheses && word != text)).then(|| word.to_string())
}

/// `GraniteWolf`, `IronDam`: letters only, a capital first and at least one more capital
/// after a lower-case letter.
fn is_camel_name(word: &str) -> bool {
    let mut chars = word.chars();
    let starts_upper = chars.next().is_some_and(char::is_uppercase);
    let letters = word.chars().all(char::is_alphabetic);
    let inner_capital = word
        .chars()
        .zip(word.chars().skip(1))
        .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    starts_upper && letters && inner_capital
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(text: &str) -> (String, String) {
        let read = parse_lane_heading(text).expect("a lane heading");
        (read.name.key(), read.rest)
    }

    #[test]
    fn lane_headings_of_every_kind_are_read_with_the_rest_of_the_line() {
        assert_eq!(
            heading("Track 1: GraniteWolf - CLI Infrastructure"),
            ("track-1".into(), "GraniteWolf - CLI Infrastructure".into())
        );
        assert_eq!(
            heading("PHASE 2: Infrastructure Setup (Track 1 - IronFern)"),
            (
                "phase-2".into(),
                "Infrastructure Setup (Track 1 - IronFern)".into()
            )
        );
        assert_eq!(
            heading("Wave A — Cutover"),
            ("wave-a".into(), "Cutover".into())
        );
        assert_eq!(
            heading("Giai đoạn 3: Kiểm thử"),
            ("phase-3".into(), "Kiểm thử".into())
        );
        assert_eq!(
            heading("Track 1 Complete:"),
            ("track-1".into(), "Complete:".into())
        );
    }

    #[test]
    fn a_lane_word_without_a_number_names_no_lane() {
        for text in [
            "Tracks",
            "Track Details",
            "Tracks Overview",
            "Phase out legacy",
            "Trackers 2",
        ] {
            assert!(parse_lane_heading(text).is_none(), "{text}");
        }
    }

    #[test]
    fn mentions_list_every_lane_named_together() {
        let keys: Vec<String> = find_lane_mentions("Track 1 & 2 data; see tracks 3, 4 and 5")
            .into_iter()
            .map(|(name, _)| name.key())
            .collect();
        assert_eq!(
            keys,
            ["track-1", "track-2", "track-3", "track-4", "track-5"]
        );
        assert!(find_lane_mentions("on track a bit late").is_empty());
    }

    #[test]
    fn the_owner_is_found_on_either_side_of_a_dash_or_in_parentheses() {
        let read = |rest: &str| {
            let s = read_lane_subject(rest, &[]);
            (s.title, s.owner, s.refers_to.map(|n| n.key()))
        };
        assert_eq!(
            read("GraniteWolf - CLI Infrastructure"),
            (
                "CLI Infrastructure".into(),
                Some("GraniteWolf".into()),
                None
            )
        );
        assert_eq!(
            read("P0 Critical Gate - IronDam"),
            ("P0 Critical Gate".into(), Some("IronDam".into()), None)
        );
        assert_eq!(
            read("Infrastructure Setup (IronFern Agent)"),
            ("Infrastructure Setup".into(), Some("IronFern".into()), None)
        );
        assert_eq!(
            read("Infrastructure Setup (Track 1 - IronFern)"),
            (
                "Infrastructure Setup".into(),
                Some("IronFern".into()),
                Some("track-1".into())
            )
        );
        assert_eq!(
            read("Pre-Deployment (Local Machine)"),
            ("Pre-Deployment (Local Machine)".into(), None, None)
        );
        assert_eq!(
            read("Documentation - Kim"),
            ("Documentation - Kim".into(), None, None),
            "one plain word is not taken for a name unless known"
        );
        assert_eq!(
            read("Chuẩn bị (Nhóm HaiAu)"),
            ("Chuẩn bị".into(), Some("HaiAu".into()), None)
        );
        let known = ["Kim".to_string()];
        assert_eq!(
            read_lane_subject("Documentation - Kim", &known)
                .owner
                .as_deref(),
            Some("Kim")
        );
    }
}
