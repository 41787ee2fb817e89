/*
 * tables.c: building a generator: the configuration and its checks, the
 * county grid weighted by census population, the name pools, the typo and
 * Traditional tables, and the counter-based random functions everything
 * else draws from.
 *
 * Creation runs once per command and costs a few milliseconds; nothing here
 * is on the per-row path except dg_hash, dg_permute and dg_pool_pick.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "datagen_int.h"
#include "xj/normalize.h"

#include "datagen_tables.inc"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One slot unit stands for this many people: Tibet's counties get one unit
 * each, Beijing's districts about 27. */
#define PEOPLE_PER_UNIT 50000.0

/* ---- configuration ------------------------------------------------------ */

static const struct {
    const char *flag, *help;
    double def;
    size_t offset;
} rate_table[] = {
#define RATE_ROW(field, flag, def, help) {flag, help, def, offsetof(xj_datagen_config, field)},
    XJ_DATAGEN_RATE_LIST(RATE_ROW)
#undef RATE_ROW
};

void xj_datagen_config_init(xj_datagen_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->population = 100000;
    cfg->registry = 50000;
    cfg->batch = 5000;
    cfg->seed = 1;
    cfg->school_year = 2024;
    cfg->batch_header_zh = 1;
    cfg->encoding = XJ_CSV_UTF8;
    cfg->chunk_rows = 65536;
    for (size_t i = 0; i < COUNT(rate_table); i++)
        memcpy((char *)cfg + rate_table[i].offset, &rate_table[i].def, sizeof(double));
}

size_t xj_datagen_rate_count(void)
{
    return COUNT(rate_table);
}

void xj_datagen_rate_at(size_t i, const char **flag, double *def, const char **help)
{
    if (i >= COUNT(rate_table))
        return;
    if (flag)
        *flag = rate_table[i].flag;
    if (def)
        *def = rate_table[i].def;
    if (help)
        *help = rate_table[i].help;
}

int xj_datagen_set_rate(xj_datagen_config *cfg, const char *flag, const char *value)
{
    for (size_t i = 0; i < COUNT(rate_table); i++) {
        if (strcmp(flag, rate_table[i].flag) != 0)
            continue;
        char *end = NULL;
        double v = strtod(value, &end);
        if (end == value || *end != '\0' || !(v >= 0.0 && v <= 1.0))
            return XJ_ERR_ARG;
        memcpy((char *)cfg + rate_table[i].offset, &v, sizeof v);
        return XJ_OK;
    }
    return XJ_ERR_NOT_FOUND;
}

static const char *const file_names[XJ_DATAGEN_NFILES] = {"population.csv", "registry.csv",
                                                          "batch.csv", "truth.csv"};

const char *xj_datagen_file_name(xj_datagen_file file)
{
    return (unsigned)file < XJ_DATAGEN_NFILES ? file_names[file] : "";
}

int xj_datagen_file_parse(const char *shortname, xj_datagen_file *out)
{
    for (unsigned i = 0; i < XJ_DATAGEN_NFILES; i++) {
        size_t n = strlen(file_names[i]) - 4; /* without ".csv" */
        if (strncmp(shortname, file_names[i], n) == 0 &&
            (shortname[n] == '\0' || strcmp(shortname + n, ".csv") == 0)) {
            *out = (xj_datagen_file)i;
            return XJ_OK;
        }
    }
    return XJ_ERR_ARG;
}

/* ---- randomness ----------------------------------------------------------- */

uint64_t dg_hash(const xj_datagen *g, unsigned domain, uint64_t index, unsigned field)
{
    uint64_t key[2] = {index, ((uint64_t)domain << 32) | field};
    return XXH3_64bits_withSeed(key, sizeof key, g->cfg.seed);
}

/* A balanced Feistel network over the smallest even number of bits that
 * covers n, walked until the value falls inside [0, n): a bijection of
 * [0, n) for any n, so that persons can be spread over the identity grid
 * without two of them ever sharing a slot. */
uint64_t dg_permute(uint64_t key, uint64_t x, uint64_t n)
{
    if (n <= 1)
        return 0;
    unsigned bits = 64u - (unsigned)__builtin_clzll(n - 1);
    if (bits < 2)
        bits = 2;
    bits += bits & 1u;
    unsigned half = bits / 2;
    uint64_t mask = (half >= 64) ? ~0ull : ((1ull << half) - 1);
    do {
        uint64_t l = x >> half, r = x & mask;
        for (uint64_t round = 0; round < 4; round++) {
            uint64_t f = XXH3_64bits_withSeed(&r, sizeof r, key + round * 0x9E3779B97F4A7C15ull);
            uint64_t t = l ^ (f & mask);
            l = r;
            r = t;
        }
        x = (l << half) | r;
    } while (x >= n);
    return x;
}

const char *dg_pool_pick(const dg_pool *pool, uint64_t h)
{
    uint64_t total = pool->cum[pool->n - 1];
    uint64_t r = (uint64_t)(((unsigned __int128)h * total) >> 64);
    uint32_t lo = 0, hi = pool->n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (pool->cum[mid] > r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return pool->text[lo];
}

/* ---- building ------------------------------------------------------------ */

static int pool_add(dg_pool *pool, const char *text, double weight)
{
    const char **t = realloc(pool->text, (pool->n + 1) * sizeof *t);
    if (!t)
        return XJ_ERR_NOMEM;
    pool->text = t;
    uint64_t *c = realloc(pool->cum, (pool->n + 1) * sizeof *c);
    if (!c)
        return XJ_ERR_NOMEM;
    pool->cum = c;
    /* Weights are kept to a thousandth so that 0.4 (尉迟, in 10,000s) counts. */
    uint64_t w = (uint64_t)llround(weight * 1000.0);
    if (w == 0)
        w = 1;
    pool->text[pool->n] = text;
    pool->cum[pool->n] = (pool->n ? pool->cum[pool->n - 1] : 0) + w;
    pool->n++;
    return XJ_OK;
}

static void pool_free(dg_pool *pool)
{
    free(pool->text);
    free(pool->cum);
}

static int style_of(const char *s)
{
    if (strcmp(s, "uyghur") == 0)
        return DG_STYLE_UYGHUR;
    if (strcmp(s, "kazakh") == 0)
        return DG_STYLE_KAZAKH;
    if (strcmp(s, "tibetan") == 0)
        return DG_STYLE_TIBETAN;
    return DG_STYLE_HAN;
}

static int prov_num(const char *code)
{
    return (code[0] - '0') * 10 + (code[1] - '0');
}

static int utf8_cp(const char **s, uint32_t *cp)
{
    size_t adv = 1;
    int32_t c = xj_utf8_decode((const unsigned char *)*s, strlen(*s), &adv);
    *s += adv;
    if (c < 0)
        return -1;
    *cp = (uint32_t)c;
    return 0;
}

static int cmp_typo(const void *a, const void *b)
{
    const dg_typo_entry *x = a, *y = b;
    if (x->cp != y->cp)
        return x->cp < y->cp ? -1 : 1;
    return (int)x->group - (int)y->group;
}

static int build_typos(xj_datagen *g)
{
    size_t cap = 0;
    for (size_t i = 0; i < COUNT(dg_typo); i++)
        cap += strlen(dg_typo[i].group) / 3 + 1;
    g->typos = calloc(cap, sizeof *g->typos);
    g->typo_groups = calloc(COUNT(dg_typo), sizeof *g->typo_groups);
    if (!g->typos || !g->typo_groups)
        return XJ_ERR_NOMEM;
    for (size_t i = 0; i < COUNT(dg_typo); i++) {
        g->typo_groups[i] = dg_typo[i].group;
        const char *s = dg_typo[i].group;
        uint32_t cp;
        while (*s && g->ntypos < cap) {
            if (utf8_cp(&s, &cp) < 0)
                continue;
            g->typos[g->ntypos].cp = cp;
            g->typos[g->ntypos].group = (uint16_t)i;
            g->typos[g->ntypos].sound = strcmp(dg_typo[i].kind, "sound") == 0;
            g->ntypos++;
        }
    }
    qsort(g->typos, g->ntypos, sizeof *g->typos, cmp_typo);
    return XJ_OK;
}

typedef struct trad_pair {
    uint32_t cp;
    const char *text;
} trad_pair;

static int cmp_trad(const void *a, const void *b)
{
    const trad_pair *x = a, *y = b;
    return x->cp < y->cp ? -1 : x->cp > y->cp;
}

static int build_trad(xj_datagen *g)
{
    size_t n = COUNT(dg_traditional);
    trad_pair *pairs = calloc(n, sizeof *pairs);
    g->trad_simp = calloc(n, sizeof *g->trad_simp);
    g->trad_text = calloc(n, sizeof *g->trad_text);
    if (!pairs || !g->trad_simp || !g->trad_text) {
        free(pairs);
        return XJ_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const char *s = dg_traditional[i].simplified;
        utf8_cp(&s, &pairs[i].cp);
        pairs[i].text = dg_traditional[i].traditional;
    }
    qsort(pairs, n, sizeof *pairs, cmp_trad);
    for (size_t i = 0; i < n; i++) {
        if (g->ntrad && g->trad_simp[g->ntrad - 1] == pairs[i].cp)
            continue;
        g->trad_simp[g->ntrad] = pairs[i].cp;
        g->trad_text[g->ntrad] = pairs[i].text;
        g->ntrad++;
    }
    free(pairs);
    return XJ_OK;
}

static int build_names(xj_datagen *g)
{
    int rc = XJ_OK;
    for (size_t i = 0; i < COUNT(dg_surname) && rc == XJ_OK; i++)
        rc = pool_add(&g->surnames, dg_surname[i].text, dg_surname[i].weight);
    for (size_t i = 0; i < COUNT(dg_given) && rc == XJ_OK; i++) {
        const dg_row_given *r = &dg_given[i];
        int adult = strcmp(r->era, "adult") == 0;
        int whole = strlen(r->text) > 3; /* more than one 3-byte character */
        for (int female = 0; female < 2 && rc == XJ_OK; female++) {
            if (r->sex[0] == (female ? 'M' : 'F'))
                continue;
            rc = pool_add(&g->given[adult][female][whole], r->text, r->weight);
        }
    }
    for (size_t i = 0; i < COUNT(dg_minority_name) && rc == XJ_OK; i++) {
        const dg_row_minority_name *r = &dg_minority_name[i];
        int k = r->sex[0] == 'M' ? 0 : r->sex[0] == 'F' ? 1 : 2;
        rc = pool_add(&g->minority[style_of(r->style)][k], r->text, 1.0);
    }
    if (rc != XJ_OK)
        return rc;
    /* Tibetan names have no father's part; Kazakh and Uyghur ones borrow
     * missing pools from each other so that no pool is ever empty. */
    for (int s = 1; s < DG_NSTYLES; s++)
        for (int k = 0; k < 3; k++)
            if (g->minority[s][k].n == 0) {
                const dg_pool *from = &g->minority[DG_STYLE_UYGHUR][k];
                for (uint32_t i = 0; i < from->n && rc == XJ_OK; i++)
                    rc = pool_add(&g->minority[s][k], from->text[i], 1.0);
            }
    return rc;
}

static void build_ethnic_mix(xj_datagen *g)
{
    for (int p = 0; p < 100; p++) {
        dg_ethmix *e = &g->eth[p];
        unsigned sum = 0;
        for (size_t i = 0; i < COUNT(dg_minority) && e->n < DG_MAX_ETH - 1; i++) {
            int rp = prov_num(dg_minority[i].prov);
            if (rp != 0 && rp != p)
                continue;
            sum += (unsigned)dg_minority[i].permille;
            e->cum[e->n] = (uint16_t)sum;
            e->ethnicity[e->n] = dg_minority[i].ethnicity;
            e->style[e->n] = (uint8_t)style_of(dg_minority[i].style);
            e->n++;
        }
        e->cum[e->n] = 1000;
        e->ethnicity[e->n] = "汉族";
        e->style[e->n] = DG_STYLE_HAN;
        e->n++;
    }
}

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static uint32_t civil_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    return (uint32_t)(y * 10000 + m * 100 + d);
}

static int build_dates(xj_datagen *g)
{
    /* Grades 12 .. 1 of school year Y were born from (Y-18)-09-01 to
     * (Y-6)-08-31: every person of the synthetic nation is of school age. */
    int y = g->cfg.school_year;
    int64_t first = days_from_civil(y - 18, 9, 1), last = days_from_civil(y - 6, 8, 31);
    g->ndates = (uint32_t)(last - first + 1);
    g->dates = calloc(g->ndates, sizeof *g->dates);
    if (!g->dates)
        return XJ_ERR_NOMEM;
    for (uint32_t i = 0; i < g->ndates; i++)
        g->dates[i] = civil_from_days(first + i);
    g->first_birth = g->dates[0];
    return XJ_OK;
}

static int build_counties(xj_datagen *g, char *err, size_t errlen)
{
    size_t n = xj_region_count();
    g->counties = calloc(n ? n : 1, sizeof *g->counties);
    if (!g->counties)
        return XJ_ERR_NOMEM;
    double prov_pop[100] = {0};
    for (size_t i = 0; i < COUNT(dg_province); i++)
        prov_pop[prov_num(dg_province[i].code2)] = dg_province[i].population;
    for (size_t i = 0; i < n; i++) {
        const char *code = NULL, *name = NULL;
        int current = 0;
        if (xj_region_at(i, &code, &name, &current) != XJ_OK || !code || !current)
            continue;
        /* County-level codes only: not provinces or prefectures (..00), not
         * the old "市辖区" placeholders, and only the 31 census provinces. */
        if (strlen(code) != 6 || (code[4] == '0' && code[5] == '0'))
            continue;
        if (name && strstr(name, "市辖区"))
            continue;
        int p = prov_num(code);
        if (p < 0 || p > 99 || prov_pop[p] <= 0)
            continue;
        dg_county *c = &g->counties[g->ncounties++];
        memcpy(c->code, code, 6);
        c->prov = (uint8_t)p;
    }
    if (g->ncounties == 0) {
        snprintf(err, errlen, "the division-code table is empty (normalize/ region table)");
        return XJ_ERR_ARG;
    }
    for (uint32_t i = 0; i < g->ncounties; i++) {
        int p = g->counties[i].prov;
        if (g->prov_count[p] == 0)
            g->prov_first[p] = i;
        g->prov_count[p]++;
    }
    for (uint32_t i = 0; i < g->ncounties; i++) {
        dg_county *c = &g->counties[i];
        double share = prov_pop[c->prov] / g->prov_count[c->prov] / PEOPLE_PER_UNIT;
        c->units = share < 1.0 ? 1u : (uint32_t)llround(share);
        c->unit_start = (uint32_t)g->units;
        g->units += c->units;
    }
    return XJ_OK;
}

static uint32_t max_units(const xj_datagen *g)
{
    uint32_t m = 1;
    for (uint32_t i = 0; i < g->ncounties; i++)
        if (g->counties[i].units > m)
            m = g->counties[i].units;
    return m;
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
    return b ? (a + b - 1) / b : 0;
}

/* Rows of each kind among the first n registry rows (256-row blocks:
 * 251 G, 1 L, 4 J). */
static uint64_t g_rows_of(uint64_t n)
{
    uint64_t r = n % 256;
    return 251 * (n / 256) + (r < 251 ? r : 251);
}

static uint64_t j_rows_of(uint64_t n)
{
    uint64_t r = n % 256;
    return 4 * (n / 256) + (r > 252 ? r - 252 : 0);
}

static int layout(xj_datagen *g, char *err, size_t errlen)
{
    const xj_datagen_config *c = &g->cfg;
    if (c->population < c->registry + c->batch) {
        snprintf(err, errlen,
                 "--population %llu is too small: the registry (%llu) and every batch row (%llu) "
                 "need a person of their own, so population must be at least %llu",
                 (unsigned long long)c->population, (unsigned long long)c->registry,
                 (unsigned long long)c->batch, (unsigned long long)(c->registry + c->batch));
        return XJ_ERR_ARG;
    }
    if (c->registry + c->batch >= 1000000000ull) {
        snprintf(err, errlen, "--registry plus --batch must stay below 1,000,000,000");
        return XJ_ERR_ARG;
    }
    double sum = c->batch_dup_rate + c->dup_rate + c->review_rate + c->invalid_rate +
                 c->pop_missing_rate + c->pop_mismatch_rate + c->j_rate + c->former_rate +
                 c->twin_rate + c->namesake_rate;
    if (sum > 1.0) {
        snprintf(err, errlen, "the batch category rates add up to %.3f, more than 1", sum);
        return XJ_ERR_ARG;
    }
    if (c->chunk_rows == 0 || c->school_year < 1990 || c->school_year > 2100) {
        snprintf(err, errlen, "bad chunk size or school year");
        return XJ_ERR_ARG;
    }
    g->slots = g->units * g->ndates;
    uint64_t pairs = div_up(c->population + c->batch, 2);
    g->res_groups = div_up(pairs, g->slots);
    g->j_groups = div_up(c->registry + c->batch, g->slots);
    if (g->res_groups == 0)
        g->res_groups = 1;
    if (g->j_groups == 0)
        g->j_groups = 1;
    /* Each group of a slot holds 8 sequence numbers; the highest sequence
     * number of a county is 8 * units * groups, and must fit three digits
     * (J numbers keep 500..999 for the permit holders). */
    uint64_t w = max_units(g);
    if (8 * w * g->res_groups > 999 || 8 * w * g->j_groups > 496) {
        snprintf(err, errlen,
                 "--population %llu is more than the division table can hold with unique "
                 "sequence numbers",
                 (unsigned long long)c->population);
        return XJ_ERR_ARG;
    }
    g->key_pair = dg_hash(g, D_FEISTEL, 1, F_SLOT);
    g->key_odd = dg_hash(g, D_FEISTEL, 2, F_SLOT);
    g->key_j = dg_hash(g, D_FEISTEL, 3, F_SLOT);
    g->key_hmt = dg_hash(g, D_FEISTEL, 4, F_SLOT);
    g->key_pass = dg_hash(g, D_FEISTEL, 5, F_SLOT);
    g->key_target_g = dg_hash(g, D_FEISTEL, 6, F_SLOT);
    g->key_target_j = dg_hash(g, D_FEISTEL, 7, F_SLOT);

    g->even_persons = div_up(c->population, 2);
    g->reg_even = c->registry < g->even_persons ? c->registry : g->even_persons;
    g->reg_odd = c->registry - g->reg_even;
    g->unreg_odd = c->population / 2 - g->reg_odd;
    g->g_rows = g_rows_of(c->registry);
    g->j_rows = j_rows_of(c->registry);
    g->hmt_cap = (uint64_t)g->ndates * 500;
    g->hmt_batch_base = c->registry / 2048 + 1;

    double fj = c->dup_rate * DG_DUP_J_SHARE + c->review_rate * DG_REVIEW_J_SHARE;
    g->jt_mod = 0;
    if (fj > 0) {
        double m = floor(1.0 / fj + 0.5);
        g->jt_mod = m < 2 ? 2 : (uint64_t)m;
    }
    double rates[] = {c->batch_dup_rate,
                      c->dup_rate * (1 - DG_DUP_J_SHARE),
                      c->review_rate * (1 - DG_REVIEW_J_SHARE),
                      c->invalid_rate,
                      c->pop_missing_rate,
                      c->pop_mismatch_rate,
                      c->j_rate,
                      c->former_rate,
                      c->twin_rate,
                      c->namesake_rate};
    double acc = 0;
    for (size_t i = 0; i < COUNT(rates); i++) {
        acc += rates[i];
        g->cum_rate[i] = acc;
    }
    return XJ_OK;
}

int xj_datagen_create(const xj_datagen_config *cfg, xj_datagen **out, char *err, size_t errlen)
{
    if (!cfg || !out)
        return XJ_ERR_ARG;
    *out = NULL;
    char dummy[8];
    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    xj_datagen *g = calloc(1, sizeof *g);
    if (!g)
        return XJ_ERR_NOMEM;
    g->cfg = *cfg;
    int rc = build_dates(g);
    if (rc == XJ_OK)
        rc = build_counties(g, err, errlen);
    if (rc == XJ_OK)
        rc = build_names(g);
    if (rc == XJ_OK)
        rc = build_typos(g);
    if (rc == XJ_OK)
        rc = build_trad(g);
    if (rc == XJ_OK) {
        build_ethnic_mix(g);
        rc = layout(g, err, errlen);
    }
    if (rc != XJ_OK) {
        if (rc == XJ_ERR_NOMEM)
            snprintf(err, errlen, "out of memory");
        xj_datagen_free(g);
        return rc;
    }
    *out = g;
    return XJ_OK;
}

void xj_datagen_free(xj_datagen *g)
{
    if (!g)
        return;
    free(g->counties);
    free(g->dates);
    pool_free(&g->surnames);
    for (int a = 0; a < 2; a++)
        for (int f = 0; f < 2; f++)
            for (int w = 0; w < 2; w++)
                pool_free(&g->given[a][f][w]);
    for (int s = 0; s < DG_NSTYLES; s++)
        for (int k = 0; k < 3; k++)
            pool_free(&g->minority[s][k]);
    free(g->typos);
    free(g->typo_groups);
    free(g->trad_simp);
    free(g->trad_text);
    free(g);
}

uint64_t xj_datagen_rows(const xj_datagen *g, xj_datagen_file file)
{
    switch (file) {
    case XJ_DATAGEN_POPULATION:
        return g->cfg.population;
    case XJ_DATAGEN_REGISTRY:
        return g->cfg.registry;
    case XJ_DATAGEN_BATCH:
    case XJ_DATAGEN_TRUTH:
        return g->cfg.batch;
    default:
        return 0;
    }
}
