/*
 * xj/bench.h: the benchmark harness behind `xueji bench` and `make bench`.
 *
 * Each benchmark is a command-line entry point: it parses its own options
 * (argv[0] is the benchmark's name), generates its workload
 * deterministically from a seed, runs it single-threaded unless told
 * otherwise, and prints one JSON object on stdout.  It returns an XJ_EXIT_*
 * code.  Nothing here keeps global state; benchmarks may not run
 * concurrently only because they measure the machine.
 */
#ifndef XJ_BENCH_H
#define XJ_BENCH_H

#include <stdint.h>
#include <stdio.h>

#include "xj/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* `xueji bench normalize [--count N] [--seed S]`: normalizes N names (default
 * 5,000,000) drawn from a deterministic, realistic mix and prints
 * {"bench":"normalize","names":N,"seconds":...,"names_per_sec":...,...}. */
int xj_bench_normalize(int argc, char **argv);

/* ---- match quality against data-gen's truth (bench/quality.c) ---------- */

#define XJ_QUALITY_CATEGORIES 48

/* The figures of one results file; see quality.c for their definitions. */
typedef struct xj_quality {
    uint64_t rows, correct, reviews;
    uint64_t not_registered, false_merges, wrong_match;
    uint64_t true_dups, dups_found;
    uint64_t batch_dups, batch_dups_found;
    uint64_t confusion[XJ_DECISION_COUNT][XJ_DECISION_COUNT]; /* [truth][got] */
    size_t ncategories;
    struct {
        char name[48];
        uint64_t rows, correct;
        uint64_t by_got[XJ_DECISION_COUNT];
    } categories[XJ_QUALITY_CATEGORIES];
} xj_quality;

/* Reads a results file and a truth file in lockstep.  Returns XJ_OK, or an
 * error with a sentence in err (unreadable file, row counts or record_ids
 * that differ, an unknown decision). */
int xj_quality_compute(const char *results, const char *truth, xj_quality *q, char *err,
                       size_t errcap);
double xj_quality_false_merge_rate(const xj_quality *q);
double xj_quality_recall(const xj_quality *q);
double xj_quality_review_rate(const xj_quality *q);
double xj_quality_accuracy(const xj_quality *q);
/* 1 when the figures meet the engine issue's targets. */
int xj_quality_meets_targets(const xj_quality *q);
void xj_quality_print_json(const xj_quality *q, FILE *fp);

/* `xueji bench quality --results R --truth T [--check]`. */
int xj_bench_quality(int argc, char **argv);

/* `xueji bench single --db DIR --batch BATCH.csv [--count N] [--warmup W]`
 * (bench/bench_service.c): judges N batch rows one by one in process
 * (xj_engine_judge, what `xueji serve` does per request) and prints
 * {"bench":"single","index_records","checks","mean_us","p50_us","p99_us",...}. */
int xj_bench_single(int argc, char **argv);

/* `xueji bench index [--rows N] [--seed S] [--threads N] [--memory MB]
 * [--dir DIR] [--keep]` (bench/bench_index.c): writes data-gen's registry
 * of N rows (default 1,000,000; not timed), bulk-imports it into a fresh
 * index (xj_index_load_registry, what `xueji import` does) and prints
 * {"bench":"index","rows","seconds","rows_per_sec","read_seconds",
 * "sort_seconds","ingest_seconds","sst_files","db_bytes","bytes_per_record",
 * "peak_rss_kb",...}.  The files live under DIR (default /tmp) and are
 * deleted unless --keep. */
int xj_bench_index(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif /* XJ_BENCH_H */
