/*
 * quality.c: match quality of a results file against data-gen's truth.
 *
 * Both files hold one row per batch row in input order, so they are read in
 * lockstep and a record_id that differs between them is itself a failure
 * of the results contract.  The figures are those of the engine issue:
 *
 *   false-merge rate  rows of children who are not registered (truth
 *                     ASSIGNED_G, ASSIGNED_J, POP_MISMATCH, INVALID) judged
 *                     DUPLICATE or BATCH_DUPLICATE, plus true duplicates
 *                     matched to the wrong registration, over the rows of
 *                     children who are not registered;
 *   duplicate recall  true duplicates (truth DUPLICATE, or REVIEW naming a
 *                     registration) judged DUPLICATE or REVIEW with the right
 *                     number;
 *   review rate       REVIEW rows over all rows;
 *   accuracy          rows whose decision (and, for duplicates, matched
 *                     number) equals the truth, overall and per category.
 */
#include <stdlib.h>
#include <string.h>

#include "xj/bench.h"
#include "xj/engine.h"

#define MAX_CATEGORIES 64

static int open_csv(const char *path, FILE **fp, xj_csv_reader **r)
{
    *fp = fopen(path, "rb");
    if (!*fp)
        return XJ_ERR_IO;
    if (xj_csv_open(*fp, XJ_CSV_UTF8, r) != XJ_OK) {
        fclose(*fp);
        return XJ_ERR_NOMEM;
    }
    return XJ_OK;
}

static int is_decision(xj_slice s, xj_decision *d)
{
    return xj_decision_parse(s.ptr, s.len, d) == XJ_OK;
}

static int slice_eq(xj_slice a, xj_slice b)
{
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

int xj_quality_compute(const char *results, const char *truth, xj_quality *q, char *err,
                       size_t errcap)
{
    memset(q, 0, sizeof *q);
    FILE *rf = NULL, *tf = NULL;
    xj_csv_reader *rr = NULL, *tr = NULL;
    int rc = open_csv(results, &rf, &rr);
    if (rc != XJ_OK) {
        snprintf(err, errcap, "cannot read %s", results);
        return rc;
    }
    if ((rc = open_csv(truth, &tf, &tr)) != XJ_OK) {
        snprintf(err, errcap, "cannot read %s", truth);
        xj_csv_close(rr);
        fclose(rf);
        return rc;
    }
    static const xj_csv_column rcols[] = {
        {"record_id", NULL, 1}, {"decision", NULL, 1}, {"matched_student_number", NULL, 1}};
    static const xj_csv_column tcols[] = {{"record_id", NULL, 1},
                                          {"expected_decision", NULL, 1},
                                          {"expected_match", NULL, 1},
                                          {"category", NULL, 1}};
    int ri[3], ti[4];
    const xj_slice *rfld, *tfld;
    size_t rn, tn;
    const xj_csv_column *missing;
    if (xj_csv_next(rr, &rfld, &rn) != 1 ||
        xj_csv_map_header(rfld, rn, rcols, 3, ri, &missing) != XJ_OK ||
        xj_csv_next(tr, &tfld, &tn) != 1 ||
        xj_csv_map_header(tfld, tn, tcols, 4, ti, &missing) != XJ_OK) {
        snprintf(err, errcap, "a header lacks the columns of the results or truth file");
        rc = XJ_ERR_CSV_HEADER;
        goto out;
    }
    for (;;) {
        int a = xj_csv_next(rr, &rfld, &rn);
        /* The results reader's slices live until its next call; copy what
         * is compared before reading the truth row. */
        char rid[256], rdec[32], rmatch[256];
        if (a == 1) {
            snprintf(rid, sizeof rid, "%s", rfld[ri[0]].ptr);
            snprintf(rdec, sizeof rdec, "%s", rfld[ri[1]].ptr);
            snprintf(rmatch, sizeof rmatch, "%s", rn > (size_t)ri[2] ? rfld[ri[2]].ptr : "");
        }
        int b = xj_csv_next(tr, &tfld, &tn);
        if (a != 1 || b != 1) {
            if (a != b) {
                snprintf(err, errcap, "results and truth differ in row count (after %llu rows)",
                         (unsigned long long)q->rows);
                rc = XJ_ERR_ARG;
                goto out;
            }
            break;
        }
        xj_slice trid = tfld[ti[0]], tmatch = tfld[ti[2]], tcat = tfld[ti[3]];
        xj_slice srid = {rid, strlen(rid)}, smatch = {rmatch, strlen(rmatch)};
        if (!slice_eq(srid, trid)) {
            snprintf(err, errcap, "row %llu: results record_id '%s' but truth '%.*s'",
                     (unsigned long long)q->rows + 1, rid, (int)trid.len, trid.ptr);
            rc = XJ_ERR_ARG;
            goto out;
        }
        xj_decision got, want;
        if (!is_decision((xj_slice){rdec, strlen(rdec)}, &got) ||
            !is_decision(tfld[ti[1]], &want)) {
            snprintf(err, errcap, "row %llu: unknown decision", (unsigned long long)q->rows + 1);
            rc = XJ_ERR_ARG;
            goto out;
        }
        q->rows++;
        q->confusion[want][got]++;
        int match_ok = slice_eq(smatch, tmatch);
        int registered = want == XJ_DUPLICATE || (want == XJ_REVIEW && tmatch.len > 0);
        int merged = got == XJ_DUPLICATE || got == XJ_BATCH_DUPLICATE;

        if (want == XJ_ASSIGNED_G || want == XJ_ASSIGNED_J || want == XJ_POP_MISMATCH ||
            want == XJ_INVALID) {
            q->not_registered++;
            if (merged)
                q->false_merges++;
        }
        if (registered) {
            q->true_dups++;
            if ((got == XJ_DUPLICATE || got == XJ_REVIEW) && match_ok)
                q->dups_found++;
            else if (got == XJ_DUPLICATE)
                q->wrong_match++; /* another child's registration */
        }
        if (want == XJ_BATCH_DUPLICATE) {
            q->batch_dups++;
            if (got == XJ_BATCH_DUPLICATE && match_ok)
                q->batch_dups_found++;
        }
        if (got == XJ_REVIEW)
            q->reviews++;
        int correct = got == want &&
                      (!(want == XJ_DUPLICATE || want == XJ_REVIEW || want == XJ_BATCH_DUPLICATE) ||
                       match_ok);
        q->correct += (uint64_t)correct;

        size_t c = 0;
        while (c < q->ncategories && !(strlen(q->categories[c].name) == tcat.len &&
                                       memcmp(q->categories[c].name, tcat.ptr, tcat.len) == 0))
            c++;
        if (c == q->ncategories && c < MAX_CATEGORIES && c < XJ_QUALITY_CATEGORIES) {
            snprintf(q->categories[c].name, sizeof q->categories[c].name, "%.*s", (int)tcat.len,
                     tcat.ptr);
            q->ncategories++;
        }
        if (c < q->ncategories) {
            q->categories[c].rows++;
            q->categories[c].correct += (uint64_t)correct;
            q->categories[c].by_got[got]++;
        }
    }
    rc = XJ_OK;
out:
    xj_csv_close(rr);
    xj_csv_close(tr);
    fclose(rf);
    fclose(tf);
    return rc;
}

static double ratio(uint64_t a, uint64_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

double xj_quality_false_merge_rate(const xj_quality *q)
{
    return ratio(q->false_merges + q->wrong_match, q->not_registered);
}

double xj_quality_recall(const xj_quality *q)
{
    return q->true_dups ? ratio(q->dups_found, q->true_dups) : 1.0;
}

double xj_quality_review_rate(const xj_quality *q)
{
    return ratio(q->reviews, q->rows);
}

double xj_quality_accuracy(const xj_quality *q)
{
    return ratio(q->correct, q->rows);
}

int xj_quality_meets_targets(const xj_quality *q)
{
    return xj_quality_false_merge_rate(q) <= 0.0001 && xj_quality_recall(q) >= 0.999 &&
           xj_quality_review_rate(q) <= 0.01 && xj_quality_accuracy(q) >= 0.995;
}

void xj_quality_print_json(const xj_quality *q, FILE *fp)
{
    fprintf(fp,
            "{\"rows\":%llu,\"false_merge_rate\":%.6f,\"false_merges\":%llu,"
            "\"wrong_match\":%llu,\"not_registered\":%llu,\"duplicate_recall\":%.6f,"
            "\"true_duplicates\":%llu,\"batch_duplicate_recall\":%.6f,\"review_rate\":%.6f,"
            "\"accuracy\":%.6f,\"meets_targets\":%s,\"categories\":{",
            (unsigned long long)q->rows, xj_quality_false_merge_rate(q),
            (unsigned long long)q->false_merges, (unsigned long long)q->wrong_match,
            (unsigned long long)q->not_registered, xj_quality_recall(q),
            (unsigned long long)q->true_dups,
            q->batch_dups ? ratio(q->batch_dups_found, q->batch_dups) : 1.0,
            xj_quality_review_rate(q), xj_quality_accuracy(q),
            xj_quality_meets_targets(q) ? "true" : "false");
    for (size_t c = 0; c < q->ncategories; c++) {
        fprintf(fp, "%s\"%s\":{\"rows\":%llu,\"accuracy\":%.6f,\"decisions\":{", c ? "," : "",
                q->categories[c].name, (unsigned long long)q->categories[c].rows,
                ratio(q->categories[c].correct, q->categories[c].rows));
        int first = 1;
        for (int d = 0; d < XJ_DECISION_COUNT; d++) {
            if (!q->categories[c].by_got[d])
                continue;
            fprintf(fp, "%s\"%s\":%llu", first ? "" : ",", xj_decision_name((xj_decision)d),
                    (unsigned long long)q->categories[c].by_got[d]);
            first = 0;
        }
        fputs("}}", fp);
    }
    fputs("}}\n", fp);
}

int xj_bench_quality(int argc, char **argv)
{
    const char *results = NULL, *truth = NULL;
    int check = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--results") == 0 && i + 1 < argc)
            results = argv[++i];
        else if (strcmp(argv[i], "--truth") == 0 && i + 1 < argc)
            truth = argv[++i];
        else if (strcmp(argv[i], "--check") == 0)
            check = 1;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: xueji bench quality --results RESULTS.csv --truth TRUTH.csv "
                   "[--check]\n\nPrints the match-quality figures as JSON; with --check, exits 1 "
                   "when they miss\nthe targets (false merges <= 0.01%%, duplicate recall >= "
                   "99.9%%, review\nrate <= 1%%, accuracy >= 99.5%%).\n");
            return XJ_EXIT_OK;
        } else {
            fprintf(stderr, "xueji bench quality: unknown argument '%s'\n", argv[i]);
            return XJ_EXIT_USAGE;
        }
    }
    if (!results || !truth) {
        fprintf(stderr, "xueji bench quality: --results and --truth are required\n");
        return XJ_EXIT_USAGE;
    }
    xj_quality *q = calloc(1, sizeof *q);
    if (!q)
        return XJ_EXIT_INPUT;
    char err[512];
    int rc = xj_quality_compute(results, truth, q, err, sizeof err);
    if (rc != XJ_OK) {
        fprintf(stderr, "xueji bench quality: %s\n", err);
        free(q);
        return XJ_EXIT_INPUT;
    }
    xj_quality_print_json(q, stdout);
    int ok = xj_quality_meets_targets(q);
    free(q);
    if (check && !ok) {
        fprintf(stderr, "xueji bench quality: the figures miss the targets\n");
        return XJ_EXIT_USAGE;
    }
    return XJ_EXIT_OK;
}
