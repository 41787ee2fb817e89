/*
 * engine.c: the engine handle, its options, the reason vocabulary, and the
 * single-record check.
 *
 * The single-record check runs exactly the steps of a batch row (prepare,
 * gather, decide) on a batch of one; the numbers it shows are the ones a
 * commit would give now, reserved in a commit that is then dropped.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* Defaults of the decision thresholds (README, "Scoring"). */
#define DEFAULT_DUP_THRESHOLD    30.0
#define DEFAULT_REVIEW_THRESHOLD 16.0

static const char *const reason_codes[XJ_REASON_COUNT] = {
#define XJ__REASON_CODE(code, zh) #code,
    XJ_REASON_LIST(XJ__REASON_CODE)
#undef XJ__REASON_CODE
};

static const char *const reason_texts[XJ_REASON_COUNT] = {
#define XJ__REASON_TEXT(code, zh) zh,
    XJ_REASON_LIST(XJ__REASON_TEXT)
#undef XJ__REASON_TEXT
};

const char *xj_reason_code(xj_reason r)
{
    return (unsigned)r < XJ_REASON_COUNT ? reason_codes[r] : "?";
}

const char *xj_reason_text_zh(xj_reason r)
{
    return (unsigned)r < XJ_REASON_COUNT ? reason_texts[r] : "?";
}

size_t xj_reasons_format(const xj_reasons *r, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap == 0)
        return 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < XJ_REASON_COUNT; i++) {
        if (!xj_reasons_has(r, (xj_reason)i))
            continue;
        size_t n = strlen(reason_codes[i]);
        if (len + n + 2 > cap)
            break;
        if (len)
            buf[len++] = ';';
        memcpy(buf + len, reason_codes[i], n);
        len += n;
        buf[len] = '\0';
    }
    return len;
}

void xj_engine_options_init(xj_engine_options *opts)
{
    memset(opts, 0, sizeof *opts);
}

int xj_engine_open(xj_index *idx, const xj_engine_options *opts, xj_engine **out)
{
    if (!idx || !out)
        return XJ_ERR_ARG;
    xj_engine *e = calloc(1, sizeof *e);
    if (!e)
        return XJ_ERR_NOMEM;
    e->idx = idx;
    if (opts)
        e->opts = *opts;
    if (!e->opts.today)
        e->opts.today = xj_date_today();
    if (e->opts.dup_threshold <= 0)
        e->opts.dup_threshold = DEFAULT_DUP_THRESHOLD;
    if (e->opts.review_threshold <= 0)
        e->opts.review_threshold = DEFAULT_REVIEW_THRESHOLD;
    *out = e;
    return XJ_OK;
}

void xj_engine_close(xj_engine *e)
{
    free(e);
}

const char *xj_engine_errmsg(const xj_engine *e)
{
    return e ? e->errmsg : "";
}

int xj_engine_judge(xj_engine *e, const xj_input *in, xj_verdict *out)
{
    xj_row *row = malloc(sizeof *row);
    xj_found *found = malloc(sizeof *found);
    xj_scratch *sc = xj__scratch_new(1);
    xj_name_stats ns;
    int rc = XJ_ERR_NOMEM;
    if (!row || !found || !sc)
        goto done;
    xj__prepare(e, in, row);
    if ((rc = xj__gather(e, row, 1, found, &ns, sc)) != XJ_OK)
        goto done;
    xj__decide(e, row, found, &ns, out);

    /* The number a commit would give now: reserved in a commit for a
     * fingerprint no batch has, then dropped. */
    static const uint8_t no_batch[16];
    xj_commit *cm = NULL;
    if ((rc = xj_commit_begin(e->idx, no_batch, &cm)) == XJ_OK)
        rc = xj__assign_number(cm, row, out);
    xj_commit_abort(cm);
done:
    xj__scratch_free(sc);
    free(row);
    free(found);
    return rc;
}

const xj_csv_column xj_batch_columns[XJ_BATCH_NCOLUMNS] = {
    {"record_id", "记录号", 1},
    {"name", "姓名", 1},
    {"gender", "性别", 1},
    {"birth_date", "出生日期", 1},
    {"id_type", "身份证件类型", 0},
    {"id_number", "身份证件号", 0},
    {"ethnicity", "民族", 0},
    {"hukou_region", "户口所在地", 0},
    {"school_code", "学校标识码", 1},
    {"school_region", "学校所在地", 1},
    {"grade", "年级", 0},
    {"guardian_name", "监护人姓名", 0},
    {"guardian_id", "监护人身份证件号", 0},
};

/* Where each batch column lives in xj_input, in the order of the table. */
static const size_t input_offsets[XJ_BATCH_NCOLUMNS] = {
    offsetof(xj_input, record_id),   offsetof(xj_input, name),
    offsetof(xj_input, gender),      offsetof(xj_input, birth_date),
    offsetof(xj_input, id_type),     offsetof(xj_input, id_number),
    offsetof(xj_input, ethnicity),   offsetof(xj_input, hukou_region),
    offsetof(xj_input, school_code), offsetof(xj_input, school_region),
    offsetof(xj_input, grade),       offsetof(xj_input, guardian_name),
    offsetof(xj_input, guardian_id),
};

xj_slice *xj_input_column(xj_input *in, size_t i)
{
    return (xj_slice *)(void *)((char *)in + input_offsets[i]);
}
