/*
 * xj/datagen.h: the synthetic nation with ground truth (`xueji gen`).
 *
 * Real registry data cannot leave a ministry, so the engine is judged on a
 * generated nation: a population database extract, an existing registry, one
 * monthly batch and the truth file that says what a correct engine must
 * decide for every batch row (../shared/interface.md).
 *
 * Every attribute of every person is a pure function of (seed, index, field)
 * computed with XXH3, so the files are byte-identical for the same
 * configuration whatever the thread count, rows can be generated in any order
 * and the memory in use does not grow with the sizes: rows are made in chunks,
 * in parallel (OpenMP), and written in order.
 *
 * Threading: a generator handle is immutable after xj_datagen_create(); any
 * number of threads may call xj_datagen_write() on it at once (each with its
 * own FILE).
 */
#ifndef XJ_DATAGEN_H
#define XJ_DATAGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xj/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The four files of a generated data set. */
typedef enum xj_datagen_file {
    XJ_DATAGEN_POPULATION = 0,
    XJ_DATAGEN_REGISTRY = 1,
    XJ_DATAGEN_BATCH = 2,
    XJ_DATAGEN_TRUTH = 3,
    XJ_DATAGEN_NFILES = 4
} xj_datagen_file;

/* The rate knobs, each a probability in [0, 1]: field, command-line flag
 * (without the leading --), default, help.  Rates of batch categories are
 * shares of the batch rows; noise rates are shares of the rows where that
 * noise can occur without changing the expected decision. */
#define XJ_DATAGEN_RATE_LIST(X)                                                                    \
    X(dup_rate, "dup-rate", 0.08, "batch rows of students already in the registry (DUPLICATE)")    \
    X(batch_dup_rate, "batch-dup-rate", 0.02, "rows repeating an earlier row (BATCH_DUPLICATE)")   \
    X(review_rate, "review-rate", 0.005, "genuinely ambiguous rows (REVIEW)")                      \
    X(invalid_rate, "invalid-rate", 0.02, "rows with a bad ID or a missing field (INVALID)")       \
    X(pop_missing_rate, "pop-missing-rate", 0.01,                                                  \
      "valid IDs absent from the population (POP_MISMATCH)")                                       \
    X(pop_mismatch_rate, "pop-mismatch-rate", 0.015,                                               \
      "name/gender/birth disagreeing with the population, deceased, cancelled (POP_MISMATCH)")     \
    X(j_rate, "j-rate", 0.025, "new students without a usable resident ID (ASSIGNED_J)")           \
    X(former_rate, "former-rate", 0.01, "new students submitted under a former name (ASSIGNED_G)") \
    X(twin_rate, "twin-rate", 0.005, "twins of registered students (ASSIGNED_G)")                  \
    X(namesake_rate, "namesake-rate", 0.005,                                                       \
      "same name, same birth date, different person as a registered student (ASSIGNED_G)")         \
    X(noise_trad, "noise-trad", 0.03, "names typed in Traditional characters")                     \
    X(noise_space, "noise-space", 0.02, "spaces inside names and ID numbers")                      \
    X(noise_width, "noise-width", 0.01, "full-width digits in ID numbers")                         \
    X(noise_lower_x, "noise-lower-x", 0.3, "IDs ending in X typed with a lower-case x")            \
    X(noise_dot, "noise-dot", 0.5, "minority names with a look-alike of the middle dot")           \
    X(noise_typo, "noise-typo", 0.10, "duplicates with a homophone/look-alike name typo")          \
    X(noise_id_typo, "noise-id-typo", 0.15, "duplicates with a mistyped ID (digit or swap)")       \
    X(noise_excel, "noise-excel", 0.05, "duplicates whose ID a spreadsheet damaged (000 tail)")    \
    X(alt_format, "alt-format", 0.15, "gender as 1/2 or M/F, dates as YYYYMMDD or YYYY/M/D")       \
    X(migrant_rate, "migrant-rate", 0.15, "students at school outside their hukou county")         \
    X(pop_twin_rate, "pop-twin-rate", 0.01, "twin births in the population")                       \
    X(pop_former_rate, "pop-former-rate", 0.03, "persons with a former name (曾用名)")             \
    X(pop_dead_rate, "pop-dead-rate", 0.0005, "other persons recorded deceased or cancelled")      \
    X(missing_optional, "missing-optional", 0.05, "optional batch fields left empty")

/* Everything that determines a data set.  Fill with xj_datagen_config_init()
 * and change what you need; the struct holds no pointers. */
typedef struct xj_datagen_config {
    uint64_t population; /* rows of population.csv */
    uint64_t registry;   /* rows of registry.csv */
    uint64_t batch;      /* rows of batch.csv (and of truth.csv) */
    uint64_t seed;
    int school_year;     /* the school year the grades refer to (2024 = 2024-25) */
    int threads;         /* 0: OpenMP's default */
    int batch_header_zh; /* 1: Chinese header names in batch.csv (default) */
    int other_header_zh; /* 1: Chinese header names in population.csv and registry.csv */
    xj_csv_encoding encoding;
    uint32_t chunk_rows; /* rows generated per chunk (memory per thread) */
#define XJ__DATAGEN_RATE_FIELD(field, flag, def, help) double field;
    XJ_DATAGEN_RATE_LIST(XJ__DATAGEN_RATE_FIELD)
#undef XJ__DATAGEN_RATE_FIELD
} xj_datagen_config;

/* Sets the defaults: population 100000, registry 50000, batch 5000, seed 1,
 * school year 2024, UTF-8, Chinese batch header, every rate at its default. */
void xj_datagen_config_init(xj_datagen_config *cfg);

/* Sets one rate knob by its flag name ("dup-rate") from text ("0.08").
 * @return XJ_OK, XJ_ERR_NOT_FOUND for an unknown name, XJ_ERR_ARG for a value
 *         that is not a number in [0, 1]. */
int xj_datagen_set_rate(xj_datagen_config *cfg, const char *flag, const char *value);

/* Enumerates the rate knobs for help texts; i < xj_datagen_rate_count().
 * Out-parameters may be NULL; the strings are static. */
size_t xj_datagen_rate_count(void);
void xj_datagen_rate_at(size_t i, const char **flag, double *def, const char **help);

/* An immutable generator built from a configuration. */
typedef struct xj_datagen xj_datagen;

/* Checks the configuration and builds the tables (division codes weighted
 * by population, name pools).
 * @param[out] out  the new generator; free it with xj_datagen_free().
 * @param err       receives a one-line English reason on XJ_ERR_ARG (sizes
 *                  that do not fit together, a rate whose shares exceed 1).
 * @return XJ_OK, XJ_ERR_ARG or XJ_ERR_NOMEM. */
int xj_datagen_create(const xj_datagen_config *cfg, xj_datagen **out, char *err, size_t errlen);

/* Frees a generator; accepts NULL. */
void xj_datagen_free(xj_datagen *g);

/* Writes one whole file (header included) to fp, in the configured encoding.
 * The caller owns fp and closes it.  Rows are generated in parallel chunks
 * and written in order; the bytes do not depend on the thread count.
 * @return XJ_OK, XJ_ERR_IO (a failed write), XJ_ERR_NOMEM or XJ_ERR_ENCODING. */
int xj_datagen_write(const xj_datagen *g, xj_datagen_file file, FILE *fp);

/* The data rows a file will have (its header not counted). */
uint64_t xj_datagen_rows(const xj_datagen *g, xj_datagen_file file);

/* "population.csv", "registry.csv", "batch.csv", "truth.csv"; "population"
 * ... for the short form of xj_datagen_file_parse. */
const char *xj_datagen_file_name(xj_datagen_file file);
int xj_datagen_file_parse(const char *shortname, xj_datagen_file *out);

#ifdef __cplusplus
}
#endif
#endif /* XJ_DATAGEN_H */
