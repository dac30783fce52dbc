//! Plan reader, `bd create` commands: one line of a shell block in, the command's title,
//! type and priority out, or an error that says where the line stops making sense.
//! Quoting follows the shell: double quotes with `\"` escapes, single quotes taken
//! literally, backslash escapes outside quotes, `#` starting a comment between words.

/// A `bd create` line as read: title, type and priority, before spans are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBdCreate {
    pub title: String,
    /// Lowercased; `task` when the line has no type flag.
    pub issue_type: String,
    /// The priority's text as written (`0`, `P1`), when given.
    pub priority: Option<BdPriority>,
}

/// A priority flag value and whether it could be read as `P0`..`P4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BdPriority {
    pub raw: String,
    pub level: Option<u8>,
}

/// Why a `bd create` line could not be read; `offset` is relative to the line start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BdCreateError {
    UnterminatedQuote { quote: char, offset: usize },
    MissingTitle,
}

/// Flags of `bd create` that take no value, so the word after them is not swallowed.
const BOOLEAN_FLAGS: &[&str] = &[
    "--json",
    "--force",
    "--dry-run",
    "--silent",
    "--quiet",
    "-q",
    "--help",
    "-h",
];

/// True when `line` runs `bd create` (after optional indentation and a `$ ` prompt).
pub fn is_bd_create(line: &str) -> bool {
    let words: Vec<&str> = command_text(line).split_whitespace().take(2).collect();
    words == ["bd", "create"]
}

/// The command part of a shell line: without indentation or a `$ ` prompt.
fn command_text(line: &str) -> &str {
    let trimmed = line.trim_start();
    trimmed
        .strip_prefix("$ ")
        .map_or(trimmed, |rest| rest.trim_start())
}

/// Reads a line for which [`is_bd_create`] is true.
pub fn parse_bd_create(line: &str) -> Result<RawBdCreate, BdCreateError> {
    let words = split_shell_words(line)?;
    let args = words
        .iter()
        .skip_while(|word| word.as_str() != "create")
        .skip(1)
        .map(String::as_str);
    read_arguments(args)
}

fn read_arguments<'a>(
    mut args: impl Iterator<Item = &'a str>,
) -> Result<RawBdCreate, BdCreateError> {
    let mut positional: Vec<&str> = Vec::new();
    let mut title_flag = None;
    let mut issue_type = None;
    let mut priority = None;
    while let Some(arg) = args.next() {
        if !arg.starts_with('-') || arg == "-" {
            positional.push(arg);
            continue;
        }
        let (flag, inline_value) = split_flag(arg);
        if BOOLEAN_FLAGS.contains(&flag) {
            continue;
        }
        let value = match inline_value {
            Some(value) => Some(value.to_string()),
            None => args.next().map(str::to_string),
        };
        match flag {
            "--type" | "-t" => issue_type = value,
            "--priority" | "-p" => priority = value,
            "--title" => title_flag = value,
            _ => {}
        }
    }
    let title = title_flag.unwrap_or_else(|| positional.join(" "));
    if title.trim().is_empty() {
        return Err(BdCreateError::MissingTitle);
    }
    Ok(RawBdCreate {
        title: title.trim().to_string(),
        issue_type: issue_type.map_or_else(|| "task".to_string(), |t| t.trim().to_lowercase()),
        priority: priority.map(|raw| BdPriority {
            level: read_priority(&raw),
            raw,
        }),
    })
}

/// `--priority=1` gives (`--priority`, `1`); `-p1` gives (`-p`, `1`); `--type` gives no
/// inline value.
fn split_flag(arg: &str) -> (&str, Option<&str>) {
    if let Some((flag, value)) = arg.split_once('=') {
        return (flag, Some(value));
    }
    let short_with_value = !arg.starts_with("--") && arg.len() > 2 && arg.is_char_boundary(2);
    if short_with_value {
        return (&arg[..2], Some(&arg[2..]));
    }
    (arg, None)
}

/// `0`..`4` or `P0`..`P4` (any case).
fn read_priority(raw: &str) -> Option<u8> {
    let trimmed = raw.trim();
    let digits = trimmed.strip_prefix(['P', 'p']).unwrap_or(trimmed);
    let level: u8 = digits.parse().ok()?;
    (level <= 4).then_some(level)
}

/// Splits a shell line into words, honouring quotes and escapes; stops at a `#` that
/// starts a word.
fn split_shell_words(line: &str) -> Result<Vec<String>, BdCreateError> {
    let mut words = Vec::new();
    let mut current: Option<String> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                words.extend(current.take());
            }
            '#' if current.is_none() => break,
            '\\' => {
                let word = current.get_or_insert_with(String::new);
                word.extend(chars.next().map(|(_, escaped)| escaped));
            }
            '"' | '\'' => {
                let word = current.get_or_insert_with(String::new);
                read_quoted(&mut chars, c, word)
                    .ok_or(BdCreateError::UnterminatedQuote { quote: c, offset })?;
            }
            other => current.get_or_insert_with(String::new).push(other),
        }
    }
    words.extend(current);
    Ok(words)
}

/// Appends the quoted text to `word`; `None` when the closing quote is missing.
fn read_quoted(
    chars: &mut impl Iterator<Item = (usize, char)>,
    quote: char,
    word: &mut String,
) -> Option<()> {
    while let Some((_, c)) = chars.next() {
        if c == quote {
            return Some(());
        }
        if c == '\\' && quote == '"' {
            let (_, escaped) = chars.next()?;
            // Inside double quotes the shell only unescapes these; others keep the `\`.
            if !matches!(escaped, '"' | '\\' | '$' | '`') {
                word.push('\\');
            }
            word.push(escaped);
            continue;
        }
        word.push(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> RawBdCreate {
        assert!(is_bd_create(line), "not a bd create line: {line}");
        parse_bd_create(line).expect("readable bd create line")
    }

    fn level(line: &str) -> Option<u8> {
        read(line).priority.and_then(|p| p.level)
    }

    #[test]
    fn long_flags_give_type_and_priority() {
        let bd = read(r#"bd create "Rotate keys" --type task --priority 0"#);
        assert_eq!(bd.title, "Rotate keys");
        assert_eq!(bd.issue_type, "task");
        assert_eq!(bd.priority.map(|p| p.level), Some(Some(0)));
    }

    #[test]
    fn every_priority_flag_form_is_read() {
        assert_eq!(level(r#"bd create "A" -t task -p 1"#), Some(1));
        assert_eq!(level(r#"bd create "A" --priority=2"#), Some(2));
        assert_eq!(level(r#"bd create "A" -p=3"#), Some(3));
        assert_eq!(level(r#"bd create "A" -p4"#), Some(4));
        assert_eq!(level(r#"bd create "A" --priority P1"#), Some(1));
        assert_eq!(level(r#"bd create "A" --priority p2"#), Some(2));
        assert_eq!(level(r#"bd create "A" --priority 9"#), None);
        assert_eq!(read(r#"bd create "A""#).priority, None);
    }

    #[test]
    fn type_flag_forms_are_read_and_default_is_task() {
        assert_eq!(read(r#"bd create "E" -t epic"#).issue_type, "epic");
        assert_eq!(read(r#"bd create "E" --type=Epic"#).issue_type, "epic");
        assert_eq!(read(r#"bd create "E" -p 1"#).issue_type, "task");
    }

    #[test]
    fn flags_may_come_before_the_title_and_unknown_flags_are_skipped() {
        let bd = read(r#"bd create --priority 1 -l ops,infra --json "Late title" -t bug"#);
        assert_eq!(bd.title, "Late title");
        assert_eq!(bd.issue_type, "bug");
        assert_eq!(bd.priority.map(|p| p.raw), Some("1".to_string()));
    }

    #[test]
    fn single_quotes_and_escaped_double_quotes_are_part_of_the_title() {
        assert_eq!(read("bd create 'It''s \"raw\"' -p 0").title, "Its \"raw\"");
        assert_eq!(
            read(r#"bd create "Say \"hi\" to C:\dir" -p 0"#).title,
            r#"Say "hi" to C:\dir"#
        );
    }

    #[test]
    fn title_flag_and_prompt_and_trailing_comment_are_understood() {
        let bd = read(r#"  $ bd create --title="From flag" -p 1 # trailing note"#);
        assert_eq!(bd.title, "From flag");
        assert_eq!(bd.priority.map(|p| p.level), Some(Some(1)));
    }

    #[test]
    fn unquoted_words_form_the_title() {
        assert_eq!(read("bd create Fix login bug -p 1").title, "Fix login bug");
    }

    #[test]
    fn unterminated_quote_reports_offset_of_opening_quote() {
        let error = parse_bd_create(r#"bd create "Close port --type task"#);
        assert_eq!(
            error,
            Err(BdCreateError::UnterminatedQuote {
                quote: '"',
                offset: 10
            })
        );
        let error = parse_bd_create("bd create 'x -p \"1\"");
        assert_eq!(
            error,
            Err(BdCreateError::UnterminatedQuote {
                quote: '\'',
                offset: 10
            })
        );
    }

    #[test]
    fn missing_title_is_an_error() {
        assert_eq!(
            parse_bd_create("bd create --type task"),
            Err(BdCreateError::MissingTitle)
        );
    }

    #[test]
    fn other_bd_commands_are_not_bd_create() {
        assert!(!is_bd_create("bd ready"));
        assert!(!is_bd_create("echo bd create"));
        assert!(!is_bd_create("bd created"));
    }
}
