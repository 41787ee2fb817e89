#!/usr/bin/env bash
# independent.sh: the check on a small nation made here, not by data-gen,
# with habits of its own: names drawn evenly from a short list of surnames
# and given-name characters (many namesakes, siblings whose names differ in
# one character), families of one to three children with a guardian each,
# twins, one family in 25 whose children are registered without an ID (J
# numbers), renamings recorded on the hukou.  The batch sends back registered children in ways
# schools do (exactly; a homophone typed for a character; no ID but the
# guardian's; no ID at all; one ID digit wrong; the gender wrong; the birth
# date one digit off; an ID Excel cut to 15 digits or shown as 1.1E+17; a
# J student now with an ID; the new name of a renamed child; a J student
# under the other parent; a J student with the guardian's name only;
# Traditional characters with a full-width ID), new children with and
# without ID numbers, and the brothers and sisters of registered children
# typed with their ID.
#
# Asserted: every new child gets a G number (a J number without an ID);
# every re-submission is found
# with its registered number (DUPLICATE where an identifier settles it,
# else DUPLICATE or REVIEW); no sibling typed with a registered child's ID
# is merged with it.
source "$(dirname "$0")/lib.sh"
: "${XJ_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"

# Two nations: the second seed's batch holds a twin typed with his
# brother's ID and, later, the brother sent without a guardian.
for seed in 20261201 153; do
D="$T/data-$seed"
mkdir -p "$D"

python3 - "$XJ_SRC/normalize/data/gb2260.tsv" "$D" "$seed" <<'PY' || fail "writing the independent nation"
import csv, datetime, random, sys
table, out, seed = sys.argv[1:]
rnd = random.Random(int(seed))
counties = [l.split('\t')[0] for l in open(table, encoding='utf-8')
            if not l.startswith('#') and l.split('\t')[1] == '1' and not l.startswith('##')]
counties = [c for c in counties if not c.endswith('00')]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

def check_char(s17):
    return '10X98765432'[sum(int(a) * w for a, w in zip(s17, W)) % 11]

SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
GIVEN = '子梓欣一佳雨浩宇轩涵怡嘉思俊博文晨泽睿诗可明杰伟静雪婷慧敏丽芳强磊军洋勇艳娜秀英华建国志海鹏飞云天晓红玉兰凤霞春秋冬梅琳颖琪瑶萱悦涛辉斌超波亮鑫'
# What a pinyin input method offers for the same syllable.
HOMOPHONE = {'子': '梓', '梓': '紫', '欣': '馨', '怡': '宜', '浩': '皓', '宇': '雨', '轩': '宣',
             '涵': '晗', '晨': '辰', '泽': '则', '睿': '锐', '诗': '施', '杰': '洁', '伟': '玮',
             '静': '婧', '婷': '亭', '琳': '林', '颖': '莹', '琪': '琦', '瑶': '遥', '萱': '轩',
             '涛': '韬', '鹏': '朋', '飞': '菲', '明': '铭', '博': '波', '文': '雯', '佳': '嘉'}
# Characters of GIVEN that read alike (子/梓 zi, 宇/雨/玉 yu, ...): parents
# do not give two of their children names that sound the same.
ALIKE = {'梓': '子', '雨': '宇', '玉': '宇', '萱': '轩', '嘉': '佳', '怡': '一', '鑫': '欣',
         '军': '俊', '颖': '英', '辉': '慧', '波': '博'}
taken = set()

def sound(name):
    return ''.join(ALIKE.get(c, c) for c in name)

def new_id(county, birth, male):
    while True:
        seq = rnd.randrange(1, 1000)
        seq = seq - seq % 2 + (1 if male else 0)
        if seq == 0 or seq > 999:
            continue
        s = f'{county}{birth}{seq:03d}'
        i = s + check_char(s)
        if i not in taken:
            taken.add(i)
            return i

def day(lo, hi):
    start = datetime.date(lo, 1, 1)
    span = (datetime.date(hi, 12, 31) - start).days
    return (start + datetime.timedelta(days=rnd.randrange(span))).strftime('%Y%m%d')

def given(n):
    return ''.join(rnd.choice(GIVEN) for _ in range(n))

def iso(b):
    return f'{b[:4]}-{b[4:6]}-{b[6:]}'

people, families = [], []
for f in range(20000):
    county = rnd.choice(counties)
    guardian_male = rnd.random() < .5
    guardian_name = rnd.choice(SURNAMES) + given(2)
    guardian_id = new_id(county, day(1975, 1992), guardian_male)
    surname = guardian_name[0] if guardian_male else rnd.choice(SURNAMES)
    kids = rnd.choice([1, 1, 1, 2, 2, 3])
    twins = kids > 1 and rnd.random() < .05
    names, fam = set(), []
    for k in range(kids):
        birth = fam[0]['birth'] if twins and k == 1 else day(2007, 2019)
        male = rnd.random() < .52
        name = surname + given(rnd.choice([1, 2, 2, 2]))
        while sound(name) in names:
            name = surname + given(2)
        names.add(sound(name))
        fam.append(dict(name=name, male=male, birth=birth, county=county, gname=guardian_name,
                        gid=guardian_id, id=new_id(county, birth, male), family=f))
    families.append(fam)
    people.extend(fam)
rnd.shuffle(people)
by_family = {fam[0]['family']: {q['name'] for q in fam} for fam in families}
for p in people[:len(people) // 50]:  # renamed: the hukou keeps the old name
    p['new_name'] = p['name'][0] + given(2)
    while p['new_name'] in by_family[p['family']]:  # never a sibling's name
        p['new_name'] = p['name'][0] + given(2)

def gender(p):
    return '男' if p['male'] else '女'

with open(f'{out}/population.csv', 'w', newline='', encoding='utf-8') as fp:
    w = csv.writer(fp)
    w.writerow(['id_number', 'name', 'gender', 'birth_date', 'ethnicity', 'hukou_region',
                'status', 'former_names'])
    for p in people:
        current, former = (p['new_name'], p['name']) if 'new_name' in p else (p['name'], '')
        w.writerow([p['id'], current, gender(p), iso(p['birth']), '汉族', p['county'], '', former])

registered = people[:len(people) * 6 // 10]
unregistered = people[len(registered):]
j_seq = {}
with open(f'{out}/registry.csv', 'w', newline='', encoding='utf-8') as fp:
    w = csv.writer(fp)
    w.writerow(['student_number', 'name', 'gender', 'birth_date', 'id_type', 'id_number',
                'ethnicity', 'hukou_region', 'school_code', 'school_region', 'grade',
                'guardian_name', 'guardian_id', 'status'])
    for i, p in enumerate(registered):
        school = p['county'] if rnd.random() < .8 else rnd.choice(counties)
        if p['family'] % 25 == 0:  # a family whose children hold no ID number
            key = (school, p['birth'])
            j_seq[key] = j_seq.get(key, 0) + 1
            s = f"{school}{p['birth']}{j_seq[key]:03d}"
            p['number'], p['no_id'] = 'J' + s + check_char(s), True
            w.writerow([p['number'], p['name'], gender(p), iso(p['birth']), '无', '', '汉族', '',
                        f'1{school}001', school, '', p['gname'], p['gid'], '在校'])
        else:
            p['number'] = 'G' + p['id']
            w.writerow([p['number'], p['name'], gender(p), iso(p['birth']), '居民身份证', p['id'],
                        '汉族', p['county'], f'1{school}001', school, '', p['gname'], p['gid'],
                        '在校'])

rows = []
def add(name, sex, birth, idn, gname, gid, expect, match):
    school = rnd.choice(counties)
    rows.append(([f'X{len(rows) + 1:06d}', name, sex, birth, '居民身份证' if idn else '', idn, '',
                  '', f'1{school}002', school, '', gname, gid], expect, match))

TRAD = dict(zip('张陈刘杨黄赵吴孙郑马罗梁谢韩冯邓许苏卢蒋叶钟汤陆贾丽华伟国军东晓红涛', '張陳劉楊黃趙吳孫鄭馬羅梁謝韓馮鄧許蘇盧蔣葉鍾湯陸賈麗華偉國軍東曉紅濤'))
for p in rnd.sample(registered, 6500):
    kind, has_id, n = rnd.randrange(14), not p.get('no_id'), p['number']
    if kind == 0:
        add(p['name'], gender(p), iso(p['birth']), p['id'] if has_id else '', p['gname'], p['gid'],
            'dup', n)
    elif kind == 1 and has_id:
        typed = p['name'][0] + ''.join(HOMOPHONE.get(c, c) for c in p['name'][1:])
        add(typed, gender(p), p['birth'], p['id'], '', '', 'dup', n)
    elif kind == 2:
        b = p['birth']
        add(p['name'], gender(p), f'{b[:4]}/{int(b[4:6])}/{int(b[6:])}', '', p['gname'], p['gid'],
            'dup', n)
    elif kind == 3:
        add(p['name'], gender(p), iso(p['birth']), '', '', '', 'found', n)
    elif kind == 4 and has_id:
        j = rnd.randrange(6, 17)
        wrong = p['id'][:j] + str((int(p['id'][j]) + 1) % 10) + p['id'][j + 1:]
        add(p['name'], gender(p), iso(p['birth']), wrong, p['gname'], '', 'dup', n)
    elif kind == 5 and has_id:
        add(p['name'], '女' if p['male'] else '男', iso(p['birth']), p['id'], '', '', 'dup', n)
    elif kind == 6 and has_id:
        b = p['birth']
        j = rnd.choice([6, 7])
        near = b[:j] + str((int(b[j]) + 1) % 10) + b[j + 1:]
        try:
            datetime.date(int(near[:4]), int(near[4:6]), int(near[6:]))
        except ValueError:
            continue
        add(p['name'], gender(p), iso(near), p['id'], '', '', 'dup', n)
    elif kind == 7 and has_id:
        add(p['name'], gender(p), iso(p['birth']), p['id'][:15] + '000', '', '', 'found', n)
    elif kind == 8 and not has_id:
        add(p['name'], gender(p), iso(p['birth']), p['id'], p['gname'], p['gid'], 'found', n)
    elif kind == 9 and has_id and 'new_name' in p:
        add(p['new_name'], gender(p), iso(p['birth']), p['id'], '', '', 'dup', n)
    elif kind == 10 and not has_id:
        other = new_id(p['county'], day(1978, 1992), not (p['gname'][0] == p['name'][0]))
        add(p['name'], gender(p), iso(p['birth']), '', rnd.choice(SURNAMES) + given(2), other,
            'found', n)
    elif kind == 11 and not has_id:
        add(p['name'], gender(p), iso(p['birth']), '', p['gname'], '', 'found', n)
    elif kind == 12 and has_id:  # Traditional characters, full-width digits
        wide = p['id'].translate(str.maketrans('0123456789X', '０１２３４５６７８９Ｘ'))
        add(''.join(TRAD.get(c, c) for c in p['name']), gender(p), p['birth'], wide, '', '',
            'dup', n)
    elif kind == 13 and has_id:  # Excel showed the number: 1.10105201E+17
        sci = f"{p['id'][0]}.{p['id'][1:12]}E+17"
        add(p['name'], gender(p), iso(p['birth']), sci, p['gname'], p['gid'], 'dup', n)
# New children, each sent in one way only (a child sent twice is a
# BATCH_DUPLICATE, which the pairs below test on purpose).
used = set()
# Both twins of a family nobody registered, each with an ID of its own.
for fam in families:
    if fam[0]['family'] % 25 and len(fam) > 1 and fam[0]['birth'] == fam[1]['birth'] and \
            all('number' not in p for p in fam):
        for p in fam[:2]:
            add(p['name'], gender(p), iso(p['birth']), p['id'], p['gname'], p['gid'], 'twin', '')
            used.add(p['id'])
# A brother or sister of a registered child typed with that child's ID.
copied = 0
for fam in families:
    reg = [p for p in fam if p.get('number', '').startswith('G')]
    new = [p for p in fam if 'number' not in p and p['id'] not in used]
    if reg and new and copied < 300:
        a, b = reg[0], new[0]
        add(b['name'], gender(b), iso(b['birth']), a['id'], b['gname'], b['gid'], 'copied', '')
        used.add(b['id'])
        copied += 1
# A new child sent twice in the batch, the second time without the ID (the
# guardian's instead) and with the date written out; none with a registered
# twin, which makes a row without an ID a question for a person.
pool = [p for p in unregistered if p['family'] % 25 and p['id'] not in used]
twinned = {o['id'] for fam in families for o in fam
           if any(q is not o and 'number' in q and q['birth'] == o['birth'] for q in fam)}
for k, p in enumerate(rnd.sample([p for p in pool if p['id'] not in twinned], 300)):
    b = p['birth']
    add(p['name'], gender(p), iso(b), p['id'], p['gname'], p['gid'], 'pair', f'P{k}')
    add(p['name'], gender(p), f'{b[:4]}年{int(b[4:6])}月{int(b[6:])}日', '', p['gname'], p['gid'],
        'pair', f'P{k}')
    used.add(p['id'])
for p in rnd.sample([p for p in pool if p['id'] not in used], 4000):
    add(p['name'], gender(p), iso(p['birth']), p['id'], p['gname'], p['gid'], 'new', '')
# Children of the families without ID numbers, not registered: a J number,
# unless a registered twin makes it a question.
for fam in families:
    if fam[0]['family'] % 25:
        continue
    for p in fam:
        twin = any(o is not p and 'number' in o and o['birth'] == p['birth'] for o in fam)
        if 'number' not in p and not twin:
            add(p['name'], gender(p), iso(p['birth']), '', p['gname'], p['gid'], 'new_j', '')
rnd.shuffle(rows)
with open(f'{out}/batch.csv', 'w', newline='', encoding='utf-8') as fp:
    w = csv.writer(fp)
    w.writerow(['record_id', 'name', 'gender', 'birth_date', 'id_type', 'id_number', 'ethnicity',
                'hukou_region', 'school_code', 'school_region', 'grade', 'guardian_name',
                'guardian_id'])
    for r, _, _ in rows:
        w.writerow(r)
with open(f'{out}/expect.csv', 'w', newline='', encoding='utf-8') as fp:
    w = csv.writer(fp)
    w.writerow(['record_id', 'expect', 'match'])
    for r, e, m in rows:
        w.writerow([r[0], e, m])
print(len(people), 'people', len(registered), 'registered', len(rows), 'rows')
PY

expect_exit 0 "$XUEJI" load-population --db "$D/db" "$D/population.csv"
expect_exit 0 "$XUEJI" import --db "$D/db" "$D/registry.csv"
expect_exit 0 "$XUEJI" check --db "$D/db" "$D/batch.csv" --out "$D/r.csv"
python3 - "$D/expect.csv" "$D/r.csv" <<'PY' || fail "the independent nation of seed $seed"
import csv, collections, sys
exp = {r['record_id']: r for r in csv.DictReader(open(sys.argv[1], newline=''))}
res = list(csv.DictReader(open(sys.argv[2], newline='')))
assert len(res) == len(exp), (len(res), len(exp))
tally, wrong = collections.Counter(), []
# A child sent twice: the first row of the pair gets its number (G with
# the ID, J without), the second is a BATCH_DUPLICATE of the first.
seen = {}
for r in res:
    e = exp[r['record_id']]
    if e['expect'] == 'pair':
        if e['match'] in seen:
            exp[r['record_id']] = dict(e, expect='batch', match=seen[e['match']])
        else:
            seen[e['match']] = r['record_id']
            exp[r['record_id']] = dict(e, expect='first')
for r in res:
    e = exp[r['record_id']]
    ok = {'new': r['decision'] == 'ASSIGNED_G',
          'twin': r['decision'] == 'ASSIGNED_G',
          'first': r['decision'] in ('ASSIGNED_G', 'ASSIGNED_J'),
          'batch': r['decision'] == 'BATCH_DUPLICATE' and
                   r['matched_student_number'] == e['match'],
          'new_j': r['decision'] == 'ASSIGNED_J',
          'dup': r['decision'] == 'DUPLICATE' and r['matched_student_number'] == e['match'],
          'found': r['decision'] in ('DUPLICATE', 'REVIEW') and
                   r['matched_student_number'] == e['match'],
          'copied': r['decision'] not in ('DUPLICATE', 'BATCH_DUPLICATE')}[e['expect']]
    tally[(e['expect'], r['decision'])] += 1
    if not ok:
        wrong.append((e['expect'], r['decision'], r['reasons']))
print(sorted(tally.items()))
assert not wrong, (len(wrong), collections.Counter(wrong).most_common(5))
PY
pass
done
done_tests
