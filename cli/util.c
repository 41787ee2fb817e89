/*
 * util.c: small helpers shared by the commands.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli.h"

const char *cli_db_path(const char *flag)
{
    if (flag && flag[0])
        return flag;
    const char *env = getenv("XUEJI_DB");
    return env && env[0] ? env : "./xueji.db";
}

int cli_progress_wanted(int flag)
{
    return flag || isatty(STDERR_FILENO);
}

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "xueji %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

int cli_for_each_input(int argc, char **argv, int first,
                       int (*fn)(const char *s, size_t len, void *user), void *user)
{
    if (first < argc) {
        for (int i = first; i < argc; i++) {
            int rc = fn(argv[i], strlen(argv[i]), user);
            if (rc)
                return rc;
        }
        return 0;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        rc = fn(line, len, user);
        if (rc)
            break;
    }
    free(line);
    return rc;
}
