/* Client for a Confluent-compatible schema registry (Confluent Schema
 * Registry, Karapace, Apicurio's ccompat API), used when messages are framed
 * in the Confluent wire format (0x00 + 4-byte schema id).
 *
 * Ids and schemas are cached for the client's lifetime: a registry id never
 * changes meaning, so a schema is fetched at most once and a registration is
 * sent once per (subject, schema). Failed HTTP calls are retried with
 * exponential backoff. Not thread-safe: one client per thread. */
#ifndef RAMPART_SCHEMA_REGISTRY_H
#define RAMPART_SCHEMA_REGISTRY_H

#include <stdint.h>
#include <stddef.h>

struct schema_registry;

struct schema_registry_config {
	const char *url;        /* e.g. http://127.0.0.1:8081 (no trailing path) */
	const char *username;   /* basic auth, optional */
	const char *password;
	const char *ca_file;    /* TLS trust, optional; TLS is always verified */
	int timeout_ms;         /* per request; 0 means 5000 */
	int max_attempts;       /* per call, including the first; 0 means 4 */
};

struct schema_registry *schema_registry_new(const struct schema_registry_config *cfg, char *err,
					    size_t errlen);
void schema_registry_free(struct schema_registry *sr);

/* Registers schema_json under subject (POST /subjects/<subject>/versions)
 * and returns its global id. Registering an identical schema again returns
 * the existing id; the registry decides compatibility. */
int schema_registry_register(struct schema_registry *sr, const char *subject, const char *schema_json,
			     int32_t *id, char *err, size_t errlen);

/* The writer schema for id (GET /schemas/ids/<id>). The returned string is
 * owned by the client and valid until schema_registry_free. */
const char *schema_registry_lookup(struct schema_registry *sr, int32_t id, char *err, size_t errlen);

#endif
