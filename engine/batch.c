/*
 * batch.c: the monthly batch check, from the input CSV to the results CSV.
 *
 * The file is read in chunks of CHUNK_ROWS rows.  Within a chunk, groups of
 * GROUP_ROWS rows are prepared, looked up (grouped MultiGets) and decided in
 * parallel (OpenMP); each row's verdict depends only on the row and the
 * index, so the thread count cannot change it.  Then, strictly in input
 * order, one thread finds duplicates inside the batch, assigns numbers and
 * writes the results: output is byte-identical for any --threads.  The
 * two overlap: while one thread finishes chunk k in order, the others
 * judge chunk k + 1 (this in-order part took a quarter of the wall time
 * when the other core waited for it).
 *
 * Memory: two chunks of rows and verdicts, plus a compact memo of every row
 * seen (about 200 bytes a row, and its keys) for the in-batch duplicate
 * search.
 *
 * --commit: the batch is identified by the XXH3-128 of its bytes.  The
 * numbers it consumes and the registrations it creates are written in one
 * atomic commit at the end; a batch committed before commits nothing again
 * and reports the numbers it was given then.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <omp.h>
#include <xxhash.h>

#include "engine_int.h"

/* A group's keys go to RocksDB in one MultiGet per family, which sorts them
 * and so visits the mapped index files in key order: the larger the group,
 * the fewer cache and TLB misses per key.  1M-row batch, 10M registry, 2
 * threads: 128 rows 49-51 s, 2048 rows 40-42 s (user time -22 %); 8192
 * was slower again.  A worker's scratch reserves ~77 KB of address space
 * a row of its group (32 candidate records), of which the pages the found
 * candidates fill are touched: ~160 MB reserved per thread. */
/* Two chunks are held (one finished in order while the next is judged), at
 * about 11 KB a row (row, verdict, input): 8,192 rows keep the memory of
 * the single 16,384-row chunk before the pipeline.  Two 16,384-row chunks
 * made a 100 k batch 7 % slower (the second chunk's fresh pages) and a 1 M
 * batch 3 % faster than these. */
#define CHUNK_ROWS 8192
#define GROUP_ROWS 2048
#define BATCH_TAKE 16 /* earlier rows compared per blocking key */

#define NCOLS         XJ_BATCH_NCOLUMNS
#define MEMO_KEYS_MAX (XJ_BLOCK_KEYS_MAX + 1 + ROW_SUGGEST_MAX)

/* ---- the chunk: rows copied out of the reader ----------------------------- */

typedef struct chunk {
    char *arena;
    size_t len, cap;
    size_t (*off)[NCOLS][2]; /* offset and length of each column */
    unsigned *flags;
    size_t n;
    xj_input *in;
    xj_row *rows;
    xj_name_stats *ns;
    xj_verdict *v;
    uint64_t (*mkeys)[MEMO_KEYS_MAX]; /* memo_keys of each row, with suggestions */
    uint8_t *nmkeys;
} chunk;

static int chunk_init(chunk *c)
{
    memset(c, 0, sizeof *c);
    c->cap = (size_t)1 << 20;
    c->arena = malloc(c->cap);
    c->off = malloc(CHUNK_ROWS * sizeof *c->off);
    c->flags = malloc(CHUNK_ROWS * sizeof *c->flags);
    c->in = malloc(CHUNK_ROWS * sizeof *c->in);
    c->rows = malloc(CHUNK_ROWS * sizeof *c->rows);
    c->ns = malloc(CHUNK_ROWS * sizeof *c->ns);
    c->v = malloc(CHUNK_ROWS * sizeof *c->v);
    c->mkeys = malloc(CHUNK_ROWS * sizeof *c->mkeys);
    c->nmkeys = malloc(CHUNK_ROWS);
    return c->arena && c->off && c->flags && c->in && c->rows && c->ns && c->v && c->mkeys &&
                   c->nmkeys
               ? XJ_OK
               : XJ_ERR_NOMEM;
}

static void chunk_free(chunk *c)
{
    free(c->arena);
    free(c->off);
    free(c->flags);
    free(c->in);
    free(c->rows);
    free(c->ns);
    free(c->v);
    free(c->mkeys);
    free(c->nmkeys);
}

static int arena_put(chunk *c, const char *p, size_t n, size_t *at)
{
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap * 2 > c->len + n + 1 ? c->cap * 2 : c->len + n + 1;
        char *a = realloc(c->arena, cap);
        if (!a)
            return XJ_ERR_NOMEM;
        c->arena = a;
        c->cap = cap;
    }
    memcpy(c->arena + c->len, p, n);
    c->arena[c->len + n] = '\0';
    *at = c->len;
    c->len += n + 1;
    return XJ_OK;
}

/* Reads up to CHUNK_ROWS rows.  Returns the count (0 at the end) or a
 * negative status. */
static long chunk_read(chunk *c, xj_csv_reader *r, const int *colidx)
{
    c->n = 0;
    c->len = 0;
    const xj_slice *f;
    size_t nf;
    int rc;
    while (c->n < CHUNK_ROWS && (rc = xj_csv_next(r, &f, &nf)) == 1) {
        for (size_t k = 0; k < NCOLS; k++) {
            xj_slice s = {"", 0};
            if (colidx[k] >= 0 && (size_t)colidx[k] < nf)
                s = f[colidx[k]];
            if (arena_put(c, s.ptr, s.len, &c->off[c->n][k][0]) != XJ_OK)
                return XJ_ERR_NOMEM;
            c->off[c->n][k][1] = s.len;
        }
        c->flags[c->n] = xj_csv_row_flags(r);
        c->n++;
    }
    if (c->n == 0 && rc < 0)
        return rc;
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < NCOLS; k++) {
            xj_slice *col = xj_input_column(&c->in[i], k);
            col->ptr = c->arena + c->off[i][k][0];
            col->len = c->off[i][k][1];
        }
        c->in[i].csv_flags = c->flags[i];
    }
    return (long)c->n;
}

/* ---- the memo of earlier rows, for duplicates inside the batch ------------- */

typedef struct memo_row {
    uint32_t name, pinyin, guardian_name, record_id; /* offsets into the memo arena */
    uint32_t birth;
    char gender;
    uint8_t id_valid, has_id18, root_is_self;
    uint8_t id_disputed; /* its verdict was ID_NAME_CONFLICT: its ID may be another's */
    char id[19];
    char guardian_id[19];
    char hukou[7], school_region[7];
    uint64_t root; /* the first row of this person in the batch */
    char number[20];
} memo_row;

typedef struct memo_slot {
    uint64_t key;
    int64_t head; /* -1: empty */
} memo_slot;

typedef struct memo {
    memo_row *rows;
    size_t n, cap;
    char *arena;
    size_t alen, acap;
    /* key -> chain of rows, open addressing on the key hash; a key and
     * its chain share a slot, so that a probe reads one cache line */
    memo_slot *slots;
    size_t tcap, tn;
    int64_t *next; /* per node */
    uint64_t *node_row;
    size_t nodes, nodes_cap;
    /* record_id hashes seen */
    uint64_t *rids;
    size_t rcap, rn;
} memo;

static uint32_t memo_str(memo *m, const char *s)
{
    size_t n = strlen(s) + 1;
    if (m->alen + n > m->acap) {
        size_t cap = m->acap ? m->acap * 2 : (size_t)1 << 20;
        while (cap < m->alen + n)
            cap *= 2;
        char *a = realloc(m->arena, cap);
        if (!a)
            return UINT32_MAX;
        m->arena = a;
        m->acap = cap;
    }
    memcpy(m->arena + m->alen, s, n);
    uint32_t at = (uint32_t)m->alen;
    m->alen += n;
    return at;
}

static int table_grow(memo *m)
{
    size_t cap = m->tcap ? m->tcap * 2 : 1u << 16;
    memo_slot *slots = malloc(cap * sizeof *slots);
    if (!slots)
        return XJ_ERR_NOMEM;
    for (size_t i = 0; i < cap; i++)
        slots[i].head = -1;
    for (size_t i = 0; i < m->tcap; i++) {
        if (m->slots[i].head < 0)
            continue;
        size_t h = (size_t)(m->slots[i].key & (cap - 1));
        while (slots[h].head >= 0)
            h = (h + 1) & (cap - 1);
        slots[h] = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->tcap = cap;
    return XJ_OK;
}

/* Returns the slot of key, inserting an empty chain when absent. */
static int64_t *table_slot(memo *m, uint64_t key)
{
    if ((m->tn + 1) * 2 > m->tcap && table_grow(m) != XJ_OK)
        return NULL;
    /* A slot is empty while its head is -1: chains are never removed. */
    size_t h = (size_t)(key & (m->tcap - 1));
    while (m->slots[h].head >= 0 && m->slots[h].key != key)
        h = (h + 1) & (m->tcap - 1);
    if (m->slots[h].head < 0) {
        m->slots[h].key = key;
        m->tn++;
    }
    return &m->slots[h].head;
}

/* Looks key up without inserting; returns the chain head or -1. */
static int64_t table_find(const memo *m, uint64_t key)
{
    if (!m->tcap)
        return -1;
    size_t h = (size_t)(key & (m->tcap - 1));
    while (m->slots[h].head >= 0) {
        if (m->slots[h].key == key)
            return m->slots[h].head;
        h = (h + 1) & (m->tcap - 1);
    }
    return -1;
}

static int table_add(memo *m, uint64_t key, uint64_t row)
{
    if (m->nodes == m->nodes_cap) {
        size_t cap = m->nodes_cap ? m->nodes_cap * 2 : 1u << 16;
        int64_t *nx = realloc(m->next, cap * sizeof *nx);
        if (!nx)
            return XJ_ERR_NOMEM;
        m->next = nx;
        uint64_t *nr = realloc(m->node_row, cap * sizeof *nr);
        if (!nr)
            return XJ_ERR_NOMEM;
        m->node_row = nr;
        m->nodes_cap = cap;
    }
    int64_t *head = table_slot(m, key);
    if (!head)
        return XJ_ERR_NOMEM;
    int64_t node = (int64_t)m->nodes++;
    m->node_row[node] = row;
    m->next[node] = *head; /* -1 ends the chain */
    *head = node;
    return XJ_OK;
}

/* Returns 1 when the record_id was seen before, recording it otherwise. */
static int rid_seen(memo *m, const char *rid)
{
    if ((m->rn + 1) * 2 > m->rcap) {
        size_t cap = m->rcap ? m->rcap * 2 : 1u << 16;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t)
            return 0;
        for (size_t i = 0; i < m->rcap; i++) {
            if (!m->rids[i])
                continue;
            size_t h = (size_t)(m->rids[i] & (cap - 1));
            while (t[h])
                h = (h + 1) & (cap - 1);
            t[h] = m->rids[i];
        }
        free(m->rids);
        m->rids = t;
        m->rcap = cap;
    }
    uint64_t k = XXH3_64bits(rid, strlen(rid)) | 1u;
    size_t h = (size_t)(k & (m->rcap - 1));
    while (m->rids[h]) {
        if (m->rids[h] == k)
            return 1;
        h = (h + 1) & (m->rcap - 1);
    }
    m->rids[h] = k;
    m->rn++;
    return 0;
}

static void memo_free(memo *m)
{
    free(m->rows);
    free(m->arena);
    free(m->slots);
    free(m->next);
    free(m->node_row);
    free(m->rids);
}

/* The keys a row is filed under in the memo: its blocking keys (as
 * xj__gather computed them), plus its resident ID and each suggested
 * correction of it (last, so that the first n - nsuggest are the keys
 * without them). */
static size_t memo_keys(const xj_row *row, uint64_t *out)
{
    size_t n = row->nblocks;
    memcpy(out, row->blocks, n * sizeof *out);
    if (row->id_valid)
        out[n++] = XXH3_64bits(row->rec.id, 18) ^ 0x1d;
    for (size_t s = 0; s < row->nsuggest; s++)
        out[n++] = XXH3_64bits(row->suggest[s], 18) ^ 0x1d;
    return n;
}

static void memo_to_record(const memo *m, const memo_row *mr, xj_record *rec)
{
    memset(rec, 0, sizeof *rec);
    snprintf(rec->name, sizeof rec->name, "%s", m->arena + mr->name);
    snprintf(rec->pinyin, sizeof rec->pinyin, "%s", m->arena + mr->pinyin);
    snprintf(rec->guardian_name, sizeof rec->guardian_name, "%s", m->arena + mr->guardian_name);
    rec->birth = mr->birth;
    rec->gender = mr->gender;
    if (mr->id_valid)
        memcpy(rec->id, mr->id, 19);
    memcpy(rec->guardian_id, mr->guardian_id, 19);
    memcpy(rec->hukou_region, mr->hukou, 7);
    memcpy(rec->school_region, mr->school_region, 7);
}

/* keys: the row's memo_keys without suggestions. */
static int memo_add(memo *m, const xj_row *row, const xj_verdict *v, uint64_t root,
                    const char *number, const uint64_t *keys, size_t nk)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1u << 14;
        memo_row *r = realloc(m->rows, cap * sizeof *r);
        if (!r)
            return XJ_ERR_NOMEM;
        m->rows = r;
        m->cap = cap;
    }
    memo_row *mr = &m->rows[m->n];
    memset(mr, 0, sizeof *mr);
    mr->name = memo_str(m, row->rec.name);
    mr->pinyin = memo_str(m, row->rec.pinyin);
    mr->guardian_name = memo_str(m, row->rec.guardian_name);
    mr->record_id = memo_str(m, row->record_id);
    if (mr->name == UINT32_MAX || mr->pinyin == UINT32_MAX || mr->guardian_name == UINT32_MAX ||
        mr->record_id == UINT32_MAX)
        return XJ_ERR_NOMEM;
    mr->birth = row->rec.birth;
    mr->gender = row->rec.gender;
    mr->id_valid = (uint8_t)row->id_valid;
    mr->id_disputed = (uint8_t)xj_reasons_has(&v->reasons, XJ_R_ID_NAME_CONFLICT);
    memcpy(mr->id, row->rec.id, 19);
    memcpy(mr->guardian_id, row->rec.guardian_id, 19);
    memcpy(mr->hukou, row->rec.hukou_region, 7);
    memcpy(mr->school_region, row->rec.school_region, 7);
    mr->root = root;
    snprintf(mr->number, sizeof mr->number, "%s", number);
    for (size_t i = 0; i < nk; i++)
        if (table_add(m, keys[i], m->n) != XJ_OK)
            return XJ_ERR_NOMEM;
    m->n++;
    return XJ_OK;
}

/* Finds the earliest earlier row that is the same child.  Returns its
 * index or -1; *cmp receives the comparison. */
static int64_t memo_match(xj_engine *e, const memo *m, const xj_row *row, const xj_verdict *v,
                          xj_name_stats *ns, const uint64_t *keys, size_t nk, xj_comparison *cmp)
{
    int64_t best = -1;
    xj_record rec;
    for (size_t k = 0; k < nk; k++) {
        int taken = 0;
        for (int64_t node = table_find(m, keys[k]); node >= 0 && taken < BATCH_TAKE;
             node = m->next[node], taken++) {
            int64_t i = (int64_t)m->node_row[node];
            const memo_row *mr = &m->rows[i];
            int64_t root = (int64_t)mr->root;
            if (best >= 0 && root >= best)
                continue;
            memo_to_record(m, mr, &rec);
            if (xj__name_stats_fill(e, row, ns, xj__freq_needed(row, &rec)) != XJ_OK)
                return -1;
            xj_comparison c;
            xj__compare(row, &rec, ns, &c);
            /* An earlier row with this ID and another name is the same
             * child only when the hukou holds both names (decide.c).  And
             * when the registration of this ID was in question for either
             * row (ID_NAME_CONFLICT: a twin's ID, perhaps), the ID does not
             * join them, whatever the other row lacks to show it. */
            const xj_person *p = v->person_found ? &v->person : NULL;
            int disputed = mr->id_disputed || xj_reasons_has(&v->reasons, XJ_R_ID_NAME_CONFLICT);
            if (xj__classify(e, &c) == MATCH_DUPLICATE &&
                !xj__id_name_conflict(&c, row->rec.name, rec.name, p) &&
                !(c.id == CMP_EQ && disputed)) {
                best = root;
                *cmp = c;
            }
        }
    }
    return best;
}

/* ---- a batch committed before: its own registrations ------------------------ */

/* The record keys a committed batch created.  When the same batch runs
 * again, its rows must not find the registrations they made themselves:
 * the re-run reports what the batch got, not a duplicate of itself. */
typedef struct own_set {
    uint8_t (*keys)[9];
    size_t cap, n;
} own_set;

static int own_has(const own_set *o, const uint8_t key[9])
{
    if (!o->cap)
        return 0;
    size_t h = (size_t)XXH3_64bits(key, 9) & (o->cap - 1);
    while (o->keys[h][0]) {
        if (memcmp(o->keys[h], key, 9) == 0)
            return 1;
        h = (h + 1) & (o->cap - 1);
    }
    return 0;
}

static void own_add(void *user, uint64_t row, const char number[20])
{
    own_set *o = user;
    xj_reckey k;
    if (xj_reckey_pack(number, 19, &k) != XJ_OK)
        return;
    if ((o->n + 1) * 2 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 1024;
        uint8_t(*t)[9] = calloc(cap, sizeof *t);
        if (!t)
            return;
        for (size_t i = 0; i < o->cap; i++) {
            if (!o->keys[i][0])
                continue;
            size_t h = (size_t)XXH3_64bits(o->keys[i], 9) & (cap - 1);
            while (t[h][0])
                h = (h + 1) & (cap - 1);
            memcpy(t[h], o->keys[i], 9);
        }
        free(o->keys);
        o->keys = t;
        o->cap = cap;
    }
    if (own_has(o, k.b))
        return;
    size_t h = (size_t)XXH3_64bits(k.b, 9) & (o->cap - 1);
    while (o->keys[h][0])
        h = (h + 1) & (o->cap - 1);
    memcpy(o->keys[h], k.b, 9);
    o->n++;
}

static void drop_own(const own_set *o, xj_found *f)
{
    size_t k = 0;
    for (size_t i = 0; i < f->ncand; i++)
        if (!own_has(o, f->cand[i].key.b))
            f->cand[k++] = f->cand[i];
    f->ncand = k;
}

/* ---- numbers and output ------------------------------------------------------ */

int xj__assign_number(xj_commit *cm, const xj_row *row, xj_verdict *v)
{
    const xj_record *r = &row->rec;
    char b8[9];
    unsigned seq;
    int rc;
    switch (v->decision) {
    case XJ_INVALID:
        v->student_number[0] = '\0';
        return XJ_OK;
    case XJ_ASSIGNED_G:
        xj_number_make_g(r->id, v->student_number);
        return XJ_OK;
    case XJ_ASSIGNED_J:
        xj_date_digits(r->birth, b8);
        if ((rc = xj_commit_next_j(cm, r->school_region, r->birth, &seq)) != XJ_OK)
            return rc;
        return xj_number_make_j(r->school_region, b8, seq, v->student_number);
    default:
        if (!r->school_region[0] || !r->birth) {
            /* An L number needs the school's region and the birth date; a
             * duplicate found despite a broken row holds none. */
            v->student_number[0] = '\0';
            return XJ_OK;
        }
        xj_date_digits(r->birth, b8);
        if ((rc = xj_commit_next_l(cm, r->school_region, r->birth, &seq)) != XJ_OK)
            return rc;
        return xj_number_make_l(r->school_region, b8, seq, v->student_number);
    }
}

static void write_result(FILE *fp, const xj_row *row, const xj_verdict *v)
{
    char reasons[2048];
    size_t rl = xj_reasons_format(&v->reasons, reasons, sizeof reasons);
    xj_csv_put_field(fp, row->record_id, strlen(row->record_id));
    fputc(',', fp);
    fputs(xj_decision_name(v->decision), fp);
    fputc(',', fp);
    xj_csv_put_field(fp, v->student_number, strlen(v->student_number));
    fputc(',', fp);
    xj_csv_put_field(fp, v->matched, strlen(v->matched));
    fputc(',', fp);
    if (v->has_score)
        fprintf(fp, "%.2f", v->score);
    fputc(',', fp);
    xj_csv_put_field(fp, reasons, rl);
    fputc('\n', fp);
}

/* ---- the pipeline --------------------------------------------------------------- */

static int fingerprint(FILE *fp, uint8_t out[16])
{
    XXH3_state_t *st = XXH3_createState();
    if (!st)
        return XJ_ERR_NOMEM;
    XXH3_128bits_reset(st);
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        XXH3_128bits_update(st, buf, n);
    int rc = ferror(fp) ? XJ_ERR_IO : XJ_OK;
    XXH128_canonical_t canon;
    XXH128_canonicalFromHash(&canon, XXH3_128bits_digest(st));
    memcpy(out, canon.digest, 16);
    XXH3_freeState(st);
    if (rc == XJ_OK && fseek(fp, 0, SEEK_SET) != 0)
        rc = XJ_ERR_IO;
    return rc;
}

/* What one thread needs to judge a group: lookup buffers and candidates,
 * allocated once per batch. */
typedef struct worker {
    xj_scratch *scratch;
    xj_found *found; /* GROUP_ROWS */
} worker;

/* Judges rows [0, c->n) of a chunk in parallel groups. */
/* Prepares, looks up and decides group g of chunk c (GROUP_ROWS rows) with
 * worker w's buffers, and computes the rows' memo keys.  Returns XJ_OK or
 * the lookup's error. */
static int judge_group(xj_engine *e, chunk *c, size_t g, worker *w, const own_set *own)
{
    size_t lo = g * GROUP_ROWS;
    size_t hi = lo + GROUP_ROWS < c->n ? lo + GROUP_ROWS : c->n;
    for (size_t i = lo; i < hi; i++)
        xj__prepare(e, &c->in[i], &c->rows[i]);
    int rc = xj__gather(e, c->rows + lo, hi - lo, w->found, c->ns + lo, w->scratch);
    if (rc != XJ_OK)
        return rc;
    for (size_t i = lo; i < hi; i++) {
        xj_found *f = &w->found[i - lo];
        if (own->n)
            drop_own(own, f);
        xj__decide(e, &c->rows[i], f, &c->ns[i], &c->v[i]);
        /* The in-batch search (one thread, in input order) needs the
         * row's keys: computed here, on every thread. */
        c->nmkeys[i] = (uint8_t)memo_keys(&c->rows[i], c->mkeys[i]);
    }
    return XJ_OK;
}

static size_t groups_of(const chunk *c)
{
    return (c->n + GROUP_ROWS - 1) / GROUP_ROWS;
}

/* Records for the registry: new registrations (G, J) and the children who
 * hold an L number while a person or the hukou office resolves their case.
 * A DUPLICATE must transfer and a BATCH_DUPLICATE is an earlier row's child:
 * neither is registered again. */
static int registers(xj_decision d)
{
    return d == XJ_ASSIGNED_G || d == XJ_ASSIGNED_J || d == XJ_REVIEW || d == XJ_POP_MISMATCH;
}

static int commit_row(xj_commit *cm, const xj_row *row, const xj_verdict *v, uint64_t rowno)
{
    if (!v->student_number[0])
        return XJ_OK;
    int rc = xj_commit_put_batch_number(cm, rowno, v->student_number);
    if (rc != XJ_OK || !registers(v->decision))
        return rc;
    xj_record rec = row->rec;
    snprintf(rec.student_number, sizeof rec.student_number, "%s", v->student_number);
    if ((rc = xj_reckey_pack(rec.student_number, 19, &rec.key)) != XJ_OK)
        return rc;
    rec.status = XJ_STATUS_ENROLLED;
    return xj_commit_put_record(cm, &rec);
}

/* The state of the in-order part of a batch. */
typedef struct batch_run {
    xj_engine *e;
    memo *m;
    const xj_batch_options *opts;
    xj_batch_stats *stats;
    FILE *out;
    xj_commit *cm;
    const uint8_t *fp;
    int done_before;
    uint64_t rowno;
    struct timespec t0;
} batch_run;

/* The in-order part of a judged chunk: duplicates inside the batch,
 * numbers, commit records and the results, one row after the other.
 * Returns XJ_OK or an error with e->errmsg set. */
static int finish_chunk(batch_run *b, chunk *c)
{
    xj_engine *e = b->e;
    int rc = XJ_OK;
    for (size_t i = 0; i < c->n; i++, b->rowno++) {
        xj_row *row = &c->rows[i];
        xj_verdict *v = &c->v[i];

        if (rid_seen(b->m, row->record_id) && row->record_id[0] &&
            (v->decision == XJ_POP_MISMATCH || v->decision == XJ_ASSIGNED_G ||
             v->decision == XJ_ASSIGNED_J)) {
            v->decision = XJ_INVALID;
            xj_reasons_add(&v->reasons, XJ_R_DUPLICATE_RECORD_ID);
            snprintf(v->detail, sizeof v->detail, "record_id: used by an earlier row");
        }

        xj_comparison bc;
        int64_t earlier = memo_match(e, b->m, row, v, &c->ns[i], c->mkeys[i], c->nmkeys[i], &bc);
        uint64_t root = b->rowno;
        if (earlier >= 0) {
            const memo_row *er = &b->m->rows[earlier];
            root = (uint64_t)earlier;
            v->decision = XJ_BATCH_DUPLICATE;
            snprintf(v->matched, sizeof v->matched, "%s", b->m->arena + er->record_id);
            v->has_score = 1;
            v->score = bc.score;
            v->reasons = row->reasons;
            for (size_t k = 0; k < sizeof v->reasons.bits / sizeof v->reasons.bits[0]; k++)
                v->reasons.bits[k] |= bc.reasons.bits[k];
            xj_reasons_add(&v->reasons, XJ_R_BATCH_ROW);
            snprintf(v->student_number, sizeof v->student_number, "%s", er->number);
        }

        if (b->done_before) {
            if (xj_index_batch_number(e->idx, b->fp, b->rowno, v->student_number) != XJ_OK)
                v->student_number[0] = '\0';
        } else if (v->decision != XJ_BATCH_DUPLICATE || !v->student_number[0]) {
            if ((rc = xj__assign_number(b->cm, row, v)) != XJ_OK) {
                snprintf(e->errmsg, sizeof e->errmsg, "row %llu: no number left: %s",
                         (unsigned long long)b->rowno + 1, xj_strerror(rc));
                return rc;
            }
        }
        if (v->decision == XJ_INVALID)
            v->student_number[0] = '\0';
        if ((rc = memo_add(b->m, row, v, root, v->student_number, c->mkeys[i],
                           c->nmkeys[i] - row->nsuggest)) != XJ_OK)
            return rc;
        if (b->opts->commit && !b->done_before &&
            (rc = commit_row(b->cm, row, v, b->rowno)) != XJ_OK) {
            snprintf(e->errmsg, sizeof e->errmsg, "%s", xj_index_errmsg(e->idx));
            return rc;
        }
        write_result(b->out, row, v);
        b->stats->by_decision[v->decision]++;
        if (b->opts->on_row)
            b->opts->on_row(b->opts->user, b->rowno, &c->in[i], v);
    }
    b->stats->rows = b->rowno;
    if (b->opts->progress) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (double)(t1.tv_sec - b->t0.tv_sec) + (double)(t1.tv_nsec - b->t0.tv_nsec) / 1e9;
        fprintf(b->opts->progress, "\rchecked %llu rows (%.0f rows/s)",
                (unsigned long long)b->rowno, s > 0 ? (double)b->rowno / s : 0.0);
        fflush(b->opts->progress);
    }
    return rc;
}

/* One step of the pipeline: one thread finishes chunk fin in input order
 * (none for the first step) while the others judge chunk judge (none after
 * the last chunk was read), taking over its groups once fin is done.
 * Returns the finishing status; a judging failure is left in *jrc. */
static int pipeline_step(batch_run *b, chunk *fin, chunk *judge, int threads, worker *workers,
                         const own_set *own, int *jrc)
{
    int frc = XJ_OK, grc_any = XJ_OK;
#pragma omp parallel num_threads(threads)
#pragma omp single
    {
        if (fin) {
#pragma omp task shared(frc)
            frc = finish_chunk(b, fin);
        }
        size_t ng = judge ? groups_of(judge) : 0;
        for (size_t g = 0; g < ng; g++) {
#pragma omp task shared(grc_any) firstprivate(g)
            {
                int grc = judge_group(b->e, judge, g, &workers[omp_get_thread_num()], own);
                if (grc != XJ_OK) {
#pragma omp atomic write
                    grc_any = grc;
                }
            }
        }
    }
    *jrc = grc_any;
    return frc;
}

int xj_engine_check_batch(xj_engine *e, FILE *in, FILE *out, const xj_batch_options *opts,
                          xj_batch_stats *stats)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(stats, 0, sizeof *stats);
    e->errmsg[0] = '\0';
    int threads = e->opts.threads > 0 ? e->opts.threads : omp_get_num_procs();

    uint8_t fp[16];
    int rc = fingerprint(in, fp);
    if (rc != XJ_OK) {
        snprintf(e->errmsg, sizeof e->errmsg, "cannot read the batch file");
        return rc;
    }

    xj_csv_reader *r = NULL;
    xj_commit *cm = NULL;
    chunk c[2];
    memo m;
    memset(&m, 0, sizeof m);
    own_set own = {NULL, 0, 0};
    worker *workers = calloc((size_t)threads, sizeof *workers);
    int chunk_ok = chunk_init(&c[0]) == XJ_OK;
    chunk_ok = chunk_init(&c[1]) == XJ_OK && chunk_ok && workers;
    for (int t = 0; chunk_ok && t < threads; t++) {
        workers[t].scratch = xj__scratch_new(GROUP_ROWS);
        workers[t].found = malloc(GROUP_ROWS * sizeof *workers[t].found);
        chunk_ok = workers[t].scratch && workers[t].found;
    }
    if (!chunk_ok || (rc = xj_csv_open(in, opts->encoding, &r)) != XJ_OK) {
        rc = chunk_ok ? rc : XJ_ERR_NOMEM;
        goto out;
    }

    const xj_slice *hdr;
    size_t nh;
    int colidx[NCOLS];
    const xj_csv_column *missing = NULL;
    rc = xj_csv_next(r, &hdr, &nh);
    if (rc <= 0) {
        snprintf(e->errmsg, sizeof e->errmsg, "the batch file has no header row");
        rc = rc == 0 ? XJ_ERR_CSV_HEADER : rc;
        goto out;
    }
    if (xj_csv_row_flags(r) & XJ_CSV_ROW_BAD_UTF8) {
        snprintf(e->errmsg, sizeof e->errmsg,
                 "the header is not UTF-8 (a GB18030 file needs --encoding gb18030)");
        rc = XJ_ERR_ENCODING;
        goto out;
    }
    if (xj_csv_map_header(hdr, nh, xj_batch_columns, NCOLS, colidx, &missing) != XJ_OK) {
        snprintf(e->errmsg, sizeof e->errmsg, "the header lacks the required column %s (%s)",
                 missing->en, missing->zh);
        rc = XJ_ERR_CSV_HEADER;
        goto out;
    }

    if ((rc = xj_commit_begin(e->idx, fp, &cm)) != XJ_OK) {
        snprintf(e->errmsg, sizeof e->errmsg, "%s", xj_index_errmsg(e->idx));
        goto out;
    }
    int done_before = xj_commit_already_done(cm);
    stats->already_committed = done_before;
    if (done_before && (rc = xj_index_batch_numbers(e->idx, fp, own_add, &own)) != XJ_OK) {
        snprintf(e->errmsg, sizeof e->errmsg, "%s", xj_index_errmsg(e->idx));
        goto out;
    }

    fputs("record_id,decision,student_number,matched_student_number,score,reasons\n", out);
    batch_run br = {e, &m, opts, stats, out, cm, fp, done_before, 0, t0};
    /* A pipeline of two chunks: while one thread finishes chunk k in input
     * order, the others judge chunk k + 1, whose verdicts depend only on
     * its rows and the index (the commit is written at the end). */
    chunk *cur = &c[0], *nxt = &c[1];
    long got = chunk_read(cur, r, colidx);
    if (got > 0 && opts->encoding == XJ_CSV_UTF8) {
        /* Every row of the first chunk not UTF-8: the file is in another
         * encoding, which an English header hides. */
        size_t bad = 0;
        for (size_t i = 0; i < cur->n; i++)
            bad += (cur->flags[i] & XJ_CSV_ROW_BAD_UTF8) != 0;
        if (bad == cur->n) {
            snprintf(e->errmsg, sizeof e->errmsg,
                     "no row is UTF-8 (a GB18030 file needs --encoding gb18030)");
            rc = XJ_ERR_ENCODING;
            goto out;
        }
    }
    int jrc = XJ_OK;
    if (got > 0)
        (void)pipeline_step(&br, NULL, cur, threads, workers, &own, &jrc);
    while (got > 0 && jrc == XJ_OK) {
        long next = chunk_read(nxt, r, colidx);
        if ((rc = pipeline_step(&br, cur, next > 0 ? nxt : NULL, threads, workers, &own, &jrc)) !=
            XJ_OK)
            goto out;
        chunk *t = cur;
        cur = nxt;
        nxt = t;
        got = next;
    }
    if (jrc != XJ_OK) {
        rc = jrc;
        snprintf(e->errmsg, sizeof e->errmsg, "%s", xj_index_errmsg(e->idx));
        goto out;
    }
    uint64_t rowno = br.rowno;
    if (got < 0) {
        rc = (int)got;
        snprintf(e->errmsg, sizeof e->errmsg, "line %llu: %s", (unsigned long long)xj_csv_line(r),
                 xj_strerror(rc));
        goto out;
    }
    if (opts->progress)
        fputc('\n', opts->progress);
    if (fflush(out) != 0 || ferror(out)) {
        rc = XJ_ERR_IO;
        snprintf(e->errmsg, sizeof e->errmsg, "cannot write the results file");
        goto out;
    }
    stats->rows = rowno;
    if (opts->commit && !done_before) {
        stats->committed = stats->by_decision[XJ_ASSIGNED_G] + stats->by_decision[XJ_ASSIGNED_J] +
                           stats->by_decision[XJ_REVIEW] + stats->by_decision[XJ_POP_MISMATCH];
        rc = xj_commit_write(cm);
        cm = NULL;
        if (rc != XJ_OK) {
            snprintf(e->errmsg, sizeof e->errmsg, "%s", xj_index_errmsg(e->idx));
            stats->committed = 0;
            goto out;
        }
    }
    rc = XJ_OK;
out:
    xj_commit_abort(cm);
    xj_csv_close(r);
    chunk_free(&c[0]);
    chunk_free(&c[1]);
    memo_free(&m);
    free(own.keys);
    for (int t = 0; workers && t < threads; t++) {
        xj__scratch_free(workers[t].scratch);
        free(workers[t].found);
    }
    free(workers);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    stats->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}
