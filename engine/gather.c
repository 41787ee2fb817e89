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

int xj__gather(xj_engine *e, xj_row *rows, size_t n, xj_found *found, xj_name_stats *ns)
{
    int rc = XJ_ERR_NOMEM;
    size_t max_ids = n * (1 + ROW_SUGGEST_MAX), max_blocks = n * XJ_BLOCK_KEYS_MAX;
    char(*ids)[19] = malloc(max_ids * sizeof *ids);
    size_t *id_row = malloc(max_ids * sizeof *id_row);
    xj_reckey *id_hits = malloc(max_ids * ID_TAKE * sizeof *id_hits);
    size_t *id_count = malloc(max_ids * sizeof *id_count);
    xj_block_key *blocks = malloc(max_blocks * sizeof *blocks);
    size_t *block_row = malloc(max_blocks * sizeof *block_row);
    xj_reckey *post = malloc(max_blocks * POSTING_TAKE * sizeof *post);
    size_t *post_count = malloc(max_blocks * sizeof *post_count);
    uint64_t *post_total = malloc(max_blocks * sizeof *post_total);
    char(*pids)[19] = malloc(n * sizeof *pids);
    size_t *pid_row = malloc(n * sizeof *pid_row);
    xj_person *persons = malloc(n * sizeof *persons);
    int *pfound = malloc(n * sizeof *pfound);
    const char **names = malloc(n * sizeof *names);
    const char **pinyins = malloc(n * sizeof *pinyins);
    uint64_t *nfreq = malloc(n * sizeof *nfreq), *pfreq = malloc(n * sizeof *pfreq);
    cand_keys *ck = calloc(n, sizeof *ck);
    xj_reckey *rkeys = malloc(n * ROW_CAND_MAX * sizeof *rkeys);
    size_t *rrow = malloc(n * ROW_CAND_MAX * sizeof *rrow);
    xj_record *recs = malloc(n * ROW_CAND_MAX * sizeof *recs);
    int *rfound = malloc(n * ROW_CAND_MAX * sizeof *rfound);
    if (!ids || !id_row || !id_hits || !id_count || !blocks || !block_row || !post || !post_count ||
        !post_total || !pids || !pid_row || !persons || !pfound || !names || !pinyins || !nfreq ||
        !pfreq || !ck || !rkeys || !rrow || !recs || !rfound)
        goto out;

    /* 1. What to ask for. */
    size_t nids = 0, nblocks = 0, npids = 0;
    xj_record keyrec;
    for (size_t r = 0; r < n; r++) {
        const xj_row *row = &rows[r];
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
        for (size_t b = 0; b < nb; b++) {
            blocks[nblocks] = bk[b];
            block_row[nblocks++] = r;
        }
        if (row->id_usable) {
            memcpy(pids[npids], row->rec.id, 19);
            pid_row[npids++] = r;
        }
        names[r] = row->rec.name;
        pinyins[r] = row->rec.pinyin;
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
    if ((rc = xj_index_name_freq(e->idx, names, n, nfreq)) != XJ_OK ||
        (rc = xj_index_pinyin_freq(e->idx, pinyins, n, pfreq)) != XJ_OK)
        goto out;

    /* 3. Candidate keys per row: ID hits first, then postings in the order
     * xj_index_block_keys gives them. */
    for (size_t i = 0; i < nids; i++)
        for (size_t k = 0; k < id_count[i] && k < ID_TAKE; k++)
            add_key(&ck[id_row[i]], &id_hits[i * ID_TAKE + k]);
    for (size_t i = 0; i < nblocks; i++)
        for (size_t k = 0; k < post_count[i] && k < POSTING_TAKE; k++)
            add_key(&ck[block_row[i]], &post[i * POSTING_TAKE + k]);

    size_t nrk = 0;
    for (size_t r = 0; r < n; r++) {
        for (size_t k = 0; k < ck[r].n; k++) {
            rkeys[nrk] = ck[r].k[k];
            rrow[nrk++] = r;
        }
    }
    if ((rc = xj_index_get_records(e->idx, rkeys, nrk, recs, rfound)) != XJ_OK)
        goto out;

    /* 4. Hand everything to the rows. */
    uint64_t population = xj__population_size(e);
    for (size_t r = 0; r < n; r++) {
        ns[r].population = population;
        found[r].ncand = 0;
        found[r].has_person = 0;
        ns[r].name_freq = nfreq[r];
        ns[r].pinyin_freq = pfreq[r];
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
    free(ids);
    free(id_row);
    free(id_hits);
    free(id_count);
    free(blocks);
    free(block_row);
    free(post);
    free(post_count);
    free(post_total);
    free(pids);
    free(pid_row);
    free(persons);
    free(pfound);
    free(names);
    free(pinyins);
    free(nfreq);
    free(pfreq);
    free(ck);
    free(rkeys);
    free(rrow);
    free(recs);
    free(rfound);
    return rc;
}
