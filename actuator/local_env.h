/* What the local driver's actions share: the cgroup2 mount and the
 * configured state directory and kill wait, resolved from the options once.
 * Internal to actuator/local_*.c. */
#ifndef RAMPART_ACT_LOCAL_ENV_H
#define RAMPART_ACT_LOCAL_ENV_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "local_driver.h"

struct local_env {
	int rootfd;                /* the cgroup2 mount, O_DIRECTORY */
	char state_dir[PATH_MAX];
	uint32_t kill_wait_ms;
};

/* 0, or -1 with err filled. o may be NULL. (local_driver.c) */
int local_env_open(struct local_env *env, const struct local_driver_options *o, char *err, size_t errlen);
void local_env_close(struct local_env *env);

#endif
