/*
 * batch.c: the rows of the monthly batch and the truth behind each.
 *
 * A row's category is a pure function of its index: a structural share of
 * rows (every jt_mod-th) re-submits a registered J student, the rest draw a
 * category from the cumulative rates of the configuration.  Rows that need
 * a registry student pick it through a keyed bijection of their own index,
 * so no two rows ever aim at the same student by accident (which would turn
 * the second into a batch duplicate the truth does not expect).
 */
#include <stdio.h>
#include <string.h>

#include "datagen_int.h"
#include "xj/normalize.h"

static const char *const cat_labels[] = {
#define CAT_LABEL(name, label, decision) label,
    DG_CATEGORY_LIST(CAT_LABEL)
#undef CAT_LABEL
};
static const char *const cat_decisions[] = {
#define CAT_DECISION(name, label, decision) decision,
    DG_CATEGORY_LIST(CAT_DECISION)
#undef CAT_DECISION
};

const char *dg_category_label(dg_category c)
{
    return (unsigned)c < DG_NCATEGORIES ? cat_labels[c] : "";
}

const char *dg_category_decision(dg_category c)
{
    return (unsigned)c < DG_NCATEGORIES ? cat_decisions[c] : "";
}

/* Shares inside a drawn family of categories; documented in the README. */
#define DUP_NO_ID_SHARE  0.10
#define DUP_FORMER_SHARE 0.05

/* The category before batch duplicates are resolved (a row drawn as a batch
 * duplicate reports DG_BATCH_DUP here).  *target receives the registry row
 * of targeted categories. */
static dg_category base_category(const xj_datagen *g, uint64_t b, uint64_t *target)
{
    const xj_datagen_config *c = &g->cfg;
    *target = UINT64_MAX;
    if (g->jt_mod && b % g->jt_mod == g->jt_mod - 1) {
        uint64_t r = b / g->jt_mod;
        if (r >= g->j_rows)
            return DG_NEW_CLEAN;
        *target = dg_j_row(dg_permute(g->key_target_j, r, g->j_rows));
        double dup = c->dup_rate * DG_DUP_J_SHARE, rev = c->review_rate * DG_REVIEW_J_SHARE;
        return dg_unit(dg_hash(g, D_BATCH, b, F_SUB)) * (dup + rev) < dup ? DG_DUP_J_STUDENT
                                                                          : DG_REVIEW_J;
    }
    double u = dg_unit(dg_hash(g, D_BATCH, b, F_CAT));
    double v = dg_unit(dg_hash(g, D_BATCH, b, F_SUB));
    const double *cum = g->cum_rate;
    if (u < cum[0])
        return b > 0 ? DG_BATCH_DUP : DG_NEW_CLEAN;
    if (u < cum[2]) {
        /* A registered G student: a duplicate or a review. */
        if (b >= g->g_rows)
            return DG_NEW_CLEAN;
        *target = dg_g_row(dg_permute(g->key_target_g, b, g->g_rows));
        if (u >= cum[1])
            return DG_REVIEW_G;
        double acc = c->noise_id_typo;
        if (v < acc)
            return DG_DUP_ID_TYPO;
        if (v < (acc += c->noise_excel))
            return DG_DUP_EXCEL_ID;
        if (v < (acc += c->noise_typo))
            return DG_DUP_NAME_TYPO;
        if (v < (acc += DUP_NO_ID_SHARE))
            return DG_DUP_NO_ID;
        if (v < (acc += DUP_FORMER_SHARE))
            return DG_DUP_FORMER_NAME;
        return DG_DUP_OTHER_SCHOOL;
    }
    if (u < cum[3])
        return v < 0.40   ? DG_INVALID_CHECKSUM
               : v < 0.65 ? DG_INVALID_MISSING
               : v < 0.80 ? DG_INVALID_DATE
                          : DG_INVALID_EXCEL;
    if (u < cum[4])
        return DG_POP_NOT_FOUND;
    if (u < cum[5])
        return v < 0.50   ? DG_POP_NAME
               : v < 0.70 ? DG_POP_DECEASED
               : v < 0.80 ? DG_POP_CANCELLED
               : v < 0.90 ? DG_POP_GENDER
                          : DG_POP_BIRTH;
    if (u < cum[6]) {
        if (v < 0.80)
            return DG_J_NO_ID;
        if (v < 0.90 && g->hmt_batch_base + b < g->hmt_cap)
            return DG_J_HMT;
        return DG_J_PASSPORT;
    }
    if (u < cum[7])
        return DG_NEW_FORMER_NAME;
    if (u < cum[9]) {
        /* Twins and namesakes need a fresh odd person whose even partner is
         * a registered G student. */
        if (b >= g->unreg_odd)
            return DG_NEW_CLEAN;
        uint64_t m = g->reg_odd + b;
        if (m >= g->reg_even || dg_reg_kind(m) != DG_REG_G)
            return DG_NEW_CLEAN;
        *target = m;
        return u < cum[8] ? DG_TWIN : DG_NAMESAKE;
    }
    return DG_NEW_CLEAN;
}

static int repeatable(dg_category c)
{
    return c == DG_NEW_CLEAN || c == DG_NEW_FORMER_NAME || c == DG_J_NO_ID || c == DG_J_HMT ||
           c == DG_J_PASSPORT || c == DG_DUP_OTHER_SCHOOL || c == DG_TWIN;
}

dg_category dg_batch_category(const xj_datagen *g, uint64_t b, uint64_t *earlier, uint64_t *target)
{
    *earlier = UINT64_MAX;
    dg_category c = base_category(g, b, target);
    if (c != DG_BATCH_DUP)
        return c;
    /* Repeat a recent row whose person is plain to see (not itself a
     * repeat, not an error row), as a school that submits a student twice
     * or two schools that both submit them. */
    uint64_t window = b < 5000 ? b : 5000;
    for (unsigned t = 0; t < 8; t++) {
        uint64_t e = b - 1 - dg_hash(g, D_BATCH, b, F_TARGET + 16 * t) % window;
        uint64_t tt;
        if (repeatable(base_category(g, e, &tt))) {
            *earlier = e;
            return DG_BATCH_DUP;
        }
    }
    return DG_NEW_CLEAN;
}

/* ---- formatting ------------------------------------------------------------ */

/* Bounded string copy; snprintf("%s") costs more than the rest of a row. */
static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memmove(dst, src, n);
    dst[n] = '\0';
}

/* Writes the low `width` decimal digits of v; returns the end. */
static char *put_digits(char *out, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return out + width;
}

static void fmt_record_id(uint64_t b, char *out, size_t cap)
{
    if (b + 1 < 100000000ull) {
        out[0] = 'R';
        put_digits(out + 1, (unsigned)(b + 1), 8)[0] = '\0';
        return;
    }
    snprintf(out, cap, "R%08llu", (unsigned long long)(b + 1));
}

static void fmt_gender(int male, uint64_t h, double alt, char *out, size_t cap)
{
    double u = dg_unit(h);
    if (u >= alt)
        copy(out, cap, male ? "男" : "女");
    else if (u < alt / 2)
        copy(out, cap, male ? "1" : "2");
    else
        copy(out, cap, male ? "M" : "F");
}

static void fmt_date(uint32_t d, uint64_t h, double alt, char *out, size_t cap)
{
    unsigned y = d / 10000, m = d / 100 % 100, day = d % 100;
    double u = dg_unit(h);
    if (u >= alt) {
        char *e = put_digits(out, y, 4);
        *e++ = '-';
        e = put_digits(e, m, 2);
        *e++ = '-';
        put_digits(e, day, 2)[0] = '\0';
    } else if (u < alt * 2 / 3)
        snprintf(out, cap, "%04u%02u%02u", y, m, day);
    else
        snprintf(out, cap, "%04u/%u/%u", y, m, day);
}

/* A school other than the registry's: another school of the same county or
 * a school of another county (a transfer). */
static void other_school(const xj_datagen *g, const dg_person *p, uint64_t h, dg_batch_row *row)
{
    dg_person q = *p;
    uint32_t county = p->school;
    if (h & 1) {
        uint64_t unit =
            (uint64_t)(((unsigned __int128)(h * 0x9E3779B97F4A7C15ull) * g->units) >> 64);
        uint32_t lo = 0, hi = g->ncounties - 1;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo + 1) / 2;
            if (g->counties[mid].unit_start <= unit)
                lo = mid;
            else
                hi = mid - 1;
        }
        county = lo;
    }
    snprintf(q.school_code, sizeof q.school_code, "1%.6s%.3s", g->counties[county].code,
             p->school_code + 7);
    if (strcmp(q.school_code, p->school_code) == 0) {
        /* Same county drawn: move to the neighbouring school number. */
        q.school_code[9] = (char)('0' + (q.school_code[9] - '0' + 1 + (int)(h >> 8) % 9) % 10);
    }
    copy(row->school_code, sizeof row->school_code, q.school_code);
    copy(row->school_region, sizeof row->school_region, g->counties[county].code);
}

static void person_fields(const xj_datagen *g, const dg_person *p, uint64_t hf, dg_batch_row *row)
{
    double alt = g->cfg.alt_format;
    copy(row->name, sizeof row->name, p->name);
    fmt_gender(p->male, hf, alt, row->gender, sizeof row->gender);
    fmt_date(p->birth, hf * 0x9E3779B97F4A7C15ull, alt, row->birth, sizeof row->birth);
    copy(row->id_type, sizeof row->id_type, p->id[0] ? "居民身份证" : "");
    copy(row->id, sizeof row->id, p->id);
    copy(row->ethnicity, sizeof row->ethnicity, p->ethnicity ? p->ethnicity : "");
    copy(row->hukou, sizeof row->hukou, p->hukou < g->ncounties ? g->counties[p->hukou].code : "");
    copy(row->school_code, sizeof row->school_code, p->school_code);
    copy(row->school_region, sizeof row->school_region, g->counties[p->school].code);
    copy(row->grade, sizeof row->grade, dg_grade_label(p->grade));
    copy(row->guardian_name, sizeof row->guardian_name, p->guardian_name);
    copy(row->guardian_id, sizeof row->guardian_id, p->guardian_id);
}

/* The registry's J student of row k (kind drawn per row: no ID, passport,
 * or a permit for every 2048th row). */
void dg_registry_j(const xj_datagen *g, uint64_t k, dg_person *p, const char **id_type)
{
    int hmt = dg_reg_is_hmt(k);
    dg_jperson(g, k, hmt ? k / 2048 : UINT64_MAX, p);
    if (hmt) {
        *id_type = "港澳台居民居住证";
        p->guardian_id[0] = '\0';
        p->ethnicity = "";
    } else if (dg_unit(dg_hash(g, D_REG, k, F_J)) < 0.25) {
        *id_type = "护照";
        dg_passport(g, k, p->id);
        p->guardian_id[0] = '\0';
        p->ethnicity = "";
    } else {
        *id_type = "无";
    }
}

static void name_noise(const xj_datagen *g, uint64_t b, dg_batch_row *row, int style)
{
    char tmp[128];
    uint64_t h = dg_hash(g, D_BATCH, b, F_NOISE);
    const xj_datagen_config *c = &g->cfg;
    if (!row->name[0])
        return;
    if (strstr(row->name, "\xC2\xB7") && dg_unit(h) < c->noise_dot) {
        dg_dot_variant(row->name, h >> 7, tmp, sizeof tmp);
        copy(row->name, sizeof row->name, tmp);
    }
    if (dg_unit(h * 0x9E3779B97F4A7C15ull) < c->noise_trad) {
        dg_to_traditional(g, row->name, tmp, sizeof tmp);
        copy(row->name, sizeof row->name, tmp);
    }
    if (dg_unit(h * 0xC2B2AE3D27D4EB4Full) < c->noise_space) {
        dg_space_name(row->name, dg_surname_bytes(g, row->name, style), h >> 13, tmp, sizeof tmp);
        copy(row->name, sizeof row->name, tmp);
    }
}

static void id_noise(const xj_datagen *g, uint64_t b, dg_batch_row *row)
{
    char tmp[64];
    uint64_t h = dg_hash(g, D_BATCH, b, F_NOISE2);
    const xj_datagen_config *c = &g->cfg;
    if (strlen(row->id) != 18)
        return;
    if (row->id[17] == 'X' && dg_unit(h) < c->noise_lower_x)
        row->id[17] = 'x';
    if (dg_unit(h * 0x9E3779B97F4A7C15ull) < c->noise_width) {
        dg_id_noise_width(row->id, tmp, sizeof tmp);
        copy(row->id, sizeof row->id, tmp);
    } else if (dg_unit(h * 0xC2B2AE3D27D4EB4Full) < c->noise_space) {
        dg_id_noise_space(row->id, tmp, sizeof tmp);
        copy(row->id, sizeof row->id, tmp);
    }
}

/* The ID as a spreadsheet leaves it: a 000 tail when that fails the
 * checksum (as it does 10 times in 11), else scientific notation. */
static void excel_damage(const char *id, uint64_t h, char *out, size_t cap)
{
    char tail[19];
    dg_id_excel_tail(id, tail);
    if ((h & 1) && xj_idcard_check_char(tail) != tail[17])
        copy(out, cap, tail);
    else
        dg_id_excel_sci(id, out, cap);
}

static void clear_optional(const xj_datagen *g, uint64_t b, dg_batch_row *row, int keep_guardian)
{
    uint64_t h = dg_hash(g, D_BATCH, b, F_OPTIONAL);
    double r = g->cfg.missing_optional;
    if (dg_unit(h) < r)
        row->ethnicity[0] = '\0';
    if (dg_unit(h * 0x9E3779B97F4A7C15ull) < r)
        row->grade[0] = '\0';
    if (dg_unit(h * 0xC2B2AE3D27D4EB4Full) < r)
        row->hukou[0] = '\0';
    if (!keep_guardian && dg_unit(h * 0x165667B19E3779F9ull) < r) {
        row->guardian_name[0] = '\0';
        row->guardian_id[0] = '\0';
    }
}

static void set_truth(dg_batch_row *row, dg_category c, const char *match)
{
    row->decision = dg_category_decision(c);
    row->category = dg_category_label(c);
    copy(row->match, sizeof row->match, match ? match : "");
}

static void build(const xj_datagen *g, uint64_t b, dg_batch_row *row)
{
    uint64_t earlier, target;
    dg_category cat = dg_batch_category(g, b, &earlier, &target);
    memset(row, 0, sizeof *row);
    uint64_t hf = dg_hash(g, D_BATCH, b, F_FORMAT);
    uint64_t hs = dg_hash(g, D_BATCH, b, F_SCHOOL);
    uint64_t hn = dg_hash(g, D_BATCH, b, F_NOISE3);
    dg_person p;
    char match[32] = "";
    char tmp[128];
    int keep_guardian = 0, noisy_id = 1;

    if (cat == DG_BATCH_DUP) {
        build(g, earlier, row);
        fmt_record_id(b, row->record_id, sizeof row->record_id);
        char rid[24];
        fmt_record_id(earlier, rid, sizeof rid);
        set_truth(row, DG_BATCH_DUP, rid);
        return;
    }
    switch (cat) {
    case DG_DUP_J_STUDENT:
    case DG_REVIEW_J: {
        const char *id_type = "无";
        dg_registry_j(g, target, &p, &id_type);
        copy(match, sizeof match, p.number);
        person_fields(g, &p, hf, row);
        copy(row->id_type, sizeof row->id_type, id_type);
        other_school(g, &p, hs, row);
        if (cat == DG_DUP_J_STUDENT) {
            keep_guardian = 1;
            break;
        }
        /* Review: no identifier at all, a same-pinyin name, same birth
         * date and sex, another school. */
        dg_typo_name(g, p.name, dg_surname_bytes(g, p.name, p.style), 1, hn, tmp, sizeof tmp);
        copy(row->name, sizeof row->name, tmp);
        copy(row->id_type, sizeof row->id_type, (hn >> 40) & 1 ? "无" : "");
        row->id[0] = row->guardian_name[0] = row->guardian_id[0] = row->hukou[0] = '\0';
        keep_guardian = 1;
        break;
    }
    case DG_DUP_OTHER_SCHOOL:
    case DG_DUP_ID_TYPO:
    case DG_DUP_EXCEL_ID:
    case DG_DUP_NAME_TYPO:
    case DG_DUP_NO_ID:
    case DG_DUP_FORMER_NAME:
    case DG_REVIEW_G: {
        dg_resident(g, dg_reg_person(g, target), 1, &p);
        snprintf(match, sizeof match, "G%s", p.id);
        person_fields(g, &p, hf, row);
        other_school(g, &p, hs, row);
        size_t sb = dg_surname_bytes(g, p.name, p.style);
        if (cat == DG_DUP_ID_TYPO) {
            dg_id_typo(p.id, hn, row->id);
            noisy_id = 0;
        } else if (cat == DG_DUP_EXCEL_ID) {
            excel_damage(p.id, hn, row->id, sizeof row->id);
            keep_guardian = 1;
            noisy_id = 0;
        } else if (cat == DG_DUP_NAME_TYPO) {
            if (dg_typo_name(g, p.name, sb, (hn >> 20) & 1, hn, tmp, sizeof tmp))
                copy(row->name, sizeof row->name, tmp);
            else
                cat = DG_DUP_OTHER_SCHOOL;
        } else if (cat == DG_DUP_NO_ID) {
            row->id[0] = '\0';
            copy(row->id_type, sizeof row->id_type, (hn >> 40) & 1 ? "无" : "");
            keep_guardian = 1;
        } else if (cat == DG_DUP_FORMER_NAME) {
            if (p.former[0])
                copy(row->name, sizeof row->name, p.former);
            else
                cat = DG_DUP_OTHER_SCHOOL;
        } else if (cat == DG_REVIEW_G) {
            dg_typo_name(g, p.name, sb, 1, hn, tmp, sizeof tmp);
            copy(row->name, sizeof row->name, tmp);
            copy(row->id_type, sizeof row->id_type, (hn >> 40) & 1 ? "无" : "");
            row->id[0] = row->guardian_name[0] = row->guardian_id[0] = row->hukou[0] = '\0';
            keep_guardian = 1;
        }
        break;
    }
    case DG_J_HMT:
    case DG_J_PASSPORT: {
        uint64_t n = g->cfg.registry + b;
        dg_jperson(g, n, cat == DG_J_HMT ? g->hmt_batch_base + b : UINT64_MAX, &p);
        if (cat == DG_J_PASSPORT)
            dg_passport(g, n, p.id);
        person_fields(g, &p, hf, row);
        copy(row->id_type, sizeof row->id_type, cat == DG_J_HMT ? "港澳台居民居住证" : "护照");
        row->guardian_id[0] = '\0';
        row->ethnicity[0] = '\0';
        noisy_id = 0;
        break;
    }
    case DG_POP_NOT_FOUND:
        dg_resident(g, g->cfg.population + b, 1, &p);
        person_fields(g, &p, hf, row);
        break;
    default: {
        /* Everything else is about the row's own fresh resident. */
        dg_resident(g, dg_fresh_person(g, b), 1, &p);
        person_fields(g, &p, hf, row);
        if (cat == DG_NEW_FORMER_NAME) {
            if (p.former[0])
                copy(row->name, sizeof row->name, p.former);
            else
                cat = DG_NEW_CLEAN;
        } else if (cat == DG_J_NO_ID) {
            static const char *const types[] = {"无", "无", "居民身份证", ""};
            copy(row->id_type, sizeof row->id_type, types[hn & 3]);
            row->id[0] = '\0';
            keep_guardian = 1;
        } else if (cat == DG_INVALID_CHECKSUM) {
            dg_id_typo(p.id, hn, row->id);
            noisy_id = 0;
        } else if (cat == DG_INVALID_EXCEL) {
            excel_damage(p.id, hn, row->id, sizeof row->id);
            noisy_id = 0;
        } else if (cat == DG_INVALID_MISSING) {
            char *fields[] = {row->name, row->gender, row->birth, row->school_code,
                              row->school_region};
            fields[hn % 5][0] = '\0';
        } else if (cat == DG_INVALID_DATE) {
            /* Dates no calendar has, in the formats schools use. */
            static const char *const bad[] = {"-02-30", "-04-31", "-13-05",
                                              "-00-10", "-06-31", "0231"};
            snprintf(row->birth, sizeof row->birth, "%04u%s", p.birth / 10000, bad[hn % 6]);
        } else if (cat == DG_POP_NAME) {
            size_t sb = 0;
            uint64_t h = hn;
            for (int k = 0; k < 16; k++, h = h * 0x9E3779B97F4A7C15ull + 1) {
                dg_random_name(g, p.style, !p.male, h, tmp, sizeof tmp, &sb);
                if (strcmp(tmp, p.name) != 0 && strcmp(tmp, p.former) != 0 &&
                    (p.style != DG_STYLE_HAN || strncmp(tmp, p.name, sb) != 0))
                    break;
            }
            copy(row->name, sizeof row->name, tmp);
        } else if (cat == DG_POP_GENDER) {
            fmt_gender(!p.male, hf, g->cfg.alt_format, row->gender, sizeof row->gender);
        } else if (cat == DG_POP_BIRTH) {
            /* A real date one to three days off, inside the school ages. */
            uint32_t lo = 0, hi = g->ndates - 1;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (g->dates[mid] < p.birth)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            uint32_t delta = 1 + (uint32_t)(hn % 3);
            uint32_t i = lo >= delta && ((hn >> 9) & 1) ? lo - delta : lo + delta;
            if (i >= g->ndates)
                i = lo - delta;
            fmt_date(g->dates[i], hf * 0x9E3779B97F4A7C15ull, g->cfg.alt_format, row->birth,
                     sizeof row->birth);
        }
        break;
    }
    }
    fmt_record_id(b, row->record_id, sizeof row->record_id);
    name_noise(g, b, row, p.style);
    if (noisy_id)
        id_noise(g, b, row);
    clear_optional(g, b, row, keep_guardian);
    set_truth(row, cat, match);
}

void dg_batch_build(const xj_datagen *g, uint64_t b, dg_batch_row *row)
{
    build(g, b, row);
}
