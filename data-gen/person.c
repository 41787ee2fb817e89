/*
 * person.c: who the people of the synthetic nation are.  Every attribute of
 * resident person p (or J-domain student n) is a pure function of the seed
 * and the index; see datagen_int.h for the layout of the identity grid that
 * keeps resident IDs and J numbers unique without any table.
 */
#include <stdio.h>
#include <string.h>

#include "datagen_int.h"
#include "xj/normalize.h"

/* Shares of the attributes that have no knob: kept here, documented in the
 * README. */
#define HUKOU_SAME_AS_ID  0.92 /* the rest moved their hukou inside the province */
#define FATHER_GUARDIAN   0.75
#define GUARDIAN_LOCAL    0.85 /* guardian's ID issued in the child's county */
#define TIBETAN_DOT       0.3  /* Tibetan names written with a dot between parts */
#define SINGLE_CHAR_CHILD 0.12
#define WHOLE_NAME_CHILD  0.10
#define SINGLE_CHAR_ADULT 0.35

/* ---- identity grid -------------------------------------------------------- */

typedef struct slot {
    uint32_t county, date, seq_base;
} slot;

static uint32_t county_of_unit(const xj_datagen *g, uint64_t unit)
{
    uint32_t lo = 0, hi = g->ncounties - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (g->counties[mid].unit_start <= unit)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Places index j of a domain on the grid: a slot (county unit, birth date)
 * and a group of 8 sequence numbers within the county. */
static void locate(const xj_datagen *g, uint64_t key, uint64_t j, uint64_t groups, slot *s)
{
    uint64_t x = dg_permute(key, j, g->slots * groups);
    uint64_t cell = x % g->slots, grp = x / g->slots;
    uint64_t unit = cell / g->ndates;
    s->date = (uint32_t)(cell % g->ndates);
    s->county = county_of_unit(g, unit);
    uint64_t kin = unit - g->counties[s->county].unit_start;
    s->seq_base = (uint32_t)(8 * (kin * groups + grp) + 1);
}

void dg_make_id(const char *county6, uint32_t yyyymmdd, uint32_t seq, char out[19])
{
    memcpy(out, county6, 6);
    for (int i = 13; i >= 6; i--) {
        out[i] = (char)('0' + yyyymmdd % 10);
        yyyymmdd /= 10;
    }
    out[14] = (char)('0' + seq / 100 % 10);
    out[15] = (char)('0' + seq / 10 % 10);
    out[16] = (char)('0' + seq % 10);
    out[17] = xj_idcard_check_char(out);
    out[18] = '\0';
}

int dg_grade(const xj_datagen *g, uint32_t yyyymmdd)
{
    int year = (int)(yyyymmdd / 10000), month = (int)(yyyymmdd / 100 % 100);
    int cohort = month >= 9 ? year + 1 : year;
    int grade = g->cfg.school_year - 5 - cohort;
    return grade < 1 ? 1 : grade > 12 ? 12 : grade;
}

const char *dg_grade_label(int grade)
{
    static const char *const labels[] = {"一年级", "二年级", "三年级", "四年级", "五年级", "六年级",
                                         "七年级", "八年级", "九年级", "高一",   "高二",   "高三"};
    return labels[(grade < 1 ? 1 : grade > 12 ? 12 : grade) - 1];
}

/* ---- registry and batch layout ------------------------------------------ */

int dg_reg_kind(uint64_t k)
{
    uint64_t pos = k % 256;
    return pos < 251 ? DG_REG_G : pos == 251 ? DG_REG_L : DG_REG_J;
}

int dg_reg_is_hmt(uint64_t k)
{
    return k % 2048 == 2047;
}

uint64_t dg_reg_person(const xj_datagen *g, uint64_t k)
{
    return k < g->even_persons ? 2 * k : 2 * (k - g->even_persons) + 1;
}

uint64_t dg_g_row(uint64_t rank)
{
    return 256 * (rank / 251) + rank % 251;
}

uint64_t dg_j_row(uint64_t rank)
{
    return 256 * (rank / 4) + 252 + rank % 4;
}

uint64_t dg_fresh_person(const xj_datagen *g, uint64_t b)
{
    if (b < g->unreg_odd)
        return 2 * (g->reg_odd + b) + 1;
    return 2 * (g->reg_even + b - g->unreg_odd);
}

uint64_t dg_fresh_row(const xj_datagen *g, uint64_t p)
{
    uint64_t t;
    if (p >= g->cfg.population)
        return UINT64_MAX;
    if (p & 1) {
        uint64_t m = p >> 1;
        if (m < g->reg_odd)
            return UINT64_MAX;
        t = m - g->reg_odd;
    } else {
        uint64_t k = p >> 1;
        if (k < g->reg_even)
            return UINT64_MAX;
        t = g->unreg_odd + k - g->reg_even;
    }
    return t < g->cfg.batch ? t : UINT64_MAX;
}

/* ---- names ---------------------------------------------------------------- */

static size_t append(char *out, size_t cap, size_t len, const char *s)
{
    size_t n = strlen(s);
    if (len + n + 1 > cap)
        n = len + 1 < cap ? cap - len - 1 : 0;
    memcpy(out + len, s, n);
    out[len + n] = '\0';
    return len + n;
}

void dg_given_name(const xj_datagen *g, int adult, int female, uint64_t h1, uint64_t h2, char *out,
                   size_t cap)
{
    const dg_pool *chars = &g->given[adult][female][0];
    const dg_pool *whole = &g->given[adult][female][1];
    double u = dg_unit(h1);
    out[0] = '\0';
    if (!adult && whole->n && u < WHOLE_NAME_CHILD) {
        append(out, cap, 0, dg_pool_pick(whole, h2));
        return;
    }
    double single = adult ? SINGLE_CHAR_ADULT : SINGLE_CHAR_CHILD;
    const char *a = dg_pool_pick(chars, h2);
    size_t len = append(out, cap, 0, a);
    if (dg_unit(h1 * 0x9E3779B97F4A7C15ull) < single)
        return;
    /* The second character is drawn from the same weighted pool; a doubled
     * character (婷婷) stays, as it does in real names, but only by chance. */
    const char *b = dg_pool_pick(chars, h2 * 0xC2B2AE3D27D4EB4Full + 0x165667B19E3779F9ull);
    append(out, cap, len, b);
}

/* A name of the given style; fam draws what a family shares (surname,
 * father's name), own what is the person's own. */
static void compose_name(const xj_datagen *g, int style, int female, uint64_t fam_surname,
                         uint64_t fam_father, uint64_t own1, uint64_t own2, uint64_t own3,
                         char *out, size_t cap, size_t *surname_bytes)
{
    char given[64];
    size_t len = 0;
    out[0] = '\0';
    switch (style) {
    case DG_STYLE_UYGHUR:
    case DG_STYLE_KAZAKH:
        len = append(out, cap, 0, dg_pool_pick(&g->minority[style][female], own1));
        len = append(out, cap, len, "·");
        append(out, cap, len, dg_pool_pick(&g->minority[style][2], fam_father));
        *surname_bytes = 0;
        return;
    case DG_STYLE_TIBETAN: {
        const char *a = dg_pool_pick(&g->minority[style][female], own1);
        const char *b = dg_pool_pick(&g->minority[style][female], own2);
        if (strcmp(a, b) == 0)
            b = dg_pool_pick(&g->minority[style][female ^ 1], own2);
        len = append(out, cap, 0, a);
        if (dg_unit(own3) < TIBETAN_DOT)
            len = append(out, cap, len, "·");
        append(out, cap, len, b);
        *surname_bytes = 0;
        return;
    }
    default:
        len = append(out, cap, 0, dg_pool_pick(&g->surnames, fam_surname));
        *surname_bytes = len;
        dg_given_name(g, 0, female, own1, own2, given, sizeof given);
        append(out, cap, len, given);
        return;
    }
}

void dg_random_name(const xj_datagen *g, int style, int female, uint64_t h, char *out, size_t cap,
                    size_t *surname_bytes)
{
    compose_name(g, style, female, h, h * 0x9E3779B97F4A7C15ull + 1, h * 0xC2B2AE3D27D4EB4Full + 2,
                 h * 0x165667B19E3779F9ull + 3, h ^ 0x5555, out, cap, surname_bytes);
}

size_t dg_surname_bytes(const xj_datagen *g, const char *name, int style)
{
    if (style != DG_STYLE_HAN)
        return 0;
    /* Compound surnames are six bytes; try them first. */
    for (uint32_t i = 0; i < g->surnames.n; i++) {
        size_t n = strlen(g->surnames.text[i]);
        if (n > 3 && strncmp(name, g->surnames.text[i], n) == 0)
            return n;
    }
    return strlen(name) >= 3 ? 3 : 0;
}

static void guardian(const xj_datagen *g, unsigned fam_dom, uint64_t fam, int style,
                     const char *child_surname, size_t surname_bytes, uint32_t child_birth,
                     uint32_t county, dg_person *out)
{
    uint64_t h = dg_hash(g, fam_dom, fam, F_GUARD);
    uint64_t h2 = dg_hash(g, fam_dom, fam, F_GUARD2);
    int father = dg_unit(h) < FATHER_GUARDIAN;
    char given[64];
    size_t len = 0;
    out->guardian_name[0] = '\0';
    if (style == DG_STYLE_HAN) {
        if (father) {
            memcpy(out->guardian_name, child_surname, surname_bytes);
            len = surname_bytes;
            out->guardian_name[len] = '\0';
        } else {
            len = append(out->guardian_name, sizeof out->guardian_name, 0,
                         dg_pool_pick(&g->surnames, h2));
        }
        dg_given_name(g, 1, !father, h2 * 31 + 7, h * 17 + 3, given, sizeof given);
        append(out->guardian_name, sizeof out->guardian_name, len, given);
    } else {
        size_t sb = 0;
        compose_name(g, style, !father, h2, dg_hash(g, fam_dom, fam, F_GIVEN2), h * 31 + 1,
                     h2 * 7 + 5, h2, out->guardian_name, sizeof out->guardian_name, &sb);
    }
    /* The guardian's own ID: born 1970-1995, 20 to 42 years before the child. */
    uint64_t hid = dg_hash(g, fam_dom, fam, F_GUARD_ID);
    int child_year = (int)(child_birth / 10000);
    int lo = child_year - 42, hi = child_year - 20;
    if (lo < 1970)
        lo = 1970;
    if (hi > 1995)
        hi = 1995;
    if (hi < lo)
        hi = lo;
    int year = lo + (int)dg_below(hid, (uint32_t)(hi - lo + 1));
    int month = 1 + (int)(hid >> 8 & 0xff) % 12;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int dim = mdays[month - 1] + (month == 2 && year % 4 == 0);
    int day = 1 + (int)(hid >> 16 & 0xffff) % dim;
    uint32_t seq = 2 * (uint32_t)((hid >> 32) % 499) + (father ? 1u : 2u);
    uint32_t gc = dg_unit(hid * 0x9E3779B97F4A7C15ull) < GUARDIAN_LOCAL
                      ? county
                      : dg_below(hid * 0xC2B2AE3D27D4EB4Full, g->ncounties);
    dg_make_id(g->counties[gc].code, (uint32_t)(year * 10000 + month * 100 + day), seq,
               out->guardian_id);
}

static void school_of(const xj_datagen *g, unsigned dom, uint64_t idx, uint32_t home, int grade,
                      dg_person *out)
{
    uint64_t h = dg_hash(g, dom, idx, F_MIGRANT);
    uint32_t county = home;
    if (dg_unit(h) < g->cfg.migrant_rate) {
        /* Migrant children go to school where people are: a county drawn by
         * population weight. */
        uint64_t unit =
            (uint64_t)(((unsigned __int128)(h * 0x9E3779B97F4A7C15ull) * g->units) >> 64);
        county = county_of_unit(g, unit);
    }
    out->school = county;
    uint32_t units = g->counties[county].units;
    uint32_t first, n;
    if (grade <= 6) {
        first = 0;
        n = 6 * units + 4;
        if (n > 500)
            n = 500;
    } else if (grade <= 9) {
        first = 500;
        n = 3 * units + 2;
        if (n > 300)
            n = 300;
    } else {
        first = 800;
        n = units + 1;
        if (n > 200)
            n = 200;
    }
    uint32_t num = first + dg_below(dg_hash(g, dom, idx, F_SCHOOL), n);
    /* 1 + county + 3-digit school number, formatted by hand (hot path). */
    out->school_code[0] = '1';
    memcpy(out->school_code + 1, g->counties[county].code, 6);
    out->school_code[7] = (char)('0' + num / 100);
    out->school_code[8] = (char)('0' + num / 10 % 10);
    out->school_code[9] = (char)('0' + num % 10);
    out->school_code[10] = '\0';
}

/* The ethnicity and naming style of a family of province prov. */
static void ethnicity_of(const xj_datagen *g, int prov, uint64_t h, dg_person *out)
{
    const dg_ethmix *e = &g->eth[prov];
    uint32_t r = dg_below(h, 1000);
    for (uint8_t i = 0; i < e->n; i++) {
        if (r < e->cum[i] || i + 1 == e->n) {
            out->ethnicity = e->ethnicity[i];
            out->style = e->style[i];
            return;
        }
    }
}

/* ---- residents ------------------------------------------------------------ */

/* 0: no twin; 1: a boy-girl pair (consecutive sequence numbers); 2: same sex
 * (sequence numbers two apart). */
static int pair_twin(const xj_datagen *g, uint64_t m, dg_category odd_cat)
{
    if (odd_cat == DG_TWIN)
        return 1 + (int)(dg_hash(g, D_PAIR, m, F_TWIN) >> 63);
    if (odd_cat == DG_NAMESAKE)
        return 0;
    uint64_t h = dg_hash(g, D_PAIR, m, F_TWIN);
    if (dg_unit(h) < g->cfg.pop_twin_rate)
        return 1 + (int)(h & 1);
    return 0;
}

void dg_resident(const xj_datagen *g, uint64_t p, int full, dg_person *out)
{
    memset(out, 0, sizeof *out);
    uint64_t m = p >> 1;
    int odd = (int)(p & 1);
    uint64_t odd_row = dg_fresh_row(g, 2 * m + 1);
    dg_category odd_cat = DG_NEW_CLEAN;
    if (odd_row != UINT64_MAX) {
        uint64_t e, t;
        odd_cat = dg_batch_category(g, odd_row, &e, &t);
    }
    int twin = pair_twin(g, m, odd_cat);
    int namesake = odd_cat == DG_NAMESAKE;
    out->twin = (uint8_t)twin;

    slot s;
    uint32_t off;
    if (!odd || twin || namesake) {
        locate(g, g->key_pair, m, g->res_groups, &s);
        uint32_t off0 = (uint32_t)(dg_hash(g, D_PAIR, m, F_SEQ) & 3);
        if (!odd)
            off = off0;
        else if (twin == 1)
            off = off0 ^ 1;
        else
            off = off0 ^ 2; /* same-sex twins and namesakes */
    } else {
        locate(g, g->key_odd, m, g->res_groups, &s);
        off = 4 + (uint32_t)(dg_hash(g, D_RES, p, F_SEQ) & 3);
    }
    uint32_t seq = s.seq_base + off;
    out->male = (uint8_t)(seq & 1);
    out->birth = g->dates[s.date];
    out->county = s.county;
    out->grade = (uint8_t)dg_grade(g, out->birth);
    const char *code = g->counties[s.county].code;
    dg_make_id(code, out->birth, seq, out->id);

    /* What a family shares comes from the pair for twins, else the person. */
    unsigned fdom = twin ? D_PAIR : D_FAM;
    uint64_t fidx = twin ? m : p;
    ethnicity_of(g, g->counties[s.county].prov, dg_hash(g, fdom, fidx, F_ETH), out);
    int female = !out->male;
    size_t sb = 0;
    uint64_t own1 = dg_hash(g, D_RES, p, F_GIVEN), own2 = dg_hash(g, D_RES, p, F_GIVEN2);
    compose_name(g, out->style, female, dg_hash(g, fdom, fidx, F_SURNAME),
                 dg_hash(g, fdom, fidx, F_GIVEN2), own1, own2, own1 ^ own2, out->name,
                 sizeof out->name, &sb);
    if (twin && odd) {
        /* Twins never share a given name: redraw until it differs from the
         * sibling's (the sibling is drawn the same way from p-1). */
        char sib[96];
        size_t sb2 = 0;
        uint64_t s1 = dg_hash(g, D_RES, p - 1, F_GIVEN), s2 = dg_hash(g, D_RES, p - 1, F_GIVEN2);
        compose_name(g, out->style, out->male ? 0 : 1, dg_hash(g, fdom, fidx, F_SURNAME),
                     dg_hash(g, fdom, fidx, F_GIVEN2), s1, s2, s1 ^ s2, sib, sizeof sib, &sb2);
        for (uint64_t k = 1; strcmp(sib, out->name) == 0 && k < 16; k++) {
            own1 = own1 * 0x9E3779B97F4A7C15ull + k;
            own2 = own2 * 0xC2B2AE3D27D4EB4Full + k;
            compose_name(g, out->style, female, dg_hash(g, fdom, fidx, F_SURNAME),
                         dg_hash(g, fdom, fidx, F_GIVEN2), own1, own2, own1 ^ own2, out->name,
                         sizeof out->name, &sb);
        }
    }
    char surname[32] = "";
    if (sb < sizeof surname) {
        memcpy(surname, out->name, sb);
        surname[sb] = '\0';
    }
    if (namesake && odd) {
        /* A stranger born the same day in the same county who carries the
         * registered partner's exact name. */
        dg_person partner;
        dg_resident(g, p - 1, 0, &partner);
        memcpy(out->name, partner.name, sizeof out->name);
        out->style = partner.style;
        out->ethnicity = partner.ethnicity;
    }

    /* Former names: a different given name under the same surname. */
    uint64_t row = odd ? odd_row : dg_fresh_row(g, p);
    dg_category cat = odd ? odd_cat : DG_NEW_CLEAN;
    if (row != UINT64_MAX && !odd) {
        uint64_t e, t;
        cat = dg_batch_category(g, row, &e, &t);
    }
    uint64_t hf = dg_hash(g, D_RES, p, F_FORMER);
    if (!namesake && (cat == DG_NEW_FORMER_NAME || dg_unit(hf) < g->cfg.pop_former_rate)) {
        uint64_t f1 = hf, f2 = hf * 0x9E3779B97F4A7C15ull + 1;
        for (int k = 0; k < 16; k++) {
            compose_name(g, out->style, female, dg_hash(g, fdom, fidx, F_SURNAME),
                         dg_hash(g, fdom, fidx, F_GIVEN2), f1, f2, f1 ^ f2, out->former,
                         sizeof out->former, &sb);
            if (strcmp(out->former, out->name) != 0)
                break;
            f1 = f1 * 0xC2B2AE3D27D4EB4Full + 11;
            f2 = f2 * 0x9E3779B97F4A7C15ull + 13;
            out->former[0] = '\0';
        }
    }

    uint64_t hh = dg_hash(g, fdom, fidx, F_HUKOU);
    out->hukou = s.county;
    if (dg_unit(hh) >= HUKOU_SAME_AS_ID) {
        int pv = g->counties[s.county].prov;
        out->hukou = g->prov_first[pv] + dg_below(hh * 0x9E3779B97F4A7C15ull, g->prov_count[pv]);
    }
    if (full) {
        guardian(g, fdom, fidx, out->style, surname, strlen(surname), out->birth, out->county, out);
        school_of(g, fdom, fidx, out->hukou, out->grade, out);
    }

    /* Population status: persons a batch row relies on get exactly what the
     * row's truth needs; registered students are alive; the rest die or are
     * cancelled at a small rate. */
    out->pop_status = "正常";
    if (row != UINT64_MAX) {
        if (cat == DG_POP_DECEASED)
            out->pop_status = "死亡";
        else if (cat == DG_POP_CANCELLED)
            out->pop_status = "注销";
    } else if (((p & 1) == 0 && (p >> 1) >= g->reg_even) ||
               ((p & 1) == 1 && (p >> 1) >= g->reg_odd)) {
        uint64_t hs = dg_hash(g, D_RES, p, F_STATUS);
        if (dg_unit(hs) < g->cfg.pop_dead_rate)
            out->pop_status = (hs & 0xff) < 180 ? "死亡" : "注销";
    }
}

/* ---- the J domain --------------------------------------------------------- */

/* Permit holders (港澳台居民居住证) get their number, birth date and sex from a
 * bijection of their own index onto (birth date, sequence 500..999): Hong
 * Kong 500-699, Macao 700-749, Taiwan 750-999.  Ordinary J numbers use
 * sequence numbers below 500 (the grid is checked at creation), so the two
 * never meet and both stay unique. */
static void hmt_identity(const xj_datagen *g, uint64_t h, uint32_t *date, uint32_t *seq,
                         const char **code)
{
    uint64_t x = dg_permute(g->key_hmt, h, g->hmt_cap);
    uint32_t r = (uint32_t)(x / g->ndates);
    *date = (uint32_t)(x % g->ndates);
    if (r < 200) {
        *code = "810000";
        *seq = 500 + r;
    } else if (r < 250) {
        *code = "820000";
        *seq = 700 + (r - 200);
    } else {
        *code = "830000";
        *seq = 750 + (r - 250);
    }
}

void dg_jperson(const xj_datagen *g, uint64_t n, uint64_t hmt, dg_person *out)
{
    memset(out, 0, sizeof *out);
    slot s;
    locate(g, g->key_j, n, g->j_groups, &s);
    uint32_t seq = s.seq_base + (uint32_t)(dg_hash(g, D_J, n, F_SEQ) & 7);
    uint32_t date = s.date;
    const char *hmt_code = NULL;
    if (hmt != UINT64_MAX)
        hmt_identity(g, hmt, &date, &seq, &hmt_code);
    out->male = (uint8_t)(seq & 1);
    out->birth = g->dates[date];
    out->county = s.county;
    out->hukou = UINT32_MAX;
    out->grade = (uint8_t)dg_grade(g, out->birth);
    if (hmt_code) {
        out->ethnicity = "汉族";
        out->style = DG_STYLE_HAN;
    } else {
        ethnicity_of(g, g->counties[s.county].prov, dg_hash(g, D_J, n, F_ETH), out);
    }
    size_t sb = 0;
    uint64_t own1 = dg_hash(g, D_J, n, F_GIVEN), own2 = dg_hash(g, D_J, n, F_GIVEN2);
    compose_name(g, out->style, !out->male, dg_hash(g, D_J, n, F_SURNAME),
                 dg_hash(g, D_J, n, F_FORMER), own1, own2, own1 ^ own2, out->name, sizeof out->name,
                 &sb);
    char surname[32] = "";
    if (sb < sizeof surname) {
        memcpy(surname, out->name, sb);
        surname[sb] = '\0';
    }
    guardian(g, D_J, n, out->style, surname, strlen(surname), out->birth, s.county, out);
    /* J students study where their J number says: the county of the slot. */
    school_of(g, D_J, n, s.county, out->grade, out);
    out->school = s.county;
    memcpy(out->school_code + 1, g->counties[s.county].code, 6);
    out->pop_status = "正常";
    out->number[0] = 'J';
    dg_make_id(g->counties[s.county].code, out->birth, seq, out->number + 1);
    if (hmt_code)
        dg_make_id(hmt_code, out->birth, seq, out->id);
}

void dg_l_number(const dg_person *p, const char *county6, char out[20])
{
    /* L + the school's (here: the ID's) county + birth date + 0 + the ID's
     * sequence number: unique because the ID is. */
    out[0] = 'L';
    memcpy(out + 1, county6, 6);
    memcpy(out + 7, p->id + 6, 8);
    out[15] = '0';
    memcpy(out + 16, p->id + 14, 3);
    out[19] = '\0';
}

void dg_passport(const xj_datagen *g, uint64_t n, char out[16])
{
    /* A letter and nine digits; the digits are a bijection of n, so no two
     * students share a passport number. */
    static const char letters[] = "EGKMPS";
    uint64_t x = dg_permute(g->key_pass, n, 1000000000ull);
    snprintf(out, 16, "%c%09llu", letters[x % 6], (unsigned long long)x);
}
