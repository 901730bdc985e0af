/* How rampart-evaluator writes a verdict into a Kafka record
 * (verdicts.format):
 *
 *   avro            Avro single-object encoding: C3 01, the Verdict schema's
 *                   CRC-64-AVRO fingerprint (8 bytes, little-endian), the
 *                   Avro binary body (schemas/framing.h). The default.
 *   avro-confluent  Confluent wire format: 0x00, the schema registry's id
 *                   for schemas/verdict.avsc (4 bytes, big-endian), the
 *                   body. verdict_format_new registers the schema once, under
 *                   the subject "<topic>-value" (registering an identical
 *                   schema again returns its id); the registry's answer is
 *                   final for the process's lifetime.
 *   json            one JSON object, verdict_json.h's stable field names.
 *   ocsf            one OCSF 1.4.0 Detection Finding (verdict_ocsf.h).
 *
 * JSON records are compact and carry no trailing newline (one record, one
 * line). A NULL format means avro. Encoding appends to out and fails (-1)
 * only when out of memory or for an enum out of range. */
#ifndef RAMPART_EVAL_VERDICT_FORMAT_H
#define RAMPART_EVAL_VERDICT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "verdict.h"

enum verdict_format_kind {
	VERDICT_FORMAT_AVRO,
	VERDICT_FORMAT_AVRO_CONFLUENT,
	VERDICT_FORMAT_JSON,
	VERDICT_FORMAT_OCSF,
};

struct verdict_format_config {
	enum verdict_format_kind kind;
	const char *registry_url; /* avro-confluent only */
	const char *topic;        /* the subject is "<topic>-value" */
};

struct verdict_format;

/* "avro", "avro-confluent", "json", "ocsf": 0; anything else -1. */
int verdict_format_parse(const char *name, enum verdict_format_kind *kind);
const char *verdict_format_name(enum verdict_format_kind kind);
/* NULL with err when the registry cannot be reached or refuses the schema. */
struct verdict_format *verdict_format_new(const struct verdict_format_config *cfg, char *err, size_t errlen);
void verdict_format_free(struct verdict_format *f);
int verdict_format_encode(const struct verdict_format *f, const struct rp_verdict *v, struct rp_buf *out);
/* The registry's id of the Verdict schema (avro-confluent), else 0. */
uint32_t verdict_format_schema_id(const struct verdict_format *f);

#endif
