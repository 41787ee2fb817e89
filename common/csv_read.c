/*
 * csv_read.c: the streaming RFC 4180 reader behind every input file.
 *
 * Provincial files come from spreadsheets and school systems of every age, so
 * the reader is strict about what would lose rows and lenient about what
 * would not:
 *
 *  - A quoted field that is never closed swallows the rest of the file, so it
 *    is an error for the whole input (XJ_ERR_CSV_QUOTE, with its line): the
 *    reader cannot tell where the rows are any more.
 *  - A stray quote inside an unquoted field, text after a closing quote, bytes
 *    that are not UTF-8, a NUL, an over-long field: the row is still returned,
 *    flagged, so that the caller can judge it INVALID and say why.  Every input
 *    row comes out exactly once.
 *
 * GB18030 (and GBK, its subset) input is converted to UTF-8 chunk by chunk
 * with ICU's ucnv_convertEx; the rest of the reader only ever sees UTF-8.
 * Memory is one input chunk plus the longest record, whatever the file size.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>

#include "xj/common.h"

#define CHUNK (1u << 16)

struct xj_csv_reader {
    FILE *fp;
    xj_csv_encoding enc;

    /* UTF-8 bytes ready to parse: buf[pos..len). */
    char *buf;
    size_t pos, len;
    int eof;       /* no more bytes will come into buf */
    int at_start;  /* nothing returned yet: a BOM may follow */
    uint64_t line; /* physical line of the next byte, 1-based */

    /* GB18030 conversion state, kept across chunks so that a character split
     * over two reads converts correctly. */
    UConverter *from, *to;
    char *raw;
    size_t raw_pos, raw_len;
    int raw_eof;
    UChar pivot[CHUNK / 2];
    UChar *pivot_src, *pivot_dst;

    /* The record last returned: field bytes, each followed by a NUL. */
    char *rec;
    size_t rec_len, rec_cap;
    size_t *starts; /* offset of each field in rec */
    xj_slice *fields;
    size_t nfields, fields_cap;
    unsigned flags;
    int quoted; /* some field of the record was quoted */
    uint64_t rec_line;
};

int xj_csv_encoding_parse(const char *name, xj_csv_encoding *out)
{
    if (!name || !out)
        return XJ_ERR_ARG;
    if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0) {
        *out = XJ_CSV_UTF8;
        return XJ_OK;
    }
    if (strcasecmp(name, "gb18030") == 0 || strcasecmp(name, "gbk") == 0 ||
        strcasecmp(name, "gb2312") == 0) {
        *out = XJ_CSV_GB18030;
        return XJ_OK;
    }
    return XJ_ERR_ARG;
}

int xj_csv_open(FILE *fp, xj_csv_encoding enc, xj_csv_reader **out)
{
    if (!fp || !out)
        return XJ_ERR_ARG;
    *out = NULL;
    xj_csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return XJ_ERR_NOMEM;
    r->fp = fp;
    r->enc = enc;
    r->at_start = 1;
    r->line = 1;
    r->buf = malloc(CHUNK);
    r->rec_cap = 1024;
    r->rec = malloc(r->rec_cap);
    r->fields_cap = 32;
    r->starts = malloc(r->fields_cap * sizeof *r->starts);
    r->fields = malloc(r->fields_cap * sizeof *r->fields);
    if (!r->buf || !r->rec || !r->starts || !r->fields) {
        xj_csv_close(r);
        return XJ_ERR_NOMEM;
    }
    if (enc == XJ_CSV_GB18030) {
        UErrorCode ue = U_ZERO_ERROR;
        r->from = ucnv_open("GB18030", &ue);
        if (U_SUCCESS(ue))
            r->to = ucnv_open("UTF-8", &ue);
        /* Stop at bytes that are not GB18030 instead of inventing characters:
         * such a file was almost certainly declared with the wrong encoding. */
        if (U_SUCCESS(ue))
            ucnv_setToUCallBack(r->from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &ue);
        r->raw = malloc(CHUNK);
        if (U_FAILURE(ue) || !r->raw) {
            xj_csv_close(r);
            return U_FAILURE(ue) ? XJ_ERR_ENCODING : XJ_ERR_NOMEM;
        }
        r->pivot_src = r->pivot_dst = r->pivot;
    }
    *out = r;
    return XJ_OK;
}

void xj_csv_close(xj_csv_reader *r)
{
    if (!r)
        return;
    if (r->from)
        ucnv_close(r->from);
    if (r->to)
        ucnv_close(r->to);
    free(r->raw);
    free(r->buf);
    free(r->rec);
    free(r->starts);
    free(r->fields);
    free(r);
}

/* Converts the next piece of GB18030 input into buf.  Returns XJ_OK,
 * XJ_ERR_IO or XJ_ERR_ENCODING. */
static int refill_gb18030(xj_csv_reader *r)
{
    char *dst = r->buf;
    char *const limit = r->buf + CHUNK;
    while (dst == r->buf && !r->eof) {
        if (r->raw_pos == r->raw_len && !r->raw_eof) {
            r->raw_len = fread(r->raw, 1, CHUNK, r->fp);
            r->raw_pos = 0;
            if (r->raw_len < CHUNK) {
                if (ferror(r->fp))
                    return XJ_ERR_IO;
                r->raw_eof = 1;
            }
        }
        const char *src = r->raw + r->raw_pos;
        UErrorCode ue = U_ZERO_ERROR;
        ucnv_convertEx(r->to, r->from, &dst, limit, &src, r->raw + r->raw_len, r->pivot,
                       &r->pivot_src, &r->pivot_dst, r->pivot + sizeof r->pivot / sizeof(UChar), 0,
                       (UBool)r->raw_eof, &ue);
        r->raw_pos = (size_t)(src - r->raw);
        if (ue == U_BUFFER_OVERFLOW_ERROR)
            break;
        if (U_FAILURE(ue))
            return XJ_ERR_ENCODING;
        if (r->raw_eof && r->raw_pos == r->raw_len)
            r->eof = 1;
    }
    r->pos = 0;
    r->len = (size_t)(dst - r->buf);
    return XJ_OK;
}

/* Makes at least one unread byte available unless the input is exhausted.
 * Returns 1 when a byte is available, 0 at the end, or a negative status. */
static int fill(xj_csv_reader *r)
{
    while (r->pos == r->len) {
        if (r->eof)
            return 0;
        if (r->enc == XJ_CSV_GB18030) {
            int rc = refill_gb18030(r);
            if (rc)
                return rc;
            continue;
        }
        r->len = fread(r->buf, 1, CHUNK, r->fp);
        r->pos = 0;
        if (r->len < CHUNK) {
            if (ferror(r->fp))
                return XJ_ERR_IO;
            r->eof = 1;
        }
    }
    return 1;
}

static int rec_put(xj_csv_reader *r, char c)
{
    if (r->rec_len + 1 >= r->rec_cap) {
        size_t cap = r->rec_cap * 2;
        char *p = realloc(r->rec, cap);
        if (!p)
            return XJ_ERR_NOMEM;
        r->rec = p;
        r->rec_cap = cap;
    }
    r->rec[r->rec_len++] = c;
    return XJ_OK;
}

/* Appends a byte to the current field, cutting fields at XJ_CSV_FIELD_MAX so
 * that one absurd cell cannot hold the whole record buffer hostage. */
static int field_put(xj_csv_reader *r, char c)
{
    if (r->rec_len - r->starts[r->nfields] >= XJ_CSV_FIELD_MAX) {
        r->flags |= XJ_CSV_ROW_FIELD_LONG;
        return XJ_OK;
    }
    if (c == '\0')
        r->flags |= XJ_CSV_ROW_NUL;
    return rec_put(r, c);
}

static int field_begin(xj_csv_reader *r)
{
    if (r->nfields + 1 >= r->fields_cap) {
        size_t cap = r->fields_cap * 2;
        size_t *s = realloc(r->starts, cap * sizeof *s);
        if (!s)
            return XJ_ERR_NOMEM;
        r->starts = s;
        xj_slice *f = realloc(r->fields, cap * sizeof *f);
        if (!f)
            return XJ_ERR_NOMEM;
        r->fields = f;
        r->fields_cap = cap;
    }
    r->starts[r->nfields] = r->rec_len;
    return XJ_OK;
}

static int field_end(xj_csv_reader *r)
{
    int rc = rec_put(r, '\0');
    r->nfields++;
    return rc;
}

/* Reads one physical record into rec/starts.  Returns 1, 0 at the end of the
 * input (nothing read), or a negative status. */
static int read_record(xj_csv_reader *r)
{
    enum { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE } st = FIELD_START;
    int rc, got_any = 0;

    r->rec_len = 0;
    r->nfields = 0;
    r->flags = 0;
    r->quoted = 0;
    r->rec_line = r->line;
    if ((rc = field_begin(r)) != XJ_OK)
        return rc;

    for (;;) {
        rc = fill(r);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            if (st == QUOTED)
                return XJ_ERR_CSV_QUOTE;
            if (!got_any)
                return 0;
            return field_end(r) == XJ_OK ? 1 : XJ_ERR_NOMEM;
        }
        char c = r->buf[r->pos++];
        got_any = 1;

        if (st == QUOTED) {
            if (c == '"') {
                st = AFTER_QUOTE;
                continue;
            }
            if (c == '\n')
                r->line++;
            if (r->rec_len >= XJ_CSV_RECORD_MAX)
                return XJ_ERR_CSV_QUOTE;
            if ((rc = field_put(r, c)) != XJ_OK)
                return rc;
            continue;
        }
        if (st == AFTER_QUOTE && c == '"') {
            /* A doubled quote inside a quoted field stands for one quote. */
            if ((rc = field_put(r, '"')) != XJ_OK)
                return rc;
            st = QUOTED;
            continue;
        }
        if (c == ',') {
            if ((rc = field_end(r)) != XJ_OK || (rc = field_begin(r)) != XJ_OK)
                return rc;
            st = FIELD_START;
            continue;
        }
        if (c == '\n' || c == '\r') {
            r->line++;
            if (c == '\r') {
                rc = fill(r);
                if (rc < 0)
                    return rc;
                if (rc == 1 && r->buf[r->pos] == '\n')
                    r->pos++;
            }
            return field_end(r) == XJ_OK ? 1 : XJ_ERR_NOMEM;
        }
        if (st == FIELD_START && c == '"') {
            st = QUOTED;
            r->quoted = 1;
            continue;
        }
        if (st == AFTER_QUOTE || c == '"')
            r->flags |= XJ_CSV_ROW_BAD_QUOTE;
        st = UNQUOTED;
        if ((rc = field_put(r, c)) != XJ_OK)
            return rc;
    }
}

int xj_csv_next(xj_csv_reader *r, const xj_slice **fields, size_t *nfields)
{
    if (!r || !fields || !nfields)
        return XJ_ERR_ARG;
    for (;;) {
        if (r->at_start) {
            int rc = fill(r);
            if (rc < 0)
                return rc;
            if (rc == 1 && r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
                r->pos += 3;
            r->at_start = 0;
        }
        int rc = read_record(r);
        if (rc <= 0)
            return rc;
        /* Spreadsheet exports leave blank lines; they are not rows.  A line
         * holding only "" is a row with one empty field, and is kept. */
        if (r->nfields == 1 && r->rec_len == 1 && !r->quoted)
            continue;
        break;
    }
    for (size_t i = 0; i < r->nfields; i++) {
        size_t end = (i + 1 < r->nfields) ? r->starts[i + 1] - 1 : r->rec_len - 1;
        r->fields[i].ptr = r->rec + r->starts[i];
        r->fields[i].len = end - r->starts[i];
        if (!xj_utf8_valid(r->fields[i].ptr, r->fields[i].len))
            r->flags |= XJ_CSV_ROW_BAD_UTF8;
    }
    *fields = r->fields;
    *nfields = r->nfields;
    return 1;
}

unsigned xj_csv_row_flags(const xj_csv_reader *r)
{
    return r ? r->flags : 0;
}

uint64_t xj_csv_line(const xj_csv_reader *r)
{
    return r ? r->rec_line : 0;
}

/* Trims white space and a leading BOM from a header cell: headers typed in
 * Excel often carry them. */
/* A header cell as templates decorate it: the required-field star (*姓名,
 * 姓名*, ＊) and a note in parentheses after the name (出生日期（YYYY-MM-DD）,
 * name (required)) are not part of the name. */
static xj_slice trim_header(xj_slice s)
{
    s = xj_trim(s);
    if (s.len >= 3 && memcmp(s.ptr, "\xEF\xBB\xBF", 3) == 0)
        s = xj_trim((xj_slice){s.ptr + 3, s.len - 3});
    for (int changed = 1; changed && s.len;) {
        changed = 0;
        if (s.ptr[0] == '*') {
            s = xj_trim((xj_slice){s.ptr + 1, s.len - 1});
            changed = 1;
        } else if (s.len >= 3 && memcmp(s.ptr, "\xEF\xBC\x8A", 3) == 0) { /* ＊ */
            s = xj_trim((xj_slice){s.ptr + 3, s.len - 3});
            changed = 1;
        }
        if (s.len && s.ptr[s.len - 1] == '*') {
            s = xj_trim((xj_slice){s.ptr, s.len - 1});
            changed = 1;
        } else if (s.len >= 3 && memcmp(s.ptr + s.len - 3, "\xEF\xBC\x8A", 3) == 0) {
            s = xj_trim((xj_slice){s.ptr, s.len - 3});
            changed = 1;
        }
        /* A closing parenthesis at the end: cut from its opening one, if
         * something is left before it. */
        int ascii = s.len && s.ptr[s.len - 1] == ')';
        int wide = s.len >= 3 && memcmp(s.ptr + s.len - 3, "\xEF\xBC\x89", 3) == 0; /* ） */
        if (ascii || wide) {
            for (size_t i = s.len; i-- > 1;) {
                int open = s.ptr[i] == '(' ||
                           (i + 3 <= s.len && memcmp(s.ptr + i, "\xEF\xBC\x88", 3) == 0); /* （ */
                if (open) {
                    s = xj_trim((xj_slice){s.ptr, i});
                    changed = 1;
                    break;
                }
            }
        }
    }
    return s;
}

/* Other Chinese names provincial exports and school systems give the
 * contract's columns, each with the contract's name. */
static const char *const header_aliases[][2] = {
    {"身份证号", "身份证件号"},
    {"身份证号码", "身份证件号"},
    {"身份证件号码", "身份证件号"},
    {"证件号码", "身份证件号"},
    {"证件类型", "身份证件类型"},
    {"监护人身份证号", "监护人身份证件号"},
    {"监护人身份证号码", "监护人身份证件号"},
    {"监护人身份证件号码", "监护人身份证件号"},
    {"监护人证件号码", "监护人身份证件号"},
    {"户籍所在地", "户口所在地"},
    {"出生年月日", "出生日期"},
    {"全国学籍号", "学籍号"},
    {"学籍号码", "学籍号"},
    {"学校代码", "学校标识码"},
};

static int header_is(xj_slice cell, const char *name, int fold_case)
{
    size_t n = strlen(name);
    if (cell.len != n)
        return 0;
    return fold_case ? strncasecmp(cell.ptr, name, n) == 0 : memcmp(cell.ptr, name, n) == 0;
}

int xj_csv_map_header(const xj_slice *fields, size_t nfields, const xj_csv_column *cols,
                      size_t ncols, int *index, const xj_csv_column **missing)
{
    if (missing)
        *missing = NULL;
    for (size_t c = 0; c < ncols; c++) {
        index[c] = -1;
        for (size_t f = 0; f < nfields; f++) {
            xj_slice cell = trim_header(fields[f]);
            int hit =
                header_is(cell, cols[c].en, 1) || (cols[c].zh && header_is(cell, cols[c].zh, 0));
            for (size_t a = 0;
                 !hit && cols[c].zh && a < sizeof header_aliases / sizeof *header_aliases; a++)
                hit = strcmp(header_aliases[a][1], cols[c].zh) == 0 &&
                      header_is(cell, header_aliases[a][0], 0);
            if (hit) {
                index[c] = (int)f;
                break;
            }
        }
        if (index[c] < 0 && cols[c].required) {
            if (missing)
                *missing = &cols[c];
            return XJ_ERR_CSV_HEADER;
        }
    }
    return XJ_OK;
}
