#!/usr/bin/env python3
"""Benchmark opsbook against Hugo on the shared corpus generator, side by side.

For each size, both corpora are generated once (`--flavor plain` for opsbook, with the
pages moved into `content/runbooks/`; `--flavor hugo` for Hugo), then the two builds run
alternately, several times each, so both see the same machine state. Reported per tool:
median wall time, median CPU time (user + sys) and median peak RSS, read from
`/usr/bin/time -v`; then the ratio opsbook / Hugo. The first run of each tool (into an
empty output folder, so every file is new) is also shown on its own, as `first s`.

    python3 bench/compare.py --opsbook target/release/opsbook --sizes 100 1000 10000 --runs 5

`--opsbook` may be given more than once, as `NAME=PATH` (e.g. `--opsbook before=old/opsbook
--opsbook after=target/release/opsbook`), to compare two builds of opsbook with Hugo in one
run: each binary builds its own copy of the corpus, and all run alternately.

Needs: python3, /usr/bin/time (Debian package `time`), hugo (Debian package `hugo`).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_GENERATOR = os.path.join(HERE, "..", "..", "shared", "bench", "gen_corpus.py")


def generate(generator, flavor, pages, out):
    subprocess.run(
        [sys.executable, generator, "--pages", str(pages), "--out", out, "--flavor", flavor, "--force"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if flavor == "plain":
        runbooks = os.path.join(out, "content", "runbooks")
        os.makedirs(runbooks, exist_ok=True)
        source = os.path.join(out, "pages")
        for name in sorted(os.listdir(source)):
            shutil.move(os.path.join(source, name), os.path.join(runbooks, name))
        os.rmdir(source)


def timed(command, cwd):
    """Runs a command under /usr/bin/time -v; returns (wall s, cpu s, peak RSS KiB)."""
    result = subprocess.run(
        ["/usr/bin/time", "-v"] + command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    text = result.stderr

    def number(pattern):
        return float(re.search(pattern, text).group(1))

    wall_text = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    parts = [float(p) for p in wall_text.split(":")]
    wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = number(r"User time \(seconds\): (\S+)") + number(r"System time \(seconds\): (\S+)")
    rss = number(r"Maximum resident set size \(kbytes\): (\S+)")
    return wall, cpu, rss


def median_of(samples):
    return tuple(statistics.median(column) for column in zip(*samples))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--opsbook",
        action="append",
        help="an opsbook binary, or NAME=PATH; repeat to compare builds (default: target/release/opsbook)",
    )
    parser.add_argument("--hugo", default="hugo")
    parser.add_argument("--generator", default=DEFAULT_GENERATOR)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--opsbook-args", default="", help="extra arguments for `opsbook build`")
    args = parser.parse_args()
    binaries = {}
    for given in args.opsbook or [os.path.join(HERE, "..", "target", "release", "opsbook")]:
        name, _, path = given.rpartition("=") if "=" in given else ("opsbook", "", given)
        binaries[name] = os.path.abspath(path)

    print(f"{'pages':>6} {'tool':<8} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'first s':>8}")
    with tempfile.TemporaryDirectory(prefix="opsbook-bench-") as work:
        for size in args.sizes:
            plain = os.path.join(work, f"plain-{size}")
            hugo_site = os.path.join(work, f"hugo-{size}")
            generate(args.generator, "plain", size, plain)
            generate(args.generator, "hugo", size, hugo_site)
            commands = {}
            for name, binary in binaries.items():
                site = os.path.join(work, f"{name}-{size}")
                shutil.copytree(plain, site)
                commands[name] = ([binary, "build", "--root", site] + args.opsbook_args.split(), site)
            commands["hugo"] = ([args.hugo, "--quiet", "-d", os.path.join(work, f"hugo-out-{size}")], hugo_site)
            samples = {name: [] for name in commands}
            for _ in range(args.runs):
                for name, (command, cwd) in commands.items():
                    samples[name].append(timed(command, cwd))
            medians = {name: median_of(values) for name, values in samples.items()}
            for name, (wall, cpu, rss) in medians.items():
                first = samples[name][0][0]
                print(f"{size:>6} {name:<8} {wall:>8.3f} {cpu:>8.3f} {rss / 1024:>9.1f} {first:>8.3f}")
            theirs = medians["hugo"]
            for name in binaries:
                ours = medians[name]
                first_ratio = samples[name][0][0] / samples["hugo"][0][0]
                print(
                    f"{size:>6} {'ratio':<8} {ours[0] / theirs[0]:>8.2f} {ours[1] / theirs[1]:>8.2f}"
                    f" {ours[2] / theirs[2]:>9.2f} {first_ratio:>8.2f}   ({name} / hugo)"
                )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
