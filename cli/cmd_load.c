/*
 * cmd_load.c: `xueji load-population` and `xueji import`, the bulk loaders
 * of the index on the command line.
 *
 * Rows that cannot be loaded never stop a load: each is written to the
 * rejects file (row, line, field, reason; never a full ID number) and
 * counted.  A file that cannot be read as a whole (missing, no header, a
 * required column absent, the wrong encoding) exits 2 and leaves the index
 * as it was.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xj/index.h"

static void usage(FILE *fp, const char *cmd)
{
    int pop = strcmp(cmd, "load-population") == 0;
    fprintf(
        fp,
        "usage: xueji %s [--db DIR] FILE.csv\n"
        "\n"
        "%s\n"
        "Rows are parsed in parallel, spilled to key-range partitions, sorted into SST\n"
        "files and ingested whole; memory stays within --memory whatever the size.\n"
        "Loading the same file twice leaves the same index.\n"
        "\n"
        "options:\n"
        "  --db DIR          the index (default $XUEJI_DB, else ./xueji.db); created if missing\n"
        "  --rejects FILE    where unreadable rows go (default FILE.csv.rejects.csv;\n"
        "                    columns row,line,field,reason)\n"
        "  --encoding E      utf-8 (default) or gb18030 (also gbk)\n"
        "  --threads N       worker threads (default: all cores)\n"
        "  --memory MB       sort memory budget (default 1024)\n"
        "  --tmp-dir DIR     spill files (default: inside the index directory)\n"
        "  --block-cache MB  a RocksDB block cache (default none: read in place, mapped)\n"
        "  --compress        write LZ4 blocks, ZSTD at the bottom level: about 40 %% less\n"
        "                    disk, checks several times slower (give them --block-cache)\n"
        "  --progress        progress on stderr even when it is not a terminal\n"
        "  -h, --help        this text\n"
        "\n"
        "FILE.csv may be - for standard input (then --rejects defaults to\n"
        "<db>/rejects.csv).  Exit codes: 0 success (rejected rows included), 1 usage,\n"
        "2 unreadable input, 3 database error.\n",
        cmd,
        pop ? "Bulk-loads the population database extract (id_number, name, gender,\n"
              "birth_date, ethnicity, hukou_region, status, former_names)."
            : "Bulk-loads the existing national registry (the batch columns without\n"
              "record_id, plus student_number and status).");
}

static int run(int argc, char **argv, int population)
{
    const char *cmd = population ? "load-population" : "import";
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"rejects", required_argument, NULL, 'r'},
        {"encoding", required_argument, NULL, 'e'},
        {"threads", required_argument, NULL, 't'},
        {"memory", required_argument, NULL, 'm'},
        {"tmp-dir", required_argument, NULL, 'T'},
        {"block-cache", required_argument, NULL, 'b'},
        {"compress", no_argument, NULL, 'z'},
        {"progress", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *rejects = NULL;
    int progress = 0;
    xj_load_options lo;
    xj_load_options_init(&lo);
    xj_index_options io;
    xj_index_options_init(&io);
    io.bulk_load = 1; /* the files it ingests are read with pread, not mapped */
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        char *end;
        long v;
        switch (opt) {
        case 'd':
            db = optarg;
            break;
        case 'r':
            rejects = optarg;
            break;
        case 'e':
            if (xj_csv_encoding_parse(optarg, &lo.encoding) != XJ_OK) {
                cli_error(cmd, "--encoding takes utf-8, gb18030 or gbk, not '%s'", optarg);
                return XJ_EXIT_USAGE;
            }
            break;
        case 't':
            v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1024) {
                cli_error(cmd, "--threads takes a whole number from 1 to 1024");
                return XJ_EXIT_USAGE;
            }
            lo.threads = (int)v;
            break;
        case 'm':
            v = strtol(optarg, &end, 10);
            if (*end || v < 16) {
                cli_error(cmd, "--memory takes megabytes, 16 or more");
                return XJ_EXIT_USAGE;
            }
            lo.memory_budget = (size_t)v << 20;
            break;
        case 'T':
            lo.tmp_dir = optarg;
            break;
        case 'z':
            io.compress = 1;
            break;
        case 'b':
            v = strtol(optarg, &end, 10);
            if (*end || v < 8) {
                cli_error(cmd, "--block-cache takes megabytes, 8 or more");
                return XJ_EXIT_USAGE;
            }
            io.block_cache_bytes = (size_t)v << 20;
            break;
        case 'p':
            progress = 1;
            break;
        case 'h':
            usage(stdout, cmd);
            return XJ_EXIT_OK;
        default:
            usage(stderr, cmd);
            return XJ_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        cli_error(cmd, optind >= argc ? "no input file given" : "one input file only");
        usage(stderr, cmd);
        return XJ_EXIT_USAGE;
    }
    const char *path = argv[optind];
    int from_stdin = strcmp(path, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(path, "rb");
    if (!in) {
        cli_error(cmd, "cannot read %s", path);
        return XJ_EXIT_INPUT;
    }
    db = cli_db_path(db);
    xj_index *idx = NULL;
    if (xj_index_open(db, &io, &idx) != XJ_OK) {
        cli_error(cmd, "index %s: %s", db, xj_index_errmsg(idx));
        xj_index_close(idx);
        if (!from_stdin)
            fclose(in);
        return XJ_EXIT_DB;
    }
    char defrej[1024];
    if (!rejects) {
        if (from_stdin)
            snprintf(defrej, sizeof defrej, "%s/rejects.csv", db);
        else
            snprintf(defrej, sizeof defrej, "%s.rejects.csv", path);
        rejects = defrej;
    }
    FILE *rj = fopen(rejects, "wb");
    if (!rj) {
        cli_error(cmd, "cannot write the rejects file %s", rejects);
        xj_index_close(idx);
        if (!from_stdin)
            fclose(in);
        return XJ_EXIT_USAGE;
    }
    lo.rejects = rj;
    lo.progress = cli_progress_wanted(progress) ? stderr : NULL;
    xj_load_stats st;
    int rc = population ? xj_index_load_population(idx, in, &lo, &st)
                        : xj_index_load_registry(idx, in, &lo, &st);
    fclose(rj);
    int code = XJ_EXIT_OK;
    if (rc != XJ_OK) {
        cli_error(cmd, "%s: %s", path,
                  xj_index_errmsg(idx)[0] ? xj_index_errmsg(idx) : xj_strerror(rc));
        code = (rc == XJ_ERR_DB || rc == XJ_ERR_CORRUPT) ? XJ_EXIT_DB : XJ_EXIT_INPUT;
    } else {
        fprintf(stderr,
                "xueji %s: %llu rows, %llu loaded, %llu rejected (%s) in %.2f s (%.0f rows/s), "
                "%llu SST files\n  read+parse %.2f s, sort %.2f s, ingest %.2f s\n",
                cmd, (unsigned long long)st.rows, (unsigned long long)st.loaded,
                (unsigned long long)st.rejected, rejects, st.seconds,
                st.seconds > 0 ? (double)st.rows / st.seconds : 0.0,
                (unsigned long long)st.sst_files, st.read_seconds, st.sort_seconds,
                st.ingest_seconds);
    }
    xj_index_close(idx);
    if (!from_stdin)
        fclose(in);
    return code;
}

int cli_load_population(int argc, char **argv)
{
    return run(argc, argv, 1);
}

int cli_import(int argc, char **argv)
{
    return run(argc, argv, 0);
}
