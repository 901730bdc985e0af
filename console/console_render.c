#include "console_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct writer {
	struct rp_buf b;
	struct console_render *r;
	unsigned col; /* column of the next character, 1-based */
	int oom;
};

static void put(struct writer *w, const char *s, size_t n)
{
	if (w->oom || buf_append(&w->b, s, n)) {
		w->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80) /* count characters, not bytes */
			w->col++;
}

static void puts_(struct writer *w, const char *s) { put(w, s, strlen(s)); }

static struct console_line *new_line(struct writer *w, const char *base)
{
	struct console_render *r = w->r;
	if (r->nlines == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		struct console_line *l = realloc(r->lines, cap * sizeof(*l));
		if (!l) {
			w->oom = 1;
			return NULL;
		}
		r->lines = l;
		r->cap = cap;
	}
	if (r->nlines)
		put(w, "\n", 1);
	w->col = 1;
	struct console_line *l = &r->lines[r->nlines++];
	memset(l, 0, sizeof(*l));
	snprintf(l->base, sizeof(l->base), "%s", base);
	return l;
}

/* From the current column on, the line concerns field. */
static void seg(struct writer *w, struct console_line *l, const char *field)
{
	if (!l || l->nseg == sizeof(l->seg) / sizeof(l->seg[0]))
		return;
	l->seg[l->nseg].col = w->col;
	snprintf(l->seg[l->nseg].field, CONSOLE_FIELD_MAX, "%s", field);
	l->nseg++;
}

/* Decodes one UTF-8 sequence (jansson strings are valid UTF-8). */
static unsigned utf8_next(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80)
		return *len = 1, s[0];
	if ((s[0] & 0xe0) == 0xc0)
		return *len = 2, (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	if ((s[0] & 0xf0) == 0xe0)
		return *len = 3, (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	return *len = 4, 0x10000; /* beyond the BMP: written as it is */
}

static void quoted(struct writer *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];

	put(w, "\"", 1);
	while (*p) {
		size_t n;
		unsigned c = utf8_next(p, &n);
		if (c == '"' || c == '\\')
			put(w, c == '"' ? "\\\"" : "\\\\", 2);
		else if (c >= 0x20 && c < 0x7f)
			put(w, (const char *)p, 1);
		else if (c < 0x10000) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(w, esc, 6);
		} else
			put(w, (const char *)p, n);
		p += n;
	}
	put(w, "\"", 1);
}

static void labels(struct writer *w, const json_t *obj)
{
	const char *key;
	json_t *val;
	size_t i = 0;

	puts_(w, "{");
	json_object_foreach((json_t *)obj, key, val) {
		char base[CONSOLE_FIELD_MAX], field[CONSOLE_FIELD_MAX];
		snprintf(base, sizeof(base), "labels[%zu]", i);
		struct console_line *l = new_line(w, base);
		puts_(w, "      ");
		snprintf(field, sizeof(field), "labels[%zu].key", i);
		seg(w, l, field);
		quoted(w, key);
		puts_(w, ": ");
		snprintf(field, sizeof(field), "labels[%zu].value", i);
		seg(w, l, field);
		quoted(w, json_string_value(val));
		if (++i < json_object_size(obj))
			puts_(w, ",");
	}
	puts_(w, "}");
}

static void rule(struct writer *w, struct console_line *l, const json_t *r, size_t i)
{
	static const char *const keys[] = {"id", "enabled", "action"};
	char field[CONSOLE_FIELD_MAX];
	int first = 1;

	snprintf(field, sizeof(field), "rules[%zu].id", i);
	seg(w, l, field); /* the mapping's own position: "unknown rule id" is reported there */
	puts_(w, "{");
	for (size_t k = 0; k < 3; k++) {
		json_t *v = json_object_get(r, keys[k]);
		if (!v)
			continue;
		puts_(w, first ? "" : ", ");
		first = 0;
		snprintf(field, sizeof(field), "rules[%zu].%s", i, keys[k]);
		seg(w, l, field);
		quoted(w, keys[k]);
		puts_(w, ": ");
		if (json_is_boolean(v))
			puts_(w, json_is_true(v) ? "true" : "false");
		else
			quoted(w, json_string_value(v));
	}
	puts_(w, "}");
}

static void sequence(struct writer *w, const char *key, const json_t *arr)
{
	size_t i;
	json_t *item;
	char base[CONSOLE_FIELD_MAX];

	puts_(w, "[");
	json_array_foreach(arr, i, item) {
		snprintf(base, sizeof(base), "%s[%zu]", key, i);
		struct console_line *l = new_line(w, base);
		puts_(w, "      ");
		if (json_is_object(item))
			rule(w, l, item, i);
		else
			quoted(w, json_string_value(item));
		if (i + 1 < json_array_size(arr))
			puts_(w, ",");
	}
	puts_(w, "]");
}

static void member(struct writer *w, const char *key, const json_t *v, int last)
{
	new_line(w, key);
	puts_(w, "    ");
	quoted(w, key);
	puts_(w, ": ");
	if (json_is_object(v))
		labels(w, v);
	else if (json_is_array(v))
		sequence(w, key, v);
	else
		quoted(w, json_string_value(v));
	puts_(w, last ? "}]}\n" : ",");
}

int console_render(enum console_kind kind, const json_t *entry, struct console_render *out)
{
	struct writer w = {.r = out};
	const char *key;
	json_t *v;
	size_t i = 0, n = json_object_size(entry);

	memset(out, 0, sizeof(*out));
	new_line(&w, "");
	puts_(&w, "{");
	quoted(&w, console_kind_plural[kind]);
	puts_(&w, ": [{");
	json_object_foreach((json_t *)entry, key, v)
		member(&w, key, v, ++i == n);
	if (n == 0)
		puts_(&w, "}]}\n");
	if (!w.oom && buf_append(&w.b, "", 1))
		w.oom = 1;
	if (w.oom) {
		buf_free(&w.b);
		console_render_free(out);
		return -1;
	}
	out->text = (char *)w.b.data;
	out->len = w.b.len - 1;
	return 0;
}

void console_render_free(struct console_render *r)
{
	free(r->text);
	free(r->lines);
	memset(r, 0, sizeof(*r));
}

void console_render_field(const struct console_render *r, unsigned line, unsigned col, const char *msg, char *out,
			  size_t n)
{
	const char *missing = msg ? strstr(msg, "missing key '") : NULL;
	const struct console_line *l;

	out[0] = 0;
	if (line == 0 || line > r->nlines)
		return;
	l = &r->lines[line - 1];
	if (missing) {
		const char *k = missing + strlen("missing key '"), *end = strchr(k, '\'');
		int klen = end ? (int)(end - k) : 0;
		snprintf(out, n, "%s%s%.*s", l->base, l->base[0] ? "." : "", klen, k);
		return;
	}
	snprintf(out, n, "%s", l->base);
	for (unsigned i = 0; i < l->nseg; i++)
		if (l->seg[i].col <= col)
			snprintf(out, n, "%s", l->seg[i].field);
}
