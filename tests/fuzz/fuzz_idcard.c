/*
 * fuzz_idcard.c: libFuzzer target for the resident-ID parser.
 *
 * Feeds arbitrary bytes to xj_idcard_parse, then to the suggestion search,
 * the mask and the packing, and checks what must hold whatever the input:
 *  - the verdict only uses known error bits, and ID_EMPTY stands alone;
 *  - a normalized form is 18 characters of digits and a final [0-9X]; it
 *    fails the checksum only with ID_CHECKSUM or ID_EXCEL_DAMAGE set, and
 *    never has ID_CHECKSUM set when it passes;
 *  - a valid ID has a real birth date, a gender and a known division code;
 *  - pack and unpack give back the same 18 characters;
 *  - every suggestion parses as valid, and suggestions come best first;
 *  - the mask keeps the length and is plain ASCII.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xj/normalize.h"

#define TODAY 20240101u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int cond)
{
    if (!cond)
        abort();
}

static int all_bits_known(unsigned errors)
{
    unsigned known = 0;
#define XJ__FUZZ_BIT(name, bit, code, msg) known |= 1u << bit;
    XJ_ID_ERROR_LIST(XJ__FUZZ_BIT)
#undef XJ__FUZZ_BIT
    return (errors & ~known) == 0;
}

static void check_normalized(const xj_idcard *id)
{
    const char *n = id->normalized;
    require(strlen(n) == 18);
    for (int i = 0; i < 17; i++)
        require(n[i] >= '0' && n[i] <= '9');
    require((n[17] >= '0' && n[17] <= '9') || n[17] == 'X');
    int checks = xj_idcard_check_char(n) == n[17];
    int flagged = (id->errors & (XJ_ID_CHECKSUM | XJ_ID_EXCEL_DAMAGE)) != 0;
    if (checks)
        require(!(id->errors & XJ_ID_CHECKSUM));
    else
        require(flagged);
    require(id->gender == 'M' || id->gender == 'F');
    require(strncmp(id->region, n, 6) == 0 && id->region[6] == '\0');

    uint8_t packed[8];
    char back[18];
    require(xj_idcard_pack(n, packed) == 0);
    xj_idcard_unpack(packed, back);
    require(memcmp(back, n, 18) == 0);

    xj_id_suggestion sug[40];
    size_t count = xj_idcard_suggest(n, 20080101u, 'M', TODAY, sug, 40);
    require(count <= 40);
    if (checks)
        require(count == 0);
    for (size_t i = 0; i < count; i++) {
        xj_idcard s;
        require(xj_idcard_parse(sug[i].id, 18, TODAY, &s) == XJ_OK);
        require(s.errors == 0 || s.errors == XJ_ID_EXCEL_DAMAGE);
        if (i > 0)
            require(sug[i - 1].score >= sug[i].score);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    xj_idcard id;
    require(xj_idcard_parse(in, size, TODAY, &id) == XJ_OK);
    require(all_bits_known(id.errors));
    if (id.errors & XJ_ID_EMPTY)
        require(id.errors == XJ_ID_EMPTY);
    if (id.normalized[0] != '\0')
        check_normalized(&id);
    else
        require(id.region[0] == '\0' && id.gender == 0);
    if (id.errors == 0) {
        require(id.birth_year >= 1850 && id.birth_month >= 1 && id.birth_day >= 1);
        require(xj_region_known(id.region));
        require(xj_region_name(id.region) != NULL);
    }

    /* The parse must not depend on the bytes after the input. */
    char *copy = malloc(size + 1);
    if (copy) {
        memcpy(copy, data, size);
        copy[size] = '7';
        xj_idcard again;
        xj_idcard_parse(copy, size, TODAY, &again);
        require(memcmp(&again, &id, sizeof id) == 0);
        free(copy);
    }

    char *masked = malloc(size + 1);
    if (masked) {
        xj_idcard_mask(in, size, masked);
        require(strlen(masked) == size);
        for (size_t i = 0; i < size; i++)
            require((unsigned char)masked[i] < 0x80);
        free(masked);
    }
    return 0;
}
