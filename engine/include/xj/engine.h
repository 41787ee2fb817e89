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

#ifdef __cplusplus
}
#endif
#endif /* XJ_ENGINE_H */
