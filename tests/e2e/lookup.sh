#!/usr/bin/env bash
# lookup.sh: `xueji lookup` end to end on a generated nation: a record
# judged alone on the command line gets its batch row's decision, matched
# number, score and reasons; candidates' ID numbers are masked unless
# --unmasked; the index is only read; exit codes.
source "$(dirname "$0")/lib.sh"
D="$T/data"
DB="$T/db"

expect_exit 0 "$XUEJI" gen --out "$D" --population 20000 --registry 10000 --batch 400 --seed 5
expect_exit 0 "$XUEJI" load-population --db "$DB" "$D/population.csv"
expect_exit 0 "$XUEJI" import --db "$DB" "$D/registry.csv"
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/results.csv"

python3 - "$XUEJI" "$DB" "$D/batch.csv" "$T/results.csv" <<'PY' || fail "lookup answers (see above)"
import csv, json, subprocess, sys, unicodedata

def normalized_id(s):
    """The ID as the service normalizes it (full width, separators, legacy 15)."""
    s = ''.join(c for c in unicodedata.normalize('NFKC', s) if c.isalnum()).upper()
    if len(s) == 15 and s.isdigit():
        s = s[:6] + '19' + s[6:]
        w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        s += '10X98765432'[sum(int(c) * k for c, k in zip(s, w)) % 11]
    return s

xueji, db, batch, results = sys.argv[1:]
with open(batch, newline='', encoding='utf-8-sig') as f:
    rd = csv.reader(f)
    header = next(rd)
    rows = [dict(zip(header, r)) for r in rd]
res = list(csv.DictReader(open(results, newline='')))

ZH = {'record_id': '记录号', 'name': '姓名', 'gender': '性别', 'birth_date': '出生日期',
      'id_type': '身份证件类型', 'id_number': '身份证件号', 'ethnicity': '民族',
      'hukou_region': '户口所在地', 'school_code': '学校标识码', 'school_region': '学校所在地',
      'grade': '年级', 'guardian_name': '监护人姓名', 'guardian_id': '监护人身份证件号'}
FLAGS = {'record_id': '--record-id', 'name': '--name', 'gender': '--gender',
         'birth_date': '--birth', 'id_type': '--id-type', 'id_number': '--id',
         'ethnicity': '--ethnicity', 'hukou_region': '--hukou', 'school_code': '--school-code',
         'school_region': '--school-region', 'grade': '--grade',
         'guardian_name': '--guardian-name', 'guardian_id': '--guardian-id'}

def col(row, en):
    return row.get(en, row.get(ZH[en], ''))

def lookup(row, *extra):
    args = [xueji, 'lookup', '--db', db, *extra]
    for en, flag in FLAGS.items():
        v = col(row, en)
        if v or en in ('name', 'birth_date'):
            args += [flag, v]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f'lookup exited {p.returncode}: {p.stderr}')
    lines = p.stdout.splitlines()
    assert len(lines) == 1, p.stdout
    return json.loads(lines[0])

compared = masked = 0
for row, want in list(zip(rows, res))[:120]:
    reasons = want['reasons'].split(';') if want['reasons'] else []
    if (want['decision'] == 'BATCH_DUPLICATE' or 'DUPLICATE_RECORD_ID' in reasons
            or 'BAD_ROW' in reasons or not col(row, 'name') or not col(row, 'birth_date')):
        continue
    js = lookup(row, '--unmasked')
    got = (js['record_id'], js['decision'], js['matched_student_number'] or '',
           '' if js['score'] is None else '%.2f' % js['score'], ';'.join(js['reasons']))
    exp = (want['record_id'], want['decision'], want['matched_student_number'], want['score'],
           want['reasons'])
    if got != exp:
        sys.exit(f'lookup {want["record_id"]}: {got}, the batch said {exp}')
    sn, wsn = js['student_number'] or '', want['student_number']
    assert sn == wsn if wsn.startswith('G') or not wsn else sn[:15] == wsn[:15], (sn, wsn)
    compared += 1

    # By default the candidates' IDs are masked, except the one typed in.
    own = normalized_id(col(row, 'id_number'))
    others = [c['id'] for c in js['candidates'] if c['id'] and c['id'] != own]
    if others and masked < 15:
        text = json.dumps(lookup(row), ensure_ascii=False)
        for i in others:
            assert i not in text, ('unmasked ID by default', i)
        masked += 1
print(f'lookup.sh: {compared} lookups compared with the batch, {masked} checked for masking')
assert compared >= 60, compared
PY
pass

# Nothing was written: the results of the batch are the same afterwards.
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/results2.csv"
cmp -s "$T/results.csv" "$T/results2.csv" || fail "lookup changed the index"
pass

# Exit codes: usage 1, missing index 3, help 0.
expect_exit 1 "$XUEJI" lookup --db "$DB" --birth 2015-01-01
expect_exit 1 "$XUEJI" lookup --db "$DB" --name 张三
expect_exit 1 "$XUEJI" lookup --db "$DB" --name 张三 --birth 2015-01-01 extra
expect_exit 3 "$XUEJI" lookup --db "$T/no-db" --name 张三 --birth 2015-01-01
expect_exit 0 "$XUEJI" lookup --help
grep -q -- "--unmasked" "$T/out" || fail "help does not document --unmasked"
# A record missing required columns is judged INVALID, a success.
expect_exit 0 "$XUEJI" lookup --db "$DB" --name 张三 --birth 2015-01-01
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["decision"]=="INVALID", j; assert "MISSING_GENDER" in j["reasons"], j' "$T/out" ||
    fail "incomplete lookup: $(cat "$T/out")"
pass
done_tests
