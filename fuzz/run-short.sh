#!/usr/bin/env bash
# Fuzzes every reader for a short while (CI) or a long one (by hand): builds the targets
# with cargo-fuzz on nightly, seeds each target's corpus from the small inputs under
# tests/fixtures and content/, and runs libFuzzer on each for FUZZ_SECONDS (default 25).
# A crash, panic, hang (FUZZ_TIMEOUT, default 10 s per input) or out-of-memory stops the
# run with the reproducer in fuzz/artifacts/<target>/; the exit code is libFuzzer's.
#
#   fuzz/run-short.sh [TARGET...]                 # every target, 25 s each
#   FUZZ_SECONDS=1800 fuzz/run-short.sh plan      # a long run of one target
#
# Without a nightly toolchain it says so and exits 0 (cargo-fuzz needs nightly for the
# sanitizer and coverage flags); cargo-fuzz itself is installed when missing.
set -euo pipefail
fuzz=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$fuzz/.." && pwd)
seconds=${FUZZ_SECONDS:-25}
timeout=${FUZZ_TIMEOUT:-10}

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz: no nightly toolchain (rustup toolchain install nightly); skipped"
  exit 0
fi
if ! cargo +nightly fuzz --version > /dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi

cd "$repo"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
cargo +nightly fuzz build 2>&1 | grep -E '^(error|warning: unused)|Finished' || true

# Seeds: the repository's own small inputs of each kind.
seeds_for() {
  case "$1" in
    front_matter) find tests/fixtures content -name '*.md' ;;
    plan) find tests/fixtures content -path '*plans/*.md' ;;
    runbook) find tests/fixtures content -path '*runbooks/*.md' ;;
    mermaid) find tests/fixtures -name '*.mmd' ;;
    sarif) grep -rlZ --include='*.sarif' --include='*.json' '"runs"' tests/fixtures | tr '\0' '\n' ;;
    trivy) grep -rlZ --include='*.json' '"SchemaVersion"' tests/fixtures | tr '\0' '\n' ;;
    npm_audit) grep -rlZ --include='*.json' '"auditReportVersion"' tests/fixtures | tr '\0' '\n' ;;
    tracker) find tests/fixtures -name '*.jsonl' ;;
    config) find tests/fixtures -name 'opsbook.toml' ;;
    vex) grep -rlZ --include='*.json' '"@context"' tests/fixtures content | tr '\0' '\n' ;;
    alert_rules) grep -rlZE --include='*.yaml' --include='*.yml' '^[[:space:]-]*groups:' tests/fixtures content | tr '\0' '\n' ;;
  esac
}
dict_for() {
  case "$1" in
    front_matter|plan|runbook) echo "$fuzz/dict/markdown.dict" ;;
    mermaid) echo "$fuzz/dict/mermaid.dict" ;;
    sarif|trivy|npm_audit|tracker) echo "$fuzz/dict/json.dict" ;;
    config) echo "$fuzz/dict/toml.dict" ;;
    vex) echo "$fuzz/dict/openvex.dict" ;;
    alert_rules) echo "$fuzz/dict/prometheus-rules.dict" ;;
  esac
}

for target in "${targets[@]}"; do
  corpus="$fuzz/corpus/$target"
  mkdir -p "$corpus"
  seeds_for "$target" | while IFS= read -r file; do
    # Seeds are named by content, so running twice adds nothing.
    cp "$file" "$corpus/seed-$(sha1sum < "$file" | cut -c1-16)"
  done
  echo "== fuzz $target: ${seconds}s, $(find "$corpus" -type f | wc -l) inputs in the corpus"
  mkdir -p "$fuzz/artifacts"
  log="$fuzz/artifacts/$target.log"
  status=0
  cargo +nightly fuzz run "$target" "$corpus" -- \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -max_len=65536 \
    -dict="$(dict_for "$target")" -print_final_stats=1 > "$log" 2>&1 || status=$?
  # The last status line (executions, cov, ft, corpus) and the final statistics.
  grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 || true
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|slowest_unit_time_sec|peak_rss_mb)' "$log" | tr '\n' ' ' || true
  echo
  if [ "$status" -ne 0 ]; then
    grep -E 'panicked|ERROR|SUMMARY|Test unit written|timeout|out-of-memory' "$log" | head -20
    echo "fuzz $target: FAILED (log $log, reproducer in fuzz/artifacts/$target/)"
    exit 1
  fi
done
