/*
 * bulk_int.h: the spill-sort-ingest machinery of bulk loads (bulk.c), used by
 * the population and registry loaders (load.c).
 *
 * A spill collects the entries bound for one column family.  Any number of
 * writers (one per OpenMP thread) add entries at once, each into buffers of
 * its own; a full buffer is appended to its partition's file under that
 * partition's lock.  Partitions are key ranges, so that the SST files made
 * from them never overlap and one IngestExternalFile call can place them
 * all.  A spill whose boundaries are not known yet (keys that are not
 * uniform, such as packed IDs) holds its entries in memory until
 * xj__spill_start() cuts the ranges at quantiles of what it holds.
 *
 * Spill entry, as held in buffers and files:
 *
 *   0   u8   op (SPILL_PUT, SPILL_PUT_NEW, SPILL_POSTING, SPILL_ADD)
 *   1   u8   key length k (8 or 9)
 *   2   u16  LE value length v
 *   4   u64  LE sequence: the entry's place in the input (put ops only;
 *            the last put of a key wins)
 *   .   k    key
 *   .   v    value: the record or person (puts), one 9-byte record key
 *            (SPILL_POSTING), a u64 LE count (SPILL_ADD)
 *
 * Compact posting entry, 16 bytes, in spills created with
 * XJ_SPILL_POSTINGS8 (families of 8-byte keys and posting values only:
 * blocking keys, resident IDs):
 *
 *   0   u64  native  the 8 key bytes as a big-endian integer (key order)
 *   8   u64  native  the record key, packed (xj__reckey_code): the letter's
 *                    code in the top 2 bits (G 1, J 2, L 3, in letter
 *                    order), the key's u64 below, so that numeric order is
 *                    the 9-byte keys' byte order
 *
 * The file of such a spill is the sort's own item array: it is sorted as
 * read, with no header to parse and no entry to fetch afterwards, and it
 * is a quarter smaller than the general form.
 */
#ifndef XJ_BULK_INT_H
#define XJ_BULK_INT_H

#include <stdio.h>

#include "index_int.h"

enum {
    SPILL_PUT = 0,     /* a value; the last one of a key (highest sequence) wins */
    SPILL_PUT_NEW = 1, /* the same, for a key the index did not hold before the load */
    SPILL_POSTING = 2, /* one record key to union into the key's posting list */
    SPILL_ADD = 3      /* a u64 LE count to add */
};

typedef struct xj_spill xj_spill;

/* Called once for every key of a put family as it is written to its SST,
 * with the value that won and whether the key is new to the index; writer
 * is the calling thread's writer number (for adding to another spill). */
typedef int (*xj_spill_put_hook)(void *user, int writer, const uint8_t *key, size_t kn,
                                 const uint8_t *val, size_t vn, int is_new);

/* Flags of xj__spill_create. */
#define XJ_SPILL_POSTINGS8 1u /* only SPILL_POSTING, 8-byte keys: compact entries */

/* Creates the spill of family cf, its files under dir, with nparts
 * partitions and nwriters concurrent writers.  The ranges are cut later by
 * xj__spill_start() or xj__spill_set_bounds(). */
int xj__spill_create(xj_index *idx, int cf, const char *dir, int nparts, int nwriters,
                     unsigned flags, xj_spill **out);

/* Cuts the ranges at the given lower bounds (nparts values, bounds[0] = 0,
 * ascending; compared with the first 8 key bytes as a big-endian integer). */
int xj__spill_set_bounds(xj_spill *s, const uint64_t *bounds);

/* Cuts the ranges at quantiles of the entries held so far and routes them.
 * Single-threaded: call between chunks. */
int xj__spill_start(xj_spill *s);

/* Adds an entry through writer w (0 <= w < nwriters).  Thread-safe for
 * distinct writers. */
int xj__spill_add(xj_spill *s, int w, int op, const uint8_t *k, size_t kn, uint64_t seq,
                  const uint8_t *v, size_t vn);

/* Writes every writer's buffers to the partition files.  Single-threaded. */
int xj__spill_flush(xj_spill *s);

typedef struct xj_sst_list {
    char **paths;
    size_t n, cap;
    uint64_t bytes;
} xj_sst_list;

/* Sorts every partition into SST files, with `threads` threads each within
 * budget / threads bytes (a partition larger than that is first split again
 * by quantiles of its own keys), and appends their paths to out in key
 * order.  hook (may be NULL) sees every key of a put family; *new_keys
 * (may be NULL) receives how many keys written were new to the index. */
int xj__spill_finish(xj_spill *s, int threads, size_t budget, xj_spill_put_hook hook, void *user,
                     xj_sst_list *out, uint64_t *new_keys);

/* One spill to finish with xj__spill_finish_all(): its hook and user (as
 * for xj__spill_finish), the list its SSTs are appended to, and where its
 * count of new keys goes (may be NULL). */
typedef struct xj_spill_job {
    xj_spill *s;
    xj_spill_put_hook hook;
    void *user;
    xj_sst_list *out;
    uint64_t *new_keys;
} xj_spill_job;

/* xj__spill_finish() of several spills at once: their runs share one
 * pool of threads, largest first, so that no thread waits at the end of
 * one spill for the other's last run.  A hook may add to a spill that is
 * not among the jobs, never to one that is. */
int xj__spill_finish_all(const xj_spill_job *jobs, int njobs, int threads, size_t budget);

/* Deletes the spill files and frees the spill; accepts NULL. */
void xj__spill_destroy(xj_spill *s);

/* Deletes the files still listed and frees the list. */
void xj__sst_list_free(xj_sst_list *l);

/* Ingests the listed SSTs into family cf in one call, moving the files;
 * on success the list is emptied (the files belong to RocksDB now). */
int xj__ingest(xj_index *idx, int cf, xj_sst_list *l);

#endif
