/*
 * fuzz_service.c: the parsers of the service over arbitrary bytes: the body
 * of POST /v1/check, the --tokens file, and the masking of names and audit
 * text.  Invariants: no crash or sanitizer report; a refused body is a 400
 * with a message; an accepted body's slices lie inside NUL-free strings the
 * verdict JSON can echo; masked and scrubbed text stays within its buffer
 * and holds no run of 15 or more ID characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xj/service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;

    xj_service_body *b = NULL;
    xj_service_error err;
    int rc = xj_service_body_parse(text, size, &b, &err);
    if (rc == XJ_OK) {
        const xj_input *in = xj_service_body_input(b);
        xj_verdict v;
        memset(&v, 0, sizeof v);
        v.decision = XJ_INVALID;
        xj_service_scope scope = {.prefix = "11", .label = "fuzz"};
        char *json = xj_service_verdict_json(in, &v, &scope,
                                             XJ_SERVICE_MASK_NAMES | XJ_SERVICE_MASK_IDS, NULL);
        if (!json)
            abort();
        free(json);
        xj_service_body_free(b);
    } else if (rc != XJ_ERR_ARG || err.status != 400 || err.message[0] == '\0') {
        abort();
    }

    xj_service_tokens *t = NULL;
    char terr[256];
    if (xj_service_tokens_parse(text, size, &t, terr, sizeof terr) == XJ_OK) {
        xj_service_tokens_find(t, text, size);
        xj_service_tokens_free(t);
    } else if (t != NULL || strncmp(terr, "line ", 5) != 0) {
        abort();
    }

    char out[64];
    xj_service_scrub(text, size, out, sizeof out);
    size_t run = 0;
    for (const char *p = out; *p; p++) {
        run = ((*p >= '0' && *p <= '9') || *p == 'X' || *p == 'x') ? run + 1 : 0;
        if (run >= 15 || p >= out + sizeof out)
            abort();
    }
    char *name = malloc(size + 1);
    if (name) {
        memcpy(name, data, size);
        name[size] = '\0';
        xj_service_mask_name(name, out, sizeof out);
        if (strlen(out) >= sizeof out)
            abort();
        free(name);
    }
    return 0;
}
