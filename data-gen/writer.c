/*
 * writer.c: turning rows into the four CSV files, fast and in bounded memory.
 *
 * A file is cut into chunks of chunk_rows rows.  OpenMP threads each format
 * whole chunks into a memory stream (through xj_csv_put_field, so quoting is
 * always right), convert them to GB18030 when asked, and hand them to the
 * output in chunk order (an `ordered` section).  Memory is one chunk buffer
 * per thread whatever the file size, and since every row is a pure function
 * of its index the bytes never depend on the thread count.
 */

#include <stdlib.h>
#include <string.h>

#include <omp.h>
#include <unicode/ucnv.h>

#include "datagen_int.h"

static const char *const pop_header[2][8] = {
    {"id_number", "name", "gender", "birth_date", "ethnicity", "hukou_region", "status",
     "former_names"},
    {"身份证件号", "姓名", "性别", "出生日期", "民族", "户口所在地", "状态", "曾用名"}};

static const char *const reg_header[2][14] = {
    {"student_number", "name", "gender", "birth_date", "id_type", "id_number", "ethnicity",
     "hukou_region", "school_code", "school_region", "grade", "guardian_name", "guardian_id",
     "status"},
    {"学籍号", "姓名", "性别", "出生日期", "身份证件类型", "身份证件号", "民族", "户口所在地",
     "学校标识码", "学校所在地", "年级", "监护人姓名", "监护人身份证件号", "学籍状态"}};

static const char *const batch_header[2][13] = {
    {"record_id", "name", "gender", "birth_date", "id_type", "id_number", "ethnicity",
     "hukou_region", "school_code", "school_region", "grade", "guardian_name", "guardian_id"},
    {"记录号", "姓名", "性别", "出生日期", "身份证件类型", "身份证件号", "民族", "户口所在地",
     "学校标识码", "学校所在地", "年级", "监护人姓名", "监护人身份证件号"}};

static const char *const truth_header[4] = {"record_id", "expected_decision", "expected_match",
                                            "category"};

/* Writes one row: n fields, comma-separated, LF-terminated.  Plain fields
 * are gathered into one line and written with a single fwrite (stdio's
 * per-call cost dominated otherwise); a field that needs quoting goes
 * through xj_csv_put_field, which writes plain fields verbatim, so the bytes
 * are the same either way. */
static void put_row(FILE *fp, const char *const *fields, size_t n)
{
    char line[2048];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t fl = strlen(fields[i]);
        int plain = fl + 2 < sizeof line - len && strpbrk(fields[i], ",\"\r\n") == NULL;
        if (i)
            line[len++] = ',';
        if (plain) {
            memcpy(line + len, fields[i], fl);
            len += fl;
            continue;
        }
        fwrite(line, 1, len, fp);
        len = 0;
        xj_csv_put_field(fp, fields[i], fl);
    }
    line[len++] = '\n';
    fwrite(line, 1, len, fp);
}

/* yyyymmdd as YYYY-MM-DD; by hand, as this runs for every row. */
static void fmt_date(uint32_t d, char out[11])
{
    static const int pos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 7; i >= 0; i--) {
        out[pos[i]] = (char)('0' + d % 10);
        d /= 10;
    }
    out[4] = out[7] = '-';
    out[10] = '\0';
}

/* ---- the rows of each file --------------------------------------------- */

static void population_row(const xj_datagen *g, uint64_t p, FILE *fp)
{
    dg_person a;
    dg_resident(g, p, 0, &a);
    char birth[11];
    fmt_date(a.birth, birth);
    const char *f[8] = {a.id,         a.name,      a.male ? "男" : "女",
                        birth,        a.ethnicity, g->counties[a.hukou].code,
                        a.pop_status, a.former};
    put_row(fp, f, 8);
}

static const char *registry_status(const xj_datagen *g, uint64_t k, int grade)
{
    double u = dg_unit(dg_hash(g, D_REG, k, F_REGSTATUS));
    if (u < 0.93)
        return "在校";
    if (u < 0.96)
        return grade == 9 || grade == 12 ? "毕业" : "在校";
    if (u < 0.975)
        return "转出";
    if (u < 0.985)
        return "休学";
    if (u < 0.99)
        return "出国";
    if (u < 0.995)
        return "其他离校";
    return "退学";
}

static void registry_row(const xj_datagen *g, uint64_t k, FILE *fp)
{
    dg_person a;
    char number[24], birth[11];
    const char *id_type = "居民身份证";
    const char *school_region;
    int kind = dg_reg_kind(k);
    if (kind == DG_REG_J) {
        dg_registry_j(g, k, &a, &id_type);
        memcpy(number, a.number, sizeof number);
        school_region = g->counties[a.school].code;
    } else {
        dg_resident(g, dg_reg_person(g, k), 1, &a);
        if (kind == DG_REG_G) {
            number[0] = 'G';
            memcpy(number + 1, a.id, 19);
            school_region = g->counties[a.school].code;
        } else {
            /* Pending students are at school in their ID's county, which
             * makes their L number unique because their ID is. */
            school_region = g->counties[a.county].code;
            memcpy(a.school_code + 1, school_region, 6);
            dg_l_number(&a, school_region, number);
        }
    }
    fmt_date(a.birth, birth);
    const char *f[14] = {number,
                         a.name,
                         a.male ? "男" : "女",
                         birth,
                         id_type,
                         a.id,
                         a.ethnicity ? a.ethnicity : "",
                         a.hukou < g->ncounties ? g->counties[a.hukou].code : "",
                         a.school_code,
                         school_region,
                         dg_grade_label(a.grade),
                         a.guardian_name,
                         a.guardian_id,
                         registry_status(g, k, a.grade)};
    put_row(fp, f, 14);
}

static void batch_row(const xj_datagen *g, uint64_t b, FILE *fp, int truth)
{
    dg_batch_row r;
    dg_batch_build(g, b, &r);
    if (truth) {
        const char *f[4] = {r.record_id, r.decision, r.match, r.category};
        put_row(fp, f, 4);
        return;
    }
    const char *f[13] = {r.record_id, r.name,          r.gender,     r.birth,       r.id_type,
                         r.id,        r.ethnicity,     r.hukou,      r.school_code, r.school_region,
                         r.grade,     r.guardian_name, r.guardian_id};
    put_row(fp, f, 13);
}

static void file_row(const xj_datagen *g, xj_datagen_file file, uint64_t i, FILE *fp)
{
    switch (file) {
    case XJ_DATAGEN_POPULATION:
        population_row(g, i, fp);
        break;
    case XJ_DATAGEN_REGISTRY:
        registry_row(g, i, fp);
        break;
    case XJ_DATAGEN_BATCH:
        batch_row(g, i, fp, 0);
        break;
    default:
        batch_row(g, i, fp, 1);
        break;
    }
}

static void file_header(const xj_datagen *g, xj_datagen_file file, FILE *fp)
{
    int zh = g->cfg.other_header_zh ? 1 : 0;
    switch (file) {
    case XJ_DATAGEN_POPULATION:
        put_row(fp, pop_header[zh], 8);
        break;
    case XJ_DATAGEN_REGISTRY:
        put_row(fp, reg_header[zh], 14);
        break;
    case XJ_DATAGEN_BATCH:
        put_row(fp, batch_header[g->cfg.batch_header_zh ? 1 : 0], 13);
        break;
    default:
        put_row(fp, truth_header, 4);
        break;
    }
}

/* ---- chunks ------------------------------------------------------------- */

typedef struct chunk {
    char *data;
    size_t len;
    int rc;
} chunk;

/* Converts a UTF-8 buffer to GB18030 in place of the chunk's data. */
static int to_gb18030(chunk *c)
{
    size_t cap = 2 * c->len + 16;
    if (cap > INT32_MAX)
        return XJ_ERR_TOO_LONG;
    char *out = malloc(cap);
    if (!out)
        return XJ_ERR_NOMEM;
    UErrorCode status = U_ZERO_ERROR;
    int32_t n =
        ucnv_convert("gb18030", "utf-8", out, (int32_t)cap, c->data, (int32_t)c->len, &status);
    if (U_FAILURE(status)) {
        free(out);
        return XJ_ERR_ENCODING;
    }
    free(c->data);
    c->data = out;
    c->len = (size_t)n;
    return XJ_OK;
}

/* Formats rows [first, last) (or the header when header is set). */
static void make_chunk(const xj_datagen *g, xj_datagen_file file, uint64_t first, uint64_t last,
                       int header, chunk *c)
{
    c->data = NULL;
    c->len = 0;
    c->rc = XJ_OK;
    FILE *ms = open_memstream(&c->data, &c->len);
    if (!ms) {
        c->rc = XJ_ERR_NOMEM;
        return;
    }
    flockfile(ms);
    if (header)
        file_header(g, file, ms);
    for (uint64_t i = first; i < last; i++)
        file_row(g, file, i, ms);
    funlockfile(ms);
    if (fclose(ms) != 0) {
        c->rc = XJ_ERR_NOMEM;
        return;
    }
    if (g->cfg.encoding == XJ_CSV_GB18030)
        c->rc = to_gb18030(c);
}

int xj_datagen_write(const xj_datagen *g, xj_datagen_file file, FILE *fp)
{
    if (!g || !fp || (unsigned)file >= XJ_DATAGEN_NFILES)
        return XJ_ERR_ARG;
    uint64_t rows = xj_datagen_rows(g, file);
    uint64_t per = g->cfg.chunk_rows;
    uint64_t nchunks = (rows + per - 1) / per;
    int rc = XJ_OK;

    chunk head;
    make_chunk(g, file, 0, 0, 1, &head);
    if (head.rc == XJ_OK && fwrite(head.data, 1, head.len, fp) != head.len)
        head.rc = XJ_ERR_IO;
    rc = head.rc;
    free(head.data);
    if (rc != XJ_OK)
        return rc;

    int threads = g->cfg.threads > 0 ? g->cfg.threads : omp_get_max_threads();
    /* Chunk i is made by one thread, then written when every chunk before it
     * has been: `ordered` keeps the file in row order while the other
     * threads already format the next chunks. */
#pragma omp parallel for ordered schedule(static, 1) num_threads(threads)
    for (uint64_t i = 0; i < nchunks; i++) {
        chunk c;
        uint64_t first = i * per, last = first + per < rows ? first + per : rows;
        make_chunk(g, file, first, last, 0, &c);
#pragma omp ordered
        {
            if (rc == XJ_OK && c.rc != XJ_OK)
                rc = c.rc;
            if (rc == XJ_OK && fwrite(c.data, 1, c.len, fp) != c.len)
                rc = XJ_ERR_IO;
        }
        free(c.data);
    }
    if (rc == XJ_OK && fflush(fp) != 0)
        rc = XJ_ERR_IO;
    return rc;
}
