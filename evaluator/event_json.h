/* An event written as JSON with the rule field names as keys, for
 * `rampart rules explain` and tests:
 *   {"evt.type": "open", "proc.name": "cat", "file.path": "/etc/shadow",
 *    "proc.args": ["cat", "/etc/shadow"], "k8s.pod.label": {"app": "web"}}
 * Setting a field of an argument family (file.*, net.*, ...) or workload
 * (k8s.*, ecs.*) selects that branch. Derived fields cannot be set.
 * Strings live in *store (freed with event_json_free). */
#ifndef RAMPART_EVAL_EVENT_JSON_H
#define RAMPART_EVAL_EVENT_JSON_H

#include <stddef.h>

#include "event.h"

struct event_json_store {
	void *json; /* json_t *, owns the strings */
	struct rp_str args[RP_MAX_ARGS], env[RP_MAX_ENV];
	struct rp_label labels[RP_MAX_LABELS];
};

/* 0, or -1 with err (e.g. "unknown field 'x'"). */
int event_json_parse(const char *text, struct rp_event *ev, struct event_json_store *store, char *err, size_t n);
void event_json_free(struct event_json_store *store);

#endif
