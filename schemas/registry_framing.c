#include "registry_framing.h"

#include <string.h>

#include "framing.h"

int registry_framing_register(struct schema_store *st, struct schema_registry *sr, const char *subject,
			      const char *schema_json, size_t len, uint32_t *id, struct codec_error *err)
{
	char why[256];
	uint64_t fp;
	int32_t rid;

	if (schema_store_add(st, schema_json, len, -1, &fp, err))
		return -1;
	if (schema_registry_register(sr, subject, schema_json, &rid, why, sizeof(why)))
		return codec_fail(err, 0, "%s", why);
	if (!schema_store_by_id(st, (uint32_t)rid) && schema_store_bind_id(st, fp, (uint32_t)rid, err))
		return -1;
	*id = (uint32_t)rid;
	return 0;
}

int registry_framing_learn(struct schema_store *st, struct schema_registry *sr, const uint8_t *msg,
			   size_t n, struct codec_error *err)
{
	struct rp_frame f;
	const char *json;
	char why[256];

	if (frame_parse(msg, n, &f, err))
		return -1;
	if (f.framing != RP_FRAMING_CONFLUENT || schema_store_by_id(st, f.schema_id))
		return 0;
	if (f.schema_id > INT32_MAX)
		return codec_fail(err, 1, "Confluent schema id %u out of range", f.schema_id);
	json = schema_registry_lookup(sr, (int32_t)f.schema_id, why, sizeof(why));
	if (!json)
		return codec_fail(err, 1, "%s", why);
	return schema_store_add(st, json, strlen(json), f.schema_id, NULL, err);
}
