/* The body of a Kubernetes watch response, parsed as it streams in.
 *
 * The API server writes one JSON object per line,
 *   {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}
 * and libcurl hands the bytes over in arbitrary pieces: feed them to
 * pod_watch_stream_feed, which reassembles lines (a line may span any number
 * of calls, a call may hold many lines), parses each and calls on_event
 * once per event, in order. A line longer than POD_WATCH_MAX_LINE or one
 * that is not a watch event ends the stream with an error: the watcher
 * reconnects from the last resourceVersion it applied rather than skip an
 * event and keep a stale store. A well-formed event about a pod that cannot
 * be keyed (no usable uid) is delivered with pod.uid "" and the reason in
 * message, so one odd object cannot stall the watch. This is outside
 * input; tests/fuzz/fuzz_pod_watch.c fuzzes it. */
#ifndef RAMPART_COLLECTOR_POD_WATCH_STREAM_H
#define RAMPART_COLLECTOR_POD_WATCH_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "pod_cache.h"

/* etcd keeps objects under 1.5 MiB; a Pod's JSON stays well inside this. */
#define POD_WATCH_MAX_LINE (4u << 20)

enum pod_watch_event_type {
	POD_EV_ADDED, POD_EV_MODIFIED, POD_EV_DELETED, POD_EV_BOOKMARK, POD_EV_ERROR
};

struct pod_watch_event {
	enum pod_watch_event_type type;
	char resource_version[64]; /* the object's metadata.resourceVersion; "" for none */
	struct pod_meta pod;       /* ADDED, MODIFIED, DELETED; uid "" when unusable (see message) */
	long code;                 /* ERROR: the Status object's code (410: the version is too old) */
	char message[256];         /* ERROR: its message; a pod event: why the pod is unusable */
};

/* 0 to go on; anything else ends the stream and is returned by feed. */
typedef int (*pod_watch_event_fn)(void *ctx, const struct pod_watch_event *ev);

struct pod_watch_stream {
	struct rp_buf line;          /* the partial line carried between calls */
	pod_watch_event_fn on_event;
	void *ctx;
	struct pod_watch_event ev;   /* scratch, off the stack: a pod_meta is a few KiB */
	char error[256];             /* why feed returned -1 */
};

void pod_watch_stream_init(struct pod_watch_stream *s, pod_watch_event_fn on_event, void *ctx);
/* Forgets a partial line (a new connection starts afresh). */
void pod_watch_stream_reset(struct pod_watch_stream *s);
void pod_watch_stream_free(struct pod_watch_stream *s);
/* 0; -1 with s->error on bad input or no memory; or on_event's non-zero
 * result. Lines after the one that ended the stream are not parsed. */
int pod_watch_stream_feed(struct pod_watch_stream *s, const char *data, size_t len);
/* One event line (no newline needed). 0, or -1 with err. */
int pod_watch_event_parse(const char *json, size_t len, struct pod_watch_event *ev, char *err, size_t errlen);

#endif
