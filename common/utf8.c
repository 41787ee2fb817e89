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
static size_t wide_blank(const char *p, size_t avail)
{
    static const char *const blanks[] = {"\xC2\xA0",     "\xE3\x80\x80", "\xE2\x80\xAF",
                                         "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D",
                                         "\xE2\x81\xA0", "\xEF\xBB\xBF"};
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
        size_t n = strlen(blanks[i]);
        if (avail >= n && memcmp(p, blanks[i], n) == 0)
            return n;
    }
    return 0;
}

xj_slice xj_trim(xj_slice s)
{
    const char *p = s.ptr, *e = s.ptr + s.len;
    if (!p)
        return (xj_slice){"", 0};
    for (;;) {
        size_t n = 0;
        if (p < e && ascii_space(*p))
            p++;
        else if (p < e && (unsigned char)*p >= 0xC2 && (n = wide_blank(p, (size_t)(e - p))) != 0)
            p += n;
        else
            break;
    }
    for (;;) {
        if (e > p && ascii_space(e[-1]))
            e--;
        else if (e - p >= 2 && wide_blank(e - 2, 2) == 2)
            e -= 2;
        else if (e - p >= 3 && wide_blank(e - 3, 3) == 3)
            e -= 3;
        else
            break;
    }
    return (xj_slice){p, (size_t)(e - p)};
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
