/*
 * merge.c: the two RocksDB merge operators of the index.
 *
 * Posting lists (resid, blocking) are merged by sorted union: a bulk load
 * writes each list as one merge operand and a commit adds single keys, and
 * neither has to read the list first.  A union is idempotent, so reloading
 * the same file leaves the same lists.  Lists stop growing at
 * XJ_POSTING_MAX keys; their total then becomes a lower bound of how many
 * keys were ever merged in (exact while no input was cut).
 *
 * Counters (name frequencies, meta totals) are merged by adding u64 LE
 * values.
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

size_t xj__posting_single(const xj_reckey *k, uint8_t out[4 + 9])
{
    xj__put_u32le(out, 1);
    memcpy(out + 4, k->b, 9);
    return 13;
}

size_t xj__posting_build(const uint8_t *keys9, size_t n, uint32_t total, uint8_t *out)
{
    size_t keep = n < XJ_POSTING_MAX ? n : XJ_POSTING_MAX;
    xj__put_u32le(out, total);
    memcpy(out + 4, keys9, keep * 9);
    return 4 + keep * 9;
}

static int cmp9(const void *a, const void *b)
{
    return memcmp(a, b, 9);
}

char *xj__posting_union(const char *const *vals, const size_t *lens, size_t n, size_t *outlen)
{
    size_t keys = 0;
    uint32_t max_total = 0;
    int complete = 1;
    for (size_t i = 0; i < n; i++) {
        if (lens[i] < 4)
            continue;
        size_t k = (lens[i] - 4) / 9;
        uint32_t t = xj__get_u32le((const uint8_t *)vals[i]);
        keys += k;
        if (t > max_total)
            max_total = t;
        if (t != k)
            complete = 0;
    }
    uint8_t *all = malloc(keys * 9 + 1);
    if (!all)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (lens[i] < 4)
            continue;
        size_t k = (lens[i] - 4) / 9;
        memcpy(all + o, vals[i] + 4, k * 9);
        o += k * 9;
    }
    qsort(all, keys, 9, cmp9);
    size_t u = 0;
    for (size_t i = 0; i < keys; i++)
        if (u == 0 || memcmp(all + (u - 1) * 9, all + i * 9, 9) != 0)
            memmove(all + u++ * 9, all + i * 9, 9);
    uint32_t total = complete ? (uint32_t)u : (u > max_total ? (uint32_t)u : max_total);
    if (u > XJ_POSTING_MAX)
        complete = 0;
    char *out = malloc(4 + (u < XJ_POSTING_MAX ? u : XJ_POSTING_MAX) * 9);
    if (out)
        *outlen = xj__posting_build(all, u, total, (uint8_t *)out);
    free(all);
    return out;
}

static char *posting_full(void *state, const char *key, size_t klen, const char *existing,
                          size_t elen, const char *const *ops, const size_t *oplens, int nops,
                          unsigned char *success, size_t *outlen)
{
    size_t n = (size_t)nops + (existing ? 1 : 0);
    const char **vals = malloc(n * sizeof *vals);
    size_t *lens = malloc(n * sizeof *lens);
    char *out = NULL;
    if (vals && lens) {
        size_t k = 0;
        if (existing) {
            vals[k] = existing;
            lens[k++] = elen;
        }
        for (int i = 0; i < nops; i++) {
            vals[k] = ops[i];
            lens[k++] = oplens[i];
        }
        out = xj__posting_union(vals, lens, n, outlen);
    }
    free(vals);
    free(lens);
    *success = out != NULL;
    return out;
}

static char *posting_partial(void *state, const char *key, size_t klen, const char *const *ops,
                             const size_t *oplens, int nops, unsigned char *success, size_t *outlen)
{
    char *out = xj__posting_union(ops, oplens, (size_t)nops, outlen);
    *success = out != NULL;
    return out;
}

static char *add_values(const char *existing, size_t elen, const char *const *ops,
                        const size_t *oplens, int nops, unsigned char *success, size_t *outlen)
{
    uint64_t sum = 0;
    if (existing && elen == 8)
        sum = xj__get_u64le((const uint8_t *)existing);
    for (int i = 0; i < nops; i++)
        if (oplens[i] == 8)
            sum += xj__get_u64le((const uint8_t *)ops[i]);
    char *out = malloc(8);
    if (out) {
        xj__put_u64le((uint8_t *)out, sum);
        *outlen = 8;
    }
    *success = out != NULL;
    return out;
}

static char *add_full(void *state, const char *key, size_t klen, const char *existing, size_t elen,
                      const char *const *ops, const size_t *oplens, int nops,
                      unsigned char *success, size_t *outlen)
{
    return add_values(existing, elen, ops, oplens, nops, success, outlen);
}

static char *add_partial(void *state, const char *key, size_t klen, const char *const *ops,
                         const size_t *oplens, int nops, unsigned char *success, size_t *outlen)
{
    return add_values(NULL, 0, ops, oplens, nops, success, outlen);
}

static void delete_value(void *state, const char *value, size_t len)
{
    free((void *)value);
}

static void no_destructor(void *state)
{
}

static const char *posting_name(void *state)
{
    return "xueji.posting_union.v1";
}

static const char *add_name(void *state)
{
    return "xueji.add_u64.v1";
}

rocksdb_mergeoperator_t *xj__merge_posting_create(void)
{
    return rocksdb_mergeoperator_create(NULL, no_destructor, posting_full, posting_partial,
                                        delete_value, posting_name);
}

rocksdb_mergeoperator_t *xj__merge_add_create(void)
{
    return rocksdb_mergeoperator_create(NULL, no_destructor, add_full, add_partial, delete_value,
                                        add_name);
}
