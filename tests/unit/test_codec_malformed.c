/* Every class of malformed input is rejected with a message naming it:
 * truncation at each offset, bad varints, negative and oversized lengths,
 * out-of-range union and enum indexes, lists beyond the scratch capacity,
 * trailing bytes, bad framing, unknown writer schemas. Also the valid but
 * unusual negative-count array blocks. */
#include "test_codec_fixtures.h"

#include "event_codec.h"
#include "event_message.h"
#include "framing.h"
#include "schema_defs.h"

struct fx {
	struct event_scratch s;
	struct rp_event ev;
	struct rp_buf b;
	struct codec_error err;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	*state = f;
	return f ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	buf_free(&f->b);
	free(f);
	return 0;
}

static void encode(struct fx *f, unsigned variant)
{
	struct rp_event ev;

	fx_event(&ev, variant);
	buf_reset(&f->b);
	assert_int_equal(event_encode(&ev, &f->b), 0);
}

static void expect_error(struct fx *f, const uint8_t *p, size_t n, const char *needle)
{
	memset(&f->err, 0, sizeof(f->err));
	assert_int_equal(event_decode(p, n, &f->ev, &f->s, &f->err), -1);
	if (!strstr(f->err.msg, needle))
		fail_msg("error \"%s\" lacks \"%s\"", f->err.msg, needle);
}

static void test_truncation_everywhere(void **state)
{
	struct fx *f = *state;

	for (unsigned v = 0; v < 6; v++) {
		encode(f, v);
		for (size_t i = 0; i < f->b.len; i++) {
			memset(&f->err, 0, sizeof(f->err));
			assert_int_equal(event_decode(f->b.data, i, &f->ev, &f->s, &f->err), -1);
			assert_true(f->err.msg[0] != '\0');
			assert_true(f->err.offset <= i);
		}
		assert_int_equal(event_decode(f->b.data, f->b.len, &f->ev, &f->s, &f->err), 0);
	}
}

static void test_truncated_string_message(void **state)
{
	struct fx *f = *state;

	encode(f, 0); /* node "node-1": 0x0c then 6 bytes */
	expect_error(f, f->b.data, 4, "truncated string (length 6) at offset 0 for Event.node");
	assert_int_equal(f->err.offset, 0);
}

static void test_bad_varints(void **state)
{
	struct fx *f = *state;
	uint8_t eleven[11], ten[10];

	memset(eleven, 0xff, sizeof(eleven));
	expect_error(f, eleven, sizeof(eleven), "varint longer than 10 bytes");
	memset(ten, 0xff, sizeof(ten));
	ten[9] = 0x02; /* bit 64 */
	expect_error(f, ten, sizeof(ten), "varint overflows 64 bits");
	expect_error(f, ten, 3, "truncated varint");
}

static void test_lengths(void **state)
{
	struct fx *f = *state;
	const uint8_t neg[] = {0x01, 'x'};
	const uint8_t big[] = {0x14, 'a', 'b', 'c'};
	const uint8_t huge[] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};

	expect_error(f, neg, sizeof(neg), "negative length -1 at offset 0 for Event.node");
	expect_error(f, big, sizeof(big), "truncated string (length 10)");
	expect_error(f, huge, sizeof(huge), "truncated string");
}

static size_t orch_offset(const struct rp_event *ev)
{
	return 1 + ev->node.len + 1 + ev->cluster.len; /* both lengths < 64 */
}

static void test_enum_and_union_indexes(void **state)
{
	struct fx *f = *state;
	struct rp_event ev;

	fx_event(&ev, 0); /* args_kind NONE: the last byte is the union index 0 */
	encode(f, 0);
	f->b.data[f->b.len - 1] = 9 << 1;
	expect_error(f, f->b.data, f->b.len, "union index 9 out of range at offset");
	assert_non_null(strstr(f->err.msg, "for Event.args"));
	f->b.data[f->b.len - 1] = 0x01; /* -1 */
	expect_error(f, f->b.data, f->b.len, "union index -1 out of range");

	encode(f, 0);
	f->b.data[orch_offset(&ev)] = 3 << 1;
	expect_error(f, f->b.data, f->b.len, "enum index 3 out of range");
	assert_non_null(strstr(f->err.msg, "Event.orchestrator"));
	assert_int_equal(f->err.offset, orch_offset(&ev));
}

static void test_bad_boolean_and_int_range(void **state)
{
	struct fx *f = *state;
	struct rp_event ev;
	uint8_t *p;

	fx_event(&ev, 0);
	ev.container.privileged = true;
	ev.container.runtime = RP_STR("zz-unique-runtime");
	buf_reset(&f->b);
	assert_int_equal(event_encode(&ev, &f->b), 0);
	p = memmem(f->b.data, f->b.len, "zz-unique-runtime", 17);
	assert_non_null(p);
	assert_int_equal(p[-2], 1); /* privileged, then the runtime length */
	p[-2] = 2;
	expect_error(f, f->b.data, f->b.len, "bad boolean byte 0x02");

	/* pid is an Avro int: a long-sized value must be refused. */
	struct rp_buf b = {0};
	ev.container.privileged = false;
	ev.workload_kind = RP_WORKLOAD_NONE;
	ev.process.pid = 0x12345;
	assert_int_equal(event_encode(&ev, &b), 0);
	uint8_t pid_enc[4];
	size_t pid_len = 0;
	uint64_t z = (uint64_t)0x12345 << 1;
	while (z >= 0x80) { pid_enc[pid_len++] = (uint8_t)(z | 0x80); z >>= 7; }
	pid_enc[pid_len++] = (uint8_t)z;
	p = memmem(b.data, b.len, pid_enc, pid_len);
	assert_non_null(p);
	/* Replace the pid with 2^40 (6-byte varint): splice into a new buffer. */
	const uint8_t big[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x40};
	buf_reset(&f->b);
	buf_append(&f->b, b.data, (size_t)(p - b.data));
	buf_append(&f->b, big, sizeof(big));
	buf_append(&f->b, p + pid_len, b.len - (size_t)(p - b.data) - pid_len);
	expect_error(f, f->b.data, f->b.len, "out of range");
	assert_non_null(strstr(f->err.msg, "Event.process.pid"));
	buf_free(&b);
}

static void test_too_many_items(void **state)
{
	struct fx *f = *state;
	static const struct rp_str many[RP_MAX_ARGS + 1] = {{"", 0}};
	struct rp_event ev;
	struct rp_label labels[RP_MAX_LABELS + 1];

	fx_event(&ev, 0);
	ev.process.args = many;
	ev.process.nargs = RP_MAX_ARGS;
	buf_reset(&f->b);
	assert_int_equal(event_encode(&ev, &f->b), 0);
	assert_int_equal(event_decode(f->b.data, f->b.len, &f->ev, &f->s, &f->err), 0);
	assert_int_equal(f->ev.process.nargs, RP_MAX_ARGS);

	ev.process.nargs = RP_MAX_ARGS + 1;
	buf_reset(&f->b);
	assert_int_equal(event_encode(&ev, &f->b), 0);
	expect_error(f, f->b.data, f->b.len, "too many items");
	assert_non_null(strstr(f->err.msg, "Event.process.args"));

	fx_event(&ev, 1); /* pod */
	for (int i = 0; i <= RP_MAX_LABELS; i++)
		labels[i] = (struct rp_label){RP_STR("k"), RP_STR("v")};
	ev.workload.pod.labels = labels;
	ev.workload.pod.nlabels = RP_MAX_LABELS + 1;
	buf_reset(&f->b);
	assert_int_equal(event_encode(&ev, &f->b), 0);
	expect_error(f, f->b.data, f->b.len, "too many items");
	assert_non_null(strstr(f->err.msg, "labels"));
}

/* Rewrites the args array [a, b, c] as blocks [-2 (size), a, b] [1, c] [0]. */
static void test_negative_block_counts(void **state)
{
	struct fx *f = *state;
	static const struct rp_str three[] = {RP_STR("AAAA"), RP_STR("BBBB"), RP_STR("CCCC")};
	const uint8_t plain[] = {0x06, 0x08, 'A', 'A', 'A', 'A', 0x08, 'B', 'B', 'B', 'B',
				 0x08, 'C', 'C', 'C', 'C', 0x00};
	const uint8_t blocked[] = {0x03, 0x14, 0x08, 'A', 'A', 'A', 'A', 0x08, 'B', 'B', 'B', 'B',
				   0x02, 0x08, 'C', 'C', 'C', 'C', 0x00};
	struct rp_event ev;
	struct rp_buf b = {0};
	uint8_t *p;

	fx_event(&ev, 0);
	ev.process.args = three;
	ev.process.nargs = 3;
	assert_int_equal(event_encode(&ev, &b), 0);
	p = memmem(b.data, b.len, plain, sizeof(plain));
	assert_non_null(p);
	buf_reset(&f->b);
	buf_append(&f->b, b.data, (size_t)(p - b.data));
	buf_append(&f->b, blocked, sizeof(blocked));
	buf_append(&f->b, p + sizeof(plain), b.len - (size_t)(p - b.data) - sizeof(plain));
	assert_int_equal(event_decode(f->b.data, f->b.len, &f->ev, &f->s, &f->err), 0);
	fx_event_eq(&ev, &f->ev);

	/* A block size beyond the buffer is refused. */
	size_t at = (size_t)(p - b.data) + 1;
	f->b.data[at] = 0x7f; /* -64 */
	expect_error(f, f->b.data, f->b.len, "bad block size");
	buf_free(&b);
}

static void test_trailing_bytes(void **state)
{
	struct fx *f = *state;

	encode(f, 3);
	buf_append(&f->b, "\0", 1);
	expect_error(f, f->b.data, f->b.len, "1 trailing bytes");
}

static void test_framing(void **state)
{
	struct fx *f = *state;
	struct rp_frame fr;
	struct codec_error err;
	const uint8_t bad[] = {0x7b, 0x22, 0x00};
	const uint8_t shortso[] = {0xc3, 0x01, 1, 2};
	uint8_t conf[] = {0x00, 0x00, 0x01, 0x02, 0x03, 0xaa};

	buf_reset(&f->b);
	assert_int_equal(frame_write_single_object(&f->b, UINT64_C(0x0102030405060708)), 0);
	const uint8_t want[] = {0xc3, 0x01, 8, 7, 6, 5, 4, 3, 2, 1};
	assert_memory_equal(f->b.data, want, sizeof(want));
	assert_int_equal(frame_parse(f->b.data, f->b.len, &fr, &err), 0);
	assert_int_equal(fr.framing, RP_FRAMING_SINGLE_OBJECT);
	assert_int_equal(fr.fingerprint, UINT64_C(0x0102030405060708));
	assert_int_equal(fr.len, 0);

	assert_int_equal(frame_parse(conf, sizeof(conf), &fr, &err), 0);
	assert_int_equal(fr.framing, RP_FRAMING_CONFLUENT);
	assert_int_equal(fr.schema_id, 0x010203);
	assert_int_equal(fr.len, 1);
	assert_int_equal(fr.payload[0], 0xaa);
	buf_reset(&f->b);
	assert_int_equal(frame_write_confluent(&f->b, 0x010203), 0);
	assert_memory_equal(f->b.data, conf, 5);

	assert_int_equal(frame_parse(bad, sizeof(bad), &fr, &err), -1);
	assert_non_null(strstr(err.msg, "bad framing magic 0x7b"));
	assert_int_equal(frame_parse(shortso, sizeof(shortso), &fr, &err), -1);
	assert_non_null(strstr(err.msg, "truncated single-object header"));
	assert_int_equal(frame_parse(conf, 3, &fr, &err), -1);
	assert_int_equal(frame_parse(bad, 0, &fr, &err), -1);
}

static void test_message_errors(void **state)
{
	struct fx *f = *state;
	struct codec_error err = {0};
	struct schema_store *st = schema_store_new(&err);
	struct rp_buf rb = {0};
	struct rp_event ev;

	assert_non_null(st);
	fx_event(&ev, 4);
	buf_reset(&f->b);
	assert_int_equal(event_encode_message(&ev, &f->b), 0);
	assert_int_equal(event_decode_message(st, f->b.data, f->b.len, &f->ev, &f->s, &rb, &err), 0);
	fx_event_eq(&ev, &f->ev);

	/* Truncation of the framed message at every offset. */
	for (size_t i = 0; i < f->b.len; i++)
		assert_int_equal(event_decode_message(st, f->b.data, i, &f->ev, &f->s, &rb, &err), -1);

	/* Offsets count from the start of the message. */
	f->b.data[RP_SINGLE_OBJECT_HEADER + 1 + ev.node.len + 1 + ev.cluster.len] = 0x7f;
	assert_int_equal(event_decode_message(st, f->b.data, f->b.len, &f->ev, &f->s, &rb, &err), -1);
	assert_int_equal(err.offset, RP_SINGLE_OBJECT_HEADER + orch_offset(&ev));

	f->b.data[2] ^= 0xff; /* fingerprint */
	assert_int_equal(event_decode_message(st, f->b.data, f->b.len, &f->ev, &f->s, &rb, &err), -1);
	assert_non_null(strstr(err.msg, "unknown writer schema fingerprint"));

	f->b.data[0] = 0x42;
	assert_int_equal(event_decode_message(st, f->b.data, f->b.len, &f->ev, &f->s, &rb, &err), -1);
	assert_non_null(strstr(err.msg, "bad framing magic"));

	/* Confluent id not registered, then registered. */
	buf_reset(&f->b);
	assert_int_equal(frame_write_confluent(&f->b, 7), 0);
	assert_int_equal(event_encode(&ev, &f->b), 0);
	assert_int_equal(event_decode_message(st, f->b.data, f->b.len, &f->ev, &f->s, &rb, &err), -1);
	assert_non_null(strstr(err.msg, "unknown Confluent schema id 7"));
	assert_int_equal(schema_store_bind_id(st, schema_event_fingerprint, 7, &err), 0);
	assert_int_equal(event_decode_message(st, f->b.data, f->b.len, &f->ev, &f->s, &rb, &err), 0);
	fx_event_eq(&ev, &f->ev);

	/* A known schema that is not an Event. */
	buf_reset(&f->b);
	assert_int_equal(frame_write_single_object(&f->b, schema_action_fingerprint), 0);
	assert_int_equal(event_decode_message(st, f->b.data, f->b.len, &f->ev, &f->s, &rb, &err), -1);
	assert_non_null(strstr(err.msg, "not an io.rampart.Event"));

	buf_free(&rb);
	schema_store_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_truncation_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_string_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_varints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lengths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum_and_union_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_boolean_and_int_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_items, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative_block_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trailing_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_framing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
