/* Avro binary encoding primitives shared by the schema-specific codecs.
 *
 * Readers work on a struct avro_rd cursor and never read past rd->end: each
 * returns 0, or -1 after filling rd->err with what was wrong, the field
 * (`what`, e.g. "Event.node") and the offset. Writers append to a struct
 * rp_buf and return -1 only when the buffer cannot grow. Strings decoded are
 * views into the input. */
#ifndef RAMPART_AVRO_BINARY_H
#define RAMPART_AVRO_BINARY_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "codec_error.h"
#include "event.h"

struct avro_rd {
	const uint8_t *p, *end, *base;
	struct codec_error *err;
};

static inline void rd_init(struct avro_rd *r, const uint8_t *p, size_t n, struct codec_error *err)
{
	static const uint8_t empty[1];

	if (!p) /* NULL + 0 is undefined behaviour */
		p = empty;
	r->p = p;
	r->end = p + n;
	r->base = p;
	r->err = err;
}

static inline size_t rd_off(const struct avro_rd *r) { return (size_t)(r->p - r->base); }

static inline size_t rd_left(const struct avro_rd *r) { return (size_t)(r->end - r->p); }

/* The explicit -1 lets the compiler see the failure path's value. */
#define RD_FAIL(r, off, what, fmt, ...) \
	(codec_fail((r)->err, (off), fmt " at offset %zu for %s", __VA_ARGS__, (size_t)(off), (what)), -1)
#define RD_FAIL0(r, off, what, msg) \
	(codec_fail((r)->err, (off), msg " at offset %zu for %s", (size_t)(off), (what)), -1)

/* A varint of at most 10 bytes whose 10th byte carries only bit 63. */
static inline int rd_long(struct avro_rd *r, int64_t *out, const char *what)
{
	size_t start = rd_off(r);
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 70; shift += 7) {
		if (r->p >= r->end)
			return RD_FAIL0(r, start, what, "truncated varint");
		uint8_t b = *r->p++;
		if (shift == 63 && (b & 0x80))
			return RD_FAIL0(r, start, what, "varint longer than 10 bytes");
		if (shift == 63 && b > 1)
			return RD_FAIL0(r, start, what, "varint overflows 64 bits");
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = (int64_t)((v >> 1) ^ (0 - (v & 1)));
			return 0;
		}
	}
	return -1; /* unreachable: the 10th byte always ends the loop */
}

static inline int rd_int(struct avro_rd *r, int32_t *out, const char *what)
{
	size_t start = rd_off(r);
	int64_t v;

	if (rd_long(r, &v, what))
		return -1;
	if (v < INT32_MIN || v > INT32_MAX)
		return RD_FAIL(r, start, what, "int %lld out of range", (long long)v);
	*out = (int32_t)v;
	return 0;
}

static inline int rd_bool(struct avro_rd *r, bool *out, const char *what)
{
	if (r->p >= r->end)
		return RD_FAIL0(r, rd_off(r), what, "truncated boolean");
	if (*r->p > 1)
		return RD_FAIL(r, rd_off(r), what, "bad boolean byte 0x%02x", *r->p);
	*out = *r->p++ == 1;
	return 0;
}

static inline int rd_str(struct avro_rd *r, struct rp_str *out, const char *what)
{
	size_t start = rd_off(r);
	int64_t n;

	if (rd_long(r, &n, what))
		return -1;
	if (n < 0)
		return RD_FAIL(r, start, what, "negative length %lld", (long long)n);
	if ((uint64_t)n > rd_left(r))
		return RD_FAIL(r, start, what, "truncated string (length %lld)", (long long)n);
	out->ptr = (const char *)r->p;
	out->len = (uint32_t)n; /* fits: the input itself is bounded by rd_left */
	r->p += n;
	return 0;
}

/* Union branch or enum symbol index in [0, count). */
static inline int rd_index(struct avro_rd *r, uint32_t count, uint32_t *out, const char *kind,
			   const char *what)
{
	size_t start = rd_off(r);
	int64_t v;

	if (rd_long(r, &v, what))
		return -1;
	if (v < 0 || v >= count)
		return RD_FAIL(r, start, what, "%s index %lld out of range", kind, (long long)v);
	*out = (uint32_t)v;
	return 0;
}

/* Start of an array or map block: *count items follow, 0 ends the list. A
 * negative count is followed by the block's byte size, which is checked and
 * skipped over (we decode the items anyway). `room` is how many more items
 * the caller can store. */
static inline int rd_block(struct avro_rd *r, uint32_t room, uint32_t *count, const char *what)
{
	size_t start = rd_off(r);
	int64_t n, size;

	if (rd_long(r, &n, what))
		return -1;
	if (n < 0) {
		if (n == INT64_MIN)
			return RD_FAIL0(r, start, what, "bad block count");
		n = -n;
		if (rd_long(r, &size, what))
			return -1;
		if (size < 0 || (uint64_t)size > rd_left(r))
			return RD_FAIL(r, start, what, "bad block size %lld", (long long)size);
	}
	if ((uint64_t)n > room)
		return RD_FAIL(r, start, what, "too many items (%lld more, room for %u)", (long long)n, room);
	*count = (uint32_t)n;
	return 0;
}

static inline int rd_done(struct avro_rd *r, const char *what)
{
	if (r->p != r->end)
		return RD_FAIL(r, rd_off(r), what, "%zu trailing bytes", rd_left(r));
	return 0;
}

/* ---- writers ---- */

static inline size_t wr_varint_raw(uint8_t *d, uint64_t u)
{
	size_t n = 0;

	while (u >= 0x80) {
		d[n++] = (uint8_t)(u | 0x80);
		u >>= 7;
	}
	d[n++] = (uint8_t)u;
	return n;
}

static inline int wr_long(struct rp_buf *b, int64_t v)
{
	if (b->cap - b->len < 10 && buf_reserve(b, 10))
		return -1;
	b->len += wr_varint_raw(b->data + b->len, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
	return 0;
}

static inline int wr_bool(struct rp_buf *b, bool v)
{
	if (b->cap == b->len && buf_reserve(b, 1))
		return -1;
	b->data[b->len++] = v ? 1 : 0;
	return 0;
}

static inline int wr_str(struct rp_buf *b, struct rp_str s)
{
	if (b->cap - b->len < 10 + (size_t)s.len && buf_reserve(b, 10 + (size_t)s.len))
		return -1;
	b->len += wr_varint_raw(b->data + b->len, (uint64_t)s.len << 1);
	if (s.len)
		memcpy(b->data + b->len, s.ptr, s.len);
	b->len += s.len;
	return 0;
}

#endif
