/*
 * bulk_int.h: the spill-sort-ingest machinery of bulk loads (bulk.c), used by
 * the population and registry loaders (load.c).
 */
#ifndef XJ_BULK_INT_H
#define XJ_BULK_INT_H

#include <stdio.h>

#include "index_int.h"

enum { OP_PUT = 0, OP_POSTING = 1, OP_ADD = 2 };

typedef struct xj_spill_part {
    FILE *fp;
    char path[512];
    uint64_t bytes;
} xj_spill_part;

/* The entries bound for one column family, routed to key-range partitions. */
typedef struct xj_spill {
    xj_index *idx;
    int cf, nparts, started;
    char dir[400];
    xj_spill_part *parts;
    uint64_t *bounds; /* bounds[p]: the smallest key order of partition p */
    uint64_t *sample;
    size_t nsample;
    uint8_t *pending; /* entries held until the boundaries are known */
    size_t pending_len, pending_cap;
    uint64_t bytes;
} xj_spill;

typedef struct xj_sst_list {
    char **paths;
    size_t n, cap;
    uint64_t bytes;
} xj_sst_list;

int xj__spill_open(xj_spill *s, xj_index *idx, int cf, const char *dir, int nparts);
int xj__spill_add(xj_spill *s, int op, const uint8_t *k, size_t kn, const uint8_t *v, size_t vn);
/* Sorts every partition into SST files (in parallel, each within budget /
 * threads bytes) and appends their paths to out, in key order. */
int xj__spill_finish(xj_spill *s, int threads, size_t budget, xj_sst_list *out);
void xj__spill_close(xj_spill *s);

int xj__sst_list_add(xj_sst_list *l, const char *path, uint64_t bytes);
/* Deletes the files still listed and frees the list. */
void xj__sst_list_free(xj_sst_list *l);

/* Ingests the listed SSTs into family cf in one call, moving the files. */
int xj__ingest(xj_index *idx, int cf, xj_sst_list *l);

#endif
