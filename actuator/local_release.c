/* release: lift a recorded isolation (rampart-actuator release <id>). */
#include "local_actions.h"
#include "local_netns.h"
#include "local_nft.h"
#include "local_state.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The isolation is over (lifted now, or its namespace is gone): drop the
 * record. 0, or -1 when it stays. */
static int forget(const struct local_env *env, const char *id, const char *what, char *msg, size_t n)
{
	char err[256];

	if (local_state_remove(env->state_dir, id, err, sizeof(err)) < 0) {
		snprintf(msg, n, "%s; but the record stays: %s", what, err);
		return -1;
	}
	snprintf(msg, n, "%s; record removed", what);
	return 0;
}

static int release_in(const struct local_env *env, const char *id, const struct local_netns *ns, char *msg,
		      size_t n)
{
	char what[512];
	int rc = local_netns_is_host(ns);

	if (rc < 0) {
		snprintf(msg, n, "/proc/self/ns/net: %s", strerror(errno));
		return -1;
	}
	/* Only a tampered record could name it; the host's table is not ours. */
	if (rc) {
		snprintf(msg, n, "the record of %s names the host's network namespace; not touched", id);
		return -1;
	}
	rc = local_netns_run(ns, local_nft_release, LOCAL_NFT_TIMEOUT_MS, what, sizeof(what));
	if (rc != LOCAL_NFT_CHANGED && rc != LOCAL_NFT_UNCHANGED) {
		snprintf(msg, n, "container %s still isolated: %s", id, what);
		return -1;
	}
	return forget(env, id, what, msg, n);
}

int local_release(const struct local_env *env, const char *id, char *msg, size_t n)
{
	struct local_state rec;
	struct local_netns ns;
	char err[256];
	int rc = local_state_read(env->state_dir, id, &rec, err, sizeof(err));

	if (rc) {
		if (rc > 0)
			snprintf(msg, n, "container %s is not isolated (no record in %s)", id, env->state_dir);
		else
			snprintf(msg, n, "%s", err);
		return rc;
	}
	/* The namespace that was isolated, through any process of the
	 * container still in it. */
	rc = local_netns_of_cgroup(env->rootfd, rec.cgroup, 0, &rec.netns, &ns, err, sizeof(err));
	if (rc < 0) {
		snprintf(msg, n, "%s", err);
		return -1;
	}
	if (rc > 0)
		return forget(env, id, "the isolated network namespace is gone", msg, n);
	rc = release_in(env, id, &ns, msg, n);
	local_netns_close(&ns);
	return rc;
}
