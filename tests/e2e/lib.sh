# lib.sh: helpers for the end-to-end tests, sourced by each tests/e2e/*.sh.
# Every test runs the real build/xueji ($XUEJI) in a scratch folder of its own.
set -euo pipefail
: "${XUEJI:?XUEJI must point at the xueji binary}"
: "${XJ_TMP:=/tmp/xj-e2e}"
T="$XJ_TMP/$(basename "$0" .sh)"
rm -rf "$T"
mkdir -p "$T"
PASSES=0

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
pass() {
    PASSES=$((PASSES + 1))
}
# expect_exit CODE CMD...: runs CMD, checks its exit code, keeps its output in
# $T/out and $T/err.
expect_exit() {
    local want=$1
    shift
    local got=0
    "$@" >"$T/out" 2>"$T/err" || got=$?
    [[ $got -eq $want ]] || fail "'$*' exited $got, expected $want; stderr: $(head -5 "$T/err")"
    pass
}
done_tests() {
    echo "$PASSES passed, 0 failed"
}
