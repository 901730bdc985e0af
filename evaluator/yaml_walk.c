#include "yaml_walk.h"

#include <stdlib.h>
#include <string.h>

#include "labels.h"

static const char *kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a sequence";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

struct src_pos yw_pos(const struct ywalk *w, const yaml_node_t *n)
{
	return (struct src_pos){w->file, (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1};
}

yaml_node_t *yw_node(const struct ywalk *w, int idx)
{
	return yaml_document_get_node(w->ydoc, idx);
}

int yw_grow(void *p, size_t *cap, size_t n, size_t el)
{
	void **pp = p;
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 8;
	void *q = realloc(*pp, c * el);
	if (!q)
		return -1;
	memset((char *)q + *cap * el, 0, (c - *cap) * el);
	*pp = q;
	*cap = c;
	return 0;
}

static bool in_list(const char *const *l, const char *s)
{
	for (; l && *l; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

static void join(char *out, size_t cap, const char *const *l)
{
	size_t k = 0;
	out[0] = 0;
	for (; *l && k + 1 < cap; l++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s", k ? ", " : "", *l);
}

static bool seen_before(struct ywalk *w, yaml_node_t *map, yaml_node_pair_t *upto, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < upto; p++) {
		yaml_node_t *k = yw_node(w, p->key);
		if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
			return true;
	}
	return false;
}

bool yw_map(struct ywalk *w, yaml_node_t *n, const char *what, const char *const *allowed,
	    const char *const *required, yw_entry_fn fn, void *ctx)
{
	char exp[512];

	if (!n || n->type != YAML_MAPPING_NODE) {
		if (n)
			diag_add(w->d, yw_pos(w, n), "expected a mapping for %s, found %s", what, kind(n));
		return false;
	}
	join(exp, sizeof(exp), allowed);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yw_node(w, p->key), *v = yw_node(w, p->value);
		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			diag_add(w->d, yw_pos(w, k), "expected a scalar key in %s (one of: %s)", what, exp);
			continue;
		}
		const char *key = (const char *)k->data.scalar.value;
		if (!in_list(allowed, key))
			diag_add(w->d, yw_pos(w, k), "unknown key '%s' in %s (expected one of: %s)", key, what, exp);
		else if (seen_before(w, n, p, key))
			diag_add(w->d, yw_pos(w, k), "duplicate key '%s' in %s", key, what);
		else
			fn(w, key, v, ctx);
	}
	for (; required && *required; required++) {
		bool found = false;
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yw_node(w, p->key);
			if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, *required) == 0)
				found = true;
		}
		if (!found)
			diag_add(w->d, yw_pos(w, n), "missing key '%s' in %s", *required, what);
	}
	return true;
}

bool yw_is_seq(struct ywalk *w, yaml_node_t *n, const char *what)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return true;
	diag_add(w->d, yw_pos(w, n), "expected a sequence for %s, found %s", what, kind(n));
	return false;
}

char *yw_str(struct ywalk *w, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		diag_add(w->d, yw_pos(w, n), "expected a string for %s, found %s", what, kind(n));
		return NULL;
	}
	if (n->data.scalar.length == 0) {
		diag_add(w->d, yw_pos(w, n), "expected a non-empty string for %s", what);
		return NULL;
	}
	if (memchr(n->data.scalar.value, 0, n->data.scalar.length)) {
		diag_add(w->d, yw_pos(w, n), "%s contains a NUL character", what);
		return NULL;
	}
	return strdup((const char *)n->data.scalar.value);
}

int yw_bool(struct ywalk *w, yaml_node_t *n, const char *what, bool *out)
{
	static const char *const names[] = {"false", "true"};
	int i = yw_enum(w, n, what, names, 2);
	if (i < 0)
		return -1;
	*out = i == 1;
	return 0;
}

int yw_enum(struct ywalk *w, yaml_node_t *n, const char *what, const char *const *names, size_t count)
{
	char exp[512];
	size_t k = 0;

	if (n->type == YAML_SCALAR_NODE)
		for (size_t i = 0; i < count; i++)
			if (strcmp((const char *)n->data.scalar.value, names[i]) == 0)
				return (int)i;
	exp[0] = 0;
	for (size_t i = 0; i < count && k + 1 < sizeof(exp); i++)
		k += (size_t)snprintf(exp + k, sizeof(exp) - k, "%s%s", i ? "|" : "", names[i]);
	if (n->type == YAML_SCALAR_NODE)
		diag_add(w->d, yw_pos(w, n), "unknown %s '%s' (expected %s)", what, (const char *)n->data.scalar.value,
			 exp);
	else
		diag_add(w->d, yw_pos(w, n), "expected %s for %s, found %s", exp, what, kind(n));
	return -1;
}

int yw_text(struct ywalk *w, yaml_node_t *n, const char *what, struct doc_text *out)
{
	char *s = yw_str(w, n, what);
	size_t a = n->start_mark.index, b = n->end_mark.index;

	if (!s)
		return -1;
	if (b > w->srclen || a > b)
		a = b = 0;
	out->text = s;
	out->pos = yw_pos(w, n);
	out->style = (int)n->data.scalar.style;
	out->raw = strndup(w->src + a, b - a);
	if (!out->raw) {
		free(s);
		out->text = NULL;
		return -1;
	}
	return 0;
}

char **yw_strlist(struct ywalk *w, yaml_node_t *n, const char *what, size_t *count)
{
	size_t cap = 0, k = 0;
	char **v = NULL;

	*count = 0;
	if (!yw_is_seq(w, n, what))
		return NULL;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = yw_node(w, *it);
		char *s = e ? yw_str(w, e, what) : NULL;
		if (!s)
			continue;
		if (yw_grow(&v, &cap, k, sizeof(*v)) < 0) {
			free(s);
			break;
		}
		v[k++] = s;
	}
	*count = k;
	return v;
}

static void label_check(struct ywalk *w, yaml_node_t *kn, yaml_node_t *vn, const char *what)
{
	char why[160];
	const char *key = (const char *)kn->data.scalar.value, *val = (const char *)vn->data.scalar.value;
	if (labels_key_check(key, why, sizeof(why)) < 0)
		diag_add(w->d, yw_pos(w, kn), "invalid label key '%s' in %s: %s", key, what, why);
	if (labels_value_check(val, why, sizeof(why)) < 0)
		diag_add(w->d, yw_pos(w, vn), "invalid label value '%s' for '%s' in %s: %s", val, key, what, why);
}

struct doc_label *yw_labels(struct ywalk *w, yaml_node_t *n, const char *what, size_t *count)
{
	struct doc_label *v = NULL;
	size_t cap = 0, k = 0;

	*count = 0;
	if (n->type != YAML_MAPPING_NODE) {
		diag_add(w->d, yw_pos(w, n), "expected a mapping of label key: value for %s, found %s", what, kind(n));
		return NULL;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yw_node(w, p->key), *vn = yw_node(w, p->value);
		if (!kn || !vn || kn->type != YAML_SCALAR_NODE || vn->type != YAML_SCALAR_NODE) {
			diag_add(w->d, yw_pos(w, kn ? kn : n), "expected a scalar label key and value in %s", what);
			continue;
		}
		if (seen_before(w, n, p, (const char *)kn->data.scalar.value)) {
			diag_add(w->d, yw_pos(w, kn), "duplicate label key '%s' in %s", kn->data.scalar.value, what);
			continue;
		}
		label_check(w, kn, vn, what);
		if (yw_grow(&v, &cap, k, sizeof(*v)) < 0)
			break;
		v[k].key = strdup((const char *)kn->data.scalar.value);
		v[k].value = strdup((const char *)vn->data.scalar.value);
		v[k].pos = yw_pos(w, kn);
		if (!v[k].key || !v[k].value) {
			free(v[k].key);
			free(v[k].value);
			break;
		}
		k++;
	}
	*count = k;
	return v;
}
