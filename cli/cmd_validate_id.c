/*
 * cmd_validate_id.c: `xueji validate-id [OPTIONS] [ID...]`, the resident-ID
 * validator on the command line.
 *
 * One JSON object per input (argument, or line of stdin when there are no
 * arguments), in input order, with exactly the keys of ../shared/interface.md:
 *   {"input","valid","normalized","errors":[...],"birth_date","gender",
 *    "region","suggestions":[...]}
 * Invalid IDs are results, not failures: the exit code is 0 unless the
 * command line itself is wrong (1).  stdout carries nothing but the JSON
 * lines, so the output can be piped straight into another program.
 */
#include <string.h>

#include "cli.h"
#include "xj/normalize.h"

#define CMD             "validate-id"
#define MAX_SUGGESTIONS 40

typedef struct validate_opts {
    uint32_t today; /* yyyymmdd, or 0 for the system clock */
    uint32_t birth; /* the record's birth date for ranking suggestions, or 0 */
    char gender;    /* 'M', 'F' or 0 */
} validate_opts;

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: xueji validate-id [--today YYYYMMDD] [--birth DATE] [--gender G] [ID...]\n"
            "\n"
            "Validates and normalizes resident ID numbers (GB 11643-1999), one JSON\n"
            "object per line:\n"
            "  {\"input\",\"valid\",\"normalized\",\"errors\":[...],\"birth_date\",\"gender\",\n"
            "   \"region\",\"suggestions\":[...]}\n"
            "With no ID arguments, reads one ID per line from standard input.\n"
            "\n"
            "options:\n"
            "  --today YYYYMMDD  judge 'not in the future' against this date (default: today\n"
            "                    in China)\n"
            "  --birth DATE      the record's birth date; suggestions with it rank first\n"
            "  --gender G        the record's gender (男/女, 1/2, M/F); same\n"
            "  --                end of options\n"
            "  -h, --help        this text\n"
            "\n"
            "errors: ID_EMPTY ID_LENGTH ID_CHARSET ID_CHECKSUM ID_DATE ID_REGION\n"
            "ID_EXCEL_DAMAGE.  Exit 0 even when IDs are invalid; 1 on a usage error.\n");
}

static void put_json_or_null(FILE *fp, const char *s, size_t len)
{
    if (len == 0)
        fputs("null", fp);
    else
        xj_json_put_string(fp, s, len);
}

static int validate_one(const char *s, size_t len, void *user)
{
    const validate_opts *o = user;
    xj_idcard id;
    xj_idcard_parse(s, len, o->today, &id);
    FILE *fp = stdout;

    fputs("{\"input\":", fp);
    xj_json_put_string(fp, s, len);
    fprintf(fp, ",\"valid\":%s,\"normalized\":", id.errors ? "false" : "true");
    put_json_or_null(fp, id.normalized, strlen(id.normalized));

    fputs(",\"errors\":[", fp);
    int first = 1;
    for (unsigned bit = 1; bit != 0 && bit <= id.errors; bit <<= 1) {
        if (!(id.errors & bit))
            continue;
        fprintf(fp, "%s\"%s\"", first ? "" : ",", xj_id_error_code(bit));
        first = 0;
    }

    fputs("],\"birth_date\":", fp);
    if (id.birth_year)
        fprintf(fp, "\"%04d-%02d-%02d\"", id.birth_year, id.birth_month, id.birth_day);
    else
        fputs("null", fp);
    fputs(",\"gender\":", fp);
    put_json_or_null(fp, &id.gender, id.gender ? 1 : 0);
    fputs(",\"region\":", fp);
    put_json_or_null(fp, id.region, strlen(id.region));

    /* Suggestions answer "what was probably meant" for a mistyped number:
     * only when the checksum fails and the 18 characters are all there. */
    fputs(",\"suggestions\":[", fp);
    if (id.errors & XJ_ID_CHECKSUM) {
        xj_id_suggestion sug[MAX_SUGGESTIONS];
        size_t n =
            xj_idcard_suggest(id.normalized, o->birth, o->gender, o->today, sug, MAX_SUGGESTIONS);
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputc(',', fp);
            xj_json_put_string(fp, sug[i].id, 18);
        }
    }
    fputs("]}\n", fp);
    return 0;
}

/* Reads the value of an option that takes one; returns NULL (after saying
 * why) when it is missing. */
static const char *option_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        cli_error(CMD, "%s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

int cli_validate_id(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return XJ_EXIT_OK;
    }
    validate_opts o = {0, 0, 0};
    /* Options may stand anywhere before "--"; the IDs are gathered at the
     * front of argv as they are met, keeping their order.  No ID starts
     * with '-', so an argument that does is an option. */
    int nids = 1, options_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || a[1] == '\0') {
            argv[nids++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            options_done = 1;
            continue;
        }
        const char *v = NULL;
        if (strcmp(a, "--today") == 0) {
            if (!(v = option_value(argc, argv, &i)))
                return XJ_EXIT_USAGE;
            if (xj_date_parse(v, strlen(v), &o.today) != XJ_OK) {
                cli_error(CMD, "--today: '%s' is not a date (YYYYMMDD)", v);
                return XJ_EXIT_USAGE;
            }
        } else if (strcmp(a, "--birth") == 0) {
            if (!(v = option_value(argc, argv, &i)))
                return XJ_EXIT_USAGE;
            if (xj_date_parse(v, strlen(v), &o.birth) != XJ_OK) {
                cli_error(CMD, "--birth: '%s' is not a date (YYYY-MM-DD)", v);
                return XJ_EXIT_USAGE;
            }
        } else if (strcmp(a, "--gender") == 0) {
            if (!(v = option_value(argc, argv, &i)))
                return XJ_EXIT_USAGE;
            if (xj_gender_parse(v, strlen(v), &o.gender) != XJ_OK) {
                cli_error(CMD, "--gender: '%s' is not 男/女, 1/2 or M/F", v);
                return XJ_EXIT_USAGE;
            }
        } else {
            cli_error(CMD, "unknown option '%s'; see 'xueji validate-id --help'", a);
            return XJ_EXIT_USAGE;
        }
    }
    /* The parser would read the clock on every call; reading it once here
     * also keeps one run's verdicts consistent across midnight. */
    if (o.today == 0)
        o.today = xj_idcard_today();
    cli_for_each_input(nids, argv, 1, validate_one, &o);
    fflush(stdout);
    return XJ_EXIT_OK;
}
