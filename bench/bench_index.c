/*
 * bench_index.c: `xueji bench index`, the bulk build of the national index
 * from a registry CSV.
 *
 * Workload: data-gen's registry file of N rows (written first, not timed),
 * imported into a fresh index with xj_index_load_registry, which is what
 * `xueji import` does.  The figure of merit is records per second from the
 * first CSV byte to a queryable index, with the bytes the index takes on
 * disk per record and the process's peak resident memory.  The peak
 * includes the generator's tables; scripts/bench_index.sh measures the CLI
 * alone under /usr/bin/time for the README.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xj/bench.h"
#include "xj/datagen.h"
#include "xj/index.h"

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: xueji bench index [--rows N] [--seed S] [--threads N] [--memory MB]\n"
        "                         [--dir DIR] [--keep]\n"
        "\n"
        "Generates a registry of N rows (default 1000000) under DIR (default /tmp),\n"
        "imports it into a fresh index there and prints\n"
        "{\"bench\":\"index\",\"rows\",\"seconds\",\"rows_per_sec\",\"bytes_per_record\",...}.\n"
        "The files are deleted afterwards unless --keep is given.\n");
}

/* Bytes of the regular files under path (one level: a RocksDB directory). */
static uint64_t dir_bytes(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    uint64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char p[1200];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_blocks * 512u;
    }
    closedir(d);
    return total;
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[1200];
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(path);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int xj_bench_index(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"rows", required_argument, NULL, 'n'},    {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'}, {"memory", required_argument, NULL, 'm'},
        {"dir", required_argument, NULL, 'd'},     {"keep", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    unsigned long long rows = 1000000, seed = 1;
    int threads = 0, keep = 0;
    size_t memory = 0;
    const char *base = "/tmp";
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 'n':
            rows = strtoull(optarg, &end, 10);
            break;
        case 's':
            seed = strtoull(optarg, &end, 10);
            break;
        case 't':
            threads = (int)strtol(optarg, &end, 10);
            break;
        case 'm':
            memory = (size_t)strtoull(optarg, &end, 10) << 20;
            break;
        case 'd':
            base = optarg;
            break;
        case 'k':
            keep = 1;
            break;
        case 'h':
            usage(stdout);
            return XJ_EXIT_OK;
        default:
            usage(stderr);
            return XJ_EXIT_USAGE;
        }
        if (end && *end) {
            usage(stderr);
            return XJ_EXIT_USAGE;
        }
    }
    if (rows == 0) {
        usage(stderr);
        return XJ_EXIT_USAGE;
    }

    char dir[600], csv[700], db[700];
    snprintf(dir, sizeof dir, "%s/xj-bench-index-%ld", base, (long)getpid());
    snprintf(csv, sizeof csv, "%s/registry.csv", dir);
    snprintf(db, sizeof db, "%s/db", dir);
    if (mkdir(dir, 0700) != 0) {
        fprintf(stderr, "xueji bench index: cannot create %s\n", dir);
        return XJ_EXIT_INPUT;
    }

    /* The registry, written before the clock starts. */
    xj_datagen_config cfg;
    xj_datagen_config_init(&cfg);
    cfg.registry = rows;
    cfg.batch = 1;
    cfg.population = rows + 1;
    cfg.seed = seed;
    cfg.threads = threads;
    cfg.other_header_zh = 0;
    xj_datagen *g = NULL;
    char err[256] = "";
    int rc = xj_datagen_create(&cfg, &g, err, sizeof err);
    FILE *fp = rc == XJ_OK ? fopen(csv, "wb") : NULL;
    if (fp) {
        rc = xj_datagen_write(g, XJ_DATAGEN_REGISTRY, fp);
        if (fclose(fp) != 0)
            rc = XJ_ERR_IO;
    } else if (rc == XJ_OK) {
        rc = XJ_ERR_IO;
    }
    xj_datagen_free(g);
    if (rc != XJ_OK) {
        fprintf(stderr, "xueji bench index: generating the registry: %s %s\n", xj_strerror(rc),
                err);
        remove_tree(dir);
        return XJ_EXIT_INPUT;
    }
    struct stat cst;
    uint64_t csv_bytes = stat(csv, &cst) == 0 ? (uint64_t)cst.st_size : 0;

    double t0 = now_seconds();
    xj_index *idx = NULL;
    xj_load_stats st;
    memset(&st, 0, sizeof st);
    rc = xj_index_open(db, NULL, &idx);
    FILE *in = rc == XJ_OK ? fopen(csv, "rb") : NULL;
    if (in) {
        xj_load_options lo;
        xj_load_options_init(&lo);
        lo.threads = threads;
        lo.memory_budget = memory;
        rc = xj_index_load_registry(idx, in, &lo, &st);
        fclose(in);
    } else if (rc == XJ_OK) {
        rc = XJ_ERR_IO;
    }
    if (rc != XJ_OK)
        fprintf(stderr, "xueji bench index: %s\n", xj_index_errmsg(idx));
    xj_index_close(idx);
    double seconds = now_seconds() - t0;
    uint64_t db_bytes = dir_bytes(db);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (rc == XJ_OK)
        printf("{\"bench\":\"index\",\"rows\":%llu,\"loaded\":%llu,\"rejected\":%llu,"
               "\"csv_bytes\":%llu,\"seconds\":%.3f,\"rows_per_sec\":%.0f,"
               "\"read_seconds\":%.3f,\"sort_seconds\":%.3f,\"ingest_seconds\":%.3f,"
               "\"sst_files\":%llu,\"db_bytes\":%llu,\"bytes_per_record\":%.1f,"
               "\"peak_rss_kb\":%ld}\n",
               rows, (unsigned long long)st.loaded, (unsigned long long)st.rejected,
               (unsigned long long)csv_bytes, seconds, (double)rows / seconds, st.read_seconds,
               st.sort_seconds, st.ingest_seconds, (unsigned long long)st.sst_files,
               (unsigned long long)db_bytes, (double)db_bytes / (double)rows, ru.ru_maxrss);
    if (!keep) {
        remove_tree(db);
        unlink(csv);
        remove_tree(dir);
    }
    return rc == XJ_OK ? XJ_EXIT_OK : rc == XJ_ERR_DB ? XJ_EXIT_DB : XJ_EXIT_INPUT;
}
