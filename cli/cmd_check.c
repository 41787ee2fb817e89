/*
 * cmd_check.c: `xueji check`, the monthly batch check on the command line.
 *
 *   xueji check [--db DIR] BATCH.csv --out RESULTS.csv [--commit] [--threads N]
 *               [--report REVIEW.html] [--conflicts CONFLICTS.csv] [--unmasked]
 *
 * Reads the batch, writes one results row per input row in input order, and
 * with --commit writes the assigned numbers into the registry once per
 * batch.  The results file is written beside its final name and renamed
 * into place only when the whole batch was judged, so that a crash or a
 * kill never leaves half a results file under the name a province expects.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "xj/engine.h"
#include "xj/report.h"

#define PREFAULT_BATCH_BYTES ((off_t)4 << 20)

#define CMD "check"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: xueji check [--db DIR] BATCH.csv --out RESULTS.csv [--commit] [--threads N]\n"
            "                   [--report REVIEW.html] [--conflicts CONFLICTS.csv] [--unmasked]\n"
            "\n"
            "Judges a batch against the registry and the population database: the national\n"
            "duplicate check, the population comparison, and G/J assignment.  Writes one\n"
            "results row per input row, in input order:\n"
            "  record_id,decision,student_number,matched_student_number,score,reasons\n"
            "\n"
            "options:\n"
            "  --db DIR            the index (default $XUEJI_DB, else ./xueji.db)\n"
            "  --out FILE          the results CSV (required)\n"
            "  --commit            write the assigned numbers into the registry (once per batch:\n"
            "                      the same batch again commits nothing twice)\n"
            "  --threads N         worker threads (default: all cores); results are identical\n"
            "                      for any N\n"
            "  --encoding E        utf-8 (default) or gb18030 (also gbk)\n"
            "  --today YYYYMMDD    the date to judge birth dates against (default: today)\n"
            "  --block-cache MB    a RocksDB block cache (default none: read in place, mapped;\n"
            "                      for a batch file of 4 MB or more the mapped index is\n"
            "                      paged in before the check starts)\n"
            "  --progress          progress lines on stderr even when it is not a terminal\n"
            "  --report FILE       the conflict review report: one self-contained HTML page of\n"
            "                      the DUPLICATE, REVIEW and POP_MISMATCH rows by school\n"
            "  --conflicts FILE    the same conflicts as CSV, one row per conflict and candidate\n"
            "  --unmasked          show ID numbers and guardian IDs in full in those files; each\n"
            "                      file written is logged in <db>/audit.log\n"
            "  -h, --help          this text\n"
            "\n"
            "BATCH.csv may be - for standard input.  Exit codes: 0 success (INVALID rows\n"
            "included), 1 usage, 2 unreadable input, 3 database error.\n");
}

/* Makes the batch seekable (the engine reads it twice: once to fingerprint
 * it, once to judge it) by spooling standard input to a temporary file. */
static FILE *open_batch(const char *path)
{
    if (strcmp(path, "-") != 0)
        return fopen(path, "rb");
    FILE *tmp = tmpfile();
    if (!tmp)
        return NULL;
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
        if (fwrite(buf, 1, n, tmp) != n) {
            fclose(tmp);
            return NULL;
        }
    rewind(tmp);
    return tmp;
}

static int exit_for(int rc)
{
    switch (rc) {
    case XJ_OK:
        return XJ_EXIT_OK;
    case XJ_ERR_DB:
    case XJ_ERR_CORRUPT:
    case XJ_ERR_EXHAUSTED:
        return XJ_EXIT_DB;
    default:
        return XJ_EXIT_INPUT;
    }
}

int cli_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"out", required_argument, NULL, 'o'},
        {"commit", no_argument, NULL, 'c'},
        {"threads", required_argument, NULL, 't'},
        {"encoding", required_argument, NULL, 'e'},
        {"today", required_argument, NULL, 'T'},
        {"block-cache", required_argument, NULL, 'b'},
        {"progress", no_argument, NULL, 'p'},
        {"report", required_argument, NULL, 'R'},
        {"conflicts", required_argument, NULL, 'C'},
        {"unmasked", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *outpath = NULL;
    const char *reportpath = NULL, *conflictspath = NULL;
    int commit = 0, progress = 0, unmasked = 0;
    xj_engine_options eo;
    xj_engine_options_init(&eo);
    xj_batch_options bo;
    memset(&bo, 0, sizeof bo);
    xj_index_options io;
    xj_index_options_init(&io);

    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'd':
            db = optarg;
            break;
        case 'o':
            outpath = optarg;
            break;
        case 'c':
            commit = 1;
            break;
        case 't':
            eo.threads = (int)strtol(optarg, &end, 10);
            if (*end || eo.threads < 1 || eo.threads > 1024) {
                cli_error(CMD, "--threads takes a whole number from 1 to 1024");
                return XJ_EXIT_USAGE;
            }
            break;
        case 'e':
            if (xj_csv_encoding_parse(optarg, &bo.encoding) != XJ_OK) {
                cli_error(CMD, "--encoding takes utf-8, gb18030 or gbk, not '%s'", optarg);
                return XJ_EXIT_USAGE;
            }
            break;
        case 'T': {
            if (xj_date_parse(optarg, strlen(optarg), &eo.today) != XJ_OK) {
                cli_error(CMD, "--today takes a date such as 20261122");
                return XJ_EXIT_USAGE;
            }
            break;
        }
        case 'b': {
            long mb = strtol(optarg, &end, 10);
            if (*end || mb < 8 || mb > 1 << 20) {
                cli_error(CMD, "--block-cache takes megabytes, 8 or more");
                return XJ_EXIT_USAGE;
            }
            io.block_cache_bytes = (size_t)mb << 20;
            break;
        }
        case 'p':
            progress = 1;
            break;
        case 'R':
            reportpath = optarg;
            break;
        case 'C':
            conflictspath = optarg;
            break;
        case 'U':
            unmasked = 1;
            break;
        case 'h':
            usage(stdout);
            return XJ_EXIT_OK;
        default:
            usage(stderr);
            return XJ_EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || !outpath) {
        cli_error(CMD, optind >= argc ? "no batch file given"
                       : !outpath     ? "--out is required"
                                      : "one batch file only");
        usage(stderr);
        return XJ_EXIT_USAGE;
    }
    if (unmasked && !reportpath && !conflictspath) {
        cli_error(CMD, "--unmasked needs --report or --conflicts");
        return XJ_EXIT_USAGE;
    }
    const char *batch = argv[optind];

    FILE *in = open_batch(batch);
    if (!in) {
        cli_error(CMD, "cannot read %s", batch);
        return XJ_EXIT_INPUT;
    }
    db = cli_db_path(db);
    io.create_if_missing = 0;
    io.read_only = !commit;
    /* A batch of some 30,000 rows or more touches most of the index: its
     * page tables are filled up front (xj_index_options.prefault).  A
     * small one reads only the pages it needs. */
    struct stat bst;
    io.prefault =
        fstat(fileno(in), &bst) == 0 && S_ISREG(bst.st_mode) && bst.st_size >= PREFAULT_BATCH_BYTES;
    xj_index *idx = NULL;
    int rc = xj_index_open(db, &io, &idx);
    if (rc != XJ_OK) {
        cli_error(CMD, "index %s: %s", db, xj_index_errmsg(idx));
        xj_index_close(idx);
        fclose(in);
        return XJ_EXIT_DB;
    }
    xj_engine *e = NULL;
    if ((rc = xj_engine_open(idx, &eo, &e)) != XJ_OK) {
        cli_error(CMD, "%s", xj_strerror(rc));
        xj_index_close(idx);
        fclose(in);
        return XJ_EXIT_DB;
    }

    /* The review report is opened before the batch is judged, so that an
     * unwritable path fails at once rather than after an hour's check. */
    xj_report *rep = NULL;
    char *audit = NULL;
    if (reportpath || conflictspath) {
        size_t alen = strlen(db) + sizeof "/audit.log";
        audit = malloc(alen);
        snprintf(audit, alen, "%s/audit.log", db);
        xj_report_options ro;
        xj_report_options_init(&ro);
        ro.html_path = reportpath;
        ro.conflicts_path = conflictspath;
        ro.unmasked = unmasked;
        ro.audit_log = audit;
        ro.batch_path = batch;
        if (xj_report_open(&ro, &rep) != XJ_OK) {
            cli_error(CMD, "%s", xj_report_errmsg(rep));
            xj_report_free(rep);
            free(audit);
            xj_engine_close(e);
            xj_index_close(idx);
            fclose(in);
            return XJ_EXIT_INPUT;
        }
        bo.on_row = xj_report_on_row;
        bo.user = rep;
    }

    size_t plen = strlen(outpath) + 16;
    char *partial = malloc(plen);
    snprintf(partial, plen, "%s.partial", outpath);
    FILE *out = fopen(partial, "wb");
    if (!out) {
        cli_error(CMD, "cannot write %s", outpath);
        rc = XJ_ERR_IO;
    } else {
        bo.commit = commit;
        bo.progress = cli_progress_wanted(progress) ? stderr : NULL;
        xj_batch_stats st;
        rc = xj_engine_check_batch(e, in, out, &bo, &st);
        if (fclose(out) != 0 && rc == XJ_OK)
            rc = XJ_ERR_IO;
        if (rc == XJ_OK && rename(partial, outpath) != 0)
            rc = XJ_ERR_IO;
        if (rc != XJ_OK) {
            unlink(partial);
            cli_error(CMD, "%s: %s", batch,
                      xj_engine_errmsg(e)[0] ? xj_engine_errmsg(e) : xj_strerror(rc));
        } else {
            fprintf(stderr, "xueji check: %llu rows in %.2f s (%.0f rows/s)\n",
                    (unsigned long long)st.rows, st.seconds,
                    st.seconds > 0 ? (double)st.rows / st.seconds : 0.0);
            for (int d = 0; d < XJ_DECISION_COUNT; d++)
                fprintf(stderr, "  %-16s %llu\n", xj_decision_name((xj_decision)d),
                        (unsigned long long)st.by_decision[d]);
            if (commit && st.already_committed)
                fprintf(stderr, "  this batch was committed before: nothing written again\n");
            else if (commit)
                fprintf(stderr, "  committed %llu registrations\n",
                        (unsigned long long)st.committed);
            fprintf(stderr, "  results: %s\n", outpath);
            if (rep && (rc = xj_report_finish(rep, &st)) != XJ_OK)
                cli_error(CMD, "%s", xj_report_errmsg(rep));
            else if (reportpath)
                fprintf(stderr, "  review report: %s\n", reportpath);
            if (rc == XJ_OK && conflictspath)
                fprintf(stderr, "  conflicts: %s\n", conflictspath);
        }
    }
    xj_report_free(rep);
    free(audit);
    free(partial);
    xj_engine_close(e);
    xj_index_close(idx);
    fclose(in);
    return exit_for(rc);
}
