/*
 * fuzz_name.c: libFuzzer target for xj_name_normalize over arbitrary bytes.
 *
 * Properties checked on every input: both outputs are valid UTF-8 of the
 * length reported, with no NUL inside; the key has no leading, trailing or
 * doubled space; and normalization is idempotent: normalizing the
 * normalized form gives it back, with the same key.  A violation aborts so
 * that the fuzzer (or the replay driver) reports it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xj/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const xj_name *n)
{
    fprintf(stderr, "fuzz_name: %s (normalized \"%s\", key \"%s\")\n", what, n->normalized,
            n->pinyin);
    abort();
}

static void check_text(const char *s, size_t len, size_t cap, const char *what, const xj_name *n)
{
    if (len >= cap || strlen(s) != len)
        fail(what, n);
    size_t i = 0;
    while (i < len) {
        size_t adv;
        if (xj_utf8_decode((const unsigned char *)s + i, len - i, &adv) < 0)
            fail(what, n);
        i += adv;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xj_name a, b;
    if (xj_name_normalize((const char *)data, size, &a) != XJ_OK)
        abort();
    check_text(a.normalized, a.normalized_len, XJ_NAME_MAX, "normalized form is not UTF-8", &a);
    check_text(a.pinyin, a.pinyin_len, XJ_PINYIN_MAX, "key is not UTF-8", &a);
    if (a.pinyin_len > 0 && (a.pinyin[0] == ' ' || a.pinyin[a.pinyin_len - 1] == ' '))
        fail("key has a space at an end", &a);
    if (strstr(a.pinyin, "  "))
        fail("key has a doubled space", &a);
    if ((a.normalized_len == 0) != ((a.flags & XJ_NAME_EMPTY) != 0))
        fail("EMPTY flag disagrees with the output", &a);

    if (xj_name_normalize(a.normalized, a.normalized_len, &b) != XJ_OK)
        abort();
    if (strcmp(a.normalized, b.normalized) != 0)
        fail("normalization is not idempotent", &a);
    if (strcmp(a.pinyin, b.pinyin) != 0)
        fail("the key of the normalized form differs", &a);
    if (b.flags & (XJ_NAME_WIDTH | XJ_NAME_TRADITIONAL | XJ_NAME_BAD_UTF8 | XJ_NAME_DOT))
        fail("the normalized form still needs changes", &a);

    /* The fuzzy key: never longer than the key, the same token count, and
     * the same for the key of the normalized form. */
    char f1[XJ_PINYIN_MAX], f2[XJ_PINYIN_MAX];
    size_t n1 = xj_pinyin_fuzzy(a.pinyin, f1, sizeof f1);
    if (n1 > a.pinyin_len || n1 != strlen(f1))
        fail("the fuzzy key is longer than the key", &a);
    size_t sp_key = 0, sp_fz = 0;
    for (size_t i = 0; i < a.pinyin_len; i++)
        sp_key += a.pinyin[i] == ' ';
    for (size_t i = 0; i < n1; i++)
        sp_fz += f1[i] == ' ';
    if (sp_key != sp_fz)
        fail("the fuzzy key has another number of tokens", &a);
    xj_pinyin_fuzzy(b.pinyin, f2, sizeof f2);
    if (strcmp(f1, f2) != 0)
        fail("the fuzzy key of the normalized form differs", &a);
    return 0;
}
