#!/usr/bin/env bash
# bench_small.sh: the benchmark's small tier (scripts/bench.sh small) as a CI
# test.  It asserts what the engine issue promises about quality on the
# tier's generated data: false merges at most 0.01 %, duplicate recall at
# least 99.9 %, review at most 1 %, accuracy at least 99.5 %; and that the
# peer ran on the same files and was scored.  Speed figures are written and
# never asserted.
source "$(dirname "$0")/lib.sh"
: "${XJ_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"

XUEJI="$XUEJI" BENCH_OUT="$T/results" BENCH_WORK="$T/work" \
    expect_exit 0 bash "$XJ_SRC/scripts/bench.sh" small
[[ -s "$T/results/small.json" && -s "$T/results/small.md" ]] || fail "no results files"

python3 - "$T/results/small.json" <<'PY' || fail "small tier: $(cat "$T/out" | tail -40)"
import json, sys
j = json.load(open(sys.argv[1]))
q = j["quality"]
assert q["false_merge_rate"] <= 0.0001, ("false merges", q)
assert q["duplicate_recall"] >= 0.999, ("duplicate recall", q)
assert q["review_rate"] <= 0.01, ("review rate", q)
assert q["accuracy"] >= 0.995, ("accuracy", q)
assert q["meets_targets"] is True, q
for k in ("check_rows_per_sec", "registry_rows_per_sec", "population_rows_per_sec", "names_per_sec"):
    assert j[k] > 0, k
p = j["peer"]
assert p["status"] == "ran", p
assert 0 <= p["quality"]["accuracy"] <= 1 and p["rows_per_sec"] > 0, p
assert j["speed_ratio_check"] > 0, j
PY
pass
done_tests
