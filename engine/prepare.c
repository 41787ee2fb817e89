/*
 * prepare.c: one input row, parsed and normalized into an xj_row.
 *
 * Nothing is decided here.  Every problem of the row becomes a reason code
 * and, for the first one, a sentence naming the field; required fields that
 * are missing or unreadable mark the row invalid.  An invalid row is still
 * searched for an existing registration afterwards: a registered child with
 * a mistyped ID is a DUPLICATE, not an INVALID (interface.md precedence).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine_int.h"

static void copy_field(char *dst, size_t cap, xj_slice s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

/* Marks the row invalid for reason r, keeping the first detail sentence. */
static void problem(xj_row *row, xj_reason r, int makes_invalid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(xj_row *row, xj_reason r, int makes_invalid, const char *fmt, ...)
{
    xj_reasons_add(&row->reasons, r);
    if (!makes_invalid)
        return;
    row->invalid = 1;
    if (row->detail[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(row->detail, sizeof row->detail, fmt, ap);
        va_end(ap);
    }
}

/* Maps the ID error bits of normalize.h onto reason codes. */
static void id_reasons(xj_row *row, unsigned errors, int makes_invalid)
{
    static const struct {
        unsigned bit;
        xj_reason reason;
    } map[] = {
        {XJ_ID_LENGTH, XJ_R_ID_LENGTH},     {XJ_ID_CHARSET, XJ_R_ID_CHARSET},
        {XJ_ID_CHECKSUM, XJ_R_ID_CHECKSUM}, {XJ_ID_DATE, XJ_R_ID_DATE},
        {XJ_ID_REGION, XJ_R_ID_REGION},     {XJ_ID_EXCEL_DAMAGE, XJ_R_ID_EXCEL_DAMAGE},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (errors & map[i].bit) {
            problem(row, map[i].reason, makes_invalid, "id_number: %s",
                    xj_id_error_message(map[i].bit));
        }
    }
}

/* Returns 1 when some known county-level code shares the first four digits
 * of code6 (its prefecture). */
static int prefecture_known(const char *code6)
{
    size_t lo = 0, hi = xj_region_count();
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *c = NULL;
        xj_region_at(mid, &c, NULL, NULL);
        if (memcmp(c, code6, 4) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const char *c = NULL;
    return lo < xj_region_count() && xj_region_at(lo, &c, NULL, NULL) == XJ_OK &&
           memcmp(c, code6, 4) == 0;
}

static void prepare_id(const xj_engine *e, const xj_input *in, xj_row *row)
{
    xj_record *rec = &row->rec;
    xj_id_type type = XJ_IDTYPE_RESIDENT;
    xj_slice t = xj_trim(in->id_type);
    if (xj_id_type_parse(t.ptr, t.len, &type) != XJ_OK)
        problem(row, XJ_R_BAD_ID_TYPE, 1, "id_type: %s",
                "not one of 居民身份证, 港澳台居民居住证, 护照, 无 (or the registry "
                "system's labels: 户口簿, 香港特区护照/身份证明, ...)");
    rec->id_type = (uint8_t)type;

    xj_slice id = xj_trim(in->id_number);
    if (id.len == 0 || type == XJ_IDTYPE_NONE) {
        xj_reasons_add(&row->reasons, XJ_R_NO_RESIDENT_ID);
        return;
    }
    xj_idcard_parse(id.ptr, id.len, e->opts.today, &row->idcard);
    row->has_id18 = row->idcard.normalized[0] != '\0';
    /* A county code missing from the table, under a prefecture that is in
     * it, is most likely a district created after the table was compiled
     * (县改区 renumbered many): the checksum and the date hold, and the
     * population comparison is the authority on whether the ID exists.  It
     * is reported, not fatal. */
    if (row->idcard.errors == XJ_ID_REGION && prefecture_known(row->idcard.region)) {
        xj_reasons_add(&row->reasons, XJ_R_ID_REGION);
        row->idcard.errors = 0;
    }
    row->id_valid = row->idcard.errors == 0;
    if (row->idcard.from_legacy15)
        xj_reasons_add(&row->reasons, XJ_R_ID_LEGACY15);
    if (row->idcard.letters_read)
        xj_reasons_add(&row->reasons, XJ_R_ID_LETTER_AS_DIGIT);

    if (type == XJ_IDTYPE_RESIDENT) {
        /* A resident ID that fails validation makes the row invalid (unless
         * a duplicate is found later, which outranks INVALID). */
        id_reasons(row, row->idcard.errors, 1);
        row->id_usable = row->id_valid;
    } else {
        /* Permits and passports: no G number is possible; the number still
         * helps find an existing registration when it is well formed. */
        xj_reasons_add(&row->reasons, XJ_R_NO_RESIDENT_ID);
        copy_field(rec->doc, sizeof rec->doc, id);
    }
    if (row->id_valid) {
        memcpy(rec->id, row->idcard.normalized, 19);
    } else {
        copy_field(rec->doc, sizeof rec->doc, id);
        if (row->has_id18 && (row->idcard.errors & (XJ_ID_CHECKSUM | XJ_ID_DATE | XJ_ID_REGION))) {
            xj_id_suggestion sg[ROW_SUGGEST_MAX];
            size_t n = xj_idcard_suggest(row->idcard.normalized, rec->birth, rec->gender,
                                         e->opts.today, sg, ROW_SUGGEST_MAX);
            for (size_t i = 0; i < n; i++)
                memcpy(row->suggest[i], sg[i].id, 19);
            row->nsuggest = n;
        }
    }
}

void xj__prepare(const xj_engine *e, const xj_input *in, xj_row *row)
{
    memset(row, 0, sizeof *row);
    xj_record *rec = &row->rec;

    xj_slice rid = xj_trim(in->record_id);
    copy_field(row->record_id, sizeof row->record_id, rid);
    if (rid.len == 0)
        problem(row, XJ_R_MISSING_RECORD_ID, 1, "record_id: %s", "missing");
    if (in->csv_flags)
        problem(row, XJ_R_BAD_ROW, 1, "%s",
                "the CSV row is malformed (stray quote, invalid UTF-8, NUL or a field over "
                "4096 bytes)");

    /* Name. */
    xj_slice name = xj_trim(in->name);
    copy_field(rec->name_raw, sizeof rec->name_raw, name);
    if (name.len == 0) {
        problem(row, XJ_R_MISSING_NAME, 1, "name: %s", "missing");
    } else {
        xj_name_normalize(name.ptr, name.len, &row->name);
        if (row->name.flags & (XJ_NAME_EMPTY | XJ_NAME_BAD_UTF8))
            problem(row, XJ_R_BAD_NAME, 1, "name: %s",
                    "nothing readable is left after normalization");
        memcpy(rec->name, row->name.normalized, sizeof rec->name);
        memcpy(rec->pinyin, row->name.pinyin, sizeof rec->pinyin);
        xj_pinyin_fuzzy(rec->pinyin, row->fuzzy, sizeof row->fuzzy);
    }

    /* Gender. */
    xj_slice g = xj_trim(in->gender);
    if (g.len == 0)
        problem(row, XJ_R_MISSING_GENDER, 1, "gender: %s", "missing");
    else if (xj_gender_parse(g.ptr, g.len, &rec->gender) != XJ_OK)
        problem(row, XJ_R_BAD_GENDER, 1, "gender: %s", "not one of 男/女, 1/2, M/F");

    /* Birth date. */
    xj_slice b = xj_trim(in->birth_date);
    if (b.len == 0) {
        problem(row, XJ_R_MISSING_BIRTH_DATE, 1, "birth_date: %s", "missing");
    } else if (xj_date_parse(b.ptr, b.len, &rec->birth) != XJ_OK) {
        problem(row, XJ_R_BAD_BIRTH_DATE, 1, "birth_date: %s",
                "not a real date (YYYY-MM-DD, YYYYMMDD, YYYY/M/D, 2012年3月5日, an Excel "
                "date number)");
    } else if (rec->birth > (e->opts.today ? e->opts.today : xj_date_today())) {
        problem(row, XJ_R_FUTURE_BIRTH_DATE, 1, "birth_date: %s", "lies in the future");
        rec->birth = 0;
    }

    /* School. */
    xj_slice sc = xj_trim(in->school_code);
    if (sc.len == 0)
        problem(row, XJ_R_MISSING_SCHOOL_CODE, 1, "school_code: %s", "missing");
    else if (xj_code_parse(sc.ptr, sc.len, 10, rec->school_code) != XJ_OK)
        problem(row, XJ_R_BAD_SCHOOL_CODE, 1, "school_code: %s", "not 10 digits");

    xj_slice sr = xj_trim(in->school_region);
    if (sr.len == 0)
        problem(row, XJ_R_MISSING_SCHOOL_REGION, 1, "school_region: %s", "missing");
    else if (xj_code_parse(sr.ptr, sr.len, 6, rec->school_region) != XJ_OK)
        problem(row, XJ_R_BAD_SCHOOL_REGION, 1, "school_region: %s", "not a 6-digit division code");
    /* The J and L numbers are built from it, for life: a code of no known
     * prefecture (999999, a typo) would be in them.  An unknown county
     * under a known prefecture passes, as for IDs: a district created after
     * the table was compiled. */
    else if (!xj_region_known(rec->school_region) && !prefecture_known(rec->school_region))
        problem(row, XJ_R_BAD_SCHOOL_REGION, 1, "school_region: %s",
                "not a division code of GB/T 2260 (no such prefecture)");

    /* Optional columns: kept when readable, ignored otherwise. */
    xj_slice hk = xj_trim(in->hukou_region);
    if (xj_code_parse(hk.ptr, hk.len, 6, rec->hukou_region) != XJ_OK)
        rec->hukou_region[0] = '\0';
    copy_field(rec->ethnicity, sizeof rec->ethnicity, xj_trim(in->ethnicity));
    copy_field(rec->grade, sizeof rec->grade, xj_trim(in->grade));

    xj_slice gn = xj_trim(in->guardian_name);
    if (gn.len) {
        xj_name gname;
        xj_name_normalize(gn.ptr, gn.len, &gname);
        memcpy(rec->guardian_name, gname.normalized, sizeof rec->guardian_name);
    }
    xj_slice gi = xj_trim(in->guardian_id);
    if (gi.len) {
        xj_idcard gid;
        xj_idcard_parse(gi.ptr, gi.len, e->opts.today, &gid);
        if (gid.errors == 0)
            memcpy(rec->guardian_id, gid.normalized, 19);
    }

    /* The ID last: its suggestions are ranked with the birth date and
     * gender read above. */
    prepare_id(e, in, row);

    if (row->id_valid && rec->id_type == XJ_IDTYPE_RESIDENT) {
        uint32_t idbirth = (uint32_t)(row->idcard.birth_year * 10000 +
                                      row->idcard.birth_month * 100 + row->idcard.birth_day);
        if (rec->birth && idbirth != rec->birth)
            xj_reasons_add(&row->reasons, XJ_R_ID_BIRTH_MISMATCH);
        if (rec->gender && row->idcard.gender && row->idcard.gender != rec->gender)
            xj_reasons_add(&row->reasons, XJ_R_ID_GENDER_MISMATCH);
    }
}

void xj__row_key_record(const xj_row *row, xj_record *kr)
{
    *kr = row->rec;
    if (!row->id_valid && row->has_id18 &&
        (row->idcard.errors & ~(unsigned)(XJ_ID_CHECKSUM | XJ_ID_EXCEL_DAMAGE)) == 0)
        memcpy(kr->id, row->idcard.normalized, 19);
}
