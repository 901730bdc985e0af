/* A bump allocator: everything a compiled configuration owns lives in one
 * arena and goes with one arena_free, so a configuration swap cannot leak.
 * Allocation returns zeroed memory, NULL when out of memory. */
#ifndef RAMPART_EVAL_ARENA_H
#define RAMPART_EVAL_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t used; /* bytes handed out, for reporting */
};

void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
void arena_free(struct arena *a);

#endif
