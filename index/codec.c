/*
 * codec.c: record keys, and the binary forms of registry records and
 * population persons (layouts in index_int.h).  Decoding never trusts a
 * stored value: lengths are checked and strings cut to their fields, so a
 * damaged value is reported as XJ_ERR_CORRUPT rather than read past.
 */
#include <string.h>

#include "index_int.h"

int xj_reckey_pack(const char *number, size_t len, xj_reckey *out)
{
    if (!number || len != 19 || !out)
        return XJ_ERR_ARG;
    char c = number[0];
    out->b[0] = (uint8_t)c;
    if (c == 'G' || c == 'J') {
        /* Both carry a MOD 11-2 check character over their 17 digits. */
        if (xj_idcard_pack(number + 1, out->b + 1) != 0)
            return XJ_ERR_ARG;
        return xj_idcard_check_char(number + 1) == number[18] ? XJ_OK : XJ_ERR_ARG;
    }
    if (c != 'L')
        return XJ_ERR_ARG;
    uint64_t v = 0;
    for (size_t i = 1; i < 19; i++) {
        if (number[i] < '0' || number[i] > '9')
            return XJ_ERR_ARG;
        v = v * 10 + (uint64_t)(number[i] - '0');
    }
    xj__put_u64be(out->b + 1, v);
    return XJ_OK;
}

void xj_reckey_unpack(const xj_reckey *key, char out[20])
{
    out[0] = (char)key->b[0];
    if (key->b[0] == 'L') {
        uint64_t v = xj__get_u64be(key->b + 1);
        for (int i = 18; i >= 1; i--, v /= 10)
            out[i] = (char)('0' + v % 10);
    } else {
        xj_idcard_unpack(key->b + 1, out + 1);
    }
    out[19] = '\0';
}

/* ---- strings: u8 length + bytes ------------------------------------------ */

static size_t put_str(uint8_t *p, const char *s)
{
    size_t n = strlen(s);
    if (n > 255)
        n = 255;
    p[0] = (uint8_t)n;
    memcpy(p + 1, s, n);
    return n + 1;
}

/* Reads one string into dst (cap bytes, NUL-terminated); returns the bytes
 * consumed or 0 when the value ends early. */
static size_t get_str(const uint8_t *p, const uint8_t *end, char *dst, size_t cap)
{
    if (p >= end)
        return 0;
    size_t n = p[0];
    if ((size_t)(end - p) < n + 1)
        return 0;
    size_t k = n < cap - 1 ? n : cap - 1;
    memcpy(dst, p + 1, k);
    dst[k] = '\0';
    return n + 1;
}

static void put_digits(uint8_t *p, const char *s, size_t n)
{
    if (strlen(s) == n)
        memcpy(p, s, n);
    else
        memset(p, 0, n);
}

static void get_digits(const uint8_t *p, char *dst, size_t n)
{
    if (p[0] == 0) {
        dst[0] = '\0';
        return;
    }
    memcpy(dst, p, n);
    dst[n] = '\0';
}

static void put_id(uint8_t *p, const char *id)
{
    if (strlen(id) != 18 || xj_idcard_pack(id, p) != 0)
        memset(p, 0, 8);
}

static void get_id(const uint8_t *p, char *dst)
{
    static const uint8_t zero[8];
    if (memcmp(p, zero, 8) == 0) {
        dst[0] = '\0';
        return;
    }
    xj_idcard_unpack(p, dst);
    dst[18] = '\0';
}

size_t xj__record_encode(const xj_record *r, uint8_t *out)
{
    out[0] = 1;
    out[1] = r->status;
    out[2] = r->id_type;
    out[3] = (uint8_t)r->gender;
    xj__put_u32le(out + 4, r->birth);
    put_id(out + 8, r->id);
    put_id(out + 16, r->guardian_id);
    put_digits(out + 24, r->school_code, 10);
    put_digits(out + 34, r->school_region, 6);
    put_digits(out + 40, r->hukou_region, 6);
    size_t n = 46;
    n += put_str(out + n, r->name);
    n += put_str(out + n, r->pinyin);
    n += put_str(out + n, r->name_raw);
    n += put_str(out + n, r->guardian_name);
    n += put_str(out + n, r->doc);
    n += put_str(out + n, r->ethnicity);
    n += put_str(out + n, r->grade);
    return n;
}

int xj__record_decode(const uint8_t *v, size_t n, xj_record *r)
{
    if (n < 46 || v[0] != 1)
        return XJ_ERR_CORRUPT;
    r->status = v[1];
    r->id_type = v[2];
    r->gender = (char)v[3];
    r->birth = xj__get_u32le(v + 4);
    get_id(v + 8, r->id);
    get_id(v + 16, r->guardian_id);
    get_digits(v + 24, r->school_code, 10);
    get_digits(v + 34, r->school_region, 6);
    get_digits(v + 40, r->hukou_region, 6);
    const uint8_t *p = v + 46, *end = v + n;
    struct {
        char *dst;
        size_t cap;
    } f[] = {{r->name, sizeof r->name},         {r->pinyin, sizeof r->pinyin},
             {r->name_raw, sizeof r->name_raw}, {r->guardian_name, sizeof r->guardian_name},
             {r->doc, sizeof r->doc},           {r->ethnicity, sizeof r->ethnicity},
             {r->grade, sizeof r->grade}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        size_t k = get_str(p, end, f[i].dst, f[i].cap);
        if (!k)
            return XJ_ERR_CORRUPT;
        p += k;
    }
    return XJ_OK;
}

size_t xj__person_encode(const xj_person *p, uint8_t *out)
{
    out[0] = 1;
    out[1] = p->status;
    out[2] = (uint8_t)p->gender;
    out[3] = p->nformer;
    xj__put_u32le(out + 4, p->birth);
    put_digits(out + 8, p->hukou_region, 6);
    size_t n = 14;
    n += put_str(out + n, p->name);
    n += put_str(out + n, p->pinyin);
    n += put_str(out + n, p->ethnicity);
    for (unsigned i = 0; i < p->nformer && i < XJ_FORMER_MAX; i++) {
        n += put_str(out + n, p->former[i]);
        n += put_str(out + n, p->former_pinyin[i]);
    }
    return n;
}

int xj__person_decode(const uint8_t *key8, const uint8_t *v, size_t n, xj_person *p)
{
    if (n < 14 || v[0] != 1 || v[3] > XJ_FORMER_MAX)
        return XJ_ERR_CORRUPT;
    xj_idcard_unpack(key8, p->id);
    p->id[18] = '\0';
    p->status = v[1];
    p->gender = (char)v[2];
    p->nformer = v[3];
    p->birth = xj__get_u32le(v + 4);
    get_digits(v + 8, p->hukou_region, 6);
    const uint8_t *q = v + 14, *end = v + n;
    size_t k;
    if (!(k = get_str(q, end, p->name, sizeof p->name)))
        return XJ_ERR_CORRUPT;
    q += k;
    if (!(k = get_str(q, end, p->pinyin, sizeof p->pinyin)))
        return XJ_ERR_CORRUPT;
    q += k;
    if (!(k = get_str(q, end, p->ethnicity, sizeof p->ethnicity)))
        return XJ_ERR_CORRUPT;
    q += k;
    for (unsigned i = 0; i < p->nformer; i++) {
        if (!(k = get_str(q, end, p->former[i], sizeof p->former[i])))
            return XJ_ERR_CORRUPT;
        q += k;
        if (!(k = get_str(q, end, p->former_pinyin[i], sizeof p->former_pinyin[i])))
            return XJ_ERR_CORRUPT;
        q += k;
    }
    return XJ_OK;
}
