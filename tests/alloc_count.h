/* Counts heap allocations of a program linked with
 * -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc: every call, from
 * the program or the static libraries it links, passes through here.
 * Include in exactly one translation unit of that program. */
#ifndef RAMPART_TEST_ALLOC_COUNT_H
#define RAMPART_TEST_ALLOC_COUNT_H

#include <stddef.h>

static unsigned long allocs;
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n) { allocs++; return __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { allocs++; return __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { allocs++; return __real_realloc(p, n); }

#endif
