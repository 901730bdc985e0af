/* The pod watcher's stream parsing (collector/pod_watch_stream.c), its
 * Pod-to-metadata reading (collector/pod_watch_json.c) and its store
 * (collector/pod_cache.c): watch bodies cut at every byte, bookmarks, ERROR
 * 410, bad input, bounds. No server involved: the watcher against a real
 * kube-apiserver is tests/integration/test_pod_watch.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pod_cache.h"
#include "pod_watch_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEEN 16

#define POD(type, rv, uid, extra_meta, spec, status)                                                          \
	"{\"type\":\"" type "\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web-"  \
	"1\",\"namespace\":\"shop\",\"uid\":\"" uid "\",\"resourceVersion\":\"" rv "\"" extra_meta "},\"spec\":{" \
	spec "},\"status\":{" status "}}}\n"

#define WEB POD("ADDED", "101", "u-1",                                                                           \
		",\"labels\":{\"app\":\"web\",\"tier\":\"front\"},\"ownerReferences\":[{\"apiVersion\":\"v1\","       \
		"\"kind\":\"Node\",\"name\":\"n\"},{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":"     \
		"\"web-5d4\",\"controller\":true}]",                                                                 \
		"\"serviceAccountName\":\"web-sa\",\"nodeName\":\"node-a\"", "\"phase\":\"Running\"")
#define BOOKMARK "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"205\"}}}\n"
#define GONE "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":" \
	     "\"too old resource version: 1 (99)\",\"reason\":\"Expired\",\"code\":410}}\n"

struct seen {
	struct pod_watch_event ev[MAX_SEEN];
	size_t n;
	int stop_on_error; /* what the callback returns for ERROR */
};

static int record(void *ctx, const struct pod_watch_event *ev)
{
	struct seen *s = ctx;

	assert_true(s->n < MAX_SEEN);
	s->ev[s->n++] = *ev;
	return ev->type == POD_EV_ERROR ? s->stop_on_error : 0;
}

static struct seen *feed_chunks(const char *body, size_t chunk, int expect_rc)
{
	static struct pod_watch_stream st;
	struct seen *s = calloc(1, sizeof(*s));
	size_t len = strlen(body);
	int rc = 0;

	s->stop_on_error = 1;
	pod_watch_stream_init(&st, record, s);
	for (size_t at = 0; at < len && !rc; at += chunk)
		rc = pod_watch_stream_feed(&st, body + at, len - at < chunk ? len - at : chunk);
	assert_int_equal(rc, expect_rc);
	pod_watch_stream_free(&st);
	return s;
}

static const char *label(const struct pod_meta *m, const char *key)
{
	for (uint32_t i = 0; i < m->nlabels; i++)
		if (!strcmp(pod_meta_label_key(m, i), key))
			return pod_meta_label_value(m, i);
	return NULL;
}

static void check_web(const struct pod_watch_event *ev)
{
	assert_int_equal(ev->type, POD_EV_ADDED);
	assert_string_equal(ev->resource_version, "101");
	assert_string_equal(ev->pod.uid, "u-1");
	assert_string_equal(ev->pod.namespace_, "shop");
	assert_string_equal(ev->pod.name, "web-1");
	assert_string_equal(ev->pod.owner_kind, "ReplicaSet"); /* the controller, not the first */
	assert_string_equal(ev->pod.owner_name, "web-5d4");
	assert_string_equal(ev->pod.service_account, "web-sa");
	assert_int_equal(ev->pod.nlabels, 2);
	assert_string_equal(label(&ev->pod, "app"), "web");
	assert_string_equal(label(&ev->pod, "tier"), "front");
	assert_false(ev->pod.finished);
	assert_false(ev->pod.labels_truncated);
}

/* Every cut of the body, from one byte at a time to all at once, yields
 * the same events in the same order. */
static void test_lines_split_anywhere(void **state)
{
	const char *body = WEB "\r\n" BOOKMARK "\n" POD("DELETED", "300", "u-1", "", "", "");

	(void)state;
	for (size_t chunk = 1; chunk <= strlen(body); chunk++) {
		struct seen *s = feed_chunks(body, chunk, 0);

		assert_int_equal(s->n, 3);
		check_web(&s->ev[0]);
		assert_int_equal(s->ev[1].type, POD_EV_BOOKMARK);
		assert_string_equal(s->ev[1].resource_version, "205");
		assert_int_equal(s->ev[2].type, POD_EV_DELETED);
		assert_string_equal(s->ev[2].pod.uid, "u-1");
		assert_string_equal(s->ev[2].resource_version, "300");
		free(s);
	}
}

/* ERROR 410 is delivered with its code; the callback's non-zero result
 * ends the stream and nothing after it is parsed. */
static void test_error_gone_ends_stream(void **state)
{
	struct seen *s = feed_chunks(BOOKMARK GONE WEB, 7, 1);

	(void)state;
	assert_int_equal(s->n, 2);
	assert_int_equal(s->ev[1].type, POD_EV_ERROR);
	assert_int_equal(s->ev[1].code, 410);
	assert_string_equal(s->ev[1].message, "too old resource version: 1 (99)");
	free(s);
}

static void expect_bad(const char *body, const char *why)
{
	struct pod_watch_stream st;
	struct seen s = {.stop_on_error = 1};

	pod_watch_stream_init(&st, record, &s);
	assert_int_equal(pod_watch_stream_feed(&st, body, strlen(body)), -1);
	if (!strstr(st.error, why))
		fail_msg("error \"%s\" does not mention \"%s\"", st.error, why);
	assert_int_equal(s.n, 0);
	pod_watch_stream_free(&st);
}

static void test_bad_lines_end_stream(void **state)
{
	(void)state;
	expect_bad("{\"type\":\"ADDED\",\"object\":{\n", "not JSON");
	expect_bad("[1,2]\n", "unknown type");
	expect_bad("{\"type\":\"RENAMED\",\"object\":{}}\n", "unknown type \"RENAMED\"");
	expect_bad("{\"type\":\"ADDED\"}\n", "without an object");
	expect_bad("{\"type\":\"ERROR\",\"object\":{\"message\":\"x\"}}\n", "without a Status code");
}

/* A line that never ends is refused at POD_WATCH_MAX_LINE, not buffered on. */
static void test_line_bound(void **state)
{
	struct pod_watch_stream st;
	struct seen s = {0};
	char *chunk = malloc(1 << 20);
	int rc = 0, calls = 0;

	(void)state;
	memset(chunk, ' ', 1 << 20);
	pod_watch_stream_init(&st, record, &s);
	while (!rc && calls < 8) {
		rc = pod_watch_stream_feed(&st, chunk, 1 << 20);
		calls++;
	}
	assert_int_equal(rc, -1);
	assert_int_equal(calls, 5);
	assert_non_null(strstr(st.error, "longer than"));
	pod_watch_stream_free(&st);
	free(chunk);
}

/* An event whose pod cannot be keyed is delivered, marked, not fatal. */
static void test_pod_without_uid(void **state)
{
	struct seen *s = feed_chunks(POD("ADDED", "7", "", "", "", "") BOOKMARK, 5, 0);

	(void)state;
	assert_int_equal(s->n, 2);
	assert_string_equal(s->ev[0].pod.uid, "");
	assert_non_null(strstr(s->ev[0].message, "no usable uid"));
	assert_string_equal(s->ev[0].resource_version, "7");
	free(s);
}

/* A mirror pod is keyed by the static pod's uid the runtime sees; the
 * first ownerReference stands when none is the controller; the deprecated
 * serviceAccount field is read when serviceAccountName is absent; a
 * finished pod is marked. */
static void test_pod_fields(void **state)
{
	struct seen *s = feed_chunks(
		POD("MODIFIED", "9", "api-uid",
		    ",\"annotations\":{\"kubernetes.io/config.mirror\":\"3f1c0a9e8b7d6c5f4e3d2c1b0a998877\"},"
		    "\"ownerReferences\":[{\"kind\":\"Node\",\"name\":\"node-a\"},{\"kind\":\"Other\",\"name\":\"o\"}]",
		    "\"serviceAccount\":\"legacy\"", "\"phase\":\"Succeeded\""),
		64, 0);

	(void)state;
	assert_int_equal(s->n, 1);
	assert_int_equal(s->ev[0].type, POD_EV_MODIFIED);
	assert_string_equal(s->ev[0].pod.uid, "3f1c0a9e8b7d6c5f4e3d2c1b0a998877");
	assert_string_equal(s->ev[0].pod.owner_kind, "Node");
	assert_string_equal(s->ev[0].pod.owner_name, "node-a");
	assert_string_equal(s->ev[0].pod.service_account, "legacy");
	assert_int_equal(s->ev[0].pod.nlabels, 0);
	assert_true(s->ev[0].pod.finished);
	free(s);
}

/* More labels than POD_MAX_LABELS, or more text than POD_LABEL_TEXT: the
 * rest are dropped and the pod says so; what is kept is intact. */
static void test_label_bounds(void **state)
{
	char *body = malloc(64 << 10), *p = body;
	struct pod_watch_event ev;
	char err[256], big[900];

	(void)state;
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	p += sprintf(p, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"uid\":\"u\",\"labels\":{");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "%s\"k%02d\":\"%s\"", i ? "," : "", i, i == 1 || i == 2 || i == 3 ? big : "x");
	sprintf(p, "}}}}");
	assert_int_equal(pod_watch_event_parse(body, strlen(body), &ev, err, sizeof(err)), 0);
	assert_true(ev.pod.labels_truncated);
	/* k01, k02 fit (2 x 904 bytes), k03 does not; then 30 more small ones */
	assert_int_equal(ev.pod.nlabels, POD_MAX_LABELS);
	assert_string_equal(pod_meta_label_key(&ev.pod, 0), "k00");
	assert_string_equal(pod_meta_label_value(&ev.pod, 1), big);
	assert_string_equal(pod_meta_label_key(&ev.pod, 3), "k04");
	assert_string_equal(pod_meta_label_key(&ev.pod, 31), "k32");
	free(body);
}

static struct pod_meta meta(const char *uid, const char *name)
{
	struct pod_meta m;

	memset(&m, 0, sizeof(m));
	snprintf(m.uid, sizeof(m.uid), "%s", uid);
	snprintf(m.name, sizeof(m.name), "%s", name);
	return m;
}

/* The store: put replaces by uid, remove, replace swaps in a relist, and
 * every change moves the generation. */
static void test_cache(void **state)
{
	struct pod_cache c;
	struct pod_set fresh = {0};
	struct pod_meta m = meta("b", "one"), out;
	uint64_t g;

	(void)state;
	assert_int_equal(pod_cache_init(&c), 0);
	g = pod_cache_generation(&c);
	assert_int_equal(pod_cache_put(&c, &m), 0);
	m = meta("a", "two");
	assert_int_equal(pod_cache_put(&c, &m), 0);
	m = meta("b", "one-renamed");
	assert_int_equal(pod_cache_put(&c, &m), 0);
	assert_int_equal(pod_cache_count(&c), 2);
	assert_true(pod_cache_get(&c, "b", &out));
	assert_string_equal(out.name, "one-renamed");
	assert_true(pod_cache_generation(&c) > g);
	g = pod_cache_generation(&c);
	pod_cache_remove(&c, "nope");
	assert_int_equal(pod_cache_generation(&c), g);
	pod_cache_remove(&c, "a");
	assert_false(pod_cache_get(&c, "a", &out));
	m = meta("c", "three");
	assert_int_equal(pod_set_put(&fresh, &m), 0);
	pod_cache_replace(&c, &fresh);
	assert_int_equal(fresh.n, 0);
	assert_false(pod_cache_get(&c, "b", &out));
	assert_true(pod_cache_get(&c, "c", &out));
	assert_true(pod_cache_generation(&c) > g);
	pod_cache_destroy(&c);
}

/* The set keeps order through inserts and removals and stops at its bound. */
static void test_set_bound(void **state)
{
	struct pod_set s = {0};
	struct pod_meta m;
	char uid[16];

	(void)state;
	for (int i = POD_CACHE_MAX - 1; i >= 0; i--) {
		snprintf(uid, sizeof(uid), "%05d", i);
		m = meta(uid, "");
		assert_int_equal(pod_set_put(&s, &m), 0);
	}
	m = meta("x", "");
	assert_int_equal(pod_set_put(&s, &m), -1);
	for (size_t i = 1; i < s.n; i++)
		assert_true(strcmp(s.items[i - 1]->uid, s.items[i]->uid) < 0);
	assert_true(pod_set_remove(&s, "00007"));
	assert_null(pod_set_find(&s, "00007"));
	assert_non_null(pod_set_find(&s, "04095"));
	assert_int_equal(pod_set_put(&s, &m), 0);
	pod_set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_split_anywhere),
		cmocka_unit_test(test_error_gone_ends_stream),
		cmocka_unit_test(test_bad_lines_end_stream),
		cmocka_unit_test(test_line_bound),
		cmocka_unit_test(test_pod_without_uid),
		cmocka_unit_test(test_pod_fields),
		cmocka_unit_test(test_label_bounds),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_set_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
