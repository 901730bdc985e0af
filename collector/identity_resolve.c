#include "identity_resolve.h"

#include "cgroup_path.h"
#include "oci_bundle.h"
#include "pod_watch.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

_Static_assert(IDENTITY_MAX_LABELS >= POD_MAX_LABELS && IDENTITY_LABEL_TEXT >= POD_LABEL_TEXT,
	       "every label the pod watcher keeps fits an identity");

static void apply_bundle(const struct oci_meta *m, const char *layout_rt, struct container_identity *ci)
{
	COPY(ci->container_name, m->container_name);
	COPY(ci->image, m->image);
	COPY(ci->image_digest, m->image_digest);
	COPY(ci->pod_name, m->pod_name);
	COPY(ci->pod_namespace, m->pod_namespace);
	if (m->pod_uid[0])
		COPY(ci->pod_uid, m->pod_uid);
	ci->privileged = m->privileged;
	/* Annotations name the runtime best, then the cgroup layout, then
	 * where the bundle was found. */
	if (m->runtime[0])
		COPY(ci->runtime, m->runtime);
	else if (!ci->runtime[0])
		COPY(ci->runtime, layout_rt);
}

/* 0 when the bundle was found and parsed. */
static int read_bundle(const struct identity_sources *src, struct container_identity *ci)
{
	char path[PATH_MAX], layout_rt[16], err[256];
	struct oci_meta meta;

	if (oci_bundle_find(src->state_dirs, src->nstate_dirs, ci->container_id, path, sizeof(path), layout_rt,
			    sizeof(layout_rt)))
		return -1;
	if (oci_bundle_parse_file(path, &meta, err, sizeof(err)))
		return -1;
	apply_bundle(&meta, layout_rt, ci);
	return 0;
}

/* Whether the ECS agent is to be asked about this container. */
static bool wants_ecs(const struct identity_sources *src, const struct container_identity *ci)
{
	return src->ecs && ci->container_id[0] && !ci->pod_uid[0] && !ci->pod_name[0] &&
	       (ci->ecs_task_id[0] || src->orchestrator == RP_ORCH_ECS);
}

/* 0 when the agent named the container's task (fields copied into ci). */
static int read_ecs(const struct identity_sources *src, struct container_identity *ci)
{
	struct ecs_task_info t;

	if (ecs_agent_lookup(src->ecs, ci->container_id, &t) != ECS_LOOKUP_FOUND)
		return -1;
	COPY(ci->ecs_task_arn, t.task_arn);
	COPY(ci->ecs_family, t.family);
	COPY(ci->ecs_revision, t.revision);
	if (t.cluster[0])
		COPY(ci->ecs_cluster, t.cluster);
	if (!ci->container_name[0])
		COPY(ci->container_name, t.container_name);
	return 0;
}

static void set_workload(const struct identity_sources *src, bool ecs_found, struct container_identity *ci)
{
	if (ci->pod_uid[0] || ci->pod_name[0]) {
		ci->workload_kind = RP_WORKLOAD_POD;
	} else if (ci->ecs_task_id[0] || ecs_found) {
		ci->workload_kind = RP_WORKLOAD_ECS_TASK;
		if (!ci->ecs_cluster[0])
			COPY(ci->ecs_cluster, src->cluster ? src->cluster : "");
		/* StopTask and DescribeTasks accept a task id where an ARN goes. */
		if (!ci->ecs_task_arn[0])
			COPY(ci->ecs_task_arn, ci->ecs_task_id);
	} else {
		ci->workload_kind = RP_WORKLOAD_NONE;
	}
}

/* The runtime's annotations (written by the kubelet) name the pod; a store
 * entry under the same uid naming another pod is some pod's forged
 * kubernetes.io/config.mirror annotation (collector/pod_watch_json.h), not
 * this pod. */
static bool same_pod(const struct container_identity *ci, const struct pod_meta *m)
{
	return (!ci->pod_namespace[0] || !strcmp(ci->pod_namespace, m->namespace_)) &&
	       (!ci->pod_name[0] || !strcmp(ci->pod_name, m->name));
}

static void copy_labels(const struct pod_meta *m, struct container_identity *ci)
{
	memcpy(ci->label_text, m->label_text, sizeof(m->label_text));
	for (uint32_t i = 0; i < m->nlabels; i++) {
		const char *k = ci->label_text + m->label_key[i], *v = ci->label_text + m->label_value[i];

		ci->labels[i] = (struct rp_label){{k, (uint32_t)strlen(k)}, {v, (uint32_t)strlen(v)}};
	}
	ci->nlabels = m->nlabels;
}

bool identity_apply_pod(const struct identity_sources *src, struct container_identity *ci)
{
	struct pod_meta m;

	if (!src->pods || !pod_watch_lookup(src->pods, ci->pod_uid, &m) || !same_pod(ci, &m))
		return false;
	if (!ci->pod_namespace[0])
		COPY(ci->pod_namespace, m.namespace_);
	if (!ci->pod_name[0])
		COPY(ci->pod_name, m.name);
	COPY(ci->owner_kind, m.owner_kind);
	COPY(ci->owner_name, m.owner_name);
	COPY(ci->service_account, m.service_account);
	copy_labels(&m, ci);
	ci->pod_meta_found = true;
	return true;
}

bool identity_resolve(const struct identity_sources *src, uint64_t cgroup_id, struct container_identity *ci)
{
	struct cgroup_container cc;
	bool ecs_wanted, ecs_found;

	memset(ci, 0, sizeof(*ci));
	ci->cluster = src->cluster ? src->cluster : "";
	ci->orchestrator = src->orchestrator;
	if (cgroup_resolve_path(src->cgroups, cgroup_id, ci->cgroup_path, sizeof(ci->cgroup_path)))
		return false;
	if (!cgroup_path_parse(ci->cgroup_path, &cc))
		return true;
	ci->in_container = true;
	COPY(ci->container_id, cc.id);
	COPY(ci->pod_uid, cc.pod_uid);
	COPY(ci->ecs_task_id, cc.ecs_task_id);
	COPY(ci->runtime, cgroup_runtime_name(cc.runtime));
	ci->metadata_found = read_bundle(src, ci) == 0;
	ecs_wanted = wants_ecs(src, ci);
	ecs_found = ecs_wanted && read_ecs(src, ci) == 0;
	set_workload(src, ecs_found, ci);
	/* Not a condition of completeness: identity.c re-copies pod metadata
	 * whenever the watcher's store changes. */
	if (ci->pod_uid[0])
		identity_apply_pod(src, ci);
	return ci->metadata_found && ecs_wanted == ecs_found;
}
