/* Confluent wire format end to end: a writer registers the Event schema and
 * frames with the registry id; a reader that has never seen the id learns
 * the writer schema from the registry and decodes. */
#include "test_codec_fixtures.h"

#include "registry_fixture.h"

#include "event_codec.h"
#include "event_message.h"
#include "framing.h"
#include "registry_framing.h"
#include "schema_defs.h"

static struct schema_registry *client(void)
{
	struct schema_registry_config cfg = {.url = fx.url, .timeout_ms = 2000, .max_attempts = 2};
	char err[256];
	struct schema_registry *sr = schema_registry_new(&cfg, err, sizeof(err));

	if (!sr)
		fail_msg("%s", err);
	return sr;
}

static struct schema_store *store(void)
{
	struct codec_error err;
	struct schema_store *st = schema_store_new(&err);

	if (!st)
		fail_msg("%s", err.msg);
	return st;
}

static void encode_confluent(const struct rp_event *ev, uint32_t id, struct rp_buf *out)
{
	assert_int_equal(frame_write_confluent(out, id), 0);
	assert_int_equal(event_encode(ev, out), 0);
}

static void test_reader_learns_writer_schema(void **state)
{
	struct schema_registry *wsr = client(), *rsr = client();
	struct schema_store *wst = store(), *rst = store();
	static struct event_scratch scratch;
	struct rp_buf msg = {0}, resolved = {0};
	struct codec_error err;
	struct rp_event want, got;
	uint32_t id;

	(void)state;
	if (registry_framing_register(wst, wsr, "rampart.events-value", schema_event_json, schema_event_json_len,
				      &id, &err))
		fail_msg("%s", err.msg);
	assert_ptr_equal(schema_store_by_id(wst, id), schema_store_by_fingerprint(wst, schema_event_fingerprint));
	fx_event(&want, 5);
	encode_confluent(&want, id, &msg);

	/* The reader's store knows the schema, not the id: decoding fails until it learns. */
	assert_int_equal(event_decode_message(rst, msg.data, msg.len, &got, &scratch, &resolved, &err), -1);
	if (registry_framing_learn(rst, rsr, msg.data, msg.len, &err))
		fail_msg("%s", err.msg);
	if (event_decode_message(rst, msg.data, msg.len, &got, &scratch, &resolved, &err))
		fail_msg("%s", err.msg);
	fx_event_eq(&got, &want);

	buf_free(&msg);
	buf_free(&resolved);
	schema_store_free(wst);
	schema_store_free(rst);
	schema_registry_free(wsr);
	schema_registry_free(rsr);
}

static void test_unknown_id_is_a_clear_error(void **state)
{
	struct schema_registry *sr = client();
	struct schema_store *st = store();
	struct rp_buf msg = {0};
	struct codec_error err;
	struct rp_event ev;

	(void)state;
	fx_event(&ev, 1);
	encode_confluent(&ev, 777777, &msg);
	assert_int_equal(registry_framing_learn(st, sr, msg.data, msg.len, &err), -1);
	assert_non_null(strstr(err.msg, "HTTP 404"));
	/* Single-object frames never touch the registry. */
	buf_reset(&msg);
	assert_int_equal(event_encode_message(&ev, &msg), 0);
	assert_int_equal(registry_framing_learn(st, sr, msg.data, msg.len, &err), 0);
	buf_free(&msg);
	schema_store_free(st);
	schema_registry_free(sr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_learns_writer_schema),
		cmocka_unit_test(test_unknown_id_is_a_clear_error),
	};

	return cmocka_run_group_tests(tests, start_registry, stop_registry);
}
