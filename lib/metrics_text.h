/* The metric registry behind metrics_http.h and its Prometheus text
 * exposition (format 0.0.4): name validation, HELP/TYPE lines with HELP
 * escaping, one sample line per value. Internal to lib/: the daemons use
 * metrics_http.h.
 *
 * A registry is filled before the server starts (adding is not thread-safe)
 * and is only read afterwards, by metrics_text_render() on the server thread
 * or by metrics_render(). metrics_sample() (declared in metrics_http.h) is
 * implemented here: it writes into the sink a render passes to a labelled
 * metric's callback. */
#ifndef RAMPART_METRICS_TEXT_H
#define RAMPART_METRICS_TEXT_H

#include <stddef.h>

#include "metrics_http.h"

/* Where a metric's value comes from at scrape time. */
enum metrics_source_kind { METRICS_SRC_VALUE, METRICS_SRC_FN, METRICS_SRC_LABELLED, METRICS_SRC_HISTOGRAM };

struct metrics_source {
	enum metrics_source_kind kind;
	const metrics_u64 *value; /* METRICS_SRC_VALUE */
	metrics_read_fn read;     /* METRICS_SRC_FN */
	metrics_emit_fn emit;     /* METRICS_SRC_LABELLED */
	void *ctx;                /* passed to read / emit */
	const struct metrics_histogram *hist; /* METRICS_SRC_HISTOGRAM */
	const char *labels;       /* METRICS_SRC_HISTOGRAM: copied; NULL = none */
};

struct metrics_entry;

/* Zero-initialised is empty and valid. */
struct metrics_registry {
	struct metrics_entry *entries;
	size_t n, cap;
};

/* 0, or -1 when name is not a valid Prometheus metric name (a counter's
 * must end in _total) or out of memory. name and help (NULL = "") are
 * copied; what src points to must outlive the registry. A histogram whose
 * name is already registered as one is placed after it and shares its
 * HELP/TYPE (the exposition wants one family's samples together). */
int metrics_text_add(struct metrics_registry *r, const char *name, const char *help, enum metrics_type type,
		     const struct metrics_source *src);
/* Every metric in registration order as a malloc'd NUL-terminated string
 * (empty when nothing is registered). NULL when out of memory. */
char *metrics_text_render(const struct metrics_registry *r);
/* Frees what the registry holds and leaves it empty. */
void metrics_text_clear(struct metrics_registry *r);

#endif
