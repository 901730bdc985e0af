#include "framing.h"

static int parse_single_object(const uint8_t *p, size_t n, struct rp_frame *f,
			       struct codec_error *err)
{
	uint64_t fp = 0;

	if (n < RP_SINGLE_OBJECT_HEADER)
		return codec_fail(err, n, "truncated single-object header (%zu of %d bytes)", n,
				  RP_SINGLE_OBJECT_HEADER);
	for (int i = 7; i >= 0; i--)
		fp = fp << 8 | p[2 + i];
	f->framing = RP_FRAMING_SINGLE_OBJECT;
	f->fingerprint = fp;
	f->schema_id = 0;
	f->payload = p + RP_SINGLE_OBJECT_HEADER;
	f->len = n - RP_SINGLE_OBJECT_HEADER;
	return 0;
}

static int parse_confluent(const uint8_t *p, size_t n, struct rp_frame *f, struct codec_error *err)
{
	if (n < RP_CONFLUENT_HEADER)
		return codec_fail(err, n, "truncated Confluent header (%zu of %d bytes)", n,
				  RP_CONFLUENT_HEADER);
	f->framing = RP_FRAMING_CONFLUENT;
	f->fingerprint = 0;
	f->schema_id = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
	f->payload = p + RP_CONFLUENT_HEADER;
	f->len = n - RP_CONFLUENT_HEADER;
	return 0;
}

int frame_parse(const uint8_t *p, size_t n, struct rp_frame *f, struct codec_error *err)
{
	if (n >= 2 && p[0] == 0xC3 && p[1] == 0x01)
		return parse_single_object(p, n, f, err);
	if (n >= 1 && p[0] == 0x00)
		return parse_confluent(p, n, f, err);
	if (n == 1 && p[0] == 0xC3)
		return codec_fail(err, 1, "truncated single-object header (1 of %d bytes)",
				  RP_SINGLE_OBJECT_HEADER);
	if (n == 0)
		return codec_fail(err, 0, "empty message: no framing header");
	return codec_fail(err, 0, "bad framing magic 0x%02x%s", p[0],
			  n >= 2 ? "" : " (message too short)");
}

int frame_write_single_object(struct rp_buf *out, uint64_t fingerprint)
{
	uint8_t h[RP_SINGLE_OBJECT_HEADER] = {0xC3, 0x01};

	for (int i = 0; i < 8; i++)
		h[2 + i] = (uint8_t)(fingerprint >> (8 * i));
	return buf_append(out, h, sizeof(h));
}

int frame_write_confluent(struct rp_buf *out, uint32_t schema_id)
{
	uint8_t h[RP_CONFLUENT_HEADER] = {0x00, (uint8_t)(schema_id >> 24), (uint8_t)(schema_id >> 16),
					  (uint8_t)(schema_id >> 8), (uint8_t)schema_id};

	return buf_append(out, h, sizeof(h));
}
