/* WATCH: one watch request from w->rv, its events applied to the store as
 * they stream in; w->rv follows every event and bookmark, so the next watch
 * resumes exactly where this one stopped. */
#include "pod_watch_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long past timeoutSeconds a silent server is given before the client
 * drops the connection itself. */
#define WATCH_SLACK_S 30
/* A watch the server ends sooner than this, having delivered nothing, is
 * treated as a failure (backed off), not as a normal end to re-open at once. */
#define WATCH_MIN_MS 1000
/* A watch that lasted this long proves the server and credentials good: a
 * failure after it (a proxy cutting long connections, say) is retried soon,
 * not after the back-off earlier failures grew. */
#define WATCH_HEALTHY_MS 10000

static void apply_pod(struct pod_watch *w, const struct pod_watch_event *ev)
{
	const struct pod_meta *m = &ev->pod;

	if (!m->uid[0]) {
		metrics_inc(&w->stats.errors);
		pod_watch_log(w, "watch: skipped a pod: %s", ev->message);
		return;
	}
	if (ev->type == POD_EV_DELETED || m->finished) {
		pod_cache_remove(&w->cache, m->uid);
	} else if (pod_cache_put(&w->cache, m)) {
		metrics_inc(&w->stats.errors);
		pod_watch_log(w, "watch: pod %s/%s not stored: store full or out of memory", m->namespace_, m->name);
	}
	metrics_inc(&w->stats.events);
	metrics_set(&w->stats.pods, pod_cache_count(&w->cache));
}

int pod_watch_apply(void *ctx, const struct pod_watch_event *ev)
{
	struct pod_watch *w = ctx;

	if (ev->type == POD_EV_ERROR) {
		w->gone = ev->code == 410;
		pod_watch_log(w, "watch: ERROR %ld: %s", ev->code, ev->message);
		return 1; /* ends the stream; the thread decides what next */
	}
	if (ev->type != POD_EV_BOOKMARK)
		apply_pod(w, ev);
	if (ev->resource_version[0])
		memcpy(w->rv, ev->resource_version, sizeof(w->rv));
	return 0;
}

static char *watch_url(const struct pod_watch *w)
{
	char *rv = pod_watch_url_encode(w->rv), *url;

	if (!rv)
		return NULL;
	if (asprintf(&url,
		     "%s/api/v1/pods?fieldSelector=%s&watch=1&resourceVersion=%s&allowWatchBookmarks=true"
		     "&timeoutSeconds=%u",
		     kube_auth_server(w->auth), w->selector, rv, w->watch_timeout_s) < 0)
		url = NULL;
	free(rv);
	return url;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static enum pod_watch_outcome outcome(struct pod_watch *w, enum pod_watch_get g,
				      const struct pod_watch_get_result *res, bool idle)
{
	switch (g) {
	case POD_GET_STOPPED:
		return POD_WATCH_STOPPED;
	case POD_GET_TRANSPORT:
		pod_watch_log(w, "watch: %s", res->error);
		return POD_WATCH_FAILED;
	case POD_GET_STREAM:
		if (w->gone)
			return POD_WATCH_GONE;
		if (res->stream_rc < 0)
			pod_watch_log(w, "watch: %s", w->stream.error);
		return POD_WATCH_FAILED;
	case POD_GET_DONE:
		break;
	}
	if (res->status != 200) {
		pod_watch_log(w, "watch: %s", res->error);
		return pod_watch_status_outcome(res->status);
	}
	if (idle) {
		pod_watch_log(w, "watch: the server ended the watch at once");
		return POD_WATCH_FAILED;
	}
	return POD_WATCH_OK;
}

enum pod_watch_outcome pod_watch_follow(struct pod_watch *w)
{
	struct http_request rq = {.method = "GET", .timeout_ms = ((long)w->watch_timeout_s + WATCH_SLACK_S) * 1000};
	struct pod_watch_get_result res;
	char rv_before[sizeof(w->rv)], *url = watch_url(w);
	uint64_t started = now_ms(), lasted;
	enum pod_watch_get g;
	bool idle;

	if (!url)
		return pod_watch_log(w, "watch: out of memory"), POD_WATCH_FAILED;
	if (pod_watch_prepare(w, &rq, url)) {
		free(url);
		return POD_WATCH_FAILED;
	}
	memcpy(rv_before, w->rv, sizeof(rv_before));
	w->gone = false;
	pod_watch_stream_reset(&w->stream);
	g = pod_watch_conn_get(w->conn, &rq, &w->stream, &w->stop, &res);
	free(url);
	lasted = now_ms() - started;
	idle = lasted < WATCH_MIN_MS && !strcmp(rv_before, w->rv);
	if (lasted >= WATCH_HEALTHY_MS)
		w->backoff_ms = 0;
	return outcome(w, g, &res, idle);
}
