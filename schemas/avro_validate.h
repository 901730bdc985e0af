/* Structural check of Avro binary data against an arbitrary (writer) schema
 * before it is handed to avro-c, which trusts lengths and counts: every
 * string/bytes length must fit in what is left, varints are at most 10
 * bytes, union and enum indexes are in range, and the datum must end exactly
 * at n. An array or map may not claim more items than bytes left, which
 * bounds avro-c's work and memory by the message size (it rejects an array of
 * more nulls than the message has bytes, which no writer of ours produces).
 * -1 with *err describing the first problem. */
#ifndef RAMPART_AVRO_VALIDATE_H
#define RAMPART_AVRO_VALIDATE_H

#include <avro.h>
#include <stddef.h>
#include <stdint.h>

#include "codec_error.h"

int avro_validate(avro_schema_t schema, const uint8_t *p, size_t n, struct codec_error *err);

#endif
