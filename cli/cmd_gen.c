/*
 * cmd_gen.c: `xueji gen`, the synthetic data generator.  It parses the
 * options into an xj_datagen_config, lets the library check them (sizes
 * that do not fit together are a usage error, exit 1) and writes the four
 * files, or one of them to stdout for a pipe into a loader.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "xj/datagen.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: xueji gen --out DIR [--population N] [--registry N] [--batch N] [--seed S]\n"
            "                 [--encoding utf-8|gb18030] [--threads N] [--only FILE]\n"
            "                 [--header zh|en] [--other-header zh|en] [--school-year Y]\n"
            "                 [--chunk-rows N] [--RATE X ...]\n\n"
            "Writes DIR/population.csv, DIR/registry.csv, DIR/batch.csv and DIR/truth.csv\n"
            "(record_id,expected_decision,expected_match,category).  The same options give\n"
            "byte-identical files whatever the thread count.\n\n"
            "  --out DIR          output folder (created if missing); '-' with --only writes\n"
            "                     that one file to stdout\n"
            "  --only FILE        population, registry, batch or truth: write just that file\n"
            "  --population N     rows of population.csv (default 100000); must be at least\n"
            "                     registry + batch\n"
            "  --registry N       rows of registry.csv (default 50000)\n"
            "  --batch N          rows of batch.csv and truth.csv (default 5000)\n"
            "  --seed S           default 1\n"
            "  --encoding E       utf-8 (default) or gb18030 (also gbk)\n"
            "  --header zh|en     header names of batch.csv (default zh)\n"
            "  --other-header zh|en  header names of population.csv, registry.csv (default en)\n"
            "  --school-year Y    the school year grades refer to (default 2024)\n"
            "  --threads N        OpenMP threads (default: all cores)\n\n"
            "rates (each a share in [0, 1]):\n");
    for (size_t i = 0; i < xj_datagen_rate_count(); i++) {
        const char *flag, *help;
        double def;
        xj_datagen_rate_at(i, &flag, &def, &help);
        fprintf(fp, "  --%-19s %-7g %s\n", flag, def, help);
    }
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_lang(const char *s, int *zh)
{
    if (strcmp(s, "zh") == 0)
        *zh = 1;
    else if (strcmp(s, "en") == 0)
        *zh = 0;
    else
        return -1;
    return 0;
}

static int write_one(const xj_datagen *g, xj_datagen_file f, const char *dir)
{
    size_t n = strlen(dir) + strlen(xj_datagen_file_name(f)) + 2;
    char *path = malloc(n);
    if (!path)
        return XJ_EXIT_INPUT;
    snprintf(path, n, "%s/%s", dir, xj_datagen_file_name(f));
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        cli_error("gen", "cannot create %s: %s", path, strerror(errno));
        free(path);
        return XJ_EXIT_INPUT;
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 20);
    int rc = xj_datagen_write(g, f, fp);
    if (fclose(fp) != 0 && rc == XJ_OK)
        rc = XJ_ERR_IO;
    if (rc != XJ_OK) {
        cli_error("gen", "writing %s: %s", path, xj_strerror(rc));
        free(path);
        return XJ_EXIT_INPUT;
    }
    free(path);
    return XJ_EXIT_OK;
}

int cli_gen(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return XJ_EXIT_OK;
    }
    xj_datagen_config cfg;
    xj_datagen_config_init(&cfg);
    const char *out = NULL;
    int only = -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0) {
            cli_error("gen", "unexpected argument '%s'; see --help", arg);
            return XJ_EXIT_USAGE;
        }
        /* Both --name value and --name=value. */
        char name[64];
        const char *val = NULL;
        const char *eq = strchr(arg, '=');
        size_t nl = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        if (nl >= sizeof name) {
            cli_error("gen", "unknown option '%s'; see --help", arg);
            return XJ_EXIT_USAGE;
        }
        memcpy(name, arg + 2, nl);
        name[nl] = '\0';
        if (eq)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        if (!val) {
            cli_error("gen", "--%s needs a value", name);
            return XJ_EXIT_USAGE;
        }
        uint64_t v = 0;
        int bad = 0;
        if (strcmp(name, "out") == 0) {
            out = val;
        } else if (strcmp(name, "population") == 0) {
            bad = parse_u64(val, &cfg.population);
        } else if (strcmp(name, "registry") == 0) {
            bad = parse_u64(val, &cfg.registry);
        } else if (strcmp(name, "batch") == 0) {
            bad = parse_u64(val, &cfg.batch);
        } else if (strcmp(name, "seed") == 0) {
            bad = parse_u64(val, &cfg.seed);
        } else if (strcmp(name, "threads") == 0) {
            bad = parse_u64(val, &v) || v > 1024;
            cfg.threads = (int)v;
        } else if (strcmp(name, "school-year") == 0) {
            bad = parse_u64(val, &v) || v < 1990 || v > 2100;
            cfg.school_year = (int)v;
        } else if (strcmp(name, "chunk-rows") == 0) {
            bad = parse_u64(val, &v) || v == 0 || v > (1u << 24);
            cfg.chunk_rows = (uint32_t)v;
        } else if (strcmp(name, "encoding") == 0) {
            bad = xj_csv_encoding_parse(val, &cfg.encoding) != XJ_OK;
        } else if (strcmp(name, "header") == 0) {
            bad = parse_lang(val, &cfg.batch_header_zh);
        } else if (strcmp(name, "other-header") == 0) {
            bad = parse_lang(val, &cfg.other_header_zh);
        } else if (strcmp(name, "only") == 0) {
            xj_datagen_file f;
            bad = xj_datagen_file_parse(val, &f) != XJ_OK;
            only = (int)f;
        } else {
            int rc = xj_datagen_set_rate(&cfg, name, val);
            if (rc == XJ_ERR_NOT_FOUND) {
                cli_error("gen", "unknown option '--%s'; see --help", name);
                return XJ_EXIT_USAGE;
            }
            bad = rc != XJ_OK;
        }
        if (bad) {
            cli_error("gen", "bad value '%s' for --%s", val, name);
            return XJ_EXIT_USAGE;
        }
    }
    if (!out) {
        cli_error("gen", "--out DIR is required; see --help");
        return XJ_EXIT_USAGE;
    }
    int to_stdout = strcmp(out, "-") == 0;
    if (to_stdout && only < 0) {
        cli_error("gen", "--out - (stdout) needs --only FILE: one file at a time");
        return XJ_EXIT_USAGE;
    }
    xj_datagen *g = NULL;
    char err[256];
    int rc = xj_datagen_create(&cfg, &g, err, sizeof err);
    if (rc != XJ_OK) {
        cli_error("gen", "%s", err[0] ? err : xj_strerror(rc));
        return rc == XJ_ERR_ARG ? XJ_EXIT_USAGE : XJ_EXIT_INPUT;
    }
    int exit_code = XJ_EXIT_OK;
    if (to_stdout) {
        rc = xj_datagen_write(g, (xj_datagen_file)only, stdout);
        if (rc != XJ_OK) {
            cli_error("gen", "writing to stdout: %s", xj_strerror(rc));
            exit_code = XJ_EXIT_INPUT;
        }
    } else {
        if (mkdir(out, 0777) != 0 && errno != EEXIST) {
            cli_error("gen", "cannot create %s: %s", out, strerror(errno));
            xj_datagen_free(g);
            return XJ_EXIT_INPUT;
        }
        for (int f = 0; f < XJ_DATAGEN_NFILES && exit_code == XJ_EXIT_OK; f++)
            if (only < 0 || only == f)
                exit_code = write_one(g, (xj_datagen_file)f, out);
    }
    xj_datagen_free(g);
    return exit_code;
}
