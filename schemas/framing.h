/* Message framing: which writer schema a payload was written with.
 *
 * Avro single-object encoding (the default): C3 01, then the CRC-64-AVRO
 * fingerprint of the writer schema's canonical form, 8 bytes little-endian,
 * then the Avro binary body. Confluent wire format: 0x00, then a 4-byte
 * big-endian schema registry id, then the body.
 *
 * frame_parse never copies: f->payload points into p. -1 with *err on a
 * short header or unknown magic. */
#ifndef RAMPART_FRAMING_H
#define RAMPART_FRAMING_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "codec_error.h"

enum rp_framing { RP_FRAMING_SINGLE_OBJECT, RP_FRAMING_CONFLUENT };

#define RP_SINGLE_OBJECT_HEADER 10
#define RP_CONFLUENT_HEADER 5

struct rp_frame {
	enum rp_framing framing;
	uint64_t fingerprint; /* single-object only */
	uint32_t schema_id;   /* Confluent only */
	const uint8_t *payload;
	size_t len;
};

int frame_parse(const uint8_t *p, size_t n, struct rp_frame *f, struct codec_error *err);
int frame_write_single_object(struct rp_buf *out, uint64_t fingerprint);
int frame_write_confluent(struct rp_buf *out, uint32_t schema_id);

#endif
