/*
 * keys.c: blocking keys, name-frequency keys and counter keys (layouts in
 * index_int.h).
 *
 * Blocking keys decide which registered children a batch row is ever
 * compared with, so each kind exists for one kind of error a school makes:
 * homophone or traditional-character names (pinyin + birth date), a wrong
 * day, month or year of birth (the name with the other two parts), a
 * renamed child (guardian + birth date), a given-name typo of any shape
 * (surname + birth date + gender + county), a changed name with a mistyped
 * ID tail (ID county and birth date + gender).  Keys that would block
 * nothing (empty fields) are not produced.
 */
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "index_int.h"

/* A small builder of "tag field 0 field 0 ..." byte strings. */
typedef struct keybuf {
    uint8_t b[1024];
    size_t n;
} keybuf;

static void kb_start(keybuf *k, uint8_t tag)
{
    k->b[0] = tag;
    k->n = 1;
}

static void kb_add(keybuf *k, const char *s, size_t len)
{
    if (k->n + len + 1 > sizeof k->b)
        len = sizeof k->b - k->n - 1;
    memcpy(k->b + k->n, s, len);
    k->n += len;
    k->b[k->n++] = 0;
}

static void kb_str(keybuf *k, const char *s)
{
    kb_add(k, s, strlen(s));
}

static xj_block_key kb_done(const keybuf *k)
{
    return (xj_block_key){XXH3_64bits(k->b, k->n), k->b[0]};
}

/* The pinyin of the surname: the first syllable, or the first two when the
 * name starts with a compound surname. */
static size_t surname_pinyin(const xj_record *r, char *out, size_t cap)
{
    xj_name n;
    xj_name_normalize(r->name, strlen(r->name), &n);
    if (n.surname_chars == 0 || !n.pinyin[0])
        return 0;
    /* The first surname_chars syllables, which are space-separated. */
    const char *p = n.pinyin;
    size_t len = 0;
    unsigned seen = 0;
    while (p[len] && !(p[len] == ' ' && ++seen == n.surname_chars))
        len++;
    if (len >= cap)
        len = cap - 1;
    memcpy(out, p, len);
    out[len] = '\0';
    return len;
}

size_t xj_index_block_keys(const xj_record *r, xj_block_key out[XJ_BLOCK_KEYS_MAX])
{
    size_t n = 0;
    keybuf k;
    char birth[9] = "", g[2] = {r->gender, 0};
    if (r->birth)
        xj_date_digits(r->birth, birth);

    if (r->pinyin[0] && birth[0]) {
        /* The fuzzy form, so that near-homophones (陈/诚, 刘/牛) meet too. */
        char fz[XJ_PINYIN_MAX];
        xj_pinyin_fuzzy(r->pinyin, fz, sizeof fz);
        kb_start(&k, XJ_BLOCK_PINYIN_BIRTH);
        kb_str(&k, fz);
        kb_str(&k, birth);
        out[n++] = kb_done(&k);
    }
    if (r->name[0] && birth[0] && r->gender) {
        kb_start(&k, XJ_BLOCK_NAME_YM);
        kb_str(&k, r->name);
        kb_str(&k, g);
        kb_add(&k, birth, 6);
        out[n++] = kb_done(&k);
        kb_start(&k, XJ_BLOCK_NAME_MD);
        kb_str(&k, r->name);
        kb_str(&k, g);
        kb_add(&k, birth + 4, 4);
        out[n++] = kb_done(&k);
        kb_start(&k, XJ_BLOCK_NAME_YD);
        kb_str(&k, r->name);
        kb_str(&k, g);
        char yd[7] = {birth[0], birth[1], birth[2], birth[3], birth[6], birth[7], 0};
        kb_str(&k, yd);
        out[n++] = kb_done(&k);
    }
    if (r->guardian_id[0] && birth[0]) {
        kb_start(&k, XJ_BLOCK_GUARDIAN_BIRTH);
        kb_str(&k, r->guardian_id);
        kb_str(&k, birth);
        out[n++] = kb_done(&k);
    }
    const char *county = strlen(r->id) == 18  ? r->id
                         : r->hukou_region[0] ? r->hukou_region
                                              : r->school_region;
    char sp[64];
    if (birth[0] && r->gender && county[0] && surname_pinyin(r, sp, sizeof sp)) {
        kb_start(&k, XJ_BLOCK_SURNAME_BIRTH);
        kb_str(&k, sp);
        kb_str(&k, birth);
        kb_str(&k, g);
        kb_add(&k, county, 6);
        out[n++] = kb_done(&k);
    }
    if (strlen(r->id) == 18 && r->gender) {
        kb_start(&k, XJ_BLOCK_ID_PREFIX);
        kb_add(&k, r->id, 14);
        kb_str(&k, g);
        out[n++] = kb_done(&k);
    }
    return n;
}

int xj_index_swapped_key(const char *fz, uint32_t birth_date, unsigned surname_chars,
                         xj_block_key *out)
{
    size_t len = strlen(fz);
    if (!birth_date || !len || len >= XJ_PINYIN_MAX || surname_chars == 0)
        return 0;
    char sw[XJ_PINYIN_MAX];
    /* The syllables: the surname's, then exactly two of the given name. */
    size_t start[8], end[8], n = 0;
    for (size_t i = 0; i < len && n < 8;) {
        start[n] = i;
        while (i < len && fz[i] != ' ')
            i++;
        end[n++] = i++;
    }
    if (n != surname_chars + 2 || n > 4)
        return 0;
    size_t a = surname_chars, b = a + 1, la = end[a] - start[a], lb = end[b] - start[b];
    if (la == lb && memcmp(fz + start[a], fz + start[b], la) == 0)
        return 0;
    memcpy(sw, fz, start[a]);
    memcpy(sw + start[a], fz + start[b], lb);
    sw[start[a] + lb] = ' ';
    memcpy(sw + start[a] + lb + 1, fz + start[a], la);
    sw[len] = '\0';
    char birth[9];
    xj_date_digits(birth_date, birth);
    keybuf k;
    kb_start(&k, XJ_BLOCK_PINYIN_BIRTH);
    kb_str(&k, sw);
    kb_str(&k, birth);
    *out = kb_done(&k);
    return 1;
}

void xj__freq_key(char tag, const char *text, uint8_t out[9])
{
    out[0] = (uint8_t)tag;
    xj__put_u64be(out + 1, XXH3_64bits(text, strlen(text)));
}

void xj__counter_key(char letter, const char region6[6], uint32_t birth, uint8_t out[11])
{
    out[0] = (uint8_t)letter;
    memcpy(out + 1, region6, 6);
    xj__put_u32be(out + 7, birth);
}
