/*
 * report.c: the life of a report: open, take rows, finish, free; and the
 * audit trail of unmasked output.
 *
 * Every file is written as PATH.partial and renamed into place only when the
 * whole report was written (and, when unmasked, audited): a check that fails
 * half-way, or a report whose audit line cannot be written, leaves nothing
 * under the name a registrar would open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_int.h"

void xj_report_options_init(xj_report_options *o)
{
    memset(o, 0, sizeof *o);
}

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static char *with_suffix(const char *path, const char *suffix)
{
    size_t a = strlen(path), b = strlen(suffix);
    char *p = malloc(a + b + 1);
    if (p) {
        memcpy(p, path, a);
        memcpy(p + a, suffix, b + 1);
    }
    return p;
}

int xj_report_open(const xj_report_options *o, xj_report **out)
{
    *out = NULL;
    xj_report *r = calloc(1, sizeof *r);
    if (!r)
        return XJ_ERR_NOMEM;
    *out = r;
    r->o = *o;
    if (!r->o.max_rows)
        r->o.max_rows = XJ_REPORT_DEFAULT_MAX_ROWS;
    if (!r->o.max_bytes)
        r->o.max_bytes = XJ_REPORT_DEFAULT_MAX_BYTES;
    if (!r->o.now)
        r->o.now = time(NULL);

    if (!o->html_path && !o->conflicts_path) {
        xj__report_fail(r, XJ_ERR_ARG, "neither a report nor a conflicts file was asked for");
        return r->status;
    }
    /* Unmasked personal data without an audit trail is what policy/001
     * 第二十四条 forbids; refuse rather than write it. */
    if (o->unmasked && (!o->audit_log || !o->audit_log[0])) {
        xj__report_fail(r, XJ_ERR_ARG, "an unmasked report needs an audit log");
        return r->status;
    }
    const char *user = o->user ? o->user : getenv("USER");
    r->html_path = dup_or_null(o->html_path);
    r->conflicts_path = dup_or_null(o->conflicts_path);
    r->audit_log = dup_or_null(o->audit_log);
    r->user = dup_or_null(user ? user : "?");
    r->batch_path = dup_or_null(o->batch_path ? o->batch_path : "");
    if ((o->html_path && !r->html_path) || (o->conflicts_path && !r->conflicts_path) ||
        (o->audit_log && !r->audit_log) || !r->user || !r->batch_path) {
        xj__report_fail(r, XJ_ERR_NOMEM, "out of memory");
        return r->status;
    }
    /* The copies are what the report uses from now on. */
    r->o.html_path = r->html_path;
    r->o.conflicts_path = r->conflicts_path;
    r->o.audit_log = r->audit_log;
    r->o.user = r->user;
    r->o.batch_path = r->batch_path;

    if (r->html_path) {
        r->html_partial = with_suffix(r->html_path, ".partial");
        if (!r->html_partial) {
            xj__report_fail(r, XJ_ERR_NOMEM, "out of memory");
            return r->status;
        }
        if (!(r->html = fopen(r->html_partial, "wb"))) {
            xj__report_fail(r, XJ_ERR_IO, "cannot write %s: %s", r->html_path, strerror(errno));
            return r->status;
        }
    }
    if (r->conflicts_path) {
        r->conflicts_partial = with_suffix(r->conflicts_path, ".partial");
        if (!r->conflicts_partial) {
            xj__report_fail(r, XJ_ERR_NOMEM, "out of memory");
            return r->status;
        }
        if (!(r->csv = fopen(r->conflicts_partial, "wb"))) {
            xj__report_fail(r, XJ_ERR_IO, "cannot write %s: %s", r->conflicts_path,
                            strerror(errno));
            return r->status;
        }
        /* A UTF-8 byte order mark, so that Excel on a Chinese Windows reads
         * the file as UTF-8 rather than as GBK; every CSV reader of the
         * project (and Python's utf-8-sig) skips it. */
        fputs("\xef\xbb\xbf", r->csv);
        xj__report_csv_header(r->csv);
    }
    return XJ_OK;
}

void xj_report_row(xj_report *r, uint64_t row, const xj_input *in, const xj_verdict *v)
{
    if (r)
        xj__report_collect(r, row, in, v);
}

void xj_report_on_row(void *user, uint64_t row, const xj_input *in, const xj_verdict *v)
{
    xj_report_row((xj_report *)user, row, in, v);
}

void xj_report_get_counts(const xj_report *r, xj_report_counts *out)
{
    *out = r->counts;
}

const char *xj_report_errmsg(const xj_report *r)
{
    return r ? r->errmsg : "out of memory";
}

/* Copies s for the audit line: IDs masked (the log must never hold one, even
 * inside a file name) and control characters replaced, so that a crafted
 * path cannot forge a line. */
static size_t audit_value(char *dst, size_t cap, const char *s)
{
    size_t n = xj__report_clean(dst, cap, s, strlen(s), 1);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
            dst[i] = '?';
    return n;
}

/* Appends one line to the audit log: time, user, batch and what was written.
 * O_APPEND makes each line one atomic write at the end, whoever else is
 * appending; fsync makes it outlive a crash right after. */
static int audit(xj_report *r, const char *what, const char *path)
{
    char when[40], user[VALUE_MAX + 8], batch[VALUE_MAX + 8], where[VALUE_MAX + 8];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", &tm);
    audit_value(user, sizeof user, r->user);
    audit_value(batch, sizeof batch, r->batch_path);
    audit_value(where, sizeof where, path);
    char line[1024];
    int n = snprintf(line, sizeof line, "%s\tuser=%s\tbatch=%s\tunmasked %s written to %s\n", when,
                     user, batch, what, where);
    if (n < 0 || (size_t)n >= sizeof line)
        n = (int)sizeof line - 1, line[n - 1] = '\n';
    int fd = open(r->audit_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        xj__report_fail(r, XJ_ERR_IO, "cannot append to the audit log %s: %s", r->audit_log,
                        strerror(errno));
        return r->status;
    }
    ssize_t w = write(fd, line, (size_t)n);
    int ok = w == n && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = 0;
    if (!ok) {
        xj__report_fail(r, XJ_ERR_IO, "cannot append to the audit log %s", r->audit_log);
        return r->status;
    }
    return XJ_OK;
}

static int close_file(xj_report *r, FILE **fp, const char *path)
{
    if (!*fp)
        return XJ_OK;
    int bad = ferror(*fp) != 0;
    if (fclose(*fp) != 0)
        bad = 1;
    *fp = NULL;
    if (bad)
        xj__report_fail(r, XJ_ERR_IO, "cannot write %s", path);
    return r->status;
}

int xj_report_finish(xj_report *r, const xj_batch_stats *st)
{
    if (r->finished)
        return XJ_OK;
    if (r->status == XJ_OK && r->html)
        xj__report_write_html(r, st);
    if (r->html)
        close_file(r, &r->html, r->html_path);
    if (r->csv)
        close_file(r, &r->csv, r->conflicts_path);
    if (r->status == XJ_OK && r->o.unmasked) {
        if (r->html_path)
            audit(r, "report", r->html_path);
        if (r->status == XJ_OK && r->conflicts_path)
            audit(r, "conflicts file", r->conflicts_path);
    }
    if (r->status == XJ_OK && r->html_path && rename(r->html_partial, r->html_path) != 0)
        xj__report_fail(r, XJ_ERR_IO, "cannot rename into %s: %s", r->html_path, strerror(errno));
    if (r->status == XJ_OK && r->conflicts_path &&
        rename(r->conflicts_partial, r->conflicts_path) != 0) {
        xj__report_fail(r, XJ_ERR_IO, "cannot rename into %s: %s", r->conflicts_path,
                        strerror(errno));
        if (r->html_path)
            unlink(r->html_path);
    }
    if (r->status != XJ_OK) {
        /* All or nothing: a report whose sibling failed is removed too. */
        if (r->html_partial)
            unlink(r->html_partial);
        if (r->conflicts_partial)
            unlink(r->conflicts_partial);
        return r->status;
    }
    r->finished = 1;
    return XJ_OK;
}

void xj_report_free(xj_report *r)
{
    if (!r)
        return;
    if (r->html)
        fclose(r->html);
    if (r->csv)
        fclose(r->csv);
    if (!r->finished) {
        if (r->html_partial)
            unlink(r->html_partial);
        if (r->conflicts_partial)
            unlink(r->conflicts_partial);
    }
    free(r->html_path);
    free(r->conflicts_path);
    free(r->audit_log);
    free(r->user);
    free(r->batch_path);
    free(r->html_partial);
    free(r->conflicts_partial);
    free(r->data.buf);
    free(r->kept);
    free(r->schools);
    free(r->school_names.buf);
    free(r->school_hash);
    free(r);
}
