/*
 * test_report.c: the conflict review report on synthetic verdicts.
 *
 * No index is needed: each test builds the xj_input / xj_verdict pairs the
 * engine would hand to on_row and checks what the report makes of them:
 * escaping of hostile values, masking (no 18-character ID anywhere unless
 * unmasked, and then an audit line without the ID), counts, grouping by
 * school in input order, the caps that bound memory, and the rows of the
 * conflicts CSV.  The "large" test writes a 10,000-conflict report for the
 * browser timing of tests/e2e/report.sh (to $XJ_REPORT_LARGE_OUT when set).
 */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xj/report.h"

/* ---- helpers ------------------------------------------------------------------ */

static char tmpdir[64];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/xj-report-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static const char *tmp_path(const char *name)
{
    static char buf[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
    return buf[i];
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)n + 1);
    cr_assert_eq(fread(s, 1, (size_t)n, fp), (size_t)n);
    s[n] = '\0';
    fclose(fp);
    return s;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A valid 18-character resident ID from 17 digits. */
static void make_id(const char *digits17, char out[19])
{
    memcpy(out, digits17, 17);
    out[17] = xj_idcard_check_char(digits17);
    out[18] = '\0';
}

static xj_slice sl(const char *s)
{
    xj_slice x = {s, s ? strlen(s) : 0};
    return x;
}

/* One batch row with its verdict, filled with plausible values. */
typedef struct fixture {
    xj_input in;
    xj_verdict v;
    char id[19], gid[19], rid[32];
} fixture;

static void fixture_init(fixture *f, xj_decision d, const char *rid, const char *school)
{
    memset(f, 0, sizeof *f);
    make_id("11010520100101002", f->id);
    make_id("11010519800101003", f->gid);
    snprintf(f->rid, sizeof f->rid, "%s", rid);
    f->in.record_id = sl(f->rid);
    f->in.name = sl("张伟");
    f->in.gender = sl("男");
    f->in.birth_date = sl("2010-01-01");
    f->in.id_number = sl(f->id);
    f->in.hukou_region = sl("110105");
    f->in.school_code = sl(school);
    f->in.school_region = sl("110105");
    f->in.grade = sl("三年级");
    f->in.guardian_name = sl("张强");
    f->in.guardian_id = sl(f->gid);
    f->v.decision = d;
    snprintf(f->v.student_number, sizeof f->v.student_number, "L1101052010010100%02d", 1);
    f->v.has_score = 1;
    f->v.score = 91.5;
    xj_reasons_add(&f->v.reasons, XJ_R_ID_EXACT);
    xj_reasons_add(&f->v.reasons, XJ_R_NAME_EQ);
    if (d == XJ_DUPLICATE || d == XJ_REVIEW) {
        f->v.ncandidates = 1;
        xj_record *rec = &f->v.candidates[0].rec;
        xj_number_make_g(f->id, rec->student_number);
        snprintf(f->v.matched, sizeof f->v.matched, "%s", rec->student_number);
        rec->status = XJ_STATUS_ENROLLED;
        rec->gender = 'M';
        rec->birth = 20100101;
        memcpy(rec->id, f->id, 19);
        snprintf(rec->school_code, sizeof rec->school_code, "1101050099");
        snprintf(rec->school_region, sizeof rec->school_region, "110105");
        snprintf(rec->hukou_region, sizeof rec->hukou_region, "110105");
        snprintf(rec->name, sizeof rec->name, "张伟");
        snprintf(rec->name_raw, sizeof rec->name_raw, "张伟");
        snprintf(rec->guardian_name, sizeof rec->guardian_name, "张强");
        memcpy(rec->guardian_id, f->gid, 19);
        snprintf(rec->grade, sizeof rec->grade, "二年级");
        f->v.candidates[0].score = 91.5;
    }
    if (d == XJ_POP_MISMATCH) {
        memset(&f->v.reasons, 0, sizeof f->v.reasons);
        xj_reasons_add(&f->v.reasons, XJ_R_POP_NAME_MISMATCH);
        f->v.has_score = 0;
        f->v.has_person = 1;
        memcpy(f->v.person.id, f->id, 19);
        f->v.person.gender = 'M';
        f->v.person.birth = 20100101;
        snprintf(f->v.person.name, sizeof f->v.person.name, "张卫");
        snprintf(f->v.person.hukou_region, sizeof f->v.person.hukou_region, "110105");
    }
}

static xj_report *open_report(int unmasked, size_t max_rows)
{
    xj_report_options o;
    xj_report_options_init(&o);
    o.html_path = tmp_path("r.html");
    o.conflicts_path = tmp_path("c.csv");
    o.unmasked = unmasked;
    o.audit_log = tmp_path("audit.log");
    o.user = "tester";
    o.batch_path = "/data/batch-2026-11.csv";
    o.max_rows = max_rows;
    o.now = 1790000000;
    xj_report *r = NULL;
    cr_assert_eq(xj_report_open(&o, &r), XJ_OK, "%s", xj_report_errmsg(r));
    return r;
}

/* Counts matches of an extended regular expression in s. */
static int count_re(const char *s, const char *pattern)
{
    regex_t re;
    cr_assert_eq(regcomp(&re, pattern, REG_EXTENDED), 0);
    int n = 0;
    regmatch_t m;
    while (regexec(&re, s, 1, &m, 0) == 0) {
        n++;
        s += m.rm_eo;
    }
    regfree(&re);
    return n;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static const char *const id_pattern = "[0-9]{17}[0-9X]";

/* ---- tests ------------------------------------------------------------------ */

TestSuite(report, .init = make_tmpdir);

Test(report, hostile_values_are_escaped)
{
    xj_report *r = open_report(0, 0);
    fixture f;
    fixture_init(&f, XJ_REVIEW, "</script><script>alert(1)</script>", "1101050001");
    f.in.name = sl("<b>王&\"小'明</b>");
    f.in.grade = sl("<!--");
    xj_report_row(r, 0, &f.in, &f.v);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK, "%s", xj_report_errmsg(r));
    xj_report_free(r);

    char *html = slurp(tmp_path("r.html"));
    cr_assert_null(strstr(html, "alert(1)</script>"));
    cr_assert_null(strstr(html, "<b>王"));
    cr_assert_null(strstr(html, "\"<!--"));
    cr_assert_not_null(strstr(html, "\\u003cb\\u003e王\\u0026\\\"小'明\\u003c/b\\u003e"));
    cr_assert_not_null(strstr(html, "<meta charset=\"utf-8\">"));
    /* Nothing is fetched: no external URL in any src or href. */
    cr_assert_null(strstr(html, "src=\"http"));
    cr_assert_null(strstr(html, "href=\"http"));
    cr_assert_null(strstr(html, "@import"));
    free(html);

    /* The CSV quotes what needs quoting and keeps the value as typed. */
    char *csv = slurp(tmp_path("c.csv"));
    cr_assert_not_null(strstr(csv, "\"<b>王&\"\"小'明</b>\""));
    free(csv);
}

Test(report, batch_path_is_escaped)
{
    xj_report_options o;
    xj_report_options_init(&o);
    o.html_path = tmp_path("r.html");
    o.batch_path = "a<b>&c.csv";
    xj_report *r = NULL;
    cr_assert_eq(xj_report_open(&o, &r), XJ_OK);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);
    char *html = slurp(tmp_path("r.html"));
    cr_assert_not_null(strstr(html, "a&lt;b&gt;&amp;c.csv"));
    free(html);
}

Test(report, masked_by_default)
{
    xj_report *r = open_report(0, 0);
    fixture f;
    xj_decision ds[] = {XJ_DUPLICATE, XJ_REVIEW, XJ_POP_MISMATCH};
    for (unsigned i = 0; i < 3; i++) {
        /* The record_id is an ID too (schools do that), and the name holds
         * one: both must be masked. */
        fixture_init(&f, ds[i], "", "1101050001");
        f.in.record_id = sl(f.id);
        f.in.name = sl("张伟110105201001010021");
        xj_report_row(r, i, &f.in, &f.v);
    }
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);

    char *html = slurp(tmp_path("r.html"));
    char *csv = slurp(tmp_path("c.csv"));
    cr_assert_eq(count_re(html, id_pattern), 0, "an unmasked ID in the HTML");
    cr_assert_eq(count_re(csv, id_pattern), 0, "an unmasked ID in the CSV");
    char masked[19];
    xj_idcard_mask(f.id, 18, masked);
    cr_assert_str_eq(masked, "110105********0029");
    cr_assert_not_null(strstr(html, masked));
    cr_assert_not_null(strstr(html, "G110105********0029"), "the G number is masked in place");
    /* Guardian IDs are hidden whole, not even the division code shows. */
    cr_assert_null(strstr(html, "110105********0032"));
    cr_assert_null(strstr(csv, "110105********0032"));
    cr_assert_not_null(strstr(csv, "******************,******************,yes"));
    /* Nothing was unmasked, so nothing was audited. */
    cr_assert_not(exists(tmp_path("audit.log")));
    free(html);
    free(csv);
}

Test(report, unmasked_shows_ids_and_audits)
{
    xj_report *r = open_report(1, 0);
    fixture f;
    fixture_init(&f, XJ_DUPLICATE, "r1", "1101050001");
    xj_report_row(r, 0, &f.in, &f.v);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);

    char *html = slurp(tmp_path("r.html"));
    cr_assert_not_null(strstr(html, f.id));
    cr_assert_not_null(strstr(html, f.gid));
    cr_assert_not_null(strstr(html, "data-masked=\"0\""));
    free(html);

    char *log = slurp(tmp_path("audit.log"));
    cr_assert_eq(count_lines(log), 2, "one line per file: %s", log);
    cr_assert_not_null(strstr(log, "user=tester"));
    cr_assert_not_null(strstr(log, "batch=/data/batch-2026-11.csv"));
    cr_assert_not_null(strstr(log, "unmasked report written to "));
    cr_assert_not_null(strstr(log, "unmasked conflicts file written to "));
    cr_assert_eq(count_re(log, id_pattern), 0);
    free(log);

    /* The log is appended to, never rewritten. */
    r = open_report(1, 0);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);
    log = slurp(tmp_path("audit.log"));
    cr_assert_eq(count_lines(log), 4);
    free(log);
}

Test(report, unmasked_needs_an_audit_log)
{
    xj_report_options o;
    xj_report_options_init(&o);
    o.html_path = tmp_path("r.html");
    o.unmasked = 1;
    xj_report *r = NULL;
    cr_assert_eq(xj_report_open(&o, &r), XJ_ERR_ARG);
    xj_report_free(r);
    xj_report_options_init(&o);
    cr_assert_eq(xj_report_open(&o, &r), XJ_ERR_ARG, "no file asked for");
    xj_report_free(r);
}

Test(report, unwritable_audit_log_leaves_no_report)
{
    xj_report_options o;
    xj_report_options_init(&o);
    o.html_path = tmp_path("r.html");
    o.unmasked = 1;
    o.audit_log = "/nonexistent-dir/audit.log";
    xj_report *r = NULL;
    cr_assert_eq(xj_report_open(&o, &r), XJ_OK);
    fixture f;
    fixture_init(&f, XJ_DUPLICATE, "r1", "1101050001");
    xj_report_row(r, 0, &f.in, &f.v);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_ERR_IO);
    xj_report_free(r);
    cr_assert_not(exists(tmp_path("r.html")));
    cr_assert_not(exists(tmp_path("r.html.partial")));
}

Test(report, counts_every_row)
{
    xj_report *r = open_report(0, 0);
    static const xj_decision seq[] = {XJ_ASSIGNED_G, XJ_DUPLICATE,       XJ_ASSIGNED_G,
                                      XJ_REVIEW,     XJ_INVALID,         XJ_POP_MISMATCH,
                                      XJ_ASSIGNED_J, XJ_BATCH_DUPLICATE, XJ_DUPLICATE};
    uint64_t want[XJ_DECISION_COUNT] = {0};
    fixture f;
    for (unsigned i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "r%u", i);
        fixture_init(&f, seq[i], rid, "1101050001");
        xj_report_row(r, i, &f.in, &f.v);
        want[seq[i]]++;
    }
    xj_report_counts n;
    xj_report_get_counts(r, &n);
    cr_assert_eq(n.rows, 9);
    cr_assert_eq(n.conflicts, 4);
    cr_assert_eq(n.kept, 4);
    for (int d = 0; d < XJ_DECISION_COUNT; d++)
        cr_assert_eq(n.by_decision[d], want[d], "%s", xj_decision_name((xj_decision)d));
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);

    char *html = slurp(tmp_path("r.html"));
    for (int d = 0; d < XJ_DECISION_COUNT; d++) {
        char needle[96];
        snprintf(needle, sizeof needle, "data-decision=\"%s\">%llu<",
                 xj_decision_name((xj_decision)d), (unsigned long long)want[d]);
        cr_assert_not_null(strstr(html, needle), "%s", needle);
    }
    cr_assert_not_null(strstr(html, "id=\"xj-total-rows\">9<"));
    cr_assert_not_null(strstr(html, "id=\"xj-conflicts\">4<"));
    cr_assert_not_null(strstr(html, "<svg id=\"xj-chart\""));
    free(html);
}

Test(report, grouped_by_school_in_input_order)
{
    xj_report *r = open_report(0, 0);
    /* Schools B, A, B, C, A, and a row without a school code. */
    static const char *const schools[] = {"2000000000", "1000000000", "2000000000",
                                          "3000000000", "1000000000", ""};
    fixture f;
    for (unsigned i = 0; i < 6; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "row%u", i);
        fixture_init(&f, i % 2 ? XJ_REVIEW : XJ_DUPLICATE, rid, schools[i]);
        xj_report_row(r, i, &f.in, &f.v);
    }
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);

    char *html = slurp(tmp_path("r.html"));
    /* Expected order: A (rows 1, 4), B (rows 0, 2), C (row 3), none (row 5). */
    static const unsigned order[] = {1, 4, 0, 2, 3, 5};
    const char *last = html;
    for (unsigned k = 0; k < 6; k++) {
        char needle[32];
        snprintf(needle, sizeof needle, "\"id\":\"row%u\"", order[k]);
        const char *at = strstr(html, needle);
        cr_assert_not_null(at, "%s", needle);
        cr_assert_gt(at, last, "%s out of order", needle);
        last = at;
    }
    const char *meta = strstr(html, "id=\"xj-meta\"");
    cr_assert_not_null(meta);
    cr_assert_not_null(strstr(meta, "[\"1000000000\",\"110105\",0,2,1,1,0]"));
    cr_assert_not_null(strstr(meta, "[\"2000000000\",\"110105\",2,2,2,0,0]"));
    cr_assert_not_null(strstr(meta, "[\"\",\"110105\",5,1,0,1,0]"));
    cr_assert_not_null(strstr(meta, "\"dec\":\"RDDDRR\""));
    free(html);
}

Test(report, caps_bound_memory_and_say_so)
{
    xj_report *r = open_report(0, 10);
    fixture f;
    for (unsigned i = 0; i < 25; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "r%u", i);
        fixture_init(&f, XJ_DUPLICATE, rid, "1101050001");
        xj_report_row(r, i, &f.in, &f.v);
    }
    xj_report_counts n;
    xj_report_get_counts(r, &n);
    cr_assert_eq(n.conflicts, 25);
    cr_assert_eq(n.kept, 10);
    cr_assert_eq(n.left_out, 15);
    cr_assert_eq(n.csv_rows, 25, "the CSV holds every conflict whatever the cap");
    /* A kept conflict costs a fraction of the verdict it came from. */
    cr_assert_lt(n.bytes / 10, 1024, "%zu bytes a conflict", n.bytes / 10);
    cr_assert_lt(n.bytes / 10, sizeof(xj_verdict) / 4);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);
    char *html = slurp(tmp_path("r.html"));
    cr_assert_not_null(strstr(html, "data-left-out=\"15\""));
    free(html);
}

Test(report, byte_cap)
{
    xj_report_options o;
    xj_report_options_init(&o);
    o.html_path = tmp_path("r.html");
    o.max_bytes = 4096;
    xj_report *r = NULL;
    cr_assert_eq(xj_report_open(&o, &r), XJ_OK);
    fixture f;
    for (unsigned i = 0; i < 100; i++) {
        fixture_init(&f, XJ_REVIEW, "r", "1101050001");
        xj_report_row(r, i, &f.in, &f.v);
    }
    xj_report_counts n;
    xj_report_get_counts(r, &n);
    cr_assert_leq(n.bytes, 4096);
    cr_assert_gt(n.kept, 0);
    cr_assert_eq(n.kept + n.left_out, 100);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);
}

Test(report, conflicts_csv_rows)
{
    xj_report *r = open_report(0, 0);
    fixture f;
    /* Three candidates: three rows. */
    fixture_init(&f, XJ_REVIEW, "three", "1101050001");
    f.v.ncandidates = 3;
    f.v.candidates[1] = f.v.candidates[0];
    f.v.candidates[2] = f.v.candidates[0];
    f.v.candidates[2].rec.birth = 20100102;
    f.v.candidates[2].rec.status = XJ_STATUS_SUSPENDED;
    xj_reasons_add(&f.v.reasons, XJ_R_MULTIPLE_CANDIDATES);
    xj_report_row(r, 0, &f.in, &f.v);
    /* A POP_MISMATCH without a population record: one row. */
    fixture_init(&f, XJ_POP_MISMATCH, "nopop", "1101050001");
    f.v.has_person = 0;
    memset(&f.v.reasons, 0, sizeof f.v.reasons);
    xj_reasons_add(&f.v.reasons, XJ_R_POP_NOT_FOUND);
    xj_report_row(r, 1, &f.in, &f.v);
    /* Not a conflict: no row. */
    fixture_init(&f, XJ_ASSIGNED_G, "fine", "1101050001");
    xj_report_row(r, 2, &f.in, &f.v);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);

    char *csv = slurp(tmp_path("c.csv"));
    cr_assert_eq(strncmp(csv, "\xef\xbb\xbfrecord_id,row,decision,", 22), 0);
    cr_assert_eq(count_lines(csv), 1 + 3 + 1);
    /* 13 leading columns and three per compared field. */
    const char *eol = strchr(csv, '\n');
    int commas = 0;
    for (const char *p = csv; p < eol; p++)
        commas += *p == ',';
    cr_assert_eq(commas + 1, 13 + 16 * 3);
    cr_assert_not_null(strstr(csv, "three,1,REVIEW,1101050001,110105,91.50,"));
    cr_assert_not_null(strstr(csv, ",REV_CHECK;REV_MULTIPLE,1,registry,"));
    cr_assert_not_null(strstr(csv, ",3,registry,G110105********0029,91.50,"));
    cr_assert_not_null(strstr(csv, "2010-01-01,2010-01-02,no"));
    cr_assert_not_null(strstr(csv, ",休学,\n"));
    cr_assert_not_null(strstr(csv, "nopop,2,POP_MISMATCH,1101050001,110105,,POP_NOT_FOUND,"
                                   "POP_NOT_FOUND,0,,"));
    cr_assert_null(strstr(csv, "fine,"));
    free(csv);
}

Test(report, next_steps_follow_the_reasons)
{
    xj_report *r = open_report(0, 0);
    fixture f;
    fixture_init(&f, XJ_POP_MISMATCH, "dead", "1101050001");
    memset(&f.v.reasons, 0, sizeof f.v.reasons);
    xj_reasons_add(&f.v.reasons, XJ_R_POP_DECEASED);
    f.v.person.status = XJ_PERSON_DECEASED;
    xj_report_row(r, 0, &f.in, &f.v);
    fixture_init(&f, XJ_DUPLICATE, "grad", "1101050001");
    f.v.candidates[0].rec.status = XJ_STATUS_GRADUATED;
    xj_reasons_add(&f.v.reasons, XJ_R_ID_CHECKSUM);
    xj_report_row(r, 1, &f.in, &f.v);
    /* An ID registered under a name its hukou never held. */
    fixture_init(&f, XJ_REVIEW, "idname", "1101050001");
    xj_reasons_add(&f.v.reasons, XJ_R_ID_NAME_CONFLICT);
    xj_report_row(r, 2, &f.in, &f.v);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);
    char *csv = slurp(tmp_path("c.csv"));
    cr_assert_not_null(strstr(csv, ",POP_DECEASED,POP_DECEASED,1,population,"));
    cr_assert_not_null(strstr(csv, ",DUP_TRANSFER;DUP_GRADUATED;KEY_ID,1,registry,"));
    cr_assert_not_null(strstr(csv, ",REV_CHECK;REV_ID_NAME,1,registry,"));
    free(csv);
    char *html = slurp(tmp_path("r.html"));
    /* The texts and their citations travel with the report. */
    cr_assert_not_null(strstr(html, "一人一号、不得重复建籍"));
    cr_assert_not_null(strstr(html, "\"000 二；001 第八条、第九条、第十五条\""));
    cr_assert_not_null(strstr(html, "核对户口簿"));
    cr_assert_not_null(strstr(html, "不得占用他人学籍"));
    free(html);
}

Test(report, free_without_finish_leaves_nothing)
{
    xj_report *r = open_report(0, 0);
    fixture f;
    fixture_init(&f, XJ_DUPLICATE, "r1", "1101050001");
    xj_report_row(r, 0, &f.in, &f.v);
    cr_assert(exists(tmp_path("c.csv.partial")));
    xj_report_free(r);
    cr_assert_not(exists(tmp_path("c.csv.partial")));
    cr_assert_not(exists(tmp_path("r.html.partial")));
    cr_assert_not(exists(tmp_path("c.csv")));
    cr_assert_not(exists(tmp_path("r.html")));
}

Test(report, mask_number)
{
    char out[32];
    cr_assert_str_eq(xj_report_mask_number("G11010520100101002X", 19, out), "G110105********002X");
    cr_assert_str_eq(xj_report_mask_number("J110105201001010015", 19, out), "J110105********0015");
    cr_assert_str_eq(xj_report_mask_number("11010520100101002X", 18, out), "110105********002X");
    cr_assert_str_eq(xj_report_mask_number("12345", 5, out), "*****");
}

Test(report, bad_utf8_and_long_values)
{
    xj_report *r = open_report(0, 0);
    fixture f;
    fixture_init(&f, XJ_REVIEW, "r1", "1101050001");
    f.in.name = sl("王\xff明");
    static char longval[2000];
    memset(longval, 'a', sizeof longval - 1);
    f.in.grade = sl(longval);
    xj_report_row(r, 0, &f.in, &f.v);
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    xj_report_free(r);
    char *html = slurp(tmp_path("r.html"));
    cr_assert_not_null(strstr(html, "王\xef\xbf\xbd明"));
    cr_assert_null(strstr(html, longval + 1000));
    cr_assert_not_null(strstr(html, "aaa\xe2\x80\xa6"));
    free(html);
}

/* 10,000 conflicts ($XJ_REPORT_LARGE_N when set) in 2,000 schools, with a population share, written
 * for the browser timing of tests/e2e/report.sh. */
Test(report, large)
{
    const char *out = getenv("XJ_REPORT_LARGE_OUT");
    const char *count = getenv("XJ_REPORT_LARGE_N");
    unsigned nconf = count && atoi(count) > 0 ? (unsigned)atoi(count) : 10000;
    xj_report_options o;
    xj_report_options_init(&o);
    o.html_path = out && out[0] ? out : tmp_path("large.html");
    o.batch_path = "synthetic-10000.csv";
    o.now = 1790000000;
    xj_report *r = NULL;
    cr_assert_eq(xj_report_open(&o, &r), XJ_OK);
    fixture f;
    xj_decision ds[] = {XJ_DUPLICATE, XJ_REVIEW, XJ_POP_MISMATCH};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t row = 0;
    for (unsigned i = 0; i < nconf; i++) {
        char rid[16], school[16], digits[32];
        snprintf(rid, sizeof rid, "R%07u", i);
        snprintf(school, sizeof school, "11%08u", (i * 7919u) % 2000u);
        fixture_init(&f, ds[i % 3], rid, school);
        snprintf(digits, sizeof digits, "1101052010%07u", i % 10000000u);
        make_id(digits, f.id);
        /* Ninety clean rows between conflicts, as in a real batch. */
        fixture ok;
        fixture_init(&ok, XJ_ASSIGNED_G, "ok", school);
        for (int k = 0; k < 90; k++)
            xj_report_row(r, row++, &ok.in, &ok.v);
        xj_report_row(r, row++, &f.in, &f.v);
    }
    cr_assert_eq(xj_report_finish(r, NULL), XJ_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    xj_report_free(r);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    struct stat st;
    cr_assert_eq(stat(o.html_path, &st), 0);
    fprintf(stderr, "large: %llu rows, %u conflicts, %.2f s, %lld bytes\n", (unsigned long long)row,
            nconf, s, (long long)st.st_size);
    char *html = slurp(o.html_path);
    cr_assert_eq(count_re(html, id_pattern), 0);
    free(html);
}
