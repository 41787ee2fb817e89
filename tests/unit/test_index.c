/*
 * test_index.c: opening and creating the index: column families, the format
 * marker, and refusals that must come back as statuses with a message.
 */
#include <criterion/criterion.h>
#include <rocksdb/c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xj/index.h"

static char dir[256];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/xj-test-index-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(index, .init = make_dir, .fini = remove_dir);

Test(index, create_close_reopen)
{
    char path[300];
    snprintf(path, sizeof path, "%s/db", dir);
    xj_index *idx;
    cr_assert_eq(xj_index_open(path, NULL, &idx), XJ_OK, "%s", xj_index_errmsg(idx));
    cr_assert_str_eq(xj_index_path(idx), path);
    xj_index_close(idx);

    xj_index_options o;
    xj_index_options_init(&o);
    o.read_only = 1;
    cr_assert_eq(xj_index_open(path, &o, &idx), XJ_OK, "%s", xj_index_errmsg(idx));
    xj_index_close(idx);
    xj_index_close(NULL);
}

Test(index, missing_index_is_not_created_when_read_only)
{
    char path[300];
    snprintf(path, sizeof path, "%s/none", dir);
    xj_index_options o;
    xj_index_options_init(&o);
    o.read_only = 1;
    xj_index *idx;
    cr_assert_eq(xj_index_open(path, &o, &idx), XJ_ERR_DB);
    cr_assert(strstr(xj_index_errmsg(idx), "no index") != NULL);
    xj_index_close(idx);
    cr_assert_neq(access(path, F_OK), 0, "nothing was created");
}

Test(index, foreign_rocksdb_database_is_refused)
{
    char path[300];
    snprintf(path, sizeof path, "%s/foreign", dir);
    rocksdb_options_t *o = rocksdb_options_create();
    rocksdb_options_set_create_if_missing(o, 1);
    char *err = NULL;
    rocksdb_t *db = rocksdb_open(o, path, &err);
    cr_assert_null(err);
    rocksdb_close(db);
    rocksdb_options_destroy(o);

    xj_index *idx;
    cr_assert_eq(xj_index_open(path, NULL, &idx), XJ_ERR_CORRUPT);
    cr_assert(strstr(xj_index_errmsg(idx), "not an xueji index") != NULL);
    xj_index_close(idx);
}

Test(index, second_writer_is_refused_while_locked)
{
    char path[300];
    snprintf(path, sizeof path, "%s/locked", dir);
    xj_index *a, *b;
    cr_assert_eq(xj_index_open(path, NULL, &a), XJ_OK);
    cr_assert_eq(xj_index_open(path, NULL, &b), XJ_ERR_DB);
    cr_assert(strlen(xj_index_errmsg(b)) > 0);
    xj_index_close(b);
    xj_index_close(a);
}
