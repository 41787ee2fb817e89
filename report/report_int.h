/*
 * report_int.h: what the files of the report layer share.
 *
 * A conflict passes through one shape, the view: the batch row in column 0
 * and its registry candidates (or its population person) in the columns
 * after it, one display string per field and column, and how each column
 * agrees with the batch row field by field.  collect.c builds the view from a
 * verdict (masking as it goes, so that nothing unmasked is ever kept when
 * the report is masked), writes its CSV rows and packs it into the arena;
 * html.c unpacks it again at finish.  Both files therefore always show the
 * same comparison.
 *
 * Packed layout of one conflict in the arena (byte-aligned, native order):
 *
 *   blob_head                        fixed-size numbers and agreement bytes
 *   record_id \0 name \0 school_code \0 school_region \0 matched \0
 *   heads[0] \0 ... heads[ncols-1] \0
 *   val[0][0] \0 ... val[0][ncols-1] \0 val[1][0] \0 ... val[NF-1][ncols-1] \0
 */
#ifndef XJ_REPORT_INT_H
#define XJ_REPORT_INT_H

#include <stdio.h>

#include "xj/report.h"

/* The batch row plus every candidate the engine keeps. */
#define COL_MAX (1 + XJ_CANDIDATES_MAX)

/* Longest value kept, in bytes: longer values (a 4 KiB CSV field) are cut at
 * a character boundary and marked, so that one row cannot blow the arena. */
#define VALUE_MAX 240

#define REASON_WORDS (sizeof(xj_reasons) / sizeof(uint64_t))

/* The fields compared side by side, in display order; the key prefixes the
 * CSV columns (<key>_batch, <key>_candidate, <key>_agrees). */
#define XJ__FIELD_LIST(X)                                                                          \
    X(F_NAME, "name", "姓名（规范化）")                                                            \
    X(F_NAME_RAW, "name_raw", "姓名（原始录入）")                                                  \
    X(F_FORMER, "former_names", "曾用名")                                                          \
    X(F_GENDER, "gender", "性别")                                                                  \
    X(F_BIRTH, "birth_date", "出生日期")                                                           \
    X(F_ID_TYPE, "id_type", "身份证件类型")                                                        \
    X(F_ID, "id_number", "身份证件号")                                                             \
    X(F_NUMBER, "student_number", "学籍号")                                                        \
    X(F_SCHOOL_CODE, "school_code", "学校标识码")                                                  \
    X(F_SCHOOL_REGION, "school_region", "学校所在地")                                              \
    X(F_HUKOU, "hukou_region", "户口所在地")                                                       \
    X(F_ETHNICITY, "ethnicity", "民族")                                                            \
    X(F_GRADE, "grade", "年级")                                                                    \
    X(F_GUARDIAN_NAME, "guardian_name", "监护人姓名")                                              \
    X(F_GUARDIAN_ID, "guardian_id", "监护人身份证件号")                                            \
    X(F_STATUS, "status", "学籍状态／户籍状态")

typedef enum rfield {
#define XJ__FIELD_ENUM(e, key, label) e,
    XJ__FIELD_LIST(XJ__FIELD_ENUM)
#undef XJ__FIELD_ENUM
        NFIELDS
} rfield;

const char *xj__report_field_key(unsigned f);
const char *xj__report_field_label(unsigned f);

/* How a column agrees with the batch row on one field. */
enum {
    AG_NONE = 0, /* not compared: informational, or a side is empty */
    AG_SAME = 1, /* the same value */
    AG_DIFF = 2, /* a different value: highlighted */
    AG_WARN = 3  /* a status that needs attention (left school, deceased, ...) */
};

/* What a conflict is compared against. */
enum { KIND_NONE = 0, KIND_REGISTRY = 1, KIND_POPULATION = 2 };

/* The next steps the policy texts prescribe (steps.c): code, text, where. */
#define XJ__STEP_LIST(X)                                                                           \
    X(DUP_TRANSFER)                                                                                \
    X(DUP_SUSPENDED)                                                                               \
    X(DUP_LEFT)                                                                                    \
    X(DUP_GRADUATED)                                                                               \
    X(DUP_TRANSFERRED)                                                                             \
    X(DUP_DECEASED)                                                                                \
    X(KEY_ID)                                                                                      \
    X(KEY_NAME)                                                                                    \
    X(REV_CHECK)                                                                                   \
    X(REV_MULTIPLE)                                                                                \
    X(REV_SIBLING)                                                                                 \
    X(REV_COMMON_NAME)                                                                             \
    X(REV_ID_NEAR)                                                                                 \
    X(REV_ID_NAME)                                                                                 \
    X(POP_NOT_FOUND)                                                                               \
    X(POP_NAME)                                                                                    \
    X(POP_GENDER)                                                                                  \
    X(POP_BIRTH)                                                                                   \
    X(POP_DECEASED)                                                                                \
    X(POP_CANCELLED)                                                                               \
    X(POP_GENERIC)

typedef enum step {
#define XJ__STEP_ENUM(code) STEP_##code,
    XJ__STEP_LIST(XJ__STEP_ENUM)
#undef XJ__STEP_ENUM
        NSTEPS
} step;

const char *xj__report_step_code(unsigned s);
const char *xj__report_step_text(unsigned s);
const char *xj__report_step_cite(unsigned s);

/* The steps for a verdict, as a bit set (bit s = step s). */
uint32_t xj__report_steps_for(const xj_verdict *v);

/* One conflict, unpacked: strings point into the arena or a scratch buffer. */
typedef struct view {
    uint64_t row;
    uint8_t decision; /* xj_decision */
    uint8_t kind;     /* KIND_* */
    uint8_t ncols;    /* 1 + candidates (or 1 + the person) */
    uint8_t has_score;
    double score;
    uint32_t steps;
    uint64_t reasons[REASON_WORDS];
    double col_score[COL_MAX]; /* registry candidates' scores */
    uint64_t col_reasons[COL_MAX][REASON_WORDS];
    uint8_t agree[NFIELDS][COL_MAX]; /* [f][0] is unused */
    const char *record_id, *name, *school_code, *school_region, *matched;
    const char *heads[COL_MAX]; /* column headings */
    const char *val[NFIELDS][COL_MAX];
} view;

/* A value before it is cleaned: borrowed bytes. */
typedef struct raw {
    const char *s;
    size_t len;
} raw;

/* The unmasked display values of one conflict, before they are copied into
 * a view (masked); agreement is decided on these. */
typedef struct rawview {
    raw cell[NFIELDS][COL_MAX];
    char dates[COL_MAX][11];
    char formers[XJ_FORMER_MAX * (XJ_NAME_MAX + 4)];
    xj_name name, guardian;
    xj_idcard id, gid;
} rawview;

/* The growing byte store of kept conflicts. */
typedef struct arena {
    char *buf;
    size_t len, cap;
} arena;

/* One kept conflict: where its blob lies and which school it belongs to. */
typedef struct kept {
    size_t off;
    uint32_t school; /* index into the school table */
    uint8_t decision;
} kept;

/* A distinct school code among the kept conflicts. */
typedef struct school {
    size_t name_off; /* offset of the NUL-terminated code in the school names */
    uint32_t n;      /* kept conflicts of this school */
    uint32_t by[3];  /* of which DUPLICATE, REVIEW, POP_MISMATCH */
} school;

struct xj_report {
    xj_report_options o;
    char *html_path, *conflicts_path, *audit_log, *user, *batch_path;
    char *html_partial, *conflicts_partial;
    FILE *html, *csv;
    int finished;
    int status; /* first failure, XJ_OK while none */
    char errmsg[256];

    xj_report_counts counts;
    uint64_t left_out_by[3];

    arena data; /* packed conflicts */
    kept *kept;
    size_t nkept, kept_cap;

    school *schools; /* distinct school codes, first-seen order */
    size_t nschools, schools_cap;
    arena school_names;
    uint32_t *school_hash; /* open addressing: school index + 1, 0 = empty */
    size_t hash_cap;

    /* Working space for one conflict at a time: both are large (a view holds
     * 80 value pointers, the raw view two normalized names). */
    view view;
    rawview raw;
    char scratch[NFIELDS * COL_MAX * (VALUE_MAX + 8) + 4096];
    size_t scratch_len;
};

/* Records the first failure; later ones keep the first message. */
void xj__report_fail(xj_report *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* collect.c */
void xj__report_collect(xj_report *r, uint64_t row, const xj_input *in, const xj_verdict *v);
void xj__report_csv_header(FILE *fp);
void xj__report_unpack(const char *blob, view *out);

/* assets.c: the embedded style sheet and script. */
extern const char *const xj__report_css;
extern const char *const xj__report_js;

/* html.c: writes the whole HTML document to r->html. */
int xj__report_write_html(xj_report *r, const xj_batch_stats *st);

/* Decision slot of a conflict decision (0 DUPLICATE, 1 REVIEW, 2
 * POP_MISMATCH), or -1 for any other decision. */
int xj__report_slot(int decision);

/* Copies s[0..len) into dst (cap bytes, NUL-terminated): invalid UTF-8
 * becomes U+FFFD, the value is cut at a character boundary near VALUE_MAX,
 * and, when mask is set, every run of 15 or more digits (with an optional
 * final X) is masked as an ID.  Returns the length written. */
size_t xj__report_clean(char *dst, size_t cap, const char *s, size_t len, int mask);

#endif /* XJ_REPORT_INT_H */
