#!/usr/bin/env bash
# fuzz.sh BUILD_DIR SECONDS: runs each libFuzzer target for SECONDS from a
# scratch copy of its seed corpus (the committed corpus is never written to).
# Any crash, leak or sanitizer report fails the run.
set -euo pipefail
build=$1
seconds=$2
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
for bin in "$build"/tests/fuzz_*; do
    [[ -x "$bin" ]] || continue
    name=$(basename "$bin")
    mkdir -p "$work/$name"
    cp -r "$src/tests/fuzz/corpus/$name/." "$work/$name/" 2>/dev/null || true
    echo "== $name: ${seconds}s"
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/" "$work/$name" 2>"$work/$name.log" || {
        tail -40 "$work/$name.log"
        echo "fuzz: $name failed" >&2
        exit 1
    }
    grep -E "^#[0-9]+.*DONE" "$work/$name.log" | tail -1 || true
    n=$((n + 1))
done
[[ $n -gt 0 ]] || { echo "fuzz: no fuzz targets in $build/tests" >&2; exit 1; }
echo "fuzz: $n targets ran clean"
