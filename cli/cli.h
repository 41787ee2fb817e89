/*
 * cli.h: what the commands of the xueji program share.  The program is a
 * thin layer: each command parses its options, calls the libraries and maps
 * their statuses to the exit codes of ../shared/interface.md.
 */
#ifndef XJ_CLI_H
#define XJ_CLI_H

#include <stdio.h>

#include "xj/common.h"

/* One command: `xueji NAME ...`.  run() receives argv with argv[0] = NAME and
 * returns an XJ_EXIT_* code. */
typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

/* The commands, each defined in its own cmd_*.c. */
int cli_validate_id(int argc, char **argv);
int cli_normalize_name(int argc, char **argv);
int cli_gen(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_load_population(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_lookup(int argc, char **argv);
int cli_serve(int argc, char **argv);

/* The index directory: the --db value when given, else $XUEJI_DB, else
 * ./xueji.db (interface.md). */
const char *cli_db_path(const char *flag);

/* Returns 1 when progress lines should go to stderr: --progress was given
 * or stderr is a terminal. */
int cli_progress_wanted(int flag);

/* Prints "xueji NAME: " and the formatted message to stderr. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns 1 when argv[i] is --help or -h for some i >= 1. */
int cli_wants_help(int argc, char **argv);

/* Calls fn(arg, line, len, user) for each command-line argument, or, when
 * there are none, for each line of stdin (CR/LF stripped).  Returns the
 * first non-zero value fn returns, else 0. */
int cli_for_each_input(int argc, char **argv, int first,
                       int (*fn)(const char *s, size_t len, void *user), void *user);

#endif
