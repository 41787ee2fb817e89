#!/usr/bin/env bash
# validate_id.sh: end-to-end test of `xueji validate-id` on the real binary.
# Checks the JSON lines (keys, values, one line per input, from arguments and
# from stdin) and the exit codes: 0 even for invalid IDs, 1 for a bad option.
# Needs $XUEJI (the program) and $XJ_TMP (a scratch directory); python3 reads
# the JSON so that the test does not depend on jq.
set -euo pipefail
: "${XUEJI:?XUEJI must point to the xueji binary}"
: "${XJ_TMP:?XJ_TMP must name a scratch directory}"
dir="$XJ_TMP/validate_id"
rm -rf "$dir"
mkdir -p "$dir"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

[ -x "$XUEJI" ] || fail "no program at $XUEJI"

# Arguments: valid, legacy 15, checksum typo with hints, Excel damage, empty.
"$XUEJI" validate-id --today 20240101 --birth 2008-01-01 --gender 男 \
    11010519491231002X 110105491231002 110105200801071236 1.10105E+17 '' \
    >"$dir/args.out" 2>"$dir/args.err" || fail "exit $? on invalid IDs"
[ -s "$dir/args.err" ] && fail "stderr not empty: $(cat "$dir/args.err")"

# Stdin: one ID a line, CRLF tolerated, an empty line gives ID_EMPTY.
printf '１１０１０５１９４９１２３１００２ｘ\r\n\n110100200801011234\n' |
    "$XUEJI" validate-id --today 20240101 >"$dir/stdin.out" ||
    fail "stdin run exited $?"

python3 - "$dir/args.out" "$dir/stdin.out" <<'PY' || fail "JSON checks"
import json, sys

KEYS = ["input", "valid", "normalized", "errors", "birth_date", "gender",
        "region", "suggestions"]

def load(path):
    rows = []
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            obj = json.loads(line)
            assert list(obj) == KEYS, f"keys {list(obj)}"
            rows.append(obj)
    return rows

a = load(sys.argv[1])
assert len(a) == 5, len(a)
assert a[0] == {"input": "11010519491231002X", "valid": True,
                "normalized": "11010519491231002X", "errors": [],
                "birth_date": "1949-12-31", "gender": "F", "region": "110105",
                "suggestions": []}, a[0]
assert a[1]["valid"] and a[1]["normalized"] == "11010519491231002X", a[1]
assert a[2]["errors"] == ["ID_CHECKSUM"] and not a[2]["valid"], a[2]
assert a[2]["suggestions"][0] == "110105200801011236", a[2]["suggestions"]
assert all(len(s) == 18 for s in a[2]["suggestions"])
assert a[3]["errors"] == ["ID_EXCEL_DAMAGE"] and a[3]["normalized"] is None, a[3]
assert a[3]["birth_date"] is None and a[3]["gender"] is None and a[3]["region"] is None
assert a[4]["errors"] == ["ID_EMPTY"] and a[4]["input"] == "", a[4]

s = load(sys.argv[2])
assert len(s) == 3, len(s)
assert s[0]["valid"] and s[0]["normalized"] == "11010519491231002X", s[0]
assert s[1]["errors"] == ["ID_EMPTY"], s[1]
assert s[2]["errors"] == ["ID_REGION"] and s[2]["region"] == "110100", s[2]
PY

# Usage errors exit 1 and print nothing on stdout.
set +e
"$XUEJI" validate-id --no-such-option 11010519491231002X >"$dir/bad.out" 2>/dev/null
rc=$?
"$XUEJI" validate-id --today 2024-13-45 11010519491231002X >/dev/null 2>&1
rc2=$?
"$XUEJI" validate-id --help >"$dir/help.out"
rc3=$?
set -e
[ "$rc" -eq 1 ] || fail "bad option exited $rc, expected 1"
[ -s "$dir/bad.out" ] && fail "bad option wrote to stdout"
[ "$rc2" -eq 1 ] || fail "bad --today exited $rc2, expected 1"
[ "$rc3" -eq 0 ] || fail "--help exited $rc3"
grep -q 'validate-id' "$dir/help.out" || fail "--help text"

echo "validate_id: all checks passed"
