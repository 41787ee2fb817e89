/*
 * name_int.h: the private layout shared by the name normalizer (name.c) and
 * the build-time generator of its tables (tools/gen_name_tables.c).
 *
 * Workload: every batch row, every population row and every registry row has
 * its name normalized once, so the normalizer runs hundreds of millions of
 * times per national load on names of two to four characters.  Everything it
 * needs about one BMP code point is therefore packed into a single 32-bit
 * table entry found with two loads; ICU runs only at build time, and at run
 * time only on the rare inputs that hold combining marks or multi-character
 * compatibility forms.
 *
 * Table entry, one per BMP code point (a two-stage table: the high byte of
 * the code point picks a 256-entry block, blocks with identical contents are
 * stored once):
 *
 *   bits  0..15  fold delta: the folded code point is (cp + delta) & 0xFFFF.
 *                The fold is NFKC (single code point results only), then
 *                Traditional to Simplified, then simple upper-case, repeated
 *                until nothing changes; so folding a folded code point gives
 *                itself back.
 *   bits 16..19  class of the folded code point (XJ__NC_*, below).
 *   bits 20..29  key string index (0 = none): a toneless pinyin syllable for
 *                Han, the lower-case ASCII spelling for a Latin letter.
 *   bit  30      the fold involved NFKC (full width, compatibility forms).
 *   bit  31      the fold involved Traditional to Simplified.
 */
#ifndef XJ_NAME_INT_H
#define XJ_NAME_INT_H

#include <stdint.h>

/* Classes of code points, after folding. */
enum {
    XJ__NC_SYMBOL = 0,  /* punctuation, symbols, unassigned: kept, flagged, not in the key */
    XJ__NC_IGNORE = 1,  /* format, zero-width and control characters: removed */
    XJ__NC_SPACE = 2,   /* white space: a word break in Latin names, removed in Han ones */
    XJ__NC_DOT = 3,     /* a middle-dot look-alike: becomes U+00B7 */
    XJ__NC_HAN = 4,     /* a CJK ideograph: its own key syllable (if it has a reading) */
    XJ__NC_LATIN = 5,   /* a Latin letter: upper-cased, spelled in ASCII in the key */
    XJ__NC_LETTER = 6,  /* a letter of another script: kept as it is in the key */
    XJ__NC_DIGIT = 7,   /* an ASCII digit: kept in the key, flagged */
    XJ__NC_JOINER = 8,  /* hyphen inside Latin names: a word break, not a symbol there */
    XJ__NC_APOS = 9,    /* apostrophe inside Latin names: dropped from the key */
    XJ__NC_PUA = 10,    /* Private Use Area: kept in both forms, flagged */
    XJ__NC_MARK = 11,   /* combining mark or NFKC "maybe": needs the run-time NFKC pass */
    XJ__NC_EXPAND = 12, /* NFKC maps it to several code points: run-time NFKC pass */
    XJ__NC_COUNT = 13
};

#define XJ__NE_DELTA(e) ((e)&0xFFFFu)
#define XJ__NE_CLASS(e) (((e) >> 16) & 0xFu)
#define XJ__NE_KEY(e)   (((e) >> 20) & 0x3FFu)
#define XJ__NE_NFKC     0x40000000u
#define XJ__NE_TRAD     0x80000000u

#define XJ__NE_MAKE(delta, cls, key)                                                               \
    ((uint32_t)(delta) | ((uint32_t)(cls) << 16) | ((uint32_t)(key) << 20))

/* Key strings are at most this many bytes (the longest syllable is six
 * letters; a few characters read as two syllables). */
#define XJ__KEYSTR_MAX 15

/* One key string: its length and bytes (not NUL-terminated). */
typedef struct xj__keystr {
    uint8_t len;
    char s[XJ__KEYSTR_MAX];
} xj__keystr;

/* A surname whose reading differs from (or must be pinned against) the
 * ordinary reading of its characters.  cp2 is 0 for a single character. */
typedef struct xj__surname {
    uint32_t pair; /* cp1 << 16 | cp2: all surname characters are in the BMP */
    uint16_t key1, key2;
    uint8_t differs; /* 1 when the reading differs from the ordinary one */
} xj__surname;

#endif /* XJ_NAME_INT_H */
