#!/usr/bin/env bash
# serve.sh: `xueji serve` end to end on a generated nation, with the real
# binary over loopback HTTP: every batch row checked alone gets the answer
# its row of the batch got (the one decision function), tokens (401),
# malformed requests (400 naming the field, 413, 415, 405, 404), masking for
# a county token outside its region, GET /v1/students/{number}, an audit log
# with one line per request and no full ID number, and a clean SIGTERM.
source "$(dirname "$0")/lib.sh"
D="$T/data"
DB="$T/db"

expect_exit 0 "$XUEJI" gen --out "$D" --population 40000 --registry 20000 --batch 2000 --seed 3
expect_exit 0 "$XUEJI" load-population --db "$DB" "$D/population.csv"
expect_exit 0 "$XUEJI" import --db "$DB" "$D/registry.csv"
expect_exit 0 "$XUEJI" check --db "$DB" "$D/batch.csv" --out "$T/results.csv"

# The county of the token: the school region most batch rows come from.
COUNTY=$(python3 - "$D/batch.csv" <<'PY'
import collections, csv, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    r = csv.reader(f)
    h = next(r)
    i = h.index('school_region') if 'school_region' in h else h.index('学校所在地')
    c = collections.Counter(row[i] for row in r if len(row) > i and len(row[i]) == 6)
print(c.most_common(1)[0][0])
PY
)
NATION_TOKEN="nation-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
COUNTY_TOKEN="county-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cat >"$T/tokens" <<EOF
# serve.sh tokens
$NATION_TOKEN  *          ministry    # the whole nation
$COUNTY_TOKEN  $COUNTY    county-$COUNTY
EOF

# A malformed tokens file is refused with its line number, before listening.
printf '%s * ok\nshort 11 bad\n' "$NATION_TOKEN" >"$T/bad-tokens"
expect_exit 2 "$XUEJI" serve --db "$DB" --listen 127.0.0.1:0 --tokens "$T/bad-tokens" \
    --audit "$T/bad-audit.log"
grep -q "line 2" "$T/err" || fail "bad tokens file: $(cat "$T/err")"
expect_exit 1 "$XUEJI" serve --db "$DB" --listen nowhere --tokens "$T/tokens" --audit "$T/x.log"
expect_exit 3 "$XUEJI" serve --db "$T/no-db" --listen 127.0.0.1:0 --tokens "$T/tokens" \
    --audit "$T/x.log"

# Start on a port the system picks; the first line on stderr names it.
"$XUEJI" serve --db "$DB" --listen 127.0.0.1:0 --tokens "$T/tokens" --audit "$T/audit.log" \
    --threads 2 2>"$T/serve.err" &
PID=$!
trap 'kill -KILL $PID 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 1 100); do
    PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/serve.err")
    [[ -n "$PORT" ]] && break
    kill -0 $PID 2>/dev/null || fail "serve died: $(cat "$T/serve.err")"
    sleep 0.1
done
[[ -n "$PORT" ]] || fail "serve did not say where it listens: $(cat "$T/serve.err")"
pass

python3 - "$PORT" "$D/batch.csv" "$T/results.csv" "$D/registry.csv" "$NATION_TOKEN" \
    "$COUNTY_TOKEN" "$COUNTY" "$T/requests" <<'PY' || fail "HTTP checks (see above)"
import csv, http.client, json, re, socket, sys, unicodedata

def normalized_id(s):
    """The ID as the service normalizes it (full width, separators, legacy 15)."""
    s = ''.join(c for c in unicodedata.normalize('NFKC', s) if c.isalnum()).upper()
    if len(s) == 15 and s.isdigit():
        s = s[:6] + '19' + s[6:]
        w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        s += '10X98765432'[sum(int(c) * k for c, k in zip(s, w)) % 11]
    return s

port, batch, results, registry, nation, county, prefix, count_file = sys.argv[1:]
port = int(port)
conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
requests = 0
ID = re.compile(r'[0-9]{17}[0-9X]')

def call(method, path, body=None, token=None, ctype='application/json', raw=None):
    global requests
    requests += 1
    headers = {}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    if ctype:
        headers['Content-Type'] = ctype
    data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode()
                                        if body is not None else None)
    conn.request(method, path, body=data, headers=headers)
    r = conn.getresponse()
    text = r.read().decode()
    if r.getheader('Connection', '').lower() == 'close':
        conn.close()
    return r.status, (json.loads(text) if text else None), r

def expect(status, want, what, js=None):
    if status != want:
        sys.exit(f'{what}: HTTP {status}, expected {want}: {js}')

with open(batch, newline='', encoding='utf-8-sig') as f:
    rd = csv.reader(f)
    header = next(rd)
    rows = [dict(zip(header, row)) for row in rd]
with open(results, newline='') as f:
    res = list(csv.DictReader(f))
assert len(rows) == len(res), (len(rows), len(res))

# ---- the same answer alone as in the batch --------------------------------------
def fmt_score(s):
    return '' if s is None else '%.2f' % s

compared = skipped = 0
verdicts = {}
for row, want in zip(rows, res):
    st, js, _ = call('POST', '/v1/check', row, nation)
    expect(st, 200, f'check {want["record_id"]}', js)
    verdicts[want['record_id']] = (row, js)
    assert js['record_id'] == want['record_id'], (js['record_id'], want['record_id'])
    reasons = want['reasons'].split(';') if want['reasons'] else []
    # Judged alone, a record has no earlier rows: the batch's own findings
    # (BATCH_DUPLICATE, a record_id used twice) and malformed CSV rows
    # (no JSON equivalent) are compared on what remains.
    if (want['decision'] == 'BATCH_DUPLICATE' or 'DUPLICATE_RECORD_ID' in reasons
            or 'BAD_ROW' in reasons):
        assert js['decision'] != 'BATCH_DUPLICATE', js
        skipped += 1
        continue
    got = (js['decision'], js['matched_student_number'] or '', fmt_score(js['score']),
           ';'.join(js['reasons']))
    exp = (want['decision'], want['matched_student_number'], want['score'], want['reasons'])
    if got != exp:
        sys.exit(f'row {want["record_id"]}: alone {got}, in the batch {exp}')
    # G numbers exactly; J and L numbers are "what a commit would give now",
    # so only their kind, region and birth date.
    sn, wsn = js['student_number'] or '', want['student_number']
    if wsn.startswith('G') or not wsn:
        assert sn == wsn, (want['record_id'], sn, wsn)
    else:
        assert sn[:15] == wsn[:15], (want['record_id'], sn, wsn)
    compared += 1
print(f'serve.sh: {compared} rows compared with the batch, {skipped} batch-only findings')
assert compared >= 0.9 * len(rows), (compared, len(rows))

# ---- tokens ----------------------------------------------------------------------
body = rows[0]
st, js, r = call('POST', '/v1/check', body)
expect(st, 401, 'no token', js)
assert r.getheader('WWW-Authenticate', '').startswith('Bearer'), r.getheaders()
st, js, _ = call('POST', '/v1/check', body, 'x' + nation[1:])
expect(st, 401, 'wrong token', js)
st, js, _ = call('POST', '/v1/check', body, nation[:-1])
expect(st, 401, 'a prefix of a token', js)
st, js, _ = call('GET', '/v1/students/' + res[0]['student_number'], token='nope-nope-nope-nope')
expect(st, 401, 'GET with a wrong token', js)
st, js, _ = call('GET', '/healthz', ctype=None)
expect(st, 200, 'healthz', js)
assert js == {'status': 'ok'}, js

# ---- bad requests ---------------------------------------------------------------------
st, js, _ = call('POST', '/v1/check', token=nation, raw=b'{"record_id": "x", ')
expect(st, 400, 'malformed JSON', js)
assert 'malformed JSON' in js['error'] and js['field'] is None, js
st, js, _ = call('POST', '/v1/check', token=nation, raw=b'\xff\xfe{}')
expect(st, 400, 'not UTF-8', js)
st, js, _ = call('POST', '/v1/check', ['a list'], nation)
expect(st, 400, 'not an object', js)
missing = {k: v for k, v in body.items() if k not in ('name', '姓名')}
st, js, _ = call('POST', '/v1/check', missing, nation)
expect(st, 400, 'missing name', js)
assert js['field'] == 'name', js
numeric = dict(body)
key = 'school_code' if 'school_code' in numeric else '学校标识码'
numeric[key] = 1101050001
st, js, _ = call('POST', '/v1/check', numeric, nation)
expect(st, 400, 'numeric school code', js)
assert js['field'] == 'school_code', js
st, js, _ = call('POST', '/v1/check', token=nation, raw=b'{"a":"' + b'x' * 70000 + b'"}')
expect(st, 413, 'oversize body', js)
conn.close()
st, js, _ = call('POST', '/v1/check', body, nation, ctype='text/plain')
expect(st, 415, 'text/plain', js)
st, js, _ = call('POST', '/v1/check', body, nation, ctype=None)
expect(st, 415, 'no content type', js)
st, js, _ = call('POST', '/v1/check', body, nation, ctype='application/json; charset=gbk')
expect(st, 415, 'charset gbk', js)
st, js, _ = call('POST', '/v1/check', body, nation, ctype='application/json; charset=UTF-8')
expect(st, 200, 'charset UTF-8', js)
st, js, r = call('GET', '/v1/check', token=nation, ctype=None)
expect(st, 405, 'GET /v1/check', js)
assert r.getheader('Allow') == 'POST', r.getheaders()
st, js, _ = call('GET', '/v1/nothing', token=nation, ctype=None)
expect(st, 404, 'unknown path', js)
st, js, _ = call('GET', '/v1/students/G123', token=nation, ctype=None)
expect(st, 400, 'malformed student number', js)
assert js['field'] == 'number', js
conn.close()

# Garbage on the wire does not take the server down.
for junk in (b'\x00\x01\x02 nonsense\r\n\r\n', b'POST /v1/check HTTP/1.1\r\nContent-Length: 99\r\n\r\n{'):
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    s.sendall(junk)
    s.shutdown(socket.SHUT_WR)
    try:
        s.recv(4096)
    except OSError:
        pass
    s.close()
    requests += 1  # at most one audit line each
garbage_requests = 2
st, js, _ = call('GET', '/healthz', ctype=None)
expect(st, 200, 'healthz after garbage', js)

# ---- the registry record ------------------------------------------------------------------
with open(registry, newline='', encoding='utf-8-sig') as f:
    regs = list(csv.DictReader(f))
def col(rec, en, zh):
    return rec.get(en, rec.get(zh, ''))
inside = next(r for r in regs if col(r, 'school_region', '学校所在地').startswith(prefix))
def outside_rec(r):
    codes = (col(r, 'school_region', '学校所在地'), col(r, 'hukou_region', '户口所在地'),
             col(r, 'id_number', '身份证件号')[:6])
    return not any(c.startswith(prefix) for c in codes if c)
outside = next(r for r in regs if outside_rec(r) and col(r, 'id_number', '身份证件号')
               and len(col(r, 'name', '姓名')) >= 2)
num_in = col(inside, 'student_number', '学籍号')
num_out = col(outside, 'student_number', '学籍号')
st, js, _ = call('GET', '/v1/students/' + num_out, token=nation, ctype=None)
expect(st, 200, 'GET a student', js)
assert js['student_number'] == num_out and js['id'] == col(outside, 'id_number', '身份证件号'), js
st, js, _ = call('GET', '/v1/students/' + num_out, token=county, ctype=None)
expect(st, 200, 'GET an outside student with the county token', js)
assert '*' in js['name'] and '*' in js['id'], js
assert js['guardian_id'] is None or '*' in js['guardian_id'], js
st, js, _ = call('GET', '/v1/students/' + num_in, token=county, ctype=None)
expect(st, 200, 'GET an inside student with the county token', js)
assert '*' not in js['name'], js
st, js, _ = call('GET', '/v1/students/G11010519491231002X', token=nation, ctype=None)
expect(st, 404, 'GET an unknown student', js)

# ---- masking for the county token -------------------------------------------------------------
masked_seen = 0
for rid, (row, nat) in verdicts.items():
    outs = [c for c in nat['candidates']
            if not any((c.get(k) or '').startswith(prefix)
                       for k in ('school_region', 'hukou_region')) and
            not (c.get('id') or '').startswith(prefix) and c.get('id')]
    if not outs:
        continue
    st, js, _ = call('POST', '/v1/check', row, county)
    expect(st, 200, f'county check {rid}', js)
    for k in ('decision', 'score', 'reasons', 'student_number'):
        assert js[k] == nat[k], (rid, k, js[k], nat[k])
    own = normalized_id(col(row, 'id_number', '身份证件号'))
    text = json.dumps(js, ensure_ascii=False)
    for c in outs:
        if c['id'] != own:
            assert c['id'] not in text, (rid, 'an outside ID leaked', c['id'])
        cc = next(x for x in js['candidates'] if x['score'] == c['score'] and
                  x['birth_date'] == c['birth_date'] and x['school_code'] == c['school_code'])
        if len(c['name']) >= 2:
            assert '*' in cc['name'], (rid, cc)
    masked_seen += 1
    if masked_seen >= 50:
        break
assert masked_seen > 0, 'no verdict with an outside candidate to mask'
print(f'serve.sh: {masked_seen} county checks with outside candidates masked')

with open(count_file, 'w') as f:
    f.write(f'{requests} {garbage_requests}\n')
PY
pass

# The audit log: one line per request (the garbage connections may or may
# not have made a request of it), labels not tokens, no full ID number.
read -r REQS GARBAGE <"$T/requests"
LINES=$(wc -l <"$T/audit.log")
((LINES <= REQS && LINES >= REQS - GARBAGE)) || fail "audit log has $LINES lines for $REQS requests"
pass
if grep -qE '[0-9]{17}[0-9Xx]' "$T/audit.log"; then
    fail "a full ID number in the audit log: $(grep -m1 -E '[0-9]{17}[0-9Xx]' "$T/audit.log")"
fi
grep -q "$NATION_TOKEN\|$COUNTY_TOKEN" "$T/audit.log" && fail "a token in the audit log"
grep -q '"token":"ministry"' "$T/audit.log" || fail "no ministry lines in the audit log"
grep -q "\"token\":\"county-$COUNTY\"" "$T/audit.log" || fail "no county lines in the audit log"
grep -q '"status":401' "$T/audit.log" || fail "refused requests are not audited"
[[ $(stat -c %a "$T/audit.log") == 600 ]] || fail "audit log mode $(stat -c %a "$T/audit.log")"
pass

# SIGTERM: stops promptly and exits 0.
kill -TERM $PID
for _ in $(seq 1 50); do
    kill -0 $PID 2>/dev/null || break
    sleep 0.1
done
kill -0 $PID 2>/dev/null && fail "serve still running 5 s after SIGTERM"
rc=0
wait $PID || rc=$?
trap - EXIT
[[ $rc -eq 0 ]] || fail "serve exited $rc after SIGTERM: $(cat "$T/serve.err")"
grep -q "stopped" "$T/serve.err" || fail "no clean stop: $(cat "$T/serve.err")"
pass

# Without a tokens file everything but /healthz is refused.
"$XUEJI" serve --db "$DB" --listen 127.0.0.1:0 --audit "$T/audit2.log" 2>"$T/serve2.err" &
PID=$!
trap 'kill -KILL $PID 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 1 100); do
    PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/serve2.err")
    [[ -n "$PORT" ]] && break
    sleep 0.1
done
grep -q "warning: no --tokens" "$T/serve2.err" || fail "no warning without --tokens"
python3 - "$PORT" "$NATION_TOKEN" <<'PY' || fail "serve without tokens"
import http.client, sys
c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=10)
c.request('GET', '/healthz'); r = c.getresponse(); r.read(); assert r.status == 200, r.status
c.request('POST', '/v1/check', body=b'{}', headers={'Authorization': 'Bearer ' + sys.argv[2],
                                                    'Content-Type': 'application/json'})
r = c.getresponse(); r.read(); assert r.status == 401, r.status
PY
kill -INT $PID
rc=0
wait $PID || rc=$?
trap - EXIT
[[ $rc -eq 0 ]] || fail "serve exited $rc after SIGINT"
pass
done_tests
