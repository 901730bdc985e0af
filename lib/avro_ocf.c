/* Avro Object Container File framing; see avro_ocf.h for the contract. */
#include "avro_ocf.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const uint8_t ocf_magic[4] = {'O', 'b', 'j', 1};

/* ---- longs ---- */

size_t ocf_put_long(uint8_t *out, int64_t v)
{
	/* zigzag without shifting a negative value (which C leaves undefined) */
	uint64_t u = v < 0 ? ~((uint64_t)v << 1) : (uint64_t)v << 1;
	size_t n = 0;

	while (u >= 0x80) {
		out[n++] = (uint8_t)(u | 0x80);
		u >>= 7;
	}
	out[n++] = (uint8_t)u;
	return n;
}

static int64_t zigzag_decode(uint64_t u)
{
	return (u & 1) ? (int64_t)~(u >> 1) : (int64_t)(u >> 1);
}

size_t ocf_get_long(const uint8_t *p, size_t n, int64_t *v)
{
	uint64_t u = 0;

	for (size_t i = 0; i < n && i < OCF_LONG_MAX_LEN; i++) {
		if (i == OCF_LONG_MAX_LEN - 1 && p[i] > 1)
			return 0; /* would overflow 64 bits */
		u |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = zigzag_decode(u);
			return i + 1;
		}
	}
	return 0;
}

/* ---- writing ---- */

static int put_long_buf(struct rp_buf *b, int64_t v)
{
	uint8_t tmp[OCF_LONG_MAX_LEN];

	return buf_append(b, tmp, ocf_put_long(tmp, v));
}

static int put_bytes_buf(struct rp_buf *b, const void *p, size_t n)
{
	if (n > INT64_MAX || put_long_buf(b, (int64_t)n))
		return -1;
	return buf_append(b, p, n);
}

int ocf_header_encode(struct rp_buf *b, const char *schema_json, const uint8_t sync[OCF_SYNC_LEN])
{
	static const char codec[] = "null";

	if (buf_append(b, ocf_magic, sizeof(ocf_magic)) || put_long_buf(b, 2) ||
	    put_bytes_buf(b, "avro.schema", 11) ||
	    put_bytes_buf(b, schema_json, strlen(schema_json)) ||
	    put_bytes_buf(b, "avro.codec", 10) || put_bytes_buf(b, codec, sizeof(codec) - 1) ||
	    put_long_buf(b, 0))
		return -1;
	return buf_append(b, sync, OCF_SYNC_LEN);
}

size_t ocf_block_prefix(uint8_t *out, int64_t count, size_t size)
{
	size_t n = ocf_put_long(out, count);

	return n + ocf_put_long(out + n, (int64_t)size);
}

/* ---- reading ---- */

/* 1 read, 0 end of file before the first byte, -1 truncated, -2 malformed */
static int read_long(FILE *f, int64_t *v)
{
	uint8_t b[OCF_LONG_MAX_LEN];

	for (size_t i = 0; i < OCF_LONG_MAX_LEN; i++) {
		int c = getc(f);

		if (c == EOF)
			return i == 0 ? 0 : -1;
		b[i] = (uint8_t)c;
		if (!(c & 0x80))
			return ocf_get_long(b, i + 1, v) ? 1 : -2;
	}
	return -2;
}

static const char *long_error(int rc)
{
	return rc == -2 ? "malformed length" : "truncated";
}

static int read_exact(FILE *f, void *p, size_t n)
{
	return fread(p, 1, n, f) == n ? 0 : -1;
}

/* A metadata string/bytes of at most max bytes, returned NUL-terminated. */
static int read_meta_bytes(FILE *f, size_t max, char **out, size_t *len, char *err, size_t errlen)
{
	int64_t n;
	int rc = read_long(f, &n);

	if (rc != 1) {
		snprintf(err, errlen, "avro file header: %s", rc == 0 ? "truncated" : long_error(rc));
		return -1;
	}
	if (n < 0 || (uint64_t)n > max) {
		snprintf(err, errlen, "avro file header: metadata length %lld out of bounds",
			 (long long)n);
		return -1;
	}
	*out = malloc((size_t)n + 1);
	if (!*out) {
		snprintf(err, errlen, "avro file header: out of memory");
		return -1;
	}
	if (read_exact(f, *out, (size_t)n)) {
		free(*out);
		*out = NULL;
		snprintf(err, errlen, "avro file header: truncated metadata");
		return -1;
	}
	(*out)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

static int set_codec(struct ocf_reader *r, const char *v, size_t len, char *err, size_t errlen)
{
	if (len == 4 && memcmp(v, "null", 4) == 0)
		r->codec = OCF_CODEC_NULL;
	else if (len == 7 && memcmp(v, "deflate", 7) == 0)
		r->codec = OCF_CODEC_DEFLATE;
	else {
		snprintf(err, errlen, "avro file: unsupported codec \"%.32s\"", v);
		return -1;
	}
	return 0;
}

/* Reads one key/value pair; keeps avro.schema and avro.codec. *budget is
 * what the remaining metadata may still occupy. */
static int read_meta_entry(struct ocf_reader *r, size_t *budget, char *err, size_t errlen)
{
	char *key = NULL, *val = NULL;
	size_t klen, vlen;
	int rc = -1;

	if (read_meta_bytes(r->f, OCF_MAX_META_KEY, &key, &klen, err, errlen))
		return -1;
	if (read_meta_bytes(r->f, *budget, &val, &vlen, err, errlen))
		goto out;
	*budget -= vlen;
	rc = 0;
	if (strcmp(key, "avro.schema") == 0 && klen == 11) {
		free(r->schema);
		r->schema = val;
		val = NULL;
	} else if (strcmp(key, "avro.codec") == 0 && klen == 10) {
		rc = set_codec(r, val, vlen, err, errlen);
	}
out:
	free(key);
	free(val);
	return rc;
}

/* Reads a map block's entry count; negative counts carry a byte size too. */
static int read_meta_count(FILE *f, int64_t *count, char *err, size_t errlen)
{
	int64_t size;
	int rc = read_long(f, count);

	if (rc == 1 && *count < 0) {
		if (*count == INT64_MIN)
			rc = -2;
		else {
			*count = -*count;
			rc = read_long(f, &size);
		}
	}
	if (rc != 1) {
		snprintf(err, errlen, "avro file header: metadata map %s",
			 rc == 0 ? "truncated" : long_error(rc));
		return -1;
	}
	return 0;
}

static int read_metadata(struct ocf_reader *r, char *err, size_t errlen)
{
	size_t budget = OCF_MAX_META_BYTES;
	int64_t count, total = 0;

	for (;;) {
		if (read_meta_count(r->f, &count, err, errlen))
			return -1;
		if (count == 0)
			break;
		if (count > OCF_MAX_META_ENTRIES - total) {
			snprintf(err, errlen, "avro file header: more than %d metadata entries",
				 OCF_MAX_META_ENTRIES);
			return -1;
		}
		total += count;
		for (int64_t i = 0; i < count; i++)
			if (read_meta_entry(r, &budget, err, errlen))
				return -1;
	}
	if (!r->schema) {
		snprintf(err, errlen, "avro file header: no avro.schema");
		return -1;
	}
	return 0;
}

static int read_header(struct ocf_reader *r, char *err, size_t errlen)
{
	uint8_t magic[sizeof(ocf_magic)];

	if (read_exact(r->f, magic, sizeof(magic)) || memcmp(magic, ocf_magic, sizeof(magic))) {
		snprintf(err, errlen, "not an Avro object container file (bad magic)");
		return -1;
	}
	if (read_metadata(r, err, errlen))
		return -1;
	if (read_exact(r->f, r->sync, OCF_SYNC_LEN)) {
		snprintf(err, errlen, "avro file header: truncated sync marker");
		return -1;
	}
	return 0;
}

int ocf_reader_open(struct ocf_reader *r, const char *path, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->f = fopen(path, "rbe");
	if (!r->f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (read_header(r, err, errlen)) {
		ocf_reader_close(r);
		return -1;
	}
	return 0;
}

void ocf_reader_close(struct ocf_reader *r)
{
	if (r->f)
		fclose(r->f);
	free(r->schema);
	buf_free(&r->raw);
	memset(r, 0, sizeof(*r));
}

/* 1 count and size read, 0 clean end, -1 error. */
static int read_block_prefix(struct ocf_reader *r, int64_t *count, int64_t *size, char *err,
			     size_t errlen)
{
	int rc = read_long(r->f, count);

	if (rc == 0)
		return 0;
	if (rc == 1)
		rc = read_long(r->f, size) == 1 ? 1 : -1;
	if (rc != 1) {
		snprintf(err, errlen, "avro file: block %lld: header %s", (long long)r->blocks,
			 long_error(rc));
		return -1;
	}
	if (*count < 0 || *size < 0 || (uint64_t)*size > OCF_MAX_BLOCK_BYTES) {
		snprintf(err, errlen, "avro file: block %lld: count %lld / size %lld out of bounds",
			 (long long)r->blocks, (long long)*count, (long long)*size);
		return -1;
	}
	return 1;
}

/* Raw deflate (RFC 1951, as the Avro spec says), output bounded. */
static int inflate_block(const struct rp_buf *in, struct rp_buf *out, char *err, size_t errlen)
{
	z_stream zs = {0};
	int zrc;

	if (inflateInit2(&zs, -15) != Z_OK) {
		snprintf(err, errlen, "avro file: inflate init failed");
		return -1;
	}
	zs.next_in = in->data;
	zs.avail_in = (uInt)in->len;
	do {
		size_t room = out->len < 4096 ? 4096 : out->len;

		if (room > OCF_MAX_BLOCK_BYTES - out->len)
			room = OCF_MAX_BLOCK_BYTES - out->len;
		if (room == 0 || buf_reserve(out, room)) {
			zrc = Z_MEM_ERROR;
			break;
		}
		zs.next_out = out->data + out->len;
		zs.avail_out = (uInt)room;
		zrc = inflate(&zs, Z_NO_FLUSH);
		out->len += room - zs.avail_out;
	} while (zrc == Z_OK);
	inflateEnd(&zs);
	if (zrc != Z_STREAM_END) {
		snprintf(err, errlen, "avro file: deflate block %s",
			 zrc == Z_MEM_ERROR ? "too large" : "corrupt");
		return -1;
	}
	return 0;
}

/* Reads size bytes of block data, then checks the sync marker. */
static int read_block_body(struct ocf_reader *r, struct rp_buf *dst, size_t size, char *err,
			   size_t errlen)
{
	uint8_t sync[OCF_SYNC_LEN];

	buf_reset(dst);
	if (buf_reserve(dst, size)) {
		snprintf(err, errlen, "avro file: out of memory for a %zu-byte block", size);
		return -1;
	}
	if (read_exact(r->f, dst->data, size) || read_exact(r->f, sync, sizeof(sync))) {
		snprintf(err, errlen, "avro file: block %lld truncated", (long long)r->blocks);
		return -1;
	}
	dst->len = size;
	if (memcmp(sync, r->sync, sizeof(sync))) {
		snprintf(err, errlen, "avro file: block %lld: sync marker mismatch (corrupt file)",
			 (long long)r->blocks);
		return -1;
	}
	return 0;
}

int ocf_reader_next_block(struct ocf_reader *r, struct rp_buf *out, int64_t *count, char *err,
			  size_t errlen)
{
	bool deflate = r->codec == OCF_CODEC_DEFLATE;
	int64_t size;
	int rc = read_block_prefix(r, count, &size, err, errlen);

	if (rc != 1)
		return rc;
	if (read_block_body(r, deflate ? &r->raw : out, (size_t)size, err, errlen))
		return -1;
	if (deflate) {
		buf_reset(out);
		if (inflate_block(&r->raw, out, err, errlen))
			return -1;
	}
	r->blocks++;
	return 1;
}
