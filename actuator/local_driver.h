/* The local driver: isolate and terminate containers on a plain container
 * host (and in `rampart run`), with no orchestrator to ask.
 *
 * terminate kills every process of the container's cgroup (cgroup.kill, or
 * SIGKILL per process on kernels without it) and waits, bounded, until the
 * cgroup is empty. isolate puts the nftables table inet rampart_quarantine
 * (input, output and forward chains, policy drop) into the container's
 * network namespace: its processes keep running but can neither send nor
 * receive. Each isolation is recorded in state_dir/<container id> and undone
 * by local_driver_release(). Neither ever acts on the host: the root cgroup,
 * a cgroup holding the actuator or pid 1, and the actuator's own network
 * namespace are refused. Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_KILL).
 *
 * act() targets: act_target.container_id, .cgroup (relative to the cgroup2
 * mount) and .pid (host pid namespace; used for its network namespace while
 * it is still in the cgroup). */
#ifndef RAMPART_ACT_LOCAL_DRIVER_H
#define RAMPART_ACT_LOCAL_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "driver.h"

#define LOCAL_DEFAULT_STATE_DIR "/run/rampart/isolated"
#define LOCAL_DEFAULT_KILL_WAIT_MS 2000

struct local_driver_options {
	const char *cgroup2_root; /* NULL: /sys/fs/cgroup if it is cgroup2, else /sys/fs/cgroup/unified */
	const char *state_dir;    /* NULL: LOCAL_DEFAULT_STATE_DIR */
	uint32_t kill_wait_ms;    /* 0: LOCAL_DEFAULT_KILL_WAIT_MS */
};

/* NULL with err filled when the cgroup2 root cannot be opened. o may be NULL
 * (all defaults). */
struct act_driver *local_driver_new(const struct local_driver_options *o, char *err, size_t errlen);

/* Lifts the isolation recorded for container_id: removes the quarantine
 * table from its network namespace and the record. 0 when released (or the
 * container or its namespace is gone: the record is dropped), 1 when no
 * isolation is recorded for it, -1 on failure (the record is kept so the
 * release can be retried). msg says what happened in every case. */
int local_driver_release(const struct local_driver_options *o, const char *container_id, char *msg, size_t n);

#endif
