/*
 * test_memory.c: xj_grow, the array doubling every module uses: the first
 * size, doubling that keeps the contents, and refusals that leave the array
 * as it was.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "xj/common.h"

Test(grow, starts_at_initial_then_doubles_keeping_the_contents)
{
    int *a = NULL;
    size_t cap = 0;
    a = xj_grow(a, &cap, sizeof *a, 4);
    cr_assert_not_null(a);
    cr_assert_eq(cap, 4);
    for (int i = 0; i < 4; i++)
        a[i] = i * 7;
    int *b = xj_grow(a, &cap, sizeof *b, 4);
    cr_assert_not_null(b);
    cr_assert_eq(cap, 8);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(b[i], i * 7);
    free(b);
}

Test(grow, refuses_an_overflowing_size_and_leaves_the_array)
{
    char *a = malloc(16);
    cr_assert_not_null(a);
    a[0] = 'x';
    size_t cap = SIZE_MAX / 2 + 1; /* doubling wraps */
    cr_assert_null(xj_grow(a, &cap, 1, 16));
    cr_assert_eq(cap, SIZE_MAX / 2 + 1, "the capacity is unchanged");
    cap = SIZE_MAX / 8; /* doubling fits, the bytes do not */
    cr_assert_null(xj_grow(a, &cap, 8, 16));
    cr_assert_eq(cap, SIZE_MAX / 8);
    size_t zero = 0;
    cr_assert_null(xj_grow(a, &zero, 8, 0), "no initial size");
    cr_assert_eq(a[0], 'x', "the array is untouched");
    free(a);
}
