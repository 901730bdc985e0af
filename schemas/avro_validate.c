#include "avro_validate.h"

#include "avro_binary.h"

#define MAX_DEPTH 64

static int check(struct avro_rd *r, avro_schema_t s, int depth);

static int skip_bytes(struct avro_rd *r, size_t n, const char *what)
{
	if (n > rd_left(r))
		return RD_FAIL0(r, rd_off(r), what, "truncated value");
	r->p += n;
	return 0;
}

static int check_record(struct avro_rd *r, avro_schema_t s, int depth)
{
	size_t n = avro_schema_record_size(s);

	for (size_t i = 0; i < n; i++)
		if (check(r, avro_schema_record_field_get_by_index(s, (int)i), depth + 1))
			return -1;
	return 0;
}

static int check_list(struct avro_rd *r, avro_schema_t items, bool map, int depth)
{
	struct rp_str key;
	uint32_t count;

	for (;;) {
		/* At most one item per remaining byte. */
		uint32_t room = rd_left(r) > UINT32_MAX ? UINT32_MAX : (uint32_t)rd_left(r);
		if (rd_block(r, room, &count, map ? "map" : "array"))
			return -1;
		if (count == 0)
			return 0;
		for (uint32_t i = 0; i < count; i++)
			if ((map && rd_str(r, &key, "map key")) || check(r, items, depth + 1))
				return -1;
	}
}

static int check_union(struct avro_rd *r, avro_schema_t s, int depth)
{
	uint32_t k;

	if (rd_index(r, (uint32_t)avro_schema_union_size(s), &k, "union", "union"))
		return -1;
	return check(r, avro_schema_union_branch(s, (int)k), depth + 1);
}

static int check_scalar(struct avro_rd *r, avro_schema_t s)
{
	struct rp_str str;
	int64_t l;
	int32_t i;
	bool b;
	uint32_t k;

	switch (avro_typeof(s)) {
	case AVRO_NULL: return 0;
	case AVRO_BOOLEAN: return rd_bool(r, &b, "boolean");
	case AVRO_INT32: return rd_int(r, &i, "int");
	case AVRO_INT64: return rd_long(r, &l, "long");
	case AVRO_FLOAT: return skip_bytes(r, 4, "float");
	case AVRO_DOUBLE: return skip_bytes(r, 8, "double");
	case AVRO_STRING:
	case AVRO_BYTES: return rd_str(r, &str, "string");
	case AVRO_FIXED: return skip_bytes(r, (size_t)avro_schema_fixed_size(s), "fixed");
	case AVRO_ENUM:
		return rd_index(r, (uint32_t)avro_schema_enum_number_of_symbols(s), &k, "enum", "enum");
	default: return RD_FAIL0(r, rd_off(r), "schema", "unsupported schema type");
	}
}

static int check(struct avro_rd *r, avro_schema_t s, int depth)
{
	if (depth > MAX_DEPTH)
		return RD_FAIL0(r, rd_off(r), "schema", "nesting too deep");
	while (is_avro_link(s))
		s = avro_schema_link_target(s);
	switch (avro_typeof(s)) {
	case AVRO_RECORD: return check_record(r, s, depth);
	case AVRO_ARRAY: return check_list(r, avro_schema_array_items(s), false, depth);
	case AVRO_MAP: return check_list(r, avro_schema_map_values(s), true, depth);
	case AVRO_UNION: return check_union(r, s, depth);
	default: return check_scalar(r, s);
	}
}

int avro_validate(avro_schema_t schema, const uint8_t *p, size_t n, struct codec_error *err)
{
	struct avro_rd r;

	rd_init(&r, p, n, err);
	if (check(&r, schema, 0))
		return -1;
	return rd_done(&r, "writer data");
}
