/* Avro Object Container File framing, written and read directly (no avro-c):
 *   "Obj\x01", metadata map<bytes> {avro.schema, avro.codec}, 16-byte sync,
 *   then blocks of: long count, long size, size bytes of records, sync.
 * Records are opaque here; this layer only frames them. The reader trusts
 * nothing: every length is bounded before anything is allocated for it, the
 * sync marker is checked after each block, and a file cut short is an error
 * distinct from a clean end. Codecs read: "null" and "deflate"; writing is
 * always "null". Also exports the Avro long (zigzag varint) helpers so
 * record_size callbacks can walk encoded records. */
#ifndef RAMPART_AVRO_OCF_H
#define RAMPART_AVRO_OCF_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define OCF_SYNC_LEN 16
#define OCF_LONG_MAX_LEN 10
/* Largest block (decompressed data) either side accepts: bounds what a
 * hostile file can make the reader allocate. */
#define OCF_MAX_BLOCK_BYTES ((size_t)64 << 20)
/* Bounds on the header's metadata map. */
#define OCF_MAX_META_ENTRIES 1024
#define OCF_MAX_META_KEY 4096
#define OCF_MAX_META_BYTES ((size_t)16 << 20)

/* Encodes v at out; returns the length (1..OCF_LONG_MAX_LEN). */
size_t ocf_put_long(uint8_t *out, int64_t v);
/* Decodes the long at p (n bytes available); returns its length, or 0 when
 * truncated or over-long (more than 10 bytes / 64 bits). */
size_t ocf_get_long(const uint8_t *p, size_t n, int64_t *v);

/* Appends the file header (magic, metadata, sync) to b. 0 or -1 (memory). */
int ocf_header_encode(struct rp_buf *b, const char *schema_json, const uint8_t sync[OCF_SYNC_LEN]);
/* Writes the block's "count size" prefix at out (2 * OCF_LONG_MAX_LEN bytes
 * of room); returns its length. */
size_t ocf_block_prefix(uint8_t *out, int64_t count, size_t size);

enum ocf_codec { OCF_CODEC_NULL, OCF_CODEC_DEFLATE };

struct ocf_reader {
	FILE *f;
	char *schema;       /* the avro.schema metadata, NUL-terminated */
	enum ocf_codec codec;
	uint8_t sync[OCF_SYNC_LEN];
	struct rp_buf raw;  /* compressed block scratch (deflate only) */
	int64_t blocks;     /* blocks read so far, for error messages */
};

/* Opens path and validates the header. 0, or -1 with err filled (and
 * nothing left to free). */
int ocf_reader_open(struct ocf_reader *r, const char *path, char *err, size_t errlen);
/* Reads the next block's (decompressed) records into out (replacing its
 * contents) and their count. 1 a block, 0 clean end of file, -1 error
 * (truncation, bad sync, bounds, codec) with err filled. */
int ocf_reader_next_block(struct ocf_reader *r, struct rp_buf *out, int64_t *count, char *err,
			  size_t errlen);
void ocf_reader_close(struct ocf_reader *r);

#endif
