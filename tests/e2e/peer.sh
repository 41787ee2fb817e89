#!/usr/bin/env bash
# peer.sh: the benchmark's peer (bench/peer, a Splink-style linkage in DuckDB
# SQL under Node) on a tiny generated nation: it writes the contract's
# results file (one row per batch row, in input order, contract decisions,
# well-formed numbers) that `xueji bench quality` scores like xueji's own.
# Without Node, or without its npm packages and a registry to fetch them
# from, this fails and says so: the benchmark's comparison depends on it.
source "$(dirname "$0")/lib.sh"
: "${XJ_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
PEER="$XJ_SRC/bench/peer"
D="$T/data"

command -v node >/dev/null ||
    fail "node is not installed: the peer needs Node 20 and npm (bash scripts/deps.sh bench)"
if [[ ! -d "$PEER/node_modules" ]]; then
    (cd "$PEER" && npm ci --no-audit --no-fund) >"$T/npm.log" 2>&1 ||
        fail "npm ci in bench/peer failed (no npm registry?): $(tail -5 "$T/npm.log")"
fi
pass

expect_exit 0 "$XUEJI" gen --out "$D" --population 3000 --registry 1500 --batch 400 --seed 3
expect_exit 0 node "$PEER/peer.mjs" --registry "$D/registry.csv" --population "$D/population.csv" \
    --batch "$D/batch.csv" --out "$T/peer.csv" --threads 2
python3 - "$T/out" <<'PY' || fail "the peer's JSON line: $(cat "$T/out")"
import json, sys
j = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
assert j["rows"] == 400, j
assert set(j["seconds"]) >= {"total", "load", "block", "score", "decide"}, j
assert j["rows_per_sec"] > 0, j
PY
pass

# One row per batch row, in input order, with the contract's header, a
# contract decision on every row and numbers of the contract's forms.
python3 - "$D/batch.csv" "$T/peer.csv" <<'PY' || fail "the peer's results file breaks the contract"
import csv, re, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    r = csv.reader(f)
    h = next(r)
    i = h.index('record_id') if 'record_id' in h else h.index('记录号')
    want = [row[i] for row in r]
with open(sys.argv[2], newline='') as f:
    r = csv.reader(f)
    assert next(r) == ['record_id', 'decision', 'student_number', 'matched_student_number', 'score',
                       'reasons']
    rows = list(r)
assert [row[0] for row in rows] == want, 'record_ids differ from the batch, or their order does'
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def check_char(n):
    return '10X98765432'[sum(int(c) * w for c, w in zip(n[1:18], W)) % 11]
decisions = {'ASSIGNED_G', 'ASSIGNED_J', 'DUPLICATE', 'REVIEW', 'POP_MISMATCH', 'BATCH_DUPLICATE',
             'INVALID'}
seen = {}
for rid, d, n, m, score, reasons in rows:
    assert d in decisions, (rid, d)
    if d == 'INVALID':
        assert n == '', (rid, n)
    if d == 'ASSIGNED_G':
        assert re.fullmatch(r'G[0-9]{17}[0-9X]', n) and n[18] == check_char(n), (rid, n)
    if d == 'ASSIGNED_J':
        assert re.fullmatch(r'J[0-9]{17}[0-9X]', n) and n[18] == check_char(n), (rid, n)
    if d in ('DUPLICATE', 'REVIEW'):
        assert re.fullmatch(r'L[0-9]{18}', n), (rid, n)
        assert re.fullmatch(r'[GJL][0-9]{17}[0-9X]', m), (rid, m)
        float(score)
    if d == 'POP_MISMATCH':
        assert re.fullmatch(r'L[0-9]{18}', n), (rid, n)
    if d == 'BATCH_DUPLICATE':
        assert m in seen, (rid, 'matches no earlier row', m)
    assert all(re.fullmatch(r'[A-Z0-9_]+', c) for c in reasons.split(';') if reasons), (rid, reasons)
    if n and d != 'BATCH_DUPLICATE':
        assert n not in seen.values(), (rid, n, 'given twice')
    seen[rid] = n
PY
pass

# Scored the way xueji is: a modest bound, this is a peer, not the engine.
expect_exit 0 "$XUEJI" bench quality --results "$T/peer.csv" --truth "$D/truth.csv"
python3 - "$T/out" <<'PY' || fail "peer quality: $(cat "$T/out")"
import json, sys
q = json.load(open(sys.argv[1]))
assert q["rows"] == 400, q
assert q["accuracy"] >= 0.95, q["accuracy"]
PY
pass
done_tests
