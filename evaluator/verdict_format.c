#include "verdict_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framing.h"
#include "schema_defs.h"
#include "schema_registry.h"
#include "verdict_json.h"
#include "verdict_ocsf.h"

struct verdict_format {
	enum verdict_format_kind kind;
	uint32_t schema_id; /* avro-confluent */
};

static const char *const format_names[] = {
	[VERDICT_FORMAT_AVRO] = "avro",
	[VERDICT_FORMAT_AVRO_CONFLUENT] = "avro-confluent",
	[VERDICT_FORMAT_JSON] = "json",
	[VERDICT_FORMAT_OCSF] = "ocsf",
};

int verdict_format_parse(const char *name, enum verdict_format_kind *kind)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(name, format_names[i])) {
			*kind = (enum verdict_format_kind)i;
			return 0;
		}
	return -1;
}

const char *verdict_format_name(enum verdict_format_kind kind)
{
	return (unsigned)kind < sizeof(format_names) / sizeof(format_names[0]) ? format_names[kind] : "?";
}

static int register_schema(struct verdict_format *f, const struct verdict_format_config *cfg, char *err,
			   size_t errlen)
{
	struct schema_registry_config rc = {.url = cfg->registry_url};
	struct schema_registry *sr = schema_registry_new(&rc, err, errlen);
	char subject[512];
	int32_t id = 0;
	int rv;

	if (!sr)
		return -1;
	if ((size_t)snprintf(subject, sizeof(subject), "%s-value", cfg->topic) >= sizeof(subject)) {
		schema_registry_free(sr);
		return snprintf(err, errlen, "verdicts topic name too long for a subject"), -1;
	}
	rv = schema_registry_register(sr, subject, schema_verdict_json, &id, err, errlen);
	schema_registry_free(sr);
	if (rv)
		return -1;
	f->schema_id = (uint32_t)id;
	return 0;
}

struct verdict_format *verdict_format_new(const struct verdict_format_config *cfg, char *err, size_t errlen)
{
	struct verdict_format *f = calloc(1, sizeof(*f));

	if (!f)
		return snprintf(err, errlen, "out of memory"), NULL;
	f->kind = cfg->kind;
	if (f->kind == VERDICT_FORMAT_AVRO_CONFLUENT && register_schema(f, cfg, err, errlen)) {
		free(f);
		return NULL;
	}
	return f;
}

void verdict_format_free(struct verdict_format *f)
{
	free(f);
}

uint32_t verdict_format_schema_id(const struct verdict_format *f)
{
	return f ? f->schema_id : 0;
}

static int append_json(const char *p, size_t n, void *buf)
{
	return buf_append(buf, p, n);
}

/* Takes j; its compact text appended to out. */
static int encode_json(json_t *j, struct rp_buf *out)
{
	size_t start = out->len;
	int rc = j ? json_dump_callback(j, append_json, out, JSON_COMPACT) : -1;

	json_decref(j);
	if (rc)
		out->len = start;
	return rc ? -1 : 0;
}

int verdict_format_encode(const struct verdict_format *f, const struct rp_verdict *v, struct rp_buf *out)
{
	size_t start = out->len;

	switch (f ? f->kind : VERDICT_FORMAT_AVRO) {
	case VERDICT_FORMAT_AVRO:
		if (!frame_write_single_object(out, schema_verdict_fingerprint) && !verdict_encode(v, out))
			return 0;
		break;
	case VERDICT_FORMAT_AVRO_CONFLUENT:
		if (!frame_write_confluent(out, f->schema_id) && !verdict_encode(v, out))
			return 0;
		break;
	case VERDICT_FORMAT_JSON:
		return encode_json(verdict_json(v), out);
	case VERDICT_FORMAT_OCSF:
		return encode_json(verdict_ocsf(v), out);
	}
	out->len = start;
	return -1;
}
