/*
 * audit.c: the append-only audit log of the service (policy: 谁操作、谁负责,
 * whoever acts answers for it).
 *
 * One JSON line per request: when, which token holder (by label, never the
 * token), from where, what was asked, what was answered.  Free text a
 * client sent is scrubbed of ID numbers first, so that the log, which
 * operators read and keep for years, never holds a full ID number.
 *
 * The file is opened O_APPEND, and each line goes out in one write(2): on a
 * local file system the kernel appends it whole, so worker threads need no
 * lock and a crash loses at most the line being written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "service_int.h"

struct xj_service_audit {
    int fd;
};

int xj_service_audit_open(const char *path, xj_service_audit **out)
{
    *out = NULL;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return XJ_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return XJ_ERR_IO;
    }
    xj_service_audit *a = malloc(sizeof *a);
    if (!a) {
        close(fd);
        return XJ_ERR_NOMEM;
    }
    a->fd = fd;
    *out = a;
    return XJ_OK;
}

void xj_service_audit_close(xj_service_audit *a)
{
    if (!a)
        return;
    fsync(a->fd);
    close(a->fd);
    free(a);
}

/* Local time with milliseconds and the offset from UTC (ISO 8601). */
static void iso_time(char *buf, size_t cap)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    char date[32], zone[8];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof zone, "%z", &tm); /* +0800 */
    snprintf(buf, cap, "%s.%03d%.3s:%.2s", date, (int)(ts.tv_nsec / 1000000), zone, zone + 3);
}

/* A scrubbed string, or null. */
static json_t *scrubbed(const char *s)
{
    if (!s)
        return json_null();
    char buf[512];
    xj_service_scrub(s, strlen(s), buf, sizeof buf);
    json_t *j = json_string(buf);
    if (!j) {
        /* Not UTF-8 (a client's record_id): keep only the printable ASCII,
         * which is all an operator needs to find the request again. */
        for (char *p = buf; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E)
                *p = '?';
        j = json_string(buf);
    }
    return j;
}

int xj_service_audit_write(xj_service_audit *a, const xj_service_audit_entry *e)
{
    if (!a)
        return XJ_ERR_ARG;
    char when[80];
    iso_time(when, sizeof when);
    json_t *o = json_object();
    if (!o)
        return XJ_ERR_NOMEM;
    int failed = 0;
    failed |= json_object_set_new(o, "time", json_string(when));
    failed |= json_object_set_new(o, "token", e->label ? scrubbed(e->label) : json_null());
    failed |= json_object_set_new(o, "remote", scrubbed(e->remote));
    failed |= json_object_set_new(o, "method", scrubbed(e->method));
    failed |= json_object_set_new(o, "path", scrubbed(e->path));
    failed |= json_object_set_new(o, "record", scrubbed(e->record));
    failed |=
        json_object_set_new(o, "decision", e->decision ? json_string(e->decision) : json_null());
    failed |= json_object_set_new(o, "status", json_integer(e->status));
    failed |= json_object_set_new(o, "ms", json_real((double)(long)(e->ms * 1000.0) / 1000.0));
    char *text = failed ? NULL : json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    if (!text)
        return XJ_ERR_NOMEM;
    size_t len = strlen(text);
    /* The newline goes out in the same write as the line. */
    char *line = realloc(text, len + 2);
    if (!line) {
        free(text);
        return XJ_ERR_NOMEM;
    }
    line[len] = '\n';
    line[len + 1] = '\0';
    ssize_t n;
    do
        n = write(a->fd, line, len + 1);
    while (n < 0 && errno == EINTR);
    free(line);
    return n == (ssize_t)(len + 1) ? XJ_OK : XJ_ERR_IO;
}
