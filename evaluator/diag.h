/* Diagnostics: an append-only list of "file:line:col: message" strings.
 * Loaders and compilers add to it and keep going, so a user sees every error
 * of a file at once. Lines and columns are 1-based. diag_add never fails the
 * caller: when memory runs out the message is dropped and `lost` counts it. */
#ifndef RAMPART_EVAL_DIAG_H
#define RAMPART_EVAL_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct diag {
	char **msgs;
	size_t n, cap;
	size_t lost;
};

struct src_pos {
	const char *file; /* owned by the document that produced the position */
	unsigned line, col;
};

void diag_add(struct diag *d, struct src_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static inline size_t diag_count(const struct diag *d) { return d->n + d->lost; }
void diag_print(const struct diag *d, FILE *out);
void diag_free(struct diag *d);

#endif
