/*
 * test_csv.c: the CSV reader against RFC 4180 cases, the line-ending and BOM
 * variants real exports produce, GB18030 input, and the row flags that let a
 * caller report a bad row instead of losing it.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "xj/common.h"

/* Reads all of text and renders it as "a|b|c\n" per record, with "[flags]"
 * appended when a row is flagged.  Returns the reader's final status. */
static int render(const char *text, size_t len, xj_csv_encoding enc, char *out, size_t cap)
{
    FILE *fp = fmemopen((void *)text, len, "rb");
    cr_assert_not_null(fp);
    xj_csv_reader *r;
    cr_assert_eq(xj_csv_open(fp, enc, &r), XJ_OK);
    const xj_slice *f;
    size_t n;
    int rc;
    size_t o = 0;
    out[0] = '\0';
    while ((rc = xj_csv_next(r, &f, &n)) == 1) {
        for (size_t i = 0; i < n; i++) {
            o +=
                (size_t)snprintf(out + o, cap - o, "%s%.*s", i ? "|" : "", (int)f[i].len, f[i].ptr);
            cr_assert_eq(f[i].ptr[f[i].len], '\0', "fields are NUL-terminated");
        }
        if (xj_csv_row_flags(r))
            o += (size_t)snprintf(out + o, cap - o, "[%u]", xj_csv_row_flags(r));
        o += (size_t)snprintf(out + o, cap - o, "@%llu\n", (unsigned long long)xj_csv_line(r));
    }
    xj_csv_close(r);
    fclose(fp);
    return rc;
}

#define CHECK(in, expect)                                                                          \
    do {                                                                                           \
        char buf[4096];                                                                            \
        cr_assert_eq(render(in, sizeof(in) - 1, XJ_CSV_UTF8, buf, sizeof buf), 0);                 \
        cr_assert_str_eq(buf, expect);                                                             \
    } while (0)

Test(csv, plain_lf_and_crlf)
{
    CHECK("a,b\n1,2\n", "a|b@1\n1|2@2\n");
    CHECK("a,b\r\n1,2\r\n", "a|b@1\n1|2@2\n");
    CHECK("a,b\r\n1,2", "a|b@1\n1|2@2\n");
    CHECK("a,b\r1,2\r", "a|b@1\n1|2@2\n");
}

Test(csv, quoted_fields_hold_commas_quotes_and_newlines)
{
    CHECK("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\nx,y,z\n",
          "a,b|say \"hi\"|two\nlines@1\nx|y|z@3\n");
    CHECK("\"\",,\"\"\n", "||@1\n");
}

Test(csv, empty_fields_and_blank_lines)
{
    CHECK("a,,c\n\n\r\n,,\n", "a||c@1\n||@4\n");
    /* A line holding only "" is a row with one empty field. */
    CHECK("h\n\"\"\n", "h@1\n@2\n");
}

Test(csv, utf8_bom_is_skipped_once)
{
    CHECK("\xEF\xBB\xBFname,id\n\xEF\xBB\xBF\n", "name|id@1\n\xEF\xBB\xBF@2\n");
}

Test(csv, chinese_text_passes_through)
{
    CHECK("姓名,性别\n张伟,男\n", "姓名|性别@1\n张伟|男@2\n");
}

Test(csv, stray_quotes_are_kept_and_flagged)
{
    char expect[64];
    snprintf(expect, sizeof expect, "ab\"c|d@1\nx|y@2\n");
    char buf[256];
    const char in[] = "ab\"c,d\nx,y\n";
    render(in, sizeof in - 1, XJ_CSV_UTF8, buf, sizeof buf);
    snprintf(expect, sizeof expect, "ab\"c|d[%u]@1\nx|y@2\n", (unsigned)XJ_CSV_ROW_BAD_QUOTE);
    cr_assert_str_eq(buf, expect);

    const char in2[] = "\"ab\"c,d\n";
    render(in2, sizeof in2 - 1, XJ_CSV_UTF8, buf, sizeof buf);
    snprintf(expect, sizeof expect, "abc|d[%u]@1\n", (unsigned)XJ_CSV_ROW_BAD_QUOTE);
    cr_assert_str_eq(buf, expect);
}

Test(csv, bad_utf8_and_nul_are_flagged_not_dropped)
{
    char buf[256], expect[64];
    const char in[] = "a\xFF,b\nc,d\n";
    cr_assert_eq(render(in, sizeof in - 1, XJ_CSV_UTF8, buf, sizeof buf), 0);
    snprintf(expect, sizeof expect, "a\xFF|b[%u]@1\nc|d@2\n", (unsigned)XJ_CSV_ROW_BAD_UTF8);
    cr_assert_str_eq(buf, expect);

    const char in2[] = "a\0b,c\n";
    cr_assert_eq(render(in2, sizeof in2 - 1, XJ_CSV_UTF8, buf, sizeof buf), 0);
    cr_assert(strstr(buf, "[4]") != NULL, "NUL flagged: %s", buf);
}

Test(csv, unterminated_quote_is_an_input_error)
{
    char buf[256];
    const char in[] = "a,b\n\"never closed,1\n2,3\n";
    cr_assert_eq(render(in, sizeof in - 1, XJ_CSV_UTF8, buf, sizeof buf), XJ_ERR_CSV_QUOTE);
}

Test(csv, long_fields_are_cut_and_flagged)
{
    size_t n = XJ_CSV_FIELD_MAX + 100;
    char *in = malloc(n + 8);
    memset(in, 'a', n);
    memcpy(in + n, ",b\n", 3);
    FILE *fp = fmemopen(in, n + 3, "rb");
    xj_csv_reader *r;
    cr_assert_eq(xj_csv_open(fp, XJ_CSV_UTF8, &r), XJ_OK);
    const xj_slice *f;
    size_t nf;
    cr_assert_eq(xj_csv_next(r, &f, &nf), 1);
    cr_assert_eq(nf, 2);
    cr_assert_eq(f[0].len, XJ_CSV_FIELD_MAX);
    cr_assert_str_eq(f[1].ptr, "b");
    cr_assert(xj_csv_row_flags(r) & XJ_CSV_ROW_FIELD_LONG);
    cr_assert_eq(xj_csv_next(r, &f, &nf), 0);
    xj_csv_close(r);
    fclose(fp);
    free(in);
}

Test(csv, records_spanning_many_chunks)
{
    /* 20,000 rows cross several 64 KiB refills, with a quoted newline now and
     * then: every row must come back once, in order, with its line number. */
    size_t cap = 2u << 20, o = 0;
    char *in = malloc(cap);
    for (int i = 0; i < 20000; i++)
        o += (size_t)snprintf(in + o, cap - o, i % 7 ? "%d,name%d\n" : "%d,\"x\ny%d\"\n", i, i);
    FILE *fp = fmemopen(in, o, "rb");
    xj_csv_reader *r;
    cr_assert_eq(xj_csv_open(fp, XJ_CSV_UTF8, &r), XJ_OK);
    const xj_slice *f;
    size_t nf;
    uint64_t line = 1;
    for (int i = 0; i < 20000; i++) {
        cr_assert_eq(xj_csv_next(r, &f, &nf), 1);
        cr_assert_eq(atoi(f[0].ptr), i);
        cr_assert_eq(xj_csv_line(r), line);
        line += (i % 7) ? 1 : 2;
    }
    cr_assert_eq(xj_csv_next(r, &f, &nf), 0);
    xj_csv_close(r);
    fclose(fp);
    free(in);
}

Test(csv, gb18030_is_converted)
{
    /* "姓名,性别\n张伟,男\n" in GB18030. */
    const char in[] = "\xD0\xD5\xC3\xFB,\xD0\xD4\xB1\xF0\n\xD5\xC5\xCE\xB0,\xC4\xD0\n";
    char buf[256];
    cr_assert_eq(render(in, sizeof in - 1, XJ_CSV_GB18030, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "姓名|性别@1\n张伟|男@2\n");
}

Test(csv, gb18030_rejects_bytes_outside_the_encoding)
{
    const char in[] = "a,b\n\x81\x20,c\n";
    char buf[256];
    cr_assert_eq(render(in, sizeof in - 1, XJ_CSV_GB18030, buf, sizeof buf), XJ_ERR_ENCODING);
}

Test(csv, encoding_names)
{
    xj_csv_encoding e;
    cr_assert_eq(xj_csv_encoding_parse("GBK", &e), XJ_OK);
    cr_assert_eq(e, XJ_CSV_GB18030);
    cr_assert_eq(xj_csv_encoding_parse("utf-8", &e), XJ_OK);
    cr_assert_eq(e, XJ_CSV_UTF8);
    cr_assert_eq(xj_csv_encoding_parse("latin1", &e), XJ_ERR_ARG);
}

Test(csv, header_mapping_in_english_or_chinese)
{
    static const xj_csv_column cols[] = {
        {"record_id", "记录号", 1}, {"name", "姓名", 1}, {"grade", "年级", 0}};
    const char *h0 = "\xEF\xBB\xBF 姓名 ";
    xj_slice hdr[] = {{h0, strlen(h0)}, {"extra", 5}, {"Record_ID", 9}};
    int idx[3];
    const xj_csv_column *missing;
    cr_assert_eq(xj_csv_map_header(hdr, 3, cols, 3, idx, &missing), XJ_OK);
    cr_assert_eq(idx[0], 2);
    cr_assert_eq(idx[1], 0);
    cr_assert_eq(idx[2], -1);

    xj_slice hdr2[] = {{"name", 4}};
    cr_assert_eq(xj_csv_map_header(hdr2, 1, cols, 3, idx, &missing), XJ_ERR_CSV_HEADER);
    cr_assert_str_eq(missing->en, "record_id");
}

Test(csv, header_decorations_and_other_names)
{
    /* A province's template: required-field stars, notes in parentheses,
     * and the names its export gives the columns. */
    static const xj_csv_column cols[] = {{"name", "姓名", 1},
                                         {"birth_date", "出生日期", 1},
                                         {"id_number", "身份证件号", 0},
                                         {"hukou_region", "户口所在地", 0},
                                         {"guardian_id", "监护人身份证件号", 0}};
    static const char *const cells[] = {"*姓名", "出生日期（YYYY-MM-DD）*", "身份证号码",
                                        "户籍所在地(6位代码)", "＊监护人身份证号"};
    xj_slice hdr[5];
    for (int i = 0; i < 5; i++)
        hdr[i] = (xj_slice){cells[i], strlen(cells[i])};
    int idx[5];
    const xj_csv_column *missing;
    cr_assert_eq(xj_csv_map_header(hdr, 5, cols, 5, idx, &missing), XJ_OK);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(idx[i], i, "column %d (%s)", i, cells[i]);
    /* Only around the name: a note alone, or another word, is no match. */
    static const char *const other[] = {"(姓名)", "姓名拼音", "曾用名"};
    for (int i = 0; i < 3; i++) {
        xj_slice one = {other[i], strlen(other[i])};
        cr_assert_eq(xj_csv_map_header(&one, 1, cols, 1, idx, &missing), XJ_ERR_CSV_HEADER, "%s",
                     other[i]);
    }
}

Test(csv, writers_escape)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    xj_csv_put_field(fp, "plain", 5);
    fputc(',', fp);
    xj_csv_put_field(fp, "a,\"b\"\n", 6);
    fputc(' ', fp);
    xj_json_put_string(fp, "x\"\\\n\x01\xFF张", 9);
    fclose(fp);
    cr_assert_str_eq(out, "plain,\"a,\"\"b\"\"\n\" \"x\\\"\\\\\\n\\u0001\xEF\xBF\xBD张\"");
    free(out);
}

Test(status, every_code_has_a_message_and_name)
{
    cr_assert_str_eq(xj_strerror(XJ_OK), "success");
    cr_assert_str_eq(xj_status_name(XJ_ERR_CSV_QUOTE), "XJ_ERR_CSV_QUOTE");
    cr_assert_str_eq(xj_strerror(-1), "unknown status");
}

Test(utf8, decode_rejects_overlongs_and_surrogates)
{
    size_t adv;
    cr_assert_eq(xj_utf8_decode((const unsigned char *)"\xC0\x80", 2, &adv), -1);
    cr_assert_eq(xj_utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &adv), -1);
    cr_assert_eq(xj_utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &adv), -1);
    cr_assert_eq(xj_utf8_decode((const unsigned char *)"\xF0\xA0\x80\x80", 4, &adv), 0x20000);
    cr_assert_eq(adv, 4);
    char b[4];
    cr_assert_eq(xj_utf8_encode(0x5F20, b), 3);
    cr_assert_eq(memcmp(b, "张", 3), 0);
}
