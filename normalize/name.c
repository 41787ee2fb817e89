/*
 * name.c: personal-name normalization and the toneless pinyin key.
 *
 * Workload: called once for every name of every batch, registry and
 * population row (hundreds of millions per national load), almost always on
 * two to four Han characters that need no change at all.  The hot path is
 * therefore one pass of UTF-8 decoding with one two-stage table load per
 * character (tables generated from ICU at build time, see name_int.h), a
 * second pass over at most a few hundred small units to lay out the result,
 * and no allocation.  ICU runs at run time only for the rare input that holds
 * combining marks or multi-character compatibility forms (an NFKC pass over
 * the whole name, then the same table path).
 *
 * Every function here is reentrant; the only state is the caller's xj_name
 * and a few kilobytes of stack.
 */
#include <string.h>

#include <unicode/unorm2.h>

#include "xj/normalize.h"

#include "name_int.h"
#include "name_tables.h"

/* A name is first cut into units: one per kept code point, plus one per
 * word break (a single space) or dot that survives collapsing.  Spaces and
 * dots alternate with content at most, so twice the output size is enough to
 * know that the output will be cut. */
enum { UNIT_CAP = 2 * XJ_NAME_MAX };

/* The run-time NFKC pass works on this many UTF-16 units of input; NFKC can
 * expand a character up to eighteen-fold, so the output room is larger and a
 * too long input is shortened until it fits. */
enum { PREPASS_IN = 1024, PREPASS_OUT = 4096 };

typedef struct unit {
    uint32_t cp;  /* the folded code point; U+00B7 for a dot, ' ' for a space */
    uint16_t key; /* key string index, 0 for none */
    uint8_t cls;  /* XJ__NC_* */
} unit;

typedef struct collector {
    unit u[UNIT_CAP];
    size_t n;
    unsigned flags;
    int pending_space; /* white space seen since the last content unit */
    int pending_dot;   /* a dot seen since the last content unit */
    int saw_space;     /* any white space at all */
    int space_changed; /* white space other than single ASCII spaces between words */
    int prepassed;     /* the input went through the run-time NFKC pass */
} collector;

enum { COLLECT_OK = 0, COLLECT_NEED_NFKC = 1, COLLECT_FULL = 2 };

/* ---- decoding and classification ---------------------------------------- */

/* Decodes one code point, taking the common one- and three-byte forms
 * inline and leaving every other case to the project's strict decoder, so
 * that malformed input is judged as everywhere else.  Returns UINT32_MAX for
 * a malformed byte (advance 1). */
static inline uint32_t decode(const unsigned char *s, size_t len, size_t *adv)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *adv = 1;
        return c;
    }
    if ((c & 0xF0u) == 0xE0u && len >= 3 && (s[1] & 0xC0u) == 0x80u && (s[2] & 0xC0u) == 0x80u) {
        uint32_t cp = (c & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
            *adv = 3;
            return cp;
        }
    }
    int32_t cp = xj_utf8_decode(s, len, adv);
    return cp < 0 ? UINT32_MAX : (uint32_t)cp;
}

/* Classifies a code point outside the BMP.  Those are not in the tables:
 * they are kept exactly as typed (rare name characters of the police
 * systems live in CJK Extension B and beyond, or in the supplementary
 * private use planes), except the tag and variation-selector block, which
 * is invisible. */
static unsigned astral_class(uint32_t cp)
{
    if (cp >= 0xE0000 && cp <= 0xE0FFF)
        return XJ__NC_IGNORE;
    if (cp >= 0xF0000)
        return XJ__NC_PUA;
    if (cp >= 0x20000 && cp <= 0x3FFFF)
        return XJ__NC_HAN;
    return XJ__NC_SYMBOL;
}

static int push(collector *c, uint32_t cp, uint16_t key, unsigned cls)
{
    c->u[c->n].cp = cp;
    c->u[c->n].key = key;
    c->u[c->n].cls = (uint8_t)cls;
    c->n++;
    return COLLECT_OK;
}

/* Adds one input code point.  White space and dots are held back until the
 * next content unit, which is how runs collapse to one and how they vanish
 * at both ends. */
static inline int collect(collector *c, uint32_t cp)
{
    unsigned cls;
    uint32_t folded = cp;
    uint16_t key = 0;
    if (cp < 0x10000) {
        uint32_t e = xj__name_block[xj__name_page[cp >> 8]][cp & 0xFFu];
        cls = XJ__NE_CLASS(e);
        folded = (cp + XJ__NE_DELTA(e)) & 0xFFFFu;
        key = (uint16_t)XJ__NE_KEY(e);
        if (e & XJ__NE_NFKC)
            c->flags |= XJ_NAME_WIDTH;
        if (e & XJ__NE_TRAD)
            c->flags |= XJ_NAME_TRADITIONAL;
    } else {
        cls = astral_class(cp);
        if (cls != XJ__NC_IGNORE)
            c->flags |= XJ_NAME_NON_BMP;
    }

    switch (cls) {
    case XJ__NC_IGNORE:
        c->flags |= XJ_NAME_SPACE;
        return COLLECT_OK;
    case XJ__NC_SPACE:
        if (cp != ' ' || c->pending_space || c->pending_dot || c->n == 0)
            c->space_changed = 1;
        c->saw_space = 1;
        c->pending_space = 1;
        return COLLECT_OK;
    case XJ__NC_DOT:
        if (cp != 0xB7 || c->pending_dot || c->n == 0)
            c->flags |= XJ_NAME_DOT;
        if (c->pending_space)
            c->space_changed = 1;
        c->pending_dot = 1;
        return COLLECT_OK;
    case XJ__NC_MARK:
    case XJ__NC_EXPAND:
        /* After the NFKC pass, a mark that found nothing to combine with is
         * dropped: names hold none, and keeping it would let a later removal
         * of white space put it next to a letter it could combine with. */
        if (!c->prepassed)
            return COLLECT_NEED_NFKC;
        c->flags |= XJ_NAME_SYMBOL;
        return COLLECT_OK;
    default:
        break;
    }

    if (c->n + 2 > UNIT_CAP)
        return COLLECT_FULL;
    if (c->n > 0 && c->pending_dot)
        push(c, 0xB7, 0, XJ__NC_DOT);
    else if (c->n > 0 && c->pending_space)
        push(c, ' ', 0, XJ__NC_SPACE);
    c->pending_dot = c->pending_space = 0;
    return push(c, folded, key, cls);
}

/* Collects a whole UTF-8 input.  Returns COLLECT_NEED_NFKC as soon as a
 * character needs the NFKC pass. */
static int collect_utf8(collector *c, const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t adv;
        uint32_t cp = decode(s + i, len - i, &adv);
        i += adv;
        if (cp == UINT32_MAX) {
            c->flags |= XJ_NAME_BAD_UTF8;
            continue;
        }
        int rc = collect(c, cp);
        if (rc == COLLECT_FULL) {
            c->flags |= XJ_NAME_TRUNCATED;
            return COLLECT_OK;
        }
        if (rc != COLLECT_OK)
            return rc;
    }
    return COLLECT_OK;
}

/* The rare path: NFKC over the whole input (so that "e" + U+0301 becomes
 * "é" and "㈱" becomes "(株)"), then the table path over the result. */
static void collect_nfkc(collector *c, const unsigned char *s, size_t len)
{
    UChar src[PREPASS_IN], dst[PREPASS_OUT];
    int32_t n = 0;
    size_t i = 0;
    while (i < len) {
        size_t adv;
        uint32_t cp = decode(s + i, len - i, &adv);
        i += adv;
        if (cp == UINT32_MAX) {
            c->flags |= XJ_NAME_BAD_UTF8;
            continue;
        }
        if (n + 2 > PREPASS_IN) {
            c->flags |= XJ_NAME_TRUNCATED;
            break;
        }
        if (cp < 0x10000) {
            src[n++] = (UChar)cp;
        } else {
            src[n++] = (UChar)(0xD7C0 + (cp >> 10));
            src[n++] = (UChar)(0xDC00 | (cp & 0x3FF));
        }
    }

    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
    int32_t m = -1;
    while (U_SUCCESS(err)) {
        m = unorm2_normalize(nfkc, src, n, dst, PREPASS_OUT, &err);
        if (err != U_BUFFER_OVERFLOW_ERROR)
            break;
        /* Too long once expanded: keep the first half and try again. */
        err = U_ZERO_ERROR;
        n /= 2;
        if (n > 0 && src[n - 1] >= 0xD800 && src[n - 1] <= 0xDBFF)
            n--;
        c->flags |= XJ_NAME_TRUNCATED;
    }
    if (U_FAILURE(err) || m < 0) {
        /* ICU could not normalize (no data): fall back to the tables alone,
         * dropping what they cannot judge. */
        m = n;
        memcpy(dst, src, (size_t)n * sizeof(UChar));
    }
    if (m != n || memcmp(dst, src, (size_t)n * sizeof(UChar)) != 0)
        c->flags |= XJ_NAME_WIDTH;

    for (int32_t k = 0; k < m; k++) {
        uint32_t cp = dst[k];
        if (cp >= 0xD800 && cp <= 0xDBFF && k + 1 < m && dst[k + 1] >= 0xDC00 &&
            dst[k + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (dst[k + 1] - 0xDC00u);
            k++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            continue;
        }
        if (collect(c, cp) == COLLECT_FULL) {
            c->flags |= XJ_NAME_TRUNCATED;
            return;
        }
    }
}

/* ---- surname readings ------------------------------------------------------ */

static const xj__surname *find_surname(uint32_t pair)
{
    size_t lo = 0, hi = XJ__NAME_NSURNAMES;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t p = xj__name_surnames[mid].pair;
        if (p == pair)
            return &xj__name_surnames[mid];
        if (p < pair)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Reads the first one or two characters of a Han name as a surname: a
 * compound surname needs a given name after it (three characters at least),
 * because a two-character name is a one-character surname and a
 * one-character given name.  Overrides the key strings of those units and
 * returns the number of surname characters. */
static uint8_t apply_surname(unit *u, size_t n, unsigned *flags)
{
    uint32_t c0 = u[0].cp;
    if (c0 >= 0x10000 || !(xj__name_surname_first[c0 >> 5] & (1u << (c0 & 31))))
        return 1;
    if (n >= 3 && u[1].cls == XJ__NC_HAN && u[1].cp < 0x10000) {
        const xj__surname *s = find_surname(c0 << 16 | u[1].cp);
        if (s) {
            u[0].key = s->key1;
            u[1].key = s->key2;
            *flags |= XJ_NAME_COMPOUND_SURNAME | (s->differs ? XJ_NAME_SURNAME_READING : 0u);
            return 2;
        }
    }
    const xj__surname *s = find_surname(c0 << 16);
    if (s) {
        u[0].key = s->key1;
        if (s->differs)
            *flags |= XJ_NAME_SURNAME_READING;
    }
    return 1;
}

/* ---- the pinyin key ----------------------------------------------------------- */

typedef struct keybuf {
    char *p;
    size_t len, cap;
    size_t word_start; /* where the open word began (its separator included) */
    int in_word, full;
} keybuf;

/* Appends bytes to the key, opening a token (with its separating space)
 * when none is open.  A token that does not fit is taken back whole, so the
 * key is always cut between tokens. */
static void key_put(keybuf *k, const char *s, size_t len, int word)
{
    if (k->full)
        return;
    if (!k->in_word) {
        k->word_start = k->len;
        if (k->len > 0 && k->len < k->cap)
            k->p[k->len++] = ' ';
        k->in_word = 1;
    }
    if (k->len + len > k->cap) {
        k->len = k->word_start;
        k->full = 1;
        return;
    }
    memcpy(k->p + k->len, s, len);
    k->len += len;
    if (!word)
        k->in_word = 0;
}

static void key_break(keybuf *k)
{
    k->in_word = 0;
}

static void build_key(const unit *u, size_t n, xj_name *out)
{
    keybuf k = {out->pinyin, 0, XJ_PINYIN_MAX - 1, 0, 0, 0};
    for (size_t i = 0; i < n && !k.full; i++) {
        char utf8[4];
        const xj__keystr *ks = &xj__name_keys[u[i].key];
        switch (u[i].cls) {
        case XJ__NC_HAN:
            key_break(&k);
            if (u[i].key) {
                key_put(&k, ks->s, ks->len, 0);
            } else {
                key_put(&k, utf8, xj_utf8_encode(u[i].cp, utf8), 0);
                out->flags |= XJ_NAME_NO_PINYIN;
            }
            break;
        case XJ__NC_PUA:
            key_break(&k);
            key_put(&k, utf8, xj_utf8_encode(u[i].cp, utf8), 0);
            out->flags |= XJ_NAME_NO_PINYIN;
            break;
        case XJ__NC_LATIN:
            if (u[i].key) {
                key_put(&k, ks->s, ks->len, 1);
                break;
            }
            /* A Latin letter without a spelling is kept like other letters. */
            /* fall through */
        case XJ__NC_LETTER:
            key_put(&k, utf8, xj_utf8_encode(u[i].cp, utf8), 1);
            out->flags |= XJ_NAME_NO_PINYIN;
            break;
        case XJ__NC_DIGIT:
            utf8[0] = (char)u[i].cp;
            key_put(&k, utf8, 1, 1);
            break;
        case XJ__NC_APOS:
            /* O'Neil and ONeil are the same name. */
            break;
        default:
            key_break(&k);
            break;
        }
    }
    if (k.full)
        out->flags |= XJ_NAME_TRUNCATED;
    while (k.len > 0 && out->pinyin[k.len - 1] == ' ')
        k.len--;
    out->pinyin[k.len] = '\0';
    out->pinyin_len = (uint16_t)k.len;
}

/* ---- layout ------------------------------------------------------------------ */

static size_t utf8_len(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* Brackets, after the fold (full-width forms are ASCII by now). */
static int open_bracket(uint32_t cp)
{
    return cp == '(' || cp == '[' || cp == '{' || cp == '<' || cp == 0x3010 /* 【 */ ||
           cp == 0x3014 /* 〔 */ || cp == 0x3008 /* 〈 */ || cp == 0x300A /* 《 */ ||
           cp == 0x300C /* 「 */ || cp == 0x3016 /* 〖 */;
}

static int close_bracket(uint32_t cp)
{
    return cp == ')' || cp == ']' || cp == '}' || cp == '>' || cp == 0x3011 || cp == 0x3015 ||
           cp == 0x3009 || cp == 0x300B || cp == 0x300D || cp == 0x3017;
}

/* Han characters in u[0, n). */
static size_t han_count(const unit *u, size_t n)
{
    size_t h = 0;
    for (size_t i = 0; i < n; i++)
        h += u[i].cls == XJ__NC_HAN;
    return h;
}

/* The length of a Han name without the notes after it: a bracketed group
 * (李明（曾用名李敏）, 王伟(大), or one a cut-off field left open) or a
 * number (王伟2, how class lists tell namesakes apart).  Names hold
 * neither; the name before the note is the name, and the raw column keeps
 * the note.  A note is dropped only after two Han characters at least, so
 * that 李1 or (无) stay what they are, and sets XJ_NAME_NOTE. */
static size_t strip_notes(const unit *u, size_t n, unsigned *flags)
{
    for (;;) {
        size_t e = n;
        while (e > 0 && (u[e - 1].cls == XJ__NC_SPACE || u[e - 1].cls == XJ__NC_DOT))
            e--;
        if (e == 0)
            return n;
        size_t cut;
        if (u[e - 1].cls == XJ__NC_DIGIT) {
            cut = e;
            while (cut > 0 && u[cut - 1].cls == XJ__NC_DIGIT)
                cut--;
        } else {
            size_t i = e;
            while (i > 0 && !open_bracket(u[i - 1].cp))
                i--;
            if (i == 0)
                return n;
            /* Closed by the last unit, or not closed at all. */
            for (size_t j = i; j + 1 < e; j++)
                if (close_bracket(u[j].cp))
                    return n;
            cut = i - 1;
        }
        while (cut > 0 && (u[cut - 1].cls == XJ__NC_SPACE || u[cut - 1].cls == XJ__NC_DOT))
            cut--;
        /* What is left ends in a Han character, or in a number that is
         * itself a note (王伟2(转)). */
        if (cut == 0 || (u[cut - 1].cls != XJ__NC_HAN && u[cut - 1].cls != XJ__NC_DIGIT) ||
            han_count(u, cut) < 2)
            return n;
        *flags |= XJ_NAME_NOTE;
        n = cut;
    }
}

/* Turns the collected units into the normalized form, the key and the
 * flags.  Han names lose their spaces; other names keep single spaces. */
static void finish(collector *c, xj_name *out)
{
    unit *u = c->u;
    int has_han = 0;
    for (size_t i = 0; i < c->n; i++)
        if (u[i].cls == XJ__NC_HAN)
            has_han = 1;
    if (c->pending_space)
        c->space_changed = 1;
    if (c->pending_dot)
        c->flags |= XJ_NAME_DOT;
    if (has_han ? c->saw_space : c->space_changed)
        c->flags |= XJ_NAME_SPACE;
    /* A hyphen or dash between two Han characters stands for the separator
     * dot of a transcribed name (阿卜杜-热合曼, 阿卜杜—热合曼), typed where a
     * school's system takes no middle dot.  One of them: a run (王--明,
     * ——) is not a separator. */
    for (size_t i = 1; has_han && i + 1 < c->n; i++) {
        if (u[i].cls != XJ__NC_JOINER)
            continue;
        size_t l = i, r = i + 1;
        while (l > 0 && u[l - 1].cls == XJ__NC_SPACE)
            l--;
        while (r < c->n && u[r].cls == XJ__NC_SPACE)
            r++;
        if (l > 0 && r < c->n && u[l - 1].cls == XJ__NC_HAN && u[r].cls == XJ__NC_HAN) {
            u[i].cp = 0xB7;
            u[i].key = 0;
            u[i].cls = XJ__NC_DOT;
            c->flags |= XJ_NAME_DOT;
        }
    }

    /* Keep the units that go out, as long as they fit. */
    size_t kept = 0, bytes = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (has_han && u[i].cls == XJ__NC_SPACE)
            continue;
        size_t l = utf8_len(u[i].cp);
        if (bytes + l > XJ_NAME_MAX - 1) {
            c->flags |= XJ_NAME_TRUNCATED;
            break;
        }
        bytes += l;
        u[kept++] = u[i];
    }
    while (kept > 0 && (u[kept - 1].cls == XJ__NC_SPACE || u[kept - 1].cls == XJ__NC_DOT))
        kept--;
    /* Notes go from what is kept, after any cut: a name cut just after a
     * digit must lose it now, as normalizing the result again would. */
    if (has_han)
        kept = strip_notes(u, kept, &c->flags);

    int has_dot = 0, has_latin = 0;
    size_t len = 0;
    for (size_t i = 0; i < kept; i++) {
        switch (u[i].cls) {
        case XJ__NC_DOT:
            has_dot = 1;
            break;
        case XJ__NC_LATIN:
            has_latin = 1;
            break;
        case XJ__NC_SYMBOL:
        case XJ__NC_DIGIT:
            c->flags |= XJ_NAME_SYMBOL;
            break;
        case XJ__NC_JOINER:
        case XJ__NC_APOS:
            if (has_han)
                c->flags |= XJ_NAME_SYMBOL;
            break;
        case XJ__NC_PUA:
            c->flags |= XJ_NAME_PUA;
            break;
        default:
            break;
        }
        len += xj_utf8_encode(u[i].cp, out->normalized + len);
    }
    out->normalized[len] = '\0';
    out->normalized_len = (uint16_t)len;
    out->nchars = (uint8_t)kept;

    out->surname_chars = 0;
    if (kept == 0)
        c->flags |= XJ_NAME_EMPTY;
    else if (has_dot)
        c->flags |= XJ_NAME_MINORITY;
    else if (u[0].cls == XJ__NC_HAN)
        out->surname_chars = apply_surname(u, kept, &c->flags);
    if (!has_han && has_latin)
        c->flags |= XJ_NAME_LATIN;

    out->flags = c->flags;
    build_key(u, kept, out);
}

/* ---- public API ------------------------------------------------------------ */

int xj_name_normalize(const char *in, size_t len, xj_name *out)
{
    if (!out || (!in && len > 0))
        return XJ_ERR_ARG;
    collector c;
    c.n = 0;
    c.flags = 0;
    c.pending_space = c.pending_dot = c.saw_space = c.space_changed = c.prepassed = 0;
    if (collect_utf8(&c, (const unsigned char *)in, len) == COLLECT_NEED_NFKC) {
        c.n = 0;
        c.flags = 0;
        c.pending_space = c.pending_dot = c.saw_space = c.space_changed = 0;
        c.prepassed = 1;
        collect_nfkc(&c, (const unsigned char *)in, len);
    }
    finish(&c, out);
    return XJ_OK;
}

#define XJ__NAME_CODE(name, bit, code, msg) [bit] = code,
#define XJ__NAME_MSG(name, bit, code, msg)  [bit] = msg,
static const char *const flag_codes[] = {XJ_NAME_FLAG_LIST(XJ__NAME_CODE)};
static const char *const flag_messages[] = {XJ_NAME_FLAG_LIST(XJ__NAME_MSG)};
#undef XJ__NAME_CODE
#undef XJ__NAME_MSG

/* Maps a single-bit flag to its position, or -1. */
static int flag_index(unsigned bit)
{
    if (bit == 0 || (bit & (bit - 1)) != 0)
        return -1;
    int i = 0;
    while (!(bit & 1u)) {
        bit >>= 1;
        i++;
    }
    return (size_t)i < sizeof flag_codes / sizeof flag_codes[0] ? i : -1;
}

const char *xj_name_flag_code(unsigned bit)
{
    int i = flag_index(bit);
    return i < 0 ? NULL : flag_codes[i];
}

const char *xj_name_flag_message(unsigned bit)
{
    int i = flag_index(bit);
    return i < 0 ? NULL : flag_messages[i];
}

/* ---- fuzzy pinyin -------------------------------------------------------- */

static int lower_ascii_token(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] < 'a' || t[i] > 'z')
            return 0;
    return n > 0;
}

/* Folds one token of n bytes into out (room for n bytes); returns its
 * length. */
static size_t fuzzy_token(const char *t, size_t n, char *out)
{
    if (!lower_ascii_token(t, n)) {
        memcpy(out, t, n);
        return n;
    }
    size_t i = 0, o = 0;
    if (n >= 2 && t[1] == 'h' && (t[0] == 'z' || t[0] == 'c' || t[0] == 's')) {
        out[o++] = t[0];
        i = 2;
    } else if (t[0] == 'n' && n >= 2 && t[1] != 'g') { /* 嗯 ng has no initial */
        out[o++] = 'l';
        i = 1;
    } else if (t[0] == 'h' && n >= 2 && t[1] == 'u') {
        out[o++] = 'f';
        i = 1;
    }
    size_t end = n;
    /* a/e/i + ng -> a/e/i + n (ang, eng, ing, iang, uang); ong stays. */
    if (end - i >= 3 && t[end - 1] == 'g' && t[end - 2] == 'n' &&
        (t[end - 3] == 'a' || t[end - 3] == 'e' || t[end - 3] == 'i'))
        end--;
    memcpy(out + o, t + i, end - i);
    return o + (end - i);
}

size_t xj_pinyin_fuzzy(const char *key, char *out, size_t cap)
{
    if (!out || cap == 0)
        return 0;
    size_t o = 0, len = key ? strlen(key) : 0, i = 0;
    char tok[XJ_PINYIN_MAX];
    while (i < len) {
        size_t j = i;
        while (j < len && key[j] != ' ')
            j++;
        size_t n = j - i < sizeof tok ? j - i : sizeof tok - 1;
        size_t m = fuzzy_token(key + i, n, tok);
        if (o && o < cap - 1)
            out[o++] = ' ';
        size_t room = cap - 1 - o;
        size_t w = m < room ? m : room;
        memcpy(out + o, tok, w);
        o += w;
        i = j < len ? j + 1 : j;
    }
    out[o] = '\0';
    return o;
}

/* ---- same name ------------------------------------------------------------ */

static const char *skip_dots(const char *p)
{
    while ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xB7) /* U+00B7 */
        p += 2;
    return p;
}

int xj_name_same(const char *a, const char *b)
{
    for (;;) {
        a = skip_dots(a);
        b = skip_dots(b);
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
        a++;
        b++;
    }
}
