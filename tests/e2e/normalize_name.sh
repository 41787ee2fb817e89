#!/usr/bin/env bash
# normalize_name.sh: end-to-end test of `xueji normalize-name`, the real
# binary ($XUEJI) on names given as arguments and on stdin, its JSON lines
# parsed by python3; plus --help and the usage error.  Scratch files go to
# $XJ_TMP.
set -euo pipefail

XUEJI=${XUEJI:?set XUEJI to the xueji binary}
TMP=${XJ_TMP:-$(mktemp -d)}/normalize_name
rm -rf "$TMP"
mkdir -p "$TMP"

fail() {
    echo "normalize_name.sh: $*" >&2
    exit 1
}

# Arguments: one JSON object per name, in order.
"$XUEJI" normalize-name 張偉 "阿依古丽•买买提" "  john   smith " 万俟卨 "" >"$TMP/args.jsonl" ||
    fail "normalize-name with arguments failed"

# Stdin, one name a line, CRLF tolerated, when there are no arguments.
printf '单雄信\r\n章伟\nＡＢＣ\n\n' | "$XUEJI" normalize-name >"$TMP/stdin.jsonl" ||
    fail "normalize-name on stdin failed"

# "--" lets a name start with '-'.
"$XUEJI" normalize-name -- -王芳 >"$TMP/dash.jsonl" || fail "normalize-name -- failed"

python3 - "$TMP/args.jsonl" "$TMP/stdin.jsonl" "$TMP/dash.jsonl" <<'PY'
import json, sys

def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            assert list(obj.keys()) == ["input", "normalized", "pinyin", "flags"], obj
            assert all(isinstance(x, str) and x == x.upper() for x in obj["flags"]), obj
            rows.append(obj)
    return rows

def expect(row, inp, normalized, pinyin, flags_in=(), flags_out=()):
    assert row["input"] == inp, (row, inp)
    assert row["normalized"] == normalized, (row, normalized)
    assert row["pinyin"] == pinyin, (row, pinyin)
    for f in flags_in:
        assert f in row["flags"], (row, f)
    for f in flags_out:
        assert f not in row["flags"], (row, f)

args = load(sys.argv[1])
assert len(args) == 5, args
expect(args[0], "張偉", "张伟", "zhang wei", ["TRADITIONAL"])
expect(args[1], "阿依古丽•买买提", "阿依古丽·买买提", "a yi gu li mai mai ti", ["DOT", "MINORITY"])
expect(args[2], "  john   smith ", "JOHN SMITH", "john smith", ["LATIN", "SPACE"])
expect(args[3], "万俟卨", "万俟卨", "mo qi xie", ["COMPOUND_SURNAME", "SURNAME_READING"])
expect(args[4], "", "", "", ["EMPTY"])

stdin = load(sys.argv[2])
assert len(stdin) == 4, stdin
expect(stdin[0], "单雄信", "单雄信", "shan xiong xin", ["SURNAME_READING"])
expect(stdin[1], "章伟", "章伟", "zhang wei", [], ["TRADITIONAL"])
expect(stdin[2], "ＡＢＣ", "ABC", "abc", ["WIDTH", "LATIN"])
expect(stdin[3], "", "", "", ["EMPTY"])
assert args[0]["pinyin"] == stdin[1]["pinyin"], "homophones must share a key"

dash = load(sys.argv[3])
assert len(dash) == 1 and dash[0]["input"] == "-王芳", dash
assert dash[0]["normalized"] == "-王芳" and "SYMBOL" in dash[0]["flags"], dash
PY

# --help succeeds and names the flags; an unknown option is a usage error.
"$XUEJI" normalize-name --help >"$TMP/help.txt" || fail "--help did not exit 0"
grep -q "TRADITIONAL" "$TMP/help.txt" || fail "--help does not list the flags"
set +e
"$XUEJI" normalize-name --bogus 张伟 >/dev/null 2>"$TMP/err.txt"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "unknown option exited $rc, not 1"

echo "normalize_name.sh: ok"
