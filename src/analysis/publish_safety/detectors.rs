//! The detectors of publish safety: where in one text a secret or a private detail sits.
//! The only module that knows `regex`. Each detector is a pattern plus a check that
//! turns away the near misses a pattern alone cannot (placeholders, private addresses,
//! documentation examples), so the list stays small and every hit is worth reading.

use std::net::Ipv4Addr;

use regex::{Captures, Regex};

/// What kind of thing was found. The kind decides the diagnostic code and whether the
/// value is a secret (shown redacted) or only private (shown as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeakKind {
    /// A `-----BEGIN … PRIVATE KEY-----` block with key material in it.
    PrivateKey,
    /// A cloud or API token; the text names the issuer (`AWS access key id`).
    Token(&'static str),
    /// `scheme://user:password@host`.
    PasswordInUrl,
    /// `user@<public IPv4>`: a login to a machine on the internet.
    PublicLogin,
    /// `C:\Users\name`, `/home/name`, `/Users/name`: a person's account on a workstation.
    LocalUserPath,
}

impl LeakKind {
    /// Secrets are never printed whole; private details (a login, a user name) are shown
    /// so the author can find and allow them.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            LeakKind::PrivateKey | LeakKind::Token(_) | LeakKind::PasswordInUrl
        )
    }
}

/// One hit: the kind and the byte range of the value in the scanned text. The value is
/// what an allow-list entry must equal to exempt it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    pub kind: LeakKind,
    pub start: usize,
    pub end: usize,
}

/// A pattern, the capture group that holds the value (0: the whole match) and the check
/// that the hit is not a near miss.
struct Detector {
    kind: LeakKind,
    regex: Regex,
    group: usize,
    accept: Accept,
}

/// Tells a real hit from a near miss, given the captures and the whole text.
type Accept = fn(&Captures, &str) -> bool;

/// Every detector, compiled once per scan of a site.
pub struct Detectors {
    detectors: Vec<Detector>,
}

/// Characters that continue a token: a hit followed by one of them is part of something
/// longer (a hash, a longer identifier) and not the token its prefix suggests.
fn token_continues(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn always(_: &Captures, _: &str) -> bool {
    true
}

fn whole_token(caps: &Captures, text: &str) -> bool {
    !token_continues(text, caps.get(0).map_or(0, |m| m.end()))
}

/// AWS documents its examples with ids ending in `EXAMPLE` (`AKIAIOSFODNN7EXAMPLE`).
fn aws_key_id(caps: &Captures, text: &str) -> bool {
    whole_token(caps, text) && !caps[0].ends_with("EXAMPLE")
}

/// A bearer value that has letters and digits is a token; `Bearer authentication` is prose.
fn bearer_token(caps: &Captures, _: &str) -> bool {
    let value = &caps[1];
    value.chars().any(|c| c.is_ascii_digit()) && value.chars().any(|c| c.is_ascii_alphabetic())
}

/// A password that is a variable reference or a mask leaks nothing:
/// `${DB_PASSWORD}`, `$PASS`, `{{ password }}`, `%s`, `****`, `xxxx`.
fn real_password(caps: &Captures, _: &str) -> bool {
    let password = &caps[3];
    let reference = password.starts_with('$')
        || password.starts_with("{{")
        || password.starts_with('%')
        || password.starts_with('[');
    let mask = password.chars().all(|c| c == '*')
        || password.chars().all(|c| c.eq_ignore_ascii_case(&'x'))
        || password.chars().all(|c| c == '.');
    !(reference || mask)
}

/// Only addresses on the public internet: not private, loopback, link-local, shared
/// (carrier-grade NAT), unspecified, broadcast, multicast or a documentation range.
pub fn is_public_ipv4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let documentation = matches!((a, b, c), (192, 0, 2) | (198, 51, 100) | (203, 0, 113));
    let shared = a == 100 && (64..128).contains(&b);
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || documentation
        || shared
        || a == 0
        || a >= 240)
}

fn public_login(caps: &Captures, text: &str) -> bool {
    let end = caps.get(0).map_or(0, |m| m.end());
    // `a@1.2.3.4.5` or `a@1.2.3.45x` is something else than an address.
    let rest = &text[end..];
    let longer = rest.starts_with(|c: char| c.is_ascii_alphanumeric())
        || rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit());
    !longer && caps[2].parse().is_ok_and(is_public_ipv4)
}

/// User names that are placeholders or shared accounts, not a person.
const NOT_A_PERSON: &[&str] = &[
    "all users",
    "default",
    "default user",
    "example",
    "me",
    "name",
    "public",
    "shared",
    "someone",
    "user",
    "username",
    "you",
    "yourname",
];

fn user_is_a_person(name: &str) -> bool {
    !NOT_A_PERSON.contains(&name.to_ascii_lowercase().as_str())
}

fn windows_user_path(caps: &Captures, _: &str) -> bool {
    user_is_a_person(&caps[2])
}

/// `/home/alice` at the start of a path, not `https://host/home/alice` or `x/home/y`.
fn unix_user_path(caps: &Captures, text: &str) -> bool {
    let start = caps.get(0).map_or(0, |m| m.start());
    let before = text[..start].chars().next_back();
    let starts_a_path = before.is_none_or(|c| {
        !(c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | '~' | '%' | '$' | '\\'))
    });
    starts_a_path && user_is_a_person(&caps[2])
}

/// The detectors, most specific first: when two hits overlap, the first one's kind wins.
const PATTERNS: &[(LeakKind, &str, usize, Accept)] = &[
    (
        LeakKind::PrivateKey,
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
        0,
        always,
    ),
    (
        LeakKind::Token("AWS access key id"),
        r"\b(?:AKIA|ASIA)[A-Z0-9]{16}",
        0,
        aws_key_id,
    ),
    (
        LeakKind::Token("GitHub token"),
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,})",
        0,
        whole_token,
    ),
    (
        LeakKind::Token("Slack token"),
        r"\bxox[abposr]-[0-9]{6,}-[A-Za-z0-9-]{10,}",
        0,
        always,
    ),
    (
        LeakKind::Token("Google API key"),
        r"\bAIza[0-9A-Za-z_-]{35}",
        0,
        whole_token,
    ),
    (
        LeakKind::Token("Stripe live key"),
        r"\b(?:sk|rk)_live_[0-9A-Za-z]{20,}",
        0,
        whole_token,
    ),
    (
        LeakKind::Token("JSON web token"),
        r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}",
        0,
        always,
    ),
    (
        LeakKind::Token("bearer token"),
        r"\bBearer[ \t]+([A-Za-z0-9._~+/-]{20,}=*)",
        1,
        bearer_token,
    ),
    (
        LeakKind::PasswordInUrl,
        r#"\b([A-Za-z][A-Za-z0-9+.-]*)://([^\s:/@'"<>]+):([^\s/@'"<>]+)@([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])"#,
        0,
        real_password,
    ),
    (
        LeakKind::PublicLogin,
        r"\b([A-Za-z_][A-Za-z0-9_.-]*)@((?:[0-9]{1,3}\.){3}[0-9]{1,3})\b",
        0,
        public_login,
    ),
    (
        LeakKind::LocalUserPath,
        r#"(?i)\b([a-z]:\\users)\\([^\\/\s"'<>|:*?%$]+)"#,
        0,
        windows_user_path,
    ),
    (
        LeakKind::LocalUserPath,
        r"(/home|/Users)/([A-Za-z0-9_][A-Za-z0-9_.-]*)",
        0,
        unix_user_path,
    ),
];

impl Detectors {
    pub fn new() -> Self {
        let detectors = PATTERNS
            .iter()
            .map(|&(kind, pattern, group, accept)| Detector {
                kind,
                // The patterns are constants covered by the tests below.
                regex: Regex::new(pattern).expect("publish-safety pattern compiles"),
                group,
                accept,
            })
            .collect();
        Detectors { detectors }
    }

    /// Every leak in `text`, sorted by position; a hit inside another one (the login in
    /// `ssh://user:pw@host`) is reported once, as the first detector's kind.
    pub fn find_leaks(&self, text: &str) -> Vec<Leak> {
        let mut leaks: Vec<Leak> = Vec::new();
        for detector in &self.detectors {
            for caps in detector.regex.captures_iter(text) {
                let Some(value) = caps.get(detector.group) else {
                    continue;
                };
                if !(detector.accept)(&caps, text) {
                    continue;
                }
                let end = match detector.kind {
                    LeakKind::PrivateKey => private_key_end(text, value.end()),
                    _ => Some(value.end()),
                };
                let Some(end) = end else { continue };
                let overlaps = leaks.iter().any(|l| value.start() < l.end && l.start < end);
                if !overlaps {
                    leaks.push(Leak {
                        kind: detector.kind,
                        start: value.start(),
                        end,
                    });
                }
            }
        }
        leaks.sort_by_key(|l| (l.start, l.end));
        leaks
    }
}

impl Default for Detectors {
    fn default() -> Self {
        Self::new()
    }
}

/// Where the key block that starts with a BEGIN line ending at `header_end` ends: its END
/// line, else its last line of key material. `None` when there is no key material (a
/// line that only names the format, or `...` as a placeholder body).
fn private_key_end(text: &str, header_end: usize) -> Option<usize> {
    const MIN_KEY_CHARS: usize = 64;
    let mut key_chars = 0usize;
    let mut end = header_end;
    let body_start = header_end + text[header_end..].find('\n')? + 1;
    let mut offset = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        let trimmed = line.trim();
        let line_end = offset + line.len();
        offset = line_end;
        if trimmed.starts_with("-----END ") {
            end = line_end - (line.len() - line.trim_end().len());
            break;
        }
        let is_header = trimmed.contains(": ");
        let is_key = !trimmed.is_empty()
            && trimmed
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
        if is_key {
            key_chars += trimmed.len();
            end = line_end - (line.len() - line.trim_end().len());
        } else if !is_header && !trimmed.is_empty() {
            break;
        }
    }
    (key_chars >= MIN_KEY_CHARS).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(LeakKind, &str)> {
        Detectors::new()
            .find_leaks(text)
            .into_iter()
            .map(|l| (l.kind, &text[l.start..l.end]))
            .collect()
    }

    fn kinds(text: &str) -> Vec<LeakKind> {
        found(text).into_iter().map(|(kind, _)| kind).collect()
    }

    const KEY_BODY: &str = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n";

    #[test]
    fn private_key_block_is_found_from_begin_to_end_line() {
        let text = format!(
            "key:\n-----BEGIN RSA PRIVATE KEY-----\n{KEY_BODY}-----END RSA PRIVATE KEY-----\nafter"
        );
        let hits = found(&text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, LeakKind::PrivateKey);
        assert!(hits[0].1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        assert!(
            hits[0].1.ends_with("-----END RSA PRIVATE KEY-----"),
            "{:?}",
            hits[0].1
        );
    }

    #[test]
    fn openssh_and_pgp_private_keys_are_found() {
        for header in [
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----",
            "-----BEGIN PRIVATE KEY-----",
        ] {
            assert_eq!(
                kinds(&format!("{header}\n{KEY_BODY}")),
                [LeakKind::PrivateKey]
            );
        }
    }

    #[test]
    fn private_key_header_without_key_material_is_not_a_leak() {
        assert!(kinds("grep -- '-----BEGIN RSA PRIVATE KEY-----' id_rsa").is_empty());
        let placeholder = "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----";
        assert!(kinds(placeholder).is_empty());
        assert!(kinds("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePz\n").is_empty());
    }

    #[test]
    fn aws_access_key_ids_are_found_but_not_the_documented_example() {
        assert_eq!(
            found("export AWS_ACCESS_KEY_ID=AKIAZ7Q3LRPXB2MWN4TD"),
            [(LeakKind::Token("AWS access key id"), "AKIAZ7Q3LRPXB2MWN4TD")]
        );
        assert_eq!(kinds("ASIAZ7Q3LRPXB2MWN4TD").len(), 1);
        assert!(kinds("AKIAIOSFODNN7EXAMPLE").is_empty());
        assert!(kinds("AKIAZ7Q3LRPXB2MWN4TDXYZ").is_empty(), "too long");
        assert!(kinds("AKIA_ROLE_NAME").is_empty());
    }

    #[test]
    fn github_slack_google_and_stripe_tokens_are_found() {
        let github = format!("ghp_{}", "a1B2".repeat(9));
        let pat = format!("github_pat_11ABCDEFG0{}", "x9_Y".repeat(18));
        let slack = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
        let google = format!("AIza{}", &"Sy9-_k3Lm".repeat(4)[..35]);
        let stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        for (text, issuer) in [
            (github.as_str(), "GitHub token"),
            (pat.as_str(), "GitHub token"),
            (slack, "Slack token"),
            (google.as_str(), "Google API key"),
            (stripe, "Stripe live key"),
        ] {
            assert_eq!(found(text), [(LeakKind::Token(issuer), text)], "{text}");
        }
    }

    #[test]
    fn token_shaped_placeholders_and_test_keys_are_not_tokens() {
        assert!(kinds("SLACK_TOKEN=xoxb-your-token-here").is_empty());
        assert!(kinds("ghp_xxxx").is_empty());
        assert!(kinds("sk_test_4eC39HqLyjWDarjtT1zdp7dc").is_empty());
        assert!(
            kinds(&format!("ghp_{}0", "a".repeat(36))).is_empty(),
            "too long"
        );
    }

    #[test]
    fn jwt_and_bearer_tokens_are_found_once() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let header = format!("Authorization: Bearer {jwt}");
        assert_eq!(found(&header), [(LeakKind::Token("JSON web token"), jwt)]);
        assert_eq!(
            found("Bearer 9f8e7d6c5b4a39281706a1b2c3d4e5f6"),
            [(
                LeakKind::Token("bearer token"),
                "9f8e7d6c5b4a39281706a1b2c3d4e5f6"
            )]
        );
        assert!(kinds("Authorization: Bearer $TOKEN").is_empty());
        assert!(kinds("uses Bearer authentication_everywhere_always").is_empty());
    }

    #[test]
    fn password_in_url_is_found_with_scheme_user_and_host() {
        assert_eq!(
            found("DATABASE_URL=postgres://app:s3cr3t-Pw@db.internal:5432/app"),
            [(
                LeakKind::PasswordInUrl,
                "postgres://app:s3cr3t-Pw@db.internal"
            )]
        );
        // The login inside the URL is not reported a second time.
        assert_eq!(
            kinds("ssh://deploy:hunter22@8.8.4.4/"),
            [LeakKind::PasswordInUrl]
        );
    }

    #[test]
    fn password_placeholders_and_urls_without_password_are_not_leaks() {
        for text in [
            "postgres://app:${DB_PASSWORD}@db:5432/app",
            "postgres://app:$PGPASS@db/app",
            "redis://:{{ redis_password }}@cache",
            "mysql://root:****@db",
            "amqp://guest:xxxx@mq",
            "postgres://app@db/app",
            "https://example.com:8443/path",
            "git@github.com:org/repo.git",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn login_to_a_public_address_is_found() {
        assert_eq!(
            found("#   1. ssh deployer@103.54.153.248\n"),
            [(LeakKind::PublicLogin, "deployer@103.54.153.248")]
        );
        assert_eq!(kinds("scp f root@8.8.8.8:/tmp"), [LeakKind::PublicLogin]);
    }

    #[test]
    fn logins_to_private_loopback_and_documentation_addresses_are_not_leaks() {
        for text in [
            "ssh admin@10.0.0.5",
            "ssh admin@172.16.3.4",
            "ssh admin@192.168.1.10",
            "ssh admin@127.0.0.1",
            "ssh admin@169.254.169.254",
            "ssh admin@192.0.2.10",
            "ssh admin@198.51.100.7",
            "ssh admin@203.0.113.42",
            "ssh admin@100.64.0.1",
            "ssh admin@0.0.0.0",
            "ssh admin@999.1.1.1",
            "git@github.com:org/repo.git",
            "ops@example.com",
            "pkg@1.2.3.4.5",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn windows_and_unix_user_paths_are_found_up_to_the_user_name() {
        assert_eq!(
            found(r#"cd "c:\Users\luaho\Demo project\v-edfinance""#),
            [(LeakKind::LocalUserPath, r"c:\Users\luaho")]
        );
        assert_eq!(
            found("cat /home/alice/.kube/config"),
            [(LeakKind::LocalUserPath, "/home/alice")]
        );
        assert_eq!(
            found("open '/Users/bob.smith/Desktop'"),
            [(LeakKind::LocalUserPath, "/Users/bob.smith")]
        );
    }

    #[test]
    fn shared_and_placeholder_user_paths_and_url_paths_are_not_leaks() {
        for text in [
            r"C:\Users\Public\Documents",
            r"C:\Users\%USERNAME%\AppData",
            r"C:\Users\<you>\",
            "/home/user/project",
            "/home/$USER/.ssh",
            "/Users/Shared/x",
            "https://example.com/home/alice",
            "/srv/app/home/alice",
            "~/projects",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn public_ipv4_excludes_every_reserved_range() {
        let public = |s: &str| is_public_ipv4(s.parse().unwrap());
        assert!(public("103.54.153.248"));
        assert!(public("8.8.8.8"));
        assert!(!public("10.1.2.3"));
        assert!(!public("203.0.113.1"));
        assert!(!public("255.255.255.255"));
        assert!(!public("224.0.0.1"));
    }
}
