/*
 * lookup.c: the grouped reads of the engine (RocksDB MultiGet): registry
 * records, record keys by resident ID, posting lists, population persons,
 * name frequencies, totals.  Every function reads n keys in one call; an
 * absent key is a result.  Reentrant: no state is kept between calls.
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

/* Reads n keys of one family with RocksDB's batched MultiGet (the C API's
 * rocksdb_multi_get_cf falls back to one Get per key).  vals[i]/lens[i]
 * point into pins[i] (NULL when absent) until release() is called. */
static int multi_get(xj_index *idx, int cf, const char *const *keys, const size_t *klens, size_t n,
                     rocksdb_pinnableslice_t **pins, const char **vals, size_t *lens)
{
    if (n == 0)
        return XJ_OK;
    char **errs = calloc(n, sizeof *errs);
    if (!errs)
        return XJ_ERR_NOMEM;
    rocksdb_batched_multi_get_cf(idx->db, idx->ropts, idx->cf[cf], n, keys, klens, pins, errs, 0);
    int rc = XJ_OK;
    for (size_t i = 0; i < n; i++) {
        vals[i] = NULL;
        lens[i] = 0;
        if (pins[i])
            vals[i] = rocksdb_pinnableslice_value(pins[i], &lens[i]);
        if (errs[i]) {
            if (rc == XJ_OK)
                rc = xj__index_fail(idx, XJ_ERR_DB, errs[i], "reading the index");
            else
                rocksdb_free(errs[i]);
        }
    }
    free(errs);
    return rc;
}

static void release(rocksdb_pinnableslice_t **pins, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (pins[i])
            rocksdb_pinnableslice_destroy(pins[i]);
}

/* Scratch arrays for one multi_get over n keys of at most 16 bytes. */
typedef struct batch {
    char (*kbuf)[16];
    const char **keys;
    size_t *klens;
    rocksdb_pinnableslice_t **pins;
    const char **vals;
    size_t *lens;
} batch;

static int batch_alloc(batch *b, size_t n)
{
    size_t m = n ? n : 1;
    b->kbuf = malloc(m * sizeof *b->kbuf);
    b->keys = malloc(m * sizeof *b->keys);
    b->klens = malloc(m * sizeof *b->klens);
    b->pins = calloc(m, sizeof *b->pins);
    b->vals = calloc(m, sizeof *b->vals);
    b->lens = calloc(m, sizeof *b->lens);
    if (!b->kbuf || !b->keys || !b->klens || !b->pins || !b->vals || !b->lens)
        return XJ_ERR_NOMEM;
    for (size_t i = 0; i < m; i++)
        b->keys[i] = b->kbuf[i];
    return XJ_OK;
}

static void batch_free(batch *b, size_t n)
{
    if (b->pins)
        release(b->pins, n);
    free(b->pins);
    free(b->kbuf);
    free(b->keys);
    free(b->klens);
    free(b->vals);
    free(b->lens);
}

int xj_index_get_records(xj_index *idx, const xj_reckey *keys, size_t n, xj_record *out, int *found)
{
    batch b;
    int rc = batch_alloc(&b, n);
    if (rc == XJ_OK) {
        for (size_t i = 0; i < n; i++) {
            memcpy(b.kbuf[i], keys[i].b, 9);
            b.klens[i] = 9;
        }
        rc = multi_get(idx, CF_RECORDS, b.keys, b.klens, n, b.pins, b.vals, b.lens);
    }
    for (size_t i = 0; rc == XJ_OK && i < n; i++) {
        found[i] = b.vals[i] != NULL;
        if (!found[i])
            continue;
        memset(&out[i], 0, sizeof out[i]);
        out[i].key = keys[i];
        xj_reckey_unpack(&keys[i], out[i].student_number);
        if (xj__record_decode((const uint8_t *)b.vals[i], b.lens[i], &out[i]) != XJ_OK)
            rc = xj__index_fail(idx, XJ_ERR_CORRUPT, NULL, "a registry record cannot be read");
    }
    batch_free(&b, n);
    return rc;
}

/* Copies up to cap record keys of a posting value. */
static size_t posting_keys(const char *v, size_t len, size_t cap, xj_reckey *out, uint64_t *total)
{
    if (!v || len < 4) {
        if (total)
            *total = 0;
        return 0;
    }
    size_t k = (len - 4) / 9;
    if (total)
        *total = xj__get_u32le((const uint8_t *)v);
    if (k > cap)
        k = cap;
    for (size_t j = 0; j < k; j++)
        memcpy(out[j].b, v + 4 + j * 9, 9);
    return k;
}

int xj_index_find_by_id(xj_index *idx, const char (*ids)[19], size_t n, size_t cap, xj_reckey *out,
                        size_t *count)
{
    batch b;
    int rc = batch_alloc(&b, n);
    for (size_t i = 0; rc == XJ_OK && i < n; i++) {
        b.klens[i] = 8;
        if (xj_idcard_pack(ids[i], (uint8_t *)b.kbuf[i]) != 0)
            memset(b.kbuf[i], 0xFF, 8); /* matches nothing */
    }
    if (rc == XJ_OK)
        rc = multi_get(idx, CF_RESID, b.keys, b.klens, n, b.pins, b.vals, b.lens);
    for (size_t i = 0; rc == XJ_OK && i < n; i++)
        count[i] = posting_keys(b.vals[i], b.lens[i], cap, out + i * cap, NULL);
    batch_free(&b, n);
    return rc;
}

int xj_index_get_postings(xj_index *idx, const xj_block_key *keys, size_t n, size_t cap,
                          xj_reckey *out, size_t *count, uint64_t *total)
{
    batch b;
    int rc = batch_alloc(&b, n);
    for (size_t i = 0; rc == XJ_OK && i < n; i++) {
        xj__put_u64be((uint8_t *)b.kbuf[i], keys[i].hash);
        b.klens[i] = 8;
    }
    if (rc == XJ_OK)
        rc = multi_get(idx, CF_BLOCKING, b.keys, b.klens, n, b.pins, b.vals, b.lens);
    for (size_t i = 0; rc == XJ_OK && i < n; i++)
        count[i] = posting_keys(b.vals[i], b.lens[i], cap, out + i * cap, &total[i]);
    batch_free(&b, n);
    return rc;
}

int xj_index_get_persons(xj_index *idx, const char (*ids)[19], size_t n, xj_person *out, int *found)
{
    batch b;
    int rc = batch_alloc(&b, n);
    for (size_t i = 0; rc == XJ_OK && i < n; i++) {
        b.klens[i] = 8;
        if (xj_idcard_pack(ids[i], (uint8_t *)b.kbuf[i]) != 0)
            memset(b.kbuf[i], 0xFF, 8);
    }
    if (rc == XJ_OK)
        rc = multi_get(idx, CF_POPULATION, b.keys, b.klens, n, b.pins, b.vals, b.lens);
    for (size_t i = 0; rc == XJ_OK && i < n; i++) {
        found[i] = b.vals[i] != NULL;
        if (found[i] && xj__person_decode((const uint8_t *)b.kbuf[i], (const uint8_t *)b.vals[i],
                                          b.lens[i], &out[i]) != XJ_OK)
            rc = xj__index_fail(idx, XJ_ERR_CORRUPT, NULL, "a population record cannot be read");
    }
    batch_free(&b, n);
    return rc;
}

static int freq(xj_index *idx, char tag, const char *const *texts, size_t n, uint64_t *out)
{
    batch b;
    int rc = batch_alloc(&b, n);
    for (size_t i = 0; rc == XJ_OK && i < n; i++) {
        xj__freq_key(tag, texts[i], (uint8_t *)b.kbuf[i]);
        b.klens[i] = 9;
    }
    if (rc == XJ_OK)
        rc = multi_get(idx, CF_NAMEFREQ, b.keys, b.klens, n, b.pins, b.vals, b.lens);
    for (size_t i = 0; rc == XJ_OK && i < n; i++)
        out[i] = b.vals[i] && b.lens[i] == 8 ? xj__get_u64le((const uint8_t *)b.vals[i]) : 0;
    batch_free(&b, n);
    return rc;
}

int xj_index_name_freq(xj_index *idx, const char *const *names, size_t n, uint64_t *out)
{
    return freq(idx, 'N', names, n, out);
}

int xj_index_pinyin_freq(xj_index *idx, const char *const *pinyins, size_t n, uint64_t *out)
{
    return freq(idx, 'P', pinyins, n, out);
}

int xj_index_get_stats(xj_index *idx, xj_index_stats *out)
{
    const char *keys[3] = {META_RECORDS, META_PERSONS, META_COMMITS};
    size_t klens[3] = {strlen(META_RECORDS), strlen(META_PERSONS), strlen(META_COMMITS)};
    rocksdb_pinnableslice_t *pins[3] = {0};
    const char *vals[3];
    size_t lens[3];
    int rc = multi_get(idx, CF_DEFAULT, keys, klens, 3, pins, vals, lens);
    uint64_t v[3] = {0, 0, 0};
    for (int i = 0; rc == XJ_OK && i < 3; i++)
        if (vals[i] && lens[i] == 8)
            v[i] = xj__get_u64le((const uint8_t *)vals[i]);
    release(pins, 3);
    out->records = v[0];
    out->persons = v[1];
    out->commits = v[2];
    return rc;
}

int xj_index_batch_number(xj_index *idx, const uint8_t fingerprint[16], uint64_t row, char out[20])
{
    uint8_t key[25];
    key[0] = 'R';
    memcpy(key + 1, fingerprint, 16);
    xj__put_u64be(key + 17, row);
    char *err = NULL;
    size_t len = 0;
    char *v = rocksdb_get_cf(idx->db, idx->ropts, idx->cf[CF_HISTORY], (const char *)key,
                             sizeof key, &len, &err);
    if (err)
        return xj__index_fail(idx, XJ_ERR_DB, err, "reading the batch history");
    if (!v)
        return XJ_ERR_NOT_FOUND;
    int rc = XJ_ERR_CORRUPT;
    if (len == 19) {
        memcpy(out, v, 19);
        out[19] = '\0';
        rc = XJ_OK;
    }
    rocksdb_free(v);
    return rc;
}

int xj_index_batch_numbers(xj_index *idx, const uint8_t fingerprint[16],
                           void (*fn)(void *user, uint64_t row, const char number[20]), void *user)
{
    uint8_t prefix[17];
    prefix[0] = 'R';
    memcpy(prefix + 1, fingerprint, 16);
    rocksdb_iterator_t *it = rocksdb_create_iterator_cf(idx->db, idx->ropts, idx->cf[CF_HISTORY]);
    for (rocksdb_iter_seek(it, (const char *)prefix, sizeof prefix); rocksdb_iter_valid(it);
         rocksdb_iter_next(it)) {
        size_t kl, vl;
        const char *k = rocksdb_iter_key(it, &kl);
        if (kl != 25 || memcmp(k, prefix, sizeof prefix) != 0)
            break;
        const char *v = rocksdb_iter_value(it, &vl);
        if (vl != 19)
            continue;
        char number[20];
        memcpy(number, v, 19);
        number[19] = '\0';
        fn(user, xj__get_u64be((const uint8_t *)k + 17), number);
    }
    char *err = NULL;
    rocksdb_iter_get_error(it, &err);
    rocksdb_iter_destroy(it);
    return err ? xj__index_fail(idx, XJ_ERR_DB, err, "reading the batch history") : XJ_OK;
}
