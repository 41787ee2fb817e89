/*
 * xj/engine.h: the decisions of the registry and the numbers it gives.
 *
 * The engine judges batch rows and single records against the index (the
 * national duplicate check and the population comparison) and assigns the
 * student numbers of ../shared/interface.md:
 *
 *   G + the 18-character resident ID                          (19 characters)
 *   J + 6-digit school division code + 8-digit birth date
 *     + 3-digit sequence + 1 MOD 11-2 check character         (19 characters)
 *   L + 6-digit school division code + 8-digit birth date
 *     + 4 digits                                               (19 characters)
 *
 * (policy/000: 一、1 "G" after the national duplicate check and the population
 * comparison, "J" for a student without an ID who passes the duplicate check;
 * 一、4 "L" the temporary number every student holds first.)
 *
 * Every function here is reentrant.
 */
#ifndef XJ_ENGINE_H
#define XJ_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "xj/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The decisions, in the order of precedence of ../shared/interface.md (the
 * first that applies wins), except the two assignments which tie last. */
#define XJ_DECISION_LIST(X)                                                                        \
    X(XJ_BATCH_DUPLICATE, "BATCH_DUPLICATE")                                                       \
    X(XJ_DUPLICATE, "DUPLICATE")                                                                   \
    X(XJ_REVIEW, "REVIEW")                                                                         \
    X(XJ_INVALID, "INVALID")                                                                       \
    X(XJ_POP_MISMATCH, "POP_MISMATCH")                                                             \
    X(XJ_ASSIGNED_G, "ASSIGNED_G")                                                                 \
    X(XJ_ASSIGNED_J, "ASSIGNED_J")

typedef enum xj_decision {
#define XJ__DECISION_ENUM(name, text) name,
    XJ_DECISION_LIST(XJ__DECISION_ENUM)
#undef XJ__DECISION_ENUM
        XJ_DECISION_COUNT
} xj_decision;

/* The upper-case name of a decision ("ASSIGNED_G"); "?" when out of range. */
const char *xj_decision_name(xj_decision d);

/* Parses a decision name; returns XJ_OK or XJ_ERR_ARG. */
int xj_decision_parse(const char *s, size_t len, xj_decision *out);

#define XJ_NUMBER_LEN 19

typedef enum xj_number_kind {
    XJ_NUMBER_NONE = 0,
    XJ_NUMBER_G = 'G',
    XJ_NUMBER_J = 'J',
    XJ_NUMBER_L = 'L'
} xj_number_kind;

/* Writes "G" + id18 and a NUL into out (20 bytes). */
void xj_number_make_g(const char id18[18], char out[XJ_NUMBER_LEN + 1]);

/* Writes a J number and a NUL into out (20 bytes).
 * @param region6  the school's 6-digit division code.
 * @param birth8   the birth date as yyyymmdd digits.
 * @param seq      0..999, the sequence within (region, birth date).
 * @return XJ_OK, or XJ_ERR_ARG when a part is not digits or seq > 999. */
int xj_number_make_j(const char region6[6], const char birth8[8], unsigned seq,
                     char out[XJ_NUMBER_LEN + 1]);

/* Writes an L number (seq 0..9999) and a NUL into out (20 bytes).
 * @return XJ_OK or XJ_ERR_ARG. */
int xj_number_make_l(const char region6[6], const char birth8[8], unsigned seq,
                     char out[XJ_NUMBER_LEN + 1]);

/* Classifies a student number: its kind when it is well formed (a G number
 * whose ID passes the checksum, a J number whose check character matches, an
 * L number of 18 digits), else XJ_NUMBER_NONE. */
xj_number_kind xj_number_check(const char *s, size_t len);

/* =========================================================================
 * Reason codes
 *
 * Every decision names the evidence behind it as upper-case codes, written
 * ';'-separated in the results file in the order of this list.  The second
 * column is the Chinese text the review report shows a registrar.  The ID
 * validation codes of normalize.h (ID_CHECKSUM, ...) are reasons too.
 * ========================================================================= */
#define XJ_REASON_LIST(X)                                                                          \
    /* what the record itself says */                                                              \
    X(MISSING_NAME, "缺少姓名")                                                                    \
    X(MISSING_GENDER, "缺少性别")                                                                  \
    X(MISSING_BIRTH_DATE, "缺少出生日期")                                                          \
    X(MISSING_SCHOOL_CODE, "缺少学校标识码")                                                       \
    X(MISSING_SCHOOL_REGION, "缺少学校所在地")                                                     \
    X(MISSING_RECORD_ID, "缺少记录号")                                                             \
    X(BAD_GENDER, "性别无法识别")                                                                  \
    X(BAD_BIRTH_DATE, "出生日期不是有效日期")                                                      \
    X(FUTURE_BIRTH_DATE, "出生日期晚于今天")                                                       \
    X(BAD_SCHOOL_CODE, "学校标识码不是10位数字")                                                   \
    X(BAD_SCHOOL_REGION, "学校所在地不是6位区划代码，或无此地级区划")                              \
    X(BAD_ID_TYPE, "身份证件类型无法识别")                                                         \
    X(BAD_ROW, "该行CSV格式有误（引号、编码或字段过长）")                                          \
    X(BAD_NAME, "姓名含有无法识别的字符")                                                          \
    X(DUPLICATE_RECORD_ID, "记录号在本文件中重复")                                                 \
    X(ID_EMPTY, "未填写身份证件号")                                                                \
    X(ID_LENGTH, "身份证号长度不是18位（或旧15位）")                                               \
    X(ID_CHARSET, "身份证号含有非法字符")                                                          \
    X(ID_CHECKSUM, "身份证号校验码错误")                                                           \
    X(ID_DATE, "身份证号中的出生日期无效")                                                         \
    X(ID_REGION, "身份证号中的行政区划代码不存在")                                                 \
    X(ID_EXCEL_DAMAGE, "身份证号被电子表格损坏（科学计数法或末位000）")                            \
    X(ID_LEGACY15, "15位旧身份证号已升为18位")                                                     \
    X(ID_LETTER_AS_DIGIT, "身份证号中误录的字母O、l已按数字0、1读取（读后校验通过）")              \
    X(ID_BIRTH_MISMATCH, "出生日期与身份证号不一致")                                               \
    X(ID_GENDER_MISMATCH, "性别与身份证号不一致")                                                  \
    X(NO_RESIDENT_ID, "无居民身份证号（分配J字头学籍号）")                                         \
    /* comparison with a registry candidate */                                                     \
    X(ID_EXACT, "身份证号相同")                                                                    \
    X(ID_NEAR, "身份证号仅一位录入差异")                                                           \
    X(ID_DIFF, "身份证号不同")                                                                     \
    X(NAME_EQ, "姓名相同")                                                                         \
    X(NAME_PINYIN_EQ, "姓名同音（拼音相同）")                                                      \
    X(NAME_PINYIN_NEAR, "姓名近音（平翘舌、前后鼻音、n/l、h/f 之差）")                             \
    X(NAME_ONE_CHAR, "姓名仅一字不同")                                                             \
    X(NAME_PLACEHOLDER, "姓名中有以?、*、□代替的字，其余各字相同")                                 \
    X(NAME_SWAPPED, "姓名中相邻两字顺序颠倒")                                                      \
    X(NAME_DROPPED, "姓名少录一字（名中缺一字）")                                                  \
    X(NAME_FORMER, "与曾用名相同（人口库中该身份证号同时登记两个姓名）")                           \
    X(ID_NAME_CONFLICT, "身份证号相同而姓名不同，人口库无改名记录（或为他人证号）")                 \
    X(NAME_DIFF, "姓名不同")                                                                       \
    X(NAME_COMMON, "常见姓名（同名者多，证据较弱）")                                               \
    X(BIRTH_EQ, "出生日期相同")                                                                    \
    X(BIRTH_NEAR, "出生日期仅一处差异")                                                            \
    X(BIRTH_DIFF, "出生日期不同")                                                                  \
    X(GENDER_EQ, "性别相同")                                                                       \
    X(GENDER_DIFF, "性别不同")                                                                     \
    X(GUARDIAN_ID_EQ, "监护人身份证号相同")                                                        \
    X(GUARDIAN_ID_DIFF, "监护人身份证号不同")                                                      \
    X(GUARDIAN_NAME_EQ, "监护人姓名相同")                                                          \
    X(HUKOU_EQ, "户口所在地相同")                                                                  \
    X(SCHOOL_REGION_EQ, "学校所在地相同")                                                          \
    X(SIBLING, "同一监护人、同日出生、名字不同：视为双胞胎或兄弟姐妹，不合并")                     \
    X(MULTIPLE_CANDIDATES, "存在多个可能的已有学籍")                                               \
    X(CANDIDATE_INACTIVE, "已有学籍处于离校、毕业或死亡等状态")                                    \
    X(BATCH_ROW, "与本批次前面的记录为同一人")                                                     \
    /* comparison with the population database */                                                  \
    X(POP_NAME_EQ, "与人口库姓名一致")                                                             \
    X(POP_FORMER_NAME, "与人口库曾用名一致")                                                       \
    X(POP_NOT_FOUND, "人口库中无此身份证号")                                                       \
    X(POP_NAME_MISMATCH, "姓名与人口库不一致")                                                     \
    X(POP_GENDER_MISMATCH, "性别与人口库不一致")                                                   \
    X(POP_BIRTH_MISMATCH, "出生日期与人口库不一致")                                                \
    X(POP_DECEASED, "人口库登记为死亡")                                                            \
    X(POP_CANCELLED, "人口库户籍已注销")

typedef enum xj_reason {
#define XJ__REASON_ENUM(code, zh) XJ_R_##code,
    XJ_REASON_LIST(XJ__REASON_ENUM)
#undef XJ__REASON_ENUM
        XJ_REASON_COUNT
} xj_reason;

/* A set of reasons: bit i is xj_reason i. */
typedef struct xj_reasons {
    uint64_t bits[(XJ_REASON_COUNT + 63) / 64];
} xj_reasons;

static inline void xj_reasons_add(xj_reasons *r, xj_reason code)
{
    r->bits[(unsigned)code / 64] |= (uint64_t)1 << ((unsigned)code % 64);
}
static inline int xj_reasons_has(const xj_reasons *r, xj_reason code)
{
    return (int)((r->bits[(unsigned)code / 64] >> ((unsigned)code % 64)) & 1u);
}

/* The code ("ID_EXACT") and the Chinese description of a reason; "?" when out
 * of range. */
const char *xj_reason_code(xj_reason r);
const char *xj_reason_text_zh(xj_reason r);

/* Writes the ';'-separated codes of a set into buf (NUL-terminated, cut at
 * cap); returns the length written. */
size_t xj_reasons_format(const xj_reasons *r, char *buf, size_t cap);

/* =========================================================================
 * Judging records: the batch check and the single-record check
 *
 * One decision function serves both: a single record is judged exactly as a
 * batch of one row would be, so a child gets the same answer alone or in a
 * batch.  The engine borrows the index; close the engine before the index.
 * ========================================================================= */

typedef struct xj_engine xj_engine;

typedef struct xj_engine_options {
    int threads;             /* OpenMP threads; 0 = all cores */
    uint32_t today;          /* yyyymmdd for date checks; 0 = system clock */
    double dup_threshold;    /* score at or above which a match is a DUPLICATE; 0 = default */
    double review_threshold; /* score at or above which it is a REVIEW; 0 = default */
} xj_engine_options;

void xj_engine_options_init(xj_engine_options *opts);

/* @param idx  borrowed; must outlive the engine.
 * @param[out] out  free with xj_engine_close().  Thread-safe after creation:
 *                  any number of threads may judge records at once. */
int xj_engine_open(xj_index *idx, const xj_engine_options *opts, xj_engine **out);
void xj_engine_close(xj_engine *e);

/* One input row: the batch columns, as borrowed slices (empty = absent). */
typedef struct xj_input {
    xj_slice record_id, name, gender, birth_date, id_type, id_number, ethnicity, hukou_region,
        school_code, school_region, grade, guardian_name, guardian_id;
    unsigned csv_flags; /* XJ_CSV_ROW_* of the row, 0 for a single record */
} xj_input;

/* The batch columns of ../shared/interface.md (English and Chinese header
 * names, required or not), in the order of the fields of xj_input: the one
 * schema the batch reader, the HTTP body parser and the benchmarks share. */
#define XJ_BATCH_NCOLUMNS 13
extern const xj_csv_column xj_batch_columns[XJ_BATCH_NCOLUMNS];

/* The slice of *in that batch column i fills (i < XJ_BATCH_NCOLUMNS). */
xj_slice *xj_input_column(xj_input *in, size_t i);

#define XJ_CANDIDATES_MAX 4

/* A registry candidate as the decision saw it. */
typedef struct xj_candidate {
    xj_record rec;
    double score;
    xj_reasons reasons; /* the per-field comparison */
} xj_candidate;

/* The verdict on one record. */
typedef struct xj_verdict {
    xj_decision decision;
    char student_number[20]; /* the G/J number assigned, or the L number held; "" when INVALID */
    char matched[128];       /* student number (DUPLICATE, REVIEW) or record_id (BATCH_DUPLICATE) */
    int has_score;
    double score;
    xj_reasons reasons;
    char detail[256];   /* the first problem in words, naming the field (INVALID rows) */
    size_t ncandidates; /* best first */
    xj_candidate candidates[XJ_CANDIDATES_MAX];
    int has_person;   /* the population record compared against */
    int person_found; /* the population holds the row's ID: person is its record */
    xj_person person;
} xj_verdict;

/* Judges one record against the index, as a batch of one row would be
 * judged; assigns no number for good (the J or L number shown is the one a
 * commit would give now).  Thread-safe. */
int xj_engine_judge(xj_engine *e, const xj_input *in, xj_verdict *out);

typedef struct xj_batch_options {
    xj_csv_encoding encoding;
    int commit;     /* write the assigned numbers into the registry */
    FILE *progress; /* progress lines, or NULL */
    /* Called once per row, in input order, after the row is decided (for the
     * review report); may be NULL. */
    void (*on_row)(void *user, uint64_t row, const xj_input *in, const xj_verdict *v);
    void *user;
} xj_batch_options;

typedef struct xj_batch_stats {
    uint64_t rows;
    uint64_t by_decision[XJ_DECISION_COUNT];
    int already_committed; /* the same batch was committed before */
    uint64_t committed;    /* records written by this run */
    double seconds;
} xj_batch_stats;

/* Judges a whole batch file and writes the results CSV (one row per input
 * data row, in input order).  Results are byte-identical for any thread
 * count.
 * @return XJ_OK; XJ_ERR_CSV_HEADER / XJ_ERR_CSV_QUOTE / XJ_ERR_ENCODING /
 *         XJ_ERR_IO when the file cannot be read as a whole (then no result
 *         is committed); XJ_ERR_DB. */
int xj_engine_check_batch(xj_engine *e, FILE *in, FILE *results, const xj_batch_options *opts,
                          xj_batch_stats *stats);

/* The message of the last input or database failure ("" when none). */
const char *xj_engine_errmsg(const xj_engine *e);

#ifdef __cplusplus
}
#endif
#endif /* XJ_ENGINE_H */
