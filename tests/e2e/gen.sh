#!/usr/bin/env bash
# gen.sh: `xueji gen` end to end: the four files with their headers and row
# counts, byte-identical reruns (also across thread counts), a GB18030 run
# that iconv turns back into the UTF-8 bytes, a pipe to stdout, and exit
# code 1 for bad flags and sizes that do not fit.
source "$(dirname "$0")/lib.sh"

SIZES=(--population 6000 --registry 3000 --batch 1000 --seed 7)

expect_exit 0 "$XUEJI" gen --out "$T/a" "${SIZES[@]}"
for f in population registry batch truth; do
    [[ -s "$T/a/$f.csv" ]] || fail "$f.csv missing or empty"
done
pass

rows() { echo $(($(wc -l <"$1") - 1)); }
[[ $(rows "$T/a/population.csv") -eq 6000 ]] || fail "population rows: $(rows "$T/a/population.csv")"
[[ $(rows "$T/a/registry.csv") -eq 3000 ]] || fail "registry rows"
[[ $(rows "$T/a/batch.csv") -eq 1000 ]] || fail "batch rows"
[[ $(rows "$T/a/truth.csv") -eq 1000 ]] || fail "truth rows"
pass

[[ $(head -1 "$T/a/population.csv") == "id_number,name,gender,birth_date,ethnicity,hukou_region,status,former_names" ]] ||
    fail "population header: $(head -1 "$T/a/population.csv")"
[[ $(head -1 "$T/a/registry.csv") == "student_number,name,gender,birth_date,id_type,id_number,ethnicity,hukou_region,school_code,school_region,grade,guardian_name,guardian_id,status" ]] ||
    fail "registry header"
[[ $(head -1 "$T/a/batch.csv") == "记录号,姓名,性别,出生日期,身份证件类型,身份证件号,民族,户口所在地,学校标识码,学校所在地,年级,监护人姓名,监护人身份证件号" ]] ||
    fail "batch header: $(head -1 "$T/a/batch.csv")"
[[ $(head -1 "$T/a/truth.csv") == "record_id,expected_decision,expected_match,category" ]] || fail "truth header"
pass

# Every row of truth.csv names a batch row, in order.
diff <(cut -d, -f1 "$T/a/batch.csv" | tail -n +2) <(cut -d, -f1 "$T/a/truth.csv" | tail -n +2) >/dev/null ||
    fail "truth record_ids are not the batch's"
pass

# Same options, other thread count: the same bytes.
expect_exit 0 "$XUEJI" gen --out "$T/b" "${SIZES[@]}" --threads 1
expect_exit 0 "$XUEJI" gen --out "$T/c" "${SIZES[@]}" --threads 2 --chunk-rows 333
for f in population registry batch truth; do
    cmp -s "$T/a/$f.csv" "$T/b/$f.csv" || fail "$f.csv differs between runs"
    cmp -s "$T/a/$f.csv" "$T/c/$f.csv" || fail "$f.csv differs with 2 threads and small chunks"
done
pass

# Another seed, other data.
expect_exit 0 "$XUEJI" gen --out "$T/d" "${SIZES[@]}" --seed 8
cmp -s "$T/a/population.csv" "$T/d/population.csv" && fail "--seed has no effect"
pass

# GB18030: converting back gives the UTF-8 bytes exactly.
expect_exit 0 "$XUEJI" gen --out "$T/g" "${SIZES[@]}" --encoding gb18030
for f in population registry batch truth; do
    iconv -f GB18030 -t UTF-8 "$T/g/$f.csv" >"$T/g/$f.utf8"
    cmp -s "$T/a/$f.csv" "$T/g/$f.utf8" || fail "$f.csv: GB18030 round trip differs"
done
cmp -s "$T/a/batch.csv" "$T/g/batch.csv" && fail "--encoding gb18030 wrote UTF-8"
pass

# One file to stdout, for a pipe into a loader.
expect_exit 0 "$XUEJI" gen --out - --only population "${SIZES[@]}"
cmp -s "$T/out" "$T/a/population.csv" || fail "--out - --only population differs from the file"
pass

# English batch header on request.
expect_exit 0 "$XUEJI" gen --out "$T/e" "${SIZES[@]}" --header en --only batch
[[ $(head -1 "$T/e/batch.csv") == record_id,name,gender,* ]] || fail "--header en"
[[ ! -e "$T/e/population.csv" ]] || fail "--only batch wrote other files"
pass

# Every decision of the results contract at the default rates.
for d in ASSIGNED_G ASSIGNED_J DUPLICATE REVIEW POP_MISMATCH INVALID BATCH_DUPLICATE; do
    grep -q ",$d," "$T/a/truth.csv" || fail "no $d in truth.csv"
done
pass

# Usage errors: exit 1 with a message.
expect_exit 1 "$XUEJI" gen --out "$T/x" --no-such-flag 1
grep -q "unknown option" "$T/err" || fail "message for an unknown flag"
expect_exit 1 "$XUEJI" gen --out "$T/x" --dup-rate 2
expect_exit 1 "$XUEJI" gen --out "$T/x" --population abc
expect_exit 1 "$XUEJI" gen --population 100
grep -q -- "--out" "$T/err" || fail "message for a missing --out"
expect_exit 1 "$XUEJI" gen --out "$T/x" --population 100 --registry 80 --batch 30
grep -q "population" "$T/err" || fail "message for a population too small"
expect_exit 1 "$XUEJI" gen --out - --population 100
expect_exit 0 "$XUEJI" gen --help
grep -q "dup-rate" "$T/out" || fail "--help lists no rate knobs"

done_tests
