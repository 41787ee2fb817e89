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

xj_slice xj_trim(xj_slice s)
{
    static const char ideographic_space[3] = {'\xE3', '\x80', '\x80'};
    const char *p = s.ptr, *e = s.ptr + s.len;
    if (!p)
        return (xj_slice){"", 0};
    for (;;) {
        if (p < e && ascii_space(*p))
            p++;
        else if (e - p >= 3 && memcmp(p, ideographic_space, 3) == 0)
            p += 3;
        else
            break;
    }
    for (;;) {
        if (e > p && ascii_space(e[-1]))
            e--;
        else if (e - p >= 3 && memcmp(e - 3, ideographic_space, 3) == 0)
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
