/*
 * xj/service.h: on-demand single-record checks, the layer behind
 * `xueji lookup` and `xueji serve`.
 *
 * Schools and counties check one child at a time (at intake, before a
 * transfer, when a parent asks).  They get the answer a batch row would get:
 * every check goes through xj_engine_judge(), the engine's one decision
 * function.  This module adds only what a single-record path needs around
 * it:
 *
 *  - the verdict as JSON (shared by lookup and serve, so both print the same
 *    object), a registry record as JSON, and an error as JSON;
 *  - a JSON request body turned into an xj_input, with the field named in
 *    every error;
 *  - the --tokens file: bearer tokens, each bound to a division-code prefix
 *    (its scope), compared in constant time;
 *  - masking by scope: what lies outside a token's region is shown with the
 *    names and ID numbers masked;
 *  - the append-only audit log, one line per request (谁操作、谁负责), which
 *    never holds a full ID number;
 *  - the HTTP server (libmicrohttpd): POST /v1/check, GET /v1/students/{number},
 *    GET /healthz.
 *
 * JSON is built and parsed with jansson and HTTP is libmicrohttpd's; neither
 * shows in this header, so users of the module need neither's headers.
 *
 * Threading: every function here is reentrant.  A token set, once loaded, is
 * read-only and may be shared by any number of threads; an audit log may be
 * written from any number of threads (each line is one write(2) on an
 * O_APPEND descriptor, which the kernel keeps whole).
 */
#ifndef XJ_SERVICE_H
#define XJ_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "xj/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* =========================================================================
 * Scopes and masking
 * ========================================================================= */

#define XJ_SERVICE_LABEL_MAX 64 /* bytes of a token's label, NUL included */

/* What one token may see in full.  A record is inside the scope when its
 * school region, its hukou region or the division code of its resident ID
 * starts with prefix: a county sees its schools' children, the children
 * registered in its hukou, and those born to it. */
typedef struct xj_service_scope {
    char prefix[7];                   /* leading division-code digits; "" = the whole nation */
    char label[XJ_SERVICE_LABEL_MAX]; /* who holds the token: the name the audit log gives */
} xj_service_scope;

/* What is masked in the records outside the scope (bits). */
enum {
    XJ_SERVICE_MASK_NAMES = 1u << 0, /* names: surname and last character kept (张*伟) */
    XJ_SERVICE_MASK_IDS = 1u << 1    /* resident IDs, guardian IDs and the ID inside G numbers */
};

/* Returns 1 when a record with these division codes lies inside the scope,
 * else 0.  Each code may be NULL or "" (absent); id may be an 18-character
 * resident ID, whose first six characters are its division code.  A scope
 * with an empty prefix holds everything. */
int xj_service_in_scope(const xj_service_scope *scope, const char *school_region,
                        const char *hukou_region, const char *id);

/* Writes the masked form of a name into out (NUL-terminated, cut at cap on a
 * character boundary): the first character kept, the last kept when the name
 * has three or more, every other character '*' (张伟 -> 张*, 张小伟 -> 张*伟).
 * Invalid UTF-8 bytes count as one character each.  Returns out. */
char *xj_service_mask_name(const char *name, char *out, size_t cap);

/* Copies s into out (cut at cap), masking every run of 15 or more characters
 * of [0-9Xx] (a resident ID, or the body of a student number) as
 * xj_idcard_mask does: the first six and the last four kept, '*' between.
 * What the audit log writes of any text a client sent.  Returns out. */
char *xj_service_scrub(const char *s, size_t len, char *out, size_t cap);

/* =========================================================================
 * JSON out: verdicts, records, errors
 *
 * Each returns a NUL-terminated UTF-8 JSON text allocated with malloc (free
 * it with free()), with its length in *len when len is not NULL, or NULL
 * when out of memory.
 * ========================================================================= */

/* The verdict on one record:
 *
 *   {"record_id","decision","student_number","matched_student_number",
 *    "score","reasons":[codes],"detail","candidates":[...],"population":{...}}
 *
 * decision, student_number, matched_student_number, score and reasons carry
 * exactly what the record's row of a results file would hold (score as the
 * number the file writes with two decimals; the empty fields of the file
 * are null).  Each candidate is {"student_number","score","reasons",
 * "name","gender","birth_date","school_code","school_region",
 * "hukou_region","status","id"}; population (present when the record was
 * compared with the population database) is {"id","name","former_names",
 * "gender","birth_date","hukou_region","status"}.
 *
 * Records outside the scope are masked as mask says.  The requester's own
 * resident ID (in->id_number) is never masked back at them: a G number or a
 * population ID equal to it is shown as it is, since it is what they sent.
 * @param in     the record judged (for record_id and the requester's ID).
 * @param scope  NULL = the whole nation (nothing masked). */
char *xj_service_verdict_json(const xj_input *in, const xj_verdict *v,
                              const xj_service_scope *scope, unsigned mask, size_t *len);

/* One registry record, for GET /v1/students/{number}:
 *   {"student_number","name","gender","birth_date","id_type","id",
 *    "school_code","school_region","hukou_region","status","ethnicity",
 *    "grade","guardian_name","guardian_id"}
 * Guardian IDs are always masked outside the scope, whatever mask says. */
char *xj_service_record_json(const xj_record *r, const xj_service_scope *scope, unsigned mask,
                             size_t *len);

/* A client error: the HTTP status to answer with, a sentence, and the request
 * field at fault ("" when no single field is). */
typedef struct xj_service_error {
    int status;
    char message[192];
    char field[64];
} xj_service_error;

/* {"error":message,"field":field-or-null}. */
char *xj_service_error_json(const xj_service_error *err, size_t *len);

/* =========================================================================
 * JSON in: the body of POST /v1/check
 *
 * One JSON object holding the batch columns of ../shared/interface.md under
 * their English or Chinese names ("name" or "姓名").  The columns a batch
 * file must have (record_id, name, gender, birth_date, school_code,
 * school_region) must be present, as a batch file's header must name them;
 * a value that is "" or null is absent, as an empty CSV field is, and the
 * engine judges it (INVALID, MISSING_NAME ...) exactly as in a batch.
 * Values must be strings: numbers would lose the leading zeros of codes and
 * the digits of ID numbers.  Unknown keys are ignored, as unknown columns
 * are.
 * ========================================================================= */

typedef struct xj_service_body xj_service_body;

/* Parses a request body.
 * @param[out] out  the parsed body; free it with xj_service_body_free().
 * @param[out] err  on XJ_ERR_ARG, the 400 error naming the field.
 * @return XJ_OK, XJ_ERR_ARG (malformed JSON, not an object, a missing
 *         required field, a value that is not a string or is too long, a
 *         field given under both its names), or XJ_ERR_NOMEM. */
int xj_service_body_parse(const char *text, size_t len, xj_service_body **out,
                          xj_service_error *err);

/* The record of a parsed body: slices borrowed from the body, valid until
 * xj_service_body_free(). */
const xj_input *xj_service_body_input(const xj_service_body *b);

/* Frees a body; accepts NULL. */
void xj_service_body_free(xj_service_body *b);

/* =========================================================================
 * Tokens: the --tokens file
 *
 * One token a line, `TOKEN REGION_PREFIX LABEL`, separated by white space;
 * `#` starts a comment; blank lines are skipped.  TOKEN is 16 to 255
 * printable ASCII characters; REGION_PREFIX is 1 to 6 digits, or `*` for the
 * whole nation; LABEL (at most 63 bytes) names the holder in the audit log
 * and must be unique, as must the token.  A malformed line rejects the whole
 * file, with its line number: a service must not start with half of its
 * access rules.
 * ========================================================================= */

typedef struct xj_service_tokens xj_service_tokens;

/* Parses token-file text.
 * @param[out] out  the token set; free it with xj_service_tokens_free().
 * @param[out] err  on XJ_ERR_ARG, "line N: why" (cut at errcap).
 * @return XJ_OK, XJ_ERR_ARG (a malformed line; a file with no token at all
 *         is accepted and grants nothing), or XJ_ERR_NOMEM. */
int xj_service_tokens_parse(const char *text, size_t len, xj_service_tokens **out, char *err,
                            size_t errcap);

/* Reads and parses a token file.  @return as above, or XJ_ERR_IO. */
int xj_service_tokens_load(const char *path, xj_service_tokens **out, char *err, size_t errcap);

/* Frees the set, wiping the tokens from memory; accepts NULL. */
void xj_service_tokens_free(xj_service_tokens *t);

/* The number of tokens in the set. */
size_t xj_service_tokens_count(const xj_service_tokens *t);

/* Finds the scope of a presented token.  Every stored token is compared in
 * full whatever the input, so that the time taken says nothing about how
 * much of a token was right.
 * @return the scope (borrowed from the set), or NULL when no token matches. */
const xj_service_scope *xj_service_tokens_find(const xj_service_tokens *t, const char *token,
                                               size_t len);

/* =========================================================================
 * The audit log
 * ========================================================================= */

typedef struct xj_service_audit xj_service_audit;

/* Opens (creating with mode 0600) an append-only audit log.
 * @return XJ_OK or XJ_ERR_IO (errno says why). */
int xj_service_audit_open(const char *path, xj_service_audit **out);

/* Closes the log; accepts NULL. */
void xj_service_audit_close(xj_service_audit *a);

/* One request as the log records it.  Any field may be NULL (written as
 * null); free text (path, record) is scrubbed of ID numbers before it is
 * written (xj_service_scrub). */
typedef struct xj_service_audit_entry {
    const char *label;  /* the token's label, never the token; NULL = no valid token */
    const char *remote; /* the client's address */
    const char *method;
    const char *path;
    const char *record;   /* the record_id, or the student number asked for */
    const char *decision; /* the decision, FOUND / NOT_FOUND, or NULL */
    int status;           /* the HTTP status answered */
    double ms;            /* time spent on the request */
} xj_service_audit_entry;

/* Appends one JSON line:
 *   {"time":"2025-11-22T09:30:01.123+08:00","token":label,"remote","method",
 *    "path","record","decision","status","ms"}
 * @return XJ_OK, or XJ_ERR_IO when the line could not be written whole (the
 *         server then refuses the request: what cannot be accounted for is
 *         not answered). */
int xj_service_audit_write(xj_service_audit *a, const xj_service_audit_entry *e);

/* =========================================================================
 * The HTTP server
 *
 *   POST /v1/check             body: the record (above); 200 with the
 *                              verdict JSON.
 *   GET  /v1/students/{number} 200 with the record JSON, 404 when absent.
 *   GET  /healthz              200 {"status":"ok"}; no token needed.
 *
 * Every other request needs `Authorization: Bearer TOKEN`.  Errors are JSON
 * ({"error","field"}): 400 malformed body or number, 401 no or wrong token,
 * 404 unknown path or student, 405 wrong method, 413 body over max_body,
 * 415 Content-Type not application/json, 503 database or audit failure.
 * ========================================================================= */

typedef struct xj_service xj_service;

typedef struct xj_service_options {
    const char *listen;              /* "ADDR:PORT" ("[::1]:8080" for IPv6); port 0 = any */
    unsigned threads;                /* worker threads; 0 = the number of cores */
    size_t max_body;                 /* bytes; 0 = 64 KiB */
    unsigned timeout_seconds;        /* idle connection timeout; 0 = 30 */
    const xj_service_tokens *tokens; /* borrowed; NULL = no token is valid (401 for all
                                        but /healthz) */
    xj_service_audit *audit;         /* borrowed; required */
} xj_service_options;

void xj_service_options_init(xj_service_options *opts);

/* Starts serving on threads of its own and returns.  The caller keeps
 * ownership of the engine, the index, the tokens and the audit log, which
 * must outlive the service.  Signals are the caller's: block SIGTERM and
 * SIGINT before starting so that the server's threads inherit the mask,
 * then wait for them (sigwait) and call xj_service_stop().
 * @param[out] out  the running service.
 * @param[out] err  why it could not start (address unusable, port taken).
 * @return XJ_OK, XJ_ERR_ARG (bad listen address or options), XJ_ERR_IO
 *         (cannot bind or start), XJ_ERR_NOMEM. */
int xj_service_start(xj_engine *e, xj_index *idx, const xj_service_options *opts, xj_service **out,
                     char *err, size_t errcap);

/* The port the service listens on (the one the system chose for port 0). */
uint16_t xj_service_port(const xj_service *s);

/* Stops accepting, lets the requests in progress finish, joins the threads
 * and frees the service; accepts NULL. */
void xj_service_stop(xj_service *s);

#ifdef __cplusplus
}
#endif
#endif /* XJ_SERVICE_H */
