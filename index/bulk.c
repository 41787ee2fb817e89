/*
 * bulk.c: the machinery of bulk loads: entries spilled to key-range
 * partitions, each partition sorted into an SST file, every SST of a family
 * ingested in one call.
 *
 * Partitions are key ranges, not hash buckets, so that the SST files of one
 * family never overlap and RocksDB can place them all at the bottom level
 * in a single IngestExternalFile.  The ranges are cut at quantiles of a
 * sample of the first keys seen; a partition that grows past its share of
 * the memory budget is split again by quantiles of its own keys before it
 * is sorted.  Memory is therefore bounded by the budget, whatever the input
 * size.
 *
 * Spill entry: u8 op (0 put, 1 posting merge, 2 add merge), u8 key length,
 * u32 LE value length, key, value.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <omp.h>

#include "bulk_int.h"

#define SAMPLE_MAX 65536
#define SPILL_BUF  (1u << 16)

/* The first 8 key bytes as a big-endian integer: the order of keys. */
static uint64_t key_order(const uint8_t *k, size_t n)
{
    uint8_t b[8] = {0};
    memcpy(b, k, n < 8 ? n : 8);
    return xj__get_u64be(b);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int xj__spill_open(xj_spill *s, xj_index *idx, int cf, const char *dir, int nparts)
{
    memset(s, 0, sizeof *s);
    s->idx = idx;
    s->cf = cf;
    s->nparts = nparts;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    s->sample = malloc(SAMPLE_MAX * sizeof *s->sample);
    s->parts = calloc((size_t)nparts, sizeof *s->parts);
    s->bounds = calloc((size_t)nparts, sizeof *s->bounds);
    s->pending = malloc((size_t)1 << 20);
    s->pending_cap = (size_t)1 << 20;
    return s->sample && s->parts && s->bounds && s->pending ? XJ_OK : XJ_ERR_NOMEM;
}

/* Cuts the partition boundaries at quantiles of the sample and opens the
 * partition files; entries held back until then are routed. */
static int spill_route_pending(xj_spill *s);

static int spill_start(xj_spill *s)
{
    qsort(s->sample, s->nsample, sizeof *s->sample, cmp_u64);
    for (int p = 1; p < s->nparts; p++)
        s->bounds[p] = s->nsample ? s->sample[(size_t)p * s->nsample / (size_t)s->nparts] : 0;
    for (int p = 0; p < s->nparts; p++) {
        snprintf(s->parts[p].path, sizeof s->parts[p].path, "%s/cf%d-p%03d.spill", s->dir, s->cf,
                 p);
        s->parts[p].fp = fopen(s->parts[p].path, "w+b");
        if (!s->parts[p].fp)
            return xj__index_fail(s->idx, XJ_ERR_IO, NULL, "cannot create a spill file");
        setvbuf(s->parts[p].fp, NULL, _IOFBF, SPILL_BUF);
    }
    s->started = 1;
    return spill_route_pending(s);
}

static int part_of(const xj_spill *s, uint64_t order)
{
    int lo = 0, hi = s->nparts - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (s->bounds[mid] <= order)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static int write_entry(xj_spill *s, int op, const uint8_t *k, size_t kn, const uint8_t *v,
                       size_t vn)
{
    int p = part_of(s, key_order(k, kn));
    uint8_t h[6] = {(uint8_t)op, (uint8_t)kn};
    xj__put_u32le(h + 2, (uint32_t)vn);
    FILE *fp = s->parts[p].fp;
    if (fwrite(h, 1, 6, fp) != 6 || fwrite(k, 1, kn, fp) != kn ||
        (vn && fwrite(v, 1, vn, fp) != vn))
        return xj__index_fail(s->idx, XJ_ERR_IO, NULL, "cannot write a spill file (disk full?)");
    s->parts[p].bytes += 6 + kn + vn;
    s->bytes += 6 + kn + vn;
    return XJ_OK;
}

static int spill_route_pending(xj_spill *s)
{
    size_t o = 0;
    while (o < s->pending_len) {
        const uint8_t *e = s->pending + o;
        size_t kn = e[1], vn = xj__get_u32le(e + 2);
        int rc = write_entry(s, e[0], e + 6, kn, e + 6 + kn, vn);
        if (rc != XJ_OK)
            return rc;
        o += 6 + kn + vn;
    }
    free(s->pending);
    s->pending = NULL;
    s->pending_len = s->pending_cap = 0;
    return XJ_OK;
}

int xj__spill_add(xj_spill *s, int op, const uint8_t *k, size_t kn, const uint8_t *v, size_t vn)
{
    if (s->started)
        return write_entry(s, op, k, kn, v, vn);
    /* Until the sample is full, entries wait in memory. */
    if (s->nsample < SAMPLE_MAX)
        s->sample[s->nsample++] = key_order(k, kn);
    size_t need = 6 + kn + vn;
    if (s->pending_len + need > s->pending_cap) {
        size_t cap =
            s->pending_cap * 2 > s->pending_len + need ? s->pending_cap * 2 : s->pending_len + need;
        uint8_t *p = realloc(s->pending, cap);
        if (!p)
            return XJ_ERR_NOMEM;
        s->pending = p;
        s->pending_cap = cap;
    }
    uint8_t *e = s->pending + s->pending_len;
    e[0] = (uint8_t)op;
    e[1] = (uint8_t)kn;
    xj__put_u32le(e + 2, (uint32_t)vn);
    memcpy(e + 6, k, kn);
    if (vn)
        memcpy(e + 6 + kn, v, vn);
    s->pending_len += need;
    if (s->nsample == SAMPLE_MAX)
        return spill_start(s);
    return XJ_OK;
}

/* ---- sorting a partition into an SST -------------------------------------- */

typedef struct ent {
    uint64_t order; /* the first 8 key bytes: most comparisons end here */
    const uint8_t *k, *v;
    uint32_t vn;
    uint8_t kn, op;
    uint64_t seq;
} ent;

static int cmp_ent(const void *a, const void *b)
{
    const ent *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    size_t n = x->kn < y->kn ? x->kn : y->kn;
    int c = memcmp(x->k, y->k, n);
    if (c)
        return c;
    if (x->kn != y->kn)
        return x->kn < y->kn ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Combines the entries [lo, hi) of one key and writes them to the SST. */
static int write_key(xj_index *idx, rocksdb_sstfilewriter_t *w, const ent *e, size_t n, char **err)
{
    const ent *last = &e[n - 1];
    if (last->op == 0) {
        rocksdb_sstfilewriter_put(w, (const char *)last->k, last->kn, (const char *)last->v,
                                  last->vn, err);
        return XJ_OK;
    }
    if (n == 1) {
        rocksdb_sstfilewriter_merge(w, (const char *)last->k, last->kn, (const char *)last->v,
                                    last->vn, err);
        return XJ_OK;
    }
    size_t outlen = 0;
    char *out;
    if (last->op == 2) {
        uint64_t sum = 0;
        for (size_t i = 0; i < n; i++)
            if (e[i].vn == 8)
                sum += xj__get_u64le(e[i].v);
        out = malloc(8);
        if (!out)
            return XJ_ERR_NOMEM;
        xj__put_u64le((uint8_t *)out, sum);
        outlen = 8;
    } else {
        const char **vals = malloc(n * sizeof *vals);
        size_t *lens = malloc(n * sizeof *lens);
        if (!vals || !lens) {
            free(vals);
            free(lens);
            return XJ_ERR_NOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            vals[i] = (const char *)e[i].v;
            lens[i] = e[i].vn;
        }
        out = xj__posting_union(vals, lens, n, &outlen);
        free(vals);
        free(lens);
        if (!out)
            return XJ_ERR_NOMEM;
    }
    rocksdb_sstfilewriter_merge(w, (const char *)last->k, last->kn, out, outlen, err);
    free(out);
    (void)idx;
    return XJ_OK;
}

/* Reads a whole spill file into memory. */
static uint8_t *slurp(FILE *fp, size_t bytes)
{
    uint8_t *buf = malloc(bytes ? bytes : 1);
    if (!buf)
        return NULL;
    if (fseek(fp, 0, SEEK_SET) != 0 || fread(buf, 1, bytes, fp) != bytes) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Sorts one in-memory run of entries and writes it as the SST at path.
 * Returns XJ_OK, with *written 0 when the run was empty. */
static int run_to_sst(xj_spill *s, const uint8_t *buf, size_t bytes, const char *path, int *written,
                      uint64_t *sst_bytes)
{
    size_t n = 0;
    for (size_t o = 0; o < bytes; n++)
        o += 6 + buf[o + 1] + xj__get_u32le(buf + o + 2);
    *written = 0;
    if (n == 0)
        return XJ_OK;
    ent *e = malloc(n * sizeof *e);
    if (!e)
        return XJ_ERR_NOMEM;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        e[i].op = buf[o];
        e[i].kn = buf[o + 1];
        e[i].vn = xj__get_u32le(buf + o + 2);
        e[i].k = buf + o + 6;
        e[i].v = buf + o + 6 + e[i].kn;
        e[i].order = key_order(e[i].k, e[i].kn);
        e[i].seq = i;
        o += 6 + e[i].kn + e[i].vn;
    }
    qsort(e, n, sizeof *e, cmp_ent);

    rocksdb_envoptions_t *env = rocksdb_envoptions_create();
    rocksdb_sstfilewriter_t *w = rocksdb_sstfilewriter_create(env, xj__cf_options(s->idx, s->cf));
    char *err = NULL;
    int rc = XJ_OK;
    rocksdb_sstfilewriter_open(w, path, &err);
    for (size_t i = 0; !err && rc == XJ_OK && i < n;) {
        size_t j = i + 1;
        while (j < n && e[j].kn == e[i].kn && memcmp(e[j].k, e[i].k, e[i].kn) == 0)
            j++;
        rc = write_key(s->idx, w, e + i, j - i, &err);
        i = j;
    }
    if (!err && rc == XJ_OK) {
        rocksdb_sstfilewriter_finish(w, &err);
        struct stat st;
        if (!err && stat(path, &st) == 0)
            *sst_bytes += (uint64_t)st.st_size;
    }
    if (err)
        rc = xj__index_fail(s->idx, XJ_ERR_DB, err, "writing an SST file");
    rocksdb_sstfilewriter_destroy(w);
    rocksdb_envoptions_destroy(env);
    free(e);
    *written = rc == XJ_OK;
    return rc;
}

/* Splits an oversized partition into sub-runs by quantiles of its keys and
 * sorts each into its own SST; the sub-ranges do not overlap. */
static int split_to_ssts(xj_spill *s, int p, size_t budget, xj_sst_list *out)
{
    FILE *fp = s->parts[p].fp;
    size_t bytes = (size_t)s->parts[p].bytes;
    int nsub = (int)(bytes / (budget ? budget : 1)) + 2;
    if (nsub > 256)
        nsub = 256;
    /* Pass 1: a sample of key orders. */
    uint64_t *sample = malloc(SAMPLE_MAX * sizeof *sample);
    uint64_t *bounds = calloc((size_t)nsub, sizeof *bounds);
    FILE **sub = calloc((size_t)nsub, sizeof *sub);
    int rc = sample && bounds && sub ? XJ_OK : XJ_ERR_NOMEM;
    size_t ns = 0, seen = 0, stride = bytes / ((size_t)SAMPLE_MAX * 16) + 1;
    uint8_t h[6], kv[1 << 16];
    if (rc == XJ_OK && fseek(fp, 0, SEEK_SET) != 0)
        rc = XJ_ERR_IO;
    while (rc == XJ_OK && fread(h, 1, 6, fp) == 6) {
        size_t kn = h[1], vn = xj__get_u32le(h + 2);
        if (kn > sizeof kv || fread(kv, 1, kn, fp) != kn || fseek(fp, (long)vn, SEEK_CUR) != 0) {
            rc = XJ_ERR_IO;
            break;
        }
        /* Every stride-th key: entries are at least 16 bytes, so the
         * sample never overflows. */
        if (seen++ % stride == 0 && ns < SAMPLE_MAX)
            sample[ns++] = key_order(kv, kn);
    }
    if (rc == XJ_OK) {
        qsort(sample, ns, sizeof *sample, cmp_u64);
        for (int i = 1; i < nsub; i++)
            bounds[i] = ns ? sample[(size_t)i * ns / (size_t)nsub] : 0;
        for (int i = 0; i < nsub && rc == XJ_OK; i++)
            if (!(sub[i] = tmpfile()))
                rc = XJ_ERR_IO;
    }
    /* Pass 2: distribute. */
    if (rc == XJ_OK && fseek(fp, 0, SEEK_SET) != 0)
        rc = XJ_ERR_IO;
    size_t *subbytes = calloc((size_t)nsub, sizeof *subbytes);
    uint8_t *val = malloc(1 << 20);
    if (!subbytes || !val)
        rc = XJ_ERR_NOMEM;
    while (rc == XJ_OK && fread(h, 1, 6, fp) == 6) {
        size_t kn = h[1], vn = xj__get_u32le(h + 2);
        if (vn > (1u << 20) || fread(kv, 1, kn, fp) != kn || fread(val, 1, vn, fp) != vn) {
            rc = XJ_ERR_IO;
            break;
        }
        uint64_t ord = key_order(kv, kn);
        int lo = 0, hi = nsub - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (bounds[mid] <= ord)
                lo = mid;
            else
                hi = mid - 1;
        }
        if (fwrite(h, 1, 6, sub[lo]) != 6 || fwrite(kv, 1, kn, sub[lo]) != kn ||
            fwrite(val, 1, vn, sub[lo]) != vn)
            rc = XJ_ERR_IO;
        subbytes[lo] += 6 + kn + vn;
    }
    for (int i = 0; i < nsub && rc == XJ_OK; i++) {
        uint8_t *buf = slurp(sub[i], subbytes[i]);
        if (!buf) {
            rc = XJ_ERR_IO;
            break;
        }
        char path[600];
        snprintf(path, sizeof path, "%s.%03d.sst", s->parts[p].path, i);
        int written = 0;
        uint64_t sb = 0;
        rc = run_to_sst(s, buf, subbytes[i], path, &written, &sb);
        free(buf);
        if (rc == XJ_OK && written)
            rc = xj__sst_list_add(out, path, sb);
    }
    for (int i = 0; i < nsub; i++)
        if (sub && sub[i])
            fclose(sub[i]);
    free(sample);
    free(bounds);
    free(sub);
    free(subbytes);
    free(val);
    return rc;
}

int xj__sst_list_add(xj_sst_list *l, const char *path, uint64_t bytes)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p)
            return XJ_ERR_NOMEM;
        l->paths = p;
        l->cap = cap;
    }
    if (!(l->paths[l->n] = strdup(path)))
        return XJ_ERR_NOMEM;
    l->n++;
    l->bytes += bytes;
    return XJ_OK;
}

void xj__sst_list_free(xj_sst_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        unlink(l->paths[i]);
        free(l->paths[i]);
    }
    free(l->paths);
    memset(l, 0, sizeof *l);
}

int xj__spill_finish(xj_spill *s, int threads, size_t budget, xj_sst_list *out)
{
    int rc = XJ_OK;
    if (!s->started && (rc = spill_start(s)) != XJ_OK)
        return rc;
    for (int p = 0; p < s->nparts; p++)
        if (fflush(s->parts[p].fp) != 0)
            return xj__index_fail(s->idx, XJ_ERR_IO, NULL, "cannot write a spill file");
    size_t share = budget / (size_t)(threads > 0 ? threads : 1);
    /* Each partition becomes one SST (or several, when split); they are
     * listed in key order so that the ingestion sees them sorted. */
    xj_sst_list *per = calloc((size_t)s->nparts, sizeof *per);
    if (!per)
        return XJ_ERR_NOMEM;
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (int p = 0; p < s->nparts; p++) {
        int prc;
        if (s->parts[p].bytes > share) {
            prc = split_to_ssts(s, p, share, &per[p]);
        } else {
            uint8_t *buf = slurp(s->parts[p].fp, (size_t)s->parts[p].bytes);
            prc = buf ? XJ_OK : XJ_ERR_NOMEM;
            if (prc == XJ_OK) {
                char path[600];
                snprintf(path, sizeof path, "%s.sst", s->parts[p].path);
                int written = 0;
                uint64_t sb = 0;
                prc = run_to_sst(s, buf, (size_t)s->parts[p].bytes, path, &written, &sb);
                if (prc == XJ_OK && written)
                    prc = xj__sst_list_add(&per[p], path, sb);
            }
            free(buf);
        }
        if (prc != XJ_OK) {
#pragma omp atomic write
            rc = prc;
        }
    }
    for (int p = 0; p < s->nparts; p++) {
        for (size_t i = 0; rc == XJ_OK && i < per[p].n; i++)
            rc = xj__sst_list_add(out, per[p].paths[i], 0);
        out->bytes += per[p].bytes;
        if (rc != XJ_OK)
            xj__sst_list_free(&per[p]);
        else {
            for (size_t i = 0; i < per[p].n; i++)
                free(per[p].paths[i]);
            free(per[p].paths);
        }
    }
    free(per);
    return rc;
}

void xj__spill_close(xj_spill *s)
{
    for (int p = 0; s->parts && p < s->nparts; p++) {
        if (s->parts[p].fp) {
            fclose(s->parts[p].fp);
            unlink(s->parts[p].path);
        }
    }
    free(s->parts);
    free(s->bounds);
    free(s->sample);
    free(s->pending);
    memset(s, 0, sizeof *s);
}

int xj__ingest(xj_index *idx, int cf, xj_sst_list *l)
{
    if (l->n == 0)
        return XJ_OK;
    rocksdb_ingestexternalfileoptions_t *o = rocksdb_ingestexternalfileoptions_create();
    rocksdb_ingestexternalfileoptions_set_move_files(o, 1);
    char *err = NULL;
    rocksdb_ingest_external_file_cf(idx->db, idx->cf[cf], (const char *const *)l->paths, l->n, o,
                                    &err);
    rocksdb_ingestexternalfileoptions_destroy(o);
    return err ? xj__index_fail(idx, XJ_ERR_DB, err, "ingesting SST files") : XJ_OK;
}
