#include "schema_resolve.h"

#include <avro.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "avro_binary.h"
#include "avro_validate.h"
#include "schema_json.h"

struct schema_resolver {
	json_t *reader, *rnames;      /* reader schema and its named types */
	avro_schema_t wschema, pschema; /* writer, projected reader */
	avro_value_iface_t *rw_iface, *gen_iface;
};

struct side {
	json_t *names;
	const char *ns;
};

/* ---------------- projection ---------------- */

static json_t *project(json_t *rs, struct side r, json_t *ws, struct side w, struct codec_error *err);

static const char *short_name(json_t *def)
{
	const char *n = json_string_value(json_object_get(def, "name"));
	const char *dot = n ? strrchr(n, '.') : NULL;

	return dot ? dot + 1 : n;
}

static json_t *field_named(json_t *fields, const char *name)
{
	json_t *f;
	size_t i;

	json_array_foreach(fields, i, f)
		if (json_is_string(json_object_get(f, "name")) &&
		    !strcmp(json_string_value(json_object_get(f, "name")), name))
			return f;
	return NULL;
}

static int project_field(json_t *out, json_t *rf, json_t *wfields, struct side r, struct side w,
			 struct codec_error *err)
{
	const char *name = json_string_value(json_object_get(rf, "name"));
	json_t *wf = name ? field_named(wfields, name) : NULL;
	json_t *copy, *type;

	if (!wf)
		return json_object_get(rf, "default") ? 0 : -1;
	type = project(json_object_get(rf, "type"), r, json_object_get(wf, "type"), w, err);
	copy = json_copy(rf);
	if (!type || !copy || json_object_set_new(copy, "type", type)) {
		json_decref(copy);
		return -1;
	}
	return json_array_append_new(out, copy);
}

static json_t *project_record(json_t *rd, struct side r, json_t *wd, struct side w,
			      struct codec_error *err)
{
	char rns[SJ_NAME_MAX], wns[SJ_NAME_MAX];
	json_t *fields = json_array(), *out = json_copy(rd), *f;
	size_t i;

	if (!fields || !out || sj_child_ns(rns, sizeof(rns), rd, r.ns) ||
	    sj_child_ns(wns, sizeof(wns), wd, w.ns))
		goto fail;
	r.ns = rns;
	w.ns = wns;
	json_array_foreach(json_object_get(rd, "fields"), i, f) {
		if (project_field(fields, f, json_object_get(wd, "fields"), r, w, err)) {
			if (err && !err->msg[0]) /* keep the innermost field's report */
				codec_fail(err, 0, "reader field %s.%s: writer lacks it and it has no default",
				   short_name(rd), json_string_value(json_object_get(f, "name")));
			goto fail;
		}
	}
	if (json_object_set_new(out, "fields", fields))
		goto fail_out;
	return out;
fail:
	json_decref(fields);
fail_out:
	json_decref(out);
	return NULL;
}

/* The writer union branch that is the same named type as reader branch rb. */
static json_t *match_branch(json_t *rb, struct side r, json_t *wu, struct side w)
{
	json_t *rd = sj_deref(rb, r.ns, r.names), *wb;
	size_t i;

	if (!rd || !json_is_object(rd))
		return NULL;
	json_array_foreach(wu, i, wb) {
		json_t *wd = sj_deref(wb, w.ns, w.names);
		if (wd && json_is_object(wd) && !strcmp(sj_kind(rd), sj_kind(wd)) &&
		    (!sj_is_named(sj_kind(rd)) || !strcmp(short_name(rd), short_name(wd))))
			return wb;
	}
	return NULL;
}

static json_t *project_union(json_t *ru, struct side r, json_t *ws, struct side w,
			     struct codec_error *err)
{
	json_t *out = json_array(), *rb;
	size_t i;

	if (!out)
		return NULL;
	json_array_foreach(ru, i, rb) {
		json_t *single = json_array();
		json_t *wb = json_is_array(ws) ? match_branch(rb, r, ws, w)
					       : (json_array_append(single, ws) == 0
							  ? match_branch(rb, r, single, w) : NULL);
		json_decref(single);
		json_t *pb = wb ? project(rb, r, wb, w, err) : json_deep_copy(rb);
		if (!pb || json_array_append_new(out, pb)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

static json_t *project_child(json_t *rd, struct side r, json_t *wd, struct side w, const char *key,
			     struct codec_error *err)
{
	json_t *out = json_copy(rd);
	json_t *child = project(json_object_get(rd, key), r, json_object_get(wd, key), w, err);

	if (!out || !child || json_object_set_new(out, key, child)) {
		json_decref(out);
		json_decref(child);
		return NULL;
	}
	return out;
}

/* The reader schema rs with every record restricted to the writer's fields. */
static json_t *project(json_t *rs, struct side r, json_t *ws, struct side w, struct codec_error *err)
{
	json_t *rd = sj_deref(rs, r.ns, r.names), *wd = sj_deref(ws, w.ns, w.names);
	const char *rk = rd ? sj_kind(rd) : NULL, *wk = wd ? sj_kind(wd) : NULL;

	if (!rd || !wd || !rk || !wk || json_is_string(rs))
		return json_deep_copy(rs); /* a reference: projected where defined */
	if (!strcmp(rk, "union"))
		return project_union(rd, r, wd, w, err);
	if (strcmp(rk, wk))
		return json_deep_copy(rs);
	if (!strcmp(rk, "record"))
		return project_record(rd, r, wd, w, err);
	if (!strcmp(rk, "array"))
		return project_child(rd, r, wd, w, "items", err);
	if (!strcmp(rk, "map"))
		return project_child(rd, r, wd, w, "values", err);
	return json_deep_copy(rs);
}

/* ---------------- re-serialisation in the reader schema ---------------- */

struct emit {
	struct rp_buf *out;
	json_t *names;
};

static int emit_value(struct emit *e, json_t *rs, const char *ns, avro_value_t *v);
static int emit_default(struct emit *e, json_t *rs, const char *ns, json_t *def);

static int wr_le(struct rp_buf *b, uint64_t bits, int n)
{
	uint8_t d[8];

	for (int i = 0; i < n; i++)
		d[i] = (uint8_t)(bits >> (8 * i));
	return buf_append(b, d, (size_t)n);
}

static int wr_float(struct rp_buf *b, float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return wr_le(b, u, 4);
}

static int wr_double(struct rp_buf *b, double d)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	return wr_le(b, u, 8);
}

static int wr_raw_str(struct rp_buf *b, const void *p, size_t n)
{
	return wr_long(b, (int64_t)n) || buf_append(b, p, n);
}

static int enum_index(json_t *rd, const char *sym)
{
	json_t *s;
	size_t i;

	json_array_foreach(json_object_get(rd, "symbols"), i, s)
		if (sym && !strcmp(json_string_value(s), sym))
			return (int)i;
	return -1;
}

static int default_record(struct emit *e, json_t *rd, const char *ns, json_t *def)
{
	char child[SJ_NAME_MAX];
	json_t *f;
	size_t i;

	if (!json_is_object(def) || sj_child_ns(child, sizeof(child), rd, ns))
		return -1;
	json_array_foreach(json_object_get(rd, "fields"), i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		json_t *v = json_object_get(def, name);
		if (emit_default(e, json_object_get(f, "type"), child, v ? v : json_object_get(f, "default")))
			return -1;
	}
	return 0;
}

static int default_list(struct emit *e, json_t *rd, const char *ns, json_t *def, bool map)
{
	json_t *item = json_object_get(rd, map ? "values" : "items"), *v;
	const char *key;
	size_t i, n = map ? json_object_size(def) : json_array_size(def);

	if (map ? !json_is_object(def) : !json_is_array(def))
		return -1;
	if (n && wr_long(e->out, (int64_t)n))
		return -1;
	if (map) {
		json_object_foreach(def, key, v)
			if (wr_raw_str(e->out, key, strlen(key)) || emit_default(e, item, ns, v))
				return -1;
	} else {
		json_array_foreach(def, i, v)
			if (emit_default(e, item, ns, v))
				return -1;
	}
	return wr_long(e->out, 0);
}

static int default_scalar(struct emit *e, const char *k, json_t *rd, json_t *def)
{
	struct rp_buf *b = e->out;

	if (!strcmp(k, "null"))
		return json_is_null(def) ? 0 : -1;
	if (!strcmp(k, "boolean"))
		return json_is_boolean(def) ? wr_bool(b, json_is_true(def)) : -1;
	if (!strcmp(k, "int") || !strcmp(k, "long"))
		return json_is_integer(def) ? wr_long(b, json_integer_value(def)) : -1;
	if (!strcmp(k, "float"))
		return json_is_number(def) ? wr_float(b, (float)json_number_value(def)) : -1;
	if (!strcmp(k, "double"))
		return json_is_number(def) ? wr_double(b, json_number_value(def)) : -1;
	if (!strcmp(k, "string") || !strcmp(k, "bytes"))
		return json_is_string(def) ? wr_raw_str(b, json_string_value(def), json_string_length(def)) : -1;
	if (!strcmp(k, "fixed"))
		return json_is_string(def) ? buf_append(b, json_string_value(def), json_string_length(def)) : -1;
	if (!strcmp(k, "enum")) {
		int i = enum_index(rd, json_string_value(def));
		return i < 0 ? -1 : wr_long(b, i);
	}
	return -1;
}

/* A field default is the JSON encoding of a value of the field's type (a
 * union's default belongs to its first branch). */
static int emit_default(struct emit *e, json_t *rs, const char *ns, json_t *def)
{
	json_t *rd = sj_deref(rs, ns, e->names);
	const char *k = rd ? sj_kind(rd) : NULL;

	if (!k || !def)
		return -1;
	if (!strcmp(k, "union"))
		return wr_long(e->out, 0) || emit_default(e, json_array_get(rd, 0), ns, def);
	if (!strcmp(k, "record"))
		return default_record(e, rd, ns, def);
	if (!strcmp(k, "array") || !strcmp(k, "map"))
		return default_list(e, rd, ns, def, !strcmp(k, "map"));
	return default_scalar(e, k, rd, def);
}

static int emit_record(struct emit *e, json_t *rd, const char *ns, avro_value_t *v)
{
	char child[SJ_NAME_MAX];
	avro_value_t fv;
	json_t *f;
	size_t i;

	if (sj_child_ns(child, sizeof(child), rd, ns))
		return -1;
	json_array_foreach(json_object_get(rd, "fields"), i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		json_t *type = json_object_get(f, "type");
		int rc = name && avro_value_get_by_name(v, name, &fv, NULL) == 0
				 ? emit_value(e, type, child, &fv)
				 : emit_default(e, type, child, json_object_get(f, "default"));
		if (rc)
			return -1;
	}
	return 0;
}

static int emit_list(struct emit *e, json_t *rd, const char *ns, avro_value_t *v, bool map)
{
	json_t *item = json_object_get(rd, map ? "values" : "items");
	const char *key;
	avro_value_t ev;
	size_t n;

	if (avro_value_get_size(v, &n) || (n && wr_long(e->out, (int64_t)n)))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (avro_value_get_by_index(v, i, &ev, &key) ||
		    (map && wr_raw_str(e->out, key, strlen(key))) || emit_value(e, item, ns, &ev))
			return -1;
	}
	return wr_long(e->out, 0);
}

static int emit_union(struct emit *e, json_t *rd, const char *ns, avro_value_t *v)
{
	avro_value_t branch;
	int d;

	if (avro_value_get_discriminant(v, &d) || avro_value_get_current_branch(v, &branch) || d < 0 ||
	    (size_t)d >= json_array_size(rd))
		return -1;
	return wr_long(e->out, d) || emit_value(e, json_array_get(rd, (size_t)d), ns, &branch);
}

static int emit_scalar(struct emit *e, const char *k, avro_value_t *v)
{
	struct rp_buf *b = e->out;
	const void *p;
	const char *s;
	size_t n;
	int32_t i;
	int64_t l;
	float f;
	double d;
	int bl;

	if (!strcmp(k, "null"))
		return 0;
	if (!strcmp(k, "boolean"))
		return avro_value_get_boolean(v, &bl) || wr_bool(b, bl);
	if (!strcmp(k, "int") || !strcmp(k, "enum")) {
		if (!strcmp(k, "enum"))
			return avro_value_get_enum(v, &bl) || wr_long(b, bl);
		return avro_value_get_int(v, &i) || wr_long(b, i);
	}
	if (!strcmp(k, "long"))
		return avro_value_get_long(v, &l) || wr_long(b, l);
	if (!strcmp(k, "float"))
		return avro_value_get_float(v, &f) || wr_float(b, f);
	if (!strcmp(k, "double"))
		return avro_value_get_double(v, &d) || wr_double(b, d);
	if (!strcmp(k, "string")) /* avro-c counts the NUL it adds */
		return avro_value_get_string(v, &s, &n) || n == 0 || wr_raw_str(b, s, n - 1);
	if (!strcmp(k, "bytes"))
		return avro_value_get_bytes(v, &p, &n) || wr_raw_str(b, p, n);
	if (!strcmp(k, "fixed"))
		return avro_value_get_fixed(v, &p, &n) || buf_append(b, p, n);
	return -1;
}

static int emit_value(struct emit *e, json_t *rs, const char *ns, avro_value_t *v)
{
	json_t *rd = sj_deref(rs, ns, e->names);
	const char *k = rd ? sj_kind(rd) : NULL;

	if (!k)
		return -1;
	if (!strcmp(k, "record"))
		return emit_record(e, rd, ns, v);
	if (!strcmp(k, "union"))
		return emit_union(e, rd, ns, v);
	if (!strcmp(k, "array") || !strcmp(k, "map"))
		return emit_list(e, rd, ns, v, !strcmp(k, "map"));
	return emit_scalar(e, k, v);
}

/* ---------------- lifecycle ---------------- */

static avro_schema_t parse_avro(json_t *j, struct codec_error *err)
{
	char *text = json_dumps(j, JSON_COMPACT);
	avro_schema_t s = NULL;

	if (!text || avro_schema_from_json_length(text, strlen(text), &s)) {
		codec_fail(err, 0, "avro-c rejects schema: %s", text ? avro_strerror() : "no memory");
		s = NULL;
	}
	free(text);
	return s;
}

static int setup_avro(struct schema_resolver *res, json_t *writer, json_t *projected,
		      struct codec_error *err)
{
	res->wschema = parse_avro(writer, err);
	res->pschema = res->wschema ? parse_avro(projected, err) : NULL;
	if (!res->pschema)
		return -1;
	res->rw_iface = avro_resolved_writer_new(res->wschema, res->pschema);
	if (!res->rw_iface)
		return codec_fail(err, 0, "incompatible writer schema: %s", avro_strerror());
	res->gen_iface = avro_generic_class_from_schema(res->pschema);
	if (!res->gen_iface)
		return codec_fail(err, 0, "avro-c: %s", avro_strerror());
	return 0;
}

static json_t *load(const char *text, size_t len, struct codec_error *err)
{
	json_error_t jerr;
	json_t *j = json_loadb(text, len, 0, &jerr);

	if (!j)
		codec_fail(err, (size_t)jerr.position, "schema JSON: %s", jerr.text);
	return j;
}

static int build(struct schema_resolver *res, json_t *writer, struct codec_error *err)
{
	json_t *wnames = json_object();
	json_t *projected = NULL;
	int rc = -1;

	res->rnames = json_object();
	if (!wnames || !res->rnames || sj_collect_names(res->reader, "", res->rnames) ||
	    sj_collect_names(writer, "", wnames)) {
		codec_fail(err, 0, "malformed schema");
		goto out;
	}
	if (err)
		err->msg[0] = '\0';
	projected = project(res->reader, (struct side){res->rnames, ""}, writer,
			    (struct side){wnames, ""}, err);
	if (!projected) {
		if (!err || !err->msg[0])
			codec_fail(err, 0, "cannot project the reader schema onto the writer's");
		goto out;
	}
	rc = setup_avro(res, writer, projected, err);
out:
	json_decref(projected);
	json_decref(wnames);
	return rc;
}

struct schema_resolver *schema_resolver_new(const char *writer_json, size_t wlen,
					    const char *reader_json, size_t rlen,
					    struct codec_error *err)
{
	struct schema_resolver *res = calloc(1, sizeof(*res));
	json_t *writer = NULL;

	if (!res) {
		codec_fail(err, 0, "out of memory");
		return NULL;
	}
	res->reader = load(reader_json, rlen, err);
	writer = res->reader ? load(writer_json, wlen, err) : NULL;
	if (!writer || build(res, writer, err)) {
		json_decref(writer);
		schema_resolver_free(res);
		return NULL;
	}
	json_decref(writer);
	return res;
}

void schema_resolver_free(struct schema_resolver *res)
{
	if (!res)
		return;
	if (res->gen_iface)
		avro_value_iface_decref(res->gen_iface);
	if (res->rw_iface)
		avro_value_iface_decref(res->rw_iface);
	if (res->pschema)
		avro_schema_decref(res->pschema);
	if (res->wschema)
		avro_schema_decref(res->wschema);
	json_decref(res->rnames);
	json_decref(res->reader);
	free(res);
}

/* avro-c reads the writer data into a generic value of the projected reader
 * schema; the values are made per message and freed before returning, so a
 * resolver holds no per-message state (and avro-c none between messages). */
static int read_writer_data(struct schema_resolver *res, const uint8_t *p, size_t n,
			    avro_value_t *dest, struct codec_error *err)
{
	avro_value_t resolved;
	avro_reader_t reader;
	int rc;

	if (avro_generic_value_new(res->gen_iface, dest))
		return codec_fail(err, 0, "avro-c: %s", avro_strerror());
	if (avro_resolved_writer_new_value(res->rw_iface, &resolved)) {
		avro_value_decref(dest);
		return codec_fail(err, 0, "avro-c: %s", avro_strerror());
	}
	avro_resolved_writer_set_dest(&resolved, dest);
	reader = avro_reader_memory((const char *)p, (int64_t)n);
	rc = reader ? avro_value_read(reader, &resolved) : -1;
	if (reader)
		avro_reader_free(reader);
	avro_value_decref(&resolved);
	if (rc) {
		avro_value_decref(dest);
		return codec_fail(err, 0, "avro-c cannot read writer data: %s", avro_strerror());
	}
	return 0;
}

int schema_resolver_run(struct schema_resolver *res, const uint8_t *p, size_t n,
			struct rp_buf *out, struct codec_error *err)
{
	struct emit e = {out, res->rnames};
	avro_value_t dest;
	int rc;

	if (avro_validate(res->wschema, p, n, err) || read_writer_data(res, p, n, &dest, err))
		return -1;
	buf_reset(out);
	rc = emit_value(&e, res->reader, "", &dest);
	avro_value_decref(&dest);
	if (rc)
		return codec_fail(err, 0, "cannot re-encode writer data in the reader schema");
	return 0;
}
