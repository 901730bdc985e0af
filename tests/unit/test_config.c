/* Configuration loading: flattening, environment overrides, kafka.* section
 * passthrough and file:line:col errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *write_temp(const char *text)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/rampart-config-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_nested_keys_flatten(void **state)
{
	const char *yaml = "node: n1\n"
			   "kafka:\n"
			   "  bootstrap.servers: [b1:9092, b2:9092]\n"
			   "  security.protocol: SASL_SSL\n"
			   "  sasl:\n"
			   "    mechanism: SCRAM-SHA-512\n"
			   "evaluator:\n"
			   "  threads: 4\n";
	char *path = write_temp(yaml), err[256];
	char *env[] = {"PATH=/bin", NULL};
	struct config *cfg = config_load(path, env, err, sizeof(err));
	struct transport_prop props[8];
	long threads;

	(void)state;
	assert_non_null(cfg);
	assert_string_equal(config_get(cfg, "node", NULL), "n1");
	assert_string_equal(config_get(cfg, "kafka.bootstrap.servers", NULL), "b1:9092,b2:9092");
	assert_string_equal(config_get(cfg, "kafka.sasl.mechanism", NULL), "SCRAM-SHA-512");
	assert_null(config_get(cfg, "kafka", NULL));
	assert_int_equal(config_section(cfg, "kafka.", props, 8), 3);
	assert_string_equal(props[0].name, "bootstrap.servers");
	assert_string_equal(props[1].name, "sasl.mechanism");
	assert_string_equal(props[2].name, "security.protocol");
	assert_string_equal(props[2].value, "SASL_SSL");
	assert_int_equal(config_get_int(cfg, "evaluator.threads", 1, 1, 64, &threads, err, sizeof(err)), 0);
	assert_int_equal(threads, 4);
	assert_int_equal(config_get_int(cfg, "evaluator.missing", 7, 1, 64, &threads, err, sizeof(err)), 0);
	assert_int_equal(threads, 7);
	assert_int_equal(config_get_int(cfg, "node", 1, 1, 64, &threads, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "node: expected an integer"));
	config_free(cfg);
	unlink(path);
}

static void test_environment_overrides_file(void **state)
{
	char *path = write_temp("kafka:\n  security.protocol: PLAINTEXT\n"), err[256];
	char *env[] = {"RAMPART_KAFKA_SECURITY_PROTOCOL=SSL", "RAMPART_NODE=n2", "RAMPART_=x",
		     "RAMPART_COLLECTOR_CONTAINER_ONLY=false", "OTHER_NODE=n3", NULL};
	struct config *cfg = config_load(path, env, err, sizeof(err));

	(void)state;
	assert_non_null(cfg);
	assert_string_equal(config_get(cfg, "kafka.security.protocol", NULL), "SSL");
	assert_string_equal(config_get(cfg, "node", NULL), "n2");
	assert_null(config_get(cfg, "other.node", NULL));
	/* The variable cannot say '_' or '.': both spellings find it. */
	assert_string_equal(config_get(cfg, "collector.container_only", NULL), "false");
	assert_string_equal(config_get(cfg, "collector.container.only", NULL), "false");
	config_free(cfg);
	unlink(path);
	cfg = config_load(NULL, env, err, sizeof(err));
	assert_non_null(cfg);
	assert_string_equal(config_get(cfg, "node", NULL), "n2");
	config_free(cfg);
}

static void expect_error(const char *yaml, const char *where, const char *what)
{
	char *path = write_temp(yaml), err[256], expected[128];
	struct config *cfg = config_load(path, NULL, err, sizeof(err));

	assert_null(cfg);
	snprintf(expected, sizeof(expected), "%s:%s: ", path, where);
	if (strncmp(err, expected, strlen(expected)) || !strstr(err, what))
		fail_msg("got '%s', want prefix '%s' and '%s'", err, expected, what);
	unlink(path);
}

static void test_errors_name_file_line_col(void **state)
{
	(void)state;
	expect_error("a: 1\nb: 2\na: 3\n", "3:4", "duplicate key a");
	expect_error("a:\n  b: [x, {y: z}]\n", "2:10", "expected a scalar");
	expect_error("- a\n- b\n", "1:1", "a list is allowed only as a value");
	expect_error("a: 1\n b: 2\n", "2:3", "mapping values are not allowed");
	expect_error("a: &x 1\nb: *x\n", "2:4", "aliases are not supported");
}

static void test_missing_file(void **state)
{
	char err[256];

	(void)state;
	assert_null(config_load("/nonexistent/rampart.yaml", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/rampart.yaml: No such file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_keys_flatten),
		cmocka_unit_test(test_environment_overrides_file),
		cmocka_unit_test(test_errors_name_file_line_col),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
