/*
 * json_out.c: verdicts, registry records and errors as JSON (jansson), the
 * one rendering that `xueji lookup` prints and `xueji serve` answers with.
 *
 * The fields a results file holds (decision, numbers, score, reasons) are
 * rendered from the same verdict fields, with the same formatting, as
 * engine/batch.c writes them, so that a record checked alone can be compared
 * field by field with its row of a batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "service_int.h"

/* Real numbers are the scores, already rounded to two decimals; 15
 * significant digits print them back as they were written ("18.37", not
 * "18.370000000000001"). */
#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* A JSON string from UTF-8 text that may be malformed (a name as a school
 * typed it): jansson refuses invalid UTF-8, so bad bytes become U+FFFD, as
 * xj_json_put_string writes them. */
static json_t *jstr_n(const char *s, size_t len)
{
    json_t *j = json_stringn(s, len);
    if (j)
        return j;
    char *buf = malloc(len * 3 + 1);
    if (!buf)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t adv = 1;
        if (xj_utf8_decode((const unsigned char *)s + i, len - i, &adv) < 0 || s[i] == '\0') {
            o += xj_utf8_encode(0xFFFD, buf + o);
            i += 1;
        } else {
            memcpy(buf + o, s + i, adv);
            o += adv;
            i += adv;
        }
    }
    j = json_stringn(buf, o);
    free(buf);
    return j;
}

static json_t *jstr(const char *s)
{
    return jstr_n(s, strlen(s));
}

/* A string, or null when it is empty: the empty fields of a results row. */
static json_t *jstr_or_null(const char *s)
{
    return s && s[0] ? jstr(s) : json_null();
}

/* Sets key to value, which jansson steals; a NULL value (out of memory) is
 * counted in *failed so that the caller gives up once, at the end. */
static void put(json_t *obj, const char *key, json_t *value, int *failed)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
        *failed = 1;
}

static void append(json_t *arr, json_t *value, int *failed)
{
    if (!value || json_array_append_new(arr, value) != 0)
        *failed = 1;
}

/* The score as the results file writes it ("%.2f"), read back as a number. */
static json_t *jscore(double score)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.2f", score);
    return json_real(strtod(buf, NULL));
}

static json_t *jdate(uint32_t yyyymmdd)
{
    if (yyyymmdd == 0)
        return json_null();
    char buf[16];
    snprintf(buf, sizeof buf, "%04u-%02u-%02u", yyyymmdd / 10000, yyyymmdd / 100 % 100,
             yyyymmdd % 100);
    return json_string(buf);
}

static json_t *jgender(char g)
{
    if (g == 'M')
        return json_string("M");
    if (g == 'F')
        return json_string("F");
    return json_null();
}

static json_t *jreasons(const xj_reasons *r)
{
    json_t *arr = json_array();
    int failed = 0;
    if (!arr)
        return NULL;
    for (unsigned i = 0; i < XJ_REASON_COUNT; i++)
        if (xj_reasons_has(r, (xj_reason)i))
            append(arr, json_string(xj_reason_code((xj_reason)i)), &failed);
    if (failed) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static char *dump(json_t *root, int failed, size_t *len)
{
    char *text = NULL;
    if (root && !failed)
        text = json_dumps(root, DUMP_FLAGS);
    json_decref(root);
    if (len)
        *len = text ? strlen(text) : 0;
    return text;
}

/* ---- what one viewer may see ------------------------------------------------ */

typedef struct view {
    const xj_service_scope *scope;
    unsigned mask;
    char own_id[19]; /* the requester's own normalized resident ID, or "" */
} view;

static json_t *jname(const view *vw, int inside, const char *name)
{
    if (!name || !name[0])
        return json_null();
    if (inside || !(vw->mask & XJ_SERVICE_MASK_NAMES))
        return jstr(name);
    char masked[XJ_NAME_MAX];
    return jstr(xj_service_mask_name(name, masked, sizeof masked));
}

static json_t *jid(const view *vw, int inside, const char *id)
{
    if (!id || !id[0])
        return json_null();
    if (inside || !(vw->mask & XJ_SERVICE_MASK_IDS) || strcmp(id, vw->own_id) == 0)
        return jstr(id);
    char masked[64];
    xj__service_mask_id(id, masked, sizeof masked);
    return jstr(masked);
}

static json_t *jnumber(const view *vw, int inside, const char *number)
{
    if (!number || !number[0])
        return json_null();
    /* A G number is G + an ID: shown when the ID may be, and always when it
     * is the requester's own. */
    if (inside || !(vw->mask & XJ_SERVICE_MASK_IDS) ||
        (number[0] == 'G' && vw->own_id[0] && strcmp(number + 1, vw->own_id) == 0))
        return jstr(number);
    char masked[20];
    xj__service_mask_number(number, masked);
    return jstr(masked);
}

static int record_inside(const view *vw, const xj_record *r)
{
    return xj_service_in_scope(vw->scope, r->school_region, r->hukou_region, r->id);
}

static void view_init(view *vw, const xj_service_scope *scope, unsigned mask, const xj_input *in)
{
    memset(vw, 0, sizeof *vw);
    vw->scope = scope;
    vw->mask = scope && scope->prefix[0] ? mask : 0;
    if (in && in->id_number.len) {
        xj_idcard card;
        if (xj_idcard_parse(in->id_number.ptr, in->id_number.len, 0, &card) == XJ_OK &&
            card.normalized[0])
            memcpy(vw->own_id, card.normalized, sizeof vw->own_id);
    }
}

/* ---- verdicts ------------------------------------------------------------------ */

static json_t *jcandidate(const view *vw, const xj_candidate *c, int *failed)
{
    json_t *o = json_object();
    if (!o) {
        *failed = 1;
        return NULL;
    }
    const xj_record *r = &c->rec;
    int inside = record_inside(vw, r);
    put(o, "student_number", jnumber(vw, inside, r->student_number), failed);
    put(o, "score", jscore(c->score), failed);
    put(o, "reasons", jreasons(&c->reasons), failed);
    put(o, "name", jname(vw, inside, r->name_raw[0] ? r->name_raw : r->name), failed);
    put(o, "gender", jgender(r->gender), failed);
    put(o, "birth_date", jdate(r->birth), failed);
    put(o, "school_code", jstr_or_null(r->school_code), failed);
    put(o, "school_region", jstr_or_null(r->school_region), failed);
    put(o, "hukou_region", jstr_or_null(r->hukou_region), failed);
    put(o, "status", json_string(xj_student_status_name((xj_student_status)r->status)), failed);
    put(o, "id", jid(vw, inside, r->id), failed);
    return o;
}

static json_t *jperson(const view *vw, const xj_person *p, int *failed)
{
    static const char *const statuses[] = {"正常", "死亡", "注销"};
    json_t *o = json_object();
    json_t *former = json_array();
    if (!o || !former) {
        json_decref(o);
        json_decref(former);
        *failed = 1;
        return NULL;
    }
    int inside = xj_service_in_scope(vw->scope, NULL, p->hukou_region, p->id);
    put(o, "id", jid(vw, inside, p->id), failed);
    put(o, "name", jname(vw, inside, p->name), failed);
    for (unsigned i = 0; i < p->nformer && i < XJ_FORMER_MAX; i++)
        append(former, jname(vw, inside, p->former[i]), failed);
    put(o, "former_names", former, failed);
    put(o, "gender", jgender(p->gender), failed);
    put(o, "birth_date", jdate(p->birth), failed);
    put(o, "hukou_region", jstr_or_null(p->hukou_region), failed);
    put(o, "status", p->status < 3 ? json_string(statuses[p->status]) : json_null(), failed);
    return o;
}

char *xj_service_verdict_json(const xj_input *in, const xj_verdict *v,
                              const xj_service_scope *scope, unsigned mask, size_t *len)
{
    view vw;
    view_init(&vw, scope, mask, in);
    json_t *o = json_object();
    int failed = !o;
    if (failed)
        return dump(o, failed, len);

    put(o, "record_id", in ? jstr_n(in->record_id.ptr, in->record_id.len) : json_null(), &failed);
    put(o, "decision", json_string(xj_decision_name(v->decision)), &failed);
    /* The record's own number: G + the ID the requester sent, or a J/L
     * number made of what they sent; never masked. */
    put(o, "student_number", jstr_or_null(v->student_number), &failed);

    /* The matched registration is masked like the candidate it is. */
    json_t *matched = json_null();
    if (v->matched[0]) {
        int inside = 0;
        for (size_t i = 0; i < v->ncandidates && i < XJ_CANDIDATES_MAX; i++)
            if (strcmp(v->candidates[i].rec.student_number, v->matched) == 0)
                inside = record_inside(&vw, &v->candidates[i].rec);
        json_decref(matched);
        matched =
            v->decision == XJ_BATCH_DUPLICATE ? jstr(v->matched) : jnumber(&vw, inside, v->matched);
    }
    put(o, "matched_student_number", matched, &failed);
    put(o, "score", v->has_score ? jscore(v->score) : json_null(), &failed);
    put(o, "reasons", jreasons(&v->reasons), &failed);
    put(o, "detail", jstr_or_null(v->detail), &failed);

    json_t *cands = json_array();
    if (!cands)
        failed = 1;
    for (size_t i = 0; cands && i < v->ncandidates && i < XJ_CANDIDATES_MAX; i++)
        append(cands, jcandidate(&vw, &v->candidates[i], &failed), &failed);
    put(o, "candidates", cands, &failed);
    if (v->has_person)
        put(o, "population", jperson(&vw, &v->person, &failed), &failed);
    return dump(o, failed, len);
}

/* ---- records and errors -------------------------------------------------------- */

char *xj_service_record_json(const xj_record *r, const xj_service_scope *scope, unsigned mask,
                             size_t *len)
{
    static const char *const id_types[] = {"居民身份证", "港澳台居民居住证", "护照", "无"};
    view vw;
    view_init(&vw, scope, mask, NULL);
    int inside = record_inside(&vw, r);
    json_t *o = json_object();
    int failed = !o;
    if (failed)
        return dump(o, failed, len);
    put(o, "student_number", jstr_or_null(r->student_number), &failed);
    put(o, "name", jname(&vw, inside, r->name_raw[0] ? r->name_raw : r->name), &failed);
    put(o, "gender", jgender(r->gender), &failed);
    put(o, "birth_date", jdate(r->birth), &failed);
    put(o, "id_type", r->id_type < 4 ? json_string(id_types[r->id_type]) : json_null(), &failed);
    put(o, "id", jid(&vw, inside, r->id), &failed);
    put(o, "school_code", jstr_or_null(r->school_code), &failed);
    put(o, "school_region", jstr_or_null(r->school_region), &failed);
    put(o, "hukou_region", jstr_or_null(r->hukou_region), &failed);
    put(o, "status", json_string(xj_student_status_name((xj_student_status)r->status)), &failed);
    put(o, "ethnicity", jstr_or_null(r->ethnicity), &failed);
    put(o, "grade", jstr_or_null(r->grade), &failed);
    put(o, "guardian_name", jname(&vw, inside, r->guardian_name), &failed);
    /* A guardian's ID outside the region is masked whatever the mask: the
     * guardian is not the child being checked. */
    view strict = vw;
    strict.mask |= scope && scope->prefix[0] ? XJ_SERVICE_MASK_IDS : 0u;
    strict.own_id[0] = '\0';
    put(o, "guardian_id", jid(&strict, inside, r->guardian_id), &failed);
    return dump(o, failed, len);
}

char *xj_service_error_json(const xj_service_error *err, size_t *len)
{
    json_t *o = json_object();
    int failed = !o;
    if (failed)
        return dump(o, failed, len);
    put(o, "error", jstr(err->message), &failed);
    put(o, "field", jstr_or_null(err->field), &failed);
    return dump(o, failed, len);
}
