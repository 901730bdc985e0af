/* The local driver's actions, one attempt each (see local_driver.h for what
 * they do and refuse). They fill reply->detail and return reply->status;
 * the caller has set reply->target. Internal to actuator/local_*.c. */
#ifndef RAMPART_ACT_LOCAL_ACTIONS_H
#define RAMPART_ACT_LOCAL_ACTIONS_H

#include <stddef.h>

#include "driver.h"
#include "local_env.h"

enum act_status local_terminate(const struct local_env *env, const struct act_target *t, struct act_reply *r);
enum act_status local_isolate(const struct local_env *env, const struct act_target *t, struct act_reply *r);

/* local_driver_release() on an opened environment; same results. */
int local_release(const struct local_env *env, const char *container_id, char *msg, size_t n);

#endif
