/*
 * gen_name_tables.c: the build-time generator of the name normalizer's
 * tables (a host program run by normalize/name.cmake; never shipped).
 *
 * usage: gen_name_tables SURNAMES.tsv OUT.c OUT.h [-v]
 *
 * It asks ICU, once per BMP code point, what the run-time normalizer must
 * know (NFKC, Traditional to Simplified, upper case, toneless pinyin, ASCII
 * spelling of Latin letters, the character's class), packs the answers into
 * the two-stage table described in ../name_int.h, and adds the surname
 * readings of ../data/surnames.tsv.  The transliterators are the slow part
 * (tens of thousands of characters per second), so every character of a
 * kind is sent through them in one batch of newline-separated lines rather
 * than one call each; the whole run takes about a second.
 *
 * The generator checks its own output: every fold must be idempotent and
 * land on a code point of the same class, or the build stops.  -v prints the
 * Traditional-to-Simplified pairs it refused (see keep_traditional) and the
 * table sizes.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "name_int.h"

#define NCP     0x10000
#define MAXKEYS 1024 /* 10 bits of key index */
#define RESLEN  24   /* UTF-16 units kept of one transliteration result */
#define CHUNK   512  /* characters per transliterator call */

/* Everything the generator learns, indexed by BMP code point.  It is big
 * enough to live on the heap; the generator is a one-shot program, so its
 * single context is passed around rather than kept global. */
typedef struct gen {
    const UNormalizer2 *nfkc, *nfd;
    UTransliterator *t2s, *han2latin, *latin2ascii;
    uint32_t entry[NCP];
    uint16_t ts[NCP];       /* Traditional-Simplified of an ideograph, or itself */
    uint16_t reading[NCP];  /* key index of the ordinary reading of a Han code point */
    uint16_t latinkey[NCP]; /* key index of the ASCII spelling of a Latin letter */
    xj__keystr keys[MAXKEYS];
    size_t nkeys;
    xj__surname surnames[512];
    size_t nsurnames;
    size_t refused_ts, folded_ts, han_with_reading, han_total;
    int verbose;
} gen;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "gen_name_tables: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void check(UErrorCode err, const char *what)
{
    if (U_FAILURE(err))
        die("%s: %s", what, u_errorName(err));
}

/* ---- small Unicode helpers ------------------------------------------------ */

/* NFKC of one code point; returns the single BMP code point it maps to, or
 * -1 when it expands to several code points or leaves the BMP. */
static int32_t nfkc_single(const gen *g, uint32_t cp)
{
    UChar src[2], dst[32];
    int32_t n = 0;
    UErrorCode err = U_ZERO_ERROR;
    U16_APPEND_UNSAFE(src, n, cp);
    int32_t m = unorm2_normalize(g->nfkc, src, n, dst, 32, &err);
    if (U_FAILURE(err) || m != 1 || U16_IS_SURROGATE(dst[0]))
        return -1;
    return dst[0];
}

static int is_dot_lookalike(uint32_t cp)
{
    /* The separators that schools type in transliterated minority names:
     * the real middle dot and everything an input method or a font makes
     * look like it, including the full stops that the '.' key gives under a
     * Chinese input method and 丶, the "dot" stroke offered for "dian". */
    static const uint16_t dots[] = {
        0x002E, 0x00B7, 0x02D9, 0x0387, 0x1427, 0x16EB, 0x2022, 0x2024, 0x2027,
        0x2219, 0x22C5, 0x25CF, 0x2981, 0x2E31, 0x2E33, 0x3002, 0x30FB, 0x318D,
        0x4E36, 0xA78F, 0xFE12, 0xFE52, 0xFF0E, 0xFF61, 0xFF65,
    };
    for (size_t i = 0; i < sizeof dots / sizeof dots[0]; i++)
        if (dots[i] == cp)
            return 1;
    return 0;
}

static int is_hyphen_lookalike(uint32_t cp)
{
    return cp == 0x2D || cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 ||
           cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D;
}

static int is_apostrophe_lookalike(uint32_t cp)
{
    return cp == 0x27 || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0xFF07;
}

static int is_han(uint32_t cp)
{
    UErrorCode err = U_ZERO_ERROR;
    if (u_hasBinaryProperty((UChar32)cp, UCHAR_IDEOGRAPHIC))
        return 1;
    return uscript_getScript((UChar32)cp, &err) == USCRIPT_HAN && u_isalpha((UChar32)cp);
}

static int is_mark(uint32_t cp)
{
    /* Anything that combines with what precedes it, or that NFKC might
     * compose with it, cannot be judged one code point at a time. */
    return u_getCombiningClass((UChar32)cp) != 0 ||
           u_getIntPropertyValue((UChar32)cp, UCHAR_NFKC_QUICK_CHECK) == UNORM_MAYBE;
}

static int is_ignorable(uint32_t cp)
{
    int8_t type = u_charType((UChar32)cp);
    if (u_isUWhiteSpace((UChar32)cp))
        return 0;
    return u_hasBinaryProperty((UChar32)cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
           type == U_FORMAT_CHAR || type == U_CONTROL_CHAR;
}

/* ---- key strings ------------------------------------------------------------ */

static uint16_t key_intern(gen *g, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (len > XJ__KEYSTR_MAX)
        die("key string too long: %.*s", (int)len, s);
    for (size_t i = 1; i < g->nkeys; i++)
        if (g->keys[i].len == len && memcmp(g->keys[i].s, s, len) == 0)
            return (uint16_t)i;
    if (g->nkeys == MAXKEYS)
        die("more than %d key strings", MAXKEYS);
    g->keys[g->nkeys].len = (uint8_t)len;
    memcpy(g->keys[g->nkeys].s, s, len);
    return (uint16_t)g->nkeys++;
}

/* Turns ICU's Han-Latin output ("lǚ", "zhōng") into a toneless key syllable
 * ("lv", "zhong"): decompose, drop the tone marks, write ü as v.  Returns 0
 * when the output is not a reading (ICU leaves unknown ideographs as they
 * are). */
static uint16_t syllable_key(gen *g, const UChar *s, int32_t n)
{
    UChar d[64];
    UErrorCode err = U_ZERO_ERROR;
    int32_t m = unorm2_normalize(g->nfd, s, n, d, 64, &err);
    if (U_FAILURE(err))
        return 0;
    char out[XJ__KEYSTR_MAX + 1];
    size_t len = 0;
    for (int32_t i = 0; i < m; i++) {
        UChar c = d[i];
        if (c >= 'A' && c <= 'Z')
            c = (UChar)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || c == ' ') {
            if (len == XJ__KEYSTR_MAX)
                return 0;
            out[len++] = (char)c;
        } else if (c == 0x0308 && len > 0 && out[len - 1] == 'u') {
            out[len - 1] = 'v';
        } else if (c >= 0x0300 && c <= 0x036F) {
            continue;
        } else {
            return 0;
        }
    }
    while (len > 0 && out[len - 1] == ' ')
        len--;
    return key_intern(g, out, len);
}

/* The ASCII key spelling of a Latin letter: Latin-ASCII of its lower case
 * ("é" -> "e", "ß" -> "ss"), or the lower-case letter itself in UTF-8 when
 * ICU has no ASCII spelling for it. */
static uint16_t latin_key(gen *g, uint32_t cp, const UChar *s, int32_t n)
{
    char out[XJ__KEYSTR_MAX + 1];
    size_t len = 0;
    for (int32_t i = 0; i < n; i++) {
        UChar c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (UChar)(c - 'A' + 'a');
        if (c < 'a' || c > 'z' || len == XJ__KEYSTR_MAX) {
            len = 0;
            break;
        }
        out[len++] = (char)c;
    }
    if (len == 0) {
        UChar32 lower = u_tolower((UChar32)cp);
        UErrorCode err = U_ZERO_ERROR;
        int32_t ulen = 0;
        UChar u[2];
        U16_APPEND_UNSAFE(u, ulen, lower);
        int32_t blen = 0;
        u_strToUTF8(out, (int32_t)sizeof out, &blen, u, ulen, &err);
        check(err, "u_strToUTF8");
        len = (size_t)blen;
    }
    return key_intern(g, out, len);
}

/* ---- batched transliteration ------------------------------------------------ */

/* Sends n code points through a transliterator, CHUNK per call, each on its
 * own line so that no rule can see its neighbours, and stores each line of
 * the result.  A chunk whose line count comes back wrong is redone one code
 * point at a time. */
static void translit_each(UTransliterator *t, const uint32_t *cps, size_t n, UChar (*res)[RESLEN],
                          int32_t *rlen)
{
    enum { CAP = CHUNK * (RESLEN + 2) };
    UChar *buf = malloc(CAP * sizeof(UChar));
    if (!buf)
        die("out of memory");
    for (size_t base = 0; base < n; base += CHUNK) {
        size_t cnt = n - base < CHUNK ? n - base : CHUNK;
        int32_t len = 0;
        for (size_t i = 0; i < cnt; i++) {
            U16_APPEND_UNSAFE(buf, len, cps[base + i]);
            buf[len++] = '\n';
        }
        int32_t limit = len;
        UErrorCode err = U_ZERO_ERROR;
        utrans_transUChars(t, buf, &len, CAP, 0, &limit, &err);
        check(err, "utrans_transUChars");
        size_t line = 0;
        int32_t start = 0;
        int ok = 1;
        for (int32_t i = 0; i < len && ok; i++) {
            if (buf[i] != '\n')
                continue;
            int32_t l = i - start;
            if (line >= cnt || l > RESLEN) {
                ok = 0;
                break;
            }
            memcpy(res[base + line], buf + start, (size_t)l * sizeof(UChar));
            rlen[base + line] = l;
            line++;
            start = i + 1;
        }
        if (ok && line == cnt)
            continue;
        for (size_t i = 0; i < cnt; i++) {
            UChar one[RESLEN];
            int32_t ol = 0;
            U16_APPEND_UNSAFE(one, ol, cps[base + i]);
            int32_t olim = ol;
            err = U_ZERO_ERROR;
            utrans_transUChars(t, one, &ol, RESLEN, 0, &olim, &err);
            if (U_FAILURE(err))
                ol = 0;
            memcpy(res[base + i], one, (size_t)ol * sizeof(UChar));
            rlen[base + i] = ol;
        }
    }
    free(buf);
}

/* ---- Traditional to Simplified -------------------------------------------- */

/* ICU maps some characters to Simplified ones that merge two different
 * words, although the 通用规范汉字表 (2013) keeps the source character as a
 * standard Simplified character in its own right, with its own reading.
 * Folding those would rewrite correct names (李乾 -> 李干), so they stay as
 * they are.  The list was drawn up from the pairs whose reading changes
 * (run the generator with -v to see them), keeping only characters that
 * occur in names. */
static int keep_traditional(uint32_t cp)
{
    static const uint16_t keep[] = {
        0x4E7E, /* 乾 qián, not 干 */
        0x8457, /* 著 zhù, not 着 */
        0x77AD, /* 瞭 liào, not 了 */
        0x85C9, /* 藉 jí, not 借 */
        0x5FB5, /* 徵 zhǐ, not 征 */
        0x5925, /* 夥 huǒ (many), not 伙 */
        0x59CA, /* 姊 zǐ (姊妹), not 姐 */
        0x91D0, /* 釐 xī, kept for names and surnames, not 厘 */
    };
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        if (keep[i] == cp)
            return 1;
    return 0;
}

/* ICU's Han-Latin gives one reading per character, the most frequent in
 * running text.  For a few characters that are common in given names that
 * reading is not the one names use, and a homophone typo (王长江 for
 * 王常江) would then get another key.  These are the name readings of
 * 现代汉语词典 for them; everything else keeps ICU's reading. */
static void override_readings(gen *g)
{
    static const struct {
        uint16_t cp;
        const char *reading;
    } names[] = {
        {0x957F, "chang"}, /* 长: 长江, 长青, 长春 (ICU: zhang) */
        {0x90FD, "du"},    /* 都: 成都, 都 as in names (ICU: dou) */
        {0x665F, "sheng"}, /* 晟: shèng, 光明 (ICU: cheng) */
        {0x8457, "zhu"},   /* 著: zhù, 著名 (ICU: zhe) */
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        g->reading[names[i].cp] = key_intern(g, names[i].reading, strlen(names[i].reading));
}

static void build_traditional(gen *g)
{
    uint32_t *cps = malloc(NCP * sizeof *cps);
    UChar(*res)[RESLEN] = malloc(NCP * sizeof *res);
    int32_t *rlen = malloc(NCP * sizeof *rlen);
    if (!cps || !res || !rlen)
        die("out of memory");
    size_t n = 0;
    for (uint32_t cp = 0; cp < NCP; cp++) {
        g->ts[cp] = (uint16_t)cp;
        if (cp < 0xD800 || cp > 0xDFFF)
            if (is_han(cp))
                cps[n++] = cp;
    }
    g->han_total = n;

    /* The ordinary reading of every Han code point first: the refusal list
     * below is reviewed against it. */
    translit_each(g->han2latin, cps, n, res, rlen);
    for (size_t i = 0; i < n; i++) {
        g->reading[cps[i]] = syllable_key(g, res[i], rlen[i]);
        if (g->reading[cps[i]])
            g->han_with_reading++;
    }
    override_readings(g);

    translit_each(g->t2s, cps, n, res, rlen);
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = cps[i];
        if (rlen[i] != 1 || U16_IS_SURROGATE(res[i][0]) || res[i][0] == cp || !is_han(res[i][0]))
            continue;
        uint32_t to = res[i][0];
        if (g->verbose && g->reading[cp] && g->reading[to] && g->reading[cp] != g->reading[to])
            fprintf(stderr, "reading changes: U+%04X %.*s -> U+%04X %.*s%s\n", cp,
                    g->keys[g->reading[cp]].len, g->keys[g->reading[cp]].s, to,
                    g->keys[g->reading[to]].len, g->keys[g->reading[to]].s,
                    keep_traditional(cp) ? " (kept)" : "");
        if (keep_traditional(cp)) {
            g->refused_ts++;
            continue;
        }
        g->ts[cp] = (uint16_t)to;
        g->folded_ts++;
    }
    /* ICU's table has chains (A -> B -> C) and a few two-way pairs (苎 and
     * 苧 map to each other).  Chains are followed to their end so that the
     * fold is idempotent; a code point whose chain comes back to itself is
     * left alone, since neither side is the Simplified one. */
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = cps[i], to = g->ts[cp];
        int steps = 0;
        while (g->ts[to] != to && to != cp && steps++ < 8)
            to = g->ts[to];
        if (to == cp || g->ts[to] != to) {
            if (g->ts[cp] != cp)
                g->refused_ts++, g->folded_ts--;
            g->ts[cp] = (uint16_t)cp;
        } else {
            g->ts[cp] = (uint16_t)to;
        }
    }
    free(cps);
    free(res);
    free(rlen);
}

/* ---- the per-code-point table ---------------------------------------------- */

/* Folds one code point to its final form: NFKC (single code point), the
 * look-alike folds, Traditional to Simplified, upper case; repeated until
 * stable.  Sets *via_nfkc / *via_ts when those steps changed something.
 * Returns -1 when NFKC expands the code point. */
static int32_t fold(const gen *g, uint32_t cp, int *via_nfkc, int *via_ts)
{
    uint32_t t = cp;
    for (int round = 0; round < 8; round++) {
        int32_t n = nfkc_single(g, t);
        if (n < 0)
            return round == 0 ? -1 : (int32_t)t;
        if ((uint32_t)n != t)
            *via_nfkc = 1;
        uint32_t u = (uint32_t)n;
        if (is_hyphen_lookalike(u))
            u = '-';
        else if (is_apostrophe_lookalike(u))
            u = '\'';
        if (g->ts[u] != u) {
            u = g->ts[u];
            *via_ts = 1;
        }
        uint32_t up = (uint32_t)u_toupper((UChar32)u);
        if (up < NCP && !U16_IS_SURROGATE(up) && nfkc_single(g, up) == (int32_t)up)
            u = up;
        if (u == t)
            return (int32_t)t;
        t = u;
    }
    die("fold of U+%04X does not settle", cp);
    return -1;
}

static unsigned classify_target(uint32_t t)
{
    UErrorCode err = U_ZERO_ERROR;
    if (is_mark(t))
        return XJ__NC_MARK;
    if (is_dot_lookalike(t))
        return XJ__NC_DOT;
    if (u_isUWhiteSpace((UChar32)t))
        return XJ__NC_SPACE;
    if (is_ignorable(t))
        return XJ__NC_IGNORE;
    /* The hyphen and the dashes a Chinese input method or a word processor
     * puts for it (‐ ‒ – — ― −, the small forms fold to these): between
     * two Han characters they stand for the separator dot of a
     * transcribed name. */
    if (t == '-' || (t >= 0x2010 && t <= 0x2015) || t == 0x2212 || t == 0x2E3A || t == 0x2E3B)
        return XJ__NC_JOINER;
    if (t == '\'')
        return XJ__NC_APOS;
    if (t >= 0xE000 && t <= 0xF8FF)
        return XJ__NC_PUA;
    if (is_han(t))
        return XJ__NC_HAN;
    if (t >= '0' && t <= '9')
        return XJ__NC_DIGIT;
    if (u_isalpha((UChar32)t))
        return uscript_getScript((UChar32)t, &err) == USCRIPT_LATIN ? XJ__NC_LATIN : XJ__NC_LETTER;
    return XJ__NC_SYMBOL;
}

static void build_entries(gen *g)
{
    /* Pass 1: the fold and class of every code point. */
    static uint32_t target[NCP];
    static uint8_t cls[NCP];
    uint32_t *latin = malloc(NCP * sizeof *latin);
    if (!latin)
        die("out of memory");
    size_t nlatin = 0;
    for (uint32_t cp = 0; cp < NCP; cp++) {
        int via_nfkc = 0, via_ts = 0;
        target[cp] = cp;
        g->entry[cp] = 0;
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            cls[cp] = XJ__NC_SYMBOL;
            continue;
        }
        /* Look-alikes are judged on the code point itself, before NFKC would
         * turn some of them into expansions or into plain ASCII. */
        unsigned c;
        if (is_dot_lookalike(cp)) {
            c = XJ__NC_DOT;
        } else if (cp >= 0xE000 && cp <= 0xF8FF) {
            c = XJ__NC_PUA;
        } else if (is_ignorable(cp)) {
            c = XJ__NC_IGNORE;
        } else if (u_isUWhiteSpace((UChar32)cp)) {
            c = XJ__NC_SPACE;
        } else {
            int32_t t = fold(g, cp, &via_nfkc, &via_ts);
            if (t < 0) {
                c = XJ__NC_EXPAND;
            } else {
                target[cp] = (uint32_t)t;
                c = classify_target((uint32_t)t);
                if (c == XJ__NC_DOT || c == XJ__NC_SPACE || c == XJ__NC_IGNORE)
                    target[cp] = cp;
            }
        }
        if (is_mark(cp) && c != XJ__NC_IGNORE && c != XJ__NC_SPACE)
            c = XJ__NC_MARK;
        cls[cp] = (uint8_t)c;
        if (c == XJ__NC_LATIN && target[cp] == cp)
            latin[nlatin++] = cp;
        uint32_t flags = (via_nfkc ? XJ__NE_NFKC : 0) | (via_ts ? XJ__NE_TRAD : 0);
        g->entry[cp] = target[cp] == cp ? 0 : flags;
    }

    /* Pass 2: ASCII spellings of the Latin letters that are fold targets. */
    UChar(*res)[RESLEN] = malloc(NCP * sizeof *res);
    int32_t *rlen = malloc(NCP * sizeof *rlen);
    uint32_t *lower = calloc(NCP, sizeof *lower);
    if (!res || !rlen || !lower)
        die("out of memory");
    for (size_t i = 0; i < nlatin; i++)
        lower[i] = (uint32_t)u_tolower((UChar32)latin[i]);
    translit_each(g->latin2ascii, lower, nlatin, res, rlen);
    for (size_t i = 0; i < nlatin; i++)
        g->latinkey[latin[i]] = latin_key(g, latin[i], res[i], rlen[i]);

    /* Pass 3: pack, and check that every fold is idempotent. */
    for (uint32_t cp = 0; cp < NCP; cp++) {
        uint32_t t = target[cp];
        unsigned c = cls[cp];
        uint16_t key = 0;
        if (c == XJ__NC_HAN)
            key = g->reading[t];
        else if (c == XJ__NC_LATIN)
            key = g->latinkey[t];
        if (c == XJ__NC_HAN || c == XJ__NC_LATIN || c == XJ__NC_LETTER || c == XJ__NC_DIGIT ||
            c == XJ__NC_SYMBOL || c == XJ__NC_PUA || c == XJ__NC_JOINER || c == XJ__NC_APOS) {
            if (target[t] != t || cls[t] != c)
                die("fold of U+%04X to U+%04X is not stable (class %u vs %u)", cp, t, c, cls[t]);
        }
        uint32_t delta = (t - cp) & 0xFFFFu;
        g->entry[cp] |= XJ__NE_MAKE(delta, c, key);
    }
    free(latin);
    free(res);
    free(rlen);
    free(lower);
}

/* ---- surnames ------------------------------------------------------------------ */

static int cmp_surname(const void *a, const void *b)
{
    uint32_t x = ((const xj__surname *)a)->pair, y = ((const xj__surname *)b)->pair;
    return x < y ? -1 : x > y;
}

static uint32_t folded(const gen *g, uint32_t cp)
{
    return (cp + XJ__NE_DELTA(g->entry[cp])) & 0xFFFFu;
}

static void load_surnames(gen *g, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        die("cannot open %s", path);
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\r')
            continue;
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab1 || !tab2)
            die("%s:%d: expected CHARS<TAB>READING<TAB>NOTE", path, lineno);
        *tab1 = *tab2 = '\0';

        UChar u[8];
        int32_t ulen = 0;
        UErrorCode err = U_ZERO_ERROR;
        u_strFromUTF8(u, 8, &ulen, line, -1, &err);
        if (U_FAILURE(err) || ulen < 1 || ulen > 2)
            die("%s:%d: a surname is one or two BMP characters", path, lineno);
        uint32_t cp[2] = {u[0], ulen == 2 ? u[1] : 0};

        char *reading = tab1 + 1;
        char *space = strchr(reading, ' ');
        size_t l1 = space ? (size_t)(space - reading) : strlen(reading);
        uint16_t k[2] = {key_intern(g, reading, l1), 0};
        if (space)
            k[1] = key_intern(g, space + 1, strlen(space + 1));
        if ((ulen == 2) != (space != NULL) || !k[0] || (ulen == 2 && !k[1]))
            die("%s:%d: one syllable per character", path, lineno);

        int differs = 0;
        for (int i = 0; i < ulen; i++) {
            if (XJ__NE_CLASS(g->entry[cp[i]]) != XJ__NC_HAN || folded(g, cp[i]) != cp[i])
                die("%s:%d: U+%04X is not a folded Han character", path, lineno, cp[i]);
            if (g->reading[cp[i]] != k[i])
                differs = 1;
        }
        if (g->nsurnames == sizeof g->surnames / sizeof g->surnames[0])
            die("%s: too many surnames", path);
        xj__surname *s = &g->surnames[g->nsurnames++];
        s->pair = cp[0] << 16 | cp[1];
        s->key1 = k[0];
        s->key2 = k[1];
        s->differs = (uint8_t)differs;
    }
    fclose(fp);
    qsort(g->surnames, g->nsurnames, sizeof g->surnames[0], cmp_surname);
    for (size_t i = 1; i < g->nsurnames; i++)
        if (g->surnames[i].pair == g->surnames[i - 1].pair)
            die("%s: surname U+%04X U+%04X listed twice", path, g->surnames[i].pair >> 16,
                g->surnames[i].pair & 0xFFFF);
}

/* ---- output ------------------------------------------------------------------ */

static void write_tables(const gen *g, const char *cpath, const char *hpath)
{
    /* Identical 256-entry blocks (unassigned pages, most symbols) are
     * stored once. */
    static uint16_t page[256];
    static uint16_t block_of[256];
    size_t nblocks = 0;
    for (uint32_t p = 0; p < 256; p++) {
        size_t b;
        for (b = 0; b < nblocks; b++)
            if (memcmp(&g->entry[block_of[b] << 8], &g->entry[p << 8], 256 * sizeof(uint32_t)) == 0)
                break;
        if (b == nblocks)
            block_of[nblocks++] = (uint16_t)p;
        page[p] = (uint16_t)b;
    }

    FILE *h = fopen(hpath, "w");
    if (!h)
        die("cannot write %s", hpath);
    fprintf(h,
            "/* name_tables.h: generated by normalize/tools/gen_name_tables.c from ICU %s\n"
            " * and normalize/data/surnames.tsv.  Do not edit. */\n"
            "#ifndef XJ_NAME_TABLES_H\n#define XJ_NAME_TABLES_H\n\n"
            "#include \"name_int.h\"\n\n"
            "#define XJ__NAME_NBLOCKS %zu\n#define XJ__NAME_NKEYS %zu\n"
            "#define XJ__NAME_NSURNAMES %zu\n\n"
            "extern const uint8_t xj__name_page[256];\n"
            "extern const uint32_t xj__name_block[XJ__NAME_NBLOCKS][256];\n"
            "extern const xj__keystr xj__name_keys[XJ__NAME_NKEYS];\n"
            "extern const xj__surname xj__name_surnames[XJ__NAME_NSURNAMES];\n"
            "extern const uint32_t xj__name_surname_first[2048];\n\n"
            "#endif\n",
            U_ICU_VERSION, nblocks, g->nkeys, g->nsurnames);
    if (fclose(h) != 0)
        die("cannot write %s", hpath);
    if (nblocks > 255)
        die("too many blocks");

    FILE *c = fopen(cpath, "w");
    if (!c)
        die("cannot write %s", cpath);
    fprintf(c,
            "/* name_tables.c: generated by normalize/tools/gen_name_tables.c from ICU %s\n"
            " * and normalize/data/surnames.tsv.  Do not edit.  Layout: name_int.h. */\n"
            "#include \"name_tables.h\"\n\n"
            "const uint8_t xj__name_page[256] = {",
            U_ICU_VERSION);
    for (int p = 0; p < 256; p++)
        fprintf(c, "%s%u,", p % 16 ? " " : "\n    ", page[p]);
    fprintf(c, "\n};\n\nconst uint32_t xj__name_block[XJ__NAME_NBLOCKS][256] = {\n");
    for (size_t b = 0; b < nblocks; b++) {
        fprintf(c, "    { /* U+%02X00 */", block_of[b]);
        for (int i = 0; i < 256; i++)
            fprintf(c, "%s0x%08X,", i % 8 ? " " : "\n        ",
                    g->entry[(uint32_t)block_of[b] << 8 | (uint32_t)i]);
        fprintf(c, "\n    },\n");
    }
    fprintf(c, "};\n\nconst xj__keystr xj__name_keys[XJ__NAME_NKEYS] = {\n");
    for (size_t i = 0; i < g->nkeys; i++) {
        fprintf(c, "    {%u, \"", g->keys[i].len);
        for (size_t j = 0; j < g->keys[i].len; j++)
            fprintf(c, "\\x%02X", (unsigned char)g->keys[i].s[j]);
        fprintf(c, "\"},\n");
    }
    fprintf(c, "};\n\nconst xj__surname xj__name_surnames[XJ__NAME_NSURNAMES] = {\n");
    for (size_t i = 0; i < g->nsurnames; i++)
        fprintf(c, "    {0x%08X, %u, %u, %u},\n", g->surnames[i].pair, g->surnames[i].key1,
                g->surnames[i].key2, g->surnames[i].differs);
    /* A bitmap of the characters that begin a listed surname, so that the
     * common names (王, 李, 张) skip the search. */
    static uint32_t first[2048];
    for (size_t i = 0; i < g->nsurnames; i++) {
        uint32_t cp = g->surnames[i].pair >> 16;
        first[cp >> 5] |= 1u << (cp & 31);
    }
    fprintf(c, "};\n\nconst uint32_t xj__name_surname_first[2048] = {");
    for (int i = 0; i < 2048; i++)
        fprintf(c, "%s0x%08X,", i % 8 ? " " : "\n    ", first[i]);
    fprintf(c, "\n};\n");
    if (fclose(c) != 0)
        die("cannot write %s", cpath);
    if (g->verbose)
        fprintf(stderr,
                "gen_name_tables: %zu blocks (%zu bytes), %zu key strings, %zu surnames, "
                "%zu/%zu Han with a reading, %zu T->S folds, %zu refused\n",
                nblocks, nblocks * 1024 + 256, g->nkeys, g->nsurnames, g->han_with_reading,
                g->han_total, g->folded_ts, g->refused_ts);
}

static UTransliterator *open_translit(const char *id)
{
    UChar uid[64];
    u_uastrncpy(uid, id, 64);
    UErrorCode err = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    check(err, id);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        die("usage: gen_name_tables SURNAMES.tsv OUT.c OUT.h [-v]");
    clock_t t0 = clock();
    gen *g = calloc(1, sizeof *g);
    if (!g)
        die("out of memory");
    g->verbose = argc > 4 && strcmp(argv[4], "-v") == 0;
    UErrorCode err = U_ZERO_ERROR;
    g->nfkc = unorm2_getNFKCInstance(&err);
    check(err, "NFKC");
    g->nfd = unorm2_getNFDInstance(&err);
    check(err, "NFD");
    g->t2s = open_translit("Traditional-Simplified");
    g->han2latin = open_translit("Han-Latin");
    g->latin2ascii = open_translit("Latin-ASCII");
    g->nkeys = 1; /* index 0 means "no key" */

    build_traditional(g);
    build_entries(g);
    load_surnames(g, argv[1]);
    write_tables(g, argv[2], argv[3]);

    utrans_close(g->t2s);
    utrans_close(g->han2latin);
    utrans_close(g->latin2ascii);
    if (g->verbose)
        fprintf(stderr, "gen_name_tables: %.2f s\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    free(g);
    return 0;
}
