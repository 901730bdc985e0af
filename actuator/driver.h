/* The contract between the actuator's core and its orchestrator drivers
 * (kubernetes, ecs, local).
 *
 * The core decides (dedupe, exclusions, action table re-check, blast-radius
 * limit, dry-run) and retries; a driver only carries out one attempt of one
 * isolate or terminate against its API and says what happened:
 *   ACT_DONE          the action took effect now;
 *   ACT_ALREADY_DONE  it was already in effect (pod already labelled,
 *                     already gone, task already stopped, cgroup empty);
 *   ACT_SKIPPED       deliberately not done (e.g. the pod was replaced by
 *                     another with the same name, or the target is the host);
 *   ACT_RETRY         a transient failure (timeout, connection refused, 429,
 *                     5xx): the core calls act() again after a backoff;
 *   ACT_FAILED        a permanent failure (401/403, 422, bad target): the
 *                     core records it and never retries.
 * A driver fills reply->target (what it acted on, e.g. "ns/pod", the task
 * ARN, the container id), reply->api_status (the HTTP status of the call
 * that decided the outcome, 0 when none) and reply->detail (the API's own
 * message on failure; what was done otherwise). Drivers are used from one
 * thread at a time. */
#ifndef RAMPART_ACT_DRIVER_H
#define RAMPART_ACT_DRIVER_H

#include <stdint.h>

#include "action.h"
#include "event.h"

/* The workload a verdict names, as the collector described it. Views into
 * the decoded verdict: valid for the duration of one act() call. */
struct act_target {
	enum rp_orchestrator orchestrator;
	struct rp_str cluster;
	/* kubernetes */
	struct rp_str namespace_, pod, pod_uid, owner_kind, owner_name;
	/* ecs */
	struct rp_str ecs_cluster, task_arn;
	/* local: container id and its cgroup (relative to the cgroup2 mount);
	 * pid of the process that triggered the verdict, for its namespaces */
	struct rp_str container_id, cgroup;
	int32_t pid;
};

struct act_call {
	struct rp_str verdict_id, rule_id, rule_name;
	int64_t verdict_time_ns;
	enum rp_action action; /* RP_ACTION_ISOLATE or RP_ACTION_TERMINATE */
	const struct act_target *target;
};

enum act_status { ACT_DONE, ACT_ALREADY_DONE, ACT_SKIPPED, ACT_RETRY, ACT_FAILED };

struct act_reply {
	enum act_status status;
	long api_status;
	char target[512];
	char detail[1024];
};

struct act_driver {
	const char *name; /* "kubernetes", "ecs", "local" */
	/* One attempt; always fills reply. Returns reply->status. */
	enum act_status (*act)(struct act_driver *d, const struct act_call *call, struct act_reply *reply);
	/* Who the driver acts as (service account, IAM identity, host user),
	 * recorded in every ActionResult. Never NULL. */
	const char *(*actor)(struct act_driver *d);
	void (*free)(struct act_driver *d);
};

/* snprintf into reply->detail (truncating), for drivers. */
void act_reply_detail(struct act_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void act_reply_target(struct act_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
