/* A streaming GET for the pod watcher: a watch response never ends on its
 * own, so lib/http.h's buffer-the-whole-body http_do cannot carry it. The
 * body of a 200 goes to a pod_watch_stream as it arrives; another status's
 * body (a metav1.Status) is kept for its message. TLS is configured from
 * the same struct http_tls kube_auth_prepare fills (always verified), and
 * one libcurl handle is reused so watches re-open on a live connection.
 * The transfer is abandoned within about a second of *stop turning true. */
#ifndef RAMPART_COLLECTOR_POD_WATCH_HTTP_H
#define RAMPART_COLLECTOR_POD_WATCH_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>

#include "http.h"
#include "pod_watch_stream.h"

enum pod_watch_get {
	POD_GET_DONE,      /* the response ended: see status */
	POD_GET_STREAM,    /* the stream (or its callback) ended it: see stream_rc */
	POD_GET_TRANSPORT, /* no (complete) response: see error */
	POD_GET_STOPPED,   /* *stop was set */
};

struct pod_watch_get_result {
	long status;        /* 0 before a response */
	int stream_rc;      /* POD_GET_STREAM: what pod_watch_stream_feed returned */
	char error[512];    /* transport error, or a non-200 status's message */
};

struct pod_watch_conn;

/* "HTTP <status>: <message>" from an error response's metav1.Status body,
 * else from the start of the body itself. */
void pod_watch_status_text(long status, const char *body, size_t len, char *out, size_t outlen);

struct pod_watch_conn *pod_watch_conn_new(void);
void pod_watch_conn_free(struct pod_watch_conn *c);
/* rq: url, headers, tls and timeout_ms (the whole transfer) are used. */
enum pod_watch_get pod_watch_conn_get(struct pod_watch_conn *c, const struct http_request *rq,
				      struct pod_watch_stream *s, const atomic_bool *stop,
				      struct pod_watch_get_result *res);

#endif
