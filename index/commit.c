/*
 * commit.c: new registrations of a batch, written atomically.
 *
 * A commit reserves J and L sequences in memory (starting from the stored
 * counters, read once per region and date), collects the records, their
 * resident-ID and blocking postings, name frequencies, the numbers of the
 * batch's rows and the totals, and writes them all in one RocksDB
 * WriteBatch with sync: after a crash at any point the index holds the
 * whole commit or none of it, and a number is never given twice.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "index_int.h"

/* A reserved counter: key and the next free value. */
typedef struct counter {
    uint8_t key[11];
    uint32_t next;
    int dirty;
} counter;

struct xj_commit {
    xj_index *idx;
    uint8_t fp[16];
    int done_before;
    rocksdb_writebatch_t *wb;
    counter *counters; /* open addressing; empty slots have key[0] == 0 */
    size_t ncounters, cap;
    uint64_t records, rows;
};

int xj_commit_begin(xj_index *idx, const uint8_t fingerprint[16], xj_commit **out)
{
    *out = NULL;
    xj_commit *c = calloc(1, sizeof *c);
    if (!c)
        return XJ_ERR_NOMEM;
    c->idx = idx;
    memcpy(c->fp, fingerprint, 16);
    uint8_t key[17];
    key[0] = 'B';
    memcpy(key + 1, fingerprint, 16);
    char *err = NULL;
    size_t len = 0;
    char *v = rocksdb_get_cf(idx->db, idx->ropts, idx->cf[CF_HISTORY], (const char *)key,
                             sizeof key, &len, &err);
    if (err) {
        free(c);
        return xj__index_fail(idx, XJ_ERR_DB, err, "reading the batch history");
    }
    c->done_before = v != NULL;
    rocksdb_free(v);
    c->wb = rocksdb_writebatch_create();
    *out = c;
    return XJ_OK;
}

int xj_commit_already_done(const xj_commit *c)
{
    return c->done_before;
}

static size_t slot_of(const counter *t, size_t cap, const uint8_t key[11])
{
    size_t h = (size_t)XXH3_64bits(key, 11) & (cap - 1);
    while (t[h].key[0] && memcmp(t[h].key, key, 11) != 0)
        h = (h + 1) & (cap - 1);
    return h;
}

static int counters_grow(xj_commit *c)
{
    size_t cap = c->cap ? c->cap * 2 : 256;
    counter *t = calloc(cap, sizeof *t);
    if (!t)
        return XJ_ERR_NOMEM;
    for (size_t i = 0; i < c->cap; i++)
        if (c->counters[i].key[0])
            t[slot_of(t, cap, c->counters[i].key)] = c->counters[i];
    free(c->counters);
    c->counters = t;
    c->cap = cap;
    return XJ_OK;
}

/* Returns the reserved counter of key, reading its stored value the first
 * time a commit touches it.  A monthly batch touches up to one counter per
 * row, hence the hash table. */
static int counter_get(xj_commit *c, const uint8_t key[11], counter **out)
{
    if ((c->ncounters + 1) * 2 > c->cap && counters_grow(c) != XJ_OK)
        return XJ_ERR_NOMEM;
    counter *k = &c->counters[slot_of(c->counters, c->cap, key)];
    if (k->key[0]) {
        *out = k;
        return XJ_OK;
    }
    char *err = NULL;
    size_t len = 0;
    char *v = rocksdb_get_cf(c->idx->db, c->idx->ropts, c->idx->cf[CF_COUNTERS], (const char *)key,
                             11, &len, &err);
    if (err)
        return xj__index_fail(c->idx, XJ_ERR_DB, err, "reading a number counter");
    memcpy(k->key, key, 11);
    k->next = v && len == 4 ? xj__get_u32le((const uint8_t *)v) : 0;
    k->dirty = 0;
    rocksdb_free(v);
    c->ncounters++;
    *out = k;
    return XJ_OK;
}

static int next_seq(xj_commit *c, char letter, const char region6[6], uint32_t birth,
                    unsigned limit, unsigned *seq)
{
    uint8_t key[11];
    xj__counter_key(letter, region6, birth, key);
    counter *k;
    int rc = counter_get(c, key, &k);
    if (rc != XJ_OK)
        return rc;
    if (k->next >= limit)
        return XJ_ERR_EXHAUSTED;
    *seq = k->next++;
    k->dirty = 1;
    return XJ_OK;
}

int xj_commit_next_j(xj_commit *c, const char region6[6], uint32_t birth, unsigned *seq)
{
    return next_seq(c, 'J', region6, birth, 1000, seq);
}

int xj_commit_next_l(xj_commit *c, const char region6[6], uint32_t birth, unsigned *seq)
{
    return next_seq(c, 'L', region6, birth, 10000, seq);
}

int xj_commit_put_record(xj_commit *c, const xj_record *rec)
{
    if (c->done_before)
        return XJ_OK;
    rocksdb_writebatch_t *wb = c->wb;
    xj_index *idx = c->idx;
    uint8_t val[RECORD_VALUE_MAX];
    size_t n = xj__record_encode(rec, val);
    rocksdb_writebatch_put_cf(wb, idx->cf[CF_RECORDS], (const char *)rec->key.b, 9,
                              (const char *)val, n);
    uint8_t post[13];
    size_t pl = xj__posting_single(&rec->key, post);
    uint8_t idk[8];
    if (strlen(rec->id) == 18 && xj_idcard_pack(rec->id, idk) == 0)
        rocksdb_writebatch_merge_cf(wb, idx->cf[CF_RESID], (const char *)idk, 8, (const char *)post,
                                    pl);
    xj_block_key bk[XJ_BLOCK_KEYS_MAX];
    size_t nb = xj_index_block_keys(rec, bk);
    for (size_t i = 0; i < nb; i++) {
        uint8_t k[8];
        xj__put_u64be(k, bk[i].hash);
        rocksdb_writebatch_merge_cf(wb, idx->cf[CF_BLOCKING], (const char *)k, 8,
                                    (const char *)post, pl);
    }
    uint8_t one[8], fk[9];
    xj__put_u64le(one, 1);
    if (rec->name[0]) {
        xj__freq_key('N', rec->name, fk);
        rocksdb_writebatch_merge_cf(wb, idx->cf[CF_NAMEFREQ], (const char *)fk, 9,
                                    (const char *)one, 8);
    }
    if (rec->pinyin[0]) {
        xj__freq_key('P', rec->pinyin, fk);
        rocksdb_writebatch_merge_cf(wb, idx->cf[CF_NAMEFREQ], (const char *)fk, 9,
                                    (const char *)one, 8);
    }
    c->records++;
    return XJ_OK;
}

int xj_commit_put_batch_number(xj_commit *c, uint64_t row, const char number[20])
{
    if (c->done_before)
        return XJ_OK;
    uint8_t key[25];
    key[0] = 'R';
    memcpy(key + 1, c->fp, 16);
    xj__put_u64be(key + 17, row);
    rocksdb_writebatch_put_cf(c->wb, c->idx->cf[CF_HISTORY], (const char *)key, sizeof key, number,
                              19);
    c->rows++;
    return XJ_OK;
}

int xj_commit_write(xj_commit *c)
{
    int rc = XJ_OK;
    if (!c->done_before) {
        xj_index *idx = c->idx;
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->counters[i].key[0] || !c->counters[i].dirty)
                continue;
            uint8_t v[4];
            xj__put_u32le(v, c->counters[i].next);
            rocksdb_writebatch_put_cf(c->wb, idx->cf[CF_COUNTERS], (const char *)c->counters[i].key,
                                      11, (const char *)v, 4);
        }
        uint8_t key[17], rec[16], v[8];
        key[0] = 'B';
        memcpy(key + 1, c->fp, 16);
        xj__put_u64le(rec, (uint64_t)time(NULL));
        xj__put_u64le(rec + 8, c->rows);
        rocksdb_writebatch_put_cf(c->wb, idx->cf[CF_HISTORY], (const char *)key, sizeof key,
                                  (const char *)rec, sizeof rec);
        xj__put_u64le(v, c->records);
        rocksdb_writebatch_merge_cf(c->wb, idx->cf[CF_DEFAULT], META_RECORDS, strlen(META_RECORDS),
                                    (const char *)v, 8);
        xj__put_u64le(v, 1);
        rocksdb_writebatch_merge_cf(c->wb, idx->cf[CF_DEFAULT], META_COMMITS, strlen(META_COMMITS),
                                    (const char *)v, 8);
        rocksdb_writeoptions_t *wo = rocksdb_writeoptions_create();
        rocksdb_writeoptions_set_sync(wo, 1);
        char *err = NULL;
        rocksdb_write(idx->db, wo, c->wb, &err);
        rocksdb_writeoptions_destroy(wo);
        if (err)
            rc = xj__index_fail(idx, XJ_ERR_DB, err, "writing the commit");
    }
    xj_commit_abort(c);
    return rc;
}

void xj_commit_abort(xj_commit *c)
{
    if (!c)
        return;
    if (c->wb)
        rocksdb_writebatch_destroy(c->wb);
    free(c->counters);
    free(c);
}
