/* Writer-to-reader schema resolution for data written with an older schema.
 *
 * avro-c 1.11's resolvers reject a reader field the writer lacks (they do not
 * implement defaults: "Reader field X doesn't appear in writer"), so we let
 * avro-c resolve into a *projection* of the reader schema (the reader's
 * records restricted to the fields the writer has; promotions, reordering,
 * enum and union mapping are avro-c's), then re-serialise that value as
 * reader-schema Avro binary, writing each missing field's JSON default.
 * The result is decodable by the reader's fast schema-specific decoder.
 *
 * schema_resolver_new fails (NULL, *err) when the schemas are incompatible
 * or a reader field the writer lacks has no default. schema_resolver_run
 * checks the writer data's structure first (avro_validate.h), then replaces
 * out's contents with the reader-schema encoding. */
#ifndef RAMPART_SCHEMA_RESOLVE_H
#define RAMPART_SCHEMA_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "codec_error.h"

struct schema_resolver;

struct schema_resolver *schema_resolver_new(const char *writer_json, size_t wlen,
					    const char *reader_json, size_t rlen,
					    struct codec_error *err);
int schema_resolver_run(struct schema_resolver *res, const uint8_t *p, size_t n,
			struct rp_buf *out, struct codec_error *err);
void schema_resolver_free(struct schema_resolver *res);

#endif
