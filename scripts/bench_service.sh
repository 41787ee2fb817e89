#!/usr/bin/env bash
# bench_service.sh: the speed of single-record checks (issue #8).
#
#   scripts/bench_service.sh [--dir DIR] [--registry N] [--population N] [--batch N]
#                            [--seconds S] [--connections C] [--wrk-threads T]
#                            [--server-threads T] [--block-cache MB]
#
# Builds (once; reused when DIR/db exists) a generated nation of N registry
# records, then measures
#   1. in process: `xueji bench single`, xj_engine_judge one record at a time
#      (target: p99 <= 1 ms);
#   2. over HTTP on loopback: `xueji serve` under wrk with bench/wrk_check.lua
#      POSTing the batch rows (target: >= 20,000 checks/s with p99 <= 5 ms),
#      wrk and the server sharing the machine's cores.
# Prints one JSON line per measurement.  Defaults: the issue's 10M-record
# index (DIR = bench/results/service-N, git-ignored; the first build is long), 30 s of
# load, 32 connections, no block cache (the index files are memory-mapped and read
# in place; --block-cache MB adds a RocksDB block cache).
set -euo pipefail
cd "$(dirname "$0")/.."
XUEJI=${XUEJI:-build/xueji}
REGISTRY=10000000
POPULATION=""
BATCH=20000
DIR=""
SECONDS_LOAD=30
CONNECTIONS=32
BLOCK_CACHE=0
WRK_THREADS=1
SERVER_THREADS=$(nproc)

while [[ $# -gt 0 ]]; do
    case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --registry) REGISTRY=$2; shift 2 ;;
    --population) POPULATION=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --seconds) SECONDS_LOAD=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --wrk-threads) WRK_THREADS=$2; shift 2 ;;
    --server-threads) SERVER_THREADS=$2; shift 2 ;;
    --block-cache) BLOCK_CACHE=$2; shift 2 ;;
    -h | --help) sed -n "2,18p" "$0"; exit 0 ;;
    *) echo "bench_service.sh: unknown option $1" >&2; exit 1 ;;
    esac
done
# The population extract holds everyone the registry does and more.
POPULATION=${POPULATION:-$((REGISTRY * 2))}
DIR=${DIR:-bench/results/service-$REGISTRY}
command -v wrk >/dev/null || { echo "bench_service.sh: wrk missing (scripts/deps.sh bench)" >&2; exit 1; }
[[ -x "$XUEJI" ]] || { echo "bench_service.sh: $XUEJI missing (make build)" >&2; exit 1; }

mkdir -p "$DIR"
if [[ ! -d "$DIR/db" ]]; then
    echo "building a nation of $REGISTRY registry records in $DIR (once)" >&2
    if [[ ! -f "$DIR/data/batch.csv" ]]; then
        /usr/bin/time -f '  gen: %e s' "$XUEJI" gen --out "$DIR/data" --population "$POPULATION" \
            --registry "$REGISTRY" --batch "$BATCH" --seed 11
    fi
    rm -rf "$DIR/db.partial"
    /usr/bin/time -f '  load-population: %e s' "$XUEJI" load-population --db "$DIR/db.partial" \
        "$DIR/data/population.csv"
    /usr/bin/time -f '  import: %e s' "$XUEJI" import --db "$DIR/db.partial" \
        "$DIR/data/registry.csv"
    mv "$DIR/db.partial" "$DIR/db"
fi

# The batch rows as request bodies, one JSON object a line, keys as the
# file's header names them (English or Chinese: the service takes both).
python3 - "$DIR/data/batch.csv" "$DIR/bodies.jsonl" <<'PY'
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f, open(sys.argv[2], 'w') as out:
    rd = csv.reader(f)
    header = next(rd)
    for row in rd:
        out.write(json.dumps(dict(zip(header, row)), ensure_ascii=False) + '\n')
PY

cache=()
[[ "$BLOCK_CACHE" -gt 0 ]] && cache=(--block-cache "$BLOCK_CACHE")

# 1. In process.
"$XUEJI" bench single --db "$DIR/db" --batch "$DIR/data/batch.csv" --count "$BATCH" --warmup 1000 \
    "${cache[@]}"

# 2. Over HTTP.
TOKEN="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s * bench\n' "$TOKEN" >"$DIR/tokens"
chmod 600 "$DIR/tokens"
rm -f "$DIR/audit.log"
"$XUEJI" serve --db "$DIR/db" --listen 127.0.0.1:0 --tokens "$DIR/tokens" \
    --audit "$DIR/audit.log" --threads "$SERVER_THREADS" "${cache[@]}" \
    2>"$DIR/serve.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 1 600); do
    PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$DIR/serve.err")
    [[ -n "$PORT" ]] && break
    kill -0 $PID 2>/dev/null || { cat "$DIR/serve.err" >&2; exit 3; }
    sleep 0.1
done
URL="http://127.0.0.1:$PORT/v1/check"
# A short warm-up (caches, connections), then the measured run.
XJ_BODIES="$DIR/bodies.jsonl" XJ_TOKEN="$TOKEN" wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d 5s \
    -s bench/wrk_check.lua "$URL" >/dev/null
XJ_BODIES="$DIR/bodies.jsonl" XJ_TOKEN="$TOKEN" wrk -t "$WRK_THREADS" -c "$CONNECTIONS" \
    -d "${SECONDS_LOAD}s" --latency -s bench/wrk_check.lua "$URL" >"$DIR/wrk.out"
grep '^{"wrk"' "$DIR/wrk.out" |
    sed "s/}\$/,\"connections\":$CONNECTIONS,\"wrk_threads\":$WRK_THREADS,\"server_threads\":$SERVER_THREADS,\"block_cache_mb\":$BLOCK_CACHE,\"cores\":$(nproc)}/"
kill -TERM $PID
wait $PID
trap - EXIT
echo "  audit lines: $(wc -l <"$DIR/audit.log")" >&2
