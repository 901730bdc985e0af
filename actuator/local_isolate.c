/* isolate: the network quarantine in the container's namespace, recorded
 * so that local_release() can lift it. */
#include "local_actions.h"
#include "local_cgroup.h"
#include "local_netns.h"
#include "local_nft.h"
#include "local_state.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int target_id(const struct act_target *t, char *id, size_t n)
{
	if (!t->container_id.len || t->container_id.len >= n)
		return -1;
	memcpy(id, t->container_id.ptr, t->container_id.len);
	id[t->container_id.len] = '\0';
	return local_state_id_valid(id) ? 0 : -1;
}

/* Undoes the record of an isolation that did not happen, unless one was
 * there before (an earlier isolation it still describes). */
static void drop_new_record(const struct local_env *env, const char *id, int had_record, struct act_reply *r)
{
	char err[256];
	size_t len = strlen(r->detail);

	if (!had_record && local_state_remove(env->state_dir, id, err, sizeof(err)) < 0)
		snprintf(r->detail + len, sizeof(r->detail) - len, "; and its record stays: %s", err);
}

/* Records first, then isolates: an isolation in place is always one that
 * release can find. */
static enum act_status quarantine(const struct local_env *env, const char *id, const char *cgroup,
				  const struct local_netns *ns, struct act_reply *r)
{
	struct local_state rec = {.netns = ns->id}, old;
	char err[256], msg[512];
	int had_record = local_state_read(env->state_dir, id, &old, err, sizeof(err)) != 1, rc;

	snprintf(rec.cgroup, sizeof(rec.cgroup), "%s", cgroup);
	if (local_state_write(env->state_dir, id, &rec, err, sizeof(err))) {
		act_reply_detail(r, "not isolated: cannot record the isolation: %s", err);
		return r->status = ACT_FAILED;
	}
	rc = local_netns_run(ns, local_nft_quarantine, LOCAL_NFT_TIMEOUT_MS, msg, sizeof(msg));
	if (rc == LOCAL_NFT_CHANGED || rc == LOCAL_NFT_UNCHANGED) {
		act_reply_detail(r, "%s in the network namespace (inode %llu) of pid %d, cgroup %s", msg,
				 (unsigned long long)ns->id.ino, (int)ns->pid, cgroup);
		return r->status = rc == LOCAL_NFT_CHANGED ? ACT_DONE : ACT_ALREADY_DONE;
	}
	act_reply_detail(r, "not isolated: %s", msg);
	drop_new_record(env, id, had_record, r);
	return r->status = rc == LOCAL_NETNS_LOST ? ACT_RETRY : ACT_FAILED;
}

static enum act_status isolate_netns(const struct local_env *env, const char *id, const char *cgroup,
				     const struct local_netns *ns, struct act_reply *r)
{
	int host = local_netns_is_host(ns);

	if (host < 0) {
		act_reply_detail(r, "not isolated: /proc/self/ns/net: %s", strerror(errno));
		return r->status = ACT_FAILED;
	}
	/* It is every host service's too: quarantining it cuts the node off. */
	if (host) {
		act_reply_detail(r, "container shares the host network namespace; not isolated");
		return r->status = ACT_SKIPPED;
	}
	return quarantine(env, id, cgroup, ns, r);
}

enum act_status local_isolate(const struct local_env *env, const struct act_target *t, struct act_reply *r)
{
	char cgroup[LOCAL_CGROUP_PATH_MAX], id[LOCAL_STATE_ID_MAX + 1], msg[512];
	struct local_netns ns;
	enum act_status st;
	int rc;

	if (local_cgroup_path_norm(t->cgroup, cgroup, sizeof(cgroup))) {
		act_reply_detail(r, "refusing to isolate the root/host cgroup: '%.*s' is not a path below the root",
				 (int)(t->cgroup.len > 256 ? 256 : t->cgroup.len), t->cgroup.len ? t->cgroup.ptr : "");
		return r->status = ACT_FAILED;
	}
	if (target_id(t, id, sizeof(id))) {
		act_reply_detail(r, "invalid container id '%.*s'",
				 (int)(t->container_id.len > 128 ? 128 : t->container_id.len),
				 t->container_id.len ? t->container_id.ptr : "");
		return r->status = ACT_FAILED;
	}
	rc = local_netns_of_cgroup(env->rootfd, cgroup, t->pid, NULL, &ns, msg, sizeof(msg));
	if (rc) {
		act_reply_detail(r, rc > 0 ? "cgroup %s has no processes; nothing to isolate" : "%s",
				 rc > 0 ? cgroup : msg);
		return r->status = rc > 0 ? ACT_SKIPPED : ACT_RETRY;
	}
	st = isolate_netns(env, id, cgroup, &ns, r);
	local_netns_close(&ns);
	return st;
}
