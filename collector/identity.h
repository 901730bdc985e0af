/* Who a process belongs to: cgroup id -> container -> pod / ECS task.
 *
 * The kernel side reports bpf_get_current_cgroup_id() (the id of the
 * process's cgroup v2 directory). identity_lookup() resolves it to the
 * cgroup path (collector/cgroup_resolve.h), recognises the container id in
 * the layouts real nodes use (containerd, CRI-O, Docker, podman, ECS;
 * systemd and cgroupfs drivers: collector/cgroup_path.h), and reads the
 * container's OCI bundle (annotations, image, privileged) from the
 * runtime's state (collector/oci_bundle.h). Anything unresolvable still
 * yields an identity with what is known plus the raw cgroup path: events are
 * never dropped for lack of metadata.
 *
 * Cache: bounded (cache_entries, 4-way set associative, least recently used
 * out), keyed by cgroup id. Cgroup ids are 64-bit and never reused, so a
 * fully resolved entry never changes; an entry missing its bundle metadata
 * is re-resolved at most every retry_ms; every sweep_ms the cache drops
 * entries whose cgroup directory is gone, once it has been gone for a whole
 * sweep interval (grace for events read late from the ring buffer).
 * Not thread-safe: one cache per reader thread.
 *
 * Pod labels, owner and service account are known only to the API server:
 * with a pod watcher (collector/pod_watch.h) a container with a pod uid
 * gets them from its store. The store changes after resolution (a pod seen
 * before its ADDED event, a relabel), so an entry holding a pod re-copies
 * its pod's metadata on the first lookup after any change to the store
 * (one atomic load per lookup otherwise); a pod gone from the store keeps
 * what was last known. */
#ifndef RAMPART_COLLECTOR_IDENTITY_H
#define RAMPART_COLLECTOR_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define IDENTITY_MAX_LABELS 32
#define IDENTITY_LABEL_TEXT 2048 /* label keys and values, packed */

struct pod_watch;

struct identity_config {
	const char *cgroup2_root;   /* NULL: /sys/fs/cgroup/unified if it is cgroup2, else /sys/fs/cgroup */
	const char *const *state_dirs; /* runtime state roots to search for bundles; NULL = oci_bundle_default_dirs */
	size_t nstate_dirs;
	const char *cluster;        /* from configuration: no API tells a node its cluster */
	enum rp_orchestrator orchestrator;
	size_t cache_entries;       /* 0: 1024 */
	uint32_t retry_ms;          /* 0: 1000; re-resolution of incomplete entries */
	uint32_t sweep_ms;          /* 0: 5000; dropping entries of removed cgroups */
	/* ECS agent introspection API (collector/ecs_agent.h), e.g.
	 * http://localhost:51678; NULL or "": off. When set, containers in an
	 * ECS cgroup layout (or every container when orchestrator is ecs) get
	 * ecs_task_arn, ecs_family, ecs_revision, ecs_cluster and
	 * container_name from the agent; until it answers they stay as the
	 * cgroup path and configuration give them and the entry is retried. */
	const char *ecs_agent_url;
	uint32_t ecs_agent_timeout_ms; /* 0: 250 */
	struct pod_watch *pods;     /* NULL: off; must outlive the cache */
};

/* Owned by the cache; valid until the next identity_* call on it. Not to
 * be copied: labels point into label_text. */
struct container_identity {
	bool in_container;             /* false: a host process (or an unknown cgroup) */
	bool metadata_found;           /* the OCI bundle was found and parsed */
	char cgroup_path[512];         /* relative to the cgroup2 mount; "" if the cgroup is gone */
	char container_id[72];
	char container_name[128];
	char image[256];
	char image_digest[80];
	char runtime[16];              /* containerd, cri-o, docker, podman, ecs, runc */
	bool privileged;               /* see collector/oci_bundle.h for the rule */
	enum rp_workload_kind workload_kind;
	char pod_namespace[64], pod_name[256], pod_uid[40];
	char owner_kind[32], owner_name[256];
	char service_account[256];
	bool pod_meta_found;           /* labels, owner, service account came from the pod watcher */
	struct rp_label labels[IDENTITY_MAX_LABELS];
	uint32_t nlabels;
	char label_text[IDENTITY_LABEL_TEXT];
	char ecs_cluster[256], ecs_task_arn[256], ecs_family[128];
	char ecs_revision[16];         /* task definition revision, from the ECS agent */
	char ecs_task_id[40];          /* from the cgroup path (/ecs/<task>/..., ecstasks-<task>.slice) */
	const char *cluster;           /* the configured cluster name (owned by the cache) */
	enum rp_orchestrator orchestrator;
};

struct identity;

/* NULL with err filled when the cgroup2 root cannot be opened or memory
 * runs out. */
struct identity *identity_new(const struct identity_config *cfg, char *err, size_t errlen);
void identity_free(struct identity *id);
/* Sets cfg->pods after the fact, for owners that build the cache elsewhere
 * (the collector's pipeline). */
void identity_set_pods(struct identity *id, struct pod_watch *pods);

/* Never NULL: an unknown cgroup yields an identity with only cgroup_path
 * (or nothing, if even the path is gone). */
const struct container_identity *identity_lookup(struct identity *id, uint64_t cgroup_id);

/* Drops the entry for cgroup_id (e.g. on the cgroup_rmdir tracepoint). */
void identity_forget(struct identity *id, uint64_t cgroup_id);

/* Drops the entries whose cgroup directory was found gone at the previous
 * sweep too, marks those gone now; returns how many were dropped.
 * identity_lookup() runs this itself every sweep_ms. */
size_t identity_sweep(struct identity *id);

/* Points ev's container, workload, cluster and orchestrator fields at ci's
 * strings (a host process gets empty container fields, no workload). */
void identity_fill_event(const struct container_identity *ci, struct rp_event *ev);

#endif
