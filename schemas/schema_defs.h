/* The project's Avro schemas, generated at build time by gen_schemas.py.
 *
 * For each schema NAME (event, verdict, action): schema_NAME_json is the
 * self-contained definition (named references to other files inlined, so
 * avro_schema_from_json can parse it alone), schema_NAME_canonical its
 * Parsing Canonical Form and schema_NAME_fingerprint the CRC-64-AVRO of that
 * form, the id single-object encoding puts in every message. Lengths exclude
 * the terminating NUL. */
#ifndef RAMPART_SCHEMA_DEFS_H
#define RAMPART_SCHEMA_DEFS_H

#include <stddef.h>
#include <stdint.h>

#define RP_SCHEMA_DECL(name)                                   \
	extern const char schema_##name##_json[];              \
	extern const size_t schema_##name##_json_len;          \
	extern const char schema_##name##_canonical[];         \
	extern const size_t schema_##name##_canonical_len;     \
	extern const uint64_t schema_##name##_fingerprint;

RP_SCHEMA_DECL(event)
RP_SCHEMA_DECL(verdict)
RP_SCHEMA_DECL(action)

#undef RP_SCHEMA_DECL

#endif
