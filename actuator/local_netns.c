#include "local_netns.h"

#include "local_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct netns_search {
	const char *cgroup;
	const struct local_netns_id *want;
	struct local_netns *ns;
};

/* 0 with s->ns open when pid is (still) in the cgroup and in the wanted
 * namespace, -1 otherwise. The namespace is opened before the membership
 * check: were pid reused in between, the check would see the stranger and
 * refuse, whereas checking first could hand back a stranger's namespace. */
static int open_member_netns(const struct netns_search *s, pid_t pid)
{
	char path[64], cg[LOCAL_CGROUP_PATH_MAX];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (local_cgroup_of_pid(pid, cg, sizeof(cg)) || !local_cgroup_contains(s->cgroup, cg) || fstat(fd, &st) ||
	    (s->want && (s->want->dev != (uint64_t)st.st_dev || s->want->ino != (uint64_t)st.st_ino))) {
		close(fd);
		return -1;
	}
	*s->ns = (struct local_netns){.fd = fd, .id = {(uint64_t)st.st_dev, (uint64_t)st.st_ino}, .pid = pid};
	return 0;
}

static int try_pid(pid_t pid, void *arg)
{
	return open_member_netns(arg, pid) == 0;
}

int local_netns_of_cgroup(int rootfd, const char *cgroup, pid_t pid, const struct local_netns_id *want,
			  struct local_netns *ns, char *msg, size_t n)
{
	struct netns_search s = {cgroup, want, ns};
	int dirfd, rc;

	ns->fd = -1;
	if (pid > 0 && open_member_netns(&s, pid) == 0)
		return 0;
	if ((dirfd = local_cgroup_open(rootfd, cgroup)) < 0) {
		if (errno == ENOENT)
			return 1;
		snprintf(msg, n, "cgroup %s: %s", cgroup, strerror(errno));
		return -1;
	}
	rc = local_cgroup_each_pid(dirfd, try_pid, &s);
	if (rc < 0)
		snprintf(msg, n, "cgroup %s: %s", cgroup, strerror(errno));
	close(dirfd);
	return rc < 0 ? -1 : rc == 1 ? 0 : 1;
}

void local_netns_close(struct local_netns *ns)
{
	if (ns->fd >= 0)
		close(ns->fd);
	ns->fd = -1;
}

static bool same_netns(const char *path, const struct local_netns *ns, int *err)
{
	struct stat st;

	if (stat(path, &st)) {
		*err = errno;
		return false;
	}
	return (uint64_t)st.st_dev == ns->id.dev && (uint64_t)st.st_ino == ns->id.ino;
}

int local_netns_is_host(const struct local_netns *ns)
{
	int self_err = 0, init_err = 0;

	if (same_netns("/proc/self/ns/net", ns, &self_err))
		return 1;
	if (self_err) {
		errno = self_err;
		return -1;
	}
	/* pid 1 unreadable (a restricted /proc): our own namespace decides. */
	return same_netns("/proc/1/ns/net", ns, &init_err);
}
