/*
 * compare.c: a row against one candidate, field by field, and the score of
 * the comparison.
 *
 * The score is a Fellegi-Sunter log-likelihood ratio: for each field and
 * agreement level, log2(m/u), where m is the probability of that level when
 * the two records are the same child and u when they are not.  The m and u
 * values below are estimates from how registry data goes wrong (school
 * clerks mistype one character or digit, Excel damages IDs, guardians
 * change between father and mother), not values fitted to the generator;
 * the README lists them.  Names get a term-frequency adjustment: agreeing on
 * 张伟 (about 290,000 people) is much weaker evidence than agreeing on a
 * rare name, so u for an exact name is its frequency in the nation.
 *
 * The score orders candidates and sets the bar; the vetoes in classify()
 * keep it from merging the people a score cannot tell apart: twins and
 * siblings, and namesakes whose valid IDs differ.
 */
#include <math.h>
#include <string.h>

#include "engine_int.h"

/* ---- weights (log2 m/u) ------------------------------------------------------ */

#define W_ID_EQ       30.0 /* m .97, u ~1e-9: two children never share a valid ID */
#define W_ID_NEAR     14.0 /* m .03 (one typo), u ~2e-6 among blocked candidates */
#define W_ID_PREFIX   6.0  /* Excel damage, first 14 digits equal: u ~1/50 among blocked */
#define W_ID_DIFF     -6.0 /* m .015 (two or more typos, a changed ID), u ~1 */
#define W_BAD_ID_DIFF -2.0 /* the row's ID is broken and not one typo from the candidate's */

#define M_NAME_EQ          0.92
#define M_NAME_PINYIN      0.04
#define W_NAME_ONE_CHAR    3.5 /* m .025, u ~.002 among same-birthday candidates */
/* m .01 (a near-homophone typed for the spoken name: chen/cheng, liu/niu),
 * u ~.0003 among same-birthday candidates (the fuzzy key of another child's
 * full name). */
#define W_NAME_PINYIN_NEAR 5.0
/* m .005 (a rare character the school's input method or font lacks, typed
 * as ? * □), u ~.0003: another same-birthday child's name with the same
 * characters in the same places but for the ones left out. */
#define W_NAME_PLACEHOLDER 8.0
/* m .003 (two characters of the given name typed in the other order), u
 * ~.00005: another same-birthday child's name with the same characters. */
#define W_NAME_SWAPPED     6.0
/* m .005 (a character left out, often one the school could not type), u
 * ~.0005 among same-birthday candidates of the same surname. */
#define W_NAME_DROPPED     3.5
#define W_NAME_DIFF        -5.5 /* m .02, u ~1 */
#define W_NAME_EQ_MIN      4.0
#define W_NAME_EQ_MAX      20.0
#define W_PINYIN_MIN       2.0
#define W_PINYIN_MAX       14.0
#define NAME_FREQ_PRIOR    1e-5 /* u of a full name before any frequency is known */
#define PRIOR_PERSONS      1e5

#define W_BIRTH_EQ           12.0 /* m .97, u 1/(13 years x 365 days) */
#define W_BIRTH_NEAR         2.5  /* m .02, u ~.004 */
#define W_BIRTH_DIFF         -6.5
#define W_GENDER_EQ          1.0
#define W_GENDER_DIFF        -5.5
#define W_GUARDIAN_ID_EQ     16.0
#define W_GUARDIAN_ID_DIFF   -2.5 /* the other parent is often listed */
#define W_GUARDIAN_NAME_EQ   7.0
#define W_GUARDIAN_NAME_DIFF -2.5
#define W_HUKOU_EQ           4.0
#define W_HUKOU_DIFF         -2.5
#define W_SCHOOL_REGION_EQ   1.0
#define W_BOTH_NO_ID         3.0  /* m .9, u ~.1 among candidates: few children lack an ID */
#define W_ONE_NO_ID          -1.0 /* an ID left out of a batch row is a common omission */

/* Counts the code points of a UTF-8 string and splits it into them. */
static size_t codepoints(const char *s, int32_t *out, size_t cap)
{
    size_t n = 0, i = 0, len = strlen(s), adv;
    while (i < len && n < cap) {
        out[n++] = xj_utf8_decode((const unsigned char *)s + i, len - i, &adv);
        i += adv;
    }
    return n;
}

/* The marks a school types for a character it cannot enter (a rare
 * character missing from its input method or font), after normalization
 * (which folds the full-width ？ ＊ to ASCII). */
static int is_placeholder(int32_t cp)
{
    return cp == '?' || cp == '*' || cp == 0x25A1 /* □ */ || cp == 0x25A0 /* ■ */ ||
           cp == 0x25CB /* ○ */ || cp == 0x25EF /* ◯ */;
}

/* The levels of two names that differ in writing and in sound, read
 * character by character (one decoding of each):
 *   NAME_PLACEHOLDER  the same length, placeholders on either side, equal
 *                     at every other place, with at least two characters
 *                     known on both sides (王? tells nothing beyond the
 *                     surname);
 *   NAME_ONE_CHAR     the same length, two or more characters, exactly one
 *                     place differs (a one-character typo of any shape:
 *                     张子涵 / 张梓涵, 王己 / 王已);
 *   NAME_SWAPPED      three or more characters, the same surname, two
 *                     neighbours of the given name in the other order
 *                     (李小明 / 李明小);
 *   NAME_DROPPED      the same surname, one character of the given name
 *                     left out of the other, which keeps two at least
 *                     (欧阳子涵 / 欧阳涵, 王梓涵 / 王涵: a rare character
 *                     the school could not type, dropped instead of ?);
 *   else NAME_DIFF. */
static name_level char_level(const char *a, const char *b)
{
    int32_t ca[64], cb[64];
    size_t na = codepoints(a, ca, 64), nb = codepoints(b, cb, 64);
    if (na != nb) {
        const int32_t *lo = na < nb ? ca : cb, *hi = na < nb ? cb : ca;
        size_t nlo = na < nb ? na : nb, nhi = na < nb ? nb : na;
        if (nhi != nlo + 1 || nlo < 2 || lo[0] != hi[0])
            return NAME_DIFF;
        size_t i = 1;
        while (i < nlo && lo[i] == hi[i])
            i++;
        while (i < nlo && lo[i] == hi[i + 1])
            i++;
        return i == nlo ? NAME_DROPPED : NAME_DIFF;
    }
    size_t holes = 0, known = 0, wrong = 0, differ = 0, first = 0;
    for (size_t i = 0; i < na; i++) {
        if (ca[i] != cb[i] && differ++ == 0)
            first = i;
        if (is_placeholder(ca[i]) || is_placeholder(cb[i]))
            holes++;
        else if (ca[i] == cb[i])
            known++;
        else
            wrong++;
    }
    if (holes > 0 && wrong == 0 && known >= 2)
        return NAME_PLACEHOLDER;
    if (na >= 2 && differ == 1)
        return NAME_ONE_CHAR;
    if (na >= 3 && differ == 2 && first >= 1 && first + 1 < na && ca[first] == cb[first + 1] &&
        ca[first + 1] == cb[first])
        return NAME_SWAPPED;
    return NAME_DIFF;
}

/* One substitution or one adjacent transposition between two 18-character
 * IDs: the two commonest typing errors. */
static int one_typo_apart(const char *a, const char *b)
{
    int first = -1, ndiff = 0;
    for (int i = 0; i < 18; i++) {
        if (a[i] != b[i]) {
            if (first < 0)
                first = i;
            ndiff++;
        }
    }
    if (ndiff == 1)
        return 1;
    return ndiff == 2 && first < 17 && a[first] == b[first + 1] && a[first + 1] == b[first] &&
           a[first] != a[first + 1];
}

static cmp_level birth_level(uint32_t a, uint32_t b)
{
    if (!a || !b)
        return CMP_MISSING;
    if (a == b)
        return CMP_EQ;
    unsigned ya = a / 10000, ma = a / 100 % 100, da = a % 100;
    unsigned yb = b / 10000, mb = b / 100 % 100, db = b % 100;
    if (ya == yb && ma == db && da == mb)
        return CMP_NEAR; /* month and day swapped */
    char sa[9], sb[9];
    for (int i = 7; i >= 0; i--, a /= 10, b /= 10) {
        sa[i] = (char)('0' + a % 10);
        sb[i] = (char)('0' + b % 10);
    }
    int ndiff = 0;
    for (int i = 0; i < 8; i++)
        ndiff += sa[i] != sb[i];
    return ndiff == 1 ? CMP_NEAR : CMP_DIFF;
}

static cmp_level text_level(const char *a, const char *b)
{
    if (!a[0] || !b[0])
        return CMP_MISSING;
    return strcmp(a, b) == 0 ? CMP_EQ : CMP_DIFF;
}

/* text_level for names: the same name with or without separator dots. */
static cmp_level person_name_level(const char *a, const char *b)
{
    if (!a[0] || !b[0])
        return CMP_MISSING;
    return xj_name_same(a, b) ? CMP_EQ : CMP_DIFF;
}

static double clamp(double w, double lo, double hi)
{
    return w < lo ? lo : w > hi ? hi : w;
}

/* log2(m/u) with u the frequency of the value among all persons, smoothed
 * towards NAME_FREQ_PRIOR as if PRIOR_PERSONS more persons had been seen:
 * a small index says little about how common a name is, a national one
 * says nearly everything. */
static double tf_weight(double m, uint64_t freq, uint64_t population, double lo, double hi)
{
    double u =
        ((double)freq + NAME_FREQ_PRIOR * PRIOR_PERSONS) / ((double)population + PRIOR_PERSONS);
    return clamp(log2(m / u), lo, hi);
}

/* 1 when the row's ID may be one Excel damaged: flagged so, or ending in 000
 * with a checksum that holds, which is a real ID ending in x000 or a damaged
 * one that passes by chance (one in eleven): xj_idcard_parse cannot tell
 * them apart, a registration with the digits it lost can suggest it. */
static int excel_tail(const xj_row *row, const char *rid)
{
    if (row->idcard.errors & XJ_ID_EXCEL_DAMAGE)
        return 1;
    return row->id_valid && !row->idcard.from_legacy15 && memcmp(rid + 15, "000", 3) == 0;
}

/* Compares the ID evidence.  A row whose ID is broken is compared through
 * its normalized 18 characters, so that a checksum typo still lands NEAR. */
static void compare_id(const xj_row *row, const xj_record *c, xj_comparison *out)
{
    const char *rid = row->id_valid ? row->rec.id : row->has_id18 ? row->idcard.normalized : "";
    if (c->id[0] && rid[0]) {
        if (strcmp(rid, c->id) == 0) {
            out->id = CMP_EQ;
        } else if (one_typo_apart(rid, c->id)) {
            out->id = CMP_NEAR;
        } else if (excel_tail(row, rid) && memcmp(rid, c->id, 14) == 0) {
            /* Excel kept 15 significant digits and zeroed the rest (the
             * 15th may be rounded): county and birth date survive, which
             * many children share, so this is weaker than a typo.  An ID
             * that passes as it is may be another child's real one: a
             * person decides (xj__classify). */
            out->id = CMP_NEAR;
            out->id_prefix_only = 1;
            out->id_tail_valid = row->id_valid;
        } else {
            out->id = CMP_DIFF;
            out->id_conflict = row->id_valid;
        }
        return;
    }
    /* Permits and passports are compared as they were typed. */
    int row_doc = row->rec.id_type == XJ_IDTYPE_PERMIT || row->rec.id_type == XJ_IDTYPE_PASSPORT;
    int cand_doc = c->id_type == XJ_IDTYPE_PERMIT || c->id_type == XJ_IDTYPE_PASSPORT;
    if (c->doc[0] && row->rec.doc[0] && strcmp(c->doc, row->rec.doc) == 0) {
        out->id = CMP_EQ;
        return;
    }
    out->id = CMP_MISSING;
    /* A resident ID on one side and a passport or permit on the other: two
     * documents that cannot both be the child's. */
    if ((row->id_valid && !row_doc && cand_doc && c->doc[0]) ||
        (row_doc && row->rec.doc[0] && c->id[0]))
        out->doc_conflict = 1;
}

/* The levels a comparison of the written forms gives: NAME_MISSING,
 * NAME_EQ, NAME_PINYIN, else NAME_DIFF (the finer levels are
 * compare_name's). */
static name_level spelled_level(const xj_record *r, const xj_record *c)
{
    if (!r->name[0] || !c->name[0])
        return NAME_MISSING;
    if (xj_name_same(r->name, c->name))
        return NAME_EQ;
    if (r->pinyin[0] && strcmp(r->pinyin, c->pinyin) == 0)
        return NAME_PINYIN;
    return NAME_DIFF;
}

static name_level compare_name(const xj_row *row, const xj_record *c)
{
    const xj_record *r = &row->rec;
    name_level spelled = spelled_level(r, c);
    if (spelled != NAME_DIFF)
        return spelled;
    if (r->pinyin[0] && c->pinyin[0]) {
        char fc[XJ_PINYIN_MAX];
        xj_pinyin_fuzzy(c->pinyin, fc, sizeof fc);
        if (strcmp(row->fuzzy, fc) == 0)
            return NAME_PINYIN_NEAR;
    }
    return char_level(r->name, c->name);
}

int xj__name_places_differ(const char *a, const char *b)
{
    int32_t ca[64], cb[64];
    size_t na = codepoints(a, ca, 64), nb = codepoints(b, cb, 64);
    if (na != nb)
        return -1;
    int n = 0;
    for (size_t i = 0; i < na; i++)
        n += ca[i] != cb[i];
    return n;
}

/* 1 when two names of NAME_EQ differ in their separator dots. */
static int dots_differ(const xj_record *r, const xj_record *c)
{
    return strcmp(r->name, c->name) != 0;
}

unsigned xj__freq_needed(const xj_row *row, const xj_record *c)
{
    /* As the weights of xj__compare read them. */
    switch (spelled_level(&row->rec, c)) {
    case NAME_EQ:
        return dots_differ(&row->rec, c) ? FREQ_NAME | FREQ_PINYIN : FREQ_NAME;
    case NAME_PINYIN:
        return FREQ_PINYIN;
    default:
        return 0;
    }
}

void xj__compare(const xj_row *row, const xj_record *c, const xj_name_stats *ns, xj_comparison *out)
{
    const xj_record *r = &row->rec;
    memset(out, 0, sizeof *out);
    double s = 0;

    compare_id(row, c, out);
    switch (out->id) {
    case CMP_EQ:
        s += W_ID_EQ;
        xj_reasons_add(&out->reasons, XJ_R_ID_EXACT);
        break;
    case CMP_NEAR:
        s += out->id_prefix_only ? W_ID_PREFIX : W_ID_NEAR;
        xj_reasons_add(&out->reasons, XJ_R_ID_NEAR);
        break;
    case CMP_DIFF:
        s += out->id_conflict ? W_ID_DIFF : W_BAD_ID_DIFF;
        xj_reasons_add(&out->reasons, XJ_R_ID_DIFF);
        break;
    default:
        break;
    }

    /* Holding a resident ID at all is stable for a child (one without a
     * hukou stays without): it settles ties between namesakes. */
    if (out->id == CMP_MISSING && !out->doc_conflict) {
        int row_has = row->id_valid || row->has_id18;
        int cand_has = c->id[0] != '\0';
        out->both_no_id = !row_has && !cand_has && !c->doc[0] && !row->rec.doc[0];
        s += (!row_has && !cand_has) ? W_BOTH_NO_ID : (row_has != cand_has) ? W_ONE_NO_ID : 0.0;
    }

    out->name = compare_name(row, c);
    switch (out->name) {
    case NAME_EQ: {
        /* The counts are kept per written form: when the two differ by the
         * separator dot alone, the row's form may be the rare one (曲珍普布
         * beside the usual 曲珍·普布), so the count of the reading, which
         * has no dot, stands in when it is larger. */
        uint64_t freq = ns->name_freq;
        if (dots_differ(r, c) && ns->pinyin_freq > freq)
            freq = ns->pinyin_freq;
        s += tf_weight(M_NAME_EQ, freq, ns->population, W_NAME_EQ_MIN, W_NAME_EQ_MAX);
        xj_reasons_add(&out->reasons, XJ_R_NAME_EQ);
        if (ns->population && freq * 20000 > ns->population)
            xj_reasons_add(&out->reasons, XJ_R_NAME_COMMON);
        break;
    }
    case NAME_PINYIN:
        s += tf_weight(M_NAME_PINYIN, ns->pinyin_freq, ns->population, W_PINYIN_MIN, W_PINYIN_MAX);
        xj_reasons_add(&out->reasons, XJ_R_NAME_PINYIN_EQ);
        break;
    case NAME_PINYIN_NEAR:
        s += W_NAME_PINYIN_NEAR;
        xj_reasons_add(&out->reasons, XJ_R_NAME_PINYIN_NEAR);
        break;
    case NAME_ONE_CHAR:
        s += W_NAME_ONE_CHAR;
        xj_reasons_add(&out->reasons, XJ_R_NAME_ONE_CHAR);
        break;
    case NAME_PLACEHOLDER:
        s += W_NAME_PLACEHOLDER;
        xj_reasons_add(&out->reasons, XJ_R_NAME_PLACEHOLDER);
        break;
    case NAME_SWAPPED:
        s += W_NAME_SWAPPED;
        xj_reasons_add(&out->reasons, XJ_R_NAME_SWAPPED);
        break;
    case NAME_DROPPED:
        s += W_NAME_DROPPED;
        xj_reasons_add(&out->reasons, XJ_R_NAME_DROPPED);
        break;
    case NAME_DIFF:
        s += W_NAME_DIFF;
        xj_reasons_add(&out->reasons, XJ_R_NAME_DIFF);
        break;
    default:
        break;
    }

    out->birth = birth_level(r->birth, c->birth);
    s += out->birth == CMP_EQ     ? W_BIRTH_EQ
         : out->birth == CMP_NEAR ? W_BIRTH_NEAR
         : out->birth == CMP_DIFF ? W_BIRTH_DIFF
                                  : 0;
    if (out->birth != CMP_MISSING)
        xj_reasons_add(&out->reasons, out->birth == CMP_EQ     ? XJ_R_BIRTH_EQ
                                      : out->birth == CMP_NEAR ? XJ_R_BIRTH_NEAR
                                                               : XJ_R_BIRTH_DIFF);

    if (r->gender && c->gender) {
        out->gender = r->gender == c->gender ? CMP_EQ : CMP_DIFF;
        s += out->gender == CMP_EQ ? W_GENDER_EQ : W_GENDER_DIFF;
        xj_reasons_add(&out->reasons, out->gender == CMP_EQ ? XJ_R_GENDER_EQ : XJ_R_GENDER_DIFF);
    }

    out->guardian_id = text_level(r->guardian_id, c->guardian_id);
    if (out->guardian_id == CMP_EQ) {
        s += W_GUARDIAN_ID_EQ;
        xj_reasons_add(&out->reasons, XJ_R_GUARDIAN_ID_EQ);
    } else if (out->guardian_id == CMP_DIFF) {
        s += W_GUARDIAN_ID_DIFF;
        xj_reasons_add(&out->reasons, XJ_R_GUARDIAN_ID_DIFF);
    }
    out->guardian_name = person_name_level(r->guardian_name, c->guardian_name);
    if (out->guardian_name == CMP_EQ) {
        s += W_GUARDIAN_NAME_EQ;
        xj_reasons_add(&out->reasons, XJ_R_GUARDIAN_NAME_EQ);
    } else if (out->guardian_name == CMP_DIFF) {
        s += W_GUARDIAN_NAME_DIFF;
    }
    out->hukou = text_level(r->hukou_region, c->hukou_region);
    if (out->hukou == CMP_EQ) {
        s += W_HUKOU_EQ;
        xj_reasons_add(&out->reasons, XJ_R_HUKOU_EQ);
    } else if (out->hukou == CMP_DIFF) {
        s += W_HUKOU_DIFF;
    }
    out->school_region = text_level(r->school_region, c->school_region);
    if (out->school_region == CMP_EQ) {
        s += W_SCHOOL_REGION_EQ;
        xj_reasons_add(&out->reasons, XJ_R_SCHOOL_REGION_EQ);
    }

    /* Twins and siblings share a guardian and (twins) a birth date but not a
     * name: the score above rewards exactly what they share. */
    out->family =
        out->guardian_id == CMP_EQ ||
        (out->guardian_id != CMP_DIFF && out->guardian_name == CMP_EQ && out->hukou == CMP_EQ);
    /* Boy-and-girl twins are often given names that sound the same
     * (赵毅/赵怡): a homophone of the other gender in the same family is a
     * sibling too, where one of the same gender is most likely a typo. */
    int other_name = out->name == NAME_PINYIN_NEAR || out->name == NAME_ONE_CHAR ||
                     out->name == NAME_PLACEHOLDER || out->name == NAME_SWAPPED ||
                     out->name == NAME_DROPPED || out->name == NAME_DIFF ||
                     (out->name == NAME_PINYIN && out->gender == CMP_DIFF);
    if (out->family && out->birth == CMP_EQ && other_name && out->id != CMP_EQ) {
        out->sibling = 1;
        xj_reasons_add(&out->reasons, XJ_R_SIBLING);
    }
    out->score = s;
}

/* The name levels of a name typed wrong in one place: reviewed when
 * nothing else tells the two apart (no ID), never merged on the name. */
static int typo_of_name(name_level n)
{
    return n == NAME_ONE_CHAR || n == NAME_PINYIN_NEAR || n == NAME_PLACEHOLDER ||
           n == NAME_SWAPPED || n == NAME_DROPPED;
}

/* The guardian agrees: by ID, or by a name (王刚, 张伟: shared by
 * thousands) only where no guardian ID contradicts it and the two records
 * do not hold documents that cannot both be the child's (a resident ID
 * against a passport or permit). */
static int guardian_agrees(const xj_comparison *c)
{
    return c->guardian_id == CMP_EQ ||
           (c->guardian_name == CMP_EQ && c->guardian_id != CMP_DIFF && !c->doc_conflict);
}

match_class xj__classify(const xj_engine *e, const xj_comparison *c)
{
    double t_dup = e->opts.dup_threshold, t_rev = e->opts.review_threshold;
    int name_ok = c->name == NAME_EQ || c->name == NAME_PINYIN;
    int id_evidence = c->id == CMP_EQ || (c->id == CMP_NEAR && !c->id_prefix_only);

    /* Two valid IDs that differ beyond one typo are two people, unless
     * everything else agrees to the letter (an ID corrected since): then a
     * person decides. */
    if (c->id_conflict) {
        /* The guardian's name counts only when no guardian ID contradicts
         * it: two fathers called 李军 with different IDs are two men. */
        if (c->name == NAME_EQ && c->birth == CMP_EQ && c->gender == CMP_EQ &&
            guardian_agrees(c) && !c->sibling)
            return MATCH_REVIEW;
        return MATCH_NONE;
    }
    if (c->sibling) {
        /* Without any ID to tell them apart, a name typed wrong in one
         * place may be a typo or a twin of the same gender: a person
         * decides.  Otherwise never merged. */
        if (c->id == CMP_MISSING && !c->doc_conflict && typo_of_name(c->name) &&
            c->gender != CMP_DIFF && c->score >= t_rev)
            return MATCH_REVIEW;
        return MATCH_NONE;
    }
    if (c->gender == CMP_DIFF && c->name == NAME_DIFF && c->id != CMP_EQ)
        return MATCH_NONE;

    if (c->score >= t_dup) {
        /* A DUPLICATE needs an identifier, not only a sum: the ID (exact or
         * one typo away), or the name with the birth date and the guardian. */
        int corroborated =
            id_evidence || (c->id == CMP_NEAR && !c->id_tail_valid) ||
            (name_ok && c->birth == CMP_EQ && guardian_agrees(c));
        /* Twins' IDs differ in the last digits only, so one typo in a
         * twin's ID can land next to the other's: an ID one typo away with
         * a name one written character apart or one shorter, born the same
         * day, is a twin as often as two slips.  A person decides. */
        int twin_ids = c->id == CMP_NEAR && !c->id_prefix_only && xj__twin_like(c);
        if (corroborated && !twin_ids)
            return MATCH_DUPLICATE;
    }
    /* A registration that holds this very ID is never passed over, however
     * little else agrees: its G number is the one this row would get. */
    if (c->score < t_rev)
        return c->id == CMP_EQ ? MATCH_REVIEW : MATCH_NONE;
    if (id_evidence)
        return MATCH_REVIEW;
    /* Without the ID, a person is asked only when the name (in writing or
     * sound), the birth date and the gender all agree and nothing in the
     * record says otherwise: a different guardian, or documents that cannot
     * both be the child's.  A near birth date or a near name alone is what
     * strangers share.  A name with a character left out as ? or □ agrees
     * as far as it goes: a person looks at the character.  So does one
     * with two characters in the other order: a stranger's name is seldom
     * the same characters. */
    int name_sounds = name_ok || c->name == NAME_PINYIN_NEAR || c->name == NAME_PLACEHOLDER ||
                      c->name == NAME_SWAPPED;
    if (name_sounds && c->birth == CMP_EQ && c->gender != CMP_DIFF && c->guardian_id != CMP_DIFF &&
        !c->doc_conflict)
        return MATCH_REVIEW;
    /* Neither holds an ID or a document (a J student, a child without a
     * hukou): another guardian ID is most often the other parent listed
     * this time, and two such children of the same name, birthday and
     * gender are rare.  The name written the same, a person decides. */
    if (c->both_no_id && c->name == NAME_EQ && c->birth == CMP_EQ && c->gender == CMP_EQ)
        return MATCH_REVIEW;
    /* A birth date one digit off (or with month and day swapped) is asked
     * about when the family agrees as well: the guardian's ID, or the
     * guardian's name and the hukou county, with the same name and gender.
     * Strangers share a name and a near birthday; they do not also share
     * a guardian. */
    if (name_ok && c->birth == CMP_NEAR && c->gender == CMP_EQ && c->family && !c->doc_conflict)
        return MATCH_REVIEW;
    return MATCH_NONE;
}
