/* The file transport: round trips across blocks, interoperability with
 * avro-c in both directions (null and deflate codecs), and a reader that
 * delivers every complete block of a damaged file and then fails cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <avro.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "avro_ocf.h"
#include "transport.h"

#define SCHEMA                                                                           \
	"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"seq\",\"type\":\"long\"}," \
	"{\"name\":\"payload\",\"type\":\"string\"}]}"
#define NREC 20000

struct fixture {
	char dir[64];
	char path[128];
	char path2[128];
};

/* ---- the test schema: record {long seq, string payload} ---- */

static size_t payload_for(int64_t seq, char *out)
{
	size_t n = (size_t)snprintf(out, 32, "p%lld-", (long long)seq);
	size_t pad = (size_t)(seq % 40);

	memset(out + n, 'x', pad);
	return n + pad;
}

static void encode_rec(struct rp_buf *b, int64_t seq)
{
	uint8_t tmp[OCF_LONG_MAX_LEN];
	char payload[80];
	size_t n = payload_for(seq, payload);

	buf_reset(b);
	assert_int_equal(buf_append(b, tmp, ocf_put_long(tmp, seq)), 0);
	assert_int_equal(buf_append(b, tmp, ocf_put_long(tmp, (int64_t)n)), 0);
	assert_int_equal(buf_append(b, payload, n), 0);
}

/* The skip function a schema owner supplies: one record's encoded length. */
static size_t rec_size(const uint8_t *p, size_t n, void *ctx)
{
	int64_t v, len;
	size_t a = ocf_get_long(p, n, &v), b;

	(void)ctx;
	if (!a)
		return 0;
	b = ocf_get_long(p + a, n - a, &len);
	if (!b || len < 0 || (uint64_t)len > n - a - b)
		return 0;
	return a + b + (size_t)len;
}

static void check_rec(const uint8_t *p, size_t n, int64_t seq)
{
	char want[80];
	size_t wn = payload_for(seq, want);
	int64_t v, len;
	size_t a = ocf_get_long(p, n, &v), b;

	assert_true(a > 0);
	assert_int_equal(v, seq);
	b = ocf_get_long(p + a, n - a, &len);
	assert_true(b > 0);
	assert_int_equal(len, wn);
	assert_int_equal(a + b + wn, n);
	assert_memory_equal(p + a + b, want, wn);
}

/* ---- helpers ---- */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/rampart-file-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/a.avro", f->dir);
	snprintf(f->path2, sizeof(f->path2), "%s/b.avro", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	unlink(f->path2);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct transport_config file_cfg(const char *path, int with_sizes)
{
	return (struct transport_config){
		.kind = TRANSPORT_FILE,
		.path = path,
		.schema_json = SCHEMA,
		.record_size = with_sizes ? rec_size : NULL,
	};
}

static void write_ours(const char *path, int64_t n)
{
	struct transport_config cfg = file_cfg(path, 0);
	struct rp_buf b = {0};
	struct producer_stats st;
	char err[256] = "";
	struct producer *p = producer_open(&cfg, err, sizeof(err));

	assert_non_null(p);
	for (int64_t i = 0; i < n; i++) {
		encode_rec(&b, i);
		assert_int_equal(producer_send(p, "t", "ignored", 7, b.data, b.len, err, sizeof(err)), 0);
	}
	assert_int_equal(producer_flush(p, 1000), 0);
	producer_stats(p, &st);
	assert_int_equal(st.sent, n);
	assert_int_equal(st.delivered, n);
	assert_int_equal(st.failed, 0);
	producer_close(p);
	buf_free(&b);
}

/* Reads with our consumer, checking records 0..; returns how many, and the
 * final poll result in *rc (-1 error / -2 end) and err. */
static int64_t read_ours(const char *path, int *rc, char *err, size_t errlen)
{
	struct transport_config cfg = file_cfg(path, 1);
	const char *topics[] = {"t"};
	struct consumer *c = consumer_open(&cfg, topics, 1, err, errlen);
	struct transport_msg m;
	int64_t n = 0;

	if (!c) {
		*rc = -3;
		return 0;
	}
	while ((*rc = consumer_poll(c, &m, 0, err, errlen)) == 1) {
		assert_int_equal(m.offset, n);
		assert_string_equal(m.topic, "t");
		check_rec(m.value, m.value_len, n);
		assert_int_equal(consumer_commit(c, &m, err, errlen), 0);
		consumer_release(c, &m);
		n++;
	}
	assert_int_equal(consumer_poll(c, &m, 0, err, errlen), *rc); /* sticky */
	consumer_close(c);
	return n;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *d;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	d = malloc(*len ? *len : 1);
	assert_non_null(d);
	assert_int_equal(fread(d, 1, *len, f), *len);
	fclose(f);
	return d;
}

static void spit(const char *path, const void *d, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, len, f), len);
	fclose(f);
}

/* ---- round trip ---- */

static void test_roundtrip_several_blocks(void **state)
{
	struct fixture *f = *state;
	struct transport_config cfg = file_cfg(f->path, 0);
	struct consumer *c;
	struct transport_msg m;
	char err[256] = "";
	int64_t blocks = 0;
	int rc;
	size_t bytes = 0, want = 0;
	struct rp_buf b = {0};

	write_ours(f->path, NREC);
	assert_int_equal(read_ours(f->path, &rc, err, sizeof(err)), NREC);
	assert_int_equal(rc, -2);
	/* without record_size: one message per block, offset = block index */
	c = consumer_open(&cfg, NULL, 0, err, sizeof(err));
	assert_non_null(c);
	while (consumer_poll(c, &m, 0, err, sizeof(err)) == 1) {
		assert_int_equal(m.offset, blocks);
		assert_string_equal(m.topic, f->path);
		bytes += m.value_len;
		blocks++;
		consumer_release(c, &m);
	}
	consumer_close(c);
	for (int64_t i = 0; i < NREC; i++) {
		encode_rec(&b, i);
		want += b.len;
	}
	buf_free(&b);
	assert_true(blocks >= 3);
	assert_int_equal(bytes, want);
}

/* Messages stay valid while later ones are polled (blocks are shared). */
static void test_messages_outlive_their_block(void **state)
{
	struct fixture *f = *state;
	struct transport_config cfg = file_cfg(f->path, 1);
	struct transport_msg *ms = calloc(NREC, sizeof(*ms)), end;
	char err[256] = "";
	struct consumer *c;

	assert_non_null(ms);
	write_ours(f->path, NREC);
	c = consumer_open(&cfg, NULL, 0, err, sizeof(err));
	assert_non_null(c);
	for (int64_t i = 0; i < NREC; i++)
		assert_int_equal(consumer_poll(c, &ms[i], 0, err, sizeof(err)), 1);
	assert_int_equal(consumer_poll(c, &end, 0, err, sizeof(err)), -2);
	for (int64_t i = 0; i < NREC; i++) {
		check_rec(ms[i].value, ms[i].value_len, i);
		consumer_release(c, &ms[i]);
	}
	consumer_close(c);
	free(ms);
}

/* ---- avro-c interoperability ---- */

static void test_avro_c_reads_our_file(void **state)
{
	struct fixture *f = *state;
	avro_file_reader_t rd;
	avro_schema_t schema;
	avro_value_iface_t *iface;
	avro_value_t v, field;
	int64_t n = 0, seq;
	const char *s;
	size_t slen;
	char want[80];

	write_ours(f->path, NREC);
	assert_int_equal(avro_file_reader(f->path, &rd), 0);
	schema = avro_file_reader_get_writer_schema(rd); /* a new reference */
	iface = avro_generic_class_from_schema(schema);
	assert_non_null(iface);
	assert_int_equal(avro_generic_value_new(iface, &v), 0);
	while (avro_file_reader_read_value(rd, &v) == 0) {
		assert_int_equal(avro_value_get_by_index(&v, 0, &field, NULL), 0);
		assert_int_equal(avro_value_get_long(&field, &seq), 0);
		assert_int_equal(seq, n);
		assert_int_equal(avro_value_get_by_index(&v, 1, &field, NULL), 0);
		assert_int_equal(avro_value_get_string(&field, &s, &slen), 0);
		assert_int_equal(slen - 1, payload_for(n, want)); /* slen counts the NUL */
		assert_memory_equal(s, want, slen - 1);
		n++;
	}
	assert_int_equal(n, NREC);
	avro_value_decref(&v);
	avro_value_iface_decref(iface);
	avro_schema_decref(schema);
	avro_file_reader_close(rd);
}

static void write_avro_c(const char *path, const char *codec, int64_t n)
{
	avro_schema_t schema;
	avro_file_writer_t w;
	avro_value_iface_t *iface;
	avro_value_t v, field;
	char payload[80];

	assert_int_equal(avro_schema_from_json_length(SCHEMA, strlen(SCHEMA), &schema), 0);
	assert_int_equal(avro_file_writer_create_with_codec(path, schema, &w, codec, 4096), 0);
	iface = avro_generic_class_from_schema(schema);
	assert_int_equal(avro_generic_value_new(iface, &v), 0);
	for (int64_t i = 0; i < n; i++) {
		payload[payload_for(i, payload)] = '\0';
		assert_int_equal(avro_value_get_by_index(&v, 0, &field, NULL), 0);
		assert_int_equal(avro_value_set_long(&field, i), 0);
		assert_int_equal(avro_value_get_by_index(&v, 1, &field, NULL), 0);
		assert_int_equal(avro_value_set_string(&field, payload), 0);
		assert_int_equal(avro_file_writer_append_value(w, &v), 0);
	}
	assert_int_equal(avro_file_writer_close(w), 0);
	avro_value_decref(&v);
	avro_value_iface_decref(iface);
	avro_schema_decref(schema);
}

static void test_we_read_avro_c_file(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	int rc;

	write_avro_c(f->path, "null", NREC);
	assert_int_equal(read_ours(f->path, &rc, err, sizeof(err)), NREC);
	assert_int_equal(rc, -2);
	write_avro_c(f->path2, "deflate", NREC);
	assert_int_equal(read_ours(f->path2, &rc, err, sizeof(err)), NREC);
	assert_int_equal(rc, -2);
}

/* ---- damaged files ---- */

/* Byte offsets where the header and each block end, and records so far. */
struct layout {
	long header_end;
	long ends[64];
	int64_t records[64];
	int nblocks;
};

static void file_layout(const char *path, struct layout *l)
{
	struct ocf_reader r;
	struct rp_buf b = {0};
	char err[256];
	int64_t count, total = 0;

	memset(l, 0, sizeof(*l));
	assert_int_equal(ocf_reader_open(&r, path, err, sizeof(err)), 0);
	l->header_end = ftell(r.f);
	while (ocf_reader_next_block(&r, &b, &count, err, sizeof(err)) == 1) {
		assert_true(l->nblocks < 64);
		total += count;
		l->ends[l->nblocks] = ftell(r.f);
		l->records[l->nblocks++] = total;
	}
	buf_free(&b);
	ocf_reader_close(&r);
}

/* Cuts the file at off and checks what our reader makes of it. */
static void check_cut(struct fixture *f, const uint8_t *d, const struct layout *l, long off)
{
	int64_t want = 0, got;
	int at_boundary = off == l->header_end, rc;
	char err[256] = "";

	spit(f->path2, d, (size_t)off);
	for (int i = 0; i < l->nblocks && l->ends[i] <= off; i++) {
		want = l->records[i];
		at_boundary = l->ends[i] == off;
	}
	got = read_ours(f->path2, &rc, err, sizeof(err));
	if (off < l->header_end) {
		assert_int_equal(rc, -3); /* open reports the broken header */
		return;
	}
	assert_int_equal(got, want);
	/* a cut exactly between blocks is indistinguishable from a shorter file */
	assert_int_equal(rc, at_boundary ? -2 : -1);
	if (rc == -1)
		assert_non_null(strstr(err, "truncated"));
}

static void test_truncated_file(void **state)
{
	struct fixture *f = *state;
	struct layout l;
	size_t len;
	uint8_t *d;

	write_ours(f->path, NREC);
	file_layout(f->path, &l);
	assert_true(l.nblocks >= 3);
	d = slurp(f->path, &len);
	for (long off = 0; off <= l.header_end + 1; off++)
		check_cut(f, d, &l, off);
	for (int i = 0; i < l.nblocks; i++) {
		long mid = (i ? l.ends[i - 1] : l.header_end) + (l.ends[i] - (i ? l.ends[i - 1] : l.header_end)) / 2;

		check_cut(f, d, &l, l.ends[i] - 17); /* inside the data */
		check_cut(f, d, &l, l.ends[i] - 1);  /* inside the sync marker */
		check_cut(f, d, &l, l.ends[i]);
		if (l.ends[i] + 1 <= (long)len)
			check_cut(f, d, &l, l.ends[i] + 1); /* inside the next prefix */
		check_cut(f, d, &l, mid);
	}
	free(d);
}

static void test_corrupt_sync_marker(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	struct layout l;
	size_t len;
	uint8_t *d;
	int rc;

	write_ours(f->path, NREC);
	file_layout(f->path, &l);
	d = slurp(f->path, &len);
	d[l.ends[1] - 3] ^= 0x5a; /* second block's trailing sync */
	spit(f->path2, d, len);
	assert_int_equal(read_ours(f->path2, &rc, err, sizeof(err)), l.records[0]);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "sync"));
	d[l.ends[1] - 3] ^= 0x5a;
	d[l.header_end - 1] ^= 0x01; /* the header's own marker: nothing matches */
	spit(f->path2, d, len);
	assert_int_equal(read_ours(f->path2, &rc, err, sizeof(err)), 0);
	assert_int_equal(rc, -1);
	free(d);
}

static void test_bad_magic(void **state)
{
	struct fixture *f = *state;
	struct transport_config cfg = file_cfg(f->path, 1);
	char err[256] = "";
	size_t len;
	uint8_t *d;

	write_ours(f->path, 10);
	d = slurp(f->path, &len);
	d[3] = 2; /* "Obj\x02" */
	spit(f->path, d, len);
	free(d);
	assert_null(consumer_open(&cfg, NULL, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "magic"));
}

/* A header with the given codec and no blocks, followed by extra bytes. */
static void write_header(const char *path, const char *codec, const uint8_t *tail, size_t ntail)
{
	uint8_t sync[OCF_SYNC_LEN] = {1, 2, 3};
	struct rp_buf b = {0};
	uint8_t tmp[OCF_LONG_MAX_LEN];
	const char *kv[] = {"avro.schema", SCHEMA, "avro.codec", codec};

	assert_int_equal(buf_append(&b, "Obj\x01", 4), 0);
	assert_int_equal(buf_append(&b, tmp, ocf_put_long(tmp, 2)), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(buf_append(&b, tmp, ocf_put_long(tmp, (int64_t)strlen(kv[i]))), 0);
		assert_int_equal(buf_append(&b, kv[i], strlen(kv[i])), 0);
	}
	assert_int_equal(buf_append(&b, tmp, ocf_put_long(tmp, 0)), 0);
	assert_int_equal(buf_append(&b, sync, sizeof(sync)), 0);
	assert_int_equal(buf_append(&b, tail, ntail), 0);
	spit(path, b.data, b.len);
	buf_free(&b);
}

static void test_unknown_codec_and_hostile_sizes(void **state)
{
	struct fixture *f = *state;
	struct transport_config cfg = file_cfg(f->path, 1);
	uint8_t tail[2 * OCF_LONG_MAX_LEN];
	size_t n = ocf_put_long(tail, 1);
	char err[256] = "";
	int rc;

	write_header(f->path, "snappy", NULL, 0);
	assert_null(consumer_open(&cfg, NULL, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "codec"));
	/* a block claiming 1 TiB: refused before any allocation */
	n += ocf_put_long(tail + n, (int64_t)1 << 40);
	write_header(f->path, "null", tail, n);
	assert_int_equal(read_ours(f->path, &rc, err, sizeof(err)), 0);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "out of bounds"));
	/* metadata value length beyond the header bound */
	n = 0;
	memcpy(tail, "Obj\x01", 4);
	n = 4 + ocf_put_long(tail + 4, 1);
	n += ocf_put_long(tail + n, 1);
	tail[n++] = 'k';
	n += ocf_put_long(tail + n, (int64_t)1 << 40);
	spit(f->path, tail, n);
	assert_null(consumer_open(&cfg, NULL, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "out of bounds"));
	/* a clean file with no blocks is simply empty */
	write_header(f->path, "null", NULL, 0);
	assert_int_equal(read_ours(f->path, &rc, err, sizeof(err)), 0);
	assert_int_equal(rc, -2);
}

static size_t one_byte(const uint8_t *p, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return n ? 1 : 0;
}

static void test_records_not_matching_count(void **state)
{
	struct fixture *f = *state;
	struct transport_config cfg = file_cfg(f->path, 0);
	const char *topics[] = {"t"};
	struct transport_msg m;
	char err[256] = "";
	struct consumer *c;

	cfg.record_size = one_byte; /* a skip function that disagrees with the file */
	write_ours(f->path, 100);
	c = consumer_open(&cfg, topics, 1, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(consumer_poll(c, &m, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "records do not match"));
	consumer_close(c);
}

static void test_write_failure_reported(void **state)
{
	struct transport_config cfg = file_cfg("/dev/full", 0);
	char err[256] = "";

	(void)state;
	assert_null(producer_open(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "/dev/full"));
	cfg.schema_json = NULL;
	assert_null(producer_open(&cfg, err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_several_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_messages_outlive_their_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_avro_c_reads_our_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_we_read_avro_c_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_sync_marker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_magic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_codec_and_hostile_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records_not_matching_count, setup, teardown),
		cmocka_unit_test(test_write_failure_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
