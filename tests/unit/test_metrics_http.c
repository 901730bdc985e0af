/* lib/metrics_http.c over real loopback HTTP (libcurl): exposition format,
 * health and readiness, errors, bounded requests, clean stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metrics_http.h"

struct reply {
	long status;
	char body[8192];
	size_t len;
	char ctype[128];
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	size_t k = size * n;

	if (k > sizeof(r->body) - 1 - r->len)
		k = sizeof(r->body) - 1 - r->len;
	memcpy(r->body + r->len, p, k);
	r->len += k;
	r->body[r->len] = '\0';
	return size * n;
}

static struct reply http(struct metrics_server *m, const char *method, const char *path)
{
	struct reply r = {0};
	char url[128];
	char *ct = NULL;
	CURL *c = curl_easy_init();

	assert_non_null(c);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", metrics_port(m), path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L); /* else curl waits for the announced body */
	else
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
		snprintf(r.ctype, sizeof(r.ctype), "%s", ct);
	curl_easy_cleanup(c);
	return r;
}

static uint64_t read_seven(void *ctx)
{
	(void)ctx;
	return 7;
}

static void per_cpu(void *ctx, struct metrics_sink *s)
{
	(void)ctx;
	metrics_sample(s, "cpu=\"0\"", 3);
	metrics_sample(s, "cpu=\"1\"", 4);
}

static metrics_u64 events;

static struct metrics_server *start(void)
{
	struct metrics_server *m = metrics_new();
	char err[256];

	assert_non_null(m);
	assert_int_equal(metrics_register(m, "t_events_total", "Events seen.\nSecond \\ line", METRICS_COUNTER, &events), 0);
	assert_int_equal(metrics_register_fn(m, "t_last_seq", "Last sequence.", METRICS_GAUGE, read_seven, NULL), 0);
	assert_int_equal(metrics_register_labelled(m, "t_drops_total", "Drops per CPU.", METRICS_COUNTER, per_cpu, NULL),
			 0);
	assert_int_equal(metrics_start(m, "127.0.0.1:0", err, sizeof(err)), 0);
	assert_true(metrics_port(m) > 0);
	return m;
}

static void test_exposition(void **state)
{
	struct metrics_server *m = start();
	struct reply r;

	(void)state;
	metrics_set(&events, 0);
	metrics_add(&events, 41);
	metrics_inc(&events);
	r = http(m, "GET", "/metrics");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.ctype, "text/plain; version=0.0.4; charset=utf-8");
	assert_string_equal(r.body, "# HELP t_events_total Events seen.\\nSecond \\\\ line\n"
				    "# TYPE t_events_total counter\n"
				    "t_events_total 42\n"
				    "# HELP t_last_seq Last sequence.\n"
				    "# TYPE t_last_seq gauge\n"
				    "t_last_seq 7\n"
				    "# HELP t_drops_total Drops per CPU.\n"
				    "# TYPE t_drops_total counter\n"
				    "t_drops_total{cpu=\"0\"} 3\n"
				    "t_drops_total{cpu=\"1\"} 4\n");
	r = http(m, "HEAD", "/metrics?x=1");
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, 0);
	metrics_free(m);
}

static void test_health_and_readiness(void **state)
{
	struct metrics_server *m = start();

	(void)state;
	assert_int_equal(http(m, "GET", "/healthz").status, 200);
	assert_int_equal(http(m, "GET", "/readyz").status, 503);
	metrics_set_ready(m, true);
	assert_int_equal(http(m, "GET", "/readyz").status, 200);
	assert_string_equal(http(m, "GET", "/readyz").body, "ready\n");
	metrics_set_ready(m, false); /* shutting down */
	assert_int_equal(http(m, "GET", "/readyz").status, 503);
	metrics_free(m);
}

static void test_errors(void **state)
{
	struct metrics_server *m = start();

	(void)state;
	assert_int_equal(http(m, "GET", "/nope").status, 404);
	assert_int_equal(http(m, "GET", "/").status, 404);
	assert_int_equal(http(m, "POST", "/metrics").status, 405);
	assert_int_equal(http(m, "DELETE", "/readyz").status, 405);
	metrics_free(m);
}

static int raw_connect(struct metrics_server *m)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(metrics_port(m))};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* A head past 4 KiB is refused; a client that never finishes its request
 * does not hold up others, and is closed after its timeout. */
static void test_bounded_requests(void **state)
{
	struct metrics_server *m = start();
	char big[6000], resp[256] = {0};
	int slow = raw_connect(m), fd = raw_connect(m);
	ssize_t n;

	(void)state;
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /metrics HTTP/1.1\r\nX-Pad: ", 30);
	assert_int_equal(send(fd, big, sizeof(big), MSG_NOSIGNAL) > 0, 1);
	n = recv(fd, resp, sizeof(resp) - 1, MSG_WAITALL);
	assert_true(n > 0);
	assert_non_null(strstr(resp, "HTTP/1.1 431"));
	close(fd);
	assert_int_equal(http(m, "GET", "/healthz").status, 200); /* while slow is still open */
	n = recv(slow, resp, sizeof(resp), 0); /* closed by the server's 2 s timeout */
	assert_int_equal(n, 0);
	close(slow);
	metrics_free(m);
}

static void test_registration_and_address_errors(void **state)
{
	struct metrics_server *m = metrics_new();
	char err[256];

	(void)state;
	assert_int_equal(metrics_register(m, "no_suffix", "", METRICS_COUNTER, &events), -1);
	assert_int_equal(metrics_register(m, "9bad_total", "", METRICS_COUNTER, &events), -1);
	assert_int_equal(metrics_register(m, "bad-name", "", METRICS_GAUGE, &events), -1);
	assert_int_equal(metrics_start(m, "127.0.0.1", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "host:port"));
	assert_int_equal(metrics_start(m, "256.1.1.1:80", err, sizeof(err)), -1);
	metrics_free(m);
	metrics_free(NULL);
}

/* Stopping with a connection open returns promptly and leaks nothing. */
static void test_stop_with_open_connection(void **state)
{
	struct metrics_server *m = start();
	int fd = raw_connect(m);

	(void)state;
	assert_int_equal(send(fd, "GET /met", 8, MSG_NOSIGNAL), 8);
	usleep(50000);
	metrics_free(m);
	close(fd);
}

/* Two series of one histogram family (registered apart, with a gauge in
 * between) render together under one HELP/TYPE, cumulative, +Inf last,
 * the sum in seconds. */
static void test_histogram(void **state)
{
	static const double le[] = {0.01, 0.1, 1};
	struct metrics_histogram a, b;
	struct metrics_server *m = metrics_new();
	char *text;

	(void)state;
	assert_int_equal(metrics_histogram_init(&a, le, 3), 0);
	assert_int_equal(metrics_histogram_init(&b, le, 3), 0);
	metrics_histogram_observe(&a, 0.005);
	metrics_histogram_observe(&a, 0.01); /* le is inclusive */
	metrics_histogram_observe(&a, 0.5);
	metrics_histogram_observe(&a, 3);
	metrics_histogram_observe(&b, -1); /* clock skew: 0 */
	assert_int_equal(metrics_register_histogram(m, "t_latency_seconds", "Latency.", "op=\"a\"", &a), 0);
	assert_int_equal(metrics_register_fn(m, "t_last_seq", "Last sequence.", METRICS_GAUGE, read_seven, NULL), 0);
	assert_int_equal(metrics_register_histogram(m, "t_latency_seconds", "ignored", "op=\"b\"", &b), 0);
	text = metrics_render(m);
	assert_non_null(text);
	assert_string_equal(text, "# HELP t_latency_seconds Latency.\n"
				  "# TYPE t_latency_seconds histogram\n"
				  "t_latency_seconds_bucket{op=\"a\",le=\"0.01\"} 2\n"
				  "t_latency_seconds_bucket{op=\"a\",le=\"0.1\"} 2\n"
				  "t_latency_seconds_bucket{op=\"a\",le=\"1\"} 3\n"
				  "t_latency_seconds_bucket{op=\"a\",le=\"+Inf\"} 4\n"
				  "t_latency_seconds_sum{op=\"a\"} 3.515000000\n"
				  "t_latency_seconds_count{op=\"a\"} 4\n"
				  "t_latency_seconds_bucket{op=\"b\",le=\"0.01\"} 1\n"
				  "t_latency_seconds_bucket{op=\"b\",le=\"0.1\"} 1\n"
				  "t_latency_seconds_bucket{op=\"b\",le=\"1\"} 1\n"
				  "t_latency_seconds_bucket{op=\"b\",le=\"+Inf\"} 1\n"
				  "t_latency_seconds_sum{op=\"b\"} 0.000000000\n"
				  "t_latency_seconds_count{op=\"b\"} 1\n"
				  "# HELP t_last_seq Last sequence.\n"
				  "# TYPE t_last_seq gauge\n"
				  "t_last_seq 7\n");
	free(text);
	metrics_free(m);
}

static void sum_two(void *ctx, struct metrics_sink *s)
{
	const struct metrics_histogram *h = ctx;
	struct metrics_histogram sum = h[0];

	metrics_histogram_merge(&sum, &h[1]);
	metrics_histogram_sample(s, NULL, &sum);
}

/* A labelled callback merging per-thread histograms; bad bounds and a
 * histogram type on a plain value are refused. */
static void test_histogram_callback_and_errors(void **state)
{
	static const double le[] = {1}, bad[] = {1, 1};
	struct metrics_histogram h[2], x;
	struct metrics_server *m = metrics_new();
	char *text;

	(void)state;
	assert_int_equal(metrics_histogram_init(&x, bad, 2), -1);
	assert_int_equal(metrics_histogram_init(&x, le, METRICS_HIST_MAX_BUCKETS + 1), -1);
	assert_int_equal(metrics_histogram_init(&h[0], le, 1), 0);
	assert_int_equal(metrics_histogram_init(&h[1], le, 1), 0);
	metrics_histogram_observe(&h[0], 0.25);
	metrics_histogram_observe(&h[1], 2);
	assert_int_equal(metrics_register(m, "t_h", "", METRICS_HISTOGRAM, &events), -1);
	assert_int_equal(metrics_register_labelled(m, "t_h", "H.", METRICS_HISTOGRAM, sum_two, h), 0);
	text = metrics_render(m);
	assert_non_null(text);
	assert_string_equal(text, "# HELP t_h H.\n# TYPE t_h histogram\n"
				  "t_h_bucket{le=\"1\"} 1\nt_h_bucket{le=\"+Inf\"} 2\n"
				  "t_h_sum 2.250000000\nt_h_count 2\n");
	free(text);
	metrics_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exposition),
		cmocka_unit_test(test_health_and_readiness),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bounded_requests),
		cmocka_unit_test(test_registration_and_address_errors),
		cmocka_unit_test(test_stop_with_open_connection),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_histogram_callback_and_errors),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
