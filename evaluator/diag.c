#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_add(struct diag *d, struct src_pos at, const char *fmt, ...)
{
	char msg[1024];
	int k = snprintf(msg, sizeof(msg), "%s:%u:%u: ", at.file ? at.file : "<input>", at.line, at.col);
	va_list ap;

	va_start(ap, fmt);
	if (k > 0 && (size_t)k < sizeof(msg))
		vsnprintf(msg + k, sizeof(msg) - (size_t)k, fmt, ap);
	va_end(ap);
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		char **m = realloc(d->msgs, cap * sizeof(*m));
		if (!m) {
			d->lost++;
			return;
		}
		d->msgs = m;
		d->cap = cap;
	}
	if (!(d->msgs[d->n] = strdup(msg))) {
		d->lost++;
		return;
	}
	d->n++;
}

void diag_print(const struct diag *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(out, "%s\n", d->msgs[i]);
	if (d->lost)
		fprintf(out, "(%zu more errors lost: out of memory)\n", d->lost);
}

void diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	memset(d, 0, sizeof(*d));
}
