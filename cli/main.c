/*
 * main.c: `xueji COMMAND ...`, the dispatch table and the program-wide
 * options (--version, --help).
 *
 * Exit codes (../shared/interface.md): 0 success (rows judged INVALID are a
 * success), 1 usage error, 2 an input that cannot be read as a whole, 3 a
 * database error.
 */
#include <malloc.h>
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
    {"validate-id", "validate and normalize resident ID numbers (JSON lines)", cli_validate_id},
    {"normalize-name", "normalize names and compute pinyin keys (JSON lines)", cli_normalize_name},
    {"gen", "write a synthetic population, registry and batch with ground truth", cli_gen},
    {"load-population", "bulk-load the population database extract", cli_load_population},
    {"import", "bulk-load the existing national registry", cli_import},
    {"check", "judge a batch: duplicate check, population comparison, G/J numbers", cli_check},
    {"bench", "the benchmark harness (normalize, quality, ...)", cli_bench},
    {"lookup", "judge one record as a batch row would be (JSON on stdout)", cli_lookup},
    {"serve", "the single-record check over HTTP (POST /v1/check)", cli_serve},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void usage(FILE *fp)
{
    fprintf(fp, "usage: xueji COMMAND [OPTIONS] ...\n\n"
                "xueji: deduplication and identity matching for the national student registry.\n\n"
                "commands:\n");
    for (size_t i = 0; i < COUNT(commands); i++)
        fprintf(fp, "  %-16s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\nEvery command takes --help.  Exit codes: 0 success, 1 usage error,\n"
                "2 unreadable input, 3 database error.\n");
}

int main(int argc, char **argv)
{
    /* The lookups allocate and free many short-lived values; without this
     * glibc gives the heap top back to the kernel and faults it in again,
     * which cost an eighth of a batch check. */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
    if (argc < 2) {
        usage(stderr);
        return XJ_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return XJ_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("xueji %s\n", XJ_VERSION_STRING);
        return XJ_EXIT_OK;
    }
    for (size_t i = 0; i < COUNT(commands); i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "xueji: unknown command '%s'; run 'xueji --help' for the list\n", cmd);
    return XJ_EXIT_USAGE;
}
