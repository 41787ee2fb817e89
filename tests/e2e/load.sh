#!/usr/bin/env bash
# load.sh: `xueji load-population` and `xueji import` end to end: summaries,
# the rejects file (row, line, field, reason; no ID numbers), idempotent
# reloads, GB18030 input, stdin, and the exit codes of unreadable input.
source "$(dirname "$0")/lib.sh"
D="$T/data"
DB="$T/db"
expect_exit 0 "$XUEJI" gen --out "$D" --population 20000 --registry 10000 --batch 500 --seed 5

expect_exit 0 "$XUEJI" load-population --db "$DB" "$D/population.csv"
grep -q "20000 rows, 20000 loaded, 0 rejected" "$T/err" || fail "population summary: $(cat "$T/err")"

# A registry with three broken rows appended: each is rejected with its field.
cp "$D/registry.csv" "$T/reg.csv"
{
    echo 'G110105194912310021,甲,男,1949-12-31,,,,,1110105001,110105,,,,'
    echo 'L320102201309080042,乙,男,2013-02-30,,,,,1320102001,320102,,,,'
    echo 'L320102201309080043,,男,2013-09-08,,,,,1320102001,320102,,,,'
} >>"$T/reg.csv"
expect_exit 0 "$XUEJI" import --db "$DB" "$T/reg.csv" --rejects "$T/rej.csv"
grep -q "10003 rows, 10000 loaded, 3 rejected" "$T/err" || fail "import summary: $(cat "$T/err")"
head -1 "$T/rej.csv" | grep -qx 'row,line,field,reason' || fail "rejects header"
grep -q '^10001,10002,student_number,' "$T/rej.csv" || fail "bad number row: $(cat "$T/rej.csv")"
grep -q '^10002,10003,birth_date,' "$T/rej.csv" || fail "bad date row"
grep -q '^10003,10004,name,missing' "$T/rej.csv" || fail "missing name row"
grep -qE '[0-9]{17}[0-9X]' "$T/rej.csv" && fail "an ID number in the rejects file"
pass

grep -q "^10002,10003,birth_date,\"birth_date '2013-02-30' is not a date" "$T/rej.csv" ||
    fail "the date reason quotes the value: $(cat "$T/rej.csv")"

# One thread or several, a spill folder of one's own: the same rows, lines and
# rejects, and no spill file left behind.
mkdir -p "$T/spill"
expect_exit 0 "$XUEJI" import --db "$T/db-t1" --threads 1 "$T/reg.csv" --rejects "$T/rej-t1.csv"
expect_exit 0 "$XUEJI" import --db "$T/db-t3" --threads 3 --memory 16 --tmp-dir "$T/spill" \
    "$T/reg.csv" --rejects "$T/rej-t3.csv"
cmp -s "$T/rej-t1.csv" "$T/rej.csv" || fail "one thread rejects differently"
cmp -s "$T/rej-t3.csv" "$T/rej.csv" || fail "three threads reject differently"
[ -z "$(ls -A "$T/spill")" ] || fail "spill files left behind: $(ls "$T/spill")"
pass

# Reloading the same file leaves the same index: a check gives the same bytes.
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/r1.csv"
expect_exit 0 "$XUEJI" import --db "$DB" "$T/reg.csv" --rejects "$T/rej2.csv"
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/r2.csv"
cmp -s "$T/r1.csv" "$T/r2.csv" || fail "a second import changed the decisions"
pass

# GB18030 input through stdin loads the same rows.
iconv -f UTF-8 -t GB18030 "$D/population.csv" >"$T/pop-gb.csv"
expect_exit 0 "$XUEJI" load-population --db "$T/db-gb" --encoding gb18030 - <"$T/pop-gb.csv"
grep -q "20000 rows, 20000 loaded, 0 rejected" "$T/err" || fail "GB18030 summary"

# Unreadable input: exit 2, nothing loaded.
expect_exit 2 "$XUEJI" import --db "$T/db2" "$T/none.csv"
printf 'name,gender\n张三,男\n' >"$T/nocol.csv"
expect_exit 2 "$XUEJI" import --db "$T/db2" "$T/nocol.csv"
grep -q "student_number" "$T/err" || fail "the missing column is not named"
expect_exit 2 "$XUEJI" load-population --db "$T/db2" "$T/pop-gb.csv"
grep -qi "gb18030" "$T/err" || fail "a GB18030 file read as UTF-8 should say so"
expect_exit 1 "$XUEJI" import --db "$T/db2"
done_tests
