/*
 * test_service.c: the service layer without a server or an index: the
 * --tokens file, masking by region, request bodies turned into records
 * (with the field named in every error), the verdict and record JSON, and
 * the audit log.  The end-to-end tests (tests/e2e/serve.sh, lookup.sh) run
 * the real server against a generated nation.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xj/service.h"

#define NATION_TOKEN "nation-0123456789abcdef"
#define COUNTY_TOKEN "county-fedcba9876543210"

/* ---- tokens ----------------------------------------------------------------- */

static xj_service_tokens *parse_ok(const char *text)
{
    xj_service_tokens *t = NULL;
    char err[256];
    int rc = xj_service_tokens_parse(text, strlen(text), &t, err, sizeof err);
    cr_assert_eq(rc, XJ_OK, "%s", err);
    cr_assert_not_null(t);
    return t;
}

static void parse_bad(const char *text, const char *want_prefix)
{
    xj_service_tokens *t = (xj_service_tokens *)1;
    char err[256];
    int rc = xj_service_tokens_parse(text, strlen(text), &t, err, sizeof err);
    cr_assert_eq(rc, XJ_ERR_ARG, "accepted: %s", text);
    cr_assert_null(t);
    cr_assert(strncmp(err, want_prefix, strlen(want_prefix)) == 0, "error '%s' for '%s'", err,
              text);
}

Test(tokens, good_file_with_comments_and_prefixes)
{
    xj_service_tokens *t = parse_ok("\xEF\xBB\xBF# the tokens of the service\r\n"
                                    "\n" NATION_TOKEN "  *   ministry   # the whole nation\r\n"
                                    "   \t\n" COUNTY_TOKEN "\t110105\tchaoyang\n"
                                    "beijing-aaaaaaaaaaaaaaaa 11 beijing");
    cr_assert_eq(xj_service_tokens_count(t), 3);

    const xj_service_scope *s = xj_service_tokens_find(t, NATION_TOKEN, strlen(NATION_TOKEN));
    cr_assert_not_null(s);
    cr_assert_str_eq(s->prefix, "");
    cr_assert_str_eq(s->label, "ministry");
    s = xj_service_tokens_find(t, COUNTY_TOKEN, strlen(COUNTY_TOKEN));
    cr_assert_not_null(s);
    cr_assert_str_eq(s->prefix, "110105");
    cr_assert_str_eq(s->label, "chaoyang");
    s = xj_service_tokens_find(t, "beijing-aaaaaaaaaaaaaaaa", 24);
    cr_assert_not_null(s);
    cr_assert_str_eq(s->prefix, "11");
    xj_service_tokens_free(t);
}

Test(tokens, only_the_exact_token_matches)
{
    xj_service_tokens *t = parse_ok(COUNTY_TOKEN " 110105 chaoyang\n");
    size_t n = strlen(COUNTY_TOKEN);
    cr_assert_null(xj_service_tokens_find(t, COUNTY_TOKEN, n - 1), "a prefix of the token");
    cr_assert_null(xj_service_tokens_find(t, COUNTY_TOKEN "x", n + 1), "the token and more");
    cr_assert_null(xj_service_tokens_find(t, "", 0));
    cr_assert_null(xj_service_tokens_find(t, NULL, 0));
    cr_assert_null(xj_service_tokens_find(NULL, COUNTY_TOKEN, n));
    char other[64];
    snprintf(other, sizeof other, "%s", COUNTY_TOKEN);
    other[n - 1] ^= 1; /* the last character wrong */
    cr_assert_null(xj_service_tokens_find(t, other, n));
    char big[400];
    memset(big, 'a', sizeof big);
    cr_assert_null(xj_service_tokens_find(t, big, sizeof big));
    xj_service_tokens_free(t);
}

Test(tokens, a_nationwide_file_finds_every_token)
{
    /* About one token per county office of the country. */
    enum { N = 3000 };
    static char text[N * 64];
    size_t o = 0;
    for (int i = 0; i < N; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "token-%010d-abcdef %06d office-%d\n", i,
                              110000 + i, i);
    xj_service_tokens *t = parse_ok(text);
    cr_assert_eq(xj_service_tokens_count(t), N);
    for (int i = 0; i < N; i++) {
        char tok[64], label[32], prefix[8];
        snprintf(tok, sizeof tok, "token-%010d-abcdef", i);
        snprintf(label, sizeof label, "office-%d", i);
        snprintf(prefix, sizeof prefix, "%06d", 110000 + i);
        const xj_service_scope *s = xj_service_tokens_find(t, tok, strlen(tok));
        cr_assert_not_null(s, "%s", tok);
        cr_assert_str_eq(s->label, label);
        cr_assert_str_eq(s->prefix, prefix);
        tok[6] = 'X';
        cr_assert_null(xj_service_tokens_find(t, tok, strlen(tok)));
    }
    xj_service_tokens_free(t);
}

Test(tokens, empty_file_grants_nothing)
{
    xj_service_tokens *t = parse_ok("# nobody yet\n\n");
    cr_assert_eq(xj_service_tokens_count(t), 0);
    cr_assert_null(xj_service_tokens_find(t, NATION_TOKEN, strlen(NATION_TOKEN)));
    xj_service_tokens_free(t);
}

Test(tokens, malformed_lines_are_named_by_number)
{
    parse_bad("# ok\n" NATION_TOKEN " *\n", "line 2: expected TOKEN REGION_PREFIX LABEL");
    parse_bad(NATION_TOKEN " * ministry\n\n" COUNTY_TOKEN " 110105 chao yang\n",
              "line 3: expected TOKEN REGION_PREFIX LABEL, found more than three");
    parse_bad("short * label\n", "line 1: the token must be 16 to 255 characters");
    parse_bad(NATION_TOKEN " 11a ministry\n", "line 1: the region prefix");
    parse_bad(NATION_TOKEN " 1101051 ministry\n", "line 1: the region prefix");
    parse_bad(NATION_TOKEN " ** ministry\n", "line 1: the region prefix");
    parse_bad(NATION_TOKEN " * ministry\n" NATION_TOKEN " 11 beijing\n",
              "line 2: this token is already given");
    parse_bad(NATION_TOKEN " * ministry\n" COUNTY_TOKEN " 11 ministry\n",
              "line 2: the label 'ministry' is already used");
    parse_bad("tok\xC3\xA9n-0123456789abcdef * label\n", "line 1: the token holds a character");
}

Test(tokens, load_reports_a_missing_file)
{
    xj_service_tokens *t = NULL;
    char err[256];
    cr_assert_eq(xj_service_tokens_load("/nonexistent/tokens", &t, err, sizeof err), XJ_ERR_IO);
    cr_assert_null(t);
    cr_assert(strstr(err, "/nonexistent/tokens") != NULL, "%s", err);
}

Test(tokens, load_reads_a_file)
{
    char path[] = "/tmp/xj-tokens-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char *text = NATION_TOKEN " * ministry\n" COUNTY_TOKEN " 110105 chaoyang\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    xj_service_tokens *t = NULL;
    char err[256];
    cr_assert_eq(xj_service_tokens_load(path, &t, err, sizeof err), XJ_OK, "%s", err);
    cr_assert_eq(xj_service_tokens_count(t), 2);
    xj_service_tokens_free(t);
    unlink(path);
}

/* ---- masking ------------------------------------------------------------------ */

Test(mask, names_keep_the_first_and_the_last_of_three_or_more)
{
    char out[64];
    cr_assert_str_eq(xj_service_mask_name("张伟", out, sizeof out), "张*");
    cr_assert_str_eq(xj_service_mask_name("张小伟", out, sizeof out), "张*伟");
    cr_assert_str_eq(xj_service_mask_name("欧阳小明", out, sizeof out), "欧**明");
    cr_assert_str_eq(xj_service_mask_name("王", out, sizeof out), "王");
    cr_assert_str_eq(xj_service_mask_name("", out, sizeof out), "");
    cr_assert_str_eq(xj_service_mask_name(NULL, out, sizeof out), "");
    cr_assert_str_eq(xj_service_mask_name("ZHANG WEI", out, sizeof out), "Z*******I");
    cr_assert_str_eq(xj_service_mask_name("阿依古丽·买买提", out, sizeof out), "阿******提");
    /* Cut on a character boundary, never inside one. */
    cr_assert_str_eq(xj_service_mask_name("张小伟", out, 5), "张*");
}

Test(mask, scope_is_any_of_school_hukou_and_id_region)
{
    xj_service_scope nation = {.prefix = "", .label = "ministry"};
    xj_service_scope bj = {.prefix = "11", .label = "beijing"};
    xj_service_scope cy = {.prefix = "110105", .label = "chaoyang"};
    cr_assert(xj_service_in_scope(&nation, "440305", NULL, NULL));
    cr_assert(xj_service_in_scope(NULL, NULL, NULL, NULL));
    cr_assert(xj_service_in_scope(&bj, "110105", "440305", "44030520100101001X"));
    cr_assert(xj_service_in_scope(&bj, "440305", "110101", ""));
    cr_assert(xj_service_in_scope(&bj, "440305", "", "11010520100101001X"));
    cr_assert_not(xj_service_in_scope(&bj, "440305", "440305", "44030520100101001X"));
    cr_assert_not(xj_service_in_scope(&bj, NULL, NULL, NULL));
    cr_assert_not(xj_service_in_scope(&bj, "", "", "11"));
    cr_assert(xj_service_in_scope(&cy, "110105", NULL, NULL));
    cr_assert_not(xj_service_in_scope(&cy, "110106", "110101", "11010620100101001X"));
}

Test(mask, scrub_masks_every_id_shaped_run)
{
    char out[128];
    const char *s = "G11010519491231002X";
    cr_assert_str_eq(xj_service_scrub(s, strlen(s), out, sizeof out), "G110105********002X");
    s = "rec 11010519491231002x, old 110105491231002; r-000123";
    cr_assert_str_eq(xj_service_scrub(s, strlen(s), out, sizeof out),
                     "rec 110105********002x, old 110105*****1002; r-000123");
    s = "/v1/students/L110105201001010017";
    cr_assert_str_eq(xj_service_scrub(s, strlen(s), out, sizeof out),
                     "/v1/students/L110105********0017");
    /* A run that does not fit is left out whole rather than cut. */
    s = "id=11010519491231002X";
    cr_assert_str_eq(xj_service_scrub(s, strlen(s), out, 10), "id=");
}

/* ---- request bodies --------------------------------------------------------------- */

static xj_service_error body_error(const char *text)
{
    xj_service_body *b = NULL;
    xj_service_error err;
    int rc = xj_service_body_parse(text, strlen(text), &b, &err);
    cr_assert_eq(rc, XJ_ERR_ARG, "accepted: %s", text);
    cr_assert_null(b);
    cr_assert_eq(err.status, 400);
    return err;
}

static int slice_is(xj_slice s, const char *want)
{
    return s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

#define REQUIRED_FIELDS                                                                             \
    "\"record_id\":\"r1\",\"name\":\"张小伟\",\"gender\":\"男\",\"birth_date\":\"2015-03-01\"," \
    "\"school_code\":\"1101050001\",\"school_region\":\"110105\""

Test(body, every_batch_column_is_read)
{
    const char *text = "{" REQUIRED_FIELDS ",\"id_type\":\"居民身份证\","
                       "\"id_number\":\"11010520150301001X\",\"ethnicity\":\"汉族\","
                       "\"hukou_region\":\"110101\",\"grade\":\"一年级\","
                       "\"guardian_name\":\"张大伟\",\"guardian_id\":\"110105198001010011\","
                       "\"comment\":\"ignored\"}";
    xj_service_body *b = NULL;
    xj_service_error err;
    cr_assert_eq(xj_service_body_parse(text, strlen(text), &b, &err), XJ_OK, "%s", err.message);
    const xj_input *in = xj_service_body_input(b);
    cr_assert(slice_is(in->record_id, "r1"));
    cr_assert(slice_is(in->name, "张小伟"));
    cr_assert(slice_is(in->gender, "男"));
    cr_assert(slice_is(in->birth_date, "2015-03-01"));
    cr_assert(slice_is(in->id_type, "居民身份证"));
    cr_assert(slice_is(in->id_number, "11010520150301001X"));
    cr_assert(slice_is(in->ethnicity, "汉族"));
    cr_assert(slice_is(in->hukou_region, "110101"));
    cr_assert(slice_is(in->school_code, "1101050001"));
    cr_assert(slice_is(in->school_region, "110105"));
    cr_assert(slice_is(in->grade, "一年级"));
    cr_assert(slice_is(in->guardian_name, "张大伟"));
    cr_assert(slice_is(in->guardian_id, "110105198001010011"));
    cr_assert_eq(in->csv_flags, 0);
    xj_service_body_free(b);
}

Test(body, chinese_names_and_nulls)
{
    const char *text =
        "{\"记录号\":\"r2\",\"姓名\":\"李雷\",\"性别\":\"1\",\"出生日期\":\"20150301\","
        "\"学校标识码\":\"1101050001\",\"学校所在地\":\"110105\","
        "\"身份证件号\":null,\"school_region_note\":1}";
    xj_service_body *b = NULL;
    xj_service_error err;
    cr_assert_eq(xj_service_body_parse(text, strlen(text), &b, &err), XJ_OK, "%s", err.message);
    const xj_input *in = xj_service_body_input(b);
    cr_assert(slice_is(in->record_id, "r2"));
    cr_assert(slice_is(in->name, "李雷"));
    cr_assert_eq(in->id_number.len, 0);
    xj_service_body_free(b);

    /* An empty required value is the engine's to judge (INVALID), as an
     * empty CSV field is; only an absent key is refused here. */
    text = "{\"record_id\":\"r3\",\"name\":\"\",\"gender\":null,\"birth_date\":\"x\","
           "\"school_code\":\"\",\"school_region\":\"\"}";
    cr_assert_eq(xj_service_body_parse(text, strlen(text), &b, &err), XJ_OK, "%s", err.message);
    cr_assert_eq(xj_service_body_input(b)->name.len, 0);
    xj_service_body_free(b);
}

Test(body, errors_name_the_field)
{
    xj_service_error e = body_error("{\"record_id\":\"r1\",");
    cr_assert(strstr(e.message, "malformed JSON") != NULL, "%s", e.message);
    cr_assert_str_eq(e.field, "");

    e = body_error("[1,2]");
    cr_assert(strstr(e.message, "JSON object") != NULL, "%s", e.message);

    e = body_error("{\"record_id\":\"r1\",\"gender\":\"男\",\"birth_date\":\"2015-03-01\","
                   "\"school_code\":\"1101050001\",\"school_region\":\"110105\"}");
    cr_assert_str_eq(e.field, "name");
    cr_assert_str_eq(e.message, "missing required field");

    e = body_error("{\"record_id\":\"r1\",\"name\":\"张伟\",\"gender\":\"男\","
                   "\"birth_date\":\"2015-03-01\",\"school_code\":1101050001,"
                   "\"school_region\":\"110105\"}");
    cr_assert_str_eq(e.field, "school_code");
    cr_assert(strstr(e.message, "string") != NULL);

    e = body_error("{" REQUIRED_FIELDS ",\"id_number\":110105201503010010}");
    cr_assert_str_eq(e.field, "id_number");

    e = body_error("{" REQUIRED_FIELDS ",\"姓名\":\"张伟\"}");
    cr_assert_str_eq(e.field, "name");

    e = body_error("{" REQUIRED_FIELDS ",\"grade\":\"1\",\"grade\":\"2\"}");
    cr_assert(strstr(e.message, "malformed JSON") != NULL, "%s", e.message);

    e = body_error("{" REQUIRED_FIELDS ",\"grade\":\"a\\u0000b\"}");
    cr_assert(strstr(e.message, "malformed JSON") != NULL, "%s", e.message);

    e = body_error("{" REQUIRED_FIELDS ",\"grade\":\"\xff\"}");
    cr_assert(strstr(e.message, "malformed JSON") != NULL, "%s", e.message);

    e = body_error("");
    cr_assert(strstr(e.message, "malformed JSON") != NULL, "%s", e.message);

    static char big[6000];
    int n = snprintf(big, sizeof big, "{" REQUIRED_FIELDS ",\"guardian_name\":\"");
    memset(big + n, 'a', 5000);
    strcpy(big + n + 5000, "\"}");
    e = body_error(big);
    cr_assert_str_eq(e.field, "guardian_name");
}

/* ---- verdict and record JSON ---------------------------------------------------------- */

#define OWN_ID   "11010520150301001X"
#define OTHER_ID "440305201503010027"

static void fill_record(xj_record *r, const char *number, const char *name, const char *region,
                        const char *id)
{
    memset(r, 0, sizeof *r);
    snprintf(r->student_number, sizeof r->student_number, "%s", number);
    snprintf(r->name_raw, sizeof r->name_raw, "%s", name);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->school_region, sizeof r->school_region, "%s", region);
    snprintf(r->school_code, sizeof r->school_code, "%s0001", region);
    snprintf(r->id, sizeof r->id, "%s", id);
    snprintf(r->guardian_id, sizeof r->guardian_id, "%s", "110105198001010011");
    r->gender = 'M';
    r->birth = 20150301;
    r->status = 0;
}

/* A DUPLICATE of an out-of-region registration, with a second, in-region
 * candidate. */
static void sample(xj_input *in, xj_verdict *v)
{
    static const char rid[] = "r-42";
    static const char id[] = OWN_ID;
    memset(in, 0, sizeof *in);
    in->record_id.ptr = rid;
    in->record_id.len = strlen(rid);
    in->id_number.ptr = id;
    in->id_number.len = strlen(id);

    memset(v, 0, sizeof *v);
    v->decision = XJ_DUPLICATE;
    memcpy(v->student_number, "L110105201503010001", 20);
    snprintf(v->matched, sizeof v->matched, "G%s", OTHER_ID);
    v->has_score = 1;
    v->score = 31.456;
    xj_reasons_add(&v->reasons, XJ_R_NAME_EQ);
    xj_reasons_add(&v->reasons, XJ_R_BIRTH_EQ);
    xj_reasons_add(&v->reasons, XJ_R_ID_NEAR);
    v->ncandidates = 2;
    fill_record(&v->candidates[0].rec, v->matched, "张小伟", "440305", OTHER_ID);
    v->candidates[0].score = 31.456;
    xj_reasons_add(&v->candidates[0].reasons, XJ_R_NAME_EQ);
    fill_record(&v->candidates[1].rec, "J1101052015030100X3", "张晓伟", "110105", "");
    v->candidates[1].score = 12.0;
    v->has_person = 1;
    snprintf(v->person.id, sizeof v->person.id, "%s", OWN_ID);
    snprintf(v->person.name, sizeof v->person.name, "张小伟");
    snprintf(v->person.hukou_region, sizeof v->person.hukou_region, "440305");
    v->person.nformer = 1;
    snprintf(v->person.former[0], sizeof v->person.former[0], "张伟");
    v->person.gender = 'M';
    v->person.birth = 20150301;
}

static json_t *load(char *text)
{
    cr_assert_not_null(text);
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    cr_assert_not_null(j, "%s: %s", jerr.text, text);
    free(text);
    return j;
}

static const char *str_at(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_string(v), "%s is not a string", key);
    return json_string_value(v);
}

Test(verdict_json, shape_and_batch_fields)
{
    xj_input in;
    xj_verdict v;
    sample(&in, &v);
    size_t len = 0;
    char *text = xj_service_verdict_json(&in, &v, NULL, 0, &len);
    cr_assert_eq(strlen(text), len);
    cr_assert(strstr(text, "\"score\":31.46,") != NULL, "%s", text);
    json_t *j = load(text);
    static const char *const keys[] = {
        "record_id", "decision",   "student_number", "matched_student_number", "score", "reasons",
        "detail",    "candidates", "population"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_assert_not_null(json_object_get(j, keys[i]), "no %s", keys[i]);
    cr_assert_str_eq(str_at(j, "record_id"), "r-42");
    cr_assert_str_eq(str_at(j, "decision"), "DUPLICATE");
    cr_assert_str_eq(str_at(j, "student_number"), "L110105201503010001");
    cr_assert_str_eq(str_at(j, "matched_student_number"), "G" OTHER_ID);
    cr_assert_float_eq(json_real_value(json_object_get(j, "score")), 31.46, 1e-9);
    cr_assert(json_is_null(json_object_get(j, "detail")));

    /* Reasons in the results file's order. */
    json_t *r = json_object_get(j, "reasons");
    cr_assert_eq(json_array_size(r), 3);
    char joined[256] = "";
    for (size_t i = 0; i < json_array_size(r); i++) {
        if (i)
            strcat(joined, ";");
        strcat(joined, json_string_value(json_array_get(r, i)));
    }
    char want[256];
    xj_reasons_format(&v.reasons, want, sizeof want);
    cr_assert_str_eq(joined, want);

    json_t *c = json_object_get(j, "candidates");
    cr_assert_eq(json_array_size(c), 2);
    json_t *c0 = json_array_get(c, 0);
    static const char *const ckeys[] = {
        "student_number", "score",         "reasons",      "name",   "gender", "birth_date",
        "school_code",    "school_region", "hukou_region", "status", "id"};
    for (size_t i = 0; i < sizeof ckeys / sizeof ckeys[0]; i++)
        cr_assert_not_null(json_object_get(c0, ckeys[i]), "candidate has no %s", ckeys[i]);
    cr_assert_str_eq(str_at(c0, "name"), "张小伟");
    cr_assert_str_eq(str_at(c0, "id"), OTHER_ID);
    cr_assert_str_eq(str_at(c0, "birth_date"), "2015-03-01");
    cr_assert_str_eq(str_at(c0, "gender"), "M");
    cr_assert_str_eq(str_at(c0, "status"), "在校");
    cr_assert(json_is_null(json_object_get(json_array_get(c, 1), "id")));

    json_t *p = json_object_get(j, "population");
    cr_assert_str_eq(str_at(p, "name"), "张小伟");
    cr_assert_str_eq(str_at(p, "status"), "正常");
    cr_assert_eq(json_array_size(json_object_get(p, "former_names")), 1);
    json_decref(j);
}

Test(verdict_json, empty_results_fields_are_null)
{
    xj_input in;
    xj_verdict v;
    sample(&in, &v);
    v.decision = XJ_INVALID;
    v.student_number[0] = '\0';
    v.matched[0] = '\0';
    v.has_score = 0;
    v.ncandidates = 0;
    v.has_person = 0;
    snprintf(v.detail, sizeof v.detail, "name: missing");
    json_t *j = load(xj_service_verdict_json(&in, &v, NULL, 0, NULL));
    cr_assert(json_is_null(json_object_get(j, "student_number")));
    cr_assert(json_is_null(json_object_get(j, "matched_student_number")));
    cr_assert(json_is_null(json_object_get(j, "score")));
    cr_assert_str_eq(str_at(j, "detail"), "name: missing");
    cr_assert_eq(json_array_size(json_object_get(j, "candidates")), 0);
    cr_assert_null(json_object_get(j, "population"));
    json_decref(j);
}

Test(verdict_json, outside_the_region_names_and_ids_are_masked)
{
    xj_input in;
    xj_verdict v;
    sample(&in, &v);
    xj_service_scope cy = {.prefix = "110105", .label = "chaoyang"};
    char *text =
        xj_service_verdict_json(&in, &v, &cy, XJ_SERVICE_MASK_NAMES | XJ_SERVICE_MASK_IDS, NULL);
    cr_assert(strstr(text, OTHER_ID) == NULL, "an out-of-region ID leaked: %s", text);
    json_t *j = load(text);
    /* The decision and the score are the same for every viewer. */
    cr_assert_str_eq(str_at(j, "decision"), "DUPLICATE");
    cr_assert_str_eq(str_at(j, "matched_student_number"), "G440305********0027");
    json_t *c = json_object_get(j, "candidates");
    json_t *c0 = json_array_get(c, 0), *c1 = json_array_get(c, 1);
    cr_assert_str_eq(str_at(c0, "student_number"), "G440305********0027");
    cr_assert_str_eq(str_at(c0, "name"), "张*伟");
    cr_assert_str_eq(str_at(c0, "id"), "440305********0027");
    /* The in-region candidate is shown in full. */
    cr_assert_str_eq(str_at(c1, "name"), "张晓伟");
    cr_assert_str_eq(str_at(c1, "student_number"), "J1101052015030100X3");
    /* The population person's hukou is elsewhere, but the ID was issued
     * in the county: inside, shown in full. */
    json_t *p = json_object_get(j, "population");
    cr_assert_str_eq(str_at(p, "name"), "张小伟");
    cr_assert_str_eq(str_at(p, "id"), OWN_ID);
    json_decref(j);
}

Test(verdict_json, the_requesters_own_id_is_never_masked_back)
{
    xj_input in;
    xj_verdict v;
    sample(&in, &v);
    snprintf(v.matched, sizeof v.matched, "G%s", OWN_ID);
    snprintf(v.candidates[0].rec.student_number, sizeof v.candidates[0].rec.student_number, "G%s",
             OWN_ID);
    snprintf(v.candidates[0].rec.id, sizeof v.candidates[0].rec.id, "%s", OWN_ID);
    snprintf(v.candidates[0].rec.school_region, 7, "440305");
    /* A scope holding neither the school (440305) nor the ID's region. */
    xj_service_scope js = {.prefix = "32", .label = "jiangsu"};
    json_t *j = load(
        xj_service_verdict_json(&in, &v, &js, XJ_SERVICE_MASK_NAMES | XJ_SERVICE_MASK_IDS, NULL));
    cr_assert_str_eq(str_at(j, "matched_student_number"), "G" OWN_ID);
    json_t *c0 = json_array_get(json_object_get(j, "candidates"), 0);
    cr_assert_str_eq(str_at(c0, "id"), OWN_ID);
    cr_assert_str_eq(str_at(c0, "name"), "张*伟");
    /* The population person is outside too: names masked, the ID shown,
     * being the one the requester sent. */
    json_t *p = json_object_get(j, "population");
    cr_assert_str_eq(str_at(p, "name"), "张*伟");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(p, "former_names"), 0)),
                     "张*");
    cr_assert_str_eq(str_at(p, "id"), OWN_ID);
    json_decref(j);
}

Test(verdict_json, ids_only_mask_keeps_names)
{
    xj_input in;
    xj_verdict v;
    sample(&in, &v);
    xj_service_scope nowhere = {.prefix = "-", .label = ""};
    json_t *j = load(xj_service_verdict_json(&in, &v, &nowhere, XJ_SERVICE_MASK_IDS, NULL));
    json_t *c0 = json_array_get(json_object_get(j, "candidates"), 0);
    cr_assert_str_eq(str_at(c0, "name"), "张小伟");
    cr_assert_str_eq(str_at(c0, "id"), "440305********0027");
    json_decref(j);
}

Test(record_json, guardian_ids_are_masked_outside_the_region)
{
    xj_record r;
    fill_record(&r, "G" OTHER_ID, "张小伟", "440305", OTHER_ID);
    snprintf(r.guardian_name, sizeof r.guardian_name, "张大伟");
    xj_service_scope cy = {.prefix = "110105", .label = "chaoyang"};
    /* Even a mask of names only keeps guardian IDs hidden outside. */
    json_t *j = load(xj_service_record_json(&r, &cy, XJ_SERVICE_MASK_NAMES, NULL));
    cr_assert_str_eq(str_at(j, "guardian_id"), "110105********0011");
    cr_assert_str_eq(str_at(j, "name"), "张*伟");
    cr_assert_str_eq(str_at(j, "guardian_name"), "张*伟");
    cr_assert_str_eq(str_at(j, "id_type"), "居民身份证");
    json_decref(j);

    j = load(xj_service_record_json(&r, NULL, XJ_SERVICE_MASK_NAMES | XJ_SERVICE_MASK_IDS, NULL));
    cr_assert_str_eq(str_at(j, "guardian_id"), "110105198001010011");
    cr_assert_str_eq(str_at(j, "id"), OTHER_ID);
    cr_assert_str_eq(str_at(j, "name"), "张小伟");
    json_decref(j);
}

Test(error_json, message_and_field)
{
    xj_service_error e = {.status = 400, .message = "missing required field", .field = "name"};
    json_t *j = load(xj_service_error_json(&e, NULL));
    cr_assert_str_eq(str_at(j, "error"), "missing required field");
    cr_assert_str_eq(str_at(j, "field"), "name");
    json_decref(j);
    xj_service_error e2 = {.status = 401, .message = "no token", .field = ""};
    j = load(xj_service_error_json(&e2, NULL));
    cr_assert(json_is_null(json_object_get(j, "field")));
    json_decref(j);
}

/* ---- the audit log -------------------------------------------------------------------- */

Test(audit, one_line_per_request_without_full_ids)
{
    char dir[] = "/tmp/xj-audit-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/audit.log", dir);
    xj_service_audit *a = NULL;
    cr_assert_eq(xj_service_audit_open(path, &a), XJ_OK);
    xj_service_audit_entry e1 = {.label = "chaoyang",
                                 .remote = "127.0.0.1",
                                 .method = "POST",
                                 .path = "/v1/check",
                                 .record = "school-7/" OWN_ID,
                                 .decision = "DUPLICATE",
                                 .status = 200,
                                 .ms = 0.4567};
    xj_service_audit_entry e2 = {.remote = "127.0.0.1",
                                 .method = "GET",
                                 .path = "/v1/students/G" OTHER_ID,
                                 .record = "G" OTHER_ID,
                                 .status = 401};
    cr_assert_eq(xj_service_audit_write(a, &e1), XJ_OK);
    cr_assert_eq(xj_service_audit_write(a, &e2), XJ_OK);
    xj_service_audit_close(a);

    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);

    /* Reopening appends. */
    cr_assert_eq(xj_service_audit_open(path, &a), XJ_OK);
    cr_assert_eq(xj_service_audit_write(a, &e1), XJ_OK);
    xj_service_audit_close(a);

    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp);
    char line[2048];
    int n = 0;
    regex_t id;
    cr_assert_eq(regcomp(&id, "[0-9]{17}[0-9Xx]", REG_EXTENDED | REG_NOSUB), 0);
    while (fgets(line, sizeof line, fp)) {
        n++;
        cr_assert(regexec(&id, line, 0, NULL, 0) != 0, "a full ID in the log: %s", line);
        json_error_t jerr;
        json_t *j = json_loads(line, 0, &jerr);
        cr_assert_not_null(j, "%s: %s", jerr.text, line);
        const char *t = json_string_value(json_object_get(j, "time"));
        cr_assert(t && strlen(t) == 29 && t[10] == 'T', "time %s", t ? t : "(null)");
        if (n == 2) {
            cr_assert(json_is_null(json_object_get(j, "token")));
            cr_assert_eq(json_integer_value(json_object_get(j, "status")), 401);
            cr_assert_str_eq(json_string_value(json_object_get(j, "record")),
                             "G440305********0027");
        } else {
            cr_assert_str_eq(json_string_value(json_object_get(j, "token")), "chaoyang");
            cr_assert_str_eq(json_string_value(json_object_get(j, "decision")), "DUPLICATE");
            cr_assert_str_eq(json_string_value(json_object_get(j, "record")),
                             "school-7/110105********001X");
        }
        json_decref(j);
    }
    regfree(&id);
    fclose(fp);
    cr_assert_eq(n, 3);
    unlink(path);
    rmdir(dir);
}

Test(audit, refuses_what_is_not_a_file)
{
    xj_service_audit *a = NULL;
    cr_assert_neq(xj_service_audit_open("/tmp", &a), XJ_OK);
    cr_assert_null(a);
    cr_assert_neq(xj_service_audit_open("/nonexistent/dir/audit.log", &a), XJ_OK);
}
