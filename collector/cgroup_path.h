/* Recognising a container in a cgroup path.
 *
 * Pure string work, no I/O. Understands the layouts real nodes use, with
 * the systemd and the cgroupfs cgroup drivers, v1 or v2 (the path is the
 * same relative path in either):
 *   containerd  .../kubepods-<qos>-pod<uid_>.slice/cri-containerd-<id>.scope
 *               /kubepods/<qos>/pod<uid>/<id>, /kubepods/pod<uid>/<id>
 *   CRI-O       .../crio-<id>.scope, /kubepods/.../pod<uid>/crio-<id>
 *               (crio-conmon-<id> is CRI-O's monitor, not a container)
 *   Docker      /system.slice/docker-<id>.scope, /docker/<id>
 *   podman      .../libpod-<id>.scope (libpod-conmon-<id> is not a container)
 *   ECS         /ecs/<task-id>/<id>, /ecstasks.slice/ecstasks-<task-id>.slice/...
 * When several path components name a container (docker in docker, a
 * container's own sub-cgroups) the deepest one wins. */
#ifndef RAMPART_COLLECTOR_CGROUP_PATH_H
#define RAMPART_COLLECTOR_CGROUP_PATH_H

#include <stdbool.h>

enum cgroup_runtime {
	CGROUP_RT_NONE,       /* not a container */
	CGROUP_RT_CONTAINERD,
	CGROUP_RT_CRIO,
	CGROUP_RT_DOCKER,
	CGROUP_RT_PODMAN,
	CGROUP_RT_ECS,        /* /ecs/<task>/<id>: the ECS agent's layout */
	CGROUP_RT_UNKNOWN,    /* a bare 64-hex component under no known parent */
};

#define CGROUP_ID_LEN 64

struct cgroup_container {
	enum cgroup_runtime runtime;
	char id[CGROUP_ID_LEN + 1];  /* lower-case hex; "" when runtime is NONE */
	char pod_uid[37];            /* with dashes; "" when not a Kubernetes pod */
	char ecs_task_id[33];        /* 32 hex; "" when not an ECS task */
};

/* Fills *out from a cgroup path such as "/kubepods/besteffort/pod<uid>/<id>"
 * (leading slash optional). Returns true when the path is a container's. */
bool cgroup_path_parse(const char *path, struct cgroup_container *out);

/* "containerd", "cri-o", "docker", "podman", "ecs", "" */
const char *cgroup_runtime_name(enum cgroup_runtime rt);

#endif
