/*
 * test_index_bulk.c: the parallel bulk loader.  The input is cut into one
 * block per thread at record boundaries and plain blocks skip the CSV
 * reader, so any thread count must give the same rows, lines, rejects and
 * index; keys repeated inside one file count once; population loads keep
 * former names; posting lists keep their total past the cap; records come
 * back with every field, over-long ones cut.
 */
#define _DEFAULT_SOURCE /* realpath */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xj/index.h"

static char dir[256];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/xj-test-index-bulk-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(index_bulk, .init = make_dir, .fini = remove_dir);

/* A valid 18-character ID for county 110105, the date and a sequence. */
static void make_id(char id[19], unsigned y, unsigned m, unsigned d, unsigned seq)
{
    snprintf(id, 19, "110105%04u%02u%02u%03u", y, m, d, seq % 1000);
    id[17] = xj_idcard_check_char(id);
    id[18] = '\0';
}

/* A J number: J + region + birth date + 3-digit sequence + check. */
static void make_j(char out[20], const char *region, unsigned birth, unsigned seq)
{
    snprintf(out, 20, "J%s%08u%03u", region, birth, seq % 1000);
    out[18] = xj_idcard_check_char(out + 1);
    out[19] = '\0';
}

typedef struct loaded {
    xj_load_stats st;
    char *rejects;
} loaded;

static int load(const char *db, const char *csv, int population, int threads, size_t budget,
                loaded *out)
{
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK, "%s", xj_index_errmsg(idx));
    FILE *in = fopen(csv, "rb");
    cr_assert_not_null(in);
    size_t len = 0;
    out->rejects = NULL;
    FILE *rj = open_memstream(&out->rejects, &len);
    xj_load_options lo;
    xj_load_options_init(&lo);
    lo.rejects = rj;
    lo.threads = threads;
    lo.memory_budget = budget;
    lo.today = 20240901;
    int rc = population ? xj_index_load_population(idx, in, &lo, &out->st)
                        : xj_index_load_registry(idx, in, &lo, &out->st);
    if (rc != XJ_OK)
        fprintf(stderr, "load: %s\n", xj_index_errmsg(idx));
    fclose(rj);
    fclose(in);
    xj_index_close(idx);
    return rc;
}

/* A registry file that is hard to cut: quoted fields holding commas, line
 * breaks and doubled quotes, CRLF lines, blank lines, a stray quote, a
 * row of bytes that are not UTF-8, and bad rows spread all over. */
static int tricky_csv(const char *path, int n)
{
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp);
    fprintf(fp, "\xEF\xBB\xBFstudent_number,name,gender,birth_date,id_number,school_code,"
                "school_region,guardian_name,grade\r\n");
    int good = 0;
    for (int i = 0; i < n; i++) {
        char id[19];
        make_id(id, 2012, 1 + (unsigned)i % 12, 1 + (unsigned)i % 28, (unsigned)i);
        const char *eol = i % 3 == 0 ? "\r\n" : "\n";
        switch (i % 50) {
        case 7: /* a guardian name with a line break and a comma, quoted */
            fprintf(fp,
                    "G%s,王%d,男,2012-%02d-%02d,%s,1110105001,110105,\"张,\n三\",\"一\"\"年级\"%s",
                    id, i % 7, 1 + i % 12, 1 + i % 28, id, eol);
            good++;
            break;
        case 13: /* a stray quote: rejected as a malformed row */
            fprintf(fp, "G%s,李\"%d,女,2012-%02d-%02d,%s,1110105001,110105,,%s", id, i, 1 + i % 12,
                    1 + i % 28, id, eol);
            break;
        case 21: /* not UTF-8 */
            fprintf(fp, "G%s,\xff\xfe,女,2012-%02d-%02d,%s,1110105001,110105,,%s", id, 1 + i % 12,
                    1 + i % 28, id, eol);
            break;
        case 29: /* an impossible date */
            fprintf(fp, "G%s,赵%d,女,2012-02-30,%s,1110105001,110105,,%s", id, i, id, eol);
            break;
        case 37: /* a blank line, then a good row */
            fprintf(fp, "%s", eol);
            fprintf(fp, "G%s,钱%d,男,2012-%02d-%02d,%s,1110105001,110105,,%s", id, i % 5,
                    1 + i % 12, 1 + i % 28, id, eol);
            good++;
            break;
        default:
            fprintf(fp, "G%s,孙%d,%s,2012-%02d-%02d,%s,1110105001,110105,,二年级%s", id, i % 9,
                    i % 2 ? "男" : "女", 1 + i % 12, 1 + i % 28, id, eol);
            good++;
        }
    }
    fclose(fp);
    return good;
}

Test(index_bulk, any_thread_count_cuts_the_same_rows)
{
    char csv[300];
    snprintf(csv, sizeof csv, "%s/tricky.csv", dir);
    int good = tricky_csv(csv, 4000);
    loaded ref = {0};
    char db[300];
    snprintf(db, sizeof db, "%s/db1", dir);
    cr_assert_eq(load(db, csv, 0, 1, 0, &ref), XJ_OK);
    cr_assert_eq(ref.st.rows, 4000);
    cr_assert_eq(ref.st.loaded, (uint64_t)good);
    cr_assert_eq(ref.st.loaded + ref.st.rejected, ref.st.rows);
    /* Row 14 (i = 13) has the stray quote; the rows before hold one quoted
     * line break (i = 7), so it starts on line 16. */
    cr_assert(strstr(ref.rejects, "\n14,16,(row),") != NULL, "%s", ref.rejects);
    cr_assert(strstr(ref.rejects, "birth_date '2012-02-30' is not a date") != NULL);
    static const int threads[] = {2, 3, 7};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        loaded other = {0};
        snprintf(db, sizeof db, "%s/db-t%d", dir, threads[t]);
        cr_assert_eq(load(db, csv, 0, threads[t], 0, &other), XJ_OK);
        cr_assert_eq(other.st.rows, ref.st.rows, "threads %d", threads[t]);
        cr_assert_eq(other.st.loaded, ref.st.loaded);
        cr_assert_str_eq(other.rejects, ref.rejects, "threads %d: same rejects, same lines",
                         threads[t]);
        free(other.rejects);
    }
    /* The quoted guardian name came through whole. */
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    char id[19], number[20] = "G";
    make_id(id, 2012, 8, 8, 7);
    memcpy(number + 1, id, 19);
    xj_reckey k;
    cr_assert_eq(xj_reckey_pack(number, 19, &k), XJ_OK);
    xj_record r;
    int found = 0;
    cr_assert_eq(xj_index_get_records(idx, &k, 1, &r, &found), XJ_OK);
    cr_assert(found);
    cr_assert(strstr(r.guardian_name, "张") != NULL, "%s", r.guardian_name);
    cr_assert_str_eq(r.grade, "一\"年级");
    xj_index_close(idx);
    free(ref.rejects);
}

Test(index_bulk, a_key_repeated_in_one_file_counts_once_and_the_last_wins)
{
    char csv[300], db[300];
    snprintf(csv, sizeof csv, "%s/dup.csv", dir);
    snprintf(db, sizeof db, "%s/db", dir);
    FILE *fp = fopen(csv, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "student_number,name,gender,birth_date,school_code,school_region\n");
    char id[19];
    make_id(id, 2013, 5, 6, 17);
    fprintf(fp, "G%s,欧阳娜娜,女,2013-05-06,1110105001,110105\n", id);
    fprintf(fp, "G%s,欧阳娜,女,2013-05-06,1110105001,110105\n", id);
    char j[20];
    make_j(j, "110105", 20130506, 1);
    fprintf(fp, "%s,欧阳娜,女,2013-05-06,1110105001,110105\n", j);
    fclose(fp);
    loaded a = {0};
    cr_assert_eq(load(db, csv, 0, 2, 0, &a), XJ_OK, "%s", a.rejects);
    cr_assert_eq(a.st.loaded, 3, "%s", a.rejects);
    free(a.rejects);
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    xj_index_stats st;
    cr_assert_eq(xj_index_get_stats(idx, &st), XJ_OK);
    cr_assert_eq(st.records, 2, "two distinct student numbers");
    const char *names[] = {"欧阳娜", "欧阳娜娜"};
    uint64_t f[2];
    cr_assert_eq(xj_index_name_freq(idx, names, 2, f), XJ_OK);
    cr_assert_eq(f[0], 2, "the G record's last name and the J record");
    cr_assert_eq(f[1], 0, "the overwritten name is not counted");
    char number[20] = "G";
    memcpy(number + 1, id, 19);
    xj_reckey k;
    cr_assert_eq(xj_reckey_pack(number, 19, &k), XJ_OK);
    xj_record r;
    int found = 0;
    cr_assert_eq(xj_index_get_records(idx, &k, 1, &r, &found), XJ_OK);
    cr_assert(found);
    cr_assert_str_eq(r.name, "欧阳娜", "the last row of a key wins");
    /* The J number moved its counter past sequence 001. */
    xj_commit *c;
    uint8_t fpr[16] = {9};
    cr_assert_eq(xj_commit_begin(idx, fpr, &c), XJ_OK);
    unsigned seq = 0;
    cr_assert_eq(xj_commit_next_j(c, "110105", 20130506, &seq), XJ_OK);
    cr_assert_eq(seq, 2);
    xj_commit_abort(c);
    xj_index_close(idx);
}

Test(index_bulk, population_keeps_four_former_names_and_reloads_idempotently)
{
    char csv[300], db[300];
    snprintf(csv, sizeof csv, "%s/pop.csv", dir);
    snprintf(db, sizeof db, "%s/db", dir);
    FILE *fp = fopen(csv, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "身份证件号,姓名,性别,出生日期,民族,户口所在地,状态,曾用名\n");
    char id[19];
    for (int i = 0; i < 1500; i++) {
        make_id(id, 2011, 1 + (unsigned)i % 12, 1 + (unsigned)i % 28, (unsigned)i);
        fprintf(fp, "%s,周%d,%s,2011-%02d-%02d,汉族,110105,%s,%s\n", id, i % 11,
                i % 2 ? "男" : "女", 1 + i % 12, 1 + i % 28, i == 5 ? "死亡" : "",
                i == 3   ? "甲一|乙二|丙三|丁四|戊五"
                : i == 4 ? "\"庚六、辛七；壬八,癸九\""
                         : "");
    }
    fprintf(fp, "110105201101010000,吴,男,2011-01-01,,,,\n"); /* checksum */
    fclose(fp);
    loaded a = {0}, b = {0};
    cr_assert_eq(load(db, csv, 1, 2, 0, &a), XJ_OK);
    cr_assert_eq(a.st.loaded, 1500);
    cr_assert_eq(a.st.rejected, 1);
    cr_assert(strstr(a.rejects, "1501,1502,id_number,ID_") != NULL, "%s", a.rejects);
    cr_assert(strstr(a.rejects, "110105201101010000") == NULL, "no ID in the rejects");
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    xj_index_stats s1;
    cr_assert_eq(xj_index_get_stats(idx, &s1), XJ_OK);
    cr_assert_eq(s1.persons, 1500);
    const char *names[] = {"周3"};
    uint64_t f1, f2;
    cr_assert_eq(xj_index_name_freq(idx, names, 1, &f1), XJ_OK);
    xj_index_close(idx);

    cr_assert_eq(load(db, csv, 1, 3, 1 << 20, &b), XJ_OK);
    cr_assert_str_eq(a.rejects, b.rejects);
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    xj_index_stats s2;
    cr_assert_eq(xj_index_get_stats(idx, &s2), XJ_OK);
    cr_assert_eq(s2.persons, 1500, "a reload adds no persons");
    cr_assert_eq(xj_index_name_freq(idx, names, 1, &f2), XJ_OK);
    cr_assert_eq(f1, f2, "nor name counts");
    cr_assert_gt(f1, 100);

    char ids[2][19];
    make_id(ids[0], 2011, 4, 4, 3);
    make_id(ids[1], 2011, 6, 6, 5);
    xj_person p[2];
    int found[2];
    cr_assert_eq(xj_index_get_persons(idx, (const char(*)[19])ids, 2, p, found), XJ_OK);
    cr_assert(found[0] && found[1]);
    cr_assert_eq(p[0].nformer, XJ_FORMER_MAX);
    cr_assert_str_eq(p[0].former[0], "甲一");
    cr_assert_str_eq(p[0].former[3], "丁四");
    char id4[19];
    make_id(id4, 2011, 5, 5, 4);
    xj_person p4;
    int found4;
    cr_assert_eq(xj_index_get_persons(idx, (const char(*)[19])id4, 1, &p4, &found4), XJ_OK);
    cr_assert(found4);
    cr_assert_eq(p4.nformer, 4, "、；, separate former names too");
    cr_assert_str_eq(p4.former[1], "辛七");
    cr_assert_str_eq(p4.former[3], "癸九");
    cr_assert_str_eq(p[0].hukou_region, "110105");
    cr_assert_eq(p[0].birth, 20110404);
    cr_assert_eq(p[1].status, XJ_PERSON_DECEASED);
    xj_index_close(idx);
    free(a.rejects);
    free(b.rejects);
}

Test(index_bulk, a_posting_list_past_the_cap_keeps_its_total)
{
    char csv[300], db[300];
    snprintf(csv, sizeof csv, "%s/same.csv", dir);
    snprintf(db, sizeof db, "%s/db", dir);
    FILE *fp = fopen(csv, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "student_number,name,gender,birth_date,school_code,school_region\n");
    const int n = XJ_POSTING_MAX + 100;
    for (int i = 0; i < n; i++)
        fprintf(fp, "L1101052014010%05d,张伟,男,2014-01-01,1110105001,110105\n", i);
    fclose(fp);
    loaded a = {0};
    cr_assert_eq(load(db, csv, 0, 2, 0, &a), XJ_OK);
    cr_assert_eq(a.st.loaded, (uint64_t)n, "%s", a.rejects);
    free(a.rejects);
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    xj_record r;
    memset(&r, 0, sizeof r);
    xj_name nm;
    xj_name_normalize("张伟", strlen("张伟"), &nm);
    memcpy(r.name, nm.normalized, sizeof r.name);
    memcpy(r.pinyin, nm.pinyin, sizeof r.pinyin);
    r.gender = 'M';
    r.birth = 20140101;
    xj_block_key bk[XJ_BLOCK_KEYS_MAX];
    size_t nb = xj_index_block_keys(&r, bk);
    cr_assert_gt(nb, 0);
    xj_reckey *keys = malloc(XJ_POSTING_MAX * sizeof *keys);
    size_t count = 0;
    uint64_t total = 0;
    cr_assert_eq(xj_index_get_postings(idx, bk, 1, XJ_POSTING_MAX, keys, &count, &total), XJ_OK);
    cr_assert_eq(count, XJ_POSTING_MAX);
    cr_assert_eq(total, (uint64_t)n);
    for (size_t i = 1; i < count; i++)
        cr_assert_lt(memcmp(keys[i - 1].b, keys[i].b, 9), 0, "sorted and unique");
    free(keys);
    xj_index_close(idx);
}

Test(index_bulk, a_committed_record_comes_back_with_every_field)
{
    char db[300];
    snprintf(db, sizeof db, "%s/db", dir);
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, NULL, &idx), XJ_OK);
    xj_record r;
    memset(&r, 0, sizeof r);
    make_j(r.student_number, "110105", 20130506, 2);
    cr_assert_eq(xj_reckey_pack(r.student_number, 19, &r.key), XJ_OK);
    r.status = XJ_STATUS_SUSPENDED;
    r.id_type = XJ_IDTYPE_PASSPORT;
    r.gender = 'F';
    r.birth = 20130506;
    snprintf(r.doc, sizeof r.doc, "E12345678");
    snprintf(r.school_code, sizeof r.school_code, "1110105001");
    snprintf(r.school_region, sizeof r.school_region, "110105");
    snprintf(r.hukou_region, sizeof r.hukou_region, "320102");
    snprintf(r.name, sizeof r.name, "欧阳娜娜");
    snprintf(r.pinyin, sizeof r.pinyin, "ouyang na na");
    snprintf(r.name_raw, sizeof r.name_raw, " 歐陽娜娜 ");
    snprintf(r.guardian_name, sizeof r.guardian_name, "欧阳震华");
    make_id(r.guardian_id, 1980, 1, 1, 123);
    memset(r.ethnicity, 'e', sizeof r.ethnicity - 1); /* the longest that fits */
    memset(r.grade, 'g', sizeof r.grade - 1);
    uint8_t fpr[16] = {1, 2, 3};
    xj_commit *c;
    cr_assert_eq(xj_commit_begin(idx, fpr, &c), XJ_OK);
    cr_assert_eq(xj_commit_put_record(c, &r), XJ_OK);
    cr_assert_eq(xj_commit_write(c), XJ_OK);
    xj_record back;
    int found = 0;
    cr_assert_eq(xj_index_get_records(idx, &r.key, 1, &back, &found), XJ_OK);
    cr_assert(found);
    cr_assert_str_eq(back.student_number, r.student_number);
    cr_assert_eq(back.status, r.status);
    cr_assert_eq(back.id_type, r.id_type);
    cr_assert_eq(back.gender, 'F');
    cr_assert_eq(back.birth, r.birth);
    cr_assert_str_eq(back.id, "");
    cr_assert_str_eq(back.doc, r.doc);
    cr_assert_str_eq(back.school_code, r.school_code);
    cr_assert_str_eq(back.school_region, r.school_region);
    cr_assert_str_eq(back.hukou_region, r.hukou_region);
    cr_assert_str_eq(back.name, r.name);
    cr_assert_str_eq(back.pinyin, r.pinyin);
    cr_assert_str_eq(back.name_raw, r.name_raw);
    cr_assert_str_eq(back.guardian_name, r.guardian_name);
    cr_assert_str_eq(back.guardian_id, r.guardian_id);
    cr_assert_str_eq(back.ethnicity, r.ethnicity);
    cr_assert_str_eq(back.grade, r.grade);
    xj_index_close(idx);
}

/* The mapped table files of the index at db: how many mappings, and the
 * share of their pages present in this process's page tables (smaps' Rss
 * over Size). */
static double sst_resident(const char *db, int *maps)
{
    char real[4096];
    cr_assert_not_null(realpath(db, real));
    FILE *fp = fopen("/proc/self/smaps", "r");
    cr_assert_not_null(fp);
    char line[8192];
    int in_sst = 0;
    long size = 0, rss = 0;
    *maps = 0;
    while (fgets(line, sizeof line, fp)) {
        long kb;
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) { /* a mapping's first line */
            const char *path = strchr(line, '/');
            in_sst =
                path && strncmp(path, real, strlen(real)) == 0 && strstr(path, ".sst\n") != NULL;
            *maps += in_sst;
        } else if (in_sst && sscanf(line, "Size: %ld kB", &kb) == 1) {
            size += kb;
        } else if (in_sst && sscanf(line, "Rss: %ld kB", &kb) == 1) {
            rss += kb;
        }
    }
    fclose(fp);
    return size ? (double)rss / (double)size : 0.0;
}

Test(index_bulk, prefault_maps_every_table_page_and_reads_the_same)
{
    char csv[300], db[300];
    snprintf(csv, sizeof csv, "%s/pop.csv", dir);
    snprintf(db, sizeof db, "%s/db", dir);
    FILE *fp = fopen(csv, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "身份证件号,姓名,性别,出生日期,民族,户口所在地,状态,曾用名\n");
    char id[19];
    for (int i = 0; i < 200000; i++) {
        /* (year, month, day) repeat every 420 rows: unique IDs */
        make_id(id, 1990 + (unsigned)i % 30, 1 + (unsigned)i % 12, 1 + (unsigned)i % 28,
                1 + (unsigned)i / 420);
        fprintf(fp, "%s,郑%d,%s,%04d-%02d-%02d,汉族,110105,,\n", id, i % 97, i % 2 ? "男" : "女",
                1990 + i % 30, 1 + i % 12, 1 + i % 28);
    }
    fclose(fp);
    loaded a = {0};
    cr_assert_eq(load(db, csv, 1, 2, 0, &a), XJ_OK);
    cr_assert_eq(a.st.loaded, 200000, "%s", a.rejects);
    free(a.rejects);

    xj_index_options io;
    xj_index_options_init(&io);
    io.create_if_missing = 0;
    io.read_only = 1;
    char ids[1][19];
    make_id(ids[0], 1997, 2, 22, 19); /* row 7777 */
    xj_person p[2];
    int found[2];
    int maps;

    /* Without: a table maps the pages it reads (footer, index, filter, the
     * block of the lookup), a few of its file's. */
    xj_index *idx;
    cr_assert_eq(xj_index_open(db, &io, &idx), XJ_OK, "%s", xj_index_errmsg(idx));
    cr_assert_eq(xj_index_get_persons(idx, (const char(*)[19])ids, 1, p, found), XJ_OK);
    double share = sst_resident(db, &maps);
    cr_assert_gt(maps, 0, "the population's tables are mapped once read");
    cr_assert_lt(share, 0.8, "a lookup alone leaves most pages unmapped (%.2f)", share);
    xj_index_close(idx);

    /* Prefault is best effort: a kernel before 5.14 has no
     * MADV_POPULATE_READ (22) and just faults later. */
    void *probe = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(probe, MAP_FAILED);
    int supported = madvise(probe, 4096, 22) == 0;
    munmap(probe, 4096);
    if (!supported)
        cr_skip_test("no MADV_POPULATE_READ in this kernel");
    io.prefault = 1;
    cr_assert_eq(xj_index_open(db, &io, &idx), XJ_OK, "%s", xj_index_errmsg(idx));
    share = sst_resident(db, &maps);
    cr_assert_gt(maps, 0, "every table is open and mapped at once");
    /* All of them; a little less only if the kernel reclaimed some page
     * since (a busy machine). */
    cr_assert_gt(share, 0.95, "%.3f of the pages of %d mappings are mapped", share, maps);
    cr_assert_eq(xj_index_get_persons(idx, (const char(*)[19])ids, 1, p, found), XJ_OK);
    cr_assert(found[0]);
    cr_assert_eq(p[0].birth, 19970222);
    xj_index_close(idx);
}

/* The bytes of the table files under db. */
static long long sst_bytes(const char *db)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat '%s'/*.sst | wc -c", db);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    long long n = -1;
    cr_assert_eq(fscanf(p, "%lld", &n), 1);
    pclose(p);
    return n;
}

Test(index_bulk, a_compressed_index_is_smaller_and_reads_the_same)
{
    char csv[300], plain[300], packed[300];
    snprintf(csv, sizeof csv, "%s/pop.csv", dir);
    snprintf(plain, sizeof plain, "%s/plain", dir);
    snprintf(packed, sizeof packed, "%s/packed", dir);
    FILE *fp = fopen(csv, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "身份证件号,姓名,性别,出生日期,民族,户口所在地,状态,曾用名\n");
    char id[19];
    for (int i = 0; i < 50000; i++) {
        make_id(id, 1990 + (unsigned)i % 30, 1 + (unsigned)i % 12, 1 + (unsigned)i % 28,
                1 + (unsigned)i / 420);
        fprintf(fp, "%s,郑%d,%s,%04d-%02d-%02d,汉族,110105,,\n", id, i % 97, i % 2 ? "男" : "女",
                1990 + i % 30, 1 + i % 12, 1 + i % 28);
    }
    fclose(fp);
    const char *dbs[2] = {plain, packed};
    xj_person p[2][1];
    int found[2][1];
    char ids[1][19];
    make_id(ids[0], 1997, 2, 22, 19); /* row 7777 */
    for (int k = 0; k < 2; k++) {
        xj_index_options io;
        xj_index_options_init(&io);
        io.compress = k;
        xj_index *idx;
        cr_assert_eq(xj_index_open(dbs[k], &io, &idx), XJ_OK, "%s", xj_index_errmsg(idx));
        FILE *in = fopen(csv, "rb");
        xj_load_options lo;
        xj_load_options_init(&lo);
        lo.today = 20240901;
        xj_load_stats st;
        cr_assert_eq(xj_index_load_population(idx, in, &lo, &st), XJ_OK, "%s",
                     xj_index_errmsg(idx));
        fclose(in);
        cr_assert_eq(st.loaded, 50000);
        xj_index_close(idx);
        /* Read back without the option: files say how they are written. */
        cr_assert_eq(xj_index_open(dbs[k], NULL, &idx), XJ_OK, "%s", xj_index_errmsg(idx));
        cr_assert_eq(xj_index_get_persons(idx, (const char(*)[19])ids, 1, p[k], found[k]), XJ_OK);
        cr_assert(found[k][0]);
        xj_index_close(idx);
    }
    cr_assert_str_eq(p[0][0].name, p[1][0].name);
    cr_assert_eq(p[0][0].birth, p[1][0].birth);
    long long a = sst_bytes(plain), b = sst_bytes(packed);
    cr_assert_lt(b * 10, a * 8, "compressed %lld bytes, plain %lld", b, a);
}
