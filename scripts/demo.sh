#!/usr/bin/env bash
# demo.sh: the main job on generated data, with what this build has.
#
# 1. Generates a demo nation (population, registry, one monthly batch, truth).
# 2. Validates every resident ID of the batch and counts the error codes.
# 3. Normalizes every name of the batch and counts the flags.
# Later issues (index, engine) extend it to load the index and check the batch.
set -euo pipefail
cd "$(dirname "$0")/.."
XUEJI=${XUEJI:-build/xueji}
out=${DEMO_DIR:-demo-data}
pop=${DEMO_POPULATION:-200000}
reg=${DEMO_REGISTRY:-100000}
batch=${DEMO_BATCH:-20000}

echo "== xueji $($XUEJI --version | cut -d' ' -f2): demo in $out/"
start=$(date +%s.%N)
$XUEJI gen --out "$out" --population "$pop" --registry "$reg" --batch "$batch" --seed 20261122
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
echo "== generated $pop population, $reg registry, $batch batch rows in $(elapsed "$start") s"

# The batch header names the columns in Chinese or English; find the ID and
# name columns by header, not by position.
col() { head -1 "$out/batch.csv" | tr -d '\r' | sed 's/^\xEF\xBB\xBF//' | tr ',' '\n' |
    grep -nxE "$1" | cut -d: -f1; }
idcol=$(col 'id_number|身份证件号')
namecol=$(col 'name|姓名')

echo "== resident IDs of the batch (xueji validate-id):"
tail -n +2 "$out/batch.csv" | cut -d, -f"$idcol" | tr -d '"' | grep -v '^$' |
    $XUEJI validate-id | grep -o '"errors":\[[^]]*\]' | sort | uniq -c | sort -rn |
    sed 's/"errors":\[\]/valid/; s/"errors"://' | head -12

echo "== names of the batch (xueji normalize-name), by flag:"
tail -n +2 "$out/batch.csv" | cut -d, -f"$namecol" | tr -d '"' |
    $XUEJI normalize-name | grep -o '"flags":\[[^]]*\]' | sort | uniq -c | sort -rn |
    sed 's/"flags"://' | head -12

echo "== truth: expected decisions of the batch"
tail -n +2 "$out/truth.csv" | cut -d, -f2 | sort | uniq -c | sort -rn
echo "== demo finished: files in $out/"
