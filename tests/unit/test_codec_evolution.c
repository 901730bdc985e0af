/* Schema evolution: data written with tests/data/event.v0.avsc (no boot_id,
 * loginuid, env, container.runtime, FileArgs.xattr/length, no KernelArgs
 * branch) decodes with the current reader, missing fields taking their
 * schema defaults; incompatible writers are refused at registration. */
#include "test_codec_fixtures.h"

#include <stdlib.h>

#include "event_codec.h"
#include "event_message.h"
#include "framing.h"
#include "schema_defs.h"
#include "schema_store.h"

struct fx {
	char *v0_json;
	size_t v0_len;
	struct schema_store *st;
	uint64_t v0_fp;
	struct fx_avro v0;
	struct event_scratch s;
	struct rp_buf msg, resolved;
};

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
	p[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return p;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct codec_error err = {0};

	assert_non_null(f);
	f->v0_json = slurp(RP_TEST_DATA_DIR "/event.v0.avsc", &f->v0_len);
	f->st = schema_store_new(&err);
	assert_non_null(f->st);
	if (schema_store_add(f->st, f->v0_json, f->v0_len, 41, &f->v0_fp, &err))
		fail_msg("adding v0: %s", err.msg);
	assert_int_not_equal(f->v0_fp, schema_event_fingerprint);
	fx_avro_init(&f->v0, f->v0_json, f->v0_len);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	fx_avro_free(&f->v0);
	schema_store_free(f->st);
	buf_free(&f->msg);
	buf_free(&f->resolved);
	free(f->v0_json);
	free(f);
	return 0;
}

/* The event as a v0 writer would have sent it: single-object framed. */
static void write_v0(struct fx *f, const struct rp_event *ev, bool confluent)
{
	uint8_t body[8192];
	size_t n;

	avro_value_reset(&f->v0.value);
	fx_avro_event(&f->v0.value, ev);
	n = fx_avro_write(&f->v0, body, sizeof(body));
	buf_reset(&f->msg);
	if (confluent)
		assert_int_equal(frame_write_confluent(&f->msg, 41), 0);
	else
		assert_int_equal(frame_write_single_object(&f->msg, f->v0_fp), 0);
	assert_int_equal(buf_append(&f->msg, body, n), 0);
}

/* What the current reader must see for v0 data: the v0 fields as written,
 * the rest at their schema defaults. */
static void v0_expected(struct rp_event *ev)
{
	ev->boot_id = (struct rp_str){"", 0};
	ev->container.runtime = (struct rp_str){"", 0};
	ev->container.cgroup = (struct rp_str){"", 0};
	ev->process.loginuid = -1;
	ev->process.nenv = 0;
	if (ev->args_kind == RP_ARGS_FILE) {
		ev->args.file.xattr = (struct rp_str){"", 0};
		ev->args.file.length = 0;
	}
}

static void test_v0_gets_defaults(void **state)
{
	struct fx *f = *state;
	struct codec_error err = {0};
	struct rp_event in, out;

	for (unsigned v = 0; v < 30; v++) {
		fx_event(&in, v);
		if (in.args_kind == RP_ARGS_KERNEL) /* v0 had no KernelArgs */
			continue;
		write_v0(f, &in, v & 1);
		if (event_decode_message(f->st, f->msg.data, f->msg.len, &out, &f->s, &f->resolved, &err))
			fail_msg("variant %u: %s", v, err.msg);
		v0_expected(&in);
		fx_event_eq(&in, &out);
		assert_int_equal(out.process.loginuid, -1);
		assert_int_equal(out.process.nenv, 0);
	}
}

static void test_v0_malformed(void **state)
{
	struct fx *f = *state;
	struct codec_error err = {0};
	struct rp_event in, out;

	fx_event(&in, 1);
	write_v0(f, &in, false);
	for (size_t i = 0; i < f->msg.len; i++)
		assert_int_equal(event_decode_message(f->st, f->msg.data, i, &out, &f->s, &f->resolved,
						      &err), -1);
	assert_int_equal(buf_append(&f->msg, "x", 1), 0);
	assert_int_equal(event_decode_message(f->st, f->msg.data, f->msg.len, &out, &f->s,
					      &f->resolved, &err), -1);
	assert_non_null(strstr(err.msg, "trailing"));
	/* A huge string length must be refused before avro-c allocates it. */
	f->msg.data[RP_SINGLE_OBJECT_HEADER] = 0xfe;
	f->msg.len = RP_SINGLE_OBJECT_HEADER + 1;
	assert_int_equal(buf_append(&f->msg, "\xff\xff\xff\xff\xff\xff\xff\x01", 8), 0);
	assert_int_equal(event_decode_message(f->st, f->msg.data, f->msg.len, &out, &f->s,
					      &f->resolved, &err), -1);
	assert_non_null(strstr(err.msg, "truncated string"));
}

static void test_incompatible_writer_refused(void **state)
{
	struct fx *f = *state;
	struct codec_error err = {0};
	/* Lacks process.pid, which has no default in the reader. */
	const char *bad = "{\"type\":\"record\",\"name\":\"Event\",\"namespace\":\"io.rampart\","
			  "\"fields\":[{\"name\":\"node\",\"type\":\"string\"},"
			  "{\"name\":\"sequence\",\"type\":\"long\"},{\"name\":\"time_ns\",\"type\":\"long\"},"
			  "{\"name\":\"container\",\"type\":{\"type\":\"record\",\"name\":\"Container\","
			  "\"fields\":[]}},{\"name\":\"process\",\"type\":{\"type\":\"record\","
			  "\"name\":\"Process\",\"fields\":[{\"name\":\"comm\",\"type\":\"string\"}]}}]}";
	/* v0 with Event.node an int: avro-c's resolver must refuse int -> string. */
	char *wrong_type = strdup(f->v0_json);
	char *node = strstr(wrong_type, "\"type\": \"string\"");

	assert_non_null(node);
	memcpy(node + 8, "\"int\"   ", 8);

	assert_int_equal(schema_store_add(f->st, bad, strlen(bad), -1, NULL, &err), -1);
	if (!strstr(err.msg, "pid"))
		fail_msg("%s", err.msg);
	assert_int_equal(schema_store_add(f->st, wrong_type, strlen(wrong_type), -1, NULL, &err), -1);
	if (!strstr(err.msg, "incompatible writer schema"))
		fail_msg("%s", err.msg);
	free(wrong_type);
	assert_int_equal(schema_store_add(f->st, "{", 1, -1, NULL, &err), -1);
	/* Re-adding a known schema succeeds; it cannot take a second id. */
	assert_int_equal(schema_store_add(f->st, f->v0_json, f->v0_len, -1, NULL, &err), 0);
	assert_int_equal(schema_store_add(f->st, f->v0_json, f->v0_len, 42, NULL, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v0_gets_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v0_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incompatible_writer_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
