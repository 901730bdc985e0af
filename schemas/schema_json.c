#include "schema_json.h"

#include <stdio.h>
#include <string.h>

static const char *const primitives[] = {"null",  "boolean", "int",   "long",
					  "float", "double",  "bytes", "string"};

bool sj_is_primitive(const char *type)
{
	for (size_t i = 0; i < sizeof(primitives) / sizeof(primitives[0]); i++)
		if (strcmp(type, primitives[i]) == 0)
			return true;
	return false;
}

bool sj_is_named(const char *type)
{
	return !strcmp(type, "record") || !strcmp(type, "enum") || !strcmp(type, "fixed") ||
	       !strcmp(type, "error");
}

int sj_fullname(char *out, size_t cap, const char *name, const char *ns)
{
	int n;

	if (strchr(name, '.') || !ns || !*ns)
		n = snprintf(out, cap, "%s", name);
	else
		n = snprintf(out, cap, "%s.%s", ns, name);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int sj_child_ns(char *out, size_t cap, json_t *def, const char *ns)
{
	const char *name = json_string_value(json_object_get(def, "name"));
	const char *own = json_string_value(json_object_get(def, "namespace"));
	char full[SJ_NAME_MAX];
	char *dot;

	if (!name || sj_fullname(full, sizeof(full), name, own ? own : ns))
		return -1;
	dot = strrchr(full, '.');
	if (dot)
		*dot = '\0';
	else
		full[0] = '\0';
	return snprintf(out, cap, "%s", full) >= (int)cap ? -1 : 0;
}

static int collect_named(json_t *s, const char *ns, json_t *names)
{
	char full[SJ_NAME_MAX], child[SJ_NAME_MAX];
	const char *name = json_string_value(json_object_get(s, "name"));
	const char *own = json_string_value(json_object_get(s, "namespace"));
	json_t *fields = json_object_get(s, "fields"), *f;
	size_t i;

	if (!name || sj_fullname(full, sizeof(full), name, own ? own : ns) ||
	    sj_child_ns(child, sizeof(child), s, ns))
		return -1;
	if (json_object_set(names, full, s))
		return -1;
	json_array_foreach(fields, i, f)
		if (sj_collect_names(json_object_get(f, "type"), child, names))
			return -1;
	return 0;
}

int sj_collect_names(json_t *s, const char *ns, json_t *names)
{
	json_t *t, *b;
	size_t i;

	if (json_is_array(s)) {
		json_array_foreach(s, i, b)
			if (sj_collect_names(b, ns, names))
				return -1;
		return 0;
	}
	if (!json_is_object(s))
		return json_is_string(s) ? 0 : -1;
	t = json_object_get(s, "type");
	if (!json_is_string(t))
		return sj_collect_names(t, ns, names);
	if (sj_is_named(json_string_value(t)))
		return collect_named(s, ns, names);
	if (!strcmp(json_string_value(t), "array"))
		return sj_collect_names(json_object_get(s, "items"), ns, names);
	if (!strcmp(json_string_value(t), "map"))
		return sj_collect_names(json_object_get(s, "values"), ns, names);
	return 0;
}

json_t *sj_deref(json_t *s, const char *ns, json_t *names)
{
	char full[SJ_NAME_MAX];

	for (int depth = 0; depth < 32 && s; depth++) {
		if (json_is_string(s)) {
			const char *v = json_string_value(s);
			if (sj_is_primitive(v))
				return s;
			if (sj_fullname(full, sizeof(full), v, ns))
				return NULL;
			s = json_object_get(names, full);
			ns = NULL; /* definitions carry absolute names in the table */
			continue;
		}
		if (json_is_array(s))
			return s;
		json_t *t = json_object_get(s, "type");
		if (json_is_string(t) && (sj_is_named(json_string_value(t)) ||
					  !strcmp(json_string_value(t), "array") ||
					  !strcmp(json_string_value(t), "map")))
			return s;
		s = t;
	}
	return NULL;
}

const char *sj_kind(json_t *s)
{
	if (json_is_array(s))
		return "union";
	if (json_is_string(s))
		return json_string_value(s);
	return json_string_value(json_object_get(s, "type"));
}
