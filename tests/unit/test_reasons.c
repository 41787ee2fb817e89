/*
 * test_reasons.c: the reason vocabulary.  Codes are upper-case, unique,
 * formatted in list order, and every one of them is documented in the
 * README (the results contract says the list is there).
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xj/engine.h"

Test(reasons, codes_are_upper_case_and_unique)
{
    for (unsigned i = 0; i < XJ_REASON_COUNT; i++) {
        const char *c = xj_reason_code((xj_reason)i);
        for (const char *p = c; *p; p++)
            cr_assert(isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_', "%s",
                      c);
        cr_assert(strlen(xj_reason_text_zh((xj_reason)i)) > 0);
        for (unsigned j = 0; j < i; j++)
            cr_assert_str_neq(c, xj_reason_code((xj_reason)j));
    }
    cr_assert_str_eq(xj_reason_code(XJ_REASON_COUNT), "?");
}

Test(reasons, formatted_in_list_order)
{
    xj_reasons r;
    memset(&r, 0, sizeof r);
    xj_reasons_add(&r, XJ_R_POP_NOT_FOUND);
    xj_reasons_add(&r, XJ_R_ID_EXACT);
    xj_reasons_add(&r, XJ_R_BIRTH_EQ);
    char buf[256];
    xj_reasons_format(&r, buf, sizeof buf);
    cr_assert_str_eq(buf, "ID_EXACT;BIRTH_EQ;POP_NOT_FOUND");
    cr_assert(xj_reasons_has(&r, XJ_R_BIRTH_EQ));
    cr_assert_not(xj_reasons_has(&r, XJ_R_BIRTH_DIFF));
    /* A buffer too small cuts at a code boundary, never inside a code. */
    xj_reasons_format(&r, buf, 12);
    cr_assert_str_eq(buf, "ID_EXACT");
}

Test(reasons, every_code_is_in_the_readme)
{
    FILE *fp = fopen(XJ_SOURCE_DIR "/README.md", "rb");
    cr_assert_not_null(fp, "README.md not found");
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    text[n] = '\0';
    fclose(fp);
    for (unsigned i = 0; i < XJ_REASON_COUNT; i++) {
        char needle[64];
        snprintf(needle, sizeof needle, "`%s`", xj_reason_code((xj_reason)i));
        cr_assert(strstr(text, needle) != NULL, "README does not document %s", needle);
    }
    /* The ID error codes are reasons too. */
    for (unsigned bit = 1; bit <= XJ_ID_EXCEL_DAMAGE; bit <<= 1) {
        char needle[64];
        snprintf(needle, sizeof needle, "`%s`", xj_id_error_code(bit));
        cr_assert(strstr(text, needle) != NULL, "README does not document %s", needle);
    }
}
