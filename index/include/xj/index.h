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
 * Threading: an open xj_index may be read from any number of threads at
 * once; writes are serialized by the caller (the engine commits one batch at
 * a time).
 */
#ifndef XJ_INDEX_H
#define XJ_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "xj/normalize.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xj_index xj_index;

/* The on-disk format this build reads and writes.  A database written with
 * another format version is refused with XJ_ERR_CORRUPT rather than misread. */
#define XJ_INDEX_FORMAT_VERSION 1u

typedef struct xj_index_options {
    int create_if_missing;    /* create an empty index at path when none exists */
    int read_only;            /* open for reading only (lookup, serve) */
    size_t block_cache_bytes; /* shared block cache; 0 = 256 MiB */
} xj_index_options;

/* Fills *opts with the defaults (create, read-write, 256 MiB cache). */
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

#ifdef __cplusplus
}
#endif
#endif /* XJ_INDEX_H */
