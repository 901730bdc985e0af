/* Constant string sets built once per configuration and probed without
 * allocating: strset is an open-addressing hash set (for `in`), affix is a
 * sorted, prefix-free array answering "does any member start (or end) the
 * string?" with one binary search (startswith / endswith). */
#ifndef RAMPART_EVAL_STRSET_H
#define RAMPART_EVAL_STRSET_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "event.h"

struct strset {
	struct rp_str *slots; /* ptr NULL = empty */
	uint32_t mask;
	uint32_t n;
};

struct affix {
	struct rp_str *v; /* sorted (by reversed bytes for suffixes), prefix-free */
	uint32_t n;
	bool suffix;
};

int strset_build(struct arena *a, struct strset *s, const struct rp_str *items, uint32_t n);
bool strset_has(const struct strset *s, struct rp_str x);
int affix_build(struct arena *a, struct affix *x, const struct rp_str *items, uint32_t n, bool suffix);
bool affix_match(const struct affix *x, struct rp_str s);

/* glob: * any run, ? one byte, [..] classes with ranges and ! or ^ negation. */
bool glob_match(struct rp_str pat, struct rp_str s);
/* needle must already be lower-case (ASCII). */
bool str_icontains(struct rp_str hay, struct rp_str lower_needle);
bool str_contains(struct rp_str hay, struct rp_str needle);

#endif
