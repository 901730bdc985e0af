#include "verdict_format_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *vf_get(json_t *root, const char *path)
{
	char key[64];

	while (root && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		root = json_object_get(root, key);
		path += n + (path[n] == '.');
	}
	return root;
}

const char *vf_str(json_t *root, const char *path)
{
	const char *s = json_string_value(vf_get(root, path));

	return s ? s : "";
}

json_t *vf_nonempty(json_t *root, const char *path)
{
	const char *s = vf_str(root, path);

	return *s ? json_string(s) : json_null();
}

static const char *str_at(json_t *array, size_t i)
{
	const char *s = json_string_value(json_array_get(array, i));

	return s ? s : "";
}

char *vf_join(json_t *array, size_t from, char sep)
{
	size_t len = 1, n = json_array_size(array);
	char *out, *p;

	for (size_t i = from; i < n; i++)
		len += strlen(str_at(array, i)) + 1;
	out = p = malloc(len);
	if (!out)
		return NULL;
	*p = '\0';
	for (size_t i = from; i < n; i++) {
		const char *s = str_at(array, i);
		size_t sl = strlen(s);

		if (p != out)
			*p++ = sep;
		memcpy(p, s, sl + 1);
		p += sl;
	}
	return out;
}

const struct rp_rule_match *vf_primary(const struct rp_verdict *v)
{
	const struct rp_rule_match *best = NULL;

	for (uint32_t i = 0; i < v->nmatches; i++)
		if (!best || v->matches[i].severity > best->severity)
			best = &v->matches[i];
	return best;
}

int vf_set_opt(json_t *o, const char *key, json_t *part)
{
	if (!part)
		return -1;
	if (json_is_null(part))
		return 0;
	return json_object_set_new(o, key, part);
}

json_t *vf_view(struct rp_str s)
{
	json_t *j = s.len ? json_stringn(s.ptr, s.len) : json_string("");
	char *b, *p;

	if (j)
		return j;
	p = b = malloc((size_t)s.len * 4 + 1);
	if (!b)
		return NULL;
	for (uint32_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];

		if (c >= 0x80 || c == 0)
			p += sprintf(p, "\\x%02x", c);
		else
			*p++ = (char)c;
	}
	j = json_stringn(b, (size_t)(p - b));
	free(b);
	return j;
}
