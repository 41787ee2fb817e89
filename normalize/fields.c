/*
 * fields.c: the small input fields of the CSV contract: gender, dates,
 * document type, registry and population status, division codes.  Loaders
 * and the batch check parse them here so that a value is read the same way
 * wherever it comes in.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "xj/normalize.h"

static void trim(const char **s, size_t *len)
{
    xj_slice t = xj_trim((xj_slice){*s, *len});
    *s = t.ptr;
    *len = t.len;
}

/* Copies s into buf with full-width ASCII forms (U+FF01..U+FF5E, typed
 * with a Chinese input method left in full-width mode: ２０１２－０３－０５,
 * Ｍ) folded to ASCII and U+3000 to a space; 0 if it does not fit.  Any
 * other byte is copied as it is. */
static size_t fold_width(const char *s, size_t len, char *buf, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t adv = 1;
        int32_t cp = u[i] < 0x80 ? (int32_t)u[i] : xj_utf8_decode(u + i, len - i, &adv);
        char ascii = cp >= 0xFF01 && cp <= 0xFF5E ? (char)(cp - 0xFF01 + 0x21)
                     : cp == 0x3000               ? ' '
                                                  : 0;
        size_t out = ascii ? 1 : adv;
        if (n + out >= cap)
            return 0;
        if (ascii)
            buf[n] = ascii;
        else
            memcpy(buf + n, s + i, adv);
        n += out;
        i += adv;
    }
    buf[n] = '\0';
    return n;
}

static int is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

static int is_nocase(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

int xj_gender_parse(const char *s, size_t len, char *out)
{
    if (!s || !out)
        return XJ_ERR_ARG;
    char buf[32];
    if (!(len = fold_width(s, len, buf, sizeof buf)))
        return XJ_ERR_ARG;
    s = buf;
    trim(&s, &len);
    if (is(s, len, "男") || is(s, len, "1") || is_nocase(s, len, "M") || is(s, len, "男性") ||
        is(s, len, "男生") || is_nocase(s, len, "male")) {
        *out = 'M';
        return XJ_OK;
    }
    if (is(s, len, "女") || is(s, len, "2") || is_nocase(s, len, "F") || is(s, len, "女性") ||
        is(s, len, "女生") || is_nocase(s, len, "female")) {
        *out = 'F';
        return XJ_OK;
    }
    return XJ_ERR_ARG;
}

int xj_date_valid(unsigned y, unsigned m, unsigned d)
{
    static const unsigned char days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    if (m == 2 && d == 29)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return 1;
}

/* Reads 1..max digits at *p; returns the value or -1. */
static long digits(const char **p, const char *e, int min, int max)
{
    long v = 0;
    int n = 0;
    while (*p < e && n < max && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n >= min ? v : -1;
}

/* Consumes one date separator: - / . or one of 年 月 (as UTF-8). */
static int separator(const char **p, const char *e)
{
    if (*p < e && (**p == '-' || **p == '/' || **p == '.')) {
        (*p)++;
        return 1;
    }
    if (e - *p >= 3 && (memcmp(*p, "年", 3) == 0 || memcmp(*p, "月", 3) == 0)) {
        *p += 3;
        return 1;
    }
    return 0;
}

/* A time of day after a date, as spreadsheet and database exports write
 * it: a space or T, then hh:mm or hh:mm:ss, seconds perhaps with a
 * fraction.  Returns the length it takes at p, or 0. */
static size_t time_of_day(const char *p, const char *e)
{
    const char *q = p;
    if (q >= e || (*q != ' ' && *q != 'T'))
        return 0;
    q++;
    long h = digits(&q, e, 1, 2);
    if (h < 0 || h > 23 || q >= e || *q++ != ':')
        return 0;
    long m = digits(&q, e, 2, 2);
    if (m < 0 || m > 59)
        return 0;
    if (q < e && *q == ':') {
        q++;
        long sec = digits(&q, e, 2, 2);
        if (sec < 0 || sec > 59)
            return 0;
        if (q < e && *q == '.') {
            q++;
            if (digits(&q, e, 1, 9) < 0)
                return 0;
        }
    }
    return q == e ? (size_t)(q - p) : 0;
}

int xj_date_parse(const char *s, size_t len, uint32_t *out)
{
    if (!s || !out)
        return XJ_ERR_ARG;
    char buf[64];
    if (!(len = fold_width(s, len, buf, sizeof buf)))
        return XJ_ERR_ARG;
    s = buf;
    trim(&s, &len);
    /* A date and time ("2012-03-05 00:00:00") is read as its date. */
    for (size_t i = 8; i < len; i++)
        if ((s[i] == ' ' || s[i] == 'T') && time_of_day(s + i, s + len)) {
            len = i;
            break;
        }
    const char *p = s, *e = s + len;
    long y, m, d;
    int compact = len == 8;
    for (size_t i = 0; compact && i < len; i++)
        compact = s[i] >= '0' && s[i] <= '9';
    if (compact) {
        y = digits(&p, e, 4, 4);
        m = digits(&p, e, 2, 2);
        d = digits(&p, e, 2, 2);
    } else {
        y = digits(&p, e, 4, 4);
        if (y < 0 || !separator(&p, e))
            return XJ_ERR_ARG;
        m = digits(&p, e, 1, 2);
        if (m < 0 || !separator(&p, e))
            return XJ_ERR_ARG;
        d = digits(&p, e, 1, 2);
        if (e - p >= 3 && (memcmp(p, "日", 3) == 0 || memcmp(p, "号", 3) == 0))
            p += 3;
    }
    if (y < 0 || m < 0 || d < 0 || p != e)
        return XJ_ERR_ARG;
    if (y < 1900 || y > 2100 || !xj_date_valid((unsigned)y, (unsigned)m, (unsigned)d))
        return XJ_ERR_ARG;
    *out = (uint32_t)(y * 10000 + m * 100 + d);
    return XJ_OK;
}

uint32_t xj_date_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return (uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

int xj_id_type_parse(const char *s, size_t len, xj_id_type *out)
{
    /* The contract's four values, and the labels of the national student
     * registry system's own 身份证件类型 list and of school systems for the
     * same things.  The household register (户口簿) carries the child's
     * resident ID number, so it reads as 居民身份证; the other documents
     * are kept as documents (no G number, the number still matches). */
    static const struct {
        const char *label;
        xj_id_type type;
    } labels[] = {
        {"居民身份证", XJ_IDTYPE_RESIDENT},
        {"身份证", XJ_IDTYPE_RESIDENT},
        {"二代身份证", XJ_IDTYPE_RESIDENT},
        {"户口簿", XJ_IDTYPE_RESIDENT},
        {"居民户口簿", XJ_IDTYPE_RESIDENT},
        {"户口本", XJ_IDTYPE_RESIDENT},
        {"港澳台居民居住证", XJ_IDTYPE_PERMIT},
        {"港澳居民居住证", XJ_IDTYPE_PERMIT},
        {"台湾居民居住证", XJ_IDTYPE_PERMIT},
        {"护照", XJ_IDTYPE_PASSPORT},
        {"香港特区护照/身份证明", XJ_IDTYPE_PASSPORT},
        {"澳门特区护照/身份证明", XJ_IDTYPE_PASSPORT},
        {"台湾居民来往大陆通行证", XJ_IDTYPE_PASSPORT},
        {"港澳居民来往内地通行证", XJ_IDTYPE_PASSPORT},
        {"境外永久居住证", XJ_IDTYPE_PASSPORT},
        {"外国人永久居留身份证", XJ_IDTYPE_PASSPORT},
        {"其他", XJ_IDTYPE_PASSPORT},
        {"无", XJ_IDTYPE_NONE},
        {"无证件", XJ_IDTYPE_NONE},
    };
    if (!s || !out)
        return XJ_ERR_ARG;
    trim(&s, &len);
    if (len == 0) {
        *out = XJ_IDTYPE_RESIDENT;
        return XJ_OK;
    }
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (is(s, len, labels[i].label)) {
            *out = labels[i].type;
            return XJ_OK;
        }
    return XJ_ERR_ARG;
}

static const char *const student_status_names[XJ_STUDENT_STATUS_COUNT] = {
#define XJ__SST_NAME(name, text) text,
    XJ_STUDENT_STATUS_LIST(XJ__SST_NAME)
#undef XJ__SST_NAME
};

int xj_student_status_parse(const char *s, size_t len, xj_student_status *out)
{
    if (!s || !out)
        return XJ_ERR_ARG;
    trim(&s, &len);
    if (len == 0) {
        *out = XJ_STATUS_ENROLLED;
        return XJ_OK;
    }
    for (unsigned i = 0; i < XJ_STUDENT_STATUS_COUNT; i++) {
        if (is(s, len, student_status_names[i])) {
            *out = (xj_student_status)i;
            return XJ_OK;
        }
    }
    /* What school systems write for 在校; a registry row refused over it
     * would be a registered child missing from the index. */
    if (is(s, len, "在读") || is(s, len, "在籍")) {
        *out = XJ_STATUS_ENROLLED;
        return XJ_OK;
    }
    return XJ_ERR_ARG;
}

const char *xj_student_status_name(xj_student_status st)
{
    return (unsigned)st < XJ_STUDENT_STATUS_COUNT ? student_status_names[st] : "?";
}

int xj_person_status_parse(const char *s, size_t len, xj_person_status *out)
{
    if (!s || !out)
        return XJ_ERR_ARG;
    trim(&s, &len);
    if (len == 0 || is(s, len, "正常")) {
        *out = XJ_PERSON_NORMAL;
        return XJ_OK;
    }
    if (is(s, len, "死亡")) {
        *out = XJ_PERSON_DECEASED;
        return XJ_OK;
    }
    if (is(s, len, "注销")) {
        *out = XJ_PERSON_CANCELLED;
        return XJ_OK;
    }
    return XJ_ERR_ARG;
}

int xj_is_division_code(const char *s, size_t len)
{
    if (!s || len != 6)
        return 0;
    for (size_t i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int xj_code_parse(const char *s, size_t len, size_t ndigits, char *out)
{
    char buf[64];
    if (!s || !out || ndigits == 0 || ndigits >= sizeof buf)
        return XJ_ERR_ARG;
    if (!(len = fold_width(s, len, buf, sizeof buf)))
        return XJ_ERR_ARG;
    s = buf;
    xj_slice t = xj_text_marks_strip((xj_slice){s, len});
    s = t.ptr;
    len = t.len;
    /* A code stored as a number and exported with its decimals. */
    if (len > ndigits && s[ndigits] == '.') {
        for (size_t i = ndigits + 1; i < len; i++)
            if (s[i] != '0')
                return XJ_ERR_ARG;
        len = ndigits;
    }
    if (len != ndigits)
        return XJ_ERR_ARG;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return XJ_ERR_ARG;
    memcpy(out, s, len);
    out[len] = '\0';
    return XJ_OK;
}

xj_slice xj_text_marks_strip(xj_slice s)
{
    static const char *const open[] = {"'",           "`", "\"", "\xE2\x80\x98", "\xE2\x80\x99",
                                       "\xE2\x80\x9C"};        /* ' ` " ‘ ’ “ */
    static const char *const close[] = {"\"", "\xE2\x80\x9D"}; /* " ” */
    s = xj_trim(s);
    if (s.len >= 3 && s.ptr[0] == '=' && s.ptr[1] == '"' && s.ptr[s.len - 1] == '"')
        return xj_trim((xj_slice){s.ptr + 2, s.len - 3});
    for (size_t i = 0; i < sizeof open / sizeof *open; i++) {
        size_t n = strlen(open[i]);
        if (s.len >= n && memcmp(s.ptr, open[i], n) == 0) {
            s = (xj_slice){s.ptr + n, s.len - n};
            break;
        }
    }
    for (size_t i = 0; i < sizeof close / sizeof *close; i++) {
        size_t n = strlen(close[i]);
        if (s.len >= n && memcmp(s.ptr + s.len - n, close[i], n) == 0) {
            s.len -= n;
            break;
        }
    }
    return xj_trim(s);
}
