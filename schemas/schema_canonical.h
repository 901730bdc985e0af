/* Parsing Canonical Form of an Avro schema (Avro specification), so a
 * writer schema found anywhere (registry, file) can be fingerprinted at run
 * time exactly as gen_schemas.py does at build time.
 *
 * schema_canonical_form appends the form (not NUL-terminated) to out; -1 with
 * *err if the JSON does not parse or is not a schema. schema_fingerprint_json
 * does both steps. */
#ifndef RAMPART_SCHEMA_CANONICAL_H
#define RAMPART_SCHEMA_CANONICAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "codec_error.h"

int schema_canonical_form(const char *json, size_t len, struct rp_buf *out, struct codec_error *err);
int schema_fingerprint_json(const char *json, size_t len, uint64_t *fp, struct codec_error *err);

#endif
