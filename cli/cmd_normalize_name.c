/*
 * cmd_normalize_name.c: `xueji normalize-name NAME...` (or one name a line on
 * stdin): prints, for each name, one JSON object on one line,
 *   {"input":...,"normalized":...,"pinyin":...,"flags":[...]}
 * with the flags as the upper-case codes of XJ_NAME_FLAG_LIST.
 *
 * It is the inspection tool for what the matcher compares, so it prints
 * exactly what xj_name_normalize returns and nothing else.
 */
#include <string.h>

#include "cli.h"
#include "xj/normalize.h"

static void usage(FILE *fp)
{
    fprintf(fp, "usage: xueji normalize-name [NAME...]\n\n"
                "Normalizes personal names (NFKC, width, white space, middle dot, Traditional\n"
                "to Simplified, Latin upper case) and computes their toneless pinyin key,\n"
                "surnames read as surnames.  With no NAME, reads one name a line from stdin.\n"
                "Prints one JSON object a line:\n"
                "  {\"input\",\"normalized\",\"pinyin\",\"flags\":[...]}\n\n"
                "flags:\n");
#define XJ__NAME_USAGE(name, bit, code, msg) fprintf(fp, "  %-17s %s\n", code, msg);
    XJ_NAME_FLAG_LIST(XJ__NAME_USAGE)
#undef XJ__NAME_USAGE
}

static int print_one(const char *s, size_t len, void *user)
{
    FILE *fp = user;
    xj_name name;
    xj_name_normalize(s, len, &name);
    fputs("{\"input\":", fp);
    xj_json_put_string(fp, s, len);
    fputs(",\"normalized\":", fp);
    xj_json_put_string(fp, name.normalized, name.normalized_len);
    fputs(",\"pinyin\":", fp);
    xj_json_put_string(fp, name.pinyin, name.pinyin_len);
    fputs(",\"flags\":[", fp);
    int first = 1;
    for (unsigned bit = 1; bit != 0; bit <<= 1) {
        const char *code = (name.flags & bit) ? xj_name_flag_code(bit) : NULL;
        if (!code)
            continue;
        fprintf(fp, "%s\"%s\"", first ? "" : ",", code);
        first = 0;
    }
    fputs("]}\n", fp);
    return 0;
}

int cli_normalize_name(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return XJ_EXIT_OK;
    }
    /* Options would come before the names, and there are none but --help;
     * a "--" lets a name start with '-' and is itself taken out. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            memmove(argv + i, argv + i + 1, (size_t)(argc - i - 1) * sizeof *argv);
            argc--;
            break;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_error("normalize-name", "unknown option '%s'", argv[i]);
            usage(stderr);
            return XJ_EXIT_USAGE;
        }
    }
    cli_for_each_input(argc, argv, 1, print_one, stdout);
    return XJ_EXIT_OK;
}
