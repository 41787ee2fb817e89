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

#include <signal.h>
#include <time.h>
#include <sys/wait.h>

#include "xj/engine.h"
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

/* ---- record keys and blocking keys ------------------------------------------ */

Test(index, record_keys_round_trip_and_keep_order)
{
    static const char *numbers[] = {"G11010519491231002X", "G110105201203150011",
                                    "J110105201105050017", "L320102201309080042",
                                    "L320102201309080043"};
    xj_reckey prev;
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        xj_reckey k;
        cr_assert_eq(xj_reckey_pack(numbers[i], 19, &k), XJ_OK, "%s", numbers[i]);
        char back[20];
        xj_reckey_unpack(&k, back);
        cr_assert_str_eq(back, numbers[i]);
        if (i > 0)
            cr_assert_lt(memcmp(prev.b, k.b, 9), 0, "byte order follows number order");
        prev = k;
    }
    xj_reckey k;
    cr_assert_eq(xj_reckey_pack("G110105194912310021", 19, &k), XJ_ERR_ARG, "bad check");
    cr_assert_eq(xj_reckey_pack("X110105194912310021", 19, &k), XJ_ERR_ARG);
    cr_assert_eq(xj_reckey_pack("L3201022013090800", 17, &k), XJ_ERR_ARG);
}

static xj_record person(const char *name, char gender, uint32_t birth, const char *id,
                        const char *guardian)
{
    xj_record r;
    memset(&r, 0, sizeof r);
    xj_name n;
    xj_name_normalize(name, strlen(name), &n);
    memcpy(r.name, n.normalized, sizeof r.name);
    memcpy(r.pinyin, n.pinyin, sizeof r.pinyin);
    r.gender = gender;
    r.birth = birth;
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.guardian_id, sizeof r.guardian_id, "%s", guardian);
    snprintf(r.school_region, sizeof r.school_region, "110105");
    return r;
}

static int share(const xj_record *a, const xj_record *b, xj_block_kind kind)
{
    xj_block_key ka[XJ_BLOCK_KEYS_MAX], kb[XJ_BLOCK_KEYS_MAX];
    size_t na = xj_index_block_keys(a, ka), nb = xj_index_block_keys(b, kb);
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (ka[i].kind == kind && kb[j].kind == kind && ka[i].hash == kb[j].hash)
                return 1;
    return 0;
}

static int has_kind(const xj_record *a, xj_block_kind kind)
{
    xj_block_key k[XJ_BLOCK_KEYS_MAX];
    size_t n = xj_index_block_keys(a, k);
    for (size_t i = 0; i < n; i++)
        if (k[i].kind == kind)
            return 1;
    return 0;
}

Test(index, blocking_keys_find_the_errors_they_are_for)
{
    xj_record a = person("张伟", 'M', 20120315, "110105201203150011", "");
    xj_record homophone = person("章伟", 'M', 20120315, "", "");
    xj_record traditional = person("張偉", 'M', 20120315, "", "");
    xj_record day_typo = person("张伟", 'M', 20120316, "", "");
    xj_record year_typo = person("张伟", 'M', 20130315, "", "");
    xj_record other = person("李娜", 'F', 20120315, "", "");
    cr_assert(share(&a, &homophone, XJ_BLOCK_PINYIN_BIRTH));
    cr_assert(share(&a, &traditional, XJ_BLOCK_NAME_YM));
    cr_assert(share(&a, &day_typo, XJ_BLOCK_NAME_YM));
    cr_assert(share(&a, &year_typo, XJ_BLOCK_NAME_MD));
    cr_assert_not(share(&a, &other, XJ_BLOCK_PINYIN_BIRTH));
    cr_assert_not(has_kind(&a, XJ_BLOCK_GUARDIAN_BIRTH), "no guardian, no guardian key");

    xj_record twin1 = person("李一诺", 'M', 20140520, "110105201405200013", "110105198001011238");
    xj_record twin2 = person("李一鸣", 'M', 20140520, "110105201405200030", "110105198001011238");
    cr_assert(share(&twin1, &twin2, XJ_BLOCK_GUARDIAN_BIRTH));
    cr_assert(share(&twin1, &twin2, XJ_BLOCK_ID_PREFIX));
    cr_assert(share(&twin1, &twin2, XJ_BLOCK_SURNAME_BIRTH), "a given-name typo is found");
}

/* The key a batch row without an ID looks up for its given name in the
 * other order is the one the registered record is filed under. */
static int swapped_finds(const char *row_name, const char *registered, uint32_t birth)
{
    xj_record row = person(row_name, 'M', birth, "", "");
    xj_record reg = person(registered, 'M', 20120315, "", "");
    xj_name n;
    xj_name_normalize(row_name, strlen(row_name), &n);
    xj_block_key sk, k[XJ_BLOCK_KEYS_MAX];
    char fz[XJ_PINYIN_MAX];
    xj_pinyin_fuzzy(row.pinyin, fz, sizeof fz);
    if (!xj_index_swapped_key(fz, row.birth, n.surname_chars, &sk))
        return -1;
    size_t nk = xj_index_block_keys(&reg, k);
    for (size_t i = 0; i < nk; i++)
        if (k[i].kind == XJ_BLOCK_PINYIN_BIRTH && k[i].hash == sk.hash)
            return 1;
    return 0;
}

Test(index, the_swapped_key_finds_a_given_name_in_the_other_order)
{
    cr_assert_eq(swapped_finds("张涵子", "张子涵", 20120315), 1);
    cr_assert_eq(swapped_finds("欧阳涵子", "欧阳子涵", 20120315), 1, "compound surname");
    cr_assert_eq(swapped_finds("张晗子", "张子涵", 20120315), 1, "a homophone too (fuzzy key)");
    cr_assert_eq(swapped_finds("张涵子", "张子涵", 20120316), 0, "another birth date");
    cr_assert_eq(swapped_finds("子张涵", "张子涵", 20120315), 0, "the surname stays");
    /* No key: a one-character given name, three, or two the same. */
    cr_assert_eq(swapped_finds("张伟", "张伟", 20120315), -1);
    cr_assert_eq(swapped_finds("张子涵宇", "张子涵宇", 20120315), -1);
    cr_assert_eq(swapped_finds("王晶晶", "王晶晶", 20120315), -1);
}

/* ---- bulk loads ----------------------------------------------------------------- */

/* Writes a registry CSV of n good rows and a handful of bad ones; returns
 * the path.  IDs are made valid with the library's check character: the
 * checksum itself is tested elsewhere against independent values. */
static void registry_csv(const char *path, int n)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fprintf(
        fp,
        "学籍号,姓名,性别,出生日期,身份证件号,学校标识码,学校所在地,监护人身份证件号,学籍状态\n");
    static const char *names[] = {"王子涵", "李浩然", "张欣怡", "刘一诺", "陈宇轩", "杨梓涵"};
    for (int i = 0; i < n; i++) {
        char id[19];
        snprintf(id, sizeof id, "1101052012%02d%02d%03d", 1 + i % 12, 1 + i % 28, 1 + i % 997);
        id[17] = xj_idcard_check_char(id);
        id[18] = '\0';
        fprintf(fp, "G%s,%s,%s,2012-%02d-%02d,%s,1110105001,110105,,%s\n", id, names[i % 6],
                (i % 997) % 2 == 0 ? "男" : "女", 1 + i % 12, 1 + i % 28, id,
                i % 10 == 0 ? "毕业" : "");
    }
    /* Bad rows: each names its field in the rejects file. */
    fprintf(fp, "G110105194912310021,甲,男,1949-12-31,,1110105001,110105,,\n");     /* checksum */
    fprintf(fp, "L320102201309080042,,男,2013-09-08,,1320102001,320102,,\n");       /* no name */
    fprintf(fp, "L320102201309080043,乙,男,2013-02-30,,1320102001,320102,,\n");     /* date */
    fprintf(fp, "L320102201309080044,丙,男,2013-09-08,,13201,320102,,\n");          /* school */
    fprintf(fp, "L320102201309080045,丁,男,2013-09-08,,1320102001,320102,,借读\n"); /* status */
    fclose(fp);
}

static int load_registry(const char *db, const char *csv, size_t budget, xj_load_stats *st,
                         char *rejects, size_t rcap)
{
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK, "%s", xj_index_errmsg(idx));
    FILE *in = fopen(csv, "rb");
    char *buf = NULL;
    size_t len = 0;
    FILE *rj = open_memstream(&buf, &len);
    xj_load_options lo;
    xj_load_options_init(&lo);
    lo.rejects = rj;
    lo.memory_budget = budget;
    int rc = xj_index_load_registry(idx, in, &lo, st);
    fclose(rj);
    fclose(in);
    snprintf(rejects, rcap, "%s", buf ? buf : "");
    free(buf);
    xj_index_close(idx);
    return rc;
}

static uint64_t records_total(const char *db)
{
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    xj_index_stats st;
    cr_assert_eq(xj_index_get_stats(idx, &st), XJ_OK);
    xj_index_close(idx);
    return st.records;
}

Test(index, bulk_load_rejects_bad_rows_and_reloads_idempotently)
{
    char csv[300], db[300], rejects[4096];
    snprintf(csv, sizeof csv, "%s/reg.csv", dir);
    snprintf(db, sizeof db, "%s/db", dir);
    registry_csv(csv, 3000);
    xj_load_stats st;
    cr_assert_eq(load_registry(db, csv, 0, &st, rejects, sizeof rejects), XJ_OK);
    cr_assert_eq(st.rows, 3005);
    cr_assert_eq(st.rejected, 5);
    cr_assert_eq(st.loaded + st.rejected, st.rows, "every row comes out once");
    cr_assert(strstr(rejects, "row,line,field,reason") == rejects);
    cr_assert(strstr(rejects, "3001,3002,student_number,") != NULL, "%s", rejects);
    cr_assert(strstr(rejects, ",name,missing") != NULL, "%s", rejects);
    cr_assert(strstr(rejects, ",birth_date,") != NULL);
    cr_assert(strstr(rejects, ",school_code,") != NULL);
    cr_assert(strstr(rejects, ",status,") != NULL);
    cr_assert(strstr(rejects, "110105194912310021") == NULL, "no ID in the rejects");
    uint64_t total = records_total(db);
    cr_assert_gt(total, 2900);

    /* Loading the same file again changes nothing. */
    cr_assert_eq(load_registry(db, csv, 0, &st, rejects, sizeof rejects), XJ_OK);
    cr_assert_eq(records_total(db), total);

    /* Everything loaded can be found by key, by ID and by blocking key. */
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    char id[19] = "11010520120303003?"; /* row 2: March 3rd, sequence 003 */
    id[17] = xj_idcard_check_char(id);
    xj_reckey keys[4];
    size_t count = 0;
    cr_assert_eq(xj_index_find_by_id(idx, (const char(*)[19]) & id, 1, 4, keys, &count), XJ_OK);
    cr_assert_eq(count, 1, "one record for the ID even after two loads (%zu)", count);
    xj_record rec;
    int found = 0;
    cr_assert_eq(xj_index_get_records(idx, keys, 1, &rec, &found), XJ_OK);
    cr_assert(found);
    cr_assert_str_eq(rec.id, id);
    cr_assert_eq(rec.birth, 20120303);
    cr_assert_str_eq(rec.school_code, "1110105001");
    xj_block_key bk[XJ_BLOCK_KEYS_MAX];
    size_t nb = xj_index_block_keys(&rec, bk);
    xj_reckey post[XJ_BLOCK_KEYS_MAX * 8];
    size_t pc[XJ_BLOCK_KEYS_MAX];
    uint64_t pt[XJ_BLOCK_KEYS_MAX];
    cr_assert_eq(xj_index_get_postings(idx, bk, nb, 8, post, pc, pt), XJ_OK);
    for (size_t i = 0; i < nb; i++) {
        int in = 0;
        for (size_t j = 0; j < pc[i]; j++)
            in |= memcmp(post[i * 8 + j].b, keys[0].b, 9) == 0;
        cr_assert(in || pc[i] == 8, "blocking key %zu finds its record", i);
    }
    xj_index_close(idx);
}

Test(index, tiny_memory_budget_gives_the_same_index)
{
    char csv[300], db1[300], db2[300], rejects[4096];
    snprintf(csv, sizeof csv, "%s/reg.csv", dir);
    snprintf(db1, sizeof db1, "%s/db1", dir);
    snprintf(db2, sizeof db2, "%s/db2", dir);
    registry_csv(csv, 2000);
    xj_load_stats a, b;
    cr_assert_eq(load_registry(db1, csv, 0, &a, rejects, sizeof rejects), XJ_OK);
    /* 4 KB forces every partition to be split again before sorting. */
    cr_assert_eq(load_registry(db2, csv, 4 << 10, &b, rejects, sizeof rejects), XJ_OK);
    cr_assert_gt(b.sst_files, a.sst_files, "the small budget split partitions");
    cr_assert_eq(records_total(db1), records_total(db2));
    xj_index *i1, *i2;
    cr_assert_eq(xj_index_open(db1, NULL, &i1), XJ_OK);
    cr_assert_eq(xj_index_open(db2, NULL, &i2), XJ_OK);
    for (int i = 0; i < 2000; i += 97) {
        char id[19];
        snprintf(id, sizeof id, "1101052012%02d%02d%03d", 1 + i % 12, 1 + i % 28, 1 + i % 997);
        id[17] = xj_idcard_check_char(id);
        id[18] = '\0';
        char number[20] = "G";
        memcpy(number + 1, id, 19);
        xj_reckey k;
        cr_assert_eq(xj_reckey_pack(number, 19, &k), XJ_OK);
        xj_record r1, r2;
        int f1 = 0, f2 = 0;
        cr_assert_eq(xj_index_get_records(i1, &k, 1, &r1, &f1), XJ_OK);
        cr_assert_eq(xj_index_get_records(i2, &k, 1, &r2, &f2), XJ_OK);
        cr_assert(f1 && f2);
        cr_assert_str_eq(r1.name, r2.name);
        cr_assert_str_eq(r1.pinyin, r2.pinyin);
    }
    xj_index_close(i1);
    xj_index_close(i2);
}

Test(index, missing_column_is_an_input_error_and_writes_nothing)
{
    char csv[300], db[300], rejects[4096];
    snprintf(csv, sizeof csv, "%s/bad.csv", dir);
    snprintf(db, sizeof db, "%s/db", dir);
    FILE *fp = fopen(csv, "w");
    fprintf(fp, "name,gender,birth_date\n张三,男,2012-01-01\n");
    fclose(fp);
    xj_load_stats st;
    cr_assert_eq(load_registry(db, csv, 0, &st, rejects, sizeof rejects), XJ_ERR_CSV_HEADER);
    cr_assert_eq(records_total(db), 0);
}

/* ---- commits ------------------------------------------------------------------- */

Test(index, numbers_are_never_given_twice)
{
    char db[300];
    snprintf(db, sizeof db, "%s/db", dir);
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    uint8_t fp1[16] = {1}, fp2[16] = {2};
    xj_commit *c;
    unsigned seq;
    cr_assert_eq(xj_commit_begin(idx, fp1, &c), XJ_OK);
    for (unsigned i = 0; i < 3; i++) {
        cr_assert_eq(xj_commit_next_j(c, "110105", 20150101, &seq), XJ_OK);
        cr_assert_eq(seq, i);
    }
    cr_assert_eq(xj_commit_next_l(c, "110105", 20150101, &seq), XJ_OK);
    cr_assert_eq(seq, 0, "J and L sequences are separate");
    cr_assert_eq(xj_commit_put_batch_number(c, 0, "J110105201501010007"), XJ_OK);
    cr_assert_eq(xj_commit_write(c), XJ_OK);

    /* An aborted commit reserves nothing for good. */
    cr_assert_eq(xj_commit_begin(idx, fp2, &c), XJ_OK);
    cr_assert_eq(xj_commit_next_j(c, "110105", 20150101, &seq), XJ_OK);
    cr_assert_eq(seq, 3);
    xj_commit_abort(c);
    xj_index_close(idx);

    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    cr_assert_eq(xj_commit_begin(idx, fp2, &c), XJ_OK);
    cr_assert_eq(xj_commit_next_j(c, "110105", 20150101, &seq), XJ_OK);
    cr_assert_eq(seq, 3, "counters survive a reopen");
    xj_commit_abort(c);

    /* The same batch again: recognised, its numbers readable. */
    cr_assert_eq(xj_commit_begin(idx, fp1, &c), XJ_OK);
    cr_assert(xj_commit_already_done(c));
    xj_commit_abort(c);
    char number[20];
    cr_assert_eq(xj_index_batch_number(idx, fp1, 0, number), XJ_OK);
    cr_assert_str_eq(number, "J110105201501010007");
    cr_assert_eq(xj_index_batch_number(idx, fp1, 1, number), XJ_ERR_NOT_FOUND);
    xj_index_close(idx);
}

/* A child commits 2,000 records in one commit and is killed at a random
 * moment; the index must then hold all of them or none. */
Test(index, a_killed_commit_leaves_all_or_nothing)
{
    char db[300];
    snprintf(db, sizeof db, "%s/db", dir);
    for (int round = 0; round < 6; round++) {
        char path[320];
        snprintf(path, sizeof path, "%s-%d", db, round);
        pid_t pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0) {
            xj_index *idx;
            if (xj_index_open(path, NULL, &idx) != XJ_OK)
                _exit(2);
            uint8_t fp[16] = {9};
            xj_commit *c;
            if (xj_commit_begin(idx, fp, &c) != XJ_OK)
                _exit(2);
            for (unsigned i = 0; i < 2000; i++) {
                xj_record r = person("赵钱", 'M', 20150101, "", "");
                unsigned seq;
                xj_commit_next_l(c, "110105", 20150101, &seq);
                xj_number_make_l("110105", "20150101", seq, r.student_number);
                xj_reckey_pack(r.student_number, 19, &r.key);
                xj_commit_put_record(c, &r);
            }
            xj_commit_write(c);
            xj_index_close(idx);
            _exit(0);
        }
        struct timespec pause = {0, (long)(20 + round * 40) * 1000000L};
        nanosleep(&pause, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        xj_index *idx;
        if (xj_index_open(path, NULL, &idx) != XJ_OK) {
            xj_index_close(idx);
            continue; /* killed before the database was created */
        }
        xj_index_stats st;
        cr_assert_eq(xj_index_get_stats(idx, &st), XJ_OK);
        cr_assert(st.records == 0 || st.records == 2000, "round %d: %llu records", round,
                  (unsigned long long)st.records);
        uint8_t fp[16] = {9};
        xj_commit *c;
        cr_assert_eq(xj_commit_begin(idx, fp, &c), XJ_OK);
        unsigned seq;
        cr_assert_eq(xj_commit_next_l(c, "110105", 20150101, &seq), XJ_OK);
        cr_assert_eq(seq, st.records ? 2000u : 0u, "counters move with the records");
        cr_assert_eq(xj_commit_already_done(c), st.records == 2000);
        xj_commit_abort(c);
        xj_index_close(idx);
    }
}
