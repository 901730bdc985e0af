#include "act_target.h"

#include <stdio.h>

void act_target_from_event(const struct rp_event *ev, struct act_target *t)
{
	*t = (struct act_target){
		.orchestrator = ev->orchestrator,
		.cluster = ev->cluster,
		.container_id = ev->container.id,
		.cgroup = ev->container.cgroup,
		.pid = ev->process.pid,
	};
	if (ev->workload_kind == RP_WORKLOAD_POD) {
		t->namespace_ = ev->workload.pod.namespace_;
		t->pod = ev->workload.pod.name;
		t->pod_uid = ev->workload.pod.uid;
		t->owner_kind = ev->workload.pod.owner_kind;
		t->owner_name = ev->workload.pod.owner_name;
	} else if (ev->workload_kind == RP_WORKLOAD_ECS_TASK) {
		t->ecs_cluster = ev->workload.ecs.cluster;
		t->task_arn = ev->workload.ecs.task_arn;
	}
}

void act_target_describe(const struct act_target *t, char *out, size_t n)
{
	if (t->pod.len)
		snprintf(out, n, "%.*s/%.*s", (int)t->namespace_.len, t->namespace_.ptr, (int)t->pod.len, t->pod.ptr);
	else if (t->task_arn.len)
		snprintf(out, n, "%.*s", (int)t->task_arn.len, t->task_arn.ptr);
	else
		snprintf(out, n, "%.*s", (int)t->container_id.len, t->container_id.ptr);
}

void act_target_scope(const struct rp_event *ev, const struct act_target *t, char *out, size_t n)
{
	switch (t->orchestrator) {
	case RP_ORCH_KUBERNETES:
		snprintf(out, n, "kubernetes:%.*s/%.*s", (int)t->cluster.len, t->cluster.ptr, (int)t->namespace_.len,
			 t->namespace_.ptr);
		break;
	case RP_ORCH_ECS:
		snprintf(out, n, "ecs:%.*s", (int)t->ecs_cluster.len, t->ecs_cluster.ptr);
		break;
	default:
		snprintf(out, n, "host:%.*s", (int)ev->node.len, ev->node.ptr);
	}
}

const char *act_driver_name(enum rp_orchestrator orch)
{
	return orch == RP_ORCH_KUBERNETES ? "kubernetes" : orch == RP_ORCH_ECS ? "ecs" : "local";
}
