/*
 * xj/normalize.h: turning what a school typed into comparable keys.
 *
 * Two parsers live here, both pure functions over caller-owned memory, with
 * no global mutable state: every function is reentrant and may be called from
 * any number of threads at once.
 *
 *  - Resident ID numbers (GB 11643-1999): normalization of the look-alike
 *    characters and the legacy 15-digit form, validation (length, charset,
 *    MOD 11-2 checksum, calendar date, GB/T 2260 division code) with specific
 *    error codes, and suggestions for mistyped numbers.
 *  - Chinese (and Latin) personal names: a normalized display form (NFKC,
 *    width, white space, middle dot, Traditional to Simplified) and a toneless
 *    pinyin key that reads surnames as surnames.
 *
 * The hot paths use tables generated at build time (from ICU and the data
 * files in normalize/data/); nothing here calls an ICU transliterator at run
 * time.
 */
#ifndef XJ_NORMALIZE_H
#define XJ_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "xj/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* =========================================================================
 * Resident ID numbers
 * ========================================================================= */

/* Error bits of an ID; several may be set at once.  The X-macro gives each
 * its code as printed by `xueji validate-id` and in reason lists. */
#define XJ_ID_ERROR_LIST(X)                                                                        \
    X(XJ_ID_EMPTY, 0, "ID_EMPTY", "no ID number given")                                            \
    X(XJ_ID_LENGTH, 1, "ID_LENGTH", "not 18 (or legacy 15) characters")                            \
    X(XJ_ID_CHARSET, 2, "ID_CHARSET", "a character other than a digit or a final X")              \
    X(XJ_ID_CHECKSUM, 3, "ID_CHECKSUM", "the MOD 11-2 check character does not match")            \
    X(XJ_ID_DATE, 4, "ID_DATE", "the birth date is not a real date, or lies in the future")       \
    X(XJ_ID_REGION, 5, "ID_REGION", "the division code is not a GB/T 2260 county-level code")     \
    X(XJ_ID_EXCEL_DAMAGE, 6, "ID_EXCEL_DAMAGE",                                                    \
      "damaged by a spreadsheet (scientific notation or a 15-digit rounded 000 tail)")

typedef enum xj_id_error {
#define XJ__ID_ENUM(name, bit, code, msg) name = 1u << bit,
    XJ_ID_ERROR_LIST(XJ__ID_ENUM)
#undef XJ__ID_ENUM
} xj_id_error;

/* The result of parsing one ID. */
typedef struct xj_idcard {
    char normalized[19]; /* 18 characters + NUL when the input could be normalized
                            to 18 digits-or-X (even if it fails validation); else "" */
    unsigned errors;     /* XJ_ID_* bits; 0 means valid */
    int from_legacy15;   /* 1 when a 15-digit number was upgraded */
    int birth_year, birth_month, birth_day; /* from the number; 0 when unreadable */
    char gender;         /* 'M' (odd sequence), 'F' (even) or 0 when unreadable */
    char region[7];      /* 6-digit division code + NUL, or "" */
} xj_idcard;

/* Normalizes and validates an ID.
 * Accepts lower-case x; full-width digits and letters; spaces, hyphens and
 * other separators inside; the look-alikes Ⅹ, ×, Cyrillic х/Х as X; the legacy
 * 15-digit form.
 * @param in     UTF-8 bytes, not necessarily NUL-terminated.
 * @param today  yyyymmdd of "today", for the not-in-the-future check; 0 means
 *               the current date of the system clock.
 * @return XJ_OK (the verdict is in out->errors), or XJ_ERR_ARG for NULL out. */
int xj_idcard_parse(const char *in, size_t len, uint32_t today, xj_idcard *out);

/* Computes the MOD 11-2 check character ('0'..'9' or 'X') of 17 digits. */
char xj_idcard_check_char(const char digits17[17]);

/* Returns 1 when the 6-digit division code is in the GB/T 2260 county-level
 * table (current or abolished, plus 810000/820000/830000), else 0. */
int xj_region_known(const char code6[6]);

/* Returns the name of a division code ("北京市朝阳区") as a static
 * NUL-terminated UTF-8 string, or NULL when unknown. */
const char *xj_region_name(const char code6[6]);

/* Enumerates the division-code table in ascending code order.
 * @param i  0 .. xj_region_count()-1.
 * @param[out] code6    borrowed static 6-digit code, NUL-terminated.
 * @param[out] name     borrowed static full name, NUL-terminated (may be "").
 * @param[out] current  1 when the code is in force today, 0 when abolished.
 * Any out-parameter may be NULL.  Returns XJ_OK or XJ_ERR_ARG. */
size_t xj_region_count(void);
int xj_region_at(size_t i, const char **code6, const char **name, int *current);

/* Returns the code, message of one XJ_ID_* bit ("ID_CHECKSUM"); NULL for
 * anything but a single known bit. */
const char *xj_id_error_code(unsigned bit);
const char *xj_id_error_message(unsigned bit);

/* A candidate correction of a mistyped ID. */
typedef struct xj_id_suggestion {
    char id[19];
    int score; /* higher is more plausible; see idcard_suggest.c for the scale */
} xj_id_suggestion;

/* Lists the IDs one digit substitution or one adjacent transposition away
 * from an 18-character ID that pass checksum, date and region, most
 * plausible first.
 * @param birth_yyyymmdd  the record's own birth date, or 0 when unknown.
 * @param gender          'M', 'F' or 0 when unknown.
 * @return the number written to out (at most cap). */
size_t xj_idcard_suggest(const char id18[18], uint32_t birth_yyyymmdd, char gender,
                         uint32_t today, xj_id_suggestion *out, size_t cap);

/* Packs a valid normalized 18-character ID into 8 bytes (a big-endian integer
 * of its 17 digits times 11 plus the check value), so that byte order equals
 * ID order.  Returns 0 on success, -1 when id18 is not 17 digits + [0-9X]. */
int xj_idcard_pack(const char id18[18], uint8_t out[8]);
/* The inverse of xj_idcard_pack; writes 18 characters (no NUL). */
void xj_idcard_unpack(const uint8_t in[8], char id18[18]);

/* Writes the masked form of an ID for logs and reports: the division code and
 * the last four characters kept, the rest '*' (110105********002X).  out must
 * hold len+1 bytes; returns out. */
char *xj_idcard_mask(const char *id, size_t len, char *out);

/* =========================================================================
 * Personal names
 * ========================================================================= */

#define XJ_NAME_MAX 192   /* bytes of the normalized form, NUL included */
#define XJ_PINYIN_MAX 320 /* bytes of the pinyin key, NUL included */

/* What normalization noticed; printed by `xueji normalize-name` as codes. */
#define XJ_NAME_FLAG_LIST(X)                                                                       \
    X(XJ_NAME_EMPTY, 0, "EMPTY", "nothing left after normalization")                               \
    X(XJ_NAME_BAD_UTF8, 1, "BAD_UTF8", "bytes that are not UTF-8 were dropped")                    \
    X(XJ_NAME_WIDTH, 2, "WIDTH", "full-width or compatibility forms folded (NFKC)")               \
    X(XJ_NAME_SPACE, 3, "SPACE", "white space or invisible format characters removed")           \
    X(XJ_NAME_DOT, 4, "DOT", "a middle-dot look-alike unified to U+00B7")                          \
    X(XJ_NAME_TRADITIONAL, 5, "TRADITIONAL", "Traditional characters turned Simplified")           \
    X(XJ_NAME_LATIN, 6, "LATIN", "a Latin-script name (upper-cased, single spaces)")               \
    X(XJ_NAME_NON_BMP, 7, "NON_BMP", "a character outside the BMP, kept as it is")                 \
    X(XJ_NAME_PUA, 8, "PUA", "a Private Use Area character, kept as it is")                        \
    X(XJ_NAME_NO_PINYIN, 9, "NO_PINYIN", "a character with no known reading, kept in the key")    \
    X(XJ_NAME_MINORITY, 10, "MINORITY", "a transliterated name with a middle dot")                \
    X(XJ_NAME_COMPOUND_SURNAME, 11, "COMPOUND_SURNAME", "a two-character surname")                 \
    X(XJ_NAME_SURNAME_READING, 12, "SURNAME_READING", "the first character read as a surname")     \
    X(XJ_NAME_TRUNCATED, 13, "TRUNCATED", "longer than XJ_NAME_MAX; cut")                          \
    X(XJ_NAME_SYMBOL, 14, "SYMBOL", "digits, punctuation or symbols that names do not hold")

typedef enum xj_name_flag {
#define XJ__NAME_ENUM(name, bit, code, msg) name = 1u << bit,
    XJ_NAME_FLAG_LIST(XJ__NAME_ENUM)
#undef XJ__NAME_ENUM
} xj_name_flag;

/* The result of normalizing one name; caller-owned, no pointers inside. */
typedef struct xj_name {
    char normalized[XJ_NAME_MAX]; /* NUL-terminated UTF-8 */
    uint16_t normalized_len;
    char pinyin[XJ_PINYIN_MAX];   /* lower-case ASCII syllables, one space apart;
                                     characters without a reading kept as UTF-8 */
    uint16_t pinyin_len;
    uint8_t surname_chars;        /* 1 or 2 (compound surname); 0 for Latin/minority */
    uint8_t nchars;               /* code points in normalized */
    unsigned flags;               /* XJ_NAME_* bits */
} xj_name;

/* Normalizes one name and computes its pinyin key.
 * @param in   UTF-8 bytes, not necessarily NUL-terminated.
 * @return XJ_OK, or XJ_ERR_ARG for NULL out.  Flags say what was changed. */
int xj_name_normalize(const char *in, size_t len, xj_name *out);

/* Returns the code ("TRADITIONAL") and message of one XJ_NAME_* bit; NULL for
 * anything but a single known bit. */
const char *xj_name_flag_code(unsigned bit);
const char *xj_name_flag_message(unsigned bit);

/* =========================================================================
 * Other input fields
 *
 * The values ../shared/interface.md allows in the CSV columns, parsed the
 * same way by every loader and by the batch check.  Each returns XJ_OK or
 * XJ_ERR_ARG for a value it cannot read; white space around a value is
 * ignored.
 * ========================================================================= */

/* 男/女, 1/2, M/F (any case), 男性/女性, male/female -> 'M' or 'F'. */
int xj_gender_parse(const char *s, size_t len, char *out);

/* YYYY-MM-DD, YYYYMMDD, YYYY/M/D (also YYYY-M-D, YYYY.M.D, YYYY年M月D日) ->
 * yyyymmdd.  Checks that the date exists (leap years included) and lies in
 * 1900..2100; whether it is in the future is the caller's rule. */
int xj_date_parse(const char *s, size_t len, uint32_t *out);

/* Returns 1 when y-m-d is a real calendar date, else 0. */
int xj_date_valid(unsigned y, unsigned m, unsigned d);

/* Today's date of the system clock as yyyymmdd (local time). */
uint32_t xj_date_today(void);

/* 身份证件类型. */
typedef enum xj_id_type {
    XJ_IDTYPE_RESIDENT = 0, /* 居民身份证 (the default when the column is empty) */
    XJ_IDTYPE_PERMIT = 1,   /* 港澳台居民居住证 */
    XJ_IDTYPE_PASSPORT = 2, /* 护照 */
    XJ_IDTYPE_NONE = 3      /* 无 */
} xj_id_type;

/* Parses the id_type column; empty means XJ_IDTYPE_RESIDENT. */
int xj_id_type_parse(const char *s, size_t len, xj_id_type *out);

/* 学籍状态 of a registry record. */
#define XJ_STUDENT_STATUS_LIST(X)                                                                  \
    X(XJ_STATUS_ENROLLED, "在校")                                                                  \
    X(XJ_STATUS_SUSPENDED, "休学")                                                                 \
    X(XJ_STATUS_GRADUATED, "毕业")                                                                 \
    X(XJ_STATUS_TRANSFERRED, "转出")                                                               \
    X(XJ_STATUS_ABROAD, "出国")                                                                    \
    X(XJ_STATUS_LEFT, "其他离校")                                                                  \
    X(XJ_STATUS_DROPPED, "退学")                                                                   \
    X(XJ_STATUS_EXPELLED, "开除")                                                                  \
    X(XJ_STATUS_DECEASED, "死亡")

typedef enum xj_student_status {
#define XJ__SST_ENUM(name, text) name,
    XJ_STUDENT_STATUS_LIST(XJ__SST_ENUM)
#undef XJ__SST_ENUM
        XJ_STUDENT_STATUS_COUNT
} xj_student_status;

/* Parses the registry status column; empty means 在校. */
int xj_student_status_parse(const char *s, size_t len, xj_student_status *out);
const char *xj_student_status_name(xj_student_status st);

/* 状态 of a population record. */
typedef enum xj_person_status {
    XJ_PERSON_NORMAL = 0,    /* 正常 (the default) */
    XJ_PERSON_DECEASED = 1,  /* 死亡 */
    XJ_PERSON_CANCELLED = 2  /* 注销 */
} xj_person_status;

int xj_person_status_parse(const char *s, size_t len, xj_person_status *out);

/* Returns 1 when s is exactly six ASCII digits (a division code), else 0. */
int xj_is_division_code(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* XJ_NORMALIZE_H */
