/* Schema registry client against a Confluent-compatible registry served
 * on loopback by registry_server.py (started and stopped by this test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "registry_fixture.h"
#include "schema_registry.h"

#include <string.h>

static struct schema_registry *client(int max_attempts)
{
	struct schema_registry_config cfg = {.url = fx.url, .timeout_ms = 2000, .max_attempts = max_attempts};
	char err[256];
	struct schema_registry *sr = schema_registry_new(&cfg, err, sizeof(err));

	assert_non_null(sr);
	return sr;
}

static size_t ignore_body(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

/* Control calls go around the client so they never touch its cache. */
static long server_call(const char *path, int post)
{
	char url[128];
	long status = 0;
	CURL *c = curl_easy_init();

	snprintf(url, sizeof(url), "%s%s", fx.url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ignore_body);
	if (post)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return status;
}

static void test_register_and_lookup(void **state)
{
	const char *schema = "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}";
	struct schema_registry *sr = client(0), *other = client(0);
	char err[256];
	int32_t id = -1, again = -1;
	const char *got;

	(void)state;
	assert_int_equal(schema_registry_register(sr, "rampart.events-value", schema, &id, err, sizeof(err)), 0);
	assert_true(id > 0);
	assert_int_equal(schema_registry_register(sr, "rampart.events-value", schema, &again, err, sizeof(err)), 0);
	assert_int_equal(again, id);
	got = schema_registry_lookup(other, id, err, sizeof(err));
	assert_non_null(got);
	assert_string_equal(got, schema);
	schema_registry_free(other);
	schema_registry_free(sr);
}

static void test_lookup_is_cached(void **state)
{
	const char *schema = "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"a\"]}";
	struct schema_registry *sr = client(0), *reader = client(1);
	char err[256];
	int32_t id;

	(void)state;
	assert_int_equal(schema_registry_register(sr, "cached", schema, &id, err, sizeof(err)), 0);
	assert_non_null(schema_registry_lookup(reader, id, err, sizeof(err)));
	/* With every request failing, only a cached answer can succeed. */
	assert_int_equal(server_call("/fail/100", 1), 200);
	assert_non_null(schema_registry_lookup(reader, id, err, sizeof(err)));
	assert_int_equal(schema_registry_register(sr, "cached", schema, &id, err, sizeof(err)), 0);
	assert_int_equal(server_call("/fail/0", 1), 200);
	schema_registry_free(reader);
	schema_registry_free(sr);
}

static void test_unknown_id_reports_registry_message(void **state)
{
	struct schema_registry *sr = client(0);
	char err[256];

	(void)state;
	assert_null(schema_registry_lookup(sr, 999999, err, sizeof(err)));
	assert_non_null(strstr(err, "HTTP 404"));
	assert_non_null(strstr(err, "Schema not found"));
	schema_registry_free(sr);
}

static void test_invalid_schema_rejected(void **state)
{
	struct schema_registry *sr = client(0);
	char err[256];
	int32_t id;

	(void)state;
	assert_int_equal(schema_registry_register(sr, "bad", "{not json", &id, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "HTTP 422"));
	assert_int_equal(schema_registry_register(sr, "a/b", "{}", &id, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "subject"));
	schema_registry_free(sr);
}

static void test_retries_transient_failures(void **state)
{
	const char *schema = "{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}";
	struct schema_registry *sr = client(4);
	char err[256];
	int32_t id;

	(void)state;
	assert_int_equal(server_call("/fail/3", 1), 200);
	assert_int_equal(schema_registry_register(sr, "retry", schema, &id, err, sizeof(err)), 0);
	schema_registry_free(sr);

	sr = client(2);
	assert_int_equal(server_call("/fail/5", 1), 200);
	assert_null(schema_registry_lookup(sr, id, err, sizeof(err)));
	assert_non_null(strstr(err, "HTTP 503"));
	assert_int_equal(server_call("/fail/0", 1), 200);
	schema_registry_free(sr);
}

static void test_unreachable_registry(void **state)
{
	struct schema_registry_config cfg = {.url = "http://127.0.0.1:1", .timeout_ms = 500, .max_attempts = 2};
	char err[256];
	struct schema_registry *sr = schema_registry_new(&cfg, err, sizeof(err));

	(void)state;
	assert_non_null(sr);
	assert_null(schema_registry_lookup(sr, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "after 2 attempts"));
	schema_registry_free(sr);
	cfg.url = "";
	assert_null(schema_registry_new(&cfg, err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_and_lookup),
		cmocka_unit_test(test_lookup_is_cached),
		cmocka_unit_test(test_unknown_id_reports_registry_message),
		cmocka_unit_test(test_invalid_schema_rejected),
		cmocka_unit_test(test_retries_transient_failures),
		cmocka_unit_test(test_unreachable_registry),
	};

	return cmocka_run_group_tests(tests, start_registry, stop_registry);
}
