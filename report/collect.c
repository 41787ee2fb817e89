/*
 * collect.c: from a verdict to the compact copy the report keeps.
 *
 * Called once per batch row, in input order, from the thread that writes the
 * results.  Most rows are only counted.  A conflict row (DUPLICATE, REVIEW,
 * POP_MISMATCH; a few per cent of a batch) is turned into a view: the batch
 * row and each registry candidate (or the population person) as display
 * strings, field by field, with how each column agrees with the batch row.
 * Agreement is decided on the unmasked values; masking happens when a value
 * is copied into the view, so a masked report never holds an ID in memory,
 * let alone in a file.  The view is written to the conflicts CSV at once
 * (the CSV is complete whatever the caps) and packed into the arena for the
 * HTML while the caps allow.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* The fixed-size part of a packed conflict (see report_int.h). */
typedef struct blob_head {
    uint64_t row;
    double score;
    double col_score[COL_MAX];
    uint64_t reasons[REASON_WORDS];
    uint64_t col_reasons[COL_MAX][REASON_WORDS];
    uint32_t steps;
    uint8_t decision, kind, ncols, has_score;
    uint8_t agree[NFIELDS][COL_MAX];
} blob_head;

static const char *const field_keys[NFIELDS] = {
#define XJ__FIELD_KEY(e, key, label) key,
    XJ__FIELD_LIST(XJ__FIELD_KEY)
#undef XJ__FIELD_KEY
};
static const char *const field_labels[NFIELDS] = {
#define XJ__FIELD_LABEL(e, key, label) label,
    XJ__FIELD_LIST(XJ__FIELD_LABEL)
#undef XJ__FIELD_LABEL
};

const char *xj__report_field_key(unsigned f)
{
    return f < NFIELDS ? field_keys[f] : "?";
}

const char *xj__report_field_label(unsigned f)
{
    return f < NFIELDS ? field_labels[f] : "?";
}

int xj__report_slot(int decision)
{
    switch (decision) {
    case XJ_DUPLICATE:
        return 0;
    case XJ_REVIEW:
        return 1;
    case XJ_POP_MISMATCH:
        return 2;
    default:
        return -1;
    }
}

void xj__report_fail(xj_report *r, int status, const char *fmt, ...)
{
    if (r->status != XJ_OK)
        return;
    r->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
    va_end(ap);
}

/* ---- cleaning and masking -------------------------------------------------- */

static int is_id_char(char c)
{
    return (c >= '0' && c <= '9') || c == 'X' || c == 'x';
}

/* Masks, in place, every run of 15 or more digits (an X or x allowed as its
 * last character, as in an ID) within s[0..len).  A run this long is an ID,
 * the ID part of a G/J/L number or something shaped like one; nothing else
 * the report shows (division codes, school codes, dates, scores) is longer
 * than 10 digits, so nothing useful is lost. */
static void scrub_ids(char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] < '0' || s[i] > '9') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j < len && (s[j] == 'X' || s[j] == 'x'))
            j++;
        if (j - i >= 15) {
            char tmp[64];
            if (j - i < sizeof tmp) {
                xj_idcard_mask(s + i, j - i, tmp);
                memcpy(s + i, tmp, j - i);
            } else {
                for (size_t k = i; k < j; k++)
                    s[k] = '*';
            }
        }
        i = j;
        while (i < len && is_id_char(s[i]))
            i++;
    }
}

size_t xj__report_clean(char *dst, size_t cap, const char *s, size_t len, int mask)
{
    /* Room for the longest character, the cut mark "…" and the NUL. */
    size_t limit = cap < VALUE_MAX + 8 ? cap : VALUE_MAX + 8;
    size_t o = 0, i = 0;
    if (limit < 8) {
        if (cap)
            dst[0] = '\0';
        return 0;
    }
    while (i < len) {
        size_t adv = 1;
        int32_t cp = xj_utf8_decode((const unsigned char *)s + i, len - i, &adv);
        size_t need = cp < 0 ? 3 : adv;
        if (o + need > limit - 4) {
            memcpy(dst + o, "\xe2\x80\xa6", 3); /* the cut mark … */
            o += 3;
            break;
        }
        if (cp < 0)
            memcpy(dst + o, "\xef\xbf\xbd", 3); /* U+FFFD for a byte that is not UTF-8 */
        else
            memcpy(dst + o, s + i, adv);
        o += need;
        i += adv;
    }
    dst[o] = '\0';
    if (mask)
        scrub_ids(dst, o);
    return o;
}

char *xj_report_mask_number(const char *s, size_t len, char *out)
{
    if (len == XJ_NUMBER_LEN && (s[0] == 'G' || s[0] == 'J' || s[0] == 'L')) {
        out[0] = s[0];
        xj_idcard_mask(s + 1, len - 1, out + 1);
        return out;
    }
    return xj_idcard_mask(s, len, out);
}

/* ---- building the view ------------------------------------------------------ */

static raw rawz(const char *s)
{
    raw x = {s, s ? strlen(s) : 0};
    return x;
}

static raw trim(xj_slice sl)
{
    const char *p = sl.ptr;
    size_t n = sl.len;
    while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
        n--;
    raw x = {p, n};
    return x;
}

static int raw_eq(raw a, raw b)
{
    return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

/* Plain comparison: not compared when a side is empty. */
static uint8_t agree_of(raw a, raw b)
{
    if (!a.len || !b.len)
        return AG_NONE;
    return raw_eq(a, b) ? AG_SAME : AG_DIFF;
}

/* Copies a value into the scratch buffer, cleaned (and masked when the
 * report is masked); returns the NUL-terminated copy. */
static const char *put(xj_report *r, raw v, int mask)
{
    size_t room = sizeof r->scratch - r->scratch_len;
    char *dst = r->scratch + r->scratch_len;
    size_t n = xj__report_clean(dst, room, v.s, v.len, mask);
    r->scratch_len += n + 1;
    return dst;
}

/* An ID or a student number: masked as a whole (the division code and the
 * last four characters kept), and cleaned in either case. */
static const char *put_id(xj_report *r, raw v)
{
    if (r->o.unmasked || !v.len)
        return put(r, v, 0);
    char tmp[VALUE_MAX + 1];
    size_t n = v.len < VALUE_MAX ? v.len : VALUE_MAX;
    xj_report_mask_number(v.s, n, tmp);
    raw m = {tmp, n};
    return put(r, m, 1);
}

/* A guardian's ID is never shown in a masked report, not even in part:
 * guardians are not the subject of the check, and their agreement is all a
 * registrar needs. */
static const char *put_hidden(xj_report *r, raw v)
{
    if (r->o.unmasked || !v.len)
        return put(r, v, 0);
    char stars[VALUE_MAX];
    size_t n = v.len < sizeof stars ? v.len : sizeof stars;
    memset(stars, '*', n);
    raw m = {stars, n};
    return put(r, m, 0);
}

static const char *gender_zh(char g)
{
    return g == 'M' ? "男" : g == 'F' ? "女" : "";
}

static const char *id_type_zh(unsigned t)
{
    static const char *const names[] = {"居民身份证", "港澳台居民居住证", "护照", "无"};
    return t < 4 ? names[t] : "";
}

static const char *person_status_zh(unsigned s)
{
    static const char *const names[] = {"正常", "死亡", "注销"};
    return s < 3 ? names[s] : "";
}

/* yyyymmdd as YYYY-MM-DD into out (11 bytes); "" for 0. */
static raw date_text(uint32_t d, char out[11])
{
    if (!d) {
        out[0] = '\0';
        return rawz(out);
    }
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(d / 10000) % 10000u, (unsigned)(d / 100) % 100u,
             (unsigned)d % 100u);
    return rawz(out);
}

static void batch_column(rawview *rv, const xj_input *in, const xj_verdict *v)
{
    raw *c0[NFIELDS];
    for (unsigned f = 0; f < NFIELDS; f++)
        c0[f] = &rv->cell[f][0];

    raw name = trim(in->name);
    *c0[F_NAME_RAW] = name;
    if (xj_name_normalize(name.s, name.len, &rv->name) == XJ_OK && rv->name.normalized_len)
        *c0[F_NAME] = rawz(rv->name.normalized);
    else
        *c0[F_NAME] = name;

    raw g = trim(in->gender);
    char gc = 0;
    *c0[F_GENDER] = xj_gender_parse(g.s, g.len, &gc) == XJ_OK ? rawz(gender_zh(gc)) : g;

    raw b = trim(in->birth_date);
    uint32_t birth = 0;
    *c0[F_BIRTH] = xj_date_parse(b.s, b.len, &birth) == XJ_OK ? date_text(birth, rv->dates[0]) : b;

    raw t = trim(in->id_type);
    xj_id_type it;
    /* An empty id_type means 居民身份证 (interface.md), shown as such so that
     * it compares equal to a registry record that says so. */
    if (!t.len)
        *c0[F_ID_TYPE] = rawz(id_type_zh(XJ_IDTYPE_RESIDENT));
    else
        *c0[F_ID_TYPE] = xj_id_type_parse(t.s, t.len, &it) == XJ_OK ? rawz(id_type_zh(it)) : t;

    raw id = trim(in->id_number);
    if (id.len && xj_idcard_parse(id.s, id.len, 0, &rv->id) == XJ_OK && rv->id.normalized[0])
        *c0[F_ID] = rawz(rv->id.normalized);
    else
        *c0[F_ID] = id;

    *c0[F_NUMBER] = rawz(v->student_number);
    *c0[F_SCHOOL_CODE] = trim(in->school_code);
    *c0[F_SCHOOL_REGION] = trim(in->school_region);
    *c0[F_HUKOU] = trim(in->hukou_region);
    *c0[F_ETHNICITY] = trim(in->ethnicity);
    *c0[F_GRADE] = trim(in->grade);

    raw gn = trim(in->guardian_name);
    if (gn.len && xj_name_normalize(gn.s, gn.len, &rv->guardian) == XJ_OK &&
        rv->guardian.normalized_len)
        *c0[F_GUARDIAN_NAME] = rawz(rv->guardian.normalized);
    else
        *c0[F_GUARDIAN_NAME] = gn;

    raw gid = trim(in->guardian_id);
    if (gid.len && xj_idcard_parse(gid.s, gid.len, 0, &rv->gid) == XJ_OK && rv->gid.normalized[0])
        *c0[F_GUARDIAN_ID] = rawz(rv->gid.normalized);
    else
        *c0[F_GUARDIAN_ID] = gid;
    *c0[F_FORMER] = rawz("");
    *c0[F_STATUS] = rawz("");
}

static void record_column(rawview *rv, view *w, unsigned c, const xj_record *rec)
{
    rv->cell[F_NAME][c] = rawz(rec->name);
    rv->cell[F_NAME_RAW][c] = rawz(rec->name_raw);
    rv->cell[F_FORMER][c] = rawz("");
    rv->cell[F_GENDER][c] = rawz(gender_zh(rec->gender));
    rv->cell[F_BIRTH][c] = date_text(rec->birth, rv->dates[c]);
    rv->cell[F_ID_TYPE][c] = rawz(id_type_zh(rec->id_type));
    rv->cell[F_ID][c] = rawz(rec->id[0] ? rec->id : rec->doc);
    rv->cell[F_NUMBER][c] = rawz(rec->student_number);
    rv->cell[F_SCHOOL_CODE][c] = rawz(rec->school_code);
    rv->cell[F_SCHOOL_REGION][c] = rawz(rec->school_region);
    rv->cell[F_HUKOU][c] = rawz(rec->hukou_region);
    rv->cell[F_ETHNICITY][c] = rawz(rec->ethnicity);
    rv->cell[F_GRADE][c] = rawz(rec->grade);
    rv->cell[F_GUARDIAN_NAME][c] = rawz(rec->guardian_name);
    rv->cell[F_GUARDIAN_ID][c] = rawz(rec->guardian_id);
    rv->cell[F_STATUS][c] = rawz(xj_student_status_name((xj_student_status)rec->status));

    for (unsigned f = 0; f < NFIELDS; f++)
        w->agree[f][c] = agree_of(rv->cell[f][0], rv->cell[f][c]);
    /* The raw spelling and the number are shown for the registrar to read,
     * not compared: they differ by construction. */
    w->agree[F_NAME_RAW][c] = AG_NONE;
    w->agree[F_NUMBER][c] = AG_NONE;
    w->agree[F_STATUS][c] = rec->status == XJ_STATUS_ENROLLED ? AG_NONE : AG_WARN;
}

static void person_column(rawview *rv, view *w, unsigned c, const xj_person *p)
{
    for (unsigned f = 0; f < NFIELDS; f++)
        rv->cell[f][c] = rawz("");
    rv->cell[F_NAME][c] = rawz(p->name);
    size_t o = 0;
    int former_hit = 0;
    for (unsigned i = 0; i < p->nformer && i < XJ_FORMER_MAX; i++) {
        size_t n = strnlen(p->former[i], XJ_NAME_MAX);
        if (o + n + 4 > sizeof rv->formers)
            break;
        if (o) {
            memcpy(rv->formers + o, "、", 3);
            o += 3;
        }
        memcpy(rv->formers + o, p->former[i], n);
        o += n;
        raw fm = {p->former[i], n};
        if (raw_eq(fm, rv->cell[F_NAME][0]))
            former_hit = 1;
    }
    rv->formers[o] = '\0';
    rv->cell[F_FORMER][c] = rawz(rv->formers);
    rv->cell[F_GENDER][c] = rawz(gender_zh(p->gender));
    rv->cell[F_BIRTH][c] = date_text(p->birth, rv->dates[c]);
    rv->cell[F_ID][c] = rawz(p->id);
    rv->cell[F_HUKOU][c] = rawz(p->hukou_region);
    rv->cell[F_ETHNICITY][c] = rawz(p->ethnicity);
    rv->cell[F_STATUS][c] = rawz(person_status_zh(p->status));

    for (unsigned f = 0; f < NFIELDS; f++)
        w->agree[f][c] = agree_of(rv->cell[f][0], rv->cell[f][c]);
    /* A former name is as good as the current one (POP_FORMER_NAME). */
    if (former_hit) {
        w->agree[F_NAME][c] = AG_SAME;
        w->agree[F_FORMER][c] = AG_SAME;
    } else {
        w->agree[F_FORMER][c] = AG_NONE;
    }
    w->agree[F_STATUS][c] = p->status == XJ_PERSON_NORMAL ? AG_NONE : AG_WARN;
}

static void build_view(xj_report *r, uint64_t row, const xj_input *in, const xj_verdict *v, view *w,
                       rawview *rv)
{
    memset(w, 0, sizeof *w);
    r->scratch_len = 0;
    w->row = row;
    w->decision = (uint8_t)v->decision;
    w->has_score = v->has_score ? 1 : 0;
    w->score = v->has_score ? v->score : 0.0;
    memcpy(w->reasons, v->reasons.bits, sizeof w->reasons);
    w->steps = xj__report_steps_for(v);

    batch_column(rv, in, v);
    w->ncols = 1;
    if (v->decision == XJ_POP_MISMATCH) {
        if (v->has_person) {
            w->kind = KIND_POPULATION;
            person_column(rv, w, 1, &v->person);
            w->ncols = 2;
        }
    } else {
        size_t n = v->ncandidates < XJ_CANDIDATES_MAX ? v->ncandidates : XJ_CANDIDATES_MAX;
        for (size_t i = 0; i < n; i++) {
            unsigned c = (unsigned)i + 1;
            record_column(rv, w, c, &v->candidates[i].rec);
            w->col_score[c] = v->candidates[i].score;
            memcpy(w->col_reasons[c], v->candidates[i].reasons.bits, sizeof w->col_reasons[c]);
        }
        if (n) {
            w->kind = KIND_REGISTRY;
            w->ncols = (uint8_t)(n + 1);
        }
    }

    int mask = !r->o.unmasked;
    w->record_id = put(r, trim(in->record_id), mask);
    w->name = put(r, trim(in->name), mask);
    w->school_code = put(r, trim(in->school_code), mask);
    w->school_region = put(r, trim(in->school_region), mask);
    w->matched = v->decision == XJ_BATCH_DUPLICATE ? put(r, rawz(v->matched), mask)
                                                   : put_id(r, rawz(v->matched));
    for (unsigned c = 0; c < w->ncols; c++) {
        char head[64];
        if (c == 0)
            snprintf(head, sizeof head, "本批记录");
        else if (w->kind == KIND_POPULATION)
            snprintf(head, sizeof head, "人口库记录");
        else
            snprintf(head, sizeof head, "已有学籍 %u", c);
        w->heads[c] = put(r, rawz(head), 0);
        for (unsigned f = 0; f < NFIELDS; f++) {
            raw x = rv->cell[f][c];
            if (f == F_ID || f == F_NUMBER)
                w->val[f][c] = put_id(r, x);
            else if (f == F_GUARDIAN_ID)
                w->val[f][c] = put_hidden(r, x);
            else
                w->val[f][c] = put(r, x, mask);
        }
    }
}

/* ---- the conflicts CSV --------------------------------------------------------- */

void xj__report_csv_header(FILE *fp)
{
    fputs("record_id,row,decision,school_code,school_region,score,reasons,next_steps,"
          "candidate_rank,candidate_source,candidate_number,candidate_score,candidate_reasons",
          fp);
    for (unsigned f = 0; f < NFIELDS; f++)
        fprintf(fp, ",%s_batch,%s_candidate,%s_agrees", field_keys[f], field_keys[f],
                field_keys[f]);
    fputc('\n', fp);
}

static void put_str(FILE *fp, const char *s)
{
    xj_csv_put_field(fp, s, strlen(s));
}

static void put_reasons(FILE *fp, const uint64_t bits[REASON_WORDS])
{
    xj_reasons rs;
    memcpy(rs.bits, bits, sizeof rs.bits);
    char buf[2048];
    size_t n = xj_reasons_format(&rs, buf, sizeof buf);
    xj_csv_put_field(fp, buf, n);
}

/* One CSV row per candidate (or one row when there is none to compare). */
static uint64_t write_csv(FILE *fp, const view *w)
{
    unsigned first = w->ncols > 1 ? 1 : 0;
    uint64_t rows = 0;
    for (unsigned c = first; c < w->ncols || (c == 0 && w->ncols == 1); c++) {
        put_str(fp, w->record_id);
        fprintf(fp, ",%llu,%s,", (unsigned long long)w->row + 1,
                xj_decision_name((xj_decision)w->decision));
        put_str(fp, w->school_code);
        fputc(',', fp);
        put_str(fp, w->school_region);
        fputc(',', fp);
        if (w->has_score)
            fprintf(fp, "%.2f", w->score);
        fputc(',', fp);
        put_reasons(fp, w->reasons);
        fputc(',', fp);
        int sep = 0;
        for (unsigned s = 0; s < NSTEPS; s++)
            if (w->steps & ((uint32_t)1 << s)) {
                fprintf(fp, "%s%s", sep ? ";" : "", xj__report_step_code(s));
                sep = 1;
            }
        if (c == 0) {
            /* Nothing to compare against: the matched number still names
             * the record a DUPLICATE or REVIEW points at. */
            fputs(",0,,", fp);
            put_str(fp, w->matched);
            fputs(",,", fp);
        } else {
            fprintf(fp, ",%u,%s,", c, w->kind == KIND_POPULATION ? "population" : "registry");
            if (w->kind == KIND_REGISTRY) {
                put_str(fp, w->val[F_NUMBER][c]);
                fprintf(fp, ",%.2f,", w->col_score[c]);
                put_reasons(fp, w->col_reasons[c]);
            } else {
                fputs(",,", fp);
            }
        }
        for (unsigned f = 0; f < NFIELDS; f++) {
            fputc(',', fp);
            put_str(fp, w->val[f][0]);
            fputc(',', fp);
            if (c)
                put_str(fp, w->val[f][c]);
            uint8_t a = c ? w->agree[f][c] : AG_NONE;
            fputs(a == AG_SAME ? ",yes" : a == AG_DIFF ? ",no" : ",", fp);
        }
        fputc('\n', fp);
        rows++;
        if (c == 0)
            break;
    }
    return rows;
}

/* ---- packing ------------------------------------------------------------------------- */

static int arena_reserve(arena *a, size_t more)
{
    if (a->len + more <= a->cap)
        return XJ_OK;
    size_t cap = a->cap ? a->cap : 1 << 16;
    while (cap < a->len + more)
        cap *= 2;
    char *p = realloc(a->buf, cap);
    if (!p)
        return XJ_ERR_NOMEM;
    a->buf = p;
    a->cap = cap;
    return XJ_OK;
}

static void arena_put(arena *a, const void *p, size_t n)
{
    memcpy(a->buf + a->len, p, n);
    a->len += n;
}

static size_t packed_size(const view *w)
{
    size_t n = sizeof(blob_head);
    n += strlen(w->record_id) + strlen(w->name) + strlen(w->school_code) +
         strlen(w->school_region) + strlen(w->matched) + 5;
    for (unsigned c = 0; c < w->ncols; c++) {
        n += strlen(w->heads[c]) + 1;
        for (unsigned f = 0; f < NFIELDS; f++)
            n += strlen(w->val[f][c]) + 1;
    }
    return n;
}

static void put_z(arena *a, const char *s)
{
    arena_put(a, s, strlen(s) + 1);
}

static void pack(arena *a, const view *w)
{
    blob_head h;
    memset(&h, 0, sizeof h);
    h.row = w->row;
    h.score = w->score;
    memcpy(h.col_score, w->col_score, sizeof h.col_score);
    memcpy(h.reasons, w->reasons, sizeof h.reasons);
    memcpy(h.col_reasons, w->col_reasons, sizeof h.col_reasons);
    h.steps = w->steps;
    h.decision = w->decision;
    h.kind = w->kind;
    h.ncols = w->ncols;
    h.has_score = w->has_score;
    memcpy(h.agree, w->agree, sizeof h.agree);
    arena_put(a, &h, sizeof h);
    put_z(a, w->record_id);
    put_z(a, w->name);
    put_z(a, w->school_code);
    put_z(a, w->school_region);
    put_z(a, w->matched);
    for (unsigned c = 0; c < w->ncols; c++)
        put_z(a, w->heads[c]);
    for (unsigned f = 0; f < NFIELDS; f++)
        for (unsigned c = 0; c < w->ncols; c++)
            put_z(a, w->val[f][c]);
}

static const char *next_z(const char **p)
{
    const char *s = *p;
    *p += strlen(s) + 1;
    return s;
}

void xj__report_unpack(const char *blob, view *w)
{
    blob_head h;
    memcpy(&h, blob, sizeof h);
    memset(w, 0, sizeof *w);
    w->row = h.row;
    w->score = h.score;
    memcpy(w->col_score, h.col_score, sizeof w->col_score);
    memcpy(w->reasons, h.reasons, sizeof w->reasons);
    memcpy(w->col_reasons, h.col_reasons, sizeof w->col_reasons);
    w->steps = h.steps;
    w->decision = h.decision;
    w->kind = h.kind;
    w->ncols = h.ncols;
    w->has_score = h.has_score;
    memcpy(w->agree, h.agree, sizeof w->agree);
    const char *p = blob + sizeof h;
    w->record_id = next_z(&p);
    w->name = next_z(&p);
    w->school_code = next_z(&p);
    w->school_region = next_z(&p);
    w->matched = next_z(&p);
    for (unsigned c = 0; c < w->ncols; c++)
        w->heads[c] = next_z(&p);
    for (unsigned f = 0; f < NFIELDS; f++)
        for (unsigned c = 0; c < w->ncols; c++)
            w->val[f][c] = next_z(&p);
}

/* ---- the school table ------------------------------------------------------------- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int school_rehash(xj_report *r, size_t cap)
{
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t)
        return XJ_ERR_NOMEM;
    for (size_t i = 0; i < r->nschools; i++) {
        size_t k = (size_t)fnv1a(r->school_names.buf + r->schools[i].name_off) & (cap - 1);
        while (t[k])
            k = (k + 1) & (cap - 1);
        t[k] = (uint32_t)i + 1;
    }
    free(r->school_hash);
    r->school_hash = t;
    r->hash_cap = cap;
    return XJ_OK;
}

/* Finds or adds a school code; returns its index, or -1 without memory. */
static long school_of(xj_report *r, const char *code)
{
    if ((r->nschools + 1) * 2 > r->hash_cap &&
        school_rehash(r, r->hash_cap ? r->hash_cap * 2 : 256) != XJ_OK)
        return -1;
    size_t k = (size_t)fnv1a(code) & (r->hash_cap - 1);
    while (r->school_hash[k]) {
        uint32_t i = r->school_hash[k] - 1;
        if (strcmp(r->school_names.buf + r->schools[i].name_off, code) == 0)
            return (long)i;
        k = (k + 1) & (r->hash_cap - 1);
    }
    if (r->nschools == r->schools_cap) {
        school *p = xj_grow(r->schools, &r->schools_cap, sizeof *p, 64);
        if (!p)
            return -1;
        r->schools = p;
    }
    size_t n = strlen(code) + 1;
    if (arena_reserve(&r->school_names, n) != XJ_OK)
        return -1;
    school *s = &r->schools[r->nschools];
    memset(s, 0, sizeof *s);
    s->name_off = r->school_names.len;
    arena_put(&r->school_names, code, n);
    r->school_hash[k] = (uint32_t)r->nschools + 1;
    return (long)r->nschools++;
}

/* ---- the entry point ----------------------------------------------------------- */

static int keep(xj_report *r, const view *w, int slot)
{
    size_t need = packed_size(w);
    if (r->nkept >= r->o.max_rows || r->data.len + need > r->o.max_bytes)
        return 0;
    long s = school_of(r, w->school_code);
    if (s < 0 || arena_reserve(&r->data, need) != XJ_OK) {
        xj__report_fail(r, XJ_ERR_NOMEM, "out of memory keeping conflict rows");
        return 0;
    }
    if (r->nkept == r->kept_cap) {
        kept *p = xj_grow(r->kept, &r->kept_cap, sizeof *p, 1024);
        if (!p) {
            xj__report_fail(r, XJ_ERR_NOMEM, "out of memory keeping conflict rows");
            return 0;
        }
        r->kept = p;
    }
    kept *k = &r->kept[r->nkept++];
    k->off = r->data.len;
    k->school = (uint32_t)s;
    k->decision = w->decision;
    pack(&r->data, w);
    r->schools[s].n++;
    r->schools[s].by[slot]++;
    return 1;
}

void xj__report_collect(xj_report *r, uint64_t row, const xj_input *in, const xj_verdict *v)
{
    r->counts.rows++;
    if ((unsigned)v->decision < XJ_DECISION_COUNT)
        r->counts.by_decision[v->decision]++;
    int slot = xj__report_slot((int)v->decision);
    if (slot < 0 || r->status != XJ_OK)
        return;
    r->counts.conflicts++;

    view *w = &r->view;
    build_view(r, row, in, v, w, &r->raw);

    if (r->csv) {
        r->counts.csv_rows += write_csv(r->csv, w);
        if (ferror(r->csv))
            xj__report_fail(r, XJ_ERR_IO, "cannot write %s", r->conflicts_path);
    }
    if (r->html) {
        if (keep(r, w, slot)) {
            r->counts.kept++;
        } else {
            r->counts.left_out++;
            r->left_out_by[slot]++;
        }
        r->counts.bytes = r->data.len;
    }
}
