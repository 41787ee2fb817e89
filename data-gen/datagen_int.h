/*
 * datagen_int.h: the private side of data-gen: the generator's tables, the
 * counter-based random functions and the layout of persons, registry rows
 * and batch rows over index ranges.
 *
 * Layout (all O(1) per row, no shuffle arrays):
 *
 *  Resident persons p = 0 .. population+batch-1 come in pairs m = p/2.  The
 *  even person of a pair owns an identity slot (county, birth date, a block
 *  of 8 sequence numbers) picked by a keyed Feistel permutation, so IDs are
 *  unique by construction.  The odd person shares that slot (adjacent
 *  sequence number) when the pair are twins or same-day namesakes, and
 *  otherwise gets a slot of its own from a second permutation, using the
 *  upper half of a block.  Persons >= population are never written to
 *  population.csv: they are the "not found in the population" rows.
 *
 *  Registry row k holds resident person reg(k) = 2k for k < E (E = number of
 *  even persons), else 2(k-E)+1.  In every 256 rows, positions 0..250 are G
 *  students, 251 an L (pending) student and 252..255 J students, who are
 *  persons of a separate non-resident domain indexed by k.
 *
 *  Batch row b gets its own fresh unregistered person unreg(b) (odd persons
 *  first, so that most fresh persons have a registered pair partner for the
 *  twin and namesake cases), whether or not its category uses it.
 */
#ifndef XJ_DATAGEN_INT_H
#define XJ_DATAGEN_INT_H

#include <stdint.h>
#include <stddef.h>

#include "xj/datagen.h"

/* Rows of the tables compiled from the data/ folder (datagen.cmake). */
typedef struct dg_row_province {
    const char *code2, *name;
    double population;
} dg_row_province;
typedef struct dg_row_surname {
    const char *text;
    double weight;
} dg_row_surname;
typedef struct dg_row_given {
    const char *era, *sex;
    double weight;
    const char *text;
} dg_row_given;
typedef struct dg_row_minority {
    const char *prov, *ethnicity;
    double permille;
    const char *style;
} dg_row_minority;
typedef struct dg_row_minority_name {
    const char *style, *sex, *text;
} dg_row_minority_name;
typedef struct dg_row_typo {
    const char *kind, *group;
} dg_row_typo;
typedef struct dg_row_traditional {
    const char *simplified, *traditional;
} dg_row_traditional;

/* The J-targeting share of duplicates and of reviews: registered J students
 * are about 1.6% of the registry but a far larger share of the students
 * re-submitted without an ID. */
#define DG_DUP_J_SHARE    0.05
#define DG_REVIEW_J_SHARE 0.5

/* Naming styles. */
enum { DG_STYLE_HAN = 0, DG_STYLE_UYGHUR, DG_STYLE_KAZAKH, DG_STYLE_TIBETAN, DG_NSTYLES };

/* A weighted list of strings; sampled by binary search over cumulative
 * integer weights. */
typedef struct dg_pool {
    const char **text;
    uint64_t *cum; /* cum[i] = sum of weights 0..i */
    uint32_t n;
} dg_pool;

/* One county-level division, in code order; its share of the nation is
 * `units` slots of the identity grid. */
typedef struct dg_county {
    char code[7];
    uint8_t prov; /* the two leading digits as a number */
    uint32_t unit_start, units;
} dg_county;

/* The ethnic mix of one province: cumulative per-mille thresholds. */
#define DG_MAX_ETH 8
typedef struct dg_ethmix {
    uint8_t n;
    uint16_t cum[DG_MAX_ETH];
    const char *ethnicity[DG_MAX_ETH];
    uint8_t style[DG_MAX_ETH];
} dg_ethmix;

/* A typo table entry: a code point and the group it can be swapped within. */
typedef struct dg_typo_entry {
    uint32_t cp;
    uint16_t group;
    uint8_t sound; /* 1 = same pinyin, 0 = look-alike */
} dg_typo_entry;

/* Batch categories: how a row was made.  The X-macro gives the truth label
 * and the expected decision. */
#define DG_CATEGORY_LIST(X)                                                                        \
    X(DG_NEW_CLEAN, "new_clean", "ASSIGNED_G")                                                     \
    X(DG_NEW_FORMER_NAME, "new_former_name", "ASSIGNED_G")                                         \
    X(DG_TWIN, "twin_of_registered", "ASSIGNED_G")                                                 \
    X(DG_NAMESAKE, "namesake_stranger", "ASSIGNED_G")                                              \
    X(DG_J_NO_ID, "j_no_id", "ASSIGNED_J")                                                         \
    X(DG_J_HMT, "j_hmt_permit", "ASSIGNED_J")                                                      \
    X(DG_J_PASSPORT, "j_passport", "ASSIGNED_J")                                                   \
    X(DG_DUP_OTHER_SCHOOL, "dup_other_school", "DUPLICATE")                                        \
    X(DG_DUP_ID_TYPO, "dup_id_typo", "DUPLICATE")                                                  \
    X(DG_DUP_EXCEL_ID, "dup_excel_id", "DUPLICATE")                                                \
    X(DG_DUP_NAME_TYPO, "dup_name_typo", "DUPLICATE")                                              \
    X(DG_DUP_NO_ID, "dup_no_id", "DUPLICATE")                                                      \
    X(DG_DUP_FORMER_NAME, "dup_former_name", "DUPLICATE")                                          \
    X(DG_DUP_J_STUDENT, "dup_j_student", "DUPLICATE")                                              \
    X(DG_BATCH_DUP, "batch_dup", "BATCH_DUPLICATE")                                                \
    X(DG_REVIEW_J, "review_j_no_id", "REVIEW")                                                     \
    X(DG_REVIEW_G, "review_g_no_id", "REVIEW")                                                     \
    X(DG_INVALID_CHECKSUM, "invalid_checksum", "INVALID")                                          \
    X(DG_INVALID_EXCEL, "invalid_excel_id", "INVALID")                                             \
    X(DG_INVALID_MISSING, "invalid_missing_field", "INVALID")                                      \
    X(DG_INVALID_DATE, "invalid_date", "INVALID")                                                  \
    X(DG_POP_NOT_FOUND, "pop_not_found", "POP_MISMATCH")                                           \
    X(DG_POP_NAME, "pop_name_mismatch", "POP_MISMATCH")                                            \
    X(DG_POP_DECEASED, "pop_deceased", "POP_MISMATCH")                                             \
    X(DG_POP_CANCELLED, "pop_cancelled", "POP_MISMATCH")                                           \
    X(DG_POP_GENDER, "pop_gender_mismatch", "POP_MISMATCH")                                        \
    X(DG_POP_BIRTH, "pop_birth_mismatch", "POP_MISMATCH")

typedef enum dg_category {
#define DG__CAT_ENUM(name, label, decision) name,
    DG_CATEGORY_LIST(DG__CAT_ENUM)
#undef DG__CAT_ENUM
        DG_NCATEGORIES
} dg_category;

const char *dg_category_label(dg_category c);
const char *dg_category_decision(dg_category c);

/* The generator: configuration, tables and the derived layout constants.
 * Immutable after creation. */
struct xj_datagen {
    xj_datagen_config cfg;

    dg_county *counties;
    uint32_t ncounties;
    uint32_t prov_first[100], prov_count[100]; /* county ranges per province */
    dg_ethmix eth[100];                        /* per province */
    uint64_t units;                            /* sum of county units */
    uint32_t *dates;                           /* yyyymmdd of birth-date index */
    uint32_t ndates;
    uint32_t first_birth; /* yyyymmdd of dates[0] */

    dg_pool surnames;
    dg_pool given[2][2][2];          /* [adult][female][whole name] */
    dg_pool minority[DG_NSTYLES][3]; /* [style][0 male, 1 female, 2 father] */
    dg_typo_entry *typos;
    uint32_t ntypos;
    const char **typo_groups; /* UTF-8 group strings */
    uint32_t *trad_simp;      /* sorted code points */
    const char **trad_text;   /* matching Traditional forms */
    uint32_t ntrad;

    /* Identity grid: K slots = units * ndates; G groups per slot. */
    uint64_t slots, res_groups, j_groups;
    uint64_t key_pair, key_odd, key_j, key_hmt, key_pass, key_target_g, key_target_j;

    /* Registry and batch layout. */
    uint64_t even_persons;   /* E */
    uint64_t reg_even;       /* min(registry, E): even persons registered */
    uint64_t reg_odd;        /* odd persons registered */
    uint64_t unreg_odd;      /* odd persons of the population not registered */
    uint64_t g_rows, j_rows; /* G and J rows of the registry */
    uint64_t hmt_cap, hmt_batch_base;
    uint64_t jt_mod;     /* every jt_mod-th batch row targets a J student */
    double cum_rate[16]; /* cumulative batch category thresholds */
};

/* ---- counter-based randomness ------------------------------------------- */

/* Fields of the hash key; each attribute has its own so that changing how
 * one is drawn never shifts another. */
enum dg_field {
    F_SLOT = 1,
    F_SEQ,
    F_SEQ2,
    F_TWIN,
    F_ETH,
    F_SURNAME,
    F_GIVEN,
    F_GIVEN2,
    F_FORMER,
    F_HUKOU,
    F_GUARD,
    F_GUARD2,
    F_GUARD_ID,
    F_SCHOOL,
    F_MIGRANT,
    F_STATUS,
    F_REGKIND,
    F_CAT,
    F_SUB,
    F_NOISE,
    F_NOISE2,
    F_NOISE3,
    F_FORMAT,
    F_TARGET,
    F_OPTIONAL,
    F_PASS,
    F_REGSTATUS,
    F_J
};

/* Domains (index spaces) of the hash key. */
enum dg_domain { D_RES = 1, D_PAIR, D_FAM, D_J, D_REG, D_BATCH, D_FEISTEL };

uint64_t dg_hash(const xj_datagen *g, unsigned domain, uint64_t index, unsigned field);
/* A uniform double in [0, 1) from a hash. */
static inline double dg_unit(uint64_t h)
{
    return (double)(h >> 11) * (1.0 / 9007199254740992.0);
}
/* A uniform integer in [0, n) from a hash (n < 2^32). */
static inline uint32_t dg_below(uint64_t h, uint32_t n)
{
    return (uint32_t)(((h >> 32) * (uint64_t)n) >> 32);
}
/* A keyed bijection of [0, n). */
uint64_t dg_permute(uint64_t key, uint64_t x, uint64_t n);
const char *dg_pool_pick(const dg_pool *pool, uint64_t h);

/* ---- persons ---------------------------------------------------------- */

typedef struct dg_person {
    char id[24]; /* resident ID, "" when none */
    char name[96];
    char former[96]; /* "" when none */
    char guardian_name[64];
    char guardian_id[24];
    char school_code[12];
    char number[24]; /* J number of a J-domain student */
    const char *ethnicity;
    const char *pop_status;         /* 正常, 死亡 or 注销 */
    uint32_t birth;                 /* yyyymmdd */
    uint32_t county, hukou, school; /* indexes into counties */
    uint8_t male, grade, style, twin;
} dg_person;

/* Which batch row, if any, uses resident p as its fresh person; UINT64_MAX
 * when none. */
uint64_t dg_fresh_row(const xj_datagen *g, uint64_t p);
/* The fresh resident person of batch row b. */
uint64_t dg_fresh_person(const xj_datagen *g, uint64_t b);

/* Resident person p; full = 0 skips what population.csv does not show
 * (guardian, school). */
void dg_resident(const xj_datagen *g, uint64_t p, int full, dg_person *out);
/* A J-registered or non-resident student of the J domain, index n; hmt is
 * the permit holder's index, or UINT64_MAX for a student without a permit.
 * Fills number (the J number) and, for permit holders, id. */
void dg_jperson(const xj_datagen *g, uint64_t n, uint64_t hmt, dg_person *out);

/* The J student of registry row k and the kind of document it holds. */
void dg_registry_j(const xj_datagen *g, uint64_t k, dg_person *p, const char **id_type);

/* Registry layout. */
enum { DG_REG_G, DG_REG_L, DG_REG_J };
int dg_reg_kind(uint64_t k);
uint64_t dg_reg_person(const xj_datagen *g, uint64_t k);
uint64_t dg_g_row(uint64_t rank);
uint64_t dg_j_row(uint64_t rank);
int dg_reg_is_hmt(uint64_t k);

/* Builds the identity strings of persons. */
void dg_make_id(const char *county6, uint32_t yyyymmdd, uint32_t seq, char out[19]);
void dg_l_number(const dg_person *p, const char *county6, char out[20]);
void dg_passport(const xj_datagen *g, uint64_t n, char out[16]);
/* Grade 1..12 of a birth date in the configured school year. */
int dg_grade(const xj_datagen *g, uint32_t yyyymmdd);
const char *dg_grade_label(int grade);

/* A name of the given style unrelated to anyone (for name mismatches). */
void dg_random_name(const xj_datagen *g, int style, int female, uint64_t h, char *out, size_t cap,
                    size_t *surname_bytes);
/* Bytes of the surname at the start of a Chinese-style name (1 or 2
 * characters, compound surnames of the table included); 0 for others. */
size_t dg_surname_bytes(const xj_datagen *g, const char *name, int style);

/* ---- names and noise ------------------------------------------------- */

/* Composes a given name (UTF-8) of the child or adult era. */
void dg_given_name(const xj_datagen *g, int adult, int female, uint64_t h1, uint64_t h2, char *out,
                   size_t cap);
/* Replaces one character of name with a typo; sound_only keeps the pinyin.
 * Prefers given-name characters (skip = bytes of surname).  Returns 1 when a
 * typo could be made. */
int dg_typo_name(const xj_datagen *g, const char *name, size_t skip, int sound_only, uint64_t h,
                 char *out, size_t cap);
/* Normalization-equivalent noise. */
void dg_to_traditional(const xj_datagen *g, const char *in, char *out, size_t cap);
void dg_space_name(const char *in, size_t surname_bytes, uint64_t h, char *out, size_t cap);
void dg_dot_variant(const char *in, uint64_t h, char *out, size_t cap);
void dg_id_noise_width(const char *id, char *out, size_t cap);
void dg_id_noise_space(const char *id, char *out, size_t cap);
/* Real errors. */
void dg_id_typo(const char *id, uint64_t h, char *out);
void dg_id_excel_tail(const char *id, char *out);
void dg_id_excel_sci(const char *id, char *out, size_t cap);

/* ---- rows ---------------------------------------------------------- */

/* The text fields of one batch row plus its truth. */
typedef struct dg_batch_row {
    char record_id[24], name[128], gender[8], birth[16], id_type[32], id[64], ethnicity[32];
    char hukou[8], school_code[12], school_region[8], grade[16], guardian_name[96], guardian_id[64];
    const char *decision;
    char match[32];
    const char *category;
} dg_batch_row;

/* Resolves the category of batch row b; for DG_BATCH_DUP *earlier receives
 * the row repeated, for targeted categories *target the registry row. */
dg_category dg_batch_category(const xj_datagen *g, uint64_t b, uint64_t *earlier, uint64_t *target);
void dg_batch_build(const xj_datagen *g, uint64_t b, dg_batch_row *row);

#endif
