#!/usr/bin/env bash
# report.sh: the conflict review report end to end.  A generated nation is
# checked with --report and --conflicts; the report is opened in headless
# Chromium (a screenshot, then the rendered DOM), and the DOM must show the
# counts of the results file, render the first page of conflicts, and hold
# no unmasked ID.  The conflicts CSV must name exactly the conflict rows.
# --unmasked must show IDs and leave one audit line per file, without an ID.
# Last, a synthetic 10,000-conflict report (written by the unit test) must
# open in the browser within a few seconds.
source "$(dirname "$0")/lib.sh"
D="$T/data"
DB="$T/db"

command -v chromium >/dev/null ||
    fail "chromium is not installed: the report test opens the HTML in a real browser; run 'bash scripts/deps.sh test' as root (or apt-get install -y chromium)"
command -v python3 >/dev/null || fail "python3 is not installed"

# Headless Chromium with nothing that reaches the network or a profile.
browse() {
    local profile
    profile=$(mktemp -d "$T/chromium.XXXXXX")
    timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" 2>"$T/chromium.err"
    local rc=$?
    rm -rf "$profile"
    return $rc
}

expect_exit 0 "$XUEJI" gen --out "$D" --population 30000 --registry 15000 --batch 4000 --seed 11
expect_exit 0 "$XUEJI" load-population --db "$DB" "$D/population.csv"
expect_exit 0 "$XUEJI" import --db "$DB" "$D/registry.csv"

expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/r.csv" --report "$T/review.html" \
    --conflicts "$T/conflicts.csv"
grep -q "review report: $T/review.html" "$T/err" || fail "no 'review report:' line in the summary"
[[ -s "$T/review.html" && -s "$T/conflicts.csv" ]] || fail "report files missing"
[[ ! -e "$T/review.html.partial" ]] || fail "a .partial file was left behind"

# The report does not change the results.
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/r0.csv"
cmp -s "$T/r.csv" "$T/r0.csv" || fail "--report changed the results file"
pass

# No 18-character ID anywhere in the masked files (G numbers included).
if grep -qE '[0-9]{17}[0-9X]' "$T/review.html"; then
    fail "an unmasked ID in the report: $(grep -oE '[0-9]{17}[0-9X]' "$T/review.html" | head -1)"
fi
if grep -qE '[0-9]{17}[0-9X]' "$T/conflicts.csv"; then
    fail "an unmasked ID in the conflicts CSV"
fi
pass
# Self-contained: no URL is loaded from anywhere.
if grep -qiE '(src|href)="(https?:)?//|@import|url\(' "$T/review.html"; then
    fail "the report refers to an external resource"
fi
pass

# The browser: a screenshot, then the DOM after the inline script ran.
browse --screenshot="$T/shot.png" --window-size=1280,2000 "file://$T/review.html" >/dev/null ||
    fail "chromium could not take a screenshot: $(tail -3 "$T/chromium.err")"
[[ $(head -c 8 "$T/shot.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
    fail "the screenshot is not a PNG"
pass
browse --dump-dom "file://$T/review.html" >"$T/dom.html" ||
    fail "chromium could not render the report: $(tail -3 "$T/chromium.err")"
python3 - "$T/r.csv" "$T/dom.html" <<'PY' || fail "the rendered report disagrees with the results"
import collections, csv, re, sys
results = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
want = collections.Counter(r['decision'] for r in results)
dom = open(sys.argv[2], encoding='utf-8').read()
got = {m.group(1): int(m.group(2))
       for m in re.finditer(r'data-decision="([A-Z_]+)">(\d+)</td>', dom)}
for d in ('BATCH_DUPLICATE', 'DUPLICATE', 'REVIEW', 'INVALID', 'POP_MISMATCH',
          'ASSIGNED_G', 'ASSIGNED_J'):
    assert got.get(d) == want.get(d, 0), (d, got.get(d), want.get(d, 0))
total = int(re.search(r'id="xj-total-rows">(\d+)<', dom).group(1))
assert total == len(results), (total, len(results))
conflicts = sum(want[d] for d in ('DUPLICATE', 'REVIEW', 'POP_MISMATCH'))
assert int(re.search(r'id="xj-conflicts">(\d+)<', dom).group(1)) == conflicts
assert conflicts > 0, 'the generated batch has no conflicts to show'
# The script ran and rendered the first page, grouped by school.
assert 'data-ready="1"' in dom, 'the inline script did not run'
shown = int(re.search(r'data-shown="(\d+)"', dom).group(1))
assert shown == min(50, conflicts), (shown, conflicts)
cards = re.findall(r'<section class="conflict d-[DRP]" data-decision="([A-Z_]+)" data-row="(\d+)"', dom)
assert len(cards) == shown, (len(cards), shown)
by_row = {i + 1: r for i, r in enumerate(results)}
for dec, row in cards:
    assert by_row[int(row)]['decision'] == dec, (row, dec)
schools = re.findall(r'<details class="school" open="" data-school="(\d*)"', dom)
assert schools and schools == sorted(schools, key=lambda s: (s == '', s)), schools[:5]
# Every card says what to do next and on what authority.
assert dom.count('data-step="') >= shown
assert not re.search(r'[0-9]{17}[0-9X]', dom), 'an unmasked ID in the rendered DOM'
open_ms = re.search(r'data-open-ms="(\d+)"', dom).group(1)
print(f'report DOM: {conflicts} conflicts, {shown} rendered, {len(schools)} schools on page 1, '
      f'open {open_ms} ms', file=sys.stderr)
PY
pass

# Filtering without a server: a copy of the report with a test script that
# unticks DUPLICATE and REVIEW (as a registrar would) must show only the
# POP_MISMATCH rows, all of them across the pages.
python3 - "$T/review.html" "$T/filter.html" <<'PY'
import sys
html = open(sys.argv[1], encoding='utf-8').read()
probe = """<script>
(function(){
  function untick(d){var b=document.querySelector('input[data-dec="'+d+'"]');b.checked=false;
    b.dispatchEvent(new Event('change'));}
  untick('D');untick('R');
  var seen=0,pages=0,bad=0,next=document.querySelector('.pager .next');
  for(;;){var cs=document.querySelectorAll('section.conflict');seen+=cs.length;pages++;
    for(var i=0;i<cs.length;i++)if(cs[i].getAttribute('data-decision')!=='POP_MISMATCH')bad++;
    if(next.disabled||pages>1000)break;next.click();}
  document.body.setAttribute('data-probe',seen+' '+bad+' '+pages);
})();
</script>
"""
i = html.rindex('</body>')
open(sys.argv[2], 'w', encoding='utf-8').write(html[:i] + probe + html[i:])
PY
browse --dump-dom "file://$T/filter.html" >"$T/filter-dom.html" || fail "chromium on the filter probe"
python3 - "$T/r.csv" "$T/filter-dom.html" <<'PY' || fail "filtering by decision"
import csv, re, sys
results = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
want = sum(r['decision'] == 'POP_MISMATCH' for r in results)
seen, bad, pages = map(int, re.search(r'data-probe="(\d+) (\d+) (\d+)"', open(sys.argv[2]).read()).groups())
assert (seen, bad) == (want, 0), (seen, bad, want)
assert pages == max(1, -(-want // 50)), pages
PY
pass

# The conflicts CSV: exactly the conflict rows, at least one line each.
python3 - "$T/r.csv" "$T/conflicts.csv" <<'PY' || fail "conflicts CSV"
import csv, sys
results = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
conf = list(csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8-sig')))
want = {(str(i + 1), r['record_id'], r['decision']) for i, r in enumerate(results)
        if r['decision'] in ('DUPLICATE', 'REVIEW', 'POP_MISMATCH')}
got = {(r['row'], r['record_id'], r['decision']) for r in conf}
assert got == want, (len(got), len(want), list(want - got)[:3], list(got - want)[:3])
assert len(conf) >= len(want)
for r in conf:
    assert r['candidate_source'] in ('registry', 'population', ''), r
    assert r['next_steps'], r
    for k, v in r.items():
        if k.endswith('_agrees'):
            assert v in ('yes', 'no', ''), (k, v)
PY
pass

# --unmasked: the IDs are there, and the audit log says who wrote what.
expect_exit 1 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/u.csv" --unmasked
before=0
if [[ -e "$DB/audit.log" ]]; then before=$(wc -l <"$DB/audit.log"); fi
USER=registrar7 expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/u.csv" \
    --report "$T/unmasked.html" --unmasked
grep -qE '[0-9]{17}[0-9X]' "$T/unmasked.html" || fail "--unmasked shows no ID"
after=$(wc -l <"$DB/audit.log")
[[ $after -eq $((before + 1)) ]] || fail "audit log: $before lines before, $after after"
tail -1 "$DB/audit.log" | grep -q "user=registrar7.*batch=$D/batch.csv.*unmasked report written to $T/unmasked.html" ||
    fail "audit line: $(tail -1 "$DB/audit.log")"
if grep -qE '[0-9]{17}[0-9X]' "$DB/audit.log"; then fail "an ID in the audit log"; fi
pass

# A report that cannot be written fails before the batch is judged.
expect_exit 2 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/n.csv" --report "$T/no/such/dir.html"
[[ ! -e "$T/n.csv" ]] || fail "results written although the report could not be"

# 10,000 conflicts in 2,000 schools open within a few seconds.
UNIT="$(dirname "$XUEJI")/tests/test_report"
[[ -x "$UNIT" ]] || fail "$UNIT not built"
XJ_REPORT_LARGE_OUT="$T/large.html" "$UNIT" --filter 'report/large' >/dev/null 2>"$T/large.err" ||
    fail "the large report: $(tail -3 "$T/large.err")"
start=$(date +%s%N)
browse --dump-dom "file://$T/large.html" >"$T/large-dom.html" || fail "chromium on the large report"
wall=$((($(date +%s%N) - start) / 1000000))
python3 - "$T/large-dom.html" "$wall" <<'PY' || fail "the large report is too slow or incomplete"
import re, sys
dom = open(sys.argv[1], encoding='utf-8').read()
open_ms = int(re.search(r'data-open-ms="(\d+)"', dom).group(1))
assert int(re.search(r'data-filtered="(\d+)"', dom).group(1)) == 10000
assert int(re.search(r'data-shown="(\d+)"', dom).group(1)) == 50
print(f'large report: 10000 conflicts, first page {open_ms} ms after navigation, '
      f'chromium run {sys.argv[2]} ms in all', file=sys.stderr)
assert open_ms < 5000, open_ms
PY
pass
done_tests
