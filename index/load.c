/*
 * load.c: `xueji load-population` and `xueji import`, the bulk loaders.
 *
 * Workload: a national file of 10^8 to 10^9 rows, read once, on a machine
 * whose cores must all be busy from the first byte: a sequential step per
 * row would cap the load at what one core does.  So the input is read in
 * chunks of a few megabytes per thread, each chunk is cut into one block
 * per thread at record boundaries (a quote-aware scan, so that a quoted
 * line break never splits a record), and every thread parses, validates,
 * normalizes and spills the rows of its own block (bulk.c).  Only the
 * rejects are written by one thread, in input order, after each chunk.  At
 * the end every partition is sorted into an SST file and each family's
 * files are ingested in one call.  Nothing is written to the index until
 * the whole file was read, so a file that cannot be read as a whole leaves
 * the index as it was.
 *
 * Reloading: records, persons and postings are keyed by what they are
 * (student number, resident ID) and postings merge by union, so loading the
 * same file twice leaves the same index.  Name frequencies and the totals
 * count a key only when it is new to the index: rows are checked against
 * the family with MultiGet when it already holds data, and the counting
 * itself happens when the partitions are sorted, once per distinct key, so
 * that a key repeated inside one file counts once too.  A record that a
 * reload changes keeps the name counts of its first load.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>
#include <xxhash.h>

#include "bulk_int.h"

#define BLOCK_BYTES ((size_t)4 << 20)   /* CSV bytes per thread and chunk */
#define LINE_LIMIT  ((size_t)256 << 20) /* a record longer than this is an error */
#define MINI_ROWS   256                 /* rows checked against the index at once */
#define NPARTS      64                  /* key-range partitions per family */
#define SEQ_BLOCK   24                  /* bits of a row's sequence: row in block */
#define SEQ_CHUNK   36                  /* ... block in chunk below, chunk above */

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
    {"-", NULL, 0},
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

/* Rejects with the offending value quoted (at most 40 bytes of it).  Never
 * used for ID or student-number fields: a rejects file must not hold a full
 * ID number. */
static void reject_value(parsed *p, const char *field, xj_slice v, const char *what)
{
    p->ok = 0;
    snprintf(p->field, sizeof p->field, "%s", field);
    int n = v.len > 40 ? 40 : (int)v.len;
    snprintf(p->reason, sizeof p->reason, "%s '%.*s' %s", field, n, v.ptr, what);
}

static void copy(char *dst, size_t cap, xj_slice s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

/* Names the first ID error by its code and in words, never echoing the
 * number. */
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
    if (s.len == 0) {
        reject(p, "gender", "missing");
        return 0;
    }
    if (xj_gender_parse(s.ptr, s.len, gender) != XJ_OK) {
        reject_value(p, "gender", s, "is not one of 男/女, 1/2, M/F");
        return 0;
    }
    s = xj_trim(f[C_BIRTH]);
    if (s.len == 0) {
        reject(p, "birth_date", "missing");
        return 0;
    }
    if (xj_date_parse(s.ptr, s.len, birth) != XJ_OK) {
        reject_value(
            p, "birth_date", s,
            "is not a date (YYYY-MM-DD, YYYYMMDD, YYYY/M/D, 2012年3月5日, an Excel date number)");
        return 0;
    }
    return 1;
}

/* The first separator of a list of names in [q, end), or NULL; *len gets
 * its length in bytes.  None of them is ever part of a name. */
static const char *name_separator(const char *q, const char *end, size_t *len)
{
    static const char *const wide[] = {"\xE3\x80\x81" /* 、 */, "\xEF\xBC\x9B" /* ； */,
                                       "\xEF\xBC\x8C" /* ， */, "\xEF\xBD\x9C" /* ｜ */};
    for (const char *p = q; p < end; p++) {
        if (*p == '|' || *p == ';' || *p == ',') {
            *len = 1;
            return p;
        }
        for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
            if (end - p >= 3 && memcmp(p, wide[i], 3) == 0) {
                *len = 3;
                return p;
            }
    }
    return NULL;
}

static void parse_population(const xj_slice *f, unsigned flags, uint32_t today, parsed *p)
{
    p->ok = 1;
    xj_person *pe = &p->u.person;
    memset(pe, 0, sizeof *pe);
    if (flags) {
        reject(p, "(row)", "malformed CSV row (stray quote, invalid UTF-8, NUL or field too long)");
        return;
    }
    xj_slice s = xj_trim(f[C_ID]);
    if (s.len == 0) {
        reject(p, "id_number", "missing");
        return;
    }
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
        reject_value(p, "status", s, "is not one of 正常, 死亡, 注销");
        return;
    }
    pe->status = (uint8_t)st;
    s = xj_trim(f[C_HUKOU]);
    if (xj_code_parse(s.ptr, s.len, 6, pe->hukou_region) != XJ_OK)
        pe->hukou_region[0] = '\0';
    copy(pe->ethnicity, sizeof pe->ethnicity, xj_trim(f[C_ETHNICITY]));
    /* Former names, '|'-separated (or by the separators exports use in
     * lists: ; , and 、；，｜); the first XJ_FORMER_MAX are kept (a fifth
     * former name is beyond any real register). */
    s = f[C_FORMER];
    const char *q = s.ptr, *end = s.ptr + s.len;
    while (q < end && pe->nformer < XJ_FORMER_MAX) {
        size_t seplen = 0;
        const char *bar = name_separator(q, end, &seplen);
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
        q = bar ? bar + seplen : end;
    }
}

static void parse_registry(const xj_slice *f, unsigned flags, uint32_t today, parsed *p)
{
    p->ok = 1;
    xj_record *r = &p->u.rec;
    memset(r, 0, sizeof *r);
    if (flags) {
        reject(p, "(row)", "malformed CSV row (stray quote, invalid UTF-8, NUL or field too long)");
        return;
    }
    xj_slice s = xj_trim(f[C_NUMBER]);
    if (s.len == 0) {
        reject(p, "student_number", "missing");
        return;
    }
    if (s.len != 19 || xj_reckey_pack(s.ptr, s.len, &r->key) != XJ_OK) {
        reject(p, "student_number", "not G/J/L + 18 characters with a valid check character");
        return;
    }
    copy(r->student_number, sizeof r->student_number, s);
    if (!common_fields(f, p, r->name, r->pinyin, &r->gender, &r->birth))
        return;
    copy(r->name_raw, sizeof r->name_raw, xj_trim(f[C_NAME]));

    xj_id_type type;
    s = xj_trim(f[C_ID_TYPE]);
    if (xj_id_type_parse(s.ptr, s.len, &type) != XJ_OK) {
        reject_value(p, "id_type", s, "is not one of 居民身份证, 港澳台居民居住证, 护照, 无");
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
    if (xj_code_parse(s.ptr, s.len, 10, r->school_code) != XJ_OK) {
        if (s.len)
            reject_value(p, "school_code", s, "is not 10 digits");
        else
            reject(p, "school_code", "missing");
        return;
    }
    s = xj_trim(f[C_SCHOOL_REGION]);
    if (xj_code_parse(s.ptr, s.len, 6, r->school_region) != XJ_OK) {
        if (s.len)
            reject_value(p, "school_region", s, "is not a 6-digit division code");
        else
            reject(p, "school_region", "missing");
        return;
    }
    s = xj_trim(f[C_STATUS]);
    xj_student_status st;
    if (xj_student_status_parse(s.ptr, s.len, &st) != XJ_OK) {
        reject_value(p, "status", s, "is not a 学籍状态 of the contract");
        return;
    }
    r->status = (uint8_t)st;
    s = xj_trim(f[C_HUKOU]);
    if (xj_code_parse(s.ptr, s.len, 6, r->hukou_region) != XJ_OK)
        r->hukou_region[0] = '\0';
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

/* ---- J and L numbers already given ----------------------------------------------- */

/* J and L sequences seen in an imported registry, so that the counters
 * start above them: counter key (11 bytes) -> the next free sequence.
 * One map per thread, merged at the end. */
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

/* Raises the stored counters to stay above the imported numbers: a counter
 * only ever moves up, so a number is never given twice. */
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

/* ---- record boundaries in raw CSV ------------------------------------------------ */

/*
 * The reader's quote state changes only at quote characters, so a scan
 * from quote to quote (memchr) finds where records end without parsing
 * them.  Outside a quoted field, a quote opens one when it begins a field
 * (after a comma, a line break or at the record start) or when it directly
 * follows the quote that closed a field (a doubled quote); inside, a quote
 * closes the field.  This is exactly the reader's rule (common/csv_read.c),
 * so the blocks cut here parse as the whole file would.  Line breaks inside
 * a quoted field are skipped; only LF is a cut point (CRLF files cut after
 * the LF; a file of bare CRs is read as one block).
 */

static const char *last_lf(const char *p, size_t n)
{
    while (n > 0)
        if (p[--n] == '\n')
            return p + n;
    return NULL;
}

/* Returns the offset just past the first record-ending LF at or after
 * target in buf[start, len), start being a record start; SIZE_MAX if none.
 * With last set, returns the last such offset instead. */
static size_t record_cut(const char *buf, size_t start, size_t target, size_t len, int last)
{
    int inq = 0;
    size_t closed = SIZE_MAX, pos = start, found = SIZE_MAX;
    for (;;) {
        const char *q = memchr(buf + pos, '"', len - pos);
        size_t qpos = q ? (size_t)(q - buf) : len;
        if (!inq) {
            size_t from = target > pos ? target : pos;
            if (from < qpos) {
                const char *nl =
                    last ? last_lf(buf + from, qpos - from) : memchr(buf + from, '\n', qpos - from);
                if (nl) {
                    found = (size_t)(nl - buf) + 1;
                    if (!last)
                        return found;
                }
            }
        }
        if (!q)
            return found;
        if (inq) {
            inq = 0;
            closed = qpos;
        } else {
            char prev = qpos == start ? ',' : buf[qpos - 1];
            if (qpos == closed + 1 || prev == ',' || prev == '\n' || prev == '\r')
                inq = 1;
        }
        pos = qpos + 1;
    }
}

static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t c = 0;
    const char *end = p + n;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        c++;
        p++;
    }
    return c;
}

/* ---- the load ------------------------------------------------------------------ */

/* A reject of the current chunk, kept until the rows before it are counted. */
typedef struct rejrow {
    uint64_t row, line; /* within the block */
    char field[32];
    char reason[200];
} rejrow;

/* What one thread keeps while it works on its block. */
typedef struct worker {
    parsed *rows;    /* MINI_ROWS */
    uint64_t *lines; /* their lines, within the block */
    uint64_t *seqs;  /* their sequences */
    int *is_new;     /* MINI_ROWS */
    rejrow *rej;     /* rejects of this chunk */
    size_t nrej, rejcap;
    size_t nmini; /* rows in the mini-batch */
    char *line;   /* the fast path's copy of a line */
    size_t linecap;
    xj_slice *fields;
    size_t fieldcap;
    seqmap seqs_seen; /* J/L numbers */
    uint64_t rows_in_block, bad_utf8, loaded;
    uint64_t err_line; /* the line of a reading error, within the block */
    int rc;
} worker;

typedef struct loadctx {
    xj_index *idx;
    int kind, threads, check_new;
    uint32_t today;
    xj_csv_encoding enc;
    int colidx[NCOLS];
    xj_spill *sp[CF_COUNT];
    worker *w;
} loadctx;

/* Which rows of a mini-batch are new to the index (one MultiGet). */
static int mark_new(const loadctx *cx, const parsed *rows, size_t n, int *is_new)
{
    xj_index *idx = cx->idx;
    int cf = cx->kind == KIND_REGISTRY ? CF_RECORDS : CF_POPULATION;
    uint8_t kb[MINI_ROWS][9];
    const char *keys[MINI_ROWS];
    size_t klens[MINI_ROWS], at[MINI_ROWS], m = 0;
    rocksdb_pinnableslice_t *pins[MINI_ROWS];
    char *errs[MINI_ROWS];
    for (size_t i = 0; i < n; i++) {
        is_new[i] = 0;
        if (!rows[i].ok)
            continue;
        if (cx->kind == KIND_REGISTRY) {
            memcpy(kb[m], rows[i].u.rec.key.b, 9);
            klens[m] = 9;
        } else {
            xj_idcard_pack(rows[i].u.person.id, kb[m]);
            klens[m] = 8;
        }
        keys[m] = (const char *)kb[m];
        pins[m] = NULL;
        errs[m] = NULL;
        at[m++] = i;
    }
    if (m == 0)
        return XJ_OK;
    rocksdb_batched_multi_get_cf(idx->db, idx->ropts, idx->cf[cf], m, keys, klens, pins, errs, 0);
    int rc = XJ_OK;
    for (size_t j = 0; j < m; j++) {
        if (errs[j]) {
            if (rc == XJ_OK) {
#pragma omp critical(xj_bulk_fail)
                rc = xj__index_fail(idx, XJ_ERR_DB, errs[j], "reading the index");
            } else {
                rocksdb_free(errs[j]);
            }
        }
        is_new[at[j]] = pins[j] == NULL;
        if (pins[j])
            rocksdb_pinnableslice_destroy(pins[j]);
    }
    return rc;
}

/* Spills the entries of one accepted registry row. */
static int emit_record(const loadctx *cx, int t, const xj_record *r, uint64_t seq, int is_new,
                       seqmap *seqs)
{
    uint8_t val[RECORD_VALUE_MAX];
    size_t n = xj__record_encode(r, val);
    int rc = xj__spill_add(cx->sp[CF_RECORDS], t, is_new ? SPILL_PUT_NEW : SPILL_PUT, r->key.b, 9,
                           seq, val, n);
    uint8_t idk[8];
    if (rc == XJ_OK && r->id[0] && xj_idcard_pack(r->id, idk) == 0)
        rc = xj__spill_add(cx->sp[CF_RESID], t, SPILL_POSTING, idk, 8, 0, r->key.b, 9);
    xj_block_key bk[XJ_BLOCK_KEYS_MAX];
    size_t nb = xj_index_block_keys(r, bk);
    for (size_t i = 0; rc == XJ_OK && i < nb; i++) {
        uint8_t k[8];
        xj__put_u64be(k, bk[i].hash);
        rc = xj__spill_add(cx->sp[CF_BLOCKING], t, SPILL_POSTING, k, 8, 0, r->key.b, 9);
    }
    /* J: region(6) birth(8) seq(3) check; L: region(6) birth(8) seq(4). */
    const char *num = r->student_number;
    if (rc == XJ_OK && (num[0] == 'J' || num[0] == 'L')) {
        uint32_t birth = 0, sq = 0;
        for (int i = 7; i < 15; i++)
            birth = birth * 10 + (uint32_t)(num[i] - '0');
        int seqlen = num[0] == 'J' ? 3 : 4;
        for (int i = 15; i < 15 + seqlen; i++)
            sq = sq * 10 + (uint32_t)(num[i] - '0');
        uint8_t ck[11];
        xj__counter_key(num[0], num + 1, birth, ck);
        rc = seq_note(seqs, ck, sq + 1);
    }
    return rc;
}

static int emit_person(const loadctx *cx, int t, const xj_person *p, uint64_t seq, int is_new)
{
    uint8_t key[8], val[PERSON_VALUE_MAX];
    if (xj_idcard_pack(p->id, key) != 0)
        return XJ_ERR_ARG;
    size_t n = xj__person_encode(p, val);
    return xj__spill_add(cx->sp[CF_POPULATION], t, is_new ? SPILL_PUT_NEW : SPILL_PUT, key, 8, seq,
                         val, n);
}

static int add_reject(worker *w, uint64_t row, uint64_t line, const parsed *p)
{
    if (w->nrej == w->rejcap) {
        rejrow *r = xj_grow(w->rej, &w->rejcap, sizeof *r, 256);
        if (!r)
            return XJ_ERR_NOMEM;
        w->rej = r;
    }
    rejrow *r = &w->rej[w->nrej++];
    r->row = row;
    r->line = line;
    memcpy(r->field, p->field, sizeof r->field);
    memcpy(r->reason, p->reason, sizeof r->reason);
    return XJ_OK;
}

/* Rejects or spills the rows of a mini-batch. */
static int flush_mini(const loadctx *cx, int t, worker *w, size_t m, uint64_t first_row)
{
    int rc = XJ_OK;
    if (cx->check_new)
        rc = mark_new(cx, w->rows, m, w->is_new);
    for (size_t i = 0; rc == XJ_OK && i < m; i++) {
        const parsed *p = &w->rows[i];
        if (!p->ok) {
            rc = add_reject(w, first_row + i, w->lines[i], p);
            continue;
        }
        int fresh = cx->check_new ? w->is_new[i] : 1;
        rc = cx->kind == KIND_REGISTRY
                 ? emit_record(cx, t, &p->u.rec, w->seqs[i], fresh, &w->seqs_seen)
                 : emit_person(cx, t, &p->u.person, w->seqs[i], fresh);
        w->loaded++;
    }
    return rc;
}

/* Takes one CSV row of block t: parses it into the mini-batch, which is
 * checked and spilled when full. */
static int take_row(const loadctx *cx, int t, const xj_slice *f, size_t nf, unsigned flags,
                    uint64_t line, uint64_t chunk_no)
{
    worker *w = &cx->w[t];
    xj_slice v[NCOLS];
    for (int k = 0; k < NCOLS; k++) {
        v[k] = (xj_slice){"", 0};
        if (cx->colidx[k] >= 0 && (size_t)cx->colidx[k] < nf)
            v[k] = f[cx->colidx[k]];
    }
    w->bad_utf8 += (flags & XJ_CSV_ROW_BAD_UTF8) != 0;
    size_t m = w->nmini;
    if (cx->kind == KIND_REGISTRY)
        parse_registry(v, flags, cx->today, &w->rows[m]);
    else
        parse_population(v, flags, cx->today, &w->rows[m]);
    w->lines[m] = line;
    w->seqs[m] = chunk_no << SEQ_CHUNK | (uint64_t)t << SEQ_BLOCK | w->rows_in_block;
    w->rows_in_block++;
    if (++w->nmini < MINI_ROWS)
        return XJ_OK;
    int rc = flush_mini(cx, t, w, w->nmini, w->rows_in_block - w->nmini);
    w->nmini = 0;
    return rc;
}

/* 1 when a UTF-8 block can take the fast path: no quote, no NUL, and no CR
 * except before an LF.  Such a block's records are its lines and its
 * fields what lies between commas, so splitting them needs no state
 * machine; any other block goes through the reader. */
static int plain_block(const char *data, size_t len)
{
    if (memchr(data, '"', len) || memchr(data, '\0', len))
        return 0;
    const char *p = data, *end = data + len;
    while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
        if (p + 1 >= end || p[1] != '\n')
            return 0;
        p++;
    }
    return 1;
}

/* The fast path: splits lines and fields exactly as the reader would for
 * a plain block (flags for bytes that are not UTF-8 and over-long fields,
 * empty lines skipped, CR before LF dropped), at a fraction of its cost:
 * the reader handles one byte at a time, this memchr's its way through. */
static int plain_rows(const loadctx *cx, int t, const char *data, size_t len, uint64_t chunk_no)
{
    worker *w = &cx->w[t];
    const char *p = data, *end = data + len;
    uint64_t line = 0;
    int rc = XJ_OK;
    while (rc == XJ_OK && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end, *le = eol;
        if (le > p && le[-1] == '\r')
            le--;
        line++;
        if (le == p) {
            p = eol + 1;
            continue;
        }
        size_t n = (size_t)(le - p);
        if (n + 1 > w->linecap) {
            char *nb = realloc(w->line, n + 1);
            if (!nb)
                return XJ_ERR_NOMEM;
            w->line = nb;
            w->linecap = n + 1;
        }
        memcpy(w->line, p, n);
        w->line[n] = '\0';
        unsigned flags = 0;
        size_t nf = 0;
        char *q = w->line, *lend = w->line + n;
        for (;;) {
            char *comma = memchr(q, ',', (size_t)(lend - q));
            char *fe = comma ? comma : lend;
            if (nf == w->fieldcap) {
                xj_slice *nfv = xj_grow(w->fields, &w->fieldcap, sizeof *nfv, 32);
                if (!nfv)
                    return XJ_ERR_NOMEM;
                w->fields = nfv;
            }
            size_t fl = (size_t)(fe - q);
            *fe = '\0';
            if (fl > XJ_CSV_FIELD_MAX) {
                fl = XJ_CSV_FIELD_MAX;
                q[fl] = '\0';
                flags |= XJ_CSV_ROW_FIELD_LONG;
            }
            if (!xj_utf8_valid(q, fl))
                flags |= XJ_CSV_ROW_BAD_UTF8;
            w->fields[nf++] = (xj_slice){q, fl};
            if (!comma)
                break;
            q = comma + 1;
        }
        rc = take_row(cx, t, w->fields, nf, flags, line, chunk_no);
        p = eol + 1;
    }
    return rc;
}

/* Parses, checks and spills the rows of one block (thread t). */
static void work_block(const loadctx *cx, int t, const char *data, size_t len, uint64_t chunk_no)
{
    worker *w = &cx->w[t];
    w->rows_in_block = w->bad_utf8 = w->loaded = 0;
    w->nrej = w->nmini = 0;
    w->err_line = 0;
    w->rc = XJ_OK;
    if (len == 0)
        return;
    int rc = XJ_OK;
    if (cx->enc == XJ_CSV_UTF8 && plain_block(data, len)) {
        rc = plain_rows(cx, t, data, len, chunk_no);
    } else {
        FILE *mf = fmemopen((void *)(uintptr_t)data, len, "r");
        xj_csv_reader *r = NULL;
        rc = mf ? xj_csv_open(mf, cx->enc, &r) : XJ_ERR_NOMEM;
        const xj_slice *f;
        size_t nf;
        int got = 0;
        while (rc == XJ_OK && (got = xj_csv_next(r, &f, &nf)) == 1)
            rc = take_row(cx, t, f, nf, xj_csv_row_flags(r), xj_csv_line(r), chunk_no);
        if (rc == XJ_OK && got < 0) {
            rc = got;
            w->err_line = xj_csv_line(r);
        }
        xj_csv_close(r);
        if (mf)
            fclose(mf);
    }
    if (rc == XJ_OK && w->nmini)
        rc = flush_mini(cx, t, w, w->nmini, w->rows_in_block - w->nmini);
    w->nmini = 0;
    w->rc = rc;
}

static void write_reject(FILE *fp, uint64_t row, uint64_t line, const rejrow *p)
{
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

static int family_empty(xj_index *idx, int cf)
{
    rocksdb_iterator_t *it = rocksdb_create_iterator_cf(idx->db, idx->ropts, idx->cf[cf]);
    rocksdb_iter_seek_to_first(it);
    int empty = !rocksdb_iter_valid(it);
    rocksdb_iter_destroy(it);
    return empty;
}

/* Counts a new record's or person's name and pinyin key: called while the
 * records and population partitions are written, once per distinct key. */
static int count_names(void *user, int writer, const uint8_t *key, size_t kn, const uint8_t *val,
                       size_t vn, int is_new)
{
    const loadctx *cx = user;
    if (!is_new)
        return XJ_OK;
    /* The name and the pinyin key are the first two strings of both value
     * layouts (index_int.h). */
    size_t o = cx->kind == KIND_REGISTRY ? 46 : 14;
    for (int i = 0; i < 2; i++) {
        if (o >= vn || o + 1 + val[o] > vn)
            return XJ_ERR_CORRUPT;
        size_t n = val[o];
        if (n) {
            char text[256];
            uint8_t fk[9], one[8];
            memcpy(text, val + o + 1, n);
            text[n] = '\0';
            xj__freq_key(i == 0 ? 'N' : 'P', text, fk);
            xj__put_u64le(one, 1);
            int rc = xj__spill_add(cx->sp[CF_NAMEFREQ], writer, SPILL_ADD, fk, 9, 0, one, 8);
            if (rc != XJ_OK)
                return rc;
        }
        o += 1 + n;
    }
    (void)key;
    (void)kn;
    return XJ_OK;
}

/* The input buffer: raw bytes buf[beg, len) not yet handed to workers. */
typedef struct rawbuf {
    char *buf;
    size_t beg, len, cap;
    int eof;
    uint64_t line; /* the line number of buf[beg] */
} rawbuf;

/* Reads until at least want unread bytes are held or the input ends. */
static int raw_fill(rawbuf *rb, FILE *fp, size_t want)
{
    if (rb->beg > 0) {
        memmove(rb->buf, rb->buf + rb->beg, rb->len - rb->beg);
        rb->len -= rb->beg;
        rb->beg = 0;
    }
    if (want + 1 > rb->cap) {
        char *p = realloc(rb->buf, want + 1);
        if (!p)
            return XJ_ERR_NOMEM;
        rb->buf = p;
        rb->cap = want + 1;
    }
    while (!rb->eof && rb->len < want) {
        size_t got = fread(rb->buf + rb->len, 1, want - rb->len, fp);
        rb->len += got;
        if (got == 0) {
            if (ferror(fp))
                return XJ_ERR_IO;
            rb->eof = 1;
        }
    }
    return XJ_OK;
}

/* Reads and maps the header record.  Returns XJ_OK with colidx set. */
static int read_header(loadctx *cx, rawbuf *rb, FILE *fp, const xj_csv_column *cols)
{
    xj_index *idx = cx->idx;
    size_t want = (size_t)1 << 16, end;
    for (;;) {
        int rc = raw_fill(rb, fp, want);
        if (rc != XJ_OK)
            return xj__index_fail(idx, rc, NULL, "the file cannot be read");
        size_t start = rb->len >= 3 && memcmp(rb->buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        end = record_cut(rb->buf, start, start, rb->len, 0);
        if (end != SIZE_MAX || rb->eof)
            break;
        if (want >= LINE_LIMIT)
            return xj__index_fail(idx, XJ_ERR_CSV_HEADER, NULL, "no header row ends in 256 MB");
        want *= 2;
    }
    if (end == SIZE_MAX)
        end = rb->len;
    if (end == 0)
        return xj__index_fail(idx, XJ_ERR_CSV_HEADER, NULL, "no header row");
    FILE *mf = fmemopen(rb->buf, end, "r");
    xj_csv_reader *r = NULL;
    int rc = mf ? xj_csv_open(mf, cx->enc, &r) : XJ_ERR_NOMEM;
    const xj_slice *hdr;
    size_t nh;
    int h = rc == XJ_OK ? xj_csv_next(r, &hdr, &nh) : rc;
    const xj_csv_column *missing = NULL;
    if (h <= 0) {
        rc = h < 0 ? h : XJ_ERR_CSV_HEADER;
        xj__index_fail(idx, rc, NULL,
                       h == XJ_ERR_ENCODING ? "the header is not in the declared encoding"
                       : h < 0              ? "the header cannot be read"
                                            : "no header row");
    } else if (xj_csv_row_flags(r) & XJ_CSV_ROW_BAD_UTF8) {
        rc = xj__index_fail(idx, XJ_ERR_ENCODING, NULL,
                            "the header is not UTF-8 (a GB18030 file needs --encoding gb18030)");
    } else if (xj_csv_map_header(hdr, nh, cols, NCOLS, cx->colidx, &missing) != XJ_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "the header lacks the required column %s (%s)", missing->en,
                 missing->zh ? missing->zh : "");
        rc = xj__index_fail(idx, XJ_ERR_CSV_HEADER, NULL, msg);
    }
    for (int k = 0; rc == XJ_OK && k < NCOLS; k++)
        if (cols[k].en[0] == '-')
            cx->colidx[k] = -1;
    xj_csv_close(r);
    if (mf)
        fclose(mf);
    rb->line = 1 + count_lf(rb->buf, end);
    rb->beg = end;
    return rc;
}

/* Cuts [rb->beg, end) into one block per thread at record boundaries. */
static int cut_chunk(rawbuf *rb, FILE *fp, int threads, size_t *cuts)
{
    size_t want = BLOCK_BYTES * (size_t)threads, end;
    for (;;) {
        int rc = raw_fill(rb, fp, want);
        if (rc != XJ_OK)
            return rc;
        end = rb->eof ? rb->len : record_cut(rb->buf, rb->beg, rb->beg, rb->len, 1);
        if (end != SIZE_MAX)
            break;
        if (want >= LINE_LIMIT)
            return XJ_ERR_CSV_QUOTE;
        want *= 2;
    }
    cuts[0] = rb->beg;
    for (int t = 1; t < threads; t++) {
        size_t target = rb->beg + (end - rb->beg) / (size_t)threads * (size_t)t;
        size_t c =
            target <= cuts[t - 1] ? cuts[t - 1] : record_cut(rb->buf, cuts[t - 1], target, end, 0);
        cuts[t] = c == SIZE_MAX ? end : c;
    }
    cuts[threads] = end;
    return XJ_OK;
}

static int load(xj_index *idx, FILE *fp, const xj_load_options *opts, xj_load_stats *st, int kind)
{
    struct timespec t0, t1, t2, t3;
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
    loadctx cx;
    memset(&cx, 0, sizeof cx);
    cx.idx = idx;
    cx.kind = kind;
    cx.enc = opts->encoding;
    cx.threads = opts->threads > 0 ? opts->threads : omp_get_num_procs();
    if (cx.threads > 4096)
        cx.threads = 4096;
    cx.today = opts->today ? opts->today : xj_idcard_today();
    size_t budget = opts->memory_budget ? opts->memory_budget : (size_t)1 << 30;
    const xj_csv_column *cols = kind == KIND_REGISTRY ? registry_columns : population_columns;
    int threads = cx.threads;
    /* Sorting threads: twice the readers.  Each SST is synced to disk when
     * it is finished (SstFileWriter does so), and a thread waiting for its
     * sync leaves its core to another; the budget is shared among them
     * all.  A hook writes through its sorting thread's writer, so every
     * spill has a writer per sorting thread. */
    int sorters = 2 * threads;

    char tmp[400];
    if (opts->tmp_dir)
        snprintf(tmp, sizeof tmp, "%s/xueji-load-%ld", opts->tmp_dir, (long)getpid());
    else
        snprintf(tmp, sizeof tmp, "%s/tmp-load-%ld", idx->path, (long)getpid());
    if (mkdir(tmp, 0700) != 0)
        return xj__index_fail(idx, XJ_ERR_IO, NULL, "cannot create the spill directory");

    static const int used_registry[] = {CF_RECORDS, CF_RESID, CF_BLOCKING, CF_NAMEFREQ};
    static const int used_population[] = {CF_POPULATION, CF_NAMEFREQ};
    const int *used = kind == KIND_REGISTRY ? used_registry : used_population;
    int nused = kind == KIND_REGISTRY ? 4 : 2;
    xj_sst_list ssts[CF_COUNT];
    memset(ssts, 0, sizeof ssts);
    rawbuf rb = {0};
    seqmap seqs = {0};
    size_t *cuts = malloc(((size_t)threads + 1) * sizeof *cuts);
    cx.w = calloc((size_t)threads, sizeof *cx.w);
    int rc = cuts && cx.w ? XJ_OK : XJ_ERR_NOMEM;
    for (int t = 0; rc == XJ_OK && t < threads; t++) {
        worker *w = &cx.w[t];
        w->rows = malloc(MINI_ROWS * sizeof *w->rows);
        w->lines = malloc(MINI_ROWS * sizeof *w->lines);
        w->seqs = malloc(MINI_ROWS * sizeof *w->seqs);
        w->is_new = malloc(MINI_ROWS * sizeof *w->is_new);
        if (!w->rows || !w->lines || !w->seqs || !w->is_new)
            rc = XJ_ERR_NOMEM;
    }
    for (int i = 0; rc == XJ_OK && i < nused; i++)
        rc =
            xj__spill_create(idx, used[i], tmp, NPARTS, sorters,
                             used[i] == CF_BLOCKING || used[i] == CF_RESID ? XJ_SPILL_POSTINGS8 : 0,
                             &cx.sp[used[i]]);
    if (rc == XJ_OK) {
        /* Hashed keys are uniform: their ranges are cut evenly up front.
         * Name-frequency keys start with their tag, 'N' or 'P'. */
        uint64_t b[NPARTS];
        for (int p = 0; p < NPARTS; p++)
            b[p] = (uint64_t)p << 58;
        if (kind == KIND_REGISTRY)
            rc = xj__spill_set_bounds(cx.sp[CF_BLOCKING], b);
        for (int p = 0; p < NPARTS; p++) {
            int half = p < NPARTS / 2 ? 0 : 1;
            uint64_t tag = half ? 'P' : 'N';
            b[p] = tag << 56 | (uint64_t)(p - half * NPARTS / 2) << (56 - 5);
        }
        b[0] = 0;
        if (rc == XJ_OK)
            rc = xj__spill_set_bounds(cx.sp[CF_NAMEFREQ], b);
    }
    if (rc == XJ_OK)
        rc = read_header(&cx, &rb, fp, cols);
    if (rc == XJ_OK) {
        cx.check_new = !family_empty(idx, kind == KIND_REGISTRY ? CF_RECORDS : CF_POPULATION);
        if (opts->rejects)
            fputs("row,line,field,reason\n", opts->rejects);
    }

    uint64_t chunk_no = 0;
    while (rc == XJ_OK) {
        int crc = cut_chunk(&rb, fp, threads, cuts);
        if (crc != XJ_OK) {
            rc = xj__index_fail(idx, crc, NULL,
                                crc == XJ_ERR_CSV_QUOTE ? "a record longer than 256 MB"
                                                        : "the file cannot be read");
            break;
        }
        if (cuts[threads] == cuts[0])
            break;
#pragma omp parallel for schedule(static, 1) num_threads(threads)
        for (int t = 0; t < threads; t++)
            work_block(&cx, t, rb.buf + cuts[t], cuts[t + 1] - cuts[t], chunk_no);
        /* The blocks, in input order: rows, lines, rejects, errors.  Block
         * t is worked with worker and spill writer t, whichever thread
         * runs it. */
        uint64_t line = rb.line, bad = 0, rows = 0;
        for (int t = 0; t < threads; t++) {
            worker *w = &cx.w[t];
            for (size_t i = 0; opts->rejects && i < w->nrej; i++)
                write_reject(opts->rejects, st->rows + w->rej[i].row + 1, line + w->rej[i].line - 1,
                             &w->rej[i]);
            if (w->rc != XJ_OK && rc == XJ_OK) {
                char msg[200];
                snprintf(msg, sizeof msg, "line %llu: %s",
                         (unsigned long long)(line + (w->err_line ? w->err_line - 1 : 0)),
                         xj_strerror(w->rc));
                rc = w->rc;
                if (!idx->errmsg[0] || w->rc != XJ_ERR_DB)
                    xj__index_fail(idx, rc, NULL, msg);
            }
            st->rows += w->rows_in_block;
            st->rejected += w->nrej;
            st->loaded += w->loaded;
            rows += w->rows_in_block;
            bad += w->bad_utf8;
            line += count_lf(rb.buf + cuts[t], cuts[t + 1] - cuts[t]);
        }
        rb.line = line;
        rb.beg = cuts[threads];
        if (rc == XJ_OK && chunk_no == 0 && rows && bad == rows && cx.enc == XJ_CSV_UTF8)
            rc = xj__index_fail(idx, XJ_ERR_ENCODING, NULL,
                                "no row is UTF-8 (a GB18030 file needs --encoding gb18030)");
        /* Once the first chunk is in, the ranges of the families keyed by
         * ID or student number are cut at quantiles of its keys. */
        for (int i = 0; rc == XJ_OK && chunk_no == 0 && i < nused; i++)
            if (used[i] != CF_BLOCKING && used[i] != CF_NAMEFREQ)
                rc = xj__spill_start(cx.sp[used[i]]);
        chunk_no++;
        if (opts->progress) {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double s = seconds_between(t0, t1);
            fprintf(opts->progress, "\rread %llu rows (%.0f rows/s)", (unsigned long long)st->rows,
                    s > 0 ? (double)st->rows / s : 0.0);
            fflush(opts->progress);
        }
    }
    if (opts->progress)
        fputc('\n', opts->progress);
    for (int t = 0; cx.w && t < threads; t++) {
        for (size_t i = 0; rc == XJ_OK && i < cx.w[t].seqs_seen.cap; i++)
            if (cx.w[t].seqs_seen.slot[i].key[0])
                rc = seq_note(&seqs, cx.w[t].seqs_seen.slot[i].key, cx.w[t].seqs_seen.slot[i].next);
    }

    /* Sort every partition into SSTs: records or persons first, since their
     * new keys produce the name counts. */
    clock_gettime(CLOCK_MONOTONIC, &t2);
    /* Together, the families before the name counts (whose entries the
     * records' or persons' hook adds), then the name counts. */
    uint64_t new_keys = 0;
    xj_spill_job jobs[CF_COUNT];
    int job_cf[CF_COUNT], njobs = 0;
    for (int i = 0; i < nused; i++) {
        int cf = used[i];
        if (cf == CF_NAMEFREQ)
            continue;
        int puts = cf == CF_RECORDS || cf == CF_POPULATION;
        job_cf[njobs] = cf;
        jobs[njobs++] = (xj_spill_job){cx.sp[cf], puts ? count_names : NULL, &cx, &ssts[cf],
                                       puts ? &new_keys : NULL};
    }
    if (rc == XJ_OK)
        rc = xj__spill_finish_all(jobs, njobs, sorters, budget);
    for (int i = 0; i < njobs; i++) {
        xj__spill_destroy(cx.sp[job_cf[i]]);
        cx.sp[job_cf[i]] = NULL;
    }
    if (rc == XJ_OK)
        rc = xj__spill_finish(cx.sp[CF_NAMEFREQ], sorters, budget, NULL, NULL, &ssts[CF_NAMEFREQ],
                              NULL);
    xj__spill_destroy(cx.sp[CF_NAMEFREQ]);
    cx.sp[CF_NAMEFREQ] = NULL;
    clock_gettime(CLOCK_MONOTONIC, &t3);
    for (int i = 0; rc == XJ_OK && i < nused; i++) {
        st->sst_files += ssts[used[i]].n;
        st->sst_bytes += ssts[used[i]].bytes;
    }
    /* The families at once: most of an ingestion is syncing and checking
     * the files, which RocksDB does outside its lock. */
    if (rc == XJ_OK) {
#pragma omp parallel for num_threads(nused) schedule(static, 1)
        for (int i = 0; i < nused; i++) {
            int irc = xj__ingest(idx, used[i], &ssts[used[i]]);
            if (irc != XJ_OK) {
#pragma omp atomic write
                rc = irc;
            }
        }
    }
    if (rc == XJ_OK && seqs.n)
        rc = seq_write(idx, &seqs);
    if (rc == XJ_OK && new_keys) {
        uint8_t v[8];
        xj__put_u64le(v, new_keys);
        const char *key = kind == KIND_REGISTRY ? META_RECORDS : META_PERSONS;
        char *err = NULL;
        rocksdb_merge_cf(idx->db, idx->wopts, idx->cf[CF_DEFAULT], key, strlen(key),
                         (const char *)v, 8, &err);
        if (err)
            rc = xj__index_fail(idx, XJ_ERR_DB, err, "updating the totals");
    }
    for (int i = 0; i < CF_COUNT; i++) {
        xj__spill_destroy(cx.sp[i]);
        xj__sst_list_free(&ssts[i]);
    }
    rmdir(tmp);
    for (int t = 0; cx.w && t < threads; t++) {
        free(cx.w[t].rows);
        free(cx.w[t].lines);
        free(cx.w[t].seqs);
        free(cx.w[t].is_new);
        free(cx.w[t].rej);
        free(cx.w[t].line);
        free(cx.w[t].fields);
        free(cx.w[t].seqs_seen.slot);
    }
    free(cx.w);
    free(cuts);
    free(rb.buf);
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
