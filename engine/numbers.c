/*
 * numbers.c: the formats of G, J and L student numbers and the names of the
 * decisions.  The J check character reuses the resident ID's ISO 7064
 * MOD 11-2 over the 17 digits after the letter, so one well-tested routine
 * guards both kinds of number.
 */
#include <string.h>

#include "xj/engine.h"

static const char *const decision_names[XJ_DECISION_COUNT] = {
#define XJ__DECISION_NAME(name, text) text,
    XJ_DECISION_LIST(XJ__DECISION_NAME)
#undef XJ__DECISION_NAME
};

const char *xj_decision_name(xj_decision d)
{
    return (unsigned)d < XJ_DECISION_COUNT ? decision_names[d] : "?";
}

int xj_decision_parse(const char *s, size_t len, xj_decision *out)
{
    for (unsigned i = 0; i < XJ_DECISION_COUNT; i++) {
        if (strlen(decision_names[i]) == len && memcmp(decision_names[i], s, len) == 0) {
            *out = (xj_decision)i;
            return XJ_OK;
        }
    }
    return XJ_ERR_ARG;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

void xj_number_make_g(const char id18[18], char out[XJ_NUMBER_LEN + 1])
{
    out[0] = 'G';
    memcpy(out + 1, id18, 18);
    out[XJ_NUMBER_LEN] = '\0';
}

int xj_number_make_j(const char region6[6], const char birth8[8], unsigned seq,
                     char out[XJ_NUMBER_LEN + 1])
{
    if (!all_digits(region6, 6) || !all_digits(birth8, 8) || seq > 999)
        return XJ_ERR_ARG;
    out[0] = 'J';
    memcpy(out + 1, region6, 6);
    memcpy(out + 7, birth8, 8);
    out[15] = (char)('0' + seq / 100);
    out[16] = (char)('0' + seq / 10 % 10);
    out[17] = (char)('0' + seq % 10);
    out[18] = xj_idcard_check_char(out + 1);
    out[XJ_NUMBER_LEN] = '\0';
    return XJ_OK;
}

int xj_number_make_l(const char region6[6], const char birth8[8], unsigned seq,
                     char out[XJ_NUMBER_LEN + 1])
{
    if (!all_digits(region6, 6) || !all_digits(birth8, 8) || seq > 9999)
        return XJ_ERR_ARG;
    out[0] = 'L';
    memcpy(out + 1, region6, 6);
    memcpy(out + 7, birth8, 8);
    for (int i = 3; i >= 0; i--, seq /= 10)
        out[15 + i] = (char)('0' + seq % 10);
    out[XJ_NUMBER_LEN] = '\0';
    return XJ_OK;
}

xj_number_kind xj_number_check(const char *s, size_t len)
{
    if (!s || len != XJ_NUMBER_LEN)
        return XJ_NUMBER_NONE;
    switch (s[0]) {
    case 'G':
        if (all_digits(s + 1, 17) && xj_idcard_check_char(s + 1) == s[18])
            return XJ_NUMBER_G;
        return XJ_NUMBER_NONE;
    case 'J':
        if (all_digits(s + 1, 17) && xj_idcard_check_char(s + 1) == s[18])
            return XJ_NUMBER_J;
        return XJ_NUMBER_NONE;
    case 'L':
        return all_digits(s + 1, 18) ? XJ_NUMBER_L : XJ_NUMBER_NONE;
    default:
        return XJ_NUMBER_NONE;
    }
}
