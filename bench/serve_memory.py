#!/usr/bin/env python3
"""Serve's memory (RSS) over a sequence of edits (issue 14). Not a timed test.

Usage: python3 bench/serve_memory.py OPSBOOK SITE SEQUENCE

SITE holds runbooks under content/runbooks/ (the corpus serve_bench.py makes); SEQUENCE
is runs of edits, e.g. b1,t5,b20,n2,d2,b150: b body edits, t title changes, n new
pages, d deletions. Each edit is waited for over HTTP (polled every 5 ms, as
serve_bench.py does); RSS is printed after each run. The site is edited in place.
"""

import os
import signal
import subprocess
import sys
import time

# The same server plumbing as the edit benchmark beside it.
from serve_bench import fetch, free_port, rss_mb


def main():
    opsbook, site, sequence = sys.argv[1:4]
    port = free_port()
    server = subprocess.Popen([os.path.abspath(opsbook), "serve", "--port", str(port)],
                              cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    runbooks = os.path.join(site, "content", "runbooks")
    slugs = sorted(f[:-3] for f in os.listdir(runbooks) if f.endswith(".md"))

    def wait(slug, ok):
        while True:
            status, body = fetch(f"http://127.0.0.1:{port}/runbooks/{slug}/")
            if ok(status, body):
                return
            time.sleep(0.005)

    def source(slug):
        return os.path.join(runbooks, slug + ".md")

    def edit(kind, n):
        slug = slugs[(n * 37) % len(slugs)]
        token = f"edit{n}x{time.monotonic_ns()}"
        if kind == "b":
            with open(source(slug)) as f:
                head, sep, rest = f.read().partition("\n---\n")
            with open(source(slug), "w") as f:
                f.write(head + sep + rest.replace("\n\n", f"\n\n{token} ", 1))
            wait(slug, lambda status, body: token in body)
        elif kind == "t":
            with open(source(slug)) as f:
                lines = f.read().split("\n")
            lines = [f'title: "Retitled {token}"' if line.startswith("title:") else line
                     for line in lines]
            with open(source(slug), "w") as f:
                f.write("\n".join(lines))
            wait(slug, lambda status, body: token in body)
        elif kind == "n":
            new = f"new-{token}"
            with open(source(slugs[0])) as f:
                text = f.read()
            with open(source(new), "w") as f:
                f.write(text)
            wait(new, lambda status, body: status == 200)
        elif kind == "d":
            victim = slugs.pop()
            os.remove(source(victim))
            wait(victim, lambda status, body: status == 404)

    try:
        wait(slugs[0], lambda status, body: status == 200)
        time.sleep(1)
        print(f"after the first build: {rss_mb(server.pid):.0f} MB", flush=True)
        n = 0
        for run in sequence.split(","):
            for _ in range(int(run[1:])):
                n += 1
                edit(run[0], n)
            time.sleep(1)
            print(f"after {run} (edit {n}): {rss_mb(server.pid):.0f} MB", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


if __name__ == "__main__":
    main()
