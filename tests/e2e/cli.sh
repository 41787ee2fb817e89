#!/usr/bin/env bash
# cli.sh: the program's front door: --version, --help, per-command --help,
# and exit code 1 with a helpful message for commands it does not know.
source "$(dirname "$0")/lib.sh"

expect_exit 0 "$XUEJI" --version
grep -qE '^xueji [0-9]+\.[0-9]+\.[0-9]+$' "$T/out" || fail "version line: $(cat "$T/out")"

expect_exit 0 "$XUEJI" --help
for c in validate-id normalize-name gen; do
    grep -q "^  $c " "$T/out" || fail "--help does not list $c"
done

expect_exit 1 "$XUEJI"
grep -q "usage: xueji" "$T/err" || fail "no usage on stderr without a command"

expect_exit 1 "$XUEJI" frobnicate
grep -q "unknown command 'frobnicate'" "$T/err" || fail "unknown-command message"
grep -q "xueji --help" "$T/err" || fail "unknown-command message should point at --help"

for c in validate-id normalize-name gen; do
    expect_exit 0 "$XUEJI" "$c" --help
    grep -qi "usage" "$T/out" || fail "$c --help prints no usage"
done
done_tests
