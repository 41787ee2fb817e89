/*
 * index_int.h: the private layout of the xueji index.  Everything the index
 * stores is drawn here, byte by byte; a change to any layout bumps
 * XJ_INDEX_FORMAT_VERSION.  Integers are big-endian where they are part of
 * a key (so that byte order is numeric order) and little-endian in values.
 *
 * Column families, in the order they are opened:
 *
 *   default     meta: format marker, totals
 *   records     record key (9)            -> registry record
 *   resid       packed resident ID (8)    -> posting list of record keys
 *   blocking    blocking-key hash (8)     -> posting list of record keys
 *   population  packed resident ID (8)    -> population person
 *   namefreq    tag (1) + hash (8)        -> u64 count
 *   counters    letter (1) + region (6) + birth (4) -> u32 next sequence
 *   history     committed batches and the numbers their rows received
 *
 * ---- keys ---------------------------------------------------------------
 *
 * Record key (xj_reckey), 9 bytes: the letter of the student number ('G',
 * 'J' or 'L'), then a u64 BE.  For G and J numbers the 18 characters after
 * the letter are 17 digits and a MOD 11-2 check character, packed like a
 * resident ID (xj_idcard_pack: the 17-digit value times 11 plus the check
 * value, X = 10); for L numbers the 18 digits as an integer.  Derived from
 * the number alone, so re-importing a registry rewrites the same keys.
 *
 * Packed resident ID, 8 bytes: xj_idcard_pack() of the 18 characters.
 *
 * Blocking key, 8 bytes: u64 BE XXH3-64 of a tag byte (the xj_block_kind)
 * followed by the fields of that kind, each terminated by a 0 byte:
 *
 *   PINYIN_BIRTH     fuzzy pinyin key (xj_pinyin_fuzzy), birth yyyymmdd
 *                    (8 ASCII digits); format 1 hashed the plain key
 *   NAME_YM          normalized name, gender, birth yyyymm
 *   NAME_MD          normalized name, gender, birth mmdd
 *   NAME_YD          normalized name, gender, birth yyyy and dd
 *   GUARDIAN_BIRTH   guardian's normalized ID, birth yyyymmdd
 *   SURNAME_BIRTH    pinyin of the surname (first syllable, or two for a
 *                    compound surname), birth yyyymmdd, gender, the county
 *                    (first 6 digits of the ID, else hukou, else school)
 *   ID_PREFIX        first 14 characters of the ID (county + birth date),
 *                    gender
 *
 * Name frequency key, 9 bytes: 'N' (normalized name) or 'P' (pinyin key),
 * then u64 BE XXH3-64 of the text.
 *
 * Counter key, 11 bytes: 'J' or 'L', the 6 ASCII digits of the school's
 * division code, birth yyyymmdd as u32 BE.  Value: u32 LE, the next free
 * sequence (J 0..999, L 0..9999).
 *
 * History keys: 'B' + 16-byte batch fingerprint -> commit record (u64 LE
 * unix time, u64 LE rows with a number); 'R' + fingerprint + u64 BE row ->
 * the 19-character number the row received.
 *
 * Meta keys (default family), ASCII: "xueji.format" -> u32 BE version;
 * "stats.records", "stats.persons", "stats.commits" -> u64 LE, kept with the
 * add merge operator.
 *
 * ---- values --------------------------------------------------------------
 *
 * Posting list: u32 LE total number of record keys ever merged in (it may
 * exceed the stored ones), then n sorted, unique 9-byte record keys,
 * n <= XJ_POSTING_MAX.  Kept with the union merge operator (merge.c), so a
 * bulk load writes each list as one merge operand and reloading the same
 * file changes nothing.
 *
 * Registry record (version 1):
 *
 *   0   u8   version (1)
 *   1   u8   status (xj_student_status)
 *   2   u8   id_type (xj_id_type)
 *   3   u8   gender ('M', 'F')
 *   4   u32  birth yyyymmdd
 *   8   8    packed resident ID, or 8 zero bytes
 *   16  8    packed guardian ID, or 8 zero bytes
 *   24  10   school code (ASCII digits)
 *   34  6    school region (ASCII digits)
 *   40  6    hukou region (ASCII digits, or 6 zero bytes)
 *   46  ...  strings, each u8 length + bytes: name (normalized), pinyin key,
 *            raw name, guardian name (normalized), raw document number,
 *            ethnicity, grade
 *
 * Population person (version 1):
 *
 *   0   u8   version (1)
 *   1   u8   status (xj_person_status)
 *   2   u8   gender
 *   3   u8   number of former names kept (<= XJ_FORMER_MAX)
 *   4   u32  birth yyyymmdd
 *   8   6    hukou region (or zero bytes)
 *   14  ...  strings, u8 length + bytes: name, pinyin, ethnicity, then per
 *            former name: normalized name, pinyin
 */
#ifndef XJ_INDEX_INT_H
#define XJ_INDEX_INT_H

#include <rocksdb/c.h>

#include "xj/index.h"

enum {
    CF_DEFAULT,
    CF_RECORDS,
    CF_RESID,
    CF_BLOCKING,
    CF_POPULATION,
    CF_NAMEFREQ,
    CF_COUNTERS,
    CF_HISTORY,
    CF_COUNT
};

#define META_FORMAT_KEY "xueji.format"
#define META_RECORDS    "stats.records"
#define META_PERSONS    "stats.persons"
#define META_COMMITS    "stats.commits"

struct xj_index {
    rocksdb_t *db;
    rocksdb_options_t *db_opts;
    rocksdb_options_t *cf_opts[CF_COUNT];
    rocksdb_cache_t *cache;
    rocksdb_block_based_table_options_t *table_opts;
    rocksdb_mergeoperator_t *merge_posting, *merge_add;
    rocksdb_readoptions_t *ropts;
    rocksdb_writeoptions_t *wopts;
    rocksdb_column_family_handle_t *cf[CF_COUNT];
    char *path;
    int read_only;
    int compress; /* xj_index_options.compress */
    char errmsg[512];
};

/* Records a failure on the handle: takes ownership of a RocksDB error string
 * (freeing it) or formats a message of our own.  Returns status. */
int xj__index_fail(xj_index *idx, int status, char *rocks_err, const char *what);

/* The options (with merge operators) of family cf; for SST writers. */
rocksdb_options_t *xj__cf_options(xj_index *idx, int cf);

/* ---- codec.c ---- */

#define RECORD_VALUE_MAX 2048
#define PERSON_VALUE_MAX 4096

size_t xj__record_encode(const xj_record *r, uint8_t *out);
int xj__record_decode(const uint8_t *v, size_t n, xj_record *r);
size_t xj__person_encode(const xj_person *p, uint8_t *out);
int xj__person_decode(const uint8_t *key8, const uint8_t *v, size_t n, xj_person *p);

static inline void xj__put_u32be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8),
    p[3] = (uint8_t)v;
}
static inline uint32_t xj__get_u32be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void xj__put_u64be(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}
static inline uint64_t xj__get_u64be(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}
static inline void xj__put_u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16),
    p[3] = (uint8_t)(v >> 24);
}
static inline uint32_t xj__get_u32le(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
static inline void xj__put_u64le(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (uint8_t)v;
}
static inline uint64_t xj__get_u64le(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* ---- merge.c ---- */

rocksdb_mergeoperator_t *xj__merge_posting_create(void);
rocksdb_mergeoperator_t *xj__merge_add_create(void);

/* Unions posting values; returns a malloc'd value of *outlen bytes. */
char *xj__posting_union(const char *const *vals, const size_t *lens, size_t n, size_t *outlen);

/* A one-key posting list value (total 1). */
size_t xj__posting_single(const xj_reckey *k, uint8_t out[4 + 9]);

/* Builds a posting value from n sorted unique keys with the given total;
 * returns its length (out holds 4 + 9 * min(n, XJ_POSTING_MAX) bytes). */
size_t xj__posting_build(const uint8_t *keys9, size_t n, uint32_t total, uint8_t *out);

/* ---- keys.c ---- */

/* Name frequency keys of a normalized name / pinyin key. */
void xj__freq_key(char tag, const char *text, uint8_t out[9]);

/* Counter key of a J or L sequence. */
void xj__counter_key(char letter, const char region6[6], uint32_t birth, uint8_t out[11]);

#endif
