//! The texts `opsbook init` and `opsbook new` write: a working site and one page of each
//! kind, kept as plain files beside this module (compiled in) so they read as what the
//! user gets. `{title}` in a text is replaced by the page's or site's title.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::model::anchor::slugify;

const CONFIG: &str = include_str!("opsbook.toml");
const INDEX: &str = include_str!("index.md");
const PLAN: &str = include_str!("plan.md");
const RUNBOOK: &str = include_str!("runbook.md");
const AUDIT: &str = include_str!("audit.md");

/// The kinds of page `opsbook new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewPage {
    Plan,
    Runbook,
    Audit,
}

impl NewPage {
    /// The folder under `content/` that gives the page its kind.
    pub fn folder(self) -> &'static str {
        match self {
            NewPage::Plan => "plans",
            NewPage::Runbook => "runbooks",
            NewPage::Audit => "audits",
        }
    }

    fn template(self) -> &'static str {
        match self {
            NewPage::Plan => PLAN,
            NewPage::Runbook => RUNBOOK,
            NewPage::Audit => AUDIT,
        }
    }

    /// `content/<folder>/<slug of name>.md`, or `None` when the name has no letters or
    /// digits to make a file name from.
    pub fn path(self, name: &str) -> Option<PathBuf> {
        let slug = slugify(name);
        (!slug.is_empty()).then(|| {
            ["content", self.folder(), &format!("{slug}.md")]
                .iter()
                .collect()
        })
    }

    /// The page's markdown with `title` as its heading.
    pub fn text(self, title: &str) -> String {
        self.template().replace("{title}", &one_line(title))
    }
}

/// The files of a new site (paths relative to its root), titled `title`.
pub fn site_files(title: &str) -> Vec<(PathBuf, String)> {
    let file = |path: &str, text: String| (PathBuf::from(path), text);
    vec![
        file(
            "opsbook.toml",
            CONFIG.replace("{title}", &toml_string_body(title)),
        ),
        file(
            "content/index.md",
            INDEX.replace("{title}", &one_line(title)),
        ),
        file(
            "content/plans/first-plan.md",
            NewPage::Plan.text("First plan"),
        ),
        file(
            "content/runbooks/service-down.md",
            NewPage::Runbook.text("Service down"),
        ),
        file(
            "content/audits/quarterly-audit.md",
            NewPage::Audit.text("Quarterly audit"),
        ),
    ]
}

/// A title on one line (a heading cannot span lines).
fn one_line(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The inside of a TOML basic string: `\` and `"` escaped.
fn toml_string_body(text: &str) -> String {
    one_line(text).replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_pages_go_into_the_folder_of_their_kind_under_a_slug() {
        assert_eq!(
            NewPage::Runbook.path("P0: Disk Full!"),
            Some(PathBuf::from("content/runbooks/p0-disk-full.md"))
        );
        assert_eq!(NewPage::Plan.path("!!!"), None);
        assert!(NewPage::Audit.text("Q3 review").contains("\n# Q3 review\n"));
    }

    #[test]
    fn site_title_is_escaped_for_toml() {
        let files = site_files("Ops \"core\" \\ team");
        let config = &files[0].1;
        assert!(
            config.contains(r#"title = "Ops \"core\" \\ team""#),
            "{config}"
        );
        let mut diagnostics = crate::diagnostics::Diagnostics::new();
        let parsed = crate::config::parse_config(config, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(parsed.title.as_deref(), Some("Ops \"core\" \\ team"));
    }
}
