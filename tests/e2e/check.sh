#!/usr/bin/env bash
# check.sh: the monthly batch check end to end on a generated nation, with the
# real binary: one result row per input row in input order, byte-identical
# results for 1 and 2 threads, the same answer for a batch read as GB18030,
# --commit once per batch, numbers never given twice, exit codes, and the
# match quality against the generator's truth.
source "$(dirname "$0")/lib.sh"
D="$T/data"
DB="$T/db"

expect_exit 0 "$XUEJI" gen --out "$D" --population 60000 --registry 30000 --batch 6000 --seed 7
expect_exit 0 "$XUEJI" load-population --db "$DB" "$D/population.csv"
expect_exit 0 "$XUEJI" import --db "$DB" "$D/registry.csv"

# Judging: 1 and 2 threads give the same bytes.
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/r1.csv" --threads 1
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/r2.csv" --threads 2
cmp -s "$T/r1.csv" "$T/r2.csv" || fail "results differ between 1 and 2 threads"
pass

# One row per input row, in input order, with the contract's header.
head -1 "$T/r1.csv" | grep -qx 'record_id,decision,student_number,matched_student_number,score,reasons' ||
    fail "results header: $(head -1 "$T/r1.csv")"
python3 - "$D/batch.csv" "$T/r1.csv" <<'PY' || fail "results rows do not follow the input rows"
import csv, sys
def ids(path, col):
    with open(path, newline='', encoding='utf-8-sig') as f:
        r = csv.reader(f)
        h = next(r)
        i = h.index(col) if col in h else h.index('记录号')
        return [row[i] for row in r]
a, b = ids(sys.argv[1], 'record_id'), ids(sys.argv[2], 'record_id')
assert a == b, (len(a), len(b))
PY
pass

# Every number has the contract's form; no number is given to two rows
# unless the later row is a BATCH_DUPLICATE holding its earlier row's number.
python3 - "$T/r1.csv" <<'PY' || fail "student numbers"
import csv, re, sys
seen = {}
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def check(n):
    s = sum(int(c) * w for c, w in zip(n[1:18], W)) % 11
    return '10X98765432'[s] == n[18]
with open(sys.argv[1], newline='') as f:
    for row in csv.DictReader(f):
        n, d = row['student_number'], row['decision']
        if d == 'INVALID':
            assert n == '', row
            continue
        if not n:
            continue
        assert re.fullmatch(r'[GJL][0-9]{17}[0-9X]', n), row
        if n[0] in 'GJ':
            assert check(n), row
        if d == 'ASSIGNED_G': assert n[0] == 'G', row
        if d == 'ASSIGNED_J': assert n[0] == 'J', row
        if n in seen and d != 'BATCH_DUPLICATE':
            raise SystemExit(f'{n} given twice: {seen[n]} and {row["record_id"]}')
        seen.setdefault(n, row['record_id'])
PY
pass

# Quality against the truth: the engine issue's targets.
expect_exit 0 "$XUEJI" bench quality --results "$T/r1.csv" --truth "$D/truth.csv" --check
cat "$T/out" >&2

# GB18030 input gives the same results.
iconv -f UTF-8 -t GB18030 "$D/batch.csv" >"$T/batch-gb.csv"
expect_exit 0 "$XUEJI" check --db "$DB" "$T/batch-gb.csv" --encoding gb18030 --out "$T/r3.csv"
cmp -s "$T/r1.csv" "$T/r3.csv" || fail "GB18030 input judged differently"
pass

# --commit writes once; the same batch again commits nothing and reports the
# same numbers; a fresh check then finds the committed children as duplicates.
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/c1.csv" --commit
grep -q "committed" "$T/err" || fail "no commit summary"
cmp -s "$T/r1.csv" "$T/c1.csv" || fail "committing changed the decisions or numbers"
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/c2.csv" --commit
grep -q "committed before" "$T/err" || fail "second commit not recognised"
# Scores may move (the committed children now count in the name
# frequencies); decisions, numbers and matches may not.
cut -d, -f1-4 "$T/c1.csv" >"$T/c1.cut"
cut -d, -f1-4 "$T/c2.csv" >"$T/c2.cut"
cmp -s "$T/c1.cut" "$T/c2.cut" || fail "the re-run reports other decisions or numbers"
awk -F, 'NR > 1 && $2 == "ASSIGNED_G"' "$T/c1.csv" | wc -l >"$T/assigned"
[[ $(cat "$T/assigned") -gt 0 ]] || fail "no ASSIGNED_G rows in the batch"
cp "$D/batch.csv" "$T/batch-again.csv"
echo >>"$T/batch-again.csv" # another fingerprint, the same rows
expect_exit 0 "$XUEJI" check --db "$DB" "$T/batch-again.csv" --out "$T/c3.csv"
python3 - "$T/c1.csv" "$T/c3.csv" <<'PY' || fail "committed children are not found again"
import csv, sys
first = {r['record_id']: r for r in csv.DictReader(open(sys.argv[1], newline=''))}
again = {r['record_id']: r for r in csv.DictReader(open(sys.argv[2], newline=''))}
for rid, r in first.items():
    if r['decision'] in ('ASSIGNED_G', 'ASSIGNED_J'):
        a = again[rid]
        assert a['decision'] in ('DUPLICATE', 'BATCH_DUPLICATE'), (rid, a['decision'])
        if a['decision'] == 'DUPLICATE':
            assert a['matched_student_number'] == r['student_number'], (rid, a)
PY
pass

# Exit codes: usage 1, unreadable input 2, missing index 3.
expect_exit 1 "$XUEJI" check --db "$DB" "$D/batch.csv"
expect_exit 2 "$XUEJI" check --db "$DB" "$T/no-such.csv" --out "$T/x.csv"
printf 'name,gender\n张三,男\n' >"$T/nohdr.csv"
expect_exit 2 "$XUEJI" check --db "$DB" "$T/nohdr.csv" --out "$T/x.csv"
grep -q "record_id" "$T/err" || fail "missing-column message does not name the column"
[[ ! -e "$T/x.csv" ]] || fail "a results file was left behind for a failed check"
expect_exit 3 "$XUEJI" check --db "$T/no-db" "$D/batch.csv" --out "$T/x.csv"
done_tests
