#!/usr/bin/env python3
"""Edit-to-served-change benchmark of `opsbook serve` against `hugo server` (issue 14).

Not a timed test: it prints figures for the README's "Serve and PDF benchmark" section.

For each size N (default 1000), it generates the corpus twice with the shared generator
(`--flavor plain`, pages moved under content/runbooks/, for opsbook; `--flavor hugo`
for Hugo), starts both servers, and then makes the same edits on both, alternately
(opsbook, hugo, opsbook, ...), so background load hits both alike:

  body   20 edits of one page's body (a new token in its first paragraph)
  title   5 title changes
  new     2 new pages
  delete  2 deletions

Each edit is timed from the file write until an HTTP poll of the page sees the change
(the token or title appears, the new page answers 200, the deleted one 404). It also
reports the time until the first page answers (against `opsbook build --no-pdf`), the
server's memory (RSS) after the first build and after 200 body edits, and `opsbook
build` with PDFs cold, again after one runbook changed, and without PDFs.

Usage: python3 bench/serve_bench.py --opsbook target/release/opsbook [--pages 1000 10000]
"""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

# The shared corpus generator, beside the checkout (`../shared/bench/`); `--gen` overrides.
GEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench",
                   "gen_corpus.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, ConnectionError, socket.timeout):
        return 0, ""


def wait_until(url, ok, timeout=180):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        status, body = fetch(url)
        if ok(status, body):
            return time.monotonic() - start
        time.sleep(0.005)
    raise RuntimeError(f"timed out waiting for {url}")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def generate(n, flavor, out):
    subprocess.run([sys.executable, GEN, "--pages", str(n), "--out", out, "--flavor", flavor],
                   check=True, stdout=subprocess.DEVNULL)


def opsbook_site(n, root):
    generate(n, "plain", root + "-gen")
    os.makedirs(os.path.join(root, "content"), exist_ok=True)
    shutil.move(os.path.join(root + "-gen", "pages"), os.path.join(root, "content", "runbooks"))
    shutil.rmtree(root + "-gen")


class Server:
    """One running server; `page_url(slug)` and `source(slug)` say where a page is."""

    def __init__(self, name, args, port, content, url_of):
        self.name, self.port, self.content, self.url_of = name, port, content, url_of
        self.started = time.monotonic()
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)

    def url(self, slug):
        return f"http://127.0.0.1:{self.port}{self.url_of(slug)}"

    def source(self, slug):
        return os.path.join(self.content, slug + ".md")

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait()


def edit_body(path, token):
    with open(path) as f:
        text = f.read()
    head, sep, rest = text.partition("\n---\n")
    # The first paragraph after the front matter gets the token.
    rest = rest.replace("\n\n", f"\n\n{token} ", 1)
    with open(path, "w") as f:
        f.write(head + sep + rest)


def edit_title(path, title):
    with open(path) as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("title:"):
            lines[i] = f'title: "{title}"'
            break
    with open(path, "w") as f:
        f.write("\n".join(lines))


def timed(server, action, url, ok):
    """Seconds until the change is served, or None when it is not seen within 30 s
    (`hugo server` keeps serving a deleted page from memory)."""
    action()
    try:
        return wait_until(url, ok, timeout=30)
    except RuntimeError:
        return None


def run_size(n, opsbook, work, memory_edits):
    print(f"\n## {n} pages\n", flush=True)
    ops_root = os.path.join(work, f"ops-{n}")
    hugo_root = os.path.join(work, f"hugo-{n}")
    opsbook_site(n, ops_root)
    generate(n, "hugo", hugo_root)
    slugs = sorted(f[:-3] for f in os.listdir(os.path.join(ops_root, "content", "runbooks")))

    # A --no-pdf build of the same site: the yardstick of the first page's wait.
    start = time.monotonic()
    subprocess.run([opsbook, "build", "--no-pdf", "--root", ops_root, "--out",
                    os.path.join(work, f"nopdf-{n}")], check=True, stderr=subprocess.DEVNULL)
    no_pdf_build = time.monotonic() - start

    ops_port, hugo_port = free_port(), free_port()
    ops = Server("opsbook", [opsbook, "serve", "--root", ops_root, "--port", str(ops_port)],
                 ops_port, os.path.join(ops_root, "content", "runbooks"),
                 lambda s: f"/runbooks/{s}/")
    try:
        first_ops = wait_until(ops.url(slugs[0]), lambda st, b: st == 200)
        hugo = Server("hugo", ["hugo", "server", "-s", hugo_root, "--port", str(hugo_port),
                               "--bind", "127.0.0.1", "--disableFastRender=false"],
                      hugo_port, os.path.join(hugo_root, "content", "runbooks"),
                      lambda s: f"/runbooks/{s}/")
        first_hugo = wait_until(hugo.url(slugs[0]), lambda st, b: st == 200)
        time.sleep(1)
        rss_first = rss_mb(ops.proc.pid)
        print(f"first page: opsbook serve {first_ops:.2f} s (build --no-pdf {no_pdf_build:.2f} s, "
              f"ratio {first_ops / no_pdf_build:.2f}); hugo server {first_hugo:.2f} s", flush=True)

        times = {(s.name, k): [] for s in (ops, hugo) for k in ("body", "title", "new", "delete")}
        plan = [("body", i) for i in range(20)] + [("title", i) for i in range(5)] + \
               [("new", i) for i in range(2)] + [("delete", i) for i in range(2)]
        for kind, i in plan:
            for server in (ops, hugo):
                slug = slugs[(7 * i + 3) % len(slugs)]
                if kind == "body":
                    token = f"edit{server.name}{i}x{time.monotonic_ns()}"
                    t = timed(server, lambda: edit_body(server.source(slug), token), server.url(slug),
                              lambda st, b, token=token: token in b)
                elif kind == "title":
                    title = f"Retitled {server.name} {i} {time.monotonic_ns()}"
                    t = timed(server, lambda: edit_title(server.source(slug), title), server.url(slug),
                              lambda st, b, title=title: title in b)
                elif kind == "new":
                    new = f"bench-new-{i}"
                    src = open(server.source(slugs[0])).read()
                    def add(server=server, new=new, src=src):
                        with open(server.source(new), "w") as f:
                            f.write(src)
                    t = timed(server, add, server.url(new), lambda st, b: st == 200)
                else:
                    victim = slugs[-1 - i]
                    t = timed(server, lambda: os.remove(server.source(victim)), server.url(victim),
                              lambda st, b: st == 404)
                print(f"  {server.name} {kind} {i}: " + ("not seen in 30 s" if t is None else f"{t * 1000:.0f} ms"),
                      flush=True)
                if t is not None:
                    times[(server.name, kind)].append(t * 1000)
                if server is ops and kind == "body" and i == 0:
                    time.sleep(1)
                    rss_first_edit = rss_mb(ops.proc.pid)
        print("\n| edit | n | opsbook p50 | opsbook p95 | hugo p50 | hugo p95 |")
        print("|---|---|---|---|---|---|")
        for kind in ("body", "title", "new", "delete"):
            o, h = times[("opsbook", kind)], times[("hugo", kind)]
            print(f"| {kind} | {len(o)} | {pct(o, 50):.0f} ms | {pct(o, 95):.0f} ms | "
                  f"{pct(h, 50):.0f} ms | {pct(h, 95):.0f} ms |", flush=True)

        # Memory after `memory_edits` body edits in all (each waited for). The first
        # rebuild settles what a rebuild holds (the new site beside the served one and
        # the memos), so growth is counted from after the first edit, too.
        for i in range(max(0, memory_edits - 20)):
            slug = slugs[(11 * i) % len(slugs)]
            token = f"mem{i}x{time.monotonic_ns()}"
            edit_body(ops.source(slug), token)
            wait_until(ops.url(slug), lambda st, b, token=token: token in b)
        rss_after = rss_mb(ops.proc.pid)
        print(f"\nopsbook serve RSS: {rss_first:.0f} MB after the first build, "
              f"{rss_first_edit:.0f} MB after the first edit, {rss_after:.0f} MB "
              f"after {max(memory_edits, 20)} edits ({(rss_after / rss_first - 1) * 100:+.0f} % of "
              f"the first build, {(rss_after / rss_first_edit - 1) * 100:+.0f} % of the first edit)",
              flush=True)
    finally:
        ops.stop()
        if "hugo" in locals():
            hugo.stop()
    return ops_root


def pct(values, p):
    if not values:
        return float("nan")  # printed as nan: no edit of this kind was seen
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def builds(opsbook, root, work):
    out = os.path.join(work, "build-out")
    def build(*extra):
        start = time.monotonic()
        r = subprocess.run([opsbook, "build", "--root", root, "--out", out, *extra],
                           stderr=subprocess.PIPE, text=True)
        return time.monotonic() - start, [l for l in r.stderr.splitlines() if "PDFs" in l]
    for d in (out, os.path.join(work, ".build-out.opsbook-pdf-cache"),
              os.path.join(work, ".build-out.opsbook-staging")):
        shutil.rmtree(d, ignore_errors=True)
    cold, cold_note = build()
    page = os.path.join(root, "content", "runbooks", sorted(os.listdir(os.path.join(root, "content", "runbooks")))[5])
    edit_body(page, f"changed{time.monotonic_ns()}")
    one, one_note = build()
    edit_body(page, f"changed{time.monotonic_ns()}")
    no_pdf, _ = build("--no-pdf")
    print(f"\nbuild with PDFs, cold: {cold:.2f} s {cold_note}")
    print(f"build with PDFs after one runbook changed: {one:.2f} s {one_note}")
    print(f"build without PDFs after one runbook changed: {no_pdf:.2f} s "
          f"(ratio {one / no_pdf:.2f})")


def main():
    global GEN
    parser = argparse.ArgumentParser()
    parser.add_argument("--opsbook", required=True)
    parser.add_argument("--pages", type=int, nargs="+", default=[1000])
    parser.add_argument("--work", default=None)
    parser.add_argument("--memory-edits", type=int, default=200)
    parser.add_argument("--gen", default=GEN, help="path of gen_corpus.py")
    parser.add_argument("--no-builds", action="store_true",
                        help="skip the `build` timings (PDFs cold and after one change)")
    args = parser.parse_args()
    GEN = args.gen
    opsbook = os.path.abspath(args.opsbook)
    work = args.work or tempfile.mkdtemp(prefix="opsbook-serve-bench-")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    roots = {n: run_size(n, opsbook, work, args.memory_edits) for n in args.pages}
    if 1000 in roots and not args.no_builds:
        builds(opsbook, roots[1000], work)
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
