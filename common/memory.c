/*
 * memory.c: the one way xueji grows an array.
 */
#include <stdint.h>
#include <stdlib.h>

#include "xj/common.h"

void *xj_grow(void *items, size_t *cap, size_t size, size_t initial)
{
    size_t n = *cap ? *cap * 2 : initial;
    if (n <= *cap || size == 0 || n > SIZE_MAX / size)
        return NULL;
    void *p = realloc(items, n * size);
    if (p)
        *cap = n;
    return p;
}
