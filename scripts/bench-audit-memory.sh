#!/usr/bin/env bash
# Generates a ~10 MB SARIF file (the corpus scan repeated with distinct package names, so
# nothing merges) and reports the peak RSS of `dump-model` (load) and `build` on it.
#
#   scripts/bench-audit-memory.sh ../shared/corpus/audits/nginx-trivy.sarif.json
set -euo pipefail
sarif=${1:?usage: scripts/bench-audit-memory.sh SARIF_FILE}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPSBOOK_BIN:-$here/target/release/opsbook}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/content/audits"
printf '# Memory benchmark\n' > "$work/content/index.md"
python3 - "$sarif" "$work/content/audits/big.sarif.json" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
base, results, copy = run["results"], [], 0
while True:
    for result in base:
        grown = dict(result)
        text = result["message"]["text"].replace("Package: ", f"Package: p{copy}-")
        grown["message"] = {"text": text}
        results.append(grown)
    copy += 1
    run["results"] = results
    if copy % 20 == 0:
        text = json.dumps(log, indent=1)
        if len(text) > 10_000_000:
            break
open(sys.argv[2], "w").write(text)
PY
size_kb=$(( $(stat -c %s "$work/content/audits/big.sarif.json") / 1024 ))
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}'; }
load_kb=$(peak "$bin" dump-model --root "$work")
build_kb=$(peak "$bin" build --root "$work")
echo "SARIF size: ${size_kb} KiB"
echo "peak RSS, dump-model (load): ${load_kb} KiB ($(( load_kb * 10 / size_kb )) tenths of the file size)"
echo "peak RSS, build (load + render + write): ${build_kb} KiB ($(( build_kb * 10 / size_kb )) tenths of the file size)"
