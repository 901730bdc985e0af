/* Writer schemas by id: CRC-64-AVRO fingerprint (single-object encoding)
 * and, optionally, Confluent schema registry id.
 *
 * schema_store_new registers the current Event, Verdict and ActionResult
 * schemas. schema_store_add registers another (typically older) writer
 * schema given as JSON; its fingerprint is computed from the canonical form.
 * An older io.rampart.Event gets a resolver to the current Event schema at
 * registration, so a schema the current reader cannot read is refused there,
 * not on the first message. confluent_id < 0 means none; re-adding a known
 * fingerprint only binds the id. schema_store_bind_id binds a Confluent id to
 * an already known fingerprint (e.g. the current Event schema's); a schema
 * has at most one id.
 *
 * A store, and its resolvers, is used by one thread at a time. */
#ifndef RAMPART_SCHEMA_STORE_H
#define RAMPART_SCHEMA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec_error.h"

struct schema_store;
struct schema_resolver;

struct schema_entry {
	uint64_t fingerprint;
	int64_t confluent_id; /* -1: none */
	char *json;
	size_t json_len;
	bool is_event;                   /* an io.rampart.Event schema */
	struct schema_resolver *to_event; /* older Event -> current; NULL if current */
};

struct schema_store *schema_store_new(struct codec_error *err);
void schema_store_free(struct schema_store *st);
int schema_store_add(struct schema_store *st, const char *json, size_t len, int64_t confluent_id,
		     uint64_t *fingerprint, struct codec_error *err);
int schema_store_bind_id(struct schema_store *st, uint64_t fingerprint, uint32_t confluent_id,
			 struct codec_error *err);
const struct schema_entry *schema_store_by_fingerprint(const struct schema_store *st, uint64_t fp);
const struct schema_entry *schema_store_by_id(const struct schema_store *st, uint32_t id);

#endif
