/*
 * engine_int.h: the engine's private structures.
 *
 * A row goes through four steps, each a file of its own:
 *
 *   prepare.c   parse and normalize the columns into an xj_row (field errors
 *               become reasons; nothing is decided yet);
 *   gather.c    find candidates in the index in groups (MultiGet): registry
 *               records by resident ID, by suggested corrections of a
 *               mistyped ID and by blocking keys; the population person;
 *               name frequencies;
 *   compare.c   compare the row with each candidate field by field and score
 *               the comparison (Fellegi-Sunter log-likelihood weights with a
 *               term-frequency adjustment for names);
 *   decide.c    turn the best comparison, the population comparison and the
 *               row's own validity into one decision, by the precedence of
 *               ../shared/interface.md.
 *
 * batch.c runs the four steps over a file in chunks (OpenMP over groups of
 * rows), then, in input order, finds duplicates inside the batch, assigns
 * numbers and writes the results.  judge.c runs them for one record.
 */
#ifndef XJ_ENGINE_INT_H
#define XJ_ENGINE_INT_H

#include "xj/engine.h"

struct xj_engine {
    xj_index *idx;
    xj_engine_options opts;
    char errmsg[512];
};

/* ---- a prepared row ------------------------------------------------------ */

#define ROW_SUGGEST_MAX 8

typedef struct xj_row {
    xj_record rec;    /* the row as a record: what blocking keys and comparisons use */
    xj_idcard idcard; /* the resident-ID verdict (also for permits) */
    int id_valid;     /* the ID number passes validation */
    int id_usable;    /* a valid ID of type 居民身份证: G is possible */
    int has_id18;     /* idcard.normalized holds 18 characters (maybe invalid) */
    size_t nsuggest;  /* corrections of a mistyped ID, best first */
    char suggest[ROW_SUGGEST_MAX][19];
    xj_name name;                       /* normalization of the name column */
    char fuzzy[XJ_PINYIN_MAX];          /* xj_pinyin_fuzzy of rec.pinyin, once per row */
    uint64_t blocks[XJ_BLOCK_KEYS_MAX]; /* hashes of its blocking keys (xj__gather) */
    uint8_t nblocks;
    char record_id[128]; /* cut at 127 bytes */
    int invalid;         /* a required field is missing or unreadable, or the ID fails */
    xj_reasons reasons;  /* what the row itself says (MISSING_*, BAD_*, ID_*) */
    char detail[256];    /* the first problem, in words, naming the field */
} xj_row;

/* Parses and normalizes one input row into *row.  Never fails: problems
 * become reasons and set row->invalid. */
void xj__prepare(const xj_engine *e, const xj_input *in, xj_row *row);

/* Fills *kr with the record whose blocking keys find the row's candidates:
 * the row itself, with a broken 18-character ID put back when only its
 * checksum or Excel damage is wrong, since the digits that block (region,
 * birth date, sequence) may well be intact. */
void xj__row_key_record(const xj_row *row, xj_record *kr);

/* ---- comparison ------------------------------------------------------------ */

typedef enum { CMP_MISSING = 0, CMP_EQ, CMP_NEAR, CMP_DIFF } cmp_level;

typedef enum {
    NAME_MISSING = 0,
    NAME_EQ,
    NAME_PINYIN,      /* the same pinyin key: homophones, T/S forms */
    NAME_PINYIN_NEAR, /* the same fuzzy pinyin key (xj_pinyin_fuzzy): 陈/诚 */
    NAME_ONE_CHAR,
    NAME_PLACEHOLDER, /* equal but where one holds ? * □ for a character it could not type */
    NAME_SWAPPED,     /* two neighbouring characters of the given name in the other order */
    NAME_DROPPED,     /* one character of the given name left out */
    NAME_DIFF
} name_level;

typedef struct xj_comparison {
    cmp_level id; /* EQ exact, NEAR one substitution or adjacent swap */
    name_level name;
    cmp_level birth; /* NEAR: one digit, or month and day swapped */
    cmp_level gender;
    cmp_level guardian_id;
    cmp_level guardian_name;
    cmp_level hukou;
    cmp_level school_region;
    int id_conflict;    /* both hold valid IDs that differ beyond one typo */
    int doc_conflict;   /* one holds a resident ID, the other a passport or permit */
    int id_prefix_only; /* an Excel-damaged ID agreeing on its first 14 digits only */
    int id_tail_valid;  /* ... and one that passes its checksum as it is (x000) */
    int both_no_id;     /* neither side holds a resident ID, a permit or a passport */
    int family;         /* the same family: the guardian's ID, or the guardian's name and
                         * the hukou county with no guardian ID against them */
    int sibling;        /* same guardian and birth date, different names */
    double score;
    xj_reasons reasons;
} xj_comparison;

/* Name statistics the scorer uses for term-frequency weights. */
#define FREQ_NAME   1u /* xj_name_stats.name_freq */
#define FREQ_PINYIN 2u /* xj_name_stats.pinyin_freq */

typedef struct xj_name_stats {
    unsigned have; /* FREQ_NAME, FREQ_PINYIN: which of the two below were read */
    uint64_t name_freq;
    uint64_t pinyin_freq;
    uint64_t population; /* persons + records: the denominator of frequencies */
} xj_name_stats;

/* Which frequencies xj__compare reads to weigh the name agreement of row
 * and c: FREQ_NAME (NAME_EQ), FREQ_PINYIN (NAME_PINYIN_EQ, or NAME_EQ by
 * the separator dot alone), both, or none (0). */
unsigned xj__freq_needed(const xj_row *row, const xj_record *c);

/* Compares a prepared row with a registry record (or an earlier batch row
 * seen as a record) and scores the comparison. */
void xj__compare(const xj_row *row, const xj_record *cand, const xj_name_stats *ns,
                 xj_comparison *out);

/* What a comparison is enough for. */
typedef enum { MATCH_NONE = 0, MATCH_REVIEW, MATCH_DUPLICATE } match_class;

match_class xj__classify(const xj_engine *e, const xj_comparison *c);

/* A name one written character apart or one shorter, born the same day:
 * what twins look like (王浩宇/王浩然), where a slip of the input method
 * gives a homophone instead. */
static inline int xj__twin_like(const xj_comparison *c)
{
    return (c->name == NAME_ONE_CHAR || c->name == NAME_DROPPED) && c->birth == CMP_EQ;
}

/* 1 when a comparison found the ID equal but names a and b other (not
 * equal in writing or sound; or a slip apart with the other gender) and
 * the population record p of that ID (NULL: none) does not hold both of
 * them as its current and former names: no merge on the ID alone. */
int xj__id_name_conflict(const xj_comparison *c, const char *a, const char *b, const xj_person *p);

/* The number of places at which two names of the same length differ
 * (李欣怡 / 李馨怡: 1); -1 when their lengths differ. */
int xj__name_places_differ(const char *a, const char *b);

/* ---- decision ---------------------------------------------------------------- */

/* The candidates of one row as gather.c found them. */
#define ROW_CAND_MAX 32
typedef struct xj_found {
    size_t ncand;
    xj_record cand[ROW_CAND_MAX];
    int has_person;
    xj_person person;
} xj_found;

/* Decides a row against its registry candidates and population person
 * (everything but duplicates inside the batch and the number), filling the
 * decision, score, reasons, matched number and candidates of *v. */
void xj__decide(const xj_engine *e, const xj_row *row, const xj_found *found,
                const xj_name_stats *ns, xj_verdict *v);

/* Gives a decided row its number: G from the ID; J, or L for the rows that
 * hold a temporary number (DUPLICATE, REVIEW, POP_MISMATCH, and a
 * BATCH_DUPLICATE whose earlier row has none), from the counters, reserved
 * in cm (written only when cm is).  INVALID rows get none. */
int xj__assign_number(xj_commit *cm, const xj_row *row, xj_verdict *v);

/* ---- gathering ----------------------------------------------------------------- */

/* The lookup buffers of one thread, sized for a group of rows and reused for
 * every group, so that the hot path allocates nothing. */
typedef struct xj_scratch xj_scratch;
xj_scratch *xj__scratch_new(size_t rows);
void xj__scratch_free(xj_scratch *s);

/* Looks up candidates, persons and name frequencies for n prepared rows
 * (n at most the scratch's size) in grouped lookups.  Returns XJ_OK or
 * XJ_ERR_DB/XJ_ERR_CORRUPT. */
int xj__gather(xj_engine *e, xj_row *rows, size_t n, xj_found *found, xj_name_stats *ns,
               xj_scratch *sc);

/* Reads those of the frequencies in need (FREQ_*) that gather did not give
 * the row, for a comparison with an earlier batch row. */
int xj__name_stats_fill(xj_engine *e, const xj_row *row, xj_name_stats *ns, unsigned need);

/* Total persons + records, for name frequencies. */
uint64_t xj__population_size(xj_engine *e);

#endif
