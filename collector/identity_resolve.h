/* Building one container_identity from a cgroup id (no caching). */
#ifndef RAMPART_COLLECTOR_IDENTITY_RESOLVE_H
#define RAMPART_COLLECTOR_IDENTITY_RESOLVE_H

#include "cgroup_resolve.h"
#include "ecs_agent.h"
#include "identity.h"

struct identity_sources {
	struct cgroup_resolver *cgroups;
	const char *const *state_dirs;
	size_t nstate_dirs;
	const char *cluster;
	enum rp_orchestrator orchestrator;
	struct ecs_agent *ecs;      /* NULL: no ECS agent lookups */
	struct pod_watch *pods;     /* NULL: no pod metadata from the API server */
};

/* Fills *ci. Returns true when the result is final: the cgroup was found
 * and is either a host cgroup or a container whose bundle was read and,
 * when the ECS agent is to be asked about it, whose task the agent named. */
bool identity_resolve(const struct identity_sources *src, uint64_t cgroup_id, struct container_identity *ci);
/* Copies the pod watcher's labels, owner and service account for
 * ci->pod_uid into ci (and namespace and name when the bundle gave none).
 * false, ci unchanged, when the watcher lacks the pod or its pod is not the
 * one the runtime's annotations name. */
bool identity_apply_pod(const struct identity_sources *src, struct container_identity *ci);

#endif
