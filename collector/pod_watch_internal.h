/* The pod watcher's state, shared by its parts: the thread and its
 * lifecycle (pod_watch.c), LIST (pod_watch_list.c) and WATCH
 * (pod_watch_follow.c). Fields below "watcher thread only" are touched by
 * that thread alone once it runs. */
#ifndef RAMPART_COLLECTOR_POD_WATCH_INTERNAL_H
#define RAMPART_COLLECTOR_POD_WATCH_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "http.h"
#include "kube_auth.h"
#include "pod_cache.h"
#include "pod_watch.h"
#include "pod_watch_http.h"
#include "pod_watch_stream.h"

/* What one LIST or WATCH came to, and so what the thread does next. */
enum pod_watch_outcome {
	POD_WATCH_OK,           /* LIST stored / WATCH ended by the server after doing its job */
	POD_WATCH_GONE,         /* 410: our resourceVersion is too old; relist */
	POD_WATCH_UNAUTHORIZED, /* 401 */
	POD_WATCH_FAILED,       /* anything else: back off, then retry */
	POD_WATCH_STOPPED,
};

struct pod_watch {
	struct pod_cache cache;
	struct pod_watch_stats stats;
	char *selector;            /* fieldSelector, URL-encoded */
	char *node;
	uint32_t watch_timeout_s, backoff_max_ms;
	FILE *log;
	atomic_bool stop;
	pthread_mutex_t mu;        /* with cv: wakes a back-off sleep on stop */
	pthread_cond_t cv;
	pthread_t thread;
	bool running;
	/* watcher thread only */
	struct kube_auth *auth;
	struct http_client *http;  /* LIST */
	struct pod_watch_conn *conn; /* WATCH */
	struct pod_watch_stream stream;
	char rv[64];               /* resourceVersion to watch from; "" until listed */
	bool gone;                 /* the watch ended on 410 */
	uint32_t backoff_ms;
	uint64_t rng;
};

enum pod_watch_outcome pod_watch_list(struct pod_watch *w);
enum pod_watch_outcome pod_watch_follow(struct pod_watch *w);
/* The stream's on_event: one watch event into the store and w->rv. */
int pod_watch_apply(void *ctx, const struct pod_watch_event *ev);

/* "Accept" and the credentials for a GET of url; -1 (logged) when the
 * credential cannot be had. */
int pod_watch_prepare(struct pod_watch *w, struct http_request *rq, const char *url);
/* The outcome of a non-200 status. */
enum pod_watch_outcome pod_watch_status_outcome(long status);
/* Percent-encodes s (RFC 3986 unreserved characters kept); NULL when out of memory. */
char *pod_watch_url_encode(const char *s);
void pod_watch_log(struct pod_watch *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
