/*
 * gather.c: candidates, population persons and name frequencies for a group
 * of prepared rows, fetched from the index in a handful of grouped lookups
 * (MultiGet) rather than one lookup per row and key.
 *
 * Candidates come, in this order of trust, from: the row's own resident ID;
 * the corrections of a mistyped ID (one digit substituted or two swapped);
 * the blocking keys, most specific first.  At most ROW_CAND_MAX distinct
 * records per row are fetched; postings longer than POSTING_TAKE contribute
 * their first entries only, since a key that common blocks little.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

#define ID_TAKE      4  /* registry records per resident ID (normally one) */
#define POSTING_TAKE 24 /* record keys read per blocking key */

/* The per-row list of candidate keys, deduplicated in arrival order. */
typedef struct cand_keys {
    size_t n;
    xj_reckey k[ROW_CAND_MAX];
} cand_keys;

static void add_key(cand_keys *ck, const xj_reckey *key)
{
    if (ck->n >= ROW_CAND_MAX)
        return;
    for (size_t i = 0; i < ck->n; i++)
        if (memcmp(ck->k[i].b, key->b, sizeof key->b) == 0)
            return;
    ck->k[ck->n++] = *key;
}

uint64_t xj__population_size(xj_engine *e)
{
    xj_index_stats st;
    if (xj_index_get_stats(e->idx, &st) != XJ_OK)
        return 0;
    return st.persons + st.records;
}

struct xj_scratch {
    size_t cap; /* rows */
    char (*ids)[19];
    size_t *id_row;
    xj_reckey *id_hits;
    size_t *id_count;
    xj_block_key *blocks;
    size_t *block_row;
    xj_reckey *post;
    size_t *post_count;
    uint64_t *post_total;
    char (*pids)[19];
    size_t *pid_row;
    xj_person *persons;
    int *pfound;
    const char **names, **pinyins;
    uint64_t *nfreq, *pfreq;
    cand_keys *ck;
    xj_reckey *rkeys;
    size_t *rrow;
    xj_record *recs;
    int *rfound;
    unsigned char *need; /* FREQ_* per row */
};

void xj__scratch_free(xj_scratch *s)
{
    if (!s)
        return;
    free(s->ids);
    free(s->id_row);
    free(s->id_hits);
    free(s->id_count);
    free(s->blocks);
    free(s->block_row);
    free(s->post);
    free(s->post_count);
    free(s->post_total);
    free(s->pids);
    free(s->pid_row);
    free(s->persons);
    free(s->pfound);
    free(s->names);
    free(s->pinyins);
    free(s->nfreq);
    free(s->pfreq);
    free(s->ck);
    free(s->rkeys);
    free(s->rrow);
    free(s->recs);
    free(s->rfound);
    free(s->need);
    free(s);
}

xj_scratch *xj__scratch_new(size_t n)
{
    xj_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    size_t max_ids = n * (1 + ROW_SUGGEST_MAX), max_blocks = n * XJ_BLOCK_KEYS_MAX;
    s->cap = n;
    s->ids = malloc(max_ids * sizeof *s->ids);
    s->id_row = malloc(max_ids * sizeof *s->id_row);
    s->id_hits = malloc(max_ids * ID_TAKE * sizeof *s->id_hits);
    s->id_count = malloc(max_ids * sizeof *s->id_count);
    s->blocks = malloc(max_blocks * sizeof *s->blocks);
    s->block_row = malloc(max_blocks * sizeof *s->block_row);
    s->post = malloc(max_blocks * POSTING_TAKE * sizeof *s->post);
    s->post_count = malloc(max_blocks * sizeof *s->post_count);
    s->post_total = malloc(max_blocks * sizeof *s->post_total);
    s->pids = malloc(n * sizeof *s->pids);
    s->pid_row = malloc(n * sizeof *s->pid_row);
    s->persons = malloc(n * sizeof *s->persons);
    s->pfound = malloc(n * sizeof *s->pfound);
    s->names = malloc(n * sizeof *s->names);
    s->pinyins = malloc(n * sizeof *s->pinyins);
    s->nfreq = malloc(n * sizeof *s->nfreq);
    s->pfreq = malloc(n * sizeof *s->pfreq);
    s->ck = malloc(n * sizeof *s->ck);
    s->rkeys = malloc(n * ROW_CAND_MAX * sizeof *s->rkeys);
    s->rrow = malloc(n * ROW_CAND_MAX * sizeof *s->rrow);
    s->recs = malloc(n * ROW_CAND_MAX * sizeof *s->recs);
    s->rfound = malloc(n * ROW_CAND_MAX * sizeof *s->rfound);
    s->need = malloc(n ? n : 1);
    if (!s->ids || !s->id_row || !s->id_hits || !s->id_count || !s->blocks || !s->block_row ||
        !s->post || !s->post_count || !s->post_total || !s->pids || !s->pid_row || !s->persons ||
        !s->pfound || !s->names || !s->pinyins || !s->nfreq || !s->pfreq || !s->ck || !s->rkeys ||
        !s->rrow || !s->recs || !s->rfound || !s->need) {
        xj__scratch_free(s);
        return NULL;
    }
    return s;
}

int xj__gather(xj_engine *e, xj_row *rows, size_t n, xj_found *found, xj_name_stats *ns,
               xj_scratch *sc)
{
    int rc;
    if (n > sc->cap)
        return XJ_ERR_ARG;
    char(*ids)[19] = sc->ids;
    size_t *id_row = sc->id_row, *id_count = sc->id_count;
    xj_reckey *id_hits = sc->id_hits;
    xj_block_key *blocks = sc->blocks;
    size_t *block_row = sc->block_row, *post_count = sc->post_count;
    xj_reckey *post = sc->post;
    uint64_t *post_total = sc->post_total;
    char(*pids)[19] = sc->pids;
    size_t *pid_row = sc->pid_row;
    xj_person *persons = sc->persons;
    int *pfound = sc->pfound;
    const char **names = sc->names, **pinyins = sc->pinyins;
    uint64_t *nfreq = sc->nfreq, *pfreq = sc->pfreq;
    cand_keys *ck = sc->ck;
    xj_reckey *rkeys = sc->rkeys;
    size_t *rrow = sc->rrow;
    xj_record *recs = sc->recs;
    int *rfound = sc->rfound;
    memset(ck, 0, n * sizeof *ck);

    /* 1. What to ask for. */
    size_t nids = 0, nblocks = 0, npids = 0;
    xj_record keyrec;
    for (size_t r = 0; r < n; r++) {
        xj_row *row = &rows[r];
        if (row->id_valid) {
            memcpy(ids[nids], row->rec.id, 19);
            id_row[nids++] = r;
        }
        for (size_t s = 0; s < row->nsuggest; s++) {
            memcpy(ids[nids], row->suggest[s], 19);
            id_row[nids++] = r;
        }
        xj_block_key bk[XJ_BLOCK_KEYS_MAX];
        xj__row_key_record(row, &keyrec);
        size_t nb = xj_index_block_keys(&keyrec, bk);
        /* Kept for the search inside the batch (batch.c), which files rows
         * under the same keys. */
        for (size_t b = 0; b < nb; b++)
            row->blocks[b] = bk[b].hash;
        row->nblocks = (uint8_t)nb;
        /* Without an ID to find it by, a registered child whose given name
         * was typed in the other order is looked up by that order too. */
        if (!row->id_valid && nb < XJ_BLOCK_KEYS_MAX &&
            xj_index_swapped_key(row->fuzzy, keyrec.birth, row->name.surname_chars, &bk[nb]))
            nb++;
        for (size_t b = 0; b < nb; b++) {
            blocks[nblocks] = bk[b];
            block_row[nblocks++] = r;
        }
        if (row->id_usable) {
            memcpy(pids[npids], row->rec.id, 19);
            pid_row[npids++] = r;
        }
    }

    /* 2. The grouped lookups. */
    if ((rc = xj_index_find_by_id(e->idx, (const char(*)[19])ids, nids, ID_TAKE, id_hits,
                                  id_count)) != XJ_OK)
        goto out;
    if ((rc = xj_index_get_postings(e->idx, blocks, nblocks, POSTING_TAKE, post, post_count,
                                    post_total)) != XJ_OK)
        goto out;
    if ((rc = xj_index_get_persons(e->idx, (const char(*)[19])pids, npids, persons, pfound)) !=
        XJ_OK)
        goto out;
    /* 3. Candidate keys per row: ID hits first, then postings in the order
     * xj_index_block_keys gives them. */
    for (size_t i = 0; i < nids; i++)
        for (size_t k = 0; k < id_count[i] && k < ID_TAKE; k++)
            add_key(&ck[id_row[i]], &id_hits[i * ID_TAKE + k]);
    for (size_t i = 0; i < nblocks; i++)
        for (size_t k = 0; k < post_count[i] && k < POSTING_TAKE; k++)
            add_key(&ck[block_row[i]], &post[i * POSTING_TAKE + k]);

    /* Only rows with candidates need their records. */
    size_t nrk = 0;
    for (size_t r = 0; r < n; r++)
        for (size_t k = 0; k < ck[r].n; k++) {
            rkeys[nrk] = ck[r].k[k];
            rrow[nrk++] = r;
        }
    if ((rc = xj_index_get_records(e->idx, rkeys, nrk, recs, rfound)) != XJ_OK)
        goto out;
    /* And only rows with a candidate of the same name or reading need the
     * frequencies that weigh that agreement (xj__compare): most candidates
     * share a surname and a birth date, not a name, and skipping the others
     * saves most of these lookups.  A row left without them has them read
     * later if an earlier batch row needs them (batch.c). */
    unsigned char *need = sc->need;
    memset(need, 0, n);
    for (size_t i = 0; i < nrk; i++)
        if (rfound[i])
            need[rrow[i]] =
                (unsigned char)(need[rrow[i]] | xj__freq_needed(&rows[rrow[i]], &recs[i]));
    size_t nnf = 0, npf = 0;
    for (size_t r = 0; r < n; r++) {
        if (need[r] & FREQ_NAME)
            names[nnf++] = rows[r].rec.name;
        if (need[r] & FREQ_PINYIN)
            pinyins[npf++] = rows[r].rec.pinyin;
    }
    if ((rc = xj_index_name_freq(e->idx, names, nnf, nfreq)) != XJ_OK ||
        (rc = xj_index_pinyin_freq(e->idx, pinyins, npf, pfreq)) != XJ_OK)
        goto out;

    /* 4. Hand everything to the rows. */
    uint64_t population = xj__population_size(e);
    for (size_t r = 0, fn = 0, fp = 0; r < n; r++) {
        ns[r].population = population;
        found[r].ncand = 0;
        found[r].has_person = 0;
        ns[r].name_freq = need[r] & FREQ_NAME ? nfreq[fn++] : 0;
        ns[r].pinyin_freq = need[r] & FREQ_PINYIN ? pfreq[fp++] : 0;
        ns[r].have = need[r];
    }
    for (size_t i = 0; i < nrk; i++) {
        xj_found *f = &found[rrow[i]];
        if (rfound[i] && f->ncand < ROW_CAND_MAX)
            f->cand[f->ncand++] = recs[i];
    }
    for (size_t i = 0; i < npids; i++) {
        if (pfound[i]) {
            found[pid_row[i]].has_person = 1;
            found[pid_row[i]].person = persons[i];
        }
    }
    rc = XJ_OK;
out:
    return rc;
}

int xj__name_stats_fill(xj_engine *e, const xj_row *row, xj_name_stats *ns, unsigned need)
{
    const char *name = row->rec.name, *pinyin = row->rec.pinyin;
    int rc = XJ_OK;
    if ((need & FREQ_NAME) && !(ns->have & FREQ_NAME) &&
        (rc = xj_index_name_freq(e->idx, &name, 1, &ns->name_freq)) == XJ_OK)
        ns->have |= FREQ_NAME;
    if (rc == XJ_OK && (need & FREQ_PINYIN) && !(ns->have & FREQ_PINYIN) &&
        (rc = xj_index_pinyin_freq(e->idx, &pinyin, 1, &ns->pinyin_freq)) == XJ_OK)
        ns->have |= FREQ_PINYIN;
    return rc;
}
