/*
 * idcard_pack.c: the compact and the masked forms of an ID.
 *
 * The index keys people by ID, hundreds of millions of them, so an ID is
 * stored as 8 bytes instead of 18 characters.  The packing keeps order: the
 * 17 digits read as one decimal number D and the check character as a value
 * c (0..9, X = 10) give v = D * 11 + c, written big-endian, so that comparing
 * the bytes compares the IDs character by character ('X' sorts after '9').
 * v < 10^17 * 11 < 2^60, so the top four bits are always zero.
 *
 * The masked form is what logs and review reports may show: the division
 * code, which a school already knows, and the last four characters, which
 * people use to tell two numbers apart; never the birth date.
 */
#include "xj/normalize.h"

#define PACK_DIGITS_LIMIT 100000000000000000ull /* 10^17: bound of the 17 digits */

int xj_idcard_pack(const char id18[18], uint8_t out[8])
{
    if (!id18 || !out)
        return -1;
    uint64_t v = 0;
    for (int i = 0; i < 17; i++) {
        unsigned d = (unsigned)(unsigned char)id18[i] - '0';
        if (d > 9)
            return -1;
        v = v * 10 + d;
    }
    unsigned c;
    if (id18[17] == 'X')
        c = 10;
    else if ((c = (unsigned)(unsigned char)id18[17] - '0') > 9)
        return -1;
    v = v * 11 + c;
    for (int i = 7; i >= 0; i--) {
        out[i] = (uint8_t)(v & 0xFF);
        v >>= 8;
    }
    return 0;
}

void xj_idcard_unpack(const uint8_t in[8], char id18[18])
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | in[i];
    unsigned c = (unsigned)(v % 11);
    /* Bytes that no pack produced still unpack to 18 valid characters, so
     * that a corrupt key shows up as a wrong ID rather than as garbage. */
    uint64_t digits = (v / 11) % PACK_DIGITS_LIMIT;
    id18[17] = c == 10 ? 'X' : (char)('0' + c);
    for (int i = 16; i >= 0; i--) {
        id18[i] = (char)('0' + digits % 10);
        digits /= 10;
    }
}

char *xj_idcard_mask(const char *id, size_t len, char *out)
{
    /* Keep six leading and four trailing characters only when at least four
     * are hidden between them; anything shorter is not an ID anyone could
     * use, and is hidden whole rather than leak a fragment of one.  Kept
     * bytes outside ASCII are hidden too, so the result is plain ASCII. */
    size_t head = len >= 14 ? 6 : 0;
    size_t tail = len >= 14 ? 4 : 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)id[i];
        int shown = (i < head || i >= len - tail) && ch >= 0x20 && ch < 0x7F;
        out[i] = shown ? (char)ch : '*';
    }
    out[len] = '\0';
    return out;
}
