/*
 * idcard_int.h: what the resident-ID files of normalize/ share and nobody
 * else sees: the division-code table generated at build time from
 * data/gb2260.tsv, and the date rules that both the parser and the
 * suggestion search apply.
 *
 * The table (written by tools/gen_regions.c into ${XJ_GEN_DIR}/regions_table.c)
 * is read-only data: every code once, ascending, so that region.c can look a
 * code up by binary search inside the slice that its first three digits
 * select.  Layout, entry i of xj__region_count:
 *
 *   xj__region_codes[i]     the code as an integer, 110101 .. 830000
 *   xj__region_code_str[i]  the same as six digits + NUL
 *   xj__region_names[i]     full UTF-8 name, never NULL (may be "")
 *   xj__region_current[i]   1 when in force (see data/gb2260.SOURCE.md)
 *   xj__region_first[p]     for p in 0..1000: the first i whose code is at
 *                           least p * 1000, so codes with prefix p lie in
 *                           [first[p], first[p + 1])
 */
#ifndef XJ_IDCARD_INT_H
#define XJ_IDCARD_INT_H

#include <stddef.h>
#include <stdint.h>

extern const size_t xj__region_count;
extern const uint32_t xj__region_codes[];
extern const char xj__region_code_str[][7];
extern const char *const xj__region_names[];
extern const uint8_t xj__region_current[];
extern const uint16_t xj__region_first[1001];

/* Returns the table index of a division code given as an integer, or -1. */
long xj__region_find(uint32_t code);

/* The earliest birth year accepted.  GB 11643-1999 took effect in 1999;
 * nobody alive then and holding a card had been born before this. */
#define XJ__ID_MIN_YEAR 1850

/* Returns 1 when y-m-d is a date of the Gregorian calendar (GB 11643-1999
 * §5.3: the birth date as YYYYMMDD per GB/T 7408), with years 1850..9999;
 * whether it lies in the future is checked apart, against "today". */
int xj__id_date_real(int y, int m, int d);

#endif /* XJ_IDCARD_INT_H */
