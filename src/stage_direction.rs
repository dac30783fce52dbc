//! The stages point one way (issue 11): a test that reads every `.rs` file under `src/`
//! and fails, naming `file:line`, when a module imports from a stage it must not.
//!
//! ```text
//! model  <-  diagnostics  <-  site_files  <-  config   the foundations (and `timings`,
//!                                                      `memo`)
//! ingest    -> the foundations                  files to the model
//! analysis  -> the foundations                  the model to findings
//! render    -> the foundations, analysis        the model to pages and PDFs
//! output    -> the foundations                  rendered bytes to disk or memory
//! pipeline, cli, serve -> any stage             they sequence the stages
//! ```
//!
//! `ALLOWED` lists what each stage may use besides itself; a module not listed there
//! (`pipeline`, `cli`, `serve`, the crate root) may use any.
//!
//! An import is any path that names another top-level module: `use crate::x`, a
//! `crate::x::` path in code, or a `super::` chain that climbs out of the stage to the
//! crate root. Comments and string literals are not code and are skipped.
//!
//! Test code gets one leave: a `#[cfg(test)]` item (the `mod tests { … }` block, a
//! `#[cfg(test)] mod x;` file such as `tests.rs`, and everything under it) may also use
//! `ingest`, the earlier stage that builds fixtures from markdown as a site would, and
//! the crate's shared fixtures in `test_support`. It may not use a later or sibling stage:
//! analysis tests do not import render.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules each stage may use besides itself.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("diagnostics", &["model"]),
    ("site_files", &["model", "diagnostics"]),
    ("config", &["model", "diagnostics", "site_files"]),
    ("timings", &[]),
    ("memo", &[]),
    (
        "ingest",
        &[
            "model",
            "diagnostics",
            "config",
            "timings",
            "site_files",
            "memo",
        ],
    ),
    ("analysis", &["model", "diagnostics", "config", "timings"]),
    (
        "render",
        &[
            "model",
            "diagnostics",
            "config",
            "timings",
            "analysis",
            "site_files",
            "memo",
        ],
    ),
    ("output", &["model", "diagnostics", "config", "timings"]),
    // The shared test fixtures (`#[cfg(test)]`): model values any stage's tests use.
    ("test_support", &["model", "diagnostics", "config"]),
];

/// What test code of a stage may use besides `ALLOWED`: ingest, which builds fixtures
/// from markdown as a site would, and the crate's shared fixtures. The foundations
/// (`model`, `diagnostics`, `config`, `timings`, `site_files`) get no such leave.
const TEST_FIXTURES: &[&str] = &["ingest", "test_support"];
const FOUNDATIONS: &[&str] = &["model", "diagnostics", "config", "timings", "site_files"];

/// Whether code of `stage` (test code when `test`) may name the module `root`.
fn may_use(stage: &str, allowed: &[&str], test: bool, root: &str) -> bool {
    root == stage
        || root == "self"
        || allowed.contains(&root)
        || test && !FOUNDATIONS.contains(&stage) && TEST_FIXTURES.contains(&root)
}

/// One import that runs against the stages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Violation {
    /// Relative to the package root, e.g. `src/ingest/plan/labelled.rs`.
    file: String,
    line: usize,
    /// The stage of the file and the module it names.
    from: String,
    to: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {} imports from {}",
            self.file, self.line, self.from, self.to
        )
    }
}

/// `code` is the source with comments and literals blanked out (same length and line
/// breaks), `test` marks the bytes that belong to `#[cfg(test)]` items.
struct Scanned {
    code: Vec<u8>,
    test: Vec<bool>,
    /// Files declared here as `#[cfg(test)] mod name;`.
    test_children: Vec<String>,
    /// Inline `mod name { … }` blocks that are not test code: (name, start, end).
    inline_modules: Vec<(String, usize, usize)>,
}

/// Blanks comments, string, byte-string and char literals, keeping every `\n`, so the
/// byte offsets and line numbers of what is left are those of the file.
fn blank_non_code(source: &str) -> Vec<u8> {
    let bytes = source.as_bytes();
    let mut out = bytes.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for byte in &mut out[from..to.min(bytes.len())] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"//") {
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            let mut j = i;
            while j < bytes.len() {
                if bytes[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if bytes[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if let Some(end) = raw_string_end(bytes, i) {
            blank(&mut out, i, end);
            i = end;
        } else if bytes[i] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut out, i, j + 1);
            i = j + 1;
        } else if bytes[i] == b'\'' {
            // A char literal (`'x'`, `'\n'`, `'{'`), or a lifetime (`'a`), which is code.
            let end = if rest.get(1) == Some(&b'\\') {
                // The escaped character itself may be a quote: `'\''`.
                let after = rest.get(3..).unwrap_or_default();
                after.iter().position(|&b| b == b'\'').map(|n| i + n + 4)
            } else {
                let width = source
                    .get(i + 1..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                (rest.get(1 + width) == Some(&b'\'')).then_some(i + width + 2)
            };
            match end {
                Some(end) => {
                    blank(&mut out, i, end);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The end of a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting at `i`, if one does.
fn raw_string_end(bytes: &[u8], i: usize) -> Option<usize> {
    if i > 0 && is_ident_byte(bytes[i - 1]) {
        return None;
    }
    let start = if bytes[i..].starts_with(b"br") {
        i + 2
    } else if bytes[i] == b'r' {
        i + 1
    } else {
        return None;
    };
    let hashes = bytes[start..].iter().take_while(|&&b| b == b'#').count();
    if bytes.get(start + hashes) != Some(&b'"') {
        return None;
    }
    let mut closing = vec![b'"'];
    closing.extend(std::iter::repeat_n(b'#', hashes));
    let body = start + hashes + 1;
    let found = bytes[body..]
        .windows(closing.len())
        .position(|w| w == closing.as_slice())?;
    Some(body + found + closing.len())
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The identifier at `at`, if one starts there.
fn ident_at(code: &[u8], at: usize) -> Option<&str> {
    let len = code[at..].iter().take_while(|&&b| is_ident_byte(b)).count();
    (len > 0)
        .then(|| std::str::from_utf8(&code[at..at + len]).ok())
        .flatten()
}

fn skip_space(code: &[u8], mut at: usize) -> usize {
    while at < code.len() && code[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// The offset just after the `}` that closes the `{` at `open`.
fn matching_brace(code: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, &byte) in code.iter().enumerate().skip(open) {
        match byte {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// Where the item starting at `at` ends: after its first `;` outside brackets, or after
/// the `}` that closes its body.
fn item_end(code: &[u8], at: usize) -> usize {
    let mut depth = 0usize;
    for (i, &byte) in code.iter().enumerate().skip(at) {
        match byte {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => return i + 1,
            b'{' if depth == 0 => return matching_brace(code, i),
            _ => {}
        }
    }
    code.len()
}

/// The item after an attribute at `at` (`#[…]`), and the attribute's text.
fn attribute(code: &[u8], at: usize) -> Option<(String, usize)> {
    if !code[at..].starts_with(b"#[") {
        return None;
    }
    let mut depth = 0usize;
    for (i, &byte) in code.iter().enumerate().skip(at + 1) {
        match byte {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    let text: String = String::from_utf8_lossy(&code[at + 2..i])
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect();
                    return Some((text, i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

/// `mod name` (after any `pub(…)`) at `at`: the name and the offset after it.
fn mod_declaration(code: &[u8], at: usize) -> Option<(String, usize)> {
    let mut at = skip_space(code, at);
    if code[at..].starts_with(b"pub") {
        at = skip_space(code, at + 3);
        if code.get(at) == Some(&b'(') {
            at = code[at..].iter().position(|&b| b == b')')? + at + 1;
        }
        at = skip_space(code, at);
    }
    if !code[at..].starts_with(b"mod") || code.get(at + 3).is_some_and(|&b| is_ident_byte(b)) {
        return None;
    }
    let name_at = skip_space(code, at + 3);
    let name = ident_at(code, name_at)?;
    Some((name.to_string(), name_at + name.len()))
}

fn scan(source: &str) -> Scanned {
    let code = blank_non_code(source);
    let mut test = vec![false; code.len()];
    let mut test_children = Vec::new();
    let mut inline_modules = Vec::new();
    let mut i = 0;
    while i < code.len() {
        if let Some((text, after)) = attribute(&code, i) {
            if text == "cfg(test)" {
                let mut item = skip_space(&code, after);
                // Further attributes of the same item.
                while let Some((_, next)) = attribute(&code, item) {
                    item = skip_space(&code, next);
                }
                let end = item_end(&code, item);
                test[i..end].iter_mut().for_each(|t| *t = true);
                if let Some((name, rest)) = mod_declaration(&code, item) {
                    if code.get(skip_space(&code, rest)) == Some(&b';') {
                        test_children.push(name);
                    }
                }
                i = end;
                continue;
            }
            i = after;
            continue;
        }
        let starts_word = i == 0 || !is_ident_byte(code[i - 1]);
        if starts_word {
            if let Some((name, rest)) = mod_declaration(&code, i) {
                let open = skip_space(&code, rest);
                if code.get(open) == Some(&b'{') {
                    inline_modules.push((name, open, matching_brace(&code, open)));
                }
            }
        }
        i += 1;
    }
    Scanned {
        code,
        test,
        test_children,
        inline_modules,
    }
}

/// The module path of a file under `src/`: `src/render/views/plan.rs` is
/// `render::views::plan`, `src/ingest/mod.rs` is `ingest`, `src/lib.rs` is the root.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// The top-level modules named at `at` by `crate::x`, `crate::{x, y::z}` or a `super::`
/// chain that climbs to the root from `module`.
fn named_roots(code: &[u8], at: usize, module: &[String]) -> Option<(usize, Vec<String>)> {
    if at > 0 && (is_ident_byte(code[at - 1]) || code[at - 1] == b'$' || code[at - 1] == b':') {
        return None;
    }
    let after = if code[at..].starts_with(b"crate::") {
        at + "crate::".len()
    } else if code[at..].starts_with(b"super::") {
        let mut after = at;
        let mut climbs = 0;
        while code[after..].starts_with(b"super::") {
            after += "super::".len();
            climbs += 1;
        }
        if climbs < module.len() {
            return None;
        }
        after
    } else {
        return None;
    };
    if code.get(after) == Some(&b'{') {
        let end = matching_brace(code, after);
        let mut roots = Vec::new();
        let mut depth = 0usize;
        let mut expect_name = true;
        for i in after + 1..end - 1 {
            match code[i] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                b',' if depth == 0 => expect_name = true,
                byte if expect_name && depth == 0 && is_ident_byte(byte) => {
                    roots.extend(ident_at(code, i).map(str::to_string));
                    expect_name = false;
                }
                _ => {}
            }
        }
        return Some((end, roots));
    }
    let name = ident_at(code, after)?;
    Some((after + name.len(), vec![name.to_string()]))
}

/// Every forbidden import in one file (`relative` to `src/`); `test_file` when the whole
/// file is test code.
fn violations_in(relative: &Path, source: &str, test_file: bool) -> (Vec<Violation>, Scanned) {
    let scanned = scan(source);
    let module = module_path(relative);
    let mut found = Vec::new();
    let Some(stage) = module.first() else {
        return (found, scanned);
    };
    let Some((_, allowed)) = ALLOWED.iter().find(|(name, _)| name == stage) else {
        return (found, scanned);
    };
    let code = &scanned.code;
    let mut i = 0;
    while i < code.len() {
        if !code[i..].starts_with(b"crate::") && !code[i..].starts_with(b"super::") {
            i += 1;
            continue;
        }
        let test = test_file || scanned.test[i];
        // `super::` counts from the innermost inline module around this point.
        let mut here = module.clone();
        for (name, start, end) in &scanned.inline_modules {
            if (*start..*end).contains(&i) {
                here.push(name.clone());
            }
        }
        let Some((after, roots)) = named_roots(code, i, &here) else {
            i += 1;
            continue;
        };
        for root in roots {
            if !may_use(stage, allowed, test, &root) {
                found.push(Violation {
                    file: format!("src/{}", relative.to_string_lossy().replace('\\', "/")),
                    line: code[..i].iter().filter(|&&b| b == b'\n').count() + 1,
                    from: stage.clone(),
                    to: root,
                });
            }
        }
        i = after;
    }
    (found, scanned)
}

/// The file a `mod name;` in `parent` (relative to `src/`) refers to.
fn child_files(parent: &Path, name: &str) -> [PathBuf; 2] {
    let stem = parent.file_stem().map(|s| s.to_string_lossy().into_owned());
    let dir = parent.parent().unwrap_or(Path::new("")).to_path_buf();
    let dir = match stem.as_deref() {
        Some("mod" | "lib" | "main") | None => dir,
        Some(stem) => dir.join(stem),
    };
    [
        dir.join(format!("{name}.rs")),
        dir.join(name).join("mod.rs"),
    ]
}

/// The folder of a module file's children: `a/b` for `a/b.rs` and for `a/b/mod.rs`.
fn module_dir(file: &Path) -> PathBuf {
    if file.file_name() == Some("mod.rs".as_ref()) {
        file.parent().unwrap_or(Path::new("")).to_path_buf()
    } else {
        file.with_extension("")
    }
}

/// Every `.rs` file under `src/` (relative to it), sorted.
fn source_files(src: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension() == Some("rs".as_ref()))
        .filter_map(|e| e.path().strip_prefix(src).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

/// Every violation under `src`, reading parents before their children so a file that
/// is declared `#[cfg(test)]` (and all below it) counts as test code.
fn find_violations(src: &Path) -> Vec<Violation> {
    let mut files = source_files(src);
    // Parents first: `a.rs` and `a/mod.rs` before `a/b.rs`.
    files.sort_by_key(|f| (f.components().count(), f.clone()));
    let mut test_files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut found = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(src.join(file)).expect("source file is readable");
        let under_test = test_files
            .iter()
            .any(|t| file == t || file.starts_with(module_dir(t)));
        let (violations, scanned) = violations_in(file, &source, under_test);
        found.extend(violations);
        for child in &scanned.test_children {
            test_files.extend(child_files(file, child));
        }
        if under_test {
            test_files.insert(file.clone());
        }
    }
    found.sort();
    found
}

#[test]
fn no_module_imports_from_a_stage_it_must_not() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let violations = find_violations(&src);
    let listed: Vec<String> = violations.iter().map(Violation::to_string).collect();
    assert!(
        violations.is_empty(),
        "{} imports run against the stages:\n{}",
        violations.len(),
        listed.join("\n")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, source: &str) -> Vec<String> {
        violations_in(Path::new(path), source, false)
            .0
            .iter()
            .map(|v| format!("{}:{} {}", v.line, v.to, v.file))
            .collect()
    }

    #[test]
    fn use_of_a_later_stage_is_reported_at_its_line() {
        let source = "//! doc\nuse crate::model::Page;\nuse crate::render::markdown::slugify;\n";
        assert_eq!(
            check("ingest/plan/epic.rs", source),
            ["3:render src/ingest/plan/epic.rs"]
        );
    }

    #[test]
    fn grouped_imports_and_inline_paths_are_each_reported() {
        let source = "use crate::{model::Span, output::pdf};\nfn f() { crate::ingest::load(); }\n";
        assert_eq!(
            check("render/runbooks.rs", source),
            [
                "1:output src/render/runbooks.rs",
                "2:ingest src/render/runbooks.rs"
            ]
        );
    }

    #[test]
    fn super_chains_count_only_when_they_climb_out_of_the_stage() {
        let source = "use super::views;\nuse super::super::output::x;\n";
        assert_eq!(
            check("render/views/plan.rs", source),
            Vec::<String>::new(),
            "render::views::plan: super::super is render"
        );
        assert_eq!(
            check("render/runbooks.rs", source),
            ["2:output src/render/runbooks.rs"]
        );
    }

    #[test]
    fn model_may_use_nothing_but_the_model() {
        let source = "use super::span::Span;\nuse crate::diagnostics::Diagnostic;\n";
        assert_eq!(
            check("model/plan.rs", source),
            ["2:diagnostics src/model/plan.rs"]
        );
    }

    #[test]
    fn test_items_comments_and_strings_are_not_imports() {
        let source = "// crate::render::x\nconst S: &str = \"crate::output::y\";\nconst C: char = '{';\nconst Q: [char; 2] = ['\\'', '\\u{7b}'];\n\
            #[cfg(test)]\nmod tests {\n    use crate::test_support::sample_plan;\n}\n\
            #[cfg(test)]\nuse crate::ingest::x;\nfn after<'a>(s: &'a str) { crate::render::x(s) }\n";
        assert_eq!(
            check("analysis/claims.rs", source),
            ["11:render src/analysis/claims.rs"]
        );
    }

    #[test]
    fn test_code_may_use_ingest_but_not_a_later_stage() {
        let source = "fn f() {}\n#[cfg(test)]\nmod tests {\n    use crate::ingest::plan;\n    use crate::render::views::test_support;\n}\n";
        assert_eq!(
            check("analysis/claims.rs", source),
            ["5:render src/analysis/claims.rs"]
        );
        assert_eq!(
            check("model/plan.rs", source),
            ["4:ingest src/model/plan.rs", "5:render src/model/plan.rs"],
            "the model's tests build their fixtures from the model"
        );
    }

    #[test]
    fn a_cfg_test_module_file_is_declared_test_code() {
        let scanned = scan(
            "#[cfg(test)]\nmod tests;\n#[cfg(test)]\npub(crate) mod test_support;\nmod real;\n",
        );
        assert_eq!(scanned.test_children, ["tests", "test_support"]);
    }
}
