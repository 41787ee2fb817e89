/*
 * cmd_bench.c: `xueji bench BENCHMARK ...`, the dispatcher of the benchmark
 * harness (bench/, public header xj/bench.h).  Each benchmark parses its own
 * options and prints one JSON object; this file only picks it by name.
 * `xueji bench --tier small|medium|large` runs the whole harness,
 * scripts/bench.sh, which drives this same program and the peer.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    fprintf(fp, "\nEach prints one JSON object on stdout; BENCHMARK --help for its options.\n"
                "\n       xueji bench --tier small|medium|large\n\n"
                "runs scripts/bench.sh of the source tree this program was built in: every\n"
                "figure of the README, xueji and the peer (bench/peer) side by side, into\n"
                "bench/results/TIER.json and .md.\n");
}

/* Finds scripts/bench.sh beside the build folder of the running program
 * (build/xueji -> build/../scripts/bench.sh) and replaces this process with
 * `bash bench.sh TIER`, with XUEJI naming this very program.  Returns only
 * on failure. */
static int run_tier(const char *tier)
{
    if (strcmp(tier, "small") != 0 && strcmp(tier, "medium") != 0 && strcmp(tier, "large") != 0) {
        cli_error("bench", "unknown tier '%s' (small, medium, large)", tier);
        return XJ_EXIT_USAGE;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        cli_error("bench", "cannot find this program's path: %s", strerror(errno));
        return XJ_EXIT_INPUT;
    }
    exe[n] = '\0';
    char script[PATH_MAX + 32];
    const char *slash = strrchr(exe, '/');
    int dirlen = slash ? (int)(slash - exe) : 0;
    snprintf(script, sizeof script, "%.*s/../scripts/bench.sh", dirlen, exe);
    if (access(script, R_OK) != 0) {
        cli_error("bench", "no %s: the tiers run from a source tree (build/xueji beside scripts/)",
                  script);
        return XJ_EXIT_INPUT;
    }
    if (setenv("XUEJI", exe, 1) != 0) {
        cli_error("bench", "cannot set XUEJI: %s", strerror(errno));
        return XJ_EXIT_INPUT;
    }
    fflush(NULL);
    char *const args[] = {"bash", script, (char *)tier, NULL};
    execvp("bash", args);
    cli_error("bench", "cannot run bash %s: %s", script, strerror(errno));
    return XJ_EXIT_INPUT;
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
    if (strcmp(argv[1], "--tier") == 0 || strncmp(argv[1], "--tier=", 7) == 0) {
        const char *tier = argv[1][6] == '=' ? argv[1] + 7 : argc > 2 ? argv[2] : NULL;
        if (!tier || argc > (argv[1][6] == '=' ? 2 : 3)) {
            cli_error("bench", "usage: xueji bench --tier small|medium|large");
            return XJ_EXIT_USAGE;
        }
        return run_tier(tier);
    }
    for (size_t i = 0; i < COUNT(benchmarks); i++)
        if (strcmp(argv[1], benchmarks[i].name) == 0)
            return benchmarks[i].run(argc - 1, argv + 1);
    cli_error("bench", "unknown benchmark '%s'; run 'xueji bench --help' for the list", argv[1]);
    return XJ_EXIT_USAGE;
}
