/*
 * utf8.c: strict UTF-8 decoding (no overlongs, no surrogates, nothing above
 * U+10FFFF) and encoding.  Every parser of the project goes through these two
 * functions, so that malformed input is judged the same way everywhere.
 */
#include <string.h>

#include "xj/common.h"

int32_t xj_utf8_decode(const unsigned char *s, size_t len, size_t *adv)
{
    *adv = 1;
    if (len == 0)
        return -1;
    unsigned c = s[0];
    if (c < 0x80)
        return (int32_t)c;

    size_t need;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1, cp = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2, cp = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3, cp = c & 0x07u, min = 0x10000;
    } else {
        return -1;
    }
    if (len < need + 1)
        return -1;
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0u) != 0x80u)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *adv = need + 1;
    return (int32_t)cp;
}

size_t xj_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static int ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The invisible or blank characters copied in with values from web pages,
 * chat programs and word processors, as UTF-8: no-break space (U+00A0),
 * ideographic space (U+3000), narrow no-break space (U+202F), zero-width
 * space, non-joiner and joiner (U+200B..U+200D), word joiner (U+2060) and
 * a byte-order mark left inside a file (U+FEFF). */
static int zero_width_tail(unsigned char c)
{
    return c == 0x8B || c == 0x8C || c == 0x8D || c == 0xAF; /* E2 80 xx */
}

/* The length of the blank that starts at p (avail bytes), else 0.  Byte
 * tests, not a table of strings: every name and every Chinese value goes
 * through here twice per row of a bulk load. */
static size_t blank_at(const unsigned char *p, size_t avail)
{
    switch (p[0]) {
    case 0xC2:
        return avail >= 2 && p[1] == 0xA0 ? 2 : 0;
    case 0xE2:
        if (avail < 3)
            return 0;
        return (p[1] == 0x80 && zero_width_tail(p[2])) || (p[1] == 0x81 && p[2] == 0xA0) ? 3 : 0;
    case 0xE3:
        return avail >= 3 && p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
    case 0xEF:
        return avail >= 3 && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
    default:
        return 0;
    }
}

/* The length of the blank that ends at e (avail bytes before it), else 0.
 * The lead bytes C2, E2, E3 and EF never continue a character, so a match
 * is always a whole character. */
static size_t blank_before(const unsigned char *e, size_t avail)
{
    unsigned char c = e[-1];
    if (c == 0xA0) {
        if (avail >= 2 && e[-2] == 0xC2)
            return 2;
        return avail >= 3 && e[-3] == 0xE2 && e[-2] == 0x81 ? 3 : 0;
    }
    if (avail < 3)
        return 0;
    if (c == 0x80)
        return e[-3] == 0xE3 && e[-2] == 0x80 ? 3 : 0;
    if (zero_width_tail(c))
        return e[-3] == 0xE2 && e[-2] == 0x80 ? 3 : 0;
    if (c == 0xBF)
        return e[-3] == 0xEF && e[-2] == 0xBB ? 3 : 0;
    return 0;
}

xj_slice xj_trim(xj_slice s)
{
    const unsigned char *p = (const unsigned char *)s.ptr, *e = p + s.len;
    if (!p)
        return (xj_slice){"", 0};
    for (;;) {
        size_t n = 0;
        if (p < e && ascii_space((char)*p))
            p++;
        else if (p < e && *p >= 0xC2 && (n = blank_at(p, (size_t)(e - p))) != 0)
            p += n;
        else
            break;
    }
    for (;;) {
        size_t n = 0;
        if (e > p && ascii_space((char)e[-1]))
            e--;
        else if (e > p && e[-1] >= 0x80 && (n = blank_before(e, (size_t)(e - p))) != 0)
            e -= n;
        else
            break;
    }
    return (xj_slice){(const char *)p, (size_t)(e - p)};
}

int xj_utf8_valid(const char *s, size_t n)
{
    size_t i = 0, adv;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        if (xj_utf8_decode((const unsigned char *)s + i, n - i, &adv) < 0)
            return 0;
        i += adv;
    }
    return 1;
}
