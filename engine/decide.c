/*
 * decide.c: one decision per row, by the precedence of interface.md:
 * BATCH_DUPLICATE, DUPLICATE, REVIEW, INVALID, POP_MISMATCH, ASSIGNED_G/J.
 * (Duplicates inside the batch are found afterwards, in input order, by
 * batch.c, which may turn any of these into BATCH_DUPLICATE.)
 *
 * Rules cited: policy/000 一、1 (G after the national duplicate check and
 * the population comparison; J for a child without an ID who passes the
 * duplicate check) and 二 (a child already registered must transfer, never
 * re-register: DUPLICATE outranks everything the row itself gets wrong).
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* Score points within which a second candidate counts as a rival. */
#define RIVAL_MARGIN 10.0

typedef struct scored {
    const xj_record *rec;
    xj_comparison cmp;
    match_class cls;
} scored;

/* Best first; ties broken by the student number so that the order never
 * depends on the order the index returned candidates in. */
static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls > y->cls ? -1 : 1;
    if (x->cmp.score != y->cmp.score)
        return x->cmp.score > y->cmp.score ? -1 : 1;
    return memcmp(x->rec->key.b, y->rec->key.b, sizeof x->rec->key.b);
}

/* Which of several registrations that fit about as well to name first.  The
 * score cannot tell them apart; where the child is registered can: most
 * people who live away from their hukou stayed in its city or province.
 * The 2020 census (第七次全国人口普查公报 第七号) counted 492.76 M such
 * people: 116.94 M within the districts of one city, 250.98 M elsewhere in
 * their province, 124.84 M across provinces.  Two unrelated namesakes share
 * a province about one time in twenty and a prefecture about one time in
 * two hundred.  So among the rivals, one registered (school or hukou) in the
 * prefecture or else the province of the row's school is named first (its
 * number, score and reasons); the decision does not change. */
#define PREFECTURE_PREFER 5.6 /* log2(.24 / .005), for the ordering only */
#define PROVINCE_PREFER   3.2 /* log2(.51 / .055), for the ordering only */

static int shares_prefix(const char *a, const char *b, size_t n)
{
    return strlen(a) >= n && strlen(b) >= n && memcmp(a, b, n) == 0;
}

static double region_affinity(const xj_row *row, const xj_record *c)
{
    const char *p = row->rec.school_region;
    if (shares_prefix(c->school_region, p, 4) || shares_prefix(c->hukou_region, p, 4))
        return PREFECTURE_PREFER;
    if (shares_prefix(c->school_region, p, 2) || shares_prefix(c->hukou_region, p, 2))
        return PROVINCE_PREFER;
    return 0.0;
}

/* Two more things the score leaves out tell rivals apart, again for the
 * ordering only.
 *
 * The written name, when the rivals all sound like the row's: a name typed
 * with a pinyin input method goes wrong in one character (the wrong one of
 * the homophones offered), seldom in two, while an unrelated child whose
 * name reads the same differs in about as many places as not (张子涵,
 * 张梓涵, 张紫涵, 张子晗 ...).  Each place beyond the first at which a
 * homophone differs from the row costs HOMOPHONE_PLACE, about
 * log2(.85 / .35).
 *
 * The ethnicity (民族), which a child keeps from the hukou: when both
 * records hold one that can be read, agreeing on a minority is strong
 * evidence (the largest, 壮族, is about 1.4 % of the nation in the 2020
 * census: log2(.98 / .014) = 6.1, taken as ETHNIC_MINORITY_PREFER to be
 * conservative), agreeing on 汉族 (about 91 %) none, and disagreeing is
 * evidence against (m about .015 for a clerk's slip or a change, u about
 * .17 among namesakes). */
#define HOMOPHONE_PLACE        1.3
#define ETHNIC_MINORITY_PREFER 4.0
#define ETHNIC_DIFFER          -3.0

static double writing_affinity(const xj_row *row, const scored *s)
{
    if (s->cmp.name != NAME_PINYIN)
        return 0.0;
    int d = xj__name_places_differ(row->rec.name, s->rec->name);
    return d > 1 ? -HOMOPHONE_PLACE * (d - 1) : 0.0;
}

static double ethnic_affinity(unsigned row_code, const xj_record *c)
{
    unsigned cc;
    if (!row_code || xj_ethnicity_parse(c->ethnicity, strlen(c->ethnicity), &cc) != XJ_OK)
        return 0.0;
    if (cc != row_code)
        return ETHNIC_DIFFER;
    return row_code == XJ_ETHNICITY_HAN ? 0.0 : ETHNIC_MINORITY_PREFER;
}

static double affinity(const xj_row *row, unsigned row_code, const scored *s)
{
    return s->cmp.score + region_affinity(row, s->rec) + writing_affinity(row, s) +
           ethnic_affinity(row_code, s->rec);
}

/* The ID equal, the names not: a name another in writing and in sound, or
 * one slip away (or the same sound) with the other gender or another birth
 * date (even one digit off: siblings' birthdays can be).  Siblings are given names that differ in one character or not at
 * all in sound (李一诺/李一鸣, 王浩/王宇, 赵毅/赵怡), and a slip in the name
 * together with another gender or birth date is rarer than one ID copied
 * from a brother or sister. */
static int id_without_name(const xj_comparison *c)
{
    int slip = c->name != NAME_EQ && c->name != NAME_MISSING;
    /* A twin of the same gender, too: the same family and birth date, a
     * name one written character apart (王浩宇/王浩然, twins often share a
     * generation character) or one shorter (xj__twin_like). */
    int other = c->name == NAME_DIFF || (xj__twin_like(c) && c->family) ||
                (slip && (c->gender == CMP_DIFF || c->birth == CMP_DIFF || c->birth == CMP_NEAR));
    return c->id == CMP_EQ && other;
}

/* 1 when name is the population person's current or a former name. */
static int hukou_name(const xj_person *p, const char *name)
{
    if (xj_name_same(name, p->name))
        return 1;
    for (unsigned i = 0; i < p->nformer; i++)
        if (xj_name_same(name, p->former[i]))
            return 1;
    return 0;
}

/* 1 when the population record p (NULL: none) holds names a and b, one
 * current and one former, and the comparison's birth date and gender do
 * not both disagree as well: the hukou vouches for the names, not for
 * such a row. */
static int renamed(const xj_comparison *c, const char *a, const char *b, const xj_person *p)
{
    return p && hukou_name(p, a) && hukou_name(p, b) &&
           !(c->birth == CMP_DIFF && c->gender == CMP_DIFF);
}

int xj__id_name_conflict(const xj_comparison *c, const char *a, const char *b, const xj_person *p)
{
    return id_without_name(c) && !renamed(c, a, b, p);
}

/* The ID the same and the name another (id_without_name): the hukou
 * decides.  A registration's name changes only after the hukou's does
 * (policy/002 二（四）: 学籍信息修改的依据是户籍信息), and its name and ID
 * are never both changed.  When the population database holds both names
 * for this ID, one current and one former, the child was renamed: the
 * match stands, with NAME_FORMER as its evidence.  Otherwise the ID may
 * have been copied from another child (a twin's or a sibling's, a common
 * slip on family forms) or the renaming is not on record: a person decides
 * (ID_NAME_CONFLICT), never a merge that would take that other child's
 * registration. */
static void hukou_decides(const xj_row *row, const xj_found *found, scored *s)
{
    if (!id_without_name(&s->cmp))
        return;
    const xj_person *p = found->has_person ? &found->person : NULL;
    if (renamed(&s->cmp, row->rec.name, s->rec->name, p)) {
        xj_reasons_add(&s->cmp.reasons, XJ_R_NAME_FORMER);
        return;
    }
    xj_reasons_add(&s->cmp.reasons, XJ_R_ID_NAME_CONFLICT);
    if (s->cls == MATCH_DUPLICATE)
        s->cls = MATCH_REVIEW;
}

static void merge_reasons(xj_reasons *into, const xj_reasons *from)
{
    for (size_t i = 0; i < sizeof into->bits / sizeof into->bits[0]; i++)
        into->bits[i] |= from->bits[i];
}

/* The population comparison of a row with a usable resident ID.  Returns 1
 * when it passes. */
static int population_check(const xj_row *row, const xj_found *found, xj_reasons *reasons)
{
    if (!found->has_person) {
        xj_reasons_add(reasons, XJ_R_POP_NOT_FOUND);
        return 0;
    }
    const xj_person *p = &found->person;
    int ok = 1;
    if (p->status == XJ_PERSON_DECEASED) {
        xj_reasons_add(reasons, XJ_R_POP_DECEASED);
        ok = 0;
    } else if (p->status == XJ_PERSON_CANCELLED) {
        xj_reasons_add(reasons, XJ_R_POP_CANCELLED);
        ok = 0;
    }
    /* The name must equal the current or a former name after
     * normalization: a homophone is a different name on the hukou. */
    if (xj_name_same(row->rec.name, p->name)) {
        xj_reasons_add(reasons, XJ_R_POP_NAME_EQ);
    } else {
        int former = 0;
        for (unsigned i = 0; i < p->nformer && !former; i++)
            former = xj_name_same(row->rec.name, p->former[i]);
        if (former) {
            xj_reasons_add(reasons, XJ_R_POP_FORMER_NAME);
        } else {
            xj_reasons_add(reasons, XJ_R_POP_NAME_MISMATCH);
            ok = 0;
        }
    }
    if (row->rec.gender != p->gender || xj_reasons_has(&row->reasons, XJ_R_ID_GENDER_MISMATCH)) {
        xj_reasons_add(reasons, XJ_R_POP_GENDER_MISMATCH);
        ok = 0;
    }
    if (row->rec.birth != p->birth || xj_reasons_has(&row->reasons, XJ_R_ID_BIRTH_MISMATCH)) {
        xj_reasons_add(reasons, XJ_R_POP_BIRTH_MISMATCH);
        ok = 0;
    }
    return ok;
}

static int inactive(const xj_record *r)
{
    return r->status != XJ_STATUS_ENROLLED && r->status != XJ_STATUS_SUSPENDED;
}

static int within_margin(const scored *best, const scored *o)
{
    return o->cmp.score >= best->cmp.score - RIVAL_MARGIN;
}

/* Returns which of the rivals of the best candidate (its class, within
 * RIVAL_MARGIN) to name: the one nearest the row's school; the best (0) when
 * no rival is preferred more. */
static size_t name_rival(const xj_row *row, const scored *s, size_t n)
{
    size_t pick = 0;
    unsigned code = 0;
    if (xj_ethnicity_parse(row->rec.ethnicity, strlen(row->rec.ethnicity), &code) != XJ_OK)
        code = 0;
    double best = affinity(row, code, &s[0]);
    /* Only a listed candidate can be named. */
    for (size_t i = 1; i < n && i < XJ_CANDIDATES_MAX; i++) {
        if (s[i].cls != s[0].cls || !within_margin(&s[0], &s[i]))
            continue;
        double adj = affinity(row, code, &s[i]);
        if (adj > best) {
            best = adj;
            pick = i;
        }
    }
    return pick;
}

void xj__decide(const xj_engine *e, const xj_row *row, const xj_found *found,
                const xj_name_stats *ns, xj_verdict *v)
{
    memset(v, 0, sizeof *v);
    if (found->has_person) {
        v->person_found = 1;
        v->person = found->person;
    }
    v->reasons = row->reasons;
    snprintf(v->detail, sizeof v->detail, "%s", row->detail);

    scored s[ROW_CAND_MAX];
    size_t n = 0;
    for (size_t i = 0; i < found->ncand; i++) {
        s[n].rec = &found->cand[i];
        xj__compare(row, &found->cand[i], ns, &s[n].cmp);
        s[n].cls = xj__classify(e, &s[n].cmp);
        hukou_decides(row, found, &s[n]);
        n++;
    }
    qsort(s, n, sizeof s[0], by_score);

    for (size_t i = 0; i < n && v->ncandidates < XJ_CANDIDATES_MAX; i++) {
        xj_candidate *c = &v->candidates[v->ncandidates++];
        c->rec = *s[i].rec;
        c->score = s[i].cmp.score;
        c->reasons = s[i].cmp.reasons;
    }
    if (n > 0) {
        v->has_score = 1;
        v->score = s[0].cmp.score;
    }

    if (n > 0 && s[0].cls != MATCH_NONE) {
        const scored *best = &s[0];
        /* Two different registrations that both fit: a person decides which
         * one this child holds, unless only one carries the child's ID.  A
         * rival is a second registration that fits about as well: a weak
         * REVIEW-level namesake does not unsettle a clear DUPLICATE. */
        /* Nor does a brother or sister (SIBLING) unsettle a DUPLICATE: the
         * row is the child it names, not the twin it is reviewed against
         * when nothing else fits. */
        int rival = n > 1 && s[1].cls != MATCH_NONE &&
                    (s[1].cls == best->cls || within_margin(best, &s[1])) &&
                    !(best->cmp.id == CMP_EQ && s[1].cmp.id != CMP_EQ) &&
                    !(best->cls == MATCH_DUPLICATE && s[1].cmp.sibling);
        size_t named = rival ? name_rival(row, s, n) : 0;
        const scored *m = &s[named];
        merge_reasons(&v->reasons, &m->cmp.reasons);
        snprintf(v->matched, sizeof v->matched, "%s", m->rec->student_number);
        v->score = m->cmp.score;
        if (inactive(m->rec))
            xj_reasons_add(&v->reasons, XJ_R_CANDIDATE_INACTIVE);
        /* The named registration leads the candidate list. */
        if (named && named < v->ncandidates) {
            xj_candidate lead = v->candidates[named];
            memmove(&v->candidates[1], &v->candidates[0], named * sizeof v->candidates[0]);
            v->candidates[0] = lead;
        }
        if (best->cls == MATCH_DUPLICATE && !rival) {
            v->decision = XJ_DUPLICATE;
        } else {
            if (rival)
                xj_reasons_add(&v->reasons, XJ_R_MULTIPLE_CANDIDATES);
            v->decision = XJ_REVIEW;
        }
        return;
    }

    if (row->invalid) {
        v->decision = XJ_INVALID;
        return;
    }
    if (row->id_usable) {
        v->has_person = found->has_person;
        v->decision = population_check(row, found, &v->reasons) ? XJ_ASSIGNED_G : XJ_POP_MISMATCH;
        return;
    }
    v->decision = XJ_ASSIGNED_J;
}
