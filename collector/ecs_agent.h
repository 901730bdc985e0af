/* ECS task metadata from the ECS container agent's introspection API on the
 * node (default http://localhost:51678; libcurl + jansson):
 *   GET /v1/tasks?dockerid=<id>  the task running a container: Arn, Family,
 *                                Version (the revision), Containers[].Name
 *   GET /v1/metadata             the node's Cluster (asked once)
 *
 * Contract:
 *  - ecs_agent_lookup() never fails hard: whatever is unknown is left "",
 *    and the status tells the caller whether asking again later may help.
 *  - One request per cache miss, bounded by timeout_ms (connect and
 *    transfer together). The answer for a task fills the cache for every
 *    container of that task; a found container is never asked for again
 *    (a Docker id names one container of one task for its whole life).
 *  - Backoff: when the agent cannot be reached (or answers 5xx / garbage),
 *    no request at all is made until the agent-wide backoff expires;
 *    a container the agent does not know is asked for again only after its
 *    own backoff. Both start at retry_min_ms and double up to retry_max_ms.
 *  - The cluster comes from /v1/metadata (asked again under the same
 *    backoff until it answers); until then, from the task ARN's
 *    task/<cluster>/<id> form when the ARN has it.
 * Not thread-safe: one client per identity cache (per reader thread). */
#ifndef RAMPART_COLLECTOR_ECS_AGENT_H
#define RAMPART_COLLECTOR_ECS_AGENT_H

#include <stddef.h>
#include <stdint.h>

#define ECS_AGENT_DEFAULT_URL "http://localhost:51678"

struct ecs_agent_config {
	const char *url;        /* base URL, no trailing /v1 (a trailing '/' is fine) */
	uint32_t timeout_ms;    /* 0: 250 */
	uint32_t retry_min_ms;  /* 0: 1000 */
	uint32_t retry_max_ms;  /* 0: 60000 */
	size_t cache_entries;   /* 0: 512; least recently used out */
};

struct ecs_task_info {
	char cluster[256];
	char task_arn[256];
	char family[128];
	char revision[16];
	char container_name[128];
};

enum ecs_lookup {
	ECS_LOOKUP_FOUND,       /* task fields filled (cluster may still be "") */
	ECS_LOOKUP_UNKNOWN,     /* the agent answered and does not know the container */
	ECS_LOOKUP_UNAVAILABLE, /* the agent could not be asked (down, timeout, backing off) */
};

/* NULL with err filled when url is empty or memory / libcurl runs out. */
struct ecs_agent *ecs_agent_new(const struct ecs_agent_config *cfg, char *err, size_t errlen);
void ecs_agent_free(struct ecs_agent *a);

/* Fills *out (zeroed first) for the container with this Docker id. */
enum ecs_lookup ecs_agent_lookup(struct ecs_agent *a, const char *docker_id, struct ecs_task_info *out);

/* HTTP requests attempted so far (tests, metrics). */
uint64_t ecs_agent_requests(const struct ecs_agent *a);

#endif
