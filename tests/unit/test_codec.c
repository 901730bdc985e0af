/* Round trips of every field of Event, Verdict and ActionResult, byte-level
 * cross-checks against avro-c's generic encoder/decoder, and the schema
 * fingerprints (C vs generator vs the Avro specification's vectors). */
#include "test_codec_fixtures.h"

#include "event_codec.h"
#include "fingerprint.h"
#include "schema_canonical.h"
#include "schema_defs.h"

#define NVARIANTS 60 /* lcm-ish cover of 38 event types, 6 args, 3 workloads */

static void test_fingerprint_spec_vectors(void **state)
{
	(void)state;
	/* CRC-64-AVRO of the canonical forms "int" and "null" (Avro spec tests). */
	assert_int_equal(schema_fingerprint64("\"int\"", 5), UINT64_C(0x7275d51a3f395c8f));
	assert_int_equal(schema_fingerprint64("\"null\"", 6), UINT64_C(0x63dd24e7cc258f8a));
	assert_int_equal(schema_fingerprint64("", 0), UINT64_C(0xc15d213aa4d7a795));
}

static void check_generated(const char *json, size_t jlen, const char *canon, size_t clen,
			    uint64_t fp)
{
	struct rp_buf b = {0};
	struct codec_error err = {0};
	uint64_t fp2;

	assert_int_equal(strlen(canon), clen);
	assert_int_equal(schema_fingerprint64(canon, clen), fp);
	/* The C canonicaliser agrees with the generator's, from the full JSON. */
	assert_int_equal(schema_canonical_form(json, jlen, &b, &err), 0);
	assert_int_equal(b.len, clen);
	assert_memory_equal(b.data, canon, clen);
	assert_int_equal(schema_fingerprint_json(json, jlen, &fp2, &err), 0);
	assert_int_equal(fp2, fp);
	buf_free(&b);
}

static void test_generated_fingerprints(void **state)
{
	(void)state;
	check_generated(schema_event_json, schema_event_json_len, schema_event_canonical,
			schema_event_canonical_len, schema_event_fingerprint);
	check_generated(schema_verdict_json, schema_verdict_json_len, schema_verdict_canonical,
			schema_verdict_canonical_len, schema_verdict_fingerprint);
	check_generated(schema_action_json, schema_action_json_len, schema_action_canonical,
			schema_action_canonical_len, schema_action_fingerprint);
	/* Verdict embeds Event by definition, not by name. */
	assert_non_null(strstr(schema_verdict_json, "\"FileArgs\""));
	assert_non_null(strstr(schema_verdict_canonical, "{\"name\":\"io.rampart.Event\""));
}

static void test_canonical_form_rules(void **state)
{
	const char *in = "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"a.b\",\"doc\":\"x\","
			 "\"fields\":[{\"name\":\"f\",\"type\":{\"type\":\"int\"},\"default\":1},"
			 "{\"name\":\"g\",\"type\":[\"null\",\"R\"]}]}";
	const char *want = "{\"name\":\"a.b.R\",\"type\":\"record\",\"fields\":[{\"name\":\"f\","
			   "\"type\":\"int\"},{\"name\":\"g\",\"type\":[\"null\",\"a.b.R\"]}]}";
	struct rp_buf b = {0};
	struct codec_error err = {0};

	(void)state;
	assert_int_equal(schema_canonical_form(in, strlen(in), &b, &err), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data, want, b.len);
	buf_reset(&b);
	assert_int_equal(schema_canonical_form("{\"type\":", 8, &b, &err), -1);
	assert_int_equal(schema_canonical_form("\"Nope\"", 6, &b, &err), -1);
	buf_free(&b);
}

static void test_event_roundtrip(void **state)
{
	struct event_scratch *s = malloc(sizeof(*s));
	struct rp_buf b = {0};
	struct codec_error err = {0};
	struct rp_event in, out;

	(void)state;
	for (unsigned v = 0; v < NVARIANTS + RP_EV__COUNT; v++) {
		fx_event(&in, v);
		buf_reset(&b);
		assert_int_equal(event_encode(&in, &b), 0);
		memset(&out, 0xa5, sizeof(out));
		if (event_decode(b.data, b.len, &out, s, &err))
			fail_msg("variant %u: %s", v, err.msg);
		fx_event_eq(&in, &out);
		/* Views point into the input, not copies. */
		assert_true((const uint8_t *)out.node.ptr >= b.data &&
			    (const uint8_t *)out.node.ptr < b.data + b.len);
	}
	in.orchestrator = RP_ORCH__COUNT;
	size_t len = b.len;
	assert_int_equal(event_encode(&in, &b), -1);
	assert_int_equal(b.len, len);
	buf_free(&b);
	free(s);
}

static void test_verdict_roundtrip(void **state)
{
	struct verdict_scratch *s = malloc(sizeof(*s));
	struct rp_buf b = {0};
	struct codec_error err = {0};
	struct rp_verdict in, out;

	(void)state;
	for (unsigned v = 0; v < NVARIANTS; v++) {
		fx_verdict(&in, v);
		buf_reset(&b);
		assert_int_equal(verdict_encode(&in, &b), 0);
		if (verdict_decode(b.data, b.len, &out, s, &err))
			fail_msg("variant %u: %s", v, err.msg);
		fx_verdict_eq(&in, &out);
	}
	/* Every severity symbol. */
	struct rp_rule_match m[RP_SEV__COUNT];
	for (int i = 0; i < RP_SEV__COUNT; i++)
		m[i] = (struct rp_rule_match){RP_STR("id"), RP_STR("n"), RP_STR("t"), RP_STR("ta"),
					      (enum rp_severity)i, RP_STR(""), RP_ACTION_LOG, RP_STR("o")};
	in.matches = m;
	in.nmatches = RP_SEV__COUNT;
	buf_reset(&b);
	assert_int_equal(verdict_encode(&in, &b), 0);
	assert_int_equal(verdict_decode(b.data, b.len, &out, s, &err), 0);
	fx_verdict_eq(&in, &out);
	buf_free(&b);
	free(s);
}

static void test_action_roundtrip(void **state)
{
	struct rp_buf b = {0};
	struct codec_error err = {0};
	struct rp_action_result in, out;

	(void)state;
	for (unsigned v = 0; v < 12; v++) {
		fx_action(&in, v);
		buf_reset(&b);
		assert_int_equal(action_encode(&in, &b), 0);
		if (action_decode(b.data, b.len, &out, &err))
			fail_msg("variant %u: %s", v, err.msg);
		fx_action_eq(&in, &out);
	}
	in.outcome = RP_OUTCOME__COUNT;
	assert_int_equal(action_encode(&in, &b), -1);
	buf_free(&b);
}

/* ours(x) == avro_value_write(x); avro-c reads ours back to an equal value;
 * ours decodes avro-c's bytes. */
static void cross_check(struct fx_avro *a, const struct rp_buf *ours, uint8_t *theirs, size_t cap)
{
	size_t n = fx_avro_write(a, theirs, cap);
	avro_value_t back;

	assert_int_equal(n, ours->len);
	assert_memory_equal(theirs, ours->data, n);
	fx_avro_read(a, ours->data, ours->len, &back);
	assert_true(avro_value_equal(&a->value, &back));
	avro_value_decref(&back);
}

static void test_event_vs_avro_c(void **state)
{
	struct event_scratch *s = malloc(sizeof(*s));
	uint8_t theirs[8192];
	struct rp_buf b = {0};
	struct codec_error err = {0};
	struct rp_event in, out;
	struct fx_avro a;

	(void)state;
	fx_avro_init(&a, schema_event_json, schema_event_json_len);
	for (unsigned v = 0; v < NVARIANTS; v++) {
		fx_event(&in, v);
		avro_value_reset(&a.value);
		fx_avro_event(&a.value, &in);
		buf_reset(&b);
		assert_int_equal(event_encode(&in, &b), 0);
		cross_check(&a, &b, theirs, sizeof(theirs));
		assert_int_equal(event_decode(theirs, b.len, &out, s, &err), 0);
		fx_event_eq(&in, &out);
	}
	fx_avro_free(&a);
	buf_free(&b);
	free(s);
}

static void test_verdict_vs_avro_c(void **state)
{
	struct verdict_scratch *s = malloc(sizeof(*s));
	uint8_t theirs[16384];
	struct rp_buf b = {0};
	struct codec_error err = {0};
	struct rp_verdict in, out;
	struct fx_avro a;

	(void)state;
	fx_avro_init(&a, schema_verdict_json, schema_verdict_json_len);
	for (unsigned v = 0; v < NVARIANTS; v++) {
		fx_verdict(&in, v);
		avro_value_reset(&a.value);
		fx_avro_verdict(&a.value, &in);
		buf_reset(&b);
		assert_int_equal(verdict_encode(&in, &b), 0);
		cross_check(&a, &b, theirs, sizeof(theirs));
		assert_int_equal(verdict_decode(theirs, b.len, &out, s, &err), 0);
		fx_verdict_eq(&in, &out);
	}
	fx_avro_free(&a);
	buf_free(&b);
	free(s);
}

static void test_action_vs_avro_c(void **state)
{
	uint8_t theirs[1024];
	struct rp_buf b = {0};
	struct codec_error err = {0};
	struct rp_action_result in, out;
	struct fx_avro a;

	(void)state;
	fx_avro_init(&a, schema_action_json, schema_action_json_len);
	for (unsigned v = 0; v < 12; v++) {
		fx_action(&in, v);
		avro_value_reset(&a.value);
		fx_avro_action(&a.value, &in);
		buf_reset(&b);
		assert_int_equal(action_encode(&in, &b), 0);
		cross_check(&a, &b, theirs, sizeof(theirs));
		assert_int_equal(action_decode(theirs, b.len, &out, &err), 0);
		fx_action_eq(&in, &out);
	}
	fx_avro_free(&a);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_spec_vectors),
		cmocka_unit_test(test_generated_fingerprints),
		cmocka_unit_test(test_canonical_form_rules),
		cmocka_unit_test(test_event_roundtrip),
		cmocka_unit_test(test_verdict_roundtrip),
		cmocka_unit_test(test_action_roundtrip),
		cmocka_unit_test(test_event_vs_avro_c),
		cmocka_unit_test(test_verdict_vs_avro_c),
		cmocka_unit_test(test_action_vs_avro_c),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
