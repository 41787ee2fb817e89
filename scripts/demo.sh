#!/usr/bin/env bash
# demo.sh: the main job on a generated, province-sized nation.
#
#   1. xueji gen              a population extract, a registry, a monthly batch
#                             and the truth behind the batch
#   2. xueji load-population  bulk-build the population part of the index
#   3. xueji import           bulk-build the registry part
#   4. xueji check --commit   the monthly check: duplicate check, population
#                             comparison, G/J numbers, committed once; the
#                             conflict review report (HTML) and conflicts CSV
#   5. xueji bench quality    the decisions against the truth
#
# Sizes: DEMO_POPULATION, DEMO_REGISTRY, DEMO_BATCH (environment).
set -euo pipefail
cd "$(dirname "$0")/.."
XUEJI=${XUEJI:-build/xueji}
out=${DEMO_DIR:-demo-data}
pop=${DEMO_POPULATION:-2000000}
reg=${DEMO_REGISTRY:-1000000}
batch=${DEMO_BATCH:-100000}
db="$out/xueji.db"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

echo "== xueji $($XUEJI --version | cut -d' ' -f2): demo nation in $out/"
rm -rf "$out"
t=$(now)
$XUEJI gen --out "$out" --population "$pop" --registry "$reg" --batch "$batch" --seed 20261122
echo "   generated $pop persons, $reg registered students, a batch of $batch rows in $(since "$t") s"

t=$(now)
$XUEJI load-population --db "$db" "$out/population.csv"
$XUEJI import --db "$db" "$out/registry.csv"
echo "   index built in $(since "$t") s ($(du -sh "$db" | cut -f1) on disk)"

echo "== monthly batch check (--commit)"
$XUEJI check --db "$db" "$out/batch.csv" --out "$out/results.csv" --commit \
    --report "$out/review.html" --conflicts "$out/conflicts.csv"
echo "== running the same batch again commits nothing twice:"
$XUEJI check --db "$db" "$out/batch.csv" --out "$out/results-again.csv" --commit 2>&1 |
    grep -E "committed|rows in"
if cmp -s <(cut -d, -f1-4 "$out/results.csv") <(cut -d, -f1-4 "$out/results-again.csv"); then
    echo "   same decisions, same numbers"
else
    echo "   the re-run reported other decisions or numbers" >&2
    exit 1
fi

echo "== decisions against the generator's truth (xueji bench quality):"
$XUEJI bench quality --results "$out/results.csv" --truth "$out/truth.csv" |
    python3 -c 'import json,sys; q=json.load(sys.stdin)
print("   rows %d  accuracy %.3f%%  false merges %.4f%%  duplicate recall %.3f%%  review rate %.3f%%"
      % (q["rows"], 100*q["accuracy"], 100*q["false_merge_rate"], 100*q["duplicate_recall"], 100*q["review_rate"]))' ||
    $XUEJI bench quality --results "$out/results.csv" --truth "$out/truth.csv"
echo "== first results rows (ID digits masked here as in reports; the file holds the numbers):"
head -6 "$out/results.csv" | sed -E 's/([0-9]{6})[0-9]{8}([0-9]{3}[0-9X])/\1********\2/g'
echo "== demo finished: results in $out/results.csv"
echo "   review report (open in a browser): $out/review.html"
echo "   conflicts for other tools: $out/conflicts.csv"
