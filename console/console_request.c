#include "console_request.h"

#include <stdio.h>
#include <string.h>

enum shape { S_STRING, S_TEXT, S_LABELS, S_RULES, S_NAMES };

struct field_spec {
	const char *key;
	enum shape shape;
};

static const struct field_spec ruleset_fields[] = {
	{"name", S_STRING}, {"description", S_TEXT}, {"labels", S_LABELS}, {"rules", S_RULES}, {NULL, 0}};
static const struct field_spec policy_fields[] = {
	{"name", S_STRING}, {"description", S_TEXT}, {"rulesets", S_NAMES}, {NULL, 0}};
static const struct field_spec cluster_fields[] = {{"name", S_STRING},   {"orchestrator", S_STRING},
						   {"labels", S_LABELS}, {"policy", S_STRING},
						   {"protection_version", S_STRING}, {NULL, 0}};
static const struct field_spec *const kind_fields[CONSOLE_KINDS] = {ruleset_fields, policy_fields,
								    cluster_fields};

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static void allowed_keys(const struct field_spec *f, char *out, size_t n)
{
	size_t k = 0;
	out[0] = 0;
	for (; f->key && k < n; f++)
		k += (size_t)snprintf(out + k, n - k, "%s%s", k ? ", " : "", f->key);
}

static int want_string(const json_t *v, const char *field, struct console_error *e)
{
	if (json_is_string(v))
		return 0;
	return console_fail(e, 400, field, "%s must be a string, not %s", field, type_name(v));
}

static int labels_shape(const json_t *v, struct console_error *e)
{
	const char *key;
	json_t *val;
	size_t i = 0;
	char field[64];

	if (!json_is_object(v))
		return console_fail(e, 400, "labels", "labels must be an object of key: value strings, not %s",
				    type_name(v));
	json_object_foreach((json_t *)v, key, val) {
		snprintf(field, sizeof(field), "labels[%zu].value", i++);
		if (want_string(val, field, e))
			return -1;
	}
	return 0;
}

static int rule_shape(const json_t *r, size_t i, struct console_error *e)
{
	static const char *const keys[] = {"id", "enabled", "action", NULL};
	const char *key;
	json_t *val;
	char field[64];

	snprintf(field, sizeof(field), "rules[%zu]", i);
	if (!json_is_object(r))
		return console_fail(e, 400, field, "%s must be an object {id, enabled, action}, not %s", field,
				    type_name(r));
	json_object_foreach((json_t *)r, key, val) {
		size_t k = 0;
		while (keys[k] && strcmp(keys[k], key) != 0)
			k++;
		snprintf(field, sizeof(field), "rules[%zu].%.24s", i, key);
		if (!keys[k])
			return console_fail(e, 400, field, "unknown field '%s' in rules[%zu] (expected id, enabled, "
					    "action)", key, i);
		if (k == 1 ? !json_is_boolean(val) : !json_is_string(val))
			return console_fail(e, 400, field, "%s must be %s, not %s", field,
					    k == 1 ? "true or false" : "a string", type_name(val));
	}
	return 0;
}

static int array_shape(const json_t *v, const char *field, bool rules, struct console_error *e)
{
	size_t i;
	json_t *item;
	char at[64];

	if (!json_is_array(v))
		return console_fail(e, 400, field, "%s must be an array, not %s", field, type_name(v));
	json_array_foreach(v, i, item) {
		snprintf(at, sizeof(at), "%s[%zu]", field, i);
		if (rules ? rule_shape(item, i, e) : want_string(item, at, e))
			return -1;
	}
	return 0;
}

static int value_shape(const struct field_spec *f, const json_t *v, struct console_error *e)
{
	switch (f->shape) {
	case S_STRING: return want_string(v, f->key, e);
	case S_TEXT: return want_string(v, f->key, e);
	case S_LABELS: return labels_shape(v, e);
	case S_RULES: return array_shape(v, f->key, true, e);
	case S_NAMES: return array_shape(v, f->key, false, e);
	}
	return 0;
}

/* Copies the known keys of in into out in spec order; absent, null and
 * empty optional values are left out. */
static int normalise(const struct field_spec *spec, const json_t *in, json_t *out, struct console_error *e)
{
	for (const struct field_spec *f = spec; f->key; f++) {
		json_t *v = json_object_get(in, f->key);
		if (!v || (json_is_null(v) && f->shape != S_STRING))
			continue;
		if (value_shape(f, v, e))
			return -1;
		if (f->shape == S_TEXT && json_string_length(v) == 0)
			continue;
		if (json_object_set(out, f->key, v))
			return console_fail(e, 500, NULL, "out of memory");
	}
	return 0;
}

static int known_keys(const struct field_spec *spec, const json_t *in, enum console_kind kind,
		      struct console_error *e)
{
	const char *key;
	json_t *val;
	char allowed[160];

	json_object_foreach((json_t *)in, key, val) {
		const struct field_spec *f = spec;
		while (f->key && strcmp(f->key, key) != 0)
			f++;
		if (f->key)
			continue;
		allowed_keys(spec, allowed, sizeof(allowed));
		return console_fail(e, 400, key, "unknown field '%.64s' in a %s (expected %s)", key,
				    console_kind_single[kind], allowed);
	}
	return 0;
}

json_t *console_request_parse(enum console_kind kind, const char *body, size_t len, bool name_optional,
			      struct console_error *e)
{
	json_error_t je;
	json_t *in, *out;

	if (len > CONSOLE_BODY_MAX)
		return console_fail(e, 413, NULL, "request body larger than %d bytes", CONSOLE_BODY_MAX), NULL;
	if (!(in = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je)))
		return console_fail(e, 400, NULL, "request body is not valid JSON: %s (line %d, column %d)",
				    je.text, je.line, je.column), NULL;
	out = json_object();
	if (!json_is_object(in))
		console_fail(e, 400, NULL, "request body must be a JSON object, not %s", type_name(in));
	else if (!out)
		console_fail(e, 500, NULL, "out of memory");
	else if (!known_keys(kind_fields[kind], in, kind, e) && !normalise(kind_fields[kind], in, out, e)) {
		if (json_object_get(out, "name") || name_optional) {
			json_decref(in);
			return out;
		}
		console_fail(e, 400, "name", "name is required");
	}
	json_decref(in);
	json_decref(out);
	return NULL;
}
