/*
 * json_in.c: the body of POST /v1/check, a JSON object of batch xj_batch_columns,
 * turned into the xj_input the engine judges.
 *
 * The rules mirror the batch file's, so that a record means the same thing
 * in either form: column names in English or Chinese, required columns
 * present (a JSON key plays the part of a header name), empty values absent,
 * unknown keys ignored.  Everything a batch would judge (a missing name, a
 * bad date) is left to the engine, which judges it the same way; only what
 * a CSV file cannot even express is refused here, naming the field.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "service_int.h"

struct xj_service_body {
    json_t *root; /* owns the strings the input's slices point into */
    xj_input input;
};

/* Copies src into dst, cut at cap - 1 bytes (a sentence may lose its end). */
static void copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int fail(xj_service_error *err, const char *field, const char *message)
{
    if (err) {
        err->status = 400;
        copy_text(err->message, sizeof err->message, message);
        copy_text(err->field, sizeof err->field, field ? field : "");
    }
    return XJ_ERR_ARG;
}

/* Reads one column into its slice; returns XJ_OK or fails naming it. */
static int take_column(json_t *root, size_t c, xj_input *in, xj_service_error *err)
{
    json_t *en = json_object_get(root, xj_batch_columns[c].en);
    json_t *zh = json_object_get(root, xj_batch_columns[c].zh);
    if (en && zh)
        return fail(err, xj_batch_columns[c].en,
                    "given twice, under its English and its Chinese name");
    json_t *v = en ? en : zh;
    if (!v)
        return xj_batch_columns[c].required
                   ? fail(err, xj_batch_columns[c].en, "missing required field")
                   : XJ_OK;
    if (json_is_null(v))
        return XJ_OK;
    if (!json_is_string(v))
        return fail(err, xj_batch_columns[c].en,
                    "must be a string (numbers lose the leading zeros of codes and IDs)");
    size_t len = json_string_length(v);
    if (len > XJ_SERVICE_FIELD_MAX)
        return fail(err, xj_batch_columns[c].en, "longer than 4096 bytes");
    xj_slice *s = xj_input_column(in, c);
    s->ptr = json_string_value(v);
    s->len = len;
    return XJ_OK;
}

int xj_service_body_parse(const char *text, size_t len, xj_service_body **out,
                          xj_service_error *err)
{
    *out = NULL;
    if (err)
        memset(err, 0, sizeof *err);
    json_error_t jerr;
    /* Duplicate keys are refused: two values for one column would leave it
     * to the parser which one is judged.  NUL characters are refused by
     * jansson's default, as is text that is not UTF-8. */
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char msg[320];
        snprintf(msg, sizeof msg, "malformed JSON: %s (line %d, column %d)", jerr.text, jerr.line,
                 jerr.column);
        return fail(err, "", msg);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return fail(err, "", "the body must be a JSON object of batch columns");
    }
    xj_service_body *b = calloc(1, sizeof *b);
    if (!b) {
        json_decref(root);
        return XJ_ERR_NOMEM;
    }
    b->root = root;
    for (size_t c = 0; c < XJ_BATCH_NCOLUMNS; c++) {
        int rc = take_column(root, c, &b->input, err);
        if (rc != XJ_OK) {
            xj_service_body_free(b);
            return rc;
        }
    }
    *out = b;
    return XJ_OK;
}

const xj_input *xj_service_body_input(const xj_service_body *b)
{
    return &b->input;
}

void xj_service_body_free(xj_service_body *b)
{
    if (!b)
        return;
    json_decref(b->root);
    free(b);
}
