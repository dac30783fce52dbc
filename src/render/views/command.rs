//! Recognising shell commands inside plan list items and field values, so the page can
//! show `ssh deployer@host` or `Verify: ufw status` with the command set as code. Only
//! whole items or the part after a `Label: ` are considered, and only when they begin
//! with a known command word, so prose such as "Update .gitignore" stays prose.

use serde::Serialize;

/// One list item or field value, split into text and the command it contains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextItemView {
    /// The whole text as written.
    pub text: String,
    /// The words before the command (`Verify: `), when the item has a command.
    pub prefix: String,
    /// The command, to be shown as `<code>`.
    pub code: Option<String>,
}

impl TextItemView {
    pub(crate) fn new(text: &str) -> Self {
        match split_command(text) {
            Some((prefix, code)) => TextItemView {
                text: text.to_string(),
                prefix: prefix.to_string(),
                code: Some(code.to_string()),
            },
            None => TextItemView {
                text: text.to_string(),
                prefix: String::new(),
                code: None,
            },
        }
    }
}

/// Commands an SRE plan commonly names. Matched case-sensitively: commands are lower
/// case, while the same words capitalized ("Free 600MB") are prose.
const COMMAND_WORDS: &[&str] = &[
    "ansible",
    "ansible-playbook",
    "apt",
    "apt-get",
    "aws",
    "az",
    "bash",
    "bd",
    "brew",
    "cargo",
    "cat",
    "cd",
    "certbot",
    "chmod",
    "chown",
    "cp",
    "crontab",
    "curl",
    "df",
    "dig",
    "dnf",
    "docker",
    "docker-compose",
    "du",
    "echo",
    "export",
    "find",
    "free",
    "gcloud",
    "gh",
    "git",
    "go",
    "grep",
    "gzip",
    "head",
    "helm",
    "htop",
    "iptables",
    "journalctl",
    "kill",
    "kubectl",
    "ln",
    "ls",
    "make",
    "mkdir",
    "mount",
    "mv",
    "mysql",
    "nc",
    "netstat",
    "nft",
    "nginx",
    "node",
    "npm",
    "npx",
    "openssl",
    "pg_dump",
    "pg_restore",
    "ping",
    "pnpm",
    "podman",
    "ps",
    "psql",
    "python",
    "python3",
    "redis-cli",
    "rm",
    "rsync",
    "scp",
    "sed",
    "sh",
    "source",
    "ss",
    "ssh",
    "sudo",
    "systemctl",
    "tail",
    "tar",
    "terraform",
    "top",
    "touch",
    "ufw",
    "vault",
    "wget",
    "wrangler",
    "yarn",
    "yum",
];

/// SQL statements typed into a database shell read as commands too.
const SQL_WORDS: &[&str] = &[
    "ALTER", "CREATE", "DELETE", "DROP", "GRANT", "INSERT", "SELECT", "UPDATE", "VACUUM",
];

/// True when the text, as a whole, reads as a command line.
fn looks_like_command(text: &str) -> bool {
    let text = text.trim();
    let first = text.split_whitespace().next().unwrap_or("");
    if first.starts_with("./") {
        return true;
    }
    if COMMAND_WORDS.contains(&first) {
        // "cd" alone or "git" alone are still commands; "free" alone is a word.
        return text.contains(' ') || first != "free";
    }
    SQL_WORDS.contains(&first) && text.ends_with(';')
}

/// Splits an item into the words before a command and the command: the whole item when it
/// is a command (`("", "ssh deployer@host")`), else the part after its first `": "` when
/// that is one (`("Verify: ", "ufw status")`).
pub fn split_command(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim();
    if let Some(command) = trimmed.strip_prefix("$ ") {
        return Some(("", command.trim()));
    }
    if looks_like_command(trimmed) {
        return Some(("", trimmed));
    }
    let (label, rest) = trimmed.split_once(": ")?;
    let command = rest.trim();
    (looks_like_command(command) && !label.contains('`')).then(|| {
        let prefix_len = trimmed.len() - rest.len();
        (&trimmed[..prefix_len], command)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_item_starting_with_a_command_word_is_code() {
        assert_eq!(
            split_command("ssh deployer@103.54.153.248"),
            Some(("", "ssh deployer@103.54.153.248"))
        );
        assert_eq!(
            split_command("git log --all --full-history -- .env"),
            Some(("", "git log --all --full-history -- .env"))
        );
    }

    #[test]
    fn command_after_a_label_keeps_the_label_as_text() {
        assert_eq!(
            split_command("Verify: ufw status"),
            Some(("Verify: ", "ufw status"))
        );
        assert_eq!(
            split_command("Verify RAM freed: free -h"),
            Some(("Verify RAM freed: ", "free -h"))
        );
        assert_eq!(
            split_command("Verify: SELECT * FROM pg_stat_statements LIMIT 1;"),
            Some(("Verify: ", "SELECT * FROM pg_stat_statements LIMIT 1;"))
        );
    }

    #[test]
    fn prose_stays_prose() {
        for text in [
            "Update .gitignore",
            "Rotate all secrets immediately",
            "If found: BFG Repo-Cleaner",
            "Cloudflare Dashboard → Security → WAF",
            "Branch: main",
            "Free 600MB RAM",
            "Verify: \\dx in psql",
        ] {
            assert_eq!(split_command(text), None, "{text}");
        }
    }
}
