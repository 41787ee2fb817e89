/*
 * cmd_serve.c: `xueji serve`, the single-record check over HTTP.
 *
 *   xueji serve [--db DIR] --listen ADDR:PORT [--tokens FILE] [--audit FILE] [--threads N]
 *
 * Opens the index read-only, starts the service (service/server.c) and then
 * does nothing but wait for SIGTERM or SIGINT, on which it stops accepting,
 * lets the requests in progress finish, closes the audit log, the engine
 * and the index, and exits 0.
 *
 * The signals are blocked first thing, before RocksDB or libmicrohttpd
 * start any thread: every thread inherits the mask, so the signal can only
 * ever be taken by sigwait() here, never kill the process half-way through
 * an answer or an audit line.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xj/service.h"

#define CMD           "serve"
#define DEFAULT_AUDIT "xueji-audit.log"

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: xueji serve [--db DIR] --listen ADDR:PORT [--tokens FILE] [--audit FILE]\n"
        "                   [--threads N]\n"
        "\n"
        "Answers single-record checks over HTTP, with the decision a batch row would get:\n"
        "  POST /v1/check             a JSON object of batch columns -> the verdict\n"
        "  GET  /v1/students/NUMBER   the registry record of a student number\n"
        "  GET  /healthz              {\"status\":\"ok\"}, no token needed\n"
        "Requests need 'Authorization: Bearer TOKEN' with a token of the --tokens file;\n"
        "records outside the token's region come with names and ID numbers masked.\n"
        "\n"
        "options:\n"
        "  --db DIR            the index, opened read-only (default $XUEJI_DB, else ./xueji.db)\n"
        "  --listen ADDR:PORT  where to listen (127.0.0.1:8080, [::1]:8080; port 0 = any)\n"
        "  --tokens FILE       one 'TOKEN REGION_PREFIX LABEL' a line, '#' comments, '*' =\n"
        "                      the whole nation.  Without it every request but /healthz is\n"
        "                      refused (401).\n"
        "  --audit FILE        the append-only audit log, one JSON line per request\n"
        "                      (default ./" DEFAULT_AUDIT ", created with mode 0600)\n"
        "  --threads N         worker threads (default: all cores)\n"
        "  --max-body KIB      the largest request body, in KiB (default 64)\n"
        "  --today YYYYMMDD    the date to judge birth dates against (default: today)\n"
        "  --block-cache MB    a RocksDB block cache (default none: read in place, mapped;\n"
        "                      the index is paged in and mapped at start)\n"
        "  -h, --help          this text\n"
        "\n"
        "Stops cleanly on SIGTERM or SIGINT.  Exit codes: 0 stopped by a signal, 1 usage\n"
        "(or the address cannot be used), 2 unreadable tokens file or unwritable audit\n"
        "log, 3 database error.\n");
}

static long number_arg(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return (*end || end == s || v < lo || v > hi) ? -1 : v;
}

int cli_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"listen", required_argument, NULL, 'l'},
        {"tokens", required_argument, NULL, 'k'},  {"audit", required_argument, NULL, 'a'},
        {"threads", required_argument, NULL, 't'}, {"max-body", required_argument, NULL, 'm'},
        {"today", required_argument, NULL, 'T'},   {"block-cache", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *tokens_path = NULL, *audit_path = DEFAULT_AUDIT;
    xj_service_options so;
    xj_service_options_init(&so);
    xj_engine_options eo;
    xj_engine_options_init(&eo);
    eo.threads = 1;
    xj_index_options io;
    xj_index_options_init(&io);

    optind = 1;
    int opt;
    long v;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            so.listen = optarg;
            break;
        case 'k':
            tokens_path = optarg;
            break;
        case 'a':
            audit_path = optarg;
            break;
        case 't':
            if ((v = number_arg(optarg, 1, 1024)) < 0) {
                cli_error(CMD, "--threads takes a whole number from 1 to 1024");
                return XJ_EXIT_USAGE;
            }
            so.threads = (unsigned)v;
            break;
        case 'm':
            if ((v = number_arg(optarg, 1, 16384)) < 0) {
                cli_error(CMD, "--max-body takes kibibytes, 1 to 16384");
                return XJ_EXIT_USAGE;
            }
            so.max_body = (size_t)v << 10;
            break;
        case 'T':
            if (xj_date_parse(optarg, strlen(optarg), &eo.today) != XJ_OK) {
                cli_error(CMD, "--today takes a date such as 20261122");
                return XJ_EXIT_USAGE;
            }
            break;
        case 'b':
            if ((v = number_arg(optarg, 8, 1 << 20)) < 0) {
                cli_error(CMD, "--block-cache takes megabytes, 8 or more");
                return XJ_EXIT_USAGE;
            }
            io.block_cache_bytes = (size_t)v << 20;
            break;
        case 'h':
            usage(stdout);
            return XJ_EXIT_OK;
        default:
            usage(stderr);
            return XJ_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        cli_error(CMD, "unexpected argument '%s'", argv[optind]);
        return XJ_EXIT_USAGE;
    }
    if (!so.listen) {
        cli_error(CMD, "--listen ADDR:PORT is required");
        usage(stderr);
        return XJ_EXIT_USAGE;
    }

    /* Before any thread exists (see the file comment). */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    /* A client that hangs up mid-answer must not take the server down. */
    signal(SIGPIPE, SIG_IGN);

    char err[512];
    xj_service_tokens *tokens = NULL;
    if (tokens_path) {
        int rc = xj_service_tokens_load(tokens_path, &tokens, err, sizeof err);
        if (rc != XJ_OK) {
            cli_error(CMD, "--tokens %s: %s", tokens_path, err);
            return XJ_EXIT_INPUT;
        }
        if (xj_service_tokens_count(tokens) == 0)
            cli_error(CMD,
                      "warning: %s holds no token: every request but /healthz will be "
                      "refused (401)",
                      tokens_path);
    } else {
        cli_error(CMD, "warning: no --tokens file: every request but /healthz will be refused "
                       "(401)");
    }

    xj_service_audit *audit = NULL;
    if (xj_service_audit_open(audit_path, &audit) != XJ_OK) {
        cli_error(CMD, "--audit %s: cannot open for appending", audit_path);
        xj_service_tokens_free(tokens);
        return XJ_EXIT_INPUT;
    }

    db = cli_db_path(db);
    io.create_if_missing = 0;
    io.read_only = 1;
    io.prefault = 1; /* the whole index paged in and mapped before the first request */
    xj_index *idx = NULL;
    int exit_code = XJ_EXIT_OK;
    xj_engine *e = NULL;
    xj_service *svc = NULL;
    int rc = xj_index_open(db, &io, &idx);
    if (rc != XJ_OK) {
        cli_error(CMD, "index %s: %s", db, xj_index_errmsg(idx));
        exit_code = XJ_EXIT_DB;
        goto done;
    }
    if ((rc = xj_engine_open(idx, &eo, &e)) != XJ_OK) {
        cli_error(CMD, "%s", xj_strerror(rc));
        exit_code = XJ_EXIT_DB;
        goto done;
    }
    so.tokens = tokens;
    so.audit = audit;
    if ((rc = xj_service_start(e, idx, &so, &svc, err, sizeof err)) != XJ_OK) {
        cli_error(CMD, "%s", err);
        exit_code = rc == XJ_ERR_NOMEM ? XJ_EXIT_DB : XJ_EXIT_USAGE;
        goto done;
    }
    /* With port 0 the system chose one: scripts read it from this line. */
    int hostlen = (int)(strrchr(so.listen, ':') - so.listen);
    fprintf(stderr, "xueji serve: listening on %.*s:%u (%zu tokens, audit %s, index %s)\n", hostlen,
            so.listen, (unsigned)xj_service_port(svc), xj_service_tokens_count(tokens), audit_path,
            db);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "xueji serve: %s received, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    xj_service_stop(svc);
    fprintf(stderr, "xueji serve: stopped\n");
done:
    xj_engine_close(e);
    xj_index_close(idx);
    xj_service_audit_close(audit);
    xj_service_tokens_free(tokens);
    return exit_code;
}
