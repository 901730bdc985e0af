#include "identity.h"

#include <string.h>

static struct rp_str str_of(const char *s)
{
	return (struct rp_str){s, (uint32_t)strlen(s)};
}

static void fill_pod(const struct container_identity *ci, struct rp_pod *pod)
{
	memset(pod, 0, sizeof(*pod));
	pod->namespace_ = str_of(ci->pod_namespace);
	pod->name = str_of(ci->pod_name);
	pod->uid = str_of(ci->pod_uid);
	pod->labels = ci->labels;
	pod->nlabels = ci->nlabels;
	pod->owner_kind = str_of(ci->owner_kind);
	pod->owner_name = str_of(ci->owner_name);
	pod->service_account = str_of(ci->service_account);
}

static void fill_ecs(const struct container_identity *ci, struct rp_ecs_task *t)
{
	memset(t, 0, sizeof(*t));
	t->cluster = str_of(ci->ecs_cluster[0] ? ci->ecs_cluster : ci->cluster ? ci->cluster : "");
	t->task_arn = str_of(ci->ecs_task_arn);
	t->family = str_of(ci->ecs_family);
	t->revision = str_of(ci->ecs_revision);
	t->service = str_of("");
}

void identity_fill_event(const struct container_identity *ci, struct rp_event *ev)
{
	ev->cluster = str_of(ci->cluster ? ci->cluster : "");
	ev->orchestrator = ci->orchestrator;
	ev->container.id = str_of(ci->container_id);
	ev->container.name = str_of(ci->container_name);
	ev->container.image = str_of(ci->image);
	ev->container.image_digest = str_of(ci->image_digest);
	ev->container.privileged = ci->privileged;
	ev->container.runtime = str_of(ci->runtime);
	ev->container.cgroup = str_of(ci->cgroup_path);
	ev->workload_kind = ci->in_container ? ci->workload_kind : RP_WORKLOAD_NONE;
	if (ev->workload_kind == RP_WORKLOAD_POD)
		fill_pod(ci, &ev->workload.pod);
	else if (ev->workload_kind == RP_WORKLOAD_ECS_TASK)
		fill_ecs(ci, &ev->workload.ecs);
}
