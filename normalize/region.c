/*
 * region.c: look-ups in the GB/T 2260 division-code table.
 *
 * Every ID the registry sees passes through xj__region_find(), millions per
 * batch, so the look-up is a short binary search: the first three digits of
 * the code select a slice of at most ~120 entries through a 1,001-entry
 * prefix index, and seven or so halvings finish the job without touching
 * more than a few cache lines.  The table itself is generated read-only data
 * (idcard_int.h), so all of this is reentrant.
 */
#include "idcard_int.h"
#include "xj/normalize.h"

/* Reads six ASCII digits as an integer; returns -1 when any is not a digit. */
static long code_value(const char code6[6])
{
    long v = 0;
    for (int i = 0; i < 6; i++) {
        unsigned d = (unsigned)(unsigned char)code6[i] - '0';
        if (d > 9)
            return -1;
        v = v * 10 + (long)d;
    }
    return v;
}

long xj__region_find(uint32_t code)
{
    if (code >= 1000000)
        return -1;
    size_t prefix = code / 1000;
    size_t lo = xj__region_first[prefix];
    size_t n = (size_t)xj__region_first[prefix + 1] - lo;
    /* Branch-free halving: the slice shrinks to one candidate whatever the
     * data, so the loop runs a fixed log2(n) times. */
    while (n > 1) {
        size_t half = n / 2;
        lo = xj__region_codes[lo + half] <= code ? lo + half : lo;
        n -= half;
    }
    if (n == 1 && xj__region_codes[lo] == code)
        return (long)lo;
    return -1;
}

int xj_region_known(const char code6[6])
{
    if (!code6)
        return 0;
    long v = code_value(code6);
    return v >= 0 && xj__region_find((uint32_t)v) >= 0;
}

const char *xj_region_name(const char code6[6])
{
    if (!code6)
        return NULL;
    long v = code_value(code6);
    long i = v >= 0 ? xj__region_find((uint32_t)v) : -1;
    return i >= 0 ? xj__region_names[i] : NULL;
}

size_t xj_region_count(void)
{
    return xj__region_count;
}

int xj_region_at(size_t i, const char **code6, const char **name, int *current)
{
    if (i >= xj__region_count)
        return XJ_ERR_ARG;
    if (code6)
        *code6 = xj__region_code_str[i];
    if (name)
        *name = xj__region_names[i];
    if (current)
        *current = xj__region_current[i];
    return XJ_OK;
}
