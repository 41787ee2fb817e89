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
    X(XJ_ID_CHARSET, 2, "ID_CHARSET", "a character other than a digit or a final X")               \
    X(XJ_ID_CHECKSUM, 3, "ID_CHECKSUM", "the MOD 11-2 check character does not match")             \
    X(XJ_ID_DATE, 4, "ID_DATE", "the birth date is not a real date, or lies in the future")        \
    X(XJ_ID_REGION, 5, "ID_REGION", "the division code is not a GB/T 2260 county-level code")      \
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
    int letters_read;    /* 1 when letters typed for digits (O for 0, l or I for 1) were
                            read as them: only when the number is then valid */
    int birth_year, birth_month, birth_day; /* from the number; 0 when unreadable */
    char gender;    /* 'M' (odd sequence), 'F' (even) or 0 when unreadable */
    char region[7]; /* 6-digit division code + NUL, or "" */
} xj_idcard;

/* Normalizes and validates an ID.
 * Accepts lower-case x; full-width digits and letters; spaces, hyphens, dashes
 * and invisible format characters anywhere; a leading apostrophe (Excel's
 * text marker); the look-alikes Ⅹ ⅹ, ×, Cyrillic Х х and Greek Χ χ as X; the
 * legacy 15-digit form, upgraded by inserting "19" after the division code
 * and computing the check character; the letters O, o (for 0), l and I (for
 * 1), when the number read with them as those digits is valid in full
 * (letters_read).
 * Errors (several may be set):
 *   ID_EMPTY         nothing but separators; nothing else is checked
 *   ID_LENGTH        not 15 or 18 characters (separators not counted)
 *   ID_CHARSET       a character that is not a digit, or an X anywhere but
 *                    last of 18; with LENGTH or CHARSET set, nothing further
 *                    is checked and normalized is ""
 *   ID_EXCEL_DAMAGE  scientific notation ("1.10105E+17"; alone), or 18 digits
 *                    ending in 000 that fail the checksum or end in 0000
 *                    (sequence 000 is never issued); replaces ID_CHECKSUM
 *   ID_CHECKSUM      the check character does not match
 *   ID_DATE          not a real date, before 1850, or after today
 *   ID_REGION        not in the division-code table (xj_region_known)
 * birth_* are set when the date is a real calendar date (even a future one);
 * gender and region whenever normalized is set.
 * @param in     UTF-8 bytes, not necessarily NUL-terminated; may be NULL when
 *               len is 0.
 * @param today  yyyymmdd of "today", for the not-in-the-future check; 0 means
 *               xj_idcard_today().
 * @return XJ_OK (the verdict is in out->errors), or XJ_ERR_ARG for NULL out. */
int xj_idcard_parse(const char *in, size_t len, uint32_t today, xj_idcard *out);

/* Computes the MOD 11-2 check character ('0'..'9' or 'X') of 17 digits
 * (GB 11643-1999 §5.5).  @pre digits17 holds 17 ASCII digits. */
char xj_idcard_check_char(const char digits17[17]);

/* Today's date in China (UTC+8, whatever the machine's time zone) as
 * yyyymmdd: the "today" that a 0 passed to the functions here stands for.
 * Callers judging many IDs read it once and pass it on. */
uint32_t xj_idcard_today(void);

/* Returns 1 when the 6-digit division code is in the GB/T 2260 county-level
 * table (current or abolished, plus 810000/820000/830000 of the Hong Kong,
 * Macao and Taiwan residence permits and the few prefecture-level cities
 * without counties, e.g. 441900 东莞), else 0.  The table and how it was made:
 * normalize/data/gb2260.SOURCE.md. */
int xj_region_known(const char code6[6]);

/* Returns the name of a division code ("北京市朝阳区") as a static
 * NUL-terminated UTF-8 string, or NULL when unknown. */
const char *xj_region_name(const char code6[6]);

/* Enumerates the division-code table in ascending code order.
 * @param i  0 .. xj_region_count()-1.
 * @param[out] code6    borrowed static 6-digit code, NUL-terminated.
 * @param[out] name     borrowed static full name, NUL-terminated (may be "").
 * @param[out] current  1 when the code is in force (as of the newest source
 *                      list, about 2013; see gb2260.SOURCE.md), else 0.
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

/* Lists the IDs one digit substitution (the check character included) or
 * one adjacent transposition away from an 18-character ID that pass
 * checksum, date and region, most plausible first: at most 35, and none
 * when id18 already passes the checksum or is not 17 digits + [0-9Xx].
 * @param birth_yyyymmdd  the record's own birth date, or 0 when unknown.
 * @param gender          'M', 'F' or 0 when unknown.
 * @param today           as for xj_idcard_parse.
 * @return the number written to out (at most cap). */
size_t xj_idcard_suggest(const char id18[18], uint32_t birth_yyyymmdd, char gender, uint32_t today,
                         xj_id_suggestion *out, size_t cap);

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
 *
 * The normalized form: NFKC (full width to half width, compatibility
 * ideographs and radicals to unified ideographs), Traditional to Simplified
 * per character (except the characters the 2013 通用规范汉字表 keeps in their
 * own right: 乾 著 瞭 藉 徵 夥 姊 釐), white space and invisible format
 * characters removed, every middle-dot look-alike turned U+00B7 with one dot
 * between parts and none at the ends, letters upper-cased.  A name with no
 * Han character (a Latin-script name) keeps its words apart with single
 * spaces; a name with one loses every space.  Characters outside the BMP and
 * in the Private Use Area are kept as they are.  Normalization is
 * idempotent: the normalized form normalizes to itself, with the same key.
 *
 * The key: one token per Han character (its toneless lower-case pinyin, ü
 * written v: 吕 "lv", 女 "nv"; j/q/x/y + ü stay "ju", "qu", "xu", "yu"), one
 * token per Latin word (ASCII spelling, lower case: "MÜLLER" -> "muller",
 * "O'NEIL" -> "oneil", a hyphen separates words), digits kept, tokens
 * separated by one space.  Dots, punctuation and symbols are not in the key.
 * The first character of a Han name (not of a dotted minority name) is read
 * as a surname (单 shan, 曾 zeng, 解 xie ...), the first two when they are a
 * compound surname and a given name follows (尉迟恭 "yu chi gong"); every
 * other polyphonic character takes its most common reading, the same on both
 * sides of a comparison.  Characters without a reading (rare, non-BMP, PUA,
 * other scripts) are kept in the key as UTF-8 and flagged NO_PINYIN.  So
 * homophones (张伟/章伟), Traditional forms (張偉) and names typed in pinyin
 * ("Zhang Wei") share one key.
 * ========================================================================= */

#define XJ_NAME_MAX   192 /* bytes of the normalized form, NUL included */
#define XJ_PINYIN_MAX 320 /* bytes of the pinyin key, NUL included */

/* What normalization noticed; printed by `xueji normalize-name` as codes. */
#define XJ_NAME_FLAG_LIST(X)                                                                          \
    X(XJ_NAME_EMPTY, 0, "EMPTY", "nothing left after normalization")                                  \
    X(XJ_NAME_BAD_UTF8, 1, "BAD_UTF8", "bytes that are not UTF-8 were dropped")                       \
    X(XJ_NAME_WIDTH, 2, "WIDTH", "full-width or compatibility forms folded (NFKC)")                   \
    X(XJ_NAME_SPACE, 3, "SPACE", "white space or invisible format characters removed")                \
    X(XJ_NAME_DOT, 4, "DOT", "a middle-dot look-alike unified to U+00B7, or dots collapsed")          \
    X(XJ_NAME_TRADITIONAL, 5, "TRADITIONAL", "Traditional characters turned Simplified")              \
    X(XJ_NAME_LATIN, 6, "LATIN", "a Latin-script name (upper-cased, single spaces)")                  \
    X(XJ_NAME_NON_BMP, 7, "NON_BMP", "a character outside the BMP, kept as it is")                    \
    X(XJ_NAME_PUA, 8, "PUA", "a Private Use Area character, kept as it is")                           \
    X(XJ_NAME_NO_PINYIN, 9, "NO_PINYIN", "a character with no known reading, kept in the key")        \
    X(XJ_NAME_MINORITY, 10, "MINORITY", "a transliterated name with a middle dot")                    \
    X(XJ_NAME_COMPOUND_SURNAME, 11, "COMPOUND_SURNAME", "a two-character surname")                    \
    X(XJ_NAME_SURNAME_READING, 12, "SURNAME_READING",                                                 \
      "the surname read otherwise than its characters' ordinary reading")                             \
    X(XJ_NAME_TRUNCATED, 13, "TRUNCATED",                                                             \
      "longer than XJ_NAME_MAX (or the key than XJ_PINYIN_MAX); cut")                                 \
    X(XJ_NAME_SYMBOL, 14, "SYMBOL",                                                                   \
      "digits, punctuation, symbols or stray combining marks that names do not hold")                 \
    X(XJ_NAME_NOTE, 15, "NOTE",                                                                       \
      "a note after a Han name dropped: a bracketed group or a number (李明（曾用名李敏）, " \
      "王伟2)")

typedef enum xj_name_flag {
#define XJ__NAME_ENUM(name, bit, code, msg) name = 1u << bit,
    XJ_NAME_FLAG_LIST(XJ__NAME_ENUM)
#undef XJ__NAME_ENUM
} xj_name_flag;

/* The result of normalizing one name; caller-owned, no pointers inside. */
typedef struct xj_name {
    char normalized[XJ_NAME_MAX]; /* NUL-terminated UTF-8 */
    uint16_t normalized_len;
    char pinyin[XJ_PINYIN_MAX]; /* lower-case ASCII syllables, one space apart;
                                   characters without a reading kept as UTF-8 */
    uint16_t pinyin_len;
    uint8_t surname_chars; /* 1 or 2 (compound surname) for a Han name;
                              0 for Latin, minority (dotted) or empty names */
    uint8_t nchars;        /* code points in normalized */
    unsigned flags;        /* XJ_NAME_* bits */
} xj_name;

/* Normalizes one name and computes its pinyin key.
 * @param in   UTF-8 bytes, not necessarily NUL-terminated; may be NULL when
 *             len is 0.  Malformed bytes are dropped (BAD_UTF8).
 * @param[out] out  written in full on XJ_OK.
 * @return XJ_OK, or XJ_ERR_ARG for NULL out (or NULL in with len > 0).
 *         Flags say what was changed; an empty result is a success (EMPTY).
 * Reentrant, no allocation; uses ICU (NFKC only) for the rare input holding
 * combining marks or multi-character compatibility forms. */
int xj_name_normalize(const char *in, size_t len, xj_name *out);

/* Returns the code ("TRADITIONAL") and message of one XJ_NAME_* bit; NULL for
 * anything but a single known bit. */
const char *xj_name_flag_code(unsigned bit);
const char *xj_name_flag_message(unsigned bit);

/* The fuzzy form of a pinyin key (模糊音): what a clerk who hears a name
 * spoken, or a parent from a region that does not tell these sounds apart,
 * may type with a pinyin input method.  Each token of the key is folded by
 * the pairs that input methods offer as their fuzzy-sound settings:
 *   initials  zh -> z, ch -> c, sh -> s (平翘舌), n -> l, h -> f (before u,
 *             the hu-/fu- of southern speech)
 *   finals    ang -> an, eng -> en, ing -> in, iang -> ian, uang -> uan
 *             (前后鼻音); ong is left alone (no final "on" exists)
 * so 陈 chen and 诚 cheng, 刘 liu and 牛 niu, 张 zhang and 赞 zan share a
 * fuzzy token.  Tokens that are not lower-case ASCII (characters without a
 * reading) are copied.  The result is never longer than the key.
 * @param key  a pinyin key (xj_name.pinyin), NUL-terminated.
 * @param[out] out  cap bytes; NUL-terminated (cut at cap - 1).
 * @return the length written.  Reentrant, no allocation. */
size_t xj_pinyin_fuzzy(const char *key, char *out, size_t cap);

/* 1 when two normalized names (xj_name.normalized) are the same name: equal
 * once the separator dot of transliterated names (U+00B7, to which
 * normalization maps •, ．, ‧, ・ and the rest) is left out on both sides.
 * A school system that cannot type the dot writes 阿卜杜热合曼 for the
 * 阿卜杜·热合曼 of the hukou; the dot joins the parts of one name and tells
 * no two people apart.  Reentrant, no allocation. */
int xj_name_same(const char *a, const char *b);

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

/* A birth date as school spreadsheets hold it -> yyyymmdd.  Accepted:
 * - YYYY-MM-DD, YYYYMMDD, YYYY/M/D, also YYYY-M-D, YYYY.M.D, YYYY年M月D日
 *   and 号 for 日; one separator between the parts, which may also be a
 *   dash look-alike (U+2010 ‐, U+2013 –, U+2014 —, U+2015 ―, U+2212 −,
 *   U+FE63 ﹣) or spaces, and may have spaces around it (2012 03 05,
 *   2012 - 3 - 5, 2012 年 3 月 5 日);
 * - full-width digits and punctuation (２０１２－０３－０５);
 * - an Excel serial date of five digits, perhaps with ".0" (40973,
 *   40973.0: day N of the 1900 date system is 1899-12-30 + N days);
 * - Chinese numerals: 二〇一二年三月五日, 二零一二年十二月三十一号 (a four-digit
 *   year of 〇/○/零 and 一..九, month and day 一..三十一, 元月 for 一月);
 * - after the date, a time of day (" 00:00:00", "T08:30"), a full stop
 *   (. or 。) or a weekday (星期一, 周一, (星期一)), all ignored.
 * Two-digit years and M/D/YYYY or D/M/YYYY are not accepted (ambiguous).
 * Checks that the date exists (leap years included) and lies in
 * 1900..2100; whether it is in the future is the caller's rule.
 * Reentrant, no allocation. */
int xj_date_parse(const char *s, size_t len, uint32_t *out);

/* Returns 1 when y-m-d is a real calendar date, else 0. */
int xj_date_valid(unsigned y, unsigned m, unsigned d);

/* Writes yyyymmdd as 8 ASCII digits and a NUL (no snprintf: it showed in
 * bulk-load profiles). */
void xj_date_digits(uint32_t yyyymmdd, char out[9]);

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

/* 民族: the numeric code of GB/T 3304-1991, 1 (汉族) .. 56 (基诺族), or
 * XJ_ETHNICITY_OTHER (97, 其他) or XJ_ETHNICITY_FOREIGN_ORIGIN (98,
 * 外国血统中国籍人士).  Read: the name with or without 族 (汉族, 汉,
 * 维吾尔族, 维吾尔), the short forms 蒙族 and 维族, the code with or without
 * its leading zero (01, 1, full-width digits too); spaces inside are
 * ignored (汉 族).  XJ_ERR_ARG for anything else, the empty value included:
 * an unread ethnicity is no evidence either way. */
#define XJ_ETHNICITY_HAN            1u
#define XJ_ETHNICITY_OTHER          97u
#define XJ_ETHNICITY_FOREIGN_ORIGIN 98u
int xj_ethnicity_parse(const char *s, size_t len, unsigned *out);

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
    XJ_PERSON_NORMAL = 0,   /* 正常 (the default) */
    XJ_PERSON_DECEASED = 1, /* 死亡 */
    XJ_PERSON_CANCELLED = 2 /* 注销 */
} xj_person_status;

int xj_person_status_parse(const char *s, size_t len, xj_person_status *out);

/* Returns 1 when s is exactly six ASCII digits (a division code), else 0. */
int xj_is_division_code(const char *s, size_t len);

/* Drops the marks spreadsheets put around a long number to keep it text:
 * the formula wrapper ="..." (in a CSV file the quoted field "=""1101..."""),
 * or one leading ' ` " ‘ ’ “ and one trailing " ”, and white space around.
 * Used by xj_idcard_parse and xj_code_parse. */
xj_slice xj_text_marks_strip(xj_slice s);

/* Reads a code of exactly ndigits digits (a school code: 10, a division
 * code: 6) as spreadsheets and school systems write it: full-width digits,
 * white space around it, a leading ' or ` or the ="..." wrapper that keeps
 * a number text, a trailing .0 of a number exported with decimals.  Writes
 * the digits and a NUL to out (ndigits + 1 bytes).  Returns XJ_OK or
 * XJ_ERR_ARG. */
int xj_code_parse(const char *s, size_t len, size_t ndigits, char *out);

#ifdef __cplusplus
}
#endif
#endif /* XJ_NORMALIZE_H */
