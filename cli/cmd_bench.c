/*
 * cmd_bench.c: `xueji bench BENCHMARK ...`, the dispatcher of the benchmark
 * harness (bench/, public header xj/bench.h).  Each benchmark parses its own
 * options and prints one JSON object; this file only picks it by name.
 */
#include <string.h>

#include "cli.h"
#include "xj/bench.h"

static const cli_command benchmarks[] = {
    {"index", "bulk import of a generated registry, records per second", xj_bench_index},
    {"normalize", "name normalization and pinyin key, names per second", xj_bench_normalize},
    {"quality", "decisions of a results file against data-gen's truth", xj_bench_quality},
    {"single", "single-record checks in process, latency percentiles", xj_bench_single},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void usage(FILE *fp)
{
    fprintf(fp, "usage: xueji bench BENCHMARK [OPTIONS]\n\nbenchmarks:\n");
    for (size_t i = 0; i < COUNT(benchmarks); i++)
        fprintf(fp, "  %-12s %s\n", benchmarks[i].name, benchmarks[i].summary);
    fprintf(fp, "\nEach prints one JSON object on stdout; BENCHMARK --help for its options.\n");
}

int cli_bench(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return XJ_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return XJ_EXIT_OK;
    }
    for (size_t i = 0; i < COUNT(benchmarks); i++)
        if (strcmp(argv[1], benchmarks[i].name) == 0)
            return benchmarks[i].run(argc - 1, argv + 1);
    cli_error("bench", "unknown benchmark '%s'; run 'xueji bench --help' for the list", argv[1]);
    return XJ_EXIT_USAGE;
}
