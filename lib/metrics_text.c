/* Metric registry and Prometheus text exposition (see metrics_text.h). */
#include "metrics_text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct metrics_entry {
	char *name, *help;
	enum metrics_type type;
	struct metrics_source src;
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
	sink_printf(s, "\n# TYPE %s %s\n", e->name, e->type == METRICS_COUNTER ? "counter" : "gauge");
}

static void render_entry(struct metrics_sink *s, const struct metrics_entry *e)
{
	s->cur = e;
	render_help(s, e);
	switch (e->src.kind) {
	case METRICS_SRC_VALUE: metrics_sample(s, NULL, metrics_get(e->src.value)); break;
	case METRICS_SRC_FN: metrics_sample(s, NULL, e->src.read(e->src.ctx)); break;
	case METRICS_SRC_LABELLED: e->src.emit(e->src.ctx, s); break;
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

int metrics_text_add(struct metrics_registry *r, const char *name, const char *help, enum metrics_type type,
		     const struct metrics_source *src)
{
	struct metrics_entry e = {.type = type, .src = *src};

	if (!name || !valid_name(name, type))
		return -1;
	if (r->n == r->cap && grow(r))
		return -1;
	e.name = strdup(name), e.help = strdup(help ? help : "");
	if (!e.name || !e.help) {
		free(e.name), free(e.help);
		return -1;
	}
	r->entries[r->n++] = e;
	return 0;
}

void metrics_text_clear(struct metrics_registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->entries[i].name), free(r->entries[i].help);
	free(r->entries);
	*r = (struct metrics_registry){0};
}
