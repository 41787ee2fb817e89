/*
 * xj/common.h: the base layer every other xueji module builds on.
 *
 * It holds the one status enum of the project (with xj_strerror), the byte
 * slice used to pass borrowed strings, the streaming RFC 4180 CSV reader and
 * writer that every loader and the batch check share, and a minimal JSON
 * string writer for the one-object-per-line outputs of the command line.
 *
 * Nothing here keeps global mutable state; every function is reentrant.
 */
#ifndef XJ_COMMON_H
#define XJ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XJ_VERSION_STRING "0.1.0"

/* ---- status codes ---------------------------------------------------------
 * XJ_OK is zero; errors are negative and live in our own range (-1000 and
 * below) so that they never collide with errno values or RocksDB codes.
 * "No match" is a result, never an error. */
#define XJ_STATUS_LIST(X)                                                                          \
    X(XJ_OK, 0, "success")                                                                         \
    X(XJ_ERR_NOMEM, -1001, "out of memory")                                                        \
    X(XJ_ERR_IO, -1002, "input/output error")                                                      \
    X(XJ_ERR_ARG, -1003, "invalid argument")                                                       \
    X(XJ_ERR_ENCODING, -1004, "text is not valid in the declared encoding")                        \
    X(XJ_ERR_CSV_QUOTE, -1005, "a quoted CSV field is never closed")                               \
    X(XJ_ERR_CSV_HEADER, -1006, "the CSV header is missing or lacks a required column")            \
    X(XJ_ERR_TOO_LONG, -1007, "a value exceeds its maximum length")                                \
    X(XJ_ERR_DB, -1008, "database error")                                                          \
    X(XJ_ERR_CORRUPT, -1009, "stored data is corrupt or of an unknown format")                     \
    X(XJ_ERR_NOT_FOUND, -1010, "not found")                                                        \
    X(XJ_ERR_UNSUPPORTED, -1011, "not supported")                                                  \
    X(XJ_ERR_EXHAUSTED, -1012, "a number sequence is exhausted")

typedef enum xj_status {
#define XJ__STATUS_ENUM(name, value, msg) name = value,
    XJ_STATUS_LIST(XJ__STATUS_ENUM)
#undef XJ__STATUS_ENUM
} xj_status;

/* Returns a static English message for a status; never NULL. */
const char *xj_strerror(int status);

/* Returns the symbolic name of a status ("XJ_ERR_IO"); never NULL. */
const char *xj_status_name(int status);

/* ---- exit codes of the xueji program (../shared/interface.md) ------------ */
enum {
    XJ_EXIT_OK = 0,    /* success; rows judged INVALID are a success */
    XJ_EXIT_USAGE = 1, /* bad command line */
    XJ_EXIT_INPUT = 2, /* an input that cannot be read as a whole */
    XJ_EXIT_DB = 3     /* a database error */
};

/* ---- slices ---------------------------------------------------------------
 * A borrowed run of bytes, not NUL-terminated unless said so.  Whoever hands
 * one out says how long it lives. */
typedef struct xj_slice {
    const char *ptr;
    size_t len;
} xj_slice;

/* ---- CSV reading ------------------------------------------------------------
 * RFC 4180: quoted fields may hold commas, quotes ("") and line breaks.  Input
 * is UTF-8 with or without a BOM, LF or CRLF, or GB18030/GBK converted to
 * UTF-8 on the fly through ICU.  Memory is bounded by the longest record. */
typedef struct xj_csv_reader xj_csv_reader;

typedef enum xj_csv_encoding { XJ_CSV_UTF8 = 0, XJ_CSV_GB18030 = 1 } xj_csv_encoding;

/* Parses "utf-8", "utf8", "gb18030", "gbk" (any case) into *out.
 * @return XJ_OK, or XJ_ERR_ARG for an unknown name. */
int xj_csv_encoding_parse(const char *name, xj_csv_encoding *out);

/* Row-level problems: the row is still returned, its flags say what is wrong
 * so that the caller can report it (every input row comes out exactly once). */
enum {
    XJ_CSV_ROW_BAD_UTF8 = 1u << 0,  /* bytes that are not UTF-8; left as they are */
    XJ_CSV_ROW_BAD_QUOTE = 1u << 1, /* a quote inside an unquoted field, or text after a
                                       closing quote; kept literally */
    XJ_CSV_ROW_NUL = 1u << 2,       /* a NUL byte inside a field; left as it is */
    XJ_CSV_ROW_FIELD_LONG = 1u << 3 /* a field over XJ_CSV_FIELD_MAX bytes; truncated */
};

#define XJ_CSV_FIELD_MAX  4096  /* bytes; longer fields are cut and flagged */
#define XJ_CSV_RECORD_MAX 65536 /* bytes; a quoted field still open past this is an error */

/* Opens a reader on a FILE the caller keeps ownership of (use stdin for "-").
 * @param[out] out  the new reader; free it with xj_csv_close().
 * @return XJ_OK or XJ_ERR_NOMEM / XJ_ERR_ENCODING (converter unavailable). */
int xj_csv_open(FILE *fp, xj_csv_encoding enc, xj_csv_reader **out);

/* Reads the next record.
 * @param[out] fields   borrowed array of *nfields slices, valid until the next
 *                      call on the same reader; each slice is NUL-terminated.
 * @return 1 for a record, 0 at end of input, or a negative status:
 *         XJ_ERR_CSV_QUOTE (unterminated quote), XJ_ERR_IO, XJ_ERR_ENCODING
 *         (GB18030 input that is not GB18030), XJ_ERR_NOMEM.
 * Completely empty lines are skipped, as spreadsheet exports leave them. */
int xj_csv_next(xj_csv_reader *r, const xj_slice **fields, size_t *nfields);

/* Flags (XJ_CSV_ROW_*) of the record last returned. */
unsigned xj_csv_row_flags(const xj_csv_reader *r);

/* Physical line (1-based) on which the record last returned starts. */
uint64_t xj_csv_line(const xj_csv_reader *r);

/* Frees the reader; accepts NULL.  Does not close the FILE. */
void xj_csv_close(xj_csv_reader *r);

/* Describes one column a command understands: its English and Chinese
 * header names and whether the file must have it. */
typedef struct xj_csv_column {
    const char *en;
    const char *zh;
    int required;
} xj_csv_column;

/* Maps a header record onto a column list: index[i] receives the position of
 * column i in the file, or -1.  Names are compared after trimming white space
 * and a BOM, a template's required-field star (*姓名) and a note in
 * parentheses after the name (出生日期（YYYY-MM-DD）), English ones
 * case-insensitively; a few other Chinese names that exports use (身份证号,
 * 户籍所在地, ...) stand for the contract's.
 * @param[out] missing  on XJ_ERR_CSV_HEADER, the first required column absent.
 * @return XJ_OK or XJ_ERR_CSV_HEADER. */
int xj_csv_map_header(const xj_slice *fields, size_t nfields, const xj_csv_column *cols,
                      size_t ncols, int *index, const xj_csv_column **missing);

/* ---- CSV and JSON writing ------------------------------------------------ */

/* Writes one CSV field, quoted only when it holds a comma, quote, CR or LF. */
void xj_csv_put_field(FILE *fp, const char *s, size_t len);

/* Writes s as a JSON string literal, quotes included.  Invalid UTF-8 is
 * written as U+FFFD so that the output always parses. */
void xj_json_put_string(FILE *fp, const char *s, size_t len);

/* ---- memory -------------------------------------------------------------- */

/* Grows an array of *cap elements of size bytes each: doubles it (first to
 * initial elements) and returns the new array, *cap updated; on failure
 * (out of memory, or a size that would overflow) returns NULL and leaves
 * the array and *cap as they were.  The usual call, when n == cap:
 *     T *p = xj_grow(a->items, &a->cap, sizeof *p, 64);
 *     if (!p) return XJ_ERR_NOMEM;
 *     a->items = p; */
void *xj_grow(void *items, size_t *cap, size_t size, size_t initial);

/* ---- UTF-8 --------------------------------------------------------------- */

/* Returns s without the white space spreadsheets leave around values, at
 * both ends: ASCII spaces, tabs, CR and LF, ideographic spaces (U+3000),
 * and the blank or invisible characters that copying from web pages, chat
 * programs and word processors brings (U+00A0, U+202F, U+200B..U+200D,
 * U+2060, and U+FEFF inside a file). */
xj_slice xj_trim(xj_slice s);

/* Decodes one code point at s[0..len).  On malformed input returns -1 and sets
 * *adv to 1 so that the caller can skip the byte. */
int32_t xj_utf8_decode(const unsigned char *s, size_t len, size_t *adv);

/* Encodes cp into out (4 bytes room); returns the byte count. */
size_t xj_utf8_encode(uint32_t cp, char *out);

/* 1 when all n bytes of s are well-formed UTF-8 (the CSV reader's rule),
 * else 0. */
int xj_utf8_valid(const char *s, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* XJ_COMMON_H */
