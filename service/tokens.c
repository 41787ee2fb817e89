/*
 * tokens.c: the --tokens file of `xueji serve` and the lookup of a presented
 * bearer token.
 *
 * The file is small (one line per county office at most, about three
 * thousand nationwide) and read once at start; lookups happen on every
 * request.  A lookup must not let response times reveal how much of a
 * token was right.  Comparing the presented token with every stored one in
 * full would do, but costs 3,000 x 256 bytes a request; instead each token
 * is kept with a hash keyed by a secret drawn at start (XXH3 with a random
 * seed), the hashes of all tokens are compared with the presented token's
 * without branching, and only the one candidate they select (or a dummy)
 * is then compared in full, in constant time.  The time taken depends on
 * the number of tokens only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "service_int.h"

#define TOKEN_MIN 16
#define TOKEN_MAX 255

/* One stored token, zero-padded to its full width so that every comparison
 * reads the same number of bytes. */
typedef struct token_entry {
    unsigned char token[TOKEN_MAX + 1];
    size_t len;
    xj_service_scope scope;
} token_entry;

struct xj_service_tokens {
    size_t n, cap;
    token_entry *entries;
    uint64_t *hashes; /* keyed hash of each token, parallel to entries */
    uint64_t seed;    /* the secret key of the hashes */
};

/* A secret seed for the token hashes; the kernel's randomness, else the
 * clock (still unknown to a remote client). */
static uint64_t secret_seed(void)
{
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15u ^ (uint64_t)ts.tv_sec ^
               (uint64_t)getpid() << 32;
    }
    return seed;
}

static int line_error(char *err, size_t errcap, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int line_error(char *err, size_t errcap, unsigned long line, const char *fmt, ...)
{
    if (err && errcap) {
        int n = snprintf(err, errcap, "line %lu: ", line);
        if (n >= 0 && (size_t)n < errcap) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n, errcap - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return XJ_ERR_ARG;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits one comment-free line into at most max white-space separated
 * words; returns the number found (max + 1 when there are more). */
static size_t split(const char *s, size_t len, xj_slice *words, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && is_space(s[i]))
            i++;
        if (i == len)
            break;
        size_t start = i;
        while (i < len && !is_space(s[i]))
            i++;
        if (n == max)
            return max + 1;
        words[n].ptr = s + start;
        words[n].len = i - start;
        n++;
    }
    return n;
}

static int parse_line(xj_service_tokens *t, const char *s, size_t len, unsigned long line,
                      char *err, size_t errcap)
{
    const char *hash = memchr(s, '#', len);
    if (hash)
        len = (size_t)(hash - s);
    xj_slice w[3];
    size_t n = split(s, len, w, 3);
    if (n == 0)
        return XJ_OK;
    if (n > 3)
        return line_error(err, errcap, line,
                          "expected TOKEN REGION_PREFIX LABEL, found more than three fields "
                          "(a label holds no white space)");
    if (n != 3)
        return line_error(err, errcap, line,
                          "expected TOKEN REGION_PREFIX LABEL, found %zu field%s", n,
                          n == 1 ? "" : "s");

    /* The token: printable ASCII, long enough not to be guessed. */
    if (w[0].len < TOKEN_MIN || w[0].len > TOKEN_MAX)
        return line_error(err, errcap, line, "the token must be %d to %d characters, not %zu",
                          TOKEN_MIN, TOKEN_MAX, w[0].len);
    for (size_t i = 0; i < w[0].len; i++) {
        unsigned char c = (unsigned char)w[0].ptr[i];
        if (c < 0x21 || c > 0x7E)
            return line_error(err, errcap, line,
                              "the token holds a character other than printable ASCII");
    }

    /* The region prefix: '*' for the nation, else 1 to 6 digits. */
    xj_service_scope scope;
    memset(&scope, 0, sizeof scope);
    if (!(w[1].len == 1 && w[1].ptr[0] == '*')) {
        if (w[1].len < 1 || w[1].len > 6)
            return line_error(err, errcap, line,
                              "the region prefix must be * or 1 to 6 digits of a division code");
        for (size_t i = 0; i < w[1].len; i++)
            if (w[1].ptr[i] < '0' || w[1].ptr[i] > '9')
                return line_error(
                    err, errcap, line,
                    "the region prefix must be * or 1 to 6 digits of a division code");
        memcpy(scope.prefix, w[1].ptr, w[1].len);
    }

    /* The label: what the audit log names the holder by. */
    if (w[2].len >= XJ_SERVICE_LABEL_MAX)
        return line_error(err, errcap, line, "the label is longer than %d bytes",
                          XJ_SERVICE_LABEL_MAX - 1);
    for (size_t i = 0; i < w[2].len; i++)
        if ((unsigned char)w[2].ptr[i] < 0x20 || w[2].ptr[i] == 0x7F)
            return line_error(err, errcap, line, "the label holds a control character");
    memcpy(scope.label, w[2].ptr, w[2].len);

    /* Each token and each label once: two holders of one token could not be
     * told apart in the log, nor could two offices under one label. */
    for (size_t i = 0; i < t->n; i++) {
        if (t->entries[i].len == w[0].len && memcmp(t->entries[i].token, w[0].ptr, w[0].len) == 0)
            return line_error(err, errcap, line, "this token is already given on an earlier line");
        if (strcmp(t->entries[i].scope.label, scope.label) == 0)
            return line_error(err, errcap, line, "the label '%s' is already used", scope.label);
    }

    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        token_entry *grown = realloc(t->entries, cap * sizeof *grown);
        if (!grown)
            return XJ_ERR_NOMEM;
        t->entries = grown;
        uint64_t *hgrown = realloc(t->hashes, cap * sizeof *hgrown);
        if (!hgrown)
            return XJ_ERR_NOMEM;
        t->hashes = hgrown;
        t->cap = cap;
    }
    token_entry *e = &t->entries[t->n];
    memset(e, 0, sizeof *e);
    memcpy(e->token, w[0].ptr, w[0].len);
    e->len = w[0].len;
    e->scope = scope;
    t->hashes[t->n] = XXH3_64bits_withSeed(w[0].ptr, w[0].len, t->seed);
    t->n++;
    return XJ_OK;
}

int xj_service_tokens_parse(const char *text, size_t len, xj_service_tokens **out, char *err,
                            size_t errcap)
{
    *out = NULL;
    if (err && errcap)
        err[0] = '\0';
    xj_service_tokens *t = calloc(1, sizeof *t);
    if (!t)
        return XJ_ERR_NOMEM;
    t->seed = secret_seed();
    unsigned long line = 0;
    size_t i = 0;
    /* A UTF-8 BOM, as editors on Windows leave one, is not part of a token. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        line++;
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        int rc = parse_line(t, text + i, end - i, line, err, errcap);
        if (rc != XJ_OK) {
            xj_service_tokens_free(t);
            return rc;
        }
        i = end + 1;
    }
    *out = t;
    return XJ_OK;
}

int xj_service_tokens_load(const char *path, xj_service_tokens **out, char *err, size_t errcap)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (err && errcap)
            snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return XJ_ERR_IO;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    int rc = buf ? XJ_OK : XJ_ERR_NOMEM;
    while (rc == XJ_OK) {
        if (len == cap) {
            char *grown = cap < ((size_t)16 << 20) ? realloc(buf, cap * 2) : NULL;
            if (!grown) {
                rc = cap < ((size_t)16 << 20) ? XJ_ERR_NOMEM : XJ_ERR_TOO_LONG;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, fp);
        len += n;
        if (n == 0) {
            if (ferror(fp))
                rc = XJ_ERR_IO;
            break;
        }
    }
    fclose(fp);
    if (rc == XJ_OK)
        rc = xj_service_tokens_parse(buf, len, out, err, errcap);
    else if (err && errcap)
        snprintf(err, errcap, "%s: %s", path, xj_strerror(rc));
    if (buf) {
        /* The file's text holds every token: wipe it before freeing. */
        volatile char *v = buf;
        for (size_t k = 0; k < len; k++)
            v[k] = 0;
    }
    free(buf);
    return rc == XJ_ERR_TOO_LONG ? XJ_ERR_IO : rc;
}

void xj_service_tokens_free(xj_service_tokens *t)
{
    if (!t)
        return;
    if (t->entries) {
        volatile unsigned char *v = (volatile unsigned char *)t->entries;
        for (size_t k = 0; k < t->cap * sizeof *t->entries; k++)
            v[k] = 0;
    }
    free(t->entries);
    free(t->hashes);
    t->seed = 0;
    free(t);
}

size_t xj_service_tokens_count(const xj_service_tokens *t)
{
    return t ? t->n : 0;
}

/* All ones when a == b, else 0, without a branch. */
static uint64_t eq_mask64(uint64_t a, uint64_t b)
{
    uint64_t d = a ^ b;
    return ((d | (0 - d)) >> 63) - 1;
}

const xj_service_scope *xj_service_tokens_find(const xj_service_tokens *t, const char *token,
                                               size_t len)
{
    /* The length of what was presented is not secret; the stored tokens
     * are.  Over-long input cannot match and is refused at once. */
    if (!t || !token || len == 0 || len > TOKEN_MAX || t->n == 0)
        return NULL;
    unsigned char presented[TOKEN_MAX + 1];
    memset(presented, 0, sizeof presented);
    memcpy(presented, token, len);

    /* Pick the entry whose keyed hash matches, scanning all of them. */
    uint64_t h = XXH3_64bits_withSeed(token, len, t->seed);
    uint64_t pick = 0; /* 1 + the index of the candidate, or 0 */
    for (size_t i = 0; i < t->n; i++)
        pick |= eq_mask64(t->hashes[i], h) & (uint64_t)(i + 1);
    /* Two tokens sharing a hash (one chance in 2^64) would OR their
     * indexes together: the full comparison below then fails safe. */
    size_t cand = pick && pick <= t->n ? (size_t)pick - 1 : 0;

    /* Compare the candidate in full, every byte of the padded width, so
     * that the time is the same whether a hash matched or not. */
    const token_entry *e = &t->entries[cand];
    volatile unsigned diff = (unsigned)(e->len ^ len) | (unsigned)(pick == 0);
    for (size_t k = 0; k < sizeof presented; k++)
        diff |= (unsigned)(e->token[k] ^ presented[k]);
    volatile unsigned char *v = presented;
    for (size_t k = 0; k < sizeof presented; k++)
        v[k] = 0;
    return diff == 0 ? &e->scope : NULL;
}
