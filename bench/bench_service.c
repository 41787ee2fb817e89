/*
 * bench_service.c: `xueji bench single`, the latency of the single-record
 * check in process (xj_engine_judge on an open index), one record at a time.
 *
 * Workload: the rows of a batch file, each judged alone, in file order, on
 * one thread: what `xueji serve` does per request minus HTTP and JSON.  The
 * rows are read into memory first (not timed); a few rows are judged first
 * without being timed so that the figures describe a running service, not
 * a cold start; each timed call is measured on its own with the monotonic
 * clock.  The target is p99 <= 1 ms against a 10M-record index.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xj/bench.h"
#include "xj/common.h"
#include "xj/engine.h"

/* One row kept in memory: its fields side by side in one block. */
typedef struct kept_row {
    char *text;
    xj_input in;
} kept_row;

static int keep_row(kept_row *k, const xj_slice *f, size_t nf, const int *index, unsigned flags)
{
    size_t total = 0;
    for (size_t c = 0; c < XJ_BATCH_NCOLUMNS; c++)
        if (index[c] >= 0 && (size_t)index[c] < nf)
            total += f[index[c]].len + 1;
    memset(k, 0, sizeof *k);
    k->text = malloc(total + 1);
    if (!k->text)
        return XJ_ERR_NOMEM;
    size_t o = 0;
    for (size_t c = 0; c < XJ_BATCH_NCOLUMNS; c++) {
        xj_slice *dst = xj_input_column(&k->in, c);
        dst->ptr = k->text + o;
        dst->len = 0;
        if (index[c] < 0 || (size_t)index[c] >= nf)
            continue;
        const xj_slice *src = &f[index[c]];
        memcpy(k->text + o, src->ptr, src->len);
        dst->len = src->len;
        o += src->len;
        k->text[o++] = '\0';
    }
    k->in.csv_flags = flags;
    return XJ_OK;
}

/* Reads up to max data rows of a batch file.  Returns the count, or -1. */
static long read_batch(const char *path, size_t max, kept_row *rows)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "xueji bench single: cannot read %s\n", path);
        return -1;
    }
    xj_csv_reader *r = NULL;
    long n = -1;
    if (xj_csv_open(fp, XJ_CSV_UTF8, &r) != XJ_OK)
        goto done;
    const xj_slice *f;
    size_t nf;
    if (xj_csv_next(r, &f, &nf) != 1)
        goto done;
    int index[XJ_BATCH_NCOLUMNS];
    const xj_csv_column *missing = NULL;
    if (xj_csv_map_header(f, nf, xj_batch_columns, XJ_BATCH_NCOLUMNS, index, &missing) != XJ_OK) {
        fprintf(stderr, "xueji bench single: %s lacks the column %s\n", path,
                missing ? missing->en : "?");
        goto done;
    }
    n = 0;
    while ((size_t)n < max) {
        int rc = xj_csv_next(r, &f, &nf);
        if (rc == 0)
            break;
        if (rc < 0 || keep_row(&rows[n], f, nf, index, xj_csv_row_flags(r)) != XJ_OK) {
            fprintf(stderr, "xueji bench single: %s: %s\n", path, xj_strerror(rc < 0 ? rc : 0));
            for (long i = 0; i < n; i++)
                free(rows[i].text);
            n = -1;
            break;
        }
        n++;
    }
done:
    xj_csv_close(r);
    fclose(fp);
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void usage(FILE *fp)
{
    fprintf(fp, "usage: xueji bench single --db DIR --batch BATCH.csv [--count N] [--warmup W]\n"
                "                          [--block-cache MB]\n"
                "\n"
                "Judges the first N rows of a batch (default 10000) one by one in process, after\n"
                "W rows judged untimed (default 500), with a block cache of MB (default none),\n"
                "and prints one JSON object:\n"
                "  {\"bench\":\"single\",\"index_records\",\"checks\",\"mean_us\",\"p50_us\",\n"
                "   \"p99_us\",...}\n");
}

int xj_bench_single(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"batch", required_argument, NULL, 'b'},
        {"count", required_argument, NULL, 'n'},
        {"warmup", required_argument, NULL, 'w'},
        {"block-cache", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *batch = NULL;
    long count = 10000, warmup = 500, cache_mb = 0;
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'd':
            db = optarg;
            break;
        case 'b':
            batch = optarg;
            break;
        case 'n':
            count = strtol(optarg, &end, 10);
            if (*end || count < 1 || count > 100000000) {
                fprintf(stderr, "xueji bench single: --count takes 1 to 100000000\n");
                return XJ_EXIT_USAGE;
            }
            break;
        case 'w':
            warmup = strtol(optarg, &end, 10);
            if (*end || warmup < 0 || warmup > 100000000) {
                fprintf(stderr, "xueji bench single: --warmup takes 0 to 100000000\n");
                return XJ_EXIT_USAGE;
            }
            break;
        case 'c':
            cache_mb = strtol(optarg, &end, 10);
            if (*end || cache_mb < 8 || cache_mb > (1L << 20)) {
                fprintf(stderr, "xueji bench single: --block-cache takes megabytes, 8 or more\n");
                return XJ_EXIT_USAGE;
            }
            break;
        case 'h':
            usage(stdout);
            return XJ_EXIT_OK;
        default:
            usage(stderr);
            return XJ_EXIT_USAGE;
        }
    }
    if (!db || !batch) {
        usage(stderr);
        return XJ_EXIT_USAGE;
    }

    size_t want = (size_t)(count + warmup);
    kept_row *rows = calloc(want, sizeof *rows);
    double *lat = calloc((size_t)count, sizeof *lat);
    xj_verdict *v = malloc(sizeof *v);
    if (!rows || !lat || !v) {
        free(rows);
        free(lat);
        free(v);
        return XJ_EXIT_DB;
    }
    long nrows = read_batch(batch, want, rows);
    if (nrows <= 0) {
        free(rows);
        free(lat);
        free(v);
        return XJ_EXIT_INPUT;
    }

    xj_index_options io;
    xj_index_options_init(&io);
    io.create_if_missing = 0;
    io.read_only = 1;
    io.prefault = 1; /* as xueji serve opens it */
    if (cache_mb)
        io.block_cache_bytes = (size_t)cache_mb << 20;
    xj_index *idx = NULL;
    xj_engine *e = NULL;
    xj_engine_options eo;
    xj_engine_options_init(&eo);
    eo.threads = 1;
    int exit_code = XJ_EXIT_OK;
    int rc = xj_index_open(db, &io, &idx);
    if (rc == XJ_OK)
        rc = xj_engine_open(idx, &eo, &e);
    if (rc != XJ_OK) {
        fprintf(stderr, "xueji bench single: index %s: %s\n", db,
                idx ? xj_index_errmsg(idx) : xj_strerror(rc));
        exit_code = XJ_EXIT_DB;
        goto done;
    }
    xj_index_stats st;
    memset(&st, 0, sizeof st);
    xj_index_get_stats(idx, &st);

    /* Untimed rows first; when the file is short, the timed rows wrap
     * around to its start. */
    long w = warmup < nrows ? warmup : 0;
    for (long i = 0; i < w; i++)
        if ((rc = xj_engine_judge(e, &rows[i].in, v)) != XJ_OK)
            break;
    long timed = 0;
    double total = 0;
    for (long i = 0; rc == XJ_OK && i < count; i++) {
        long r = w + i < nrows ? w + i : (w + i) % nrows;
        double t0 = now_us();
        rc = xj_engine_judge(e, &rows[r].in, v);
        lat[i] = now_us() - t0;
        total += lat[i];
        timed++;
    }
    if (rc != XJ_OK) {
        fprintf(stderr, "xueji bench single: %s\n",
                xj_engine_errmsg(e)[0] ? xj_engine_errmsg(e) : xj_strerror(rc));
        exit_code = XJ_EXIT_DB;
        goto done;
    }
    qsort(lat, (size_t)timed, sizeof *lat, cmp_double);
    size_t n = (size_t)timed;
    printf("{\"bench\":\"single\",\"index_records\":%llu,\"index_persons\":%llu,"
           "\"block_cache_mb\":%ld,\"checks\":%zu,\"distinct_rows\":%ld,\"warmup\":%ld,"
           "\"mean_us\":%.1f,"
           "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,"
           "\"checks_per_sec\":%.0f}\n",
           (unsigned long long)st.records, (unsigned long long)st.persons, cache_mb, n, nrows - w,
           w, total / (double)n, lat[n / 2], lat[n * 90 / 100], lat[n * 99 / 100],
           lat[n * 999 / 1000], lat[n - 1], total > 0 ? (double)n * 1e6 / total : 0.0);
done:
    xj_engine_close(e);
    xj_index_close(idx);
    for (long i = 0; i < nrows; i++)
        free(rows[i].text);
    free(rows);
    free(lat);
    free(v);
    return exit_code;
}
