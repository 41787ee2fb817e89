/*
 * test_datagen.c: the synthetic nation keeps its promises: byte-identical
 * output for 1 and 2 threads, valid and unique IDs (checked by a MOD 11-2 of
 * our own, not the library's), G/J/L numbers in their formats, one truth row
 * per batch row, every decision of the results contract present at the
 * default rates, batch duplicates pointing backwards, and surnames that are
 * as concentrated as China's.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "xj/datagen.h"

/* ---- helpers --------------------------------------------------------------- */

typedef struct text {
    char *data;
    size_t len;
} text;

static text generate(const xj_datagen_config *cfg, xj_datagen_file f)
{
    xj_datagen *g = NULL;
    char err[256];
    int rc = xj_datagen_create(cfg, &g, err, sizeof err);
    cr_assert_eq(rc, XJ_OK, "create: %s", err);
    text t = {NULL, 0};
    FILE *ms = open_memstream(&t.data, &t.len);
    cr_assert_not_null(ms);
    cr_assert_eq(xj_datagen_write(g, f, ms), XJ_OK);
    fclose(ms);
    xj_datagen_free(g);
    return t;
}

static void small_config(xj_datagen_config *cfg)
{
    xj_datagen_config_init(cfg);
    cfg->population = 20000;
    cfg->registry = 10000;
    cfg->batch = 2000;
    cfg->seed = 42;
}

/* Splits one CSV line (no quoted fields are expected in generated data, but
 * a quoted one is still handled) into at most max fields, in place. */
static size_t split_line(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *w = ++p;
            fields[n++] = w;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                *w++ = *p++;
            }
            if (*p)
                p++;
            *w = '\0';
        } else {
            fields[n++] = p;
            while (*p && *p != ',')
                p++;
        }
        if (*p != ',')
            break;
        *p++ = '\0';
    }
    *p = '\0';
    return n;
}

/* Calls fn for every data line (the header skipped). */
static size_t each_row(text *t, void (*fn)(char **f, size_t n, void *u), void *u)
{
    size_t rows = 0;
    char *save = NULL;
    char *copy = malloc(t->len + 1);
    memcpy(copy, t->data, t->len);
    copy[t->len] = '\0';
    char *line = strtok_r(copy, "\n", &save);
    for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[16];
        size_t n = split_line(line, f, 16);
        fn(f, n, u);
        rows++;
    }
    free(copy);
    return rows;
}

/* GB 11643 MOD 11-2, written here independently of normalize/. */
static int id_valid(const char *id)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    if (strlen(id) != 18)
        return 0;
    int s = 0;
    for (int i = 0; i < 17; i++) {
        if (id[i] < '0' || id[i] > '9')
            return 0;
        s += (id[i] - '0') * w[i];
    }
    return "10X98765432"[s % 11] == id[17];
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- determinism ---------------------------------------------------------- */

Test(datagen, same_bytes_for_one_and_two_threads)
{
    xj_datagen_config cfg;
    small_config(&cfg);
    cfg.chunk_rows = 777; /* many chunks, an uneven last one */
    for (int f = 0; f < XJ_DATAGEN_NFILES; f++) {
        cfg.threads = 1;
        text a = generate(&cfg, (xj_datagen_file)f);
        cfg.threads = 2;
        text b = generate(&cfg, (xj_datagen_file)f);
        cfg.chunk_rows = 65536;
        text c = generate(&cfg, (xj_datagen_file)f);
        cfg.chunk_rows = 777;
        cr_assert_eq(a.len, b.len, "%s: length differs between 1 and 2 threads",
                     xj_datagen_file_name((xj_datagen_file)f));
        cr_assert(memcmp(a.data, b.data, a.len) == 0, "%s differs between 1 and 2 threads",
                  xj_datagen_file_name((xj_datagen_file)f));
        cr_assert(a.len == c.len && memcmp(a.data, c.data, a.len) == 0,
                  "%s depends on the chunk size", xj_datagen_file_name((xj_datagen_file)f));
        free(a.data);
        free(b.data);
        free(c.data);
    }
}

Test(datagen, seed_changes_the_data)
{
    xj_datagen_config cfg;
    small_config(&cfg);
    text a = generate(&cfg, XJ_DATAGEN_POPULATION);
    cfg.seed = 43;
    text b = generate(&cfg, XJ_DATAGEN_POPULATION);
    cr_assert(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);
    free(a.data);
    free(b.data);
}

/* ---- IDs and numbers ------------------------------------------------------ */

typedef struct ids {
    char **v;
    size_t n, bad;
} ids;

static void collect_pop(char **f, size_t n, void *u)
{
    ids *s = u;
    cr_assert_eq(n, 8, "population rows have 8 fields");
    if (!id_valid(f[0]))
        s->bad++;
    s->v[s->n++] = strdup(f[0]);
}

Test(datagen, population_ids_valid_and_unique)
{
    xj_datagen_config cfg;
    small_config(&cfg);
    text t = generate(&cfg, XJ_DATAGEN_POPULATION);
    ids s = {calloc(cfg.population, sizeof(char *)), 0, 0};
    cr_assert_eq(each_row(&t, collect_pop, &s), cfg.population);
    cr_assert_eq(s.bad, 0, "%zu IDs fail MOD 11-2", s.bad);
    qsort(s.v, s.n, sizeof *s.v, cmp_str);
    for (size_t i = 1; i < s.n; i++)
        cr_assert(strcmp(s.v[i - 1], s.v[i]) != 0, "duplicate ID %s", s.v[i]);
    for (size_t i = 0; i < s.n; i++)
        free(s.v[i]);
    free(s.v);
    free(t.data);
}

typedef struct reg_stats {
    size_t g, j, l;
    char **numbers;
    size_t n;
} reg_stats;

static void check_registry(char **f, size_t n, void *u)
{
    reg_stats *s = u;
    cr_assert_eq(n, 14);
    const char *num = f[0], *id = f[5];
    cr_assert_eq(strlen(num), 19, "number %s is not 19 characters", num);
    if (num[0] == 'G') {
        s->g++;
        cr_assert_str_eq(num + 1, id, "G number is not G + ID");
        cr_assert(id_valid(id));
    } else if (num[0] == 'J') {
        s->j++;
        cr_assert(digits(num + 1, 17), "J number %s", num);
        cr_assert(id_valid(num + 1), "J number %s has a wrong check character", num);
        cr_assert(strncmp(f[9], num + 1, 6) == 0,
                  "J number of %s does not carry the school's division", num);
    } else if (num[0] == 'L') {
        s->l++;
        cr_assert(digits(num + 1, 18), "L number %s", num);
    } else {
        cr_assert_fail("unknown number %s", num);
    }
    s->numbers[s->n++] = strdup(num);
}

Test(datagen, registry_numbers)
{
    xj_datagen_config cfg;
    small_config(&cfg);
    text t = generate(&cfg, XJ_DATAGEN_REGISTRY);
    reg_stats s = {0, 0, 0, calloc(cfg.registry, sizeof(char *)), 0};
    cr_assert_eq(each_row(&t, check_registry, &s), cfg.registry);
    cr_assert_gt(s.g, s.j);
    cr_assert_gt(s.j, 0);
    cr_assert_gt(s.l, 0);
    qsort(s.numbers, s.n, sizeof *s.numbers, cmp_str);
    for (size_t i = 1; i < s.n; i++)
        cr_assert(strcmp(s.numbers[i - 1], s.numbers[i]) != 0, "number given twice");
    for (size_t i = 0; i < s.n; i++)
        free(s.numbers[i]);
    free(s.numbers);
    free(t.data);
}

/* ---- truth ----------------------------------------------------------------- */

static const char *const decisions[] = {"ASSIGNED_G",   "ASSIGNED_J", "DUPLICATE",      "REVIEW",
                                        "POP_MISMATCH", "INVALID",    "BATCH_DUPLICATE"};

typedef struct truth_stats {
    size_t seen[7];
    char **ids;
    size_t n;
    size_t bad_backref;
    size_t bad_match;
} truth_stats;

static void check_truth(char **f, size_t n, void *u)
{
    truth_stats *s = u;
    cr_assert_eq(n, 4);
    int k = -1;
    for (int i = 0; i < 7; i++)
        if (strcmp(f[1], decisions[i]) == 0)
            k = i;
    cr_assert_geq(k, 0, "unknown decision %s", f[1]);
    s->seen[k]++;
    cr_assert_gt(strlen(f[3]), 0, "a row without a category");
    if (k == 6) {
        /* The earlier row must already have been seen. */
        int found = 0;
        for (size_t i = 0; i < s->n && !found; i++)
            found = strcmp(s->ids[i], f[2]) == 0;
        if (!found)
            s->bad_backref++;
    } else if (k == 2 || k == 3) {
        if (strlen(f[2]) != 19)
            s->bad_match++;
    } else if (f[2][0]) {
        s->bad_match++;
    }
    s->ids[s->n++] = strdup(f[0]);
}

typedef struct batch_ids {
    char **ids;
    size_t n;
} batch_ids;

static void collect_batch(char **f, size_t n, void *u)
{
    batch_ids *b = u;
    cr_assert_eq(n, 13);
    b->ids[b->n++] = strdup(f[0]);
}

Test(datagen, truth_covers_every_row_and_decision)
{
    xj_datagen_config cfg;
    small_config(&cfg);
    text tb = generate(&cfg, XJ_DATAGEN_BATCH);
    text tt = generate(&cfg, XJ_DATAGEN_TRUTH);
    batch_ids b = {calloc(cfg.batch, sizeof(char *)), 0};
    truth_stats s = {{0}, calloc(cfg.batch, sizeof(char *)), 0, 0, 0};
    cr_assert_eq(each_row(&tb, collect_batch, &b), cfg.batch);
    cr_assert_eq(each_row(&tt, check_truth, &s), cfg.batch, "one truth row per batch row");
    for (size_t i = 0; i < cfg.batch; i++)
        cr_assert_str_eq(b.ids[i], s.ids[i], "truth row %zu is not batch row %zu", i, i);
    for (int i = 0; i < 7; i++)
        cr_assert_gt(s.seen[i], 0, "no %s row at the default rates", decisions[i]);
    cr_assert_eq(s.bad_backref, 0, "a BATCH_DUPLICATE refers to a later or unknown row");
    cr_assert_eq(s.bad_match, 0, "expected_match has the wrong shape");
    /* Monthly batches are mostly new registrations. */
    cr_assert_gt(s.seen[0], cfg.batch * 7 / 10);
    for (size_t i = 0; i < cfg.batch; i++) {
        free(b.ids[i]);
        free(s.ids[i]);
    }
    free(b.ids);
    free(s.ids);
    free(tb.data);
    free(tt.data);
}

/* ---- realism --------------------------------------------------------------- */

typedef struct surname_stats {
    size_t wang_li_zhang, total;
} surname_stats;

static void count_surnames(char **f, size_t n, void *u)
{
    surname_stats *s = u;
    const char *name = f[1];
    if (strstr(name, "\xC2\xB7"))
        return; /* transliterated minority names have no surname */
    s->total++;
    if (strncmp(name, "王", 3) == 0 || strncmp(name, "李", 3) == 0 || strncmp(name, "张", 3) == 0)
        s->wang_li_zhang++;
}

Test(datagen, surname_distribution)
{
    xj_datagen_config cfg;
    xj_datagen_config_init(&cfg);
    cfg.population = 100000;
    cfg.registry = 0;
    cfg.batch = 0;
    text t = generate(&cfg, XJ_DATAGEN_POPULATION);
    surname_stats s = {0, 0};
    each_row(&t, count_surnames, &s);
    double share = (double)s.wang_li_zhang / (double)s.total;
    cr_assert(share > 0.15 && share < 0.25, "王+李+张 hold %.3f of names", share);
    free(t.data);
}

/* ---- configuration --------------------------------------------------------- */

Test(datagen, rejects_sizes_that_do_not_fit)
{
    xj_datagen_config cfg;
    small_config(&cfg);
    cfg.population = cfg.registry + cfg.batch - 1;
    xj_datagen *g = NULL;
    char err[256];
    cr_assert_eq(xj_datagen_create(&cfg, &g, err, sizeof err), XJ_ERR_ARG);
    cr_assert_null(g);
    cr_assert(strstr(err, "population") != NULL, "message: %s", err);
}

Test(datagen, rate_knobs)
{
    xj_datagen_config cfg;
    xj_datagen_config_init(&cfg);
    cr_assert_eq(xj_datagen_set_rate(&cfg, "dup-rate", "0.2"), XJ_OK);
    cr_assert_float_eq(cfg.dup_rate, 0.2, 1e-12);
    cr_assert_eq(xj_datagen_set_rate(&cfg, "dup-rate", "1.5"), XJ_ERR_ARG);
    cr_assert_eq(xj_datagen_set_rate(&cfg, "dup-rate", "x"), XJ_ERR_ARG);
    cr_assert_eq(xj_datagen_set_rate(&cfg, "no-such-rate", "0.1"), XJ_ERR_NOT_FOUND);
    cfg.dup_rate = 0.9;
    cfg.invalid_rate = 0.5;
    xj_datagen *g = NULL;
    cr_assert_eq(xj_datagen_create(&cfg, &g, NULL, 0), XJ_ERR_ARG);
    cr_assert_gt(xj_datagen_rate_count(), 10);
}

Test(datagen, gb18030_output)
{
    xj_datagen_config cfg;
    small_config(&cfg);
    text u = generate(&cfg, XJ_DATAGEN_TRUTH);
    text ub = generate(&cfg, XJ_DATAGEN_BATCH);
    cfg.encoding = XJ_CSV_GB18030;
    text g = generate(&cfg, XJ_DATAGEN_TRUTH);
    text gb = generate(&cfg, XJ_DATAGEN_BATCH);
    /* truth.csv is pure ASCII: identical in both encodings. */
    cr_assert(u.len == g.len && memcmp(u.data, g.data, u.len) == 0);
    /* Chinese characters take two bytes in GB18030 against three in UTF-8. */
    cr_assert_lt(gb.len, ub.len);
    cr_assert(memcmp(gb.data, "\xBC\xC7\xC2\xBC\xBA\xC5", 6) == 0, "header 记录号 in GB18030");
    free(u.data);
    free(ub.data);
    free(g.data);
    free(gb.data);
}
