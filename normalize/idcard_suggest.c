/*
 * idcard_suggest.c: candidate corrections for an ID whose checksum fails.
 *
 * MOD 11-2 catches every single-character substitution and every swap of
 * two neighbours (GB 11643-1999 §5.5; no two adjacent weights are equal
 * modulo 11), and those two slips make up nearly nine in ten of the errors
 * people make copying a long number (Verhoeff's 1969 study of decimal
 * codes).  So the IDs one such slip away that pass the checksum, hold a
 * real past date and a known division code are the plausible readings of a
 * failing number.  There are at most 17 of the first kind (for each of the
 * 17 digits at most one replacement restores the sum), one check-character
 * replacement, and 17 swaps: the search tries all 17 * 9 + 1 + 17 edits and
 * costs a few microseconds.
 *
 * Scores (higher is more plausible):
 *   100  base, any single substitution, the check character included
 *   +20  an adjacent swap: one swap is a little likelier than any one of
 *        the 153 substitutions (transpositions are ~10% of copying errors
 *        spread over 17 places, substitutions ~80% over 153)
 *   +10  the division code is in force, not a long-abolished one
 *    +5  the replaced and the replacing digit are neighbours on a numeric
 *        keypad or on the top row of a keyboard, where most keying slips land
 *  +500  the sequence parity agrees with the record's gender
 * +1000  the birth date equals the record's birth date
 * so that a candidate agreeing with the record on both ranks first.  Ties go
 * to the lower ID, which keeps the order reproducible.
 */
#include <string.h>

#include "idcard_int.h"
#include "xj/normalize.h"

#define SCORE_BASE           100
#define SCORE_SWAP           20
#define SCORE_CURRENT_REGION 10
#define SCORE_NEAR_KEY       5
#define SCORE_GENDER         500
#define SCORE_BIRTH          1000

/* The most candidates the edits can produce: 17 substitutions that restore
 * the checksum, one check character and 17 swaps. */
#define MAX_CANDIDATES 35

typedef struct search {
    uint32_t birth; /* the record's yyyymmdd, or 0 */
    char gender;    /* 'M', 'F' or 0 */
    uint32_t today;
    xj_id_suggestion found[MAX_CANDIDATES];
    size_t n;
} search;

/* Digits next to each digit, as bit masks: on the numeric keypad (7 8 9 /
 * 4 5 6 / 1 2 3 / 0 under 1 and 2) and on the keyboard's row 1234567890. */
static const uint16_t key_neighbours[10] = {
    1u << 1 | 1u << 2 | 1u << 9,           /* 0 */
    1u << 0 | 1u << 2 | 1u << 4,           /* 1 */
    1u << 0 | 1u << 1 | 1u << 3 | 1u << 5, /* 2 */
    1u << 2 | 1u << 4 | 1u << 6,           /* 3 */
    1u << 1 | 1u << 3 | 1u << 5 | 1u << 7, /* 4 */
    1u << 2 | 1u << 4 | 1u << 6 | 1u << 8, /* 5 */
    1u << 3 | 1u << 5 | 1u << 7 | 1u << 9, /* 6 */
    1u << 4 | 1u << 6 | 1u << 8,           /* 7 */
    1u << 5 | 1u << 7 | 1u << 9,           /* 8 */
    1u << 0 | 1u << 6 | 1u << 8,           /* 9 */
};

/* Returns 1 when typing b for a (both '0'..'9' or 'X') is a slip to a
 * neighbouring key; X has none. */
static int near_keys(char a, char b)
{
    if (a == 'X' || b == 'X')
        return 0;
    return (key_neighbours[a - '0'] >> (b - '0')) & 1u;
}

static int checksum_holds(const char id[18])
{
    return xj_idcard_check_char(id) == id[17];
}

/* Scores a candidate that already passes the checksum, or returns -1 when
 * its date or division code rules it out. */
static int score(const search *s, const char id[18], int swapped, int near_key)
{
    int y = (id[6] - '0') * 1000 + (id[7] - '0') * 100 + (id[8] - '0') * 10 + (id[9] - '0');
    int m = (id[10] - '0') * 10 + (id[11] - '0');
    int d = (id[12] - '0') * 10 + (id[13] - '0');
    if (!xj__id_date_real(y, m, d))
        return -1;
    uint32_t ymd = (uint32_t)y * 10000u + (uint32_t)m * 100u + (uint32_t)d;
    if (ymd > s->today)
        return -1;
    uint32_t code = 0;
    for (int i = 0; i < 6; i++)
        code = code * 10 + (uint32_t)(id[i] - '0');
    long region = xj__region_find(code);
    if (region < 0)
        return -1;

    int sc = SCORE_BASE;
    if (swapped)
        sc += SCORE_SWAP;
    if (near_key)
        sc += SCORE_NEAR_KEY;
    if (xj__region_current[region])
        sc += SCORE_CURRENT_REGION;
    if (s->gender && (((id[16] - '0') & 1) ? 'M' : 'F') == s->gender)
        sc += SCORE_GENDER;
    if (s->birth && ymd == s->birth)
        sc += SCORE_BIRTH;
    return sc;
}

static void consider(search *s, const char id[18], int swapped, int near_key)
{
    int sc = score(s, id, swapped, near_key);
    if (sc < 0 || s->n == MAX_CANDIDATES)
        return;
    xj_id_suggestion *c = &s->found[s->n++];
    memcpy(c->id, id, 18);
    c->id[18] = '\0';
    c->score = sc;
}

/* Orders by score, best first, then by ID; insertion sort, as there are a
 * few dozen at most. */
static void rank(search *s)
{
    for (size_t i = 1; i < s->n; i++) {
        xj_id_suggestion key = s->found[i];
        size_t j = i;
        while (j > 0 && (s->found[j - 1].score < key.score ||
                         (s->found[j - 1].score == key.score &&
                          memcmp(s->found[j - 1].id, key.id, 18) > 0))) {
            s->found[j] = s->found[j - 1];
            j--;
        }
        s->found[j] = key;
    }
}

size_t xj_idcard_suggest(const char id18[18], uint32_t birth_yyyymmdd, char gender, uint32_t today,
                         xj_id_suggestion *out, size_t cap)
{
    if (!id18 || (!out && cap > 0))
        return 0;
    char id[18];
    memcpy(id, id18, 18);
    for (int i = 0; i < 17; i++)
        if ((unsigned)(unsigned char)id[i] - '0' > 9)
            return 0;
    if (id[17] == 'x')
        id[17] = 'X';
    if (id[17] != 'X' && (unsigned)(unsigned char)id[17] - '0' > 9)
        return 0;

    search s;
    s.birth = birth_yyyymmdd;
    s.gender = gender == 'M' || gender == 'F' ? gender : 0;
    s.today = today ? today : xj_idcard_today();
    s.n = 0;

    /* One digit replaced.  Each position has at most one replacement that
     * restores the sum; trying all nine keeps the code obvious. */
    for (int i = 0; i < 17; i++) {
        char orig = id[i];
        for (char d = '0'; d <= '9'; d++) {
            if (d == orig)
                continue;
            id[i] = d;
            if (checksum_holds(id))
                consider(&s, id, 0, near_keys(orig, d));
        }
        id[i] = orig;
    }

    /* The check character replaced: the one the 17 digits call for. */
    char want = xj_idcard_check_char(id);
    if (want != id[17]) {
        char orig = id[17];
        id[17] = want;
        consider(&s, id, 0, near_keys(orig, want));
        id[17] = orig;
    }

    /* Two neighbours swapped, the check character included as long as the
     * swap does not move an X off the end. */
    for (int i = 0; i < 17; i++) {
        if (id[i] == id[i + 1] || id[i + 1] == 'X')
            continue;
        char a = id[i];
        id[i] = id[i + 1];
        id[i + 1] = a;
        if (checksum_holds(id))
            consider(&s, id, 1, 0);
        id[i + 1] = id[i];
        id[i] = a;
    }

    rank(&s);
    size_t n = s.n < cap ? s.n : cap;
    if (n > 0)
        memcpy(out, s.found, n * sizeof *out);
    return n;
}
