#include "schema_canonical.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"
#include "schema_json.h"

struct canon {
	struct rp_buf *out;
	json_t *seen; /* fullnames already defined: later uses are by name */
};

static int canon_schema(struct canon *c, json_t *s, const char *ns);

static int put(struct canon *c, const char *text)
{
	return buf_append(c->out, text, strlen(text));
}

/* JSON string with escapes normalised (UTF-8 kept as is, [STRINGS]). */
static int put_json_str(struct canon *c, const char *v)
{
	json_t *j = json_string(v);
	char *text;
	int rc;

	if (!j)
		return -1;
	text = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	if (!text)
		return -1;
	rc = put(c, text);
	free(text);
	return rc;
}

static int canon_fields(struct canon *c, json_t *fields, const char *ns)
{
	json_t *f;
	size_t i;

	if (!json_is_array(fields) || put(c, ",\"fields\":["))
		return -1;
	json_array_foreach(fields, i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		if (!name || put(c, i ? ",{\"name\":" : "{\"name\":") || put_json_str(c, name) ||
		    put(c, ",\"type\":") || canon_schema(c, json_object_get(f, "type"), ns) ||
		    put(c, "}"))
			return -1;
	}
	return put(c, "]");
}

static int canon_symbols(struct canon *c, json_t *symbols)
{
	json_t *s;
	size_t i;

	if (!json_is_array(symbols) || put(c, ",\"symbols\":["))
		return -1;
	json_array_foreach(symbols, i, s)
		if (!json_is_string(s) || (i && put(c, ",")) || put_json_str(c, json_string_value(s)))
			return -1;
	return put(c, "]");
}

static int canon_named(struct canon *c, json_t *s, const char *type, const char *ns)
{
	const char *name = json_string_value(json_object_get(s, "name"));
	const char *own = json_string_value(json_object_get(s, "namespace"));
	char full[SJ_NAME_MAX], child[SJ_NAME_MAX];
	char size[32];

	if (!name || sj_fullname(full, sizeof(full), name, own ? own : ns) ||
	    sj_child_ns(child, sizeof(child), s, ns))
		return -1;
	if (json_object_get(c->seen, full))
		return put_json_str(c, full);
	if (json_object_set_new(c->seen, full, json_true()) || put(c, "{\"name\":") ||
	    put_json_str(c, full) || put(c, ",\"type\":") || put_json_str(c, type))
		return -1;
	if (!strcmp(type, "enum") && canon_symbols(c, json_object_get(s, "symbols")))
		return -1;
	if (!strcmp(type, "fixed")) {
		if (!json_is_integer(json_object_get(s, "size")))
			return -1;
		snprintf(size, sizeof(size), ",\"size\":%lld",
			 (long long)json_integer_value(json_object_get(s, "size")));
		if (put(c, size))
			return -1;
	}
	if ((!strcmp(type, "record") || !strcmp(type, "error")) &&
	    canon_fields(c, json_object_get(s, "fields"), child))
		return -1;
	return put(c, "}");
}

static int canon_union(struct canon *c, json_t *s, const char *ns)
{
	json_t *b;
	size_t i;

	if (put(c, "["))
		return -1;
	json_array_foreach(s, i, b)
		if ((i && put(c, ",")) || canon_schema(c, b, ns))
			return -1;
	return put(c, "]");
}

static int canon_ref(struct canon *c, const char *v, const char *ns)
{
	char full[SJ_NAME_MAX];

	if (sj_is_primitive(v))
		return put_json_str(c, v);
	if (sj_fullname(full, sizeof(full), v, ns) || !json_object_get(c->seen, full))
		return -1; /* undefined name */
	return put_json_str(c, full);
}

static int canon_schema(struct canon *c, json_t *s, const char *ns)
{
	json_t *t;
	const char *type;

	if (json_is_string(s))
		return canon_ref(c, json_string_value(s), ns);
	if (json_is_array(s))
		return canon_union(c, s, ns);
	t = json_object_get(s, "type");
	if (!json_is_string(t))
		return t ? canon_schema(c, t, ns) : -1;
	type = json_string_value(t);
	if (sj_is_named(type))
		return canon_named(c, s, type, ns);
	if (!strcmp(type, "array"))
		return put(c, "{\"type\":\"array\",\"items\":") ||
		       canon_schema(c, json_object_get(s, "items"), ns) || put(c, "}");
	if (!strcmp(type, "map"))
		return put(c, "{\"type\":\"map\",\"values\":") ||
		       canon_schema(c, json_object_get(s, "values"), ns) || put(c, "}");
	return canon_ref(c, type, ns);
}

int schema_canonical_form(const char *json, size_t len, struct rp_buf *out, struct codec_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, len, JSON_DECODE_ANY, &jerr);
	struct canon c = {out, json_object()};
	size_t mark = out->len;
	int rc;

	if (!root || !c.seen) {
		json_decref(root);
		json_decref(c.seen);
		return codec_fail(err, root ? 0 : (size_t)jerr.position, "schema JSON: %s",
				  root ? "out of memory" : jerr.text);
	}
	rc = canon_schema(&c, root, "");
	json_decref(root);
	json_decref(c.seen);
	if (rc) {
		out->len = mark;
		return codec_fail(err, 0, "not a valid Avro schema (or out of memory)");
	}
	return 0;
}

int schema_fingerprint_json(const char *json, size_t len, uint64_t *fp, struct codec_error *err)
{
	struct rp_buf b = {0};

	if (schema_canonical_form(json, len, &b, err)) {
		buf_free(&b);
		return -1;
	}
	*fp = schema_fingerprint64((const char *)b.data, b.len);
	buf_free(&b);
	return 0;
}
