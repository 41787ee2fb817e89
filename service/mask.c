/*
 * mask.c: what a token may see.  Scope tests, masked names, masked ID
 * numbers and student numbers, and the scrubbing of free text before it
 * reaches the audit log.
 *
 * The rules are deliberately simple so that a registrar can predict them:
 * a record is either inside the token's region (shown in full) or not
 * (names and ID numbers masked); nothing depends on the decision.
 */
#include <string.h>

#include "service_int.h"

/* Returns 1 when code (NULL or a NUL-terminated string) starts with the
 * non-empty prefix. */
static int starts_with(const char *code, const char *prefix)
{
    size_t n = strlen(prefix);
    return code && strlen(code) >= n && memcmp(code, prefix, n) == 0;
}

int xj_service_in_scope(const xj_service_scope *scope, const char *school_region,
                        const char *hukou_region, const char *id)
{
    if (!scope || scope->prefix[0] == '\0')
        return 1;
    /* The ID's division code is its first six characters; a shorter or
     * empty ID has none. */
    char idregion[7] = "";
    if (id && strlen(id) >= 6) {
        memcpy(idregion, id, 6);
        idregion[6] = '\0';
    }
    return starts_with(school_region, scope->prefix) || starts_with(hukou_region, scope->prefix) ||
           starts_with(idregion, scope->prefix);
}

/* Length in bytes of the UTF-8 character starting at s (at most avail);
 * a byte that does not start a well-formed character counts alone. */
static size_t char_len(const char *s, size_t avail)
{
    size_t adv = 1;
    if (xj_utf8_decode((const unsigned char *)s, avail, &adv) < 0)
        return 1;
    return adv;
}

char *xj_service_mask_name(const char *name, char *out, size_t cap)
{
    if (cap == 0)
        return out;
    out[0] = '\0';
    if (!name)
        return out;
    size_t len = strlen(name);
    /* Count characters first: the last one is kept only in names of three
     * or more, where it does not give the whole given name away. */
    size_t nchars = 0;
    for (size_t i = 0; i < len; i += char_len(name + i, len - i))
        nchars++;
    size_t o = 0, k = 0;
    for (size_t i = 0; i < len; k++) {
        size_t n = char_len(name + i, len - i);
        int shown = k == 0 || (nchars >= 3 && k == nchars - 1);
        size_t need = shown ? n : 1;
        if (o + need + 1 > cap)
            break;
        if (shown)
            memcpy(out + o, name + i, n);
        else
            out[o] = '*';
        o += need;
        i += n;
    }
    out[o] = '\0';
    return out;
}

static int id_char(char c)
{
    return (c >= '0' && c <= '9') || c == 'X' || c == 'x';
}

char *xj_service_scrub(const char *s, size_t len, char *out, size_t cap)
{
    if (cap == 0)
        return out;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < cap;) {
        size_t run = 0;
        while (i + run < len && id_char(s[i + run]))
            run++;
        if (run == 0) {
            out[o++] = s[i++];
            continue;
        }
        /* A run long enough to be an ID is masked whole or not at all: a
         * buffer too small to hold it ends the output before it. */
        if (o + run + 1 > cap)
            break;
        if (run >= XJ_SCRUB_MIN_RUN)
            xj_idcard_mask(s + i, run, out + o);
        else
            memcpy(out + o, s + i, run);
        o += run;
        i += run;
    }
    out[o] = '\0';
    return out;
}

void xj__service_mask_id(const char *id, char *out, size_t cap)
{
    size_t len = id ? strlen(id) : 0;
    if (cap == 0)
        return;
    if (len + 1 > cap)
        len = cap - 1;
    xj_idcard_mask(id ? id : "", len, out);
}

void xj__service_mask_number(const char *number, char out[20])
{
    /* Only a G number holds an ID (G + the 18 characters of the resident
     * ID); J and L numbers are made of the school's division code, the
     * birth date and a sequence, which a record shows anyway. */
    size_t len = strnlen(number, 19);
    memcpy(out, number, len);
    out[len] = '\0';
    if (len == 19 && number[0] == 'G')
        xj_idcard_mask(number + 1, 18, out + 1);
}
