/*
 * noise.c: what schools do to names and ID numbers when they type them.
 *
 * Two families, kept apart because they mean different things to the truth
 * file: normalization-equivalent noise (Traditional characters, spaces,
 * full-width digits, a lower-case x, look-alike middle dots) must not change
 * any decision, while real errors (homophone and look-alike typos, mistyped
 * or spreadsheet-damaged IDs) do unless the person is found some other way.
 */
#include <string.h>

#include "datagen_int.h"

/* Splits a UTF-8 string into code points with their byte offsets. */
typedef struct cps {
    uint32_t cp[48];
    uint32_t off[49];
    size_t n;
} cps;

static void split(const char *s, cps *out)
{
    size_t len = strlen(s), i = 0;
    out->n = 0;
    while (i < len && out->n < 48) {
        size_t adv = 1;
        int32_t c = xj_utf8_decode((const unsigned char *)s + i, len - i, &adv);
        out->off[out->n] = (uint32_t)i;
        out->cp[out->n++] = c < 0 ? 0xFFFD : (uint32_t)c;
        i += adv;
    }
    out->off[out->n] = (uint32_t)i;
}

static size_t put(char *out, size_t cap, size_t len, const char *s, size_t n)
{
    if (len + n + 1 > cap)
        n = len + 1 < cap ? cap - len - 1 : 0;
    memcpy(out + len, s, n);
    out[len + n] = '\0';
    return len + n;
}

/* ---- typos ----------------------------------------------------------------- */

/* The first typo entry of code point cp (entries are sorted by cp), or -1. */
static long typo_find(const xj_datagen *g, uint32_t cp, int sound_only)
{
    size_t lo = 0, hi = g->ntypos;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->typos[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < g->ntypos && g->typos[i].cp == cp; i++)
        if (!sound_only || g->typos[i].sound)
            return (long)i;
    return -1;
}

int dg_typo_name(const xj_datagen *g, const char *name, size_t skip, int sound_only, uint64_t h,
                 char *out, size_t cap)
{
    cps c;
    split(name, &c);
    /* Candidates: given-name characters first (schools mistype those far
     * more than the surname), then the surname. */
    long pick = -1;
    size_t pos = 0;
    for (int pass = 0; pass < 2 && pick < 0; pass++) {
        size_t start = (size_t)dg_below(h, (uint32_t)(c.n ? c.n : 1));
        for (size_t k = 0; k < c.n && pick < 0; k++) {
            size_t i = (start + k) % c.n;
            int in_surname = c.off[i] < skip;
            if (in_surname != pass)
                continue;
            long e = typo_find(g, c.cp[i], sound_only);
            if (e >= 0) {
                pick = e;
                pos = i;
            }
        }
    }
    if (pick < 0) {
        put(out, cap, 0, name, strlen(name));
        return 0;
    }
    cps grp;
    split(g->typo_groups[g->typos[pick].group], &grp);
    uint32_t choice = c.cp[pos];
    for (size_t k = 0; k < grp.n && choice == c.cp[pos]; k++)
        choice = grp.cp[(dg_below(h * 0x9E3779B97F4A7C15ull, (uint32_t)grp.n) + k) % grp.n];
    size_t len = put(out, cap, 0, name, c.off[pos]);
    char enc[4];
    len = put(out, cap, len, enc, xj_utf8_encode(choice, enc));
    put(out, cap, len, name + c.off[pos + 1], c.off[c.n] - c.off[pos + 1]);
    return 1;
}

/* ---- normalization-equivalent noise ------------------------------------ */

void dg_to_traditional(const xj_datagen *g, const char *in, char *out, size_t cap)
{
    cps c;
    split(in, &c);
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c.n; i++) {
        size_t lo = 0, hi = g->ntrad;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (g->trad_simp[mid] < c.cp[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < g->ntrad && g->trad_simp[lo] == c.cp[i])
            len = put(out, cap, len, g->trad_text[lo], strlen(g->trad_text[lo]));
        else
            len = put(out, cap, len, in + c.off[i], c.off[i + 1] - c.off[i]);
    }
}

void dg_space_name(const char *in, size_t surname_bytes, uint64_t h, char *out, size_t cap)
{
    /* A space after the surname (张 伟), an ideographic space, or padding
     * that a form left around the name. */
    size_t len = 0, n = strlen(in);
    switch (h % 3) {
    case 0:
        if (surname_bytes == 0 || surname_bytes >= n)
            surname_bytes = n >= 3 ? 3 : n;
        len = put(out, cap, 0, in, surname_bytes);
        len = put(out, cap, len, " ", 1);
        put(out, cap, len, in + surname_bytes, n - surname_bytes);
        break;
    case 1:
        if (surname_bytes == 0 || surname_bytes >= n)
            surname_bytes = n >= 3 ? 3 : n;
        len = put(out, cap, 0, in, surname_bytes);
        len = put(out, cap, len, "\xE3\x80\x80", 3);
        put(out, cap, len, in + surname_bytes, n - surname_bytes);
        break;
    default:
        len = put(out, cap, 0, " ", 1);
        len = put(out, cap, len, in, n);
        put(out, cap, len, " ", 1);
        break;
    }
}

void dg_dot_variant(const char *in, uint64_t h, char *out, size_t cap)
{
    static const char *const dots[] = {"\xE2\x80\xA2", "\xE3\x83\xBB", "\xEF\xBD\xA5",
                                       "\xE2\x80\xA7", "."};
    const char *dot = dots[h % 5];
    const char *mid = strstr(in, "\xC2\xB7");
    if (!mid) {
        put(out, cap, 0, in, strlen(in));
        return;
    }
    size_t len = put(out, cap, 0, in, (size_t)(mid - in));
    len = put(out, cap, len, dot, strlen(dot));
    put(out, cap, len, mid + 2, strlen(mid + 2));
}

void dg_id_noise_width(const char *id, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (const char *s = id; *s; s++) {
        char fw[3];
        if (*s >= '0' && *s <= '9') {
            /* U+FF10.. FULLWIDTH DIGIT: EF BC 90+d. */
            fw[0] = (char)0xEF;
            fw[1] = (char)0xBC;
            fw[2] = (char)(0x90 + (*s - '0'));
            len = put(out, cap, len, fw, 3);
        } else {
            len = put(out, cap, len, s, 1);
        }
    }
}

void dg_id_noise_space(const char *id, char *out, size_t cap)
{
    /* The 6-8-4 grouping people use when reading an ID aloud. */
    size_t n = strlen(id), len = 0;
    if (n != 18) {
        put(out, cap, 0, id, n);
        return;
    }
    len = put(out, cap, 0, id, 6);
    len = put(out, cap, len, " ", 1);
    len = put(out, cap, len, id + 6, 8);
    len = put(out, cap, len, " ", 1);
    put(out, cap, len, id + 14, 4);
}

/* ---- real ID errors ------------------------------------------------------ */

void dg_id_typo(const char *id, uint64_t h, char *out)
{
    memcpy(out, id, 19);
    /* MOD 11-2 catches every single substitution and every swap of two
     * different adjacent digits, so the result always fails its checksum. */
    uint32_t pos = dg_below(h, 17);
    if ((h & 1) && pos < 16 && id[pos] != id[pos + 1]) {
        out[pos] = id[pos + 1];
        out[pos + 1] = id[pos];
        return;
    }
    char d = (char)('0' + (id[pos] - '0' + 1 + (int)((h >> 8) % 9)) % 10);
    out[pos] = d;
}

void dg_id_excel_tail(const char *id, char *out)
{
    /* Excel keeps 15 significant digits: the last three become 000. */
    memcpy(out, id, 15);
    memcpy(out + 15, "000", 4);
}

void dg_id_excel_sci(const char *id, char *out, size_t cap)
{
    /* The General format of a long number: 1.10105E+17. */
    char buf[16];
    buf[0] = id[0];
    buf[1] = '.';
    memcpy(buf + 2, id + 1, 5);
    int n = 7;
    while (n > 2 && buf[n - 1] == '0')
        n--;
    if (buf[n - 1] == '.')
        n--;
    memcpy(buf + n, "E+17", 5);
    put(out, cap, 0, buf, strlen(buf));
}
