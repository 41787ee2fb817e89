/*
 * index_int.h: the private layout of the xueji index.  Everything the index
 * stores is drawn here, byte by byte; a change to any layout bumps
 * XJ_INDEX_FORMAT_VERSION.
 *
 * Column families (RocksDB), by the order they are opened in:
 *
 *   default    meta: the format marker and database-wide settings.
 *   records    internal record id -> compact registry record.
 *   resid      packed resident ID (8 bytes) -> record id.
 *   blocking   blocking key -> posting list of record ids.
 *   population packed resident ID -> population person.
 *   namefreq   name key -> frequency, for term-frequency weights.
 *   counters   number-allocation counters (J and L sequences).
 *   history    audit and history of committed batches.
 *
 * The families beyond `default` are created empty with the database so that
 * every later format fills them without a migration of the handle set.
 *
 * default (meta) keys, all ASCII:
 *
 *   "xueji.format"   4 bytes, big-endian u32: XJ_INDEX_FORMAT_VERSION.
 *                    Written once when the database is created; an index
 *                    without it, or with another value, is refused.
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

struct xj_index {
    rocksdb_t *db;
    rocksdb_options_t *db_opts;
    rocksdb_options_t *cf_opts[CF_COUNT];
    rocksdb_cache_t *cache;
    rocksdb_block_based_table_options_t *table_opts;
    rocksdb_readoptions_t *ropts;
    rocksdb_writeoptions_t *wopts;
    rocksdb_column_family_handle_t *cf[CF_COUNT];
    char *path;
    char errmsg[512];
};

/* Records a failure on the handle: takes ownership of a RocksDB error string
 * (freeing it) or formats a message of our own. Returns status. */
int xj__index_fail(xj_index *idx, int status, char *rocks_err, const char *what);

#endif
