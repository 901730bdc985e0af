/* Metric registry and Prometheus text exposition (see metrics_text.h). */
#include "metrics_text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct metrics_entry {
	char *name, *help, *labels;
	enum metrics_type type;
	struct metrics_source src;
	bool continued; /* another series of the previous entry's histogram */
};

/* A growable text buffer; a failed append marks it broken (out of memory). */
struct metrics_sink {
	char *p;
	size_t len, cap;
	bool oom;
	const struct metrics_entry *cur;
};

static void sink_printf(struct metrics_sink *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (int tries = 0; tries < 2 && !s->oom; tries++) {
		va_start(ap, fmt);
		n = vsnprintf(s->p ? s->p + s->len : NULL, s->p ? s->cap - s->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			s->oom = true;
			return;
		}
		if (s->p && (size_t)n < s->cap - s->len) {
			s->len += (size_t)n;
			return;
		}
		size_t cap = (s->cap ? s->cap * 2 : 4096) + (size_t)n;
		char *p = realloc(s->p, cap);

		if (!p) {
			s->oom = true;
			return;
		}
		s->p = p, s->cap = cap;
	}
}

void metrics_sample(struct metrics_sink *s, const char *labels, uint64_t value)
{
	if (labels && *labels)
		sink_printf(s, "%s{%s} %llu\n", s->cur->name, labels, (unsigned long long)value);
	else
		sink_printf(s, "%s %llu\n", s->cur->name, (unsigned long long)value);
}

int metrics_histogram_init(struct metrics_histogram *h, const double *le, size_t n)
{
	memset(h, 0, sizeof(*h));
	if (n > METRICS_HIST_MAX_BUCKETS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (i && !(le[i] > le[i - 1]))
			return -1;
		h->le[i] = le[i];
	}
	h->n = n;
	return 0;
}

void metrics_histogram_observe(struct metrics_histogram *h, double seconds)
{
	size_t i = 0;

	if (!(seconds > 0)) /* negative (clock skew) or NaN */
		seconds = 0;
	while (i < h->n && seconds > h->le[i])
		i++;
	metrics_inc(&h->bucket[i]);
	metrics_add(&h->sum_ns, seconds >= 1.8e10 ? UINT64_MAX / 2 : (uint64_t)(seconds * 1e9 + 0.5));
}

void metrics_histogram_merge(struct metrics_histogram *dst, const struct metrics_histogram *src)
{
	for (size_t i = 0; i <= src->n && i <= dst->n; i++)
		metrics_add(&dst->bucket[i], metrics_get(&src->bucket[i]));
	metrics_add(&dst->sum_ns, metrics_get(&src->sum_ns));
}

/* name_bucket{labels,le="x"}: the label set with le appended. */
static void bucket_line(struct metrics_sink *s, const char *labels, const char *le, uint64_t v)
{
	bool any = labels && *labels;

	sink_printf(s, "%s_bucket{%s%sle=\"%s\"} %llu\n", s->cur->name, any ? labels : "", any ? "," : "", le,
		    (unsigned long long)v);
}

/* _count is the +Inf bucket's total, read once, so the two always agree
 * even while the writer observes; _sum may be a value or so apart. */
void metrics_histogram_sample(struct metrics_sink *s, const char *labels, const struct metrics_histogram *h)
{
	uint64_t cum = 0, sum = metrics_get(&h->sum_ns);
	char le[32];
	bool any = labels && *labels;

	for (size_t i = 0; i < h->n; i++) {
		cum += metrics_get(&h->bucket[i]);
		snprintf(le, sizeof(le), "%g", h->le[i]);
		bucket_line(s, labels, le, cum);
	}
	cum += metrics_get(&h->bucket[h->n]);
	bucket_line(s, labels, "+Inf", cum);
	sink_printf(s, "%s_sum%s%s%s %llu.%09llu\n", s->cur->name, any ? "{" : "", any ? labels : "", any ? "}" : "",
		    (unsigned long long)(sum / 1000000000u), (unsigned long long)(sum % 1000000000u));
	sink_printf(s, "%s_count%s%s%s %llu\n", s->cur->name, any ? "{" : "", any ? labels : "", any ? "}" : "",
		    (unsigned long long)cum);
}

static const char *type_name(enum metrics_type t)
{
	switch (t) {
	case METRICS_COUNTER: return "counter";
	case METRICS_HISTOGRAM: return "histogram";
	default: return "gauge";
	}
}

/* HELP text escapes backslash and newline (exposition format 0.0.4). */
static void render_help(struct metrics_sink *s, const struct metrics_entry *e)
{
	sink_printf(s, "# HELP %s ", e->name);
	for (const char *h = e->help; *h; h++) {
		if (*h == '\\')
			sink_printf(s, "\\\\");
		else if (*h == '\n')
			sink_printf(s, "\\n");
		else
			sink_printf(s, "%c", *h);
	}
	sink_printf(s, "\n# TYPE %s %s\n", e->name, type_name(e->type));
}

static void render_entry(struct metrics_sink *s, const struct metrics_entry *e)
{
	s->cur = e;
	if (!e->continued)
		render_help(s, e);
	switch (e->src.kind) {
	case METRICS_SRC_VALUE: metrics_sample(s, NULL, metrics_get(e->src.value)); break;
	case METRICS_SRC_FN: metrics_sample(s, NULL, e->src.read(e->src.ctx)); break;
	case METRICS_SRC_LABELLED: e->src.emit(e->src.ctx, s); break;
	case METRICS_SRC_HISTOGRAM: metrics_histogram_sample(s, e->labels, e->src.hist); break;
	}
}

char *metrics_text_render(const struct metrics_registry *r)
{
	struct metrics_sink s = {0};

	for (size_t i = 0; i < r->n; i++)
		render_entry(&s, &r->entries[i]);
	if (!s.p)
		sink_printf(&s, "%s", ""); /* nothing registered: an empty string */
	if (s.oom) {
		free(s.p);
		return NULL;
	}
	return s.p;
}

static bool valid_name(const char *n, enum metrics_type t)
{
	size_t len = strlen(n);

	if (len == 0 || (n[0] >= '0' && n[0] <= '9'))
		return false;
	for (const char *c = n; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
		      *c == ':'))
			return false;
	return t != METRICS_COUNTER || (len > 6 && !strcmp(n + len - 6, "_total"));
}

static int grow(struct metrics_registry *r)
{
	size_t cap = r->cap ? r->cap * 2 : 16;
	struct metrics_entry *p = realloc(r->entries, cap * sizeof(*p));

	if (!p)
		return -1;
	r->entries = p, r->cap = cap;
	return 0;
}

/* Where an entry goes: after the last series of a histogram of that name
 * (which it then continues: *continued), else at the end. */
static size_t slot_for(const struct metrics_registry *r, const struct metrics_entry *e, bool *continued)
{
	size_t at = r->n;

	*continued = false;
	if (e->src.kind != METRICS_SRC_HISTOGRAM)
		return at;
	for (size_t i = 0; i < r->n; i++)
		if (r->entries[i].src.kind == METRICS_SRC_HISTOGRAM && !strcmp(r->entries[i].name, e->name))
			at = i + 1, *continued = true;
	return at;
}

/* Histogram series come from a histogram or a labelled callback. */
static bool kind_fits(enum metrics_type type, enum metrics_source_kind kind)
{
	if (type == METRICS_HISTOGRAM)
		return kind == METRICS_SRC_HISTOGRAM || kind == METRICS_SRC_LABELLED;
	return kind != METRICS_SRC_HISTOGRAM;
}

static void entry_free(struct metrics_entry *e)
{
	free(e->name), free(e->help), free(e->labels);
}

int metrics_text_add(struct metrics_registry *r, const char *name, const char *help, enum metrics_type type,
		     const struct metrics_source *src)
{
	struct metrics_entry e = {.type = type, .src = *src};
	size_t at;

	if (!name || !valid_name(name, type) || !kind_fits(type, src->kind))
		return -1;
	if (r->n == r->cap && grow(r))
		return -1;
	e.name = strdup(name), e.help = strdup(help ? help : "");
	e.labels = src->labels ? strdup(src->labels) : NULL;
	if (!e.name || !e.help || (src->labels && !e.labels)) {
		entry_free(&e);
		return -1;
	}
	e.src.labels = e.labels; /* the caller's string may not outlive this call */
	at = slot_for(r, &e, &e.continued);
	memmove(&r->entries[at + 1], &r->entries[at], (r->n - at) * sizeof(e));
	r->entries[at] = e;
	r->n++;
	return 0;
}

void metrics_text_clear(struct metrics_registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		entry_free(&r->entries[i]);
	free(r->entries);
	*r = (struct metrics_registry){0};
}
