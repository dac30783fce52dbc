#!/usr/bin/env bash
# serve's live heap over a sequence of edits, with valgrind's massif (issue 14). Not a
# timed test. OPSBOOK must be built with the system allocator, which massif can see:
#
#   cargo build --release --features system-allocator && cp target/release/opsbook /tmp/ob-sys
#   bench/serve_massif.sh /tmp/ob-sys SITE
#
# SITE holds runbooks under content/runbooks/ (bench/serve_bench.py's corpus) and is
# copied, not edited. The edits: one body edit, three title changes, two body edits,
# each given time to settle under valgrind. Prints the live heap after the first build
# and after each edit, and leaves massif's file for `ms_print`.
set -euo pipefail
bin=$(realpath "$1")
site=$2
work=$(mktemp -d)
out=$work/massif.out
cp -r "$site" "$work/site"
cd "$work/site"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
launched=$(date +%s%3N)
valgrind --tool=massif --time-unit=ms --detailed-freq=1 --max-snapshots=200 \
  --massif-out-file="$out" "$bin" serve --port "$port" > "$work/serve.log" 2>&1 &
valgrind_pid=$!
until grep -q '^serving' "$work/serve.log"; do sleep 1; done
mapfile -t pages < <(ls content/runbooks/*.md | head -2)
marks=()
mark() { sleep "$1"; marks+=("$(date +%s%3N)"); }
mark 5
sed -i '0,/^## /s//## Edited /' "${pages[0]}"
mark 20
for i in 1 2 3; do
  sed -i "s/^title: .*/title: \"Retitled $i\"/" "${pages[0]}"
  mark 20
done
for i in 1 2; do
  sed -i "0,/^## /s//## Edited $i /" "${pages[1]}"
  mark 10
done
kill -TERM "$valgrind_pid"
wait "$valgrind_pid" || true
python3 - "$out" "$launched" "${marks[@]}" <<'PY'
import sys
path, launched, marks = sys.argv[1], int(sys.argv[2]), [int(m) for m in sys.argv[3:]]
snaps, cur = [], {}
for line in open(path):
    if line.startswith("snapshot="):
        if cur:
            snaps.append(cur)
        cur = {}
    elif line.startswith("time="):
        cur["t"] = int(line.split("=")[1])
    elif line.startswith("mem_heap_B="):
        cur["heap"] = int(line.split("=")[1])
snaps.append(cur)
# massif's clock starts with the process, within milliseconds of the launch; each mark
# was taken after an edit had settled, just before the next one.
labels = ["the first build", "a body edit", "title change 1", "title change 2",
          "title change 3", "a body edit", "a body edit"]
for label, mark in zip(labels, marks):
    at = mark - launched
    # The heap once the rebuild is over: the least of the last seconds before the mark
    # (a rebuild slowed down by valgrind may still be freeing what it used).
    before = [s for s in snaps if s["t"] <= at]
    settled = [s["heap"] for s in before if s["t"] >= at - 3000] or [before[-1]["heap"]]
    print(f"live heap after {label}: {min(settled) / 1e6:.1f} MB")
PY
echo "massif file: $out (ms_print $out)"
