/*
 * load.c: `xueji load-population` and `xueji import`, the bulk loaders.
 *
 * The file is read in chunks of CHUNK_ROWS rows; the rows of a chunk are
 * parsed, validated and normalized in parallel (OpenMP), then, in input
 * order, rejected rows go to the rejects file and accepted rows become
 * entries spilled to key-range partitions (bulk.c).  At the end every
 * partition is sorted into an SST file and each family's files are
 * ingested in one call.  Nothing is written to the index until the whole
 * file was read, so a file that cannot be read as a whole leaves the index
 * as it was.
 *
 * Reloading: records, persons and postings are keyed by what they are
 * (student number, resident ID) and postings merge by union, so loading the
 * same file twice leaves the same index.  Name frequencies and totals count
 * a row only when its key is new to the index (checked with MultiGet when
 * the family already holds data).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>
#include <xxhash.h>

#include "bulk_int.h"

#define CHUNK_ROWS 16384
#define NPARTS     32

enum { KIND_POPULATION, KIND_REGISTRY };

enum {
    C_NUMBER,
    C_NAME,
    C_GENDER,
    C_BIRTH,
    C_ID_TYPE,
    C_ID,
    C_ETHNICITY,
    C_HUKOU,
    C_SCHOOL_CODE,
    C_SCHOOL_REGION,
    C_GRADE,
    C_GUARDIAN_NAME,
    C_GUARDIAN_ID,
    C_STATUS,
    C_FORMER,
    NCOLS
};

static const xj_csv_column registry_columns[NCOLS] = {
    {"student_number", "学籍号", 1},
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
    {"status", "学籍状态", 0},
    {"former_names", "曾用名", 0},
};

static const xj_csv_column population_columns[NCOLS] = {
    {"-", NULL, 0},
    {"name", "姓名", 1},
    {"gender", "性别", 1},
    {"birth_date", "出生日期", 1},
    {"-", NULL, 0},
    {"id_number", "身份证件号", 1},
    {"ethnicity", "民族", 0},
    {"hukou_region", "户口所在地", 0},
    {"-", NULL, 0},
    {"-", NULL, 0},
    {"-", NULL, 0},
    {"-", NULL, 0},
    {"-", NULL, 0},
    {"status", "状态", 0},
    {"former_names", "曾用名", 0},
};

void xj_load_options_init(xj_load_options *opts)
{
    memset(opts, 0, sizeof *opts);
}

/* ---- one row ------------------------------------------------------------------- */

typedef struct parsed {
    int ok;
    char field[32];
    char reason[200];
    union {
        xj_record rec;
        xj_person person;
    } u;
} parsed;

static void reject(parsed *p, const char *field, const char *reason)
{
    p->ok = 0;
    snprintf(p->field, sizeof p->field, "%s", field);
    snprintf(p->reason, sizeof p->reason, "%s", reason);
}

static void copy(char *dst, size_t cap, xj_slice s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

/* Names the first ID error in words, never echoing the number. */
static void id_reason(unsigned errors, char *out, size_t cap)
{
    for (unsigned bit = 1; bit; bit <<= 1) {
        if (errors & bit) {
            snprintf(out, cap, "%s: %s", xj_id_error_code(bit), xj_id_error_message(bit));
            return;
        }
    }
    snprintf(out, cap, "invalid");
}

/* Fields both files share: name, gender, birth date. */
static int common_fields(const xj_slice *f, parsed *p, char *name, char *pinyin, char *gender,
                         uint32_t *birth)
{
    xj_slice s = xj_trim(f[C_NAME]);
    xj_name n;
    if (s.len == 0) {
        reject(p, "name", "missing");
        return 0;
    }
    xj_name_normalize(s.ptr, s.len, &n);
    if (n.flags & (XJ_NAME_EMPTY | XJ_NAME_BAD_UTF8)) {
        reject(p, "name", "nothing readable after normalization");
        return 0;
    }
    memcpy(name, n.normalized, XJ_NAME_MAX);
    memcpy(pinyin, n.pinyin, XJ_PINYIN_MAX);
    s = xj_trim(f[C_GENDER]);
    if (xj_gender_parse(s.ptr, s.len, gender) != XJ_OK) {
        reject(p, "gender", s.len ? "not one of 男/女, 1/2, M/F" : "missing");
        return 0;
    }
    s = xj_trim(f[C_BIRTH]);
    if (xj_date_parse(s.ptr, s.len, birth) != XJ_OK) {
        reject(p, "birth_date",
               s.len ? "not a real date (YYYY-MM-DD, YYYYMMDD, YYYY/M/D)" : "missing");
        return 0;
    }
    return 1;
}

static void parse_population(const xj_slice *f, unsigned flags, uint32_t today, parsed *p)
{
    memset(p, 0, sizeof *p);
    p->ok = 1;
    xj_person *pe = &p->u.person;
    if (flags) {
        reject(p, "(row)", "malformed CSV row (stray quote, invalid UTF-8, NUL or field too long)");
        return;
    }
    xj_slice s = xj_trim(f[C_ID]);
    xj_idcard id;
    xj_idcard_parse(s.ptr, s.len, today, &id);
    if (id.errors) {
        reject(p, "id_number", "");
        id_reason(id.errors, p->reason, sizeof p->reason);
        return;
    }
    memcpy(pe->id, id.normalized, 19);
    if (!common_fields(f, p, pe->name, pe->pinyin, &pe->gender, &pe->birth))
        return;
    s = xj_trim(f[C_STATUS]);
    xj_person_status st;
    if (xj_person_status_parse(s.ptr, s.len, &st) != XJ_OK) {
        reject(p, "status", "not one of 正常, 死亡, 注销");
        return;
    }
    pe->status = (uint8_t)st;
    s = xj_trim(f[C_HUKOU]);
    if (xj_is_division_code(s.ptr, s.len))
        copy(pe->hukou_region, sizeof pe->hukou_region, s);
    copy(pe->ethnicity, sizeof pe->ethnicity, xj_trim(f[C_ETHNICITY]));
    /* Former names, '|'-separated; the first XJ_FORMER_MAX are kept. */
    s = f[C_FORMER];
    const char *q = s.ptr, *end = s.ptr + s.len;
    while (q < end && pe->nformer < XJ_FORMER_MAX) {
        const char *bar = memchr(q, '|', (size_t)(end - q));
        const char *stop = bar ? bar : end;
        xj_slice one = xj_trim((xj_slice){q, (size_t)(stop - q)});
        if (one.len) {
            xj_name n;
            xj_name_normalize(one.ptr, one.len, &n);
            if (!(n.flags & XJ_NAME_EMPTY)) {
                memcpy(pe->former[pe->nformer], n.normalized, XJ_NAME_MAX);
                memcpy(pe->former_pinyin[pe->nformer], n.pinyin, XJ_PINYIN_MAX);
                pe->nformer++;
            }
        }
        q = bar ? bar + 1 : end;
    }
}

static void parse_registry(const xj_slice *f, unsigned flags, uint32_t today, parsed *p)
{
    memset(p, 0, sizeof *p);
    p->ok = 1;
    xj_record *r = &p->u.rec;
    if (flags) {
        reject(p, "(row)", "malformed CSV row (stray quote, invalid UTF-8, NUL or field too long)");
        return;
    }
    xj_slice s = xj_trim(f[C_NUMBER]);
    if (s.len != 19 || xj_reckey_pack(s.ptr, s.len, &r->key) != XJ_OK) {
        reject(p, "student_number",
               s.len ? "not G/J/L + 18 characters with a valid check character" : "missing");
        return;
    }
    copy(r->student_number, sizeof r->student_number, s);
    if (!common_fields(f, p, r->name, r->pinyin, &r->gender, &r->birth))
        return;
    copy(r->name_raw, sizeof r->name_raw, xj_trim(f[C_NAME]));

    xj_id_type type;
    s = xj_trim(f[C_ID_TYPE]);
    if (xj_id_type_parse(s.ptr, s.len, &type) != XJ_OK) {
        reject(p, "id_type", "not one of 居民身份证, 港澳台居民居住证, 护照, 无");
        return;
    }
    r->id_type = (uint8_t)type;
    s = xj_trim(f[C_ID]);
    if (s.len && type != XJ_IDTYPE_NONE) {
        xj_idcard id;
        xj_idcard_parse(s.ptr, s.len, today, &id);
        if (id.errors == 0)
            memcpy(r->id, id.normalized, 19);
        else
            copy(r->doc, sizeof r->doc, s);
    }
    if (r->student_number[0] == 'G') {
        /* A G number is G + the resident ID: the two columns must agree. */
        if (r->id[0] && memcmp(r->id, r->student_number + 1, 18) != 0) {
            reject(p, "id_number", "differs from the ID inside the G number");
            return;
        }
        memcpy(r->id, r->student_number + 1, 18);
        r->id[18] = '\0';
    }
    s = xj_trim(f[C_SCHOOL_CODE]);
    int digits = s.len == 10;
    for (size_t i = 0; digits && i < 10; i++)
        digits = s.ptr[i] >= '0' && s.ptr[i] <= '9';
    if (!digits) {
        reject(p, "school_code", s.len ? "not 10 digits" : "missing");
        return;
    }
    copy(r->school_code, sizeof r->school_code, s);
    s = xj_trim(f[C_SCHOOL_REGION]);
    if (!xj_is_division_code(s.ptr, s.len)) {
        reject(p, "school_region", s.len ? "not a 6-digit division code" : "missing");
        return;
    }
    copy(r->school_region, sizeof r->school_region, s);
    s = xj_trim(f[C_STATUS]);
    xj_student_status st;
    if (xj_student_status_parse(s.ptr, s.len, &st) != XJ_OK) {
        reject(p, "status", "not a 学籍状态 of the contract");
        return;
    }
    r->status = (uint8_t)st;
    s = xj_trim(f[C_HUKOU]);
    if (xj_is_division_code(s.ptr, s.len))
        copy(r->hukou_region, sizeof r->hukou_region, s);
    copy(r->ethnicity, sizeof r->ethnicity, xj_trim(f[C_ETHNICITY]));
    copy(r->grade, sizeof r->grade, xj_trim(f[C_GRADE]));
    s = xj_trim(f[C_GUARDIAN_NAME]);
    if (s.len) {
        xj_name n;
        xj_name_normalize(s.ptr, s.len, &n);
        memcpy(r->guardian_name, n.normalized, XJ_NAME_MAX);
    }
    s = xj_trim(f[C_GUARDIAN_ID]);
    if (s.len) {
        xj_idcard gid;
        xj_idcard_parse(s.ptr, s.len, today, &gid);
        if (gid.errors == 0)
            memcpy(r->guardian_id, gid.normalized, 19);
    }
}

/* ---- the load --------------------------------------------------------------- */

/* J and L sequences seen in an imported registry, so that the counters
 * start above them: key (11 bytes) -> the next free sequence. */
typedef struct seqslot {
    uint8_t key[11];
    uint32_t next;
} seqslot;

typedef struct seqmap {
    seqslot *slot;
    size_t cap, n;
} seqmap;

static int seq_note(seqmap *m, const uint8_t key[11], uint32_t next)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        seqslot *ns = calloc(cap, sizeof *ns);
        if (!ns)
            return XJ_ERR_NOMEM;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slot[i].key[0])
                continue;
            size_t h = (size_t)XXH3_64bits(m->slot[i].key, 11) & (cap - 1);
            while (ns[h].key[0])
                h = (h + 1) & (cap - 1);
            ns[h] = m->slot[i];
        }
        free(m->slot);
        m->slot = ns;
        m->cap = cap;
    }
    size_t h = (size_t)XXH3_64bits(key, 11) & (m->cap - 1);
    while (m->slot[h].key[0] && memcmp(m->slot[h].key, key, 11) != 0)
        h = (h + 1) & (m->cap - 1);
    if (!m->slot[h].key[0]) {
        memcpy(m->slot[h].key, key, 11);
        m->slot[h].next = 0;
        m->n++;
    }
    if (next > m->slot[h].next)
        m->slot[h].next = next;
    return XJ_OK;
}

/* Writes counters that must move up to stay above imported numbers. */
static int seq_write(xj_index *idx, const seqmap *m)
{
    rocksdb_writebatch_t *wb = rocksdb_writebatch_create();
    int rc = XJ_OK;
    for (size_t i = 0; i < m->cap && rc == XJ_OK; i++) {
        if (!m->slot[i].key[0])
            continue;
        char *err = NULL;
        size_t len = 0;
        char *v = rocksdb_get_cf(idx->db, idx->ropts, idx->cf[CF_COUNTERS],
                                 (const char *)m->slot[i].key, 11, &len, &err);
        if (err) {
            rc = xj__index_fail(idx, XJ_ERR_DB, err, "reading a number counter");
            break;
        }
        uint32_t cur = v && len == 4 ? xj__get_u32le((const uint8_t *)v) : 0;
        rocksdb_free(v);
        if (m->slot[i].next > cur) {
            uint8_t b[4];
            xj__put_u32le(b, m->slot[i].next);
            rocksdb_writebatch_put_cf(wb, idx->cf[CF_COUNTERS], (const char *)m->slot[i].key, 11,
                                      (const char *)b, 4);
        }
    }
    char *err = NULL;
    if (rc == XJ_OK)
        rocksdb_write(idx->db, idx->wopts, wb, &err);
    rocksdb_writebatch_destroy(wb);
    return err ? xj__index_fail(idx, XJ_ERR_DB, err, "writing number counters") : rc;
}

static int family_empty(xj_index *idx, int cf)
{
    rocksdb_iterator_t *it = rocksdb_create_iterator_cf(idx->db, idx->ropts, idx->cf[cf]);
    rocksdb_iter_seek_to_first(it);
    int empty = !rocksdb_iter_valid(it);
    rocksdb_iter_destroy(it);
    return empty;
}

typedef struct chunk {
    char *arena;
    size_t len, cap;
    size_t (*off)[NCOLS][2];
    unsigned *flags;
    uint64_t *line;
    size_t n;
} chunk;

static long read_chunk(chunk *c, xj_csv_reader *r, const int *colidx)
{
    const xj_slice *f;
    size_t nf;
    int rc = 0;
    c->n = 0;
    c->len = 0;
    while (c->n < CHUNK_ROWS && (rc = xj_csv_next(r, &f, &nf)) == 1) {
        for (int k = 0; k < NCOLS; k++) {
            xj_slice s = {"", 0};
            if (colidx[k] >= 0 && (size_t)colidx[k] < nf)
                s = f[colidx[k]];
            if (c->len + s.len + 1 > c->cap) {
                size_t cap = (c->cap + s.len + 1) * 2;
                char *a = realloc(c->arena, cap);
                if (!a)
                    return XJ_ERR_NOMEM;
                c->arena = a;
                c->cap = cap;
            }
            memcpy(c->arena + c->len, s.ptr, s.len);
            c->arena[c->len + s.len] = '\0';
            c->off[c->n][k][0] = c->len;
            c->off[c->n][k][1] = s.len;
            c->len += s.len + 1;
        }
        c->flags[c->n] = xj_csv_row_flags(r);
        c->line[c->n] = xj_csv_line(r);
        c->n++;
    }
    return rc < 0 ? rc : (long)c->n;
}

static int emit_freq(xj_spill *s, const char *name, const char *pinyin)
{
    uint8_t k[9], one[8];
    xj__put_u64le(one, 1);
    int rc = XJ_OK;
    if (name[0]) {
        xj__freq_key('N', name, k);
        rc = xj__spill_add(s, OP_ADD, k, 9, one, 8);
    }
    if (rc == XJ_OK && pinyin[0]) {
        xj__freq_key('P', pinyin, k);
        rc = xj__spill_add(s, OP_ADD, k, 9, one, 8);
    }
    return rc;
}

/* Emits the entries of one accepted registry row. */
static int emit_record(xj_spill *sp, const xj_record *r, int is_new, seqmap *seqs)
{
    uint8_t val[RECORD_VALUE_MAX];
    size_t n = xj__record_encode(r, val);
    int rc = xj__spill_add(&sp[CF_RECORDS], OP_PUT, r->key.b, 9, val, n);
    uint8_t post[13];
    size_t pl = xj__posting_single(&r->key, post);
    uint8_t idk[8];
    if (rc == XJ_OK && strlen(r->id) == 18 && xj_idcard_pack(r->id, idk) == 0)
        rc = xj__spill_add(&sp[CF_RESID], OP_POSTING, idk, 8, post, pl);
    xj_block_key bk[XJ_BLOCK_KEYS_MAX];
    size_t nb = xj_index_block_keys(r, bk);
    for (size_t i = 0; rc == XJ_OK && i < nb; i++) {
        uint8_t k[8];
        xj__put_u64be(k, bk[i].hash);
        rc = xj__spill_add(&sp[CF_BLOCKING], OP_POSTING, k, 8, post, pl);
    }
    if (rc == XJ_OK && is_new)
        rc = emit_freq(&sp[CF_NAMEFREQ], r->name, r->pinyin);
    /* J: region(6) birth(8) seq(3) check; L: region(6) birth(8) seq(4). */
    const char *num = r->student_number;
    if (rc == XJ_OK && (num[0] == 'J' || num[0] == 'L')) {
        uint32_t birth = 0, seq = 0;
        for (int i = 7; i < 15; i++)
            birth = birth * 10 + (uint32_t)(num[i] - '0');
        int seqlen = num[0] == 'J' ? 3 : 4;
        for (int i = 15; i < 15 + seqlen; i++)
            seq = seq * 10 + (uint32_t)(num[i] - '0');
        uint8_t ck[11];
        xj__counter_key(num[0], num + 1, birth, ck);
        rc = seq_note(seqs, ck, seq + 1);
    }
    return rc;
}

static int emit_person(xj_spill *sp, const xj_person *p, int is_new)
{
    uint8_t key[8], val[PERSON_VALUE_MAX];
    if (xj_idcard_pack(p->id, key) != 0)
        return XJ_ERR_ARG;
    size_t n = xj__person_encode(p, val);
    int rc = xj__spill_add(&sp[CF_POPULATION], OP_PUT, key, 8, val, n);
    if (rc == XJ_OK && is_new)
        rc = emit_freq(&sp[CF_NAMEFREQ], p->name, p->pinyin);
    return rc;
}

/* Which rows of the chunk are new to the index (MultiGet of their keys). */
static int mark_new(xj_index *idx, int kind, const parsed *rows, size_t n, int *is_new)
{
    size_t m = 0;
    const char **keys = malloc(n * sizeof *keys);
    size_t *klens = malloc(n * sizeof *klens);
    size_t *at = malloc(n * sizeof *at);
    uint8_t(*kb)[9] = malloc(n * sizeof *kb);
    char **vals = calloc(n, sizeof *vals);
    size_t *vlens = calloc(n, sizeof *vlens);
    char **errs = calloc(n, sizeof *errs);
    const rocksdb_column_family_handle_t **cfs = calloc(n, sizeof *cfs);
    int rc = keys && klens && at && kb && vals && vlens && errs && cfs ? XJ_OK : XJ_ERR_NOMEM;
    for (size_t i = 0; rc == XJ_OK && i < n; i++) {
        is_new[i] = 0;
        if (!rows[i].ok)
            continue;
        if (kind == KIND_REGISTRY) {
            memcpy(kb[m], rows[i].u.rec.key.b, 9);
            klens[m] = 9;
        } else {
            xj_idcard_pack(rows[i].u.person.id, kb[m]);
            klens[m] = 8;
        }
        keys[m] = (const char *)kb[m];
        cfs[m] = idx->cf[kind == KIND_REGISTRY ? CF_RECORDS : CF_POPULATION];
        at[m++] = i;
    }
    if (rc == XJ_OK && m)
        rocksdb_multi_get_cf(idx->db, idx->ropts, cfs, m, keys, klens, vals, vlens, errs);
    for (size_t j = 0; j < m; j++) {
        if (errs[j]) {
            if (rc == XJ_OK)
                rc = xj__index_fail(idx, XJ_ERR_DB, errs[j], "reading the index");
            else
                rocksdb_free(errs[j]);
        }
        is_new[at[j]] = vals[j] == NULL;
        if (vals[j])
            rocksdb_free(vals[j]);
    }
    free(keys);
    free(klens);
    free(at);
    free(kb);
    free(vals);
    free(vlens);
    free(errs);
    free(cfs);
    return rc;
}

static void write_reject(FILE *fp, uint64_t row, uint64_t line, const parsed *p)
{
    if (!fp)
        return;
    fprintf(fp, "%llu,%llu,", (unsigned long long)row, (unsigned long long)line);
    xj_csv_put_field(fp, p->field, strlen(p->field));
    fputc(',', fp);
    xj_csv_put_field(fp, p->reason, strlen(p->reason));
    fputc('\n', fp);
}

static double seconds_between(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static int load(xj_index *idx, FILE *fp, const xj_load_options *opts, xj_load_stats *st, int kind)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(st, 0, sizeof *st);
    idx->errmsg[0] = '\0';
    if (idx->read_only)
        return xj__index_fail(idx, XJ_ERR_ARG, NULL, "the index is open read-only");
    xj_load_options defaults;
    if (!opts) {
        xj_load_options_init(&defaults);
        opts = &defaults;
    }
    int threads = opts->threads > 0 ? opts->threads : omp_get_num_procs();
    size_t budget = opts->memory_budget ? opts->memory_budget : (size_t)1 << 30;
    uint32_t today = opts->today ? opts->today : xj_idcard_today();
    const xj_csv_column *cols = kind == KIND_REGISTRY ? registry_columns : population_columns;

    char tmp[400];
    if (opts->tmp_dir)
        snprintf(tmp, sizeof tmp, "%s/xueji-load-%ld", opts->tmp_dir, (long)getpid());
    else
        snprintf(tmp, sizeof tmp, "%s/tmp-load-%ld", idx->path, (long)getpid());
    if (mkdir(tmp, 0700) != 0)
        return xj__index_fail(idx, XJ_ERR_IO, NULL, "cannot create the spill directory");

    xj_csv_reader *r = NULL;
    xj_spill sp[CF_COUNT];
    memset(sp, 0, sizeof sp);
    xj_sst_list ssts[CF_COUNT];
    memset(ssts, 0, sizeof ssts);
    seqmap seqs = {0};
    chunk c = {0};
    parsed *rows = malloc(CHUNK_ROWS * sizeof *rows);
    int *is_new = malloc(CHUNK_ROWS * sizeof *is_new);
    c.off = malloc(CHUNK_ROWS * sizeof *c.off);
    c.flags = malloc(CHUNK_ROWS * sizeof *c.flags);
    c.line = malloc(CHUNK_ROWS * sizeof *c.line);
    int rc = rows && is_new && c.off && c.flags && c.line ? XJ_OK : XJ_ERR_NOMEM;
    static const int used_registry[] = {CF_RECORDS, CF_RESID, CF_BLOCKING, CF_NAMEFREQ};
    static const int used_population[] = {CF_POPULATION, CF_NAMEFREQ};
    const int *used = kind == KIND_REGISTRY ? used_registry : used_population;
    int nused = kind == KIND_REGISTRY ? 4 : 2;
    for (int i = 0; rc == XJ_OK && i < nused; i++)
        rc = xj__spill_open(&sp[used[i]], idx, used[i], tmp, NPARTS);
    if (rc == XJ_OK)
        rc = xj_csv_open(fp, opts->encoding, &r);

    int colidx[NCOLS];
    const xj_slice *hdr;
    size_t nh;
    if (rc == XJ_OK) {
        int h = xj_csv_next(r, &hdr, &nh);
        const xj_csv_column *missing = NULL;
        if (h <= 0) {
            rc = h < 0 ? h : XJ_ERR_CSV_HEADER;
            xj__index_fail(idx, rc, NULL, h < 0 ? "the file cannot be read" : "no header row");
        } else if (xj_csv_row_flags(r) & XJ_CSV_ROW_BAD_UTF8) {
            rc = xj__index_fail(idx, XJ_ERR_ENCODING, NULL,
                                "the header is not UTF-8 (a GB18030 file needs --encoding "
                                "gb18030)");
        } else if (xj_csv_map_header(hdr, nh, cols, NCOLS, colidx, &missing) != XJ_OK) {
            char msg[200];
            snprintf(msg, sizeof msg, "the header lacks the required column %s (%s)", missing->en,
                     missing->zh ? missing->zh : "");
            rc = xj__index_fail(idx, XJ_ERR_CSV_HEADER, NULL, msg);
        }
        for (int k = 0; rc == XJ_OK && k < NCOLS; k++)
            if (cols[k].en[0] == '-')
                colidx[k] = -1;
    }
    int check_new =
        rc == XJ_OK && !family_empty(idx, kind == KIND_REGISTRY ? CF_RECORDS : CF_POPULATION);
    if (rc == XJ_OK && opts->rejects)
        fputs("row,line,field,reason\n", opts->rejects);

    long got = 0;
    uint64_t newrows = 0;
    int first_chunk = 1;
    while (rc == XJ_OK && (got = read_chunk(&c, r, colidx)) > 0) {
        if (first_chunk && opts->encoding == XJ_CSV_UTF8) {
            /* A file whose every row of the first chunk is not UTF-8 was
             * written in another encoding (an English header hides it). */
            size_t bad = 0;
            for (size_t i = 0; i < c.n; i++)
                bad += (c.flags[i] & XJ_CSV_ROW_BAD_UTF8) != 0;
            if (bad == c.n) {
                rc = xj__index_fail(idx, XJ_ERR_ENCODING, NULL,
                                    "no row is UTF-8 (a GB18030 file needs --encoding gb18030)");
                break;
            }
        }
        first_chunk = 0;
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
        for (long i = 0; i < (long)c.n; i++) {
            xj_slice f[NCOLS];
            for (int k = 0; k < NCOLS; k++)
                f[k] = (xj_slice){c.arena + c.off[i][k][0], c.off[i][k][1]};
            if (kind == KIND_REGISTRY)
                parse_registry(f, c.flags[i], today, &rows[i]);
            else
                parse_population(f, c.flags[i], today, &rows[i]);
        }
        if (check_new)
            rc = mark_new(idx, kind, rows, c.n, is_new);
        for (size_t i = 0; rc == XJ_OK && i < c.n; i++) {
            st->rows++;
            if (!rows[i].ok) {
                st->rejected++;
                write_reject(opts->rejects, st->rows, c.line[i], &rows[i]);
                continue;
            }
            int fresh = check_new ? is_new[i] : 1;
            newrows += (uint64_t)fresh;
            rc = kind == KIND_REGISTRY ? emit_record(sp, &rows[i].u.rec, fresh, &seqs)
                                       : emit_person(sp, &rows[i].u.person, fresh);
            st->loaded++;
        }
        if (opts->progress) {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
            fprintf(opts->progress, "\rread %llu rows (%.0f rows/s)", (unsigned long long)st->rows,
                    s > 0 ? (double)st->rows / s : 0.0);
            fflush(opts->progress);
        }
    }
    if (rc == XJ_OK && got < 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "line %llu: %s", (unsigned long long)xj_csv_line(r),
                 xj_strerror((int)got));
        rc = xj__index_fail(idx, (int)got, NULL, msg);
    }
    if (opts->progress)
        fputc('\n', opts->progress);

    struct timespec t2, t3;
    clock_gettime(CLOCK_MONOTONIC, &t2);
    /* Sort every partition into SSTs, then ingest family by family. */
    for (int i = 0; rc == XJ_OK && i < nused; i++)
        rc = xj__spill_finish(&sp[used[i]], threads, budget, &ssts[used[i]]);
    for (int i = 0; i < nused; i++)
        xj__spill_close(&sp[used[i]]);
    clock_gettime(CLOCK_MONOTONIC, &t3);
    for (int i = 0; rc == XJ_OK && i < nused; i++) {
        st->sst_files += ssts[used[i]].n;
        st->sst_bytes += ssts[used[i]].bytes;
        rc = xj__ingest(idx, used[i], &ssts[used[i]]);
        if (rc == XJ_OK) {
            for (size_t k = 0; k < ssts[used[i]].n; k++)
                free(ssts[used[i]].paths[k]);
            free(ssts[used[i]].paths);
            memset(&ssts[used[i]], 0, sizeof ssts[used[i]]);
        }
    }
    if (rc == XJ_OK && seqs.n)
        rc = seq_write(idx, &seqs);
    if (rc == XJ_OK && newrows) {
        uint8_t v[8];
        xj__put_u64le(v, newrows);
        const char *key = kind == KIND_REGISTRY ? META_RECORDS : META_PERSONS;
        char *err = NULL;
        rocksdb_merge_cf(idx->db, idx->wopts, idx->cf[CF_DEFAULT], key, strlen(key),
                         (const char *)v, 8, &err);
        if (err)
            rc = xj__index_fail(idx, XJ_ERR_DB, err, "updating the totals");
    }
    for (int i = 0; i < CF_COUNT; i++)
        xj__sst_list_free(&ssts[i]);
    rmdir(tmp);
    xj_csv_close(r);
    free(rows);
    free(is_new);
    free(c.arena);
    free(c.off);
    free(c.flags);
    free(c.line);
    free(seqs.slot);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st->seconds = seconds_between(t0, t1);
    st->read_seconds = seconds_between(t0, t2);
    st->sort_seconds = seconds_between(t2, t3);
    st->ingest_seconds = seconds_between(t3, t1);
    return rc;
}

int xj_index_load_population(xj_index *idx, FILE *fp, const xj_load_options *opts,
                             xj_load_stats *stats)
{
    return load(idx, fp, opts, stats, KIND_POPULATION);
}

int xj_index_load_registry(xj_index *idx, FILE *fp, const xj_load_options *opts,
                           xj_load_stats *stats)
{
    return load(idx, fp, opts, stats, KIND_REGISTRY);
}
