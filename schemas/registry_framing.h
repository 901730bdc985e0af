/* The schema registry meets the schema store: Confluent wire format.
 *
 * Writers: registry_framing_register() registers a schema (JSON) under a
 * subject (e.g. "rampart.events-value"), binds the returned id to the
 * schema's fingerprint in the store, and returns the id to pass to
 * frame_write_confluent().
 * Readers: registry_framing_learn() makes sure the store knows the writer
 * schema of one framed message before it is decoded: for a Confluent frame
 * whose id the store lacks, the schema is fetched from the registry (cached
 * there) and added to the store under that id. Single-object frames and
 * known ids cost one header parse. -1 with *err when the registry cannot
 * name the schema or the store refuses it. */
#ifndef RAMPART_REGISTRY_FRAMING_H
#define RAMPART_REGISTRY_FRAMING_H

#include <stddef.h>
#include <stdint.h>

#include "codec_error.h"
#include "schema_registry.h"
#include "schema_store.h"

int registry_framing_register(struct schema_store *st, struct schema_registry *sr, const char *subject,
			      const char *schema_json, size_t len, uint32_t *id, struct codec_error *err);
int registry_framing_learn(struct schema_store *st, struct schema_registry *sr, const uint8_t *msg,
			   size_t n, struct codec_error *err);

#endif
