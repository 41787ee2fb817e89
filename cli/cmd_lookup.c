/*
 * cmd_lookup.c: `xueji lookup`, one record judged on the command line.
 *
 *   xueji lookup [--db DIR] --name N --birth D [--gender G] [--id ID] ...
 *
 * The record goes through xj_engine_judge(), the decision a batch row gets,
 * and the verdict is printed as the JSON object `xueji serve` answers with
 * (service/json_out.c), on one line.  The index is opened read-only: a
 * lookup never assigns a number for good; the J or L number it shows is the
 * one a commit would give now.
 *
 * Lookup is an administrator's tool on the machine that holds the index,
 * yet its output ends up in terminals, tickets and chat: the ID numbers of
 * the registry candidates (and the IDs inside their G numbers) are masked
 * unless --unmasked is given.  The ID the administrator typed is shown.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xj/service.h"

#define CMD "lookup"

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: xueji lookup [--db DIR] --name N --birth D [--gender G] [--id ID] [OPTIONS]\n"
        "\n"
        "Judges one record as a batch row would be judged (the national duplicate check,\n"
        "the population comparison) and prints the verdict as one JSON object:\n"
        "  {\"record_id\",\"decision\",\"student_number\",\"matched_student_number\",\"score\",\n"
        "   \"reasons\",\"detail\",\"candidates\":[...],\"population\":{...}}\n"
        "Nothing is written to the registry.\n"
        "\n"
        "options:\n"
        "  --db DIR             the index (default $XUEJI_DB, else ./xueji.db)\n"
        "  --name N             姓名 (required)\n"
        "  --birth D            出生日期, YYYY-MM-DD, YYYYMMDD or YYYY/M/D (or another form a\n"
        "                       batch file may hold: README, Input files) (required)\n"
        "  --gender G           性别: 男/女, 1/2, M/F\n"
        "  --id ID              身份证件号\n"
        "  --id-type T          身份证件类型 (default 居民身份证)\n"
        "  --school-code C      学校标识码, 10 digits\n"
        "  --school-region R    学校所在地, 6-digit division code\n"
        "  --hukou R            户口所在地, 6-digit division code\n"
        "  --guardian-id G      监护人身份证件号\n"
        "  --guardian-name N    监护人姓名\n"
        "  --ethnicity E        民族\n"
        "  --grade G            年级\n"
        "  --record-id X        记录号 (default \"lookup\")\n"
        "  --unmasked           show the candidates' ID numbers in full (masked by default:\n"
        "                       110105********002X, also inside G numbers)\n"
        "  --today YYYYMMDD     the date to judge birth dates against (default: today)\n"
        "  -h, --help           this text\n"
        "\n"
        "A record missing the gender, school code or school region is judged INVALID, as\n"
        "a batch row would be.  Exit codes: 0 success (INVALID included), 1 usage,\n"
        "3 database error.\n");
}

static xj_slice slice_of(const char *s)
{
    xj_slice sl = {s ? s : "", s ? strlen(s) : 0};
    return sl;
}

int cli_lookup(int argc, char **argv)
{
    enum {
        O_DB = 256,
        O_NAME,
        O_BIRTH,
        O_GENDER,
        O_ID,
        O_IDTYPE,
        O_SCODE,
        O_SREGION,
        O_HUKOU,
        O_GID,
        O_GNAME,
        O_ETHNIC,
        O_GRADE,
        O_RID,
        O_UNMASKED,
        O_TODAY
    };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, O_DB},
        {"name", required_argument, NULL, O_NAME},
        {"birth", required_argument, NULL, O_BIRTH},
        {"gender", required_argument, NULL, O_GENDER},
        {"id", required_argument, NULL, O_ID},
        {"id-type", required_argument, NULL, O_IDTYPE},
        {"school-code", required_argument, NULL, O_SCODE},
        {"school-region", required_argument, NULL, O_SREGION},
        {"hukou", required_argument, NULL, O_HUKOU},
        {"guardian-id", required_argument, NULL, O_GID},
        {"guardian-name", required_argument, NULL, O_GNAME},
        {"ethnicity", required_argument, NULL, O_ETHNIC},
        {"grade", required_argument, NULL, O_GRADE},
        {"record-id", required_argument, NULL, O_RID},
        {"unmasked", no_argument, NULL, O_UNMASKED},
        {"today", required_argument, NULL, O_TODAY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *name = NULL, *birth = NULL, *gender = NULL, *id = NULL;
    const char *id_type = NULL, *school_code = NULL, *school_region = NULL, *hukou = NULL;
    const char *guardian_id = NULL, *guardian_name = NULL, *ethnicity = NULL, *grade = NULL;
    const char *record_id = "lookup";
    int unmasked = 0;
    xj_engine_options eo;
    xj_engine_options_init(&eo);
    eo.threads = 1;

    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case O_DB:
            db = optarg;
            break;
        case O_NAME:
            name = optarg;
            break;
        case O_BIRTH:
            birth = optarg;
            break;
        case O_GENDER:
            gender = optarg;
            break;
        case O_ID:
            id = optarg;
            break;
        case O_IDTYPE:
            id_type = optarg;
            break;
        case O_SCODE:
            school_code = optarg;
            break;
        case O_SREGION:
            school_region = optarg;
            break;
        case O_HUKOU:
            hukou = optarg;
            break;
        case O_GID:
            guardian_id = optarg;
            break;
        case O_GNAME:
            guardian_name = optarg;
            break;
        case O_ETHNIC:
            ethnicity = optarg;
            break;
        case O_GRADE:
            grade = optarg;
            break;
        case O_RID:
            record_id = optarg;
            break;
        case O_UNMASKED:
            unmasked = 1;
            break;
        case O_TODAY:
            if (xj_date_parse(optarg, strlen(optarg), &eo.today) != XJ_OK) {
                cli_error(CMD, "--today takes a date such as 20261122");
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
    if (optind != argc) {
        cli_error(CMD, "unexpected argument '%s'", argv[optind]);
        return XJ_EXIT_USAGE;
    }
    if (!name || !birth) {
        cli_error(CMD, "--name and --birth are required");
        usage(stderr);
        return XJ_EXIT_USAGE;
    }

    xj_input in;
    memset(&in, 0, sizeof in);
    in.record_id = slice_of(record_id);
    in.name = slice_of(name);
    in.gender = slice_of(gender);
    in.birth_date = slice_of(birth);
    in.id_type = slice_of(id_type);
    in.id_number = slice_of(id);
    in.ethnicity = slice_of(ethnicity);
    in.hukou_region = slice_of(hukou);
    in.school_code = slice_of(school_code);
    in.school_region = slice_of(school_region);
    in.grade = slice_of(grade);
    in.guardian_name = slice_of(guardian_name);
    in.guardian_id = slice_of(guardian_id);

    db = cli_db_path(db);
    xj_index_options io;
    xj_index_options_init(&io);
    io.create_if_missing = 0;
    io.read_only = 1; /* no block cache, no prefault: one record reads a few blocks */
    xj_index *idx = NULL;
    int rc = xj_index_open(db, &io, &idx);
    if (rc != XJ_OK) {
        cli_error(CMD, "index %s: %s", db, xj_index_errmsg(idx));
        xj_index_close(idx);
        return XJ_EXIT_DB;
    }
    xj_engine *e = NULL;
    if ((rc = xj_engine_open(idx, &eo, &e)) != XJ_OK) {
        cli_error(CMD, "%s", xj_strerror(rc));
        xj_index_close(idx);
        return XJ_EXIT_DB;
    }
    int exit_code = XJ_EXIT_OK;
    xj_verdict *v = malloc(sizeof *v);
    if (!v || (rc = xj_engine_judge(e, &in, v)) != XJ_OK) {
        rc = v ? rc : XJ_ERR_NOMEM;
        cli_error(CMD, "%s", xj_engine_errmsg(e)[0] ? xj_engine_errmsg(e) : xj_strerror(rc));
        exit_code = XJ_EXIT_DB;
    } else {
        /* Masking as for a token of no region: every registry record is
         * "outside", so only its ID numbers are masked (names stay). */
        xj_service_scope nowhere;
        memset(&nowhere, 0, sizeof nowhere);
        memcpy(nowhere.prefix, "-", 2);
        size_t len = 0;
        char *json =
            xj_service_verdict_json(&in, v, unmasked ? NULL : &nowhere, XJ_SERVICE_MASK_IDS, &len);
        if (!json) {
            cli_error(CMD, "%s", xj_strerror(XJ_ERR_NOMEM));
            exit_code = XJ_EXIT_DB;
        } else {
            fwrite(json, 1, len, stdout);
            fputc('\n', stdout);
            free(json);
        }
    }
    free(v);
    xj_engine_close(e);
    xj_index_close(idx);
    return exit_code;
}
