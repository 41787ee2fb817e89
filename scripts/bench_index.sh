#!/usr/bin/env bash
# bench_index.sh: the bulk-build benchmark of the README's index table.
#
#   scripts/bench_index.sh ROWS [WORKDIR] [XUEJI]
#
# Generates a registry of ROWS rows with `xueji gen --only registry`, then
# runs `xueji import` on it into a fresh index under /usr/bin/time -v and
# prints one line: rows, seconds, records/s, bytes on disk per record, peak
# RSS.  WORKDIR (default /work/tmp-bench/idx-ROWS) holds the CSV and the
# index and is deleted afterwards unless KEEP=1.  With PIPE=1 the generator
# is piped straight into `xueji import -` (no CSV on disk: for sizes whose
# CSV would not fit; the generator then shares the cores and the time).
set -euo pipefail
rows=${1:?usage: bench_index.sh ROWS [WORKDIR] [XUEJI]}
work=${2:-/work/tmp-bench/idx-$rows}
xueji=${3:-$(dirname "$0")/../build/xueji}
threads=${THREADS:-$(nproc)}
memory=${MEMORY:-1024}

rm -rf "$work"
mkdir -p "$work"
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT

gen() {
    "$xueji" gen --out "$1" --only registry --registry "$rows" --population $((rows + 1)) \
        --batch 1 --other-header en --seed "${SEED:-1}"
}

if [ "${PIPE:-0}" = 1 ]; then
    input=-
else
    gen "$work" >/dev/null
    # The generator's 1.5 GB (at 10M) would otherwise still be written back
    # to disk during the import, which then shares the disk with it.
    sync
    input="$work/registry.csv"
fi

set +e
if [ "$input" = - ]; then
    gen - | /usr/bin/time -v -o "$work/time.txt" "$xueji" import --db "$work/db" \
        --threads "$threads" --memory "$memory" --rejects "$work/rejects.csv" - 2>"$work/err.txt"
else
    /usr/bin/time -v -o "$work/time.txt" "$xueji" import --db "$work/db" --threads "$threads" \
        --memory "$memory" --rejects "$work/rejects.csv" "$input" 2>"$work/err.txt"
fi
status=$?
set -e
cat "$work/err.txt" >&2
[ $status = 0 ] || { echo "bench_index: xueji import exited $status" >&2; exit $status; }

secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0;
         for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$work/time.txt")
bytes=$(du -sb "$work/db" | cut -f1)
awk -v r="$rows" -v s="$secs" -v b="$bytes" -v m="$rss" -v c="$cpu" 'BEGIN {
    printf "rows %d  seconds %.1f  records/s %.0f  bytes/record %.1f  peak RSS %.0f MB  CPU %s\n",
        r, s, r / s, b / r, m / 1024, c }'
