//! Builds that meet: two builds into one output folder at once, and builds killed in the
//! middle of swapping in their output (issue 16, defects 2 and 3).
//!
//! Two small sites with different pages build into one `--out`, so every published
//! output can be told apart and compared with a complete reference build of either.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::Site;

/// Every file of an output by relative path, and every folder (`path/`, no bytes): a
/// folder left empty makes an output differ from a clean build too.
type Tree = BTreeMap<String, Vec<u8>>;

fn read_tree(dir: &Path) -> Tree {
    let mut tree = crate::support::read_tree(dir);
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry.unwrap();
            if entry.file_type().is_dir() {
                let relative = entry.path().strip_prefix(dir).unwrap();
                tree.insert(format!("{}/", relative.to_string_lossy()), Vec::new());
            }
        }
    }
    tree
}

/// A site of `count` pages named after `name`, plus a home page.
fn site(name: &str, count: usize) -> Site {
    let site = Site::with_files(&[(
        "content/index.md",
        &format!("# Site {name}\n\nThe {name} site.\n"),
    )]);
    for page in 0..count {
        site.write(
            &format!("content/{name}/page-{page}.md"),
            format!("# {name} page {page}\n\nText of {name} page {page}.\n").as_bytes(),
        );
    }
    site
}

/// `opsbook build` of `site` into `out`, not yet started.
fn build_command(site: &Site, out: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_opsbook"));
    command
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .arg("--out")
        .arg(out)
        .args(extra);
    command
}

fn run(mut command: Command) -> Output {
    command.output().expect("run opsbook")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What a build of `site` alone publishes.
fn reference(site: &Site) -> Tree {
    let out = site.root().join("reference");
    let built = run(build_command(site, &out, &[]));
    assert!(built.status.success(), "{}", text(&built.stderr));
    read_tree(&out)
}

/// Starts both builds at once and waits for both.
fn run_together(first: Command, second: Command) -> [Output; 2] {
    let start = |mut command: Command| {
        command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start opsbook")
    };
    let (first, second) = (start(first), start(second));
    [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ]
}

/// The line of a build that waits (the other's process id follows when it has written
/// it into the lock file yet).
const WAITING: &str = "waiting for another build";

/// Defect 2: two builds into one output both said they built, and the old site stayed.
/// Now the second waits for the first, says so, and then publishes its own site: after
/// each pair the output is exactly the site of the build that waited.
#[test]
fn twenty_pairs_of_concurrent_builds_each_publish_their_own_site_in_turn() {
    let sites = [site("alpha", 120), site("beta", 90)];
    let references = [reference(&sites[0]), reference(&sites[1])];
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let mut overlapped = 0;
    for pair in 0..20 {
        let (first, second) = if pair % 2 == 0 { (0, 1) } else { (1, 0) };
        let runs = run_together(
            build_command(&sites[first], &out, &[]),
            build_command(&sites[second], &out, &[]),
        );
        for (run, site) in runs.iter().zip([first, second]) {
            let stderr = text(&run.stderr);
            assert!(run.status.success(), "pair {pair}: {stderr}");
            let files = references[site]
                .keys()
                .filter(|p| !p.ends_with('/'))
                .count();
            assert!(
                stderr.contains(&format!("built {files} files into ")),
                "pair {pair}: {stderr}"
            );
        }
        let published = read_tree(&out);
        let waited: Vec<usize> = [first, second]
            .into_iter()
            .zip(&runs)
            .filter(|(_, run)| text(&run.stderr).contains(WAITING))
            .map(|(site, _)| site)
            .collect();
        match waited[..] {
            [last] => {
                overlapped += 1;
                assert!(
                    published == references[last],
                    "pair {pair}: not the site of the build that published last"
                );
            }
            [] => assert!(
                published == references[0] || published == references[1],
                "pair {pair}: the output is not one complete build"
            ),
            _ => panic!("pair {pair}: both builds waited"),
        }
    }
    // Both start at once and a build holds the lock for all of its run: nearly every pair
    // overlaps, or the test has not tested the lock.
    assert!(overlapped >= 10, "only {overlapped} of 20 pairs overlapped");
}

/// With `--lock-timeout 0` the build that finds the output locked fails at once with an
/// error and publishes nothing; the other publishes its whole site.
#[test]
fn a_build_that_gives_up_on_the_lock_fails_and_the_other_publishes() {
    let sites = [site("alpha", 120), site("beta", 90)];
    let references = [reference(&sites[0]), reference(&sites[1])];
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let mut refused = 0;
    for pair in 0..6 {
        let runs = run_together(
            build_command(&sites[0], &out, &["--lock-timeout", "0"]),
            build_command(&sites[1], &out, &["--lock-timeout", "0"]),
        );
        let failed: Vec<usize> = (0..2).filter(|&i| !runs[i].status.success()).collect();
        let published = read_tree(&out);
        match failed[..] {
            [loser] => {
                refused += 1;
                let stderr = text(&runs[loser].stderr);
                assert_eq!(runs[loser].status.code(), Some(1), "{stderr}");
                assert!(
                    stderr.contains("error[OPS008]: another build"),
                    "pair {pair}: {stderr}"
                );
                assert!(stderr.contains("gave up after"), "{stderr}");
                assert!(stderr.contains("left untouched"), "{stderr}");
                assert!(!stderr.contains("built "), "{stderr}");
                assert!(published == references[1 - loser], "pair {pair}");
            }
            [] => assert!(published == references[0] || published == references[1]),
            _ => panic!("pair {pair}: both failed: {}", text(&runs[0].stderr)),
        }
    }
    assert!(refused >= 3, "only {refused} of 6 pairs overlapped");
}

/// Whether `strace` runs here (it needs ptrace). Where `OPSBOOK_REQUIRE_STRACE` is set
/// (CI) its absence fails the tests that need it.
fn strace_runs() -> bool {
    let works = Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        assert!(
            std::env::var_os("OPSBOOK_REQUIRE_STRACE").is_none(),
            "strace is required here"
        );
        eprintln!("note: strace does not run here; kill tests skipped");
    }
    works
}

/// The system calls of the swap that change what is on disk: the renames of the swap
/// itself and the removals of the earlier build's files from the staging folder before
/// it. Killing a build at any other call of the swap leaves the disk as killing it at
/// the next of these does.
const SWAP_CALLS: &[&str] = &[
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "rmdir",
];

/// The build of `site` into `out` under strace, killed (SIGKILL) when it enters its
/// `nth` call of `syscall`; `extra` adds strace options.
fn killed_build(site: &Site, out: &Path, syscall: &str, nth: usize, extra: &[&str]) -> Output {
    let build = build_command(site, out, &[]);
    let mut command = Command::new("strace");
    command
        .args(["-f", "-o", "/dev/null"])
        .args(extra)
        .arg("-e")
        .arg(format!("inject={syscall}:signal=SIGKILL:when={nth}"))
        .arg(build.get_program())
        .args(build.get_args());
    run(command)
}

/// Puts the output back to a complete build of `site`, built twice so that the folder
/// the next build writes over holds this site too, and that build has the files of this
/// one to remove.
fn publish(site: &Site, out: &Path, expected: &Tree) {
    for _ in 0..2 {
        let built = run(build_command(site, out, &[]));
        assert!(built.status.success(), "{}", text(&built.stderr));
    }
    assert!(read_tree(out) == *expected);
}

/// Kills the build of site B over site A's output at every call in `SWAP_CALLS`, one
/// run per call, until a run is not killed (it has no such call left). `check` judges
/// what each kill left; then a plain build must publish B whole.
fn kill_at_every_swap_call(
    calls: &[&str],
    extra: &[&str],
    check: &dyn Fn(&Path, &[Tree; 2], &str),
) -> usize {
    let sites = [site("alpha", 12), site("beta", 8)];
    let references = [reference(&sites[0]), reference(&sites[1])];
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let mut kills = 0;
    for syscall in calls {
        for nth in 1.. {
            publish(&sites[0], &out, &references[0]);
            let run = killed_build(&sites[1], &out, syscall, nth, extra);
            if run.status.success() {
                assert!(
                    read_tree(&out) == references[1],
                    "{syscall} #{nth}: not killed, but B is not published"
                );
                break;
            }
            kills += 1;
            let what = format!("killed at {syscall} #{nth}");
            check(&out, &references, &what);
            let next = run_build_after_kill(&sites[1], &out);
            assert!(next.status.success(), "{what}: {}", text(&next.stderr));
            assert!(
                read_tree(&out) == references[1],
                "{what}: the next build did not publish B"
            );
            assert!(
                !out_dir.path().join(".public.opsbook-previous").exists(),
                "{what}"
            );
        }
    }
    kills
}

fn run_build_after_kill(site: &Site, out: &Path) -> Output {
    run(build_command(site, out, &[]))
}

fn is_one_complete_build(out: &Path, references: &[Tree; 2]) -> bool {
    let published = read_tree(out);
    out.is_dir() && (published == references[0] || published == references[1])
}

/// Defect 3: the swap was two renames, and a kill between them left no output at all.
/// With the exchange, a build killed at any step of its swap leaves one complete output.
#[test]
fn a_build_killed_at_any_step_of_its_swap_leaves_one_complete_output() {
    if !strace_runs() {
        return;
    }
    let kills = kill_at_every_swap_call(SWAP_CALLS, &[], &|out, references, what| {
        assert!(
            is_one_complete_build(out, references),
            "{what}: the output is not one complete build"
        );
    });
    // The stale files of A, their folders and the exchange: each was a kill.
    assert!(kills >= 12, "only {kills} kills");
    eprintln!("{kills} kills, each left one complete output");
}

/// Where the exchange is unsupported (here: made to fail with EINVAL, as on a file
/// system without it) the swap falls back to two renames. A kill between them leaves no
/// output but the previous one beside it; the next build puts it back first (with a
/// warning) and then publishes.
#[test]
fn without_the_exchange_the_next_build_repairs_a_swap_killed_between_its_renames() {
    if !strace_runs() {
        return;
    }
    let gaps = std::cell::Cell::new(0);
    // The exchange always fails, so it is not among the calls killed at.
    let calls: Vec<&str> = SWAP_CALLS
        .iter()
        .copied()
        .filter(|c| *c != "renameat2")
        .collect();
    let unsupported = ["-e", "inject=renameat2:error=EINVAL"];
    kill_at_every_swap_call(&calls, &unsupported, &|out, references, what| {
        if is_one_complete_build(out, references) {
            return;
        }
        gaps.set(gaps.get() + 1);
        assert!(!out.exists(), "{what}: a half-written output");
        let previous = out.parent().unwrap().join(".public.opsbook-previous");
        assert!(
            read_tree(&previous) == references[0],
            "{what}: the previous output is not whole"
        );
    });
    assert_eq!(
        gaps.get(),
        1,
        "exactly one kill falls between the two renames"
    );
}

/// The repair itself, as a person sees it: the warning, then a normal build.
#[test]
fn the_next_build_puts_back_an_output_left_half_swapped_and_says_so() {
    let site = site("alpha", 3);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let first = run(build_command(&site, &out, &[]));
    assert!(first.status.success());
    // As a kill between the two renames of the fallback swap leaves it.
    let previous: PathBuf = out_dir.path().join(".public.opsbook-previous");
    std::fs::rename(&out, &previous).unwrap();
    site.write("content/broken.md", b"---\ntitle: [unclosed\n---\n");
    let failed = run(build_command(&site, &out, &[]));
    let stderr = text(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("warning[OPS010]: an earlier build was stopped while swapping in"),
        "{stderr}"
    );
    // Even a build that fails puts the previous output back.
    assert!(out.join("index.html").is_file());
    assert!(!previous.exists());
}
