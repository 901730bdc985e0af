#include "local_driver.h"

#include "local_actions.h"
#include "local_cgroup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct local_driver {
	struct act_driver base; /* first: act_driver * <-> local_driver * */
	struct local_env env;
	char actor[320];
};

int local_env_open(struct local_env *env, const struct local_driver_options *o, char *err, size_t errlen)
{
	const char *dir = o && o->state_dir ? o->state_dir : LOCAL_DEFAULT_STATE_DIR;

	if (!*dir || (size_t)snprintf(env->state_dir, sizeof(env->state_dir), "%s", dir) >= sizeof(env->state_dir)) {
		snprintf(err, errlen, "state dir '%.64s': empty or too long", dir);
		return -1;
	}
	env->kill_wait_ms = o && o->kill_wait_ms ? o->kill_wait_ms : LOCAL_DEFAULT_KILL_WAIT_MS;
	env->rootfd = local_cgroup_root_open(o ? o->cgroup2_root : NULL, err, errlen);
	return env->rootfd < 0 ? -1 : 0;
}

void local_env_close(struct local_env *env)
{
	if (env->rootfd >= 0)
		close(env->rootfd);
	env->rootfd = -1;
}

static enum act_status local_act(struct act_driver *d, const struct act_call *call, struct act_reply *reply)
{
	const struct local_env *env = &((struct local_driver *)d)->env;
	const struct act_target *t = call->target;

	memset(reply, 0, sizeof(*reply));
	if (t->container_id.len)
		act_reply_target(reply, "%.*s", (int)t->container_id.len, t->container_id.ptr);
	else
		act_reply_target(reply, "cgroup %.*s", (int)t->cgroup.len, t->cgroup.len ? t->cgroup.ptr : "");
	switch (call->action) {
	case RP_ACTION_TERMINATE:
		return local_terminate(env, t, reply);
	case RP_ACTION_ISOLATE:
		return local_isolate(env, t, reply);
	default:
		act_reply_detail(reply, "the local driver only isolates and terminates (action %d)", (int)call->action);
		return reply->status = ACT_FAILED;
	}
}

static const char *local_actor(struct act_driver *d)
{
	return ((struct local_driver *)d)->actor;
}

static void local_free(struct act_driver *d)
{
	struct local_driver *l = (struct local_driver *)d;

	if (!l)
		return;
	local_env_close(&l->env);
	free(l);
}

struct act_driver *local_driver_new(const struct local_driver_options *o, char *err, size_t errlen)
{
	struct local_driver *l = calloc(1, sizeof(*l));
	char host[256];

	if (!l) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (local_env_open(&l->env, o, err, errlen)) {
		free(l);
		return NULL;
	}
	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	snprintf(l->actor, sizeof(l->actor), "host %s uid %u", host, (unsigned)geteuid());
	l->base = (struct act_driver){.name = "local", .act = local_act, .actor = local_actor, .free = local_free};
	return &l->base;
}

int local_driver_release(const struct local_driver_options *o, const char *container_id, char *msg, size_t n)
{
	struct local_env env;
	int rc;

	if (local_env_open(&env, o, msg, n))
		return -1;
	rc = local_release(&env, container_id, msg, n);
	local_env_close(&env);
	return rc;
}
