#include "template.h"

#include <ctype.h>
#include <string.h>

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_';
}

/* Length of the reference starting at s (after '%'); 0 when none. */
static size_t ref_len(const char *s)
{
	size_t n = 0;
	while (name_char(s[n]))
		n++;
	if (s[n] == '[') {
		const char *close = strchr(s + n, ']');
		if (close)
			return (size_t)(close - s) + 1;
	}
	while (n && s[n - 1] == '.')
		n--;
	return n;
}

int tmpl_compile(struct arena *a, const struct doc_text *t, struct tmpl *out, struct diag *d)
{
	const char *s = t->text;
	size_t cap = 2, i = 0, lit = 0;
	int rc = 0;

	for (const char *p = s; *p; p++)
		cap += *p == '%' ? 2 : 0;
	out->segs = arena_alloc(a, cap * sizeof(*out->segs));
	out->n = 0;
	if (!out->segs)
		return -1;
	while (s[i]) {
		if (s[i] != '%') {
			i++;
			continue;
		}
		size_t n = ref_len(s + i + 1);
		struct rp_str key;
		const struct field_def *f = n ? field_lookup(s + i + 1, n, &key) : NULL;
		if (s[i + 1] == '%') { /* "%%": the text so far plus one '%' */
			out->segs[out->n++] = (struct tmpl_seg){NULL, {s + lit, (uint32_t)(i + 1 - lit)}};
			i += 2, lit = i;
			continue;
		}
		if (!f) { /* a lone '%' stays literal; a bad name is an error */
			if (n) {
				diag_add(d, doc_text_pos(t, i), "unknown field '%.*s' in output (see `rampart rules "
					 "fields`)", (int)n, s + i + 1);
				rc = -1;
			}
			i++;
			continue;
		}
		if (i > lit)
			out->segs[out->n++] = (struct tmpl_seg){NULL, {s + lit, (uint32_t)(i - lit)}};
		out->segs[out->n++] = (struct tmpl_seg){f, key};
		i += 1 + n;
		lit = i;
	}
	if (i > lit)
		out->segs[out->n++] = (struct tmpl_seg){NULL, {s + lit, (uint32_t)(i - lit)}};
	/* the segments point into t->text, which the document owns: copy */
	for (uint32_t k = 0; k < out->n; k++) {
		char *c = arena_strndup(a, out->segs[k].text.ptr, out->segs[k].text.len);
		if (!c)
			return -1;
		out->segs[k].text.ptr = c;
	}
	return rc;
}

struct sink {
	char *p;
	size_t n, cap;
};

static void put(struct sink *k, const char *s, size_t n)
{
	if (n > k->cap - 1 - k->n)
		n = k->cap - 1 - k->n;
	if (n == 0)
		return; /* s may be NULL for an empty field */
	memcpy(k->p + k->n, s, n);
	k->n += n;
}

static void put_int(struct sink *k, int64_t v)
{
	char b[24];
	int i = 24;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do
		b[--i] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		b[--i] = '-';
	put(k, b + i, (size_t)(24 - i));
}

static void put_field(struct sink *k, const struct tmpl_seg *g, const struct rp_event *ev, struct field_scratch *sc)
{
	struct field_val v;
	if (!field_get(g->field, ev, g->text, sc, &v)) {
		put(k, "<NA>", 4);
		return;
	}
	switch (g->field->type) {
	case FT_STR: put(k, v.s.ptr, v.s.len); break;
	case FT_INT: put_int(k, v.i); break;
	case FT_BOOL: put(k, v.b ? "true" : "false", v.b ? 4 : 5); break;
	case FT_STRLIST:
		for (uint32_t i = 0; i < v.list.n; i++) {
			if (i)
				put(k, " ", 1);
			put(k, v.list.v[i].ptr, v.list.v[i].len);
		}
		break;
	default: break;
	}
}

size_t tmpl_render(const struct tmpl *t, const struct rp_event *ev, struct field_scratch *sc, char *out, size_t cap)
{
	struct sink k = {out, 0, cap};
	if (!cap)
		return 0;
	for (uint32_t i = 0; i < t->n; i++) {
		if (t->segs[i].field)
			put_field(&k, &t->segs[i], ev, sc);
		else
			put(&k, t->segs[i].text.ptr, t->segs[i].text.len);
	}
	out[k.n] = 0;
	return k.n;
}
