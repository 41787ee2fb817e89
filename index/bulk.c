/*
 * bulk.c: the machinery of bulk loads: entries spilled to key-range
 * partitions by many writers at once, each partition sorted into an SST
 * file, every SST of a family ingested in one call.
 *
 * Workload: a national load spills some ten entries per input row (a
 * record, its resident-ID posting, seven blocking postings, name counts),
 * i.e. billions of entries of 20 to 200 bytes, far more than memory.  Every
 * byte is therefore written once to a spill file and read once (twice for
 * a partition that outgrew its share of the memory budget), entries are
 * sorted by a radix sort on their first 8 key bytes, and the partitions are
 * sorted and written in parallel.  Memory is bounded by the budget and the
 * writers' buffers, whatever the input size.
 *
 * Partitions are key ranges, not hash buckets, so that the SST files of one
 * family never overlap and RocksDB can place them all in a single
 * IngestExternalFile.  Range boundaries come from the caller (uniform
 * hashes) or from quantiles of the first entries seen; a partition that
 * grows past its share of the budget because the sample was not
 * representative (an input sorted by region, say) is split again by
 * quantiles of its own keys before it is sorted, so skew costs one extra
 * pass over that partition, never memory.
 */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <omp.h>

#include "bulk_int.h"

#define WBUF       ((size_t)64 << 10) /* a writer's buffer per partition */
#define SAMPLE_MAX 65536
#define SUB_MAX    1024 /* sub-runs of one oversized partition */
#define READ_BUF   ((size_t)1 << 20)
#define PREFETCH   32  /* items ahead whose entries are fetched */
#define ITEM_BYTES 32u /* sort memory per entry: two 16-byte items */
#define COMPACT    16u /* bytes of a compact posting entry */

typedef struct wbuf {
    uint8_t *p;
    size_t len;
    uint64_t n;
} wbuf;

typedef struct part {
    int fd;
    char path[512];
    uint64_t bytes, n;
    omp_lock_t lock; /* serializes appends of different writers */
} part;

struct xj_spill {
    xj_index *idx;
    int cf, nparts, nwriters, started;
    char dir[400];
    part *parts;
    uint64_t *bounds; /* bounds[p]: the smallest key order of partition p */
    wbuf *bufs;       /* nwriters x nparts, writer-major, allocated on first use */
    wbuf *pending;    /* per writer: entries held until the ranges are cut */
    int failed;       /* an I/O error happened; the spill is useless */
    int shift;        /* > 0: even ranges, the partition is order >> shift */
    size_t fixed;     /* COMPACT for a compact posting spill, else 0 */
};

/* ---- entries ------------------------------------------------------------- */

static size_t hdr_len(int op)
{
    return op == SPILL_PUT || op == SPILL_PUT_NEW ? 12 : 4;
}

static size_t entry_len(const uint8_t *e)
{
    return hdr_len(e[0]) + e[1] + ((size_t)e[2] | (size_t)e[3] << 8);
}

static const uint8_t *entry_key(const uint8_t *e)
{
    return e + hdr_len(e[0]);
}

static const uint8_t *entry_val(const uint8_t *e, size_t *vn)
{
    *vn = (size_t)e[2] | (size_t)e[3] << 8;
    return e + hdr_len(e[0]) + e[1];
}

static uint64_t entry_seq(const uint8_t *e)
{
    return hdr_len(e[0]) == 12 ? xj__get_u64le(e + 4) : 0;
}

/* The first 8 key bytes as a big-endian integer: the order of keys. */
static uint64_t key_order(const uint8_t *k, size_t n)
{
    if (n >= 8)
        return xj__get_u64be(k);
    uint8_t b[8] = {0};
    memcpy(b, k, n);
    return xj__get_u64be(b);
}

/* The record key of a compact posting entry: G, J and L in the top two
 * bits, in letter order, so that numeric order is the keys' byte order.
 * Every record key is one of these (xj_reckey_pack); -1 if not. */
static int reckey_code(const uint8_t k[9], uint64_t *code)
{
    uint64_t letter = k[0] == 'G' ? 1 : k[0] == 'J' ? 2 : k[0] == 'L' ? 3 : 0;
    uint64_t v = xj__get_u64be(k + 1);
    if (!letter || v >> 62)
        return -1;
    *code = letter << 62 | v;
    return 0;
}

static void reckey_uncode(uint64_t code, uint8_t out[9])
{
    out[0] = (uint8_t) "?GJL"[code >> 62];
    xj__put_u64be(out + 1, code & (((uint64_t)1 << 62) - 1));
}

/* Length and key order of an entry of spill s, in either form. */
static size_t ent_len(const xj_spill *s, const uint8_t *e)
{
    return s->fixed ? s->fixed : entry_len(e);
}

static uint64_t ent_order(const xj_spill *s, const uint8_t *e)
{
    if (s->fixed) {
        uint64_t o;
        memcpy(&o, e, 8);
        return o;
    }
    return key_order(entry_key(e), e[1]);
}

/* Memory the sort of a run takes: the entries and two items per entry, or
 * for compact entries the entries (which are the items) and a copy. */
static uint64_t sort_bytes(const xj_spill *s, uint64_t bytes, uint64_t n)
{
    return s->fixed ? 2 * bytes : bytes + n * ITEM_BYTES;
}

static void put_entry(uint8_t *d, int op, const uint8_t *k, size_t kn, uint64_t seq,
                      const uint8_t *v, size_t vn)
{
    d[0] = (uint8_t)op;
    d[1] = (uint8_t)kn;
    d[2] = (uint8_t)vn;
    d[3] = (uint8_t)(vn >> 8);
    size_t h = hdr_len(op);
    if (h == 12)
        xj__put_u64le(d + 4, seq);
    memcpy(d + h, k, kn);
    if (vn)
        memcpy(d + h + kn, v, vn);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int find_range(const uint64_t *bounds, int n, uint64_t order)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (bounds[mid] <= order)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return XJ_ERR_IO;
        p += w;
        n -= (size_t)w;
    }
    return XJ_OK;
}

/* Records a failure from any thread: the handle's message is shared. */
static int fail(xj_index *idx, int status, char *rocks_err, const char *what)
{
    int rc;
#pragma omp critical(xj_bulk_fail)
    rc = xj__index_fail(idx, status, rocks_err, what);
    return rc;
}

/* ---- writing ------------------------------------------------------------- */

int xj__spill_create(xj_index *idx, int cf, const char *dir, int nparts, int nwriters,
                     unsigned flags, xj_spill **out)
{
    xj_spill *s = calloc(1, sizeof *s);
    *out = s;
    if (!s)
        return XJ_ERR_NOMEM;
    s->idx = idx;
    s->cf = cf;
    s->nparts = nparts;
    s->nwriters = nwriters;
    s->fixed = flags & XJ_SPILL_POSTINGS8 ? COMPACT : 0;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    s->parts = calloc((size_t)nparts, sizeof *s->parts);
    s->bounds = calloc((size_t)nparts, sizeof *s->bounds);
    s->bufs = calloc((size_t)nparts * (size_t)nwriters, sizeof *s->bufs);
    s->pending = calloc((size_t)nwriters, sizeof *s->pending);
    if (!s->parts || !s->bounds || !s->bufs || !s->pending)
        return XJ_ERR_NOMEM;
    for (int p = 0; p < nparts; p++) {
        s->parts[p].fd = -1;
        omp_init_lock(&s->parts[p].lock);
    }
    return XJ_OK;
}

int xj__spill_set_bounds(xj_spill *s, const uint64_t *bounds)
{
    memcpy(s->bounds, bounds, (size_t)s->nparts * sizeof *bounds);
    /* Even ranges over a power-of-two count (hashed keys) are found by a
     * shift instead of a binary search. */
    int bits = 0;
    while ((1 << bits) < s->nparts)
        bits++;
    int even = (1 << bits) == s->nparts && bits > 0;
    for (int p = 0; even && p < s->nparts; p++)
        even = bounds[p] == (uint64_t)p << (64 - bits);
    s->shift = even ? 64 - bits : 0;
    for (int p = 0; p < s->nparts; p++) {
        part *pt = &s->parts[p];
        snprintf(pt->path, sizeof pt->path, "%s/cf%d-p%03d.spill", s->dir, s->cf, p);
        pt->fd = open(pt->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (pt->fd < 0)
            return fail(s->idx, XJ_ERR_IO, NULL, "cannot create a spill file");
    }
    s->started = 1;
    return XJ_OK;
}

/* Appends a writer's buffer to its partition's file. */
static int flush_buf(xj_spill *s, int p, wbuf *b)
{
    if (b->len == 0)
        return XJ_OK;
    part *pt = &s->parts[p];
    omp_set_lock(&pt->lock);
    int rc = write_all(pt->fd, b->p, b->len);
    pt->bytes += b->len;
    pt->n += b->n;
    omp_unset_lock(&pt->lock);
    b->len = 0;
    b->n = 0;
    if (rc != XJ_OK) {
        s->failed = 1;
        return fail(s->idx, XJ_ERR_IO, NULL, "cannot write a spill file (disk full?)");
    }
    return XJ_OK;
}

static int route(xj_spill *s, int w, const uint8_t *e, size_t len)
{
    uint64_t order = ent_order(s, e);
    int p = s->shift ? (int)(order >> s->shift) : find_range(s->bounds, s->nparts, order);
    wbuf *b = &s->bufs[(size_t)w * (size_t)s->nparts + (size_t)p];
    if (!b->p && !(b->p = malloc(WBUF)))
        return XJ_ERR_NOMEM;
    if (b->len + len > WBUF) {
        int rc = flush_buf(s, p, b);
        if (rc != XJ_OK)
            return rc;
    }
    memcpy(b->p + b->len, e, len);
    b->len += len;
    b->n++;
    return XJ_OK;
}

int xj__spill_add(xj_spill *s, int w, int op, const uint8_t *k, size_t kn, uint64_t seq,
                  const uint8_t *v, size_t vn)
{
    size_t len = hdr_len(op) + kn + vn;
    uint64_t order = key_order(k, kn);
    uint8_t compact[COMPACT];
    if (s->fixed) {
        uint64_t code;
        if (op != SPILL_POSTING || kn != 8 || vn != 9 || reckey_code(v, &code) != 0)
            return fail(s->idx, XJ_ERR_ARG, NULL, "an entry that a posting spill cannot hold");
        memcpy(compact, &order, 8);
        memcpy(compact + 8, &code, 8);
        len = COMPACT;
    }
    if (s->started) {
        /* Straight into the writer's buffer of the partition. */
        int p = s->shift ? (int)(order >> s->shift) : find_range(s->bounds, s->nparts, order);
        wbuf *b = &s->bufs[(size_t)w * (size_t)s->nparts + (size_t)p];
        if (!b->p && !(b->p = malloc(WBUF)))
            return XJ_ERR_NOMEM;
        if (b->len + len > WBUF) {
            int rc = flush_buf(s, p, b);
            if (rc != XJ_OK)
                return rc;
        }
        if (s->fixed)
            memcpy(b->p + b->len, compact, COMPACT);
        else
            put_entry(b->p + b->len, op, k, kn, seq, v, vn);
        b->len += len;
        b->n++;
        return XJ_OK;
    }
    {
        wbuf *b = &s->pending[w];
        if (b->len + len > b->n) { /* n holds the capacity while pending */
            size_t cap = b->n ? b->n * 2 : (size_t)1 << 20;
            while (cap < b->len + len)
                cap *= 2;
            uint8_t *np = realloc(b->p, cap);
            if (!np)
                return XJ_ERR_NOMEM;
            b->p = np;
            b->n = cap;
        }
        if (s->fixed)
            memcpy(b->p + b->len, compact, COMPACT);
        else
            put_entry(b->p + b->len, op, k, kn, seq, v, vn);
        b->len += len;
        return XJ_OK;
    }
}

int xj__spill_start(xj_spill *s)
{
    size_t total = 0;
    for (int w = 0; w < s->nwriters; w++)
        for (size_t o = 0; o < s->pending[w].len; o += ent_len(s, s->pending[w].p + o))
            total++;
    size_t stride = total / SAMPLE_MAX + 1, ns = 0, seen = 0;
    uint64_t *sample = malloc((total < SAMPLE_MAX ? total : SAMPLE_MAX) * sizeof *sample + 8);
    uint64_t *bounds = calloc((size_t)s->nparts, sizeof *bounds);
    int rc = sample && bounds ? XJ_OK : XJ_ERR_NOMEM;
    for (int w = 0; rc == XJ_OK && w < s->nwriters; w++) {
        const wbuf *b = &s->pending[w];
        for (size_t o = 0; o < b->len; o += ent_len(s, b->p + o))
            if (seen++ % stride == 0 && ns < SAMPLE_MAX)
                sample[ns++] = ent_order(s, b->p + o);
    }
    if (rc == XJ_OK) {
        qsort(sample, ns, sizeof *sample, cmp_u64);
        for (int p = 1; p < s->nparts; p++)
            bounds[p] = ns ? sample[(size_t)p * ns / (size_t)s->nparts] : 0;
        rc = xj__spill_set_bounds(s, bounds);
    }
    for (int w = 0; w < s->nwriters; w++) {
        wbuf *b = &s->pending[w];
        for (size_t o = 0; rc == XJ_OK && o < b->len;) {
            size_t len = ent_len(s, b->p + o);
            rc = route(s, w, b->p + o, len);
            o += len;
        }
        free(b->p);
        memset(b, 0, sizeof *b);
    }
    free(sample);
    free(bounds);
    return rc;
}

int xj__spill_flush(xj_spill *s)
{
    if (!s->started)
        return XJ_OK;
    for (int w = 0; w < s->nwriters; w++)
        for (int p = 0; p < s->nparts; p++) {
            int rc = flush_buf(s, p, &s->bufs[(size_t)w * (size_t)s->nparts + (size_t)p]);
            if (rc != XJ_OK)
                return rc;
        }
    return XJ_OK;
}

void xj__spill_destroy(xj_spill *s)
{
    if (!s)
        return;
    for (int p = 0; s->parts && p < s->nparts; p++) {
        if (s->parts[p].fd >= 0) {
            close(s->parts[p].fd);
            unlink(s->parts[p].path);
        }
        omp_destroy_lock(&s->parts[p].lock);
    }
    if (s->bufs)
        for (size_t i = 0; i < (size_t)s->nparts * (size_t)s->nwriters; i++)
            free(s->bufs[i].p);
    if (s->pending)
        for (int w = 0; w < s->nwriters; w++)
            free(s->pending[w].p);
    free(s->parts);
    free(s->bounds);
    free(s->bufs);
    free(s->pending);
    free(s);
}

/* ---- reading spill files back ---------------------------------------------- */

/* A sequential reader of entries from a file descriptor. */
typedef struct ereader {
    int fd;
    size_t fixed; /* the entry size of a compact spill, else 0 */
    uint8_t *buf;
    size_t pos, len;
    int eof;
} ereader;

/* Returns the next whole entry, NULL at the end, or sets *rc on error. */
static const uint8_t *ereader_next(ereader *r, int *rc)
{
    for (;;) {
        size_t avail = r->len - r->pos;
        if (avail >= (r->fixed ? r->fixed : 4)) {
            size_t need = r->fixed ? r->fixed : entry_len(r->buf + r->pos);
            if (avail >= need) {
                const uint8_t *e = r->buf + r->pos;
                r->pos += need;
                return e;
            }
        }
        if (r->eof) {
            if (avail)
                *rc = XJ_ERR_IO;
            return NULL;
        }
        memmove(r->buf, r->buf + r->pos, avail);
        r->pos = 0;
        r->len = avail;
        ssize_t got = read(r->fd, r->buf + r->len, READ_BUF - r->len);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            *rc = XJ_ERR_IO;
            return NULL;
        }
        if (got == 0)
            r->eof = 1;
        r->len += (size_t)got;
    }
}

/* A run: one file of entries, sorted into one SST. */
typedef struct run {
    char path[560];
    uint64_t bytes, n;
    int owned; /* the file is a sub-run of ours, deleted after use */
    int job;   /* the spill job it belongs to (xj__spill_finish_all) */
} run;

typedef struct runlist {
    run *r;
    size_t n, cap;
} runlist;

static int runlist_add(runlist *l, const char *path, uint64_t bytes, uint64_t n, int owned)
{
    if (l->n == l->cap) {
        run *p = xj_grow(l->r, &l->cap, sizeof *p, 16);
        if (!p)
            return XJ_ERR_NOMEM;
        l->r = p;
    }
    run *r = &l->r[l->n++];
    snprintf(r->path, sizeof r->path, "%s", path);
    r->bytes = bytes;
    r->n = n;
    r->owned = owned;
    r->job = 0;
    return XJ_OK;
}

/* Splits an oversized partition into sub-runs cut at quantiles of its own
 * keys; entries of equal order stay together, so the sub-runs' key ranges
 * never overlap. */
static int split_part(xj_spill *s, int p, size_t share, runlist *out)
{
    part *pt = &s->parts[p];
    uint64_t est = sort_bytes(s, pt->bytes, pt->n);
    int nsub = (int)(est / (share / 4 * 3 + 1)) + 1;
    if (nsub > SUB_MAX)
        nsub = SUB_MAX;
    uint64_t stride = pt->n / SAMPLE_MAX + 1, seen = 0;
    size_t ns = 0;
    uint64_t *sample = malloc(SAMPLE_MAX * sizeof *sample);
    uint64_t *bounds = calloc((size_t)nsub, sizeof *bounds);
    wbuf *sb = calloc((size_t)nsub, sizeof *sb);
    int *fds = malloc((size_t)nsub * sizeof *fds);
    ereader r = {.fd = -1, .fixed = s->fixed, .buf = malloc(READ_BUF)};
    int rc = sample && bounds && sb && fds && r.buf ? XJ_OK : XJ_ERR_NOMEM;
    for (int i = 0; fds && i < nsub; i++)
        fds[i] = -1;

    /* Pass 1: a sample of the key orders. */
    if (rc == XJ_OK && (r.fd = open(pt->path, O_RDONLY | O_CLOEXEC)) < 0)
        rc = XJ_ERR_IO;
    const uint8_t *e;
    while (rc == XJ_OK && (e = ereader_next(&r, &rc)) != NULL)
        if (seen++ % stride == 0 && ns < SAMPLE_MAX)
            sample[ns++] = ent_order(s, e);
    if (rc == XJ_OK) {
        qsort(sample, ns, sizeof *sample, cmp_u64);
        for (int i = 1; i < nsub; i++)
            bounds[i] = ns ? sample[(size_t)i * ns / (size_t)nsub] : 0;
        for (int i = 0; rc == XJ_OK && i < nsub; i++) {
            char path[560];
            snprintf(path, sizeof path, "%s.s%04d", pt->path, i);
            fds[i] = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            if (fds[i] < 0 || !(sb[i].p = malloc(WBUF)))
                rc = fds[i] < 0 ? XJ_ERR_IO : XJ_ERR_NOMEM;
        }
    }
    /* Pass 2: distribute. */
    uint64_t *subbytes = calloc((size_t)nsub, sizeof *subbytes);
    if (rc == XJ_OK && !subbytes)
        rc = XJ_ERR_NOMEM;
    if (rc == XJ_OK && lseek(r.fd, 0, SEEK_SET) != 0)
        rc = XJ_ERR_IO;
    r.pos = r.len = 0;
    r.eof = 0;
    while (rc == XJ_OK && (e = ereader_next(&r, &rc)) != NULL) {
        size_t len = ent_len(s, e);
        int i = find_range(bounds, nsub, ent_order(s, e));
        if (sb[i].len + len > WBUF) {
            rc = write_all(fds[i], sb[i].p, sb[i].len);
            sb[i].len = 0;
        }
        memcpy(sb[i].p + sb[i].len, e, len);
        sb[i].len += len;
        sb[i].n++;
        subbytes[i] += len;
    }
    for (int i = 0; rc == XJ_OK && i < nsub; i++) {
        rc = write_all(fds[i], sb[i].p, sb[i].len);
        char path[560];
        snprintf(path, sizeof path, "%s.s%04d", pt->path, i);
        if (rc == XJ_OK)
            rc = runlist_add(out, path, subbytes[i], sb[i].n, 1);
    }
    if (r.fd >= 0)
        close(r.fd);
    for (int i = 0; fds && i < nsub; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        if (rc != XJ_OK) {
            char path[560];
            snprintf(path, sizeof path, "%s.s%04d", pt->path, i);
            unlink(path);
        }
        free(sb[i].p);
    }
    free(sample);
    free(bounds);
    free(sb);
    free(fds);
    free(subbytes);
    free(r.buf);
    return rc;
}

/* ---- sorting a run into an SST -------------------------------------------- */

typedef struct item {
    uint64_t order; /* the first 8 key bytes: most comparisons end here */
    uint64_t off;   /* the entry's offset in the run; a compact entry's record key code */
} item;

/* Sorts items by order.  Most-significant-digit radix sort: one scatter
 * by the top bits that vary among the items, then each bucket the same
 * way, down to buckets small enough for an insertion sort in cache.
 * Hashed keys are uniform, so a run of a million items takes one scatter
 * and a copy, where a byte-at-a-time LSD sort took seven scatters; skewed
 * keys (packed IDs of one region) only recurse further where they
 * crowd.  Not stable: equal orders are ordered afterwards by full key. */
#define RADIX_BITS  11 /* at most 2048 buckets a level: counts on the stack */
#define RADIX_SMALL 32 /* insertion sort from here down */

static void insertion_sort(item *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        item cur = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1].order > cur.order) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = cur;
    }
}

static void radix_sort(item *a, item *tmp, size_t n)
{
    if (n <= RADIX_SMALL) {
        insertion_sort(a, n);
        return;
    }
    uint64_t first = a[0].order, diff = 0;
    for (size_t i = 1; i < n; i++)
        diff |= a[i].order ^ first;
    if (!diff)
        return; /* one order throughout */
    int top = 63 - __builtin_clzll(diff);
    /* About 16 items a bucket, 4 to RADIX_BITS bits (so that a level
     * takes at least 4 bits: at most 16 levels of 16 KB of stack). */
    int bits = 64 - __builtin_clzll((uint64_t)n) - 4;
    if (bits > RADIX_BITS)
        bits = RADIX_BITS;
    if (bits < 4)
        bits = 4;
    if (bits > top + 1)
        bits = top + 1;
    int shift = top + 1 - bits;
    size_t nb = (size_t)1 << bits, mask = nb - 1;
    size_t end[(size_t)1 << RADIX_BITS]; /* bucket starts, then ends */
    memset(end, 0, nb * sizeof *end);
    for (size_t i = 0; i < n; i++)
        end[(a[i].order >> shift) & mask]++;
    size_t pos = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t c = end[b];
        end[b] = pos;
        pos += c;
    }
    for (size_t i = 0; i < n; i++)
        tmp[end[(a[i].order >> shift) & mask]++] = a[i];
    memcpy(a, tmp, n * sizeof *a);
    for (size_t b = 0, lo = 0; b < nb; lo = end[b], b++)
        if (end[b] - lo > 1)
            radix_sort(a + lo, tmp + lo, end[b] - lo);
}

/* Full key, then (for puts) input sequence. */
static int cmp_entries(const uint8_t *buf, const item *x, const item *y)
{
    const uint8_t *ex = buf + x->off, *ey = buf + y->off;
    size_t kx = ex[1], ky = ey[1];
    int c = memcmp(entry_key(ex), entry_key(ey), kx < ky ? kx : ky);
    if (c)
        return c;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    uint64_t sx = entry_seq(ex), sy = entry_seq(ey);
    return sx < sy ? -1 : sx > sy;
}

/* Sorts a group of equal order (usually tiny) with a merge sort: a hot
 * name-frequency key may repeat millions of times. */
static void sort_group(const uint8_t *buf, item *a, item *tmp, size_t n)
{
    if (n < 2)
        return;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            item cur = a[i];
            size_t j = i;
            while (j > 0 && cmp_entries(buf, &a[j - 1], &cur) > 0) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = cur;
        }
        return;
    }
    size_t h = n / 2;
    sort_group(buf, a, tmp, h);
    sort_group(buf, a + h, tmp, n - h);
    if (cmp_entries(buf, &a[h - 1], &a[h]) <= 0)
        return;
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_entries(buf, &a[j], &a[i]) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static int cmp9(const void *a, const void *b)
{
    return memcmp(a, b, 9);
}

/* Per-thread scratch of the SST writing. */
typedef struct scratch {
    uint8_t *keys; /* record keys of one posting list */
    size_t cap;
    uint8_t *val;
    size_t valcap;
    /* A run's entries and its two item arrays, kept from run to run: new
     * memory comes zeroed from the kernel, a page fault at a time. */
    void *area[3];
    size_t areacap[3];
} scratch;

/* Room for m record keys in sc->keys. */
static int scratch_keys(scratch *sc, size_t m)
{
    if (m * 9 <= sc->cap)
        return XJ_OK;
    size_t cap = m * 9 * 2;
    uint8_t *p = realloc(sc->keys, cap);
    if (!p)
        return XJ_ERR_NOMEM;
    sc->keys = p;
    sc->cap = cap;
    return XJ_OK;
}

/* Writes the posting list of the u sorted, unique record keys in sc->keys
 * as one merge operand. */
static int write_posting(rocksdb_sstfilewriter_t *w, const uint8_t *k, size_t kn, scratch *sc,
                         size_t u, char **err)
{
    size_t need = 4 + 9 * (u < XJ_POSTING_MAX ? u : XJ_POSTING_MAX);
    if (need > sc->valcap) {
        uint8_t *p = realloc(sc->val, need);
        if (!p)
            return XJ_ERR_NOMEM;
        sc->val = p;
        sc->valcap = need;
    }
    size_t len = xj__posting_build(sc->keys, u, (uint32_t)u, sc->val);
    rocksdb_sstfilewriter_merge(w, (const char *)k, kn, (const char *)sc->val, len, err);
    return XJ_OK;
}

/* Combines the entries of one key (sorted by sequence) and writes it. */
static int write_key(xj_spill *s, rocksdb_sstfilewriter_t *w, const uint8_t *buf, const item *g,
                     size_t m, scratch *sc, xj_spill_put_hook hook, void *user, int writer,
                     uint64_t *news, char **err)
{
    const uint8_t *last = buf + g[m - 1].off;
    const uint8_t *k = entry_key(last);
    size_t kn = last[1], vn;
    const uint8_t *v = entry_val(last, &vn);
    if (last[0] == SPILL_PUT || last[0] == SPILL_PUT_NEW) {
        rocksdb_sstfilewriter_put(w, (const char *)k, kn, (const char *)v, vn, err);
        int is_new = last[0] == SPILL_PUT_NEW;
        *news += (uint64_t)is_new;
        return hook && !*err ? hook(user, writer, k, kn, v, vn, is_new) : XJ_OK;
    }
    if (last[0] == SPILL_ADD) {
        uint64_t sum = 0;
        for (size_t i = 0; i < m; i++) {
            const uint8_t *x = entry_val(buf + g[i].off, &vn);
            if (vn == 8)
                sum += xj__get_u64le(x);
        }
        uint8_t out[8];
        xj__put_u64le(out, sum);
        rocksdb_sstfilewriter_merge(w, (const char *)k, kn, (const char *)out, 8, err);
        return XJ_OK;
    }
    /* A posting list: the sorted union of the record keys. */
    if (scratch_keys(sc, m) != XJ_OK)
        return XJ_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < m; i++) {
        const uint8_t *x = entry_val(buf + g[i].off, &vn);
        if (vn == 9)
            memcpy(sc->keys + 9 * n++, x, 9);
    }
    if (n > 1)
        qsort(sc->keys, n, 9, cmp9);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || memcmp(sc->keys + 9 * (u - 1), sc->keys + 9 * i, 9) != 0)
            memmove(sc->keys + 9 * u++, sc->keys + 9 * i, 9);
    return write_posting(w, k, kn, sc, u, err);
}

/* Memory that the sort visits in random order: in 2 MB pages where the
 * kernel offers them, since a TLB miss per entry otherwise costs more than
 * the sort itself. */
static void *big_alloc(size_t bytes)
{
    const size_t huge = (size_t)2 << 20;
    if (bytes < huge)
        return malloc(bytes ? bytes : 1);
    size_t n = (bytes + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, n);
    if (p)
        madvise(p, n, MADV_HUGEPAGE);
    return p;
}

/* Scratch area i of at least bytes, or NULL. */
static void *area(scratch *sc, int i, size_t bytes)
{
    if (bytes > sc->areacap[i]) {
        free(sc->area[i]);
        sc->area[i] = big_alloc(bytes);
        sc->areacap[i] = sc->area[i] ? bytes : 0;
    }
    return sc->area[i];
}

/* Reads the whole run file into buf. */
static uint8_t *slurp(const char *path, uint64_t bytes, uint8_t *buf, int *rc)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (!buf || fd < 0) {
        *rc = buf ? XJ_ERR_IO : XJ_ERR_NOMEM;
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    uint64_t got = 0;
    while (got < bytes) {
        ssize_t r = pread(fd, buf + got, bytes - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (uint64_t)r;
    }
    close(fd);
    if (got != bytes) {
        *rc = XJ_ERR_IO;
        return NULL;
    }
    return buf;
}

static int cmp_item_off(const void *a, const void *b)
{
    uint64_t x = ((const item *)a)->off, y = ((const item *)b)->off;
    return x < y ? -1 : x > y;
}

/* Writes the sorted compact entries a[0..n) of a posting spill: the
 * entries of one key become its posting list. */
static int write_compact(rocksdb_sstfilewriter_t *w, item *a, size_t n, scratch *sc, char **err)
{
    for (size_t i = 0; i < n && !*err;) {
        size_t j = i + 1;
        while (j < n && a[j].order == a[i].order)
            j++;
        size_t m = j - i;
        if (m > 1 && m <= 16) {
            for (size_t x = i + 1; x < j; x++) {
                item cur = a[x];
                size_t y = x;
                while (y > i && a[y - 1].off > cur.off) {
                    a[y] = a[y - 1];
                    y--;
                }
                a[y] = cur;
            }
        } else if (m > 16) {
            qsort(a + i, m, sizeof *a, cmp_item_off);
        }
        if (scratch_keys(sc, m) != XJ_OK)
            return XJ_ERR_NOMEM;
        size_t u = 0;
        for (size_t x = i; x < j; x++)
            if (x == i || a[x].off != a[x - 1].off)
                reckey_uncode(a[x].off, sc->keys + 9 * u++);
        uint8_t k[8];
        xj__put_u64be(k, a[i].order);
        int rc = write_posting(w, k, 8, sc, u, err);
        if (rc != XJ_OK)
            return rc;
        i = j;
    }
    return XJ_OK;
}

/* Sorts one run and writes it as the SST at path; *written is 0 when the
 * run was empty. */
static int run_to_sst(xj_spill *s, const run *rn, const char *path, xj_spill_put_hook hook,
                      void *user, int writer, scratch *sc, int *written, uint64_t *sst_bytes,
                      uint64_t *news)
{
    *written = 0;
    if (rn->n == 0)
        return XJ_OK;
    int rc = XJ_OK;
    if (s->fixed && rn->bytes != rn->n * s->fixed)
        return fail(s->idx, XJ_ERR_IO, NULL, "a spill file is damaged");
    /* A compact spill's file is its item array. */
    uint8_t *buf = slurp(rn->path, rn->bytes, area(sc, 0, rn->bytes), &rc);
    item *a = s->fixed ? (item *)buf : area(sc, 1, rn->n * sizeof *a);
    item *tmp = area(sc, 2, rn->n * sizeof *tmp);
    if (rc == XJ_OK && (!a || !tmp))
        rc = XJ_ERR_NOMEM;
    size_t n = s->fixed ? rn->n : 0;
    for (uint64_t o = 0; rc == XJ_OK && !s->fixed && o < rn->bytes && n < rn->n; n++) {
        a[n].order = key_order(entry_key(buf + o), buf[o + 1]);
        a[n].off = o;
        o += entry_len(buf + o);
    }
    if (rc == XJ_OK && n != rn->n)
        rc = fail(s->idx, XJ_ERR_IO, NULL, "a spill file is damaged");
    rocksdb_envoptions_t *env = NULL;
    rocksdb_sstfilewriter_t *w = NULL;
    char *err = NULL;
    if (rc == XJ_OK) {
        radix_sort(a, tmp, n);
        env = rocksdb_envoptions_create();
        w = rocksdb_sstfilewriter_create(env, xj__cf_options(s->idx, s->cf));
        rocksdb_sstfilewriter_open(w, path, &err);
    }
    if (s->fixed && rc == XJ_OK && !err)
        rc = write_compact(w, a, n, sc, &err);
    size_t pf = 0;
    for (size_t i = 0; rc == XJ_OK && !s->fixed && !err && i < n;) {
        /* The sorted items visit the run in random order: fetching entries
         * a few dozen items ahead hides the cache and TLB misses, which
         * otherwise cost more than everything else here. */
        for (; pf < i + PREFETCH && pf < n; pf++)
            __builtin_prefetch(buf + a[pf].off);
        size_t j = i + 1;
        while (j < n && a[j].order == a[i].order)
            j++;
        sort_group(buf, a + i, tmp, j - i);
        /* Within the group, keys equal in all bytes form one SST entry. */
        for (size_t x = i; rc == XJ_OK && !err && x < j;) {
            size_t y = x + 1;
            const uint8_t *ex = buf + a[x].off;
            while (y < j && buf[a[y].off + 1] == ex[1] &&
                   memcmp(entry_key(buf + a[y].off), entry_key(ex), ex[1]) == 0)
                y++;
            rc = write_key(s, w, buf, a + x, y - x, sc, hook, user, writer, news, &err);
            x = y;
        }
        i = j;
    }
    if (w && rc == XJ_OK && !err) {
        rocksdb_sstfilewriter_finish(w, &err);
        if (!err) {
            uint64_t size = 0;
            rocksdb_sstfilewriter_file_size(w, &size);
            *sst_bytes = size;
            *written = 1;
        }
    }
    if (err)
        rc = fail(s->idx, XJ_ERR_DB, err, "writing an SST file");
    if (w)
        rocksdb_sstfilewriter_destroy(w);
    if (env)
        rocksdb_envoptions_destroy(env);
    if (rc != XJ_OK)
        unlink(path);
    return rc;
}

/* A run's size and place, to order the runs by. */
typedef struct sized {
    uint64_t bytes;
    size_t i;
} sized;

static int cmp_larger_first(const void *a, const void *b)
{
    const sized *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int xj__spill_finish_all(const xj_spill_job *jobs, int njobs, int threads, size_t budget)
{
    int rc = XJ_OK;
    for (int j = 0; j < njobs; j++) {
        xj_spill *s = jobs[j].s;
        if (!s->started && (rc = xj__spill_start(s)) != XJ_OK)
            return rc;
        if ((rc = xj__spill_flush(s)) != XJ_OK)
            return rc;
    }
    if (threads < 1)
        threads = 1;
    size_t share = budget / (size_t)threads;
    /* Every partition of every spill, job-major. */
    int nall = 0;
    for (int j = 0; j < njobs; j++)
        nall += jobs[j].s->nparts;
    runlist *per = calloc((size_t)(nall ? nall : 1), sizeof *per);
    int *job_of = calloc((size_t)(nall ? nall : 1), sizeof *job_of);
    int *part_of = calloc((size_t)(nall ? nall : 1), sizeof *part_of);
    if (!per || !job_of || !part_of) {
        free(per);
        free(job_of);
        free(part_of);
        return XJ_ERR_NOMEM;
    }
    for (int j = 0, q = 0; j < njobs; j++)
        for (int p = 0; p < jobs[j].s->nparts; p++, q++) {
            job_of[q] = j;
            part_of[q] = p;
        }

        /* A partition whose sort would not fit its thread's share is split into
         * sub-runs first; the others are runs as they are. */
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (int q = 0; q < nall; q++) {
        xj_spill *s = jobs[job_of[q]].s;
        int p = part_of[q];
        part *pt = &s->parts[p];
        int prc;
        /* No more appends: the descriptor goes now, so that unlinking the
         * file frees its disk at once. */
        close(pt->fd);
        pt->fd = -1;
        if (sort_bytes(s, pt->bytes, pt->n) > share && pt->n > 1) {
            prc = split_part(s, p, share, &per[q]);
            if (prc == XJ_OK)
                unlink(pt->path); /* all of it is in the sub-runs */
        } else {
            prc = runlist_add(&per[q], pt->path, pt->bytes, pt->n, 0);
        }
        for (size_t i = 0; i < per[q].n; i++)
            per[q].r[i].job = job_of[q];
        if (prc != XJ_OK) {
#pragma omp atomic write
            rc = prc;
        }
    }
    /* Every run is listed even after a failure, so that the clean-up below
     * finds the sub-runs of the partitions that were split.  Within a job
     * the runs are listed in key order, which is the order of its SSTs. */
    runlist all = {0};
    for (int q = 0; q < nall; q++)
        for (size_t i = 0; i < per[q].n; i++) {
            int arc = runlist_add(&all, per[q].r[i].path, per[q].r[i].bytes, per[q].r[i].n,
                                  per[q].r[i].owned);
            if (arc == XJ_OK) {
                all.r[all.n - 1].job = per[q].r[i].job;
            } else {
                if (per[q].r[i].owned)
                    unlink(per[q].r[i].path);
                rc = arc;
            }
        }
    for (int q = 0; q < nall; q++)
        free(per[q].r);
    free(per);
    free(job_of);
    free(part_of);
    /* The largest runs first, of whichever spill, so that no thread is left
     * with a big one at the end. */
    sized *order = malloc((all.n ? all.n : 1) * sizeof *order);
    int *written = calloc(all.n ? all.n : 1, sizeof *written);
    uint64_t *sizes = calloc(all.n ? all.n : 1, sizeof *sizes);
    uint64_t *news = calloc(all.n ? all.n : 1, sizeof *news);
    scratch *sc = calloc((size_t)threads, sizeof *sc);
    if (rc == XJ_OK && (!order || !written || !sizes || !news || !sc))
        rc = XJ_ERR_NOMEM;
    for (size_t i = 0; order && i < all.n; i++) {
        order[i].bytes = all.r[i].bytes;
        order[i].i = i;
    }
    if (rc == XJ_OK && all.n > 1)
        qsort(order, all.n, sizeof *order, cmp_larger_first);
    if (rc == XJ_OK) {
#pragma omp parallel for schedule(dynamic) num_threads(threads)
        for (long q = 0; q < (long)all.n; q++) {
            int shared_rc;
#pragma omp atomic read
            shared_rc = rc;
            if (shared_rc != XJ_OK)
                continue;
            size_t r = order[q].i;
            const xj_spill_job *jb = &jobs[all.r[r].job];
            int t = omp_get_thread_num();
            char path[600];
            snprintf(path, sizeof path, "%s/cf%d-r%05zu.sst", jb->s->dir, jb->s->cf, r);
            int prc = run_to_sst(jb->s, &all.r[r], path, jb->hook, jb->user, t, &sc[t], &written[r],
                                 &sizes[r], &news[r]);
            /* Spent either way (a sub-run or a whole partition): a national
             * load's spill is as large as its SSTs, so each run's disk is
             * given back as soon as its SST exists, not at the end. */
            unlink(all.r[r].path);
            if (prc != XJ_OK) {
#pragma omp atomic write
                rc = prc;
            }
        }
    }
    for (int j = 0; j < njobs; j++)
        if (jobs[j].new_keys)
            *jobs[j].new_keys = 0;
    for (size_t r = 0; r < all.n; r++) {
        const xj_spill_job *jb = &jobs[all.r[r].job];
        char path[600];
        snprintf(path, sizeof path, "%s/cf%d-r%05zu.sst", jb->s->dir, jb->s->cf, r);
        if (rc == XJ_OK && written[r]) {
            xj_sst_list *out = jb->out;
            if (out->n == out->cap) {
                char **p = xj_grow(out->paths, &out->cap, sizeof *p, 64);
                if (p)
                    out->paths = p;
                else
                    rc = XJ_ERR_NOMEM;
            }
            if (rc == XJ_OK && !(out->paths[out->n] = strdup(path)))
                rc = XJ_ERR_NOMEM;
            if (rc == XJ_OK) {
                out->n++;
                out->bytes += sizes[r];
                if (jb->new_keys)
                    *jb->new_keys += news[r];
                continue;
            }
        }
        if (written[r])
            unlink(path);
        if (all.r[r].owned)
            unlink(all.r[r].path);
    }
    /* Whatever is left of the partition files (after a failure) goes now
     * rather than at the end of the load. */
    for (int j = 0; j < njobs; j++) {
        xj_spill *s = jobs[j].s;
        for (int p = 0; p < s->nparts; p++) {
            if (s->parts[p].fd >= 0)
                close(s->parts[p].fd);
            s->parts[p].fd = -1;
            if (s->parts[p].path[0])
                unlink(s->parts[p].path);
        }
    }
    for (int t = 0; sc && t < threads; t++) {
        free(sc[t].keys);
        free(sc[t].val);
        for (int i = 0; i < 3; i++)
            free(sc[t].area[i]);
    }
    free(sc);
    free(order);
    free(written);
    free(sizes);
    free(news);
    free(all.r);
    return rc;
}

int xj__spill_finish(xj_spill *s, int threads, size_t budget, xj_spill_put_hook hook, void *user,
                     xj_sst_list *out, uint64_t *new_keys)
{
    xj_spill_job job = {s, hook, user, out, new_keys};
    return xj__spill_finish_all(&job, 1, threads, budget);
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
    if (err)
        return fail(idx, XJ_ERR_DB, err, "ingesting SST files"); /* from any thread */
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    memset(l, 0, sizeof *l);
    return XJ_OK;
}
