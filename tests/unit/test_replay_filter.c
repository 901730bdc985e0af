/* `rampart replay` / `rampart events inspect` selection (cli/cli_replay_filter.c):
 * RFC 3339 and relative times, rejection of everything else with a message
 * that says what is wrong, the window, and the event and verdict filters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli_replay_filter.h"

#define S INT64_C(1000000000)
/* 2026-11-29T04:47:14Z */
#define T0 INT64_C(1795927634)
#define NOW (T0 * S + 123)

static int64_t parse_ok(const char *s)
{
	char err[512] = "";
	int64_t t = 0;

	if (replay_parse_time(s, NOW, &t, err, sizeof(err)))
		fail_msg("'%s' rejected: %s", s, err);
	return t;
}

/* Rejected, with a message naming the input and containing want. */
static void parse_bad(const char *s, const char *want)
{
	char err[512] = "";
	int64_t t = 42;

	if (replay_parse_time(s, NOW, &t, err, sizeof(err)) == 0)
		fail_msg("'%s' accepted as %lld", s, (long long)t);
	assert_int_equal(t, 42);
	assert_non_null(strstr(err, "is not a time"));
	if (!strstr(err, want))
		fail_msg("'%s': message '%s' lacks '%s'", s, err, want);
}

static void test_rfc3339(void **state)
{
	(void)state;
	assert_true(parse_ok("2026-11-29T04:47:14Z") == T0 * S);
	assert_true(parse_ok("2026-11-29t04:47:14z") == T0 * S);
	assert_true(parse_ok("2026-11-29 04:47:14Z") == T0 * S);
	assert_true(parse_ok("1970-01-01T00:00:00Z") == 0);
	assert_true(parse_ok("2028-02-29T12:00:00Z") == INT64_C(1835438400) * S);
}

static void test_rfc3339_fraction(void **state)
{
	(void)state;
	assert_true(parse_ok("2026-11-29T04:47:14.5Z") == T0 * S + 500000000);
	assert_true(parse_ok("2026-11-29T04:47:14.000000001Z") == T0 * S + 1);
	assert_true(parse_ok("2026-11-29T04:47:14.123456789Z") == T0 * S + 123456789);
	/* finer than nanoseconds: cut */
	assert_true(parse_ok("2026-11-29T04:47:14.1234567899999Z") == T0 * S + 123456789);
	parse_bad("2026-11-29T04:47:14.Z", "digits after '.'");
}

static void test_rfc3339_offset(void **state)
{
	(void)state;
	assert_true(parse_ok("2026-11-29T06:47:14+02:00") == T0 * S);
	assert_true(parse_ok("2026-11-28T23:17:14-05:30") == T0 * S);
	assert_true(parse_ok("2026-11-29T04:47:14+00:00") == T0 * S);
	assert_true(parse_ok("2026-11-29T06:47:14.25+02:00") == T0 * S + 250000000);
	/* no offset: UTC; a date alone: its midnight UTC */
	assert_true(parse_ok("2026-11-29T04:47:14") == T0 * S);
	assert_true(parse_ok("2026-11-29") == INT64_C(1795910400) * S);
	parse_bad("2026-11-29T04:47:14+2:00", "offset +HH:MM");
	parse_bad("2026-11-29T04:47:14+0200", "offset +HH:MM");
	parse_bad("2026-11-29T04:47:14+24:00", "offset out of range");
	parse_bad("2026-11-29T04:47:14 UTC", "Z or an offset");
}

static void test_rfc3339_ranges(void **state)
{
	(void)state;
	parse_bad("2026-13-01T00:00:00Z", "month out of range");
	parse_bad("2026-00-01T00:00:00Z", "month out of range");
	parse_bad("2026-02-29T00:00:00Z", "day out of range");
	parse_bad("2026-04-31T00:00:00Z", "day out of range");
	parse_bad("2100-02-29", "day out of range");
	assert_true(parse_ok("2000-02-29") > 0);
	parse_bad("2026-11-29T24:00:00Z", "time of day out of range");
	parse_bad("2026-11-29T23:60:00Z", "time of day out of range");
	/* a leap second is the next second */
	assert_true(parse_ok("2016-12-31T23:59:60Z") == parse_ok("2017-01-01T00:00:00Z"));
	/* int64 nanoseconds hold 1677-09-21T00:12:44Z .. 2262-04-11T23:47:16Z */
	assert_true(parse_ok("2262-04-11T23:47:15.999999999Z") == INT64_C(9223372035999999999));
	assert_true(parse_ok("1677-09-21T00:12:44Z") == INT64_C(-9223372036) * S);
	parse_bad("2262-04-11T23:47:16Z", "out of range");
	parse_bad("1677-09-21T00:12:43Z", "out of range");
	parse_bad("9999-12-31T23:59:59Z", "out of range");
	parse_bad("0000-01-01", "out of range");
}

static void test_relative(void **state)
{
	(void)state;
	assert_true(parse_ok("now") == NOW);
	assert_true(parse_ok("-45s") == NOW - 45 * S);
	assert_true(parse_ok("-15m") == NOW - 15 * 60 * S);
	assert_true(parse_ok("-2h") == NOW - 2 * 3600 * S);
	assert_true(parse_ok("-1h30m") == NOW - 5400 * S);
	assert_true(parse_ok("-7d") == NOW - 7 * 86400 * S);
	assert_true(parse_ok("-1w2d") == NOW - 9 * 86400 * S);
	assert_true(parse_ok("-0s") == NOW);
	parse_bad("-", "NUMBER+UNIT");
	parse_bad("-15", "unit s, m, h, d or w");
	parse_bad("-15x", "unit s, m, h, d or w");
	parse_bad("-15M", "unit s, m, h, d or w");
	parse_bad("--15m", "expected a number");
	parse_bad("-m", "expected a number");
	parse_bad("-1h 30m", "expected a number");
	parse_bad("-1234567890123s", "number too long");
	parse_bad("-999999999999w", "too far back");
	parse_bad("+15m", "date YYYY-MM-DD");
}

static void test_garbage(void **state)
{
	char err[512];
	int64_t t;

	(void)state;
	parse_bad("", "date YYYY-MM-DD");
	parse_bad("yesterday", "date YYYY-MM-DD");
	parse_bad("1795927634", "date YYYY-MM-DD");
	parse_bad("2026-11-29T04:47Z", "HH:MM:SS");
	parse_bad("2026-11-29T04:47:14Zjunk", "unexpected text");
	parse_bad("2026-11-29junk", "unexpected text");
	parse_bad("26-11-29", "date YYYY-MM-DD");
	parse_bad("nowish", "date YYYY-MM-DD");
	/* the message lists what is accepted and shows the input safely */
	assert_int_equal(replay_parse_time("bad\033[2Jtime", NOW, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'bad?[2Jtime'"));
	assert_non_null(strstr(err, "RFC 3339"));
	assert_non_null(strstr(err, "-15m"));
	assert_int_equal(replay_parse_time("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NOW, &t,
					   err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "...'"));
	/* a short buffer is cut, never overrun */
	assert_int_equal(replay_parse_time("garbage", NOW, &t, err, 8), -1);
	assert_int_equal(strlen(err), 7);
}

static void test_window(void **state)
{
	struct replay_filter f;
	char err[768];

	(void)state;
	replay_filter_init(&f);
	assert_true(replay_filter_time(&f, INT64_MIN) && replay_filter_time(&f, INT64_MAX));
	assert_int_equal(replay_filter_window(&f, "-1h", "now", NOW, err, sizeof(err)), 0);
	assert_true(f.from_ns == NOW - 3600 * S && f.to_ns == NOW);
	/* inclusive at both ends */
	assert_true(replay_filter_time(&f, NOW - 3600 * S));
	assert_true(replay_filter_time(&f, NOW));
	assert_false(replay_filter_time(&f, NOW + 1));
	assert_false(replay_filter_time(&f, NOW - 3600 * S - 1));

	replay_filter_init(&f);
	assert_int_equal(replay_filter_window(&f, NULL, "2026-11-29T04:47:14Z", NOW, err, sizeof(err)), 0);
	assert_true(f.from_ns == INT64_MIN && f.to_ns == T0 * S);
	assert_int_equal(replay_filter_window(&f, "now", "-1m", NOW, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--from is after --to"));
	assert_int_equal(replay_filter_window(&f, "soon", NULL, NOW, err, sizeof(err)), -1);
	assert_true(strncmp(err, "--from: 'soon' is not a time", 28) == 0);
	assert_int_equal(replay_filter_window(&f, NULL, "-5q", NOW, err, sizeof(err)), -1);
	assert_true(strncmp(err, "--to: '-5q' is not a time", 25) == 0);
}

static void test_event_filters(void **state)
{
	struct rp_event ev = {0};
	struct replay_filter f;

	(void)state;
	replay_filter_init(&f);
	assert_true(replay_filter_event(&f, &ev));
	ev.container.id = RP_STR("c0ffee1234567890");
	f.container = "c0ffee";
	assert_true(replay_filter_event(&f, &ev));
	f.container = "c0ffee1234567890";
	assert_true(replay_filter_event(&f, &ev));
	f.container = "c0ffee12345678901";
	assert_false(replay_filter_event(&f, &ev));
	f.container = "0ffee";
	assert_false(replay_filter_event(&f, &ev));

	f.container = NULL;
	f.namespace_ = "shop";
	assert_false(replay_filter_event(&f, &ev)); /* no pod */
	ev.workload_kind = RP_WORKLOAD_POD;
	ev.workload.pod.namespace_ = RP_STR("shop");
	assert_true(replay_filter_event(&f, &ev));
	ev.workload.pod.namespace_ = RP_STR("shopping");
	assert_false(replay_filter_event(&f, &ev));
	ev.workload.pod.namespace_ = RP_STR("sho");
	assert_false(replay_filter_event(&f, &ev));
	ev.workload_kind = RP_WORKLOAD_ECS_TASK;
	ev.workload.ecs.cluster = RP_STR("shop");
	assert_false(replay_filter_event(&f, &ev));
}

static void test_rule_filter(void **state)
{
	struct rp_rule_match m[2] = {{.rule_id = RP_STR("RP1003")}, {.rule_id = RP_STR("RP1002")}};
	struct rp_verdict v = {.matches = m, .nmatches = 2};
	struct replay_filter f;
	char err[128];

	(void)state;
	replay_filter_init(&f);
	assert_true(replay_filter_verdict(&f, &v));
	assert_int_equal(replay_filter_add_rule(&f, "rp1002", err, sizeof(err)), 0);
	assert_true(replay_filter_verdict(&f, &v)); /* any match, any case */
	v.nmatches = 1;
	assert_false(replay_filter_verdict(&f, &v));
	assert_int_equal(replay_filter_add_rule(&f, "RP1003", err, sizeof(err)), 0);
	assert_true(replay_filter_verdict(&f, &v));
	m[0].rule_id = RP_STR("RP10031");
	assert_false(replay_filter_verdict(&f, &v));
	m[0].rule_id = RP_STR("RP100");
	assert_false(replay_filter_verdict(&f, &v));

	assert_int_equal(replay_filter_add_rule(&f, "", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
	while (f.nrules < REPLAY_MAX_RULE_FILTERS)
		assert_int_equal(replay_filter_add_rule(&f, "RP1", err, sizeof(err)), 0);
	assert_int_equal(replay_filter_add_rule(&f, "RP1", err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339),       cmocka_unit_test(test_rfc3339_fraction),
		cmocka_unit_test(test_rfc3339_offset), cmocka_unit_test(test_rfc3339_ranges),
		cmocka_unit_test(test_relative),      cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_window),        cmocka_unit_test(test_event_filters),
		cmocka_unit_test(test_rule_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
