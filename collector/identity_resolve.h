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
};

/* Fills *ci. Returns true when the result is final: the cgroup was found
 * and is either a host cgroup or a container whose bundle was read and,
 * when the ECS agent is to be asked about it, whose task the agent named. */
bool identity_resolve(const struct identity_sources *src, uint64_t cgroup_id, struct container_identity *ci);

#endif
