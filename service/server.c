/*
 * server.c: the HTTP face of the single-record check (libmicrohttpd).
 *
 * Workload: many small requests (a JSON record of a few hundred bytes in,
 * a verdict of one or two kilobytes out) on keep-alive connections, from
 * school and county systems, each answered by one xj_engine_judge() call.
 * A pool of MHD threads (epoll, one per core) does the I/O and calls the
 * engine directly: judging is reentrant and touches only the read-only
 * index, so no lock is taken anywhere on the request path.
 *
 * Every request, whatever its outcome, goes to the audit log before its
 * answer is queued; when the log cannot be written the request is refused
 * (503) instead, since what cannot be accounted for must not be answered.
 *
 * The order of the checks says what an unauthenticated client may learn:
 * the routes (404/405), then the token (401), and only then anything about
 * the request itself (415, 413, 400) or the registry.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "service_int.h"

#define DEFAULT_MAX_BODY ((size_t)64 << 10)
#define DEFAULT_TIMEOUT  30u
#define CONNECTION_LIMIT 1024u
/* A chunked upload past the limit is read and dropped so that the client
 * still gets its 413; one this many times over it is cut off instead. */
#define DISCARD_FACTOR   16u

#define STUDENTS_PREFIX "/v1/students/"

struct xj_service {
    struct MHD_Daemon *daemon;
    xj_engine *engine;
    xj_index *idx;
    const xj_service_tokens *tokens;
    xj_service_audit *audit;
    size_t max_body;
    uint16_t port;
    atomic_ulong failures; /* database and audit failures so far */
};

typedef enum route { ROUTE_NONE = 0, ROUTE_HEALTH, ROUTE_CHECK, ROUTE_STUDENT } route;

/* The state of one request between the calls MHD makes for it. */
typedef struct request {
    struct timespec start;
    route route;
    const xj_service_scope *scope; /* the token's, or NULL */
    char *body;
    size_t len, cap;
    size_t discarded; /* bytes dropped past max_body */
} request;

void xj_service_options_init(xj_service_options *opts)
{
    memset(opts, 0, sizeof *opts);
}

/* ---- answering --------------------------------------------------------------- */

/* Tells the operator about a failure on stderr: the first ones and then
 * every power of two, so that a broken disk under load does not turn into
 * a second flood on stderr. */
static void report_failure(xj_service *s, const char *what, const char *why)
{
    unsigned long n = atomic_fetch_add(&s->failures, 1ul) + 1;
    if ((n & (n - 1)) == 0)
        fprintf(stderr, "xueji serve: %s failed (%lu so far): %s\n", what, n, why);
}

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static void remote_address(struct MHD_Connection *c, char *buf, size_t cap)
{
    snprintf(buf, cap, "?");
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                  (socklen_t)cap);
}

/* What one answer records in the audit log besides the request line. */
typedef struct outcome {
    const char *record;
    const char *decision;
} outcome;

/* Writes the audit line, then queues the answer (json is taken over and
 * freed by MHD).  A NULL json (out of memory) becomes a bare 500. */
static enum MHD_Result answer(xj_service *s, struct MHD_Connection *c, request *rq,
                              const char *method, const char *url, unsigned status, char *json,
                              size_t len, const outcome *out)
{
    char remote[INET6_ADDRSTRLEN + 1];
    remote_address(c, remote, sizeof remote);
    xj_service_audit_entry ae = {
        .label = rq->scope ? rq->scope->label : NULL,
        .remote = remote,
        .method = method,
        .path = url,
        .record = out ? out->record : NULL,
        .decision = out ? out->decision : NULL,
        .status = (int)status,
        .ms = elapsed_ms(&rq->start),
    };
    if (xj_service_audit_write(s->audit, &ae) != XJ_OK) {
        free(json);
        xj_service_error err = {.status = 503, .message = "the audit log cannot be written"};
        status = 503;
        json = xj_service_error_json(&err, &len);
        report_failure(s, "writing the audit log", "refusing requests until it can be written");
    }
    struct MHD_Response *resp;
    if (json) {
        resp = MHD_create_response_from_buffer(len, json, MHD_RESPMEM_MUST_FREE);
    } else {
        status = 500;
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp) {
        free(json);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    /* Answers hold personal data: no cache along the way may keep them. */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"xueji\"");
    if (status == 405)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
                                rq->route == ROUTE_CHECK ? "POST" : "GET, HEAD");
    enum MHD_Result r = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result answer_error(xj_service *s, struct MHD_Connection *c, request *rq,
                                    const char *method, const char *url, unsigned status,
                                    const char *message, const char *field, const outcome *out)
{
    xj_service_error err;
    memset(&err, 0, sizeof err);
    err.status = (int)status;
    snprintf(err.message, sizeof err.message, "%s", message);
    snprintf(err.field, sizeof err.field, "%s", field ? field : "");
    size_t len = 0;
    char *json = xj_service_error_json(&err, &len);
    return answer(s, c, rq, method, url, status, json, len, out);
}

/* ---- request checks ------------------------------------------------------------ */

static route route_of(const char *url)
{
    if (strcmp(url, "/healthz") == 0)
        return ROUTE_HEALTH;
    if (strcmp(url, "/v1/check") == 0)
        return ROUTE_CHECK;
    if (strncmp(url, STUDENTS_PREFIX, strlen(STUDENTS_PREFIX)) == 0 &&
        url[strlen(STUDENTS_PREFIX)] != '\0')
        return ROUTE_STUDENT;
    return ROUTE_NONE;
}

/* The scope of the bearer token the request carries, or NULL. */
static const xj_service_scope *bearer_scope(const xj_service *s, struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || !s->tokens)
        return NULL;
    while (*h == ' ' || *h == '\t')
        h++;
    if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
        return NULL;
    h += 6;
    while (*h == ' ' || *h == '\t')
        h++;
    size_t len = strlen(h);
    while (len > 0 && (h[len - 1] == ' ' || h[len - 1] == '\t'))
        len--;
    return xj_service_tokens_find(s->tokens, h, len);
}

/* Returns 1 for application/json, with no charset or charset=utf-8. */
static int json_content_type(struct MHD_Connection *c)
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!ct)
        return 0;
    while (*ct == ' ')
        ct++;
    static const char want[] = "application/json";
    if (strncasecmp(ct, want, sizeof want - 1) != 0)
        return 0;
    const char *p = ct + sizeof want - 1;
    while (*p == ' ')
        p++;
    if (*p == '\0')
        return 1;
    if (*p != ';')
        return 0;
    /* The only parameter JSON knows is the charset, and JSON is UTF-8. */
    const char *cs = NULL;
    for (const char *q = p; *q; q++)
        if (strncasecmp(q, "charset=", 8) == 0) {
            cs = q + 8;
            break;
        }
    if (!cs)
        return 1;
    if (*cs == '"')
        cs++;
    return strncasecmp(cs, "utf-8", 5) == 0 || strncasecmp(cs, "utf8", 4) == 0;
}

/* 1 when the declared Content-Length already exceeds the limit. */
static int declared_too_big(const xj_service *s, struct MHD_Connection *c)
{
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl)
        return 0;
    char *end;
    unsigned long long n = strtoull(cl, &end, 10);
    return end != cl && n > s->max_body;
}

/* ---- the three endpoints -------------------------------------------------------- */

static enum MHD_Result do_health(xj_service *s, struct MHD_Connection *c, request *rq,
                                 const char *method, const char *url)
{
    char *json = strdup("{\"status\":\"ok\"}");
    return answer(s, c, rq, method, url, 200, json, json ? strlen(json) : 0, NULL);
}

static enum MHD_Result do_check(xj_service *s, struct MHD_Connection *c, request *rq,
                                const char *method, const char *url)
{
    if (rq->discarded)
        return answer_error(s, c, rq, method, url, 413, "the body is larger than allowed", "",
                            NULL);
    xj_service_body *body = NULL;
    xj_service_error err;
    int rc = xj_service_body_parse(rq->body ? rq->body : "", rq->len, &body, &err);
    if (rc == XJ_ERR_NOMEM)
        return answer_error(s, c, rq, method, url, 503, "out of memory", "", NULL);
    if (rc != XJ_OK)
        return answer_error(s, c, rq, method, url, 400, err.message, err.field, NULL);

    const xj_input *in = xj_service_body_input(body);
    char record[129];
    size_t rl = in->record_id.len < sizeof record - 1 ? in->record_id.len : sizeof record - 1;
    memcpy(record, in->record_id.ptr ? in->record_id.ptr : "", rl);
    record[rl] = '\0';

    xj_verdict *v = malloc(sizeof *v);
    rc = v ? xj_engine_judge(s->engine, in, v) : XJ_ERR_NOMEM;
    enum MHD_Result r;
    if (rc != XJ_OK) {
        outcome out = {record, NULL};
        report_failure(s, "judging a record",
                       xj_engine_errmsg(s->engine)[0] ? xj_engine_errmsg(s->engine)
                                                      : xj_strerror(rc));
        r = answer_error(s, c, rq, method, url, 503, "the registry cannot be read now", "", &out);
    } else {
        size_t len = 0;
        char *json = xj_service_verdict_json(in, v, rq->scope,
                                             XJ_SERVICE_MASK_NAMES | XJ_SERVICE_MASK_IDS, &len);
        outcome out = {record, xj_decision_name(v->decision)};
        r = answer(s, c, rq, method, url, 200, json, len, &out);
    }
    free(v);
    xj_service_body_free(body);
    return r;
}

static enum MHD_Result do_student(xj_service *s, struct MHD_Connection *c, request *rq,
                                  const char *method, const char *url)
{
    const char *number = url + strlen(STUDENTS_PREFIX);
    outcome out = {number, NULL};
    xj_reckey key;
    if (xj_reckey_pack(number, strlen(number), &key) != XJ_OK)
        return answer_error(s, c, rq, method, url, 400,
                            "not a student number (G, J or L and 18 characters)", "number", &out);
    xj_record *rec = malloc(sizeof *rec);
    int found = 0;
    int rc = rec ? xj_index_get_records(s->idx, &key, 1, rec, &found) : XJ_ERR_NOMEM;
    enum MHD_Result r;
    if (rc != XJ_OK) {
        report_failure(s, "reading a record", xj_index_errmsg(s->idx));
        r = answer_error(s, c, rq, method, url, 503, "the registry cannot be read now", "", &out);
    } else if (!found) {
        out.decision = "NOT_FOUND";
        r = answer_error(s, c, rq, method, url, 404, "no student holds this number", "number",
                         &out);
    } else {
        size_t len = 0;
        char *json = xj_service_record_json(rec, rq->scope,
                                            XJ_SERVICE_MASK_NAMES | XJ_SERVICE_MASK_IDS, &len);
        out.decision = "FOUND";
        r = answer(s, c, rq, method, url, 200, json, len, &out);
    }
    free(rec);
    return r;
}

/* ---- MHD callbacks ------------------------------------------------------------------ */

/* The first call for a request: everything that can be decided from the
 * request line and headers is decided here, before any body is read.
 * Returns 1 when an answer was queued (*result set), 0 to read on. */
static int first_call(xj_service *s, struct MHD_Connection *c, request *rq, const char *method,
                      const char *url, enum MHD_Result *result)
{
    rq->route = route_of(url);
    rq->scope = bearer_scope(s, c);
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (rq->route == ROUTE_NONE) {
        *result = answer_error(s, c, rq, method, url, 404, "no such endpoint", "", NULL);
        return 1;
    }
    if ((rq->route == ROUTE_CHECK && strcmp(method, "POST") != 0) ||
        (rq->route != ROUTE_CHECK && !is_get)) {
        *result = answer_error(s, c, rq, method, url, 405, "method not allowed here", "", NULL);
        return 1;
    }
    if (rq->route == ROUTE_HEALTH)
        return 0;
    if (!rq->scope) {
        *result = answer_error(s, c, rq, method, url, 401,
                               "a valid bearer token is required (Authorization: Bearer TOKEN)", "",
                               NULL);
        return 1;
    }
    if (rq->route == ROUTE_CHECK) {
        if (!json_content_type(c)) {
            *result = answer_error(s, c, rq, method, url, 415,
                                   "Content-Type must be application/json", "", NULL);
            return 1;
        }
        if (declared_too_big(s, c)) {
            *result = answer_error(s, c, rq, method, url, 413, "the body is larger than allowed",
                                   "", NULL);
            return 1;
        }
    }
    return 0;
}

/* Takes one chunk of the body; returns 0 when the client must be cut off. */
static int take_body(xj_service *s, request *rq, const char *data, size_t n)
{
    if (rq->discarded || rq->len + n > s->max_body) {
        rq->discarded += n;
        return rq->discarded <= (size_t)DISCARD_FACTOR * s->max_body;
    }
    if (rq->len + n + 1 > rq->cap) {
        size_t cap = rq->cap ? rq->cap : 1024;
        while (cap < rq->len + n + 1)
            cap *= 2;
        char *grown = realloc(rq->body, cap);
        if (!grown)
            return 0;
        rq->body = grown;
        rq->cap = cap;
    }
    memcpy(rq->body + rq->len, data, n);
    rq->len += n;
    rq->body[rq->len] = '\0';
    return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    xj_service *s = cls;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &rq->start);
        *con_cls = rq;
        enum MHD_Result result;
        if (first_call(s, c, rq, method, url, &result))
            return result;
        return MHD_YES;
    }
    if (*upload_data_size) {
        int keep = take_body(s, rq, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return keep ? MHD_YES : MHD_NO;
    }
    switch (rq->route) {
    case ROUTE_HEALTH:
        return do_health(s, c, rq, method, url);
    case ROUTE_CHECK:
        return do_check(s, c, rq, method, url);
    case ROUTE_STUDENT:
        return do_student(s, c, rq, method, url);
    default:
        return MHD_NO;
    }
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    request *rq = *con_cls;
    if (!rq)
        return;
    free(rq->body);
    free(rq);
    *con_cls = NULL;
}

/* ---- starting and stopping ------------------------------------------------------------ */

/* Resolves "ADDR:PORT" or "[V6ADDR]:PORT" into *ss. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen,
                        char *err, size_t errcap)
{
    char host[256];
    const char *port;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof host)
            goto bad;
        memcpy(host, listen + 1, (size_t)(close - listen - 1));
        host[close - listen - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host)
            goto bad;
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        port = colon + 1;
    }
    /* An empty address would mean every interface: that must be asked for
     * by name (0.0.0.0 or [::]), never happen by omission. */
    if (!host[0] || !port[0])
        goto bad;
    char *end;
    long p = strtol(port, &end, 10);
    if (*end || p < 0 || p > 65535)
        goto bad;
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0 || !res) {
        snprintf(err, errcap, "cannot resolve %s: %s", host, gai_strerror(gai));
        return XJ_ERR_ARG;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *sslen = res->ai_addrlen;
    freeaddrinfo(res);
    return XJ_OK;
bad:
    snprintf(err, errcap, "--listen takes ADDR:PORT (127.0.0.1:8080, [::1]:8080), not '%s'",
             listen);
    return XJ_ERR_ARG;
}

int xj_service_start(xj_engine *e, xj_index *idx, const xj_service_options *opts, xj_service **out,
                     char *err, size_t errcap)
{
    *out = NULL;
    if (err && errcap)
        err[0] = '\0';
    char dummy[8];
    if (!err || !errcap) {
        err = dummy;
        errcap = sizeof dummy;
    }
    if (!e || !idx || !opts || !opts->listen || !opts->audit) {
        snprintf(err, errcap, "the engine, the index, an address and an audit log are required");
        return XJ_ERR_ARG;
    }
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    int rc = parse_listen(opts->listen, &ss, &sslen, err, errcap);
    if (rc != XJ_OK)
        return rc;

    xj_service *s = calloc(1, sizeof *s);
    if (!s)
        return XJ_ERR_NOMEM;
    s->engine = e;
    s->idx = idx;
    s->tokens = opts->tokens;
    s->audit = opts->audit;
    s->max_body = opts->max_body ? opts->max_body : DEFAULT_MAX_BODY;
    unsigned threads = opts->threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1u;
    }
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                                 (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads,
                                 MHD_OPTION_CONNECTION_LIMIT, CONNECTION_LIMIT,
                                 MHD_OPTION_CONNECTION_TIMEOUT,
                                 opts->timeout_seconds ? opts->timeout_seconds : DEFAULT_TIMEOUT,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)s,
                                 MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errcap, "cannot listen on %s (address in use, or not this machine's)",
                 opts->listen);
        free(s);
        return XJ_ERR_IO;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    *out = s;
    return XJ_OK;
}

uint16_t xj_service_port(const xj_service *s)
{
    return s ? s->port : 0;
}

void xj_service_stop(xj_service *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    free(s);
}
