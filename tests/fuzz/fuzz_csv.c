/*
 * fuzz_csv.c: the CSV reader over arbitrary bytes, in both encodings.
 * Invariants: no crash or sanitizer report; every field is NUL-terminated and
 * lies inside the record; the reader ends with 0 or a documented error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "xj/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    for (int enc = 0; enc < 2; enc++) {
        FILE *fp = fmemopen((void *)data, size, "rb");
        if (!fp)
            return 0;
        xj_csv_reader *r;
        if (xj_csv_open(fp, (xj_csv_encoding)enc, &r) != XJ_OK) {
            fclose(fp);
            return 0;
        }
        const xj_slice *f;
        size_t n;
        int rc;
        while ((rc = xj_csv_next(r, &f, &n)) == 1) {
            if (n == 0)
                abort();
            for (size_t i = 0; i < n; i++)
                if (f[i].ptr[f[i].len] != '\0' || f[i].len > XJ_CSV_FIELD_MAX)
                    abort();
        }
        if (rc != 0 && rc != XJ_ERR_CSV_QUOTE && rc != XJ_ERR_ENCODING)
            abort();
        xj_csv_close(r);
        fclose(fp);
    }
    return 0;
}
