//! Encoding repair (ingest stage): undo mojibake, i.e. UTF-8 text that was decoded as
//! Windows-1252 (cp1252) and saved again as UTF-8.
//!
//! Takes the text of one source file and gives back the repaired text plus the number of
//! characters restored, so the caller can report `OPS110`. Each character is mapped back
//! to the cp1252 byte it came from; runs of such bytes that form one valid multi-byte UTF-8
//! sequence are decoded, provided the decoded character is a plausible one (a letter of a
//! common script, punctuation, a symbol or an emoji). Real text that only looks similar
//! (`café`, `Größe`, `„Fuß“`, `« café »` with a no-break space) is left untouched.
//!
//! cp1252 leaves the bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined and many decoders
//! drop them, so a sequence may arrive one byte short (`â±ï¸` was `⏱️`). Such a sequence is
//! restored only when exactly one way of putting back one of those bytes yields an emoji,
//! an emoji-like symbol or a variation selector.

use std::ops::RangeInclusive;

/// The repaired text and how many mojibake sequences were turned back into characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The text with every recognised mojibake sequence decoded.
    pub text: String,
    /// How many characters were restored (one per original multi-byte UTF-8 character).
    pub repaired: usize,
}

/// Repairs mojibake in `text`; text that is not mojibake is returned unchanged.
pub fn repair_mojibake(text: &str) -> Repair {
    if !may_contain_mojibake(text) {
        return Repair {
            text: text.to_string(),
            repaired: 0,
        };
    }
    let chars: Vec<char> = text.chars().collect();
    let mut repaired_text = String::with_capacity(text.len());
    let mut repaired = 0;
    let mut index = 0;
    while let Some(&current) = chars.get(index) {
        match restore_sequence_at(&chars, index) {
            Some(restored) => {
                repaired_text.push(restored.ch);
                repaired += 1;
                index += restored.consumed;
            }
            None => {
                repaired_text.push(current);
                index += 1;
            }
        }
    }
    Repair {
        text: repaired_text,
        repaired,
    }
}

/// The cp1252 bytes 0x80–0x9F that cp1252 maps to characters outside U+0080–U+009F.
const CP1252_SPECIALS: [(u8, char); 27] = [
    (0x80, '€'),
    (0x82, '‚'),
    (0x83, 'ƒ'),
    (0x84, '„'),
    (0x85, '…'),
    (0x86, '†'),
    (0x87, '‡'),
    (0x88, 'ˆ'),
    (0x89, '‰'),
    (0x8A, 'Š'),
    (0x8B, '‹'),
    (0x8C, 'Œ'),
    (0x8E, 'Ž'),
    (0x91, '‘'),
    (0x92, '’'),
    (0x93, '“'),
    (0x94, '”'),
    (0x95, '•'),
    (0x96, '–'),
    (0x97, '—'),
    (0x98, '˜'),
    (0x99, '™'),
    (0x9A, 'š'),
    (0x9B, '›'),
    (0x9C, 'œ'),
    (0x9E, 'ž'),
    (0x9F, 'Ÿ'),
];

/// The bytes cp1252 leaves undefined; decoders either drop them or keep them as the C1
/// control character of the same number.
const UNDEFINED_CP1252_BYTES: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// Fast path: every mojibake sequence starts with a character standing for a UTF-8 lead
/// byte (0xC2–0xF4), i.e. one of U+00C2–U+00F4, which UTF-8 encodes as 0xC3 0x82–0xB4.
/// Text without that byte pair (all ASCII, CJK, emoji, most Latin-1) needs no further look.
fn may_contain_mojibake(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == 0xC3 && matches!(bytes.get(i + 1), Some(0x82..=0xB4)))
}

/// The byte a character stood for when the text was decoded as cp1252, if it stands for
/// one of the bytes 0x80–0xFF.
fn cp1252_byte(ch: char) -> Option<u8> {
    let code = u32::from(ch);
    if (0xA0..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    if let Ok(byte) = u8::try_from(code) {
        if UNDEFINED_CP1252_BYTES.contains(&byte) {
            return Some(byte);
        }
    }
    CP1252_SPECIALS
        .iter()
        .find(|&&(_, special)| special == ch)
        .map(|&(byte, _)| byte)
}

/// How many bytes a UTF-8 sequence starting with `lead` has, if `lead` starts a
/// multi-byte sequence at all.
fn utf8_sequence_len(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

fn is_continuation_byte(byte: u8) -> bool {
    (0x80..=0xBF).contains(&byte)
}

/// A character restored from a mojibake sequence and how many input characters it replaces.
struct Restored {
    ch: char,
    consumed: usize,
}

/// Tries to read one mojibake sequence starting at `chars[start]`.
fn restore_sequence_at(chars: &[char], start: usize) -> Option<Restored> {
    let lead = cp1252_byte(*chars.get(start)?)?;
    let len = utf8_sequence_len(lead)?;
    let continuation: Vec<(char, u8)> = chars
        .get(start + 1..)
        .unwrap_or_default()
        .iter()
        .map_while(|&ch| {
            cp1252_byte(ch)
                .filter(|&b| is_continuation_byte(b))
                .map(|b| (ch, b))
        })
        .take(len - 1)
        .collect();
    let mut bytes = vec![lead];
    bytes.extend(continuation.iter().map(|&(_, byte)| byte));

    if bytes.len() == len {
        let continuation_chars: Vec<char> = continuation.iter().map(|&(ch, _)| ch).collect();
        if let Some(ch) = decode_single_char(&bytes) {
            if is_plausible_restoration(ch, &continuation_chars) {
                return Some(Restored { ch, consumed: len });
            }
        }
    }
    // A sequence of three or four bytes that lost one undefined byte: the bytes present are
    // the lead plus `len - 2` continuation bytes (the next character did not continue it, or
    // reading it in made no sense).
    if len >= 3 && bytes.len() >= len - 1 {
        let present = bytes.get(..len - 1)?;
        let ch = fill_lost_byte(present)?;
        return Some(Restored {
            ch,
            consumed: present.len(),
        });
    }
    None
}

/// Decodes `bytes` if they are exactly one valid UTF-8 character.
fn decode_single_char(bytes: &[u8]) -> Option<char> {
    let decoded = std::str::from_utf8(bytes).ok()?;
    let mut chars = decoded.chars();
    let ch = chars.next()?;
    chars.next().is_none().then_some(ch)
}

/// Punctuation that real text puts right after a letter (closing quotes, dashes, an
/// ellipsis, a no-break space before `»`). A lead-looking letter followed only by these is
/// far more likely real text (`café…”`, `« café »`) than mojibake.
fn is_typographic_punctuation(ch: char) -> bool {
    matches!(
        ch,
        '\u{A0}'
            | '…'
            | '‘'
            | '’'
            | '“'
            | '”'
            | '•'
            | '–'
            | '—'
            | '‹'
            | '›'
            | '‚'
            | '„'
            | '«'
            | '»'
    )
}

/// Whether decoding a complete sequence to `ch` is believable: the character belongs to a
/// script or symbol block that real documents use, and (for three- and four-byte
/// sequences) the sequence is not simply a letter followed by ordinary punctuation.
fn is_plausible_restoration(ch: char, continuation: &[char]) -> bool {
    let code = u32::from(ch);
    let in_common_block = match ch.len_utf8() {
        2 => TWO_BYTE_SCRIPTS.iter().any(|range| range.contains(&code)),
        3 => THREE_BYTE_BLOCKS.iter().any(|range| range.contains(&code)),
        _ => true,
    };
    let only_punctuation =
        ch.len_utf8() >= 3 && continuation.iter().all(|&c| is_typographic_punctuation(c));
    in_common_block && !only_punctuation
}

/// Characters of two UTF-8 bytes worth restoring: Latin-1 and Latin Extended, combining
/// diacritics, Greek, Cyrillic, Hebrew and Arabic. Left out on purpose: C1 controls, IPA
/// and the rarer scripts, where real text such as `Ü”` or `É` + no-break space would land.
const TWO_BYTE_SCRIPTS: &[RangeInclusive<u32>] = &[
    0x00A0..=0x024F,
    0x0300..=0x03FF,
    0x0400..=0x052F,
    0x0590..=0x05FF,
    0x0600..=0x06FF,
];

/// Characters of three UTF-8 bytes worth restoring: Indic and South-East Asian scripts,
/// Georgian, Hangul, Latin and Greek Extended, punctuation and symbols, CJK, variation
/// selectors, the byte order mark, full-width forms and the replacement character.
const THREE_BYTE_BLOCKS: &[RangeInclusive<u32>] = &[
    0x0900..=0x0EFF,
    0x10A0..=0x11FF,
    0x1E00..=0x1FFF,
    0x2000..=0x2BFF,
    0x2E80..=0x2FDF,
    0x3000..=0x9FFF,
    0xAC00..=0xD7A3,
    0xF900..=0xFAFF,
    0xFE00..=0xFE0F,
    0xFE30..=0xFE4F,
    0xFEFF..=0xFEFF,
    0xFF00..=0xFFEF,
    0xFFFD..=0xFFFD,
];

/// Puts back one undefined cp1252 byte into `present` (a lead byte plus continuation
/// bytes, one short of a full sequence). Returns the character only when exactly one
/// candidate reaches the best rank; an empty or tied best rank leaves the text alone.
fn fill_lost_byte(present: &[u8]) -> Option<char> {
    let mut best: Option<(u8, char)> = None;
    let mut tied = false;
    for position in 1..=present.len() {
        for &lost in &UNDEFINED_CP1252_BYTES {
            let mut candidate = present.to_vec();
            candidate.insert(position, lost);
            let Some(ch) = decode_single_char(&candidate) else {
                continue;
            };
            let rank = lost_byte_rank(ch);
            if rank == 0 {
                continue;
            }
            match best {
                Some((best_rank, best_ch)) if rank == best_rank && ch != best_ch => tied = true,
                Some((best_rank, _)) if rank <= best_rank => {}
                _ => {
                    best = Some((rank, ch));
                    tied = false;
                }
            }
        }
    }
    if tied {
        return None;
    }
    best.map(|(_, ch)| ch)
}

/// How good a character restored by putting back a lost byte is: 3 for the emoji
/// presentation selector U+FE0F, 2 for an emoji, 1 for another variation selector or an
/// emoji-like symbol (arrows, technical symbols, shapes, dingbats), 0 for anything else.
fn lost_byte_rank(ch: char) -> u8 {
    let code = u32::from(ch);
    if ch == '\u{FE0F}' {
        3
    } else if is_emoji(code) {
        2
    } else if (0xFE00..=0xFE0E).contains(&code) || (0x2190..=0x2BFF).contains(&code) {
        1
    } else {
        0
    }
}

/// Emoji: the supplementary emoji blocks U+1F000–U+1FAFF plus the characters below
/// U+FFFF that Unicode marks as emoji (`Emoji=Yes`, leaving out digits, `#`, `*`, © and ®).
fn is_emoji(code: u32) -> bool {
    (0x1F000..=0x1FAFF).contains(&code)
        || BMP_EMOJI
            .iter()
            .any(|&(first, last)| (first..=last).contains(&code))
}

/// Ranges of emoji below U+FFFF, as (first, last) code points.
const BMP_EMOJI: &[(u32, u32)] = &[
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x2199),
    (0x21A9, 0x21AA),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25AB),
    (0x25B6, 0x25B6),
    (0x25C0, 0x25C0),
    (0x25FB, 0x25FE),
    (0x2600, 0x2604),
    (0x260E, 0x260E),
    (0x2611, 0x2611),
    (0x2614, 0x2615),
    (0x2618, 0x2618),
    (0x261D, 0x261D),
    (0x2620, 0x2620),
    (0x2622, 0x2623),
    (0x2626, 0x2626),
    (0x262A, 0x262A),
    (0x262E, 0x262F),
    (0x2638, 0x263A),
    (0x2640, 0x2640),
    (0x2642, 0x2642),
    (0x2648, 0x2653),
    (0x265F, 0x2660),
    (0x2663, 0x2663),
    (0x2665, 0x2666),
    (0x2668, 0x2668),
    (0x267B, 0x267B),
    (0x267E, 0x267F),
    (0x2692, 0x2697),
    (0x2699, 0x2699),
    (0x269B, 0x269C),
    (0x26A0, 0x26A1),
    (0x26A7, 0x26A7),
    (0x26AA, 0x26AB),
    (0x26B0, 0x26B1),
    (0x26BD, 0x26BE),
    (0x26C4, 0x26C5),
    (0x26C8, 0x26C8),
    (0x26CE, 0x26CF),
    (0x26D1, 0x26D1),
    (0x26D3, 0x26D4),
    (0x26E9, 0x26EA),
    (0x26F0, 0x26F5),
    (0x26F7, 0x26FA),
    (0x26FD, 0x26FD),
    (0x2702, 0x2702),
    (0x2705, 0x2705),
    (0x2708, 0x270D),
    (0x270F, 0x270F),
    (0x2712, 0x2712),
    (0x2714, 0x2714),
    (0x2716, 0x2716),
    (0x271D, 0x271D),
    (0x2721, 0x2721),
    (0x2728, 0x2728),
    (0x2733, 0x2734),
    (0x2744, 0x2744),
    (0x2747, 0x2747),
    (0x274C, 0x274C),
    (0x274E, 0x274E),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2763, 0x2764),
    (0x2795, 0x2797),
    (0x27A1, 0x27A1),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// What a cp1252 round trip does to UTF-8 text: encode as UTF-8, decode every byte as
    /// cp1252 (dropping the undefined bytes, as the decoder behind the reference plan did).
    fn mojibake(text: &str) -> String {
        text.bytes()
            .filter_map(|byte| match byte {
                0x00..=0x7F | 0xA0..=0xFF => Some(char::from(byte)),
                _ => CP1252_SPECIALS
                    .iter()
                    .find(|&&(special_byte, _)| special_byte == byte)
                    .map(|&(_, ch)| ch),
            })
            .collect()
    }

    fn assert_repairs(input: &str, expected: &str, count: usize) {
        let repair = repair_mojibake(input);
        assert_eq!(repair.text, expected, "repairing {input:?}");
        assert_eq!(repair.repaired, count, "count for {input:?}");
    }

    fn assert_untouched(text: &str) {
        let repair = repair_mojibake(text);
        assert_eq!(repair.text, text);
        assert_eq!(repair.repaired, 0, "nothing to repair in {text:?}");
    }

    #[test]
    fn four_byte_emoji_sequences_are_restored() {
        assert_repairs("ðŸ“Š", "📊", 1);
        assert_repairs("ðŸ”´ ðŸš€ ðŸ’¾", "🔴 🚀 💾", 3);
    }

    #[test]
    fn three_byte_symbol_sequences_are_restored() {
        assert_repairs("âœ…", "✅", 1);
        assert_repairs("â†’", "→", 1);
        assert_repairs("âš¡", "⚡", 1);
    }

    #[test]
    fn punctuation_sequences_are_restored() {
        assert_repairs(
            "â€œQuoteâ€\u{9D} â€” itâ€™s â€“ doneâ€¦ â€˜aâ€™",
            "“Quote” — it’s – done… ‘a’",
            8,
        );
    }

    #[test]
    fn two_byte_latin_sequences_are_restored() {
        assert_repairs("cafÃ©, naÃ¯ve, Ã†rÃ¸, Â£5", "café, naïve, Ærø, £5", 5);
    }

    #[test]
    fn kept_c1_control_counts_as_its_undefined_byte() {
        // A decoder that keeps 0x9D as U+009D: ” is E2 80 9D.
        assert_repairs("â€\u{9D}", "”", 1);
    }

    #[test]
    fn stopwatch_with_two_lost_bytes_is_restored_with_its_variation_selector() {
        // ⏱️ is E2 8F B1 EF B8 8F; both 0x8F bytes were dropped.
        assert_eq!(mojibake("⏱️"), "â±ï¸");
        assert_repairs(
            "â±ï¸ Estimated Timeline",
            "\u{23F1}\u{FE0F} Estimated Timeline",
            2,
        );
    }

    #[test]
    fn file_cabinet_with_lost_final_byte_is_restored_with_its_variation_selector() {
        // 🗄️ is F0 9F 97 84 EF B8 8F; the final 0x8F was dropped.
        assert_eq!(mojibake("🗄️"), "ðŸ—„ï¸");
        assert_repairs(
            "## Epic 4: Database ðŸ—„ï¸\n",
            "## Epic 4: Database \u{1F5C4}\u{FE0F}\n",
            2,
        );
    }

    #[test]
    fn lost_byte_at_end_of_text_is_restored() {
        assert_repairs("ï¸", "\u{FE0F}", 1);
    }

    #[test]
    fn ambiguous_lost_byte_is_left_alone() {
        // E2 80 plus one byte could be several symbols (U+2340, U+23C0, U+2400, ...).
        assert_untouched("â€");
        // F0 9F 92 plus one byte could be 💁 💍 💏 💐 or 💝.
        assert_untouched("ðŸ’ x");
    }

    #[test]
    fn lost_byte_is_not_guessed_for_non_emoji() {
        // E9 92 plus a byte would only give CJK ideographs: `café’s` is real text.
        assert_untouched("the café’s menu");
    }

    #[test]
    fn more_than_one_lost_byte_is_not_guessed() {
        // A four-byte lead with a single continuation byte present.
        assert_untouched("ðŸ and more");
    }

    #[test]
    fn multi_line_plan_is_repaired_fully() {
        let plan = "## Epic 3: Monitoring ðŸ“Š\r\n\
                    \r\n\
                    **Impact:** RAM 4GB â†’ 3GB â€” cheaper\r\n\
                    - âœ… Grafana dashboards\r\n\
                    - âœ… Alerts wired\r\n\
                    â±ï¸ ETA: 2 days\r\n";
        let expected = "## Epic 3: Monitoring 📊\r\n\
                        \r\n\
                        **Impact:** RAM 4GB → 3GB — cheaper\r\n\
                        - ✅ Grafana dashboards\r\n\
                        - ✅ Alerts wired\r\n\
                        \u{23F1}\u{FE0F} ETA: 2 days\r\n";
        assert_repairs(plan, expected, 7);
    }

    #[test]
    fn latin1_words_are_untouched() {
        for word in [
            "café",
            "Ærø",
            "naïve",
            "Ångström",
            "façade",
            "São Paulo",
            "£5",
            "Größe",
            "Ça coûte 5 €",
            "ÉTÉ",
            "Ñandú",
        ] {
            assert_untouched(word);
        }
    }

    #[test]
    fn emoji_and_cjk_are_untouched() {
        assert_untouched("📊 ✅ → 日本語 한국어 ⏱️ 🗄️");
    }

    #[test]
    fn lead_letter_followed_by_ascii_or_end_of_text_is_untouched() {
        assert_untouched("Ãx â1 ð! Ã");
        assert_untouched("ends with â");
        assert_untouched("lead then CJK: â日");
    }

    #[test]
    fn crlf_line_endings_survive() {
        assert_repairs("a âœ…\r\nb\r\n", "a ✅\r\nb\r\n", 1);
        assert_untouched("é\r\nè\r\n");
    }

    #[test]
    fn letters_followed_by_real_punctuation_are_untouched() {
        // Uppercase umlaut or ß before a closing quote, French no-break space before », an
        // ellipsis and closing quote after an accented letter.
        assert_untouched("„ÜBER“ und „Fuß“, “ÄÖÜ”");
        assert_untouched("« Un café\u{A0}» et «\u{A0}voilà\u{A0}»");
        assert_untouched("“I love this café…”");
        assert_untouched("ÉTÉ\u{A0}: été");
    }

    #[test]
    fn byte_order_mark_mojibake_is_restored() {
        assert_repairs("ï»¿# Title", "\u{FEFF}# Title", 1);
    }

    #[test]
    fn text_without_lead_characters_takes_the_fast_path() {
        assert!(!may_contain_mojibake("plain ASCII\r\n"));
        assert!(!may_contain_mojibake("日本語 📊 £5 “quotes” ö ü"));
        assert!(may_contain_mojibake("cafÃ©"));
    }

    #[test]
    fn mojibake_round_trips_back_to_the_original() {
        // Samples whose UTF-8 holds an undefined cp1252 byte are included only where the
        // lost byte is recoverable by the rules (an emoji or U+FE0F); `”` (E2 80 9D) or `の`
        // (E3 81 AE) lose a byte that cannot be put back unambiguously.
        let samples = [
            "📊 Metrics dashboard",
            "- ✅ done\n- ❌ not done",
            "A → B ⇒ C ↔ D",
            "⏱️ Timeline and 🗄️ database",
            "⚡ fast 🚀 launch 🔴 red 💾 disk",
            "日本語テキスト 中文",
            "한국어 문서",
            "Привет мир",
            "Αθήνα",
            "Tiếng Việt",
            "café, naïve façade, Ærø, Ångström, São Paulo, £5, Größe",
            "Ça coûte 5 € — vraiment…",
            "„quoted“ ‘single’ – en — em … • bullet ™",
            "Windows\r\nline endings ✅\r\n",
            "\u{FEFF}BOM at start",
        ];
        for sample in samples {
            let broken = mojibake(sample);
            assert_ne!(broken, sample, "sample {sample:?} should be damaged");
            assert_eq!(repair_mojibake(&broken).text, sample, "from {broken:?}");
            assert_untouched(sample);
        }
    }

    #[test]
    fn repair_count_is_one_per_restored_character() {
        let sample = "日本 ✅ é";
        let broken = mojibake(sample);
        assert_eq!(repair_mojibake(&broken).repaired, 4);
    }

    #[test]
    fn short_mixes_of_lead_continuation_and_other_characters_never_panic() {
        let alphabet = [
            'a', '\r', '\n', 'Ã', 'â', 'ð', 'ï', 'ô', 'Ÿ', '€', '±', '¸', '\u{8F}', '\u{A0}', '日',
            '📊',
        ];
        for &first in &alphabet {
            for &second in &alphabet {
                for &third in &alphabet {
                    let text: String = [first, second, third].iter().collect();
                    let repair = repair_mojibake(&text);
                    if repair.repaired == 0 {
                        assert_eq!(repair.text, text);
                    } else {
                        assert!(repair.text.chars().count() < text.chars().count());
                    }
                }
            }
        }
    }

    /// Manual check against the reference plan; not run by default because unit tests
    /// must not depend on files outside the repository.
    #[test]
    #[ignore]
    fn reference_plan_is_repaired() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/plans/devops-optimization-epics.md"
        );
        let text = std::fs::read_to_string(path).expect("reference plan readable");
        let repair = repair_mojibake(&text);
        for leftover in ["ðŸ", "â€", "âœ", "â±"] {
            assert!(!repair.text.contains(leftover), "{leftover} remains");
        }
        assert!(repair.text.contains("\u{23F1}\u{FE0F}"));
        assert!(repair.text.contains("\u{1F5C4}\u{FE0F}"));
        let leftovers: Vec<char> = repair
            .text
            .chars()
            .filter(|&c| cp1252_byte(c).is_some())
            .collect();
        assert!(
            leftovers.is_empty(),
            "mojibake characters remain: {leftovers:?}"
        );
        println!("repaired {}", repair.repaired);
    }
}
