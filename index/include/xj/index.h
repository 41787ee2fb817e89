/*
 * xj/index.h: the national index, kept in RocksDB.
 *
 * One database directory holds the existing registry, the population
 * database extract and the keys that find candidates fast, each kind of
 * record in its own column family (the byte layouts are drawn in
 * index/index_int.h).  This header is the only way the engine reaches
 * RocksDB: RocksDB's `char **errptr` strings are translated into xj_status
 * codes here and the last message is kept on the handle.
 *
 * Workload: bulk builds (a national registry of ~190 million records, a
 * population extract of ~250 million persons) happen rarely and go through
 * sorted SST files ingested whole; monthly batch checks then issue millions
 * of point lookups, always in groups (MultiGet); commits of assigned numbers
 * are small atomic WriteBatches.
 *
 * Threading: an open xj_index may be read from any number of threads at
 * once (every lookup function is reentrant and keeps no state on the
 * handle except the last error message, which is per-call best effort).
 * Writes (xj_index_commit, the bulk loaders) must not overlap each other;
 * the engine commits one batch at a time.
 */
#ifndef XJ_INDEX_H
#define XJ_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xj/normalize.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xj_index xj_index;

/* The on-disk format this build reads and writes.  A database written with
 * another format version is refused with XJ_ERR_CORRUPT rather than misread. */
#define XJ_INDEX_FORMAT_VERSION 2u

typedef struct xj_index_options {
    int create_if_missing;    /* create an empty index at path when none exists */
    int read_only;            /* open for reading only (lookup, serve) */
    size_t block_cache_bytes; /* LRU block cache; 0 = none (the default: blocks are
                                 read in place from the memory-mapped table files) */
    int compress;             /* tables written from now on (loads, flushes) in LZ4
                                 blocks, ZSTD at the bottom level: less disk, slower
                                 reads; any index reads either kind */
    int prefault;             /* open every table file now and fill the page tables of
                                 its mapping (reading it into the page cache if it is
                                 not there): for a server or a large batch, which touch
                                 most of the index; a single lookup should not */
    int bulk_load;            /* opened for a bulk load: table files are read with
                                 pread instead of being mapped, so that opening the
                                 files an ingestion adds reads their footers and
                                 indexes, not the kernel's read-around of each mapped
                                 page (up to read_ahead_kb, 8 MB on the bench
                                 machine) */
} xj_index_options;

/* Fills *opts with the defaults (create, read-write, no block cache, no
 * prefault). */
void xj_index_options_init(xj_index_options *opts);

/* Opens or creates the index in directory path.
 * @param[out] out  the handle; close it with xj_index_close().  On failure
 *                  *out is still set (unless XJ_ERR_NOMEM) so that
 *                  xj_index_errmsg() can say why; close it all the same.
 * @return XJ_OK, XJ_ERR_DB (RocksDB refused: missing, locked, unreadable),
 *         XJ_ERR_CORRUPT (not an xueji index, or another format version). */
int xj_index_open(const char *path, const xj_index_options *opts, xj_index **out);

/* Closes the index and frees the handle; accepts NULL. */
void xj_index_close(xj_index *idx);

/* The message of the last failure on this handle ("" when none); borrowed,
 * valid until the next call on the handle. */
const char *xj_index_errmsg(const xj_index *idx);

/* The path the index was opened at; borrowed for the handle's lifetime. */
const char *xj_index_path(const xj_index *idx);

/* =========================================================================
 * Records
 * ========================================================================= */

/* A record key: the student number packed into 9 bytes (the letter, then
 * the 18 characters after it as an order-preserving 8-byte integer; see
 * index_int.h).  Byte order equals student-number order. */
typedef struct xj_reckey {
    uint8_t b[9];
} xj_reckey;

/* Packs a 19-character G/J/L number.  Returns XJ_OK or XJ_ERR_ARG when the
 * number is not of a known form (xj_number_check rules: see engine.h). */
int xj_reckey_pack(const char *number, size_t len, xj_reckey *out);
/* Writes the 19-character number and a NUL into out (20 bytes). */
void xj_reckey_unpack(const xj_reckey *key, char out[20]);

#define XJ_FIELD_MAX 64 /* bytes of short text fields (grade, ethnicity), NUL included */
#define XJ_DOC_MAX   40 /* bytes of a raw document number, NUL included */

/* A registry record, decoded.  Caller-owned, no pointers inside: it may be
 * copied, kept and handed between threads freely. */
typedef struct xj_record {
    xj_reckey key;
    char student_number[20];         /* G/J/L + 18, NUL-terminated */
    uint8_t status;                  /* xj_student_status */
    uint8_t id_type;                 /* xj_id_type */
    char gender;                     /* 'M', 'F' */
    uint32_t birth;                  /* yyyymmdd */
    char id[19];                     /* normalized 18-character resident ID, or "" */
    char doc[XJ_DOC_MAX];            /* the raw document number when it is not a valid
                                        resident ID (permit, passport, a bad ID), or "" */
    char school_code[11];            /* 10 digits */
    char school_region[7];           /* 6 digits */
    char hukou_region[7];            /* 6 digits or "" */
    char name[XJ_NAME_MAX];          /* normalized (xj_name_normalize) */
    char pinyin[XJ_PINYIN_MAX];      /* pinyin key */
    char name_raw[XJ_NAME_MAX];      /* as the school typed it (for reports) */
    char guardian_name[XJ_NAME_MAX]; /* normalized, or "" */
    char guardian_id[19];            /* normalized 18-character ID, or "" */
    char ethnicity[XJ_FIELD_MAX];
    char grade[XJ_FIELD_MAX];
} xj_record;

/* A population person, decoded.  Caller-owned, no pointers inside. */
#define XJ_FORMER_MAX 4
typedef struct xj_person {
    char id[19];
    uint8_t status; /* xj_person_status */
    char gender;
    uint32_t birth;
    char hukou_region[7];
    char name[XJ_NAME_MAX]; /* normalized current name */
    char pinyin[XJ_PINYIN_MAX];
    char ethnicity[XJ_FIELD_MAX];
    uint8_t nformer;                         /* former names kept (at most XJ_FORMER_MAX) */
    char former[XJ_FORMER_MAX][XJ_NAME_MAX]; /* normalized former names */
    char former_pinyin[XJ_FORMER_MAX][XJ_PINYIN_MAX];
} xj_person;

/* =========================================================================
 * Blocking keys
 *
 * The keys that find candidate records: the same function computes them for
 * a registry record when it is indexed and for a batch row when it is
 * checked, so the two sides can never disagree.  Each key is the XXH3-64 of
 * a tag byte and the fields it blocks on.
 * ========================================================================= */

typedef enum xj_block_kind {
    XJ_BLOCK_PINYIN_BIRTH = 0,   /* fuzzy pinyin key (xj_pinyin_fuzzy) + birth date:
                                    homophones, near-homophones, T/S forms */
    XJ_BLOCK_NAME_YM = 1,        /* name + gender + birth year and month: a day typo */
    XJ_BLOCK_NAME_MD = 2,        /* name + gender + birth month and day: a year typo */
    XJ_BLOCK_NAME_YD = 3,        /* name + gender + birth year and day: a month typo */
    XJ_BLOCK_GUARDIAN_BIRTH = 4, /* guardian ID + birth date: renamed children, twins */
    XJ_BLOCK_SURNAME_BIRTH = 5,  /* surname pinyin + birth date + gender + county:
                                    given-name typos of any shape */
    XJ_BLOCK_ID_PREFIX = 6,      /* first 14 ID characters (county + birth) + gender:
                                    sequence/check typos with a changed name */
    XJ_BLOCK_KIND_COUNT
} xj_block_kind;

typedef struct xj_block_key {
    uint64_t hash;
    uint8_t kind; /* xj_block_kind */
} xj_block_key;

#define XJ_BLOCK_KEYS_MAX 8

/* Computes the blocking keys of a record (fields left empty produce no key).
 * @return the number of keys written to out (at most XJ_BLOCK_KEYS_MAX). */
size_t xj_index_block_keys(const xj_record *rec, xj_block_key out[XJ_BLOCK_KEYS_MAX]);

/* The key a record of the same birth date with the two characters of its
 * given name in the other order (李小明 for 李明小) is filed under: a
 * PINYIN_BIRTH key of the swapped reading, looked up by a batch row (never
 * stored), since no stored key finds such a typo when the row has no ID,
 * guardian or hukou county to go by.  fuzzy is the row's
 * xj_pinyin_fuzzy key, surname_chars as xj_name gives it.
 * @return 1 with *out set, or 0 when the given name is not two different
 *         syllables or the birth date is missing. */
int xj_index_swapped_key(const char *fuzzy, uint32_t birth, unsigned surname_chars,
                         xj_block_key *out);

/* Posting lists longer than this are kept as a count only: a key shared by
 * thousands of records blocks nothing, and reading it would cost more than
 * it finds. */
#define XJ_POSTING_MAX 2048

/* =========================================================================
 * Lookups, always in groups (RocksDB MultiGet)
 *
 * Each takes n inputs and fills n outputs; found[i] is 1 or 0.  A record
 * that is absent is a result, not an error.  Return XJ_OK, XJ_ERR_DB or
 * XJ_ERR_CORRUPT (an undecodable value).  Thread-safe.
 * ========================================================================= */

/* Registry records by key. */
int xj_index_get_records(xj_index *idx, const xj_reckey *keys, size_t n, xj_record *out,
                         int *found);

/* Registry record keys by resident ID (18 characters, normalized).  A
 * registry may hold more than one record for one ID (an existing duplicate);
 * up to cap keys per ID are written to out[i*cap ..], their count to count[i]. */
int xj_index_find_by_id(xj_index *idx, const char (*ids)[19], size_t n, size_t cap, xj_reckey *out,
                        size_t *count);

/* Posting lists of blocking keys: up to cap record keys per key are written
 * to out[i*cap ..], the number written to count[i], and the full length of
 * the list (which may exceed XJ_POSTING_MAX) to total[i]. */
int xj_index_get_postings(xj_index *idx, const xj_block_key *keys, size_t n, size_t cap,
                          xj_reckey *out, size_t *count, uint64_t *total);

/* Population persons by resident ID. */
int xj_index_get_persons(xj_index *idx, const char (*ids)[19], size_t n, xj_person *out,
                         int *found);

/* Frequencies of normalized names and of pinyin keys across the population
 * and the registry (for term-frequency weights): 0 when unseen. */
int xj_index_name_freq(xj_index *idx, const char *const *names, size_t n, uint64_t *out);
int xj_index_pinyin_freq(xj_index *idx, const char *const *pinyins, size_t n, uint64_t *out);

/* Totals kept by the loaders and commits. */
typedef struct xj_index_stats {
    uint64_t records; /* registry records */
    uint64_t persons; /* population persons */
    uint64_t commits; /* batches committed */
} xj_index_stats;
int xj_index_get_stats(xj_index *idx, xj_index_stats *out);

/* =========================================================================
 * Commits: new registrations, atomically
 *
 * A commit collects records and the numbers they consume, then writes them
 * all, with the history entry of the batch, in one RocksDB WriteBatch: a
 * crash at any point leaves the whole commit or none of it.  A batch is
 * identified by a fingerprint (e.g. XXH3-128 of the file); committing a
 * fingerprint that is already in the history writes nothing and reports it,
 * so that running the same batch again commits nothing twice.
 * ========================================================================= */

typedef struct xj_commit xj_commit;

/* Starts a commit for the batch with the given 16-byte fingerprint.
 * @param[out] out  the commit; finish it with xj_commit_write() or drop it
 *                  with xj_commit_abort().  Not thread-safe: one thread
 *                  builds a commit. */
int xj_commit_begin(xj_index *idx, const uint8_t fingerprint[16], xj_commit **out);

/* Returns 1 when the fingerprint was committed before (then every call
 * below is a no-op and xj_commit_write() writes nothing), else 0.  When it
 * was, the numbers assigned then can be read back with
 * xj_index_batch_numbers(). */
int xj_commit_already_done(const xj_commit *c);

/* Reserves the next J sequence (0..999) for (school region, birth date), or
 * the next L sequence (0..9999), counting numbers reserved earlier in this
 * commit and every number ever committed: a number is never given twice.
 * @return XJ_OK, or XJ_ERR_EXHAUSTED when the sequence space of that
 *         region and date is used up. */
int xj_commit_next_j(xj_commit *c, const char region6[6], uint32_t birth, unsigned *seq);
int xj_commit_next_l(xj_commit *c, const char region6[6], uint32_t birth, unsigned *seq);

/* Adds a new registry record (with its resid and blocking entries and its
 * name frequencies).  rec->key and rec->student_number must be set. */
int xj_commit_put_record(xj_commit *c, const xj_record *rec);

/* Records the number a batch row received, so that a re-run of the same
 * batch can report the same numbers (row = 0-based data row of the batch). */
int xj_commit_put_batch_number(xj_commit *c, uint64_t row, const char number[20]);

/* Writes everything atomically (with fsync) and frees the commit. */
int xj_commit_write(xj_commit *c);

/* Frees the commit without writing anything; accepts NULL. */
void xj_commit_abort(xj_commit *c);

/* Reads back the number a committed batch gave to a row: XJ_OK with out set,
 * or XJ_ERR_NOT_FOUND. */
int xj_index_batch_number(xj_index *idx, const uint8_t fingerprint[16], uint64_t row, char out[20]);

/* Calls fn once for every row of a committed batch that received a number,
 * in row order.  Returns XJ_OK or XJ_ERR_DB. */
int xj_index_batch_numbers(xj_index *idx, const uint8_t fingerprint[16],
                           void (*fn)(void *user, uint64_t row, const char number[20]), void *user);

/* =========================================================================
 * Bulk loads: `xueji load-population` and `xueji import`
 *
 * Rows are parsed and normalized in parallel, partitioned by key prefix into
 * spill files, each partition sorted and written as an SST file, and the
 * files ingested whole (IngestExternalFile): memory stays bounded whatever
 * the input size.  A row that cannot be loaded is written to the rejects
 * file (row number, line, field, reason) and counted; it never aborts the
 * load.  Loading the same file twice leaves the same index.
 * ========================================================================= */

typedef struct xj_load_options {
    xj_csv_encoding encoding;
    int threads;          /* 0 = all cores */
    size_t memory_budget; /* bytes for sort buffers; 0 = 1 GiB */
    const char *tmp_dir;  /* spill files; NULL = <index path>/tmp */
    FILE *rejects;        /* CSV: row,line,field,reason; NULL = discard */
    FILE *progress;       /* progress lines; NULL = quiet */
    uint32_t today;       /* yyyymmdd for date checks; 0 = system clock */
} xj_load_options;

void xj_load_options_init(xj_load_options *opts);

typedef struct xj_load_stats {
    uint64_t rows;      /* data rows read */
    uint64_t loaded;    /* rows written to the index */
    uint64_t rejected;  /* rows written to the rejects file */
    uint64_t sst_files; /* files ingested */
    uint64_t sst_bytes;
    double seconds;        /* in all */
    double read_seconds;   /* reading, parsing and spilling the rows */
    double sort_seconds;   /* sorting the partitions into SST files */
    double ingest_seconds; /* ingesting the files */
} xj_load_stats;

/* Loads a population extract / a registry export from fp (the caller keeps
 * the FILE).  @return XJ_OK (rows may still have been rejected: see stats),
 * XJ_ERR_CSV_HEADER / XJ_ERR_CSV_QUOTE / XJ_ERR_ENCODING (the file cannot be
 * read as a whole; nothing was ingested), XJ_ERR_IO, XJ_ERR_DB. */
int xj_index_load_population(xj_index *idx, FILE *fp, const xj_load_options *opts,
                             xj_load_stats *stats);
int xj_index_load_registry(xj_index *idx, FILE *fp, const xj_load_options *opts,
                           xj_load_stats *stats);

#ifdef __cplusplus
}
#endif
#endif /* XJ_INDEX_H */
